"""Cifras de la prosa (porcentajes, tiempos, velocidades, tamaños) de cuadernos, README, docs/ y CONTRIBUTING.

Una cifra que el texto presenta como resultado («llega al 93,3 %», «tarda 4 min 55 s», «134 fotos
por segundo») debe salir de una fila **del mismo cuaderno** en ``benchmarks/results.md`` (modo
completo) o, para las peticiones por segundo del 09, en ``benchmarks/api.md``:

- de la fila más reciente de cada serie del cuaderno; una fila anterior solo si la frase da su
  fecha («en la medición del 2026-11-24»);
- las filas de una ablación («05b_… (ablación: …)», y las antiguas del 05) solo en frases sobre
  la ablación (la frase o su sección dicen «ablación»);
- de las filas con datos sustitutos («08a_… (datos sustitutos: solo tiempos)», ``make bench …
  SUSTITUTOS=1``), solo los tiempos de su «resultado» («segundos por época de…»): ni porcentajes
  (los datos son sintéticos) ni el «tiempo total» (el de unas pocas épocas por fase, no el del
  cuaderno);
- redondeada como la escribe el texto y nada más: «unos 18 minutos» tiene que redondear a 18 en
  minutos; «4 min 55 s», al segundo.

En el README, docs/ y CONTRIBUTING la frase, la fila de la tabla o un título de su sección
nombran el cuaderno («04», «07a y 07b»): sin cuaderno, una cifra no tiene fila. Allí un tiempo en
minutos también puede ser el tiempo en clase (``python -m tools.class_time``) de uno de los
cuadernos que nombra o la suma de los de varios: «| 1 | 00, 01, 02 | 135 min |».

Las demás cifras tienen que explicarse solas:

- un parámetro que la frase nombra entre acentos graves: el porcentaje (o su resto hasta el
  100 %) es un literal de una línea del cuaderno o de su módulo de ejercicios que contiene ese
  nombre, o del cuerpo de la función de ese nombre (``Dropout(0.3)`` → 30 %);
- una cuenta a la vista: ``1/37 ≈ 2,7 %``;
- la literatura: la misma frase cita su fuente, «(Xiao et al., 2017)» o un enlace;
- el tiempo de lectura de **Requisitos** («unos 40 minutos de lectura»), que no es una medición;
- una medición que no es de un cuaderno (el disco del entorno, una orden): la frase dice que es
  «medido», con qué orden (entre acentos graves) y en qué fecha (``2026-12-06``);
- una estimación que la frase llama así («estimación: …»).

Los tamaños («8,2 GB», «68 MB») solo tienen esas dos fuentes y la literatura. No se comprueban
las cifras escritas con palabras («unos segundos», «unos pocos minutos»), ni que una cifra hable
de la medida correcta de su fila: basta con que la fila tenga un valor de la misma clase que,
redondeado como lo escribe el texto, coincida.

Uso: ``python -m tools.figures`` lista las cifras sin fuente (sale con 1 si hay alguna).
"""
from __future__ import annotations

import ast
import functools
import itertools
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from helpers.cli import SpanishParser
from helpers.results import is_seconds
from tools.bench import STANDIN_LABEL
from tools.course import ROOT, notebook_number, solution_notebooks

RESULTS = ROOT / "benchmarks" / "results.md"
API = ROOT / "benchmarks" / "api.md"
EXERCISES = ROOT / "helpers" / "exercises"
NUMBER = r"(?<![\d,.])(\d+(?:[.,]\d+)?)"
PROSE_UNITS = {  # clase de cifra → cómo la escribe la prosa
    "percent": re.compile(NUMBER + r"\s?%"),
    "images": re.compile(NUMBER + r"\s?(?:img/s|imágenes/s|fotos/s|(?:imágenes|fotos) por segundo)"),
    "gflops": re.compile(NUMBER + r"\s?GFLOP/s"),
    "requests": re.compile(NUMBER + r"\s?(?:peticiones/s|peticiones por segundo)"),
    "size": re.compile(NUMBER + r"\s?(?:GB|MB)\b"),
}
ROW_RATES = {"images": ("imágenes/s", "fotos/s", "img/s"), "gflops": ("GFLOP/s",), "requests": ("peticiones/s",)}
MIN_SEC = re.compile(r"(?<![\d,.])(\d+)\s?min\s(\d+)\s?s\b")
DURATION = re.compile(NUMBER + r"\s?(minutos?|min\b|segundos?|s\b|horas?)")
UNIT_SECONDS = {"s": 1, "segundo": 1, "segundos": 1, "min": 60, "minuto": 60, "minutos": 60,
                "hora": 3600, "horas": 3600}
