"""Cada ejercicio de un cuaderno: se usa en él, su solución coincide, el marcador no falla y su registro lo nombra."""
import pkgutil
import re

import nbformat
import pytest

import helpers.exercises
from helpers.exercises import ____
from helpers.exercises.core import course_exercises
from tools.course import notebook_number, solution_notebooks

MODULES = sorted(m.name for m in pkgutil.iter_modules(helpers.exercises.__path__)
                 if re.fullmatch(r"nb\d\d[a-z]?", m.name))


def code_of(path) -> str:
    return "\n".join(c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code")


def solution_code(module_name) -> str:
    (path,) = [path for path in solution_notebooks() if f"nb{notebook_number(path)}" == module_name]
    return code_of(path)


def normalise(code: str) -> str:
    return re.sub(r"\s+", " ", code).strip()


def test_every_solution_with_exercises_has_a_module_and_every_module_a_solution():
    """Incluidos los cuadernos con letra (07a, 07b, 08a, 08b), para que la prueba de abajo los recorra todos."""
    numbers = [notebook_number(path) for path in solution_notebooks() if "helpers.exercises" in code_of(path)]
    assert {"07a", "07b", "08a", "08b"} <= set(numbers)
    assert sorted(f"nb{number}" for number in numbers) == MODULES


@pytest.mark.parametrize("module_name", MODULES)
def test_exercises_are_used_and_their_solutions_match_the_notebook(module_name):
    exercises = course_exercises(f"helpers.exercises.{module_name}")
    assert exercises, f"{module_name} no define ejercicios"
    code = normalise(solution_code(module_name))
    for name, exercise in exercises.items():
        assert f"ex.{name}.check(" in code, f"el cuaderno no comprueba ex.{name}"
        assert normalise(exercise.solution_code) in code, f"la solución de {name} no coincide con el cuaderno"
        assert exercise.evaluate(____).status == "not_attempted"
        assert exercise.record("incorrect") == {"notebook": module_name.removeprefix("nb"), "exercise": name,
                                                "status": "incorrect"}  # lo que lee el informe de la clase
