"""Ejercicios del cuaderno 07b (razas de mascotas con TensorFlow/Keras)."""
from __future__ import annotations

import numpy as np

from helpers.exercises.core import Exercise, Incorrect, call_learner_function, choice_checker
from helpers.exercises.nb07a import (
    TOP_K_IDEA,
    check_flatten_features,
    check_loop_values,
    check_top_k_function,
    function_body,
)

__all__ = ["evaluate", "evaluate_reference", "flatten_features", "loss_pairing", "top_k",
           "train_one_epoch", "train_one_epoch_reference"]

flatten_features = Exercise(
    "Entradas de la primera capa densa",
    check_flatten_features,
    hint=("Sigue el lado de la imagen por la red: las Conv2D con padding=\"same\" no lo cambian y "
          "cada MaxPooling2D de 2×2 lo divide entre 2. Flatten pone en fila alto × ancho × canales.",
          "Tras 4 bloques el lado es IMG_SIZE entre 2⁴ (división entera, //). Los canales son los "
          "filtros de la última Conv2D. Multiplica los canales por el lado al cuadrado."),
    solution="flatten_features = 128 * (IMG_SIZE // 16) ** 2",
)


_check_loss_pairing = choice_checker("abcd", {
    "b": "categorical_crossentropy espera etiquetas one-hot (un vector con una posición por raza); "
         "las del cuaderno son índices enteros. Keras se queja de formas incompatibles.",
    "c": "Sin activación, la última capa da logits; la pérdida por defecto los interpreta como "
         "probabilidades. Para logits hace falta from_logits=True.",
    "d": "Con softmax en la salida, from_logits=True aplica softmax otra vez: la pérdida no puede "
         "bajar de un mínimo alto y la red aprende muy despacio.",
})


loss_pairing = Exercise(
    "Salida y pérdida en Keras",
    _check_loss_pairing,
    hint=("Dos preguntas: ¿en qué forma llegan las etiquetas (índices o vectores one-hot)? ¿Qué "
          "da la última capa (probabilidades o logits)? La pérdida debe esperar las dos cosas.",
          "Mira en la documentación de cada pérdida qué forma de etiqueta espera (un entero o un "
          "vector one-hot por foto) y qué significa from_logits, y compáralo con lo que da la red "
          "del cuaderno (pet_cnn_keras) y con las etiquetas de folder_splits."),
    solution='loss_pairing_answer = "a"',
)


def _tf_tensor(array: np.ndarray):
    import tensorflow as tf

    return tf.constant(array)


def _check_top_k(function) -> None:
    check_top_k_function(function, _tf_tensor, "tf.math.in_top_k")


top_k = Exercise(
    "Exactitud top-k con tf.math.in_top_k",
    _check_top_k,
    hint=(TOP_K_IDEA,
          "tf.math.in_top_k ya responde a la pregunta de cada ejemplo (un booleano por fila); mira "
          "en su documentación el orden de sus argumentos y qué tipos exige a cada uno (tf.cast "
          "los convierte). Para la fracción, los booleanos tienen que ser números antes de la "
          "media, y la función devuelve un número de Python, no un tensor."),
    solution="""
hits = tf.math.in_top_k(tf.cast(labels, tf.int32), tf.cast(logits, tf.float32), k)
return float(tf.reduce_mean(tf.cast(hits, tf.float32)))
""",
)


# --- El bucle de entrenamiento con tf.GradientTape (ejercicios 3 y 4) ---------------------


def train_one_epoch_reference(model, dataset, loss_fn, optimizer):
    """Versión del curso de ``train_one_epoch``: una época con ``tf.GradientTape``; da la pérdida media."""
    import tensorflow as tf

    total, seen = 0.0, 0
    for images, labels in dataset:
        with tf.GradientTape() as tape:
            probabilities = model(images, training=True)
            loss = loss_fn(labels, probabilities)
        gradients = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(gradients, model.trainable_variables))
        total += float(loss) * len(labels)
        seen += len(labels)
    return total / seen


def evaluate_reference(model, dataset, loss_fn):
    """Versión del curso de ``evaluate``: pérdida media y exactitud, con ``training=False``."""
    total, correct, seen = 0.0, 0, 0
    for images, labels in dataset:
        probabilities = model(images, training=False)
        total += float(loss_fn(labels, probabilities)) * len(labels)
        correct += int((probabilities.numpy().argmax(axis=1) == labels.numpy()).sum())
        seen += len(labels)
    return total / seen, correct / seen


