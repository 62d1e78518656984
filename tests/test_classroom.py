"""El aula sin internet: un entorno se instala solo desde la carpeta de ruedas, sin red, y ve la réplica."""
import os
import subprocess
import sys
from pathlib import Path

import numpy
import pytest
from datasets_fixtures import closed_port_url, isolated, point_registry  # noqa: F401

from tools.classroom import MIRROR_PTH, REPLICA, REQUIREMENTS, WHEELS, main
from tools.course import ROOT, build_course_wheel

pytestmark = pytest.mark.integration


def tiny_wheel(tmp_path: Path, wheels: Path) -> None:
    """Rueda de un paquete de una línea (la dependencia «del curso» de la prueba)."""
    source = tmp_path / "aula-pequena"
    source.mkdir()
    (source / "pyproject.toml").write_text('[build-system]\nrequires = ["setuptools"]\n'
                                           'build-backend = "setuptools.build_meta"\n'
                                           '[project]\nname = "aula-pequena"\nversion = "1.0"\n'
                                           '[tool.setuptools]\npy-modules = ["aula_pequena"]\n')
    (source / "aula_pequena.py").write_text("SALUDO = 'hola'\n")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                    "--wheel-dir", str(wheels), str(source)], check=True, cwd=tmp_path)


def offline_environment() -> dict[str, str]:
    """Sin configuración de pip (ni find-links de la máquina), sin CNN_MIRROR y con un índice que no responde."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_") and k != "CNN_MIRROR"}
    return {**env, "PIP_CONFIG_FILE": os.devnull, "PIP_INDEX_URL": "http://127.0.0.1:9", "PYTHONPATH": str(ROOT)}


def run_install(folder: Path, env_dir: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tools.classroom", "install", str(folder), "--venv", str(env_dir)],
                          env=offline_environment(), cwd=env_dir.parent, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def classroom(tmp_path_factory) -> Path:
    """Carpeta del aula pequeña: la rueda del curso, una dependencia, su requirements.txt y una réplica vacía."""
    folder = tmp_path_factory.mktemp("aula")
    wheels = folder / WHEELS
    wheels.mkdir()
    build_course_wheel(wheels)
    tiny_wheel(tmp_path_factory.mktemp("fuente"), wheels)
    (folder / REQUIREMENTS).write_text("aula-pequena==1.0\n")
    (folder / REPLICA).mkdir()
    return folder


def test_install_uses_only_the_wheels_and_points_the_course_at_the_mirror(classroom, tmp_path):
    env_dir = tmp_path / "entorno"
    result = run_install(classroom, env_dir)
    assert result.returncode == 0, result.stderr
    assert f"lee los datos de {(classroom / REPLICA).resolve()}" in result.stdout
    python = env_dir / "bin" / "python"
    # helpers importa numpy: se toma del entorno de las pruebas, detrás de los paquetes del entorno nuevo.
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                          capture_output=True, text=True, check=True).stdout.strip()
    (Path(site) / "numpy_de_las_pruebas.pth").write_text(str(Path(numpy.__file__).parent.parent) + "\n")
    probe = "import aula_pequena, helpers; print(helpers.__file__); print(helpers.mirror_dirs())"
    seen = subprocess.run([str(python), "-c", probe], env={**offline_environment(), "PYTHONPATH": ""},
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert seen.returncode == 0, seen.stderr
    helpers_file, mirrors = seen.stdout.splitlines()
    assert Path(helpers_file).is_relative_to(env_dir)
    assert mirrors == repr([(classroom / REPLICA).resolve()])
    # Una variable CNN_MIRROR definida a mano manda sobre la del aula.
    chosen = subprocess.run([str(python), "-c", "import helpers; print(helpers.mirror_dirs())"],
                            env={**offline_environment(), "PYTHONPATH": "", "CNN_MIRROR": str(tmp_path)},
                            cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert chosen.stdout.strip() == repr([tmp_path])


def test_install_fails_when_a_pinned_package_is_not_in_the_wheels(classroom, tmp_path):
    broken = tmp_path / "aula"
    (broken / WHEELS).mkdir(parents=True)
    for wheel in (classroom / WHEELS).glob("curso_cnn-*.whl"):
        (broken / WHEELS / wheel.name).write_bytes(wheel.read_bytes())
    (broken / REQUIREMENTS).write_text("aula-pequena==1.0\n")
    result = run_install(broken, tmp_path / "entorno")
    assert result.returncode != 0
    assert "aula-pequena" in result.stderr and "127.0.0.1" not in result.stderr
    assert "Error: pip no ha podido instalar el entorno solo con" in result.stderr and "Traceback" not in result.stderr
    assert not list((tmp_path / "entorno").rglob(MIRROR_PTH))


def test_install_refuses_a_folder_that_was_not_prepared(tmp_path, capsys):
    with pytest.raises(SystemExit, match="prepárala con «python -m tools.classroom prepare CARPETA»"):
        main(["install", str(tmp_path), "--venv", str(tmp_path / "entorno")])


def test_prepare_without_connection_explains_what_to_do(isolated, tmp_path, monkeypatch, capsys):
    """Sin conexión con el servidor de los datos: un error en español (sin traza), antes de bajar ruedas."""
    name = "t10k-labels-idx1-ubyte.gz"
    point_registry(monkeypatch, "fashion-mnist", {name: ((closed_port_url(name),), "md5:" + "0" * 32)})
    assert main(["prepare", str(tmp_path / "aula"), "--conjuntos", "fashion-mnist"]) == 1
    captured = capsys.readouterr()
    assert captured.err.startswith(f"Error: No puedo descargar {name} (fashion-mnist)")
    assert f"guárdalo como {tmp_path / 'aula' / REPLICA / 'fashion-mnist' / name}" in captured.err
    assert not (tmp_path / "aula" / WHEELS).exists()


def test_install_runs_before_numpy_is_installed():
    """En el equipo del aula la orden se ejecuta con el Python del sistema, sin los paquetes del curso."""
    without_numpy = ("import runpy, sys; sys.modules['numpy'] = None; sys.argv = ['classroom', 'install', '--help']; "
                     "runpy.run_module('tools.classroom', run_name='__main__')")
    result = subprocess.run([sys.executable, "-c", without_numpy], env={**os.environ, "PYTHONPATH": str(ROOT)},
                            cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("uso: python -m tools.classroom install")
