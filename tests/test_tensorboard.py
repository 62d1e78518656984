"""TensorBoard abre las curvas que escribe el curso, como lo hace ``%tensorboard`` en Jupyter.

La orden mágica ``%tensorboard`` (cuadernos 04 y 05) busca el programa ``tensorboard`` en el
``PATH`` del kernel de Jupyter y lo arranca con ``tensorboard.manager.start``. ``make lab`` pone
``.venv/bin`` en ese ``PATH``; aquí se hace lo mismo y se pide la página y las curvas en
127.0.0.1.
"""
from __future__ import annotations

import datetime
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import numpy as np
import pytest

from tools.course import ROOT

pytestmark = pytest.mark.integration

VENV_BIN = str(Path(sys.executable).parent)


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read()


@pytest.fixture()
def course_logs(tmp_path) -> Path:
    """Registros de un entrenamiento corto con el *callback* ``TensorBoard`` de los cuadernos."""
    import helpers

    helpers.start(framework="keras")
    import keras

    x = np.random.default_rng(0).normal(size=(64, 4)).astype("float32")
    y = (x[:, 0] > 0).astype("int32")
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    log_dir = tmp_path / "runs" / "04_fashion_mnist"
    model.fit(x, y, validation_split=0.25, epochs=2, verbose=0,
              callbacks=[keras.callbacks.TensorBoard(log_dir=str(log_dir))])
    return log_dir


def test_make_lab_puts_the_environment_on_the_kernel_path():
    recipe = subprocess.run(["make", "-n", "lab"], cwd=ROOT, capture_output=True, text=True,
                            check=True).stdout
    lab_line = next(line for line in recipe.splitlines() if "jupyter lab" in line)
    assert f"PATH={ROOT}/.venv/bin:" in lab_line.replace('"', "")


def test_tensorboard_magic_serves_the_course_curves(course_logs, monkeypatch):
    from tensorboard import manager

    monkeypatch.setenv("PATH", VENV_BIN + os.pathsep + os.environ.get("PATH", ""))
    result = manager.start(["--logdir", str(course_logs), "--host", "127.0.0.1", "--port", "0"],
                           timeout=datetime.timedelta(seconds=120))
    assert isinstance(result, manager.StartLaunched), f"TensorBoard no arrancó: {result}"
    base = f"http://127.0.0.1:{result.info.port}"
    try:
        assert b"<tf-tensorboard" in _get(base + "/") or b"TensorBoard" in _get(base + "/")
        deadline, runs = time.monotonic() + 60, []
        while time.monotonic() < deadline and not {"train", "validation"} <= set(runs):
            runs = json.loads(_get(base + "/data/runs"))
            time.sleep(1)
        assert {"train", "validation"} <= set(runs), f"TensorBoard no muestra las curvas: {runs}"
    finally:
        os.kill(result.info.pid, signal.SIGTERM)
