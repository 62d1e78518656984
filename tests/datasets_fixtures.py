"""Fixtures de las pruebas de ``helpers.datasets``: archivos pequeños en los formatos reales.

Se importan desde cada ``tests/test_datasets_*.py``. Todo se genera en carpetas temporales:
IDX comprimidos, un ``cifar-10-python.tar.gz`` con pickles de verdad, zips y tar.gz de fotos
JPEG diminutas, archivos maliciosos, una réplica falsa con ``SHA256SUMS`` y un servidor HTTP
local para probar la descarga real.
"""
from __future__ import annotations

import dataclasses
import gzip
import hashlib
import io
import pickle
import socket
import struct
import tarfile
import threading
import zipfile
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from helpers.datasets import registry
from helpers.datasets.checksums import file_hash
from helpers.datasets.registry import RemoteFile
from helpers.datasets.replica import write_sha256sums
from tools.standin_data import APPLE_DOUBLE, LIST_HEADER, tar_gz, voc_xml

FASHION_NAMES = ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                 "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"]


# ---------------------------------------------------------------- helpers de formato

def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def md5(data: bytes) -> str:
    return hashlib.md5(data).hexdigest()


def idx_bytes(array: np.ndarray, type_code: int = 0x08) -> bytes:
    """Codifica ``array`` como IDX (sin comprimir): magia, dimensiones big-endian y datos."""
    dtype = {0x08: ">u1", 0x0C: ">i4"}[type_code]
    header = bytes([0, 0, type_code, array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape)
    return header + array.astype(dtype).tobytes()


def gz(data: bytes) -> bytes:
    return gzip.compress(data, mtime=0)


def fashion_arrays(n_train: int = 6, n_test: int = 4) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(0)
    return {
        "train-images-idx3-ubyte.gz": rng.integers(0, 256, (n_train, 28, 28), dtype=np.uint8),
        "train-labels-idx1-ubyte.gz": (np.arange(n_train) % 10).astype(np.uint8),
        "t10k-images-idx3-ubyte.gz": rng.integers(0, 256, (n_test, 28, 28), dtype=np.uint8),
        "t10k-labels-idx1-ubyte.gz": (np.arange(n_test)[::-1] % 10).astype(np.uint8),
    }


def fashion_files() -> dict[str, bytes]:
    """Los cuatro archivos IDX gzip de Fashion-MNIST, en pequeño."""
    return {name: gz(idx_bytes(array)) for name, array in fashion_arrays().items()}


def cifar_batch(first_label: int, n: int = 3) -> dict[bytes, object]:
    """Un lote con la estructura oficial: claves bytes, datos uint8 (n, 3072) en planos R, G, B."""
    data = np.zeros((n, 3, 32, 32), np.uint8)
    data[:, 0], data[:, 1], data[:, 2] = 10, 20, 30
    data[:, 0, 0, 1] = first_label * 10 + np.arange(n)  # un píxel distinto por imagen
    labels = [(first_label + i) % 10 for i in range(n)]
    return {b"batch_label": b"batch", b"labels": labels, b"data": data.reshape(n, 3072),
            b"filenames": [b"img%d.png" % i for i in range(n)]}


class Py2Pickler(pickle._Pickler):
    """Pickler de protocolo 2 que escribe bytes como ``str`` de Python 2, igual que los lotes oficiales.

    Con ``legacy_numpy=True`` nombra ``numpy.core.multiarray`` (NumPy 1, archivos oficiales);
    si no, el nombre que use la NumPy instalada (``numpy._core`` en NumPy 2).
    """

    dispatch = pickle._Pickler.dispatch.copy()

    def __init__(self, stream: io.BytesIO, legacy_numpy: bool) -> None:
        super().__init__(stream, protocol=2)
        self.legacy_numpy = legacy_numpy

    def save_bytes(self, obj: bytes) -> None:
        if len(obj) < 256:
            self.write(pickle.SHORT_BINSTRING + bytes([len(obj)]) + obj)
        else:
            self.write(pickle.BINSTRING + struct.pack("<i", len(obj)) + obj)
        self.memoize(obj)

    dispatch[bytes] = save_bytes

    def save_global(self, obj: object, name: str | None = None) -> None:
        module = getattr(obj, "__module__", "")
        if self.legacy_numpy and module.startswith("numpy._core"):
            module = "numpy.core" + module.removeprefix("numpy._core")
            self.write(pickle.GLOBAL + f"{module}\n{name or obj.__qualname__}\n".encode())
            self.memoize(obj)
            return
        super().save_global(obj, name)


def py2_pickle(obj: object, legacy_numpy: bool = True) -> bytes:
    buffer = io.BytesIO()
    Py2Pickler(buffer, legacy_numpy).dump(obj)
    return buffer.getvalue()


def cifar_members(batch_size: int = 3) -> dict[str, bytes]:
    """Los miembros de ``cifar-10-python.tar.gz`` con pickles de protocolo 2, como los oficiales.

    Los lotes impares nombran ``numpy.core`` (como los oficiales) y los pares, la NumPy instalada.
    """
    members = {f"cifar-10-batches-py/data_batch_{i}": py2_pickle(cifar_batch(i, batch_size), i % 2 == 1)
               for i in range(1, 6)}
    members["cifar-10-batches-py/test_batch"] = py2_pickle(cifar_batch(7, batch_size))
    members["cifar-10-batches-py/batches.meta"] = py2_pickle({b"label_names": [b"airplane"]})
    return members


def cifar_file(batch_size: int = 3) -> bytes:
    return tar_gz(cifar_members(batch_size))


def jpeg(color: tuple[int, int, int] = (200, 50, 50), size: int = 8) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (size, size), color).save(buffer, "JPEG")
    return buffer.getvalue()


