"""Ejercicios del cuaderno 05: correctos con la solución, «sin responder» con ____ e incorrectos con un mensaje útil."""
import keras
import numpy as np
import pytest
from keras import layers

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



def augmentation():
    return keras.Sequential([layers.RandomFlip("horizontal"),
                             layers.RandomTranslation(0.125, 0.125, fill_mode="constant")],
                            name="augmentation")


def regularized(conv=None, block=None, head=None, first=None):
    """Variante de la red regularizada: cada argumento sustituye una parte de la solución."""
    def build():
        model = keras.Sequential([keras.Input(shape=(32, 32, 3)), *(first() if first else [augmentation()])])
        for filters in (32, 64, 128):
            for layer in (block(filters) if block else
                          [conv(filters) if conv else layers.Conv2D(filters, 3, padding="same", use_bias=False),
                           layers.BatchNormalization(), layers.ReLU(), layers.MaxPooling2D(2)]):
                model.add(layer)
        for layer in (head() if head else [layers.Flatten(), layers.Dropout(0.5),
                                           layers.Dense(10, activation="softmax")]):
            model.add(layer)
        return model
    return build


def test_regularized_cnn_both_ways():
    assert ex.regularized_cnn.evaluate(regularized()).correct
    assert ex.regularized_cnn.evaluate(lambda: ex.regularized_cnn_reference(augmentation)).correct
    assert ex.regularized_cnn.evaluate(____).status == "not_attempted"


@pytest.mark.parametrize("wrong, expected_text", [
    (regularized(first=lambda: []), "falta el aumento"),
    (regularized(first=lambda: [layers.RandomFlip("horizontal")]), "una sola capa"),
    (regularized(first=lambda: [keras.Sequential([layers.RandomFlip()])]), "vertical"),
    (regularized(block=lambda f: [layers.Conv2D(f, 3, padding="same", activation="relu"),
                                  layers.MaxPooling2D(2)]), "falta la normalización"),
    (regularized(head=lambda: [layers.Flatten(), layers.Dense(10, activation="softmax")]), "falta el dropout"),
    (regularized(block=lambda f: [layers.Conv2D(f, 3, padding="same", activation="relu", use_bias=False),
                                  layers.BatchNormalization(), layers.MaxPooling2D(2)]), "activation"),
    (regularized(block=lambda f: [layers.Conv2D(f, 3, padding="same", use_bias=False), layers.ReLU(),
                                  layers.BatchNormalization(), layers.MaxPooling2D(2)]), "después de la ReLU"),
    (regularized(head=lambda: [layers.Flatten(), layers.Dense(10, activation="softmax"),
                               layers.Dropout(0.5)]), "después de la capa de salida"),
    (regularized(conv=lambda f: layers.Conv2D(f, 3, padding="same")), "use_bias=False"),
    (regularized(conv=lambda f: layers.Conv2D(2 * f, 3, padding="same", use_bias=False)), "forma"),
    (regularized(head=lambda: [layers.Flatten(), layers.Dropout(0.9),
                               layers.Dense(10, activation="softmax")]), "mucho"),
    (lambda: "modelo", "devolver el modelo"),
])
def test_regularized_cnn_explains_typical_mistakes(wrong, expected_text):
    feedback = ex.regularized_cnn.evaluate(wrong)
    assert feedback.status == "incorrect"
    assert expected_text in feedback.message


@pytest.fixture(scope="module")
def two_runs():
    """Historias reales de dos épocas: una red sin regularizar y otra con BN y dropout."""
    rng = np.random.default_rng(0)
    x, y = rng.random((40, 8, 8, 3)).astype("float32"), rng.integers(0, 10, 40)

    def run(regularize, epochs=2, validate=True):
        model = keras.Sequential([keras.Input((8, 8, 3)), layers.Conv2D(4, 3, use_bias=not regularize),
                                  *([layers.BatchNormalization()] if regularize else []), layers.ReLU(),
                                  layers.Flatten(), *([layers.Dropout(0.5)] if regularize else []),
                                  layers.Dense(10, activation="softmax")])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        return model.fit(x[:30], y[:30], validation_data=(x[30:], y[30:]) if validate else None,
                         epochs=epochs, verbose=0)

    return {"base": run(False), "regularized": run(True), "short": run(True, epochs=1),
            "no_val": run(False, validate=False)}


def good_gap(history):
    return history["accuracy"][-1] - history["val_accuracy"][-1]


def test_generalization_gap_both_ways(two_runs):
    assert ex.generalization_gap.evaluate(good_gap, two_runs["base"], two_runs["regularized"]).correct
    assert ex.generalization_gap.evaluate(____, two_runs["base"], two_runs["regularized"]).status == "not_attempted"


@pytest.mark.parametrize("wrong, expected_text", [
    (lambda h: h["val_accuracy"][-1] - h["accuracy"][-1], "al revés"),
    (lambda h: max(h["accuracy"]) - max(h["val_accuracy"]), "máximos"),
    (lambda h: h["accuracy"][0] - h["val_accuracy"][0], "primera época"),
    (lambda h: h["val_loss"][-1] - h["loss"][-1], "pérdida"),
    (lambda h: h["accuracy"][-1], "accuracy"),
    (lambda h: str(good_gap(h)), "un número"),
])
def test_generalization_gap_explains_typical_mistakes(two_runs, wrong, expected_text):
    feedback = ex.generalization_gap.evaluate(wrong, two_runs["base"], two_runs["regularized"])
    assert feedback.status == "incorrect"
    assert expected_text in feedback.message


@pytest.mark.parametrize("histories, expected_text", [
    (("regularized", "base"), "cambiadas"),
    (("base", "base"), "cambiadas"),
    (("base", "short"), "épocas distintas"),
    (("no_val", "regularized"), "validation_data"),
])
def test_generalization_gap_reads_the_learners_runs(two_runs, histories, expected_text):
    base, regularized = (two_runs[name] for name in histories)
    feedback = ex.generalization_gap.evaluate(good_gap, base, regularized)
    assert feedback.status == "incorrect"
    assert expected_text in feedback.message


def test_generalization_gap_wants_the_history_object(two_runs):
    feedback = ex.generalization_gap.evaluate(good_gap, two_runs["base"].history, two_runs["regularized"])
    assert feedback.status == "incorrect"
    assert "pasa history" in feedback.message
