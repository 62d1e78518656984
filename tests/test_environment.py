"""El entorno conda instala exactamente los mismos paquetes fijados que requirements.txt, y el
README y ``helpers.start()`` citan las versiones probadas (``helpers.platforms.TESTED``)."""
from pathlib import Path

import yaml

from helpers.platforms import DISPLAY_NAMES, NEWEST_TESTED_ON, TESTED, version_span

ROOT = Path(__file__).resolve().parent.parent


def requirement_lines() -> list[str]:
    lines = (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def test_requirements_are_all_pinned_exactly():
    for line in requirement_lines():
        assert "==" in line and ";" not in line, f"sin versión fija: {line}"


def test_environment_yml_parses_and_matches_requirements():
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    assert env["name"] == "curso-cnn"
    conda_deps = [d for d in env["dependencies"] if isinstance(d, str)]
    assert "python=3.11" in conda_deps and "pip" in conda_deps
    pip_deps = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert pip_deps == requirement_lines()


def test_ci_runs_exactly_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in readme and "make lab" in readme
    assert ci.strip().splitlines()[-1] == "make test"


def test_tested_versions_start_at_the_pinned_environment():
    pins = dict(line.split("==") for line in requirement_lines())
    assert {name: pins[name] for name in TESTED} == {name: low for name, (low, _) in TESTED.items()}


def test_readme_says_which_versions_the_course_was_tested_with():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## En Colab o Kaggle"):readme.index("## Modo rápido")]
    for name in TESTED:
        assert f"{DISPLAY_NAMES[name]} {version_span(name)}" in section, name
    when, python = NEWEST_TESTED_ON
    assert f"{when}, con Python {python}" in section
