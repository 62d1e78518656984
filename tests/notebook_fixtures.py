"""Lectura del código de los cuadernos de soluciones para las pruebas que miran su estructura."""
import nbformat

from tools.course import SOLUTIONS


def solution_code_cells(number: str) -> list[str]:
    """Código de cada celda de código del cuaderno de soluciones ``number`` (``"07a"``)."""
    (path,) = SOLUTIONS.glob(f"{number}_*.ipynb")
    return [c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
