"""Extracción segura de archivos tar(.gz) y zip: nada fuera de la carpeta destino y nada a medias."""
from __future__ import annotations

import contextlib
import errno
import re
import shutil
import stat
import tarfile
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath

from helpers.datasets.errors import ArchiveError, DiskFullError

__all__ = ["building", "extract_archive", "unpack"]


def extract_archive(archive: Path, dest: Path, prepare: Callable[[Path], None] | None = None) -> Path:
    """Extrae ``archive`` en la carpeta ``dest`` de forma segura y atómica; si ``dest`` existe, no hace nada.

    Se extrae en una carpeta temporal junto a ``dest`` (ver ``building``);
    ``prepare(carpeta_temporal)`` (opcional) la termina de preparar, y solo entonces se
    renombra a ``dest``.

    Ejemplo:
        >>> root = extract_archive(Path("data/cifar10/cifar-10-python.tar.gz"),
        ...                        Path("data/cifar10/extraido"))   # doctest: +SKIP
    """
    if dest.is_dir():
        return dest
    with building(dest, f"extraer {archive.name}") as tmp:
        unpack(archive, tmp)
        if prepare is not None:
            prepare(tmp)
    return dest


@contextlib.contextmanager
def building(dest: Path, task: str) -> Iterator[Path]:
    """Da una carpeta temporal junto a ``dest`` y, si el bloque termina bien, la renombra a ``dest``.

    Así una preparación fallida o interrumpida nunca deja un ``dest`` que parezca completo.
    Si otro proceso creó ``dest`` antes, su resultado vale. ``task`` describe la tarea en
    el mensaje de disco lleno.

    Ejemplo:
        >>> import tempfile
        >>> dest = Path(tempfile.mkdtemp()) / "listo"
        >>> with building(dest, "preparar un ejemplo") as tmp:
        ...     _ = (tmp / "a.txt").write_text("hola")
        >>> sorted(p.name for p in dest.iterdir())
        ['a.txt']
    """
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", suffix=".parcial", dir=dest.parent))
    try:
        tmp.chmod(0o755)  # mkdtemp la crea privada (0700)
        yield tmp
        tmp.rename(dest)
    except OSError as error:
        if error.errno == errno.ENOSPC:
            raise DiskFullError(
                f"No queda espacio en el disco para {task} en {dest.parent}. "
                "Libera espacio o define CNN_DATA_DIR con una carpeta en otro disco."
            ) from None
        if not dest.is_dir():  # si otro proceso terminó antes, su resultado vale
            raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def unpack(archive: Path, directory: Path) -> None:
    """Extrae ``archive`` (``.zip``, ``.tar``, ``.tar.gz`` o ``.tgz``) dentro de ``directory``.

    Rechaza con ``ArchiveError`` los archivos dañados y los que contienen rutas absolutas,
    ``..``, enlaces o dispositivos (podrían escribir fuera de ``directory``).

    Ejemplo:
        >>> unpack(Path("data/oxford_pets/annotations.tar.gz"), Path("anotaciones"))  # doctest: +SKIP
    """
    try:
        if archive.name.lower().endswith(".zip"):
            _unpack_zip(archive, directory)
        else:
            _unpack_tar(archive, directory)
    except (tarfile.TarError, zipfile.BadZipFile, EOFError, zlib.error) as error:
        raise ArchiveError(_damaged(archive, error)) from None
    except OSError as error:
        if error.errno is not None:  # error del sistema (disco lleno, permisos…)
            raise
        raise ArchiveError(_damaged(archive, error)) from None  # p. ej. gzip.BadGzipFile


def _damaged(archive: Path, error: Exception) -> str:
    """Mensaje para un archivo comprimido dañado o incompleto."""
    return (f"{archive.name} está dañado o incompleto ({error}). Bórralo ({archive}) y vuelve a "
            "ejecutar la celda para conseguirlo de nuevo.")


def _check_name(archive: Path, name: str, directory: Path) -> None:
    """Rechaza nombres absolutos, con ``..`` o que caerían fuera de ``directory``."""
    normalized = name.replace("\\", "/")
    parts = PurePosixPath(normalized).parts
    escapes = (normalized.startswith("/") or re.match(r"^[A-Za-z]:", normalized) or ".." in parts
               or not (directory / normalized).resolve().is_relative_to(directory.resolve()))
    if escapes:
        raise ArchiveError(f"{archive.name} intenta escribir fuera de su carpeta ({name!r}): "
                           "lo rechazo por seguridad.")


def _unpack_tar(archive: Path, directory: Path) -> None:
    """Extrae un tar (comprimido o no) miembro a miembro, en una sola pasada."""
    safety = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
    with tarfile.open(archive) as tar:
        for member in tar:
            _check_name(archive, member.name, directory)
            if member.issym() or member.islnk():
                raise ArchiveError(f"{archive.name} contiene un enlace ({member.name!r} -> "
                                   f"{member.linkname!r}): lo rechazo por seguridad.")
            if not (member.isfile() or member.isdir()):
                raise ArchiveError(f"{archive.name} contiene un elemento especial (dispositivo o "
                                   f"tubería con nombre, {member.name!r}): lo rechazo por seguridad.")
            tar.extract(member, directory, **safety)


def _unpack_zip(archive: Path, directory: Path) -> None:
    """Extrae un zip comprobando cada entrada antes de escribirla."""
    with zipfile.ZipFile(archive) as zf:
        for info in zf.infolist():
            _check_name(archive, info.filename, directory)
            if stat.S_ISLNK(info.external_attr >> 16):
                raise ArchiveError(f"{archive.name} contiene un enlace ({info.filename!r}): "
                                   "lo rechazo por seguridad.")
            zf.extract(info, directory)
