"""Ejercicios del cuaderno 01 (imágenes como números)."""
from __future__ import annotations

import numpy as np

from helpers.exercises.core import Exercise, Incorrect, known_mistake


def _cat() -> np.ndarray:
    from helpers.images import sample_image

    return sample_image("gato")


def _as_array(value, name: str) -> np.ndarray:
    if isinstance(value, (list, tuple)):
        raise Incorrect(f"{name} es una {'lista' if isinstance(value, list) else 'tupla'} de "
                        f"Python con {len(value)} elementos; el ejercicio pide un único array de "
                        "NumPy, no una colección de arrays.")
    if not isinstance(value, np.ndarray):
        raise Incorrect(f"{name} debe ser un array de NumPy; es {type(value).__name__}.")
    return value


# ---------------------------------------------------------------------------
# Ejercicio 1: escala de grises a mano
# ---------------------------------------------------------------------------

#: Errores típicos: (cálculo equivocado, explicación).
_GRAY_MISTAKES = [
    (lambda img: img.mean(axis=2),
     "calculas la media de los tres canales, con el mismo peso para cada uno. La luma da "
     "más peso al verde (0,587), al que el ojo es más sensible, y muy poco al azul (0,114)."),
    (lambda img: img.astype(np.float64) @ np.array([0.114, 0.587, 0.299]),
     "los pesos están en orden inverso (B, G, R): el canal 0 es el rojo y lleva 0,299; el "
     "canal 2 es el azul y lleva 0,114."),
    (lambda img: (img[..., 0] + img[..., 1] + img[..., 2]) / 3,
     "sumas los canales siendo uint8: al pasar de 255 el valor da la vuelta (200 + 100 = 44) y "
     "salen grises absurdos. Multiplica cada canal por su peso (así pasa a float) antes de sumar."),
    (lambda img: img.astype(np.float64) @ np.array([0.299, 0.587, 0.114]) / 255,
     "divides entre 255: el ejercicio pide el gris en la misma escala que la foto (0–255)."),
]


def _check_grayscale(gray) -> None:
    from helpers.images import to_grayscale

    cat = _cat()
    gray = _as_array(gray, "gray")
    expected = to_grayscale(cat).astype(np.float64)  # uint8 redondeado
    if gray.shape == cat.shape:
        raise Incorrect(f"gray tiene forma {gray.shape}, la de la foto en color: multiplicaste "
                        "cada canal por su peso pero no sumaste los tres. El resultado debe ser "
                        f"2D, {expected.shape}.")
    if gray.shape != expected.shape:
        raise Incorrect(f"gray tiene forma {gray.shape}; debe tener una sola capa, "
                        f"{expected.shape} (alto, ancho), sin eje de canales.")
    if not np.issubdtype(gray.dtype, np.number) or np.issubdtype(gray.dtype, np.bool_):
        raise Incorrect(f"gray es de tipo {gray.dtype}; debe contener números.")
    values = gray.astype(np.float64)
    if np.allclose(values, expected, atol=1.0):  # 1 de tolerancia: pesos con más decimales
        if np.issubdtype(gray.dtype, np.integer) or np.array_equal(values, np.rint(values)):
            raise Incorrect(f"gray solo tiene valores enteros ({gray.dtype}): son los de "
                            "to_grayscale o los redondeaste. El ejercicio pide escribir la suma "
                            "ponderada de los canales y dejarla en punto flotante, sin redondear.")
        return
    explanation = known_mistake([values], _GRAY_MISTAKES, [(cat,)], atol=1.0)
    if explanation:
        raise Incorrect(explanation)
    worst = np.unravel_index(np.argmax(np.abs(values - expected)), expected.shape)
    raise Incorrect(f"en el píxel {tuple(int(i) for i in worst)} (R, G, B = "
                    f"{tuple(int(v) for v in cat[worst])}) tu gris vale {values[worst]:.1f} y "
                    f"debería valer unos {expected[worst]:.0f}. Usa "
                    "los pesos 0,299 (rojo), 0,587 (verde) y 0,114 (azul).")


grayscale = Exercise(
    "Escala de grises a mano",
    _check_grayscale,
    hint=("El gris de un píxel es una media ponderada de sus tres canales: cada canal, "
          "multiplicado por su peso de la fórmula de la luma, y los tres productos sumados.",
          "cat[..., 0] es la matriz del canal rojo (todas las filas y columnas, canal 0); las "
          "de los otros dos canales se escriben igual. Una operación entre una matriz y un "
          "número se aplica a cada píxel."),
    solution="gray = 0.299 * cat[..., 0] + 0.587 * cat[..., 1] + 0.114 * cat[..., 2]",
)

# ---------------------------------------------------------------------------
# Ejercicio 2: recortar la nariz con slicing
# ---------------------------------------------------------------------------

NOSE_TOP, NOSE_LEFT, NOSE_HEIGHT, NOSE_WIDTH = 215, 225, 60, 80


