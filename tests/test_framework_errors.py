"""Los errores frecuentes de Keras, provocados de verdad con modelos mínimos, reciben su explicación."""
import keras
import numpy as np
import pytest
import tensorflow as tf
from IPython.core.interactiveshell import InteractiveShell
from keras import layers

from helpers import framework_errors

LABELS = np.arange(8) % 10
IMAGES = np.zeros((8, 28, 28, 1), "float32")


def tiny(units=10, activation="softmax", shape=(28, 28, 1)):
    return keras.Sequential([keras.Input(shape=shape), layers.Flatten(), layers.Dense(units, activation=activation)])


def fit(model, loss, x, y=None, **kwargs):
    if loss is not None:
        model.compile(optimizer="adam", loss=loss)
    model.fit(x, y, epochs=1, verbose=0, **kwargs)


def batches():
    return tf.data.Dataset.from_tensor_slices((IMAGES, LABELS)).batch(4)


def first_conv():
    return keras.Sequential([keras.Input(shape=(28, 28, 1)), layers.Conv2D(2, 3), layers.Flatten(),
                             layers.Dense(10)])


CASES = {
    "fit sin compile": (lambda: fit(tiny(), None, batches()), "no está compilado"),
    "categorical_crossentropy con enteros": (
        lambda: fit(tiny(), "categorical_crossentropy", batches()), "sparse_categorical_crossentropy"),
    "validation_split con un dataset": (
        lambda: fit(tiny(), "sparse_categorical_crossentropy", batches(), validation_split=0.1),
        "validation_data="),
    "y con un dataset": (
        lambda: fit(tiny(), "sparse_categorical_crossentropy", batches(), LABELS), "no se pasa y"),
    "metrics sin lista": (
        lambda: tiny().compile(optimizer="adam", loss="mse", metrics="accuracy"), "debe ser una lista"),
    "RandomRotation en grados": (lambda: keras.Sequential([layers.RandomRotation(18)]), "divídelo entre 360"),
    "Dense(2, softmax) con binary_crossentropy": (
        lambda: fit(tiny(2, shape=(4,)), "binary_crossentropy", np.zeros((8, 4)),
                    (np.arange(8) % 2).astype("float32")[:, None]), "Dense(1, activation=\"sigmoid\")"),
    "Dense(2, softmax) con etiquetas 0/1 sin eje": (
        lambda: fit(tiny(2, shape=(4,)), "binary_crossentropy", np.zeros((8, 4)),
                    (np.arange(8) % 2).astype("float32")), "dos probabilidades por foto"),
    "Dense(1) con sparse_categorical_crossentropy": (
        lambda: fit(tiny(1, "sigmoid", shape=(4,)), "sparse_categorical_crossentropy", np.zeros((8, 4)),
                    np.arange(8) % 2), "una neurona por clase"),
    "fotos en color en una red para gris": (
        lambda: fit(first_conv(), "sparse_categorical_crossentropy", np.zeros((8, 32, 32, 3)), LABELS),
        "espera 1 valores en el último eje"),
    "sin eje de canal ni Input": (
        lambda: fit(keras.Sequential([layers.Conv2D(2, 3), layers.Flatten(), layers.Dense(10)]),
                    "sparse_categorical_crossentropy", np.zeros((8, 28, 28), "float32"), LABELS),
        "x[..., np.newaxis]"),
}


def raised(trigger) -> Exception:
    with pytest.raises(Exception) as info:
        trigger()
    return info.value


@pytest.mark.parametrize("trigger, expected", CASES.values(), ids=CASES.keys())
def test_each_common_keras_error_gets_its_explanation(trigger, expected):
    error = raised(trigger)
    text = framework_errors.explain(error)
    assert text is not None, f"sin explicación para: {error}"
    assert expected in text


def test_only_rotation_gets_the_degrees_explanation():
    text = framework_errors.explain(raised(lambda: layers.RandomContrast(5)))
    assert "[0, 1]" in text and "360" not in text


def test_unknown_errors_are_left_alone():
    assert framework_errors.explain(ValueError("algo que Keras nunca dice")) is None
    assert framework_errors.explain(ZeroDivisionError("division by zero")) is None


def test_the_cause_of_a_wrapped_error_is_explained():
    try:
        try:
            tiny().fit(batches(), epochs=1, verbose=0)
        except ValueError as error:
            raise RuntimeError("envuelto") from error
    except RuntimeError as wrapped:
        assert "no está compilado" in framework_errors.explain(wrapped)


@pytest.fixture
def shell():
    ip = InteractiveShell.instance()
    yield ip
    ip.set_custom_exc((), None)


def test_the_handler_shows_the_traceback_and_then_the_explanation(shell, capsys):
    assert framework_errors.register(shell)
    shell.user_ns.update(keras=keras, layers=layers)
    result = shell.run_cell("keras.Sequential([layers.RandomRotation(18)])")
    out = capsys.readouterr().out
    assert result.error_in_exec is not None                       # la celda sigue fallando
    assert "ValueError" in out and "Received: factor=18" in out  # el traceback de siempre
    assert out.index("Received: factor=18") < out.index("Qué significa este error")
    assert "factor=18 se lee como fracción de vuelta completa" in out


def test_the_handler_keeps_unknown_errors_as_they_were(shell, capsys):
    framework_errors.register(shell)
    result = shell.run_cell("1 / 0")
    out = capsys.readouterr().out
    assert isinstance(result.error_in_exec, ZeroDivisionError) and "ZeroDivisionError" in out
    assert "Qué significa" not in out
