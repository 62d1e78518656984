"""Los números que escribe el código de los cuadernos siguen la convención que el 00 enseña.

En las salidas manda Python (punto decimal), pero los miles nunca se separan con una coma
(«405,900» se leería como un decimal): o sin separador, o agrupados con espacios.
"""
import ast
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = sorted((ROOT / "solutions").glob("*.ipynb"))


def offending_statements(source: str) -> list[str]:
    """Sentencias de ``source`` que separan miles con coma sin cambiarla después por un espacio.

    Ejemplo:
        >>> offending_statements('print(f"{n:,}")\\nprint(f"{n:,}".replace(",", " "))')
        ['print(f"{n:,}")']
    """
    found = []
    for node in ast.parse(source).body:
        segment = ast.get_source_segment(source, node) or ""
        if _groups_with_commas(node) and '.replace(",", " ")' not in segment:
            found.append(segment)
    return found


def _groups_with_commas(node: ast.AST) -> bool:
    """Si algún f-string de ``node`` agrupa los miles con coma (``f"{n:,}"``, ``f"{x:,.2f}"``)."""
    return any(isinstance(part, ast.FormattedValue) and part.format_spec is not None
               and "," in ast.unparse(part.format_spec)
               for part in ast.walk(node))


def code_cells(path: Path):
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type == "code" and not cell.source.lstrip().startswith(("%", "!")):
            yield cell.source


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.stem[:3])
def test_no_thousands_separated_by_commas(path):
    bad = [s for source in code_cells(path) for s in offending_statements(source)]
    assert bad == [], f"{path.name} separa miles con coma: {bad}"


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.stem[:3])
def test_outputs_keep_python_decimal_point(path):
    """La convención del 00: las salidas escriben los decimales como Python; nada los cambia a coma."""
    assert not any('.replace(".", ",")' in source for source in code_cells(path))


def test_the_convention_is_stated_in_00():
    text = "\n".join(c.source for c in nbformat.read(next((ROOT / "solutions").glob("00_*.ipynb")),
                                                       as_version=4).cells)
    assert "Cómo se escriben los números" in text and "405 900" in text
