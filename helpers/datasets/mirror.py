"""Réplica sin conexión (``CNN_MIRROR``): encontrar un archivo y comprobarlo con su ``SHA256SUMS``."""
from __future__ import annotations

from pathlib import Path

from helpers.config import mirror_dir
from helpers.datasets.checksums import file_hash, read_sha256sums
from helpers.datasets.errors import MirrorError

__all__ = ["find_in_mirror"]


def find_in_mirror(dataset: str, filename: str) -> Path | None:
    """Devuelve ``$CNN_MIRROR/<dataset>/<filename>`` comprobado, o ``None`` si no hay réplica o no lo tiene.

    Un archivo de la réplica solo se usa si ``SHA256SUMS`` lo incluye y su SHA256 coincide;
    si no, se lanza ``MirrorError`` (nunca se usa un archivo sin comprobar).

    Ejemplo:
        >>> find_in_mirror("cifar10", "cifar-10-python.tar.gz")  # doctest: +SKIP
        PosixPath('/ruta/de/la/replica/cifar10/cifar-10-python.tar.gz')
    """
    mirror = mirror_dir()
    if mirror is None:
        return None
    if not mirror.is_dir():
        raise MirrorError(
            f"CNN_MIRROR apunta a {mirror}, que no existe. Corrige la ruta o borra la variable CNN_MIRROR."
        )
    path = mirror / dataset / filename
    if not path.exists():
        return None
    relative = f"{dataset}/{filename}"
    sums_file = mirror / "SHA256SUMS"
    if not sums_file.is_file():
        raise MirrorError(
            f"La réplica {mirror} no tiene SHA256SUMS, así que no puedo comprobar {relative}. "
            "Vuelve a crearla con prepare-mirror."
        )
    expected = read_sha256sums(sums_file).get(relative)
    if expected is None:
        raise MirrorError(
            f"{relative} está en la réplica {mirror}, pero no aparece en su SHA256SUMS: no lo uso. "
            "Vuelve a crear la réplica con prepare-mirror."
        )
    if file_hash(path) != expected:
        raise MirrorError(
            f"{relative} de la réplica {mirror} está dañado o cambió: su SHA256 no coincide con "
            "SHA256SUMS. Vuelve a crear la réplica con prepare-mirror."
        )
    return path
