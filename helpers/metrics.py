"""Métricas de clasificación comunes a PyTorch y Keras: matriz de confusión, top-k y errores por clase.

Las etiquetas pueden ser listas, arrays de NumPy o tensores, como vector de clases (N,), columna
(N, 1) o one-hot/probabilidades (N, K); ``confusion_matrix`` las limpia igual para todas.

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

__all__ = ["confused_pairs", "confusion_matrix", "per_class_accuracy", "top_k_accuracy"]


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


def _to_numpy(values: Any) -> np.ndarray:
    """Convierte listas, tensores de PyTorch/TensorFlow o variables de Keras en arrays de NumPy."""
    if hasattr(values, "detach"):  # tensor de PyTorch (quizá con gradiente o en GPU)
        values = values.detach().cpu()
    return np.asarray(values)


def _as_class_indices(y: Any, name: str) -> np.ndarray:
    """Etiquetas enteras 1D; one-hot o probabilidades (N, K) se convierten con argmax."""
    y = _to_numpy(y)
    if y.ndim == 2:  # (N, 1) como y_train de CIFAR-10 en Keras, o one-hot/probabilidades (N, K)
        y = y[:, 0] if y.shape[1] == 1 else y.argmax(axis=1)
    if y.ndim != 1:
        raise ValueError(
            f"{name} debe ser un vector de clases (N,) o una matriz (N, clases); recibí forma "
            f"{y.shape}."
        )
    if y.size and not np.all(np.equal(np.mod(y, 1), 0)):
        raise ValueError(f"{name} debe contener números de clase enteros (0, 1, 2…).")
    return y.astype(np.int64)


def confusion_matrix(y_true: Any, y_pred: Any, n_classes: int) -> np.ndarray:
    """Cuenta aciertos y errores: ``cm[i, j]`` = ejemplos de clase real ``i`` predichos como ``j``.

    Parámetros:
        y_true: clases reales (N,) (o one-hot (N, K)).
        y_pred: clases predichas (N,) (o probabilidades (N, K), se toma la mayor).
        n_classes: número de clases.

    Devuelve:
        Una matriz de enteros (n_classes, n_classes); las filas son las clases reales.

    Ejemplo:
        >>> confusion_matrix([0, 1, 1, 2], [0, 1, 2, 2], n_classes=3)
        array([[1, 0, 0],
               [0, 1, 1],
               [0, 0, 1]])
    """
    true = _as_class_indices(y_true, "y_true")
    pred = _as_class_indices(y_pred, "y_pred")
    if true.shape != pred.shape:
        raise ValueError(
            f"y_true tiene {true.size} etiquetas e y_pred {pred.size}: deben tener la misma "
            "longitud."
        )
    if isinstance(n_classes, bool) or not isinstance(n_classes, (int, np.integer)) or n_classes < 1:
        raise ValueError(f"n_classes debe ser un entero >= 1; recibí {n_classes!r}.")
    for name, y in (("y_true", true), ("y_pred", pred)):
        if y.size and (y.min() < 0 or y.max() >= n_classes):
            raise ValueError(
                f"{name} contiene clases fuera de rango (de {y.min()} a {y.max()}); "
                f"con n_classes={n_classes} deben ir de 0 a {n_classes - 1}."
            )
    counts = np.bincount(true * n_classes + pred, minlength=n_classes * n_classes)
    return counts.reshape(n_classes, n_classes)


def per_class_accuracy(labels: Any, predictions: Any, n_classes: int) -> np.ndarray:
    """Exactitud de cada clase: aciertos / ejemplos de esa clase (``nan`` si no tiene ejemplos).

    Es la diagonal de ``confusion_matrix`` dividida por el total de cada fila; acepta las mismas
    etiquetas que ella.

    Ejemplo:
        >>> per_class_accuracy([0, 0, 1, 1], [0, 1, 1, 1], 2).tolist()
        [0.5, 1.0]
    """
    cm = confusion_matrix(labels, predictions, n_classes)
    totals = cm.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(totals > 0, np.diag(cm) / totals, np.nan)


def confused_pairs(labels: Any, predictions: Any, class_names: Sequence[str],
                   top: int = 10) -> list[tuple[str, str, int]]:
    """Las ``top`` confusiones más frecuentes: ``(clase real, clase predicha, veces)``.

    Son las celdas fuera de la diagonal de ``confusion_matrix``, de mayor a menor (a igualdad,
    en el orden de las clases).

    Ejemplo:
        >>> confused_pairs([0, 0, 1, 2], [1, 1, 0, 2], ["gato", "lince", "perro"])
        [('gato', 'lince', 2), ('lince', 'gato', 1)]
    """
    cm = confusion_matrix(labels, predictions, len(class_names))
    np.fill_diagonal(cm, 0)
    counts = cm.ravel()
    order = [i for i in np.argsort(-counts, kind="stable")[:top] if counts[i] > 0]
    n = len(class_names)
    return [(class_names[i // n], class_names[i % n], int(counts[i])) for i in order]
