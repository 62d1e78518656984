"""Tiempo en clase de cada cuaderno, calculado igual para todos a partir de su contenido y sus mediciones.

Tiempo en clase = lectura + ejercicios + ejecución en clase, redondeado hacia arriba a 5 minutos:

- lectura: las palabras de sus celdas de texto (sin bloques de código) a 100 palabras por minuto,
  una lectura atenta de texto técnico;
- ejercicios: 8 minutos por cada comprobación distinta (``ex.<nombre>.check(…)``) que el cuaderno llama;
- ejecución en clase: el «tiempo total» de su última fila en modo completo de
  ``benchmarks/results.md``, solo si es menor que 10 minutos (se ejecuta en clase, como el 04); si
  es mayor, se ejecuta antes de la clase y no cuenta; sin fila, no cuenta (la guía lo dice). Las
  filas de una ablación o con datos sustitutos (unas pocas épocas por fase) no son la ejecución
  del cuaderno y no cuentan.

Son estimaciones con una regla fija, no mediciones de una clase: sirven para comparar cuadernos y
repartir sesiones. Uso: ``python -m tools.class_time`` imprime la tabla.
"""
from __future__ import annotations

import math
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat

from helpers.cli import SpanishParser
from tools.course import notebook_number, solution_notebooks
from tools.figures import RESULTS, measured_rows

WORDS_PER_MINUTE = 100
MINUTES_PER_EXERCISE = 8
RUN_IN_CLASS_BELOW = 10 * 60   # segundos
CHECK = re.compile(r"\bex\.(\w+)\.check\(")


@dataclass(frozen=True)
class ClassTime:
    """Minutos de lectura, de ejercicios y de ejecución en clase, y el total redondeado."""

    notebook: str
    words: int
    exercises: int
    run_seconds: float | None

    @property
    def total(self) -> int:
        """Minutos en clase, redondeados hacia arriba a 5.

        Ejemplo:
            >>> ClassTime("04", words=2913, exercises=5, run_seconds=338).total
            75
        """
        run = self.run_seconds / 60 if self.run_seconds and self.run_seconds < RUN_IN_CLASS_BELOW else 0
        minutes = self.words / WORDS_PER_MINUTE + self.exercises * MINUTES_PER_EXERCISE + run
        return 5 * math.ceil(minutes / 5)


def last_full_run(notebook: str, results_md: Path = RESULTS) -> float | None:
    """Segundos del «tiempo total» de la fila más reciente del cuaderno (sin ablaciones ni datos
    sustitutos), o ``None``.

    Ejemplo:
        >>> last_full_run("04")   # 338.0 con la fila del 2026-11-30 (5 min 38 s)  # doctest: +SKIP
    """
    rows = sorted((r for r in measured_rows(results_md)
                   if r.notebook == notebook and not r.ablation and not r.standin),
                  key=lambda r: r.date)
    return rows[-1].values["time"][-1] if rows and "time" in rows[-1].values else None


def class_time(path: Path, results_md: Path = RESULTS) -> ClassTime:
    """El tiempo en clase de la solución ``path``.

    Ejemplo:
        >>> class_time(Path("solutions/00_como_usar_el_curso.ipynb")).exercises   # doctest: +SKIP
        1
    """
    cells = nbformat.read(path, as_version=4).cells
    prose = re.sub(r"```.*?```", " ", "\n".join(c.source for c in cells if c.cell_type == "markdown"), flags=re.S)
    checks = {name for c in cells if c.cell_type == "code" for name in CHECK.findall(c.source)}
    number = notebook_number(path)
    return ClassTime(number, len(re.findall(r"\w+", prose)), len(checks), last_full_run(number, results_md))


def main(argv: list[str]) -> int:
    SpanishParser(prog="python -m tools.class_time", description=__doc__.splitlines()[0]).parse_args(argv)
    print("| Cuaderno | Palabras | Ejercicios | Ejecución en clase | Tiempo en clase |\n|---|---|---|---|---|")
    for path in solution_notebooks():
        t = class_time(path)
        run = "antes de la clase" if t.run_seconds and t.run_seconds >= RUN_IN_CLASS_BELOW else (
            f"{t.run_seconds / 60:.0f} min" if t.run_seconds else "sin fila")
        print(f"| {t.notebook} | {t.words} | {t.exercises} | {run} | {t.total} min |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
