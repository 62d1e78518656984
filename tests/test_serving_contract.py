"""La ficha del modelo exportado: una sola fuente para archivos, clases, disposición y lado."""
import json

import pytest
from serving_fixtures import CLASSES, tiny_onnx

from helpers.serving import ModelCard, OnnxClassifier, read_card
from helpers.serving.contract import card_path, write_card


def test_card_is_written_beside_the_model_and_read_back(tmp_path):
    path = write_card(tmp_path / "moda.onnx", ["a", "b"], "NCHW", 28, description="prueba",
                      normalization="ninguna")
    assert path == tmp_path / "moda.modelo.json" == card_path(tmp_path / "moda.onnx")
    saved = json.loads(path.read_text())
    assert saved == {"modelo": "moda.onnx", "clases": ["a", "b"], "disposicion": "NCHW", "lado": 28,
                     "canales": 1, "preprocesado": "prenda", "descripcion": "prueba", "normalizacion": "ninguna"}
    assert read_card(tmp_path / "moda.onnx") == read_card(path)
    assert read_card(path).input_shape(batch=2) == (2, 1, 28, 28)


def test_bad_cards_are_refused_with_a_spanish_message(tmp_path):
    with pytest.raises(ValueError, match="disposicion"):
        ModelCard("m.onnx", ["a"], "HWC", 28, 1, "prenda")
    with pytest.raises(ValueError, match="combinaciones válidas"):
        ModelCard("m.onnx", ["a"], "NHWC", 28, 3, "prenda")
    with pytest.raises(FileNotFoundError, match="exporta el modelo de nuevo"):
        read_card(tmp_path / "sin_ficha.onnx")


def test_the_classifier_takes_the_model_or_its_card(tmp_path):
    model = tiny_onnx(tmp_path / "moda.onnx", channels_first=True)
    from_model, from_card = OnnxClassifier(model), OnnxClassifier(card_path(model))
    assert from_model.path == from_card.path == model
    assert from_card.class_names == CLASSES and from_card.channels_first
