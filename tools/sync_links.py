"""Reescribe insignias, celda de instalación y temario a partir de la dirección del repositorio.

Uso: ``python -m tools.sync_links`` (o ``make links``) tras cambiar ``repository`` en
``[tool.curso-cnn]`` de pyproject.toml. ``--check`` solo comprueba (lo usan las pruebas).
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat

from tools.course import NOTEBOOKS, ROOT, Repository, notebook_extras, notebook_number, repository, solution_notebooks

BADGES_TAG = "badges"
BOOTSTRAP_TAG = "bootstrap"
SYLLABUS = re.compile(r"(<!-- temario:inicio -->\n).*?(<!-- temario:fin -->)", re.S)
EXTRAS_TABLE = re.compile(r"(<!-- extras:inicio -->\n).*?(<!-- extras:fin -->)", re.S)
CLONE = re.compile(r"git clone \S+")

BOOTSTRAP = '''# Colab o Kaggle: instala el paquete del curso (`helpers`) y lo que necesita este cuaderno.
# En tu equipo no hace nada (`make lab` ya lo instaló todo).
import os
import subprocess
import sys

if "google.colab" in sys.modules or "KAGGLE_KERNEL_RUN_TYPE" in os.environ:
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "{spec}"], check=True)'''


NOTEBOOK_METADATA = {
    "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
    "language_info": {"name": "python"},
}


def badges(repo: Repository, notebook: str) -> str:
    return f"{repo.colab_badge(notebook)} {repo.kaggle_badge(notebook)}"


def _tagged(cell, tag: str) -> bool:
    return tag in cell.get("metadata", {}).get("tags", [])


def sync_notebook(path: Path, repo: Repository, write: bool = True, relative: str | None = None) -> bool:
    """Regenera las celdas ``badges`` y ``bootstrap`` y los metadatos; devuelve si cambió algo.

    ``relative`` es la ruta del cuaderno dentro del repositorio (por defecto, la de ``path``).
    """
    nb = nbformat.read(path, as_version=4)
    relative = relative or path.relative_to(ROOT).as_posix()
    changed = nb.metadata != NOTEBOOK_METADATA
    nb.metadata = NOTEBOOK_METADATA
    for cell in nb.cells:
        if _tagged(cell, BADGES_TAG):
            wanted = badges(repo, relative)
        elif _tagged(cell, BOOTSTRAP_TAG):
            wanted = BOOTSTRAP.format(spec=repo.pip_spec(notebook_extras(path)))
        else:
            continue
        if cell.source != wanted:
            cell.source, changed = wanted, True
    if changed and write:
        nbformat.write(nb, path)
    return changed


def notebook_title(path: Path) -> str:
    """Título del cuaderno: el primer encabezado ``# …`` de su primera celda de texto."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return path.stem


def syllabus(repo: Repository) -> str:
    rows = ["| Cuaderno | Estudiante | Solución |", "|---|---|---|"]
    for solution in solution_notebooks():
        learner = f"notebooks/{solution.name}"
        rows.append(f"| {notebook_title(solution)} | [{solution.name}]({learner}) "
                    f"{badges(repo, learner)} | [solución](solutions/{solution.name}) |")
    return "\n".join(rows) + "\n"


def extras_table() -> str:
    """Tabla del README: qué instala la celda de Colab/Kaggle de cada cuaderno."""
    by_spec: dict[str, list[str]] = {}
    for solution in solution_notebooks():
        extras = notebook_extras(solution)
        spec = f"curso-cnn[{','.join(extras)}]" if extras else "curso-cnn"
        by_spec.setdefault(spec, []).append(notebook_number(solution))
    rows = ["| Cuadernos | Lo que instala la primera celda |", "|---|---|"]
    rows += [f"| {', '.join(numbers)} | `{spec}` |" for spec, numbers in by_spec.items()]
    return "\n".join(rows) + "\n"


def sync_readme(repo: Repository, write: bool = True) -> bool:
    path = ROOT / "README.md"
    text = path.read_text(encoding="utf-8")
    new = SYLLABUS.sub(lambda m: m.group(1) + syllabus(repo) + m.group(2), text)
    new = EXTRAS_TABLE.sub(lambda m: m.group(1) + extras_table() + m.group(2), new)
    new = CLONE.sub(f"git clone {repo.url}", new)
    if new != text and write:
        path.write_text(new, encoding="utf-8")
    return new != text


def main(argv: list[str]) -> int:
    """Sincroniza todo; con ``--check`` solo informa y sale con 1 si algo está desfasado."""
    write = "--check" not in argv
    repo = repository()
    paths = solution_notebooks() + sorted(NOTEBOOKS.glob("[0-9][0-9]*.ipynb"))
    changed = [p for p in paths if sync_notebook(p, repo, write)]
    if sync_readme(repo, write):
        changed.append(ROOT / "README.md")
    for path in changed:
        print(f"{'actualizado' if write else 'desfasado'}: {path.relative_to(ROOT)}")
    return 1 if changed and not write else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
