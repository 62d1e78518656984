"""Los cuadernos se guardan sin salidas y cada uno tiene las celdas comunes del curso."""
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
ALL_NOTEBOOKS = sorted((ROOT / "solutions").glob("*.ipynb")) + sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_there_are_notebooks():
    assert len(ALL_NOTEBOOKS) >= 2


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_notebook_has_no_outputs(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    dirty = [i for i, c in enumerate(nb.cells)
             if c.cell_type == "code" and (c.outputs or c.execution_count is not None)]
    assert not dirty, f"celdas con salidas: {dirty}; ejecuta `make clean-outputs`"


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_notebook_starts_like_every_lesson(path):
    nb = nbformat.read(path, as_version=4)
    tags = [set(c.metadata.get("tags", [])) for c in nb.cells]
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")
    assert any("badges" in t for t in tags[:3]), "falta la celda de insignias"
    assert any("bootstrap" in t for t in tags[:4]), "falta la celda de instalación para Colab/Kaggle"
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    for section in ("Objetivos", "Resumen", "Para saber más"):
        assert section in text, f"falta la sección «{section}»"
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "helpers.start(" in code, "el cuaderno debe llamar a helpers.start() al principio"
