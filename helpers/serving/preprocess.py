"""De los bytes de una foto a la entrada del modelo: una sola ruta de decodificación, con límites.

Fashion-MNIST son prendas **claras sobre fondo negro**, centradas, de 28×28 píxeles. Una foto
real suele ser lo contrario (prenda oscura sobre fondo claro) y de otro tamaño. Los pasos:

1. ``decode_image``: comprobar bytes y tamaño **declarado** (ancho × alto y lado mayor) antes
   de decodificar nada, decodificar con Pillow, aplicar la orientación EXIF (como hace el
   navegador) y pasar a RGB con ``helpers.images.to_rgb`` (la única conversión de modos del
   curso). Cualquier fallo del decodificador se convierte en ``ImageRejected`` con su código HTTP.
2. Pasar a gris (la fórmula ITU-R 601 de Pillow, la misma que la página web).
3. Rellenar hasta un cuadrado con el color del borde (la mediana), para no deformar la prenda,
   y reducir a 28×28 promediando áreas (``area_resize``). El cuadrado **no se construye**: su
   relleno es constante, así que basta con reducir la parte con imagen (ver ``_padded_resize``).
4. Si el fondo es claro, invertir: la prenda queda clara sobre negro, como al entrenar.

Los modelos de fotos en color (``prepare_photo``) usan la misma decodificación y la misma
reducción por áreas, sin pasar a gris ni invertir.

Memoria: con los límites por defecto, una imagen aceptada ocupa a lo sumo unos 13 bytes por
píxel declarado entre todas las copias (decodificada, conversión, RGB y gris), más trozos de
32 MB al reducir: unos 210 MB para 16 millones de píxeles. Nada depende del lado del cuadrado.
"""
from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

import numpy as np

__all__ = ["ImageRejected", "Limits", "area_resize", "decode_image", "prepare_image", "prepare_photo"]

SIZE = 28
_CHUNK_VALUES = 4_000_000  # valores float64 por trozo al reducir (32 MB)


