"""Un clasificador ONNX listo para servir: lee la ficha del modelo y da las k clases más probables."""
from __future__ import annotations

from pathlib import Path

import numpy as np

from helpers.serving.contract import read_card
from helpers.serving.preprocess import Limits, prepare_image, prepare_photo

__all__ = ["OnnxClassifier"]


class OnnxClassifier:
    """Ejecuta un modelo ``.onnx`` con onnxruntime (sin TensorFlow ni PyTorch).

    Recibe el ``.onnx`` o su ficha ``<nombre>.modelo.json``, que se escribe al exportar
    (``helpers.serving.contract``): de ella salen la forma de la entrada (canales al final o
    delante, lado) y las clases. El modelo debe devolver probabilidades (*softmax* al final).

    Ejemplo:
        >>> classifier = OnnxClassifier("models/moda.onnx")          # doctest: +SKIP
        >>> classifier.top_k(prepare_image(datos), k=3)               # doctest: +SKIP
        [('bota', 0.91), ('sandalia', 0.06), ('zapatilla', 0.02)]
    """

    def __init__(self, model_path: str | Path) -> None:
        import onnxruntime as ort

        self.card = read_card(model_path)
        self.path = Path(model_path).with_name(self.card.modelo)  # vale el .onnx o su ficha
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1  # el servidor reparte el trabajo entre peticiones
        self.session = ort.InferenceSession(str(self.path), options, providers=["CPUExecutionProvider"])
        self.input_name = self.session.get_inputs()[0].name
        self.class_names = list(self.card.clases)

    @property
    def channels_first(self) -> bool:
        """``True`` si el modelo espera ``(N, canales, alto, ancho)`` (PyTorch)."""
        return self.card.disposicion == "NCHW"

    def prepare(self, data: bytes, limits: Limits = Limits()) -> np.ndarray:
        """Bytes de una foto → la entrada de este modelo, según el preprocesado de su ficha."""
        if self.card.preprocesado == "foto":
            return prepare_photo(data, self.card.lado, limits)
        return prepare_image(data, limits)

    def probabilities(self, images: np.ndarray) -> np.ndarray:
        """Probabilidades ``(N, clases)`` para imágenes ``(N, lado, lado)`` en gris o ``(N, lado, lado, 3)``."""
        batch = np.asarray(images, dtype=np.float32)
        if batch.ndim == 3:
            batch = batch[..., np.newaxis]
        if self.channels_first:
            batch = batch.transpose(0, 3, 1, 2)
        return self.session.run(None, {self.input_name: np.ascontiguousarray(batch)})[0]

    def top_k(self, image: np.ndarray, k: int = 3) -> list[tuple[str, float]]:
        """Las ``k`` clases más probables de una imagen (la salida de ``prepare``), de mayor a menor."""
        probabilities = self.probabilities(image[np.newaxis])[0]
        best = np.argsort(-probabilities)[:k]
        return [(self.class_names[i], float(probabilities[i])) for i in best]
