"""Los cuadernos del estudiante se generan de las soluciones y no se desfasan."""

import re

import nbformat
import pytest

from tools.course import NOTEBOOKS, repository, solution_notebooks
from tools.make_learner_notebooks import BEGIN, END, MarkerError, learner_version, strip_solutions
from tools.sync_links import sync_notebook

SOLUTIONS = solution_notebooks()


def test_strip_solutions_replaces_regions_with_placeholders():
    source = "import numpy as np\n### INICIO SOLUCIÓN\nk = np.ones((3, 3))\n### FIN SOLUCIÓN\nex.k.check(k)"
    assert strip_solutions(source) == "import numpy as np\nk = ____  # Tu código aquí\nex.k.check(k)"


def test_learner_version_imports_the_placeholder():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "from helpers.exercises import nb07 as ex\n### INICIO SOLUCIÓN\nx = 1\n### FIN SOLUCIÓN")])
    source = learner_version(nb).cells[0].source
    assert source == "from helpers.exercises import ____, nb07 as ex\nx = ____  # Tu código aquí"


@pytest.mark.parametrize("bad", ["### INICIO SOLUCIÓN\nx = 1", "### FIN SOLUCIÓN",
                                 "### INICIO SOLUCIÓN\n### INICIO SOLUCIÓN\n"])
def test_malformed_markers_are_refused(bad):
    with pytest.raises(MarkerError):
        strip_solutions(bad)


@pytest.mark.parametrize("solution", SOLUTIONS, ids=lambda p: p.name)
def test_learner_notebook_matches_its_solution(solution, tmp_path):
    committed = NOTEBOOKS / solution.name
    assert committed.exists(), f"falta {committed.name}: ejecuta `make notebooks`"
    expected = tmp_path / solution.name
    nbformat.write(learner_version(nbformat.read(solution, as_version=4)), expected)
    sync_notebook(expected, repository(), relative=f"notebooks/{solution.name}")
    assert nbformat.read(expected, as_version=4) == nbformat.read(committed, as_version=4), (
        f"{committed.name} no coincide con su solución: ejecuta `make notebooks`")


@pytest.mark.parametrize("solution", SOLUTIONS, ids=lambda p: p.name)
def test_solutions_have_no_placeholders_and_learners_have_exercises(solution):
    sol = nbformat.read(solution, as_version=4)
    code = "\n".join(c.source for c in sol.cells if c.cell_type == "code")
    assert "____" not in code, "una solución no puede contener el marcador ____"
    if BEGIN in code:
        learner = nbformat.read(NOTEBOOKS / solution.name, as_version=4)
        assert "____" in "\n".join(c.source for c in learner.cells if c.cell_type == "code")


def test_no_orphan_learner_notebooks():
    names = {p.name for p in SOLUTIONS}
    orphans = [p.name for p in NOTEBOOKS.glob("[0-9][0-9]*.ipynb") if p.name not in names]
    assert not orphans


CHOOSE = re.compile(r"ex\.\w+\.choose\(\s*(\w+)")


@pytest.mark.parametrize("solution", SOLUTIONS, ids=lambda p: p.name)
def test_fallback_survives_an_exercise_cell_that_raises(solution):
    """Si el código del estudiante falla antes de asignar su resultado, la celda con ``choose``
    no puede fallar con NameError: la celda del ejercicio da antes un valor inicial (None)."""
    cells = [c.source for c in nbformat.read(solution, as_version=4).cells if c.cell_type == "code"]
    for i, source in enumerate(cells):
        for name in CHOOSE.findall(source):
            exercise = next(s for s in reversed(cells[:i]) if BEGIN in s and (
                re.search(rf"^def {name}\b", s, re.M)
                or re.search(rf"^{name}\s*=", s.split(BEGIN)[1].split(END)[0], re.M)))
            if not re.search(rf"^def {name}\b", exercise, re.M):
                assert re.search(rf"^{name} = None\b", exercise.split(BEGIN)[0], re.M), (
                    f"{solution.name}: la celda del ejercicio que da {name} debe empezar con "
                    f"«{name} = None» para que choose use la referencia si el código falla")
