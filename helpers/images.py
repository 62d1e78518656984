"""Fotos como arrays de NumPy: cargar, pasar a gris, separar canales, recortar y redimensionar."""
from __future__ import annotations

import unicodedata
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

__all__ = [
    "SAMPLE_IMAGES",
    "crop",
    "describe",
    "load_image",
    "resize",
    "sample_image",
    "split_channels",
    "tint_channel",
    "to_grayscale",
    "to_rgb",
]

#: Fotos de ejemplo incluidas en scikit-image (sin descarga): nombre del curso → función de
#: ``skimage.data``.
SAMPLE_IMAGES: dict[str, str] = {
    "astronauta": "astronaut",  # color, 512×512
    "gato": "chelsea",  # color, 300×451
    "cafe": "coffee",  # color, 400×600
    "cohete": "rocket",  # color, 427×640
    "camara": "camera",  # gris, 512×512
    "monedas": "coins",  # gris, 303×384
    "luna": "moon",  # gris, 512×512
    "ladrillos": "brick",  # gris, 512×512
}

#: Pesos de luma de la recomendación ITU-R BT.601 (R, G, B).
LUMA_WEIGHTS = np.array([0.299, 0.587, 0.114])

_CHANNEL_NAMES = {"rojo": 0, "verde": 1, "azul": 2}


