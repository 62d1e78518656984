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
    check_layer_settings,
    explain_exception,
    known_mistake,
    training_history,
)

__all__ = ["augmentation_reference", "best_epoch", "best_epoch_reference", "generalization_gap",
           "generalization_gap_reference",
           "predict_with_flip", "predict_with_flip_reference", "regularized_cnn", "regularized_cnn_reference",
           "resumable_callbacks", "resumable_callbacks_reference", "standardize",
           "standardize_reference", "warmup_cosine", "warmup_cosine_reference"]


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
         "datos de validación o prueba (fuga de datos)."),
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
    hint=("Las estadísticas salen solo de x_train y hay una por canal: al reducir los ejes del "
          "lote, el alto y el ancho quedan 3 números, que NumPy aplica a cada píxel de x por "
          "difusión (broadcasting).",
          "x_train.mean(axis=…) con la tupla de los tres primeros ejes da la media de cada canal; "
          "haz lo mismo con .std, combina las dos con x y termina con .astype(\"float32\")."),
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
    {"loss": [0.9, 1.0, 0.95, 0.92], "val_loss": [1.2, 1.0, 1.05, 0.9],   # empate: gana la primera
     "accuracy": [0.72, 0.6, 0.65, 0.7], "val_accuracy": [0.4, 0.5, 0.5, 0.48]},
]


def best_epoch_reference(history: dict) -> int:
    """Versión del curso de ``best_epoch``: la época (desde 1) de mayor ``val_accuracy``, la que
    guarda ``ModelCheckpoint(monitor="val_accuracy", save_best_only=True)`` (en un empate, la primera).

    Ejemplo:
        >>> best_epoch_reference({"val_accuracy": [0.4, 0.6, 0.6, 0.5]})
        2
    """
    return int(np.argmax(history["val_accuracy"])) + 1


_BEST_EPOCH_MISTAKES = [
    (lambda h: int(np.argmax(h["val_accuracy"])),
     "devuelves el índice de la lista (desde 0); Keras numera las épocas desde 1: suma 1."),
    (lambda h: int(np.argmin(h["val_loss"])) + 1,
     "eliges por la pérdida de validación («val_loss»); el punto de control de los experimentos "
     "vigila la exactitud de validación (monitor=\"val_accuracy\"): elige la misma época que él."),
    (lambda h: int(np.argmax(h["accuracy"])) + 1,
     "miras la exactitud de entrenamiento («accuracy»), que casi siempre sube hasta el final; "
     "la época buena la dice la de validación («val_accuracy»)."),
    (lambda h: int(np.argmin(h["val_accuracy"])) + 1,
     "buscas la menor exactitud de validación; se busca la mayor."),
    (lambda h: len(h["val_accuracy"]),
     "devuelves la última época; busca la de mayor «val_accuracy»."),
]


def _check_best_epoch(function, *histories) -> None:
    own = [training_history(history, f"la historia {i}") for i, history in enumerate(histories, 1)]
    if not own:
        raise Incorrect("pasa también tus historias: ex.best_epoch.check(best_epoch, history_base, "
                        "history_regularized, history_schedule).")
    cases = [*_HISTORIES, *own]
    results = []
    for history in cases:
        got = call_learner_function(function, {k: list(v) for k, v in history.items()})
        if isinstance(got, (bool, np.bool_)) or not isinstance(got, (Integral, np.integer)):
            raise Incorrect(f"best_epoch devolvió {got!r}; debe devolver un número de época "
                            "entero (1, 2, 3…).")
        results.append(int(got))
    expected = [best_epoch_reference(history) for history in cases]
    if results == expected:
        return
    mistake = known_mistake(results, _BEST_EPOCH_MISTAKES, [(h,) for h in cases])
    if mistake:
        raise Incorrect(mistake)
    wrong = next(i for i, (got, want) in enumerate(zip(results, expected)) if got != want)
    where = (f"con tu historia {wrong - len(_HISTORIES) + 1}" if wrong >= len(_HISTORIES)
             else f"con val_accuracy = {cases[wrong]['val_accuracy']}")
    raise Incorrect(f"{where} devolviste la época {results[wrong]}; la mayor exactitud de "
                    f"validación está en la época {expected[wrong]}.")