def _find_offset(cat: np.ndarray, crop: np.ndarray, radius: int = 12) -> tuple[int, int] | None:
    """Busca cerca de la nariz la esquina donde empieza un recorte del tamaño correcto."""
    h, w = crop.shape[:2]
    for top in range(max(0, NOSE_TOP - radius), NOSE_TOP + radius + 1):
        for left in range(max(0, NOSE_LEFT - radius), NOSE_LEFT + radius + 1):
            window = cat[top:top + h, left:left + w]
            if window.shape == crop.shape and np.array_equal(window, crop):
                return top, left
    return None


def _check_nose(nose) -> None:
    cat = _cat()
    nose = _as_array(nose, "nose")
    expected = cat[NOSE_TOP:NOSE_TOP + NOSE_HEIGHT, NOSE_LEFT:NOSE_LEFT + NOSE_WIDTH]
    if nose.shape == expected.shape and np.array_equal(nose, expected):
        return
    if nose.size == 0:
        raise Incorrect(f"tu recorte está vacío (forma {nose.shape}). En cat[a:b] el segundo "
                        "número es dónde termina, no cuánto mide: usa "
                        "cat[top:top + height, left:left + width].")
    if nose.ndim == 2:
        raise Incorrect(f"tu recorte tiene forma {nose.shape}, sin canales: quédate con los "
                        "tres canales de color (no escribas un índice en el tercer eje).")
    swapped = [cat[NOSE_LEFT:NOSE_LEFT + NOSE_WIDTH, NOSE_TOP:NOSE_TOP + NOSE_HEIGHT],
               cat[NOSE_LEFT:NOSE_LEFT + NOSE_HEIGHT, NOSE_TOP:NOSE_TOP + NOSE_WIDTH]]
    if any(nose.shape == s.shape and np.array_equal(nose, s) for s in swapped):
        raise Incorrect("intercambiaste filas y columnas: empiezas en la fila "
                        f"{NOSE_LEFT} y la columna {NOSE_TOP}. El primer índice son las filas "
                        "(vertical, alto) y el segundo las columnas (horizontal, ancho): "
                        "cat[filas, columnas].")
    if nose.shape == (NOSE_WIDTH, NOSE_HEIGHT, 3):
        raise Incorrect(f"tu recorte mide {nose.shape[0]} de alto y {nose.shape[1]} de ancho: "
                        "intercambiaste filas y columnas. El primer índice son las filas "
                        "(vertical, alto) y el segundo las columnas (horizontal, ancho).")
    if nose.shape[:2] in ((NOSE_HEIGHT - 1, NOSE_WIDTH - 1), (NOSE_HEIGHT + 1, NOSE_WIDTH + 1)):
        raise Incorrect(f"tu recorte mide {nose.shape[0]}×{nose.shape[1]} y debe medir "
                        f"{NOSE_HEIGHT}×{NOSE_WIDTH}: en a:b se incluye a y se excluye b, así "
                        "que a:a + 60 da exactamente 60 filas.")
    if nose.shape != expected.shape:
        raise Incorrect(f"tu recorte tiene forma {nose.shape}; debe medir {NOSE_HEIGHT} filas, "
                        f"{NOSE_WIDTH} columnas y 3 canales: {expected.shape}.")
    offset = _find_offset(cat, nose)
    if offset is not None:
        raise Incorrect(f"tu recorte tiene el tamaño correcto pero empieza en la fila "
                        f"{offset[0]} y la columna {offset[1]}; debe empezar en la fila "
                        f"{NOSE_TOP} y la columna {NOSE_LEFT}.")
    raise Incorrect("tu recorte tiene la forma correcta pero no son los píxeles de la nariz: "
                    "recorta directamente de cat, sin modificar los valores.")


nose_crop = Exercise(
    "Recortar la nariz del gato",
    _check_nose,
    hint=("El primer índice recorre las filas (vertical) y el segundo las columnas "
          "(horizontal); un rango a:b empieza en a e incluye b − a elementos.",
          "Escribe un rango para las filas y otro para las columnas, separados por una coma, y "
          "no pongas nada para el tercer eje. ¿Dónde termina un rango que empieza en 215 y "
          "tiene 60 filas?"),
    solution="nose = cat[215:215 + 60, 225:225 + 80]",
)

# ---------------------------------------------------------------------------
# Ejercicio 3: normalizar a float32 en [0, 1]
# ---------------------------------------------------------------------------


