"""Prueba los cuadernos del estudiante con las versiones más nuevas de los marcos, como las traerá Colab o Kaggle.

Crea (o reutiliza) un entorno aparte con el Python de las plataformas, instala en él lo más nuevo
de PyPI de lo que las plataformas traen preinstalado (TensorFlow, Keras, PyTorch, TensorBoard,
Jupyter), después la rueda del curso con los extras de todos los cuadernos (como su celda de
instalación, que no toca los marcos), imprime las versiones y ejecuta cada cuaderno del estudiante
solo, en una carpeta vacía y en modo rápido, con ``tools.colab_run``. Uso: ``make test-newest``.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from helpers.cli import SpanishParser
from tools.course import NOTEBOOKS, ROOT, build_course_wheel, notebook_extras
from tools.standin_data import add_standin_mirror

#: Lo que Colab y Kaggle traen ya instalado (sin versión: la más nueva del registro).
PLATFORM_PACKAGES = ["tensorflow", "keras", "torch", "torchvision", "tensorboard", "numpy",
                     "ipykernel", "nbclient", "nbformat"]
REPORTED = ["tensorflow", "keras", "torch", "torchvision", "triton", "numpy", "scipy", "protobuf",
            "tensorboard", "setuptools", "onnx", "onnxruntime"]
#: Python de Colab y Kaggle hoy; si no está, el del curso.
PLATFORM_PYTHON = "python3.12"


def platform_python() -> str:
    """Un ``PLATFORM_PYTHON`` que funcione (en el ``PATH`` o entre las versiones de pyenv); si no, este mismo.

    Con pyenv, ``python3.12`` en el ``PATH`` suele ser un *shim* que no arranca si la versión activa es
    otra; por eso se prueban también ``$PYENV_ROOT/versions/3.12*/bin/python3.12``.

    Ejemplo:
        platform_python()  # '/root/.pyenv/versions/3.12.1/bin/python3.12' en las máquinas del curso
    """
    pyenv = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    version = PLATFORM_PYTHON.removeprefix("python")
    candidates = [shutil.which(PLATFORM_PYTHON), *sorted(pyenv.glob(f"versions/{version}*/bin/{PLATFORM_PYTHON}"))]
    for candidate in filter(None, candidates):
        if subprocess.run([candidate, "-c", "import venv, ssl"], capture_output=True).returncode == 0:
            return str(candidate)
    print(f"Aviso: no encuentro {PLATFORM_PYTHON} (el Python de Colab y Kaggle); uso {sys.executable}.")
    return sys.executable


def _pip(venv: Path, *args: str) -> None:
    # Las máquinas del curso limitan torch con un archivo de restricciones global de pip: aquí no.
    # Un valor vacío no lo anula; /dev/null sí.
    env = {**os.environ, "PIP_CONSTRAINT": "/dev/null"}
    subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", *args], check=True, env=env)


def build_environment(venv: Path, python: str) -> None:
    """Crea ``venv`` si falta, con lo más nuevo de los marcos, y le instala la rueda del curso con sus extras."""
    if not (venv / "bin" / "python").exists():
        subprocess.run([python, "-m", "venv", str(venv)], check=True)
    _pip(venv, "--upgrade", "pip")
    _pip(venv, "--upgrade", *PLATFORM_PACKAGES)
    extras = sorted({extra for notebook in NOTEBOOKS.glob("[0-9][0-9]*.ipynb") for extra in notebook_extras(notebook)})
    with tempfile.TemporaryDirectory(prefix="rueda-") as wheels:
        wheel = build_course_wheel(Path(wheels))
        _pip(venv, "--force-reinstall", "--no-deps", str(wheel))
        _pip(venv, f"{wheel}[{','.join(extras)}]")


def report_versions(venv: Path) -> None:
    """Imprime el Python, las versiones de ``REPORTED`` y lo que dice ``pip check``."""
    probe = ("import sys; from importlib import metadata\nprint('Python', sys.version.split()[0])\n"
             f"for name in {REPORTED!r}:\n"
             "    try: print(name, metadata.version(name))\n"
             "    except metadata.PackageNotFoundError: print(name, '(no instalado)')")
    subprocess.run([str(venv / "bin" / "python"), "-c", probe], check=True)
    subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "check"])


def main(argv: list[str] | None = None) -> int:
    parser = SpanishParser(prog="python -m tools.newest", description=__doc__.splitlines()[0])
    parser.add_argument("--venv", type=Path, default=ROOT / ".venv-newest",
                        help="entorno que crear o actualizar (por defecto, .venv-newest)")
    parser.add_argument("--python", default=None, help=f"intérprete del entorno (por defecto, {PLATFORM_PYTHON})")
    parser.add_argument("notebooks", nargs="*", type=Path, help="por defecto, todos los de notebooks/")
    args = parser.parse_args(argv)
    build_environment(args.venv, args.python or platform_python())
    report_versions(args.venv)
    notebooks = args.notebooks or sorted(NOTEBOOKS.glob("[0-9][0-9]*.ipynb"))
    with tempfile.TemporaryDirectory(prefix="replica-de-prueba-") as standin:
        add_standin_mirror(Path(standin))  # Oxford-IIIT Pet (07, 08) si la réplica no lo tiene, como en CI
        # Como en Colab: helpers sale de la rueda instalada, no del repositorio, y los datos van a ./data.
        env = {key: value for key, value in os.environ.items() if key not in {"PYTHONPATH", "CNN_DATA_DIR"}}
        env.update(CNN_FAST="1", CNN_HEADLESS="1")
        return subprocess.run([str(args.venv / "bin" / "python"), "-m", "tools.colab_run", *map(str, notebooks)],
                              cwd=ROOT, env=env).returncode


if __name__ == "__main__":
    sys.exit(main())
