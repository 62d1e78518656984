"""Ejercicio del cuaderno 00: BATCH_SIZE con helpers.pick, en los dos modos y sin valores escritos a mano."""
import ast

import pytest

from helpers.exercises import ____
from helpers.exercises import nb00 as ex


def assigned(source):
    """La expresión de ``BATCH_SIZE = …`` como la vería el comprobador en el historial del cuaderno."""
    return ast.parse(f"BATCH_SIZE = {source}").body[0].value


@pytest.fixture(params=["0", "1"], ids=["completo", "rápido"])
def mode(request, monkeypatch):
    monkeypatch.setenv("CNN_FAST", request.param)
    return 8 if request.param == "1" else 64


@pytest.mark.parametrize("source", ["helpers.pick(full=64, fast=8)", "helpers.pick(fast=8, full=64)",
                                    "pick(64, 8)"])
def test_pick_with_the_asked_values_passes_in_both_modes(mode, source, monkeypatch):
    monkeypatch.setattr(ex, "notebook_assignment", lambda name: assigned(source))
    assert ex.batch_size.evaluate(mode).correct


def test_without_a_notebook_history_the_value_decides(mode):
    assert ex.batch_size.evaluate(mode).correct
    assert ex.batch_size.evaluate(____).status == "not_attempted"


def test_a_hard_coded_value_is_refused_in_both_modes(mode, monkeypatch):
    monkeypatch.setattr(ex, "notebook_assignment", lambda name: assigned(str(mode)))
    feedback = ex.batch_size.evaluate(mode)
    assert feedback.status == "incorrect" and "no lo eliges con helpers.pick" in feedback.message


@pytest.mark.parametrize("source, value_in", [
    ("helpers.pick(full=64, fast=16)", "fast"),   # el valor del modo rápido
    ("helpers.pick(full=32, fast=8)", "full"),    # el valor del modo completo
])
def test_a_wrong_value_for_either_mode_is_refused(mode, source, value_in, monkeypatch):
    monkeypatch.setattr(ex, "notebook_assignment", lambda name: assigned(source))
    feedback = ex.batch_size.evaluate(mode)
    assert feedback.status == "incorrect"
    assert "el ejercicio pide 64 y 8" in feedback.message or "en este modo debe valer" in feedback.message


def test_swapped_values_and_wrong_types_are_explained(mode):
    swapped = ex.batch_size.evaluate(72 - mode)
    assert swapped.status == "incorrect" and "intercambiaste full y fast" in swapped.message
    for wrong in (float(mode), str(mode), True):
        feedback = ex.batch_size.evaluate(wrong)
        assert feedback.status == "incorrect" and "debe ser un entero" in feedback.message


def test_the_hint_comes_in_two_steps_without_the_solution():
    assert len(ex.batch_size.hints) == 2
    assert all("full=64" not in hint and "fast=8" not in hint for hint in ex.batch_size.hints)
