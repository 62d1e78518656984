"""Ejercicios del cuaderno 05: correctos con la solución, «sin responder» con ____ e incorrectos con un mensaje útil."""
import keras
import numpy as np
import pytest
from keras import layers

from helpers.exercises import ____
from helpers.exercises import nb05 as ex


def good_standardize(x_train, x):
    mean = x_train.mean(axis=(0, 1, 2))
    std = x_train.std(axis=(0, 1, 2))
    return ((x - mean) / std).astype("float32")


def test_standardize_accepts_the_solution():
    assert ex.standardize.evaluate(good_standardize).correct
    assert ex.standardize.evaluate(ex.standardize_reference).correct
    assert ex.standardize.evaluate(____).status == "not_attempted"


@pytest.mark.parametrize("wrong, expected_text", [
    (lambda xt, x: good_standardize(x, x), "fuga de datos"),
    (lambda xt, x: ((x - xt.mean()) / xt.std()).astype("float32"), "por canal"),
    (lambda xt, x: ((x - xt.mean(axis=0)) / xt.std(axis=0)).astype("float32"), "axis=0"),
    (lambda xt, x: (x - xt.mean(axis=(0, 1, 2))).astype("float32"), "no divides"),
    (lambda xt, x: (x / xt.std(axis=(0, 1, 2))).astype("float32"), "no restas"),
    (lambda xt, x: (x / 255.0).astype("float32"), "solo escalas"),
    (lambda xt, x: (x - xt.mean(axis=(0, 1, 2))) / xt.std(axis=(0, 1, 2)), "float32"),
    (lambda xt, x: x[:2], "forma"),
])
def test_standardize_explains_typical_mistakes(wrong, expected_text):
    feedback = ex.standardize.evaluate(wrong)
    assert feedback.status == "incorrect"
    assert expected_text in feedback.message


def test_predict_with_flip_both_ways():
    assert ex.predict_with_flip.evaluate(ex.predict_with_flip_reference).correct
    assert ex.predict_with_flip.evaluate(
        lambda m, x: np.mean([m.predict(x), m.predict(np.flip(x, axis=2))], axis=0)).correct
    assert ex.predict_with_flip.evaluate(____).status == "not_attempted"


@pytest.mark.parametrize("wrong, expected_text", [
    (lambda m, x: m.predict(x), "solo la predicción de x"),
    (lambda m, x: m.predict(x[:, :, ::-1]), "solo la predicción del reflejo"),
    (lambda m, x: m.predict(x) + m.predict(x[:, :, ::-1]), "sin dividir entre 2"),
    (lambda m, x: (m.predict(x) + m.predict(x[:, ::-1])) / 2, "vertical"),
    (lambda m, x: (m.predict(x) + m.predict(x[..., ::-1])) / 2, "canales"),
    (lambda m, x: m.predict(x)[:, 0], "forma"),
])
def test_predict_with_flip_explains_typical_mistakes(wrong, expected_text):
    feedback = ex.predict_with_flip.evaluate(wrong)
    assert feedback.status == "incorrect"
    assert expected_text in feedback.message



def augmentation():
    return keras.Sequential([layers.RandomFlip("horizontal"),
                             layers.RandomTranslation(0.125, 0.125, fill_mode="reflect")],
                            name="augmentation")


def regularized(conv=None, block=None, head=None, first=None):
    """Variante de la red regularizada: cada argumento sustituye una parte de la solución."""
    def build():
        model = keras.Sequential([keras.Input(shape=(32, 32, 3)), *(first() if first else [augmentation()])])
        for filters in (32, 64, 128):
            for layer in (block(filters) if block else
                          [conv(filters) if conv else layers.Conv2D(filters, 3, padding="same", use_bias=False),
                           layers.BatchNormalization(), layers.ReLU(), layers.MaxPooling2D(2)]):
                model.add(layer)
        for layer in (head() if head else [layers.Flatten(), layers.Dropout(0.5),
                                           layers.Dense(10, activation="softmax")]):
            model.add(layer)
        return model
    return build


