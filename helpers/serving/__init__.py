"""Sacar el modelo del cuaderno: preprocesado compartido, clasificador ONNX y API REST.

- ``prepare_image(datos)``: de los bytes de una foto a la entrada de 28×28 del modelo de
  Fashion-MNIST. Es la **misma** función en el cuaderno 09, en el servidor y (traducida línea
  a línea) en la página web.
- ``prepare_photo(datos, lado)``: lo mismo para los modelos de fotos en color (gatos y perros).
- ``decode_image(datos)``: la única ruta de decodificación (límites antes de decodificar, EXIF,
  cualquier modo de color), que usa ``prepare_image``.
- ``OnnxClassifier``: ejecuta un modelo ``.onnx`` con onnxruntime y devuelve las k clases más
  probables; lee la ficha del modelo (``helpers.serving.contract``).
- ``create_app(clasificador)``: la API REST (FastAPI). Para arrancarla:
  ``python -m helpers.serving modelo.onnx --port 8000``, o desde Python, en otro proceso,
  ``ServerProcess("modelo.onnx")``.

Ejemplo:
    >>> from helpers.serving import prepare_image       # doctest: +SKIP
    >>> x = prepare_image(open("zapatilla.jpg", "rb").read())   # doctest: +SKIP
    >>> x.shape                                          # doctest: +SKIP
    (28, 28)
"""
from __future__ import annotations

from helpers.serving.contract import ModelCard, read_card
from helpers.serving.preprocess import ImageRejected, Limits, area_resize, decode_image, prepare_image, prepare_photo
from helpers.serving.process import ServerProcess

__all__ = ["ImageRejected", "Limits", "ModelCard", "OnnxClassifier", "ServerProcess", "area_resize",
           "create_app", "decode_image", "prepare_image", "prepare_photo", "read_card"]


def __getattr__(name: str):
    """Carga onnxruntime y FastAPI solo cuando se piden."""
    if name == "OnnxClassifier":
        from helpers.serving.classifier import OnnxClassifier

        return OnnxClassifier
    if name == "create_app":
        from helpers.serving.api import create_app

        return create_app
    raise AttributeError(f"module 'helpers.serving' has no attribute {name!r}")
