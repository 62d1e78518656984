"""Configuración visible del curso: modo rápido, carpeta de datos y réplica sin conexión.

Todo se controla con variables de entorno, para que funcione igual en JupyterLab,
Colab, Kaggle y CI:

- ``CNN_FAST=1``: modo rápido (menos épocas, subconjuntos de datos, imágenes más pequeñas).
- ``CNN_DATA_DIR``: carpeta de caché de descargas (por defecto ``data/`` del repositorio).
- ``CNN_MIRROR``: carpeta(s) o dirección(es) ``http(s)://`` con una réplica de los datos (ver README).
- ``CNN_HEADLESS=1`` (o ``CI``): ejecución automática, sin nadie mirando; los cuadernos no
  abren paneles interactivos como TensorBoard.
"""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

REPO_ROOT = Path(__file__).resolve().parent.parent
_TRUE = {"1", "true", "yes", "si", "sí", "on"}
# Comienzo de una dirección en CNN_MIRROR: esquema, equipo y puerto opcional.
_URL_START = re.compile(r"\s*https?://[^/\s:;]*(?::\d+)?", re.IGNORECASE)


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


def mirror_sources() -> list[Path | str]:
    """Réplicas de ``CNN_MIRROR`` en orden de búsqueda: carpetas (``Path``) y direcciones ``http(s)://`` (``str``).

    Como ``PATH``, ``CNN_MIRROR`` admite varias entradas separadas por ``:`` (``;`` en Windows).
    Una dirección lleva sus propios ``:`` (``http://aula:8000/replica``): se reconoce por
    ``http://`` o ``https://`` al principio de la entrada, y termina en el primer separador
    que haya después del nombre del equipo y el puerto. Por eso la ruta de una dirección no
    puede contener ``:``.

    Ejemplo:
        >>> from unittest import mock
        >>> with mock.patch.dict(os.environ, {"CNN_MIRROR": "http://aula:8000/replica:/media/usb/replica"}):
        ...     [str(source) for source in mirror_sources()]
        ['http://aula:8000/replica', '/media/usb/replica']
    """
    text = os.environ.get("CNN_MIRROR", "")
    sources: list[Path | str] = []
    position = 0
    while position <= len(text):
        url = _URL_START.match(text, position)
        end = text.find(os.pathsep, url.end() if url else position)
        end = len(text) if end < 0 else end
        entry = text[position:end].strip()
        if url:
            sources.append(entry.rstrip("/"))
        elif entry:
            sources.append(Path(entry).expanduser().resolve())
        position = end + 1
    return sources


def mirror_dirs() -> list[Path]:
    """Carpetas de réplica sin conexión de ``CNN_MIRROR`` (sin las direcciones), en orden; ``[]`` si no hay.

    Ejemplo:
        >>> mirrors = mirror_dirs()   # con CNN_MIRROR=/replica:/otra, [Path('/replica'), Path('/otra')]
    """
    return [source for source in mirror_sources() if isinstance(source, Path)]


def interactive() -> bool:
    """Indica si hay una persona mirando el cuaderno (falso en CI y en ``make test``/``make bench``).

    Los cuadernos lo usan para no abrir servidores (como TensorBoard) en ejecuciones automáticas.

    Ejemplo:
        >>> interactive() in (True, False)
        True
    """
    return not any(os.environ.get(name, "").strip().lower() in _TRUE for name in ("CNN_HEADLESS", "CI"))
