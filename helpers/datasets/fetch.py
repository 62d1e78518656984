"""Conseguir un archivo del registro: réplicas (carpetas o direcciones), caché local o descarga comprobada."""
from __future__ import annotations

from pathlib import Path

from helpers.config import data_dir, mirror_sources
from helpers.datasets.checksums import file_hash, hash_matches
from helpers.datasets.download import download
from helpers.datasets.errors import DownloadError, short_traceback
from helpers.datasets.mirror import find_in_folder, from_http_mirror
from helpers.datasets.registry import RemoteFile, get_resource
from helpers.datasets.trust import check_first_use, expected_hashes, record_first_use

__all__ = ["download_official", "fetch"]


@short_traceback
def fetch(dataset: str, filename: str) -> Path:
    """Devuelve la ruta local de ``filename`` del conjunto ``dataset``, comprobada.

    Orden de búsqueda:

    1. las réplicas de ``CNN_MIRROR``, en orden: una carpeta ``<réplica>/<dataset>/<filename>``
       se usa en su sitio; de una dirección ``http(s)://`` se descarga a la caché. Ambas se
       comprueban con el ``SHA256SUMS`` de la réplica; un archivo que no coincide nunca se usa.
       La descarga se comprueba también con la suma oficial (si no coincide, no se usa); el
       archivo de una carpeta que no es el oficial se usa, con un aviso que lo dice;
    2. la caché ``data_dir()/<dataset>/<filename>``, si coincide con la suma oficial (o con la
       anotada en su primer uso, ver ``helpers.datasets.trust``);
    3. la descarga reanudable (con barra de progreso) a la caché, comprobada con la suma
       oficial. Una descarga incompleta o que no coincide nunca se usa.

    Ejemplo:
        >>> path = fetch("fashion-mnist", "t10k-labels-idx1-ubyte.gz")  # doctest: +SKIP
        >>> path.name                                                    # doctest: +SKIP
        't10k-labels-idx1-ubyte.gz'
    """
    remote = get_resource(dataset).file(filename)
    target = data_dir() / dataset / filename
    for source in mirror_sources():
        if isinstance(source, Path):
            found = find_in_folder(source, dataset, filename, remote.known_hash)
            if found is not None:
                return record_first_use(dataset, remote, found)
        elif _usable_cache(dataset, remote, target) or from_http_mirror(
                source, dataset, remote, target, expected_hashes(dataset, remote)):
            return record_first_use(dataset, remote, target)
    if _usable_cache(dataset, remote, target):
        return record_first_use(dataset, remote, target)
    return record_first_use(dataset, remote, download_official(dataset, remote, target,
                                                                 expected_hashes(dataset, remote)))


def _usable_cache(dataset: str, remote: RemoteFile, target: Path) -> bool:
    """Indica si la copia en caché sirve; si no coincide con la suma oficial, la borra."""
    if not target.is_file():
        return False
    if remote.known_hash is None:
        check_first_use(dataset, remote, target)  # si no coincide con su primer uso, error claro
        return True
    if hash_matches(target, remote.known_hash):
        return True
    print(f"{target} no coincide con su suma de verificación oficial: lo descargo de nuevo.")
    target.unlink()
    return False


def download_official(dataset: str, remote: RemoteFile, target: Path, known_hashes: list[str]) -> Path:
    """Descarga ``remote`` a ``target`` desde sus direcciones oficiales, en orden, comprobada con ``known_hashes``.

    Si ninguna responde, lanza ``DownloadError`` explicando cómo seguir sin conexión.

    Ejemplo:
        >>> remote = get_resource("cifar10").file("cifar-10-python.tar.gz")
        >>> download_official("cifar10", remote, Path("replica/cifar10") / remote.name,
        ...                   [remote.known_hash])   # doctest: +SKIP
    """
    import requests

    failures = []
    for url in remote.urls:
        print(f"Descargando {remote.name} ({dataset}) desde {url}")
        try:
            download(url, target, known_hashes)
        except (requests.ConnectionError, requests.Timeout) as error:
            failures.append(f"{url}: {type(error).__name__}")
        except requests.HTTPError as error:
            failures.append(f"{url}: HTTP {error.response.status_code}")
        else:
            if not known_hashes:
                print(f"Aviso: {remote.name} no tiene suma de verificación oficial publicada, así que "
                      "no puedo comprobar que llegó intacto. Su SHA256 es "
                      f"{file_hash(target)}: lo anoto y, desde ahora, cada uso se comprueba con él "
                      "(suma de primer uso).")
            return target
    raise DownloadError(_no_connection_message(dataset, remote, target, failures))


def _no_connection_message(dataset: str, remote: RemoteFile, target: Path, failures: list[str]) -> str:
    """Explica en español cómo conseguir el archivo sin conexión."""
    sources = mirror_sources()
    lines = [f"No puedo descargar {remote.name} ({dataset}): sin conexión con el servidor "
             f"({'; '.join(failures)}).", "Soluciones:"]
    if sources:
        where = ", ".join(map(str, sources))
        lines.append(f"  - La réplica CNN_MIRROR={where} no incluye {dataset}/{remote.name}.")
    else:
        lines.append("  - Usa una réplica: define la variable de entorno CNN_MIRROR con su carpeta o su "
                     "dirección http://. Quien tenga conexión la crea con "
                     "«python -m helpers.datasets replica CARPETA» (ver README).")
    lines.append(f"  - O descarga a mano {remote.url} y guárdalo como {target}.")
    return "\n".join(lines)
