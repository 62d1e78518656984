"""Estudio de ablación de la receta del cuaderno 05b: la receta entera y con cada ingrediente quitado.

Toma las definiciones del cuaderno de soluciones 05b (importaciones, funciones, clases y
constantes en MAYÚSCULAS; ninguna celda que entrene), entrena ``train_speedrun`` con la receta
completa y con cada ingrediente quitado en su turno, y anota una fila por variante en
``benchmarks/results.md``: exactitud en **validación** sin aumento, con reflejo y con reflejos y
traslaciones (la prueba se reserva para el cuaderno), épocas que corrieron, tiempo, máquina y
*commit*, en el formato de ``tools.bench``. Con ``--seeds N`` cada variante se entrena con N
semillas y su fila da la media de cada exactitud y su dispersión (desviación estándar entre
semillas): un ingrediente aporta si su diferencia de medias supera con holgura esa dispersión.
El modo (completo o rápido) es el de ``CNN_FAST``. Corre con comprobaciones estrictas
(``CNN_STRICT_CHECKS=1``): si una variante falla, no anota ninguna fila y termina con error.

Uso: ``python -m tools.ablation --epochs 8 --seeds 5`` (o ``make ablation EPOCHS=8 SEEDS=5``);
``--only`` elige variantes por nombre. Mídelo con la máquina libre: cada fila anota también el tiempo.
"""
from __future__ import annotations

import ast
import datetime as dt
import os
import statistics
import time
from pathlib import Path

import nbformat

from helpers.cli import SpanishParser
from helpers.config import fast_mode
from helpers.results import tensorflow_onednn
from tools.bench import RESULTS, append_row, code_version, find_solution, format_results, machine, table_row

#: Cuaderno cuya receta se estudia.
NOTEBOOK = "05b"

#: Cada variante quita un ingrediente: argumentos de ``train_speedrun`` que lo cambian.
VARIANTS: dict[str, dict[str, object]] = {
    "receta completa": {},
    "sin blanqueo (primera capa aprendida)": {"whitening": False},
    "normalización por lotes con escala": {"bn_scale": True},
    "sin suavizado de etiquetas": {"label_smoothing": 0.0},
    "tasa constante (sin calentamiento ni bajada)": {"schedule": False},
    "sin lookahead": {"lookahead": False},
    "reflejo al azar en lugar de alterno": {"alternate_flip": False},
    "sin traslación": {"shift": 0},
}


def notebook_definitions(notebook: Path) -> str:
    """Código de las definiciones de ``notebook``: importaciones, ``def``, ``class`` y constantes.

    Deja fuera todo lo demás (llamadas, entrenamientos, figuras, asignaciones en minúsculas), así
    que ejecutarlo solo define nombres. Las celdas con magias de IPython (``%``) se saltan.

    Ejemplo:
        >>> import nbformat, tempfile
        >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        ...     "import math\\nEPOCHS = 3\\nmodel = entrenar()\\ndef f(x):\\n    return x")])
        >>> path = Path(tempfile.mkdtemp()) / "n.ipynb"; nbformat.write(nb, path)
        >>> print(notebook_definitions(path))
        import math
        EPOCHS = 3
        def f(x):
            return x
    """
    kept = []
    for cell in nbformat.read(notebook, as_version=4).cells:
        if cell.cell_type != "code" or cell.source.lstrip().startswith("%"):
            continue
        for node in ast.parse(cell.source).body:
            if isinstance(node, (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.ClassDef)) or (
                    isinstance(node, ast.Assign)
                    and all(isinstance(t, ast.Name) and t.id.isupper() for t in node.targets)):
                kept.append(ast.get_source_segment(cell.source, node))
    return "\n".join(kept)


def _accuracy(predictions, labels) -> float:
    return float((predictions.argmax(axis=1) == labels).mean())


def run_variant(recipe: dict, data: dict, epochs: int, changes: dict, seed: int = 42) -> dict[str, float]:
    """Entrena una variante con la semilla ``seed``; devuelve sus exactitudes de validación, las
    épocas que corrieron y sus segundos."""
    model, history, seconds = recipe["train_speedrun"](data["x_train"], data["y_train"], epochs, seed=seed,
                                                       **changes)
    x_val, y_val = data["x_val"], data["y_val"]
    return {
        "exactitud en validación (sin aumento)": _accuracy(model.predict(x_val, batch_size=1000, verbose=0), y_val),
        "exactitud en validación (con reflejo)": _accuracy(
            recipe["nb05"].predict_with_flip_reference(model, x_val), y_val),
        "exactitud en validación (con reflejos y traslaciones)": _accuracy(
            recipe["predict_with_flips_and_shifts"](model, x_val), y_val),
        "épocas": len(history.history["loss"]),
        "segundos": seconds,
    }


