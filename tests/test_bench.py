"""La medición de cuadernos (make bench) y el registro de resultados de cada cuaderno."""
import ast
import datetime as dt
import json
import os
import subprocess
import sys

import nbformat
import pytest

from helpers.results import record_result
from tools import bench
from tools.course import solution_notebooks

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


def test_format_row_and_append(tmp_path, monkeypatch):
    monkeypatch.setattr(bench, "machine", lambda onednn: f"CPU X, oneDNN {onednn}")
    results = [{"metric": "exactitud en test", "value": 0.9281, "epochs": 10, "onednn": True},
               {"metric": "segundos", "value": 12.5, "onednn": None}]
    row = bench.format_row(tmp_path / "04_x.ipynb", False, 301.4, results, dt.date(2026, 11, 24), "abc1234")
    assert row == ("| 2026-11-24 | 04_x | completo | exactitud en test: 92.81 %; segundos: 12.5 | 10 "
                   "| 5 min 01 s | CPU X, oneDNN True | abc1234 |\n")
    table = tmp_path / "results.md"
    bench.append_row(row, table)
    bench.append_row(row, table)
    text = table.read_text()
    assert text.startswith("# Mediciones") and text.count(row) == 2
    header = next(line for line in text.splitlines() if line.startswith("| fecha"))
    assert header == "| fecha | cuaderno | modo | resultado | épocas | tiempo total | máquina | código |"
    assert row.count("|") == header.count("|")
    with pytest.raises(SystemExit, match="record_result"):
        bench.format_row(tmp_path / "04_x.ipynb", False, 1.0, [], dt.date.today(), "abc1234")


CPUINFO = """processor\t: 0
model name\t: AMD EPYC
flags\t\t: fpu sse sse2 ssse3 sse4_1 sse4_2 avx avx2 avx512f avx512dq avx512_vnni
"""


def test_vector_extension_is_the_widest_in_cpuinfo_flags():
    assert bench.vector_extension(CPUINFO) == "AVX-512"
    assert bench.vector_extension(CPUINFO.replace(" avx512f avx512dq avx512_vnni", "")) == "AVX2"
    assert bench.vector_extension(CPUINFO.replace(" avx avx2 avx512f", "")) == "SSE4.2"
    assert bench.vector_extension("processor\t: 0\n") == "—"


def test_machine_names_cpu_cores_memory_vector_extension_and_onednn(tmp_path):
    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text(CPUINFO)
    described = bench.machine(True, cpuinfo)
    assert described.startswith("AMD EPYC, ") and " núcleos, " in described and " GiB, " in described
    assert described.endswith(", AVX-512, oneDNN activado")
    assert bench.machine(False, cpuinfo).endswith(", AVX-512, oneDNN desactivado")
    assert bench.machine(None, cpuinfo).endswith(", AVX-512, oneDNN —")


def _git(repository, *args):
    return subprocess.run(["git", "-C", str(repository), *args], check=True, capture_output=True,
                          text=True).stdout.strip()


def test_code_version_is_the_short_commit_marked_when_tracked_code_changed(tmp_path):
    _git(tmp_path, "init", "-q")
    (tmp_path / "helpers.py").write_text("x = 1\n")
    (tmp_path / "benchmarks").mkdir()
    (tmp_path / "benchmarks" / "results.md").write_text("| fecha |\n")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "-c", "user.name=Prueba", "-c", "user.email=p@example.org", "commit", "-q", "-m", "uno")
    commit = _git(tmp_path, "rev-parse", "--short", "HEAD")
    assert bench.code_version(tmp_path) == commit
    (tmp_path / "benchmarks" / "results.md").write_text("| fecha |\n| fila |\n")  # lo escribe la medición
    (tmp_path / "nuevo.txt").write_text("sin versionar\n")
    assert bench.code_version(tmp_path) == commit
    (tmp_path / "helpers.py").write_text("x = 2\n")
    assert bench.code_version(tmp_path) == f"{commit} con cambios sin confirmar"
    assert bench.code_version(tmp_path / "benchmarks" / "no-existe") == "sin git"


