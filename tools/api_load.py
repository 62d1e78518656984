"""Prueba de carga de la API del curso: N peticiones reales con C clientes a la vez.

``run_load`` lo usan las pruebas (que exigen cero errores) y ``make bench-api``, que arranca
el servidor con un modelo y añade una fila con peticiones por segundo y latencias a
``benchmarks/api.md``. Uso: ``python -m tools.api_load modelo.onnx [--requests 500 --concurrency 8]``.
"""
from __future__ import annotations

import argparse
import datetime as dt
import io
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from helpers.serving.process import ServerProcess
from tools.course import ROOT

RESULTS = ROOT / "benchmarks" / "api.md"
HEADER = ("# Carga de la API (`POST /predecir`)\n\n"
          "Cada fila es una ejecución de `make bench-api`: peticiones reales por HTTP a un servidor "
          "en 127.0.0.1, en la misma máquina.\n\n"
          "| fecha | peticiones | concurrencia | errores | peticiones/s | p50 (ms) | p95 (ms) | máquina |\n"
          "|---|---|---|---|---|---|---|---|\n")


def sample_image() -> bytes:
    """Una foto PNG de 60×40 (una prenda oscura sobre fondo claro) para medir la API."""
    from PIL import Image

    pixels = np.full((40, 60, 3), 235, np.uint8)
    pixels[10:30, 20:40] = 40
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, "PNG")
    return buffer.getvalue()


def run_load(url: str, image: bytes, requests: int = 500, concurrency: int = 8) -> dict:
    """Envía ``requests`` imágenes a ``url`` + ``/predecir`` con ``concurrency`` hilos.

    Devuelve ``{"errores": …, "peticiones_por_segundo": …, "p50_ms": …, "p95_ms": …}``; un
    error es cualquier respuesta distinta de 200 o una conexión fallida.
    """
    import httpx

    def one(client: httpx.Client) -> tuple[bool, float]:
        start = time.perf_counter()
        try:
            response = client.post(url + "/predecir", files={"imagen": ("foto.png", image, "image/png")})
            ok = response.status_code == 200 and "predicciones" in response.json()
        except httpx.HTTPError:
            ok = False
        return ok, time.perf_counter() - start

    with httpx.Client(timeout=30, limits=httpx.Limits(max_connections=concurrency)) as client:
        start = time.perf_counter()
        with ThreadPoolExecutor(concurrency) as pool:
            outcomes = list(pool.map(lambda _: one(client), range(requests)))
        elapsed = time.perf_counter() - start
    latencies = np.array([seconds for _, seconds in outcomes]) * 1000
    return {"errores": sum(not ok for ok, _ in outcomes),
            "peticiones_por_segundo": requests / elapsed,
            "p50_ms": float(np.percentile(latencies, 50)),
            "p95_ms": float(np.percentile(latencies, 95))}


def append_row(figures: dict, requests: int, concurrency: int, results: Path = RESULTS) -> str:
    """Añade una fila a ``benchmarks/api.md`` y la devuelve."""
    from tools.bench import machine

    row = (f"| {dt.date.today().isoformat()} | {requests} | {concurrency} | {figures['errores']} | "
           f"{figures['peticiones_por_segundo']:.0f} | {figures['p50_ms']:.1f} | "
           f"{figures['p95_ms']:.1f} | {machine()} |\n")
    if not results.exists():
        results.write_text(HEADER, encoding="utf-8")
    with results.open("a", encoding="utf-8") as stream:
        stream.write(row)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model", type=Path, help="modelo .onnx con su .clases.json")
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    server = ServerProcess(args.model)
    try:
        figures = run_load(server.url, sample_image(), args.requests, args.concurrency)
    finally:
        server.stop()
    print(append_row(figures, args.requests, args.concurrency), end="")


if __name__ == "__main__":
    main()
