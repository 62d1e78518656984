"""La página web: construida desde npm, servida en local y abierta en Chromium sin pantalla.

Sube una foto y lee las 3 clases que muestra la página; deben coincidir con las de
onnxruntime en Python para la misma foto (mismo preprocesado, traducido a JavaScript).
Si falta Node.js, los paquetes de npm o Chromium, la prueba falla diciendo cómo instalarlos.
"""
import functools
import json
import shutil
import subprocess
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import pytest

from helpers.serving import OnnxClassifier, prepare_image
from serving_fixtures import image_bytes, tiny_onnx
from tools.course import ROOT

WEB = ROOT / "web"
CHROMIUM = Path("/usr/bin/chromium")


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


@pytest.fixture
def site(tmp_path):
    require_tools()
    model = tiny_onnx(tmp_path / "moda.onnx", seed=4)
    dist = tmp_path / "dist"
    subprocess.run(["node", str(WEB / "build.mjs"), str(model), str(dist)], check=True,
                   capture_output=True, text=True)
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=dist))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield model, f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


def classify_in_browser(url, image):
    result = subprocess.run(["node", str(WEB / "tests" / "classify.mjs"), url, str(image)],
                            capture_output=True, text=True, timeout=180, cwd=WEB)
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("size, seed", [((90, 60), 0), ((28, 28), 1), ((33, 130), 2)])
def test_page_shows_the_same_top_3_as_onnxruntime(site, tmp_path, size, seed):
    model, url = site
    data = image_bytes("RGB", size=size, fmt="PNG", seed=seed)
    photo = tmp_path / "prenda.png"
    photo.write_bytes(data)
    shown = classify_in_browser(url, photo)
    assert shown["problemas"] == []
    expected = OnnxClassifier(model).top_k(prepare_image(data), k=3)
    assert [p["clase"] for p in shown["predicciones"]] == [name for name, _ in expected]
    np.testing.assert_allclose([p["probabilidad"] for p in shown["predicciones"]],
                               [p for _, p in expected], atol=1e-4)
    assert all(p["texto"].endswith("%") for p in shown["predicciones"])
    assert all(request.startswith(url) for request in shown["peticiones"])  # nada de CDN
