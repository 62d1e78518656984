"""Ejercicios del cuaderno 04 (primera CNN con Fashion-MNIST)."""
from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np

from helpers.config import pick
from helpers.exercises.core import (
    Exercise,
    Expected,
    Incorrect,
    ModelSpec,
    as_count,
    call_learner_function,
    check_layer_settings,
    equality_checker,
)

__all__ = ["LEARNING_RATE", "MIN_VAL_ACCURACY", "first_cnn", "first_cnn_reference", "loss_choice",
           "param_counts", "prepare_images", "prepare_images_reference", "train",
           "train_reference"]

#: Tasa de aprendizaje de Adam en el cuaderno (constante: sin programación).
LEARNING_RATE = 1e-3
#: Exactitud de validación mínima que exige la comprobación del entrenamiento en modo completo.
MIN_VAL_ACCURACY = 0.90
#: En modo rápido (pocas fotos y épocas) basta con estar muy por encima del azar (10 %).
MIN_VAL_ACCURACY_FAST = 0.50
#: En el modo mínimo de las pruebas (dos épocas con muy pocas fotos), lejos del azar todavía.
MIN_VAL_ACCURACY_SMOKE = 0.30


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
    hint=("Hacen falta dos cosas: llevar los píxeles de 0–255 a [0, 1] en el tipo real con el que "
          "calcula la red, y dar a cada foto un eje más, el del canal, al final.",
          "Una división real (no la entera) y .astype(…) resuelven lo primero; np.newaxis en la "
          "posición del último eje, lo segundo. Mira .shape y .dtype del resultado."),
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
    hint=("Las dos pérdidas calculan la misma entropía cruzada; cambia cómo reciben la clase real: "
          "un número por foto o un vector de diez.",
          "«Disperso» (sparse) describe una etiqueta guardada solo por la posición de su clase, sin "
          "los nueve ceros: ¿cuál de los dos formatos de la tabla es ese?"),
    solution='''
loss_for_integer_labels = "sparse_categorical_crossentropy"
loss_for_one_hot_labels = "categorical_crossentropy"
''',
)

# ---------------------------------------------------------------------------
# Ejercicio 3: construir la primera CNN
# ---------------------------------------------------------------------------


#: La red del ejercicio 3: es a la vez la solución que se muestra y la red de referencia.
_FIRST_CNN_CODE = """
model = keras.Sequential(
    [
        keras.Input(shape=(28, 28, 1)),
        layers.Conv2D(32, 3, activation="relu", name="conv1"),
        layers.MaxPooling2D(2, name="pool1"),
        layers.Conv2D(64, 3, activation="relu", name="conv2"),
        layers.MaxPooling2D(2, name="pool2"),
        layers.Flatten(name="flatten"),
        layers.Dropout(0.5, name="dropout"),
        layers.Dense(128, activation="relu", name="dense"),
        layers.Dense(10, activation="softmax", name="output"),
    ],
    name="first_cnn",
)
"""


def first_cnn_reference():
    """La primera CNN del curso, tal como la describe el cuaderno 04 (sin compilar).

    Se construye ejecutando el código de la solución del ejercicio 3, así que las dos
    coinciden siempre.

    Ejemplo:
        >>> first_cnn_reference().count_params()
        225034
    """
    import keras
    from keras import layers

    namespace = {"keras": keras, "layers": layers}
    exec(_FIRST_CNN_CODE, namespace)  # código fijo del curso, no del estudiante
    return namespace["model"]


@lru_cache(maxsize=1)
def _first_cnn_spec() -> ModelSpec:
    return ModelSpec.of(first_cnn_reference())


def _check_first_cnn(model) -> None:
    if callable(model) and not hasattr(model, "layers"):
        raise Incorrect("model debe ser el modelo (keras.Sequential([...])), no una función: "
                        "llama a la función o escribe el modelo directamente.")
    _first_cnn_spec().check(model)
    check_layer_settings(model, first_cnn_reference())


first_cnn = Exercise(
    "Construir la primera CNN",
    _check_first_cnn,
    hint=("keras.Sequential apila las capas en el orden de una lista: primero la forma de entrada y "
          "después las ocho capas de la sección 4, una por punto, con sus tamaños y activaciones.",
          "keras.Sequential([keras.Input(shape=…), layers.Conv2D(filtros, tamaño, activation=…), "
          "…]); MaxPooling2D, Flatten, Dropout y Dense también están en keras.layers. Si la "
          "comprobación nombra la capa i, compara tu línea i con el punto i de la lista."),
    solution=_FIRST_CNN_CODE,
)

# ---------------------------------------------------------------------------
# Ejercicio 4: parámetros de dos capas, a mano
# ---------------------------------------------------------------------------

