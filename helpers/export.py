"""Exportar un modelo de Keras o de PyTorch a ONNX, con sus clases al lado (``modelo.clases.json``).

ONNX es un formato abierto: el mismo archivo lo ejecutan onnxruntime en Python (la API del
curso), ONNX Runtime Web en el navegador y muchos otros entornos, sin TensorFlow ni PyTorch.
El archivo exportado da **probabilidades**: a un modelo de PyTorch, que da logits, se le
añade el *softmax* al exportarlo.

Ejemplo:
    >>> export_keras_onnx(model, "models/09/moda_keras.onnx", class_names)      # doctest: +SKIP
    >>> export_torch_onnx(net, "models/09/moda_torch.onnx", class_names)        # doctest: +SKIP
"""
from __future__ import annotations

import contextlib
import io
import json
import warnings
from pathlib import Path

from helpers.session import silenced_native_stderr

__all__ = ["export_keras_onnx", "export_torch_onnx"]


def _write_classes(path: Path, class_names: list[str]) -> None:
    from helpers.serving.classifier import class_names_path

    class_names_path(path).write_text(json.dumps(list(class_names), ensure_ascii=False),
                                      encoding="utf-8")


def export_keras_onnx(model, path: str | Path, class_names: list[str]) -> Path:
    """Exporta un modelo de Keras (ya usado al menos una vez) a ``path`` en formato ONNX.

    Ejemplo:
        >>> export_keras_onnx(model, "models/moda.onnx", ["camiseta", "pantalón"])  # doctest: +SKIP
        PosixPath('models/moda.onnx')
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # tf2onnx informa de cada paso en inglés y TensorFlow escribe avisos de C++: nada que hacer.
    with contextlib.redirect_stdout(io.StringIO()), silenced_native_stderr(), warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        model.export(str(path), format="onnx", verbose=False)
    _write_classes(path, class_names)
    return path


def export_torch_onnx(model, path: str | Path, class_names: list[str], image_shape=(1, 28, 28)) -> Path:
    """Exporta un modelo de PyTorch que da logits a ``path`` en ONNX, con softmax al final.

    ``image_shape`` es la forma de una imagen de entrada ``(canales, alto, ancho)``; el tamaño
    del lote queda libre.

    Ejemplo:
        >>> export_torch_onnx(net, "models/moda.onnx", ["camiseta", "pantalón"])  # doctest: +SKIP
        PosixPath('models/moda.onnx')
    """
    import torch

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    device = next(model.parameters()).device
    with_softmax = torch.nn.Sequential(model, torch.nn.Softmax(dim=1)).eval()
    example = torch.zeros(2, *image_shape, device=device)
    with contextlib.redirect_stdout(io.StringIO()):  # el exportador informa de cada paso
        torch.onnx.export(with_softmax, (example,), str(path), input_names=["imagen"],
                          output_names=["probabilidades"], dynamo=True, external_data=False,
                          dynamic_shapes=[{0: torch.export.Dim("lote")}])
    _write_classes(path, class_names)
    return path
