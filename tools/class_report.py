"""Informe de la clase: qué ejercicios resolvió cada estudiante, leído de sus cuadernos guardados.

Uso: ``python -m tools.class_report CARPETA [--html informe.html] [--csv informe.csv]``
(o ``make report DIR=CARPETA``).

CARPETA tiene un cuaderno por estudiante (``ana.ipynb``: el estudiante es el nombre del archivo)
o una carpeta por estudiante con sus cuadernos (``ana/04_primera_cnn.ipynb``: el estudiante es la
carpeta). Cada ``check`` y cada ``choose`` de un ejercicio guarda en su salida un registro
(``helpers.exercises.core.RECORD_MIME``); el informe los lee con nbformat, **sin ejecutar nada**,
y el último registro de un ejercicio (por número de ejecución) es el que cuenta. Las columnas son
los ejercicios del módulo del cuaderno (``helpers.exercises.nb04``): uno que nunca se comprobó sale
«no ejecutado». Como lee salidas guardadas, que un estudiante puede editar, el informe sirve para
ver quién se atasca, no para calificar.
"""
from __future__ import annotations

import csv
import html
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat

from helpers.cli import SpanishParser
from helpers.exercises.core import RECORD_MIME, course_exercises

#: Estado del registro → lo que dice el informe.
LABELS = {"correct": "correcto", "incorrect": "incorrecto", "not_attempted": "sin responder"}
NOT_RUN = "no ejecutado"
NO_NOTEBOOK = "sin cuaderno"
COLORS = {"correcto": "#c8e6c9", "incorrecto": "#ffcdd2", "sin responder": "#bbdefb",
          NOT_RUN: "#eeeeee", NO_NOTEBOOK: "#ffffff"}
#: El cuaderno al que pertenece un archivo, por la línea que importa sus ejercicios.
EXERCISE_IMPORT = re.compile(r"helpers\.exercises(?:\.|\s+import\s[^\n]*?\b)nb(\d\d[a-z]?)\b")

LIMITS = ("El informe lee las salidas guardadas en los cuadernos, sin ejecutarlos: un estudiante "
          "puede editarlas, así que sirve para ver quién se atasca (evaluación formativa), no "
          "como prueba para calificar. Para calificar, nbgrader u otter-grader ejecutan de nuevo "
          "cada cuaderno entregado con pruebas ocultas en un entorno controlado.")


@dataclass(frozen=True)
class Submission:
    """El cuaderno de un estudiante: a qué cuaderno del curso corresponde y el estado de cada ejercicio."""

    learner: str
    notebook: str
    path: Path
    statuses: dict[str, str]


def read_submission(path: Path, learner: str) -> Submission | None:
    """Lee los registros de un cuaderno guardado (sin ejecutarlo); ``None`` si no es del curso.

    Ejemplo:
        >>> from tools.course import NOTEBOOKS
        >>> read_submission(NOTEBOOKS / "00_como_usar_el_curso.ipynb", "ana").statuses
        {}
    """
    notebook = nbformat.read(path, as_version=4)
    records = []
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        for position, output in enumerate(cell.get("outputs", [])):
            record = output.get("data", {}).get(RECORD_MIME)
            if isinstance(record, dict) and record.get("status") in LABELS:
                records.append(((cell.get("execution_count") or 0, index, position), record))
    records.sort(key=lambda item: item[0])
    found = {record.get("notebook") for _, record in records}
    found |= set(EXERCISE_IMPORT.findall("\n".join(c.source for c in notebook.cells if c.cell_type == "code")))
    found.discard(None)
    if len(found) != 1:
        return None
    (number,) = found
    statuses = {record["exercise"]: LABELS[record["status"]] for _, record in records
                if record.get("notebook") == number}
    return Submission(learner, number, path, statuses)


def collect(folder: Path) -> tuple[list[Submission], list[str]]:
    """Los cuadernos de CARPETA (uno por estudiante o una carpeta por estudiante) y los avisos.

    Si un estudiante tiene dos archivos del mismo cuaderno, cuenta el modificado más tarde.
    """
    chosen: dict[tuple[str, str], Submission] = {}
    warnings = []
    for path in sorted(folder.rglob("*.ipynb")):
        if ".ipynb_checkpoints" in path.parts:
            continue
        relative = path.relative_to(folder)
        learner = relative.parts[0] if len(relative.parts) > 1 else path.stem
        try:
            submission = read_submission(path, learner)
        except Exception as error:  # un archivo dañado no detiene el informe de la clase
            warnings.append(f"{relative}: no se puede leer como cuaderno ({type(error).__name__}).")
            continue
        if submission is None:
            warnings.append(f"{relative}: no es un cuaderno con ejercicios del curso; lo salto.")
            continue
        key = (learner, submission.notebook)
        if key in chosen:
            older, submission = sorted([chosen[key], submission], key=lambda s: s.path.stat().st_mtime)
            warnings.append(f"{learner} tiene dos cuadernos {submission.notebook}: cuento "
                            f"{submission.path.relative_to(folder)}, no {older.path.relative_to(folder)}.")
        chosen[key] = submission
    return list(chosen.values()), warnings


@dataclass(frozen=True)
class Column:
    """Un ejercicio del curso: cuaderno, nombre en su módulo y título."""

    notebook: str
    exercise: str
    title: str

    @property
    def header(self) -> str:
        return f"{self.notebook} · {self.title}"


