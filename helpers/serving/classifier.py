"""Un clasificador ONNX listo para servir: entrada de 28×28 y las k clases más probables."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

__all__ = ["OnnxClassifier", "class_names_path"]


def class_names_path(model_path: str | Path) -> Path:
    """Archivo con los nombres de las clases que acompaña a un modelo: ``modelo.clases.json``.

    Ejemplo:
        >>> class_names_path("models/moda.onnx").name
        'moda.clases.json'
    """
    model_path = Path(model_path)
    return model_path.with_name(model_path.stem + ".clases.json")


class OnnxClassifier:
    """Ejecuta un modelo ``.onnx`` con onnxruntime (sin TensorFlow ni PyTorch).

    El modelo recibe imágenes de 28×28 en gris, con los canales al final (Keras,
    ``(N, 28, 28, 1)``) o delante (PyTorch, ``(N, 1, 28, 28)``): la clase lo deduce de la
    forma de la entrada. Debe devolver probabilidades (la última capa con *softmax*).

    Ejemplo:
        >>> classifier = OnnxClassifier("models/moda.onnx")          # doctest: +SKIP
        >>> classifier.top_k(prepare_image(datos), k=3)               # doctest: +SKIP
        [('bota', 0.91), ('sandalia', 0.06), ('zapatilla', 0.02)]
    """

    def __init__(self, model_path: str | Path, class_names: list[str] | None = None) -> None:
        import onnxruntime as ort

        self.path = Path(model_path)
        self.session = ort.InferenceSession(str(self.path), providers=["CPUExecutionProvider"])
        model_input = self.session.get_inputs()[0]
        self.input_name = model_input.name
        self.channels_first = model_input.shape[1] == 1
        if class_names is None:
            class_names = json.loads(class_names_path(self.path).read_text(encoding="utf-8"))
        self.class_names = list(class_names)

    def probabilities(self, images: np.ndarray) -> np.ndarray:
        """Probabilidades ``(N, clases)`` para imágenes ``(N, 28, 28)`` en [0, 1]."""
        batch = np.asarray(images, dtype=np.float32)
        batch = batch[:, np.newaxis] if self.channels_first else batch[..., np.newaxis]
        return self.session.run(None, {self.input_name: batch})[0]

    def top_k(self, image: np.ndarray, k: int = 3) -> list[tuple[str, float]]:
        """Las ``k`` clases más probables de una imagen ``(28, 28)``, de mayor a menor."""
        probabilities = self.probabilities(image[np.newaxis])[0]
        best = np.argsort(-probabilities)[:k]
        return [(self.class_names[i], float(probabilities[i])) for i in best]
