"""Los tres modos de ``CNN_FAST``: completo, rápido y mínimo (el de las pruebas del curso)."""
import pytest

from helpers.config import fast_mode, pick, pick_epochs, smoke_mode


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


@pytest.mark.parametrize("mode, limit, expected", [
    ("0", "", 10), ("0", "2", 2), ("0", "10", 10), ("0", "50", 10), ("1", "2", 1), ("smoke", "", 1),
])
def test_pick_epochs_is_pick_limited_by_cnn_epochs_max(monkeypatch, capsys, mode, limit, expected):
    monkeypatch.setenv("CNN_FAST", mode)
    monkeypatch.setenv("CNN_EPOCHS_MAX", limit)
    assert pick_epochs(full=10, fast=3 if mode == "smoke" else 1, smoke=1) == expected
    said = capsys.readouterr().out
    assert ("CNN_EPOCHS_MAX" in said) == (expected < 10 and mode == "0")


@pytest.mark.parametrize("limit", ["0", "dos", "-1", "2.5"])
def test_a_wrong_epoch_limit_is_an_error_that_names_the_variable(monkeypatch, limit):
    monkeypatch.setenv("CNN_EPOCHS_MAX", limit)
    with pytest.raises(ValueError, match="CNN_EPOCHS_MAX"):
        pick_epochs(full=10, fast=1)
