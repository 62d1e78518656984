"""Sumas de verificación: calcular el hash de un archivo y leer un ``SHA256SUMS``."""
from __future__ import annotations

import hashlib
from pathlib import Path

__all__ = ["PREFIX", "file_hash", "format_sha256sums", "hash_matches", "parse_sha256sums", "read_sha256sums"]

#: Algoritmo de las sumas que solo dan el comienzo del SHA256 (como los pesos de PyTorch).
PREFIX = "sha256-prefix"


def file_hash(path: Path, alg: str = "sha256") -> str:
    """Calcula el hash hexadecimal de ``path`` leyendo por bloques (sirve para archivos grandes).

    Ejemplo:
        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     p = Path(tmp) / "hola.txt"
        ...     _ = p.write_bytes(b"hola")
        ...     file_hash(p, "md5")
        '4d186321c1a7f0f354b297e8914ab240'
    """
    digest = hashlib.new(alg)
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def hash_matches(path: Path, known_hash: str) -> bool:
    """Indica si ``path`` tiene el hash ``known_hash`` (``"md5:…"``, ``"sha256:…"`` o solo hex = sha256).

    ``"sha256-prefix:…"`` solo exige que el SHA256 empiece por esos dígitos (como ``torch.hub``).

    Ejemplo:
        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     p = Path(tmp) / "hola.txt"
        ...     _ = p.write_bytes(b"hola")
        ...     hash_matches(p, "md5:4d186321c1a7f0f354b297e8914ab240")
        True
    """
    alg, _, value = known_hash.rpartition(":")
    if alg == PREFIX:
        return len(value) >= 8 and file_hash(path, "sha256").startswith(value.lower())
    return file_hash(path, alg or "sha256") == value.lower()


def read_sha256sums(path: Path) -> dict[str, str]:
    """Lee un archivo ``SHA256SUMS`` (líneas ``<sha256>  <ruta>``) como ``{ruta: sha256}``.

    Ejemplo:
        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     p = Path(tmp) / "SHA256SUMS"
        ...     _ = p.write_text("ab12  cifar10/cifar-10-python.tar.gz\\n")
        ...     read_sha256sums(p)
        {'cifar10/cifar-10-python.tar.gz': 'ab12'}
    """
    return parse_sha256sums(path.read_text(encoding="utf-8"))


def parse_sha256sums(text: str) -> dict[str, str]:
    """Interpreta el texto de un ``SHA256SUMS`` (como ``sha256sum``) como ``{ruta: sha256}``.

    Ejemplo:
        >>> parse_sha256sums("AB12 *pesos.h5\\n\\n")
        {'pesos.h5': 'ab12'}
    """
    sums = {}
    for line in text.splitlines():
        digest, _, name = line.strip().partition(" ")
        if digest and name:
            sums[name.strip().lstrip("*")] = digest.lower()
    return sums


def format_sha256sums(sums: dict[str, str]) -> str:
    """Texto de un ``SHA256SUMS`` ordenado por ruta, que ``sha256sum -c`` entiende.

    Ejemplo:
        >>> format_sha256sums({"b/y.gz": "22", "a/x.gz": "11"})
        '11  a/x.gz\\n22  b/y.gz\\n'
    """
    return "".join(f"{digest}  {name}\n" for name, digest in sorted(sums.items()))
