"""Los tres modos de ``CNN_FAST``: completo, rápido y mínimo (el de las pruebas del curso)."""
import pytest

from helpers.config import fast_mode, pick, smoke_mode


@pytest.mark.parametrize("value, fast, smoke", [
    ("", False, False), ("0", False, False), ("1", True, False), (" Sí ", True, False),
    ("smoke", True, True), ("SMOKE", True, True), ("humo", False, False),
])
def test_each_value_of_cnn_fast_selects_its_mode(monkeypatch, value, fast, smoke):
    monkeypatch.setenv("CNN_FAST", value)
    assert (fast_mode(), smoke_mode()) == (fast, smoke)


@pytest.mark.parametrize("value, expected", [("0", 20), ("1", 3), ("smoke", 1)])
def test_pick_returns_the_value_of_each_level(monkeypatch, value, expected):
    monkeypatch.setenv("CNN_FAST", value)
    assert pick(full=20, fast=3, smoke=1) == expected


@pytest.mark.parametrize("value, expected", [("0", None), ("1", 256), ("smoke", 256)])
def test_without_a_smoke_value_the_minimal_mode_uses_the_fast_one(monkeypatch, value, expected):
    monkeypatch.setenv("CNN_FAST", value)
    assert pick(full=None, fast=256) == expected


def test_a_smoke_value_of_none_is_a_value_not_a_missing_one(monkeypatch):
    monkeypatch.setenv("CNN_FAST", "smoke")
    assert pick(full=60_000, fast=3_000, smoke=None) is None