def test_regularized_cnn_both_ways():
    assert ex.regularized_cnn.evaluate(regularized()).correct
    assert ex.regularized_cnn.evaluate(lambda: ex.regularized_cnn_reference(augmentation)).correct
    assert ex.regularized_cnn.evaluate(____).status == "not_attempted"


@pytest.mark.parametrize("wrong, expected_text", [
    (regularized(first=lambda: []), "falta el aumento"),
    (regularized(first=lambda: [layers.RandomFlip("horizontal")]), "una sola capa"),
    (regularized(first=lambda: [keras.Sequential([layers.RandomFlip()])]), "vertical"),
    (regularized(block=lambda f: [layers.Conv2D(f, 3, padding="same", activation="relu"),
                                  layers.MaxPooling2D(2)]), "falta la normalización"),
    (regularized(head=lambda: [layers.Flatten(), layers.Dense(10, activation="softmax")]), "falta el dropout"),
    (regularized(block=lambda f: [layers.Conv2D(f, 3, padding="same", activation="relu", use_bias=False),
                                  layers.BatchNormalization(), layers.MaxPooling2D(2)]), "activation"),
    (regularized(block=lambda f: [layers.Conv2D(f, 3, padding="same", use_bias=False), layers.ReLU(),
                                  layers.BatchNormalization(), layers.MaxPooling2D(2)]), "después de la ReLU"),
    (regularized(head=lambda: [layers.Flatten(), layers.Dense(10, activation="softmax"),
                               layers.Dropout(0.5)]), "después de la capa de salida"),
    (regularized(conv=lambda f: layers.Conv2D(f, 3, padding="same")), "use_bias=False"),
    (regularized(conv=lambda f: layers.Conv2D(2 * f, 3, padding="same", use_bias=False)), "forma"),
    (regularized(head=lambda: [layers.Flatten(), layers.Dropout(0.9),
                               layers.Dense(10, activation="softmax")]), "más de la mitad"),
    (regularized(head=lambda: [layers.Flatten(), layers.Dropout(0.4),
                               layers.Dense(10, activation="softmax")]), "menos de la mitad"),
    (regularized(first=lambda: [keras.Sequential([layers.RandomFlip("horizontal")])]), "RandomTranslation"),
    (regularized(first=lambda: [keras.Sequential([layers.RandomFlip("horizontal"), layers.RandomRotation(0.1),
                                                  layers.RandomTranslation(0.125, 0.125, fill_mode="reflect")])]),
     "sin más"),
    (regularized(first=lambda: [keras.Sequential([layers.RandomFlip("horizontal"),
                                                  layers.RandomTranslation(0.2, 0.125, fill_mode="reflect")])]),
     "height_factor"),
    (regularized(first=lambda: [keras.Sequential([layers.RandomFlip("horizontal"),
                                                  layers.RandomTranslation(0.125, 0.1, fill_mode="reflect")])]),
     "width_factor"),
    (regularized(first=lambda: [keras.Sequential([layers.RandomFlip("horizontal"),
                                                  layers.RandomTranslation(0.125, 0.125, fill_mode="constant")])]),
     "fill_mode"),
    (regularized(block=lambda f: [layers.Conv2D(f, 5, padding="same", use_bias=False), layers.BatchNormalization(),
                                  layers.ReLU(), layers.MaxPooling2D(2)]), "parámetros"),
    (regularized(head=lambda: [layers.Flatten(), layers.Dropout(0.5), layers.Dense(10, activation="relu")]),
     "activación"),
    (regularized(block=lambda f: [layers.Conv2D(f, 3, padding="same", use_bias=False),
                                  layers.BatchNormalization(momentum=0.9), layers.ReLU(), layers.MaxPooling2D(2)]),
     "momentum=0.9"),
    (regularized(block=lambda f: [layers.Conv2D(f, 3, padding="same", use_bias=False),
                                  layers.BatchNormalization(epsilon=0.1), layers.ReLU(), layers.MaxPooling2D(2)]),
     "epsilon=0.1"),
    (regularized(conv=lambda f: layers.Conv2D(f, 3, padding="same", use_bias=False,
                                              kernel_regularizer=keras.regularizers.L2(1e-4))),
     "kernel_regularizer"),
    (regularized(head=lambda: [layers.Flatten(), layers.Dropout(0.5),
                               layers.Dense(10, activation="softmax", kernel_regularizer="l2")]),
     "kernel_regularizer"),
    (regularized(block=lambda f: [layers.Conv2D(f, 3, padding="same", use_bias=False),
                                  layers.BatchNormalization(gamma_regularizer="l2"), layers.ReLU(),
                                  layers.MaxPooling2D(2)]), "gamma_regularizer"),
    (lambda: "modelo", "devolver el modelo"),
])
def test_regularized_cnn_explains_typical_mistakes(wrong, expected_text):
    feedback = ex.regularized_cnn.evaluate(wrong)
    assert feedback.status == "incorrect"
    assert expected_text in feedback.message