best_epoch = Exercise(
    "La mejor época según la validación",
    _check_best_epoch,
    hint=("El punto de control guardó la época en que la métrica que vigila (monitor=…) fue la "
          "mejor; busca esa misma época en el diccionario, con la métrica de validación, no la de "
          "entrenamiento.",
          "NumPy tiene una función que da la posición del mayor valor de una lista; esa posición "
          "cuenta desde 0, y Keras numera las épocas desde 1. Devuelve un int."),
    solution='return int(np.argmax(history["val_accuracy"])) + 1',
)


#: Lo que fija el enunciado del programa de la tasa: calentamiento en el primer 20 % de los pasos,
#: desde pico/10, y bajada en coseno hasta pico/100 en el último paso.
WARMUP_FRACTION, START_FRACTION, FINAL_FRACTION = 0.2, 0.1, 0.01


def warmup_cosine_reference(peak: float, epochs: int, steps_per_epoch: int):
    """Versión del curso de ``warmup_cosine``: sube linealmente de ``peak``/10 a ``peak`` en el
    primer 20 % de los pasos y baja en coseno hasta ``peak``/100 en el último.

    Ejemplo:
        >>> schedule = warmup_cosine_reference(1e-3, 5, 20)
        >>> round(float(schedule(20)), 6), round(float(schedule(100)), 6)
        (0.001, 1e-05)
    """
    import keras

    total_steps = epochs * steps_per_epoch
    warmup = max(1, int(WARMUP_FRACTION * total_steps))
    return keras.optimizers.schedules.CosineDecay(
        initial_learning_rate=START_FRACTION * peak, warmup_target=peak, warmup_steps=warmup,
        decay_steps=total_steps - warmup, alpha=FINAL_FRACTION)


def _cosine(peak, total, warmup, start=START_FRACTION, final=FINAL_FRACTION, decay=None):
    """Una variante del programa (para reconocer los errores típicos)."""
    import keras

    return keras.optimizers.schedules.CosineDecay(
        initial_learning_rate=start * peak if warmup else peak, warmup_target=peak if warmup else None,
        warmup_steps=warmup, decay_steps=decay or total - warmup, alpha=final)


_SCHEDULE_MISTAKES = [
    (lambda p, e, n: _cosine(p, e * n, 0),
     "la tasa empieza ya en el pico: falta el calentamiento (warmup_steps, el primer 20 % de los "
     "pasos, subiendo desde peak/10)."),
    (lambda p, e, n: _cosine(p, e * n, max(1, int(0.2 * e * n)), decay=e * n),
     "la bajada dura todos los pasos y además empieza tras el calentamiento, así que termina "
     "después del final: decay_steps son los pasos que quedan tras el calentamiento."),
    (lambda p, e, n: _cosine(p, e, max(1, int(0.2 * e))),
     "cuentas en épocas: el programa avanza un paso por lote, así que el total son épocas × "
     "lotes por época."),
    (lambda p, e, n: _cosine(p, n, max(1, int(0.2 * n))),
     "el programa dura una sola época (steps_per_epoch pasos); el total son épocas × lotes por época."),
    (lambda p, e, n: _cosine(p, e * n, max(1, int(0.2 * e * n)), final=0.0),
     "la tasa baja hasta 0; el enunciado pide terminar en peak/100 (alpha=0.01)."),
    (lambda p, e, n: _cosine(p, e * n, max(1, int(0.2 * e * n)), start=0.0),
     "el calentamiento empieza en 0; el enunciado pide empezar en peak/10."),
]

#: (pico, épocas, lotes por época) con que se prueba el programa: el de la sección 5 y el de la 8.
_SCHEDULE_CASES = [(3e-3, 15, 63), (0.7, 6, 90), (0.05, 2, 7)]