FRACTION = re.compile(r"(\d+)\s?/\s?(\d+)\s?[≈=]\s?(\d+(?:[.,]\d+)?)\s?%")
CITATION = re.compile(r"\([^()]*\b(1[89]|20)\d{2}\)|\]\(https?://")
READING_TIME = re.compile(r"de lectura")
MEASURED = re.compile(r"\bmedid[oa]s?\b", re.I)
ESTIMATE = re.compile(r"\bestimaci[oó]n\b|\bestimad[oa]s?\b", re.I)
DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
NOTEBOOK_NAME = re.compile(r"(?<![\w.,:-])(0\d[ab]?)(?![\w-]|[.,:]\d)")
CODE_SPAN = re.compile(r"`([^`]+)`")
IDENTIFIER = re.compile(r"[A-Za-z_]\w{2,}")
LITERAL = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)(?![\w.])")
HEADING = re.compile(r"^(#{1,6})\s+(.*)")


@dataclass(frozen=True)
class Figure:
    """Una cifra de la prosa: dónde está, su frase y su sección, el texto, la clase y el valor.

    ``value`` va en las unidades de las filas (porcentaje, segundos, imágenes/s…) y ``tolerance``
    es medio paso de la última cifra escrita: «91,2 %» admite de 91,15 a 91,25.
    """

    where: str
    sentence: str
    section: str
    text: str
    kind: str
    value: float
    tolerance: float

    def __str__(self) -> str:
        return f"{self.where}: «{self.text}» en «{' '.join(self.sentence.split())[:140]}»"


@dataclass
class Row:
    """Una medición: cuaderno (``"05"``), serie (la columna «cuaderno»), fecha y valores por clase.

    ``ablation``: una variante de una ablación; ``standin``: una medición de tiempos con datos sustitutos.
    """

    notebook: str
    series: str
    date: str
    ablation: bool = False
    standin: bool = False
    values: dict[str, list[float]] = field(default_factory=dict)

    def add(self, kind: str, value: float) -> None:
        self.values.setdefault(kind, []).append(value)


def _number(text: str) -> float:
    return float(text.replace(",", "."))


def _half_step(text: str) -> float:
    """Medio paso de la última cifra de ``text``: 0,5 para «91», 0,05 para «91,2» o «91.2»."""
    decimals = re.split(r"[.,]", text)[1:]
    return 0.5 * 10 ** -len(decimals[0]) if decimals else 0.5


def sentences(markdown: str) -> list[str]:
    """Frases de un texto Markdown, sin bloques de código ni fórmulas ``$…$``."""
    markdown = re.sub(r"```.*?```|\$[^$]*\$", "", markdown, flags=re.S)  # código y fórmulas
    return [s for s in re.split(r"(?<=[.:;!?])\s+(?=[A-ZÁÉÍÓÚ¿¡*(-])|\n\s*\n|\n(?=\s*[-|#])", markdown)
            if s.strip()]


def sections(markdown: str, titles: list[str] | None = None) -> list[tuple[str, str]]:
    """Pares ``(frase, títulos de su sección)``; ``titles`` lleva los títulos abiertos de un texto a otro.

    Ejemplo:
        >>> sections("## 04 · Fashion\\nLa red.\\n\\nLlega al 91 %.")[-1]
        ('Llega al 91 %.', '04 · Fashion')
    """
    titles = [] if titles is None else titles
    found = []
    text = re.sub(r"```.*?```", "", markdown, flags=re.S)
    for part in re.split(r"(?m)^(?=#{1,6}\s)", text):
        heading = HEADING.match(part)
        if heading:
            level = len(heading.group(1))
            del titles[level - 1:]
            titles += [""] * (level - 1 - len(titles)) + [heading.group(2).strip()]
        found += [(sentence, " · ".join(t for t in titles if t)) for sentence in sentences(part)]
    return found


