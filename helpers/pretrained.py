"""MobileNetV2 preentrenada en ImageNet, para PyTorch y para Keras, con pesos comprobados.

Los pesos pasan por la misma maquinaria que los datos (``helpers.datasets.fetch``): réplica
``CNN_MIRROR``, caché ``data/mobilenet_v2_imagenet/`` o descarga con suma de verificación (la
oficial o, para los pesos de Keras, que no la tienen, la de su primer uso).
Si no se pueden conseguir (sin conexión y sin réplica), la red se crea con pesos
**aleatorios** y se avisa de forma bien visible: el código sigue funcionando, pero eso ya no es
aprendizaje por transferencia.

Ejemplo:
    >>> model, pretrained = torch_mobilenet_v2(n_classes=37)      # doctest: +SKIP
    >>> base, pretrained = keras_mobilenet_v2(image_size=160)       # doctest: +SKIP
"""
from __future__ import annotations

from pathlib import Path

from helpers.datasets.errors import DatasetError
from helpers.datasets.fetch import fetch
from helpers.datasets.registry import keras_mobilenet_v2_file

__all__ = ["IMAGENET_MEAN", "IMAGENET_STD", "WEIGHTS", "keras_mobilenet_v2", "torch_mobilenet_v2"]

#: Nombre de los pesos en el registro (y su carpeta en la caché y en la réplica).
WEIGHTS = "mobilenet_v2_imagenet"
TORCH_FILE = "mobilenet_v2-b0353104.pth"
#: Media y desviación por canal de ImageNet: la normalización con la que se entrenó la red de torchvision.
IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)


def _weights_file(filename: str) -> Path | None:
    """Ruta comprobada de los pesos, o ``None`` (tras avisar) si no se pueden conseguir."""
    try:
        return fetch(WEIGHTS, filename)
    except DatasetError as error:
        print("⚠️  SIN PESOS PREENTRENADOS: no he podido conseguir los pesos de ImageNet de "
              f"MobileNetV2 ({filename}).\n"
              f"    Motivo: {error}\n"
              "    El cuaderno sigue con la red iniciada AL AZAR para que el código se ejecute, "
              "pero eso NO es aprendizaje por transferencia: las exactitudes de esta ejecución "
              "no representan lo que consigue el método. Para usar los pesos reales, ejecútalo "
              f"con conexión a internet o con una réplica CNN_MIRROR que tenga {WEIGHTS}/{filename}.")
        return None


def torch_mobilenet_v2(n_classes: int | None = None, pretrained: bool = True):
    """MobileNetV2 de torchvision; con ``n_classes``, con una capa de salida nueva de ese tamaño.

    Devuelve ``(modelo, preentrenada)``: ``preentrenada`` es ``True`` solo si se cargaron los
    pesos de ImageNet. El modelo tiene ``.features`` (la base convolucional, salida de 1280
    canales) y ``.classifier`` (*dropout* + la capa de salida: la de las 1000 clases de
    ImageNet si ``n_classes`` es ``None``). Espera imágenes en [0, 1] normalizadas con
    ``IMAGENET_MEAN`` e ``IMAGENET_STD``.

    Ejemplo:
        >>> model, loaded = torch_mobilenet_v2(37, pretrained=False)
        >>> model.classifier[-1].out_features, loaded
        (37, False)
        >>> torch_mobilenet_v2(pretrained=False)[0].classifier[-1].out_features
        1000
    """
    import torch
    from torchvision.models import mobilenet_v2

    model = mobilenet_v2(weights=None)
    path = _weights_file(TORCH_FILE) if pretrained else None
    if path is not None:
        model.load_state_dict(torch.load(path, map_location="cpu", weights_only=True))
    if n_classes is not None:
        model.classifier[-1] = torch.nn.Linear(model.last_channel, n_classes)
    return model, path is not None


def keras_mobilenet_v2(image_size: int, pretrained: bool = True):
    """Base convolucional de MobileNetV2 de Keras (sin la capa de clasificación).

    Devuelve ``(base, preentrenada)``. La base recibe imágenes de ``image_size`` píxeles con
    valores en [−1, 1] (``keras.applications.mobilenet_v2.preprocess_input``) y da un mapa de
    1280 canales. Keras publica unos pesos de ImageNet por tamaño de entrada (96, 128, 160, 192
    y 224 píxeles): se cargan los de ``image_size`` (``keras_mobilenet_v2_file``), cada uno
    con su propia suma del primer uso.

    Ejemplo:
        >>> base, loaded = keras_mobilenet_v2(96, pretrained=False)
        >>> base.output_shape, loaded
        ((None, 3, 3, 1280), False)
    """
    import keras

    base = keras.applications.MobileNetV2(input_shape=(image_size, image_size, 3),
                                          include_top=False, weights=None)
    path = _weights_file(keras_mobilenet_v2_file(image_size)) if pretrained else None
    if path is not None:
        base.load_weights(path)
    return base, path is not None
