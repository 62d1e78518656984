"""Piezas comunes de las pruebas de la API: un modelo ONNX pequeño e imágenes de prueba."""
from __future__ import annotations

import io
from pathlib import Path

import numpy as np
from PIL import Image

from helpers.serving.contract import write_card

CLASSES = [f"clase_{i}" for i in range(10)]
PHOTO_CLASSES = ["gato", "perro"]


def tiny_onnx(path: Path, channels_first: bool = False, seed: int = 0, photo: bool = False) -> Path:
    """Modelo ONNX lineal + softmax con su ficha ``.modelo.json`` al lado.

    De prendas (28×28 en gris → 10 clases) o, con ``photo=True``, de fotos (32×32 en color,
    0–255 → 2 clases, como los gatos y perros).
    """
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    rng = np.random.default_rng(seed)
    side, channels, classes = (32, 3, PHOTO_CLASSES) if photo else (28, 1, CLASSES)
    shape = ["lote", channels, side, side] if channels_first else ["lote", side, side, channels]
    weights = rng.normal(size=(side, side, channels, len(classes))) / (2550 if photo else 1)
    if channels_first:  # el mismo modelo con la entrada en otro orden: mismas predicciones
        weights = weights.transpose(2, 0, 1, 3)
    weights = weights.reshape(-1, len(classes))
    graph = helper.make_graph(
        [helper.make_node("Flatten", ["imagen"], ["plano"], axis=1),
         helper.make_node("MatMul", ["plano", "pesos"], ["logits_sin_sesgo"]),
         helper.make_node("Add", ["logits_sin_sesgo", "sesgo"], ["logits"]),
         helper.make_node("Softmax", ["logits"], ["probabilidades"], axis=1)],
        "lineal",
        [helper.make_tensor_value_info("imagen", TensorProto.FLOAT, shape)],
        [helper.make_tensor_value_info("probabilidades", TensorProto.FLOAT, ["lote", len(classes)])],
        [numpy_helper.from_array(weights.astype(np.float32), "pesos"),
         numpy_helper.from_array(rng.normal(size=len(classes)).astype(np.float32), "sesgo")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.save(model, path)
    write_card(path, classes, "NCHW" if channels_first else "NHWC", side, "foto" if photo else "prenda")
    return path


def image_bytes(mode: str = "RGB", size: tuple[int, int] = (60, 40), fmt: str = "PNG", seed: int = 0) -> bytes:
    """Una imagen de prueba (prenda oscura sobre fondo claro) en el modo y formato pedidos."""
    rng = np.random.default_rng(seed)
    pixels = np.full((size[1], size[0], 3), 235, np.uint8)
    pixels[size[1] // 4: 3 * size[1] // 4, size[0] // 3: 2 * size[0] // 3] = rng.integers(0, 90, 3)
    image = Image.fromarray(pixels)
    if mode == "RGBA":
        image = image.convert("RGBA")
    elif mode == "I;16":  # 16 bits de verdad: 0–65535 (convert("I;16") dejaría 0–255)
        image = Image.fromarray(np.asarray(image.convert("L")).astype(np.uint16) * 257)
    elif mode != "RGB":
        image = image.convert(mode)
    buffer = io.BytesIO()
    image.save(buffer, fmt)
    return buffer.getvalue()
