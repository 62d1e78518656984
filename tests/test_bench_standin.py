"""Mediciones de tiempos con datos sustitutos (make bench NB=08a SUSTITUTOS=1), sin ejecutar un cuaderno.

La fila se llama «NN_… (datos sustitutos: solo tiempos)» y solo lleva tiempos; la réplica de prueba
va delante en CNN_MIRROR con su propia caché; el sitio no publica esas ejecuciones; las cifras y el
tiempo en clase no las toman por la ejecución del cuaderno.
"""
import ast
import datetime as dt
import os
import subprocess
from pathlib import Path

import nbformat
import pytest
from datasets_fixtures import isolated  # noqa: F401

from tools import bench, site
from tools.class_time import last_full_run
from tools.course import ROOT
from tools.standin_data import write_standin_mirror

RESULTS = [
    {"notebook": "08a", "metric": "segundos por época de la CNN pequeña", "value": 41.26, "epochs": 2},
    {"notebook": "08a", "metric": "segundos por época de la cabeza sobre características en caché", "value": 0.31,
     "epochs": 2},
    {"notebook": "08a", "metric": "segundos de calcular las características en caché", "value": 63.0},
    {"notebook": "08a", "metric": "exactitud en prueba (ajuste fino)", "value": 0.031, "epochs": 4},
]


@pytest.fixture
def machine(monkeypatch):
    monkeypatch.setattr(bench, "machine", lambda onednn: "CPU X")


def test_a_standin_row_keeps_only_the_times_and_says_so(machine):
    row = bench.format_row(Path("08a_transferencia.ipynb"), False, 612.0, RESULTS, dt.date(2026, 12, 7), "abc1234",
                           standin=True)
    assert row == ("| 2026-12-07 | 08a_transferencia (datos sustitutos: solo tiempos) | completo | "
                   "segundos por época de la CNN pequeña: 41.26; segundos por época de la cabeza sobre "
                   "características en caché: 0.31; segundos de calcular las características en caché: 63 "
                   "| 2; 2 | 10 min 12 s | CPU X | abc1234 |\n")
    assert "%" not in row   # 0.31 s no es un 31 %
    plain = bench.format_row(Path("08a_transferencia.ipynb"), False, 612.0, RESULTS, dt.date(2026, 12, 7), "abc")
    assert "exactitud en prueba (ajuste fino): 3.10 %" in plain and "sustitutos" not in plain
    with pytest.raises(SystemExit, match="ningún tiempo"):
        bench.format_row(Path("08a_x.ipynb"), False, 1.0, RESULTS[-1:], dt.date.today(), "abc", standin=True)


@pytest.mark.parametrize(("arguments", "epochs"), [([], 2), (["--epocas", "3"], 3)])
def test_bench_with_standins_runs_with_their_environment_and_appends_a_times_row(
        tmp_path, monkeypatch, machine, arguments, epochs):
    asked, ran = [], {}
    solution = tmp_path / "08a_prueba.ipynb"
    solution.write_text('EPOCHS = helpers.pick_epochs(full=5, fast=1)', encoding="utf-8")
    monkeypatch.setattr(bench, "find_solution", lambda number: solution)
    monkeypatch.setattr(bench, "standin_environment", lambda n: asked.append(n) or {"CNN_EPOCHS_MAX": str(n)})

    def fake_run(notebook, fast, timeout, output=None, extra_env=None):
        ran.update(fast=fast, env=extra_env)
        nbformat.write(nbformat.v4.new_notebook(), output)   # su carpeta ya existe
        return 100.0, RESULTS

    monkeypatch.setattr(bench, "run", fake_run)
    table, output = tmp_path / "results.md", tmp_path / "build" / "sustitutos" / "ejecutado_08a.ipynb"
    assert bench.main(["08a", "--sustitutos", *arguments, "--results", str(table), "--output", str(output)]) == 0
    assert asked == [epochs] and ran["env"] == {"CNN_EPOCHS_MAX": str(epochs)} and ran["fast"] is False
    (row,) = [line for line in table.read_text().splitlines() if line.startswith("| 20")]
    assert "| 08a_prueba (datos sustitutos: solo tiempos) | completo | segundos por época" in row
    assert "exactitud" not in row
    assert bench.standin_run(bench.run_record(nbformat.read(output, as_version=4)))


@pytest.mark.parametrize("arguments", [["--epocas", "3"], ["--sustitutos", "--epocas", "0"]])
def test_epochs_are_only_for_standin_runs_and_at_least_one(arguments, capsys):
    with pytest.raises(SystemExit) as stopped:
        bench.main(["08a", *arguments])
    assert stopped.value.code == 2 and "--epocas" in capsys.readouterr().err


def test_standins_are_refused_for_a_notebook_whose_epochs_they_cannot_cap(monkeypatch, capsys):
    monkeypatch.setattr(bench, "standin_environment", lambda n: pytest.fail("no crea la réplica"))
    with pytest.raises(SystemExit) as stopped:
        bench.main(["04", "--sustitutos"])
    assert stopped.value.code == 2 and "pick_epochs" in capsys.readouterr().err


