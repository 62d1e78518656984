"""Prueba de carga de la API del curso con una mezcla realista de peticiones buenas y malas.

``run_load`` lo usan las pruebas y ``make bench-api``, que arranca el servidor con un modelo,
envía la mezcla con 8 y con 32 clientes a la vez y añade a ``benchmarks/api.md`` una fila por
concurrencia: peticiones por segundo, latencias p50/p95/p99, respuestas por código y el pico de
memoria del servidor. Uso: ``python -m tools.api_load modelo.onnx [--requests 2000 --concurrency 8 32]``.
"""
from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from helpers.cli import SpanishParser
from helpers.serving.process import ServerProcess
from tools.bench import append_row, hardware
from tools.course import ROOT
from tools.hostile_images import crafted_corpus, photo

RESULTS = ROOT / "benchmarks" / "api.md"
HEADER = ("# Carga de la API (`POST /predecir`)\n\n"
          "Cada fila es una ejecución de `make bench-api`: peticiones reales por HTTP a un servidor "
          "en 127.0.0.1, en la misma máquina, con la mezcla de `tools/api_load.py` (4 clases de "
          "imágenes buenas y 6 de peticiones malas, por turnos). «Inesperadas» son las respuestas "
          "cuyo código no es el que toca (un 5xx, o un 503 con el servidor lleno).\n\n"
          "| fecha | peticiones | concurrencia | peticiones/s | p50 (ms) | p95 (ms) | p99 (ms) "
          "| respuestas por código | inesperadas | pico de memoria | máquina |\n"
          "|---|---|---|---|---|---|---|---|---|---|---|\n")


def request_mix() -> list[tuple[str, bytes, dict, int]]:
    """La mezcla: ``(nombre, imagen, parámetros, código esperado)``, 4 buenas y 6 malas.

    Ejemplo:
        >>> [expected for *_, expected in request_mix()]
        [200, 200, 200, 200, 415, 400, 400, 413, 422, 422]
    """
    crafted = dict(crafted_corpus())
    small = photo((60, 40))
    return [
        ("png-60x40", small, {}, 200),
        ("jpeg-640x480", photo((640, 480), seed=1, fmt="JPEG", quality=85), {}, 200),
        ("webp-300x300", photo((300, 300), seed=2, fmt="WEBP"), {}, 200),
        ("png-gris-28x28", photo((28, 28), seed=3, mode="L"), {"k": 2}, 200),  # vale con 2 clases o más
        ("texto", crafted["texto"], {}, 415),
        ("jpeg-cortado", photo((640, 480), seed=1, fmt="JPEG")[:2000], {}, 400),
        ("vacio", b"", {}, 400),
        ("png-30000x30000-declarado", crafted["png-30000x30000-declarado"], {}, 413),
        ("tiff-nan", crafted["tiff-nan"], {}, 422),
        ("k-fuera-de-rango", small, {"k": 0}, 422),
    ]


def run_load(url: str, requests: int = 1000, concurrency: int = 8) -> dict:
    """Envía ``requests`` peticiones de ``request_mix()`` (por turnos) con ``concurrency`` hilos.

    Devuelve peticiones por segundo, latencias p50/p95/p99 en ms, respuestas por código
    (``"sin respuesta"`` si falla la conexión) y cuántas no tuvieron el código esperado.
    """
    import httpx

    mix = request_mix()

    def one(client: httpx.Client, index: int) -> tuple[str, bool, float]:
        name, data, params, expected = mix[index % len(mix)]
        start = time.perf_counter()
        try:
            response = client.post(url + "/predecir", params=params,
                                   files={"imagen": (name, data, "application/octet-stream")})
            status = str(response.status_code)
            expected_answer = response.status_code == expected and (
                expected != 200 or len(response.json()["predicciones"]) > 0)
        except httpx.HTTPError:
            status, expected_answer = "sin respuesta", False
        return status, expected_answer, time.perf_counter() - start

    with httpx.Client(timeout=60, limits=httpx.Limits(max_connections=concurrency)) as client:
        start = time.perf_counter()
        with ThreadPoolExecutor(concurrency) as pool:
            outcomes = list(pool.map(lambda i: one(client, i), range(requests)))
        elapsed = time.perf_counter() - start
    latencies = np.array([seconds for *_, seconds in outcomes]) * 1000
    return {"peticiones_por_segundo": requests / elapsed,
            **{f"p{q}_ms": float(np.percentile(latencies, q)) for q in (50, 95, 99)},
            "codigos": dict(sorted(Counter(status for status, *_ in outcomes).items())),
            "inesperadas": sum(not ok for _, ok, _ in outcomes)}


def peak_memory_mb(pid: int) -> float | None:
    """Pico de memoria residente de un proceso (VmHWM de Linux), en MB; ``None`` fuera de Linux."""
    status = Path(f"/proc/{pid}/status")
    if not status.exists():
        return None
    line = next(line for line in status.read_text().splitlines() if line.startswith("VmHWM"))
    return int(line.split()[1]) / 1024


def format_row(figures: dict, requests: int, concurrency: int, memory_mb: float | None) -> str:
    """La fila de ``benchmarks/api.md`` para una medición."""
    codes = ", ".join(f"{code}: {count}" for code, count in figures["codigos"].items())
    memory = f"{memory_mb:.0f} MB" if memory_mb is not None else "—"
    return (f"| {dt.date.today().isoformat()} | {requests} | {concurrency} | "
            f"{figures['peticiones_por_segundo']:.0f} | {figures['p50_ms']:.1f} | {figures['p95_ms']:.1f} | "
            f"{figures['p99_ms']:.1f} | {codes} | {figures['inesperadas']} | {memory} | {hardware()} |\n")


def main() -> None:
    parser = SpanishParser(prog="python -m tools.api_load", description=__doc__.splitlines()[0])
    parser.add_argument("model", type=Path, help="modelo .onnx con su ficha .modelo.json")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[8, 32])
    parser.add_argument("--results", type=Path, default=RESULTS, help="tabla donde anotar las filas")
    args = parser.parse_args()
    if not args.model.is_file():
        raise SystemExit(f"No encuentro el modelo '{args.model}': ejecuta antes el cuaderno 09, que lo exporta.")
    for concurrency in args.concurrency:
        server = ServerProcess(args.model)  # un servidor nuevo por medición: su pico de memoria es suyo
        try:
            figures = run_load(server.url, args.requests, concurrency)
            memory = peak_memory_mb(server.process.pid)
        finally:
            server.stop()
        row = format_row(figures, args.requests, concurrency, memory)
        append_row(row, args.results, HEADER)
        print(row, end="")


if __name__ == "__main__":
    main()
