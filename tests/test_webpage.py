"""helpers.serving.webpage: la página sale del paquete, con las fichas de los modelos y los límites de la API."""
import json

import pytest
import tomllib
from serving_fixtures import tiny_onnx

from helpers.serving import Limits
from helpers.serving.webpage import RUNTIME_FILES, RUNTIME_VERSION, SITE, build_page, find_runtime
from tools.course import ROOT


def fake_runtime(folder):
    folder.mkdir()
    for name in RUNTIME_FILES:
        (folder / name).write_text("// runtime")
    return folder


def test_page_is_built_from_the_package_with_cards_and_limits(tmp_path):
    models = [tiny_onnx(tmp_path / "moda.onnx"), tiny_onnx(tmp_path / "otro.onnx", channels_first=True)]
    out = build_page([models[0], tmp_path / "otro.modelo.json"], tmp_path / "pagina",
                     fake_runtime(tmp_path / "dist"), Limits(1000, 2000, 300))
    index = json.loads((out / "modelos.json").read_text())
    assert [card["modelo"] for card in index["modelos"]] == ["moda.onnx", "otro.onnx"]
    assert [card["disposicion"] for card in index["modelos"]] == ["NHWC", "NCHW"]
    assert index["limites"] == {"max_bytes": 1000, "max_pixels": 2000, "max_side": 300}
    assert {"index.html", "app.js", "preprocess.js", "moda.onnx", "otro.modelo.json"} <= {p.name for p in out.iterdir()}
    assert sorted(p.name for p in (out / "vendor").iterdir()) == sorted(RUNTIME_FILES)


def test_missing_runtime_says_how_to_install_it(tmp_path):
    with pytest.raises(FileNotFoundError, match=f"npm install onnxruntime-web@{RUNTIME_VERSION}"):
        find_runtime(tmp_path)


def test_runtime_version_and_package_data_match_the_project_files():
    package = json.loads((ROOT / "web" / "package.json").read_text())
    assert package["dependencies"]["onnxruntime-web"] == RUNTIME_VERSION
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert pyproject["tool"]["setuptools"]["package-data"]["helpers.serving"] == ["site/*"]
    assert {p.name for p in SITE.iterdir()} == {"index.html", "app.js", "preprocess.js"}
