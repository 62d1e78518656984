"""Errores de la capa de datos: una sola línea clara para quien aprende, sin trazas profundas."""
from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


class DatasetError(Exception):
    """Error base de ``helpers.datasets``: el mensaje dice qué pasó y qué hacer."""


class UnknownDatasetError(DatasetError, KeyError):
    """Conjunto de datos o archivo que no está en el registro."""

    def __str__(self) -> str:  # KeyError pondría el mensaje entre comillas
        return str(self.args[0]) if self.args else ""


class MirrorError(DatasetError):
    """La réplica sin conexión (``CNN_MIRROR``) falta, está incompleta o tiene un archivo dañado."""


class ChecksumError(DatasetError):
    """Un archivo descargado no coincide con su suma de verificación oficial."""


class DownloadError(DatasetError):
    """La descarga falló: sin conexión, servidor caído o transferencia interrumpida."""


class DiskFullError(DatasetError):
    """No queda espacio en el disco para guardar o extraer los datos."""


class ArchiveError(DatasetError):
    """Un archivo comprimido está dañado o intenta escribir fuera de su carpeta."""


class FormatError(DatasetError):
    """Un archivo de datos no tiene el formato esperado (IDX, lotes de CIFAR-10)."""


def short_traceback(func: Callable[P, R]) -> Callable[P, R]:
    """Decora una función pública para que sus ``DatasetError`` muestren una traza corta.

    La traza empieza en la función pública en lugar de en los módulos internos,
    y el mensaje en español queda a la vista.

    Ejemplo:
        >>> @short_traceback
        ... def load() -> None:
        ...     raise DatasetError("No encuentro los datos.")
        >>> load()
        Traceback (most recent call last):
        ...
        helpers.datasets.errors.DatasetError: No encuentro los datos.
    """

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except DatasetError as error:
            raise error.with_traceback(None) from None

    return wrapper
