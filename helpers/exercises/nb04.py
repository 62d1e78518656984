"""Ejercicios del cuaderno 04 (primera CNN con Fashion-MNIST)."""
from __future__ import annotations

import numpy as np

from helpers.exercises.core import Exercise, Incorrect, as_count, call_learner_function

__all__ = ["loss_choice", "param_counts", "prepare_images", "prepare_images_reference"]


def prepare_images_reference(x: np.ndarray) -> np.ndarray:
    """Versión del curso de ``prepare_images``: float32 en [0, 1] con eje de canal al final.

    Ejemplo:
        >>> prepare_images_reference(np.full((2, 28, 28), 255, dtype=np.uint8)).shape
        (2, 28, 28, 1)
    """
    return (np.asarray(x) / 255.0).astype("float32")[..., np.newaxis]


def _check_prepare_images(function) -> None:
    rng = np.random.default_rng(4)
    x = rng.integers(0, 256, size=(5, 28, 28), dtype=np.uint8)
    x[0, 0, 0], x[0, 0, 1] = 0, 255
    got = call_learner_function(function, x.copy())
    if not isinstance(got, np.ndarray) and not hasattr(got, "shape"):
        raise Incorrect(f"tu función devolvió {type(got).__name__}; debe devolver un array de NumPy.")
    got = np.asarray(got)
    expected = prepare_images_reference(x)
    if got.shape == (5, 28, 28):
        raise Incorrect("la forma es (N, 28, 28): falta el eje de canal. Añádelo al final con "
                        "x[..., np.newaxis] para obtener (N, 28, 28, 1).")
    if got.shape == (5, 1, 28, 28):
        raise Incorrect("la forma es (N, 1, 28, 28): el canal va delante, como en PyTorch. Keras "
                        "espera los canales al final: (N, 28, 28, 1).")
    if got.shape != expected.shape:
        raise Incorrect(f"la forma es {got.shape}; para {x.shape} se esperaba {expected.shape}.")
    if not np.issubdtype(got.dtype, np.floating):
        if got.max() <= 1:
            raise Incorrect("el resultado es de enteros y casi todo vale 0: ¿usaste la división "
                            "entera //? Divide con / entre 255.0.")
        raise Incorrect(f"el resultado es de tipo {got.dtype}; debe ser float32 (divide entre 255.0 "
                        "y usa .astype('float32')).")
    if got.max() > 1.0 + 1e-6:
        raise Incorrect(f"los valores llegan hasta {got.max():.0f}: falta escalar a [0, 1] "
                        "dividiendo entre 255.")
    if np.allclose(got, x[..., None] / 256.0):
        raise Incorrect("divides entre 256; el píxel más brillante (255) debe valer exactamente 1.")
    if not np.allclose(got, expected, atol=1e-6):
        raise Incorrect("los valores no son x / 255: el píxel 0 debe valer 0 y el 255, 1.")
    if got.dtype != np.float32:
        raise Incorrect(f"los valores son correctos, pero el tipo es {got.dtype}; usa float32, el "
                        "tipo con el que calcula la red (la mitad de memoria que float64).")


prepare_images = Exercise(
    "Preparar las imágenes",
    _check_prepare_images,
    hint="Divide entre 255.0 (no //), convierte con .astype('float32') y añade el canal al final "
         "con [..., np.newaxis].",
    solution='return (x / 255.0).astype("float32")[..., np.newaxis]',
)

_LOSS_NOTES = {
    "binary_crossentropy": "binary_crossentropy es para una sola probabilidad (dos clases, o "
                           "varias etiquetas independientes), no para elegir una de diez clases.",
    "mse": "el error cuadrático (mse) es para regresión; para clasificar se usa la entropía cruzada.",
    "mean_squared_error": "el error cuadrático es para regresión; para clasificar se usa la "
                          "entropía cruzada.",
}


