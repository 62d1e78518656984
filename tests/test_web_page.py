"""La página web: construida con helpers.serving.webpage, servida en local y usada en Chromium sin pantalla.

Una sola construcción y un solo navegador para todo el módulo: sube fotos (también una
transparente, una alta y estrecha y una con orientación EXIF) y compara las 3 clases que muestra
con onnxruntime en Python; comprueba los estados que ve una persona (esperar al modelo, errores
que borran lo anterior, la misma foto dos veces, una imagen con demasiados píxeles, la cámara
con su contador de imágenes por segundo, el selector de modelo). El tercer modelo es el de razas
del 08 como lo publica el 09 (una MobileNetV2 de pesos al azar, exportada con ``helpers.breeds``):
la página y la API dicen lo mismo de la misma foto. Si falta Node.js, los paquetes de npm o
Chromium, la prueba falla diciendo cómo instalarlos.
"""
import functools
import json
import os
import shutil
import subprocess
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import numpy as np
import pytest
from serving_fixtures import tiny_onnx
from test_breeds import save_torch_08a
from test_web_preprocess import transparent_png

from helpers import breeds
from helpers.serving import OnnxClassifier, ServerProcess, read_card
from helpers.serving.webpage import build_page
from tools.course import ROOT
from tools.hostile_images import bomb_png, exif_rotated_jpeg, photo

pytestmark = [pytest.mark.integration, pytest.mark.frameworks]  # abre Chromium; exporta con PyTorch

WEB = ROOT / "web"
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
PHOTOS = {
    "png": photo((90, 60), seed=0),
    "cuadrada": photo((28, 28), seed=1),
    "alta": photo((33, 1300), seed=2),
    "transparente": transparent_png(),
    "exif": exif_rotated_jpeg((80, 50), seed=3),
}


def require_tools():
    problems = []
    if shutil.which("node") is None:
        problems.append("falta Node.js (node)")
    if not (WEB / "node_modules" / "onnxruntime-web").is_dir():
        problems.append("faltan los paquetes de npm: ejecuta `make web` (npm ci en web/)")
    if not CHROMIUM.exists():
        problems.append("falta Chromium: ejecuta `make web` (instala el paquete chromium de Debian)")
    if problems:
        pytest.fail("No puedo probar la página: " + "; ".join(problems) + ".")


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def seen(tmp_path_factory):
    require_tools()
    folder = tmp_path_factory.mktemp("pagina")
    save_torch_08a(folder / "models")
    models = [tiny_onnx(folder / "moda.onnx", seed=4),
              tiny_onnx(folder / "gatos_perros.onnx", channels_first=True, seed=5, photo=True),
              breeds.export_onnx(breeds.find_saved(folder / "models"), folder / "razas.onnx",
                                 description="Razas (MobileNetV2 de prueba)")]
    dist = build_page(models, folder / "dist", WEB / "node_modules" / "onnxruntime-web" / "dist")
    files = {}
    for name, data in PHOTOS.items():
        files[name] = folder / f"{name}.img"
        files[name].write_bytes(data)
    (folder / "notas.txt").write_text("esto no es una imagen")
    (folder / "enorme.png").write_bytes(bomb_png(4100, 4100))   # 16,8 millones de píxeles
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=dist))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    config = folder / "config.json"
    config.write_text(json.dumps({"url": url, "fotos": {k: str(v) for k, v in files.items()},
                                  "archivo_malo": str(folder / "notas.txt"),
                                  "demasiados_pixeles": str(folder / "enorme.png")}))
    try:
        result = subprocess.run(["node", str(WEB / "tests" / "page.mjs"), str(config)], capture_output=True,
                                text=True, timeout=300, cwd=WEB, env={**os.environ, "CHROMIUM": str(CHROMIUM)})
    finally:
        server.shutdown()
    assert result.returncode == 0, result.stderr[-3000:]
    observed = json.loads(result.stdout.strip().splitlines()[-1])
    observed["modelos"], observed["url"] = models, url
    return observed


def assert_same_top_3(shown, model, data):
    classifier = OnnxClassifier(model)
    expected = classifier.top_k(classifier.prepare(data), k=3)
    assert [p["clase"] for p in shown["predicciones"]] == [name for name, _ in expected]
    np.testing.assert_allclose([p["probabilidad"] for p in shown["predicciones"]],
                               [p for _, p in expected], atol=1e-4)


@pytest.mark.parametrize("name", PHOTOS)
def test_page_shows_the_photo_and_the_same_top_3_as_onnxruntime(seen, name):
    shown = seen["fotos"][name]
    assert shown["estado"] == "clasificado" and shown["foto_visible"]
    assert_same_top_3(shown, seen["modelos"][0], PHOTOS[name])
    assert all(p["texto"].endswith("%") and p["barra"].endswith("%") for p in shown["predicciones"])


def test_page_waits_for_the_model_and_loads_nothing_from_outside(seen):
    assert seen["botones_antes_del_modelo"] == [True, True]
    assert seen["botones_con_el_modelo"] == [False, False]
    assert seen["problemas"] == []
    assert all(request.startswith(seen["url"]) for request in seen["peticiones"])  # nada de CDN


def test_errors_are_spanish_and_clear_the_previous_result(seen):
    assert seen["misma_foto_otra_vez"]["estado"] == "clasificado"
    bad = seen["archivo_malo"]
    assert bad["estado"] == "error" and "no es una imagen" in bad["texto"]
    assert bad["predicciones"] == [] and not bad["foto_visible"]
    huge = seen["demasiados_pixeles"]
    assert huge["estado"] == "error" and "píxeles" in huge["texto"] and huge["predicciones"] == []


def test_camera_toggle_counts_frames_and_never_covers_an_uploaded_photo(seen):
    camera = seen["camara"]
    assert camera["boton"] == "Apagar la cámara" and camera["en_vivo"]
    assert camera["estado"] == "en-directo" and float(camera["fps"].replace(",", ".")) > 0
    assert len(camera["predicciones"]) == 3
    assert seen["foto_con_camara_despues"]["estado"] == "clasificado"
    assert seen["foto_con_camara_despues"]["predicciones"] == seen["foto_con_camara"]["predicciones"]
    assert seen["camara_apagada"] == {"boton": "Encender la cámara", "en_vivo": False}
    assert seen["tras_apagar"] == {"fps_igual": True, "en_vivo": False}


def test_model_picker_lists_every_model_and_switches_to_a_color_photo_model(seen):
    assert seen["opciones"] == [read_card(model).descripcion or read_card(model).modelo for model in seen["modelos"]]
    assert_same_top_3(seen["otros_modelos"]["1"], seen["modelos"][1], PHOTOS["png"])


def test_the_breeds_model_says_the_same_on_the_page_and_through_the_api(seen):
    shown = seen["otros_modelos"]["2"]
    assert_same_top_3(shown, seen["modelos"][2], PHOTOS["png"])
    with ServerProcess(seen["modelos"][2]) as server:
        answer = httpx.post(server.url + "/predecir", files={"imagen": ("foto.png", PHOTOS["png"])},
                            params={"k": 3}).json()
    assert [p["clase"] for p in shown["predicciones"]] == [p["clase"] for p in answer["predicciones"]]
    np.testing.assert_allclose([p["probabilidad"] for p in shown["predicciones"]],
                               [p["probabilidad"] for p in answer["predicciones"]], atol=1e-4)
