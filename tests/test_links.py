"""Insignias, celda de instalación y temario salen de un único ajuste (pyproject.toml)."""
import shutil

import nbformat

from tools import sync_links
from tools.course import ROOT, Repository, repository, solution_notebooks


def test_links_are_in_sync_with_the_repository_setting():
    assert sync_links.main(["--check"]) == 0, "ejecuta `make links`"


def test_changing_the_setting_rewrites_badges_and_bootstrap(tmp_path):
    source = solution_notebooks()[0]
    copy = tmp_path / source.name
    shutil.copy(source, copy)
    new_repo = Repository(url="https://github.com/otra-org/otro-curso", branch="main")
    assert sync_links.sync_notebook(copy, new_repo, relative=f"solutions/{source.name}")
    text = "\n".join(c.source for c in nbformat.read(copy, as_version=4).cells)
    assert "otra-org/otro-curso/blob/main/solutions/" in text
    assert "git+https://github.com/otra-org/otro-curso@main" in text
    assert repository().github_path not in text


def test_readme_syllabus_lists_every_notebook():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for path in solution_notebooks():
        assert f"notebooks/{path.name}" in readme and f"solutions/{path.name}" in readme
