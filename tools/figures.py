"""Cifras de la prosa: porcentajes y tiempos que citan los cuadernos, el README y docs/, y de dónde salen.

Una cifra que el texto presenta como resultado («llega al 93,3 %», «tarda 4 min 55 s») debe
salir de una fila de ``benchmarks/results.md`` medida en modo completo (redondeada como la
escribe el texto). Las demás cifras tienen que explicarse solas:

- un parámetro del propio cuaderno: el porcentaje (o su resto hasta el 100 %) está en su código
  (``Dropout(0.3)`` → 30 %, ``validation_split=0.2`` → 20 % y 80 %);
- una cuenta a la vista: ``1/37 ≈ 2,7 %``;
- la literatura: la misma frase cita su fuente, «(Xiao et al., 2017)» o un enlace;
- el tiempo de lectura de **Requisitos** («unos 40 minutos de lectura»), que no es una medición.

Uso: ``python -m tools.figures`` lista las cifras sin fuente (sale con 1 si hay alguna).
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat

from tools.course import ROOT, solution_notebooks

RESULTS = ROOT / "benchmarks" / "results.md"
PERCENT = re.compile(r"(?<![\d,.])(\d+(?:,\d+)?)\s?%")
MIN_SEC = re.compile(r"(?<![\d,.])(\d+)\s?min\s(\d+)\s?s\b")
DURATION = re.compile(r"(?<![\d,.])(\d+(?:,\d+)?)\s?(minutos?|min\b|segundos|s\b|horas?)")
FRACTION = re.compile(r"(\d+)\s?/\s?(\d+)\s?≈\s?(\d+(?:,\d+)?)\s?%")
CITATION = re.compile(r"\([^()]*\b(1[89]|20)\d{2}\)|\]\(https?://")
READING_TIME = re.compile(r"de lectura")
UNIT_SECONDS = {"s": 1, "segundos": 1, "min": 60, "minuto": 60, "minutos": 60, "hora": 3600, "horas": 3600}


@dataclass(frozen=True)
class Figure:
    """Una cifra de la prosa: dónde está, el texto tal cual y su valor (fracción o segundos)."""

    where: str
    sentence: str
    text: str
    kind: str
    value: float

    def __str__(self) -> str:
        return f"{self.where}: «{self.text}» en «{self.sentence.strip()[:140]}»"


def _number(text: str) -> float:
    return float(text.replace(",", "."))


def _decimals(text: str) -> int:
    return len(text.split(",")[1]) if "," in text else 0


def sentences(markdown: str) -> list[str]:
    """Frases de un texto Markdown, sin bloques de código ni fórmulas ``$…$``."""
    markdown = re.sub(r"```.*?```|\$[^$]*\$", "", markdown, flags=re.S)  # código y fórmulas
    return [s for s in re.split(r"(?<=[.:;!?])\s+(?=[A-ZÁÉÍÓÚ¿¡*(-])|\n\s*\n|\n(?=\s*[-|#])", markdown)
            if s.strip()]


def figures_in(markdown: str, where: str) -> list[Figure]:
    """Porcentajes y duraciones de ``markdown`` (las duraciones, en segundos)."""
    found = []
    for sentence in sentences(markdown):
        for match in PERCENT.finditer(sentence):
            found.append(Figure(where, sentence, match.group(0), "percent", _number(match.group(1)) / 100))
        spans = []
        for match in MIN_SEC.finditer(sentence):
            spans.append(match.span())
            found.append(Figure(where, sentence, match.group(0), "time",
                                int(match.group(1)) * 60 + int(match.group(2))))
        for match in DURATION.finditer(sentence):
            if any(start <= match.start() < end for start, end in spans):
                continue
            found.append(Figure(where, sentence, match.group(0), "time",
                                _number(match.group(1)) * UNIT_SECONDS[match.group(2).lower()]))
    return found


def measured_values(results_md: Path = RESULTS) -> dict[str, set[float]]:
    """Valores medidos en modo completo: ``{"percent": {0.9328, …}, "time": {295, …}}``."""
    values: dict[str, set[float]] = {"percent": set(), "time": set()}
    if not results_md.exists():
        return values
    for line in results_md.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 7 or cells[2] != "completo":
            continue
        values["percent"] |= {float(p) / 100 for p in re.findall(r"(\d+(?:\.\d+)?) %", cells[3])}
        time = MIN_SEC.search(cells[5])
        if time:
            total = int(time.group(1)) * 60 + int(time.group(2))
            values["time"].add(total)
            epochs = [int(e) for e in re.findall(r"\d+", cells[4])]
            values["time"] |= {total / e for e in epochs if e}
    return values


def _code_fractions(code: str) -> set[float]:
    """Números del código que pueden leerse como porcentaje (0.3 → 30 % y su resto, 70 %; 12.5 → 12,5 %)."""
    numbers = {float(n) for n in re.findall(r"(?<![\w.])(\d+(?:\.\d+)?)(?![\w.])", code)}
    fractions = {n for n in numbers if n <= 1}
    return fractions | {1 - n for n in fractions} | {n / 100 for n in numbers if n <= 100}


def _rounds_to(value: float, shown: str, scale: float) -> bool:
    """Indica si ``value`` escrito con los decimales de ``shown`` (en unidades ``scale``) da ``shown``."""
    number = _number(shown)
    return abs(value / scale - number) <= 0.5 * 10 ** -_decimals(shown) + 1e-9


def _is_sourced(figure: Figure, measured: dict[str, set[float]], code: set[float]) -> bool:
    if CITATION.search(figure.sentence) or (figure.kind == "time" and READING_TIME.search(figure.sentence)):
        return True
    if figure.kind == "percent":
        shown = PERCENT.match(figure.text).group(1)
        for fraction in FRACTION.finditer(figure.sentence):
            if fraction.group(3) == shown and _rounds_to(int(fraction.group(1)) / int(fraction.group(2)),
                                                          shown, 0.01):
                return True
        if any(abs(value - figure.value) < 1e-9 for value in code):
            return True
        return any(_rounds_to(value, shown, 0.01) for value in measured["percent"])
    shown = figure.text.split()[0]
    scale = UNIT_SECONDS.get(re.sub(r"[\d,\s]", "", figure.text).lower(), 1)
    # «unos 5 minutos» redondea a la unidad que escribe; «4 min 55 s» es exacto.
    tolerance = 1 if MIN_SEC.fullmatch(figure.text) else 0.5 * scale * 10 ** -_decimals(shown) + 0.15 * figure.value
    return any(abs(value - figure.value) <= tolerance for value in measured["time"])


def course_documents() -> list[Path]:
    """Los textos del curso fuera de los cuadernos: el README y ``docs/*.md``."""
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def unsourced_figures(notebooks: list[Path] | None = None, documents: list[Path] | None = None,
                      results_md: Path = RESULTS) -> list[Figure]:
    """Las cifras de la prosa que no salen de ninguna fuente aceptada.

    Ejemplo:
        >>> pending = unsourced_figures()   # lista vacía si todas las cifras tienen fuente
    """
    measured = measured_values(results_md)
    pending = []
    for path in notebooks if notebooks is not None else solution_notebooks():
        cells = nbformat.read(path, as_version=4).cells
        code = _code_fractions("\n".join(c.source for c in cells if c.cell_type == "code"))
        for cell in cells:
            if cell.cell_type == "markdown":
                pending += [f for f in figures_in(cell.source, path.name)
                            if not _is_sourced(f, measured, code)]
    for document in documents if documents is not None else course_documents():
        text = re.sub(r"<!-- (temario|extras):inicio -->.*?<!-- \1:fin -->", "",
                      document.read_text(encoding="utf-8"), flags=re.S)
        pending += [f for f in figures_in(text, document.name) if not _is_sourced(f, measured, set())]
    return pending


def main() -> int:
    pending = unsourced_figures()
    for figure in pending:
        print(figure)
    print(f"{len(pending)} cifras sin fuente.")
    return 1 if pending else 0


if __name__ == "__main__":
    sys.exit(main())