@pytest.mark.frameworks
@pytest.mark.parametrize(("setting", "expected"), [("0", False), ("1", True)])
def test_record_result_notes_whether_tensorflow_used_onednn(tmp_path, setting, expected):
    target = tmp_path / "r.json"
    code = ("from helpers.results import record_result\n"
            "record_result('99', 'sin TensorFlow', 0.5)\n"
            "import tensorflow\n"
            "record_result('99', 'con TensorFlow', 0.5)\n")
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                   env={**os.environ, "CNN_RESULTS_FILE": str(target), "TF_ENABLE_ONEDNN_OPTS": setting})
    assert [r["onednn"] for r in json.loads(target.read_text())] == [None, expected]


def test_solutions_record_the_epochs_that_ran_not_a_constant():
    """``epochs=`` de ``record_result`` sale de lo que corrió (``len(history…)``), no de ``EPOCHS``."""
    calls = []
    for notebook in solution_notebooks():
        for cell in nbformat.read(notebook, as_version=4).cells:
            if cell.cell_type == "code" and "record_result" in cell.source:
                calls += [(notebook.name, node) for node in ast.walk(ast.parse(cell.source))
                          if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "record_result"]
    assert len(calls) > 10
    for name, call in calls:
        for keyword in call.keywords:
            if keyword.arg == "epochs":
                constants = [n.id for n in ast.walk(keyword.value) if isinstance(n, ast.Name) and n.id.isupper()]
                assert not constants, f"{name}: epochs={ast.unparse(keyword.value)} es una constante"


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
                        "onednn": None, "epochs": 2}]
    assert bench.find_solution("99", tmp_path) == path
    with pytest.raises(SystemExit):
        bench.find_solution("98", tmp_path)


RECORD = "import helpers\nhelpers.record_result('99', 'exactitud', 0.5, epochs=2)"
FAILING_CHECK = ("from helpers.exercises import Exercise, Incorrect\n"
                 "def corners(n):\n"
                 "    if n != 4:\n"
                 "        raise Incorrect('cuenta otra vez las esquinas')\n"
                 "Exercise('Esquinas de un cuadrado', corners, hint='', solution='').check(3)")


@pytest.mark.parametrize(("bad_cell", "message"), [
    (FAILING_CHECK, r"comprobación no pasa en la celda de código 2 \(«from helpers.exercises.*"
                    r"Esquinas de un cuadrado: cuenta otra vez"),
    ("x = 1 / 0", r"la celda falló en la celda de código 2 \(«x = 1 / 0»\): ZeroDivisionError"),
], ids=["comprobación", "error"])
def test_a_failing_check_or_cell_writes_no_row_and_exits_with_an_error(tmp_path, monkeypatch, bad_cell,
                                                                        message):
    path = tmp_path / "99_prueba.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import helpers"),
                                                   nbformat.v4.new_code_cell(bad_cell),
                                                   nbformat.v4.new_code_cell(RECORD)]), path)
    monkeypatch.setattr(bench, "find_solution", lambda number: path)
    monkeypatch.delenv("CNN_STRICT_CHECKS", raising=False)  # la medición lo activa por su cuenta
    table = tmp_path / "results.md"
    with pytest.raises(SystemExit, match=message) as stopped:
        bench.main(["99", "--fast", "--results", str(table)])
    assert "No anoto ninguna fila" in str(stopped.value.code)
    assert not table.exists()


def test_a_run_that_passes_writes_one_row_with_its_commit(tmp_path, monkeypatch):
    path = tmp_path / "99_prueba.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "import os\nassert os.environ['CNN_STRICT_CHECKS'] == '1'\n" + RECORD)]), path)
    monkeypatch.setattr(bench, "find_solution", lambda number: path)
    table = tmp_path / "results.md"
    assert bench.main(["99", "--fast", "--results", str(table)]) == 0
    (row,) = [line for line in table.read_text().splitlines() if line.startswith("| 20")]
    assert row.endswith(f"| 99_prueba | rápido | exactitud: 50.00 % | 2 | {row.split(' | ')[5]} | "
                        f"{bench.machine(None)} | {bench.code_version()} |")
