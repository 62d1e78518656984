"""El motor de ejercicios da respuestas claras y nunca una traza de error."""
import pytest

from helpers.exercises import Exercise, Incorrect, ____
from helpers.exercises.core import call_learner_function


def double_checker(function):
    for n in (0, 3, -2):
        got = call_learner_function(function, n)
        if got != 2 * n:
            raise Incorrect(f"double({n}) devolvió {got!r}; se esperaba {2 * n}")


DOUBLE = Exercise("Doble", double_checker, hint="Multiplica por 2.", solution="return 2 * n")


def test_placeholder_is_not_attempted_never_an_error():
    def learner(n):
        return ____
    assert DOUBLE.evaluate(____).status == "not_attempted"
    assert DOUBLE.evaluate(learner).status == "not_attempted"


def test_wrong_answer_explains_what_is_wrong():
    feedback = DOUBLE.evaluate(lambda n: n + 2)
    assert feedback.status == "incorrect"
    assert "double(0) devolvió 2; se esperaba 0" in feedback.message


def test_learner_exception_becomes_a_message():
    feedback = DOUBLE.evaluate(lambda n: n / 0)
    assert feedback.status == "incorrect" and "ZeroDivisionError" in feedback.message
    assert "division by zero" not in feedback.message and "divide entre cero" in feedback.message


def test_numpy_broadcast_error_is_explained_in_spanish_with_the_learner_line():
    import numpy as np

    def learner(n):
        window = np.ones((2, 3))
        return window * np.ones((3, 3))

    feedback = DOUBLE.evaluate(learner)
    assert "could not be broadcast" not in feedback.message
    assert "(2, 3) y (3, 3)" in feedback.message and "no encajan" in feedback.message
    assert "window * np.ones((3, 3))" in feedback.message


TORCH_BROADCAST_ERROR = ("The size of tensor a (5) must match the size of tensor b (3) at "
                         "non-singleton dimension 3")


def test_torch_broadcast_error_is_explained_in_spanish():
    def learner(n):
        raise RuntimeError(TORCH_BROADCAST_ERROR)

    message = DOUBLE.evaluate(learner).message
    assert "must match" not in message
    assert "no encajan en el eje 3 (5 frente a 3" in message and "RuntimeError" in message


def test_name_error_names_the_missing_variable():
    def learner(n):
        return n * factor  # noqa: F821

    assert "«factor»" in DOUBLE.evaluate(learner).message


def test_correct_answer():
    assert DOUBLE.evaluate(lambda n: 2 * n).correct


def test_check_hint_solution_print_spanish(capsys):
    DOUBLE.check(____)
    DOUBLE.hint()
    DOUBLE.solution()
    out = capsys.readouterr().out
    assert "Sin responder" in out and "Pista: Multiplica por 2." in out and "return 2 * n" in out


def test_hints_come_in_steps_and_the_last_one_does_not_promise_more(capsys):
    two = Exercise("Doble", double_checker, hint=("La idea.", "El código."), solution="return 2 * n")
    two.hint()
    first = capsys.readouterr().out
    assert "La idea." in first and ".hint(2)" in first and "El código." not in first
    for step in (2, 3):
        two.hint(step)
        last = capsys.readouterr().out
        assert "El código." in last and ".hint(" not in last


def test_bind_passes_the_notebook_objects_to_the_checker():
    seen = []

    def checker(answer, data=None):
        seen.append(data)
        if answer not in data:
            raise Incorrect("no está en los datos del cuaderno")

    exercise = Exercise("Dato", checker, hint="", solution="")
    exercise.bind(data=(1, 2))
    assert exercise.evaluate(2).correct and exercise.evaluate(3).status == "incorrect"
    assert seen == [(1, 2), (1, 2)]


def test_strict_mode_stops_on_wrong_answers_only(monkeypatch):
    monkeypatch.setenv("CNN_STRICT_CHECKS", "1")
    DOUBLE.check(____)
    DOUBLE.check(lambda n: 2 * n)
    with pytest.raises(AssertionError, match="Doble"):
        DOUBLE.check(lambda n: n)


STRUCTURE = Exercise("Mi red", lambda model: ModelSpec(layers=()).check(model), hint="", solution="")


def test_none_is_not_attempted_for_a_learner_but_fails_in_strict_mode(monkeypatch, capsys):
    """Un cuaderno del estudiante pone ``model = None`` antes del ejercicio; en una solución, ``None``
    significa que la celda no asignó su resultado y la prueba o la medición deben detenerse."""
    from helpers.exercises.core import training_history

    monkeypatch.delenv("CNN_STRICT_CHECKS", raising=False)
    assert STRUCTURE.evaluate(None).status == "not_attempted"
    assert DOUBLE.evaluate(None).status == "not_attempted"
    STRUCTURE.check(None)
    assert "Sin responder" in capsys.readouterr().out
    assert STRUCTURE.choose(None, "referencia", "red") == "referencia"
    monkeypatch.setenv("CNN_STRICT_CHECKS", "1")
    for exercise in (STRUCTURE, DOUBLE):
        feedback = exercise.evaluate(None)
        assert feedback.status == "incorrect" and "vale None" in feedback.message
    with pytest.raises(AssertionError, match="Mi red: el modelo vale None"):
        STRUCTURE.check(None)
    with pytest.raises(Incorrect, match="history vale None"):
        training_history(None, "history")
    STRUCTURE.check(____)  # el marcador sigue siendo «sin responder», también en modo estricto
    assert STRUCTURE.evaluate(____).status == "not_attempted"