def _check_loss_choice(integer_labels, one_hot_labels) -> None:
    answers = {"enteros": integer_labels, "one-hot": one_hot_labels}
    for label, value in answers.items():
        if not isinstance(value, str):
            raise Incorrect(f"la respuesta para etiquetas {label} debe ser un texto con el nombre de "
                            f"la pérdida, por ejemplo \"mse\"; es {value!r}.")
    integer_labels, one_hot_labels = integer_labels.strip(), one_hot_labels.strip()
    if (integer_labels, one_hot_labels) == ("categorical_crossentropy",
                                            "sparse_categorical_crossentropy"):
        raise Incorrect("están intercambiadas: «sparse» es la que acepta enteros (una etiqueta "
                        "«dispersa» por foto); la otra espera el vector one-hot completo.")
    problems = []
    for label, value, wanted in (("enteros", integer_labels, "sparse_categorical_crossentropy"),
                                 ("one-hot", one_hot_labels, "categorical_crossentropy")):
        if value != wanted:
            problems.append(f"etiquetas {label}: «{value}» no es la adecuada. "
                            + _LOSS_NOTES.get(value, "Las dos son entropías cruzadas "
                                                     "categóricas; solo una acepta " + label + "."))
    if problems:
        raise Incorrect("\n".join(problems))


loss_choice = Exercise(
    "Pérdida según el formato de las etiquetas",
    _check_loss_choice,
    hint="Las dos son «categorical_crossentropy»; la que acepta un entero por foto lleva delante "
         "«sparse_».",
    solution='''
loss_for_integer_labels = "sparse_categorical_crossentropy"
loss_for_one_hot_labels = "categorical_crossentropy"
''',
)

#: block2_conv: 3·3·32 pesos por filtro, 64 filtros, sin sesgo (BatchNormalization lo aporta).
BLOCK2_CONV_PARAMS = 3 * 3 * 32 * 64
#: dense: 28 → 14 → 7 → 3 tras tres poolings; Flatten da 3·3·128 = 1152 entradas, más un sesgo.
DENSE_PARAMS = (3 * 3 * 128 + 1) * 128


def _check_param_counts(block2_conv_params, dense_params) -> None:
    conv = as_count(block2_conv_params, "block2_conv_params")
    dense = as_count(dense_params, "dense_params")
    problems = []
    if conv != BLOCK2_CONV_PARAMS:
        known = {
            (3 * 3 * 32 + 1) * 64: "la capa no tiene sesgo (use_bias=False): no sumes 64.",
            3 * 3 * 1 * 64: "block2 no recibe la imagen (1 canal) sino los 32 mapas de block1.",
            3 * 3 * 32: "eso es un solo filtro; hay 64.",
        }
        problems.append(f"block2_conv: {conv} no es correcto; " + known.get(
            conv, "cada filtro tiene 3·3·C_in pesos, con C_in = 32, y hay 64 filtros."))
    if dense != DENSE_PARAMS:
        known = {
            3 * 3 * 128 * 128: "faltan los 128 sesgos de la capa densa.",
            (4 * 4 * 128 + 1) * 128: "el pooling redondea hacia abajo: 7 // 2 = 3, no 4.",
            (7 * 7 * 128 + 1) * 128: "hay tres poolings: 28 → 14 → 7 → 3.",
            (28 * 28 * 128 + 1) * 128: "cada pooling divide el lado entre 2: 28 → 14 → 7 → 3.",
            (128 + 1) * 128: "Flatten no promedia los mapas: pone en fila los 3·3·128 valores.",
            (3 * 3 * 128 + 1) * 10: "esa es la capa de salida (10 neuronas); se pregunta por "
                                    "«dense», la de 128.",
        }
        problems.append(f"dense: {dense} no es correcto; " + known.get(
            dense, "Flatten da mapas de 3×3 con 128 canales; cada una de las 128 neuronas "
                   "tiene un peso por entrada más un sesgo."))
    if problems:
        raise Incorrect("\n".join(problems))


param_counts = Exercise(
    "Parámetros de dos capas",
    _check_param_counts,
    hint="Conv2D sin sesgo: k·k·C_in·F. Dense: (entradas + 1)·neuronas. Para las entradas de "
         "la capa densa, sigue el lado: 28 → 14 → 7 → 3 (división entera) y multiplica por 128 "
         "canales.",
    solution='''
block2_conv_params = 3 * 3 * 32 * 64      # sin sesgo
dense_params = (3 * 3 * 128 + 1) * 128    # 1152 entradas + 1 sesgo, por neurona
''',
)
