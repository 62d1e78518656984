"""La API REST de verdad: un servidor uvicorn en 127.0.0.1, imágenes reales y entradas malas."""
import httpx
import numpy as np
import pytest

from helpers.serving import OnnxClassifier, prepare_image
from serving_fixtures import CLASSES, image_bytes, tiny_onnx
from helpers.serving.process import ServerProcess
from tools.api_load import run_load, sample_image


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
                      params=params, timeout=30)


def assert_still_serving(server):
    assert httpx.get(server.url + "/salud", timeout=10).json()["estado"] == "ok"


def test_health(server):
    assert httpx.get(server.url + "/salud").json() == {"estado": "ok", "modelo": "moda.onnx", "clases": 10}


@pytest.mark.parametrize("mode, fmt", [("RGB", "PNG"), ("RGB", "JPEG"), ("L", "PNG"), ("RGBA", "PNG"),
                                       ("CMYK", "JPEG"), ("P", "PNG")])
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
    (lambda s: post(s, b"esto es texto, no una imagen", name="notas.txt"), 400, "no es una imagen"),
    (lambda s: post(s, image_bytes(fmt="JPEG", size=(200, 200))[:1020]), 400, "dañada"),
    (lambda s: post(s, b""), 400, "vacío"),
    (lambda s: post(s, np.random.default_rng(0).bytes(300_000)), 413, "bytes"),
    (lambda s: post(s, image_bytes(size=(2500, 2000))), 413, "píxeles"),
    (lambda s: httpx.post(s.url + "/predecir", files={"otra_cosa": ("f.png", image_bytes())}), 422, "imagen"),
    (lambda s: httpx.post(s.url + "/predecir"), 422, "imagen"),
    (lambda s: post(s, image_bytes(), k=99), 422, "no válida"),
])
def test_bad_input_gets_a_clear_json_error_and_the_server_keeps_serving(server, make_request, status, text):
    response = make_request(server)
    assert response.status_code == status
    assert text in response.json()["error"]
    assert_still_serving(server)


def test_load_500_requests_at_concurrency_8_without_errors(server, capsys):
    figures = run_load(server.url, sample_image(), requests=500, concurrency=8)
    with capsys.disabled():
        print(f"\nCarga de la API: {figures['peticiones_por_segundo']:.0f} peticiones/s, "
              f"p95 {figures['p95_ms']:.1f} ms, {figures['errores']} errores")
    assert figures["errores"] == 0
