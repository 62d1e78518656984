"""Pruebas de helpers.conv: la convolución desde cero coincide con SciPy, PyTorch y Keras."""
from __future__ import annotations

import os

import numpy as np
import pytest
from scipy.signal import correlate2d

from helpers.conv import KERNELS, conv2d, output_size, pool2d

RTOL, ATOL = 1e-4, 1e-4  # tolerancia de float32

# (alto, ancho, kh, kw, canales, filtros): cuadrados, rectangulares, tamaños pares e impares.
LAYER_CASES = [(7, 7, 3, 3, 1, 1), (8, 11, 2, 4, 3, 4), (10, 9, 5, 3, 3, 1)]


@pytest.fixture(scope="module")
def torch():
    import torch

    return torch


@pytest.fixture(scope="module")
def keras():
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import keras

    return keras


def random_layer(case, seed=0):
    h, w, kh, kw, c, f = case
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((h, w, c)).astype(np.float32)
    k = rng.standard_normal((kh, kw, c, f)).astype(np.float32)
    return x, k


@pytest.mark.parametrize("shape,kshape", [((6, 6), (3, 3)), ((9, 7), (2, 4)), ((5, 8), (5, 1))])
def test_conv2d_matches_scipy_valid(shape, kshape):
    rng = np.random.default_rng(1)
    x, k = rng.standard_normal(shape), rng.standard_normal(kshape)
    expected = correlate2d(x, k, mode="valid")
    np.testing.assert_allclose(conv2d(x, k), expected, rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("padding", [1, 2, 3])
def test_conv2d_matches_scipy_with_zero_padding(padding):
    rng = np.random.default_rng(2)
    x, k = rng.standard_normal((7, 9)), rng.standard_normal((3, 4))
    expected = correlate2d(np.pad(x, padding), k, mode="valid")
    np.testing.assert_allclose(conv2d(x, k, padding=padding), expected, rtol=1e-10, atol=1e-10)


def test_conv2d_is_cross_correlation_not_flipped_convolution():
    x = np.zeros((3, 3))
    x[1, 1] = 1.0
    k = np.arange(9.0).reshape(3, 3)
    # Un impulso devuelve el núcleo girado 180°: la firma de la correlación cruzada.
    np.testing.assert_array_equal(conv2d(x, k, padding=1), k[::-1, ::-1])


def test_conv2d_sums_over_channels_with_3d_kernel():
    rng = np.random.default_rng(3)
    x, k = rng.standard_normal((8, 6, 3)), rng.standard_normal((3, 2, 3))
    expected = sum(correlate2d(x[..., c], k[..., c], mode="valid") for c in range(3))
    out = conv2d(x, k)
    assert out.shape == (6, 5)
    np.testing.assert_allclose(out, expected, rtol=1e-10, atol=1e-10)


def test_conv2d_2d_kernel_on_colour_image_filters_each_channel_separately():
    rng = np.random.default_rng(4)
    x = rng.integers(0, 256, (9, 10, 3), dtype=np.uint8)
    out = conv2d(x, KERNELS["desenfoque"], padding="same")
    assert out.shape == (9, 10, 3) and out.dtype == np.float64
    for c in range(3):
        expected = correlate2d(x[..., c].astype(float), KERNELS["desenfoque"], mode="same")
        np.testing.assert_allclose(out[..., c], expected, rtol=1e-10, atol=1e-10)


def test_conv2d_keeps_float32_and_promotes_integers():
    x = np.ones((4, 4), dtype=np.float32)
    assert conv2d(x, np.ones((2, 2), dtype=np.float32)).dtype == np.float32
    assert conv2d(x.astype(np.uint8), np.ones((2, 2), dtype=np.int64)).dtype == np.float64


@pytest.mark.frameworks
@pytest.mark.parametrize("case", LAYER_CASES)
@pytest.mark.parametrize("stride", [1, 2, 3])
@pytest.mark.parametrize("padding", [0, 1, 2])
def test_conv2d_matches_torch(torch, case, stride, padding):
    x, k = random_layer(case)
    expected = torch.nn.functional.conv2d(
        torch.from_numpy(x).permute(2, 0, 1)[None],  # NCHW
        torch.from_numpy(k).permute(3, 2, 0, 1),  # (F, C, kh, kw)
        stride=stride,
        padding=padding,
    )[0].permute(1, 2, 0).numpy()
    out = conv2d(x, k, stride=stride, padding=padding)
    assert out.shape == expected.shape
    np.testing.assert_allclose(out, expected, rtol=RTOL, atol=ATOL)


@pytest.mark.frameworks
@pytest.mark.parametrize("case", LAYER_CASES)
@pytest.mark.parametrize("stride", [1, 2, 3])
@pytest.mark.parametrize("padding", ["valid", "same"])
def test_conv2d_matches_keras(keras, case, stride, padding):
    x, k = random_layer(case)
    h, w, kh, kw, c, f = case
    layer = keras.layers.Conv2D(f, (kh, kw), strides=stride, padding=padding, use_bias=False)
    layer.build((None, h, w, c))
    layer.set_weights([k])
    expected = keras.ops.convert_to_numpy(layer(x[None]))[0]
    out = conv2d(x, k, stride=stride, padding=padding)
    assert out.shape == expected.shape
    np.testing.assert_allclose(out, expected, rtol=RTOL, atol=ATOL)
    assert out.shape[:2] == (
        output_size(h, kh, padding, stride), output_size(w, kw, padding, stride))


@pytest.mark.parametrize("n,k,padding,stride,expected", [
    (28, 3, 0, 1, 26), (28, 3, 1, 1, 28), (28, 5, 2, 2, 14), (32, 3, "valid", 2, 15),
    (7, 3, "same", 2, 4), (8, 4, "same", 3, 3), (5, 5, 0, 1, 1), (3, 5, "same", 1, 3),
])
def test_output_size_formula(n, k, padding, stride, expected):
    assert output_size(n, k, padding=padding, stride=stride) == expected


@pytest.mark.parametrize("padding", [0, 1, 2, "valid", "same"])
@pytest.mark.parametrize("stride", [1, 2, 3])
def test_output_size_matches_conv2d_shape(padding, stride):
    x, k = np.zeros((11, 8)), np.zeros((3, 2))
    assert conv2d(x, k, stride=stride, padding=padding).shape == (
        output_size(11, 3, padding, stride), output_size(8, 2, padding, stride))


@pytest.mark.frameworks
def test_output_size_matches_torch_layer(torch):
    for n, k, p, s in [(28, 3, 1, 1), (32, 5, 0, 2), (13, 4, 2, 3)]:
        layer = torch.nn.Conv2d(1, 2, kernel_size=k, stride=s, padding=p)
        assert layer(torch.zeros(1, 1, n, n)).shape[-1] == output_size(n, k, p, s)


@pytest.mark.frameworks
@pytest.mark.parametrize("size", [2, 3])
@pytest.mark.parametrize("stride", [None, 1, 2])
@pytest.mark.parametrize("mode", ["max", "avg"])
def test_pool2d_matches_torch(torch, size, stride, mode):
    x = np.random.default_rng(5).standard_normal((9, 8, 3)).astype(np.float32)
    function = torch.nn.functional.max_pool2d if mode == "max" else torch.nn.functional.avg_pool2d
    expected = function(torch.from_numpy(x).permute(2, 0, 1)[None], size, stride=stride)
    expected = expected[0].permute(1, 2, 0).numpy()
    np.testing.assert_allclose(pool2d(x, size, stride, mode), expected, rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(
        pool2d(x[..., 0], size, stride, mode), expected[..., 0], rtol=RTOL, atol=ATOL)


@pytest.mark.frameworks
@pytest.mark.parametrize("size,stride", [(2, None), (3, 2), (2, 1)])
@pytest.mark.parametrize("mode", ["max", "avg"])
def test_pool2d_matches_keras(keras, size, stride, mode):
    x = np.random.default_rng(6).standard_normal((7, 10, 2)).astype(np.float32)
    layer_class = keras.layers.MaxPooling2D if mode == "max" else keras.layers.AveragePooling2D
    expected = keras.ops.convert_to_numpy(layer_class(pool_size=size, strides=stride)(x[None]))[0]
    np.testing.assert_allclose(pool2d(x, size, stride, mode), expected, rtol=RTOL, atol=ATOL)


def test_pool2d_max_keeps_dtype():
    x = np.arange(16, dtype=np.uint8).reshape(4, 4)
    np.testing.assert_array_equal(pool2d(x), np.array([[5, 7], [13, 15]], dtype=np.uint8))
    assert pool2d(x).dtype == np.uint8


def test_kernels_are_classic_and_read_only():
    assert set(KERNELS) >= {"identidad", "bordes_verticales", "bordes_horizontales", "desenfoque",
                            "desenfoque_gaussiano", "enfocar", "laplaciano", "relieve"}
    for name in ("desenfoque", "desenfoque_gaussiano", "enfocar", "identidad"):
        assert KERNELS[name].sum() == pytest.approx(1.0)  # conservan el brillo medio
    for name in ("bordes_verticales", "bordes_horizontales", "laplaciano"):
        assert KERNELS[name].sum() == 0  # una zona uniforme da 0
    np.testing.assert_array_equal(KERNELS["bordes_horizontales"], KERNELS["bordes_verticales"].T)
    with pytest.raises(ValueError):
        KERNELS["identidad"][0, 0] = 5.0


def test_vertical_edge_kernel_responds_to_vertical_edge():
    x = np.zeros((5, 6))
    x[:, 3:] = 1.0  # borde vertical entre las columnas 2 y 3
    assert np.abs(conv2d(x, KERNELS["bordes_verticales"])).max() == 4
    assert np.abs(conv2d(x, KERNELS["bordes_horizontales"])).max() == 0


@pytest.mark.parametrize("call,message", [
    (lambda: conv2d(np.zeros((2, 4, 4, 3)), np.zeros((3, 3))), "La imagen debe tener forma"),
    (lambda: conv2d(np.zeros((4, 4)), np.zeros(3)), "El núcleo debe tener forma"),
    (lambda: conv2d(np.zeros((4, 4)), np.zeros((3, 3, 1))), "no tiene eje de canales"),
    (lambda: conv2d(np.zeros((4, 4, 3)), np.zeros((3, 3, 1, 8))),
     "3 canales pero el núcleo espera 1"),
    (lambda: conv2d(np.zeros((4, 4)), np.zeros((5, 5))), "más grande que la imagen con relleno"),
    (lambda: conv2d(np.zeros((4, 4)), np.zeros((3, 3)), padding="full"), "padding debe ser"),
    (lambda: conv2d(np.zeros((4, 4)), np.zeros((3, 3)), padding=-1), "padding debe ser"),
    (lambda: conv2d(np.zeros((4, 4)), np.zeros((3, 3)), stride=0), "'stride' debe ser un entero"),
    (lambda: output_size(4, 7), "más grande que la entrada"),
    (lambda: pool2d(np.zeros((4, 4)), mode="min"), "mode debe ser 'max' o 'avg'"),
    (lambda: pool2d(np.zeros((4,))), "pool2d espera un mapa"),
    (lambda: pool2d(np.zeros((3, 3)), size=4), "más grande que la entrada"),
])
def test_errors_are_spanish_value_errors(call, message):
    with pytest.raises(ValueError, match=message):
        call()
