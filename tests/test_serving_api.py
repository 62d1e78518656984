"""La API REST de verdad: un servidor uvicorn en 127.0.0.1, imágenes reales y entradas malas."""
import threading
import time

import httpx
import numpy as np
import pytest
from serving_fixtures import CLASSES, image_bytes, tiny_onnx

from helpers.serving import OnnxClassifier, prepare_image
from helpers.serving.process import ServerProcess
from tools.hostile_images import bomb_png, photo

pytestmark = pytest.mark.integration  # arranca el servidor de la API

ERROR_STATUSES = ["400", "413", "415", "422", "503"]


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    return tiny_onnx(tmp_path_factory.mktemp("modelo") / "moda.onnx")


@pytest.fixture(scope="module")
def server(model):
    running = ServerProcess(model, "--max-bytes", "200000", "--max-pixels", "4000000")
    yield running
    running.stop()


def post(server, data, name="foto.png", **params):
    return httpx.post(server.url + "/predecir", files={"imagen": (name, data, "application/octet-stream")},
                      params=params, timeout=60)


def assert_still_serving(server):
    assert httpx.get(server.url + "/salud", timeout=10).json()["estado"] == "ok"


def test_health(server):
    assert httpx.get(server.url + "/salud").json() == {"estado": "ok", "modelo": "moda.onnx", "clases": 10}


@pytest.mark.parametrize("mode, fmt", [("RGB", "PNG"), ("RGB", "JPEG"), ("L", "PNG"), ("RGBA", "PNG"),
                                       ("CMYK", "JPEG"), ("P", "PNG"), ("LAB", "TIFF"), ("I;16", "TIFF")])
def test_real_images_get_the_same_top_k_as_onnxruntime(server, model, mode, fmt):
    data = image_bytes(mode, fmt=fmt)
    response = post(server, data, k=3)
    assert response.status_code == 200
    predictions = response.json()["predicciones"]
    expected = OnnxClassifier(model).top_k(prepare_image(data), k=3)
    assert [p["clase"] for p in predictions] == [name for name, _ in expected]
    np.testing.assert_allclose([p["probabilidad"] for p in predictions], [p for _, p in expected], atol=1e-5)
    assert all(p["clase"] in CLASSES for p in predictions)


def test_channels_first_models_work_too(tmp_path):
    data = image_bytes()
    last = OnnxClassifier(tiny_onnx(tmp_path / "a.onnx", channels_first=False, seed=3))
    first = OnnxClassifier(tiny_onnx(tmp_path / "b.onnx", channels_first=True, seed=3))
    assert first.channels_first and not last.channels_first
    (names_first, p_first), (names_last, p_last) = (zip(*c.top_k(prepare_image(data)))
                                                    for c in (first, last))
    assert names_first == names_last and p_first == pytest.approx(p_last)


@pytest.mark.parametrize("make_request, status, text", [
    (lambda s: post(s, b"esto es texto, no una imagen", name="notas.txt"), 415, "no es una imagen"),
    (lambda s: post(s, image_bytes(fmt="JPEG", size=(200, 200))[:1020]), 400, "dañada"),
    (lambda s: post(s, b""), 400, "vacío"),
    (lambda s: post(s, np.random.default_rng(0).bytes(300_000)), 413, "bytes"),
    (lambda s: post(s, image_bytes(size=(2500, 2000))), 413, "píxeles"),
    (lambda s: httpx.post(s.url + "/predecir", files={"otra_cosa": ("f.png", image_bytes())}), 422, "imagen"),
    (lambda s: httpx.post(s.url + "/predecir", data={"imagen": "no soy un archivo"},
                          files={"x": ("f", b"")}), 422, "archivo"),
    (lambda s: httpx.post(s.url + "/predecir"), 415, "multipart"),
    (lambda s: httpx.post(s.url + "/predecir", content=image_bytes(),
                          headers={"content-type": "image/png"}), 415, "multipart"),
    (lambda s: httpx.post(s.url + "/predecir", content=b"--x\r\nroto",
                          headers={"content-type": "multipart/form-data"}), 400, "multipart"),
    (lambda s: post(s, image_bytes(), k=99), 422, "entre 1 y 10"),
    (lambda s: post(s, image_bytes(), k="tres"), 422, "entero"),
    (lambda s: httpx.get(s.url + "/no-existe"), 404, "no existe"),
    (lambda s: httpx.get(s.url + "/predecir"), 405, "Método"),
    (lambda s: httpx.post(s.url + "/salud"), 405, "Método"),
])
def test_bad_input_gets_a_spanish_json_error_and_the_server_keeps_serving(server, make_request, status, text):
    response = make_request(server)
    assert response.status_code == status
    assert response.headers["content-type"].startswith("application/json")
    assert list(response.json()) == ["error"] and text in response.json()["error"]
    assert_still_serving(server)


