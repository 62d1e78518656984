"""Cada orden del curso responde a ``--help`` con su uso en español y rechaza con claridad lo que falta."""
import os
import subprocess
import sys

import pytest

from helpers.cli import SpanishParser
from tools.course import ROOT

# Orden → ¿tiene argumentos obligatorios?
COMMANDS = {
    "tools.ablation": True, "tools.api_load": True, "tools.bench": True, "tools.colab_run": True,
    "tools.standin_data": True, "helpers.datasets": True, "helpers.serving": True,
    "helpers.serving.webpage": True, "tools.newest": False, "tools.figures": False,
    "tools.make_learner_notebooks": False, "tools.sync_links": False, "tools.record_op_events": False,
    "tools.class_time": False, "tools.class_report": True, "tools.classroom": True,
    "tools.site": False,
}


def run(*args: str, cwd=ROOT) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=120)


def notebook_times() -> dict:
    return {path: path.stat().st_mtime_ns for path in [*ROOT.glob("notebooks/*.ipynb"), ROOT / "README.md"]}


@pytest.mark.parametrize("module", COMMANDS)
def test_help_prints_a_spanish_usage_line_and_changes_nothing(module):
    before = notebook_times()
    result = run(module, "--help")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"uso: python -m {module} [-h]")
    assert "muestra esta ayuda y termina" in result.stdout and "usage" not in result.stdout
    assert notebook_times() == before


@pytest.mark.parametrize("module", [m for m, required in COMMANDS.items() if required])
def test_missing_arguments_are_refused_in_spanish(module):
    result = run(module)
    assert result.returncode == 2
    assert result.stderr.startswith(f"uso: python -m {module}")
    assert "error: faltan argumentos obligatorios:" in result.stderr


def test_unknown_options_and_bad_values_are_explained_in_spanish(capsys):
    parser = SpanishParser(prog="orden")
    parser.add_argument("--epochs", type=int, required=True)
    parser.add_argument("--only", choices=["a", "b"])
    for argv, message in [(["--epochs"], "al argumento --epochs le falta su valor"),
                          (["--epochs", "seis"], "'seis' no es un valor int válido"),
                          (["--epochs", "6", "--only", "c"], "'c' no es válido (elige entre 'a', 'b')"),
                          (["--epochs", "6", "--chek"], "argumentos que no conozco: --chek")]:
        with pytest.raises(SystemExit) as stop:
            parser.parse_args(argv)
        assert stop.value.code == 2
        assert message in capsys.readouterr().err


def test_make_learner_notebooks_refuses_a_solution_that_does_not_exist():
    before = notebook_times()
    result = run("tools.make_learner_notebooks", "solutions/99_no_existe.ipynb")
    assert result.returncode == 2 and "no existe: solutions/99_no_existe.ipynb" in result.stderr
    assert notebook_times() == before


@pytest.mark.parametrize("target, variable, given", [("bench", "NB", "04"), ("ablation", "EPOCHS", "6"),
                                                      ("bench-api", "MODEL", "modelo.onnx"),
                                                      ("classroom", "DIR", "/media/usb/aula"),
                                                      ("report", "DIR", "entregas")])
def test_make_targets_refuse_a_missing_argument_before_installing_anything(target, variable, given):
    # Sin las variables del make que ejecuta las pruebas: con ellas, el make hijo imprime
    # «make[1]: Entering directory…» (como un make recursivo) y la salida ya no está vacía.
    env = {name: value for name, value in os.environ.items() if name not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
    missing = subprocess.run(["make", "-n", target], cwd=ROOT, capture_output=True, text=True, timeout=60, env=env)
    assert missing.returncode != 0
    assert f"Falta {variable}, el argumento de «make {target}»" in missing.stderr
    assert missing.stdout == ""   # ni siquiera la instalación del entorno
    given_run = subprocess.run(["make", "-n", target, f"{variable}={given}"], cwd=ROOT, capture_output=True,
                               text=True, timeout=60, env=env)
    assert given_run.returncode == 0 and given in given_run.stdout.splitlines()[-1]