#: Segunda convolución: (3·3·32 + 1)·64. Primera densa: 28 → 26 → 13 → 11 → 5, Flatten da
#: 5·5·64 = 1600 entradas.
CONV2_PARAMS = (3 * 3 * 32 + 1) * 64
DENSE_PARAMS = (5 * 5 * 64 + 1) * 128

param_counts = Exercise(
    "Parámetros de dos capas",
    equality_checker(
        Expected("conv2_params", CONV2_PARAMS, convert=as_count, show_answer=True, mistakes={
            3 * 3 * 32 * 64: "olvidaste los sesgos: uno por filtro (+64).",
            (3 * 3 * 1 + 1) * 64: "la segunda convolución no recibe la imagen (1 canal) sino los 32 "
                                  "mapas de la primera.",
            3 * 3 * 32 + 1: "eso es un solo filtro; hay 64.",
            (3 * 3 * 64 + 1) * 64: "C_in es el número de canales que entran (32), no el de "
                                   "filtros de la capa (64).",
        }, otherwise="cada filtro tiene 3·3·C_in pesos más un sesgo, con C_in = 32, y hay 64 "
                     "filtros."),
        Expected("dense_params", DENSE_PARAMS, convert=as_count, show_answer=True, mistakes={
            5 * 5 * 64 * 128: "faltan los 128 sesgos de la capa densa.",
            (6 * 6 * 64 + 1) * 128: "el pooling redondea hacia abajo: 11 // 2 = 5, no 6.",
            (7 * 7 * 64 + 1) * 128: "sin relleno cada convolución 3×3 quita 2 píxeles: "
                                    "28 → 26 → 13 → 11 → 5, no 28 → 14 → 7.",
            (11 * 11 * 64 + 1) * 128: "olvidaste el segundo pooling: reduce 11×11 a 5×5 antes de "
                                      "Flatten.",
            (64 + 1) * 128: "Flatten no resume cada mapa en un número: pone en fila los 5·5·64 "
                            "valores.",
            (5 * 5 * 64 + 1) * 10: "esa es la capa de salida (10 neuronas); se pregunta por "
                                   "la primera densa, la de 128.",
            (5 * 5 * 32 + 1) * 128: "Flatten recibe los 64 mapas de la segunda convolución, no 32.",
        }, otherwise="sigue el lado capa a capa (28 → convolución → pooling → convolución → "
                     "pooling) y multiplica "
                     "alto × ancho × 64 canales; cada una de las 128 neuronas tiene un peso por "
                     "entrada más un sesgo."),
    ),
    hint=("Cuenta los pesos de un filtro (o de una neurona), súmale su sesgo y multiplica por "
          "cuántos filtros (o neuronas) tiene la capa.",
          "Conv2D: (k·k·C_in + 1)·F. Dense: (entradas + 1)·neuronas, con entradas = alto × ancho × "
          "canales a la salida del segundo pooling; sigue el lado con o = n − k + 1 en cada "
          "convolución y o = ⌊n / 2⌋ en cada pooling."),
    solution='''
conv2_params = (3 * 3 * 32 + 1) * 64     # 64 filtros de 3·3·32 pesos, más su sesgo
dense_params = (5 * 5 * 64 + 1) * 128    # 28 → 26 → 13 → 11 → 5: 1600 entradas + 1 sesgo
''',
)

# ---------------------------------------------------------------------------
# Ejercicio 5: compilar y entrenar
# ---------------------------------------------------------------------------


def _loss_name(loss: Any) -> str:
    name = getattr(loss, "name", None) or getattr(loss, "__name__", None) or str(loss)
    return str(name).lower()


def _check_compiled(model) -> None:
    optimizer = getattr(model, "optimizer", None)
    if optimizer is None:
        raise Incorrect("el modelo no está compilado: llama a model.compile(…) antes de fit.")
    if type(optimizer).__name__ != "Adam":
        raise Incorrect(f"el optimizador es {type(optimizer).__name__}; el enunciado pide Adam: "
                        "optimizer=keras.optimizers.Adam(learning_rate=LEARNING_RATE).")
    rate = optimizer.get_config().get("learning_rate")
    if not isinstance(rate, (int, float)):
        raise Incorrect("la tasa de aprendizaje cambia durante el entrenamiento (una programación "
                        "o schedule); en este cuaderno es constante: learning_rate=LEARNING_RATE. "
                        "Las programaciones llegan en el cuaderno 05.")
    if not np.isclose(rate, LEARNING_RATE):
        raise Incorrect(f"la tasa de aprendizaje es {_decimal(rate)}; el enunciado pide "
                        f"LEARNING_RATE = {_decimal(LEARNING_RATE)}. Con una tasa mucho mayor Adam da pasos demasiado "
                        "grandes y la pérdida oscila; con una mucho menor, aprende muy despacio.")
    default = keras_adam().get_config()
    changed = [f"{key}={value!r}" for key, value in optimizer.get_config().items()
               if key not in ("name", "learning_rate") and value != default.get(key)]
    if changed:
        raise Incorrect(f"tu Adam cambia {', '.join(changed)}; el enunciado pide Adam con sus "
                        "valores por defecto y solo learning_rate=LEARNING_RATE.")
    loss = getattr(model, "loss", None)
    name = _loss_name(loss)
    if "sparse_categorical_crossentropy" not in name.replace(" ", "_") and \
            name != "sparsecategoricalcrossentropy":
        raise Incorrect(f"la pérdida es {name!r}; las etiquetas son enteros, así que corresponde "
                        "\"sparse_categorical_crossentropy\" (ejercicio 2).")
    if hasattr(loss, "get_config") and loss.get_config().get("from_logits"):
        raise Incorrect("usas from_logits=True, pero la última capa ya aplica softmax: la "
                        "pérdida trataría probabilidades como logits. Quita from_logits=True.")