def test_a_body_larger_than_declared_limits_is_cut_without_reading_it_all(server):
    def chunks():  # sin Content-Length: el servidor cuenta y corta
        yield b"--x\r\nContent-Disposition: form-data; name=\"imagen\"; filename=\"a.png\"\r\n\r\n"
        for _ in range(100):
            yield b"\0" * 65536
    response = httpx.post(server.url + "/predecir", content=chunks(),
                          headers={"content-type": "multipart/form-data; boundary=x"}, timeout=60)
    assert response.status_code == 413 and "bytes" in response.json()["error"]
    assert_still_serving(server)


def test_openapi_documents_one_error_shape_for_every_error_status(server):
    schema = httpx.get(server.url + "/openapi.json").json()
    responses = schema["paths"]["/predecir"]["post"]["responses"]
    assert set(ERROR_STATUSES) <= set(responses)
    for status in ERROR_STATUSES:
        reference = responses[status]["content"]["application/json"]["schema"]["$ref"]
        assert reference.endswith("/Error")
    assert list(schema["components"]["schemas"]["Error"]["properties"]) == ["error"]
    assert "HTTPValidationError" not in schema["components"]["schemas"]


def test_docs_work_offline(server):
    page = httpx.get(server.url + "/docs")
    assert page.status_code == 200 and "/predecir" in page.text and "503" in page.text
    assert "http://" not in page.text and "https://" not in page.text   # nada de CDN


def test_health_answers_while_the_heaviest_accepted_request_runs(server, capsys):
    heaviest = bomb_png(2000, 2000)  # justo el límite de píxeles del servidor de prueba
    done = {}
    thread = threading.Thread(target=lambda: done.update(response=post(server, heaviest)))
    start = time.perf_counter()
    thread.start()
    latencies = []
    while thread.is_alive():
        before = time.perf_counter()
        assert httpx.get(server.url + "/salud", timeout=10).status_code == 200
        latencies.append(time.perf_counter() - before)
    thread.join()
    assert done["response"].status_code == 200
    with capsys.disabled():
        print(f"\n/salud durante una predicción de {time.perf_counter() - start:.2f} s: "
              f"{len(latencies)} respuestas, la más lenta en {1000 * max(latencies or [0]):.0f} ms")
    assert latencies  # respondió al menos una vez mientras la predicción seguía en curso


def test_a_full_server_answers_503_with_retry_after(model):
    full = ServerProcess(model, "--workers", "1", "--queue", "0")
    try:
        heavy = photo((1500, 1500), fmt="JPEG", quality=95)
        with httpx.Client(timeout=60) as client:
            threads, answers = [], []
            for _ in range(6):
                threads.append(threading.Thread(target=lambda: answers.append(client.post(
                    full.url + "/predecir", files={"imagen": ("f.jpg", heavy, "image/jpeg")}))))
                threads[-1].start()
            for thread in threads:
                thread.join()
        statuses = sorted(answer.status_code for answer in answers)
        assert set(statuses) <= {200, 503} and 200 in statuses and 503 in statuses, statuses
        busy = next(answer for answer in answers if answer.status_code == 503)
        assert busy.headers["retry-after"] == "1" and "vuelve a intentarlo" in busy.json()["error"]
        assert httpx.get(full.url + "/salud").status_code == 200
    finally:
        full.stop()


def test_the_load_mix_gets_exactly_the_expected_statuses(server, tmp_path):
    from tools.api_load import HEADER, format_row, run_load
    from tools.bench import append_row

    figures = run_load(server.url, requests=60, concurrency=8)
    assert figures["inesperadas"] == 0
    assert figures["codigos"] == {"200": 24, "400": 12, "413": 6, "415": 6, "422": 12}
    table = tmp_path / "api.md"
    append_row(format_row(figures, 60, 8, 123.4), table, HEADER)
    assert table.read_text().startswith("# Carga de la API") and "| 60 | 8 |" in table.read_text()
    assert "| 123 MB |" in table.read_text()


def test_a_photo_model_is_served_in_color_in_either_layout(tmp_path):
    data = photo((90, 60), seed=7, fmt="JPEG")
    last = OnnxClassifier(tiny_onnx(tmp_path / "a.onnx", seed=2, photo=True))
    first = OnnxClassifier(tiny_onnx(tmp_path / "b.onnx", channels_first=True, seed=2, photo=True))
    assert last.prepare(data).shape == (32, 32, 3)
    (names_first, p_first), (names_last, p_last) = (zip(*c.top_k(c.prepare(data))) for c in (first, last))
    assert names_first == names_last and p_first == pytest.approx(p_last, abs=1e-6)
    with ServerProcess(tmp_path / "b.onnx") as server:
        answer = post(server, data, k=2).json()["predicciones"]
    assert [p["clase"] for p in answer] == [name for name, _ in first.top_k(first.prepare(data), 2)]


def test_the_server_stops_when_its_block_fails_and_when_the_program_ends(model):
    """Una celda que falla con el servidor arrancado no deja el proceso vivo."""
    with pytest.raises(ZeroDivisionError), ServerProcess(model) as server:
        raise ZeroDivisionError("una celda que falla")
    assert server.process.poll() is not None
    forgotten = ServerProcess(model)
    process = forgotten.process
    del forgotten  # lo que hace el intérprete con lo que queda vivo al salir
    assert process.wait(timeout=10) is not None
