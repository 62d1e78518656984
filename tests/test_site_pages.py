"""Páginas de cuadernos del sitio (tools/site.py) a partir de un cuaderno ejecutado, sin construir el sitio."""
import datetime as dt

import nbformat

from tools.bench import stamp, table_row
from tools.course import ROOT
from tools.site import FAST_NOTICE, lesson_page

SOLUTION = ROOT / "solutions" / "03_padding_stride_y_pooling.ipynb"


def executed(tmp_path, fast: bool) -> nbformat.NotebookNode:
    """El cuaderno de soluciones con la fila de una ejecución anotada, como lo deja ``make bench``."""
    path = tmp_path / SOLUTION.name
    path.write_bytes(SOLUTION.read_bytes())
    stamp(path, table_row(dt.date(2026, 12, 1), SOLUTION.stem, fast, "—", "—", 21, "AMD EPYC, 2 núcleos", "e2f029a"))
    return nbformat.read(path, as_version=4)


def test_a_full_run_page_names_its_run_and_has_no_fast_mode_notice(tmp_path):
    nb = lesson_page(executed(tmp_path, fast=False), SOLUTION, {})
    header = nb.cells[1].source
    assert "del 2026-12-01 en modo completo (0 min 21 s)" in header and "`e2f029a`" in header
    assert "AMD EPYC, 2 núcleos" in header and FAST_NOTICE not in header


def test_a_fast_run_page_starts_with_the_notice(tmp_path):
    assert FAST_NOTICE in lesson_page(executed(tmp_path, fast=True), SOLUTION, {}).cells[1].source


def test_badges_go_and_solution_cells_are_hidden(tmp_path):
    nb = lesson_page(executed(tmp_path, fast=False), SOLUTION, {})
    assert not any("badges" in cell.metadata.get("tags", []) for cell in nb.cells)
    solutions = [cell for cell in nb.cells if "### INICIO SOLUCIÓN" in cell.source]
    assert solutions and all("hide-input" in cell.metadata["tags"] for cell in solutions)
    assert nb.cells[0].source.startswith("# 03 ·")
