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
                output_activation="softmax", dense_units=128, with_input=True):
    """La red del ejercicio 3, escrita por un estudiante, con un error opcional."""
    stack = [keras.Input(shape=(28, 28, 1))] if with_input else []
    stack += [
        conv1 or layers.Conv2D(32, 3, activation="relu", padding=padding),
        pool1 or layers.MaxPooling2D(2),
        layers.Conv2D(second_filters, 3, activation="relu"),
        layers.MaxPooling2D(2),
        layers.Flatten(),
    ]
    stack += [layers.Dropout(0.5)] if dropout else []
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
    (((3 * 3 + 1) * 64, (5 * 5 * 64 + 1) * 128), "32 mapas de conv1"),
    ((18_496, 5 * 5 * 64 * 128), "faltan los 128 sesgos"),
    ((18_496, (6 * 6 * 64 + 1) * 128), "redondea hacia abajo"),
    ((18_496, (7 * 7 * 64 + 1) * 128), "sin relleno"),
    ((18_496, (11 * 11 * 64 + 1) * 128), "olvidaste pool2"),
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

GOOD_LOG = {"loss": [0.60, 0.40, 0.35], "accuracy": [0.78, 0.86, 0.88],
            "val_loss": [0.45, 0.38, 0.33], "val_accuracy": [0.83, 0.87, 0.915]}


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


@pytest.fixture
def full_mode(monkeypatch):
    monkeypatch.setenv("CNN_FAST", "0")


def test_train_accepts_a_real_fit(monkeypatch):
    monkeypatch.setenv("CNN_FAST", "1")
    rng = np.random.default_rng(0)
    y = rng.integers(0, 10, size=600)
    x = rng.random((600, 28, 28, 1), dtype=np.float32) * 0.2
    for i, label in enumerate(y):          # cada clase ilumina su propia franja: fácil de aprender
        x[i, 2 * label:2 * label + 3] += 0.8
    keras.utils.set_random_seed(0)
    model = compiled()
    history = model.fit(from_arrays(x[:480], y[:480], 32, shuffle=True, seed=0),
                        validation_data=from_arrays(x[480:], y[480:], 32), epochs=4, verbose=0)
    feedback = ex.train.evaluate(history)
    assert feedback.correct, feedback.message


def test_train_full_mode_demands_the_stated_validation_accuracy(full_mode):
    assert ex.train.evaluate(history_of(compiled())).correct
    low = dict(GOOD_LOG, val_accuracy=[0.70, 0.80, 0.85])
    feedback = ex.train.evaluate(history_of(compiled(), low))
    assert feedback.status == "incorrect"
    assert "85,0 %" in feedback.message and "al menos un 90,0 %" in feedback.message


def test_train_smoke_mode_still_rejects_a_network_that_learnt_nothing(monkeypatch):
    monkeypatch.setenv("CNN_FAST", "smoke")
    good = dict(GOOD_LOG, val_accuracy=[0.2, 0.3, 0.35])
    assert ex.train.evaluate(history_of(compiled(), good)).correct
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
def test_train_explains_typical_mistakes(history, expected_text, monkeypatch):
    monkeypatch.setenv("CNN_FAST", "1")
    feedback = ex.train.evaluate(history())
    assert feedback.status == "incorrect"
    assert expected_text in feedback.message


def test_train_reference_trains_the_reference_network():
    rng = np.random.default_rng(1)
    x = rng.random((40, 28, 28, 1), dtype=np.float32)
    y = rng.integers(0, 10, size=40)
    history = ex.train_reference(from_arrays(x[:30], y[:30], 10, shuffle=True),
                                 from_arrays(x[30:], y[30:], 10), epochs=1)
    assert history.model.count_params() == 225_034
    assert set(history.history) >= {"loss", "accuracy", "val_loss", "val_accuracy"}
