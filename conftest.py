"""Configuración común de las pruebas: datos de prueba para los conjuntos que no están en la réplica.

Oxford-IIIT Pet (y las caras que se recortan de él) no se puede descargar aquí ni está en la
réplica sin conexión.
Antes de la sesión se genera una réplica sintética con su formato exacto
(``tools/standin_data.py``) y se añade al final de ``CNN_MIRROR``: los datos reales, si la
réplica los tiene, siguen teniendo preferencia. La caché ``CNN_DATA_DIR`` de la sesión es
una carpeta temporal, para que los datos sintéticos nunca queden en ``data/`` del curso.
Los cuadernos que ejecuta nbval heredan estas variables.
"""
from __future__ import annotations

import ast
import functools
import inspect
import os
import re
import shutil
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest

from tools.standin_data import add_standin_mirror

_session_dir: Path | None = None


def pytest_configure(config) -> None:
    global _session_dir
    _session_dir = Path(tempfile.mkdtemp(prefix="curso-cnn-pruebas-"))
    add_standin_mirror(_session_dir / "replica-de-prueba")
    os.environ["CNN_DATA_DIR"] = str(_session_dir / "data")


FRAMEWORKS = ("tensorflow", "keras", "torch", "torchvision")


def _imports_frameworks(statements: list[ast.stmt]) -> bool:
    """Alguna instrucción importa un marco: ``import torch``, ``from keras import …``."""
    names = []
    for node in statements:
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names.append(node.module or "")
    return any(name.partition(".")[0] in FRAMEWORKS for name in names)


@functools.cache
def _module_imports_frameworks(path: Path) -> bool:
    """El módulo de pruebas importa un marco al cargarse: todas sus pruebas lo tienen cargado."""
    return _imports_frameworks(ast.parse(path.read_text(encoding="utf-8")).body)


def _doctest_uses_frameworks(dtest) -> bool:
    """El ejemplo importa un marco, o lo importa siempre (no solo en un ``if``) una función que documenta o llama."""
    examples = ast.parse("\n".join(example.source for example in dtest.examples))
    called = [node.func.id for node in ast.walk(examples)
              if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)]
    functions = [dtest.globs.get(name) for name in (dtest.name.rpartition(".")[2], *called)]
    bodies = [ast.parse(textwrap.dedent(inspect.getsource(f))).body[0].body for f in functions if inspect.isfunction(f)]
    return _imports_frameworks([*examples.body, *(statement for body in bodies for statement in body)])


def _frameworks_deselected(markexpr: str) -> bool:
    """``-m`` excluye expresamente lo marcado ``frameworks`` (``make test-unit``: ``… and not frameworks``)."""
    return re.search(r"(^|\band\s+)not\s+frameworks\b", markexpr or "") is not None


def pytest_ignore_collect(collection_path: Path, config) -> bool | None:
    """Sin las pruebas de ``frameworks``, ni se importan sus módulos: cargar TensorFlow y PyTorch tarda."""
    if (collection_path.suffix == ".py" and collection_path.name.startswith("test_")
            and _frameworks_deselected(config.getoption("markexpr")) and _module_imports_frameworks(collection_path)):
        return True
    return None


def pytest_collection_modifyitems(config, items) -> None:
    """Marca como ``notebook`` las celdas que ejecuta nbval y como ``frameworks`` las pruebas con TensorFlow o PyTorch.

    ``frameworks``: las de un módulo que importa un marco al cargarse y los doctests que lo importan.
    Las pruebas que lo cargan solo dentro de la función llevan la marca escrita.
    """
    for item in items:
        if item.path.suffix == ".ipynb":
            item.add_marker(pytest.mark.notebook)
        elif (_doctest_uses_frameworks(item.dtest) if hasattr(item, "dtest")
              else _module_imports_frameworks(item.path)):
            item.add_marker(pytest.mark.frameworks)


def pytest_unconfigure(config) -> None:
    if _session_dir is not None:
        shutil.rmtree(_session_dir, ignore_errors=True)


@pytest.fixture(autouse=True)
def _unmarked_tests_load_no_framework(request):
    """Sin las pruebas de ``frameworks`` (``make test-unit``), una prueba que carga un marco sin la marca falla."""
    before = {name for name in FRAMEWORKS if name in sys.modules}
    yield
    loaded = sorted(name for name in FRAMEWORKS if name in sys.modules and name not in before)
    if loaded and _frameworks_deselected(request.config.getoption("markexpr")):
        pytest.fail(f"Esta prueba carga {', '.join(loaded)}: márcala con @pytest.mark.frameworks.")
