"""Lo que imprimen las celdas llega al estudiante: sin avisos ni mensajes en inglés de las bibliotecas (issue 26)."""
import ast
import subprocess
import sys

import pytest
from notebook_fixtures import solution_code_cells

from tools.course import notebook_number, solution_notebooks


@pytest.mark.integration  # arranca un intérprete aparte, como un núcleo nuevo
def test_09_fastapi_test_client_cell_imports_without_the_starlette_httpx_warning():
    """Starlette ≥ 1.2 avisa («Using `httpx` with `starlette.testclient` is deprecated») si no hay httpx2."""
    (cell,) = [source for source in solution_code_cells("09") if "TestClient(" in source]
    imports = [node for node in ast.parse(cell).body if isinstance(node, ast.Import | ast.ImportFrom)]
    assert any(node.module == "fastapi.testclient" for node in imports if isinstance(node, ast.ImportFrom))
    out = subprocess.run([sys.executable, "-c", ast.unparse(imports)], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stderr == ""


def test_folder_datasets_are_read_without_the_keras_found_files_lines():
    """``image_dataset_from_directory`` imprime «Found 2000 files belonging to 2 classes.» salvo con
    ``verbose=False`` (las cifras, en español, las imprime el cuaderno)."""
    cells = [(notebook_number(nb), source) for nb in solution_notebooks()
             for source in solution_code_cells(notebook_number(nb)) if "image_dataset_from_directory(" in source]
    assert {number for number, _ in cells} >= {"06", "09"}
    assert [number for number, source in cells if "verbose=False" not in source] == []


@pytest.mark.frameworks  # carga Keras
def test_06_splits_a_folder_without_the_keras_using_files_for_training_lines(tmp_path, capsys):
    """Al partir la carpeta de validación en validación y prueba, Keras escribe «Using 500 files
    for training.» aunque ``verbose=False``: el 06 lo descarta (esas mitades no son entrenamiento)."""
    import contextlib
    import io

    import keras
    import numpy as np
    from PIL import Image

    for label in ("cats", "dogs"):
        (tmp_path / label).mkdir()
        for i in range(4):
            Image.fromarray(np.full((8, 8, 3), 40 * i, np.uint8)).save(tmp_path / label / f"{i}.jpg")
    (cell,) = [source for source in solution_code_cells("06") if "def folder_dataset(" in source]
    definition = next(node for node in ast.parse(cell).body if isinstance(node, ast.FunctionDef))
    namespace = {"keras": keras, "contextlib": contextlib, "io": io, "SEED": 42}
    exec(ast.unparse(definition), namespace)
    val, test = namespace["folder_dataset"](tmp_path, 8, validation_split=0.5, subset="both")
    assert len(list(val)) + len(list(test)) == 8
    assert capsys.readouterr().out == ""
