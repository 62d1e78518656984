"""Ejercicio del cuaderno 05b: la predicción con aumento (TTA) con reflejos y traslaciones."""
import numpy as np
import pytest

from helpers.exercises import ____
from helpers.exercises import nb05b as ex


def right(model, x, shift=1):
    """Otra forma correcta: bucles y np.flip en lugar de cortes."""
    size = x.shape[1]
    padded = np.pad(x, [(0, 0), (shift, shift), (shift, shift), (0, 0)], mode="reflect")
    views = [x, padded[:, :size, :size], padded[:, 2 * shift:, 2 * shift:]]
    total = 0
    for view in views:
        total = total + model.predict(view) + model.predict(np.flip(view, axis=2))
    return total / 6


def views(model, x, shift, mode="reflect", starts=((0, 0), (2, 2)), flip_axis=2, flips=True):
    """Media de las vistas pedidas: cada test cambia una sola elección del enunciado."""
    size = x.shape[1]
    padded = np.pad(x, ((0, 0), (shift, shift), (shift, shift), (0, 0)), mode=mode)
    chosen = [x] + [padded[:, t * shift:t * shift + size, s * shift:s * shift + size] for t, s in starts]
    predictions = [model.predict(v) for v in chosen]
    if flips:
        predictions += [model.predict(np.flip(v, axis=flip_axis)) for v in chosen]
    return np.mean(predictions, axis=0)


def test_the_reference_and_another_right_answer_pass_and_the_placeholder_is_not_attempted():
    assert ex.predict_with_flips_and_shifts.evaluate(ex.predict_with_flips_and_shifts_reference).correct
    assert ex.predict_with_flips_and_shifts.evaluate(right).correct
    assert ex.predict_with_flips_and_shifts.evaluate(____).status == "not_attempted"
    assert ex.predict_with_flips_and_shifts.evaluate(lambda model, x, shift=1: ____).status == "not_attempted"


@pytest.mark.parametrize("wrong, expected_text", [
    (lambda m, x, shift=1: views(m, x, 1), "argumento shift"),                  # desplazamiento fijo
    (lambda m, x, shift=1: views(m, x, shift, mode="constant"), "reflect"),      # relleno
    (lambda m, x, shift=1: views(m, x, shift, mode="edge"), "edge"),
    (lambda m, x, shift=1: views(m, x, shift, flips=False), "faltan los reflejos"),
    (lambda m, x, shift=1: views(m, x, shift, starts=()), "faltan los desplazamientos"),
    (lambda m, x, shift=1: views(m, x, shift, starts=((0, 0),)), "falta una"),
    (lambda m, x, shift=1: views(m, x, shift, starts=((1, 0), (1, 2))), "horizontal"),
    (lambda m, x, shift=1: views(m, x, shift, flip_axis=1), "vertical"),
    (lambda m, x, shift=1: 6 * right(m, x, shift), "sin dividir"),
    (lambda m, x, shift=1: right(m, x, shift)[:, 0], "forma"),
])
def test_a_wrong_value_for_each_fixed_choice_is_named(wrong, expected_text):
    feedback = ex.predict_with_flips_and_shifts.evaluate(wrong)
    assert feedback.status == "incorrect"
    assert expected_text in feedback.message


def test_a_missing_return_and_a_call_to_the_course_version_are_rejected():
    def no_return(model, x, shift=1):
        right(model, x, shift)

    def borrowed(model, x, shift=1):
        return ex.predict_with_flips_and_shifts_reference(model, x, shift)

    assert "return" in ex.predict_with_flips_and_shifts.evaluate(no_return).message
    feedback = ex.predict_with_flips_and_shifts.evaluate(borrowed)
    assert feedback.status == "incorrect" and "versión del curso" in feedback.message


def test_hints_come_in_two_steps_and_neither_is_the_solution():
    exercise = ex.predict_with_flips_and_shifts
    assert len(exercise.hints) == 2
    lines = ["".join(line.split()) for line in exercise.solution_code.splitlines() if len(line.strip()) > 12]
    for hint in exercise.hints:
        assert not any(line in "".join(hint.split()) for line in lines), hint