def _schedule_steps(epochs: int, steps_per_epoch: int) -> list[int]:
    total = epochs * steps_per_epoch
    warmup = max(1, int(WARMUP_FRACTION * total))
    return sorted({0, warmup // 2, warmup, (warmup + total) // 2, total - 1, total})


def _schedule_values(schedule, epochs: int, steps_per_epoch: int) -> np.ndarray:
    try:
        return np.array([float(schedule(step)) for step in _schedule_steps(epochs, steps_per_epoch)])
    except Exception as error:  # el programa del estudiante falla al evaluarlo
        raise Incorrect(f"no puedo evaluar tu programa en un paso: {explain_exception(error)}") from None


def _check_schedule_in_fit(schedule, epochs: int, steps_per_epoch: int) -> None:
    """Usa ``schedule`` como lo usa el cuaderno: un paso de ``fit`` con Adam y la copia que guarda
    ``ModelCheckpoint`` y recrea ``load_model``. Lanza ``Incorrect`` si algo falla."""
    import keras

    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1, kernel_initializer="zeros")])
    model.compile(optimizer=keras.optimizers.Adam(schedule), loss="mse")
    try:
        model.fit(np.ones((4, 2), "float32"), np.ones((4, 1), "float32"), batch_size=4, epochs=1,
                  shuffle=False, verbose=0)
    except Exception as error:  # el programa del estudiante falla dentro del grafo de fit
        raise Incorrect(
            "tu programa da bien los valores paso a paso, pero falla dentro de fit: Keras convierte el "
            "paso de entrenamiento en un grafo (tf.function) y allí step es un tensor simbólico, sin "
            "valor todavía. No se puede convertir con float() ni usar en un if de Python; calcula con "
            "keras.ops (keras.ops.cast, keras.ops.cos, keras.ops.where) o usa CosineDecay. "
            f"({type(error).__name__})") from None
    try:
        copy = keras.saving.deserialize_keras_object(keras.saving.serialize_keras_object(schedule))
    except Exception as error:  # sin get_config o sin registrar
        raise Incorrect(
            "tu programa funciona en fit, pero no se puede guardar y volver a crear: ModelCheckpoint "
            "guarda el optimizador con su programa y load_model lo reconstruye a partir de "
            "get_config(). Tu clase necesita un get_config() que devuelva sus argumentos y el "
            "decorador @keras.saving.register_keras_serializable() (o usa CosineDecay). "
            f"({type(error).__name__})") from None
    if not np.allclose(_schedule_values(copy, epochs, steps_per_epoch),
                       _schedule_values(schedule, epochs, steps_per_epoch), rtol=1e-6):
        raise Incorrect("la copia que recrea load_model (a partir de get_config()) no da las mismas "
                        "tasas que tu programa: get_config() debe devolver todos los argumentos "
                        "de __init__.")


def _check_warmup_cosine(function) -> None:
    import keras

    found, schedules = [], []
    for case in _SCHEDULE_CASES:
        schedule = call_learner_function(function, *case)
        if not isinstance(schedule, keras.optimizers.schedules.LearningRateSchedule):
            raise Incorrect(f"warmup_cosine debe devolver un programa de Keras "
                            f"(keras.optimizers.schedules.CosineDecay(…)); devolvió "
                            f"{type(schedule).__name__}.")
        found.append(_schedule_values(schedule, *case[1:]))
        schedules.append(schedule)
    expected = [_schedule_values(warmup_cosine_reference(*case), *case[1:]) for case in _SCHEDULE_CASES]
    if all(np.allclose(got, want, rtol=1e-3, atol=0) for got, want in zip(found, expected)):
        _check_schedule_in_fit(schedules[0], *_SCHEDULE_CASES[0][1:])
        return
    for wrong, explanation in _SCHEDULE_MISTAKES:
        if all(np.allclose(got, _schedule_values(wrong(*case), *case[1:]), rtol=1e-3, atol=0)
               for got, case in zip(found, _SCHEDULE_CASES)):
            raise Incorrect(explanation)
    case, got, want = next((c, g, w) for c, g, w in zip(_SCHEDULE_CASES, found, expected)
                           if not np.allclose(g, w, rtol=1e-3, atol=0))
    step = _schedule_steps(*case[1:])[int(np.argmax(~np.isclose(got, want, rtol=1e-3, atol=0)))]
    index = _schedule_steps(*case[1:]).index(step)
    raise Incorrect(f"con peak={case[0]}, {case[1]} épocas y {case[2]} lotes por época, en el paso "
                    f"{step} tu tasa vale {got[index]:.3g} y debería valer {want[index]:.3g}.")


warmup_cosine = Exercise(
    "Calentamiento y bajada en coseno",
    _check_warmup_cosine,
    hint=("El programa cuenta pasos (lotes), no épocas: calcula primero el total de pasos y cuántos "
          "son de calentamiento; la bajada dura solo los pasos que quedan tras él.",
          "keras.optimizers.schedules.CosineDecay hace las dos fases: initial_learning_rate es "
          "donde empieza el calentamiento, warmup_target el pico, warmup_steps y decay_steps "
          "la duración de cada fase y alpha la fracción del pico a la que llega al final."),
    solution="""
total_steps = epochs * steps_per_epoch
warmup = max(1, int(0.2 * total_steps))
return keras.optimizers.schedules.CosineDecay(
    initial_learning_rate=peak / 10, warmup_target=peak, warmup_steps=warmup,
    decay_steps=total_steps - warmup, alpha=0.01)
""",
)


