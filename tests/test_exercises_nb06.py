"""Ejercicios del cuaderno 06: correctos con la solución, «sin responder» con ____ e incorrectos con un mensaje útil."""
import re

import keras
import numpy as np
import pytest
import tensorflow as tf
from hint_fixtures import longest_shared_code
from keras import layers

from helpers.exercises import ____
from helpers.exercises import nb06 as ex


def _solution_function(exercise, signature, names):
    """La solución del ejercicio, escrita como función, tal como la ve el estudiante."""
    body = "\n".join("    " + line for line in exercise.solution_code.splitlines())
    scope = dict(names)
    exec(f"def answer({signature}):\n{body}", scope)
    return scope["answer"]


# --- Ejercicio 1: la canalización de datos -----------------------------------------------------


def test_training_batches_both_ways():
    solution = _solution_function(ex.training_batches, "photos, batch_size, seed", {})
    assert ex.training_batches.evaluate(solution).correct
    assert ex.training_batches.evaluate(____).status == "not_attempted"
    assert ex.training_batches.evaluate(lambda photos, batch_size, seed: ____).status == "not_attempted"


def _full(photos):
    return int(photos.cardinality())


@pytest.mark.parametrize("wrong, expected_text", [
    # orden que se congela: barajar antes de la caché, o sin barajar de nuevo en cada época
    (lambda p, b, s: p.shuffle(_full(p), seed=s).cache().batch(b).prefetch(2), "congelado"),
    (lambda p, b, s: p.cache().shuffle(_full(p), seed=s, reshuffle_each_iteration=False).batch(b)
     .prefetch(2), "reshuffle_each_iteration"),
    (lambda p, b, s: p.cache().batch(b).prefetch(2), "falta shuffle"),
    (lambda p, b, s: p.shuffle(_full(p), seed=s).batch(b).prefetch(2), "falta cache"),
    (lambda p, b, s: p.cache().shuffle(_full(p), seed=s).prefetch(2), "falta batch"),
    (lambda p, b, s: p.cache().shuffle(_full(p), seed=s).batch(b), "falta prefetch"),
    (lambda p, b, s: p.cache().batch(b).shuffle(_full(p), seed=s).prefetch(2), "lotes ya formados"),
    (lambda p, b, s: p.cache().shuffle(_full(p), seed=s).prefetch(2).batch(b), "al final"),
    (lambda p, b, s: p.batch(b).cache().shuffle(_full(p), seed=s).prefetch(2), "lotes ya formados"),
    # cada argumento que fija el enunciado, con un valor equivocado
    (lambda p, b, s: p.cache().shuffle(8, seed=s).batch(b).prefetch(2), "búfer de 8"),
    (lambda p, b, s: p.cache().shuffle(_full(p), seed=s).batch(2 * b).prefetch(2), "lotes son de 16"),
    (lambda p, b, s: p.cache().shuffle(_full(p), seed=s).batch(b, drop_remainder=True).prefetch(2),
     "drop_remainder"),
    (lambda p, b, s: p.cache().shuffle(_full(p), seed=s).batch(b).prefetch(-1), "AUTOTUNE"),
    (lambda p, b, s: p.cache().shuffle(_full(p), seed=s).batch(b).prefetch(1), "prefetch(2)"),
    (lambda p, b, s: p.cache().shuffle(_full(p), seed=42).batch(b).prefetch(2), "seed"),
    (lambda p, b, s: p.cache().shuffle(_full(p)).batch(b).prefetch(2), "seed"),
    # pasos de más, otra respuesta u otro tipo
    (lambda p, b, s: p.cache().repeat().shuffle(_full(p), seed=s).batch(b).prefetch(2), "repeat"),
    (lambda p, b, s: p.cache().shuffle(_full(p), seed=s).map(lambda x, y: (x / 255, y)).batch(b)
     .prefetch(2), "sobra Map"),
    (lambda p, b, s: ex.training_batches_reference(p, b, s), "batches de helpers.tfdata"),
    (ex.training_batches_reference, "versión del curso"),
    (lambda p, b, s: list(p), "tf.data.Dataset"),
    (lambda p, b, s: p.nonexistent(), "nonexistent"),
])
def test_training_batches_explains_typical_mistakes(wrong, expected_text):
    feedback = ex.training_batches.evaluate(wrong)
    assert feedback.status == "incorrect"
    assert expected_text in feedback.message


def test_training_batches_reference_reshuffles_every_epoch():
    ds = ex.training_batches_reference(tf.data.Dataset.range(40), 8, seed=3)
    first, second = (np.concatenate([batch.numpy() for batch in ds]) for _ in range(2))
    assert sorted(first) == sorted(second) == list(range(40)) and list(first) != list(second)


