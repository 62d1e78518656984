"""Cada cuaderno del estudiante funciona como en Colab o Kaggle.

Allí el cuaderno está solo en una carpeta vacía (``/content``, ``/kaggle/working``), ``helpers``
se instala con pip como paquete y los datos llegan por los cargadores. Estas pruebas hacen lo
mismo: construyen la rueda (*wheel*) del paquete, la instalan en una carpeta aparte (no en modo
editable) y ejecutan cada cuaderno del estudiante, en modo mínimo, desde su propia carpeta
temporal fuera del repositorio, con esa instalación por delante en ``PYTHONPATH``. La caché de
datos es la de Colab: ``./data`` en la carpeta del cuaderno. Sin red, los archivos oficiales
salen de la réplica ``CNN_MIRROR`` que prepara ``conftest.py`` (y CI).

El modo mínimo (``CNN_FAST=smoke``) ejecuta cada celda con lo justo: el cuaderno del estudiante
solo difiere de su solución en los ejercicios, y la solución ya se ejecuta en modo rápido
(nbval), que es la prueba de que la lección funciona.
"""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from nbclient.exceptions import CellExecutionError

from tools import colab_run, newest
from tools.colab_run import KernelDied, run_alone
from tools.course import NOTEBOOKS, build_course_wheel

pytestmark = pytest.mark.notebook

LEARNER_NOTEBOOKS = sorted(NOTEBOOKS.glob("[0-9][0-9]*.ipynb"))
WHERE_IS_HELPERS = "import helpers, helpers.config\nprint(helpers.__file__)\nprint(helpers.config.data_dir())"


@pytest.fixture(scope="session")
def installed_package(tmp_path_factory) -> Path:
    """Carpeta con ``helpers`` instalado desde la rueda del repositorio (sin dependencias)."""
    wheels = tmp_path_factory.mktemp("rueda")
    wheel = build_course_wheel(wheels)
    target = tmp_path_factory.mktemp("site-packages")
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index",
                    "--target", str(target), str(wheel)], check=True)
    return target


def _colab_like_environment(monkeypatch, site: Path) -> None:
    """Variables del núcleo: el paquete instalado por delante, la caché por defecto (``./data``), el modo
    mínimo y sin ``CNN_STRICT_CHECKS`` (como en Colab: ``None`` antes de un ejercicio es «sin responder»)."""
    monkeypatch.setenv("PYTHONPATH", str(site))
    monkeypatch.delenv("CNN_DATA_DIR", raising=False)
    monkeypatch.delenv("CNN_STRICT_CHECKS", raising=False)
    monkeypatch.setenv("CNN_FAST", "smoke")
    monkeypatch.setenv("CNN_HEADLESS", "1")


def test_the_wheel_carries_the_package_and_not_the_course_files(installed_package):
    assert (installed_package / "helpers" / "__init__.py").is_file()
    assert (installed_package / "helpers" / "datasets" / "registry.py").is_file()
    for course_only in ("solutions", "notebooks", "tests", "tools", "pyproject.toml"):
        assert not (installed_package / course_only).exists()


@pytest.mark.parametrize("notebook", LEARNER_NOTEBOOKS, ids=lambda p: p.name)
def test_learner_notebook_runs_alone_outside_the_repository(notebook, installed_package, tmp_path,
                                                           monkeypatch):
    workdir = tmp_path / "content"
    _colab_like_environment(monkeypatch, installed_package)
    nb = run_alone(notebook, workdir, extra_cells=(WHERE_IS_HELPERS,))
    helpers_file, data_dir = nb.cells[-1].outputs[0]["text"].split()
    assert Path(helpers_file).is_relative_to(installed_package), (
        f"el cuaderno importó helpers de {helpers_file}, no del paquete instalado")
    assert Path(data_dir) == workdir / "data", "la caché de datos no es ./data, como en Colab"


def _notebook(path: Path, *sources: str) -> Path:
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("Prueba."),
                                                   *map(nbformat.v4.new_code_cell, sources)]), path)
    return path


def test_a_kernel_that_aborts_fails_within_seconds_naming_the_cell_and_the_signal(tmp_path):
    """Como TensorFlow 2.21 con triton (issue 31): el núcleo aborta sin traza de Python."""
    notebook = _notebook(tmp_path / "aborta.ipynb", "x = 1", "import os\nos.abort()", "print('nunca')")
    started = time.monotonic()
    expected = r"aborta\.ipynb: el núcleo murió \(señal SIGABRT\) en la celda 2: 'import os'"
    with pytest.raises(KernelDied, match=expected):
        run_alone(notebook, tmp_path / "content", timeout=120)
    assert time.monotonic() - started < 30


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return not Path(f"/proc/{pid}/stat").read_text().split()[2] == "Z"  # un zombi ya terminó


def test_run_alone_shuts_its_kernel_down_whether_the_notebook_passes_or_fails(tmp_path):
    """Cada cuaderno arranca su núcleo (1–2 GB con TensorFlow): ninguno puede quedar vivo al acabar."""
    for name, last in (("bien", "x = 1"), ("falla", "1 / 0")):
        workdir = tmp_path / name
        notebook = _notebook(tmp_path / f"{name}.ipynb", "import os\nopen('pid', 'w').write(str(os.getpid()))", last)
        try:
            run_alone(notebook, workdir, timeout=120)
        except CellExecutionError:
            assert name == "falla"
        pid = int((workdir / "pid").read_text())
        deadline = time.monotonic() + 10
        while _alive(pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not _alive(pid), f"el núcleo de {name}.ipynb sigue vivo"


def test_colab_run_prints_a_table_of_notebooks_and_results(tmp_path, capsys):
    good = _notebook(tmp_path / "bien.ipynb", "print(1 + 1)")
    failing = _notebook(tmp_path / "falla.ipynb", "x = 1", "1 / 0")
    aborting = _notebook(tmp_path / "aborta.ipynb", "import os\nos.abort()")
    assert colab_run.main([str(good), str(failing), str(aborting)]) == 1
    table = capsys.readouterr().out.split("| Cuaderno | Resultado | Tiempo |")[1]
    assert "| bien.ipynb | bien |" in table
    assert "| falla.ipynb | ZeroDivisionError: division by zero |" in table
    assert "| aborta.ipynb | el núcleo murió (señal SIGABRT) en la celda 1: 'import os' |" in table
    assert colab_run.main([str(good)]) == 0


def test_newest_falls_back_to_this_python_and_says_so(monkeypatch, capsys):
    monkeypatch.setattr(newest, "PLATFORM_PYTHON", "python9.99")
    assert newest.platform_python() == sys.executable
    assert "no encuentro python9.99" in capsys.readouterr().out
