"""El entorno conda instala exactamente los mismos paquetes fijados que requirements.txt."""
from pathlib import Path

import yaml

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