def _check_normalise(cat_float) -> None:
    cat = _cat()
    cat_float = _as_array(cat_float, "cat_float")
    if cat_float.shape != cat.shape:
        raise Incorrect(f"cat_float tiene forma {cat_float.shape}; normalizar no cambia la "
                        f"forma: debe seguir siendo {cat.shape}.")
    expected = cat.astype(np.float64) / 255
    values = cat_float.astype(np.float64)
    if np.issubdtype(cat_float.dtype, np.integer):
        if set(np.unique(cat_float)) <= {0, 1}:
            raise Incorrect(f"cat_float es de tipo {cat_float.dtype} y solo contiene 0 y 1: "
                            "usaste la división entera (//) o convertiste a entero después de "
                            "dividir, y se perdieron los decimales. Convierte a float32 y usa /.")
        raise Incorrect(f"cat_float es de tipo {cat_float.dtype}: sigue siendo entero. "
                        "Convierte con .astype(np.float32) y divide entre 255.")
    if not np.issubdtype(cat_float.dtype, np.floating):
        raise Incorrect(f"cat_float es de tipo {cat_float.dtype}; debe ser float32.")
    if values.max() > 1.0 + 1e-6:
        if np.allclose(values, cat):
            raise Incorrect("los valores siguen entre 0 y 255: convertiste a float pero falta "
                            "dividir entre 255.")
        raise Incorrect(f"el máximo de cat_float es {values.max():.3g}: todos los valores deben "
                        "quedar entre 0 y 1. Divide entre 255, el mayor valor posible de uint8.")
    if not np.allclose(values, expected, atol=1e-6):
        if np.allclose(values, cat / 256, atol=1e-6):
            raise Incorrect("divides entre 256; el mayor valor de uint8 es 255, así que un píxel "
                            "blanco debe quedar en 1 exacto.")
        low, high = float(cat.min()), float(cat.max())
        if np.allclose(values, (cat - low) / (high - low), atol=1e-6):
            raise Incorrect(f"estiras el rango de la foto ({low:.0f}–{high:.0f}) a 0–1; así cada "
                            "foto se escala distinto. Divide siempre entre 255.")
        raise Incorrect("los valores no son los de la foto divididos entre 255: un píxel que "
                        "vale 51 debe quedar en 0,2.")
    if cat_float.dtype != np.float32:
        raise Incorrect(f"los valores son correctos, pero el tipo es {cat_float.dtype}. Las "
                        "redes trabajan en float32 (ocupa la mitad que float64): el array final "
                        "debe ser float32. Dividir un uint8 con / da float64.")


normalise = Exercise(
    "Normalizar a float32 en [0, 1]",
    _check_normalise,
    hint=("Hacen falta dos pasos: cambiar el tipo a float32 y llevar los valores de 0–255 a "
          "0–1. El tipo final es el de la última operación: dividir un uint8 con / da float64.",
          "El método .astype(...) de un array cambia su tipo; la división entre el mayor valor "
          "posible de uint8 (con /, no con //) cambia la escala."),
    solution="cat_float = cat.astype(np.float32) / 255",
)

# ---------------------------------------------------------------------------
# Ejercicio 4: un lote (N, H, W, C)
# ---------------------------------------------------------------------------


def _check_batch(batch, photos) -> None:
    batch = _as_array(batch, "batch")
    photos = [np.asarray(photo) for photo in photos]
    n = len(photos)
    h, w, c = photos[0].shape
    expected = np.stack(photos).astype(np.float32) / 255
    shape = batch.shape
    if shape == (n * h, w, c):
        raise Incorrect(f"batch tiene forma {shape}: np.concatenate pega las fotos una debajo de "
                        "otra por un eje que ya existe. np.stack crea un eje nuevo delante, el "
                        "del lote.")
    if shape == (h, w, c, n):
        raise Incorrect(f"batch tiene forma {shape}: el eje del lote debe ir primero, "
                        f"(N, H, W, C) = {expected.shape}. np.stack apila por axis=0 por "
                        "defecto.")
    if shape == (n, c, h, w):
        raise Incorrect(f"batch tiene forma {shape}, con los canales delante (N, C, H, W), el "
                        "formato de PyTorch. Aquí se pide el de Keras: (N, H, W, C) = "
                        f"{expected.shape}.")
    if shape != expected.shape:
        raise Incorrect(f"batch tiene forma {shape}; debe ser (N, H, W, C) = {expected.shape}: "
                        f"{n} fotos de {h}×{w} píxeles y {c} canales.")
    if np.issubdtype(batch.dtype, np.integer) or batch.astype(np.float64).max() > 1.0 + 1e-6:
        raise Incorrect(f"la forma es correcta, pero batch es {batch.dtype} con valores hasta "
                        f"{batch.max()}: pásalo a float32 y divide entre 255.")
    for i in range(n):
        if not np.allclose(batch[i], expected[i], atol=1e-6):
            for j in range(n):
                if j != i and np.allclose(batch[i], expected[j], atol=1e-6):
                    raise Incorrect(f"la posición {i} del lote contiene la foto {j}: respeta el "
                                    "orden de photos.")
            raise Incorrect(f"la imagen {i} del lote no coincide con photos[{i}] / 255.")
    if batch.dtype != np.float32:
        raise Incorrect(f"los valores son correctos, pero el tipo es {batch.dtype}; usa "
                        "float32, el tipo con el que trabajan las redes.")


batch = Exercise(
    "Un lote de imágenes",
    _check_batch,
    hint=("Hay que convertir la lista de N fotos (H, W, C) en un solo array con un eje nuevo "
          "delante, el del lote, y después normalizarlo como en el ejercicio 3.",
          "De las dos funciones de NumPy de la sección 8, una crea un eje nuevo y la otra pega "
          "por un eje que ya existe; la normalización es la misma que la de cat_float."),
    solution="batch = np.stack(photos).astype(np.float32) / 255",
)
