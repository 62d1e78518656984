"""Ejercicios del cuaderno 07a (razas de mascotas con PyTorch).

``check_flatten_features`` y ``check_top_k_function`` sirven también al cuaderno 07b (Keras).
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from helpers.exercises.core import (Exercise, Incorrect, as_count, call_learner_function,
                                    choice_checker)
from helpers.metrics import top_k_accuracy

__all__ = ["check_flatten_features", "check_top_k_function", "flatten_features", "loss_pairing",
           "top_k"]


def check_flatten_features(features, image_size, blocks: int = 4, channels: int = 128) -> None:
    """Entradas de la primera capa densa tras ``blocks`` bloques conv + max-pooling de 2×2."""
    answer = as_count(features, "flatten_features")
    side = int(image_size) // 2 ** blocks
    expected = channels * side * side
    if answer == expected:
        return
    known = {
        int(image_size) ** 2 * channels: "cada max-pooling de 2×2 divide el lado entre 2: tras "
                                         f"{blocks} bloques, el lado es {image_size} // {2 ** blocks}.",
        channels * (int(image_size) // 2 ** (blocks - 1)) ** 2: f"cuenta los {blocks} max-pooling, "
                                                                 "no solo los tres primeros.",
        3 * side * side: f"la última convolución tiene {channels} filtros: son {channels} canales, "
                         "no 3.",
        channels * side: "Flatten pone en fila canales × alto × ancho: el lado va al cuadrado.",
    }
    raise Incorrect(f"{answer} no es correcto; " + known.get(
        answer, f"multiplica canales ({channels}) × alto × ancho del mapa final."))


def check_top_k_function(function: Callable, to_framework: Callable[[np.ndarray], Any]) -> None:
    """Compara la función del estudiante con ``helpers.metrics.top_k_accuracy`` en datos aleatorios.

    ``to_framework`` convierte los arrays de NumPy al tipo que espera la función (tensores).
    """
    rng = np.random.default_rng(7)
    for k, n_classes in [(1, 5), (3, 35), (5, 10)]:
        logits = rng.normal(size=(64, n_classes)).astype(np.float32)
        labels = rng.integers(0, n_classes, size=64)
        answer = call_learner_function(function, to_framework(logits), to_framework(labels), k)
        try:
            value = float(answer)
        except (TypeError, ValueError):
            raise Incorrect(f"la función debe devolver un número (la fracción de aciertos); "
                            f"devolvió {type(answer).__name__}.") from None
        expected = top_k_accuracy(logits, labels, k)
        if np.isclose(value, expected * len(labels)):
            raise Incorrect("devuelves el número de aciertos; divide entre el número de ejemplos "
                            "para obtener una fracción.")
        if np.isclose(value, top_k_accuracy(logits, labels, 1)) and k > 1:
            raise Incorrect(f"con k={k} devuelves la exactitud top-1: ¿usas k al elegir las clases?")
        if not np.isclose(value, expected, atol=1e-6):
            raise Incorrect(f"con k={k} y {n_classes} clases devuelves {value:.4f}; lo correcto es "
                            f"{expected:.4f}.")


def _torch_tensor(array: np.ndarray):
    import torch

    return torch.from_numpy(array)


flatten_features = Exercise(
    "Entradas de la primera capa densa",
    check_flatten_features,
    hint="Cada bloque termina en un max-pooling de 2×2 que divide el lado entre 2. Tras 4 bloques "
         "el mapa mide IMG_SIZE // 16 de lado y tiene 128 canales (los filtros de la última "
         "convolución).",
    solution="flatten_features = 128 * (IMG_SIZE // 16) ** 2",
)


_check_loss_pairing = choice_checker("abcd", {
    "a": "Softmax + CrossEntropyLoss aplica softmax dos veces (CrossEntropyLoss ya lo hace por "
         "dentro): las salidas quedan entre 0 y 1, la pérdida no puede bajar de un mínimo alto y "
         "la red aprende muy despacio.",
    "c": "NLLLoss espera log-probabilidades (la salida de log_softmax), no logits: con logits la "
         "pérdida puede hacerse negativa y no significa nada.",
    "d": "CrossEntropyLoss espera índices de clase (o probabilidades por clase), y las etiquetas de "
         "ImageFolder ya son índices: no hace falta one-hot, y one-hot con el tipo entero falla.",
})


loss_pairing = Exercise(
    "Salida y pérdida en PyTorch",
    _check_loss_pairing,
    hint="nn.CrossEntropyLoss combina log_softmax y NLLLoss en una sola operación, más estable "
         "numéricamente. ¿Qué debe dar entonces la última capa?",
    solution='loss_pairing_answer = "b"',
)


def _check_top_k(function) -> None:
    check_top_k_function(function, _torch_tensor)


top_k = Exercise(
    "Exactitud top-k con torch.topk",
    _check_top_k,
    hint="torch.topk(logits, k, dim=1).indices da, por fila, los índices de las k clases con "
         "más puntuación (forma (N, k)). Compáralos con labels.view(-1, 1) (forma (N, 1)), mira "
         "si alguno coincide con .any(dim=1) y haz la media de esos aciertos como float.",
    solution="""
top = torch.topk(logits, k, dim=1).indices
hits = (top == labels.view(-1, 1)).any(dim=1)
return hits.float().mean().item()
""",
)
