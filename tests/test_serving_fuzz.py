"""Fuzzing de la API: miles de imágenes válidas, trampas y mutaciones, con semilla y memoria acotada.

Para cada caso la API debe responder 200 con probabilidades finitas que suman (casi) 1, o un
error JSON 4xx en español; nunca un 5xx. Al final, el pico de memoria del servidor (VmHWM de
Linux) debe quedar por debajo de ``MEMORY_BUDGET_MB`` con los límites del servidor de prueba.
"""
import time
from collections import Counter
from pathlib import Path

import httpx
import numpy as np
import pytest
from serving_fixtures import tiny_onnx

from helpers.serving.process import ServerProcess
from tools.hostile_images import crafted_corpus, mutate, valid_corpus

pytestmark = pytest.mark.integration  # arranca el servidor de la API

CASES = 2500
SEED = 12
MAX_PIXELS = 4_000_000
MEMORY_BUDGET_MB = 400  # onnxruntime cargado (~140 MB) más dos imágenes de 4 Mpx a la vez


def peak_memory_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(next(line for line in status.splitlines() if line.startswith("VmHWM")).split()[1]) / 1024


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="la memoria se lee de /proc (Linux)")
def test_fuzzed_images_get_200_or_a_json_4xx_and_memory_stays_bounded(tmp_path, capsys):
    server = ServerProcess(tiny_onnx(tmp_path / "moda.onnx"), "--max-bytes", "2000000",
                           "--max-pixels", str(MAX_PIXELS))
    rng = np.random.default_rng(SEED)
    corpus = valid_corpus() + crafted_corpus()
    statuses, failures = Counter(), []
    start = time.perf_counter()
    try:
        with httpx.Client(timeout=60) as client:
            for case in range(CASES):
                name, data = corpus[int(rng.integers(len(corpus)))]
                if case >= len(corpus):  # primero el corpus tal cual, luego mutaciones
                    data = mutate(data, rng)
                else:
                    name, data = corpus[case]
                response = client.post(server.url + "/predecir", files={"imagen": ("f", data, "image/png")})
                statuses[response.status_code] += 1
                problem = _broken_promise(response)
                if problem:
                    failures.append(f"caso {case} ({name}): {problem}")
        memory = peak_memory_mb(server.process.pid)
    finally:
        server.stop()
    elapsed = time.perf_counter() - start
    with capsys.disabled():
        print(f"\nFuzzing: {CASES} casos en {elapsed:.0f} s, respuestas {dict(sorted(statuses.items()))}, "
              f"pico de memoria del servidor {memory:.0f} MB")
    assert not failures, "\n".join(failures[:20])
    assert statuses[200] > CASES // 10  # también hay imágenes que se clasifican
    assert memory < MEMORY_BUDGET_MB


def _broken_promise(response: httpx.Response) -> str | None:
    """Qué promesa incumple una respuesta, o ``None`` si la cumple."""
    try:
        body = response.json()
    except ValueError:
        return f"{response.status_code} sin JSON: {response.text[:200]!r}"
    if response.status_code == 200:
        probabilities = [p["probabilidad"] for p in body["predicciones"]]
        if not all(isinstance(p, float) and 0 <= p <= 1 for p in probabilities):
            return f"probabilidades no válidas {probabilities}"
        return None
    if not 400 <= response.status_code < 500:
        return f"código {response.status_code}: {body}"
    if list(body) != ["error"] or not body["error"]:
        return f"error sin la forma {{'error': …}}: {body}"
    return None
