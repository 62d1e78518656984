"""Exportar un modelo de Keras o de PyTorch a ONNX, con su ficha al lado (``<nombre>.modelo.json``).

ONNX es un formato abierto: el mismo archivo lo ejecutan onnxruntime en Python (la API del
curso), ONNX Runtime Web en el navegador y muchos otros entornos, sin TensorFlow ni PyTorch.
El archivo exportado da **probabilidades**: a un modelo de PyTorch, que da logits, se le
añade el *softmax* al exportarlo. La ficha (clases, disposición de la entrada, lado) sigue el
contrato de ``helpers.serving.contract``.

Ejemplo:
    >>> export_keras_onnx(model, "models/09/moda_keras.onnx", class_names)      # doctest: +SKIP
    >>> export_torch_onnx(net, "models/09/moda_torch.onnx", class_names)        # doctest: +SKIP
"""
from __future__ import annotations

import contextlib
import io
import warnings
from pathlib import Path

import numpy as np

from helpers.serving.contract import write_card
from helpers.session import silenced_native_stderr

__all__ = ["export_keras_onnx", "export_torch_onnx"]


def export_keras_onnx(model, path: str | Path, class_names: list[str], preprocessing: str = "prenda",
                      description: str = "", normalization: str = "") -> Path:
    """Exporta un modelo de Keras a ``path`` en formato ONNX, con su ficha.

    Se exporta sin las capas de aumento de datos (``without_augmentation``), y llamado una vez
    con una imagen de ceros: Keras solo exporta modelos que ya se han llamado, y uno recién
    cargado con ``keras.models.load_model`` no lo está.

    ``preprocessing``, ``description`` y ``normalization`` van a la ficha (ver
    ``helpers.serving.contract``): ``"prenda"`` para los modelos de Fashion-MNIST, ``"foto"``
    para los de fotos en color; ``normalization`` describe la que el modelo hace por dentro.

    Ejemplo:
        >>> export_keras_onnx(model, "models/moda.onnx", ["camiseta", "pantalón"])  # doctest: +SKIP
        PosixPath('models/moda.onnx')
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    model = without_augmentation(model)
    model(np.zeros((1, *model.input_shape[1:]), dtype="float32"))
    # tf2onnx informa de cada paso en inglés y TensorFlow escribe avisos de C++: nada que hacer.
    with contextlib.redirect_stdout(io.StringIO()), silenced_native_stderr(), warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        model.export(str(path), format="onnx", verbose=False)
    _, height, width, _ = model.input_shape  # Keras: canales al final
    if height != width:
        raise ValueError(f"La entrada del modelo es {height}×{width}; el curso sirve modelos cuadrados.")
    write_card(path, class_names, "NHWC", height, preprocessing, description, normalization)
    return path


def without_augmentation(model):
    """Copia de un modelo de Keras con sus capas de aumento de datos cambiadas por ``Identity``.

    Al predecir, ``RandomFlip``, ``RandomRotation``, ``RandomZoom``… no hacen nada, pero su
    grafo lleva operaciones aleatorias que ONNX no admite. Los pesos se copian tal cual.
    (``RandomCrop`` no se toca: al predecir recorta el centro, así que sí cambia la imagen).

    Ejemplo:
        >>> clean = without_augmentation(model)   # doctest: +SKIP
    """
    import keras

    def replace(layer):
        kind = type(layer).__name__
        if kind.startswith("Random") and kind != "RandomCrop":
            return keras.layers.Identity(name=layer.name)
        return layer.__class__.from_config(layer.get_config())

    clean = keras.models.clone_model(model, clone_function=replace, recursive=True)
    clean.set_weights(model.get_weights())
    return clean


def export_torch_onnx(model, path: str | Path, class_names: list[str], image_shape=(1, 28, 28),
                      preprocessing: str = "prenda", description: str = "", normalization: str = "") -> Path:
    """Exporta un modelo de PyTorch que da logits a ``path`` en ONNX, con softmax al final.

    ``image_shape`` es la forma de una imagen de entrada ``(canales, alto, ancho)``; el tamaño
    del lote queda libre. Los demás argumentos van a la ficha, como en ``export_keras_onnx``.

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
    write_card(path, class_names, "NCHW", image_shape[-1], preprocessing, description, normalization)
    return path
