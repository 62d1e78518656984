"""Ejercicios del cuaderno 08b (aprendizaje por transferencia con Keras).

``group_by_breed`` y ``fine_tuning`` son los mismos ejercicios que en el 08a (PyTorch).
"""
from __future__ import annotations

import numpy as np

from helpers.exercises.core import Exercise, Incorrect, call_learner_function
from helpers.exercises.nb08a import fine_tuning, group_by_breed

__all__ = ["fine_tuning", "group_by_breed", "preprocess"]


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
    hint="0 debe ir a −1 y 255 a 1: divide entre 127,5 y resta 1 (es lo que hace "
         "keras.applications.mobilenet_v2.preprocess_input).",
    solution="return images / 127.5 - 1",
)
