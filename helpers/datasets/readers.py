"""Lectores de formatos de datos: IDX comprimido con gzip (Fashion-MNIST) y lotes de CIFAR-10."""
from __future__ import annotations

import gzip
import math
import pickle
import struct
import tarfile
import zlib
from pathlib import Path
from typing import IO, Any

import numpy as np

from helpers.datasets.errors import FormatError

try:
    from numpy._core.multiarray import _reconstruct  # NumPy 2
except ImportError:  # NumPy 1.x
    from numpy.core.multiarray import _reconstruct

__all__ = ["CIFAR10_MEMBERS", "RestrictedUnpickler", "read_cifar10", "read_idx"]

# Tercer byte del número mágico IDX -> tipo de dato (big-endian).
_IDX_TYPES = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}

CIFAR10_MEMBERS = {
    "train": [f"cifar-10-batches-py/data_batch_{i}" for i in range(1, 6)],
    "test": ["cifar-10-batches-py/test_batch"],
}


def read_idx(path: Path) -> np.ndarray:
    """Lee un archivo IDX comprimido con gzip (formato de MNIST y Fashion-MNIST) como array NumPy.

    Comprueba el número mágico (``00 00 <tipo> <dimensiones>``) y que el tamaño de los datos
    coincida exactamente con las dimensiones de la cabecera.

    Ejemplo:
        >>> labels = read_idx(Path("data/fashion-mnist/t10k-labels-idx1-ubyte.gz"))  # doctest: +SKIP
        >>> labels.shape, labels.dtype                                                # doctest: +SKIP
        ((10000,), dtype('uint8'))
    """
    try:
        with gzip.open(path, "rb") as stream:
            raw = stream.read()
    except (OSError, EOFError, zlib.error) as error:
        raise FormatError(f"{path.name} no es un gzip válido o está incompleto ({error}).") from None
    if len(raw) < 4 or raw[:2] != b"\x00\x00" or raw[2] not in _IDX_TYPES or raw[3] == 0:
        raise FormatError(f"{path.name} no es un archivo IDX: número mágico {raw[:4].hex()} incorrecto.")
    ndim = raw[3]
    header = 4 + 4 * ndim
    if len(raw) < header:
        raise FormatError(f"{path.name} está incompleto: la cabecera IDX se corta.")
    shape = struct.unpack(f">{ndim}I", raw[4:header])
    dtype = np.dtype(_IDX_TYPES[raw[2]])
    expected = header + math.prod(shape) * dtype.itemsize
    if len(raw) != expected:
        raise FormatError(f"{path.name} no cuadra con su cabecera {shape}: esperaba {expected} bytes "
                          f"y tiene {len(raw)} (¿archivo incompleto?).")
    return np.frombuffer(raw, dtype, offset=header).reshape(shape).astype(dtype.newbyteorder("="))


class RestrictedUnpickler(pickle.Unpickler):
    """Deserializador que solo admite lo que necesitan los lotes de CIFAR-10 (arrays de NumPy).

    ``pickle`` puede ejecutar código arbitrario; este deserializador rechaza cualquier
    clase o función que no sea ``ndarray``, ``dtype`` o ``_reconstruct`` de NumPy.

    Ejemplo:
        >>> import io, os
        >>> malicious = pickle.dumps(os.system)
        >>> RestrictedUnpickler(io.BytesIO(malicious)).load()  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        helpers.datasets.errors.FormatError: El pickle pide ...system, que no está permitido: ...
    """

    ALLOWED = {
        ("numpy.core.multiarray", "_reconstruct"): _reconstruct,
        ("numpy._core.multiarray", "_reconstruct"): _reconstruct,
        ("numpy", "ndarray"): np.ndarray,
        ("numpy", "dtype"): np.dtype,
    }

    def find_class(self, module: str, name: str) -> Any:
        """Devuelve el objeto permitido ``module.name`` o lanza ``FormatError``."""
        try:
            return self.ALLOWED[(module, name)]
        except KeyError:
            raise FormatError(f"El pickle pide {module}.{name}, que no está permitido: "
                              "lo rechazo por seguridad.") from None


def _load_batch(stream: IO[bytes], name: str) -> tuple[np.ndarray, np.ndarray]:
    """Deserializa y valida un lote de CIFAR-10: ``(imágenes (N, 32, 32, 3), etiquetas (N,))``."""
    try:
        batch = RestrictedUnpickler(stream, encoding="bytes").load()
    except (pickle.UnpicklingError, ValueError, TypeError) as error:  # EOFError: archivo cortado
        raise FormatError(f"El lote {name} de CIFAR-10 no se puede leer ({error}).") from None
    if not isinstance(batch, dict) or b"data" not in batch or b"labels" not in batch:
        raise FormatError(f"El lote {name} de CIFAR-10 no tiene las claves b'data' y b'labels'.")
    data, labels = batch[b"data"], np.asarray(batch[b"labels"])
    well_formed = (isinstance(data, np.ndarray) and data.dtype == np.uint8 and data.ndim == 2
                   and data.shape[1] == 3072 and labels.shape == (data.shape[0],)
                   and np.isin(labels, np.arange(10)).all())
    if not well_formed:
        raise FormatError(f"El lote {name} de CIFAR-10 no tiene la forma esperada "
                          "(datos uint8 (N, 3072) y N etiquetas entre 0 y 9).")
    images = data.reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1)
    return np.ascontiguousarray(images), labels.astype(np.uint8)


def read_cifar10(path: Path) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Lee CIFAR-10 directamente de ``cifar-10-python.tar.gz``, sin extraerlo.

    Devuelve ``(x_train, y_train), (x_test, y_test)`` con imágenes uint8 ``(N, 32, 32, 3)``
    (canales al final, como ``keras.datasets``). Llámala solo con un archivo ya comprobado:
    los lotes son pickles y se leen con ``RestrictedUnpickler``.

    Ejemplo:
        >>> (x_train, y_train), _ = read_cifar10(Path("cifar-10-python.tar.gz"))  # doctest: +SKIP
        >>> x_train.shape                                                          # doctest: +SKIP
        (50000, 32, 32, 3)
    """
    wanted = {name for names in CIFAR10_MEMBERS.values() for name in names}
    batches = {}
    try:
        with tarfile.open(path) as tar:
            for member in tar:  # una sola pasada por el gzip
                if member.name in wanted and member.isfile():
                    batches[member.name] = _load_batch(tar.extractfile(member), member.name)
    except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as error:
        raise FormatError(f"{path.name} está dañado o incompleto ({error}).") from None
    missing = sorted(wanted - batches.keys())
    if missing:
        raise FormatError(f"{path.name} no contiene {', '.join(missing)}: no es el archivo de CIFAR-10.")
    return _join(batches, CIFAR10_MEMBERS["train"]), _join(batches, CIFAR10_MEMBERS["test"])


def _join(batches: dict[str, tuple[np.ndarray, np.ndarray]],
          names: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Une varios lotes en un solo par ``(imágenes, etiquetas)``."""
    images, labels = zip(*(batches[name] for name in names))
    return np.concatenate(images), np.concatenate(labels)
