"""Ejercicios del cuaderno 04: correctos con la solución, «sin responder» con ____ e incorrectos con un mensaje útil."""
import numpy as np
import pytest

from helpers.exercises import ____
from helpers.exercises import nb04 as ex


def test_prepare_images_accepts_the_solution_and_equivalents():
    assert ex.prepare_images.evaluate(ex.prepare_images_reference).correct
    assert ex.prepare_images.evaluate(lambda x: (x.astype("float32") / 255).reshape(-1, 28, 28, 1)).correct
    assert ex.prepare_images.evaluate(lambda x: np.expand_dims(x / np.float32(255), -1).astype(np.float32)).correct


def test_prepare_images_placeholder_is_not_attempted():
    def learner(x):
        return ____

    assert ex.prepare_images.evaluate(____).status == "not_attempted"
    assert ex.prepare_images.evaluate(learner).status == "not_attempted"


@pytest.mark.parametrize("wrong, expected_text", [
    (lambda x: (x / 255.0).astype("float32"), "falta el eje de canal"),
    (lambda x: (x / 255.0).astype("float32")[:, None], "el canal va delante"),
    (lambda x: x[..., None] // 255, "división entera"),
    (lambda x: x.astype("float32")[..., None], "falta escalar"),
    (lambda x: (x / 256.0).astype("float32")[..., None], "256"),
    (lambda x: (x / 255.0)[..., None], "float64"),
    (lambda x: list(x), "array de NumPy"),
    (lambda x: 1 / 0, "ZeroDivisionError"),
])
def test_prepare_images_explains_typical_mistakes(wrong, expected_text):
    feedback = ex.prepare_images.evaluate(wrong)
    assert feedback.status == "incorrect"
    assert expected_text in feedback.message


def test_loss_choice_both_ways():
    assert ex.loss_choice.evaluate("sparse_categorical_crossentropy", "categorical_crossentropy").correct
    assert ex.loss_choice.evaluate(____, "categorical_crossentropy").status == "not_attempted"
    swapped = ex.loss_choice.evaluate("categorical_crossentropy", "sparse_categorical_crossentropy")
    assert swapped.status == "incorrect" and "intercambiadas" in swapped.message
    binary = ex.loss_choice.evaluate("binary_crossentropy", "categorical_crossentropy")
    assert binary.status == "incorrect" and "dos clases" in binary.message
    not_text = ex.loss_choice.evaluate(1, "categorical_crossentropy")
    assert not_text.status == "incorrect" and "texto" in not_text.message


def test_param_counts_match_the_notebook_model():
    keras = pytest.importorskip("keras")
    from keras import layers

    model = keras.Sequential([keras.Input((28, 28, 1))] + [
        layer for filters in (32, 64, 128) for layer in (
            layers.Conv2D(filters, 3, padding="same", use_bias=False),
            layers.BatchNormalization(), layers.ReLU(), layers.MaxPooling2D(2))
    ] + [layers.Flatten(), layers.Dropout(0.3), layers.Dense(128, activation="relu"),
         layers.Dropout(0.3), layers.Dense(10, activation="softmax")])
    conv2 = model.layers[4].count_params()
    dense = model.layers[-3].count_params()
    assert ex.param_counts.evaluate(conv2, dense).correct


@pytest.mark.parametrize("answers, expected_text", [
    (((3 * 3 * 32 + 1) * 64, (3 * 3 * 128 + 1) * 128), "no tiene sesgo"),
    ((3 * 3 * 64, (3 * 3 * 128 + 1) * 128), "32 mapas de block1"),
    ((3 * 3 * 32 * 64, 3 * 3 * 128 * 128), "sesgos"),
    ((3 * 3 * 32 * 64, (4 * 4 * 128 + 1) * 128), "redondea hacia abajo"),
    ((3 * 3 * 32 * 64, (7 * 7 * 128 + 1) * 128), "tres poolings"),
    ((3 * 3 * 32 * 64, (3 * 3 * 128 + 1) * 10), "capa de salida"),
    ((3 * 3 * 32 * 64, 12345), "3×3 con 128 canales"),
    ((18432.5, 147584), "entero"),
])
def test_param_counts_explain_typical_mistakes(answers, expected_text):
    feedback = ex.param_counts.evaluate(*answers)
    assert feedback.status == "incorrect"
    assert expected_text in feedback.message
