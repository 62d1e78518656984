"""Lo que instala pip en Colab o Kaggle basta para cada cuaderno y no pelea con la plataforma.

Cada cuaderno instala ``curso-cnn[extras]`` con los extras de ``[tool.curso-cnn.notebook-extras]``
(pyproject.toml). Estas pruebas comprueban que todo lo que importa un cuaderno, y todo lo que
importa ``helpers``, está en las dependencias del paquete o en esos extras; que las dependencias
no limitan numpy, TensorFlow, PyTorch, TensorBoard ni setuptools (los trae la plataforma), y que el entorno
fijado del curso (requirements.txt) cumple los rangos de los extras.
"""
from __future__ import annotations

import ast
import re
import sys

import nbformat
import pytest
import tomllib
from packaging.requirements import Requirement

from tools.course import ROOT, notebook_extras, solution_notebooks

PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
#: Módulos cuyo paquete de pip tiene otro nombre.
DISTRIBUTION = {"PIL": "pillow", "skimage": "scikit-image", "multipart": "python-multipart",
                "google": "protobuf"}
#: Lo que trae Jupyter (el cuaderno ya se está ejecutando en él).
JUPYTER = {"IPython", "ipykernel", "nbformat"}
#: Lo que la plataforma ya trae y los extras no deben cambiar (setuptools: issue 31, 84 → 81 en un Colab nuevo).
PLATFORM_PACKAGES = {"numpy", "tensorflow", "keras", "torch", "torchvision", "tensorboard", "setuptools"}
#: Paquetes que llegan con otro declarado (starlette y pydantic con fastapi, urllib3 con requests).
INSTALLED_WITH = {"starlette": "fastapi", "pydantic": "fastapi", "urllib3": "requests"}


def _names(requirements: list[str]) -> set[str]:
    return {Requirement(r).name.lower() for r in requirements}


def _third_party_imports(source: str) -> set[str]:
    """Paquetes de terceros que importa un código (sin la biblioteca estándar ni ``helpers``)."""
    modules = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules.add(node.module.split(".")[0])
    return {m for m in modules if m not in sys.stdlib_module_names and m not in JUPYTER
            and m not in {"helpers", "__future__"}}


def _distributions(modules: set[str]) -> set[str]:
    return {DISTRIBUTION.get(m, m).lower().replace("_", "-") for m in modules}


def _notebook_code(path) -> str:
    cells = nbformat.read(path, as_version=4).cells
    code = "\n".join(c.source for c in cells if c.cell_type == "code")
    return re.sub(r"^(\s*)[%!].*$", r"\1pass", code, flags=re.M)  # órdenes mágicas de IPython


@pytest.mark.parametrize("notebook", solution_notebooks(), ids=lambda p: p.name)
def test_each_notebook_installs_what_it_imports(notebook):
    extras = notebook_extras(notebook)
    unknown = set(extras) - set(PROJECT["optional-dependencies"])
    assert not unknown, f"extras que pyproject.toml no define: {unknown}"
    available = _names(PROJECT["dependencies"]).union(
        *(_names(PROJECT["optional-dependencies"][extra]) for extra in extras))
    missing = _distributions(_third_party_imports(_notebook_code(notebook))) - available
    assert not missing, f"{notebook.name} importa {missing}, que su celda de Colab no instala"


def test_helpers_imports_only_declared_packages():
    declared = _names(PROJECT["dependencies"]).union(
        *(_names(reqs) for reqs in PROJECT["optional-dependencies"].values()))
    used = set()
    for module in (ROOT / "helpers").rglob("*.py"):
        used |= _third_party_imports(module.read_text(encoding="utf-8"))
    missing = {INSTALLED_WITH.get(d, d) for d in _distributions(used)} - declared
    assert not missing, f"helpers importa paquetes que pyproject.toml no declara: {missing}"


def test_package_dependencies_do_not_cap_what_the_platform_ships():
    for requirement in [*PROJECT["dependencies"], *(r for reqs in PROJECT["optional-dependencies"].values()
                                                    for r in reqs)]:
        parsed = Requirement(requirement)
        if parsed.name.lower() in PLATFORM_PACKAGES:
            assert not any(spec.operator in ("==", "<", "<=", "~=") for spec in parsed.specifier), (
                f"{requirement}: no fijes la versión que trae Colab o Kaggle")


def test_pinned_environment_satisfies_the_extras():
    pins = {}
    for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines():
        if "==" in line and not line.startswith("#"):
            name, version = line.split("==")
            pins[name.strip().lower()] = version.strip()
    for requirement in [r for reqs in PROJECT["optional-dependencies"].values() for r in reqs]:
        parsed = Requirement(requirement)
        if parsed.name.lower() in pins:
            assert parsed.specifier.contains(pins[parsed.name.lower()]), (
                f"requirements.txt fija {parsed.name}=={pins[parsed.name.lower()]}, fuera de {requirement}")