# --- Ejercicio 2: el aumento de datos ----------------------------------------------------------


def test_augmentation_both_ways():
    solution = _solution_function(ex.augmentation, "", {"keras": keras, "layers": layers})
    assert ex.augmentation.evaluate(solution).correct
    assert ex.augmentation.evaluate(____).status == "not_attempted"
    assert ex.augmentation.evaluate(lambda: ____).status == "not_attempted"


def _three(flip=("horizontal",), rotation=(0.05,), zoom=(0.2,), **extra):
    return lambda: keras.Sequential([layers.RandomFlip(*flip), layers.RandomRotation(*rotation, **extra),
                                     layers.RandomZoom(*zoom)])


@pytest.mark.parametrize("make, expected_text", [
    (_three(flip=()), "vertical"),
    (_three(flip=("vertical",)), "vertical"),
    (_three(rotation=(18,)), "el factor de RandomRotation está fuera de [-1, 1]: es una fracción de vuelta"),
    (_three(zoom=(20,)), "el factor de RandomZoom está fuera de (-1, 1]: es una fracción del tamaño"),
    (_three(rotation=(0.2,)), "fracción de vuelta"),
    (_three(rotation=((0.0, 0.05),)), "hacia un lado"),
    (_three(zoom=(0.5,)), "RandomZoom debe usar 0.2"),
    (lambda: keras.Sequential([layers.RandomFlip("horizontal"), layers.RandomRotation(0.05),
                               layers.RandomZoom(0.2, width_factor=0.3)]), "width_factor"),
    (_three(fill_mode="constant"), "fill_mode"),
    (lambda: keras.Sequential([layers.RandomFlip("horizontal"), layers.RandomZoom(0.2)]), "RandomRotation"),
    (lambda: keras.Sequential([layers.RandomFlip("horizontal"), layers.RandomRotation(0.05),
                               layers.RandomZoom(0.2), layers.RandomContrast(0.2)]), "RandomContrast"),
    (lambda: keras.Sequential([layers.RandomFlip("horizontal"), layers.RandomZoom(0.2),
                               layers.RandomRotation(0.05)]), "orden"),
    (lambda: [layers.RandomFlip("horizontal")], "keras.Sequential"),
    (ex.augmentation_reference, "versión del curso"),
])
def test_augmentation_explains_typical_mistakes(make, expected_text):
    feedback = ex.augmentation.evaluate(make)
    assert feedback.status == "incorrect"
    assert expected_text in feedback.message


def test_augmentation_asks_for_the_function_not_the_block():
    feedback = ex.augmentation.evaluate(ex.augmentation_reference())
    assert feedback.status == "incorrect" and "no el bloque" in feedback.message


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
    (lambda m, p, s: float(m.predict(keras.utils.img_to_array(
        keras.utils.load_img(p, target_size=(s, s)))[np.newaxis])[0, 0]), "bilinear"),
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


def tiny_cnn(output=1, metrics=("accuracy",), side=16, activation="sigmoid"):
    model = keras.Sequential([keras.Input((side, side, 3)), layers.Rescaling(1 / 255),
                              layers.Conv2D(4, 3, activation="relu"), layers.GlobalAveragePooling2D(),
                              layers.Dense(output, activation=activation)])
    model.compile(keras.optimizers.Adam(1e-2), "binary_crossentropy", metrics=list(metrics))
    return model


def trained(model=None, **fit):
    model = model or tiny_cnn()
    options = {"x": TRAIN, "validation_data": VAL, "epochs": 2, "verbose": 0, **fit}
    return model, model.fit(**options)


def test_own_cnn_checks_the_mechanics_in_fast_mode(monkeypatch):
    monkeypatch.setenv("CNN_FAST", "1")
    model, history = trained()
    assert ex.own_cnn.evaluate(model, history, TRAIN, VAL, 0.99, 2).correct  # objetivo solo en modo completo
    assert ex.own_cnn.evaluate(____, ____, TRAIN, VAL, 0.5, 2).status == "not_attempted"


def test_own_cnn_asks_for_the_target_plus_the_margin_in_full_mode(monkeypatch):
    model, history = trained()
    best = max(history.history["val_accuracy"])
    monkeypatch.setenv("CNN_FAST", "0")
    assert ex.own_cnn.evaluate(model, history, TRAIN, VAL, best - ex.OWN_CNN_MARGIN - 1e-9, 2).correct
    # superar a la mejor red de la tabla por menos que el margen (el ruido) no basta
    feedback = ex.own_cnn.evaluate(model, history, TRAIN, VAL, best - ex.OWN_CNN_MARGIN / 2, 2)
    assert feedback.status == "incorrect"
    assert f"más {100 * ex.OWN_CNN_MARGIN:.0f} puntos" in feedback.message
    assert "aumento de datos" not in feedback.message  # no contradice a la tabla ni a la pista