def _keras_probe():
    """Red, datos y pérdida diminutos que anotan cómo los usa la función del estudiante."""
    import keras
    import tensorflow as tf

    class ModeProbe(keras.layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.calls = []

        def call(self, inputs, training=None):
            self.calls.append(bool(training))
            return inputs

    class ProbeLoss:
        def __init__(self):
            self.batches = []
            self._loss = keras.losses.SparseCategoricalCrossentropy()

        def __call__(self, labels, probabilities):
            loss = self._loss(labels, probabilities)
            self.batches.append((float(loss), int(tf.shape(labels)[0])))
            return loss

    rng = np.random.default_rng(3)
    x = (rng.normal(size=(10, 4)) * 2).astype(np.float32)
    keras.utils.set_random_seed(0)
    probe = ModeProbe()
    model = keras.Sequential([keras.Input((4,)), probe, keras.layers.Dense(3, activation="softmax")])
    # La red acierta exactamente 7 de 10: una exactitud que una cuenta equivocada no da por casualidad.
    y = np.asarray(model(x)).argmax(axis=1)
    y[7:] = (y[7:] + 1) % 3
    probe.calls.clear()            # las llamadas al construir el modelo no cuentan
    return model, probe, tf.data.Dataset.from_tensor_slices((x, y)).batch(4), ProbeLoss, (x, y)


def _same_weights(a, b) -> bool:
    return all(np.allclose(u, v, atol=1e-5) for u, v in zip(a, b, strict=True))


def _check_train_one_epoch(function) -> None:
    import keras

    model, probe, dataset, make_loss, _ = _keras_probe()
    start = model.get_weights()
    loss_fn = make_loss()
    answer = call_learner_function(function, model, dataset, loss_fn, keras.optimizers.SGD(0.5))
    if not probe.calls:
        raise Incorrect("la función no llama a la red: recorre el dataset y calcula model(images, "
                        "training=True) en cada lote.")
    if not all(probe.calls):
        raise Incorrect("llama a la red con model(images, training=True): sin eso, el dropout (y la "
                        "normalización por lotes) se comportan como al evaluar.")
    if _same_weights(model.get_weights(), start):
        raise Incorrect("los pesos no cambian: calcula los gradientes con tape.gradient(loss, "
                        "model.trainable_variables) y aplícalos con optimizer.apply_gradients(zip("
                        "gradients, model.trainable_variables)).")
    reference, _, _, _, _ = _keras_probe()
    reference.set_weights(start)
    expected_fn = make_loss()
    train_one_epoch_reference(reference, dataset, expected_fn, keras.optimizers.SGD(0.5))
    if not _same_weights(model.get_weights(), reference.get_weights()):
        raise Incorrect("los pesos no acaban como con el bucle de referencia. En cada lote: dentro "
                        "de with tf.GradientTape() as tape, la salida y la pérdida; fuera, "
                        "tape.gradient y optimizer.apply_gradients, una vez por lote.")
    check_loop_values(answer, expected_fn.batches)


def _check_evaluate(function) -> None:
    model, probe, dataset, make_loss, (x, _) = _keras_probe()
    start = model.get_weights()
    loss_fn = make_loss()
    answer = call_learner_function(function, model, dataset, loss_fn)
    if not probe.calls:
        raise Incorrect("la función no llama a la red: recorre el dataset y calcula la salida de "
                        "cada lote.")
    if any(probe.calls):
        raise Incorrect("al evaluar, llama a la red con training=False: con training=True el "
                        "dropout sigue apagando neuronas al azar.")
    if not _same_weights(model.get_weights(), start):
        raise Incorrect("evaluate ha cambiado los pesos: al evaluar no se calculan ni se aplican "
                        "gradientes.")
    if not isinstance(answer, (tuple, list)) or len(answer) != 2:
        raise Incorrect("evaluate debe devolver dos números: (pérdida media, exactitud).")
    expected_fn = make_loss()
    _, accuracy = evaluate_reference(model, dataset, expected_fn)
    check_loop_values(answer[0], expected_fn.batches, accuracy=answer[1], correct=round(accuracy * len(x)))


train_one_epoch = Exercise(
    "Una época de entrenamiento con tf.GradientTape",
    _check_train_one_epoch,
    hint=("Una época recorre el dataset una vez. En cada lote, la cinta (tf.GradientTape) graba la "
          "salida y la pérdida; fuera de ella se piden los gradientes y el optimizador los aplica. "
          "La media pesa cada lote por su tamaño (el último puede ser más pequeño).",
          "Vuelve al bucle de la recta del apartado «TensorFlow en cinco minutos»: el paso es el "
          "mismo, lote a lote, con las variables de toda la red. Lo nuevo: llamar a la red en modo "
          "entrenamiento (por el dropout) y acumular la pérdida como número de Python, ponderada por "
          "el tamaño del lote; el divisor final es el número de imágenes vistas."),
    solution=function_body(train_one_epoch_reference),
)

evaluate = Exercise(
    "Evaluar un modelo de Keras a mano",
    _check_evaluate,
    hint=("Evaluar es recorrer los datos sin aprender: sin cinta, sin gradientes y con la red en "
          "modo evaluación (sin dropout). Acumula la pérdida, ponderada por el tamaño de cada lote, y "
          "el número de aciertos.",
          "Llama a la red con training=False. Un acierto es que la clase con más probabilidad "
          "(argmax en axis=1, sobre .numpy()) sea la etiqueta: suma los aciertos de todos los lotes. "
          "Divide la pérdida acumulada y los aciertos entre las imágenes vistas."),
    solution=function_body(evaluate_reference),
)
