"""Ejercicios del cuaderno 08b (aprendizaje por transferencia con Keras).

``group_by_breed`` y ``fine_tuning`` son los mismos ejercicios que en el 08a (PyTorch).
"""
from __future__ import annotations

import numpy as np

from helpers.exercises.core import Exercise, Incorrect, ModelSpec, call_learner_function
from helpers.exercises.nb07a import function_body
from helpers.exercises.nb08a import check_dropout_rates, describe_blocks, fine_tuning, group_by_breed

__all__ = ["feature_extraction", "feature_extraction_head_reference", "fine_tuning",
           "group_by_breed", "preprocess", "unfreeze_from", "unfreeze_from_reference"]


def _check_preprocess(function) -> None:
    rng = np.random.default_rng(5)
    pixels = (rng.random((2, 6, 5, 3)) * 255).astype(np.float32)
    answer = np.asarray(call_learner_function(function, pixels.copy()), dtype=np.float64)
    if answer.shape != pixels.shape:
        raise Incorrect(f"preprocess debe devolver la misma forma que recibe {pixels.shape}; "
                        f"devolvió {answer.shape}.")
    if np.allclose(answer, pixels / 255, atol=1e-4):
        raise Incorrect("eso deja los píxeles en [0, 1]; la MobileNetV2 de Keras se entrenó con "
                        "valores en [−1, 1].")
    if not np.allclose(answer, pixels / 127.5 - 1, atol=1e-4):
        raise Incorrect(f"los valores deberían ir de −1 a 1; los tuyos van de {answer.min():.2f} a "
                        f"{answer.max():.2f}. (La media y desviación de ImageNet son la receta de "
                        "torchvision, no la de esta red de Keras).")


preprocess = Exercise(
    "El preprocesado de MobileNetV2 en Keras",
    _check_preprocess,
    hint=("Es una recta: el 0 debe ir a −1 y el 255 a 1.",
          "Primero lleva 0–255 a 0–2 con una división y después desplaza el resultado; es lo "
          "que hace keras.applications.mobilenet_v2.preprocess_input."),
    solution="return images / 127.5 - 1",
)


# --- Congelar, cambiar la cabeza y descongelar (ejercicios 3 y 5) ---------------------------


def feature_extraction_head_reference(base, n_classes):
    """Versión del curso: congela ``base`` y devuelve una cabeza nueva que da **logits**."""
    import keras
    from keras import layers

    base.trainable = False
    return keras.Sequential([
        keras.Input(shape=base.output_shape[1:]), layers.GlobalAveragePooling2D(),
        layers.Dropout(0.2), layers.Dense(n_classes)], name="head")


def unfreeze_from_reference(base, first_layer):
    """Versión del curso: descongela ``base`` desde la capa ``first_layer``, sin las BatchNormalization."""
    from keras import layers

    base.trainable = True
    unfrozen = False
    for layer in base.layers:
        unfrozen = unfrozen or layer.name == first_layer
        layer.trainable = unfrozen and not isinstance(layer, layers.BatchNormalization)
    return base


def _small_base():
    """Base de MobileNetV2 de Keras con pesos al azar y la entrada más pequeña (32 × 32)."""
    import keras

    return keras.applications.MobileNetV2(input_shape=(32, 32, 3), include_top=False, weights=None)


def _trainable_layers(base) -> set[str]:
    """Capas de ``base`` cuyos pesos va a cambiar el optimizador (según ``base.trainable_weights``)."""
    owners = {id(w): layer.name for layer in base.layers for w in layer.weights}
    return {owners[id(w)] for w in base.trainable_weights if id(w) in owners}


def _check_feature_extraction(function) -> None:
    import keras

    n_classes = 5
    base = _small_base()
    head = call_learner_function(function, base, n_classes)
    if base.trainable_weights:
        raise Incorrect("la base sigue entrenable: congélala con base.trainable = False (todas sus "
                        "capas a la vez).")
    if not isinstance(head, keras.Model):
        raise Incorrect("la función debe devolver la cabeza, un keras.Sequential que empieza con "
                        "keras.Input(shape=base.output_shape[1:]).")
    last = head.layers[-1]
    if getattr(getattr(last, "activation", None), "__name__", None) == "softmax":
        raise Incorrect("la última Dense lleva softmax: aquí la cabeza da logits (sin activación). "
                        "Grad-CAM necesita la puntuación antes del softmax, y la pérdida se compila "
                        "con from_logits=True.")
    reference = feature_extraction_head_reference(_small_base(), n_classes)
    ModelSpec.of(reference).check(head)
    check_dropout_rates(head, reference, "usa layers.Dropout(0.2), la tasa del enunciado")


def _check_unfreeze(function) -> None:
    from keras import layers

    first_layer = "block_13_expand"
    base = _small_base()
    base.trainable = False                      # como queda tras la extracción de características
    result = call_learner_function(function, base, first_layer)
    if result is not base:
        raise Incorrect("la función debe devolver la base que recibe (return base).")
    names = [layer.name for layer in base.layers]
    start = names.index(first_layer)
    with_weights = [layer for layer in base.layers if layer.weights]
    expected = {layer.name for layer in with_weights if names.index(layer.name) >= start
                and not isinstance(layer, layers.BatchNormalization)}
    trainable = _trainable_layers(base)
    if not trainable:
        raise Incorrect("no hay nada entrenable: con base.trainable = False, Keras ignora lo que "
                        "digan sus capas. Pon base.trainable = True y después elige capa a capa.")
    normalization = {n for n in trainable if isinstance(base.get_layer(n), layers.BatchNormalization)}
    if normalization:
        raise Incorrect(f"has descongelado capas BatchNormalization ({describe_blocks(normalization, 3)}): "
                        "déjalas congeladas para que sigan usando las estadísticas de ImageNet "
                        "(modo evaluación); con lotes pequeños, recalcularlas estropea la base.")
    early = {n for n in trainable if names.index(n) < start}
    if early:
        raise Incorrect(f"has descongelado capas anteriores a {first_layer} "
                        f"({describe_blocks(early, 3)}): los primeros bloques siguen congelados.")
    missing = expected - trainable
    if missing:
        raise Incorrect(f"siguen congeladas capas desde {first_layer} ({describe_blocks(missing, 3)}): "
                        "descongela todas las que vienen a partir de ella (salvo las "
                        "BatchNormalization).")


feature_extraction = Exercise(
    "Congelar la base y poner una cabeza nueva",
    _check_feature_extraction,
    hint=("Congelar la base es un solo atributo del modelo entero; la cabeza es un "
          "keras.Sequential con la media por canal, el dropout y una capa de salida sin softmax.",
          "El atributo se llama trainable. En keras.layers, la media de cada canal la hace una "
          "capa de la familia Global…Pooling2D, y la capa de salida sin activation da logits. La "
          "entrada de la cabeza tiene la forma de la salida de la base sin el eje del lote."),
    solution=function_body(feature_extraction_head_reference),
)

unfreeze_from = Exercise(
    "Descongelar los últimos bloques",
    _check_unfreeze,
    hint=("Primero la base entera vuelve a ser entrenable (si no, Keras ignora lo que digan sus "
          "capas); después decides capa a capa, en orden.",
          "Recorre base.layers con una variable que se vuelve True al encontrar "
          "layer.name == first_layer; cada layer.trainable depende de esa variable y de "
          "isinstance(layer, layers.BatchNormalization)."),
    solution=function_body(unfreeze_from_reference),
)
