"""Genera los cuadernos del estudiante (``notebooks/``) a partir de las soluciones (``solutions/``).

Las soluciones son la única fuente. En sus celdas de código, cada región

    ### INICIO SOLUCIÓN
    kernel = np.array([[1, 0, -1]] * 3)
    ### FIN SOLUCIÓN

se sustituye por marcadores que el estudiante completa: una línea ``nombre = ____`` por
cada asignación de primer nivel de la región, o ``return ____`` si la región devuelve
algo. La importación ``from helpers.exercises import nbNN as ex`` pasa a importar también
el marcador (``from helpers.exercises import ____, nbNN as ex``). Las celdas de texto
etiquetadas ``solution`` se sustituyen por un espacio para la respuesta.

Uso: ``python -m tools.make_learner_notebooks`` (o ``make notebooks``), o con rutas de
soluciones concretas para generar solo esas.
"""
from __future__ import annotations

import ast
import copy
import re
import sys

import nbformat
from IPython.core.inputtransformer2 import TransformerManager

from helpers.cli import SpanishParser
from tools.course import NOTEBOOKS, ROOT, repository, solution_notebooks
from tools.sync_links import sync_notebook

BEGIN = "### INICIO SOLUCIÓN"
END = "### FIN SOLUCIÓN"
TODO = "  # Tu código aquí"
ANSWER_SPACE = "✍️ *Escribe aquí tu respuesta.*"
EXERCISES_IMPORT = re.compile(r"^from helpers\.exercises import (nb\w+ as ex)$", re.M)
_ASSIGNMENT = re.compile(r"^([A-Za-z_][A-Za-z_0-9]*(?:\s*,\s*[A-Za-z_][A-Za-z_0-9]*)*)\s*(?::[^=]+)?=(?!=)")


class MarkerError(ValueError):
    """Marcadores de solución mal formados en un cuaderno de soluciones."""


def placeholders(region: list[str]) -> list[str]:
    """Líneas que sustituyen a una región de solución.

    Ejemplo:
        >>> placeholders(["    total = a + b", "    return total * 2"])
        ['    return ____  # Tu código aquí']
        >>> placeholders(["x, y = 1, 2"])
        ['x = ____  # Tu código aquí', 'y = ____  # Tu código aquí']
    """
    code = [line for line in region if line.strip() and not line.strip().startswith("#")]
    if not code:
        raise MarkerError("región de solución vacía")
    indent = min(len(line) - len(line.lstrip()) for line in code)
    top_level = [line[indent:] for line in code if len(line) - len(line.lstrip()) == indent]
    pad = " " * indent
    if any(line.startswith("return") for line in top_level):
        return [f"{pad}return ____{TODO}"]
    names: list[str] = []
    for line in top_level:
        match = _ASSIGNMENT.match(line)
        if match:
            names += [name.strip() for name in match.group(1).split(",") if name.strip() not in names]
    if not names:
        return [f"{pad}pass{TODO}"]
    return [f"{pad}{name} = ____{TODO}" for name in names]


def strip_solutions(source: str) -> str:
    """Sustituye cada región ``### INICIO SOLUCIÓN`` … ``### FIN SOLUCIÓN`` por marcadores."""
    out: list[str] = []
    region: list[str] | None = None
    for line in source.splitlines():
        marker = line.strip()
        if marker == BEGIN:
            if region is not None:
                raise MarkerError(f"'{BEGIN}' anidado")
            region = []
        elif marker == END:
            if region is None:
                raise MarkerError(f"'{END}' sin '{BEGIN}'")
            out += placeholders(region)
            region = None
        elif region is not None:
            region.append(line)
        else:
            out.append(line)
    if region is not None:
        raise MarkerError(f"falta '{END}'")
    return "\n".join(out)


def learner_version(solution: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Cuaderno del estudiante correspondiente a un cuaderno de soluciones."""
    nb = copy.deepcopy(solution)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.source = EXERCISES_IMPORT.sub(r"from helpers.exercises import ____, \1",
                                               strip_solutions(cell.source))
            ast.parse(TransformerManager().transform_cell(cell.source))  # sigue siendo válido
        elif "solution" in cell.metadata.get("tags", []):
            cell.source = ANSWER_SPACE
    return nb


def main(argv: list[str]) -> int:
    parser = SpanishParser(prog="python -m tools.make_learner_notebooks", description=__doc__.splitlines()[0])
    parser.add_argument("solutions", nargs="*", metavar="SOLUCIÓN",
                        help="cuadernos de solutions/ que generar (por defecto, todos; borra los que sobran)")
    argv = parser.parse_args(argv).solutions
    missing = [arg for arg in argv if not (ROOT / arg).is_file()]
    if missing:
        parser.error(f"no existe: {', '.join(missing)}")
    repo = repository()
    NOTEBOOKS.mkdir(exist_ok=True)
    expected = set()
    chosen = [ROOT / arg for arg in argv] if argv else solution_notebooks()
    for path in chosen:
        target = NOTEBOOKS / path.name
        expected.add(target)
        nbformat.write(learner_version(nbformat.read(path, as_version=4)), target)
        sync_notebook(target, repo)
        print(f"generado: {target.relative_to(ROOT)}")
    if argv:
        return 0
    for stale in set(NOTEBOOKS.glob("[0-9][0-9]*.ipynb")) - expected:
        stale.unlink()
        print(f"borrado (ya no tiene solución): {stale.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
