"""Ejercicios del cuaderno 04: correctos con la solución, «sin responder» con ____ e incorrectos con un mensaje útil."""
import keras
import numpy as np
import pytest
from keras import layers

from helpers.exercises import ____
from helpers.exercises import nb04 as ex
from helpers.tfdata import from_arrays


def test_prepare_images_accepts_the_solution_and_equivalents():
    assert ex.prepare_images.evaluate(ex.prepare_images_reference).correct
    assert ex.prepare_images.evaluate(lambda x: (x.astype("float32") / 255).reshape(-1, 28, 28, 1)).correct
    assert ex.prepare_images.evaluate(lambda x: np.expand_dims(x / np.float32(255), -1).astype(np.float32)).correct


def test_prepare_images_placeholder_is_not_attempted():
    def learner(x):
        return ____

    assert ex.prepare_images.evaluate(____).status == "not_attempted"
    assert ex.prepare_images.evaluate(learner).status == "not_attempted"


@pytest.mark.parametrize("wrong, expected_text", [
    (lambda x: (x / 255.0).astype("float32"), "falta el eje de canal"),
    (lambda x: (x / 255.0).astype("float32")[:, None], "el canal va delante"),
    (lambda x: x[..., None] // 255, "división entera"),
    (lambda x: x.astype("float32")[..., None], "falta escalar"),
    (lambda x: (x / 256.0).astype("float32")[..., None], "256"),
    (lambda x: (x / 255.0)[..., None], "float64"),
    (lambda x: list(x), "array de NumPy"),
    (lambda x: 1 / 0, "ZeroDivisionError"),
])
def test_prepare_images_explains_typical_mistakes(wrong, expected_text):
    feedback = ex.prepare_images.evaluate(wrong)
    assert feedback.status == "incorrect"
    assert expected_text in feedback.message


def test_loss_choice_both_ways():
    assert ex.loss_choice.evaluate("sparse_categorical_crossentropy", "categorical_crossentropy").correct
    assert ex.loss_choice.evaluate(____, "categorical_crossentropy").status == "not_attempted"
    swapped = ex.loss_choice.evaluate("categorical_crossentropy", "sparse_categorical_crossentropy")
    assert swapped.status == "incorrect" and "intercambiadas" in swapped.message
    binary = ex.loss_choice.evaluate("binary_crossentropy", "categorical_crossentropy")
    assert binary.status == "incorrect" and "dos clases" in binary.message
    not_text = ex.loss_choice.evaluate(1, "categorical_crossentropy")
    assert not_text.status == "incorrect" and "texto" in not_text.message


# ---------------------------------------------------------------------------
# Ejercicio 3: construir la primera CNN
# ---------------------------------------------------------------------------


def learner_cnn(conv1=None, pool1=None, padding="valid", second_filters=64, dropout=True,
                output_activation="softmax", dense_units=128, with_input=True, dropout_rate=0.5):
    """La red del ejercicio 3, escrita por un estudiante, con un error opcional."""
    stack = [keras.Input(shape=(28, 28, 1))] if with_input else []
    stack += [
        conv1 or layers.Conv2D(32, 3, activation="relu", padding=padding),
        pool1 or layers.MaxPooling2D(2),
        layers.Conv2D(second_filters, 3, activation="relu"),
        layers.MaxPooling2D(2),
        layers.Flatten(),
    ]
    stack += [layers.Dropout(dropout_rate)] if dropout else []
    stack += [layers.Dense(dense_units, activation="relu"),
              layers.Dense(10, activation=output_activation)]
    return keras.Sequential(stack)


def test_first_cnn_accepts_the_solution_and_the_reference():
    assert ex.first_cnn.evaluate(learner_cnn()).correct           # sin nombres: también vale
    assert ex.first_cnn.evaluate(ex.first_cnn_reference()).correct
    assert ex.first_cnn_reference().count_params() == 225_034
    assert ex.first_cnn.evaluate(____).status == "not_attempted"


@pytest.mark.parametrize("model, expected_text", [
    (lambda: learner_cnn(pool1=layers.Conv2D(32, 3, activation="relu")),
     "la capa 2 debería ser MaxPooling2D y es Conv2D"),
    (lambda: learner_cnn(padding="same"),
     "la capa 1 (Conv2D) da una salida de forma (28, 28, 32) y debería dar (26, 26, 32)"),
    (lambda: learner_cnn(conv1=layers.Conv2D(32, 3)), "usa la activación «linear» y debería usar «relu»"),
    (lambda: learner_cnn(second_filters=32), "la capa 3 (Conv2D) da una salida de forma (11, 11, 32)"),
    (lambda: learner_cnn(dropout=False), "la capa 6 debería ser Dropout y es Dense"),
    (lambda: learner_cnn(output_activation=None), "la capa 8 (Dense) usa la activación «linear» y "
                                                  "debería usar «softmax»"),
    (lambda: learner_cnn(with_input=False), "keras.Input(shape=…)"),
    (lambda: ex.first_cnn_reference, "no una función"),
    (lambda: learner_cnn(dense_units=64), "la capa 7 (Dense) da una salida de forma (64,)"),
    (lambda: learner_cnn(dropout_rate=0.3), "la capa 6 (Dropout) tiene rate=0.3"),
    (lambda: learner_cnn(conv1=layers.Conv2D(32, 3, activation="relu", kernel_regularizer="l2")),
     "la capa 1 (Conv2D) tiene kernel_regularizer="),
    (lambda: learner_cnn(pool1=layers.AveragePooling2D(2)), "la capa 2 debería ser MaxPooling2D"),
    (lambda: learner_cnn(conv1=layers.Conv2D(32, 3, activation="tanh")), "usa la activación «tanh»"),
    (lambda: learner_cnn(conv1=layers.Conv2D(16, 3, activation="relu")), "(26, 26, 16)"),
    (lambda: learner_cnn(conv1=layers.Conv2D(32, 5, activation="relu")), "(24, 24, 32)"),
])
def test_first_cnn_explains_what_differs(model, expected_text):
    feedback = ex.first_cnn.evaluate(model())
    assert feedback.status == "incorrect"
    assert expected_text in feedback.message


def test_choose_uses_the_learner_model_only_when_accepted(capsys):
    mine = learner_cnn()
    ex.first_cnn.check(mine)
    assert ex.first_cnn.choose(mine, "referencia", "red") is mine
    assert ex.first_cnn.choose(learner_cnn(padding="same"), "referencia", "red") == "referencia"
    out = capsys.readouterr().out
    assert "Uso tu red" in out and "Uso la versión de referencia del curso (red)" in out


# ---------------------------------------------------------------------------
# Ejercicio 4: parámetros de dos capas
# ---------------------------------------------------------------------------


def test_param_counts_match_the_notebook_model():
    model = ex.first_cnn_reference()
    conv2 = model.get_layer("conv2").count_params()
    dense = model.get_layer("dense").count_params()
    assert ex.param_counts.evaluate(conv2, dense).correct
    assert ex.param_counts.evaluate(____, dense).status == "not_attempted"


@pytest.mark.parametrize("answers, expected_text", [
    ((3 * 3 * 32 * 64, (5 * 5 * 64 + 1) * 128), "olvidaste los sesgos"),
    (((3 * 3 + 1) * 64, (5 * 5 * 64 + 1) * 128), "32 mapas de la primera"),
    ((18_496, 5 * 5 * 64 * 128), "faltan los 128 sesgos"),
    ((18_496, (6 * 6 * 64 + 1) * 128), "redondea hacia abajo"),
    ((18_496, (7 * 7 * 64 + 1) * 128), "sin relleno"),
    ((18_496, (11 * 11 * 64 + 1) * 128), "olvidaste el segundo pooling"),
    ((18_496, (5 * 5 * 64 + 1) * 10), "capa de salida"),
    ((18_496, 12345), "alto × ancho × 64 canales"),
    ((18_496.5, 204_928), "entero"),
])
def test_param_counts_explain_typical_mistakes(answers, expected_text):
    feedback = ex.param_counts.evaluate(*answers)
    assert feedback.status == "incorrect"
    assert expected_text in feedback.message


# ---------------------------------------------------------------------------
# Ejercicio 5: compilar y entrenar
# ---------------------------------------------------------------------------

EPOCHS = 3
GOOD_LOG = {"loss": [0.60, 0.40, 0.35], "accuracy": [0.78, 0.86, 0.88],
            "val_loss": [0.45, 0.38, 0.33], "val_accuracy": [0.83, 0.87, 0.915]}


def striped(n, seed):
    """Fotos con ruido en las que cada clase ilumina su propia franja: la red de referencia pasa con
    holgura del mínimo del modo rápido en tres épocas (con una franja más tenue quedaba cerca del 50 %
    y la prueba dependía de la CPU), y cada conjunto sigue dando su propia pérdida."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 10, size=n)
    x = rng.random((n, 28, 28, 1), dtype=np.float32)
    for i, label in enumerate(y):
        x[i, 2 * label:2 * label + 3] += 0.6
    return x, y


@pytest.fixture(scope="module")
def notebook():
    """Los objetos de la sección 5 del cuaderno, en pequeño: lotes, prueba y callbacks."""
    x, y = striped(600, 0)
    x_test, y_test = striped(200, 1)
    return {"train": from_arrays(x[:480], y[:480], 32, shuffle=True, seed=0),
            "validation": from_arrays(x[480:], y[480:], 32), "test": (x_test, y_test),
            "callbacks": [keras.callbacks.TerminateOnNaN()], "epochs": EPOCHS}


@pytest.fixture(autouse=True)
def bound(notebook, monkeypatch):
    monkeypatch.setenv("CNN_FAST", "1")
    ex.train.bind(**notebook)
    yield
    ex.train.bind()


def compiled(model=None, optimizer=None, loss="sparse_categorical_crossentropy", metrics=("accuracy",)):
    model = model or ex.first_cnn_reference()
    model.compile(optimizer=optimizer or keras.optimizers.Adam(learning_rate=1e-3), loss=loss,
                  metrics=list(metrics))
    return model


def history_of(model, log=None):
    """Un History como el que devuelve fit, con el registro ``log``."""
    history = keras.callbacks.History()
    history.set_model(model)
    history.history = dict(log or GOOD_LOG)
    return history


def real_fit(notebook, model=None, twice=False, **changes):
    """Lo que escribe el estudiante: compile y fit como dice el enunciado, con ``changes``."""
    keras.utils.set_random_seed(0)
    model = model or compiled()
    arguments = {"validation_data": notebook["validation"], "epochs": EPOCHS,
                 "callbacks": notebook["callbacks"], "verbose": 0, **changes}
    if twice:
        model.fit(notebook["train"], **arguments)
    return model.fit(notebook["train"], **arguments)


def test_train_accepts_the_statement(notebook):
    feedback = ex.train.evaluate(real_fit(notebook))
    assert feedback.correct, feedback.message


def test_train_accepts_the_same_validation_photos_as_arrays(notebook):
    x, y = np.concatenate([b[0] for b in notebook["validation"]]), np.concatenate(
        [b[1] for b in notebook["validation"]])
    feedback = ex.train.evaluate(real_fit(notebook, validation_data=(x, y)))
    assert feedback.correct, feedback.message


@pytest.mark.parametrize("changes, expected_text", [
    ({"validation_data": "train"}, "validaste con los mismos lotes con los que entrenas"),
    ({"validation_data": "test"}, "validaste con el conjunto de prueba"),
    ({"callbacks": None}, "fit no recibió los callbacks del enunciado (TerminateOnNaN)"),
    ({"epochs": EPOCHS - 1}, "el entrenamiento duró 2 época(s) y el enunciado pide epochs=EPOCHS (3)"),
    ({"epochs": EPOCHS + 1}, "duró 4 época(s)"),
    ({"steps_per_epoch": 5}, "cada época recorrió 5 lotes y train_batches tiene 15"),
    ({"validation_freq": 2}, "quita validation_freq"),
    ({"twice": True}, "¿dos llamadas a fit?"),
    ({"model": compiled(optimizer=keras.optimizers.Adam(1e-3, amsgrad=True))}, "amsgrad=True"),
    ({"model": compiled(optimizer=keras.optimizers.Adam(1e-3, beta_1=0.8))}, "beta_1=0.8"),
    ({"model": compiled(optimizer=keras.optimizers.Adam(1e-3, weight_decay=0.01))}, "weight_decay=0.01"),
])
def test_train_rejects_each_change_to_the_statement(notebook, changes, expected_text):
    if changes.get("validation_data") in ("train", "test"):
        changes["validation_data"] = notebook[changes["validation_data"]]
    feedback = ex.train.evaluate(real_fit(notebook, **changes))
    assert feedback.status == "incorrect"
    assert expected_text in feedback.message


def test_train_needs_the_notebook_objects():
    ex.train.bind()
    feedback = ex.train.evaluate(history_of(compiled()))
    assert feedback.status == "incorrect" and "la celda que prepara train_batches" in feedback.message


def test_train_full_mode_demands_the_stated_validation_accuracy(monkeypatch):
    monkeypatch.setenv("CNN_FAST", "0")
    low = dict(GOOD_LOG, val_accuracy=[0.70, 0.80, 0.85])
    feedback = ex.train.evaluate(history_of(compiled(), low))
    assert feedback.status == "incorrect"
    assert "85,0 %" in feedback.message and "al menos un 90,0 %" in feedback.message
    assert "al menos" not in ex.train.evaluate(history_of(compiled())).message


def test_train_smoke_mode_still_rejects_a_network_that_learnt_nothing(monkeypatch):
    monkeypatch.setenv("CNN_FAST", "smoke")
    good = dict(GOOD_LOG, val_accuracy=[0.2, 0.3, 0.35])
    assert "al menos" not in ex.train.evaluate(history_of(compiled(), good)).message
    feedback = ex.train.evaluate(history_of(compiled(), dict(GOOD_LOG, val_accuracy=[0.1, 0.1, 0.1])))
    assert feedback.status == "incorrect"
    assert "en modo mínimo se espera al menos un 30,0 %" in feedback.message


def test_train_placeholder_is_not_attempted():
    assert ex.train.evaluate(____).status == "not_attempted"


@pytest.mark.parametrize("history, expected_text", [
    (lambda: None, "history = model.fit"),
    (lambda: compiled(), "lo que devuelve model.fit"),
    (lambda: history_of(compiled(learner_cnn(padding="same"))), "no es el del ejercicio 3"),
    (lambda: history_of(ex.first_cnn_reference()), "no está compilado"),
    (lambda: history_of(compiled(optimizer=keras.optimizers.SGD())), "el enunciado pide Adam"),
    (lambda: history_of(compiled(optimizer=keras.optimizers.Adam(
        keras.optimizers.schedules.ExponentialDecay(1e-3, 100, 0.9)))), "cuaderno 05"),
    (lambda: history_of(compiled(optimizer=keras.optimizers.Adam(0.01))), "es 0,01"),
    (lambda: history_of(compiled(loss="mse")), "sparse_categorical_crossentropy"),
    (lambda: history_of(compiled(loss="categorical_crossentropy")), "sparse_categorical_crossentropy"),
    (lambda: history_of(compiled(loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))),
     "from_logits"),
    (lambda: history_of(compiled(), {k: v for k, v in GOOD_LOG.items() if "accuracy" not in k}),
     "metrics="),
    (lambda: history_of(compiled(), {k: v for k, v in GOOD_LOG.items() if not k.startswith("val_")}),
     "validation_data=validation_batches"),
    (lambda: history_of(compiled(), {k: v[:1] for k, v in GOOD_LOG.items()}), "epochs=EPOCHS"),
    (lambda: history_of(compiled(), dict(GOOD_LOG, loss=[2.3, 2.3, 2.31])), "la pérdida no bajó"),
    (lambda: history_of(compiled(), dict(GOOD_LOG, val_accuracy=[0.1, 0.1, 0.1])), "al menos un 50,0 %"),
])
def test_train_explains_typical_mistakes(history, expected_text):
    feedback = ex.train.evaluate(history())
    assert feedback.status == "incorrect"
    assert expected_text in feedback.message


def test_every_hint_has_two_steps_and_neither_is_the_solution():
    for exercise in (ex.prepare_images, ex.loss_choice, ex.first_cnn, ex.param_counts, ex.train):
        assert len(exercise._hints) == 2, exercise.title
        lines = [line.strip() for line in exercise.solution_code.splitlines() if len(line.strip()) > 24]
        for hint in exercise._hints:
            assert not any(line in hint for line in lines), (exercise.title, hint)
    assert "sparse_categorical_crossentropy" not in " ".join(ex.loss_choice._hints)


def test_train_reference_trains_the_reference_network():
    rng = np.random.default_rng(1)
    x = rng.random((40, 28, 28, 1), dtype=np.float32)
    y = rng.integers(0, 10, size=40)
    history = ex.train_reference(from_arrays(x[:30], y[:30], 10, shuffle=True),
                                 from_arrays(x[30:], y[30:], 10), epochs=1)
    assert history.model.count_params() == 225_034
    assert set(history.history) >= {"loss", "accuracy", "val_loss", "val_accuracy"}


def test_same_metrics_tells_apart_two_tiny_losses():
    """Con una red que acierta todo, entrenamiento y validación dan pérdidas diminutas pero distintas."""
    assert ex._same_metrics({"loss": 0.000512, "accuracy": 1.0}, 0.000512, 1.0)
    assert not ex._same_metrics({"loss": 0.0005, "accuracy": 1.0}, 0.0008, 1.0)