def _dense():
    model = keras.Sequential([keras.Input((16, 16, 3)), layers.Flatten(), layers.Dense(1, activation="sigmoid")])
    model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
    return model


def _fit_twice():
    model, _ = trained()
    return model, model.fit(TRAIN, validation_data=VAL, epochs=1, verbose=0)


def _no_accuracy():
    return trained(tiny_cnn(metrics=()))


def _with_application(nested: bool):
    """Una red de keras.applications (sin descargar pesos: basta la arquitectura) con la salida del ejercicio."""
    base = keras.applications.MobileNetV2(input_shape=(32, 32, 3), include_top=False, weights=None, alpha=0.35)
    head = [layers.GlobalAveragePooling2D(), layers.Dense(1, activation="sigmoid")]
    if nested:  # el bloque entero como una capa más
        model = keras.Sequential([keras.Input((16, 16, 3)), layers.Resizing(32, 32), base, *head])
    else:  # API funcional, llamando a la red sobre un tensor
        inputs = keras.Input((16, 16, 3))
        x = base(layers.Resizing(32, 32)(inputs))
        model = keras.Model(inputs, head[1](head[0](x)))
    model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
    return trained(model, epochs=2)


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
    # la prueba y la validación tienen los mismos lotes: entrenar con otro conjunto se detecta
    (lambda: trained(x=VAL), "¿entrenaste con val_ds?"),
    (lambda: trained(epochs=3), "COMPARE_EPOCHS"),
    (lambda: trained(epochs=1), "COMPARE_EPOCHS"),
    (lambda: trained(tiny_cnn(side=8), x=TRAIN.map(lambda a, b: (a[:, :8, :8], b)),
                     validation_data=VAL.map(lambda a, b: (a[:, :8, :8], b))), "COMPARE_SIZE"),
    (lambda: trained(tiny_cnn(activation=None)), "sigmoide"),
    (lambda: _with_application(nested=True), "keras.applications"),
    (lambda: _with_application(nested=False), "keras.applications"),
])
def test_own_cnn_explains_typical_mistakes(monkeypatch, make, expected_text):
    monkeypatch.setenv("CNN_FAST", "1")
    model, history = make()
    feedback = ex.own_cnn.evaluate(model, history, TRAIN, VAL, 0.5, 2)
    assert feedback.status == "incorrect"
    assert expected_text in feedback.message


# --- Ejercicio 5: el bloque residual -----------------------------------------------------------


def conv_bn_relu(x, filters):
    x = layers.Conv2D(filters, 3, padding="same", use_bias=False)(x)
    return layers.ReLU()(layers.BatchNormalization()(x))


def _block(first=conv_bn_relu, conv2=None, bn2=True, project=True, project_bn=True,
           join=lambda shortcut, y: layers.ReLU()(layers.Add()([shortcut, y])), shortcut_last=False):
    """Un bloque residual con una pieza cambiada; sin cambios es el del enunciado."""
    def block(x, filters):
        def shortcut_of(x):
            if project and x.shape[-1] != filters:
                s = layers.Conv2D(filters, 1, use_bias=False)(x)
                return layers.BatchNormalization()(s) if project_bn else s
            return x
        shortcut = None if shortcut_last else shortcut_of(x)
        y = first(x, filters)
        y = (conv2 or (lambda t: layers.Conv2D(filters, 3, padding="same", use_bias=False)(t)))(y)
        y = layers.BatchNormalization()(y) if bn2 else y
        return join(shortcut_of(x) if shortcut_last else shortcut, y)
    return block


def test_residual_block_both_ways():
    solution = _solution_function(ex.residual_block, "x, filters",
                                  {"layers": layers, "conv_bn_relu": conv_bn_relu})
    assert ex.residual_block.evaluate(solution).correct
    assert ex.residual_block.evaluate(_block(shortcut_last=True)).correct  # el atajo, escrito al final
    assert ex.residual_block.evaluate(_block(join=lambda s, y: layers.ReLU()(layers.Add()([y, s])))).correct
    assert ex.residual_block.evaluate(____).status == "not_attempted"
    assert ex.residual_block.evaluate(lambda x, filters: ____).status == "not_attempted"


