"""Ejercicios del cuaderno 02 (núcleos y convolución)."""
from __future__ import annotations

import numpy as np

from helpers.exercises.core import (
    Exercise,
    Expected,
    Incorrect,
    call_for_result,
    calls_in,
    equality_checker,
)


def _as_kernel(value, name: str) -> np.ndarray:
    if isinstance(value, (list, tuple)):
        try:
            value = np.asarray(value, dtype=np.float64)
        except (TypeError, ValueError):
            raise Incorrect(f"{name} debe ser una matriz de números.") from None
    if not isinstance(value, np.ndarray):
        raise Incorrect(f"{name} debe ser un array de NumPy; es {type(value).__name__}.")
    if not (np.issubdtype(value.dtype, np.integer) or np.issubdtype(value.dtype, np.floating)):
        raise Incorrect(f"{name} debe contener números; es de tipo {value.dtype}.")
    return value.astype(np.float64)


# ---------------------------------------------------------------------------
# Ejercicio 1: convolución (correlación cruzada) con dos bucles
# ---------------------------------------------------------------------------


def _reference(image: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    from helpers.conv import conv2d

    return conv2d(image, kernel)


#: Funciones que ya calculan la convolución: el ejercicio pide escribirla con bucles.
_LIBRARY_CONVOLUTIONS = ("conv2d", "correlate2d", "convolve2d", "correlate", "convolve",
                         "fftconvolve", "oaconvolve", "filter2D", "sliding_window_view")


def _check_conv2d_single(function) -> None:
    library = calls_in(function, _LIBRARY_CONVOLUTIONS) if callable(function) else []
    if library:
        raise Incorrect(f"tu función llama a {', '.join(library)}, que ya calcula la ventana "
                        "deslizante por ti. El ejercicio pide escribirla tú, con dos bucles "
                        "sobre las posiciones de la salida.")
    rng = np.random.default_rng(7)
    cases = [
        (np.arange(25.0).reshape(5, 5), np.array([[0.0, 1, 0], [1, 2, 1], [0, 1, 0]])),
        (rng.normal(size=(6, 8)), rng.normal(size=(3, 3))),
        (rng.normal(size=(6, 7)), rng.normal(size=(4, 4))),   # núcleo cuadrado que no es 3×3
        (rng.normal(size=(7, 5)), rng.normal(size=(2, 3))),   # núcleo no cuadrado
        (rng.integers(0, 10, size=(4, 6)).astype(float), rng.normal(size=(4, 2))),
    ]
    passed_3x3 = False
    for image, kernel in cases:
        fixed_size = (f"tu función funciona con núcleos 3×3 pero no con uno {kernel.shape}: "
                      "¿escribiste el 3 a mano en algún sitio? El núcleo puede tener cualquier "
                      "tamaño; léelo de la forma del núcleo (kernel.shape) y úsalo en el tamaño "
                      "de la salida y en la ventana.")
        try:
            got = call_for_result(function, image.copy(), kernel.copy())
        except Incorrect as error:
            if passed_3x3 and kernel.shape[0] == kernel.shape[1]:
                raise Incorrect(f"{fixed_size}\n(Detalle: {error})") from None
            if passed_3x3 and kernel.shape[0] != kernel.shape[1]:
                raise Incorrect(f"{error}\nFalla con un núcleo rectangular {kernel.shape}, pero "
                                "funciona con los cuadrados: comprueba que el alto del núcleo "
                                "(kernel.shape[0]) va con las filas de la imagen y el ancho "
                                "(kernel.shape[1]) con las columnas, sin intercambiarlos.") from None
            raise
        expected = _reference(image, kernel)
        try:
            got = np.asarray(got, dtype=np.float64)
        except (TypeError, ValueError):
            raise Incorrect(f"tu función devolvió {type(got).__name__}; debe devolver un array "
                            "2D de números.") from None
        h, w = image.shape
        kh, kw = kernel.shape
        if got.shape != expected.shape:
            if kernel.shape != (3, 3) and got.shape == (h - 2, w - 2):
                raise Incorrect(fixed_size)
            if got.shape == image.shape:
                raise Incorrect(f"con una imagen {image.shape} y un núcleo {kernel.shape} tu "
                                f"salida mide {got.shape}, como la entrada. Sin relleno, el núcleo "
                                f"solo cabe en H − kh + 1 = {h - kh + 1} filas y W − kw + 1 = "
                                f"{w - kw + 1} columnas.")
            if got.shape == (h - kh, w - kw):
                raise Incorrect(f"tu salida mide {got.shape} y debe medir {expected.shape}: te "
                                "falta la última posición. La ventana puede empezar en 0, 1, …, "
                                "H − kh, que son H − kh + 1 posiciones: range(H - kh + 1).")
            if got.shape == (h - kw + 1, w - kh + 1):
                raise Incorrect(f"tu salida mide {got.shape} y debe medir {expected.shape}: "
                                "intercambiaste el alto y el ancho del núcleo. kh = "
                                "kernel.shape[0] (filas) va con el alto de la imagen y kw = "
                                "kernel.shape[1] con el ancho.")
            raise Incorrect(f"con una imagen {image.shape} y un núcleo {kernel.shape} tu salida "
                            f"mide {got.shape}; debe medir (H − kh + 1, W − kw + 1) = "
                            f"{expected.shape}.")
        if np.allclose(got, expected):
            passed_3x3 = passed_3x3 or kernel.shape == (3, 3)
            continue
        if np.allclose(got, _reference(image, kernel[::-1, ::-1])):
            raise Incorrect("tu función voltea el núcleo: eso es la convolución matemática. Las "
                            "redes (y este curso) calculan la correlación cruzada: multiplica "
                            "image[i + u, j + v] por kernel[u, v], sin girar el núcleo.")
        if np.allclose(got, expected / kernel.size):
            raise Incorrect("divides entre el número de pesos: cada salida es la **suma** de los "
                            "productos de la ventana por el núcleo, no su media.")
        if np.allclose(got, _reference(image, np.ones_like(kernel)) * kernel.sum()):
            raise Incorrect("multiplicas la suma de la ventana por la suma del núcleo; hay que "
                            "multiplicar elemento a elemento (window * kernel) y después sumar.")
        worst = np.unravel_index(np.argmax(np.abs(got - expected)), expected.shape)
        raise Incorrect(f"con la imagen\n{np.round(image, 2)}\ny el núcleo\n{np.round(kernel, 2)}\n"
                        f"la salida en la posición {tuple(int(i) for i in worst)} vale "
                        f"{got[worst]:.3f} y debería valer {expected[worst]:.3f}. La ventana de "
                        "esa posición es image[i:i + kh, j:j + kw].")


conv2d_single = Exercise(
    "Convolución con dos bucles",
    _check_conv2d_single,
    hint=("La salida tiene una casilla por cada posición donde el núcleo cabe entero, "
          "(H − kh + 1) × (W − kw + 1); cada casilla es la cuenta que hiciste a mano para la "
          "posición (0, 0), con la ventana que empieza en esa fila y esa columna.",
          "Lee kh y kw de kernel.shape, crea un array de ceros del tamaño de la salida y "
          "recórrelo con dos bucles for anidados (filas y columnas). En la posición (i, j), la "
          "ventana es el trozo de la imagen con kh filas desde la i y kw columnas desde la j."),
    solution="""
kh, kw = kernel.shape
out_h = image.shape[0] - kh + 1
out_w = image.shape[1] - kw + 1
output = np.zeros((out_h, out_w))
for i in range(out_h):
    for j in range(out_w):
        window = image[i:i + kh, j:j + kw]
        output[i, j] = np.sum(window * kernel)
return output
""",
)

# ---------------------------------------------------------------------------
# Ejercicio 2: el núcleo de Sobel para bordes verticales
# ---------------------------------------------------------------------------

_SOBEL_X = np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], dtype=np.float64)


