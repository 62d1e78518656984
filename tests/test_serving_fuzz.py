"""Fuzzing de la API: miles de imágenes válidas, trampas y mutaciones, con semilla y memoria acotada.

Para cada caso la API debe responder 200 con exactamente ``k`` probabilidades (las pedidas o, sin
``k``, las que anuncia su esquema OpenAPI) en [0, 1], de mayor a menor, que suman 1 cuando se piden
todas las clases; o un error JSON 4xx en español; nunca un 5xx. Toda imagen válida sin mutar recibe
200. Al final, el pico de memoria del servidor (VmHWM de Linux) debe quedar por debajo de
``MEMORY_BUDGET_MB`` con los límites del servidor de prueba.
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
SUM_TOLERANCE = 1e-3  # cada probabilidad llega redondeada a 6 decimales


def peak_memory_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(next(line for line in status.splitlines() if line.startswith("VmHWM")).split()[1]) / 1024


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="la memoria se lee de /proc (Linux)")
def test_fuzzed_images_get_200_or_a_json_4xx_and_memory_stays_bounded(tmp_path, capsys):
    server = ServerProcess(tiny_onnx(tmp_path / "moda.onnx"), "--max-bytes", "2000000",
                           "--max-pixels", str(MAX_PIXELS))
    rng = np.random.default_rng(SEED)
    valid = valid_corpus()
    corpus = valid + crafted_corpus()
    statuses, failures = Counter(), []
    start = time.perf_counter()
    try:
        with httpx.Client(timeout=60) as client:
            n_classes = client.get(server.url + "/salud").json()["clases"]
            default_k = _default_k(client.get(server.url + "/openapi.json").json())
            for case in range(CASES):
                name, data = corpus[int(rng.integers(len(corpus)))]
                if case >= len(corpus):  # primero el corpus tal cual, luego mutaciones
                    data = mutate(data, rng)
                else:
                    name, data = corpus[case]
                k = case % (n_classes + 1)  # 0: sin k, el de la API por defecto; n_classes: todas
                response = client.post(server.url + "/predecir", params={"k": k} if k else {},
                                       files={"imagen": ("f", data, "image/png")})
                statuses[response.status_code] += 1
                problem = _broken_promise(response, k or default_k, n_classes)
                if not problem and case < len(valid) and response.status_code != 200:
                    problem = f"imagen válida sin mutar rechazada con {response.status_code}: {response.json()}"
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


def _default_k(schema: dict) -> int:
    """El ``k`` que usa ``POST /predecir`` si no se pide, según el esquema OpenAPI del servidor."""
    parameters = schema["paths"]["/predecir"]["post"]["parameters"]
    return next(p for p in parameters if p["name"] == "k")["schema"]["default"]


def _broken_promise(response: httpx.Response, k: int, n_classes: int) -> str | None:
    """Qué promesa incumple una respuesta a una petición de ``k`` clases, o ``None`` si la cumple."""
    try:
        body = response.json()
    except ValueError:
        return f"{response.status_code} sin JSON: {response.text[:200]!r}"
    if response.status_code == 200:
        probabilities = [p["probabilidad"] for p in body["predicciones"]]
        if len(probabilities) != k:
            return f"{len(probabilities)} predicciones en vez de k={k}"
        if not all(isinstance(p, float) and 0 <= p <= 1 for p in probabilities):
            return f"probabilidades no válidas {probabilities}"
        if probabilities != sorted(probabilities, reverse=True):
            return f"probabilidades no ordenadas de mayor a menor {probabilities}"
        total = sum(probabilities)
        if total > 1 + SUM_TOLERANCE or (k == n_classes and abs(total - 1) > SUM_TOLERANCE):
            return f"las {k} probabilidades de {n_classes} clases suman {total}"
        return None
    if not 400 <= response.status_code < 500:
        return f"código {response.status_code}: {body}"
    if list(body) != ["error"] or not body["error"]:
        return f"error sin la forma {{'error': …}}: {body}"
    return None