@pytest.fixture(scope="module")
def two_runs():
    """Historias reales de dos épocas: una red sin regularizar y otra con BN y dropout."""
    rng = np.random.default_rng(0)
    x, y = rng.random((40, 8, 8, 3)).astype("float32"), rng.integers(0, 10, 40)

    def run(regularize, epochs=2, validate=True):
        model = keras.Sequential([keras.Input((8, 8, 3)), layers.Conv2D(4, 3, use_bias=not regularize),
                                  *([layers.BatchNormalization()] if regularize else []), layers.ReLU(),
                                  layers.Flatten(), *([layers.Dropout(0.5)] if regularize else []),
                                  layers.Dense(10, activation="softmax")])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        return model.fit(x[:30], y[:30], validation_data=(x[30:], y[30:]) if validate else None,
                         epochs=epochs, verbose=0)

    return {"base": run(False), "regularized": run(True), "short": run(True, epochs=1),
            "no_val": run(False, validate=False)}


def good_gap(history):
    return history["accuracy"][-1] - history["val_accuracy"][-1]


def test_generalization_gap_both_ways(two_runs):
    assert ex.generalization_gap.evaluate(good_gap, two_runs["base"], two_runs["regularized"]).correct
    assert ex.generalization_gap.evaluate(____, two_runs["base"], two_runs["regularized"]).status == "not_attempted"


@pytest.mark.parametrize("wrong, expected_text", [
    (lambda h: h["val_accuracy"][-1] - h["accuracy"][-1], "al revés"),
    (lambda h: max(h["accuracy"]) - max(h["val_accuracy"]), "máximos"),
    (lambda h: h["accuracy"][0] - h["val_accuracy"][0], "primera época"),
    (lambda h: h["val_loss"][-1] - h["loss"][-1], "pérdida"),
    (lambda h: h["accuracy"][-1], "accuracy"),
    (lambda h: str(good_gap(h)), "un número"),
])
def test_generalization_gap_explains_typical_mistakes(two_runs, wrong, expected_text):
    feedback = ex.generalization_gap.evaluate(wrong, two_runs["base"], two_runs["regularized"])
    assert feedback.status == "incorrect"
    assert expected_text in feedback.message


@pytest.mark.parametrize("histories, expected_text", [
    (("regularized", "base"), "cambiadas"),
    (("base", "base"), "cambiadas"),
    (("base", "short"), "épocas distintas"),
    (("no_val", "regularized"), "validation_data"),
])
def test_generalization_gap_reads_the_learners_runs(two_runs, histories, expected_text):
    base, regularized = (two_runs[name] for name in histories)
    feedback = ex.generalization_gap.evaluate(good_gap, base, regularized)
    assert feedback.status == "incorrect"
    assert expected_text in feedback.message


def test_generalization_gap_wants_the_history_object(two_runs):
    feedback = ex.generalization_gap.evaluate(good_gap, two_runs["base"].history, two_runs["regularized"])
    assert feedback.status == "incorrect"
    assert "pasa history" in feedback.message


