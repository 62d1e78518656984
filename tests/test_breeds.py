"""El modelo de razas del 08 en el 09: se guarda, se encuentra, se exporta a ONNX y responde lo mismo.

Sin pesos de ImageNet en estas máquinas, el modelo es una MobileNetV2 de la misma arquitectura
con pesos al azar (y, en Keras, más estrecha, ``alpha=0.35``), a 32 píxeles y con 37 clases, guardada
como la guardan el 08a y el 08b.
"""
import json

import numpy as np
import pytest

from helpers import breeds
from helpers.serving import OnnxClassifier, read_card
from helpers.serving.preprocess import prepare_photo
from tools.hostile_images import photo

pytestmark = pytest.mark.frameworks

SIDE = 32
BREEDS = [f"raza_{i:02d}" for i in range(37)]
FOLDER = {framework: folder for framework, (folder, _) in breeds.FOLDERS.items()}


def photos(n=4, seed=0):
    """Fotos en color de 0–255 como las da prepare_photo: (N, lado, lado, 3)."""
    return np.stack([prepare_photo(photo((50 + 7 * i, 40), seed=seed + i), SIDE) for i in range(n)])


def save_torch_08a(models):
    """Lo que deja el 08a: el state_dict de su mejor época y razas.json."""
    import torch

    from helpers.pretrained import torch_mobilenet_v2

    torch.manual_seed(0)
    net, _ = torch_mobilenet_v2(len(BREEDS), pretrained=False)
    folder = models / "08a_razas"
    folder.mkdir(parents=True)
    torch.save(net.state_dict(), folder / "ajuste_fino.pt")
    breeds.save_for_deployment(folder, BREEDS, SIDE)


def save_keras_08b(models):
    """Lo que deja el 08b: el modelo entero (Rescaling, base y cabeza que da logits) y razas.json."""
    import keras

    keras.utils.set_random_seed(0)
    base = keras.applications.MobileNetV2(input_shape=(SIDE, SIDE, 3), include_top=False, weights=None, alpha=0.35)
    model = keras.Sequential([keras.Input((SIDE, SIDE, 3)), keras.layers.Rescaling(1 / 127.5, offset=-1), base,
                              keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(len(BREEDS))])
    folder = models / "08b_razas"
    folder.mkdir(parents=True)
    model.save(folder / "razas.keras")
    breeds.save_for_deployment(folder, BREEDS, SIDE)


def framework_probabilities(saved, images):
    model = breeds.load_framework_model(saved)
    if saved.framework == "keras":
        logits = np.asarray(model(images, training=False))
    else:
        import torch

        with torch.no_grad():
            logits = model(torch.from_numpy(images.transpose(0, 3, 1, 2).copy())).numpy()
    exp = np.exp(logits - logits.max(axis=1, keepdims=True))
    return exp / exp.sum(axis=1, keepdims=True)


def test_nothing_saved_means_none_so_09_can_say_so(tmp_path):
    assert breeds.find_saved(tmp_path) is None
    (tmp_path / "08a_razas").mkdir()
    breeds.save_for_deployment(tmp_path / "08a_razas", BREEDS, SIDE)   # sin los pesos: no vale
    assert breeds.find_saved(tmp_path) is None


@pytest.mark.parametrize("framework, save", [("torch", save_torch_08a), ("keras", save_keras_08b)])
def test_the_08_model_exports_to_onnx_answering_like_its_framework(tmp_path, framework, save):
    save(tmp_path / "models")
    saved = breeds.find_saved(tmp_path / "models")
    assert (saved.framework, saved.class_names, saved.side) == (framework, BREEDS, SIDE)
    path = breeds.export_onnx(saved, tmp_path / "09" / "razas.onnx", description="Razas (prueba)")
    card = read_card(path)
    assert (card.clases, card.lado, card.canales, card.preprocesado) == (BREEDS, SIDE, 3, "foto")
    assert card.normalizacion == breeds.NORMALIZATION[framework] and card.descripcion == "Razas (prueba)"
    images = photos()
    onnx_probabilities = OnnxClassifier(path).probabilities(images)
    np.testing.assert_allclose(onnx_probabilities, framework_probabilities(saved, images), atol=1e-4)
    assert json.loads((tmp_path / "models" / FOLDER[framework] / "razas.json").read_text())["lado"] == SIDE


def test_the_torch_model_normalizes_like_the_08a_transforms(tmp_path):
    """0–255 dentro del modelo = ToTensor (÷255) + Normalize(IMAGENET_MEAN, IMAGENET_STD) del 08a."""
    import torch
    from torchvision.transforms import Normalize

    from helpers.pretrained import IMAGENET_MEAN, IMAGENET_STD

    save_torch_08a(tmp_path)
    model = breeds.load_framework_model(breeds.find_saved(tmp_path))
    pixels = torch.from_numpy(photos(2).transpose(0, 3, 1, 2).copy())
    expected = Normalize(IMAGENET_MEAN, IMAGENET_STD)(pixels / 255)
    torch.testing.assert_close(model[0](pixels), expected, atol=1e-5, rtol=1e-5)
