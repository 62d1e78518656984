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

import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from jupyter_client import KernelManager
from nbclient import NotebookClient

from tools.course import NOTEBOOKS, ROOT

pytestmark = pytest.mark.notebook

LEARNER_NOTEBOOKS = sorted(NOTEBOOKS.glob("[0-9][0-9]*.ipynb"))
CELL_TIMEOUT = 900
WHERE_IS_HELPERS = "import helpers, helpers.config\nprint(helpers.__file__)\nprint(helpers.config.data_dir())"


@pytest.fixture(scope="session")
def installed_package(tmp_path_factory) -> Path:
    """Carpeta con ``helpers`` instalado desde la rueda del repositorio (sin dependencias)."""
    wheels = tmp_path_factory.mktemp("rueda")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                    "--wheel-dir", str(wheels), str(ROOT)], check=True)
    (wheel,) = wheels.glob("curso_cnn-*.whl")
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
    workdir.mkdir()
    shutil.copy(notebook, workdir / notebook.name)
    _colab_like_environment(monkeypatch, installed_package)
    nb = nbformat.read(workdir / notebook.name, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(WHERE_IS_HELPERS))
    # IPC en lugar de puertos TCP: dos kernels que arrancan a la vez no pueden quitarse los puertos.
    kernel = KernelManager(kernel_name="python3", transport="ipc", ip=str(tmp_path / "kernel"))
    NotebookClient(nb, km=kernel, timeout=CELL_TIMEOUT,
                   resources={"metadata": {"path": str(workdir)}}).execute()
    helpers_file, data_dir = nb.cells[-1].outputs[0]["text"].split()
    assert Path(helpers_file).is_relative_to(installed_package), (
        f"el cuaderno importó helpers de {helpers_file}, no del paquete instalado")
    assert Path(data_dir) == workdir / "data", "la caché de datos no es ./data, como en Colab"