def good_best_epoch(history):
    return int(np.argmax(history["val_accuracy"])) + 1


def test_best_epoch_both_ways(two_runs):
    runs = (two_runs["base"], two_runs["regularized"])
    assert ex.best_epoch.evaluate(good_best_epoch, *runs).correct
    assert ex.best_epoch.evaluate(lambda h: h["val_accuracy"].index(max(h["val_accuracy"])) + 1, *runs).correct
    assert ex.best_epoch.evaluate(____, *runs).status == "not_attempted"


@pytest.mark.parametrize("wrong, expected_text", [
    (lambda h: int(np.argmax(h["val_accuracy"])), "desde 0"),
    (lambda h: int(np.argmin(h["val_loss"])) + 1, "monitor=\"val_accuracy\""),
    (lambda h: int(np.argmax(h["accuracy"])) + 1, "entrenamiento"),
    (lambda h: int(np.argmin(h["val_accuracy"])) + 1, "la mayor"),
    (lambda h: len(h["val_accuracy"]), "última época"),
    (lambda h: len(h["val_accuracy"]) - int(np.argmax(h["val_accuracy"][::-1])), "empate"),
    (lambda h: float(np.argmax(h["val_accuracy"]) + 1), "entero"),
])
def test_best_epoch_explains_typical_mistakes(two_runs, wrong, expected_text):
    feedback = ex.best_epoch.evaluate(wrong, two_runs["base"], two_runs["regularized"])
    assert feedback.status == "incorrect"
    assert expected_text in feedback.message or expected_text == "empate" and "época 2" in feedback.message


def test_best_epoch_is_applied_to_the_learners_histories(two_runs):
    """Una función que solo acierta con los casos fijos del curso falla con las historias del estudiante."""
    fixed = {tuple(h["val_accuracy"]): ex.best_epoch_reference(h) for h in ex._HISTORIES}

    def memorised(history):
        return fixed.get(tuple(history["val_accuracy"]), 99)

    feedback = ex.best_epoch.evaluate(memorised, two_runs["base"], two_runs["regularized"])
    assert feedback.status == "incorrect" and "tu historia 1" in feedback.message
    assert "pasa también tus historias" in ex.best_epoch.evaluate(good_best_epoch).message
    assert "validation_data" in ex.best_epoch.evaluate(good_best_epoch, two_runs["no_val"]).message


def good_warmup_cosine(peak, epochs, steps_per_epoch):
    total_steps = epochs * steps_per_epoch
    warmup = max(1, int(0.2 * total_steps))
    return keras.optimizers.schedules.CosineDecay(
        initial_learning_rate=peak / 10, warmup_target=peak, warmup_steps=warmup,
        decay_steps=total_steps - warmup, alpha=0.01)


@keras.saving.register_keras_serializable(package="prueba_nb05")
class HandWritten(keras.optimizers.schedules.LearningRateSchedule):
    """El mismo programa escrito a mano, con keras.ops y get_config: la comprobación mira los valores,
    no la clase, y que funcione dentro de fit y al guardarlo y recargarlo."""

    def __init__(self, peak, total):
        self.peak, self.total, self.warmup = peak, total, max(1, int(0.2 * total))

    def __call__(self, step):
        step = keras.ops.cast(step, "float32")
        warm = self.peak / 10 + (self.peak - self.peak / 10) * step / self.warmup
        progress = keras.ops.minimum(1.0, (step - self.warmup) / (self.total - self.warmup))
        cosine = self.peak * (0.01 + 0.99 * 0.5 * (1 + keras.ops.cos(np.pi * progress)))
        return keras.ops.where(step < self.warmup, warm, cosine)

    def get_config(self):
        return {"peak": self.peak, "total": self.total}