def keras_adam():
    """El optimizador que pide el ejercicio 5: Adam con ``LEARNING_RATE`` y lo demás por defecto.

    Ejemplo:
        >>> keras_adam().get_config()["amsgrad"]
        False
    """
    import keras

    return keras.optimizers.Adam(learning_rate=LEARNING_RATE)


def _same_metrics(got: dict, loss: float, accuracy: float) -> bool:
    """Si ``got`` son las mismas cifras: la pérdida con tolerancia **relativa**, porque una red que
    ya acierta casi todo da pérdidas diminutas y parecidas en entrenamiento y en validación
    (0,0005 frente a 0,0008), y una tolerancia absoluta las confundía."""
    return abs(got["loss"] - loss) <= 1e-4 * abs(loss) + 1e-7 and abs(got["accuracy"] - accuracy) <= 1e-3


def _check_validation_data(model, log, validation, train, test) -> None:
    """Reconoce con qué datos validó ``fit``: las cifras de la última época son las del modelo
    final en esos datos, así que se reproducen evaluándolo (solo en caso de duda, en los otros)."""
    loss, accuracy = float(log["val_loss"][-1]), float(log["val_accuracy"][-1])

    def measured(data):
        x, y = data if isinstance(data, tuple) else (data, None)
        return model.evaluate(x, y, verbose=0, return_dict=True)

    if _same_metrics(measured(validation), loss, accuracy):
        return
    if test is not None and _same_metrics(measured(test), loss, accuracy):
        raise Incorrect("validaste con el conjunto de prueba (x_test_ready, y_test): la prueba se "
                        "usa una sola vez, al final; durante el entrenamiento se vigila "
                        "validation_batches.")
    if train is not None and _same_metrics(measured(train), loss, accuracy):
        raise Incorrect("validaste con los mismos lotes con los que entrenas (train_batches): así "
                        "la validación no dice nada de fotos nuevas. Usa "
                        "validation_data=validation_batches.")
    raise Incorrect("la validación no se hizo con validation_batches: pasa "
                    "validation_data=validation_batches a fit.")


def _check_train(history, validation=None, train=None, test=None, callbacks=(),
                 epochs=None) -> None:
    if validation is None or epochs is None:
        raise Incorrect("falta ejecutar la celda que prepara train_batches, validation_batches y "
                        "callbacks (la anterior a este ejercicio).")
    if history is None:
        raise Incorrect("history vale None: asigna lo que devuelve fit, history = model.fit(…).")
    log = getattr(history, "history", None)
    model = getattr(history, "model", None)
    if hasattr(history, "layers") and log is None:
        raise Incorrect("history es el modelo; debe ser lo que devuelve model.fit(…), el "
                        "historial del entrenamiento.")
    if not isinstance(log, dict) or model is None:
        raise Incorrect(f"history debe ser lo que devuelve model.fit(…); es "
                        f"{type(history).__name__}.")
    try:
        _first_cnn_spec().check(model)
    except Incorrect as error:
        raise Incorrect(f"el modelo que entrenaste no es el del ejercicio 3: {error}") from None
    _check_compiled(model)
    if "accuracy" not in log:
        raise Incorrect("el historial no tiene la exactitud: añade metrics=[\"accuracy\"] en "
                        "compile.")
    if "val_loss" not in log:
        raise Incorrect("el entrenamiento no midió la validación: pasa "
                        "validation_data=validation_batches a fit.")
    losses = [float(v) for v in log.get("loss", [])]
    if len(losses) != epochs:
        raise Incorrect(f"el entrenamiento duró {len(losses)} época(s) y el enunciado pide "
                        f"epochs=EPOCHS ({epochs}): pasa epochs=EPOCHS a fit (y nada que lo "
                        "detenga antes).")
    if len(log["val_loss"]) != epochs:
        raise Incorrect("no se validó en todas las épocas: quita validation_freq de fit.")
    if not losses[-1] < losses[0]:
        raise Incorrect(f"la pérdida no bajó ({losses[0]:.3f} en la primera época y "
                        f"{losses[-1]:.3f} en la última): revisa que entrenas con train_batches, "
                        "los lotes de las fotos escaladas a [0, 1] con sus etiquetas.")
    steps = _steps(history)
    if train is not None and steps is not None and steps != len(train):
        raise Incorrect(f"cada época recorrió {steps} lotes y train_batches tiene {len(train)}: "
                        "entrena con train_batches completo (sin steps_per_epoch).")
    final = float(log["val_accuracy"][-1])
    needed = pick(full=MIN_VAL_ACCURACY, fast=MIN_VAL_ACCURACY_FAST, smoke=MIN_VAL_ACCURACY_SMOKE)
    if final < needed:
        mode = pick(full="modo completo", fast="modo rápido", smoke="modo mínimo")
        raise Incorrect(f"la exactitud de validación final es {_percent(final)} y en {mode} se "
                        f"espera al menos un {_percent(needed)}. Revisa que entrenas con "
                        "train_batches y todas las épocas (EPOCHS).")
    _check_run(history, model, losses, callbacks)
    _check_validation_data(model, log, validation, train, test)


