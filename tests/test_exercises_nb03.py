"""Ejercicios del cuaderno 03: correctos con la solución, «sin responder» con ____ e incorrectos con un mensaje útil."""
import math

import numpy as np
import pytest

from helpers.exercises import ____
from helpers.exercises import nb03 as ex

# ---------------------------------------------------------------------------
# Ejercicio 1: output_size
# ---------------------------------------------------------------------------


def good_output_size(n, k, p, s):
    return (n + 2 * p - k) // s + 1


def test_output_size_accepts_the_solution_and_equivalent_forms():
    assert ex.output_size.evaluate(good_output_size).correct
    assert ex.output_size.evaluate(lambda n, k, p, s: math.floor((n + 2 * p - k) / s) + 1).correct
    assert ex.output_size.evaluate(lambda n, k, p, s: int((n + 2 * p - k) / s) + 1).correct


@pytest.mark.parametrize("float_answer", [
    lambda n, k, p, s: np.floor((n + 2 * p - k) / s) + 1,
    lambda n, k, p, s: float((n + 2 * p - k) // s + 1),
])
def test_output_size_refuses_a_float_even_with_the_right_value(float_answer):
    feedback = ex.output_size.evaluate(float_answer)
    assert feedback.status == "incorrect"
    assert "el valor es correcto, pero es un" in feedback.message and "no un entero" in feedback.message
    assert "devolvió 3.0:" in feedback.message and "np.float64(" not in feedback.message  # como lo ve el estudiante


def course_output_size(n, k, p, s):
    from helpers import conv

    return conv.output_size(n, k, padding=p, stride=s)


def output_size_without_return(n, k, p, s):
    (n + 2 * p - k) // s + 1


def test_output_size_refuses_the_course_version_and_a_missing_return():
    course = ex.output_size.evaluate(course_output_size)
    assert course.status == "incorrect" and "llama a conv.output_size" in course.message
    missing = ex.output_size.evaluate(output_size_without_return)
    assert missing.status == "incorrect" and "falta el return" in missing.message


def test_output_size_placeholder_is_not_attempted():
    def learner(n, k, p, s):
        return ____

    assert ex.output_size.evaluate(____).status == "not_attempted"
    assert ex.output_size.evaluate(learner).status == "not_attempted"


@pytest.mark.parametrize("wrong, expected_text", [
    (lambda n, k, p, s: (n + 2 * p - k) / s + 1, "división entera //"),
    (lambda n, k, p, s: math.ceil((n + 2 * p - k) / s) + 1, "redondeas hacia arriba"),
    (lambda n, k, p, s: (n + p - k) // s + 1, "n + 2p"),
    (lambda n, k, p, s: (n + 2 * p - k) // s, "te falta el +1"),
    (lambda n, k, p, s: (n - 2 * p - k) // s + 1, "restas el relleno"),
    (lambda n, k, p, s: n + 2 * p - k + 1, "ignoras el paso"),
    (lambda n, k, p, s: (n + 2 * p - k + 1) // s, "divides también el +1"),
])
def test_output_size_explains_typical_mistakes(wrong, expected_text):
    feedback = ex.output_size.evaluate(wrong)
    assert feedback.status == "incorrect"
    assert expected_text in feedback.message
    assert "output_size(" in feedback.message  # dice en qué caso falla


def test_output_size_other_wrong_answers_get_the_formula_and_the_failing_case():
    feedback = ex.output_size.evaluate(lambda n, k, p, s: n - k)
    assert feedback.status == "incorrect"
    assert "output_size(5, 3, 0, 1) devolvió 2; se esperaba 3" in feedback.message
    assert "fórmula de la sección 4" in feedback.message


def test_output_size_non_numbers_and_exceptions_are_explained():
    feedback = ex.output_size.evaluate(lambda n, k, p, s: "3")
    assert feedback.status == "incorrect" and "número entero" in feedback.message
    feedback = ex.output_size.evaluate(lambda n, k, p, s: (n + 2 * p - k) // 0 + 1)
    assert feedback.status == "incorrect" and "ZeroDivisionError" in feedback.message


# ---------------------------------------------------------------------------
# Ejercicio 2: max_pool_2x2
# ---------------------------------------------------------------------------


def good_max_pool(x):
    h, w = x.shape
    return x.reshape(h // 2, 2, w // 2, 2).max(axis=(1, 3))


def test_max_pool_accepts_the_solution_and_other_loop_free_forms():
    def four_corners(x):
        return np.maximum(np.maximum(x[0::2, 0::2], x[0::2, 1::2]), np.maximum(x[1::2, 0::2], x[1::2, 1::2]))

    assert ex.max_pool_2x2.evaluate(good_max_pool).correct
    assert ex.max_pool_2x2.evaluate(four_corners).correct


def with_for_loops(x):
    out = np.empty((x.shape[0] // 2, x.shape[1] // 2), dtype=x.dtype)
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = x[2 * i:2 * i + 2, 2 * j:2 * j + 2].max()
    return out


def with_comprehension(x):
    return np.array([[x[i:i + 2, j:j + 2].max() for j in range(0, x.shape[1], 2)]
                     for i in range(0, x.shape[0], 2)])


def with_while(x):
    rows = []
    i = 0
    while i < x.shape[0]:
        rows.append(x[i:i + 2].reshape(2, -1, 2).max(axis=(0, 2)))
        i += 2
    return np.array(rows)


def with_course_pool(x):
    from helpers import conv

    return conv.pool2d(x, size=2, mode="max")


@pytest.mark.parametrize("wrong, expected_text", [
    (with_for_loops, "usa bucles (for)"),
    (with_comprehension, "usa bucles (comprensión)"),
    (with_while, "usa bucles (while)"),
    (with_course_pool, "llama a conv.pool2d"),
])
def test_max_pool_refuses_loops_and_the_course_version(wrong, expected_text):
    assert np.array_equal(wrong(np.arange(16).reshape(4, 4)), good_max_pool(np.arange(16).reshape(4, 4)))
    feedback = ex.max_pool_2x2.evaluate(wrong)
    assert feedback.status == "incorrect" and expected_text in feedback.message


def max_pool_without_return(x):
    h, w = x.shape
    x.reshape(h // 2, 2, w // 2, 2).max(axis=(1, 3))


def test_max_pool_missing_return_is_named():
    feedback = ex.max_pool_2x2.evaluate(max_pool_without_return)
    assert feedback.status == "incorrect" and "falta el return" in feedback.message
    assert "un solo número" not in feedback.message


def test_max_pool_placeholder_is_not_attempted():
    def learner(x):
        return ____

    assert ex.max_pool_2x2.evaluate(____).status == "not_attempted"
    assert ex.max_pool_2x2.evaluate(learner).status == "not_attempted"


@pytest.mark.parametrize("wrong, expected_text", [
    (lambda x: x.reshape(x.shape[0] // 2, 2, x.shape[1] // 2, 2).mean(axis=(1, 3)),
     "calculas la media"),
    (lambda x: x.reshape(2, x.shape[0] // 2, 2, x.shape[1] // 2).max(axis=(0, 2)),
     "no son bloques 2×2 contiguos"),
    (lambda x: x.reshape(x.shape[0] // 2, 2, x.shape[1] // 2, 2).min(axis=(1, 3)),
     "el mínimo"),
    (lambda x: x.max(), "un solo número"),
    (lambda x: x.reshape(x.shape[0] // 2, 2, x.shape[1] // 2, 2).max(axis=(0, 2)),
     "numeran los bloques"),
    (lambda x: x[::2, ::2], "arriba a la izquierda"),
    (lambda x: x.reshape(x.shape[0] // 2, 2, -1).max(axis=1), "se esperaba (2, 2)"),
    (lambda x: x, "la mitad en alto y en ancho"),
])
def test_max_pool_explains_typical_mistakes(wrong, expected_text):
    feedback = ex.max_pool_2x2.evaluate(wrong)
    assert feedback.status == "incorrect"
    assert expected_text in feedback.message


def test_max_pool_clipping_at_zero_is_caught_with_the_example():
    # Empezar el máximo en 0 falla con mapas negativos: el mensaje muestra la entrada y lo esperado.
    feedback = ex.max_pool_2x2.evaluate(lambda x: np.maximum(good_max_pool(x), 0))
    assert feedback.status == "incorrect"
    assert "con la entrada" in feedback.message and "da" in feedback.message


def test_max_pool_learner_exception_becomes_a_message():
    feedback = ex.max_pool_2x2.evaluate(lambda x: x.reshape(3, 3))
    assert feedback.status == "incorrect" and "ValueError" in feedback.message


# ---------------------------------------------------------------------------
# Ejercicio 3: parámetros del modelo pequeño (compara con Keras)
# ---------------------------------------------------------------------------

CORRECT_ANSWERS = (80, 1168, 139_392, (5, 5, 16))
NAMES = ("conv1_params", "conv2_params", "conv2_mult_adds", "pool2_shape")


@pytest.mark.frameworks
def test_small_model_reference_matches_keras_and_has_no_classifier_head():
    model = ex.small_model()
    assert [type(layer).__name__ for layer in model.layers[1:]] == [
        "Conv2D", "MaxPooling2D", "Conv2D", "MaxPooling2D"]  # Flatten y Dense se enseñan en 04
    assert [model.get_layer(n).count_params() for n in ("conv1", "conv2")] == [80, 1168]
    assert model.get_layer("pool2").output.shape == (None, 5, 5, 16)


@pytest.mark.frameworks  # la comprobación construye el modelo con Keras
def test_small_model_accepts_the_solution_and_a_list_for_the_shape():
    namespace = {}
    exec(ex.small_model_params.solution_code, namespace)
    answers = [namespace[name] for name in NAMES]
    assert tuple(answers) == CORRECT_ANSWERS
    assert ex.small_model_params.evaluate(*answers).correct
    assert ex.small_model_params.evaluate(80.0, np.int64(1168), 139_392, [5, 5, 16]).correct


def test_small_model_placeholder_is_not_attempted():
    assert ex.small_model_params.evaluate(____, ____, ____, ____).status == "not_attempted"
    assert ex.small_model_params.evaluate(80, 1168, ____, ____).status == "not_attempted"


@pytest.mark.frameworks  # la comprobación construye el modelo con Keras
@pytest.mark.parametrize("answers, expected_texts", [
    ((72, 1152, 139_392, (5, 5, 16)), ["conv1_params: 72", "conv2_params: 1152", "sesgos"]),
    ((80, 160, 139_392, (5, 5, 16)), ["conv2_params: 160", "C_in = 8, no 1"]),
    ((80, 1168, 194_688, (5, 5, 16)), ["conv2_mult_adds: 194688", "entrada de conv2"]),
    ((80, 1168, 17_424, (5, 5, 16)), ["conv2_mult_adds", "8 canales"]),
    ((80, 1168, 141_328, (5, 5, 16)), ["conv2_mult_adds", "el sesgo es una suma"]),
    ((80, 1168, 1168, (5, 5, 16)), ["conv2_mult_adds", "eso son los parámetros"]),
    ((80, 1168, 12_345, (5, 5, 16)), ["conv2_mult_adds", "k·k·C_in"]),
    ((80, 1168, 139_392, (11, 11, 16)), ["pool2_shape", "olvidaste pool2"]),
    ((80, 1168, 139_392, (6, 6, 16)), ["pool2_shape", "redondea hacia abajo"]),
    ((80, 1168, 139_392, (5, 5, 8)), ["pool2_shape", "16 filtros"]),
    ((80, 1168, 139_392, (4, 4, 16)), ["pool2_shape", "capa a capa"]),
    ((80, 1168, 139_392, 400), ["pool2_shape", "tres números"]),
])
def test_small_model_gives_per_answer_feedback(answers, expected_texts):
    feedback = ex.small_model_params.evaluate(*answers)
    assert feedback.status == "incorrect"
    for text in expected_texts:
        assert text in feedback.message
    flagged = {line.split(":")[0] for line in feedback.message.splitlines()} & set(NAMES)
    assert flagged == {name for name, got, good in zip(NAMES, answers, CORRECT_ANSWERS) if got != good}


@pytest.mark.frameworks  # la comprobación construye el modelo con Keras
def test_small_model_non_integer_answers_are_explained():
    feedback = ex.small_model_params.evaluate(80, 1168, 139_392.5, (5, 5, 16))
    assert feedback.status == "incorrect" and "//" in feedback.message
    feedback = ex.small_model_params.evaluate("80", 1168, 139_392, (5.5, 5.5, 16))
    assert feedback.status == "incorrect" and "número entero" in feedback.message
    assert "pool2_shape vale 5.5" in feedback.message


# ---------------------------------------------------------------------------
# Cuestionario
# ---------------------------------------------------------------------------


def test_quiz_accepts_the_solution_and_a_list_for_the_shape():
    assert ex.quiz.evaluate(15, 2, 1792, (32, 32, 32)).correct
    assert ex.quiz.evaluate(15, 2, 1792, [32, 32, 32]).correct
    assert ex.quiz.evaluate(np.int64(15), 2.0, 1792, (32, 32, 32)).correct


def test_quiz_placeholder_is_not_attempted():
    assert ex.quiz.evaluate(____, ____, ____, ____).status == "not_attempted"
    assert ex.quiz.evaluate(15, 2, 1792, ____).status == "not_attempted"


@pytest.mark.parametrize("answers, expected_texts", [
    ((16, 2, 1792, (32, 32, 32)), ["Pregunta 1", "redondeaste hacia arriba"]),
    ((14, 2, 1792, (32, 32, 32)), ["Pregunta 1", "+1"]),
    ((15, 4, 1792, (32, 32, 32)), ["Pregunta 2", "relleno total"]),
    ((15, "same", 1792, (32, 32, 32)), ["Pregunta 2", "'same'"]),
    ((15, 2, 1728, (32, 32, 32)), ["Pregunta 3", "falta el sesgo"]),  # sin decir cuántos
    ((15, 2, 640, (32, 32, 32)), ["Pregunta 3", "3 canales RGB"]),
    ((15, 2, 1792, (32, 32, 16)), ["Pregunta 4", "cada canal por separado"]),
    ((15, 2, 1792, (63, 63, 32)), ["Pregunta 4", "paso 2"]),
    ((15, 2, 1792, 32), ["Pregunta 4", "tres números"]),
])
def test_quiz_explains_each_wrong_question(answers, expected_texts):
    feedback = ex.quiz.evaluate(*answers)
    assert feedback.status == "incorrect"
    for text in expected_texts:
        assert text in feedback.message
    assert "(+" not in feedback.message and "32 canales" not in feedback.message  # ni la respuesta


def test_quiz_reports_every_wrong_question_at_once():
    feedback = ex.quiz.evaluate(16, 4, 1728, (32, 32, 16))
    assert feedback.status == "incorrect"
    assert all(f"Pregunta {i}" in feedback.message for i in (1, 2, 3, 4))
    feedback = ex.quiz.evaluate(15, 2, 1792, (32, 32, 16))
    assert "Pregunta 1" not in feedback.message and "Pregunta 4" in feedback.message


@pytest.mark.parametrize("exercise", [ex.output_size, ex.max_pool_2x2, ex.small_model_params, ex.quiz])
def test_hints_come_in_two_steps_and_neither_is_the_solution(exercise):
    assert len(exercise.hints) == 2
    for line in exercise.solution_code.splitlines():
        key = "".join(line.split("#")[0].split("=", 1)[-1].split())
        if len(key) >= 14:  # una línea con contenido (no «kh, kw = kernel.shape» ni «return output»)
            assert all(key not in "".join(hint.split()) for hint in exercise.hints), line
    quiz_answers = ["15", "1792", "(32, 32, 32)"] if exercise is ex.quiz else []
    assert all(answer not in hint for answer in quiz_answers for hint in exercise.hints)


@pytest.mark.frameworks
@pytest.mark.parametrize("answers", [(80, 1100, 99, (5, 5, 16)), (80, 1168, 139_392, (7, 7, 16)),
                                     (72, 1152, 99, (5, 5, 16))])
def test_small_model_messages_never_print_the_answer(answers):
    feedback = ex.small_model_params.evaluate(*answers)
    assert "(3·3·8 + 1)·16" not in feedback.message and "139392" not in feedback.message
    assert "(+" not in feedback.message  # «olvidaste los sesgos (+8)» daba el número
    assert "(5, 5, 16)" not in feedback.message
