"""Crear o completar una réplica de los datos del curso, lista para una memoria USB o un servidor del aula."""
from __future__ import annotations

import os
from pathlib import Path

from helpers.datasets.checksums import file_hash, format_sha256sums, hash_matches, read_sha256sums
from helpers.datasets.fetch import download_official
from helpers.datasets.mirror import SUMS_FILE, relative_path
from helpers.datasets.registry import REGISTRY, get_resource
from helpers.datasets.trust import expected_hashes, record_first_use

__all__ = ["build_replica"]


def build_replica(folder: Path, datasets: list[str] | None = None) -> Path:
    """Descarga a ``folder`` los archivos oficiales de ``datasets`` (todos si es ``None``) y su ``SHA256SUMS``.

    Estructura: ``<folder>/<conjunto>/<archivo oficial>``, la que espera ``CNN_MIRROR``. Cada
    archivo se comprueba con su suma oficial (o, si no la tiene, con la de su primer uso en
    este equipo, que se anota si es el primero). Los que ya están y coinciden no se vuelven a
    descargar; una descarga interrumpida continúa donde quedó la próxima vez. ``SHA256SUMS``
    se actualiza tras cada archivo.

    Ejemplo:
        >>> build_replica(Path("/media/usb/replica-cnn"), ["fashion-mnist"])  # doctest: +SKIP
        PosixPath('/media/usb/replica-cnn')
    """
    resources = [get_resource(name) for name in (datasets or list(REGISTRY))]
    folder.mkdir(parents=True, exist_ok=True)
    sums_file = folder / SUMS_FILE
    sums = read_sha256sums(sums_file) if sums_file.is_file() else {}
    for resource in resources:
        for remote in resource.files:
            relative = relative_path(resource.name, remote.name)
            dest = folder / relative
            expected = expected_hashes(resource.name, remote)
            listed = sums.get(relative)
            if dest.is_file() and listed and all(hash_matches(dest, h) for h in [f"sha256:{listed}", *expected]):
                print(f"{relative}: ya está y coincide con su suma.")
            else:
                download_official(resource.name, remote, dest, expected)
                record_first_use(resource.name, remote, dest)
            sums[relative] = file_hash(dest)
            _write_atomically(sums_file, format_sha256sums(sums))
    return folder


def _write_atomically(path: Path, text: str) -> None:
    """Escribe ``path`` de una vez: o el texto anterior o el nuevo, nunca uno a medias."""
    tmp = path.with_name(path.name + ".parcial")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