def _plain(text: str) -> str:
    """Minúsculas sin tildes, para aceptar 'Café' o 'cámara'."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def sample_image(name: str) -> np.ndarray:
    """Devuelve una foto real de ejemplo incluida en scikit-image (no necesita conexión).

    Parámetros:
        name: una de ``"astronauta"``, ``"gato"``, ``"cafe"``, ``"cohete"`` (color) o
            ``"camara"``, ``"monedas"``, ``"luna"``, ``"ladrillos"`` (escala de grises).
            Se aceptan mayúsculas y tildes (``"Cámara"``).

    Devuelve:
        Un array ``uint8`` (H, W, 3) en color o (H, W) en gris.

    Ejemplo:
        >>> img = sample_image("gato")
        >>> img.shape, img.dtype
        ((300, 451, 3), dtype('uint8'))
    """
    key = _plain(name) if isinstance(name, str) else name
    if key not in SAMPLE_IMAGES:
        options = ", ".join(f"'{option}'" for option in SAMPLE_IMAGES)
        raise ValueError(f"No conozco la imagen de ejemplo {name!r}. Opciones: {options}.")
    import skimage.data

    return np.asarray(getattr(skimage.data, SAMPLE_IMAGES[key])(), dtype=np.uint8)


def load_image(path: str | Path) -> np.ndarray:
    """Carga una foto del disco como array RGB ``uint8`` (H, W, 3).

    Aplica la orientación EXIF (las fotos del móvil salen derechas), convierte gris (también de
    16 bits), paleta y CMYK a RGB, y compone la transparencia sobre fondo blanco. Solo lee
    archivos locales.

    Parámetros:
        path: ruta de un archivo de imagen (PNG, JPEG, BMP, GIF, TIFF, WebP…).

    Devuelve:
        Un array ``uint8`` de forma (alto, ancho, 3).

    Ejemplo:
        >>> img = load_image("data/samples/mi_foto.jpg")  # doctest: +SKIP
        >>> img.shape  # doctest: +SKIP
        (480, 640, 3)
    """
    text = str(path)
    if text.startswith(("http://", "https://", "ftp://")):
        raise ValueError(
            "load_image solo lee archivos locales. Descarga la imagen primero (por ejemplo, "
            "súbela a la carpeta data/) y pasa su ruta."
        )
    file = Path(path).expanduser()
    if not file.is_file():
        raise FileNotFoundError(f"No encuentro el archivo de imagen '{file}'. Comprueba la ruta.")
    try:
        with Image.open(file) as opened:
            picture = ImageOps.exif_transpose(opened)
            picture.load()
    except UnidentifiedImageError as error:
        raise ValueError(f"'{file}' no es una imagen que Pillow sepa leer.") from error
    return np.asarray(to_rgb(picture), dtype=np.uint8)


#: Modos de Pillow con transparencia: se componen sobre fondo blanco.
_ALPHA_MODES = ("RGBA", "LA", "PA", "La", "RGBa")


def to_rgb(picture: Image.Image) -> Image.Image:
    """Pasa una imagen de Pillow en cualquier modo a RGB de 8 bits: la única conversión del curso.

    La usan ``load_image`` y el preprocesado de la API (``helpers.serving``); la página web hace
    lo mismo con lo que le da el navegador. Reglas:

    - gris de 16 o 32 bits (``I;16``, ``I``): 0–65535 → 0–255 dividiendo entre 257 y redondeando;
    - decimales (``F``): se leen en la escala 0–1 (la de scikit-image) y se recortan a ese rango;
      un NaN o un infinito lanza ``ValueError``;
    - transparencia (``RGBA``, ``LA``, paleta con color transparente…): sobre fondo blanco;
    - el resto (``1``, ``L``, paleta, ``CMYK``, ``YCbCr``, ``LAB``, ``HSV``): la conversión de Pillow.

    Ejemplo:
        >>> to_rgb(Image.new("I;16", (1, 1), 65535)).getpixel((0, 0))
        (255, 255, 255)
        >>> to_rgb(Image.new("RGBA", (1, 1), (0, 0, 0, 0))).getpixel((0, 0))   # transparente → blanco
        (255, 255, 255)
    """
    mode = picture.mode
    if mode.startswith("I") or mode == "F":
        values = np.asarray(picture, dtype=np.float32)
        if not np.isfinite(values).all():
            raise ValueError("la imagen tiene valores no finitos (NaN o infinito).")
        top, scale = (1.0, 255.0) if mode == "F" else (65535.0, 1 / 257)
        gray = np.rint(np.clip(values, 0.0, top) * scale).astype(np.uint8)
        return Image.fromarray(gray, "L").convert("RGB")
    if mode == "P" and "transparency" in picture.info:
        picture, mode = picture.convert("RGBA"), "RGBA"
    if mode in _ALPHA_MODES:
        rgba = picture.convert("RGBA") if mode != "La" else picture.convert("LA").convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("RGB")
    return picture.convert("RGB")


def to_grayscale(img: np.ndarray) -> np.ndarray:
    """Convierte una imagen RGB en escala de grises con la luma ITU-R BT.601.

    ``gris = 0.299·R + 0.587·G + 0.114·B``: el ojo es más sensible al verde que al rojo y al azul.
    El tipo de salida sigue al de la entrada: ``uint8`` → ``uint8`` (redondeado, 0–255);
    float → float64 en la misma escala. Un canal alfa (RGBA) se ignora; una imagen que ya es
    2D se devuelve copiada.

    Parámetros:
        img: imagen (H, W, 3), (H, W, 4) o (H, W).

    Devuelve:
        Un array 2D (H, W).

    Ejemplo:
        >>> rojo = np.zeros((2, 2, 3), dtype=np.uint8); rojo[..., 0] = 255
        >>> to_grayscale(rojo)
        array([[76, 76],
               [76, 76]], dtype=uint8)
    """
    img = np.asarray(img)
    if img.ndim == 2:
        return img.copy()
    if img.ndim != 3 or img.shape[2] not in (3, 4):
        raise ValueError(
            f"to_grayscale espera una imagen (H, W, 3), (H, W, 4) o (H, W); recibí {img.shape}."
        )
    gray = img[..., :3] @ LUMA_WEIGHTS
    if img.dtype == np.uint8:
        return np.clip(np.rint(gray), 0, 255).astype(np.uint8)
    return gray


def _check_rgb(img: np.ndarray, function: str) -> np.ndarray:
    """Comprueba que ``img`` es una imagen en color (H, W, 3)."""
    img = np.asarray(img)
    if img.ndim == 2:
        raise ValueError(
            f"{function}: la imagen {img.shape} está en escala de grises y solo tiene un canal."
        )
    if img.ndim != 3 or img.shape[2] != 3:
        raise ValueError(f"{function} espera una imagen RGB (H, W, 3); recibí {img.shape}.")
    return img


def split_channels(img: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Separa una imagen RGB en sus tres canales.

    Parámetros:
        img: imagen (H, W, 3).

    Devuelve:
        Tres arrays 2D (H, W): rojo, verde y azul (copias, del mismo tipo que ``img``).

    Ejemplo:
        >>> r, g, b = split_channels(np.zeros((4, 5, 3), dtype=np.uint8))
        >>> r.shape
        (4, 5)
    """
    img = _check_rgb(img, "split_channels")
    return img[..., 0].copy(), img[..., 1].copy(), img[..., 2].copy()


def tint_channel(img: np.ndarray, channel: int | str) -> np.ndarray:
    """Muestra un solo canal con su propio color: pone a cero los otros dos.

    Parámetros:
        img: imagen (H, W, 3).
        channel: ``0``/``"rojo"``, ``1``/``"verde"`` o ``2``/``"azul"``.

    Devuelve:
        Una imagen RGB (H, W, 3) del mismo tipo, lista para ``show_images``.

    Ejemplo:
        >>> img = np.full((1, 1, 3), 200, dtype=np.uint8)
        >>> tint_channel(img, "verde")
        array([[[  0, 200,   0]]], dtype=uint8)
    """
    img = _check_rgb(img, "tint_channel")
    index = _CHANNEL_NAMES.get(_plain(channel)) if isinstance(channel, str) else channel
    valid = isinstance(index, (int, np.integer)) and not isinstance(index, bool)
    if not valid or index not in (0, 1, 2):
        raise ValueError(
            f"channel debe ser 0/'rojo', 1/'verde' o 2/'azul'; recibí {channel!r}."
        )
    tinted = np.zeros_like(img)
    tinted[..., index] = img[..., index]
    return tinted


