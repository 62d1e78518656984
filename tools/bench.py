"""Mide un cuaderno de soluciones en modo completo y anota el resultado en ``benchmarks/results.md``.

Ejecuta el cuaderno de principio a fin con nbclient (``CNN_FAST=0``) y comprobaciones estrictas
(``CNN_STRICT_CHECKS=1``), mide el tiempo total (arranque del núcleo incluido) y añade una fila con
el resultado que el cuaderno registró con ``helpers.results.record_result``, las épocas que de
verdad corrieron, la máquina (con la extensión vectorial del procesador y si TensorFlow usó
oneDNN), el *commit* del código y la fecha. Si una celda falla (también una comprobación de un
ejercicio), no anota nada y termina con error. Este módulo es el dueño del formato de la fila.

Uso: ``python -m tools.bench 04`` (o ``make bench NB=04``). Con ``--fast`` mide el modo rápido
(sirve para probar la medición; esas filas se marcan como modo rápido). Con ``--output RUTA``
guarda además el cuaderno ejecutado, con sus salidas y la fila de su ejecución en los metadatos
(no se versiona; el sitio del curso, ``make site``, lo publica).

Con ``--sustitutos`` (``make bench NB=08a SUSTITUTOS=1``) mide solo tiempos, para los cuadernos
cuyos datos no hay en el equipo (07a, 07b, 08a, 08b: Oxford-IIIT Pet): usa la réplica de prueba
al tamaño oficial (``tools.standin_data``, que se crea una vez en ``data/sustitutos/``), entrena
como mucho ``--epocas`` épocas por fase (2 por omisión, con ``CNN_EPOCHS_MAX``) y anota solo los
resultados que son tiempos («segundos…»), en una fila «NN_… (datos sustitutos: solo tiempos)».
Las exactitudes de esos datos no significan nada y no se anotan.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from helpers.cli import SpanishParser
from helpers.results import format_result, is_seconds
from tools.course import ROOT, SOLUTIONS
from tools.standin_data import official_size_mirror

RESULTS = ROOT / "benchmarks" / "results.md"
COLUMNS = ("fecha", "cuaderno", "modo", "resultado", "épocas", "tiempo total", "máquina", "código")
HEADER = (
    "# Mediciones de los cuadernos\n\n"
    "Cada fila es una ejecución completa de un cuaderno de soluciones con `make bench NB=NN`\n"
    "(tiempo total del cuaderno, arranque del núcleo incluido). Los cuadernos citan estas cifras.\n\n"
    f"| {' | '.join(COLUMNS)} |\n"
    f"|{'---|' * len(COLUMNS)}\n"
)
#: Carpeta de la réplica de prueba al tamaño oficial (``replica/``) y de su caché preparada (``cache/``).
STANDIN = ROOT / "data" / "sustitutos"
#: Lo que la columna «cuaderno» añade al nombre en las mediciones con datos sustitutos.
STANDIN_LABEL = "datos sustitutos: solo tiempos"
#: Épocas por fase, por omisión, en las mediciones con datos sustitutos.
STANDIN_EPOCHS = 2
#: Extensiones vectoriales x86 de la más ancha a la más estrecha: (opción de /proc/cpuinfo, nombre).
VECTOR_EXTENSIONS = (("avx512f", "AVX-512"), ("avx2", "AVX2"), ("avx", "AVX"), ("sse4_2", "SSE4.2"),
                     ("sse2", "SSE2"))


def find_solution(number: str, solutions: Path = SOLUTIONS) -> Path:
    """Cuaderno de soluciones cuyo nombre empieza por ``number`` (``"04"``)."""
    matches = sorted(solutions.glob(f"{number}_*.ipynb"))
    if len(matches) != 1:
        raise SystemExit(f"No encuentro un único cuaderno {number}_*.ipynb en {solutions}.")
    return matches[0]


def vector_extension(cpuinfo: str) -> str:
    """La extensión vectorial más ancha que anuncia un texto de ``/proc/cpuinfo`` (``"—"`` si ninguna).

    Ejemplo:
        >>> vector_extension("flags\\t\\t: fpu sse2 avx avx2 fma\\n")
        'AVX2'
    """
    flags = next((set(line.split(":", 1)[1].split()) for line in cpuinfo.splitlines()
                  if line.startswith("flags")), set())
    return next((name for flag, name in VECTOR_EXTENSIONS if flag in flags), "—")


def hardware(cpuinfo_path: Path = Path("/proc/cpuinfo")) -> str:
    """Procesador, núcleos, memoria y GPU (si la hay).

    Ejemplo:
        >>> " núcleos" in hardware() or hardware().endswith(", GPU")
        True
    """
    cpu = platform.processor() or platform.machine()
    if cpuinfo_path.exists():
        for line in cpuinfo_path.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = ""
    if hasattr(os, "sysconf") and "SC_PHYS_PAGES" in os.sysconf_names:
        memory = f", {os.sysconf('SC_PHYS_PAGES') * os.sysconf('SC_PAGE_SIZE') / 2**30:.0f} GiB"
    return f"{cpu}, {os.cpu_count()} núcleos{memory}, sin GPU" if not _has_gpu() else f"{cpu}, GPU"


def machine(onednn: bool | None, cpuinfo_path: Path = Path("/proc/cpuinfo")) -> str:
    """Columna «máquina»: ``hardware()``, la extensión vectorial y si TensorFlow usó oneDNN
    (``None``: el cuaderno no cargó TensorFlow).

    Ejemplo:
        >>> machine(True).endswith("oneDNN activado")
        True
    """
    cpuinfo = cpuinfo_path.read_text() if cpuinfo_path.exists() else ""
    state = {True: "activado", False: "desactivado", None: "—"}[onednn]
    return f"{hardware(cpuinfo_path)}, {vector_extension(cpuinfo)}, oneDNN {state}"


def _has_gpu() -> bool:
    return Path("/dev/nvidia0").exists()


def code_version(repository: Path = ROOT) -> str:
    """*Commit* del código medido: hash corto, con «con cambios sin confirmar» si hay archivos
    versionados modificados (sin contar ``benchmarks/``, donde escriben las mediciones).

    Ejemplo:
        >>> code_version(Path("/"))   # en un repositorio: 'e2f029a' o 'e2f029a con cambios sin confirmar'
        'sin git'
    """
    def git(*args: str) -> str:
        return subprocess.run(["git", "-C", str(repository), *args], capture_output=True, text=True,
                              check=True).stdout.strip()

    try:
        commit = git("rev-parse", "--short", "HEAD")
        changes = git("status", "--porcelain", "--untracked-files=no", "--", ".", ":(exclude)benchmarks")
    except (OSError, subprocess.CalledProcessError):
        return "sin git"
    return f"{commit} con cambios sin confirmar" if changes else commit


def table_row(when: dt.date, notebook: str, fast: bool, shown: str, epochs: str, seconds: float,
              where: str, code: str) -> str:
    """Fila de ``benchmarks/results.md``, con las columnas de ``COLUMNS`` en su orden.

    Ejemplo:
        >>> table_row(dt.date(2026, 12, 1), "04_x", False, "exactitud: 91.00 %", "12", 338.2, "CPU", "e2f029a")
        '| 2026-12-01 | 04_x | completo | exactitud: 91.00 % | 12 | 5 min 38 s | CPU | e2f029a |\\n'
    """
    minutes, secs = divmod(round(seconds), 60)
    cells = (when.isoformat(), notebook, "rápido" if fast else "completo", shown, epochs,
             f"{minutes} min {secs:02d} s", where, code)
    return f"| {' | '.join(cells)} |\n"


def format_results(results: list[tuple[str, float]]) -> str:
    """Texto de la columna «resultado», cada valor con ``helpers.results.format_result``.

    Ejemplo:
        >>> format_results([("exactitud", 0.9118), ("GFLOP/s", 137.52), ("segundos por época", 0.5)])
        'exactitud: 91.18 %; GFLOP/s: 137.5; segundos por época: 0.5'
    """
    return "; ".join(f"{metric}: {format_result(metric, value)}" for metric, value in results)


@contextlib.contextmanager
def environment(values: dict[str, str]) -> Iterator[None]:
    """Variables de entorno ``values`` mientras dura el bloque; al salir, vuelven las de antes
    (también las que el bloque cambie entre esas).

    Ejemplo:
        >>> with environment({"CNN_EJEMPLO": "1"}):
        ...     os.environ["CNN_EJEMPLO"]
        '1'
        >>> "CNN_EJEMPLO" in os.environ
        False
    """
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def standin_environment(epochs: int, folder: Path = STANDIN) -> dict[str, str]:
    """Variables de una medición con datos sustitutos; crea la réplica de prueba al tamaño oficial
    la primera vez y prepara sus fotos, para que la medición no cuente la extracción.

    La réplica va delante en ``CNN_MIRROR`` (Oxford-IIIT Pet sale de ella; los pesos de
    MobileNetV2, de las réplicas de antes, si los tienen) y la caché, aparte (``CNN_DATA_DIR``):
    las fotos sintéticas nunca se mezclan con las reales de ``data/``.

    Ejemplo:
        standin_environment(2)   # {'CNN_MIRROR': 'data/sustitutos/replica:…', 'CNN_EPOCHS_MAX': '2', …}
    """
    from helpers import datasets

    mirrors = [str(official_size_mirror(folder / "replica")), os.environ.get("CNN_MIRROR", "")]
    env = {"CNN_MIRROR": os.pathsep.join(m for m in mirrors if m.strip()), "CNN_DATA_DIR": str(folder / "cache"),
           "CNN_EPOCHS_MAX": str(epochs)}
    with environment(env):
        datasets.petfaces()   # prepara también las fotos de oxford_pets()
    return env


def run(notebook: Path, fast: bool, timeout: int, output: Path | None = None,
        extra_env: dict[str, str] | None = None) -> tuple[float, list[dict]]:
    """Ejecuta ``notebook`` con comprobaciones estrictas y devuelve (segundos, resultados registrados).

    Guarda el cuaderno ejecutado en ``output`` (también si falla). ``extra_env`` añade variables de
    entorno (las de ``standin_environment``). Si una celda falla, termina con ``SystemExit`` y un
    mensaje que dice qué celda y qué error (o qué comprobación) fue.
    """
    nb = nbformat.read(notebook, as_version=4)
    with tempfile.TemporaryDirectory() as tmp:
        results_file = Path(tmp) / "results.json"
        env = {"CNN_FAST": "1" if fast else "0", "CNN_RESULTS_FILE": str(results_file),
               "CNN_HEADLESS": "1", "CNN_STRICT_CHECKS": "1", **(extra_env or {})}
        with environment(env):
            try:
                start = time.perf_counter()
                NotebookClient(nb, timeout=timeout, kernel_name="python3",
                               resources={"metadata": {"path": str(notebook.parent)}}).execute()
                seconds = time.perf_counter() - start
            except CellExecutionError as error:
                raise SystemExit(_failure(notebook, nb, error)) from error
            finally:
                if output is not None:
                    nbformat.write(nb, output)
        results = json.loads(results_file.read_text(encoding="utf-8")) if results_file.exists() else []
    return seconds, results


def _failure(notebook: Path, nb: nbformat.NotebookNode, error: CellExecutionError) -> str:
    """Mensaje de una ejecución fallida: la celda (número entre las de código y primera línea) y el error."""
    code_cells = [cell for cell in nb.cells if cell.cell_type == "code"]
    where = "una celda"
    for number, cell in enumerate(code_cells, start=1):
        if any(output.get("output_type") == "error" for output in cell.get("outputs", [])):
            first_line = next((line for line in cell.source.splitlines() if line.strip()), "")
            where = f"la celda de código {number} («{first_line.strip()[:80]}»)"
    what = "una comprobación no pasa" if error.ename == "AssertionError" else "la celda falló"
    return (f"{notebook.name}: {what} en {where}: {error.ename}: {error.evalue}\n"
            "No anoto ninguna fila en la tabla de mediciones.")


def format_row(notebook: Path, fast: bool, seconds: float, results: list[dict], when: dt.date,
               code: str, standin: bool = False) -> str:
    """Fila de ``benchmarks/results.md`` para una ejecución de ``notebook`` (con la máquina de ahora).

    Con ``standin`` (datos sustitutos), solo los tiempos y el cuaderno marcado con ``STANDIN_LABEL``.

    Ejemplo:
        >>> results = [{"metric": "exactitud", "value": 0.03, "epochs": 2},
        ...            {"metric": "segundos por época de entrenamiento", "value": 95.2, "epochs": 2}]
        >>> format_row(Path("07a_x.ipynb"), False, 400, results, dt.date(2026, 12, 7), "e2f029a",
        ...            standin=True).split(" | ")[1:4]
        ['07a_x (datos sustitutos: solo tiempos)', 'completo', 'segundos por época de entrenamiento: 95.2']
    """
    if standin:
        results = [r for r in results if is_seconds(r["metric"])]
    if not results:
        raise SystemExit(f"{notebook.name} no registró ningún {'tiempo' if standin else 'resultado'} "
                         "(falta record_result).")
    shown = format_results([(r["metric"], r["value"]) for r in results])
    epochs = "; ".join(str(r["epochs"]) for r in results if "epochs" in r) or "—"
    states = {r.get("onednn") for r in results} - {None}
    onednn = states.pop() if len(states) == 1 else None
    name = f"{notebook.stem} ({STANDIN_LABEL})" if standin else notebook.stem
    return table_row(when, name, fast, shown, epochs, seconds, machine(onednn), code)


def append_row(row: str, results_md: Path = RESULTS, header: str = HEADER) -> None:
    """Añade ``row`` al final de una tabla de ``benchmarks/`` (la crea con ``header`` si no existe)."""
    results_md.parent.mkdir(parents=True, exist_ok=True)
    if not results_md.exists():
        results_md.write_text(header, encoding="utf-8")
    with results_md.open("a", encoding="utf-8") as table:
        table.write(row)


def stamp(executed: Path, row: str) -> None:
    """Anota en los metadatos del cuaderno ejecutado ``executed`` la fila de su ejecución (``run_record`` la lee)."""
    nb = nbformat.read(executed, as_version=4)
    nb.metadata["curso_cnn"] = {"ejecucion": row.strip()}
    nbformat.write(nb, executed)


def run_record(nb: nbformat.NotebookNode) -> dict[str, str] | None:
    """Columnas de la fila que ``stamp`` anotó en un cuaderno ejecutado (``None`` si no tiene).

    Ejemplo:
        >>> row = table_row(dt.date(2026, 12, 1), "04_x", True, "—", "—", 9, "CPU", "e2f029a")
        >>> run_record(nbformat.from_dict({"metadata": {"curso_cnn": {"ejecucion": row}}}))["modo"]
        'rápido'
    """
    row = nb.metadata.get("curso_cnn", {}).get("ejecucion")
    return dict(zip(COLUMNS, (cell.strip() for cell in row.strip("| \n").split(" | ")))) if row else None


def standin_run(record: dict[str, str] | None) -> bool:
    """Si la fila de una ejecución (``run_record``) es una medición con datos sustitutos.

    Ejemplo:
        >>> standin_run({"cuaderno": f"08a_x ({STANDIN_LABEL})"}), standin_run({"cuaderno": "08a_x"}), standin_run(None)
        (True, False, False)
    """
    return record is not None and f"({STANDIN_LABEL})" in record["cuaderno"]


def main(argv: list[str]) -> int:
    parser = SpanishParser(prog="python -m tools.bench", description=__doc__.splitlines()[0])
    parser.add_argument("number", metavar="NN", help="número del cuaderno, p. ej. 04")
    parser.add_argument("--fast", action="store_true", help="medir el modo rápido")
    parser.add_argument("--timeout", type=int, default=3600, help="límite por celda, en segundos")
    parser.add_argument("--results", type=Path, default=RESULTS, help="tabla donde se anota")
    parser.add_argument("--output", type=Path, help="guarda aquí el cuaderno ejecutado")
    parser.add_argument("--sustitutos", action="store_true",
                        help="solo tiempos, con la réplica de prueba al tamaño oficial (07a–08b)")
    parser.add_argument("--epocas", type=int, help=f"con --sustitutos, épocas por fase (por omisión, {STANDIN_EPOCHS})")
    args = parser.parse_args(argv)
    if args.epocas is not None and (not args.sustitutos or args.epocas < 1):
        parser.error("--epocas es para las mediciones con --sustitutos, y con 1 época o más")
    notebook = find_solution(args.number)
    if args.sustitutos and "helpers.pick_epochs(" not in notebook.read_text(encoding="utf-8"):
        parser.error(f"{notebook.name} no elige sus épocas con helpers.pick_epochs: --sustitutos es para "
                     "los cuadernos sin sus datos en el equipo (07a, 07b, 08a, 08b)")
    code = code_version()
    extra_env = standin_environment(args.epocas or STANDIN_EPOCHS) if args.sustitutos else None
    print(f"Ejecutando {notebook.name} ({code}) en modo {'rápido' if args.fast else 'completo'}"
          f"{' con datos sustitutos' if args.sustitutos else ''}…", flush=True)
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
    seconds, results = run(notebook, args.fast, args.timeout, args.output, extra_env)
    row = format_row(notebook, args.fast, seconds, results, dt.date.today(), code, args.sustitutos)
    append_row(row, args.results)
    if args.output:
        stamp(args.output, row)
    print(row, end="")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
