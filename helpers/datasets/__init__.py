"""Datos del curso: descarga comprobada, réplica sin conexión, lectores y carpetas por clase.

Arrays en memoria:

- ``load_fashion_mnist()`` y ``load_cifar10()`` → ``(x_train, y_train), (x_test, y_test)`` (uint8).
- ``FASHION_MNIST_CLASSES``, ``CIFAR10_CLASSES`` y ``class_names(conjunto, lang="es")``.

Fotos en carpetas por clase (preparadas una vez en ``data/<conjunto>/preparado/``):

- ``cats_and_dogs()``, ``petfaces()``, ``oxford_pets()`` y ``oxford_pets_split_lists()``.
- ``is_test_data(carpeta)``: si es un conjunto sintético de las pruebas (ver ``tools/standin_data.py``).

Todo pasa por ``fetch(conjunto, archivo)``: primero las réplicas de ``CNN_MIRROR`` (carpetas
o direcciones ``http://``), después la caché ``data/`` y, si hace falta, la descarga
reanudable comprobada con la suma oficial (o con la de su primer uso, si no hay oficial). Los
errores son ``DatasetError`` con un mensaje en español que dice qué hacer.

Desde la terminal, ``python -m helpers.datasets replica CARPETA [conjunto …]`` crea una réplica
para un aula sin conexión (ver ``helpers.datasets.replica`` y el README).

Ejemplo:
    >>> from helpers import datasets
    >>> datasets.class_names("cifar10")[:3]
    ['avión', 'automóvil', 'pájaro']
"""
from __future__ import annotations

from helpers.datasets.arrays import load_cifar10, load_fashion_mnist
from helpers.datasets.classes import CIFAR10_CLASSES, FASHION_MNIST_CLASSES, class_names
from helpers.datasets.errors import DatasetError
from helpers.datasets.fetch import fetch
from helpers.datasets.folders import group_by_class
from helpers.datasets.photos import cats_and_dogs, is_test_data, oxford_pets, oxford_pets_split_lists, petfaces
from helpers.datasets.registry import list_datasets

__all__ = [
    "CIFAR10_CLASSES", "FASHION_MNIST_CLASSES", "DatasetError", "cats_and_dogs", "class_names",
    "fetch", "group_by_class", "is_test_data", "list_datasets", "load_cifar10", "load_fashion_mnist",
    "oxford_pets", "oxford_pets_split_lists", "petfaces",
]