def test_standin_environment_puts_the_standin_first_with_its_own_prepared_cache(isolated, tmp_path, monkeypatch):
    monkeypatch.setattr(bench, "official_size_mirror", write_standin_mirror)  # la pequeña: la prueba es rápida
    monkeypatch.setenv("CNN_MIRROR", "/media/replica")
    env = bench.standin_environment(3, tmp_path / "sustitutos")
    assert env["CNN_MIRROR"].split(os.pathsep) == [str(tmp_path / "sustitutos" / "replica"), "/media/replica"]
    assert env["CNN_EPOCHS_MAX"] == "3" and env["CNN_DATA_DIR"] == str(tmp_path / "sustitutos" / "cache")
    cache = tmp_path / "sustitutos" / "cache"
    assert (cache / "oxford_pets" / "preparado" / "razas").is_dir()   # preparada antes de medir
    assert (cache / "petfaces" / "caras_oxford").is_dir()
    assert not isolated.exists()   # la caché de siempre, intacta
    assert os.environ["CNN_MIRROR"] == "/media/replica" and "CNN_EPOCHS_MAX" not in os.environ


def _executed(path: Path, row: str) -> None:
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")]), path)
    bench.stamp(path, row)


def test_the_site_never_shows_a_standin_run_as_the_notebook_run(tmp_path, monkeypatch):
    solution = tmp_path / "solutions" / "08a_x.ipynb"
    solution.parent.mkdir()
    nbformat.write(nbformat.v4.new_notebook(), solution)
    (tmp_path / "benchmarks").mkdir()
    monkeypatch.setattr(site, "ROOT", tmp_path)
    monkeypatch.setattr(site, "code_version", lambda: "abc1234")
    monkeypatch.setattr(site, "run", lambda *a, **k: pytest.fail("no hace falta ejecutar nada"))
    cache = tmp_path / "cache"
    cache.mkdir()
    key = site.hashlib.sha256(solution.read_bytes() + b"abc1234").hexdigest()[:12]
    fast = bench.table_row(dt.date(2026, 12, 7), "08a_x", True, "—", "—", 9, "CPU", "abc1234")
    _executed(cache / f"08a_x_{key}.ipynb", fast)
    full = tmp_path / "benchmarks" / "ejecutado_08a.ipynb"
    standin = bench.table_row(dt.date(2026, 12, 7), f"08a_x ({bench.STANDIN_LABEL})", False,
                              "segundos por época de la CNN pequeña: 41.26", "2", 300, "CPU", "abc1234")
    _executed(full, standin)
    assert bench.run_record(site.executed(solution, False, cache))["modo"] == "rápido"
    real = bench.table_row(dt.date(2026, 12, 7), "08a_x", False, "exactitud: 80.00 %", "10", 900, "CPU", "abc1234")
    _executed(full, real)
    assert bench.run_record(site.executed(solution, False, cache))["cuaderno"] == "08a_x"


def test_make_bench_with_standins_keeps_the_executed_notebook_out_of_the_site():
    env = {name: value for name, value in os.environ.items() if name not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}

    def command(*variables):
        result = subprocess.run(["make", "-n", "bench", *variables], cwd=ROOT, capture_output=True, text=True,
                                timeout=60, env=env, check=True)
        return result.stdout.splitlines()[-1].split()

    assert command("NB=08a", "SUSTITUTOS=1")[-4:] == ["08a", "--sustitutos", "--output",
                                                       "build/sustitutos/ejecutado_08a.ipynb"]
    assert command("NB=08a", "SUSTITUTOS=1", "EPOCAS=3")[-5:-2] == ["--sustitutos", "--epocas", "3"]
    assert command("NB=04")[-3:] == ["04", "--output", "benchmarks/ejecutado_04.ipynb"]


def _code(number: str) -> ast.Module:
    """El código de las celdas de la solución ``number``, sin las órdenes mágicas de Jupyter."""
    cells = [c.source for c in nbformat.read(bench.find_solution(number), as_version=4).cells if c.cell_type == "code"]
    lines = "\n".join(cells).splitlines()
    return ast.parse("\n".join("pass" if line.lstrip().startswith(("%", "!")) else line for line in lines))


def _calls_and_branch(node: ast.AST, inside_if: bool = False):
    """Pares ``(llamada, ¿dentro de un if?)`` de ``node``."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.Call):
            yield child, inside_if
        yield from _calls_and_branch(child, inside_if or isinstance(child, ast.If))


@pytest.mark.parametrize("number", ["07a", "07b", "08a", "08b"])
def test_pet_notebooks_cap_their_epochs_and_record_their_times_with_any_data(number):
    tree = _code(number)
    epochs = {target.id: ast.unparse(node.value) for node in ast.walk(tree) if isinstance(node, ast.Assign)
              for target in node.targets if isinstance(target, ast.Name) and target.id.endswith("EPOCHS")}
    assert epochs and all(value.startswith("helpers.pick_epochs(") for value in epochs.values()), epochs
    times = [ast.unparse(call.args[1]) for call, inside_if in _calls_and_branch(tree)
             if getattr(call.func, "attr", "") == "record_result" and not inside_if]
    assert times and all(metric.lstrip("f").strip("'\"").startswith("segundos") for metric in times), times


STANDIN_TABLE = """\
| fecha | cuaderno | modo | resultado | épocas | tiempo total | máquina |
|---|---|---|---|---|---|---|
| 2026-12-01 | 08a_x | completo | exactitud en prueba: 88.10 % | 10 | 40 min 00 s | CPU |
| 2026-12-07 | 08a_x (datos sustitutos: solo tiempos) | completo | segundos por época de la CNN pequeña: \
41.26; exactitud puesta a mano: 3.10 % | 2 | 9 min 00 s | CPU |
"""


def test_class_time_ignores_standin_rows(tmp_path):
    table = tmp_path / "results.md"
    table.write_text(STANDIN_TABLE, encoding="utf-8")
    assert last_full_run("08a", table) == 2400
