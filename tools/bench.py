"""Mide un cuaderno de soluciones en modo completo y anota el resultado en ``benchmarks/results.md``.

Ejecuta el cuaderno de principio a fin con nbclient (``CNN_FAST=0``), mide el tiempo total
(arranque del núcleo incluido) y añade una fila con el resultado que el cuaderno registró con
``helpers.results.record_result``, las épocas, la máquina y la fecha.

Uso: ``python -m tools.bench 04`` (o ``make bench NB=04``). Con ``--fast`` mide el modo rápido
(sirve para probar la medición; esas filas se marcan como modo rápido). Con ``--output RUTA``
guarda además el cuaderno ejecutado, con sus salidas, para revisarlas (no se versiona).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from tools.course import ROOT, SOLUTIONS

RESULTS = ROOT / "benchmarks" / "results.md"
HEADER = (
    "# Mediciones de los cuadernos\n\n"
    "Cada fila es una ejecución completa de un cuaderno de soluciones con `make bench NB=NN`\n"
    "(tiempo total del cuaderno, arranque del núcleo incluido). Los cuadernos citan estas cifras.\n\n"
    "| fecha | cuaderno | modo | resultado | épocas | tiempo total | máquina |\n"
    "|---|---|---|---|---|---|---|\n"
)


def find_solution(number: str, solutions: Path = SOLUTIONS) -> Path:
    """Cuaderno de soluciones cuyo nombre empieza por ``number`` (``"04"``)."""
    matches = sorted(solutions.glob(f"{number}_*.ipynb"))
    if len(matches) != 1:
        raise SystemExit(f"No encuentro un único cuaderno {number}_*.ipynb en {solutions}.")
    return matches[0]


def machine() -> str:
    """Descripción corta de la máquina: procesador, núcleos, memoria y GPU (si la hay)."""
    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = ""
    if hasattr(os, "sysconf") and "SC_PHYS_PAGES" in os.sysconf_names:
        memory = f", {os.sysconf('SC_PHYS_PAGES') * os.sysconf('SC_PAGE_SIZE') / 2**30:.0f} GiB"
    return f"{cpu}, {os.cpu_count()} núcleos{memory}, sin GPU" if not _has_gpu() else f"{cpu}, GPU"


def _has_gpu() -> bool:
    return Path("/dev/nvidia0").exists()


def run(notebook: Path, fast: bool, timeout: int, output: Path | None = None) -> tuple[float, list[dict]]:
    """Ejecuta ``notebook`` y devuelve (segundos, resultados registrados); guarda el ejecutado en ``output``."""
    nb = nbformat.read(notebook, as_version=4)
    with tempfile.TemporaryDirectory() as tmp:
        results_file = Path(tmp) / "results.json"
        env = {"CNN_FAST": "1" if fast else "0", "CNN_RESULTS_FILE": str(results_file),
               "CNN_HEADLESS": "1"}
        saved = {key: os.environ.get(key) for key in env}
        os.environ.update(env)
        try:
            start = time.perf_counter()
            NotebookClient(nb, timeout=timeout, kernel_name="python3",
                           resources={"metadata": {"path": str(notebook.parent)}}).execute()
            seconds = time.perf_counter() - start
        finally:
            if output is not None:
                nbformat.write(nb, output)
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
        results = json.loads(results_file.read_text(encoding="utf-8")) if results_file.exists() else []
    return seconds, results


def format_row(notebook: Path, fast: bool, seconds: float, results: list[dict], when: dt.date,
               where: str) -> str:
    """Fila de la tabla de ``benchmarks/results.md``."""
    if not results:
        raise SystemExit(f"{notebook.name} no registró ningún resultado (falta record_result).")
    shown = "; ".join(f"{r['metric']}: {r['value']:.2%}".replace("%", " %") if 0 <= r["value"] <= 1
                      else f"{r['metric']}: {r['value']:.4g}" for r in results)
    epochs = "; ".join(str(r["epochs"]) for r in results if "epochs" in r) or "—"
    minutes, secs = divmod(round(seconds), 60)
    return (f"| {when.isoformat()} | {notebook.stem} | {'rápido' if fast else 'completo'} | {shown} "
            f"| {epochs} | {minutes} min {secs:02d} s | {where} |\n")


def append_row(row: str, results_md: Path = RESULTS, header: str = HEADER) -> None:
    """Añade ``row`` al final de una tabla de ``benchmarks/`` (la crea con ``header`` si no existe)."""
    results_md.parent.mkdir(parents=True, exist_ok=True)
    if not results_md.exists():
        results_md.write_text(header, encoding="utf-8")
    with results_md.open("a", encoding="utf-8") as table:
        table.write(row)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("number", help="número del cuaderno, p. ej. 04")
    parser.add_argument("--fast", action="store_true", help="medir el modo rápido")
    parser.add_argument("--timeout", type=int, default=3600, help="límite por celda, en segundos")
    parser.add_argument("--results", type=Path, default=RESULTS, help="tabla donde se anota")
    parser.add_argument("--output", type=Path, help="guarda aquí el cuaderno ejecutado")
    args = parser.parse_args(argv)
    notebook = find_solution(args.number)
    print(f"Ejecutando {notebook.name} en modo {'rápido' if args.fast else 'completo'}…", flush=True)
    seconds, results = run(notebook, args.fast, args.timeout, args.output)
    row = format_row(notebook, args.fast, seconds, results, dt.date.today(), machine())
    append_row(row, args.results)
    print(row, end="")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
