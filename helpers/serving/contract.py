"""El contrato de un modelo exportado: sus archivos, sus clases y la entrada que espera.

Un modelo exportado son **dos archivos en la misma carpeta**: el ``.onnx`` y su ficha
``<nombre>.modelo.json``, que se escribe al exportar (``helpers.export``) y que leen todos los
demás: el clasificador de la API, ``helpers.serving.webpage`` (que la pasa a la página web), el
contenedor y las pruebas. La ficha dice:

- ``modelo``: el nombre del archivo ``.onnx`` (en la misma carpeta que la ficha);
- ``clases``: los nombres de las clases, en el orden de las salidas;
- ``disposicion``: ``"NHWC"`` (canales al final, Keras) o ``"NCHW"`` (canales delante, PyTorch);
- ``lado`` y ``canales``: la entrada es ``lado × lado`` con ``canales`` canales (1 gris, 3 RGB);
- ``preprocesado``: cómo se prepara una foto para él (``helpers.serving.preprocess``):
  ``"prenda"`` (gris en [0, 1], fondo negro, como Fashion-MNIST) o ``"foto"`` (color en 0–255,
  estirada a un cuadrado, como los gatos y perros del cuaderno 06).
- ``descripcion``: una frase para la persona que lo usa (de dónde sale el modelo).
- ``normalizacion``: la normalización que el modelo hace **por dentro** a la entrada que recibe
  (por ejemplo, la de ImageNet de una base preentrenada); vacía si no hace ninguna. Es
  informativa: quien lo usa solo aplica ``preprocesado``.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

__all__ = ["CARD_SUFFIX", "LAYOUTS", "PREPROCESSINGS", "ModelCard", "card_path", "read_card", "write_card"]

CARD_SUFFIX = ".modelo.json"
LAYOUTS = ("NHWC", "NCHW")
PREPROCESSINGS = {"prenda": 1, "foto": 3}  # preprocesado → canales que da


@dataclass(frozen=True)
class ModelCard:
    """La ficha de un modelo exportado (ver el contrato arriba).

    Ejemplo:
        >>> card = ModelCard("moda.onnx", ["camiseta", "pantalón"], "NCHW", 28, 1, "prenda")
        >>> card.input_shape(batch=4)
        (4, 1, 28, 28)
    """

    modelo: str
    clases: list[str]
    disposicion: str
    lado: int
    canales: int
    preprocesado: str
    descripcion: str = field(default="")
    normalizacion: str = field(default="")

    def __post_init__(self) -> None:
        if self.disposicion not in LAYOUTS:
            raise ValueError(f"disposicion debe ser una de {LAYOUTS}; recibí {self.disposicion!r}.")
        if PREPROCESSINGS.get(self.preprocesado) != self.canales:
            raise ValueError(f"preprocesado {self.preprocesado!r} con {self.canales} canales: "
                             f"las combinaciones válidas son {PREPROCESSINGS}.")

    def input_shape(self, batch: int) -> tuple[int, int, int, int]:
        """Forma de la entrada del ``.onnx`` para un lote de ``batch`` imágenes."""
        if self.disposicion == "NHWC":
            return (batch, self.lado, self.lado, self.canales)
        return (batch, self.canales, self.lado, self.lado)


def card_path(model_path: str | Path) -> Path:
    """La ficha que acompaña a un ``.onnx``: ``carpeta/nombre.modelo.json``.

    Ejemplo:
        >>> card_path("models/moda.onnx").name
        'moda.modelo.json'
    """
    model_path = Path(model_path)
    return model_path.with_name(model_path.stem + CARD_SUFFIX)


def write_card(model_path: str | Path, class_names: list[str], layout: str, side: int,
               preprocessing: str = "prenda", description: str = "", normalization: str = "") -> Path:
    """Escribe la ficha de ``model_path`` y devuelve su ruta.

    Ejemplo:
        >>> write_card("models/moda.onnx", ["camiseta", "pantalón"], "NHWC", 28)   # doctest: +SKIP
        PosixPath('models/moda.modelo.json')
    """
    model_path = Path(model_path)
    card = ModelCard(model_path.name, list(class_names), layout, int(side),
                     PREPROCESSINGS.get(preprocessing, 0), preprocessing, description, normalization)
    path = card_path(model_path)
    path.write_text(json.dumps(asdict(card), ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def read_card(path: str | Path) -> ModelCard:
    """Lee la ficha de un modelo, a partir del ``.onnx`` o de la propia ficha.

    Ejemplo:
        >>> read_card("models/moda.onnx").clases[:2]   # doctest: +SKIP
        ['Camiseta/top', 'Pantalón']
    """
    path = Path(path)
    if not path.name.endswith(CARD_SUFFIX):
        path = card_path(path)
    if not path.is_file():
        raise FileNotFoundError(f"No encuentro la ficha del modelo '{path}'. Se escribe al exportar "
                                "con helpers.export; exporta el modelo de nuevo.")
    return ModelCard(**json.loads(path.read_text(encoding="utf-8")))

