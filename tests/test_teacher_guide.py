"""La guía docente cubre cada cuaderno y cada ejercicio (sus cifras las comprueba test_figures.py)."""
import re

import pytest

from helpers.exercises.core import course_exercises
from tools.course import ROOT, SOLUTIONS

GUIDE = ROOT / "docs" / "guia_docente.md"
NOTEBOOKS = sorted(path.name.split("_")[0] for path in SOLUTIONS.glob("[0-9][0-9]*_*.ipynb"))


def sections(text: str) -> dict[str, str]:
    """Texto de cada sección «## NN · …» (o «## 07a y 07b · …»), por número de cuaderno."""
    found = {}
    for block in re.split(r"^(?=## )", text, flags=re.M):
        heading = block.splitlines()[0] if block.startswith("## ") else ""
        if "·" in heading:
            for notebook in re.findall(r"\b\d\d[a-z]?\b", heading.split("·")[0]):
                found[notebook] = block
    return found


def exercise_names(notebook: str) -> list[str]:
    try:
        return sorted(course_exercises(f"helpers.exercises.nb{notebook}"))
    except ModuleNotFoundError:
        return []


def test_sections_are_found_by_notebook_number():
    text = "## Antes\nx\n## 07a y 07b · Razas\nuno\n## 09 · Sacar\ndos\n"
    assert sections(text) == {"07a": "## 07a y 07b · Razas\nuno\n", "07b": "## 07a y 07b · Razas\nuno\n",
                              "09": "## 09 · Sacar\ndos\n"}


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_every_notebook_has_a_section_naming_all_its_exercises(notebook):
    section = sections(GUIDE.read_text(encoding="utf-8")).get(notebook)
    assert section, f"docs/guia_docente.md no tiene sección para el cuaderno {notebook}"
    for part in ("**Objetivos.**", "**Requisitos previos.**", "**Tiempo en clase.**",
                 "**Preguntas para debatir.**"):
        assert part in section, f"cuaderno {notebook}: falta {part}"
    missing = [name for name in exercise_names(notebook) if f"`ex.{name}`" not in section]
    assert not missing, f"la guía del cuaderno {notebook} no menciona: {missing}"


def test_guide_is_linked_from_readme():
    assert "(docs/guia_docente.md)" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_class_times_follow_the_same_rule_for_every_notebook():
    from tools.class_time import class_time

    computed = {path.name.split("_")[0]: class_time(path).total for path in SOLUTIONS.glob("[0-9][0-9]*_*.ipynb")}
    wrong = {}
    found = sections(GUIDE.read_text(encoding="utf-8"))
    for notebook, section in found.items():
        said = re.search(r"\*\*Tiempo en clase\.\*\* Unos (\d+) minutos", section)
        shared = [n for n in computed if found.get(n) == section]
        if not said or int(said.group(1)) != max(computed[n] for n in shared):
            wrong[notebook] = (said and said.group(1), {n: computed[n] for n in shared})
    assert wrong == {}, "ejecuta python -m tools.class_time y corrige la guía"


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_the_duration_a_notebook_states_is_its_class_time(notebook):
    """El 09 decía «una hora de clase» y el 04 «unos 60 minutos» cuando la regla da 80: el cuaderno que
    dice sus minutos de lectura dice los de python -m tools.class_time, como la guía."""
    from tools.class_time import class_time

    path = next(SOLUTIONS.glob(f"{notebook}_*.ipynb"))
    text = path.read_text(encoding="utf-8")
    said = [int(m) for m in re.findall(r"Duración: unos (\d+) minutos de lectura", text)]
    assert all(m == class_time(path).total for m in said), (said, class_time(path).total)
    if notebook == "09":
        assert said, "el 09 dice su duración con la regla: «Duración: unos N minutos de lectura…»"


def test_the_rule_counts_reading_exercises_and_short_runs_only():
    from tools.class_time import ClassTime

    assert ClassTime("x", words=1000, exercises=2, run_seconds=None).total == 30       # 10 + 16 → 30
    assert ClassTime("x", words=1000, exercises=2, run_seconds=9 * 60).total == 35     # + 9 en clase
    assert ClassTime("x", words=1000, exercises=2, run_seconds=30 * 60).total == 30    # antes de la clase


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_prerequisites_name_every_notebook_whose_model_it_loads(notebook):
    path = next(SOLUTIONS.glob(f"{notebook}_*.ipynb"))
    loaded = set(re.findall(r"models/(\d\d[a-z]?)/", path.read_text(encoding="utf-8"))) - {notebook}
    section = sections(GUIDE.read_text(encoding="utf-8"))[notebook]
    prerequisites = re.search(r"\*\*Requisitos previos\.\*\*(.*?)\n\n", section, re.S).group(1)
    assert [n for n in loaded if not re.search(rf"\b{n}\b", prerequisites)] == []


