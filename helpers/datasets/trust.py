"""Sumas de primer uso: anotar el SHA256 de los archivos sin suma oficial y exigirlo en cada uso posterior.

Algunos archivos del registro no tienen suma de verificación publicada (``known_hash=None``:
``cats_and_dogs_filtered.zip`` y los pesos de MobileNetV2 de Keras). La primera vez que se
usa uno, ya comprobado en lo posible, su SHA256 se anota en
``data_dir()/<conjunto>/primer-uso.sha256`` (formato ``SHA256SUMS``), y desde entonces cada
uso (caché, réplica o descarga nueva, y la orden ``replica``) se compara con él: es la idea de
«confiar en el primer uso» (*trust on first use*) de SSH.
"""
from __future__ import annotations

from pathlib import Path

from helpers.config import data_dir
from helpers.datasets.checksums import file_hash, format_sha256sums, read_sha256sums
from helpers.datasets.errors import ChecksumError
from helpers.datasets.registry import RemoteFile

__all__ = ["FIRST_USE_FILE", "check_first_use", "expected_hashes", "record_first_use", "recorded_hash"]

#: Nombre del archivo de sumas de primer uso dentro de ``data_dir()/<conjunto>/``.
FIRST_USE_FILE = "primer-uso.sha256"


def _record_file(dataset: str) -> Path:
    return data_dir() / dataset / FIRST_USE_FILE


def recorded_hash(dataset: str, filename: str) -> str | None:
    """SHA256 anotado en el primer uso de ``dataset/filename``, o ``None`` si aún no se usó.

    Ejemplo:
        >>> recorded_hash("cats_and_dogs", "cats_and_dogs_filtered.zip")  # doctest: +SKIP
        '…64 dígitos hexadecimales…'
    """
    record = _record_file(dataset)
    return read_sha256sums(record).get(filename) if record.is_file() else None


def expected_hashes(dataset: str, remote: RemoteFile) -> list[str]:
    """Sumas que debe cumplir ``remote``: la oficial o, si no la hay, la de su primer uso (si existe).

    Ejemplo:
        >>> from helpers.datasets.registry import get_resource
        >>> expected_hashes("cifar10", get_resource("cifar10").file("cifar-10-python.tar.gz"))
        ['md5:c58f30108f718f92721af3b95e74349a']
    """
    if remote.known_hash is not None:
        return [remote.known_hash]
    recorded = recorded_hash(dataset, remote.name)
    return [f"sha256:{recorded}"] if recorded else []


def check_first_use(dataset: str, remote: RemoteFile, path: Path) -> Path:
    """Comprueba ``path`` con la suma de primer uso de ``remote`` (si no tiene oficial) y lo devuelve.

    Lanza ``ChecksumError`` con un mensaje en español si no coincide.

    Ejemplo:
        >>> check_first_use("cats_and_dogs", remote, Path("data/cats_and_dogs/x.zip"))  # doctest: +SKIP
    """
    recorded = recorded_hash(dataset, remote.name) if remote.known_hash is None else None
    if recorded is not None and file_hash(path) != recorded:
        raise ChecksumError(
            f"{path} no coincide con el SHA256 que anoté la primera vez que se usó {remote.name} "
            f"({recorded[:16]}…, en {_record_file(dataset)}). Este archivo no tiene suma oficial "
            "publicada, así que esa anotación es la única garantía: el archivo está dañado o ha "
            f"cambiado. Si confías en el nuevo, borra la línea de {remote.name} de ese archivo y "
            "vuelve a ejecutar la celda; si no, borra el archivo y se descargará de nuevo.")
    return path


def record_first_use(dataset: str, remote: RemoteFile, path: Path) -> Path:
    """Comprueba ``path`` con su suma de primer uso o, si es el primero, la anota. Devuelve ``path``.

    No hace nada con los archivos que tienen suma oficial.

    Ejemplo:
        >>> record_first_use("cats_and_dogs", remote, Path("data/cats_and_dogs/x.zip"))  # doctest: +SKIP
    """
    if remote.known_hash is not None:
        return path
    check_first_use(dataset, remote, path)
    if recorded_hash(dataset, remote.name) is None:
        record = _record_file(dataset)
        sums = read_sha256sums(record) if record.is_file() else {}
        sums[remote.name] = file_hash(path)
        record.parent.mkdir(parents=True, exist_ok=True)
        record.write_text(format_sha256sums(sums), encoding="utf-8")
    return path
