"""CONTRIBUTING describe el curso tal como es: su ejercicio de ejemplo existe y su número de objetivos se cumple."""
import importlib
import re
import textwrap

import nbformat

from tools.course import ROOT, notebook_number, solution_notebooks

CONTRIBUTING = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")


def test_the_example_exercise_is_a_cell_of_its_notebook_with_the_same_solution():
    block = textwrap.dedent(re.search(r"```python\n(.*?)```", CONTRIBUTING, re.S).group(1))
    number = re.search(r"from helpers\.exercises import nb(\w+) as ex", block).group(1)
    name = re.search(r"ex\.(\w+)\.check\(", block).group(1)
    region = re.search(r"### INICIO SOLUCIÓN\n(.*?)\n### FIN SOLUCIÓN\nex\.\w+\.check\(\w+\)", block, re.S)
    exercise = getattr(importlib.import_module(f"helpers.exercises.nb{number}"), name)
    assert exercise._solution == region.group(1).strip()
    notebook = next(p for p in solution_notebooks() if notebook_number(p) == number)
    cells = [c.source for c in nbformat.read(notebook, as_version=4).cells if c.cell_type == "code"]
    assert any(region.group(0) in cell for cell in cells)
    assert f"`# ex.{name}.hint()`" in CONTRIBUTING and f"`{region.group(1).split(' = ')[0]} = ____" in CONTRIBUTING


def objectives(notebook) -> int:
    """Puntos de la lista de **Objetivos** de un cuaderno."""
    text = "\n".join(c.source for c in nbformat.read(notebook, as_version=4).cells if c.cell_type == "markdown")
    section = re.split(r"\n\s*\n|\n#", text.split("## Objetivos\n", 1)[1])[0]
    return sum(1 for line in section.splitlines() if re.match(r"\s*(?:[-*]|\d+\.) ", line))


def test_every_notebook_has_the_number_of_objectives_contributing_states():
    low, high = map(int, re.search(r"\*\*Objetivos\*\* \((\d+)–(\d+) puntos", CONTRIBUTING).groups())
    counts = {notebook_number(p): objectives(p) for p in solution_notebooks()}
    assert {n: c for n, c in counts.items() if not low <= c <= high} == {}