def _check_sobel_x(sobel_x) -> None:
    kernel = _as_kernel(sobel_x, "sobel_x")
    if kernel.shape != (3, 3):
        raise Incorrect(f"sobel_x tiene forma {kernel.shape}; el núcleo de Sobel es 3×3.")
    if np.array_equal(kernel, _SOBEL_X):
        return
    if np.array_equal(kernel, -_SOBEL_X):
        raise Incorrect("es el núcleo de Sobel con los signos al revés: positivo a la izquierda "
                        "y negativo a la derecha. El ejercicio pide negativo a la izquierda y "
                        "positivo a la derecha, como [-1, 0, 1]: así un paso de oscuro a claro "
                        "hacia la derecha da una respuesta positiva.")
    if np.array_equal(kernel, _SOBEL_X.T) or np.array_equal(kernel, -_SOBEL_X.T):
        raise Incorrect("ese es el Sobel de bordes **horizontales**: compara filas (arriba con "
                        "abajo). Para bordes verticales, la diferencia va de la columna "
                        "izquierda a la derecha: [-1, 0, 1] en cada fila.")
    prewitt = np.array([[-1, 0, 1]] * 3, dtype=np.float64)
    if np.array_equal(kernel, prewitt) or np.array_equal(kernel, -prewitt):
        raise Incorrect("ese es el núcleo de Prewitt (todas las filas iguales). Sobel da el "
                        "doble de peso a la fila central que a las otras dos.")
    if not np.isclose(kernel.sum(), 0):
        raise Incorrect(f"tus pesos suman {kernel.sum():g}. Un detector de bordes debe sumar 0: "
                        "en una zona de color uniforme no hay borde y la respuesta tiene que "
                        "ser 0.")
    if np.array_equal(np.abs(kernel), np.abs(_SOBEL_X)):
        raise Incorrect("los valores absolutos son los de Sobel, pero los signos no: los tres "
                        "pesos de una misma columna deben tener el mismo signo (izquierda "
                        "negativa y derecha positiva, o al revés) y la columna central vale 0.")
    raise Incorrect("no es el núcleo de Sobel-x. Cada fila debe hacer la diferencia entre la "
                    "columna derecha y la izquierda, y la columna central no cuenta; revisa qué "
                    "fila pesa el doble.")