class GraphUnsafe(HandWritten):
    """Da los mismos valores paso a paso, pero con float() e if de Python: falla dentro de fit."""

    def __call__(self, step):
        step = float(step)
        if step < self.warmup:
            return self.peak / 10 + (self.peak - self.peak / 10) * step / self.warmup
        progress = min(1.0, (step - self.warmup) / (self.total - self.warmup))
        return self.peak * (0.01 + 0.99 * 0.5 * (1 + np.cos(np.pi * progress)))


class WithoutConfig(HandWritten):
    """Funciona en fit, pero sin get_config propio ModelCheckpoint no puede guardarlo."""

    get_config = keras.optimizers.schedules.LearningRateSchedule.get_config


class Unregistered(keras.optimizers.schedules.LearningRateSchedule):
    """Con get_config pero sin registrar: load_model no encuentra la clase."""

    def __init__(self, peak, total):
        self.schedule = HandWritten(peak, total)

    def __call__(self, step):
        return self.schedule(step)

    def get_config(self):
        return self.schedule.get_config()


@keras.saving.register_keras_serializable(package="prueba_nb05")
class ForgetfulConfig(HandWritten):
    """Registrado, pero get_config olvida el pico: la copia recargada da otras tasas."""

    def get_config(self):
        return {"peak": 1.0, "total": self.total}


@pytest.mark.parametrize("wrong, expected_text", [
    (lambda p, e, n: GraphUnsafe(p, e * n), "float()"),
    (lambda p, e, n: WithoutConfig(p, e * n), "get_config()"),
    (lambda p, e, n: Unregistered(p, e * n), "register_keras_serializable"),
    (lambda p, e, n: ForgetfulConfig(p, e * n), "no da las mismas tasas"),
])
def test_warmup_cosine_runs_the_schedule_in_fit_and_reloads_it(wrong, expected_text):
    """Valores correctos paso a paso no bastan: el programa debe entrenar en fit y sobrevivir a load_model."""
    feedback = ex.warmup_cosine.evaluate(wrong)
    assert feedback.status == "incorrect"
    assert expected_text in feedback.message


def cosine(peak, epochs, steps_per_epoch, *, warmup=0.2, start=0.1, final=0.01, decay=None, total=None):
    """Variante del programa: cada argumento cambia una de las elecciones que fija el enunciado."""
    total = total or epochs * steps_per_epoch
    steps = max(1, int(warmup * total)) if warmup else 0
    return keras.optimizers.schedules.CosineDecay(
        initial_learning_rate=start * peak if warmup else peak, warmup_target=peak if warmup else None,
        warmup_steps=steps, decay_steps=decay or total - steps, alpha=final)


def test_warmup_cosine_both_ways():
    assert ex.warmup_cosine.evaluate(good_warmup_cosine).correct
    assert ex.warmup_cosine.evaluate(lambda p, e, n: HandWritten(p, e * n)).correct
    assert ex.warmup_cosine.evaluate(ex.warmup_cosine_reference).correct
    assert ex.warmup_cosine.evaluate(____).status == "not_attempted"


@pytest.mark.parametrize("wrong, expected_text", [
    (lambda p, e, n: cosine(p, e, n, warmup=0), "falta el calentamiento"),
    (lambda p, e, n: cosine(p, e, n, decay=e * n), "termina después del final"),
    (lambda p, e, n: cosine(p, e, n, total=e), "cuentas en épocas"),
    (lambda p, e, n: cosine(p, e, n, total=n), "una sola época"),
    (lambda p, e, n: cosine(p, e, n, final=0.0), "peak/100"),
    (lambda p, e, n: cosine(p, e, n, start=0.0), "peak/10"),
    (lambda p, e, n: cosine(p, e, n, warmup=0.1), "debería valer"),
    (lambda p, e, n: cosine(2 * p, e, n), "debería valer"),
    (lambda p, e, n: cosine(p, e, n, final=0.1), "debería valer"),
    (lambda p, e, n: p, "programa de Keras"),
])
def test_warmup_cosine_explains_typical_mistakes(wrong, expected_text):
    feedback = ex.warmup_cosine.evaluate(wrong)
    assert feedback.status == "incorrect"
    assert expected_text in feedback.message


