"""Convolución y pooling 2D desde cero con NumPy vectorizado: lo que calcula una capa Conv2D."""
from __future__ import annotations

import math

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

__all__ = ["KERNELS", "conv2d", "output_size", "pool2d"]

Padding = int | str


def _read_only(rows: list[list[float]], scale: float = 1.0) -> np.ndarray:
    """Crea un núcleo float64 de solo lectura (así nadie lo modifica por accidente)."""
    kernel = np.array(rows, dtype=np.float64) / scale
    kernel.setflags(write=False)
    return kernel


#: Núcleos clásicos de procesamiento de imágenes (3×3, float64, de solo lectura;
#: usa ``KERNELS["relieve"].copy()`` si quieres modificar uno).
KERNELS: dict[str, np.ndarray] = {
    "identidad": _read_only([[0, 0, 0], [0, 1, 0], [0, 0, 0]]),
    # Sobel x: responde a cambios de izquierda a derecha, es decir, a bordes verticales.
    "bordes_verticales": _read_only([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]),
    # Sobel y: responde a cambios de arriba abajo, es decir, a bordes horizontales.
    "bordes_horizontales": _read_only([[-1, -2, -1], [0, 0, 0], [1, 2, 1]]),
    "desenfoque": _read_only([[1, 1, 1], [1, 1, 1], [1, 1, 1]], scale=9),
    "desenfoque_gaussiano": _read_only([[1, 2, 1], [2, 4, 2], [1, 2, 1]], scale=16),
    "enfocar": _read_only([[0, -1, 0], [-1, 5, -1], [0, -1, 0]]),
    "laplaciano": _read_only([[0, 1, 0], [1, -4, 1], [0, 1, 0]]),
    "relieve": _read_only([[-2, -1, 0], [-1, 1, 1], [0, 1, 2]]),
}


