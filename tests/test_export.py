"""Exportar a ONNX desde Keras y desde PyTorch: onnxruntime da lo mismo que el marco original."""
import json

import keras
import numpy as np
import torch

from helpers.export import export_keras_onnx, export_torch_onnx
from helpers.serving import OnnxClassifier

CLASSES = ["camiseta", "pantalón", "jersey"]


def images(n=5, seed=0):
    return np.random.default_rng(seed).random((n, 28, 28)).astype(np.float32)


def test_keras_model_exports_with_equal_predictions(tmp_path, capsys):
    model = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Conv2D(4, 3, activation="relu"),
                              keras.layers.MaxPooling2D(), keras.layers.Flatten(),
                              keras.layers.Dense(3, activation="softmax")])
    x = images()
    expected = model.predict(x[..., None], verbose=0)
    path = export_keras_onnx(model, tmp_path / "k" / "moda.onnx", CLASSES)
    assert capsys.readouterr().out == ""
    classifier = OnnxClassifier(path)
    assert classifier.class_names == CLASSES and not classifier.channels_first
    np.testing.assert_allclose(classifier.probabilities(x), expected, atol=1e-5)


def test_a_keras_model_loaded_from_disk_exports_without_being_called_first(tmp_path):
    """El 09 exporta el modelo que guardó el 06: recién cargado, Keras aún no lo ha llamado."""
    model = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Flatten(),
                              keras.layers.Dense(3, activation="softmax")])
    model.save(tmp_path / "guardado.keras")
    loaded = keras.models.load_model(tmp_path / "guardado.keras")
    path = export_keras_onnx(loaded, tmp_path / "cargado.onnx", CLASSES)
    x = images()
    np.testing.assert_allclose(OnnxClassifier(path).probabilities(x),
                               model.predict(x[..., None], verbose=0), atol=1e-5)


def test_augmentation_layers_are_left_out_of_the_export(tmp_path):
    """El modelo del 06 lleva aumento de datos: al predecir no hace nada y ONNX no lo admite."""
    model = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.RandomFlip("horizontal"),
                              keras.layers.RandomRotation(0.1), keras.layers.RandomZoom(0.1),
                              keras.layers.Flatten(), keras.layers.Dense(3, activation="softmax")])
    path = export_keras_onnx(model, tmp_path / "aumento.onnx", CLASSES)
    x = images()
    np.testing.assert_allclose(OnnxClassifier(path).probabilities(x),
                               model.predict(x[..., None], verbose=0), atol=1e-5)


def test_torch_model_exports_with_softmax_and_equal_predictions(tmp_path, capsys):
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Conv2d(1, 4, 3), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
                                torch.nn.Flatten(), torch.nn.Linear(4 * 13 * 13, 3)).eval()
    x = images(7)
    with torch.no_grad():
        expected = model(torch.from_numpy(x[:, None])).softmax(dim=1).numpy()
    path = export_torch_onnx(model, tmp_path / "moda.onnx", CLASSES)
    assert "torch.onnx" not in capsys.readouterr().out
    assert not (tmp_path / "moda.onnx.data").exists()  # un solo archivo, como necesita la web
    classifier = OnnxClassifier(path)
    assert classifier.channels_first
    np.testing.assert_allclose(classifier.probabilities(x), expected, atol=1e-5)
    assert json.loads((tmp_path / "moda.modelo.json").read_text())["clases"] == CLASSES
