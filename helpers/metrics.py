"""Métricas de clasificación comunes a PyTorch y Keras: exactitud top-k y errores por clase.

``top_k_accuracy`` acepta tensores de PyTorch (usa ``torch.topk``), tensores de TensorFlow
(usa ``tf.math.in_top_k``) o arrays de NumPy; las tres vías dan el mismo número.

Ejemplo:
    >>> import numpy as np
    >>> scores = np.array([[0.1, 0.5, 0.4], [0.7, 0.2, 0.1]])
    >>> top_k_accuracy(scores, np.array([2, 2]), k=2)   # la 1.ª acierta en su top-2; la 2.ª no
    0.5
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

__all__ = ["confused_pairs", "per_class_accuracy", "top_k_accuracy"]


def _framework(tensor: Any) -> str:
    """'torch', 'tensorflow' o 'numpy', sin importar ningún framework."""
    module = type(tensor).__module__
    if module.startswith("torch"):
        return "torch"
    if module.startswith(("tensorflow", "tf_keras")):
        return "tensorflow"
    return "numpy"


def top_k_accuracy(scores: Any, labels: Any, k: int = 3) -> float:
    """Fracción de ejemplos cuya clase correcta está entre las ``k`` puntuaciones más altas.

    ``scores`` tiene forma ``(N, clases)`` (logits o probabilidades: el orden es el mismo) y
    ``labels`` los índices de clase ``(N,)``. Con ``k=1`` es la exactitud de siempre.

    Ejemplo:
        >>> import numpy as np
        >>> top_k_accuracy(np.eye(3), np.array([0, 1, 0]), k=1)
        0.6666666666666666
    """
    if k < 1:
        raise ValueError(f"k debe ser al menos 1; es {k}.")
    kind = _framework(scores)
    if kind == "torch":
        import torch

        top = torch.topk(scores, k, dim=1).indices
        return (top == labels.view(-1, 1)).any(dim=1).float().mean().item()
    if kind == "tensorflow":
        import tensorflow as tf

        hits = tf.math.in_top_k(tf.cast(labels, tf.int32), tf.cast(scores, tf.float32), k)
        return float(tf.reduce_mean(tf.cast(hits, tf.float32)).numpy())
    scores, labels = np.asarray(scores), np.asarray(labels)
    # Como tf.math.in_top_k: la clase correcta entra si menos de k clases puntúan más que ella.
    correct = scores[np.arange(len(labels)), labels]
    return float(((scores > correct[:, None]).sum(axis=1) < k).mean())


def per_class_accuracy(labels: Sequence[int], predictions: Sequence[int], n_classes: int) -> np.ndarray:
    """Exactitud de cada clase: aciertos / ejemplos de esa clase (``nan`` si no tiene ejemplos).

    Ejemplo:
        >>> per_class_accuracy([0, 0, 1, 1], [0, 1, 1, 1], 2).tolist()
        [0.5, 1.0]
    """
    labels, predictions = np.asarray(labels), np.asarray(predictions)
    totals = np.bincount(labels, minlength=n_classes).astype(float)
    hits = np.bincount(labels[labels == predictions], minlength=n_classes)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(totals > 0, hits / totals, np.nan)


def confused_pairs(labels: Sequence[int], predictions: Sequence[int], class_names: Sequence[str],
                   top: int = 10) -> list[tuple[str, str, int]]:
    """Las ``top`` confusiones más frecuentes: ``(clase real, clase predicha, veces)``.

    Ejemplo:
        >>> confused_pairs([0, 0, 1, 2], [1, 1, 0, 2], ["gato", "lince", "perro"])
        [('gato', 'lince', 2), ('lince', 'gato', 1)]
    """
    labels, predictions = np.asarray(labels), np.asarray(predictions)
    wrong = labels != predictions
    pairs, counts = np.unique(np.stack([labels[wrong], predictions[wrong]], axis=1), axis=0,
                              return_counts=True)
    order = np.argsort(-counts, kind="stable")[:top]
    return [(class_names[pairs[i, 0]], class_names[pairs[i, 1]], int(counts[i])) for i in order]