def resumable_callbacks_reference(name: str, log_root: str, checkpoint_dir: str) -> list:
    """Versión del curso de ``resumable_callbacks``: las curvas en TensorBoard, el mejor modelo,
    la copia de la última época para reanudar y la parada temprana.

    Ejemplo:
        >>> [type(c).__name__ for c in resumable_callbacks_reference("a", "runs", "models")]
        ['TensorBoard', 'ModelCheckpoint', 'BackupAndRestore', 'EarlyStopping']
    """
    import keras

    return [
        keras.callbacks.TensorBoard(log_dir=f"{log_root}/{name}"),
        keras.callbacks.ModelCheckpoint(f"{checkpoint_dir}/{name}.keras", monitor="val_accuracy",
                                        save_best_only=True),
        keras.callbacks.BackupAndRestore(backup_dir=f"{checkpoint_dir}/{name}_backup"),
        keras.callbacks.EarlyStopping(monitor="val_accuracy", patience=3, restore_best_weights=True),
    ]


def _norm(path) -> str:
    return str(path).replace("\\", "/").rstrip("/")


def _check_resumable_callbacks(function, log_root: str, checkpoint_dir: str) -> None:
    import keras

    name = "prueba"
    got = call_learner_function(function, name)
    if not isinstance(got, (list, tuple)):
        raise Incorrect(f"resumable_callbacks debe devolver una lista de callbacks; devolvió "
                        f"{type(got).__name__}.")
    wanted = {"TensorBoard": keras.callbacks.TensorBoard, "ModelCheckpoint": keras.callbacks.ModelCheckpoint,
              "BackupAndRestore": keras.callbacks.BackupAndRestore,
              "EarlyStopping": keras.callbacks.EarlyStopping}
    by_kind = {}
    for callback in got:
        kind = next((k for k, cls in wanted.items() if isinstance(callback, cls)), None)
        if kind is None:
            raise Incorrect(f"sobra {type(callback).__name__}: cambia el entrenamiento y el enunciado "
                            "no lo pide. La lista lleva TensorBoard, ModelCheckpoint, "
                            "BackupAndRestore y EarlyStopping.")
        if kind in by_kind:
            raise Incorrect(f"hay dos {kind}; basta uno.")
        by_kind[kind] = callback
    missing = [kind for kind in wanted if kind not in by_kind]
    if missing:
        raise Incorrect(f"falta {', '.join(missing)} en la lista.")
    board, best, backup, early = (by_kind[kind] for kind in wanted)
    if _norm(board.log_dir) != f"{_norm(log_root)}/{name}":
        raise Incorrect(f"TensorBoard escribe en «{board.log_dir}»; cada experimento va en su carpeta "
                        f"de LOG_ROOT: f\"{{LOG_ROOT}}/{{name}}\".")
    if _norm(best.filepath) != f"{_norm(checkpoint_dir)}/{name}.keras":
        raise Incorrect(f"ModelCheckpoint guarda en «{best.filepath}»; el enunciado pide "
                        f"f\"{{CHECKPOINT_DIR}}/{{name}}.keras\" (el modelo completo, en .keras).")
    if best.monitor != "val_accuracy":
        raise Incorrect(f"ModelCheckpoint vigila «{best.monitor}»; el enunciado pide la exactitud de "
                        "validación: monitor=\"val_accuracy\".")
    if not best.save_best_only:
        raise Incorrect("ModelCheckpoint sin save_best_only=True guarda cada época encima de la "
                        "anterior: se queda con la última, no con la mejor.")
    if best.save_weights_only:
        raise Incorrect("ModelCheckpoint con save_weights_only=True no guarda la arquitectura: el "
                        "enunciado pide el modelo completo, que se carga con load_model.")
    if best.mode == "min":
        raise Incorrect("ModelCheckpoint guarda cuando «val_accuracy» baja (mode=\"min\"): se quedaría "
                        "con la peor época. Una exactitud es mejor cuanto más alta: quita mode o usa "
                        "mode=\"max\".")
    if best.save_freq != "epoch":
        raise Incorrect(f"ModelCheckpoint tiene save_freq={best.save_freq!r}: así compara a mitad de "
                        "época, con una validación que aún no existe. El enunciado guarda al final de "
                        "cada época (save_freq=\"epoch\", el valor por defecto).")
    if _norm(backup.backup_dir) in {_norm(checkpoint_dir), _norm(best.filepath)}:
        raise Incorrect("BackupAndRestore necesita una carpeta propia, distinta de la del mejor "
                        "modelo: f\"{CHECKPOINT_DIR}/{name}_backup\".")
    if _norm(backup.backup_dir) != f"{_norm(checkpoint_dir)}/{name}_backup":
        raise Incorrect(f"BackupAndRestore guarda en «{backup.backup_dir}»; el enunciado pide "
                        f"f\"{{CHECKPOINT_DIR}}/{{name}}_backup\".")
    if backup.save_freq != "epoch":
        raise Incorrect("BackupAndRestore debe guardar al final de cada época (save_freq=\"epoch\", "
                        "el valor por defecto).")
    if early.monitor != "val_accuracy":
        raise Incorrect(f"EarlyStopping vigila «{early.monitor}»; debe vigilar lo mismo que el punto "
                        "de control: monitor=\"val_accuracy\".")
    if early.patience != 3:
        raise Incorrect(f"EarlyStopping tiene patience={early.patience}; el enunciado pide parar "
                        "tras 3 épocas sin mejorar: patience=3.")
    if not early.restore_best_weights:
        raise Incorrect("sin restore_best_weights=True, EarlyStopping para pero deja la red con los "
                        "pesos de la última época, que son peores que los de la mejor.")
    _check_early_stopping_defaults(early)