def _matches(sentence: str) -> list[tuple[int, str, str, float, float]]:
    """``(posición, texto, clase, valor, tolerancia)`` de cada cifra de una frase, en orden."""
    found = []
    for kind, pattern in PROSE_UNITS.items():
        found += [(m.start(), m.group(0), kind, _number(m.group(1)), _half_step(m.group(1)))
                  for m in pattern.finditer(sentence)]
    spans = [m.span() for m in MIN_SEC.finditer(sentence)]
    found += [(m.start(), m.group(0), "time", int(m.group(1)) * 60 + int(m.group(2)), 0.5)
              for m in MIN_SEC.finditer(sentence)]
    for m in DURATION.finditer(sentence):
        if not any(start <= m.start() < end for start, end in spans):
            scale = UNIT_SECONDS[m.group(2).lower()]
            found.append((m.start(), m.group(0), "time", _number(m.group(1)) * scale, _half_step(m.group(1)) * scale))
    return sorted(found, key=lambda match: match[0])


def figures_in(markdown: str, where: str, titles: list[str] | None = None) -> list[Figure]:
    """Porcentajes, duraciones (en segundos) y velocidades de ``markdown``.

    Ejemplo:
        >>> [f.text for f in figures_in("Llega al 91.2 % a 134 fotos/s en unos 6 minutos.", "x")]
        ['91.2 %', '134 fotos/s', '6 minutos']
    """
    return [Figure(where, sentence, section, *match[1:])
            for sentence, section in sections(markdown, titles) for match in _matches(sentence)]


def _table_rows(path: Path) -> list[dict[str, str]]:
    """Filas de las tablas Markdown de ``path``, como ``{columna: celda}`` según la cabecera."""
    rows, header = [], None
    for line in path.read_text(encoding="utf-8").splitlines() if path.exists() else []:
        if not line.startswith("|"):
            header = None
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if header is None:
            header = cells
        elif len(cells) == len(header) and not re.fullmatch(r"[-:\s]*", "".join(cells)):
            rows.append(dict(zip(header, cells)))
    return rows


def _result_row(cells: dict[str, str]) -> Row:
    """Una fila de results.md: los valores de «resultado» y el «tiempo total» (de una fila con datos
    sustitutos, solo sus tiempos de «resultado»)."""
    name = cells["cuaderno"]
    row = Row(notebook_number(name.split()[0]), name, cells["fecha"], "(ablación" in name,
              f"({STANDIN_LABEL})" in name)
    for item in cells["resultado"].split(";"):
        label, _, value = item.rpartition(":")
        number = re.search(r"\d+(?:\.\d+)?", value)
        if not number:
            continue
        kinds = [kind for kind, labels in ROW_RATES.items() if any(unit in label for unit in labels)]
        if is_seconds(label) and "%" not in value:
            row.add("time", float(number.group()))
        elif row.standin:
            continue
        elif "%" in value:
            row.add("percent", float(number.group()))
        elif kinds:
            row.add(kinds[0], float(number.group()))
    total = MIN_SEC.search(cells.get("tiempo total", ""))
    if total and not row.standin:
        row.add("time", int(total.group(1)) * 60 + int(total.group(2)))
    return row


def measured_rows(results_md: Path = RESULTS, api_md: Path = API) -> list[Row]:
    """Las mediciones en modo completo de results.md y la carga de la API (09) de api.md.

    Las columnas se leen por el nombre de la cabecera, así que da igual su orden o que falte
    alguna que no se usa (como «código» en las filas antiguas).

    Ejemplo:
        >>> rows = measured_rows()   # [Row(notebook='04', series='04_primera_cnn_fashion_mnist', …), …]
    """
    rows = [_result_row(cells) for cells in _table_rows(results_md)
            if {"fecha", "cuaderno", "resultado"} <= cells.keys() and cells.get("modo") == "completo"]
    for cells in _table_rows(api_md):
        if "peticiones/s" in cells and "fecha" in cells:
            row = Row("09", f"API con concurrencia {cells.get('concurrencia', '?')}", cells["fecha"])
            row.add("requests", _number(cells["peticiones/s"]))
            rows.append(row)
    return rows


