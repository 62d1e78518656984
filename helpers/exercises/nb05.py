"""Ejercicios del cuaderno 05 (CIFAR-10 y cómo optimizar una CNN)."""
from __future__ import annotations

import textwrap
from numbers import Integral

import numpy as np

from helpers.exercises.core import (
    Exercise,
    Incorrect,
    ModelSpec,
    call_learner_function,
    known_mistake,
    training_history,
)

__all__ = ["best_epoch", "generalization_gap", "generalization_gap_reference", "predict_with_flip",
           "predict_with_flip_reference", "regularized_cnn", "regularized_cnn_reference",
           "standardize", "standardize_reference"]


def standardize_reference(x_train: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Versión del curso de ``standardize``: ``x`` estandarizado por canal con la media y la
    desviación estándar de ``x_train`` (ejes 0, 1 y 2), en float32.

    Ejemplo:
        >>> x = np.arange(24, dtype=np.uint8).reshape(2, 2, 2, 3)
        >>> standardize_reference(x, x).mean(axis=(0, 1, 2)).round(6).tolist()
        [0.0, 0.0, 0.0]
    """
    x_train = np.asarray(x_train, dtype=np.float64)
    mean = x_train.mean(axis=(0, 1, 2))
    std = x_train.std(axis=(0, 1, 2))
    return ((np.asarray(x) - mean) / std).astype("float32")


def _standardize_cases():
    rng = np.random.default_rng(5)
    x_train = rng.integers(0, 256, size=(20, 6, 6, 3)).astype(np.uint8)
    x_train[..., 0] //= 2          # canales con medias y desviaciones distintas
    x_train[..., 2] = 255 - x_train[..., 2] // 4
    x_other = rng.integers(60, 200, size=(7, 6, 6, 3)).astype(np.uint8)
    return x_train, x_other


def _check_standardize(function) -> None:
    x_train, x_other = _standardize_cases()
    got = call_learner_function(function, x_train.copy(), x_other.copy())
    got = np.asarray(got)
    expected = standardize_reference(x_train, x_other)
    if got.shape != expected.shape:
        raise Incorrect(f"para x de forma {x_other.shape} devolviste forma {got.shape}; la "
                        "estandarización no cambia la forma.")
    if np.allclose(got, expected, atol=1e-4):
        if got.dtype != np.float32:
            raise Incorrect(f"los valores son correctos, pero el tipo es {got.dtype}; conviértelo "
                            "con .astype('float32').")
        return
    xt, xo = x_train.astype(np.float64), x_other.astype(np.float64)
    mistakes = [
        (standardize_reference(x_other, x_other),
         "usas la media y la desviación de x, no las de x_train: así el preprocesado mira los "
         "datos de validación o prueba (fuga de información)."),
        ((xo - xt.mean()) / xt.std(),
         "calculas una sola media y desviación para toda la imagen; se piden por canal "
         "(axis=(0, 1, 2) deja un valor por canal)."),
        ((xo - xt.mean(axis=0)) / xt.std(axis=0),
         "con axis=0 calculas una media por píxel y canal; se pide una por canal: "
         "axis=(0, 1, 2)."),
        (xo - xt.mean(axis=(0, 1, 2)), "restas la media pero no divides entre la desviación estándar."),
        (xo / xt.std(axis=(0, 1, 2)), "divides entre la desviación pero no restas la media."),
        (xo / 255.0, "solo escalas a [0, 1]; aquí se pide restar la media y dividir entre la "
                     "desviación estándar de cada canal."),
    ]
    for wrong, explanation in mistakes:
        if wrong.shape == got.shape and np.allclose(got, wrong, atol=1e-4):
            raise Incorrect(explanation)
    raise Incorrect("los valores no coinciden con (x − media) / desviación, por canal, con las "
                    "estadísticas de x_train.")


standardize = Exercise(
    "Estandarizar con las estadísticas del entrenamiento",
    _check_standardize,
    hint="mean = x_train.mean(axis=(0, 1, 2)) da 3 números, uno por canal; igual con .std. "
         "NumPy los aplica a cada píxel de x por difusión (broadcasting).",
    solution="""
mean = x_train.mean(axis=(0, 1, 2))
std = x_train.std(axis=(0, 1, 2))
return ((x - mean) / std).astype("float32")
""",
)

_HISTORIES = [
    {"loss": [1.9, 1.4, 1.1, 0.9, 0.7, 0.5], "val_loss": [1.8, 1.5, 1.3, 1.35, 1.5, 1.7],
     "accuracy": [0.3, 0.5, 0.6, 0.7, 0.8, 0.9], "val_accuracy": [0.35, 0.45, 0.55, 0.56, 0.54, 0.53]},
    {"loss": [2.0, 1.5, 1.2, 1.0], "val_loss": [1.9, 1.7, 1.6, 1.55],
     "accuracy": [0.2, 0.4, 0.5, 0.6], "val_accuracy": [0.3, 0.4, 0.45, 0.47]},
    {"loss": [1.0, 0.8, 0.6, 0.5, 0.4], "val_loss": [0.9, 0.85, 0.95, 1.1, 1.2],
     "accuracy": [0.6, 0.7, 0.75, 0.8, 0.85], "val_accuracy": [0.62, 0.66, 0.68, 0.67, 0.66]},
]


def _check_best_epoch(function) -> None:
    for history in _HISTORIES:
        expected = int(np.argmin(history["val_loss"])) + 1
        got = call_learner_function(function, {k: list(v) for k, v in history.items()})
        if isinstance(got, (bool, np.bool_)) or not isinstance(got, (Integral, np.integer)):
            raise Incorrect(f"best_epoch devolvió {got!r}; debe devolver un número de época "
                            "entero (1, 2, 3…).")
        if got == expected:
            continue
        if got == expected - 1:
            raise Incorrect(f"devolviste {got}, el índice de la lista (desde 0); Keras numera las "
                            f"épocas desde 1: la respuesta es {expected}. Suma 1.")
        if got == int(np.argmin(history["loss"])) + 1 or got == int(np.argmin(history["loss"])):
            raise Incorrect("miras la pérdida de entrenamiento (\"loss\"), que casi siempre baja "
                            "hasta el final; el sobreajuste se ve en la de validación "
                            "(\"val_loss\").")
        if got == len(history["val_loss"]):
            raise Incorrect("devolviste la última época; busca la de menor \"val_loss\".")
        raise Incorrect(f"con val_loss = {history['val_loss']} devolviste {got}; la menor pérdida "
                        f"de validación está en la época {expected}.")


best_epoch = Exercise(
    "La mejor época según la validación",
    _check_best_epoch,
    hint="np.argmin(history[\"val_loss\"]) da la posición (desde 0) del menor valor; las épocas "
         "se numeran desde 1. Convierte el resultado con int(...).",
    solution='return int(np.argmin(history["val_loss"])) + 1',
)


def predict_with_flip_reference(model, x: np.ndarray) -> np.ndarray:
    """Versión del curso de ``predict_with_flip``: media de las predicciones de ``x`` y de su
    reflejo horizontal.

    Ejemplo:
        >>> class Mean:
        ...     def predict(self, x, verbose=0):
        ...         return x.mean(axis=(1, 2))
        >>> predict_with_flip_reference(Mean(), np.ones((2, 4, 4, 3))).shape
        (2, 3)
    """
    return (model.predict(x, verbose=0) + model.predict(x[:, :, ::-1], verbose=0)) / 2


class _LeftHalfModel:
    """Modelo de prueba: «probabilidades» que cambian al reflejar (horizontal, vertical) o al invertir canales."""

    def __init__(self) -> None:
        self.calls = 0

    def predict(self, x, verbose=0, **kwargs):
        self.calls += 1
        x = np.asarray(x, dtype=np.float64)
        half = x.shape[2] // 2
        top_red = x[:, : x.shape[1] // 2, :, 0].mean(axis=(1, 2))  # arriba, canal 0
        scores = np.stack([x[:, :, :half].mean(axis=(1, 2, 3)), x[:, :, half:].mean(axis=(1, 2, 3)),
                           top_red], axis=1) + 1e-3
        return scores / scores.sum(axis=1, keepdims=True)


def _check_predict_with_flip(function) -> None:
    x = np.random.default_rng(6).random((4, 8, 8, 3))
    x[:, :, :4] *= 3          # la mitad izquierda, más brillante
    x[:, :4] *= 0.5           # la mitad de arriba, más oscura
    model = _LeftHalfModel()
    got = call_learner_function(function, model, x.copy())
    expected = predict_with_flip_reference(_LeftHalfModel(), x)
    got = np.asarray(got, dtype=np.float64)
    if got.shape != expected.shape:
        raise Incorrect(f"devolviste forma {got.shape}; se esperaban las probabilidades "
                        f"{expected.shape}: una fila por imagen.")
    if np.allclose(got, expected):
        return
    plain = _LeftHalfModel().predict(x)
    flipped = _LeftHalfModel().predict(x[:, :, ::-1])
    mistakes = [
        (plain, "devuelves solo la predicción de x; falta promediar con la del reflejo."),
        (flipped, "devuelves solo la predicción del reflejo; promedia las dos."),
        (plain + flipped, "sumas las dos predicciones sin dividir entre 2: ya no suman 1."),
        ((plain + _LeftHalfModel().predict(x[:, ::-1])) / 2,
         "reflejas en vertical (eje 1, el alto): el reflejo horizontal invierte el ancho, "
         "x[:, :, ::-1]."),
        ((plain + _LeftHalfModel().predict(x[..., ::-1])) / 2,
         "inviertes el último eje, que son los canales (RGB → BGR), no el ancho: x[:, :, ::-1]."),
    ]
    for wrong, explanation in mistakes:
        if np.allclose(got, wrong):
            raise Incorrect(explanation)
    raise Incorrect("el resultado no es la media de model.predict(x) y model.predict(x[:, :, ::-1]).")


predict_with_flip = Exercise(
    "Predicción promediada con el reflejo",
    _check_predict_with_flip,
    hint="x[:, :, ::-1] invierte el eje del ancho en un lote (N, alto, ancho, canales). Suma las "
         "dos salidas de model.predict y divide entre 2.",
    solution="return (model.predict(x, verbose=0) + model.predict(x[:, :, ::-1], verbose=0)) / 2",
)


#: Cuerpo de ``regularized_cnn`` del ejercicio 2: es a la vez la solución que se muestra y la red de
#: referencia.
_REGULARIZED_CNN_BODY = """
model = keras.Sequential([keras.Input(shape=(32, 32, 3)), augmentation()])
for filters in (32, 64, 128):
    model.add(layers.Conv2D(filters, 3, padding="same", use_bias=False))
    model.add(layers.BatchNormalization())
    model.add(layers.ReLU())
    model.add(layers.MaxPooling2D(2))
model.add(layers.Flatten())
model.add(layers.Dropout(0.5))
model.add(layers.Dense(10, activation="softmax"))
return model
"""


def regularized_cnn_reference(augmentation):
    """Versión del curso de ``regularized_cnn``: la CNN de base con el bloque ``augmentation()``
    delante, normalización por lotes entre cada convolución y su ReLU, y *dropout* antes de la salida.

    Se construye ejecutando el código de la solución del ejercicio 2, así que las dos coinciden
    siempre.

    Ejemplo:
        >>> model = regularized_cnn_reference(augmentation)  # doctest: +SKIP
    """
    import keras
    from keras import layers

    source = "def regularized_cnn():\n" + textwrap.indent(_REGULARIZED_CNN_BODY.strip("\n"), "    ")
    namespace = {"keras": keras, "layers": layers, "augmentation": augmentation}
    exec(source, namespace)  # código fijo del curso, no del estudiante
    return namespace["regularized_cnn"]()


def _check_regularized_cnn(function) -> None:
    import keras
    from keras import layers

    model = call_learner_function(function)
    if not isinstance(model, keras.Model):
        raise Incorrect(f"regularized_cnn() debe devolver el modelo (return model); devolvió "
                        f"{type(model).__name__}.")
    first = model.layers[0] if model.layers else None
    if first is None or not hasattr(first, "layers"):
        if any(isinstance(layer, (layers.RandomFlip, layers.RandomTranslation)) for layer in model.layers):
            raise Incorrect("pon el bloque de aumento como una sola capa: augmentation() (sección "
                            "4) justo después de keras.Input.")
        raise Incorrect("falta el aumento de datos: la primera capa tras keras.Input debe ser "
                        "augmentation() (sección 4).")
    flips = [layer for layer in first.layers if isinstance(layer, layers.RandomFlip)]
    if not flips:
        raise Incorrect("la primera capa debe ser el bloque augmentation() de la sección 4, con "
                        "RandomFlip y RandomTranslation.")
    if any(flip.mode != "horizontal" for flip in flips):
        raise Incorrect("RandomFlip refleja también en vertical: un barco boca abajo no es una foto "
                        "plausible. Usa augmentation() de la sección 4.")
    kinds = [type(layer).__name__ for layer in model.layers]
    convs = [layer for layer in model.layers if isinstance(layer, layers.Conv2D)]
    if "BatchNormalization" not in kinds:
        raise Incorrect("falta la normalización por lotes: añade layers.BatchNormalization() "
                        "después de cada Conv2D.")
    if "Dropout" not in kinds:
        raise Incorrect("falta el dropout: añade layers.Dropout(0.5) entre Flatten y la capa de "
                        "salida.")
    if any(getattr(conv.activation, "__name__", "") != "linear" for conv in convs):
        raise Incorrect("una Conv2D lleva activation=\"relu\": así la normalización por lotes "
                        "llega después de la activación. Quita la activación de Conv2D y pon "
                        "Conv2D → BatchNormalization → ReLU.")
    for i, kind in enumerate(kinds[:-1]):
        if kind == "ReLU" and kinds[i + 1] == "BatchNormalization":
            raise Incorrect("la normalización por lotes va entre la convolución y la activación: "
                            "Conv2D → BatchNormalization → ReLU, no después de la ReLU.")
    if kinds[-1] == "Dropout":
        raise Incorrect("el Dropout está después de la capa de salida: apagaría probabilidades. "
                        "Ponlo entre Flatten y Dense(10).")
    if any(conv.use_bias for conv in convs):
        raise Incorrect("con normalización por lotes la convolución no necesita sesgo (su β hace "
                        "ese papel): usa Conv2D(..., use_bias=False).")
    spec = ModelSpec.of(regularized_cnn_reference(
        lambda: keras.Sequential([layers.RandomFlip("horizontal")], name="augmentation")))
    spec.check(model)
    dropout = next(layer for layer in model.layers if isinstance(layer, layers.Dropout))
    if not 0.2 <= dropout.rate <= 0.6:
        raise Incorrect(f"Dropout({dropout.rate}) apaga muy {'poco' if dropout.rate < 0.2 else 'mucho'}; "
                        "usa Dropout(0.5).")


regularized_cnn = Exercise(
    "Regularizar la CNN de base",
    _check_regularized_cnn,
    hint="Copia baseline_cnn y cambia tres cosas: augmentation() como primera capa tras "
         "keras.Input; en cada bloque, Conv2D(filters, 3, padding=\"same\", use_bias=False) → "
         "BatchNormalization() → ReLU() → MaxPooling2D(2); y Dropout(0.5) entre Flatten y Dense.",
    solution=_REGULARIZED_CNN_BODY,
)


def generalization_gap_reference(history: dict) -> float:
    """Versión del curso de ``generalization_gap``: exactitud de entrenamiento menos la de
    validación en la última época.

    Ejemplo:
        >>> generalization_gap_reference({"accuracy": [0.5, 0.9], "val_accuracy": [0.5, 0.7]})
        0.2
    """
    return round(float(history["accuracy"][-1] - history["val_accuracy"][-1]), 10)


def _is_regularized(model) -> bool:
    kinds = {type(layer).__name__ for layer in model.layers}
    return {"Dropout", "BatchNormalization"} <= kinds


_GAP_MISTAKES = [
    (lambda h: h["val_accuracy"][-1] - h["accuracy"][-1],
     "restas al revés: el hueco es entrenamiento − validación (positivo si la red memoriza)."),
    (lambda h: max(h["accuracy"]) - max(h["val_accuracy"]),
     "usas los máximos; el hueco se mide en la última época: [-1]."),
    (lambda h: h["accuracy"][0] - h["val_accuracy"][0],
     "usas la primera época ([0]); el hueco se mide en la última: [-1]."),
    (lambda h: h["val_loss"][-1] - h["loss"][-1],
     "usas la pérdida; aquí se pide la exactitud (\"accuracy\" y \"val_accuracy\")."),
]


def _check_generalization_gap(function, history_base, history_regularized) -> None:
    base = training_history(history_base, "history_base")
    regularized = training_history(history_regularized, "history_regularized")
    if _is_regularized(history_base.model) or not _is_regularized(history_regularized.model):
        raise Incorrect("history_base debe ser la historia de la red de base y history_regularized "
                        "la de la red regularizada (con BatchNormalization y Dropout): ¿están "
                        "cambiadas o es la misma dos veces?")
    if len(base["loss"]) != len(regularized["loss"]):
        raise Incorrect(f"las dos redes entrenaron épocas distintas ({len(base['loss'])} y "
                        f"{len(regularized['loss'])}): para compararlas, entrena las dos con "
                        "STUDY_EPOCHS.")
    cases = [
        {"loss": [1.5, 0.9, 0.4], "val_loss": [1.4, 1.1, 1.3], "accuracy": [0.45, 0.7, 0.88],
         "val_accuracy": [0.5, 0.62, 0.6]},
        {"loss": [1.8, 1.2], "val_loss": [1.5, 1.3], "accuracy": [0.31, 0.52],
         "val_accuracy": [0.42, 0.55]},
        base, regularized,
    ]
    results = []
    for history in cases:
        got = call_learner_function(function, {k: list(v) for k, v in history.items()})
        if isinstance(got, (bool, np.bool_)) or not isinstance(got, (float, Integral, np.number)):
            raise Incorrect(f"generalization_gap devolvió {got!r}; debe devolver un número.")
        results.append(float(got))
    expected = [generalization_gap_reference(history) for history in cases]
    if np.allclose(results, expected, atol=1e-6):
        return
    mistake = known_mistake(results, _GAP_MISTAKES, [(h,) for h in cases])
    raise Incorrect(mistake or "el hueco es history[\"accuracy\"][-1] − history[\"val_accuracy\"][-1].")


generalization_gap = Exercise(
    "El hueco entre entrenamiento y validación",
    _check_generalization_gap,
    hint="history[\"accuracy\"][-1] es la exactitud de entrenamiento de la última época; resta "
         "la de validación de esa misma época.",
    solution='return history["accuracy"][-1] - history["val_accuracy"][-1]',
)