sobel_x = Exercise(
    "Núcleo de Sobel para bordes verticales",
    _check_sobel_x,
    hint=("Sobel-x repite en las tres filas de la ventana la diferencia entre el píxel de la "
          "derecha y el de la izquierda, y suaviza en vertical dando más peso a la fila central.",
          "Empieza por la fila central: la de la sección 5 con los pesos multiplicados por 2. "
          "Las filas de arriba y de abajo son como la de la sección 5."),
    solution="sobel_x = np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]])",
    success="¡Bien hecho! Con los signos cambiados detectaría los mismos bordes, pero con la "
            "respuesta de signo opuesto (negativa donde la foto aclara hacia la derecha).",
)

# ---------------------------------------------------------------------------
# Ejercicio 3: un desenfoque que conserva el brillo
# ---------------------------------------------------------------------------


def _check_blur(blur_kernel) -> None:
    kernel = _as_kernel(blur_kernel, "blur_kernel")
    if kernel.shape != (5, 5):
        raise Incorrect(f"blur_kernel tiene forma {kernel.shape}; el ejercicio pide un núcleo "
                        "5×5.")
    if (kernel < 0).any():
        raise Incorrect("tu núcleo tiene pesos negativos: restar vecinos realza bordes y "
                        "detalles, lo contrario de desenfocar. Usa solo pesos >= 0.")
    total = kernel.sum()
    if np.isclose(total, 0):
        raise Incorrect("todos tus pesos son 0: la salida sería una imagen negra.")
    if not np.isclose(total, 1):
        if total > 1:
            effect = (f"la foto sale {total:g} veces más **clara** (y con valores por encima "
                      "de 1 se satura a blanco)")
        else:
            effect = f"la foto sale **más oscura** (al {total:.0%} de su brillo)"
        hint = " Divide entre 25 los unos." if np.allclose(kernel, kernel.flat[0]) else ""
        raise Incorrect(f"tus pesos suman {total:g}, no 1: en una zona uniforme de valor v, la "
                        f"salida vale {total:g}·v, así que {effect}.{hint}")
    if np.count_nonzero(kernel) == 1:
        raise Incorrect("solo un peso es distinto de 0: la salida copia un píxel (desplazado, si "
                        "no es el central) y no mezcla vecinos, así que no desenfoca.")
    if np.allclose(kernel, kernel.flat[0]):
        return
    if not np.allclose(kernel, kernel[::-1, ::-1]):
        raise Incorrect("tus pesos no están centrados: el núcleo pesa más hacia un lado, así que "
                        "además de desenfocar desplaza la imagen (cada píxel de salida resume "
                        "una zona que no está a su alrededor). Un desenfoque de caja reparte el "
                        "peso por igual en toda la ventana.")
    if np.allclose(kernel[[0, -1], :], 0) and np.allclose(kernel[:, [0, -1]], 0):
        raise Incorrect("solo usas los 3×3 pesos centrales y el borde de la ventana vale 0: es el "
                        "mismo desenfoque que el de 3×3, no uno más fuerte. El de 5×5 mezcla los "
                        "25 píxeles de la ventana.")
    raise Incorrect("tu núcleo desenfoca, pero no es de caja: los pesos no son todos iguales "
                    "(un gaussiano, por ejemplo, da más peso al centro). El desenfoque de caja da "
                    "el mismo peso a las 25 posiciones.")


