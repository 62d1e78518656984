"""Nombres de las clases de Fashion-MNIST y CIFAR-10, en inglés (oficiales) y en español."""
from __future__ import annotations

from helpers.datasets.errors import UnknownDatasetError

__all__ = ["CIFAR10_CLASSES", "FASHION_MNIST_CLASSES", "class_names"]

#: Clases oficiales de Fashion-MNIST, en el orden de sus etiquetas 0–9.
FASHION_MNIST_CLASSES = ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                         "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot")

#: Clases oficiales de CIFAR-10, en el orden de sus etiquetas 0–9.
CIFAR10_CLASSES = ("airplane", "automobile", "bird", "cat", "deer",
                   "dog", "frog", "horse", "ship", "truck")

_NAMES = {
    "fashion-mnist": {
        "en": FASHION_MNIST_CLASSES,
        "es": ("Camiseta/top", "Pantalón", "Jersey", "Vestido", "Abrigo",
               "Sandalia", "Camisa", "Zapatilla deportiva", "Bolso", "Botín"),
    },
    "cifar10": {
        "en": CIFAR10_CLASSES,
        "es": ("avión", "automóvil", "pájaro", "gato", "ciervo",
               "perro", "rana", "caballo", "barco", "camión"),
    },
}


def class_names(dataset: str, lang: str = "es") -> list[str]:
    """Nombres de las clases de ``dataset`` en el orden de sus etiquetas, en español o inglés.

    Ejemplo:
        >>> class_names("fashion-mnist")[:3]
        ['Camiseta/top', 'Pantalón', 'Jersey']
        >>> class_names("cifar10", lang="en")[0]
        'airplane'
    """
    if dataset not in _NAMES:
        raise UnknownDatasetError(f"No tengo nombres de clases para '{dataset}'. "
                                  f"Conjuntos con clases: {', '.join(_NAMES)}.")
    if lang not in ("es", "en"):
        raise ValueError(f"Idioma '{lang}' no disponible: usa lang='es' o lang='en'.")
    return list(_NAMES[dataset][lang])
