"""El glosario existe, se enlaza desde el README y el cuaderno 00, y cada fila está completa."""
import re

import nbformat

from tools.course import ROOT, SOLUTIONS

GLOSSARY = ROOT / "docs" / "glosario.md"


def rows():
    lines = GLOSSARY.read_text(encoding="utf-8").splitlines()
    table = [line for line in lines if line.startswith("| ") and not line.startswith("| Término")]
    return [[cell.strip() for cell in line.strip("|").split(" | ")] for line in table]


def test_glossary_is_linked_from_readme_and_notebook_00():
    assert "(docs/glosario.md)" in (ROOT / "README.md").read_text(encoding="utf-8")
    nb = nbformat.read(next(SOLUTIONS.glob("00_*.ipynb")), as_version=4)
    assert any("docs/glosario.md" in cell.source for cell in nb.cells if cell.cell_type == "markdown")


def test_every_row_has_term_english_definition_and_an_existing_notebook():
    notebooks = {path.name.split("_")[0] for path in SOLUTIONS.glob("[0-9][0-9]*_*.ipynb")}
    table = rows()
    assert len(table) >= 60
    for term, english, definition, where in table:
        assert term and english and definition.endswith("."), term
        cited = set(re.split(r",\s*", where))
        assert cited <= notebooks, f"{term}: cuaderno {cited - notebooks} inexistente"


def test_glossary_fixes_one_term_per_concept():
    terms = {row[0]: row for row in rows()}
    assert terms["tasa de aprendizaje"][1] == "*learning rate*"
    assert terms["núcleo"][1] == "*kernel*" and terms["kernel de Jupyter"][1] == "*Jupyter kernel*"
    assert terms["relleno"][1] == "*padding*" and terms["paso"][1] == "*stride*"
    assert not any("ritmo de aprendizaje" in " ".join(row) for row in rows())
