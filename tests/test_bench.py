"""La medición de cuadernos (make bench) y el registro de resultados de cada cuaderno."""
import datetime as dt
import json

import nbformat
import pytest

from helpers.results import record_result
from tools import bench

pytestmark = pytest.mark.integration  # ejecuta cuadernos con nbclient


def test_record_result_prints_and_saves_only_when_asked(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("CNN_RESULTS_FILE", raising=False)
    record_result("04", "exactitud en test", 0.9312, epochs=10)
    assert "Cuaderno 04 · exactitud en test: 93.12 % (épocas: 10)" in capsys.readouterr().out
    target = tmp_path / "r.json"
    monkeypatch.setenv("CNN_RESULTS_FILE", str(target))
    record_result("05", "exactitud en test", 0.8, epochs=3)
    record_result("05", "exactitud en test (TTA)", 0.81)
    saved = json.loads(target.read_text())
    assert [r["metric"] for r in saved] == ["exactitud en test", "exactitud en test (TTA)"]
    assert saved[0]["epochs"] == 3 and saved[0]["value"] == 0.8


def test_format_row_and_append(tmp_path):
    results = [{"metric": "exactitud en test", "value": 0.9281, "epochs": 10}]
    row = bench.format_row(tmp_path / "04_x.ipynb", False, 301.4, results, dt.date(2026, 11, 24), "CPU X")
    assert row == "| 2026-11-24 | 04_x | completo | exactitud en test: 92.81 % | 10 | 5 min 01 s | CPU X |\n"
    table = tmp_path / "results.md"
    bench.append_row(row, table)
    bench.append_row(row, table)
    text = table.read_text()
    assert text.startswith("# Mediciones") and text.count(row) == 2
    with pytest.raises(SystemExit, match="record_result"):
        bench.format_row(tmp_path / "04_x.ipynb", False, 1.0, [], dt.date.today(), "CPU X")


def test_bench_runs_a_notebook_and_collects_its_result(tmp_path, monkeypatch):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "import os, helpers\n"
        "assert os.environ['CNN_HEADLESS'] == '1' and not helpers.interactive()\n"
        "helpers.record_result('99', 'exactitud', 0.5 if helpers.fast_mode() else 0.25, epochs=2)")])
    path = tmp_path / "99_prueba.ipynb"
    nbformat.write(nb, path)
    executed = tmp_path / "ejecutado.ipynb"
    seconds, results = bench.run(path, fast=False, timeout=120, output=executed)
    assert seconds > 0
    assert "Cuaderno 99 · exactitud: 25.00 %" in nbformat.read(executed, as_version=4).cells[0].outputs[0].text
    assert results == [{"notebook": "99", "metric": "exactitud", "value": 0.25, "fast_mode": False,
                        "epochs": 2}]
    assert bench.find_solution("99", tmp_path) == path
    with pytest.raises(SystemExit):
        bench.find_solution("98", tmp_path)
