"""Grad-CAM: qué zonas de la imagen empujan a la red hacia una clase (PyTorch y Keras).

La red se ve como dos partes: ``features`` (la base convolucional, que da un mapa
``A`` de C canales) y ``head`` (lo que convierte ese mapa en puntuaciones de clase). Para la
clase elegida, el gradiente de su puntuación respecto a ``A`` dice cuánto importa cada canal;
el mapa de calor es la suma de los canales ponderada por esa importancia, sin valores negativos
(ReLU) y escalada a [0, 1] (Selvaraju et al., 2017). La puntuación debe ser un **logit**
(``head`` sin softmax): con probabilidades, una predicción segura satura el softmax y su
gradiente casi se anula.

Ejemplo:
    >>> heatmaps = grad_cam_torch(model[0], model[1], images, predicted)   # doctest: +SKIP
    >>> heatmaps.shape                                                     # doctest: +SKIP
    (8, 5, 5)
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["grad_cam_keras", "grad_cam_torch"]


def _weighted_maps(activations: np.ndarray, gradients: np.ndarray) -> np.ndarray:
    """Mapas ``(N, h, w)`` en [0, 1] a partir de activaciones y gradientes ``(N, h, w, C)``."""
    weights = gradients.mean(axis=(1, 2), keepdims=True)       # importancia de cada canal
    maps = np.maximum((weights * activations).sum(axis=-1), 0)  # solo lo que suma a la clase
    peaks = maps.max(axis=(1, 2), keepdims=True)
    return np.divide(maps, peaks, out=np.zeros_like(maps), where=peaks > 0)


def grad_cam_torch(features, head, images, class_indices: Sequence[int]) -> np.ndarray:
    """Mapas de Grad-CAM ``(N, h, w)`` de un modelo de PyTorch ``head(features(images))``.

    ``images`` es un tensor ``(N, C, H, W)`` ya preparado como en el entrenamiento; ``h`` y
    ``w`` son el alto y el ancho del mapa de ``features`` (``helpers.plots.show_heatmaps``
    los amplía al tamaño de la imagen).

    Ejemplo:
        >>> import torch
        >>> features, head = torch.nn.Identity(), torch.nn.Sequential(
        ...     torch.nn.AdaptiveAvgPool2d(1), torch.nn.Flatten())
        >>> image = torch.zeros(1, 1, 4, 4); image[0, 0, 1, 2] = 1.0
        >>> int(grad_cam_torch(features, head, image, [0]).argmax())   # la zona encendida
        6
    """
    import torch

    modes = [(module, module.training) for module in (features, head)]
    for module, _ in modes:
        module.eval()  # sin dropout: el mapa explica la predicción que se muestra
    try:
        activations = features(images).detach().requires_grad_(True)
        scores = head(activations)
        chosen = scores[torch.arange(len(scores)), torch.as_tensor(class_indices)]
        (gradients,) = torch.autograd.grad(chosen.sum(), activations)
    finally:
        for module, mode in modes:
            module.train(mode)
    def to_hwc(tensor):
        return tensor.detach().permute(0, 2, 3, 1).cpu().numpy()

    return _weighted_maps(to_hwc(activations), to_hwc(gradients))


def grad_cam_keras(features, head, images, class_indices: Sequence[int]) -> np.ndarray:
    """Mapas de Grad-CAM ``(N, h, w)`` de un modelo de Keras ``head(features(images))``.

    ``images`` es un array o tensor ``(N, H, W, C)`` tal como lo recibe el modelo.

    Ejemplo:
        >>> import keras
        >>> features = keras.Sequential([keras.layers.Identity()])
        >>> head = keras.Sequential([keras.layers.GlobalAveragePooling2D()])
        >>> image = np.zeros((1, 4, 4, 1), "float32"); image[0, 1, 2, 0] = 1.0
        >>> int(grad_cam_keras(features, head, image, [0]).argmax())
        6
    """
    import tensorflow as tf

    activations = tf.convert_to_tensor(features(images, training=False))
    with tf.GradientTape() as tape:
        tape.watch(activations)
        scores = head(activations, training=False)
        chosen = tf.gather(scores, tf.constant(list(class_indices)), axis=1, batch_dims=1)
    gradients = tape.gradient(chosen, activations)
    return _weighted_maps(activations.numpy(), gradients.numpy())
