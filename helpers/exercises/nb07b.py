"""Ejercicios del cuaderno 07b (razas de mascotas con TensorFlow/Keras)."""
from __future__ import annotations

import numpy as np

from helpers.exercises.core import Exercise, choice_checker
from helpers.exercises.nb07a import check_flatten_features, check_top_k_function

__all__ = ["flatten_features", "loss_pairing", "top_k"]

flatten_features = Exercise(
    "Entradas de la primera capa densa",
    check_flatten_features,
    hint="Cada bloque termina en un MaxPooling2D de 2×2 que divide el lado entre 2. Tras 4 "
         "bloques el mapa mide IMG_SIZE // 16 de lado y tiene 128 canales (los filtros de la "
         "última Conv2D).",
    solution="flatten_features = 128 * (IMG_SIZE // 16) ** 2",
)


_check_loss_pairing = choice_checker("abcd", {
    "b": "categorical_crossentropy espera etiquetas one-hot (un vector de 37 por foto); "
         "image_dataset_from_directory da índices enteros (label_mode=\"int\"). Keras se queja de "
         "formas incompatibles.",
    "c": "Sin activación, la última capa da logits; la pérdida por defecto los interpreta como "
         "probabilidades. Para logits hace falta from_logits=True.",
    "d": "Con softmax en la salida, from_logits=True aplica softmax otra vez: la pérdida no puede "
         "bajar de un mínimo alto y la red aprende muy despacio.",
})


loss_pairing = Exercise(
    "Salida y pérdida en Keras",
    _check_loss_pairing,
    hint="image_dataset_from_directory da etiquetas enteras (0, 1, …, 34). ¿Qué pérdida acepta "
         "índices, y qué espera por defecto: probabilidades o logits?",
    solution='loss_pairing_answer = "a"',
)


def _tf_tensor(array: np.ndarray):
    import tensorflow as tf

    return tf.constant(array)


def _check_top_k(function) -> None:
    check_top_k_function(function, _tf_tensor)


top_k = Exercise(
    "Exactitud top-k con tf.math.in_top_k",
    _check_top_k,
    hint="tf.math.in_top_k(targets, predictions, k) devuelve, por ejemplo, True si la clase "
         "correcta está entre las k con más puntuación. Las etiquetas deben ser int32 y las "
         "puntuaciones float32; convierte los aciertos con tf.cast(…, tf.float32) y haz la media "
         "con tf.reduce_mean.",
    solution="""
hits = tf.math.in_top_k(tf.cast(labels, tf.int32), tf.cast(logits, tf.float32), k)
return float(tf.reduce_mean(tf.cast(hits, tf.float32)))
""",
)