def class_table(submissions: list[Submission]) -> tuple[list[Column], dict[str, list[str]]]:
    """Columnas (los ejercicios de cada cuaderno entregado, en el orden del curso) y una fila por estudiante.

    Ejemplo:
        >>> columns, rows = class_table([Submission("ana", "00", Path("ana.ipynb"), {"batch_size": "incorrecto"})])
        >>> [column.exercise for column in columns], rows
        (['batch_size'], {'ana': ['incorrecto']})
    """
    columns = [Column(number, name, exercise.title)
               for number in sorted({s.notebook for s in submissions})
               for name, exercise in course_exercises(f"helpers.exercises.nb{number}").items()]
    by_learner: dict[str, dict[str, Submission]] = {}
    for submission in submissions:
        by_learner.setdefault(submission.learner, {})[submission.notebook] = submission
    rows = {}
    for learner in sorted(by_learner, key=str.casefold):
        row = []
        for column in columns:
            submission = by_learner[learner].get(column.notebook)
            row.append(NO_NOTEBOOK if submission is None else submission.statuses.get(column.exercise, NOT_RUN))
        rows[learner] = row
    return columns, rows


def write_csv(path: Path, columns: list[Column], rows: dict[str, list[str]]) -> None:
    """Escribe la tabla en CSV (UTF-8, una fila por estudiante)."""
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["estudiante", *(column.header for column in columns)])
        for learner, row in rows.items():
            writer.writerow([learner, *row])


def html_report(columns: list[Column], rows: dict[str, list[str]], warnings: list[str]) -> str:
    """La tabla en una página HTML autónoma (sin recursos externos), en español."""
    def esc(text: str) -> str:
        return html.escape(text, quote=True)

    head = "".join(f'<th title="ex.{esc(c.exercise)}">{esc(c.header)}</th>' for c in columns)
    body = "".join(
        f"<tr><th>{esc(learner)}</th>"
        + "".join(f'<td style="background:{COLORS[status]}">{esc(status)}</td>' for status in row)
        + "</tr>"
        for learner, row in rows.items())
    totals = "".join(
        f"<td>{sum(row[i] == 'correcto' for row in rows.values())} de {len(rows)}</td>"
        for i in range(len(columns)))
    notes = "".join(f"<li>{esc(text)}</li>" for text in warnings)
    legend = ("<p>Cada celda dice el último resultado de la comprobación guardado en el cuaderno: "
              "<b>correcto</b>, <b>incorrecto</b>, <b>sin responder</b> (quedaba el marcador "
              "<code>____</code>), <b>no ejecutado</b> (el cuaderno no guarda ninguna comprobación "
              "de ese ejercicio: no se ejecutó o se borraron las salidas) o <b>sin cuaderno</b>.</p>")
    return f"""<!DOCTYPE html>
<html lang="es"><head><meta charset="utf-8"><title>Informe de la clase</title>
<style>
body {{ font-family: sans-serif; margin: 2em; }}
table {{ border-collapse: collapse; }}
th, td {{ border: 1px solid #999; padding: .3em .6em; text-align: left; }}
thead th {{ background: #f5f5f5; }}
.aviso {{ border-left: 4px solid #f9a825; padding: .5em 1em; background: #fffde7; }}
</style></head>
<body>
<h1>Informe de la clase</h1>
<p class="aviso">{esc(LIMITS)}</p>
{legend}
<table>
<thead><tr><th>Estudiante</th>{head}</tr></thead>
<tbody>{body}</tbody>
<tfoot><tr><th>Correctos</th>{totals}</tr></tfoot>
</table>
{f"<h2>Avisos</h2><ul>{notes}</ul>" if notes else ""}
</body></html>
"""


def main(argv: list[str] | None = None) -> int:
    parser = SpanishParser(prog="python -m tools.class_report", description=__doc__.splitlines()[0],
                           epilog=LIMITS)
    parser.add_argument("folder", metavar="CARPETA", type=Path,
                        help="carpeta con un cuaderno por estudiante o una carpeta por estudiante")
    parser.add_argument("--html", type=Path, metavar="SALIDA.html", help="escribe la tabla en esta página HTML")
    parser.add_argument("--csv", type=Path, metavar="SALIDA.csv", help="escribe la tabla en este CSV")
    args = parser.parse_args(argv)
    if args.html is None and args.csv is None:
        parser.error("indica dónde escribir el informe: --html SALIDA.html, --csv SALIDA.csv o los dos")
    if not args.folder.is_dir():
        parser.error(f"{args.folder} no es una carpeta")
    submissions, warnings = collect(args.folder)
    for text in warnings:
        print(f"Aviso: {text}", file=sys.stderr)
    if not submissions:
        parser.error(f"{args.folder} no tiene cuadernos con ejercicios del curso")
    columns, rows = class_table(submissions)
    if args.csv:
        write_csv(args.csv, columns, rows)
    if args.html:
        args.html.write_text(html_report(columns, rows, warnings), encoding="utf-8")
    written = " y ".join(str(path) for path in (args.html, args.csv) if path)
    print(f"{len(rows)} estudiantes, {len(columns)} ejercicios: escrito {written}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
