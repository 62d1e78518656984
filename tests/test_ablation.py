"""El estudio de ablación de 05b usa las definiciones del cuaderno y sus filas sirven de fuente."""
from __future__ import annotations

import ast
import datetime as dt
import os
from types import SimpleNamespace

import nbformat
import numpy as np
import pytest

from tools import ablation
from tools.ablation import VARIANTS, format_row, notebook_definitions, summarize
from tools.bench import HEADER, code_version, find_solution
from tools.figures import measured_rows


def _definitions_tree() -> ast.Module:
    return ast.parse(notebook_definitions(find_solution("05b")))


def test_definitions_of_notebook_05b_only_define_names():
    tree = _definitions_tree()
    allowed = (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.ClassDef, ast.Assign)
    assert all(isinstance(node, allowed) for node in tree.body)
    names = {node.name for node in tree.body if isinstance(node, (ast.FunctionDef, ast.ClassDef))}
    assert {"train_speedrun", "predict_with_flips_and_shifts", "whitening_kernel"} <= names


def test_every_variant_changes_an_existing_argument_of_train_speedrun():
    train = next(node for node in _definitions_tree().body
                 if isinstance(node, ast.FunctionDef) and node.name == "train_speedrun")
    keywords = {arg.arg for arg in train.args.kwonlyargs}
    assert "seed" in keywords
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
    assert row.startswith("| 2026-11-30 | 05b_contrarreloj_cifar10 (ablación: sin lookahead) | completo |")
    assert row.endswith("| 6 | 7 min 01 s | AMD EPYC, 2 núcleos | abc1234 |\n")
    results = tmp_path / "results.md"
    results.write_text(HEADER + row, encoding="utf-8")
    (measured,) = measured_rows(results, tmp_path / "sin_api.md")
    assert measured.notebook == "05b" and measured.ablation
    assert measured.values["percent"] == [88.12, 89.34] and measured.values["time"] == [421]


def test_the_mode_of_a_row_follows_cnn_fast(monkeypatch):
    for setting, mode in (("1", "rápido"), ("smoke", "rápido"), ("0", "completo")):
        monkeypatch.setenv("CNN_FAST", setting)
        assert f" | {mode} | " in format_row("sin lookahead", MEASURED, dt.date.today(), "CPU", "abc1234")


class _Model:
    """Predice la clase de cada muestra (x) y se equivoca en las ``wrong`` primeras."""

    def __init__(self, wrong: int = 0):
        self.wrong = wrong

    def predict(self, x, batch_size=1000, verbose=0):
        labels = np.array(x)
        labels[:self.wrong] = 1 - labels[:self.wrong]
        return np.eye(2)[labels]


def _fake_recipe(stopped_after: int, failing: str | None = None, seeds: list | None = None) -> dict:
    """Receta con la interfaz de la del cuaderno 05b: entrena al instante y para en ``stopped_after``
    épocas; la semilla 43 da un modelo que falla una muestra más (para ver la dispersión)."""
    def train_speedrun(x, y, epochs, seed=42, **changes):
        assert os.environ["CNN_STRICT_CHECKS"] == "1"
        if seeds is not None:
            seeds.append(seed)
        if failing is not None and changes == VARIANTS[failing]:
            raise ValueError("forma inesperada")
        history = SimpleNamespace(history={"loss": [1.0] * min(epochs, stopped_after)})
        return _Model(wrong=int(seed == 43)), history, 1.5 + seed - 42

    return {"train_speedrun": train_speedrun,
            "predict_with_flips_and_shifts": lambda model, x: model.predict(x),
            "nb05": SimpleNamespace(predict_with_flip_reference=lambda model, x: model.predict(x))}


def _run_main(monkeypatch, recipe: dict, table, *only: str, seeds: int = 1) -> None:
    data = {"x_train": np.array([0, 1]), "y_train": np.array([0, 1]),
            "x_val": np.array([0, 1, 0, 1]), "y_val": np.array([0, 1, 0, 0])}
    monkeypatch.setattr(ablation, "load_recipe", lambda: recipe)
    monkeypatch.setattr(ablation, "load_data", lambda recipe: data)
    monkeypatch.setenv("CNN_FAST", "1")
    monkeypatch.setenv("CNN_STRICT_CHECKS", "0")  # main lo pone a 1; monkeypatch lo restaura después
    ablation.main(["--epochs", "5", "--seeds", str(seeds), "--results", str(table), "--only", *only])


def test_a_run_writes_the_epochs_that_ran_its_mode_and_its_commit(tmp_path, monkeypatch):
    table = tmp_path / "results.md"
    _run_main(monkeypatch, _fake_recipe(stopped_after=3), table, "receta completa", "sin lookahead")
    rows = [line for line in table.read_text().splitlines() if line.startswith("| 20")]
    assert len(rows) == 2
    for row in rows:
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        assert cells[2] == "rápido" and cells[4] == "3" and cells[7] == code_version()
        assert "exactitud en validación (sin aumento): 75.00 %" in cells[3]


def test_a_failing_variant_writes_no_row_and_exits_with_an_error(tmp_path, monkeypatch):
    table = tmp_path / "results.md"
    with pytest.raises(SystemExit, match="«sin lookahead».*ValueError: forma inesperada") as stopped:
        _run_main(monkeypatch, _fake_recipe(stopped_after=5, failing="sin lookahead"), table,
                  "receta completa", "sin lookahead")
    assert "No anoto ninguna fila" in str(stopped.value.code)
    assert not table.exists()


def test_with_seeds_each_variant_trains_once_per_seed_and_its_row_gives_mean_and_spread(tmp_path, monkeypatch):
    table, seeds = tmp_path / "results.md", []
    _run_main(monkeypatch, _fake_recipe(stopped_after=5, seeds=seeds), table, "receta completa", "sin lookahead",
              seeds=3)
    assert seeds == [42, 43, 44, 42, 43, 44]
    rows = [line for line in table.read_text().splitlines() if line.startswith("| 20")]
    assert len(rows) == 2
    for row in rows:
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        # Las semillas 42 y 44 aciertan 3 de 4; la 43, 2 de 4: media 2/3 y desviación muestral √(1/48).
        assert "exactitud en validación (sin aumento) (media de 3 semillas): 66.67 %" in cells[3]
        assert "exactitud en validación (sin aumento) (desviación entre semillas): 14.43 %" in cells[3]
        assert cells[4] == "5" and cells[5] == "0 min 02 s"   # segundos: media de 1,5, 2,5 y 3,5


def test_summarize_gives_the_mean_and_sample_spread_and_leaves_one_run_as_is():
    runs = [{"exactitud": value, "épocas": 4, "segundos": 10.0} for value in (0.70, 0.74, 0.78)]
    summary = summarize(runs)
    assert summary["exactitud (media de 3 semillas)"] == pytest.approx(0.74)
    assert summary["exactitud (desviación entre semillas)"] == pytest.approx(0.04)
    assert summary["épocas"] == 4 and summary["segundos"] == 10.0
    assert summarize(runs[:1]) == runs[0]


def test_zero_seeds_is_refused(tmp_path, monkeypatch):
    with pytest.raises(SystemExit):
        _run_main(monkeypatch, _fake_recipe(stopped_after=5), tmp_path / "results.md", "receta completa", seeds=0)
