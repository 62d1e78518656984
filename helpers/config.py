"""Configuración visible del curso: modo rápido, carpeta de datos y réplica sin conexión.

Todo se controla con variables de entorno, para que funcione igual en JupyterLab,
Colab, Kaggle y CI:

- ``CNN_FAST=1``: modo rápido (menos épocas, subconjuntos de datos, imágenes más pequeñas).
- ``CNN_DATA_DIR``: carpeta de caché de descargas (por defecto ``data/`` del repositorio).
- ``CNN_MIRROR``: carpeta(s) con una réplica sin conexión de los datos (ver README).
- ``CNN_HEADLESS=1`` (o ``CI``): ejecución automática, sin nadie mirando; los cuadernos no
  abren paneles interactivos como TensorBoard.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

REPO_ROOT = Path(__file__).resolve().parent.parent
_TRUE = {"1", "true", "yes", "si", "sí", "on"}


def fast_mode() -> bool:
    """Indica si el modo rápido está activo (``CNN_FAST=1``).

    Ejemplo:
        >>> fast_mode() in (True, False)
        True
    """
    return os.environ.get("CNN_FAST", "").strip().lower() in _TRUE


def pick(full: T, fast: T) -> T:
    """Devuelve ``fast`` en modo rápido y ``full`` en modo completo.

    Así el cuaderno usa los mismos nombres en ambos modos.

    Ejemplo:
        >>> EPOCHS = pick(full=30, fast=1)
        >>> EPOCHS in (30, 1)
        True
    """
    return fast if fast_mode() else full


def data_dir() -> Path:
    """Carpeta donde se guardan las descargas (``CNN_DATA_DIR`` o ``data/``).

    Dentro del repositorio es ``<repositorio>/data``; instalado como paquete
    (Colab, Kaggle), ``./data`` en la carpeta de trabajo.

    Ejemplo:
        >>> data_dir().name
        'data'
    """
    configured = os.environ.get("CNN_DATA_DIR")
    if configured:
        return Path(configured).expanduser().resolve()
    if (REPO_ROOT / "pyproject.toml").is_file() and (REPO_ROOT / "solutions").is_dir():
        return REPO_ROOT / "data"
    return Path.cwd() / "data"


def mirror_dirs() -> list[Path]:
    """Carpetas de réplica sin conexión (``CNN_MIRROR``), en orden de búsqueda; ``[]`` si no hay.

    Como ``PATH``, ``CNN_MIRROR`` admite varias carpetas separadas por ``:`` (``;`` en Windows):
    la primera que tiene un archivo es la que lo da.

    Ejemplo:
        >>> mirrors = mirror_dirs()   # con CNN_MIRROR=/replica:/otra, [Path('/replica'), Path('/otra')]
    """
    configured = os.environ.get("CNN_MIRROR", "")
    return [Path(part.strip()).expanduser().resolve()
            for part in configured.split(os.pathsep) if part.strip()]


def interactive() -> bool:
    """Indica si hay una persona mirando el cuaderno (falso en CI y en ``make test``/``make bench``).

    Los cuadernos lo usan para no abrir servidores (como TensorBoard) en ejecuciones automáticas.

    Ejemplo:
        >>> interactive() in (True, False)
        True
    """
    return not any(os.environ.get(name, "").strip().lower() in _TRUE for name in ("CNN_HEADLESS", "CI"))
