"""Ejercicios del cuaderno 05: correctos con la solución, «sin responder» con ____ e incorrectos con un mensaje útil."""
import numpy as np
import pytest

from helpers.exercises import ____
from helpers.exercises import nb05 as ex


def good_standardize(x_train, x):
    mean = x_train.mean(axis=(0, 1, 2))
    std = x_train.std(axis=(0, 1, 2))
    return ((x - mean) / std).astype("float32")


def test_standardize_accepts_the_solution():
    assert ex.standardize.evaluate(good_standardize).correct
    assert ex.standardize.evaluate(ex.standardize_reference).correct
    assert ex.standardize.evaluate(____).status == "not_attempted"


@pytest.mark.parametrize("wrong, expected_text", [
    (lambda xt, x: good_standardize(x, x), "fuga de información"),
    (lambda xt, x: ((x - xt.mean()) / xt.std()).astype("float32"), "por canal"),
    (lambda xt, x: ((x - xt.mean(axis=0)) / xt.std(axis=0)).astype("float32"), "axis=0"),
    (lambda xt, x: (x - xt.mean(axis=(0, 1, 2))).astype("float32"), "no divides"),
    (lambda xt, x: (x / xt.std(axis=(0, 1, 2))).astype("float32"), "no restas"),
    (lambda xt, x: (x / 255.0).astype("float32"), "solo escalas"),
    (lambda xt, x: (x - xt.mean(axis=(0, 1, 2))) / xt.std(axis=(0, 1, 2)), "float32"),
    (lambda xt, x: x[:2], "forma"),
])
def test_standardize_explains_typical_mistakes(wrong, expected_text):
    feedback = ex.standardize.evaluate(wrong)
    assert feedback.status == "incorrect"
    assert expected_text in feedback.message


def test_best_epoch_both_ways():
    assert ex.best_epoch.evaluate(lambda h: int(np.argmin(h["val_loss"])) + 1).correct
    assert ex.best_epoch.evaluate(lambda h: h["val_loss"].index(min(h["val_loss"])) + 1).correct
    assert ex.best_epoch.evaluate(____).status == "not_attempted"


@pytest.mark.parametrize("wrong, expected_text", [
    (lambda h: int(np.argmin(h["val_loss"])), "desde 0"),
    (lambda h: int(np.argmin(h["loss"])) + 1, "entrenamiento"),
    (lambda h: len(h["val_loss"]) - 1 if len(h["val_loss"]) == 4 else int(np.argmax(h["val_loss"])) + 1,
     "val_loss"),
    (lambda h: float(np.argmin(h["val_loss"]) + 1), "entero"),
])
def test_best_epoch_explains_typical_mistakes(wrong, expected_text):
    feedback = ex.best_epoch.evaluate(wrong)
    assert feedback.status == "incorrect"
    assert expected_text in feedback.message


def test_predict_with_flip_both_ways():
    assert ex.predict_with_flip.evaluate(ex.predict_with_flip_reference).correct
    assert ex.predict_with_flip.evaluate(
        lambda m, x: np.mean([m.predict(x), m.predict(np.flip(x, axis=2))], axis=0)).correct
    assert ex.predict_with_flip.evaluate(____).status == "not_attempted"


@pytest.mark.parametrize("wrong, expected_text", [
    (lambda m, x: m.predict(x), "solo la predicción de x"),
    (lambda m, x: m.predict(x[:, :, ::-1]), "solo la predicción del reflejo"),
    (lambda m, x: m.predict(x) + m.predict(x[:, :, ::-1]), "sin dividir entre 2"),
    (lambda m, x: (m.predict(x) + m.predict(x[:, ::-1])) / 2, "vertical"),
    (lambda m, x: (m.predict(x) + m.predict(x[..., ::-1])) / 2, "canales"),
    (lambda m, x: m.predict(x)[:, 0], "forma"),
])
def test_predict_with_flip_explains_typical_mistakes(wrong, expected_text):
    feedback = ex.predict_with_flip.evaluate(wrong)
    assert feedback.status == "incorrect"
    assert expected_text in feedback.message
