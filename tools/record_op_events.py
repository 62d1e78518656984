"""Graba los perfiles de referencia de ``helpers.throughput``: con oneDNN y sin él.

TensorFlow llama distinto a la misma operación según la CPU: con oneDNN (por omisión en las CPU
con AVX-512) la convolución es ``_MklNativeFusedConv2D``; sin él, ``_FusedConv2D``. Este script
entrena unos pasos de una red diminuta (convolución normal, por canales y 1×1, *max* y *average
pooling*, densa) bajo el perfilador, una vez en un proceso con ``TF_ENABLE_ONEDNN_OPTS=1`` y otra
con ``=0``, y guarda los ``(tipo, segundos)`` de cada operación, tal cual los lee
``helpers.throughput._op_events``, en ``tests/data/op_events_onednn.json`` y
``op_events_plain.json``. Las pruebas clasifican las dos grabaciones en cualquier CPU.

Uso: ``python -m tools.record_op_events`` (unos segundos por grabación).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from helpers.cli import SpanishParser
from tools.course import ROOT

#: Grabación → valor de ``TF_ENABLE_ONEDNN_OPTS`` en el proceso que la graba.
RECORDINGS = {"onednn": "1", "plain": "0"}
DATA_DIR = ROOT / "tests" / "data"


def recording_path(name: str) -> Path:
    """Archivo de la grabación ``name`` (``onednn`` o ``plain``)."""
    return DATA_DIR / f"op_events_{name}.json"


def record_events() -> list[tuple[str, float]]:
    """``(tipo, segundos)`` de cada operación en dos pasos de entrenamiento de una red diminuta."""
    import keras
    import numpy as np
    import tensorflow as tf
    from keras import layers

    from helpers.throughput import _op_events

    keras.utils.set_random_seed(0)
    net = keras.Sequential([
        keras.Input((16, 16, 3)), layers.Conv2D(8, 3, activation="relu"),
        layers.DepthwiseConv2D(3, padding="same"), layers.Conv2D(8, 3), layers.BatchNormalization(),
        layers.ReLU(), layers.MaxPooling2D(2), layers.Conv2D(8, 1), layers.AveragePooling2D(2),
        layers.Flatten(), layers.Dense(16, activation="relu"), layers.Dense(3, activation="softmax")])
    net.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    x = np.random.default_rng(0).random((16, 16, 16, 3), dtype=np.float32)
    y = np.arange(16) % 3
    net.train_on_batch(x, y)
    with tempfile.TemporaryDirectory() as log_dir:
        tf.profiler.experimental.start(log_dir)
        try:
            for _ in range(2):
                net.train_on_batch(x, y)
        finally:
            tf.profiler.experimental.stop()
        return [(op_type, round(seconds, 9)) for op_type, seconds in _op_events(Path(log_dir))]


def main(argv: list[str]) -> int:
    parser = SpanishParser(prog="python -m tools.record_op_events", description=__doc__.splitlines()[0])
    parser.add_argument("recording", nargs="?", choices=list(RECORDINGS),
                        help="uso interno: el proceso hijo que hace una grabación")
    recording = parser.parse_args(argv).recording
    if recording:                    # proceso hijo: graba con el TF_ENABLE_ONEDNN_OPTS que recibió
        events = record_events()
        onednn = any(op_type.startswith("_Mkl") for op_type, _ in events)
        if onednn != (os.environ["TF_ENABLE_ONEDNN_OPTS"] == "1"):
            print(f"TF_ENABLE_ONEDNN_OPTS={os.environ['TF_ENABLE_ONEDNN_OPTS']} no ha tenido efecto "
                  f"(operaciones _Mkl: {onednn}).", file=sys.stderr)
            return 1
        lines = ",\n".join(json.dumps(event, ensure_ascii=False) for event in events)
        recording_path(recording).write_text(f"[\n{lines}\n]\n", encoding="utf-8")
        return 0
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    for name, flag in RECORDINGS.items():
        env = {**os.environ, "TF_ENABLE_ONEDNN_OPTS": flag, "TF_CPP_MIN_LOG_LEVEL": "3"}
        subprocess.run([sys.executable, "-m", "tools.record_op_events", name], env=env, check=True, cwd=ROOT)
        print(f"{recording_path(name).relative_to(ROOT)}: TF_ENABLE_ONEDNN_OPTS={flag}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