LOG_ROOT, CHECKPOINT_DIR = "runs/05", "models/05"


def callbacks(**change):
    """Los callbacks del enunciado; cada argumento sustituye uno (None lo quita)."""
    chosen = {
        "board": keras.callbacks.TensorBoard(log_dir=f"{LOG_ROOT}/prueba"),
        "best": keras.callbacks.ModelCheckpoint(f"{CHECKPOINT_DIR}/prueba.keras", monitor="val_accuracy",
                                                save_best_only=True),
        "backup": keras.callbacks.BackupAndRestore(backup_dir=f"{CHECKPOINT_DIR}/prueba_backup"),
        "early": keras.callbacks.EarlyStopping(monitor="val_accuracy", patience=3, restore_best_weights=True),
    }
    chosen.update(change)
    return lambda name: [callback for callback in chosen.values() if callback is not None]


@pytest.fixture
def bound_callbacks():
    ex.resumable_callbacks.bind(log_root=LOG_ROOT, checkpoint_dir=CHECKPOINT_DIR)
    return ex.resumable_callbacks


def test_resumable_callbacks_both_ways(bound_callbacks):
    assert bound_callbacks.evaluate(callbacks()).correct
    assert bound_callbacks.evaluate(
        lambda name: ex.resumable_callbacks_reference(name, LOG_ROOT, CHECKPOINT_DIR)).correct
    assert bound_callbacks.evaluate(lambda name: callbacks()(name)[::-1]).correct
    assert bound_callbacks.evaluate(callbacks(
        best=MC(f"{CHECKPOINT_DIR}/prueba.keras", monitor="val_accuracy", save_best_only=True, mode="max"),
        early=ES(monitor="val_accuracy", patience=3, restore_best_weights=True, mode="max"))).correct
    assert bound_callbacks.evaluate(____).status == "not_attempted"


MC, ES = keras.callbacks.ModelCheckpoint, keras.callbacks.EarlyStopping


@pytest.mark.parametrize("change, expected_text", [
    ({"board": keras.callbacks.TensorBoard(log_dir="logs")}, "TensorBoard escribe"),
    ({"best": MC(f"{CHECKPOINT_DIR}/prueba.h5", monitor="val_accuracy", save_best_only=True)}, ".keras"),
    ({"best": MC(f"{CHECKPOINT_DIR}/prueba.keras", monitor="val_loss", save_best_only=True)}, "vigila «val_loss»"),
    ({"best": MC(f"{CHECKPOINT_DIR}/prueba.keras", monitor="val_accuracy")}, "save_best_only"),
    ({"best": MC(f"{CHECKPOINT_DIR}/prueba.weights.h5", monitor="val_accuracy", save_best_only=True,
                 save_weights_only=True)}, "guarda en"),
    ({"backup": keras.callbacks.BackupAndRestore(backup_dir=CHECKPOINT_DIR)}, "carpeta propia"),
    ({"backup": keras.callbacks.BackupAndRestore(backup_dir="backup")}, "_backup"),
    ({"backup": keras.callbacks.BackupAndRestore(backup_dir=f"{CHECKPOINT_DIR}/prueba_backup", save_freq=10)},
     "save_freq"),
    ({"early": ES(monitor="val_loss", patience=3, restore_best_weights=True)}, "EarlyStopping vigila"),
    ({"early": ES(monitor="val_accuracy", patience=5, restore_best_weights=True)}, "patience=3"),
    ({"early": ES(monitor="val_accuracy", patience=3)}, "restore_best_weights"),
    ({"best": MC(f"{CHECKPOINT_DIR}/prueba.keras", monitor="val_accuracy", save_best_only=True, mode="min")},
     "la peor época"),
    ({"best": MC(f"{CHECKPOINT_DIR}/prueba.keras", monitor="val_accuracy", save_best_only=True, save_freq=5)},
     "save_freq=5"),
    ({"early": ES(monitor="val_accuracy", patience=3, restore_best_weights=True, mode="min")}, "mode=\"max\""),
    ({"early": ES(monitor="val_accuracy", patience=3, restore_best_weights=True, min_delta=0.01)}, "min_delta"),
    ({"early": ES(monitor="val_accuracy", patience=3, restore_best_weights=True, baseline=0.8)}, "baseline"),
    ({"early": ES(monitor="val_accuracy", patience=3, restore_best_weights=True, start_from_epoch=2)},
     "start_from_epoch"),
    ({"backup": None}, "falta BackupAndRestore"),
    ({"early": None}, "falta EarlyStopping"),
    ({"extra": keras.callbacks.ReduceLROnPlateau()}, "sobra ReduceLROnPlateau"),
    ({"twice": keras.callbacks.TensorBoard(log_dir=f"{LOG_ROOT}/prueba")}, "dos TensorBoard"),
])
def test_resumable_callbacks_rejects_every_changed_choice(bound_callbacks, change, expected_text):
    feedback = bound_callbacks.evaluate(callbacks(**change))
    assert feedback.status == "incorrect"
    assert expected_text in feedback.message


