"""El modelo de razas de los cuadernos 08 (MobileNetV2 ajustada a las 37 razas), del 08 al 09.

El 08a (PyTorch) y el 08b (Keras) guardan su modelo final en su carpeta de ``models/`` y, al
lado, ``razas.json`` con las clases y el lado de la imagen (``save_for_deployment``). El 09
busca esa carpeta (``find_saved``), reconstruye el modelo de su marco (``load_framework_model``)
y lo exporta a ONNX con su ficha (``export_onnx``), para la API y la página web.

El modelo exportado recibe la foto como el resto de modelos de fotos del curso (preprocesado
``"foto"``: color, 0–255, estirada a un cuadrado) y hace **dentro** la normalización que
espera su base de ImageNet; la ficha la anota en ``normalizacion``:

- PyTorch: ``(x / 255 − media) / desviación`` por canal, con ``IMAGENET_MEAN`` e ``IMAGENET_STD``
  (una capa ``Normalize`` añadida delante de la red);
- Keras: ``x / 127.5 − 1``, la capa ``Rescaling`` que el 08b ya puso dentro del modelo.

Ejemplo:
    >>> saved = find_saved("models")                                    # doctest: +SKIP
    >>> export_onnx(saved, "models/09/razas.onnx")                      # doctest: +SKIP
    PosixPath('models/09/razas.onnx')
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from helpers.pretrained import IMAGENET_MEAN, IMAGENET_STD

__all__ = ["FOLDERS", "INFO_FILE", "SavedBreeds", "export_onnx", "find_saved", "load_framework_model",
           "save_for_deployment"]

#: La carpeta de ``models/`` de cada cuaderno 08 y el archivo de pesos que guarda (su mejor época).
FOLDERS = {"torch": ("08a_razas", "ajuste_fino.pt"), "keras": ("08b_razas", "razas.keras")}
INFO_FILE = "razas.json"
NORMALIZATION = {
    "torch": f"ImageNet dentro del modelo: (x/255 − {list(IMAGENET_MEAN)}) / {list(IMAGENET_STD)} por canal",
    "keras": "dentro del modelo: x/127.5 − 1 (la capa Rescaling de MobileNetV2 en Keras)",
}


@dataclass(frozen=True)
class SavedBreeds:
    """Lo que guardó un cuaderno 08: el marco, el archivo del modelo, las razas y el lado de la imagen."""

    framework: str
    weights: Path
    class_names: list[str]
    side: int


def save_for_deployment(folder: str | Path, class_names: list[str], side: int) -> Path:
    """Escribe ``folder/razas.json`` (clases y lado) junto al modelo guardado, para el 09.

    Ejemplo:
        >>> save_for_deployment("models/08a_razas", class_names, IMG_SIZE)   # doctest: +SKIP
        PosixPath('models/08a_razas/razas.json')
    """
    path = Path(folder) / INFO_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"clases": list(class_names), "lado": int(side)}, ensure_ascii=False),
                    encoding="utf-8")
    return path


def find_saved(models: str | Path = "models") -> SavedBreeds | None:
    """El modelo de razas que guardó el 08a o, si no, el 08b, en ``models``; ``None`` si no hay ninguno.

    Ejemplo:
        >>> find_saved("no/existe") is None
        True
    """
    for framework, (folder, weights) in FOLDERS.items():
        info, weights = Path(models) / folder / INFO_FILE, Path(models) / folder / weights
        if info.is_file() and weights.is_file():
            data = json.loads(info.read_text(encoding="utf-8"))
            return SavedBreeds(framework, weights, list(data["clases"]), int(data["lado"]))
    return None


def load_framework_model(saved: SavedBreeds):
    """El modelo guardado, en su marco, listo para predecir: fotos en 0–255 → **logits** de cada raza.

    PyTorch: ``nn.Sequential(Normalize, MobileNetV2)`` con entrada ``(N, 3, lado, lado)``;
    Keras: el modelo del 08b tal cual, con entrada ``(N, lado, lado, 3)``.

    Ejemplo:
        >>> net = load_framework_model(find_saved("models"))   # doctest: +SKIP
    """
    if saved.framework == "keras":
        import keras

        return keras.models.load_model(saved.weights)
    from torch import nn

    from helpers.pretrained import torch_mobilenet_v2
    from helpers.training import load_weights

    net, _ = torch_mobilenet_v2(len(saved.class_names), pretrained=False)
    load_weights(net, saved.weights, "cpu")
    return nn.Sequential(_imagenet_from_pixels(), net).eval()


def _imagenet_from_pixels():
    """Capa de PyTorch: píxeles 0–255 ``(N, 3, H, W)`` → ``(x/255 − media)/desviación`` de ImageNet.

    (``torchvision.transforms.Normalize`` comprueba los valores al ejecutarse y no se exporta a ONNX).
    """
    import torch

    class ImageNetFromPixels(torch.nn.Module):
        def __init__(self):
            super().__init__()
            # (x/255 − media)/desviación = (x − 255·media)/(255·desviación)
            self.register_buffer("mean", 255 * torch.tensor(IMAGENET_MEAN).view(1, 3, 1, 1), persistent=False)
            self.register_buffer("std", 255 * torch.tensor(IMAGENET_STD).view(1, 3, 1, 1), persistent=False)

        def forward(self, pixels):
            return (pixels - self.mean) / self.std

    return ImageNetFromPixels()


def export_onnx(saved: SavedBreeds, path: str | Path, description: str = "") -> Path:
    """Exporta el modelo guardado a ``path`` (ONNX, con *softmax*) y su ficha, con preprocesado ``"foto"``.

    Ejemplo:
        >>> export_onnx(find_saved("models"), "models/09/razas.onnx")   # doctest: +SKIP
        PosixPath('models/09/razas.onnx')
    """
    from helpers.export import export_keras_onnx, export_torch_onnx

    model = load_framework_model(saved)
    options = dict(preprocessing="foto", description=description, normalization=NORMALIZATION[saved.framework])
    if saved.framework == "keras":
        import keras

        with_softmax = keras.Sequential([model, keras.layers.Softmax()], name="razas")
        return export_keras_onnx(with_softmax, path, saved.class_names, **options)
    return export_torch_onnx(model, path, saved.class_names, image_shape=(3, saved.side, saved.side), **options)