def _steps(history) -> int | None:
    """Lotes por época de este ``fit`` (``None`` si el historial no lo dice)."""
    return (getattr(history, "params", None) or {}).get("steps")


def _check_run(history, model, losses, callbacks) -> None:
    """Los callbacks y que el modelo no llegara ya entrenado a este ``fit``."""
    steps = _steps(history)
    missing = [type(callback).__name__ for callback in callbacks
               if getattr(callback, "model", None) is not model]
    if missing:
        raise Incorrect(f"fit no recibió los callbacks del enunciado ({', '.join(missing)}): pasa "
                        "callbacks=callbacks; sin él, TensorBoard no tendrá curvas en la "
                        "sección 11.")
    if steps is not None and int(model.optimizer.iterations) != steps * len(losses):
        raise Incorrect(f"el optimizador ha dado {int(model.optimizer.iterations)} pasos y este "
                        f"entrenamiento, {steps * len(losses)}: el modelo ya se había entrenado "
                        "antes (¿dos llamadas a fit?). Vuelve a ejecutar la celda entera: empieza "
                        "con pesos nuevos.")


def _decimal(value: float) -> str:
    """Número con coma decimal, como se escribe en el texto: 0.001 → '0,001'."""
    return f"{value:g}".replace(".", ",")


def _percent(value: float) -> str:
    """Porcentaje con coma decimal: 0.925 → '92,5 %'."""
    return f"{100 * value:.1f} %".replace(".", ",")


train = Exercise(
    "Compilar y entrenar",
    _check_train,
    hint=("Dos pasos: compile fija la pérdida, el optimizador y las métricas; fit recorre los lotes "
          "de entrenamiento y, al final de cada época, mide la red en los de validación, que no "
          "son ni los de entrenamiento ni los de prueba.",
          "model.compile(optimizer=keras.optimizers.Adam(…), loss=…, metrics=[…]) y después "
          "history = model.fit(train_batches, validation_data=…, epochs=…, callbacks=…). Con "
          "lotes de tf.data no se pasan y, batch_size ni validation_split."),
    solution='''
model.compile(
    optimizer=keras.optimizers.Adam(learning_rate=LEARNING_RATE),
    loss="sparse_categorical_crossentropy",
    metrics=["accuracy"],
)
history = model.fit(
    train_batches,
    validation_data=validation_batches,
    epochs=EPOCHS,
    callbacks=callbacks,
    verbose=2,
)
''',
)


def train_reference(train_batches: Any, validation_batches: Any, *, epochs: int,
                    callbacks: list | None = None):
    """Entrena la CNN de referencia como indica el cuaderno y devuelve su historial.

    Es lo que usa el cuaderno si tu entrenamiento aún no pasa la comprobación; el modelo
    entrenado está en ``history.model``. ``train_batches`` y ``validation_batches`` son lotes
    como los de ``helpers.tfdata.from_arrays``.

    Ejemplo:
        >>> history = train_reference(train_batches, validation_batches,  # doctest: +SKIP
        ...                           epochs=EPOCHS)
    """
    import keras

    model = first_cnn_reference()
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=LEARNING_RATE),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model.fit(train_batches, validation_data=validation_batches, epochs=epochs,
                     callbacks=callbacks or [], verbose=2)
