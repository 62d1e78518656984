"""Insignias, celda de instalación y temario salen de un único ajuste (pyproject.toml)."""
import re
import shutil

import nbformat
import pytest

from tools import sync_links
from tools.course import NOTEBOOKS, ROOT, Repository, repository, repository_files, solution_notebooks


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
    assert "(https://github.com/otra-org/otro-curso/blob/main/docs/glosario.md)" in text  # enlaces del texto
    assert repository().github_path not in text


def test_readme_syllabus_lists_every_notebook():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for path in solution_notebooks():
        assert f"notebooks/{path.name}" in readme and f"solutions/{path.name}" in readme


def _links(markdown: str) -> list[str]:
    return [match[1] for match in sync_links.LINK.findall(markdown)]


@pytest.mark.parametrize("notebook", sorted(NOTEBOOKS.glob("[0-9][0-9]*.ipynb")), ids=lambda p: p.name)
def test_every_link_of_a_learner_notebook_opens_from_an_empty_folder(notebook):
    """Como en Colab o Kaggle: el cuaderno solo; un enlace relativo a un archivo no se abriría."""
    repo, files = repository(), repository_files()
    anchors = set()
    cells = nbformat.read(notebook, as_version=4).cells
    for cell in cells:
        if cell.cell_type == "markdown":
            anchors |= {_anchor(line) for line in cell.source.splitlines() if line.startswith("#")}
    for cell in cells:
        if cell.cell_type != "markdown":
            continue
        for url in _links(cell.source):
            if url.startswith("#"):
                assert url[1:] in anchors, f"{notebook.name}: el ancla {url} no es un título del cuaderno"
            elif url.startswith(repo.url + "/"):
                kind, branch, path = url.removeprefix(repo.url + "/").split("/", 2)
                assert (kind, branch) in {("blob", repo.branch), ("tree", repo.branch)}, url
                assert path in files, f"{notebook.name}: {url} apunta a un archivo que no está en el repositorio"
            else:
                assert re.match(r"https?://|mailto:", url), f"{notebook.name}: enlace relativo {url}"


def _anchor(heading: str) -> str:
    """El ancla que Jupyter da a un título: sin almohadillas, espacios por guiones."""
    return heading.lstrip("#").strip().replace(" ", "-")


def test_relative_links_and_cited_paths_become_repository_links():
    repo = Repository(url="https://github.com/a/b", branch="main")
    old = Repository(url="https://github.com/viejo/curso", branch="dev")
    markdown = ("[glosario](../docs/glosario.md), [arriba](#Objetivos), `benchmarks/results.md`, "
                "`models/09/`, [otro](https://github.com/viejo/curso/blob/dev/tools/ablation.py)\n"
                "```bash\ndocker build -f `deploy/Dockerfile`\n```")
    files = {"docs/glosario.md", "benchmarks/results.md", "tools/ablation.py", "deploy/Dockerfile"}
    result = sync_links.absolute_links(markdown, repo, "notebooks", old, files)
    assert _links(result) == ["https://github.com/a/b/blob/main/docs/glosario.md", "#Objetivos",
                              "https://github.com/a/b/blob/main/benchmarks/results.md",
                              "https://github.com/a/b/blob/main/tools/ablation.py"]
    assert "`models/09/`," in result and "docker build -f `deploy/Dockerfile`" in result
    assert sync_links.absolute_links(result, repo, "notebooks", old, files) == result