@pytest.mark.parametrize("wrong, expected_text", [
    (_block(join=lambda s, y: layers.ReLU()(y)), "debería ser Add"),                         # sin atajo ni suma
    (_block(join=lambda s, y: layers.ReLU()(layers.Add()([y, y]))), "el atajo no llega"),
    (_block(join=lambda s, y: layers.Add()([s, layers.ReLU()(y)])), "debería ser Add"),
    (_block(join=lambda s, y: layers.Add()([s, y])), "faltan al final ReLU"),                     # sin ReLU final
    (_block(project=False), "16 → 32), Add recibe dos formas distintas"),             # sin proyección
    (_block(project_bn=False), "16 → 32"),
    (_block(bn2=False), "BatchNormalization"),
    (_block(first=lambda x, f: layers.BatchNormalization()(layers.ReLU()(
        layers.Conv2D(f, 3, padding="same", use_bias=False)(x)))), "debería ser"),   # ReLU antes de BN
    (_block(first=lambda x, f: layers.ReLU()(layers.BatchNormalization()(
        layers.Conv2D(f, 3, padding="same")(x)))), "parámetros"),                  # con sesgo
    (_block(first=lambda x, f: layers.ReLU()(layers.BatchNormalization()(
        layers.Conv2D(f, 5, padding="same", use_bias=False)(x)))), "parámetros"),  # núcleo 5×5
    (_block(conv2=lambda t: layers.Conv2D(t.shape[-1], 3, use_bias=False)(t)), "forma"),  # sin relleno
    (_block(conv2=lambda t: layers.Conv2D(t.shape[-1], 3, padding="same", use_bias=False,
                                          activation="relu")(t)), "activación"),
    (_block(first=lambda x, f: layers.Dropout(0.2)(conv_bn_relu(x, f))), "Dropout"),  # capa de más
    (lambda x, filters: ex.residual_block_reference(x, filters), None),  # envuelta: se acepta
    (ex.residual_block_reference, "versión del curso"),
    (lambda x, filters: keras.Model(x, ex.residual_block_reference(x, filters)), "tensor de salida"),
    (lambda x, filters: x.nonexistent, "nonexistent"),
    # ajustes que ni la forma ni los parámetros delatan, en la BN del camino principal y en la del atajo
    (_block(bn2=False, join=lambda s, y: layers.ReLU()(layers.Add()([s, layers.BatchNormalization(momentum=0.9)(y)]))),
     "momentum=0.9"),
    (_block(bn2=False, join=lambda s, y: layers.ReLU()(layers.Add()([s, layers.BatchNormalization(epsilon=0.1)(y)]))),
     "epsilon=0.1"),
    (_block(project_bn=False, join=lambda s, y: layers.ReLU()(layers.Add()([
        layers.BatchNormalization(momentum=0.9)(s) if s.shape[-1] != 16 else s, y]))), "momentum=0.9"),
    (_block(conv2=lambda t: layers.Conv2D(t.shape[-1], 3, padding="same", use_bias=False,
                                          kernel_regularizer="l2")(t)), "kernel_regularizer"),
    (_block(bn2=False, join=lambda s, y: layers.ReLU()(layers.Add()([
        s, layers.BatchNormalization(gamma_regularizer="l2")(y)]))), "gamma_regularizer"),
    (_block(conv2=lambda t: layers.Conv2D(t.shape[-1], 3, padding="same", use_bias=False, strides=1,
                                          dilation_rate=2)(t)), "dilation_rate"),
])
def test_residual_block_explains_typical_mistakes(wrong, expected_text):
    feedback = ex.residual_block.evaluate(wrong)
    if expected_text is None:
        assert feedback.correct
        return
    assert feedback.status == "incorrect", feedback.message
    assert expected_text in feedback.message


@pytest.mark.parametrize("exercise", [ex.training_batches, ex.residual_block, ex.own_cnn, ex.predict_photo],
                         ids=["training_batches", "residual_block", "own_cnn", "predict_photo"])
def test_the_second_hint_nudges_without_writing_the_solution(exercise):
    """La pista 2 del bloque residual copiaba 19 símbolos seguidos de la solución, la de predict_photo
    la cadena entera de llamadas y la de tu propia CNN la red entera (cuatro bloques, GAP, Dropout,
    programa): la pista orienta, el código lo escribe quien aprende."""
    assert len(exercise.hints) == 2
    assert all(longest_shared_code(hint, exercise.solution_code) < 10 for hint in exercise.hints)


def test_the_pipeline_hint_places_shuffle_without_writing_the_chain():
    """La pista 2 de training_batches escribía la cadena entera (cache().shuffle(…).batch(…).prefetch(…))
    troceada en menos de 10 símbolos seguidos de la solución: ahora dice dónde va shuffle y por qué."""
    hint = ex.training_batches.hints[1]
    assert not re.search(r"\)\s*\.\s*\w+\s*\(", hint), "la pista encadena llamadas: es la solución"
    assert all(word in hint for word in ("shuffle", "cache", "batch", "congela"))