#: Argumentos de EarlyStopping que el enunciado deja en su valor por defecto, con lo que cambian.
_EARLY_STOPPING_DEFAULTS = {
    "min_delta": (0, "solo cuenta como mejora una subida mayor que min_delta"),
    "baseline": (None, "no para si la red no supera baseline, aunque mejore"),
    "start_from_epoch": (0, "no vigila las primeras start_from_epoch épocas"),
}


def _check_early_stopping_defaults(early) -> None:
    """Lanza ``Incorrect`` si ``early`` cambia ``mode`` u otro argumento que el enunciado no pide."""
    if early.mode == "min":
        raise Incorrect("EarlyStopping espera a que «val_accuracy» baje (mode=\"min\"): pararía cuando "
                        "la red mejora. Una exactitud es mejor cuanto más alta: quita mode o usa "
                        "mode=\"max\".")
    for name, (default, effect) in _EARLY_STOPPING_DEFAULTS.items():
        value = abs(early.min_delta) if name == "min_delta" else getattr(early, name)
        if value != default:
            raise Incorrect(f"EarlyStopping tiene {name}={value!r} y el enunciado no lo pide: "
                            f"{effect}. Déjalo en su valor por defecto.")


resumable_callbacks = Exercise(
    "Los callbacks de un entrenamiento que se puede reanudar",
    _check_resumable_callbacks,
    hint=("Son cuatro callbacks y cada uno hace un trabajo: las curvas, el mejor modelo, la copia "
          "de la última época para reanudar y la parada temprana. Los dos que eligen «lo mejor» "
          "deben vigilar la misma métrica.",
          "Todos están en keras.callbacks. Las rutas se construyen con f-strings a partir de "
          "LOG_ROOT, CHECKPOINT_DIR y name; revisa en el enunciado los argumentos con nombre de "
          "ModelCheckpoint y EarlyStopping (monitor, save_best_only, patience, restore_best_weights)."),
    solution="""
return [
    keras.callbacks.TensorBoard(log_dir=f"{LOG_ROOT}/{name}"),
    keras.callbacks.ModelCheckpoint(f"{CHECKPOINT_DIR}/{name}.keras", monitor="val_accuracy",
                                    save_best_only=True),
    keras.callbacks.BackupAndRestore(backup_dir=f"{CHECKPOINT_DIR}/{name}_backup"),
    keras.callbacks.EarlyStopping(monitor="val_accuracy", patience=3, restore_best_weights=True),
]
""",
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
    "Predicción con aumento (TTA): el reflejo",
    _check_predict_with_flip,
    hint=("Reflejar en horizontal es invertir el orden de las columnas, el eje del ancho; predice "
          "la foto y su reflejo y promedia las dos distribuciones, para que sigan sumando 1.",
          "En un lote (N, alto, ancho, canales) el ancho es el eje 2: un corte con paso -1 en ese "
          "eje lo invierte. Llama dos veces a model.predict(…, verbose=0) y haz la media."),
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


#: El aumento que fija la sección 4: reflejo horizontal y desplazamientos de hasta el 12,5 % del
#: lado, con el borde reflejado.
AUGMENTATION = {"RandomFlip": {"mode": "horizontal"},
                "RandomTranslation": {"height_factor": 0.125, "width_factor": 0.125, "fill_mode": "reflect"}}


def augmentation_reference():
    """El bloque de aumento de la sección 4 (solo actúa al entrenar), con las capas y valores de ``AUGMENTATION``.

    El cuaderno 05 lo escribe como ``augmentation()``; el 05b lo reutiliza desde aquí.

    Ejemplo:
        >>> [type(layer).__name__ for layer in augmentation_reference().layers]  # doctest: +SKIP
        ['RandomFlip', 'RandomTranslation']
    """
    import keras
    from keras import layers

    return keras.Sequential([getattr(layers, kind)(**values) for kind, values in AUGMENTATION.items()],
                            name="augmentation")


def _check_augmentation(block) -> None:
    """Comprueba que ``block`` tiene exactamente las capas y los valores de ``AUGMENTATION``."""
    kinds = [type(layer).__name__ for layer in block.layers]
    if sorted(kinds) != sorted(AUGMENTATION):
        raise Incorrect(f"el bloque de aumento tiene {', '.join(kinds)}; la sección 4 fija "
                        f"{' y '.join(AUGMENTATION)}, sin más: usa augmentation().")
    for layer in block.layers:
        for attribute, value in AUGMENTATION[type(layer).__name__].items():
            got = getattr(layer, attribute)
            if got != value and not (isinstance(got, (tuple, list)) and tuple(got) == (-value, value)):
                raise Incorrect(f"{type(layer).__name__} usa {attribute}={got!r} y la sección 4 "
                                f"fija {value!r}: usa augmentation().")


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
    _check_augmentation(first)
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
    reference = regularized_cnn_reference(
        lambda: keras.Sequential([layers.RandomFlip("horizontal")], name="augmentation"))
    ModelSpec.of(reference).check(model)
    dropout = next(layer for layer in model.layers if isinstance(layer, layers.Dropout))
    if dropout.rate != 0.5:
        raise Incorrect(f"Dropout({dropout.rate}) apaga {'menos' if dropout.rate < 0.5 else 'más'} de la "
                        "mitad de las entradas; el enunciado pide Dropout(0.5).")
    check_layer_settings(model, reference)


regularized_cnn = Exercise(
    "Regularizar la CNN de base",
    _check_regularized_cnn,
    hint=("Parte de baseline_cnn y cambia tres cosas: el aumento entra como primera capa, la "
          "normalización por lotes va entre cada convolución y su activación, y el dropout justo "
          "antes de la capa de salida.",
          "La ReLU deja de ser un argumento de Conv2D y pasa a ser su propia capa (layers.ReLU()) "
          "tras layers.BatchNormalization(); la convolución ya no necesita sesgo. Revisa el orden "
          "de cada bloque con la lista del enunciado."),
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
     "restas al revés: la brecha de generalización es entrenamiento − validación (positiva si "
     "la red memoriza)."),
    (lambda h: max(h["accuracy"]) - max(h["val_accuracy"]),
     "usas los máximos; la brecha se mide en la última época: [-1]."),
    (lambda h: h["accuracy"][0] - h["val_accuracy"][0],
     "usas la primera época ([0]); la brecha se mide en la última: [-1]."),
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
    raise Incorrect(mistake or "la brecha es history[\"accuracy\"][-1] − history[\"val_accuracy\"][-1].")


generalization_gap = Exercise(
    "La brecha de generalización",
    _check_generalization_gap,
    hint=("La brecha compara la exactitud en las fotos que la red ya ha visto con la de las que "
          "no, al final del entrenamiento.",
          "El diccionario tiene una lista por métrica, una entrada por época; el índice -1 da la "
          "última. Resta en el orden entrenamiento − validación."),
    solution='return history["accuracy"][-1] - history["val_accuracy"][-1]',
)
