"""Lo que imprimen las celdas llega al estudiante: sin avisos en inglés de la infraestructura (issue 26)."""
import ast
import subprocess
import sys

import pytest
from notebook_fixtures import solution_code_cells

pytestmark = pytest.mark.integration  # arranca un intérprete aparte, como un núcleo nuevo


def test_09_fastapi_test_client_cell_imports_without_the_starlette_httpx_warning():
    """Starlette ≥ 1.2 avisa («Using `httpx` with `starlette.testclient` is deprecated») si no hay httpx2."""
    (cell,) = [source for source in solution_code_cells("09") if "TestClient(" in source]
    imports = [node for node in ast.parse(cell).body if isinstance(node, ast.Import | ast.ImportFrom)]
    assert any(node.module == "fastapi.testclient" for node in imports if isinstance(node, ast.ImportFrom))
    out = subprocess.run([sys.executable, "-c", ast.unparse(imports)], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stderr == ""
