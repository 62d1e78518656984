"""Descarga HTTP reanudable y comprobada: barra de progreso, ``Range`` y nunca un archivo a medias en su sitio."""
from __future__ import annotations

import errno
import os
from collections.abc import Iterable
from pathlib import Path

from helpers.datasets.checksums import hash_matches
from helpers.datasets.errors import ChecksumError, DiskFullError, DownloadError

__all__ = ["ATTEMPTS", "TIMEOUT", "download", "partial_path"]

#: Segundos de espera para conectar y entre dos bloques recibidos.
TIMEOUT = (15, 60)
#: Intentos cuando la conexión se corta a mitad de archivo (cada uno continúa donde quedó el anterior).
ATTEMPTS = 4
_BLOCK = 1 << 16


def partial_path(target: Path) -> Path:
    """Dónde se va escribiendo ``target`` mientras se descarga (``<nombre>.parcial``).

    Ejemplo:
        >>> partial_path(Path("data/cifar10/cifar-10-python.tar.gz")).name
        'cifar-10-python.tar.gz.parcial'
    """
    return target.with_name(target.name + ".parcial")


def download(url: str, target: Path, known_hashes: Iterable[str] = ()) -> Path:
    """Descarga ``url`` en ``target`` con barra de progreso y la comprueba con ``known_hashes``.

    Se escribe en ``<target>.parcial``; si la conexión se corta, se reintenta pidiendo solo lo
    que falta (cabecera HTTP ``Range``), también en una llamada posterior. Solo cuando el
    archivo está completo y coincide con todas las sumas (``"md5:…"``, ``"sha256:…"``,
    ``"sha256-prefix:…"``) se renombra a ``target``: un archivo a medias nunca se usa.

    Errores: ``requests.ConnectionError``/``Timeout`` si no se pudo empezar (para probar otra
    dirección), ``requests.HTTPError`` si el servidor responde con error (404…),
    ``DownloadError`` si se cortó una y otra vez, ``ChecksumError`` si no coincide (se borra)
    y ``DiskFullError`` si no cabe.

    Ejemplo:
        >>> download("https://example.org/a.gz", Path("data/a.gz"), ["md5:" + "0" * 32])  # doctest: +SKIP
    """
    import requests

    partial = partial_path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    for attempt in range(ATTEMPTS):
        received = _receive(requests, url, partial)
        if received is True:
            break
        if attempt == 0 and received is None:  # ni siquiera empezó: que el llamante pruebe otra dirección
            raise requests.ConnectionError(f"sin conexión con {url}")
        print(f"La descarga de {target.name} se cortó; continúo desde el byte {_size(partial)}.")
    else:
        raise DownloadError(
            f"La descarga de {target.name} desde {url} se interrumpió {ATTEMPTS} veces. Lo recibido "
            f"queda en {partial} (nunca se usa a medias): vuelve a ejecutar la celda y continuará "
            "desde ahí.")
    for known_hash in known_hashes:
        if not hash_matches(partial, known_hash):
            partial.unlink()
            raise ChecksumError(
                f"{target.name} se descargó de {url}, pero no coincide con su suma de verificación "
                f"({known_hash}): descarga dañada o archivo cambiado en el servidor. No lo he "
                "guardado: vuelve a ejecutar la celda para reintentarlo.")
    os.replace(partial, target)
    return target


def _size(path: Path) -> int:
    """Tamaño de ``path`` en bytes (0 si no existe)."""
    return path.stat().st_size if path.exists() else 0


def _receive(requests, url: str, partial: Path) -> bool | None:
    """Un intento: añade a ``partial`` lo que falta. ``True`` si terminó, ``False`` si se cortó
    después de que el servidor respondiera, ``None`` si no se pudo conectar."""
    import urllib3
    from tqdm.auto import tqdm

    done, answered = _size(partial), False
    headers = {"Accept-Encoding": "identity", **({"Range": f"bytes={done}-"} if done else {})}
    try:
        with requests.get(url, headers=headers, stream=True, timeout=TIMEOUT) as response:
            if response.status_code == 416 and done:  # ya estaba todo: se comprueba con las sumas
                return True
            response.raise_for_status()
            answered = True
            if response.status_code != 206:  # el servidor no admite Range: desde el principio
                done = 0
            length = response.headers.get("Content-Length")
            total = done + int(length) if length and length.isdigit() else None
            with open(partial, "ab" if done else "wb") as out, \
                    tqdm(total=total, initial=done, unit="B", unit_scale=True, desc=partial.stem,
                         leave=False) as bar:
                # read1 entrega lo que va llegando: si la conexión se corta, lo recibido queda escrito.
                while block := response.raw.read1(_BLOCK):
                    out.write(block)
                    bar.update(len(block))
            return total is None or _size(partial) >= total
    except (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError,
            urllib3.exceptions.HTTPError):
        return False if answered else None
    except OSError as error:
        if error.errno == errno.ENOSPC:
            partial.unlink(missing_ok=True)
            raise DiskFullError(
                f"No queda espacio en el disco para guardar {partial.stem} en {partial.parent}. "
                "Libera espacio o define CNN_DATA_DIR con una carpeta en otro disco.") from None
        raise