def corrupt_jpeg() -> bytes:
    """Un JPEG cortado por la mitad: la cabecera parece válida, pero no se puede decodificar."""
    data = jpeg(size=64)
    return data[: len(data) // 2]


def cats_and_dogs_zip() -> bytes:
    """``cats_and_dogs_filtered.zip`` (2 + 2 de entrenamiento, 1 + 1 de validación) y un JPEG roto."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for split, n in [("train", 2), ("validation", 1)]:
            for cls in ["cats", "dogs"]:
                for i in range(n):
                    zf.writestr(f"cats_and_dogs_filtered/{split}/{cls}/{cls[:-1]}.{i}.jpg", jpeg())
        zf.writestr("cats_and_dogs_filtered/train/cats/cat.99.jpg", corrupt_jpeg())
        zf.writestr("cats_and_dogs_filtered/vectorize.py", b"# no es una imagen\n")
    return buffer.getvalue()


OXFORD_IMAGES = ["Abyssinian_1.jpg", "Abyssinian_2.jpg", "Bengal_10.jpg",
                 "great_pyrenees_3.jpg", "american_pit_bull_terrier_7.jpg"]


def oxford_files() -> dict[str, bytes]:
    """``images.tar.gz`` (fotos planas ``<Raza>_<n>.jpg`` y un ``.mat``) y ``annotations.tar.gz``."""
    images = {f"images/{name}": jpeg() for name in OXFORD_IMAGES}
    images["images/Abyssinian_100.mat"] = b"MATLAB"
    annotations = {
        "annotations/trainval.txt": b"Abyssinian_1 1 1 1\ngreat_pyrenees_3 22 2 12\n",
        "annotations/test.txt": b"Abyssinian_2 1 1 1\nBengal_10 6 1 4\n",
        "annotations/list.txt": b"#Image CLASS-ID SPECIES BREED ID\n",
    }
    return {"images.tar.gz": tar_gz(images), "annotations.tar.gz": tar_gz(annotations)}


#: Color de la cabeza y del fondo en las fotos de ``oxford_faces_files``: muy distintos, para
#: que un recorte desplazado un solo píxel se note.
HEAD, BACKGROUND = (200, 40, 40), (30, 200, 60)
#: Fotos de ``oxford_faces_files``: nombre → (tamaño, recuadro VOC o None, cómo se guarda).
FACE_CASES = {
    "Abyssinian_1": ((40, 30), (5, 7, 20, 18), "jpeg"),
    "Abyssinian_2": ((24, 20), (1, 1, 24, 20), "jpeg"),       # el recuadro es la foto entera
    "Bengal_1": ((36, 28), (3, 2, 30, 9), "cmyk"),
    "Bengal_2": ((30, 30), (10, 10, 31, 20), "jpeg"),         # se sale por la derecha
    "great_pyrenees_3": ((40, 30), (5, 5, 15, 15), "rota"),   # la foto no se decodifica
    "great_pyrenees_4": ((40, 30), None, "jpeg"),             # sin xml (como las de test)
}


def face_photo(size: tuple[int, int], box: tuple[int, int, int, int] | None) -> Image.Image:
    """Foto de fondo verde con el recuadro VOC ``box`` (desde 1, extremos incluidos) en rojo."""
    pixels = np.zeros((size[1], size[0], 3), np.uint8)
    pixels[:] = BACKGROUND
    if box is not None:
        xmin, ymin, xmax, ymax = box
        pixels[max(ymin - 1, 0):ymax, max(xmin - 1, 0):xmax] = HEAD
    return Image.fromarray(pixels)


def faithful_jpeg(photo: Image.Image, mode: str) -> bytes:
    """JPEG de máxima calidad y sin submuestreo de color (``mode`` ``"jpeg"`` = RGB o ``"cmyk"``)."""
    buffer = io.BytesIO()
    photo.convert("CMYK" if mode == "cmyk" else "RGB").save(buffer, "JPEG", quality=100, subsampling=0)
    return buffer.getvalue()


def oxford_faces_files() -> dict[str, bytes]:
    """Los dos archivos de Oxford-IIIT Pet con cabezas en xml (``FACE_CASES``) y rarezas oficiales."""
    images, annotations = {"images/Abyssinian_100.mat": b"MATLAB"}, {}
    for stem, (size, box, kind) in FACE_CASES.items():
        photo = face_photo(size, box)
        images[f"images/{stem}.jpg"] = corrupt_jpeg() if kind == "rota" else faithful_jpeg(photo, kind)
        if box is not None:
            species = "cat" if stem[0].isupper() else "dog"
            annotations[f"annotations/xmls/{stem}.xml"] = voc_xml(f"{stem}.jpg", size, 3, species, box)
    annotations["annotations/xmls/._Abyssinian_1.xml"] = APPLE_DOUBLE
    annotations["annotations/list.txt"] = (LIST_HEADER + "Abyssinian_1 1 1 1\n").encode()
    annotations["annotations/trainval.txt"] = b"Abyssinian_1 1 1 1\n"
    annotations["annotations/test.txt"] = b"great_pyrenees_4 22 2 12\n"
    return {"images.tar.gz": tar_gz(images), "annotations.tar.gz": tar_gz(annotations)}


# ---------------------------------------------------------------- archivos maliciosos

def tar_with(info: tarfile.TarInfo, content: bytes = b"") -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        tar.addfile(info, io.BytesIO(content) if content else None)
    return buffer.getvalue()


def malicious_tars() -> dict[str, bytes]:
    """Tar.gz que intentan escribir fuera de la carpeta destino."""
    dotdot = tarfile.TarInfo("datos/../../evil.txt")
    dotdot.size = 4
    absolute = tarfile.TarInfo("/tmp/curso-cnn-evil.txt")
    absolute.size = 4
    symlink = tarfile.TarInfo("datos/enlace")
    symlink.type, symlink.linkname = tarfile.SYMTYPE, "../../.."
    hardlink = tarfile.TarInfo("datos/duro")
    hardlink.type, hardlink.linkname = tarfile.LNKTYPE, "/etc/passwd"
    device = tarfile.TarInfo("datos/dispositivo")
    device.type, device.devmajor, device.devminor = tarfile.CHRTYPE, 1, 3
    return {"dotdot": tar_with(dotdot, b"evil"), "absolute": tar_with(absolute, b"evil"),
            "symlink": tar_with(symlink), "hardlink": tar_with(hardlink), "device": tar_with(device)}


def malicious_zips() -> dict[str, bytes]:
    """Zips con ``..``, ruta absoluta o un enlace simbólico."""
    result = {}
    for key, name in [("dotdot", "datos/../../evil.txt"), ("absolute", "/tmp/curso-cnn-evil.txt"),
                      ("backslash", "datos\\..\\..\\evil.txt")]:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as zf:
            zf.writestr(name, b"evil")
        result[key] = buffer.getvalue()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        info = zipfile.ZipInfo("datos/enlace")
        info.external_attr = (0o120777 << 16)
        zf.writestr(info, "../../..")
    result["symlink"] = buffer.getvalue()
    return result


# ---------------------------------------------------------------- entorno aislado

@pytest.fixture
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Caché en una carpeta temporal y sin réplica: las pruebas nunca tocan ``data/`` del repositorio."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("CNN_DATA_DIR", str(cache))
    monkeypatch.delenv("CNN_MIRROR", raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    return cache


def make_mirror(root: Path, files: dict[str, bytes], listed: set[str] | None = None) -> Path:
    """Crea una réplica falsa ``root/<conjunto>/<archivo>`` con ``SHA256SUMS`` (como la orden replica).

    ``listed`` limita qué rutas aparecen en ``SHA256SUMS`` (por defecto, todas).
    """
    root.mkdir(parents=True, exist_ok=True)
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    listed = set(files) if listed is None else listed
    write_sha256sums(root, {relative: file_hash(root / relative) for relative in files if relative in listed})
    return root


def point_registry(monkeypatch: pytest.MonkeyPatch, dataset: str,
                   files: dict[str, tuple[tuple[str, ...], str | None]]) -> None:
    """Sustituye las direcciones y sumas de ``dataset`` en el registro: ``{archivo: (urls, hash)}``."""
    resource = registry.REGISTRY[dataset]
    remote = tuple(RemoteFile(name, urls, known_hash) for name, (urls, known_hash) in files.items())
    monkeypatch.setitem(registry.REGISTRY, dataset, dataclasses.replace(resource, files=remote))


# ---------------------------------------------------------------- servidor HTTP local

class _Handler(SimpleHTTPRequestHandler):
    """Sirve una carpeta, admite ``Range`` y anota cada petición.

    ``/cortado/<archivo>`` corta siempre la respuesta a la mitad (y no admite ``Range``);
    ``/corta-una-vez/<ruta>`` la corta solo la primera vez que se pide cada archivo (salvo
    ``SHA256SUMS``), como una red que falla a ratos.
    """

    def do_GET(self) -> None:  # noqa: N802 (nombre de la API de http.server)
        self.server.requests.append(self.path)
        self.server.ranges.append(self.headers.get("Range"))
        if self.path.startswith("/cortado/"):
            data = (Path(self.directory) / self.path.removeprefix("/cortado/")).read_bytes()
            self._send(200, data, len(data), cut=True)
            return
        flaky = self.path.startswith("/corta-una-vez/")
        path = Path(self.directory) / self.path.removeprefix("/corta-una-vez/" if flaky else "/")
        if not path.is_file():
            super().do_GET()
            return
        data = path.read_bytes()
        first_time = flaky and path.name != "SHA256SUMS" and self.path not in self.server.dropped
        if first_time:
            self.server.dropped.add(self.path)
        start = int(self.headers["Range"].removeprefix("bytes=").rstrip("-")) if self.headers.get("Range") else 0
        if start >= len(data) > 0:
            self.send_response(416)
            self.end_headers()
            return
        self._send(206 if start else 200, data[start:], len(data) - start, cut=first_time)

    def _send(self, status: int, data: bytes, length: int, cut: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Length", str(length))
        self.end_headers()
        self.wfile.write(data[: len(data) // 2] if cut else data)
        self.wfile.flush()
        self.close_connection = True

    def log_message(self, *args: object) -> None:
        """Sin registro en la consola de las pruebas."""


class Server:
    """Servidor en marcha: ``url(nombre)``, ``publish(nombre, datos)``, ``requests`` (rutas pedidas)
    y ``ranges`` (la cabecera ``Range`` de cada petición, o ``None``)."""

    def __init__(self, root: Path, httpd: ThreadingHTTPServer) -> None:
        self.root, self.httpd = root, httpd
        self.requests: list[str] = httpd.requests
        self.ranges: list[str | None] = httpd.ranges

    def url(self, name: str, prefix: str = "") -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}/{prefix}{name}"

    def publish(self, name: str, data: bytes) -> str:
        (self.root / name).write_bytes(data)
        return self.url(name)


@pytest.fixture
def http_server(tmp_path: Path) -> Iterator[Server]:
    """Servidor HTTP real en 127.0.0.1 (puerto libre), en un hilo; se detiene al terminar la prueba."""
    root = tmp_path / "servidor"
    root.mkdir()

    def handler(*args: object, **kwargs: object) -> _Handler:
        return _Handler(*args, directory=str(root), **kwargs)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.requests, httpd.ranges, httpd.dropped = [], [], set()
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield Server(root, httpd)
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def closed_port_url(name: str) -> str:
    """Una dirección en un puerto local sin nadie escuchando (conexión rechazada)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/{name}"
