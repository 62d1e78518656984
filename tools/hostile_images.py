"""Imágenes para poner a prueba la API: válidas de todos los formatos y modos, trampas y mutaciones.

Las usan la prueba de *fuzzing* (``tests/test_serving_fuzz.py``) y la medición de carga
(``tools/api_load.py``). Todo se fabrica aquí, con semilla: nada se descarga.
"""
from __future__ import annotations

import io
import struct
import zlib

import numpy as np
from PIL import Image

__all__ = ["bomb_png", "crafted_corpus", "declared_png", "exif_rotated_jpeg", "mutate", "photo",
           "valid_corpus"]

MODES = ["1", "L", "P", "LA", "PA", "RGB", "RGBA", "RGBa", "CMYK", "YCbCr", "LAB", "HSV", "I", "I;16", "F"]
FORMATS = ["PNG", "JPEG", "GIF", "BMP", "TIFF", "WEBP", "PPM", "TGA", "ICO", "JPEG2000", "AVIF", "PCX",
           "SGI", "QOI", "DDS", "SPIDER", "XBM", "BLP", "ICNS"]


def photo(size: tuple[int, int] = (60, 40), seed: int = 0, mode: str = "RGB", fmt: str = "PNG", **save) -> bytes:
    """Una «foto» (mancha oscura con ruido sobre fondo claro) de ``size`` = (ancho, alto).

    Ejemplo:
        >>> Image.open(io.BytesIO(photo((30, 20)))).size
        (30, 20)
    """
    rng = np.random.default_rng(seed)
    width, height = size
    pixels = np.full((height, width, 3), 230, np.uint8)
    pixels[height // 4: 3 * height // 4 + 1, width // 3: 2 * width // 3 + 1] = rng.integers(0, 90, 3)
    pixels = np.clip(pixels + rng.integers(-12, 13, pixels.shape), 0, 255).astype(np.uint8)
    image = Image.fromarray(pixels)
    if mode == "I;16":
        image = Image.fromarray(np.asarray(image.convert("L")).astype(np.uint16) * 257)
    elif mode == "F":
        image = Image.fromarray(np.asarray(image.convert("L"), np.float32) / 255)
    elif mode != "RGB":
        image = image.convert(mode)
    buffer = io.BytesIO()
    image.save(buffer, fmt, **save)
    return buffer.getvalue()


def valid_corpus(size: tuple[int, int] = (23, 17), seed: int = 0) -> list[tuple[str, bytes]]:
    """Una imagen pequeña por cada modo × formato que Pillow sabe escribir y volver a leer."""
    corpus = []
    for mode in MODES:
        for fmt in FORMATS:
            try:
                data = photo(size, seed, mode, fmt)
                Image.open(io.BytesIO(data)).load()
            except Exception:  # noqa: BLE001 — esa combinación no existe en Pillow
                continue
            corpus.append((f"{mode}.{fmt.lower()}", data))
    return corpus


def _chunk(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))


def declared_png(width: int, height: int, idat: bytes = b"") -> bytes:
    """Un PNG gris que **declara** ``width`` × ``height`` y lleva ``idat`` (por defecto, casi nada)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    idat = idat or zlib.compress(b"\x00" * 64)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", idat) + _chunk(b"IEND", b"")


def bomb_png(width: int, height: int) -> bytes:
    """Una bomba de descompresión de verdad: un PNG negro completo, que comprimido ocupa muy poco."""
    compressor = zlib.compressobj(9)
    row = b"\x00" * (width + 1)
    parts = [compressor.compress(row * min(height - start, 256)) for start in range(0, height, 256)]
    return declared_png(width, height, b"".join(parts) + compressor.flush())


def _declared_jpeg(width: int, height: int) -> bytes:
    """Un JPEG de 16×16 cuya cabecera (SOF0) dice medir ``width`` × ``height``."""
    data = bytearray(photo((16, 16), fmt="JPEG"))
    sof = data.index(b"\xff\xc0")
    data[sof + 5: sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def exif_rotated_jpeg(size: tuple[int, int] = (60, 40), orientation: int = 6, seed: int = 0) -> bytes:
    """Un JPEG con orientación EXIF (6: girar 90° a la derecha para verlo derecho)."""
    exif = Image.Exif()
    exif[0x0112] = orientation
    return photo(size, seed, fmt="JPEG", exif=exif.tobytes())


def _float_tiff(value: float) -> bytes:
    pixels = np.full((12, 12), 0.5, np.float32)
    pixels[3, 4] = value
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, "TIFF")
    return buffer.getvalue()


def crafted_corpus() -> list[tuple[str, bytes]]:
    """Trampas: tamaños declarados enormes, proporciones extremas, bombas y valores no finitos."""
    return [
        ("png-30000x30000-declarado", declared_png(30_000, 30_000)),
        ("png-1x100000", declared_png(1, 100_000)),
        ("png-20000x1-real", bomb_png(20_000, 1)),
        ("png-0x10", declared_png(0, 10)),
        ("png-2^31", declared_png(2**31 - 1, 2**31 - 1)),
        ("bomba-png-2100x2100", bomb_png(2_100, 2_100)),
        ("jpeg-51440x300-declarado", _declared_jpeg(51_440, 300)),
        ("tiff-nan", _float_tiff(float("nan"))),
        ("tiff-inf", _float_tiff(float("inf"))),
        ("tiff-lab", photo((20, 20), mode="LAB", fmt="TIFF")),
        ("jpeg-exif-6", exif_rotated_jpeg()),
        ("texto", b"esto no es una imagen"),
        ("vacio", b""),
    ]


def mutate(data: bytes, rng: np.random.Generator) -> bytes:
    """Entre 1 y 4 mutaciones al azar: voltear bits, valores extremos, cortar, repetir o insertar trozos."""
    data = bytearray(data)
    for _ in range(int(rng.integers(1, 5))):
        if not data:
            data = bytearray(rng.bytes(8))
        kind = int(rng.integers(0, 6))
        at = int(rng.integers(0, len(data)))
        if kind == 0:
            data[at] ^= 1 << int(rng.integers(0, 8))
        elif kind == 1:
            data[at] = int(rng.choice([0x00, 0x01, 0x7F, 0x80, 0xFE, 0xFF]))
        elif kind == 2:
            data = data[:at]
        elif kind == 3:
            span = data[at: at + int(rng.integers(1, 64))]
            data[at:at] = span * int(rng.integers(1, 4))
        elif kind == 4:
            data[at:at] = rng.bytes(int(rng.integers(1, 16)))
        else:  # en la cabecera, donde están los tamaños
            head = min(len(data), 64)
            data[int(rng.integers(0, head))] = int(rng.integers(0, 256))
    return bytes(data)