def test_resumable_callbacks_wants_a_list(bound_callbacks):
    assert "una lista" in bound_callbacks.evaluate(lambda name: keras.callbacks.TensorBoard()).message


def test_save_weights_only_is_rejected(bound_callbacks):
    wrong = MC(f"{CHECKPOINT_DIR}/prueba.keras", monitor="val_accuracy", save_best_only=True)
    wrong.save_weights_only = True   # Keras no deja crearlo así con .keras; un estudiante puede cambiarlo
    assert "load_model" in bound_callbacks.evaluate(callbacks(best=wrong)).message


@pytest.mark.parametrize("exercise", [ex.standardize, ex.regularized_cnn, ex.generalization_gap,
                                      ex.warmup_cosine, ex.resumable_callbacks, ex.best_epoch,
                                      ex.predict_with_flip])
def test_hints_come_in_two_steps_and_neither_is_the_solution(exercise):
    assert len(exercise.hints) == 2
    lines = ["".join(line.split()) for line in exercise.solution_code.splitlines() if len(line.strip()) > 12]
    for hint in exercise.hints:
        assert not any(line in "".join(hint.split()) for line in lines), (exercise.title, hint)


def test_the_reference_callbacks_resume_a_cut_training_at_the_next_epoch(tmp_path):
    """Lo que muestra la sección 6: cortado tras la época 1, fit sigue en la 2 con el optimizador donde estaba."""
    rng = np.random.default_rng(2)
    x, y = rng.random((32, 4)).astype("float32"), rng.integers(0, 2, 32)

    def model():
        net = keras.Sequential([keras.Input((4,)), layers.Dense(2, activation="softmax")])
        net.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        return net

    class Cut(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            raise RuntimeError("corte")

    def callbacks():
        return ex.resumable_callbacks_reference("r", str(tmp_path / "runs"), str(tmp_path / "models"))

    first = model()
    with pytest.raises(RuntimeError):
        first.fit(x, y, validation_data=(x, y), epochs=3, batch_size=8, verbose=0, callbacks=[*callbacks(), Cut()])
    resumed = model()
    history = resumed.fit(x, y, validation_data=(x, y), epochs=3, batch_size=8, verbose=0, callbacks=callbacks())
    assert history.epoch == [1, 2]
    assert int(resumed.optimizer.iterations) == 3 * 4
    assert (tmp_path / "models" / "r.keras").exists() and not (tmp_path / "models" / "r_backup").exists()


def test_the_course_augmentation_is_the_block_section_4_fixes_and_builds_the_reference_network():
    """05b reutiliza el aumento del 05 desde helpers: debe ser exactamente el que comprueba el ejercicio 2."""
    ex._check_augmentation(ex.augmentation_reference())
    assert ex.regularized_cnn.evaluate(lambda: ex.regularized_cnn_reference(ex.augmentation_reference)).correct
