"""Ejercicios del cuaderno 03 (relleno, paso y pooling)."""
from __future__ import annotations

import math
from numbers import Real

import numpy as np

from helpers.exercises.core import (
    Exercise,
    Expected,
    Incorrect,
    as_count,
    call_for_result,
    call_learner_function,
    calls_in,
    check_expected,
    equality_checker,
    known_mistake,
    loops_in,
)

# ---------------------------------------------------------------------------
# Ejercicio 1: tamaño de la salida
# ---------------------------------------------------------------------------

#: Casos (n, k, p, s) que distinguen los errores típicos entre sí.
_SIZE_CASES = [
    (5, 3, 0, 1), (28, 3, 0, 1), (28, 5, 2, 1), (32, 3, 1, 1),
    (7, 3, 0, 2), (6, 3, 0, 2), (32, 5, 2, 2), (224, 7, 3, 2),
    (10, 4, 1, 3), (13, 2, 0, 2), (9, 3, 2, 3), (100, 11, 0, 4),
]

#: Errores típicos: (fórmula equivocada, explicación).
_SIZE_MISTAKES = [
    (lambda n, k, p, s: (n + 2 * p - k) / s + 1,
     "no redondeas hacia abajo: cuando (n + 2p − k) no es múltiplo de s, la última ventana no "
     "cabe entera y no cuenta. Usa la división entera //."),
    (lambda n, k, p, s: math.ceil((n + 2 * p - k) / s) + 1,
     "redondeas hacia arriba; la fórmula usa el suelo ⌊·⌋ (división entera //): una ventana "
     "que se sale de la entrada con relleno no cuenta."),
    (lambda n, k, p, s: (n + p - k) // s + 1,
     "sumas p una sola vez: el relleno se añade a los dos lados, así que la entrada con relleno "
     "mide n + 2p."),
    (lambda n, k, p, s: (n + 2 * p - k) // s,
     "te falta el +1: la primera ventana (en la posición 0) también cuenta."),
    (lambda n, k, p, s: (n - 2 * p - k) // s + 1,
     "restas el relleno; los ceros se añaden, así que la entrada crece a n + 2p."),
    (lambda n, k, p, s: (n + 2 * p - k) + 1,
     "ignoras el paso s: con s = 2 la ventana salta de dos en dos y caben la mitad."),
    (lambda n, k, p, s: (n + 2 * p - k + 1) // s,
     "divides también el +1: primero cuenta los saltos, ⌊(n + 2p − k) / s⌋, y después suma 1."),
]


def _check_output_size(function) -> None:
    course = [name for name in calls_in(function, ["output_size"]) if "." in name] \
        if callable(function) else []
    if course:
        raise Incorrect(f"tu función llama a {course[0]}, la versión del curso. El ejercicio pide "
                        "escribir tú la fórmula con n, k, p y s.")
    for n, k, p, s in _SIZE_CASES:
        got = call_for_result(function, n, k, p, s)
        expected = (n + 2 * p - k) // s + 1
        shown = repr(got.item() if isinstance(got, np.generic) else got)  # 3.0, no np.float64(3.0)
        if isinstance(got, (bool, np.bool_)) or not isinstance(got, (Real, np.number)):
            raise Incorrect(f"output_size({n}, {k}, {p}, {s}) devolvió {shown}; debe devolver "
                            "un número entero.")
        if got == expected and not isinstance(got, (int, np.integer)):
            raise Incorrect(f"output_size({n}, {k}, {p}, {s}) devolvió {shown}: el valor es "
                            f"correcto, pero es un {type(got).__name__}, no un entero. Un tamaño "
                            "se usa para crear arrays y capas, que no aceptan 3.0; np.floor y / "
                            "dan floats, la división entera // da un entero.")
        if got == expected:
            continue
        results = [call_learner_function(function, *case) for case in _SIZE_CASES]
        explanation = known_mistake(results, _SIZE_MISTAKES, _SIZE_CASES)
        if explanation:
            raise Incorrect(f"output_size({n}, {k}, {p}, {s}) devolvió {shown}, pero la salida "
                            f"mide {expected}: {explanation}")
        raise Incorrect(f"output_size({n}, {k}, {p}, {s}) devolvió {shown}; se esperaba {expected}. "
                        "Revisa la fórmula de la sección 4 paso a paso: tamaño con relleno, "
                        "saltos que caben y la posición 0.")


