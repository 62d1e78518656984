"""Ejercicios del cuaderno 09: respuestas correctas, marcador y errores típicos."""
import pytest

from helpers.exercises import ____
from helpers.exercises import nb09 as ex


def test_quizzes_accept_only_the_right_letter():
    for exercise, right in [(ex.safe_loading, "b"), (ex.browser_format, "c")]:
        assert exercise.evaluate(right).correct
        assert exercise.evaluate(____).status == "not_attempted"
        wrong = [letter for letter in "abcd" if letter != right]
        assert all(exercise.evaluate(letter).status == "incorrect" for letter in wrong)


def test_top_class_finds_the_most_probable_not_the_first():
    assert ex.top_class.evaluate(lambda a: max(a["predicciones"], key=lambda p: p["probabilidad"])["clase"]).correct
    first = ex.top_class.evaluate(lambda a: a["predicciones"][0]["clase"])
    assert first.status == "incorrect" and "búscala" in first.message
    whole = ex.top_class.evaluate(lambda a: max(a["predicciones"], key=lambda p: p["probabilidad"]))
    assert whole.status == "incorrect" and "nombre" in whole.message
    assert ex.top_class.evaluate(____).status == "not_attempted"


@pytest.mark.parametrize("broken", [lambda a: a["prediccion"], lambda a: 1 / 0])
def test_top_class_reports_errors_in_the_function(broken):
    assert ex.top_class.evaluate(broken).status == "incorrect"
