"""Conjuntos que caben en memoria como arrays NumPy: Fashion-MNIST y CIFAR-10."""
from __future__ import annotations

import numpy as np

from helpers.datasets.errors import FormatError, short_traceback
from helpers.datasets.fetch import fetch
from helpers.datasets.readers import read_cifar10, read_idx

__all__ = ["load_cifar10", "load_fashion_mnist"]

Split = tuple[np.ndarray, np.ndarray]


def _fashion_split(prefix: str) -> Split:
    """Lee imágenes y etiquetas de una partición de Fashion-MNIST (``train`` o ``t10k``)."""
    images = read_idx(fetch("fashion-mnist", f"{prefix}-images-idx3-ubyte.gz"))
    labels = read_idx(fetch("fashion-mnist", f"{prefix}-labels-idx1-ubyte.gz"))
    if images.ndim != 3 or images.dtype != np.uint8 or labels.shape != (len(images),):
        raise FormatError(f"Los archivos '{prefix}' de Fashion-MNIST no casan: imágenes {images.shape}, "
                          f"etiquetas {labels.shape}.")
    return images, labels


@short_traceback
def load_fashion_mnist() -> tuple[Split, Split]:
    """Carga Fashion-MNIST: ``(x_train, y_train), (x_test, y_test)`` como arrays uint8.

    Formas: ``(60000, 28, 28)``, ``(60000,)``, ``(10000, 28, 28)``, ``(10000,)``; etiquetas 0–9
    (nombres en ``class_names("fashion-mnist")``). Usa la réplica ``CNN_MIRROR``, la caché o
    descarga los archivos oficiales comprobados.

    Ejemplo:
        >>> (x_train, y_train), (x_test, y_test) = load_fashion_mnist()  # doctest: +SKIP
        >>> x_train.shape, y_train[:5]                                    # doctest: +SKIP
        ((60000, 28, 28), array([9, 0, 0, 3, 0], dtype=uint8))
    """
    return _fashion_split("train"), _fashion_split("t10k")


@short_traceback
def load_cifar10() -> tuple[Split, Split]:
    """Carga CIFAR-10: ``(x_train, y_train), (x_test, y_test)`` como arrays uint8.

    Formas: ``(50000, 32, 32, 3)``, ``(50000,)``, ``(10000, 32, 32, 3)``, ``(10000,)``
    (canales al final, como ``keras.datasets.cifar10``); etiquetas 0–9 (nombres en
    ``class_names("cifar10")``). El archivo se comprueba antes de leer sus pickles.

    Ejemplo:
        >>> (x_train, y_train), (x_test, y_test) = load_cifar10()  # doctest: +SKIP
        >>> x_train.shape, x_train.dtype                            # doctest: +SKIP
        ((50000, 32, 32, 3), dtype('uint8'))
    """
    return read_cifar10(fetch("cifar10", "cifar-10-python.tar.gz"))
