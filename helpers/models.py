"""Las redes pequeñas que enseña el curso, guardadas una vez para que los cuadernos siguientes las reutilicen.

El cuaderno 07a presenta ``pet_cnn_torch`` (PyTorch) y el 07b ``pet_cnn_keras`` (Keras): cuatro
bloques convolución 3×3 + ReLU + *max-pooling* 2×2 (32 → 64 → 128 → 128 filtros), ``Flatten``,
una capa densa de 256 neuronas con *dropout* y una salida por clase. Los cuadernos 08a y 08b
las importan de aquí. ``count_trainable`` cuenta los parámetros que el optimizador va a
cambiar, en los dos marcos.

Ejemplo:
    >>> model = pet_cnn_torch(n_classes=37, image_size=64)
    >>> count_trainable(model)
    774885
"""
from __future__ import annotations

from typing import Any

__all__ = ["FILTERS", "conv_block_torch", "count_trainable", "pet_cnn_keras", "pet_cnn_torch"]

#: Filtros de los cuatro bloques convolucionales.
FILTERS = (32, 64, 128, 128)


def conv_block_torch(in_channels: int, out_channels: int):
    """Convolución 3×3 (conserva el tamaño) + ReLU + *max-pooling* 2×2 (lo divide entre 2).

    Ejemplo:
        >>> import torch
        >>> tuple(conv_block_torch(3, 32)(torch.zeros(1, 3, 64, 64)).shape)
        (1, 32, 32, 32)
    """
    from torch import nn

    return nn.Sequential(nn.Conv2d(in_channels, out_channels, 3, padding=1), nn.ReLU(),
                         nn.MaxPool2d(2))


def pet_cnn_torch(n_classes: int, image_size: int):
    """CNN de 4 bloques (cuaderno 07a) para imágenes RGB de ``image_size`` píxeles; da **logits**.

    Espera lotes ``(N, 3, image_size, image_size)`` con valores en [0, 1] y devuelve
    ``(N, n_classes)`` sin softmax: la pérdida ``nn.CrossEntropyLoss`` lo aplica por dentro.

    Ejemplo:
        >>> import torch
        >>> tuple(pet_cnn_torch(5, 64)(torch.zeros(2, 3, 64, 64)).shape)
        (2, 5)
    """
    from torch import nn

    channels = (3, *FILTERS)
    return nn.Sequential(
        *[conv_block_torch(c_in, c_out) for c_in, c_out in zip(channels, channels[1:], strict=False)],
        nn.Flatten(),
        nn.Dropout(0.3),
        nn.Linear(FILTERS[-1] * (image_size // 2 ** len(FILTERS)) ** 2, 256), nn.ReLU(),
        nn.Dropout(0.3),
        nn.Linear(256, n_classes),  # sin softmax: logits
    )


def pet_cnn_keras(n_classes: int, image_size: int, augmentation: Any = None):
    """CNN de 4 bloques (cuaderno 07b) para imágenes RGB de ``image_size`` píxeles; da **probabilidades**.

    Espera píxeles en 0–255 (los escala una capa ``Rescaling``) con los canales al final y
    termina en *softmax*, para ``sparse_categorical_crossentropy``. ``augmentation``, si se da,
    es un modelo o capa de aumento de datos que se aplica antes (solo al entrenar).

    Ejemplo:
        >>> model = pet_cnn_keras(5, 64)
        >>> model.output_shape
        (None, 5)
    """
    import keras
    from keras import layers

    blocks = []
    for filters in FILTERS:
        blocks += [layers.Conv2D(filters, 3, padding="same", activation="relu"), layers.MaxPooling2D()]
    return keras.Sequential([
        keras.Input(shape=(image_size, image_size, 3)),
        *([augmentation] if augmentation is not None else []),
        layers.Rescaling(1 / 255),
        *blocks,
        layers.Flatten(),
        layers.Dropout(0.3),
        layers.Dense(256, activation="relu"),
        layers.Dropout(0.3),
        layers.Dense(n_classes, activation="softmax"),
    ], name="pet_cnn")


def count_trainable(model: Any) -> int:
    """Número de parámetros que el optimizador va a cambiar (PyTorch o Keras).

    En PyTorch, los que tienen ``requires_grad``; en Keras, los de ``trainable_weights``.

    Ejemplo:
        >>> import torch
        >>> layer = torch.nn.Linear(4, 2)
        >>> count_trainable(layer), count_trainable(layer.requires_grad_(False))
        (10, 0)
    """
    if hasattr(model, "trainable_weights"):
        import math

        return int(sum(math.prod(w.shape) for w in model.trainable_weights))
    return sum(p.numel() for p in model.parameters() if p.requires_grad)
