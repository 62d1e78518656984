"""El estudio de ablación de 05 usa las definiciones del cuaderno y sus filas sirven de fuente."""
from __future__ import annotations

import ast
import datetime as dt

import nbformat

from tools.ablation import VARIANTS, format_row, notebook_definitions
from tools.bench import find_solution
from tools.figures import measured_values


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


def test_rows_are_full_mode_measurements_the_prose_can_cite(tmp_path):
    measured = {"exactitud en validación (sin aumento)": 0.8812,
                "exactitud en validación (con reflejos y traslaciones)": 0.8934, "segundos": 421.4}
    row = format_row("sin lookahead", measured, 6, dt.date(2026, 11, 30), "AMD EPYC, 2 núcleos")
    assert row.startswith("| 2026-11-30 | 05_cifar10_y_optimizacion (ablación: sin lookahead) | completo |")
    results = tmp_path / "results.md"
    results.write_text(row, encoding="utf-8")
    values = measured_values(results)
    for expected in (0.8812, 0.8934):
        assert any(abs(value - expected) < 1e-9 for value in values["percent"])
    assert {421, 421 / 6} <= values["time"]
