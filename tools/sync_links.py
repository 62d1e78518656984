"""Reescribe insignias, celda de instalación, enlaces y temario a partir de la dirección del repositorio.

Los cuadernos se abren solos (en Colab, en Kaggle, en una carpeta vacía): un enlace relativo a un
archivo del repositorio (``../docs/glosario.md``) o una ruta citada entre comillas invertidas
(`` `benchmarks/results.md` ``) se convierte en un enlace absoluto al repositorio.

Uso: ``python -m tools.sync_links`` (o ``make links``) tras cambiar ``repository`` en
``[tool.curso-cnn]`` de pyproject.toml. ``--check`` solo comprueba (lo usan las pruebas).
"""
from __future__ import annotations

import posixpath
import re
import sys
from pathlib import Path

import nbformat

from helpers.cli import SpanishParser
from tools.course import (
    NOTEBOOKS,
    ROOT,
    Repository,
    notebook_extras,
    notebook_number,
    repository,
    repository_files,
    solution_notebooks,
)

BADGES_TAG = "badges"
BOOTSTRAP_TAG = "bootstrap"
SYLLABUS = re.compile(r"(<!-- temario:inicio -->\n).*?(<!-- temario:fin -->)", re.S)
EXTRAS_TABLE = re.compile(r"(<!-- extras:inicio -->\n).*?(<!-- extras:fin -->)", re.S)
CLONE = re.compile(r"git clone \S+")
#: Enlace de Markdown ``[texto](destino)``; el destino, sin espacios.
LINK = re.compile(r"(\]\()([^)\s]+)(\))")
#: Una ruta entre comillas invertidas que no es ya el texto de un enlace: `` `tools/ablation.py` ``.
CITED_PATH = re.compile(r"(?<!\[)`([\w.-]+(?:/[\w.-]+)+/?)`(?!\]\()")
FENCE = re.compile(r"(^```.*?^```)", re.S | re.M)
BADGE_REPO = re.compile(r"colab\.research\.google\.com/github/([^/]+/[^/]+)/blob/([^/]+)/")

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


def absolute_links(markdown: str, repo: Repository, folder: str, old: Repository | None = None,
                   files: set[str] | None = None) -> str:
    """``markdown`` con sus enlaces a archivos del repositorio convertidos en direcciones absolutas.

    ``folder`` es la carpeta del cuaderno en el repositorio (los enlaces relativos parten de
    ella); ``old`` es la dirección anterior del repositorio, cuyos enlaces pasan a ``repo``.
    Las anclas (``#seccion``) y los enlaces a otros sitios no cambian; los bloques de código
    tampoco.

    Ejemplo:
        >>> repo = Repository("https://github.com/a/b", "main")
        >>> absolute_links("El [glosario](../docs/glosario.md), `tools/ablation.py`.", repo, "notebooks",
        ...                files={"docs/glosario.md", "tools/ablation.py"})
        'El [glosario](https://github.com/a/b/blob/main/docs/glosario.md), [`tools/ablation.py`](https://github.com/a/b/blob/main/tools/ablation.py).'
    """
    files = repository_files() if files is None else files
    old_prefixes = [f"{old.url}/{kind}/{old.branch}/" for kind in ("blob", "tree")] if old else []

    def target(match: re.Match) -> str:
        url = match.group(2)
        prefix = next((p for p in old_prefixes if url.startswith(p)), None)
        if prefix:
            url = repo.file_url(url.removeprefix(prefix))
        elif not re.match(r"[a-z][a-z0-9+.-]*:|#", url):
            url = repo.file_url(posixpath.normpath(posixpath.join(folder, url)))
        return match.group(1) + url + match.group(3)

    def cited(match: re.Match) -> str:
        path = match.group(1).rstrip("/")
        return f"[{match.group(0)}]({repo.file_url(path)})" if path in files else match.group(0)

    parts = FENCE.split(markdown)
    for i in range(0, len(parts), 2):  # las partes impares son bloques de código
        parts[i] = CITED_PATH.sub(cited, LINK.sub(target, parts[i]))
    return "".join(parts)


def badge_repository(nb) -> Repository | None:
    """La dirección del repositorio que citan ahora las insignias del cuaderno (antes de reescribirlas)."""
    for cell in nb.cells:
        match = BADGE_REPO.search(cell.source) if _tagged(cell, BADGES_TAG) else None
        if match:
            return Repository(url=f"https://github.com/{match.group(1)}", branch=match.group(2))
    return None


def sync_notebook(path: Path, repo: Repository, write: bool = True, relative: str | None = None) -> bool:
    """Regenera las celdas ``badges`` y ``bootstrap``, los enlaces al repositorio y los metadatos;
    devuelve si cambió algo.

    ``relative`` es la ruta del cuaderno dentro del repositorio (por defecto, la de ``path``).
    """
    nb = nbformat.read(path, as_version=4)
    relative = relative or path.relative_to(ROOT).as_posix()
    changed = nb.metadata != NOTEBOOK_METADATA
    nb.metadata = NOTEBOOK_METADATA
    old, files = badge_repository(nb), repository_files()
    for cell in nb.cells:
        if cell.cell_type == "markdown" and not _tagged(cell, BADGES_TAG):
            wanted = absolute_links(cell.source, repo, posixpath.dirname(relative), old, files)
        elif _tagged(cell, BADGES_TAG):
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
    parser = SpanishParser(prog="python -m tools.sync_links", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="solo comprueba: no escribe nada y sale con 1 si algo está desfasado")
    write = not parser.parse_args(argv).check
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