class ImageRejected(ValueError):
    """La imagen no se puede usar; ``status`` es el código HTTP que corresponde (400, 413, 415 o 422)."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Limits:
    """Límites de lo que se acepta: bytes del archivo, píxeles (ancho × alto) y lado mayor.

    El lado mayor por defecto, 16 384, es también el mayor lienzo que dibujan bien los
    navegadores: la página web aplica los mismos límites.
    """

    max_bytes: int = 5_000_000
    max_pixels: int = 16_000_000
    max_side: int = 16_384


def _coverage(n_in: int, n_out: int) -> np.ndarray:
    """Matriz ``(n_out, n_in)``: qué fracción de cada píxel de entrada cae en cada píxel de salida."""
    scale = n_in / n_out
    starts = np.arange(n_out)[:, np.newaxis] * scale
    stops = (np.arange(n_out)[:, np.newaxis] + 1) * scale
    pixels = np.arange(n_in)[np.newaxis, :]
    overlap = np.minimum(stops, pixels + 1) - np.maximum(starts, pixels)
    return np.clip(overlap, 0, None) / scale


def area_resize(gray: np.ndarray, size: int = SIZE) -> np.ndarray:
    """Reduce una imagen ``(alto, ancho)`` a ``(size, size)`` promediando áreas exactas.

    Cada píxel de salida es la media de la zona de entrada que cubre, con pesos
    fraccionarios en los bordes de la zona (el «área» de OpenCV, sin suavizados extra).

    Ejemplo:
        >>> area_resize(np.array([[0., 2.], [4., 6.]]), size=1)
        array([[3.]])
    """
    gray = np.asarray(gray, dtype=np.float64)
    return _coverage(gray.shape[0], size) @ gray @ _coverage(gray.shape[1], size).T


def _reduce(plane8: np.ndarray, rows: np.ndarray, cols: np.ndarray, shift: float) -> np.ndarray:
    """``rows @ (plane8 / 255 - shift) @ cols.T`` por trozos de filas: la memoria extra no pasa de 32 MB."""
    height, width = plane8.shape
    partial = np.zeros((rows.shape[0], width))
    step = max(1, _CHUNK_VALUES // width)
    for start in range(0, height, step):
        partial += rows[:, start:start + step] @ (plane8[start:start + step] / 255.0 - shift)
    return partial @ cols.T


def _padded_resize(gray8: np.ndarray, background: float, size: int = SIZE) -> np.ndarray:
    """``area_resize`` del cuadrado centrado relleno de ``background``, sin construir el cuadrado.

    Las filas de la matriz de cobertura suman 1, así que el relleno constante aporta
    ``background`` a cada píxel y solo la parte con imagen (``gray8 / 255 - background``) suma
    algo más.
    """
    height, width = gray8.shape
    side = max(height, width)
    top, left = (side - height) // 2, (side - width) // 2
    square = _coverage(side, size)
    return background + _reduce(gray8, square[:, top:top + height], square[:, left:left + width], background)


def _check_declared(width: int, height: int, limits: Limits) -> None:
    if width < 1 or height < 1:
        raise ImageRejected(f"La imagen declara {width}×{height} píxeles: no tiene contenido.")
    if width * height > limits.max_pixels:
        raise ImageRejected(f"La imagen tiene {width}×{height} píxeles; el máximo es "
                            f"{limits.max_pixels} píxeles en total.", 413)
    if max(width, height) > limits.max_side:
        raise ImageRejected(f"La imagen tiene {width}×{height} píxeles; su lado mayor no puede "
                            f"pasar de {limits.max_side} píxeles.", 413)


def decode_image(data: bytes, limits: Limits = Limits()):
    """Bytes de una imagen → imagen RGB de Pillow, derecha según su EXIF, dentro de los límites.

    Los límites se comprueban con el tamaño **declarado** en la cabecera, antes de decodificar.
    Cualquier problema lanza ``ImageRejected`` con un mensaje en español y su código HTTP: 400
    (vacía o dañada), 413 (demasiado grande), 415 (no es una imagen que se sepa leer) o 422
    (valores no finitos).

    Ejemplo:
        >>> from PIL import Image
        >>> buffer = io.BytesIO(); Image.new("L", (3, 2)).save(buffer, "PNG")
        >>> decode_image(buffer.getvalue()).mode
        'RGB'
    """
    from PIL import Image, ImageOps, UnidentifiedImageError

    from helpers.images import to_rgb

    if not data:
        raise ImageRejected("El archivo está vacío: envía una imagen (JPEG, PNG, WebP…).")
    if len(data) > limits.max_bytes:
        raise ImageRejected(f"La imagen ocupa {len(data)} bytes; el máximo es {limits.max_bytes}.", 413)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # avisos de Pillow (bombas, EXIF raros): aquí se decide
        try:
            image = Image.open(io.BytesIO(data))
        except UnidentifiedImageError:
            raise ImageRejected("El archivo no es una imagen que se pueda leer (JPEG, PNG, WebP, GIF, "
                                "BMP, TIFF…).", 415) from None
        except Image.DecompressionBombError:
            raise ImageRejected("La imagen declara tantos píxeles que parece una bomba de "
                                f"descompresión; el máximo es {limits.max_pixels} píxeles.", 413) from None
        except Exception:  # noqa: BLE001 — cada decodificador falla a su manera
            raise ImageRejected("La cabecera de la imagen está dañada o incompleta.") from None
        _check_declared(*image.size, limits)
        try:
            image.load()
            _check_declared(*image.size, limits)  # algunos formatos eligen el tamaño al cargar
            try:
                image = ImageOps.exif_transpose(image)
            except Exception:  # noqa: BLE001 — EXIF dañado: como el navegador, se ignora
                pass
        except ImageRejected:
            raise
        except MemoryError:
            raise ImageRejected("La imagen no cabe en la memoria del servidor.", 413) from None
        except Exception:  # noqa: BLE001
            raise ImageRejected("La imagen está dañada o incompleta: no se puede decodificar.") from None
    try:
        return to_rgb(image)
    except ValueError as error:  # NaN o infinito en una imagen de decimales
        raise ImageRejected(f"La imagen no se puede usar: {error}", 422) from None


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
    gray8 = np.asarray(decode_image(data, limits).convert("L"))
    border = np.concatenate([gray8[0], gray8[-1], gray8[:, 0], gray8[:, -1]])
    background = float(np.median(border)) / 255.0
    small = _padded_resize(gray8, background)
    if background > 0.5:
        small = 1.0 - small
    return np.clip(small, 0.0, 1.0).astype(np.float32)


def prepare_photo(data: bytes, side: int, limits: Limits = Limits()) -> np.ndarray:
    """Bytes de una foto → array ``(side, side, 3)`` ``float32`` en 0–255, en color.

    Para los modelos de fotos (los gatos y perros del cuaderno 06): la foto entera se estira a
    un cuadrado, como hace ``image_dataset_from_directory``, promediando áreas en vez de
    interpolar, y los valores quedan en 0–255 porque la red los escala con su capa ``Rescaling``.

    Ejemplo:
        >>> from PIL import Image
        >>> buffer = io.BytesIO(); Image.new("RGB", (90, 40), (255, 0, 0)).save(buffer, "PNG")
        >>> x = prepare_photo(buffer.getvalue(), 32)
        >>> x.shape, float(x[..., 0].min()), float(x[..., 1].max())
        ((32, 32, 3), 255.0, 0.0)
    """
    rgb = np.asarray(decode_image(data, limits))
    rows, cols = _coverage(rgb.shape[0], side), _coverage(rgb.shape[1], side)
    channels = [_reduce(np.ascontiguousarray(rgb[..., c]), rows, cols, 0.0) for c in range(3)]
    return np.clip(np.stack(channels, axis=-1) * 255.0, 0.0, 255.0).astype(np.float32)
