"""Configuración visible del curso: modo rápido, carpeta de datos y réplica sin conexión.

Todo se controla con variables de entorno, para que funcione igual en JupyterLab,
Colab, Kaggle y CI:

- ``CNN_FAST=1``: modo rápido (menos épocas, subconjuntos de datos, imágenes más pequeñas).
- ``CNN_FAST=smoke``: modo mínimo, para las pruebas del curso (no para estudiar): también es
  rápido, pero con lo justo para ejecutar cada celda (una «prueba de humo»).
- ``CNN_DATA_DIR``: carpeta de caché de descargas (por defecto ``data/`` del repositorio).
- ``CNN_MIRROR``: carpeta(s) o dirección(es) ``http(s)://`` con una réplica de los datos (ver README).
- ``CNN_EPOCHS_MAX=N``: como mucho ``N`` épocas en cada entrenamiento que elige sus épocas con
  ``pick_epochs`` (lo usa ``make bench … SUSTITUTOS=1`` para medir tiempos por época).
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
_SMOKE = "smoke"
# Valor por omisión de ``pick(smoke=…)``: en modo mínimo se usa el valor rápido.
_AS_FAST = object()
# Comienzo de una dirección en CNN_MIRROR: esquema, equipo y puerto opcional.
_URL_START = re.compile(r"\s*https?://[^/\s:;]*(?::\d+)?", re.IGNORECASE)


def fast_mode() -> bool:
    """Indica si el modo rápido está activo (``CNN_FAST=1``, o ``CNN_FAST=smoke``, que también lo es).

    Ejemplo:
        >>> fast_mode() in (True, False)
        True
    """
    return smoke_mode() or os.environ.get("CNN_FAST", "").strip().lower() in _TRUE


def smoke_mode() -> bool:
    """Indica si el modo mínimo de las pruebas del curso está activo (``CNN_FAST=smoke``).

    Ejemplo:
        >>> from unittest import mock
        >>> with mock.patch.dict(os.environ, {"CNN_FAST": "smoke"}):
        ...     smoke_mode(), fast_mode()
        (True, True)
    """
    return os.environ.get("CNN_FAST", "").strip().lower() == _SMOKE


def pick(full: T, fast: T, smoke: T | object = _AS_FAST) -> T:
    """Devuelve ``full`` en modo completo, ``fast`` en modo rápido y ``smoke`` en modo mínimo.

    Así el cuaderno usa los mismos nombres en todos los modos. ``smoke`` solo se da a lo
    que cuesta tiempo (épocas, tamaño de los subconjuntos…); sin él, el modo mínimo usa ``fast``.

    Ejemplo:
        >>> from unittest import mock
        >>> for level in ("0", "1", "smoke"):
        ...     with mock.patch.dict(os.environ, {"CNN_FAST": level}):
        ...         print(level, pick(full=30, fast=3, smoke=1), pick(full=64, fast=8))
        0 30 64
        1 3 8
        smoke 1 8
    """
    if smoke is not _AS_FAST and smoke_mode():
        return smoke  # type: ignore[return-value]
    return fast if fast_mode() else full


def pick_epochs(full: int, fast: int, smoke: int | object = _AS_FAST) -> int:
    """Épocas de un entrenamiento: ``pick(full, fast, smoke)``, como mucho ``CNN_EPOCHS_MAX`` si está definida.

    Una medición de tiempos (``make bench NB=08a SUSTITUTOS=1``) la define para entrenar solo
    unas épocas con los tamaños del modo completo; si limita algo, lo dice.

    Ejemplo:
        >>> from unittest import mock
        >>> with mock.patch.dict(os.environ, {"CNN_FAST": "0", "CNN_EPOCHS_MAX": "2"}):
        ...     pick_epochs(full=10, fast=1)
        Épocas limitadas a 2 (de 10) por CNN_EPOCHS_MAX: es una medición de tiempos.
        2
    """
    epochs = pick(full, fast, smoke)
    limit = os.environ.get("CNN_EPOCHS_MAX", "").strip()
    if not limit:
        return epochs
    if not limit.isdigit() or int(limit) < 1:
        raise ValueError(f"CNN_EPOCHS_MAX tiene que ser un número entero de épocas (1 o más), no {limit!r}.")
    if int(limit) < epochs:
        print(f"Épocas limitadas a {limit} (de {epochs}) por CNN_EPOCHS_MAX: es una medición de tiempos.")
        return int(limit)
    return epochs


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
