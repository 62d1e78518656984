"""Ejercicios del cuaderno 06: correctos con la solución, «sin responder» con ____ e incorrectos con un mensaje útil."""
import numpy as np
import pytest

from helpers.exercises import ____
from helpers.exercises import nb06 as ex

keras = pytest.importorskip("keras")
layers = keras.layers


def test_augmentation_both_ways():
    assert ex.augmentation.evaluate(ex.augmentation_reference()).correct
    assert ex.augmentation.evaluate(____).status == "not_attempted"


@pytest.mark.parametrize("make, expected_text", [
    (lambda: keras.Sequential([layers.RandomFlip(), layers.RandomRotation(0.05), layers.RandomZoom(0.2)]),
     "vertical"),
    (lambda: keras.Sequential([layers.RandomFlip("horizontal"), layers.RandomZoom(0.2)]), "RandomRotation"),
    (lambda: keras.Sequential([layers.RandomFlip("horizontal"), layers.RandomRotation(0.2),
                               layers.RandomZoom(0.2)]), "fracción de vuelta"),
    (lambda: keras.Sequential([layers.RandomFlip("horizontal"), layers.RandomRotation(0.05),
                               layers.RandomZoom(0.5)]), "RandomZoom"),
    (lambda: [layers.RandomFlip("horizontal")], "keras.Sequential"),
])
def test_augmentation_explains_typical_mistakes(make, expected_text):
    feedback = ex.augmentation.evaluate(make())
    assert feedback.status == "incorrect"
    assert expected_text in feedback.message


def test_first_layer_params_match_keras():
    dense = keras.Sequential([keras.Input((96, 96, 3)), layers.Flatten(), layers.Dense(128)])
    conv = keras.Sequential([keras.Input((96, 96, 3)), layers.Conv2D(16, 3, padding="same")])
    assert ex.first_layer_params.evaluate(dense.count_params(), conv.count_params(), 96).correct
    assert ex.first_layer_params.evaluate(____, 448, 96).status == "not_attempted"


@pytest.mark.parametrize("answers, expected_text", [
    ((96 * 96 * 3 * 128, 448), "sesgos"),
    (((96 * 96 + 1) * 128, 448), "3 entradas"),
    (((96 * 96 * 3 + 1) * 128, (3 * 3 + 1) * 16), "3 canales"),
    (((96 * 96 * 3 + 1) * 128, (96 * 96 * 3 + 1) * 16), "comparte"),
    ((1.5, 448), "entero"),
])
def test_first_layer_params_explain_typical_mistakes(answers, expected_text):
    feedback = ex.first_layer_params.evaluate(*answers, 96)
    assert feedback.status == "incorrect"
    assert expected_text in feedback.message


def test_predict_photo_both_ways():
    assert ex.predict_photo.evaluate(ex.predict_photo_reference).correct
    assert ex.predict_photo.evaluate(____).status == "not_attempted"


def _load(path, size):
    return keras.utils.img_to_array(
        keras.utils.load_img(path, target_size=(size, size), interpolation="bilinear"))


@pytest.mark.parametrize("wrong, expected_text", [
    (lambda m, p, s: float(m.predict(_load(p, s))[0, 0]), "eje del lote"),
    (lambda m, p, s: float(m.predict(_load(p, 2 * s)[np.newaxis])[0, 0]), "target_size"),
    (lambda m, p, s: float(m.predict(_load(p, s)[np.newaxis] / 255)[0, 0]), "Rescaling"),
    (lambda m, p, s: m.predict(_load(p, s)[np.newaxis]), "devuelves un array"),
    (lambda m, p, s: 1 - float(m.predict(_load(p, s)[np.newaxis])[0, 0]), "salida del modelo"),
    (lambda m, p, s: 0.5, "no llama a model.predict"),
])
def test_predict_photo_explains_typical_mistakes(wrong, expected_text):
    feedback = ex.predict_photo.evaluate(wrong)
    assert feedback.status == "incorrect"
    assert expected_text in feedback.message
