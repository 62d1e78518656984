"""Ejercicios del cuaderno 06: correctos con la solución, «sin responder» con ____ e incorrectos con un mensaje útil."""
import keras
import numpy as np
import pytest
import tensorflow as tf
from keras import layers

from helpers.exercises import ____
from helpers.exercises import nb06 as ex


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



def _photos(n, seed, only_dogs=False):
    """Fotos de 16 píxeles: los «perros» (1) son más brillantes que los «gatos» (0)."""
    rng = np.random.default_rng(seed)
    y = np.ones(n, "float32") if only_dogs else (np.arange(n) % 2).astype("float32")
    x = (rng.random((n, 16, 16, 3)) * 120 + 100 * y[:, None, None, None]).astype("float32")
    return tf.data.Dataset.from_tensor_slices((x, y[:, None])).batch(8)


# La prueba solo tiene perros: ni una red que responde siempre lo mismo saca en ella la misma
# exactitud y pérdida que en validación (mitad y mitad).
TRAIN, VAL, TEST = _photos(32, 1), _photos(16, 2), _photos(16, 3, only_dogs=True)


@pytest.fixture(autouse=True)
def _seeded():
    keras.utils.set_random_seed(0)


def tiny_cnn(output=1, metrics=("accuracy",)):
    model = keras.Sequential([keras.Input((16, 16, 3)), layers.Rescaling(1 / 255),
                              layers.Conv2D(4, 3, activation="relu"), layers.GlobalAveragePooling2D(),
                              layers.Dense(output, activation="sigmoid")])
    model.compile(keras.optimizers.Adam(1e-2), "binary_crossentropy", metrics=list(metrics))
    return model


def trained(model=None, **fit):
    model = model or tiny_cnn()
    options = {"x": TRAIN, "validation_data": VAL, "epochs": 2, "verbose": 0, **fit}
    return model, model.fit(**options)


def test_own_cnn_checks_the_mechanics_in_fast_mode(monkeypatch):
    monkeypatch.setenv("CNN_FAST", "1")
    model, history = trained()
    assert ex.own_cnn.evaluate(model, history, TRAIN, VAL, 0.99).correct  # objetivo solo en modo completo
    assert ex.own_cnn.evaluate(____, ____, TRAIN, VAL, 0.5).status == "not_attempted"


def test_own_cnn_asks_for_the_target_in_full_mode(monkeypatch):
    model, history = trained()
    monkeypatch.setenv("CNN_FAST", "0")
    assert ex.own_cnn.evaluate(model, history, TRAIN, VAL, -0.01).correct
    feedback = ex.own_cnn.evaluate(model, history, TRAIN, VAL, 0.99)
    assert feedback.status == "incorrect"
    assert "el objetivo es superar 99.0%" in feedback.message


def _dense():
    model = keras.Sequential([keras.Input((16, 16, 3)), layers.Flatten(), layers.Dense(1, activation="sigmoid")])
    model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
    return model


def _fit_twice():
    model, _ = trained()
    return model, model.fit(TRAIN, validation_data=VAL, epochs=1, verbose=0)


def _no_accuracy():
    return trained(tiny_cnn(metrics=()))


@pytest.mark.parametrize("make, expected_text", [
    (lambda: (trained()[0], trained()[1]), "no es la historia de my_model"),
    (lambda: (lambda m, h: (m, h.history))(*trained()), "pasa history"),
    (lambda: trained(validation_data=None), "validation_data"),
    (_no_accuracy, "metrics"),
    (lambda: trained(validation_data=TEST), "otro conjunto"),
    (lambda: trained(x=TRAIN.concatenate(VAL)), "entrena solo con train_ds"),
    (_fit_twice, "más de una vez"),
    (lambda: trained(_dense()), "Conv2D"),
    (lambda: trained(tiny_cnn(output=2), x=TRAIN.map(lambda a, b: (a, tf.concat([1 - b, b], 1))),
                     validation_data=VAL.map(lambda a, b: (a, tf.concat([1 - b, b], 1)))), "una neurona"),
    (lambda: ("modelo", trained()[1]), "modelo de Keras"),
])
def test_own_cnn_explains_typical_mistakes(monkeypatch, make, expected_text):
    monkeypatch.setenv("CNN_FAST", "1")
    model, history = make()
    feedback = ex.own_cnn.evaluate(model, history, TRAIN, VAL, 0.5)
    assert feedback.status == "incorrect"
    assert expected_text in feedback.message
