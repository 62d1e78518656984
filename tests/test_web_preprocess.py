"""preprocess.js (la página) frente a prepare_image y prepare_photo (Python), con node: rápido y sin navegador.

Python decodifica cada imagen como lo haría el navegador (RGBA de 8 bits, orientación EXIF
aplicada, transparencia sin componer) y escribe esos píxeles junto con su ``prepare_image``;
``node --test web/tests/preprocess.test.mjs`` comprueba que la página calcula lo mismo.
"""
import io
import json
import os
import shutil
import subprocess

import numpy as np
import pytest
from PIL import Image, ImageOps

from helpers.images import to_rgb
from helpers.serving import prepare_image, prepare_photo
from tools.course import ROOT
from tools.hostile_images import exif_rotated_jpeg, photo


def transparent_png() -> bytes:
    rgba = np.zeros((30, 50, 4), np.uint8)
    rgba[..., 3] = np.linspace(0, 255, 50).astype(np.uint8)   # de transparente a opaco
    rgba[8:22, 15:35, :3] = 40
    buffer = io.BytesIO()
    Image.fromarray(rgba, "RGBA").save(buffer, "PNG")
    return buffer.getvalue()


PHOTO_SIDE = 24
CASES = {
    "png-transparente": transparent_png(),
    "png-gris": photo((40, 31), seed=1, mode="L"),
    "png-16-bits": photo((33, 45), seed=2, mode="I;16"),
    "jpeg": photo((64, 48), seed=3, fmt="JPEG"),
    "jpeg-exif-girado": exif_rotated_jpeg((52, 36), seed=4),
    "alta-y-estrecha": photo((7, 400), seed=5),
}


def browser_rgba(data: bytes) -> np.ndarray:
    """Los píxeles que da un navegador: EXIF aplicado, 8 bits, alfa sin componer."""
    image = ImageOps.exif_transpose(Image.open(io.BytesIO(data)))
    if image.mode in ("RGBA", "LA", "PA"):
        return np.asarray(image.convert("RGBA"))
    return np.asarray(to_rgb(image).convert("RGBA"))


def test_page_preprocessing_matches_python(tmp_path):
    if shutil.which("node") is None:
        pytest.fail("Falta Node.js (node): instálalo para probar la página (make web).")
    cases = []
    for name, data in CASES.items():
        rgba = browser_rgba(data)
        size = {"width": rgba.shape[1], "height": rgba.shape[0], "rgba": rgba.ravel().tolist()}
        cases.append({"name": name, **size, "expected": prepare_image(data).ravel().tolist()})
        cases.append({"name": f"{name} (foto)", **size, "side": PHOTO_SIDE,
                      "expected": prepare_photo(data, PHOTO_SIDE).ravel().tolist()})
    path = tmp_path / "casos.json"
    path.write_text(json.dumps(cases))
    result = subprocess.run(["node", "--test", str(ROOT / "web" / "tests" / "preprocess.test.mjs")],
                            capture_output=True, text=True, timeout=120,
                            env={"PATH": os.environ["PATH"], "PREPROCESS_CASES": str(path)})
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert f"# pass {2 * len(CASES)}" in result.stdout
