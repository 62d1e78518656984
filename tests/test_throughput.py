"""Cuentas de operaciones y medidas de velocidad de ``helpers.throughput``."""
import keras
import numpy as np
import pytest
from keras import layers

from helpers.throughput import (
    OP_KINDS,
    PEAK_CONV_SHAPES,
    TRAINING_PASSES,
    conv_gflops,
    matmul_gflops,
    model_flops,
    op_kind,
    op_times,
    peak_gflops,
    time_by_kind,
    training_speed,
)


def test_counts_convolutions_and_dense_layers_by_hand():
    net = keras.Sequential([keras.Input((28, 28, 1)), layers.Conv2D(32, 3, activation="relu"),
                            layers.MaxPooling2D(2), layers.Conv2D(64, 3, padding="same"),
                            layers.Flatten(), layers.Dense(10)])
    conv1 = 26 * 26 * 3 * 3 * 1 * 32
    conv2 = 13 * 13 * 3 * 3 * 32 * 64
    dense = 13 * 13 * 64 * 10
    assert model_flops(net) == 2 * (conv1 + conv2 + dense)


def test_strides_groups_nested_models_and_dense_on_feature_maps():
    inner = keras.Sequential([keras.Input((16, 16, 8)), layers.Conv2D(8, 3, strides=2, groups=4)])
    inputs = keras.Input((16, 16, 8))
    outputs = layers.Dense(5)(inner(inputs))            # Dense en cada posición de 7×7
    net = keras.Model(inputs, outputs)
    grouped = 7 * 7 * 3 * 3 * 2 * 8                    # cada filtro ve 8/4 = 2 canales
    assert model_flops(net) == 2 * (grouped + 7 * 7 * 8 * 5)


def test_training_speed_is_consistent_with_the_flop_count():
    net = keras.Sequential([keras.Input((8, 8, 1)), layers.Conv2D(4, 3), layers.Flatten(),
                            layers.Dense(3, activation="softmax")])
    net.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    x = np.random.default_rng(0).random((64, 8, 8, 1), dtype=np.float32)
    y = np.arange(64) % 3
    speed = training_speed(net, x, y, batch_size=32, steps=3)
    assert speed["entrenar_img_s"] > 0 and speed["predecir_img_s"] > 0
    flops = model_flops(net)
    assert speed["entrenar_gflops"] == pytest.approx(speed["entrenar_img_s"] * TRAINING_PASSES * flops / 1e9)
    assert speed["predecir_gflops"] == pytest.approx(speed["predecir_img_s"] * flops / 1e9)


def test_training_speed_needs_a_whole_batch():
    net = keras.Sequential([keras.Input((4,)), layers.Dense(2)])
    net.compile(optimizer="sgd", loss="mse")
    with pytest.raises(ValueError, match="al menos 32 imágenes"):
        training_speed(net, np.zeros((8, 4), "float32"), np.zeros((8, 2), "float32"), batch_size=32)


def test_matmul_peak_is_a_positive_rate():
    assert matmul_gflops(size=256, seconds=0.1) > 0


def test_convolution_rates_count_the_flops_of_each_pass(monkeypatch):
    import helpers.throughput as throughput

    counted = []
    monkeypatch.setattr(throughput, "_best_gflops", lambda run, flops, seconds: counted.append(flops) or run())
    conv_gflops(2, 4, 3, training=False)
    conv_gflops(2, 4, 3, kernel=1, training=True)
    assert counted == [2 * 2 * 4 * 4 * 3 * 3 * 3 * 3, TRAINING_PASSES * 2 * 2 * 4 * 4 * 3 * 3]
    assert conv_gflops(4, 8, 8, training=True, seconds=0.1) > 0


def test_the_ceiling_is_the_best_of_matmul_and_convolutions(monkeypatch):
    import helpers.throughput as throughput

    calls = []
    monkeypatch.setattr(throughput, "matmul_gflops", lambda size, seconds: calls.append(("mm", size)) or size / 10)
    monkeypatch.setattr(throughput, "conv_gflops",
                        lambda *shape, training, seconds: calls.append(("conv", shape, training)) or 500.0 * training)
    assert peak_gflops(seconds=1) == 500.0
    assert {("conv", shape, training) for shape in PEAK_CONV_SHAPES for training in (False, True)} <= set(calls)
    assert {("mm", size) for size in (512, 1024, 2048)} <= set(calls)


def test_nothing_a_small_network_trains_or_predicts_beats_the_ceiling():
    net = keras.Sequential([keras.Input((16, 16, 3)), layers.Conv2D(32, 3, padding="same"),
                            layers.MaxPooling2D(2), layers.Conv2D(64, 3, padding="same"),
                            layers.GlobalMaxPooling2D(), layers.Dense(10, activation="softmax")])
    net.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    x = np.random.default_rng(0).random((64, 16, 16, 3), dtype=np.float32)
    speed = training_speed(net, x, np.arange(64) % 10, batch_size=64, steps=3)
    peak = peak_gflops(seconds=2)
    assert 0 < speed["entrenar_gflops"] < peak and 0 < speed["predecir_gflops"] < peak


def test_op_times_sees_the_convolution_and_its_two_backward_passes():
    net = keras.Sequential([keras.Input((16, 16, 3)), layers.Conv2D(8, 3, activation="relu"),
                            layers.Conv2D(8, 3), layers.MaxPooling2D(2), layers.Flatten(),
                            layers.Dense(3, activation="softmax")])
    net.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    x = np.random.default_rng(0).random((32, 16, 16, 3), dtype=np.float32)
    times = op_times(net, x, np.arange(32) % 3, batch_size=16, steps=2)
    assert list(times.values()) == sorted(times.values(), reverse=True)
    # Con los núcleos de oneDNN o sin ellos, cada tipo sale con su nombre sin adornos…
    assert {op_kind(op_type) for op_type in times} == set(time_by_kind(times))
    assert all(op_kind(op_type) == op_kind(f"_MklNative{op_type}") for op_type in times)
    # … y la segunda convolución necesita el gradiente de sus entradas; la primera, no.
    shares = time_by_kind(times)
    assert sum(shares.values()) == pytest.approx(1.0)
    assert set(shares) <= set(OP_KINDS.values()) | {"resto"}
    for kind in ("convolución, ida", "convolución, vuelta hacia las entradas",
                 "convolución, vuelta hacia los pesos", "pooling, ida y vuelta", "resto"):
        assert shares[kind] > 0, kind


def test_op_times_needs_a_whole_batch():
    net = keras.Sequential([keras.Input((4, 4, 1)), layers.Flatten(), layers.Dense(2)])
    net.compile(optimizer="sgd", loss="mse")
    with pytest.raises(ValueError, match="al menos 8"):
        op_times(net, np.zeros((4, 4, 4, 1), np.float32), np.zeros((4, 2)), batch_size=8)
