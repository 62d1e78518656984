"""Grad-CAM: PyTorch y Keras dan el mismo mapa con los mismos pesos, y el mapa señala la evidencia."""
import keras
import numpy as np
import pytest
import torch

from helpers.gradcam import grad_cam_keras, grad_cam_torch
from helpers.plots import show_heatmaps


def twin_models(seed=0):
    """La misma red (conv 3×3 + ReLU, GAP, densa) en PyTorch y en Keras, con pesos idénticos."""
    rng = np.random.default_rng(seed)
    kernel = rng.normal(size=(3, 3, 3, 4)).astype(np.float32)   # (kh, kw, entrada, salida)
    bias = rng.normal(size=4).astype(np.float32)
    dense = rng.normal(size=(4, 3)).astype(np.float32)
    torch_features = torch.nn.Sequential(torch.nn.Conv2d(3, 4, 3, padding=1), torch.nn.ReLU())
    torch_features[0].weight.data = torch.from_numpy(kernel.transpose(3, 2, 0, 1).copy())
    torch_features[0].bias.data = torch.from_numpy(bias)
    torch_head = torch.nn.Sequential(torch.nn.AdaptiveAvgPool2d(1), torch.nn.Flatten(),
                                     torch.nn.Linear(4, 3, bias=False))
    torch_head[2].weight.data = torch.from_numpy(dense.T.copy())
    keras_features = keras.Sequential([keras.Input((8, 8, 3)),
                                       keras.layers.Conv2D(4, 3, padding="same", activation="relu")])
    keras_features.layers[0].set_weights([kernel, bias])
    keras_head = keras.Sequential([keras.Input((8, 8, 4)), keras.layers.GlobalAveragePooling2D(),
                                   keras.layers.Dense(3, use_bias=False)])
    keras_head.layers[1].set_weights([dense])
    return (torch_features, torch_head), (keras_features, keras_head)


def test_torch_and_keras_agree_on_the_same_network():
    (tf_, th), (kf, kh) = twin_models()
    images = np.random.default_rng(1).random((5, 8, 8, 3)).astype(np.float32)
    classes = [0, 1, 2, 1, 0]
    from_torch = grad_cam_torch(tf_, th, torch.from_numpy(images.transpose(0, 3, 1, 2).copy()), classes)
    from_keras = grad_cam_keras(kf, kh, images, classes)
    assert from_torch.shape == from_keras.shape == (5, 8, 8)
    np.testing.assert_allclose(from_torch, from_keras, atol=1e-4)
    assert from_torch.min() >= 0 and np.allclose(from_torch.max(axis=(1, 2)), 1)


def test_map_points_at_the_evidence_for_the_chosen_class():
    # canal 0 ve lo rojo y vota a la clase 0; canal 1 ve lo azul y vota a la clase 1
    features = torch.nn.Conv2d(3, 2, 1, bias=False)
    features.weight.data = torch.tensor([[[[1.0]], [[0.0]], [[0.0]]], [[[0.0]], [[0.0]], [[1.0]]]])
    head = torch.nn.Sequential(torch.nn.AdaptiveAvgPool2d(1), torch.nn.Flatten(),
                               torch.nn.Linear(2, 2, bias=False))
    head[2].weight.data = torch.eye(2)
    image = torch.zeros(1, 3, 6, 6)
    image[0, 0, :3, :3] = 1.0   # rojo arriba a la izquierda
    image[0, 2, 3:, 3:] = 1.0   # azul abajo a la derecha
    red_map = grad_cam_torch(features, head, image, [0])[0]
    blue_map = grad_cam_torch(features, head, image, [1])[0]
    assert red_map[:3, :3].mean() == 1.0 and red_map[3:, 3:].max() == 0.0
    assert blue_map[3:, 3:].mean() == 1.0 and blue_map[:3, :3].max() == 0.0


def test_training_mode_is_restored():
    features, head = torch.nn.Dropout(0.5), torch.nn.Sequential(torch.nn.AdaptiveAvgPool2d(1),
                                                                torch.nn.Flatten())
    features.train()
    grad_cam_torch(features, head, torch.rand(1, 2, 4, 4), [0])
    assert features.training and head.training


def test_show_heatmaps_overlays_and_checks_counts():
    fig = show_heatmaps(np.random.rand(3, 40, 40, 3), np.random.rand(3, 5, 5), ["a", "b", "c"])
    assert [ax.get_title() for ax in fig.axes] == ["a", "b", "c"]
    assert all(len(ax.get_images()) == 2 for ax in fig.axes)
    assert fig.axes[0].get_images()[1].get_array().shape == (40, 40)
    with pytest.raises(ValueError, match="deben coincidir"):
        show_heatmaps(np.random.rand(2, 8, 8, 3), np.random.rand(3, 2, 2))
