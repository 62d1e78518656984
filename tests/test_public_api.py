"""El `__all__` de cada módulo de helpers es su API pública: completo y sin nombres que no existan."""
import ast
import importlib
import inspect

import nbformat
import pytest
from test_import_light import every_helpers_module

from tools.course import solution_notebooks


def helpers_imports(notebook: nbformat.NotebookNode) -> set[tuple[str, str]]:
    """Pares (módulo, nombre) de cada `from helpers.X import a, b` de las celdas de código."""
    found = set()
    for cell in notebook.cells:
        if cell.cell_type == "code":
            lines = cell.source.splitlines()  # las órdenes mágicas de Jupyter (%, !) pasan a `pass`
            code = "\n".join(line[:len(line) - len(line.lstrip())] + "pass"
                             if line.lstrip().startswith(("%", "!")) else line for line in lines)
            for node in ast.walk(ast.parse(code)):
                if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("helpers."):
                    found |= {(node.module, alias.name) for alias in node.names}
    return found


def is_submodule(module: str, name: str) -> bool:
    """``from helpers.exercises import nb02`` importa un submódulo, no un nombre de ``__all__``."""
    return f"{module}.{name}" in every_helpers_module()


@pytest.mark.parametrize("path", solution_notebooks(), ids=lambda path: path.stem)
def test_what_the_notebooks_import_is_in_all(path):
    imports = helpers_imports(nbformat.read(path, as_version=4))
    missing = [f"{module}.{name}" for module, name in sorted(imports)
               if name not in getattr(importlib.import_module(module), "__all__", ())
               and not is_submodule(module, name)]
    assert not missing, f"{path.name} importa nombres que no están en el __all__ de su módulo: {missing}"


@pytest.mark.parametrize("module", ["helpers", *every_helpers_module()])
def test_every_name_in_all_exists(module):
    imported = importlib.import_module(module)
    missing = [name for name in getattr(imported, "__all__", ()) if not hasattr(imported, name)]
    assert not missing, f"{module}.__all__ nombra {missing}, que no existen"


@pytest.mark.parametrize("module", ["helpers.metrics", "helpers.plots"])
def test_all_lists_every_public_function(module):
    imported = importlib.import_module(module)
    public = {name for name, value in vars(imported).items()
              if not name.startswith("_") and inspect.isfunction(value) and value.__module__ == module}
    assert public == set(imported.__all__)


def test_the_notebook_parser_sees_multiline_imports_and_skips_magics():
    source = "if True:\n    %matplotlib inline\nfrom helpers.plots import (\n    show_images,\n)"
    cell = nbformat.v4.new_code_cell(source)
    assert helpers_imports(nbformat.v4.new_notebook(cells=[cell])) == {("helpers.plots", "show_images")}
