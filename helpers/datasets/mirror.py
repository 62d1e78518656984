"""Réplica sin conexión (``CNN_MIRROR``): encontrar un archivo y comprobarlo con su ``SHA256SUMS``."""
from __future__ import annotations

from pathlib import Path

from helpers.config import mirror_dirs
from helpers.datasets.checksums import file_hash, read_sha256sums
from helpers.datasets.errors import MirrorError

__all__ = ["find_in_mirror"]


def find_in_mirror(dataset: str, filename: str) -> Path | None:
    """Devuelve ``<réplica>/<dataset>/<filename>`` comprobado, o ``None`` si ninguna réplica lo tiene.

    Se recorren las carpetas de ``CNN_MIRROR`` en orden. Un archivo de una réplica solo se usa
    si su ``SHA256SUMS`` lo incluye y su SHA256 coincide; si no, se lanza ``MirrorError``
    (nunca se usa un archivo sin comprobar).

    Ejemplo:
        >>> find_in_mirror("cifar10", "cifar-10-python.tar.gz")  # doctest: +SKIP
        PosixPath('/ruta/de/la/replica/cifar10/cifar-10-python.tar.gz')
    """
    for mirror in mirror_dirs():
        if not mirror.is_dir():
            raise MirrorError(
                f"CNN_MIRROR apunta a {mirror}, que no existe. Corrige la ruta o borra la variable "
                "CNN_MIRROR."
            )
        path = mirror / dataset / filename
        if path.exists():
            _verify(mirror, f"{dataset}/{filename}")
            return path
    return None


def _verify(mirror: Path, relative: str) -> None:
    """Comprueba ``mirror/relative`` con el ``SHA256SUMS`` de su réplica o lanza ``MirrorError``."""
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
    if file_hash(mirror / relative) != expected:
        raise MirrorError(
            f"{relative} de la réplica {mirror} está dañado o cambió: su SHA256 no coincide con "
            "SHA256SUMS. Vuelve a crear la réplica con prepare-mirror."
        )