def summarize(runs: list[dict[str, float]]) -> dict[str, float]:
    """Una variante repetida con varias semillas: media y dispersión de cada exactitud.

    Con una sola ejecución la devuelve tal cual. Con varias, cada exactitud pasa a dos entradas,
    «(media de N semillas)» y «(desviación entre semillas)» (desviación estándar muestral); las
    épocas son las de la primera ejecución y los segundos, la media.

    Ejemplo:
        >>> runs = [{"exactitud": 0.80, "épocas": 2, "segundos": 10.0},
        ...         {"exactitud": 0.84, "épocas": 2, "segundos": 12.0}]
        >>> {k: round(v, 4) for k, v in summarize(runs).items()}
        {'exactitud (media de 2 semillas)': 0.82, 'exactitud (desviación entre semillas)': 0.0283, \
'épocas': 2, 'segundos': 11.0}
    """
    if len(runs) == 1:
        return dict(runs[0])
    summary: dict[str, float] = {}
    for metric in runs[0]:
        if metric in ("épocas", "segundos"):
            continue
        values = [run[metric] for run in runs]
        summary[f"{metric} (media de {len(runs)} semillas)"] = statistics.mean(values)
        summary[f"{metric} (desviación entre semillas)"] = statistics.stdev(values)
    summary["épocas"] = runs[0]["épocas"]
    summary["segundos"] = statistics.mean(run["segundos"] for run in runs)
    return summary


def format_row(name: str, measured: dict[str, float], when: dt.date, where: str, code: str) -> str:
    """Fila de ``benchmarks/results.md`` para una variante del estudio, en el modo de ``CNN_FAST``."""
    shown = format_results([(metric, value) for metric, value in measured.items()
                            if metric not in ("épocas", "segundos")])
    return table_row(when, f"{find_solution(NOTEBOOK).stem} (ablación: {name})", fast_mode(), shown,
                     str(measured["épocas"]), measured["segundos"], where, code)


def load_recipe() -> dict:
    """Ejecuta las definiciones del cuaderno 05b y devuelve su espacio de nombres."""
    import helpers

    helpers.start(framework="keras")
    namespace: dict = {}
    exec(compile(notebook_definitions(find_solution(NOTEBOOK)), f"{NOTEBOOK}_definiciones", "exec"), namespace)
    return namespace


def load_data(recipe: dict) -> dict:
    """Las particiones del cuaderno 05b (45 000 / 5000), estandarizadas como allí."""
    from helpers.datasets import load_cifar10

    (x_full, y_full), _ = load_cifar10()
    x_train, x_val = x_full[:45_000], x_full[45_000:]
    standardize = recipe["nb05"].standardize_reference
    return {"x_train": standardize(x_train, x_train), "y_train": y_full[:45_000],
            "x_val": standardize(x_train, x_val), "y_val": y_full[45_000:]}


def main(argv: list[str] | None = None) -> int:
    parser = SpanishParser(prog="python -m tools.ablation", description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, required=True, help="épocas de cada entrenamiento")
    parser.add_argument("--seeds", type=int, default=1,
                        help="semillas por variante: la fila da la media y la dispersión entre ellas")
    parser.add_argument("--only", nargs="*", choices=list(VARIANTS), help="variantes que se miden")
    parser.add_argument("--results", type=Path, default=RESULTS, help="tabla donde se anota")
    args = parser.parse_args(argv)
    if args.seeds < 1:
        parser.error("--seeds debe ser al menos 1")
    os.environ.setdefault("CNN_FAST", "0")
    os.environ["CNN_STRICT_CHECKS"] = "1"
    code = code_version()
    recipe = load_recipe()
    data = load_data(recipe)
    rows = []
    for name in args.only or VARIANTS:
        start = time.perf_counter()
        try:
            measured = summarize([run_variant(recipe, data, args.epochs, VARIANTS[name], seed)
                                  for seed in range(42, 42 + args.seeds)])
        except Exception as error:
            raise SystemExit(f"La variante «{name}» de la ablación falló: {type(error).__name__}: {error}\n"
                             "No anoto ninguna fila en la tabla de mediciones.") from error
        rows.append(format_row(name, measured, dt.date.today(), machine(tensorflow_onednn()), code))
        print(rows[-1], end="", flush=True)
        print(f"  ({time.perf_counter() - start:.0f} s con la evaluación)", flush=True)
    for row in rows:
        append_row(row, args.results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