def test_html_rendering_escapes_text():
    from helpers.exercises.core import _Message
    assert "&lt;b&gt;" in _Message("incorrect", "<b>")._repr_html_()


def test_markdown_bold_in_messages_is_rendered_not_shown_as_asterisks():
    from helpers.exercises.core import _Message
    message = _Message("incorrect", "es la **suma**, no la media; 2 ** 3 <b>")
    html = message._repr_html_()
    assert "<b>suma</b>" in html and "**" not in html.replace("2 ** 3", "") and "&lt;b&gt;" in html
    assert repr(message).endswith("es la suma, no la media; 2 ** 3 <b>")
    code = _Message("solution", "y = x ** 2 ** 3")
    assert "x ** 2 ** 3" in repr(code) and "x ** 2 ** 3" in code._repr_html_()


def test_two_step_hints_are_shown_one_after_the_other(capsys):
    exercise = Exercise("Lados", lambda n: None, hint=("la idea", "el código"), solution="n = 4")
    exercise.hint()
    first = capsys.readouterr().out
    exercise.hint()
    exercise.hint()
    later = capsys.readouterr().out
    assert "(1 de 2) la idea" in first and "vuelve a llamar a .hint()" in first
    assert later.count("(2 de 2) el código") == 2 and "vuelve a llamar" not in later


# --- Comprobaciones declarativas -------------------------------------------------------------

from helpers.exercises.core import Expected, ModelSpec, check_expected, equality_checker, known_mistake, same_value  # noqa: E402

SIDES = Exercise("Lados", equality_checker(
    Expected("lados", 4, mistakes={3: "eso es un triángulo."}, otherwise="cuenta otra vez."),
    Expected("ángulo", 90.0, atol=0.5, otherwise="un ángulo recto mide 90."),
), hint="", solution="")


def test_equality_checker_accepts_within_tolerance_and_explains_known_mistakes():
    assert SIDES.evaluate(4, 90.3).correct
    assert SIDES.evaluate(____, 90).status == "not_attempted"
    feedback = SIDES.evaluate(3, 45)
    assert feedback.status == "incorrect"
    assert "lados: eso es un triángulo." in feedback.message
    assert "ángulo: un ángulo recto mide 90." in feedback.message
    assert "lados" not in SIDES.evaluate(4, 0).message
    assert "cuenta otra vez" in SIDES.evaluate(5, 90).message


def test_expected_converts_before_comparing():
    from helpers.exercises.core import as_count
    params = Expected("conv1", 80, mistakes={72: "faltan los sesgos."}, convert=as_count,
                      show_answer=True)
    assert params.problem(80.0) is None
    assert params.problem(72) == "conv1: 72 no es correcto; faltan los sesgos."
    assert Expected("conv1", 80).problem(81) == "conv1: 81 no es correcto."
    with pytest.raises(Incorrect, match="así que es un entero"):
        params.problem(80.5)


def test_same_value_does_not_confuse_types():
    assert not same_value(True, 1) and not same_value("4", 4) and not same_value((4,), 4)
    assert same_value((24, 24), [24, 24]) and not same_value((24, 24), (24, 24, 1))
    import numpy as np
    assert same_value(np.array([1.0, 2.0]), [1, 2]) and not same_value(np.ones(3), np.ones(2))


def test_check_expected_lists_every_problem():
    with pytest.raises(Incorrect) as error:
        check_expected((Expected("a", 1, otherwise="es 1."), 2), (Expected("b", 2, otherwise="es 2."), 3))
    assert str(error.value) == "a: es 1.\nb: es 2."


def test_known_mistake_needs_every_case_to_match():
    mistakes = [(lambda n: n + 1, "sumas 1."), (lambda n: 2 * n, "duplicas."), (lambda n: 1 / n, "inviertes.")]
    assert known_mistake([4, 6], mistakes, [(2,), (3,)]) == "duplicas."
    assert known_mistake([3, 6], mistakes, [(2,), (3,)]) is None
    assert known_mistake([1.0], mistakes, [(0,)]) == "sumas 1."   # 1 / 0 no rompe la búsqueda


def test_choose_uses_the_learner_answer_only_when_accepted(capsys):
    four = Exercise("Cuatro", equality_checker(Expected("n", 4)), hint="", solution="")
    assert four.choose(4, 0, "número") == 4
    assert four.choose(5, 0, "número") == 0
    assert four.choose(____, 0, "número") == 0
    calls = []
    assert four.choose(4, lambda: calls.append(1), "número", lazy=True) == 4 and not calls
    assert four.choose(5, lambda: calls.append(1) or 0, "número", lazy=True) == 0 and calls == [1]
    out = capsys.readouterr().out
    assert "Uso tu número, que pasó la comprobación." in out
    assert "Uso la versión de referencia del curso (número)" in out