def crop(img: np.ndarray, top: int, left: int, height: int, width: int) -> np.ndarray:
    """Recorta un rectángulo de la imagen (equivale a ``img[top:top+height, left:left+width]``).

    Parámetros:
        img: imagen (H, W) o (H, W, C).
        top, left: fila y columna de la esquina superior izquierda (desde 0).
        height, width: alto y ancho del recorte (>= 1).

    Devuelve:
        Una copia del recorte, del mismo tipo que ``img``.

    Ejemplo:
        >>> crop(np.arange(16).reshape(4, 4), top=1, left=2, height=2, width=2)
        array([[ 6,  7],
               [10, 11]])
    """
    img = np.asarray(img)
    if img.ndim not in (2, 3):
        raise ValueError(f"crop espera una imagen (H, W) o (H, W, C); recibí {img.shape}.")
    if top < 0 or left < 0:
        raise ValueError(f"top y left deben ser >= 0; recibí top={top}, left={left}.")
    if height < 1 or width < 1:
        raise ValueError(f"height y width deben ser >= 1; recibí height={height}, width={width}.")
    rows, cols = img.shape[:2]
    if top + height > rows or left + width > cols:
        raise ValueError(
            f"El recorte (filas {top}–{top + height - 1}, columnas {left}–{left + width - 1}) "
            f"se sale de la imagen, que tiene {rows} filas y {cols} columnas."
        )
    return img[top:top + height, left:left + width].copy()


def resize(img: np.ndarray, size: int | tuple[int, int]) -> np.ndarray:
    """Redimensiona una imagen con Pillow (interpolación bilineal, con suavizado al reducir).

    Parámetros:
        img: imagen (H, W) o (H, W, C), ``uint8`` o float.
        size: ``(alto, ancho)`` de la salida, o un entero para una salida cuadrada.
            Ojo: es (alto, ancho), como las formas de NumPy, no (ancho, alto) como en Pillow.

    Devuelve:
        La imagen redimensionada, con el mismo tipo que ``img`` (``uint8`` sigue siendo ``uint8``).

    Ejemplo:
        >>> resize(np.zeros((100, 200, 3), dtype=np.uint8), (32, 64)).shape
        (32, 64, 3)
        >>> resize(np.zeros((100, 200), dtype=np.uint8), 28).shape
        (28, 28)
    """
    img = np.asarray(img)
    if img.ndim not in (2, 3):
        raise ValueError(f"resize espera una imagen (H, W) o (H, W, C); recibí {img.shape}.")
    dims = (size, size) if isinstance(size, (int, np.integer)) else tuple(size)
    if len(dims) != 2 or min(dims) < 1:
        raise ValueError(f"size debe ser un entero o (alto, ancho) positivos; recibí {size!r}.")
    height, width = (int(d) for d in dims)
    if img.dtype == np.uint8 and (img.ndim == 2 or img.shape[2] in (3, 4)):
        return np.asarray(Image.fromarray(img).resize((width, height), Image.Resampling.BILINEAR))
    # Otros tipos o número de canales: cada canal por separado como imagen float de 32 bits.
    planes = img[..., np.newaxis] if img.ndim == 2 else img
    resized = [
        np.asarray(
            Image.fromarray(planes[..., c].astype(np.float32)).resize(
                (width, height), Image.Resampling.BILINEAR
            )
        )
        for c in range(planes.shape[2])
    ]
    out = np.stack(resized, axis=-1)
    if np.issubdtype(img.dtype, np.integer):
        info = np.iinfo(img.dtype)
        out = np.clip(np.rint(out), info.min, info.max)
    out = out.astype(img.dtype)
    return out[..., 0] if img.ndim == 2 else out


def describe(img: np.ndarray) -> None:
    """Imprime la forma, el tipo y el rango de valores de una imagen.

    Parámetros:
        img: cualquier array (imagen, lote o mapa de activación).

    Ejemplo:
        >>> describe(np.zeros((2, 3, 3), dtype=np.uint8))
        forma: (2, 3, 3) (alto 2, ancho 3, 3 canales) · tipo: uint8 · mínimo: 0 · máximo: 0
    """
    img = np.asarray(img)
    if img.ndim == 2:
        layout = f" (alto {img.shape[0]}, ancho {img.shape[1]}, escala de grises)"
    elif img.ndim == 3:
        layout = f" (alto {img.shape[0]}, ancho {img.shape[1]}, {img.shape[2]} canales)"
    else:
        layout = ""
    if img.size:
        values = f"mínimo: {img.min()} · máximo: {img.max()}"
    else:
        values = "sin valores (array vacío)"
    print(f"forma: {img.shape}{layout} · tipo: {img.dtype} · {values}")