output_size = Exercise(
    "Tamaño de la salida de una convolución",
    _check_output_size,
    hint=("Cuenta posiciones de la ventana: la entrada con relleno mide n + 2p y la ventana de "
          "lado k empieza en 0, s, 2s… mientras quepa entera.",
          "La última posición válida es como mucho n + 2p − k; cuántos saltos de tamaño s caben "
          "ahí lo da la división entera (//), que además devuelve un entero. No olvides la "
          "posición 0."),
    solution="return (n + 2 * p - k) // s + 1",
)

# ---------------------------------------------------------------------------
# Ejercicio 2: max pooling 2×2 con reshape
# ---------------------------------------------------------------------------


def _pool_reference(x: np.ndarray, mode: str) -> np.ndarray:
    from helpers.conv import pool2d

    return pool2d(x, size=2, mode=mode)


def _blocks(x: np.ndarray) -> np.ndarray:
    h, w = x.shape
    return x.reshape(h // 2, 2, w // 2, 2)


#: Errores típicos: (lo que calcula, explicación).
_POOL_MISTAKES = [
    (lambda x: _blocks(x).mean(axis=(1, 3)),
     "calculas la media de cada bloque (average pooling), no el máximo."),
    (lambda x: _blocks(x).min(axis=(1, 3)), "calculas el mínimo de cada bloque, no el máximo."),
    (lambda x: _blocks(x).max(axis=(0, 2)),
     "reduces los ejes 0 y 2, que numeran los bloques; el máximo de cada bloque se toma sobre "
     "los otros dos, los que recorren las posiciones dentro del bloque."),
    (lambda x: x.reshape(2, x.shape[0] // 2, 2, x.shape[1] // 2).max(axis=(0, 2)),
     "tus «ventanas» no son bloques 2×2 contiguos: reshape(2, h // 2, 2, w // 2) agrupa píxeles "
     "separados por media imagen. El orden correcto es reshape(h // 2, 2, w // 2, 2): (fila de "
     "bloque, fila dentro del bloque, columna de bloque, columna dentro del bloque)."),
    (lambda x: x[::2, ::2],
     "te quedas con el píxel de arriba a la izquierda de cada bloque (x[::2, ::2]); el max "
     "pooling se queda con el mayor de los cuatro."),
]

#: Entrada de diagnóstico: todos los errores típicos dan resultados distintos con ella.
_DIAGNOSTIC = np.random.default_rng(0).permutation(48).reshape(4, 12) - 20


#: Funciones que ya hacen el pooling: el ejercicio pide escribirlo con reshape.
_LIBRARY_POOLING = ("pool2d", "block_reduce", "max_pool2d", "MaxPooling2D", "MaxPool2d",
                    "max_pool", "sliding_window_view")


def _check_max_pool(function) -> None:
    if callable(function):
        library = calls_in(function, _LIBRARY_POOLING)
        if library:
            raise Incorrect(f"tu función llama a {', '.join(library)}, que ya hace el pooling. "
                            "El ejercicio pide escribirlo tú con reshape y una reducción.")
        loops = loops_in(function)
        if loops:
            raise Incorrect(f"tu función usa bucles ({', '.join(loops)}); el ejercicio pide "
                            "hacerlo sin bucles: un reshape que separa los bloques 2×2 y una "
                            "sola reducción de NumPy sobre los ejes de dentro de cada bloque.")
    rng = np.random.default_rng(3)
    cases = [
        np.array([[1, 2, 5, 6], [3, 4, 7, 8], [0, 0, 1, 1], [0, 4, 1, 1]]),
        rng.integers(-9, 10, size=(6, 8)),
        rng.normal(size=(8, 4)),
        -rng.random((2, 2)) - 1,  # todo negativo: empezar el máximo en 0 falla aquí
        rng.normal(size=(10, 6)),
    ]
    for x in cases:
        got = np.asarray(call_for_result(function, x.copy()))
        expected = _pool_reference(x, "max")
        if got.shape == expected.shape and np.allclose(got, expected):
            continue
        try:
            diagnostic = np.asarray(call_learner_function(function, _DIAGNOSTIC.copy()))
        except Incorrect:  # si falla con la entrada de diagnóstico, se explica el caso original
            diagnostic = None
        explanation = diagnostic is not None and known_mistake([diagnostic], _POOL_MISTAKES,
                                                                 [(_DIAGNOSTIC,)])
        if explanation:
            raise Incorrect(explanation)
        if got.ndim == 0:
            raise Incorrect(f"con una entrada {x.shape} devolviste un solo número ({got}); se "
                            f"esperaba un mapa {expected.shape}: un máximo por cada bloque 2×2, "
                            "no el de toda la matriz. Reduce solo los ejes que recorren las "
                            "posiciones de dentro de cada bloque.")
        if got.shape != expected.shape:
            raise Incorrect(f"con una entrada {x.shape} devolviste forma {got.shape}; se esperaba "
                            f"{expected.shape} (la mitad en alto y en ancho): tras el reshape, "
                            "reduce los dos ejes de dentro de los bloques y conserva los que "
                            "los numeran.")
        raise Incorrect(f"con la entrada\n{x}\ndevolviste\n{got}\npero el max pooling 2×2 "
                        f"da\n{expected}")


max_pool_2x2 = Exercise(
    "Max pooling 2×2 con reshape",
    _check_max_pool,
    hint=("Tras el reshape del enunciado, cada bloque 2×2 ocupa dos ejes del array de cuatro "
          "ejes; el máximo del bloque es una reducción solo sobre esos dos ejes.",
          "En [i, a, j, b], i y j eligen el bloque y a y b la posición dentro de él. Los "
          "métodos de reducción de NumPy (.max, .mean…) aceptan axis= con una tupla de ejes; "
          "lee h y w de x.shape y no olvides el return."),
    solution="h, w = x.shape\nreturn x.reshape(h // 2, 2, w // 2, 2).max(axis=(1, 3))",
)

# ---------------------------------------------------------------------------
# Ejercicio 3: parámetros y cálculo de un modelo pequeño, contados a mano
# ---------------------------------------------------------------------------


def small_model():
    """El modelo del ejercicio 3 (lo construye Keras para comprobar tu cuenta).

    Ejemplo:
        >>> small_model().get_layer("pool2").output.shape  # doctest: +SKIP
        (None, 5, 5, 16)
    """
    import keras
    from keras import layers

    inputs = keras.Input(shape=(28, 28, 1))
    x = layers.Conv2D(8, 3, name="conv1")(inputs)
    x = layers.MaxPooling2D(2, name="pool1")(x)
    x = layers.Conv2D(16, 3, name="conv2")(x)
    outputs = layers.MaxPooling2D(2, name="pool2")(x)
    return keras.Model(inputs, outputs, name="small_model")


def _mult_adds(layer) -> int:
    """Multiplicaciones-sumas de una Conv2D construida: una por peso y posición de la salida."""
    _, height, width, filters = layer.output.shape
    kernel_h, kernel_w, channels_in, _ = layer.kernel.shape
    return height * width * filters * kernel_h * kernel_w * channels_in


def _as_shape(value, label: str) -> tuple:
    if not isinstance(value, (tuple, list)) or len(value) != 3:
        raise Incorrect(f"{label}: responde con una forma de tres números (alto, ancho, "
                        f"canales), por ejemplo (10, 10, 3); diste {value!r}.")
    return tuple(as_count(side, label) for side in value)


def _check_small_model(conv1_params, conv2_params, conv2_mult_adds, pool2_shape) -> None:
    model = small_model()
    conv2 = model.get_layer("conv2")
    pool2_real = tuple(model.get_layer("pool2").output.shape[1:])
    check_expected(
        (Expected("conv1_params", model.get_layer("conv1").count_params(), convert=as_count,
                  show_answer=True, mistakes={
            3 * 3 * 1 * 8: "olvidaste los sesgos: cada filtro suma uno propio.",
            3 * 3 * 1 + 1: "eso es un solo filtro; la capa tiene 8.",
            (3 * 3 * 3 + 1) * 8: "la entrada es gris: 1 canal, no 3.",
        }, otherwise="cada filtro tiene 3·3·C_in pesos más 1 sesgo, y hay 8 filtros."), conv1_params),
        (Expected("conv2_params", conv2.count_params(), convert=as_count, show_answer=True, mistakes={
            3 * 3 * 8 * 16: "olvidaste los sesgos: cada filtro suma uno propio.",
            (3 * 3 * 1 + 1) * 16: "conv2 recibe los 8 mapas de conv1: C_in = 8, no 1.",
            (3 * 3 * 16 + 1) * 16: "C_in es el número de canales que entran (8), no el de "
                                   "filtros de la capa (16).",
        }, otherwise="los filtros de conv2 miran todos los mapas que produce conv1 (C_in es "
                     "el número de filtros de conv1), con núcleos 3×3 y un sesgo cada uno."),
         conv2_params),
        (Expected("conv2_mult_adds", _mult_adds(conv2), convert=as_count, show_answer=True, mistakes={
            13 * 13 * 16 * 3 * 3 * 8: "usaste el tamaño de la entrada de conv2 (13×13); las "
                                      "ventanas se calculan en las posiciones de la salida.",
            11 * 11 * 16 * 3 * 3: "cada ventana tiene 3·3·C_in valores: olvidaste los 8 canales "
                                  "que entran.",
            11 * 11 * 16 * (3 * 3 * 8 + 1): "el sesgo es una suma, no una multiplicación: no cuenta.",
            (3 * 3 * 8 + 1) * 16: "eso son los parámetros; cada peso se usa una vez en cada "
                                  "posición de la salida.",
            11 * 11 * 16: "eso es el número de valores de la salida; cada uno cuesta una ventana "
                          "entera de multiplicaciones-sumas.",
        }, otherwise="cuenta los valores de la salida de conv2 (alto × ancho × filtros) y "
                     "multiplícalos por lo que cuesta cada uno: una ventana k·k·C_in."),
         conv2_mult_adds),
        (Expected("pool2_shape", pool2_real, convert=_as_shape, show_answer=True, mistakes={
            (11, 11, 16): "olvidaste pool2: conv2 da 11×11×16 y pool2 lo reduce a la mitad.",
            (6, 6, 16): "el pooling redondea hacia abajo: la última fila y columna sobran.",
            (13, 13, 16): "conv2 ('valid', 3×3) encoge el mapa antes de pool2.",
            (5, 5, 8): "la salida de pool2 tiene los canales de conv2 (16 filtros), no los de conv1.",
        }, otherwise="sigue el lado capa a capa con la fórmula de la sección 4: 28 → conv1 → "
                     "pool1 → conv2 → pool2; el pooling no cambia los canales."), pool2_shape),
    )


small_model_params = Exercise(
    "Parámetros y cálculo de un modelo pequeño",
    _check_small_model,
    hint=("Cada filtro de una Conv2D tiene un peso por cada valor de su ventana (k·k·C_in) y "
          "un sesgo; cada valor de su salida cuesta una multiplicación-suma por peso. El pooling "
          "no tiene parámetros y no cambia los canales.",
          "Parámetros: (k·k·C_in + 1)·F, con C_in los canales que le llegan. Para el cálculo "
          "y la forma, sigue el lado capa a capa con la fórmula de la sección 4 (28 → conv1 → "
          "pool1 → conv2 → pool2) y multiplica los valores de la salida de conv2 por k·k·C_in."),
    solution="""
conv1_params = (3 * 3 * 1 + 1) * 8             # 80
conv2_params = (3 * 3 * 8 + 1) * 16            # 1168
conv2_mult_adds = 11 * 11 * 16 * (3 * 3 * 8)   # 28 → 26 → 13 → 11: 1936 valores × 72
pool2_shape = (5, 5, 16)                       # 11 → 5 (hacia abajo), mismos 16 canales
""",
)

# ---------------------------------------------------------------------------
# Cuestionario
# ---------------------------------------------------------------------------


def _quiz_number(value, label: str):
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (Real, np.number)):
        raise Incorrect(f"{label}: responde con un número, no con {value!r}.")
    return value


def _quiz_padding(value, label: str):
    if isinstance(value, str):
        raise Incorrect(f"{label}: 'same' es el nombre que usa Keras; aquí se pide cuántos "
                        "ceros añades por lado (un número).")
    return _quiz_number(value, label)


_QUIZ = (
    # 1. n = 30, k = 5, p = 2, s = 2 → ⌊29 / 2⌋ + 1 = 15
    Expected("Pregunta 1", 15, convert=_quiz_number, mistakes={
        14: "¿olvidaste el +1 o sumaste p una sola vez? (30 + 2·2 − 5) = 29.",
        14.5: "la división es entera: ⌊29 / 2⌋ = 14.",
        15.5: "la división es entera: ⌊29 / 2⌋ = 14, y luego +1.",
        16: "redondeaste hacia arriba; la última ventana no cabe entera y no cuenta.",
        30: "con paso 2 la ventana salta de dos en dos: la salida es más o menos la mitad.",
        26: "ese sería el resultado sin relleno y con paso 1.",
    }, otherwise="aplica o = ⌊(n + 2p − k) / s⌋ + 1 con n = 30, k = 5, p = 2, s = 2."),
    # 2. k = 5, paso 1: p = (k − 1) / 2 = 2
    Expected("Pregunta 2", 2, convert=_quiz_padding, mistakes={
        4: "4 es el relleno total (k − 1); p es por cada lado.",
        5: "con p = 5 la salida crece: 28 + 10 − 5 + 1 = 34.",
        1: "con p = 1 la salida encoge 2 píxeles: n + 2 − 5 + 1 = n − 2.",
        0: "sin relleno, un núcleo 5×5 quita 4 píxeles: n − 4.",
    }, otherwise="busca p tal que n + 2p − 5 + 1 = n."),
    # 3. Conv2D de 64 filtros 3×3 sobre una imagen RGB: (3·3·3 + 1)·64 = 1792
    Expected("Pregunta 3", 1792, convert=_quiz_number, mistakes={
        1728: "falta el sesgo: cada filtro suma uno propio.",
        640: "cada filtro mira los 3 canales RGB: tiene 3·3·3 pesos, no 3·3.",
        576: "cada filtro tiene 3·3·3 pesos (3 canales) y un sesgo.",
        28: "eso es un solo filtro; la capa tiene 64.",
    }, otherwise="usa (k·k·C_in + 1)·F: k el lado del núcleo, C_in los canales de la imagen y F "
                 "el número de filtros."),
    # 4. MaxPooling2D(2) sobre 64×64×32 → (32, 32, 32)
    Expected("Pregunta 4", (32, 32, 32), convert=_as_shape, mistakes={
        (32, 32, 16): "el pooling actúa en cada canal por separado: no cambia el número de canales.",
        (63, 63, 32): "MaxPooling2D(2) usa paso 2 por defecto (ventanas sin solapar).",
        (64, 64, 32): "el pooling 2×2 reduce a la mitad el alto y el ancho.",
        (32, 32, 64): "el pooling no cambia el número de canales.",
    }, otherwise="cada ventana 2×2 se resume en un valor, en cada canal por separado."),
)


quiz = Exercise(
    "Cuestionario: relleno, paso y pooling",
    equality_checker(*_QUIZ),
    hint=("Las cuatro preguntas se responden con lo de las secciones 4 (tamaño de la salida), 5 "
          "(pooling) y 6 (parámetros); no hace falta ejecutar nada.",
          "1) Aplica o = ⌊(n + 2p − k) / s⌋ + 1. 2) Escribe esa fórmula con s = 1 y k = 5 e "
          "iguala o a n. 3) (k·k·C_in + 1)·F: ¿cuántos canales tiene una imagen RGB? 4) ¿Qué "
          "ejes reduce un pooling 2×2 y cuáles deja igual?"),
    solution="""
answer_1 = 15              # ⌊(30 + 4 − 5) / 2⌋ + 1
answer_2 = 2               # 2p = k − 1
answer_3 = 1792            # (3·3·3 + 1)·64
answer_4 = (32, 32, 32)    # alto y ancho a la mitad, mismos canales
""",
)