def citable_rows(rows: list[Row], notebooks: set[str], sentence: str, section: str) -> list[Row]:
    """Las filas que puede citar una frase: la última de cada serie de sus cuadernos y las de las fechas que da.

    Ejemplo:
        >>> rows = [Row("04", "04", "2026-11-29"), Row("04", "04", "2026-11-30")]
        >>> [r.date for r in citable_rows(rows, {"04"}, "Llegó al 91 %.", "")]
        ['2026-11-30']
    """
    about_ablation = "ablación" in f"{sentence} {section}".lower()
    own = sorted((r for r in rows if r.notebook in notebooks and (about_ablation or not r.ablation)),
                 key=lambda r: r.date)
    newest = {r.series: r for r in own}
    dates = set(DATE.findall(sentence))
    return list(newest.values()) + [r for r in own if r.date in dates]


def named_notebooks(text: str, known: set[str]) -> set[str]:
    """Cuadernos que nombra ``text`` («04», «07a y 07b»; «07» vale por los dos), sin fechas ni tiempos.

    Ejemplo:
        >>> sorted(named_notebooks("Los cuadernos 07 y 09 (2026-11-04, 6 min 05 s)", {"04", "07a", "07b", "09"}))
        ['07a', '07b', '09']
    """
    text = MIN_SEC.sub("", DATE.sub("", text))
    return {number for name in NOTEBOOK_NAME.findall(text) for number in known if number.startswith(name)}


def _names_and_literals(code: str) -> dict[str, set[float]]:
    """``{nombre: literales}``: los números de cada línea del código que contiene el nombre, y los del
    cuerpo de cada función o clase para su nombre (sin comentarios)."""
    found: dict[str, set[float]] = {}
    for line in code.splitlines():
        line = re.sub(r"#.*", "", line)
        for name in IDENTIFIER.findall(line):
            found.setdefault(name, set()).update(float(n) for n in LITERAL.findall(line))
    try:
        tree = ast.parse(code)
    except SyntaxError:  # celdas con órdenes de IPython: solo las líneas
        return found
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            body = re.sub(r"#.*", "", ast.get_source_segment(code, node) or "")
            found.setdefault(node.name, set()).update(float(n) for n in LITERAL.findall(body))
    return found


def _parameter_percents(sentence: str, literals: dict[str, set[float]]) -> set[float]:
    """Porcentajes que dan los parámetros que la frase nombra entre acentos graves: 0.3 → 30 % y 70 %."""
    names = {name for span in CODE_SPAN.findall(sentence) for name in IDENTIFIER.findall(span)}
    numbers = set().union(*(literals.get(name, set()) for name in names))
    return {100 * n for n in numbers if n <= 1} | {100 * (1 - n) for n in numbers if n <= 1} | {
        n for n in numbers if n <= 100}


def _explains_itself(figure: Figure, literals: dict[str, set[float]]) -> bool:
    """Cifras que no salen de una fila: literatura, estimaciones, mediciones con orden y fecha, tiempo
    de lectura, cuentas a la vista y parámetros nombrados."""
    if CITATION.search(figure.sentence) or ESTIMATE.search(figure.sentence):
        return True
    if MEASURED.search(figure.sentence) and DATE.search(figure.sentence) and CODE_SPAN.search(figure.sentence):
        return True
    if figure.kind == "time":
        return bool(READING_TIME.search(figure.sentence))
    if figure.kind != "percent":
        return False
    shown = PROSE_UNITS["percent"].match(figure.text).group(1)
    computed = {100 * int(f.group(1)) / int(f.group(2)) for f in FRACTION.finditer(figure.sentence)
                if f.group(3) == shown}
    return any(abs(v - figure.value) <= figure.tolerance + 1e-9
               for v in computed | _parameter_percents(figure.sentence, literals))


