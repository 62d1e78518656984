"""El motor de ejercicios da respuestas claras y nunca una traza de error."""
import pytest

from helpers.exercises import ____, Exercise, Incorrect
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


def test_correct_answer():
    assert DOUBLE.evaluate(lambda n: 2 * n).correct


def test_check_hint_solution_print_spanish(capsys):
    DOUBLE.check(____)
    DOUBLE.hint()
    DOUBLE.solution()
    out = capsys.readouterr().out
    assert "Sin responder" in out and "Pista: Multiplica por 2." in out and "return 2 * n" in out


def test_strict_mode_stops_on_wrong_answers_only(monkeypatch):
    monkeypatch.setenv("CNN_STRICT_CHECKS", "1")
    DOUBLE.check(____)
    DOUBLE.check(lambda n: 2 * n)
    with pytest.raises(AssertionError, match="Doble"):
        DOUBLE.check(lambda n: n)


def test_html_rendering_escapes_text():
    from helpers.exercises.core import _Message
    assert "&lt;b&gt;" in _Message("incorrect", "<b>")._repr_html_()
