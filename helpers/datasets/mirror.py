"""Réplicas (``CNN_MIRROR``): su estructura ``<conjunto>/<archivo>`` + ``SHA256SUMS``, en una carpeta o por HTTP.

Este módulo es el dueño de la estructura de una réplica: la crea ``helpers.datasets.replica``
y la leen ``find_in_folder`` (una carpeta, por ejemplo una memoria USB) y
``from_http_mirror`` (una carpeta servida con ``python -m http.server``).
"""
from __future__ import annotations

from pathlib import Path

from helpers.datasets.checksums import file_hash, hash_matches, parse_sha256sums, read_sha256sums
from helpers.datasets.errors import ChecksumError, MirrorError
from helpers.datasets.registry import RemoteFile

__all__ = ["SUMS_FILE", "find_in_folder", "from_http_mirror", "relative_path"]

#: Archivo con las sumas de una réplica, en su raíz.
SUMS_FILE = "SHA256SUMS"
_REBUILD = "Vuelve a crearla con «python -m helpers.datasets replica CARPETA» (ver README)."


def relative_path(dataset: str, filename: str) -> str:
    """Ruta de un archivo dentro de una réplica (y en su ``SHA256SUMS``).

    Ejemplo:
        >>> relative_path("cifar10", "cifar-10-python.tar.gz")
        'cifar10/cifar-10-python.tar.gz'
    """
    return f"{dataset}/{filename}"


def find_in_folder(mirror: Path, dataset: str, filename: str, official: str | None = None) -> Path | None:
    """Devuelve ``<mirror>/<dataset>/<filename>`` comprobado, o ``None`` si esa réplica no lo tiene.

    Un archivo de la réplica solo se usa si su ``SHA256SUMS`` lo incluye y su SHA256
    coincide; si no, se lanza ``MirrorError`` (nunca se usa un archivo sin comprobar). Con
    ``official`` (la suma oficial del registro), si el archivo no es el oficial se usa igual
    (la réplica lo garantiza), pero un aviso lo dice: un aula puede haber hecho su réplica
    con otra copia, y sus resultados pueden no coincidir con los del curso.

    Ejemplo:
        >>> find_in_folder(Path("/media/usb/replica"), "cifar10", "cifar-10-python.tar.gz")  # doctest: +SKIP
        PosixPath('/media/usb/replica/cifar10/cifar-10-python.tar.gz')
    """
    if not mirror.is_dir():
        raise MirrorError(
            f"CNN_MIRROR apunta a {mirror}, que no existe. Corrige la ruta o borra la variable "
            "CNN_MIRROR.")
    relative = relative_path(dataset, filename)
    path = mirror / relative
    if not path.exists():
        return None
    sums_file = mirror / SUMS_FILE
    if not sums_file.is_file():
        raise MirrorError(f"La réplica {mirror} no tiene {SUMS_FILE}, así que no puedo comprobar "
                          f"{relative}. {_REBUILD}")
    expected = read_sha256sums(sums_file).get(relative)
    if expected is None:
        raise MirrorError(f"{relative} está en la réplica {mirror}, pero no aparece en su "
                          f"{SUMS_FILE}: no lo uso. {_REBUILD}")
    if file_hash(path) != expected:
        raise MirrorError(f"{relative} de la réplica {mirror} está dañado o cambió: su SHA256 no "
                          f"coincide con {SUMS_FILE}. {_REBUILD}")
    if official is not None and not hash_matches(path, official):
        print(f"Aviso: {relative} de la réplica {mirror} coincide con su {SUMS_FILE}, pero no es el "
              f"archivo oficial (su suma no es la publicada, {official}): la réplica se hizo "
              "con otra copia. Lo uso igualmente; tus resultados pueden diferir de los citados en el "
              "curso.")
    return path


def from_http_mirror(base_url: str, dataset: str, remote: RemoteFile, target: Path,
                     official: list[str]) -> bool:
    """Descarga ``remote`` de la réplica ``base_url`` a ``target`` (la caché); ``False`` si no lo tiene.

    Se comprueba con el ``SHA256SUMS`` de la réplica **y** con las sumas ``official`` (la
    oficial del registro o la de primer uso). Si la réplica no responde, no tiene el archivo
    o no lo lista, devuelve ``False`` para que se pruebe la fuente siguiente; si no tiene
    ``SHA256SUMS`` o el archivo no coincide, lanza ``MirrorError`` y no guarda nada.

    Ejemplo:
        >>> from_http_mirror("http://aula:8000", "cifar10", remote, target, [])  # doctest: +SKIP
        True
    """
    import requests

    from helpers.datasets.download import TIMEOUT, download

    relative = relative_path(dataset, remote.name)
    try:
        response = requests.get(f"{base_url}/{SUMS_FILE}", timeout=TIMEOUT)
    except (requests.ConnectionError, requests.Timeout) as error:
        print(f"La réplica {base_url} no responde ({type(error).__name__}): pruebo la fuente siguiente.")
        return False
    if response.status_code == 404:
        raise MirrorError(f"La réplica {base_url} no tiene {SUMS_FILE}, así que no puedo comprobar "
                          f"{relative}. {_REBUILD}")
    if not response.ok:
        print(f"La réplica {base_url} responde HTTP {response.status_code}: pruebo la fuente siguiente.")
        return False
    expected = parse_sha256sums(response.text).get(relative)
    if expected is None:
        return False
    print(f"Descargando {remote.name} ({dataset}) de la réplica {base_url}")
    try:
        download(f"{base_url}/{relative}", target, [f"sha256:{expected}", *official])
    except (requests.ConnectionError, requests.Timeout, requests.HTTPError) as error:
        print(f"La réplica {base_url} no me da {relative} ({type(error).__name__}): pruebo la "
              "fuente siguiente.")
        return False
    except ChecksumError as error:
        raise MirrorError(f"La réplica {base_url} sirve un {relative} que no coincide con su "
                          f"{SUMS_FILE} o con la suma oficial: no lo he guardado. {_REBUILD} "
                          f"({error})") from None
    return True
