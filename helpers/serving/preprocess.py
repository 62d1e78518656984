"""De una foto cualquiera a la entrada del modelo de Fashion-MNIST (28×28, gris, fondo negro).

Fashion-MNIST son prendas **claras sobre fondo negro**, centradas, de 28×28 píxeles. Una foto
real suele ser lo contrario (prenda oscura sobre fondo claro) y de otro tamaño. Los pasos:

1. Abrir la imagen comprobando los límites (bytes y píxeles) y pasarla a gris, sea cual sea
   su modo (RGB, RGBA sobre blanco, CMYK, paleta, 16 bits…).
2. Rellenar hasta un cuadrado con el color del borde, para no deformar la prenda.
3. Reducir a 28×28 promediando áreas (``area_resize``): cada píxel nuevo es la media exacta
   de la zona de la foto que cubre. Es fácil de repetir igual en JavaScript (la página web).
4. Si el fondo es claro, invertir: la prenda queda clara sobre negro, como al entrenar.
"""
from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np

__all__ = ["ImageRejected", "Limits", "area_resize", "prepare_image", "to_gray"]

SIZE = 28


class ImageRejected(ValueError):
    """La imagen no se puede usar; ``status`` es el código HTTP que corresponde (400 o 413)."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Limits:
    """Límites de lo que se acepta: bytes del archivo y píxeles (ancho × alto) de la imagen."""

    max_bytes: int = 5_000_000
    max_pixels: int = 25_000_000


def area_resize(gray: np.ndarray, size: int = SIZE) -> np.ndarray:
    """Reduce una imagen ``(alto, ancho)`` a ``(size, size)`` promediando áreas exactas.

    Cada píxel de salida es la media de la zona de entrada que cubre, con pesos
    fraccionarios en los bordes de la zona (el «área» de OpenCV, sin suavizados extra).

    Ejemplo:
        >>> area_resize(np.array([[0., 2.], [4., 6.]]), size=1)
        array([[3.]])
    """
    gray = np.asarray(gray, dtype=np.float64)
    rows = _coverage(gray.shape[0], size)
    cols = _coverage(gray.shape[1], size)
    return rows @ gray @ cols.T


def _coverage(n_in: int, n_out: int) -> np.ndarray:
    """Matriz ``(n_out, n_in)``: qué fracción de cada píxel de entrada cae en cada píxel de salida."""
    scale = n_in / n_out
    edges = np.arange(n_out + 1) * scale
    weights = np.zeros((n_out, n_in))
    for out in range(n_out):
        start, stop = edges[out], edges[out + 1]
        for pixel in range(int(np.floor(start)), min(int(np.ceil(stop)), n_in)):
            weights[out, pixel] = min(stop, pixel + 1) - max(start, pixel)
    return weights / scale


def to_gray(image) -> np.ndarray:
    """Imagen de PIL en cualquier modo → array ``(alto, ancho)`` en [0, 1]. La transparencia se pinta sobre blanco.

    Ejemplo:
        >>> from PIL import Image
        >>> float(to_gray(Image.new("RGBA", (2, 2), (0, 0, 0, 0))).min())   # transparente → blanco
        1.0
    """
    from PIL import Image

    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(white, rgba)
    if image.mode.startswith("I;16") or image.mode in ("I", "F"):  # 16 bits o enteros: 0–65535
        values = np.asarray(image, dtype=np.float64)
        return values / (65535.0 if values.max() > 255 else 255.0)
    return np.asarray(image.convert("L"), dtype=np.float64) / 255.0


def _open_checked(data: bytes, limits: Limits):
    """Abre ``data`` con PIL comprobando tamaño, formato e integridad."""
    from PIL import Image, UnidentifiedImageError

    if not data:
        raise ImageRejected("El archivo está vacío: envía una imagen (JPEG, PNG, WebP…).")
    if len(data) > limits.max_bytes:
        raise ImageRejected(f"La imagen ocupa {len(data)} bytes; el máximo es {limits.max_bytes}.", 413)
    try:
        image = Image.open(io.BytesIO(data))
    except UnidentifiedImageError:
        raise ImageRejected("El archivo no es una imagen que se pueda leer (JPEG, PNG, WebP…).") from None
    except OSError as error:  # la cabecera ya está cortada
        raise ImageRejected(f"La imagen está dañada o incompleta ({error}).") from None
    width, height = image.size
    if width * height > limits.max_pixels:
        raise ImageRejected(f"La imagen tiene {width}×{height} píxeles; el máximo es "
                            f"{limits.max_pixels} píxeles en total.", 413)
    try:
        image.load()
    except (OSError, SyntaxError, ValueError) as error:  # archivo cortado o dañado
        raise ImageRejected(f"La imagen está dañada o incompleta ({error}).") from None
    return image


def prepare_image(data: bytes, limits: Limits = Limits()) -> np.ndarray:
    """Bytes de una foto → array ``(28, 28)`` ``float32`` en [0, 1], prenda clara sobre fondo negro.

    Lanza ``ImageRejected`` (con el código HTTP adecuado) si no es una imagen, está dañada o
    supera los límites.

    Ejemplo:
        >>> from PIL import Image
        >>> buffer = io.BytesIO(); Image.new("RGB", (60, 40), "white").save(buffer, "PNG")
        >>> x = prepare_image(buffer.getvalue())
        >>> x.shape, x.dtype, round(float(x.max()), 6)   # fondo blanco → invertido a negro
        ((28, 28), dtype('float32'), 0.0)
    """
    gray = to_gray(_open_checked(data, limits))
    border = np.concatenate([gray[0], gray[-1], gray[:, 0], gray[:, -1]])
    background = float(np.median(border))
    height, width = gray.shape
    side = max(height, width)
    square = np.full((side, side), background)
    top, left = (side - height) // 2, (side - width) // 2
    square[top:top + height, left:left + width] = gray
    small = area_resize(square, SIZE)
    if background > 0.5:
        small = 1.0 - small
    return small.astype(np.float32)