def is_sourced(figure: Figure, rows: list[Row], notebooks: set[str],
               literals: dict[str, set[float]] | None = None) -> bool:
    """Indica si la cifra sale de una fila citable de ``notebooks`` o se explica sola.

    Ejemplo:
        >>> row = Row("04", "04", "2026-11-30", values={"percent": [91.18]})
        >>> [is_sourced(f, [row], {"04"}) for f in figures_in("Llegó al 91,2 % (y no al 91,3 %).", "x")]
        [True, False]
    """
    if _explains_itself(figure, literals or {}):
        return True
    return any(abs(value - figure.value) <= figure.tolerance + 1e-9
               for row in citable_rows(rows, notebooks, figure.sentence, figure.section)
               for value in row.values.get(figure.kind, ()))


@functools.cache
def _class_minutes() -> dict[str, int]:
    """Minutos en clase de cada cuaderno, según ``tools.class_time``."""
    from tools.class_time import class_time  # class_time importa este módulo

    return {notebook_number(path): class_time(path).total for path in solution_notebooks()}


def is_class_time(figure: Figure, notebooks: set[str]) -> bool:
    """Indica si un tiempo es el tiempo en clase de uno de ``notebooks`` o la suma de los de varios.

    Ejemplo:
        >>> [f] = figures_in("| 1 | 00, 01 | 75 min |", "x")
        >>> is_class_time(f, {"00", "01"})   # 20 + 55 con la tabla de hoy  # doctest: +SKIP
        True
    """
    minutes = [_class_minutes()[n] for n in sorted(notebooks) if n in _class_minutes()]
    sums = {sum(group) for size in range(1, len(minutes) + 1) for group in itertools.combinations(minutes, size)}
    return figure.kind == "time" and any(abs(60 * total - figure.value) <= figure.tolerance for total in sums)


def course_documents() -> list[Path]:
    """Los textos del curso fuera de los cuadernos: el README, ``docs/*.md`` y CONTRIBUTING."""
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")), ROOT / "CONTRIBUTING.md"]


def _notebook_pending(path: Path, rows: list[Row]) -> list[Figure]:
    """Cifras sin fuente en la prosa de un cuaderno (frente a sus filas y su código)."""
    number = notebook_number(path)
    cells = nbformat.read(path, as_version=4).cells
    exercises = EXERCISES / f"nb{number}.py"
    sources = [c.source for c in cells if c.cell_type == "code"]
    literals: dict[str, set[float]] = {}
    for source in sources + ([exercises.read_text(encoding="utf-8")] if exercises.exists() else []):
        for name, numbers in _names_and_literals(source).items():
            literals.setdefault(name, set()).update(numbers)
    titles: list[str] = []
    return [f for cell in cells if cell.cell_type == "markdown"
            for f in figures_in(cell.source, path.name, titles) if not is_sourced(f, rows, {number}, literals)]


def unsourced_figures(notebooks: list[Path] | None = None, documents: list[Path] | None = None,
                      results_md: Path = RESULTS, api_md: Path = API) -> list[Figure]:
    """Las cifras de la prosa que no salen de ninguna fuente aceptada.

    Ejemplo:
        >>> pending = unsourced_figures()   # lista vacía si todas las cifras tienen fuente
    """
    rows = measured_rows(results_md, api_md)
    notebooks = solution_notebooks() if notebooks is None else notebooks
    known = {notebook_number(p) for p in notebooks} | {r.notebook for r in rows} | _class_minutes().keys()
    pending = [f for path in notebooks for f in _notebook_pending(path, rows)]
    for document in course_documents() if documents is None else documents:
        text = re.sub(r"<!-- (temario|extras):inicio -->.*?<!-- \1:fin -->", "",
                      document.read_text(encoding="utf-8"), flags=re.S)
        for figure in figures_in(text, document.name):
            named = named_notebooks(figure.sentence, known) or named_notebooks(figure.section, known)
            if not (is_sourced(figure, rows, named) or is_class_time(figure, named)):
                pending.append(figure)
    return pending


def main(argv: list[str]) -> int:
    SpanishParser(prog="python -m tools.figures", description=__doc__.splitlines()[0]).parse_args(argv)
    pending = unsourced_figures()
    for figure in pending:
        print(figure)
    print(f"{len(pending)} cifras sin fuente.")
    return 1 if pending else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