# --- Estructura de modelos: Keras ---


def keras_cnn(first_pool=True, filters=32, activation="relu", padding="valid", freeze_first=False):
    import keras
    from keras import layers
    stack = [keras.Input(shape=(28, 28, 1)), layers.Conv2D(filters, 3, activation=activation, padding=padding)]
    stack += [layers.MaxPooling2D(2)] if first_pool else [layers.Conv2D(filters, 3, activation="relu")]
    stack += [layers.Flatten(), layers.Dense(10, activation="softmax")]
    model = keras.Sequential(stack)
    if freeze_first:
        model.layers[0].trainable = False
    return model


@pytest.fixture(scope="module")
def keras_spec():
    return ModelSpec.of(keras_cnn())


def structure_problem(spec, model):
    with pytest.raises(Incorrect) as error:
        spec.check(model)
    return str(error.value)


@pytest.mark.frameworks
def test_keras_structure_accepts_an_equal_model(keras_spec):
    keras_spec.check(keras_cnn())
    assert keras_spec.params == 320 + 13 * 13 * 32 * 10 + 10


@pytest.mark.frameworks
def test_keras_structure_names_the_wrong_layer(keras_spec):
    assert structure_problem(keras_spec, keras_cnn(first_pool=False)).startswith(
        "la capa 2 debería ser MaxPooling2D y es Conv2D")


@pytest.mark.frameworks
def test_keras_structure_names_wrong_shapes_activations_and_frozen_weights(keras_spec):
    assert "la capa 1 (Conv2D) da una salida de forma (28, 28, 32) y debería dar (26, 26, 32)" in \
        structure_problem(keras_spec, keras_cnn(padding="same"))
    assert "la capa 1 (Conv2D) usa la activación «linear» y debería usar «relu»" in \
        structure_problem(keras_spec, keras_cnn(activation=None))
    assert "esperaba 54 410 parámetros entrenables y 0 congelados; tu modelo tiene 54 090 " \
           "entrenables y 320 congelados" in structure_problem(keras_spec, keras_cnn(freeze_first=True))


@pytest.mark.frameworks
def test_keras_structure_counts_missing_layers_and_parameters():
    import keras
    from keras import layers
    spec = ModelSpec.of(keras.Sequential([keras.Input(shape=(4,)), layers.Dense(3), layers.Dense(2)]))
    assert "faltan al final Dense" in structure_problem(
        spec, keras.Sequential([keras.Input(shape=(4,)), layers.Dense(3)]))
    wide = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(3, use_bias=False), layers.Dense(2)])
    assert "esperaba 23 parámetros y tu modelo tiene 20; la primera capa que difiere es la 1" in \
        structure_problem(spec, wide)
    unbuilt = keras.Sequential([layers.Dense(3), layers.Dense(2)])
    assert "keras.Input(shape=…)" in structure_problem(spec, unbuilt)


# --- Estructura de modelos: PyTorch ---


def torch_cnn(pool=True, out=10, freeze=False):
    from torch import nn
    model = nn.Sequential(nn.Conv2d(1, 8, 3), nn.ReLU(), nn.MaxPool2d(2) if pool else nn.AvgPool2d(2),
                          nn.Flatten(), nn.Linear(8 * 13 * 13, out))
    if freeze:
        for parameter in model[0].parameters():
            parameter.requires_grad = False
    return model


@pytest.mark.frameworks
def test_torch_structure_both_ways():
    spec = ModelSpec.of(torch_cnn(), input_shape=(1, 28, 28))
    spec.check(torch_cnn())
    assert structure_problem(spec, torch_cnn(pool=False)).startswith(
        "la capa 3 debería ser MaxPool2d y es AvgPool2d")
    assert "la capa 5 (Linear) da una salida de forma (5,) y debería dar (10,)" in \
        structure_problem(spec, torch_cnn(out=5))
    assert ("esperaba 13 610 parámetros entrenables y 0 congelados; tu modelo tiene 13 530 entrenables "
            "y 80 congelados") in structure_problem(spec, torch_cnn(freeze=True))


@pytest.mark.frameworks
def test_torch_model_that_rejects_the_input_gets_a_spanish_message():
    from torch import nn
    spec = ModelSpec.of(torch_cnn(), input_shape=(1, 28, 28))
    message = structure_problem(spec, nn.Sequential(nn.Flatten(), nn.Linear(10, 10)))
    assert "no acepta una entrada de forma (1, 28, 28)" in message
    assert "mat1" not in message and "shapes cannot be multiplied" not in message


@pytest.mark.frameworks
def test_structure_check_of_a_non_model_or_placeholder():
    spec = ModelSpec.of(torch_cnn(), input_shape=(1, 28, 28))
    assert "esperaba un modelo de Keras o de PyTorch" in structure_problem(spec, 42)
    exercise = Exercise("Modelo", spec.check, hint="", solution="")
    assert exercise.evaluate(____).status == "not_attempted"
