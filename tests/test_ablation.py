"""El estudio de ablación de 05 usa las definiciones del cuaderno y sus filas sirven de fuente."""
from __future__ import annotations

import ast
import datetime as dt
import os
from types import SimpleNamespace

import nbformat
import numpy as np
import pytest

from tools import ablation
from tools.ablation import VARIANTS, format_row, notebook_definitions
from tools.bench import HEADER, code_version, find_solution
from tools.figures import measured_rows


def _definitions_tree() -> ast.Module:
    return ast.parse(notebook_definitions(find_solution("05")))


def test_definitions_of_notebook_05_only_define_names():
    tree = _definitions_tree()
    allowed = (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.ClassDef, ast.Assign)
    assert all(isinstance(node, allowed) for node in tree.body)
    names = {node.name for node in tree.body if isinstance(node, (ast.FunctionDef, ast.ClassDef))}
    assert {"train_speedrun", "predict_with_flips_and_shifts", "whitening_kernel"} <= names


def test_every_variant_changes_an_existing_argument_of_train_speedrun():
    train = next(node for node in _definitions_tree().body
                 if isinstance(node, ast.FunctionDef) and node.name == "train_speedrun")
    keywords = {arg.arg for arg in train.args.kwonlyargs}
    for name, changes in VARIANTS.items():
        assert set(changes) <= keywords, f"{name}: {set(changes) - keywords} no es un argumento"
    assert VARIANTS["receta completa"] == {}


def test_calls_and_lowercase_assignments_are_left_out(tmp_path):
    source = "import math\nLIMIT = 2\nmodel = fit()\nfit()\nclass A:\n    pass\n"
    path = tmp_path / "n.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell(source), nbformat.v4.new_code_cell("%load_ext x\nfit()"),
        nbformat.v4.new_markdown_cell("fit()")]), path)
    assert notebook_definitions(path) == "import math\nLIMIT = 2\nclass A:\n    pass"


MEASURED = {"exactitud en validación (sin aumento)": 0.8812,
            "exactitud en validación (con reflejos y traslaciones)": 0.8934, "épocas": 6, "segundos": 421.4}


def test_rows_are_full_mode_measurements_the_prose_can_cite(tmp_path, monkeypatch):
    monkeypatch.setenv("CNN_FAST", "0")
    row = format_row("sin lookahead", MEASURED, dt.date(2026, 11, 30), "AMD EPYC, 2 núcleos", "abc1234")
    assert row.startswith("| 2026-11-30 | 05_cifar10_y_optimizacion (ablación: sin lookahead) | completo |")
    assert row.endswith("| 6 | 7 min 01 s | AMD EPYC, 2 núcleos | abc1234 |\n")
    results = tmp_path / "results.md"
    results.write_text(HEADER + row, encoding="utf-8")
    (measured,) = measured_rows(results, tmp_path / "sin_api.md")
    assert measured.notebook == "05" and measured.ablation
    assert measured.values["percent"] == [88.12, 89.34] and measured.values["time"] == [421]


def test_the_mode_of_a_row_follows_cnn_fast(monkeypatch):
    for setting, mode in (("1", "rápido"), ("smoke", "rápido"), ("0", "completo")):
        monkeypatch.setenv("CNN_FAST", setting)
        assert f" | {mode} | " in format_row("sin lookahead", MEASURED, dt.date.today(), "CPU", "abc1234")


class _Model:
    def predict(self, x, batch_size, verbose):
        return np.eye(2)[x]


def _fake_recipe(stopped_after: int, failing: str | None = None) -> dict:
    """Receta con la interfaz de la del cuaderno 05: entrena al instante y para en ``stopped_after`` épocas."""
    def train_speedrun(x, y, epochs, **changes):
        assert os.environ["CNN_STRICT_CHECKS"] == "1"
        if failing is not None and changes == VARIANTS[failing]:
            raise ValueError("forma inesperada")
        history = SimpleNamespace(history={"loss": [1.0] * min(epochs, stopped_after)})
        return _Model(), history, 1.5

    predict = _Model().predict
    return {"train_speedrun": train_speedrun,
            "predict_with_flips_and_shifts": lambda model, x: predict(x, 1000, 0),
            "ex": SimpleNamespace(predict_with_flip_reference=lambda model, x: predict(x, 1000, 0))}


def _run_main(monkeypatch, recipe: dict, table, *only: str) -> None:
    data = {"x_train": np.array([0, 1]), "y_train": np.array([0, 1]),
            "x_val": np.array([0, 1, 1]), "y_val": np.array([0, 1, 0])}
    monkeypatch.setattr(ablation, "load_recipe", lambda: recipe)
    monkeypatch.setattr(ablation, "load_data", lambda recipe: data)
    monkeypatch.setenv("CNN_FAST", "1")
    monkeypatch.setenv("CNN_STRICT_CHECKS", "0")  # main lo pone a 1; monkeypatch lo restaura después
    ablation.main(["--epochs", "5", "--results", str(table), "--only", *only])


def test_a_run_writes_the_epochs_that_ran_its_mode_and_its_commit(tmp_path, monkeypatch):
    table = tmp_path / "results.md"
    _run_main(monkeypatch, _fake_recipe(stopped_after=3), table, "receta completa", "sin lookahead")
    rows = [line for line in table.read_text().splitlines() if line.startswith("| 20")]
    assert len(rows) == 2
    for row in rows:
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        assert cells[2] == "rápido" and cells[4] == "3" and cells[7] == code_version()
        assert "exactitud en validación (sin aumento): 66.67 %" in cells[3]


def test_a_failing_variant_writes_no_row_and_exits_with_an_error(tmp_path, monkeypatch):
    table = tmp_path / "results.md"
    with pytest.raises(SystemExit, match="«sin lookahead».*ValueError: forma inesperada") as stopped:
        _run_main(monkeypatch, _fake_recipe(stopped_after=5, failing="sin lookahead"), table,
                  "receta completa", "sin lookahead")
    assert "No anoto ninguna fila" in str(stopped.value.code)
    assert not table.exists()