NOTEBOOK = re.compile(r"\b\d\d[a-z]?\b")
MINUTES = re.compile(r"(\d+) min\b")


def plan_paths(text: str) -> dict[str, str]:
    """Texto de cada ruta («### Ruta N · …») de la sección «## Plan de clase», por título."""
    plan = re.search(r"^## Plan de clase\n(.*?)(?=^## )", text, re.S | re.M).group(1)
    return {block.splitlines()[0]: block for block in re.split(r"^### ", plan, flags=re.M)[1:]
            if block.startswith("Ruta")}


def path_problems(path: str, minutes: dict[str, int]) -> list[str]:
    """Lo que no cuadra en una ruta: tiempos de sesión que no son la suma de ``minutes`` de sus
    cuadernos (sin los opcionales el primero; con ellos, los demás) y cuadernos que faltan, que
    no existen o que aparecen dos veces (en sesiones o marcados «**Opcional:**» u «**Omitidos:**»)."""
    problems, seen = [], []
    for line in path.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")] if line.startswith("| ") else []
        if len(cells) < 3 or not MINUTES.search(cells[2]):
            continue
        optional = re.findall(r"(\d\d[a-z]?) \(opcional\)", cells[1])
        listed = NOTEBOOK.findall(cells[1])
        required = sum(minutes.get(n, 0) for n in listed if n not in optional)
        said = [int(m) for m in MINUTES.findall(cells[2])]
        if said[0] != required or any(m != required + sum(minutes.get(n, 0) for n in optional) for m in said[1:]):
            problems.append(f"sesión {cells[0]}: {cells[2]} para {listed}")
        seen += listed
    for _, marked in re.findall(r"\*\*(Opcional|Omitidos):\*\*([^*\n]*)", path):
        seen += NOTEBOOK.findall(marked)
    problems += [f"falta {n}" for n in minutes if n not in seen]
    problems += [f"{n} no es un cuaderno" for n in set(seen) - minutes.keys()]
    problems += [f"{n} aparece {seen.count(n)} veces" for n in sorted(set(seen)) if seen.count(n) > 1]
    return problems


def test_path_problems_finds_wrong_sums_and_missing_notebooks():
    minutes = {"00": 20, "01": 55, "05b": 50}
    right = "| 1 | 00, 01 | 75 min |\n| 2 | 05b (opcional) | 0 min (50 min con el 05b) |\n"
    assert path_problems(right, minutes) == []
    assert path_problems(right.replace("75 min", "80 min"), minutes) == ["sesión 1: 80 min para ['00', '01']"]
    assert path_problems(right.replace("50 min con", "55 min con"), minutes) != []
    assert path_problems("| 1 | 00 | 20 min |\n", minutes) == ["falta 01", "falta 05b"]
    assert path_problems("| 1 | 00 | 20 min |\n**Opcional:** 05b. **Omitidos:** 01 y 00.\n", minutes) == [
        "00 aparece 2 veces"]


def test_every_path_of_the_class_plan_adds_up_and_places_every_notebook():
    from tools.class_time import class_time

    minutes = {path.name.split("_")[0]: class_time(path).total for path in SOLUTIONS.glob("[0-9][0-9]*_*.ipynb")}
    paths = plan_paths(GUIDE.read_text(encoding="utf-8"))
    assert len(paths) >= 2
    problems = {title: path_problems(path, minutes) for title, path in paths.items()}
    assert problems == {title: [] for title in paths}, "ejecuta python -m tools.class_time y corrige el plan"


def test_the_plan_says_what_to_run_before_each_notebook():
    text = GUIDE.read_text(encoding="utf-8")
    before = re.search(r"^### Qué ejecutar antes de la clase\n(.*?)(?=^##)", text, re.S | re.M).group(1)
    rows = [line.split("|")[1] for line in before.splitlines() if line.startswith("| ")]
    assert sorted(n for row in rows for n in NOTEBOOK.findall(row)) == NOTEBOOKS