def _check_positive_int(value: object, name: str) -> int:
    """Comprueba que ``value`` es un entero >= 1 y lo devuelve como ``int``."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"'{name}' debe ser un entero mayor o igual que 1; recibí {value!r}.")
    return int(value)


def _pad_amounts(n: int, k: int, padding: Padding, stride: int) -> tuple[int, int]:
    """Ceros que se añaden antes y después de un eje de tamaño ``n`` (como Keras/TensorFlow)."""
    if isinstance(padding, str):
        mode = padding.lower()
        if mode == "valid":
            return 0, 0
        if mode == "same":
            # Salida ceil(n / stride); si el relleno total es impar, el cero extra va al final
            # (abajo o a la derecha), igual que TensorFlow.
            total = max((math.ceil(n / stride) - 1) * stride + k - n, 0)
            return total // 2, total - total // 2
        raise ValueError(f"padding debe ser un entero >= 0, 'valid' o 'same'; recibí {padding!r}.")
    if isinstance(padding, bool) or not isinstance(padding, (int, np.integer)) or padding < 0:
        raise ValueError(f"padding debe ser un entero >= 0, 'valid' o 'same'; recibí {padding!r}.")
    return int(padding), int(padding)


def output_size(n: int, k: int, padding: Padding = 0, stride: int = 1) -> int:
    """Tamaño de la salida de una convolución (o pooling) a lo largo de un eje.

    Con relleno entero ``p`` es ``floor((n + 2p - k) / stride) + 1``; ``"valid"`` equivale a
    ``p = 0`` y ``"same"`` da ``ceil(n / stride)``, igual que :func:`conv2d`.

    Parámetros:
        n: tamaño de la entrada (alto o ancho).
        k: tamaño del núcleo en ese eje.
        padding: ceros por lado (entero), ``"valid"`` o ``"same"``.
        stride: paso del desplazamiento.

    Devuelve:
        El tamaño de la salida (entero >= 1).

    Ejemplo:
        >>> output_size(28, 3)
        26
        >>> output_size(28, 3, padding=1, stride=2)
        14
        >>> output_size(7, 3, padding="same", stride=2)
        4
    """
    n = _check_positive_int(n, "n")
    k = _check_positive_int(k, "k")
    stride = _check_positive_int(stride, "stride")
    before, after = _pad_amounts(n, k, padding, stride)
    if n + before + after < k:
        raise ValueError(
            f"El núcleo ({k}) es más grande que la entrada con relleno ({n} + {before + after} = "
            f"{n + before + after}): la salida quedaría vacía. Usa un núcleo más pequeño o más "
            "padding."
        )
    return (n + before + after - k) // stride + 1


def conv2d(
    image: np.ndarray, kernel: np.ndarray, stride: int = 1, padding: Padding = 0
) -> np.ndarray:
    """Convolución 2D como la calculan Keras y PyTorch (correlación cruzada, sin sesgo).

    Igual que los marcos de aprendizaje profundo, **no** voltea el núcleo: calcula la
    correlación cruzada ``salida[i, j] = Σ imagen[i·s + u, j·s + v] · núcleo[u, v]``.
    La convolución matemática es la misma operación con el núcleo girado 180°
    (``conv2d(img, núcleo[::-1, ::-1])``); en una red da igual, porque los pesos se aprenden.

    Casos admitidos (el núcleo puede ser cuadrado o rectangular):

    - imagen ``(H, W)`` y núcleo ``(kh, kw)`` → ``(H', W')``.
    - imagen ``(H, W, C)`` y núcleo ``(kh, kw, C)`` → ``(H', W')``: un filtro que suma sobre los
      canales.
    - imagen ``(H, W, C)`` y núcleo ``(kh, kw, C, F)`` → ``(H', W', F)``: una capa Conv2D sin sesgo,
      con los pesos en el formato de Keras.
    - imagen ``(H, W, C)`` y núcleo ``(kh, kw)`` → ``(H', W', C)``: el mismo núcleo 2D se aplica a
      cada canal **por separado**, sin mezclarlos (útil para desenfocar una foto en color).

    Parámetros:
        image: imagen (H, W) o (H, W, C).
        kernel: núcleo (kh, kw), (kh, kw, C) o (kh, kw, C, F).
        stride: paso del desplazamiento (entero >= 1), igual en alto y ancho.
        padding: ceros por cada lado (entero), ``"valid"`` (sin relleno) o ``"same"``
            (salida ``ceil(H / stride)`` × ``ceil(W / stride)``; si el relleno total es impar,
            el cero extra va abajo y a la derecha, como en TensorFlow).

    Devuelve:
        La salida en punto flotante: float32 si las entradas son float32 (o una entera y otra
        float32), float64 en los demás casos (por ejemplo, imagen ``uint8`` y núcleo float64).

    Ejemplo:
        >>> img = np.arange(16.0).reshape(4, 4)
        >>> conv2d(img, np.ones((2, 2)), stride=2)
        array([[10., 18.],
               [42., 50.]])
        >>> conv2d(img, KERNELS["identidad"], padding="same").shape
        (4, 4)
    """
    x = np.asarray(image)
    k = np.asarray(kernel)
    stride = _check_positive_int(stride, "stride")
    if x.ndim not in (2, 3):
        raise ValueError(
            f"La imagen debe tener forma (H, W) o (H, W, C); recibí {x.ndim} dimensiones "
            f"{x.shape}. "
            "Si es un lote (N, H, W, C), pasa una sola imagen: image[0]."
        )
    if k.ndim not in (2, 3, 4):
        raise ValueError(
            f"El núcleo debe tener forma (kh, kw), (kh, kw, C) o (kh, kw, C, F); recibí {k.shape}."
        )
    if x.ndim == 2 and k.ndim > 2:
        raise ValueError(
            f"La imagen {x.shape} no tiene eje de canales, pero el núcleo {k.shape} sí. "
            "Añade el eje de canales a la imagen: image[..., np.newaxis]."
        )
    if k.ndim > 2 and k.shape[2] != x.shape[2]:
        raise ValueError(
            f"La imagen tiene {x.shape[2]} canales pero el núcleo espera {k.shape[2]} "
            f"(núcleo {k.shape}): el tercer eje del núcleo debe coincidir con los canales de la "
            "imagen."
        )
    if min(x.shape[:2]) < 1 or min(k.shape) < 1:
        raise ValueError(f"La imagen {x.shape} y el núcleo {k.shape} no pueden tener ejes vacíos.")

    kh, kw = k.shape[:2]
    pad_h = _pad_amounts(x.shape[0], kh, padding, stride)
    pad_w = _pad_amounts(x.shape[1], kw, padding, stride)
    padded_h, padded_w = x.shape[0] + sum(pad_h), x.shape[1] + sum(pad_w)
    if kh > padded_h or kw > padded_w:
        raise ValueError(
            f"El núcleo ({kh}×{kw}) es más grande que la imagen con relleno "
            f"({padded_h}×{padded_w}). "
            "Usa un núcleo más pequeño, una imagen más grande o más padding."
        )

    dtype = np.result_type(x.dtype, k.dtype)
    if not np.issubdtype(dtype, np.floating):
        dtype = np.float64
    x = np.pad(x.astype(dtype, copy=False), [pad_h, pad_w] + [(0, 0)] * (x.ndim - 2))
    # Ventanas (H', W', [C,] kh, kw): vistas sobre la misma memoria, sin copiar píxeles.
    windows = sliding_window_view(x, (kh, kw), axis=(0, 1))[::stride, ::stride]
    k = k.astype(dtype, copy=False)
    if x.ndim == 2:
        return np.einsum("ijuv,uv->ij", windows, k)
    subscripts = {2: "ijcuv,uv->ijc", 3: "ijcuv,uvc->ij", 4: "ijcuv,uvcf->ijf"}[k.ndim]
    return np.einsum(subscripts, windows, k, optimize=True)


def pool2d(
    x: np.ndarray, size: int = 2, stride: int | None = None, mode: str = "max"
) -> np.ndarray:
    """Pooling 2D sin relleno (``"valid"``, como ``MaxPooling2D`` de Keras por defecto).

    Cada ventana ``size × size`` se resume en su máximo (``"max"``) o su media (``"avg"``);
    con varios canales, cada canal se reduce por separado.

    Parámetros:
        x: mapa (H, W) o (H, W, C).
        size: lado de la ventana.
        stride: paso; por defecto igual a ``size`` (ventanas sin solapamiento).
        mode: ``"max"`` o ``"avg"``.

    Devuelve:
        Un array (H', W') o (H', W', C), con ``H' = floor((H - size) / stride) + 1``.
        ``"max"`` conserva el tipo de ``x``; ``"avg"`` devuelve punto flotante.

    Ejemplo:
        >>> x = np.array([[1, 2, 5, 6], [3, 4, 7, 8], [0, 0, 1, 1], [0, 4, 1, 1]])
        >>> pool2d(x)
        array([[4, 8],
               [4, 1]])
        >>> pool2d(x, mode="avg")
        array([[2.5, 6.5],
               [1. , 1. ]])
    """
    x = np.asarray(x)
    size = _check_positive_int(size, "size")
    stride = size if stride is None else _check_positive_int(stride, "stride")
    if mode not in ("max", "avg"):
        raise ValueError(f"mode debe ser 'max' o 'avg'; recibí {mode!r}.")
    if x.ndim not in (2, 3):
        raise ValueError(
            f"pool2d espera un mapa (H, W) o (H, W, C); recibí {x.ndim} dimensiones {x.shape}."
        )
    if size > min(x.shape[:2]):
        raise ValueError(
            f"La ventana de pooling ({size}×{size}) es más grande que la entrada "
            f"({x.shape[0]}×{x.shape[1]})."
        )
    windows = sliding_window_view(x, (size, size), axis=(0, 1))[::stride, ::stride]
    reduce = np.max if mode == "max" else np.mean
    return reduce(windows, axis=(-2, -1))
