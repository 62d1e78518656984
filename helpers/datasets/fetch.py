"""Conseguir un archivo del registro: réplica sin conexión, caché local o descarga comprobada."""
from __future__ import annotations

import contextlib
import errno
import logging
from collections.abc import Iterator
from pathlib import Path

from helpers.config import REPO_ROOT, data_dir, mirror_dirs
from helpers.datasets.checksums import PREFIX, file_hash, hash_matches
from helpers.datasets.errors import (ChecksumError, DiskFullError, DownloadError,
                                     short_traceback)
from helpers.datasets.mirror import find_in_mirror
from helpers.datasets.registry import RemoteFile, get_resource

__all__ = ["fetch"]

#: Conjuntos que incluye la réplica de ``../shared/datasets/prepare-mirror``.
MIRRORED_BY_PREPARE_MIRROR = {"fashion-mnist", "cifar10", "cats_and_dogs"}
#: Segundos de espera para conectar y entre dos bloques recibidos.
TIMEOUT = (15, 60)


@short_traceback
def fetch(dataset: str, filename: str) -> Path:
    """Devuelve la ruta local de ``filename`` del conjunto ``dataset``, comprobada.

    Orden de búsqueda:

    1. las réplicas sin conexión ``$CNN_MIRROR/<dataset>/<filename>``, comprobadas con su
       ``SHA256SUMS`` (un archivo que no aparece ahí o no coincide nunca se usa);
    2. la caché ``data_dir()/<dataset>/<filename>``, si coincide con la suma oficial;
    3. la descarga (con barra de progreso) a la caché, comprobada con la suma oficial.
       Una descarga incompleta o que no coincide nunca queda en la caché.

    Ejemplo:
        >>> path = fetch("fashion-mnist", "t10k-labels-idx1-ubyte.gz")  # doctest: +SKIP
        >>> path.name                                                    # doctest: +SKIP
        't10k-labels-idx1-ubyte.gz'
    """
    remote = get_resource(dataset).file(filename)
    mirrored = find_in_mirror(dataset, filename)
    if mirrored is not None:
        return mirrored
    target = data_dir() / dataset / filename
    if _usable_cache(target, remote):
        return target
    return _download(dataset, remote, target)


def _usable_cache(target: Path, remote: RemoteFile) -> bool:
    """Indica si la copia en caché sirve; si no coincide con la suma oficial, la borra."""
    if not target.is_file():
        return False
    if remote.known_hash is None or hash_matches(target, remote.known_hash):
        return True
    print(f"{target} no coincide con su suma de verificación oficial: lo descargo de nuevo.")
    target.unlink()
    return False


@contextlib.contextmanager
def _quiet_pooch() -> Iterator[None]:
    """Silencia los mensajes en inglés de pooch (este módulo imprime los suyos en español)."""
    import pooch

    logger = pooch.get_logger()
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _download(dataset: str, remote: RemoteFile, target: Path) -> Path:
    """Descarga ``remote`` a ``target`` probando sus direcciones en orden."""
    import pooch
    import requests

    failures = []
    # pooch solo comprueba sumas completas; un prefijo (pesos de PyTorch) se comprueba después.
    prefix_only = remote.known_hash is not None and remote.known_hash.startswith(PREFIX + ":")
    for url in remote.urls:
        print(f"Descargando {remote.name} ({dataset}) desde {url}")
        try:
            with _quiet_pooch():
                pooch.retrieve(url, known_hash=None if prefix_only else remote.known_hash,
                               fname=remote.name,
                               path=target.parent, progressbar=True,
                               downloader=pooch.HTTPDownloader(progressbar=True, timeout=TIMEOUT))
        except ValueError:  # pooch: el hash no coincide (ya borró el archivo temporal)
            raise ChecksumError(
                f"{remote.name} se descargó de {url}, pero no coincide con su suma de verificación "
                "oficial (descarga dañada o archivo cambiado en el servidor). No lo he guardado: "
                "vuelve a ejecutar la celda para reintentarlo."
            ) from None
        except (requests.ConnectionError, requests.Timeout) as error:
            failures.append(f"{url}: {type(error).__name__}")
        except requests.HTTPError as error:
            failures.append(f"{url}: HTTP {error.response.status_code}")
        except requests.RequestException as error:
            raise DownloadError(
                f"La descarga de {remote.name} desde {url} se interrumpió ({type(error).__name__}). "
                "No ha quedado nada a medias en la caché: vuelve a ejecutar la celda."
            ) from None
        except OSError as error:
            if error.errno == errno.ENOSPC:
                raise DiskFullError(
                    f"No queda espacio en el disco para guardar {remote.name} en {target.parent}. "
                    "Libera espacio o define CNN_DATA_DIR con una carpeta en otro disco."
                ) from None
            raise
        else:
            if prefix_only and not hash_matches(target, remote.known_hash):
                target.unlink()
                raise ChecksumError(
                    f"{remote.name} se descargó de {url}, pero su SHA256 no empieza por el prefijo "
                    f"oficial ({remote.known_hash}). No lo he guardado: vuelve a ejecutar la celda "
                    "para reintentarlo."
                )
            if remote.known_hash is None:
                print(f"Aviso: {remote.name} no tiene suma de verificación oficial publicada, así que "
                      f"no puedo comprobar que llegó intacto. Su SHA256 es {file_hash(target)} "
                      "(puedes fijarlo en helpers/datasets/registry.py).")
            return target
    raise DownloadError(_no_connection_message(dataset, remote, target, failures))


def _no_connection_message(dataset: str, remote: RemoteFile, target: Path, failures: list[str]) -> str:
    """Explica en español cómo conseguir el archivo sin conexión."""
    mirrors = mirror_dirs()
    prepare = REPO_ROOT.parent / "shared" / "datasets" / "prepare-mirror"
    lines = [f"No puedo descargar {remote.name} ({dataset}): sin conexión con el servidor "
             f"({'; '.join(failures)}).", "Soluciones:"]
    if mirrors:
        where = ", ".join(map(str, mirrors))
        lines.append(f"  - La réplica CNN_MIRROR={where} no incluye {dataset}/{remote.name}.")
    else:
        lines.append("  - Usa una réplica sin conexión: define la variable de entorno CNN_MIRROR con "
                     "su carpeta.")
    if prepare.is_file() and dataset in MIRRORED_BY_PREPARE_MIRROR:
        lines.append("    Para crearla: python ../shared/datasets/prepare-mirror CARPETA "
                     "(desde la carpeta del curso).")
    lines.append(f"  - O descarga a mano {remote.url} y guárdalo como {target}.")
    return "\n".join(lines)