blur = Exercise(
    "Desenfoque que conserva el brillo",
    _check_blur,
    hint=("Un desenfoque de caja promedia la ventana: todos los pesos iguales y positivos, y "
          "para conservar el brillo deben sumar 1.",
          "NumPy tiene una función que crea un array de la forma que le pidas lleno de unos; "
          "cuenta cuántos pesos tiene la ventana y divide para que sumen 1."),
    solution="blur_kernel = np.ones((5, 5)) / 25",
)

# ---------------------------------------------------------------------------
# Ejercicio 4: predecir formas
# ---------------------------------------------------------------------------


def _shape(value, name: str) -> tuple:
    if not isinstance(value, (tuple, list)) or not all(
            isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in value):
        raise Incorrect(f"{name} debe ser una forma: una tupla de enteros, como (10, 10); "
                        f"diste {value!r}.")
    return tuple(int(v) for v in value)


def _one_map(value, name: str) -> tuple:
    """Un solo mapa se puede escribir sin eje de canales, (30, 30), o con él, (30, 30, 1)."""
    shape = _shape(value, name)
    return shape[:2] if len(shape) == 3 and shape[2] == 1 else shape


_SHAPES = equality_checker(
    # 1. gris 28×28 con un núcleo 5×5 → (24, 24)
    Expected("shape_gray", (24, 24), convert=_shape, mistakes={
        (28, 28): "sin relleno la salida encoge: el núcleo 5×5 solo cabe en 28 − 5 + 1 "
                  "posiciones por eje.",
        (23, 23): "te falta el +1: las posiciones van de 0 a 28 − 5, ambas incluidas.",
        (26, 26): "el núcleo mide 5, no 3: 28 − 5 + 1.",
    }, otherwise="usa H − kh + 1 en cada eje con H = 28 y kh = 5."),
    # 2. RGB 32×32×3 con un núcleo (3, 3, 3) → (30, 30): un solo mapa
    Expected("shape_rgb", (30, 30), convert=_one_map, mistakes={
        (30, 30, 3): "un núcleo con profundidad 3 multiplica los tres canales y lo **suma todo**: "
                     "da un único mapa, sin eje de canales, no uno por canal.",
        (32, 32): "sin relleno la salida encoge: 32 − 3 + 1 posiciones por eje.",
    }, otherwise="un núcleo (kh, kw, C) da un solo mapa (H − kh + 1, W − kw + 1)."),
    # 3. RGB 32×32×3 con pesos (5, 5, 3, 16) → (28, 28, 16)
    Expected("shape_layer", (28, 28, 16), convert=_shape, mistakes={
        (28, 28, 3): "cada filtro da un mapa: la salida tiene un canal por filtro, no los 3 de la "
                     "imagen.",
        (28, 28, 48): "cada filtro ya suma sobre los 3 canales: da un solo mapa, no uno por canal "
                      "(no multipliques por 3).",
        (32, 32, 16): "sin relleno la salida encoge: 32 − 5 + 1 posiciones por eje.",
        (28, 28): "falta el eje de los filtros: cada filtro da un mapa.",
        (16, 28, 28): "con pesos en formato Keras la salida también es «canales al final»: "
                      "(alto, ancho, filtros).",
    }, otherwise="la salida es (H − kh + 1, W − kw + 1, F) con F el número de filtros."),
)


shapes = Exercise(
    "Predecir la forma de la salida",
    _SHAPES,
    hint=("Sin relleno, la ventana solo cabe donde entra entera, así que cada eje encoge; "
          "el número de mapas de la salida lo decide el número de filtros, no el de canales.",
          "Usa H − kh + 1 en cada eje. Un filtro (kh, kw, C) suma sobre sus C canales y da un "
          "mapa; con pesos (kh, kw, C, F) la salida tiene F mapas en el último eje."),
    solution="""
shape_gray = (24, 24)
shape_rgb = (30, 30)
shape_layer = (28, 28, 16)
""",
)

