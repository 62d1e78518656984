"""Crear o completar una réplica de los datos del curso, lista para una memoria USB o un servidor del aula."""
from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from helpers.datasets.checksums import file_hash, format_sha256sums, hash_matches, read_sha256sums
from helpers.datasets.fetch import download_official
from helpers.datasets.mirror import SUMS_FILE, relative_path
from helpers.datasets.registry import REGISTRY, get_resource
from helpers.datasets.trust import expected_hashes, record_first_use

__all__ = ["build_replica", "write_sha256sums"]


def build_replica(folder: Path, datasets: list[str] | None = None) -> Path:
    """Descarga a ``folder`` los archivos oficiales de ``datasets`` (todos si es ``None``) y su ``SHA256SUMS``.

    Estructura: ``<folder>/<conjunto>/<archivo oficial>``, la que espera ``CNN_MIRROR``. Cada
    archivo se comprueba con su suma oficial (o, si no la tiene, con la de su primer uso en
    este equipo, que se anota si es el primero). Los que ya están y coinciden no se vuelven a
    descargar, también los copiados a mano a su sitio (sin conexión con el servidor oficial);
    una descarga interrumpida continúa donde quedó la próxima vez. ``SHA256SUMS`` se actualiza
    tras cada archivo.

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
            known = [f"sha256:{listed}"] * bool(listed) + expected
            if dest.is_file() and all(hash_matches(dest, h) for h in known):
                print(f"{relative}: ya está" + (" y coincide con su suma." if known else
                                                 "; no tiene suma oficial: anoto la suya (primer uso)."))
            else:
                download_official(resource.name, remote, dest, expected)
            record_first_use(resource.name, remote, dest)
            sums[relative] = file_hash(dest)
            write_sha256sums(folder, sums)
    return folder


def write_sha256sums(folder: Path, sums: Mapping[str, str]) -> Path:
    """Escribe ``folder/SHA256SUMS`` con ``sums`` (ruta relativa → SHA256), ordenado por ruta.

    Las líneas son ``<sha256>  <ruta>``, como las de ``sha256sum``. El archivo se escribe de
    una vez: quien lo lea ve el anterior o el nuevo, nunca uno a medias. Lo usan la orden
    ``replica``, la réplica de prueba (``tools.standin_data``) y las de las pruebas.

    Ejemplo:
        >>> import tempfile
        >>> folder = Path(tempfile.mkdtemp())
        >>> print(write_sha256sums(folder, {"b/y.gz": "22", "a/x.gz": "11"}).read_text(), end="")
        11  a/x.gz
        22  b/y.gz
    """
    path = folder / SUMS_FILE
    tmp = path.with_name(path.name + ".parcial")
    tmp.write_text(format_sha256sums(sums), encoding="utf-8")
    os.replace(tmp, path)
    return path
