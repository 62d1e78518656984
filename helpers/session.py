"""Preparación de cada cuaderno: semillas, modo rápido y dispositivo de cálculo."""
from __future__ import annotations

import os
import random
import sys

import numpy as np

from helpers.config import fast_mode

DEFAULT_SEED = 42


def _quiet_frameworks() -> None:
    """Silencia los avisos de arranque de TensorFlow y fija Keras sobre TensorFlow."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")


def seed_everything(seed: int = DEFAULT_SEED) -> int:
    """Fija la semilla de Python, NumPy y, si ya están importados o instalados, TensorFlow y PyTorch.

    Solo importa TensorFlow o PyTorch si el cuaderno ya los importó; así no se
    cargan marcos que el cuaderno no usa.

    Ejemplo:
        >>> seed_everything(0)
        0
        >>> import numpy as np; float(np.random.rand()) == 0.5488135039273248
        True
    """
    _quiet_frameworks()
    random.seed(seed)
    np.random.seed(seed)
    if "tensorflow" in sys.modules or "keras" in sys.modules:
        import keras

        keras.utils.set_random_seed(seed)  # fija Python, NumPy y TensorFlow
    if "torch" in sys.modules:
        import torch

        torch.manual_seed(seed)
    return seed


def torch_device(verbose: bool = True):
    """Elige el mejor dispositivo para PyTorch (CUDA, luego MPS de Apple, luego CPU) y lo dice.

    Ejemplo:
        >>> device = torch_device(verbose=False)
        >>> device.type in {"cuda", "mps", "cpu"}
        True
    """
    import torch

    if torch.cuda.is_available():
        device = torch.device("cuda")
        description = f"GPU CUDA ({torch.cuda.get_device_name(0)})"
    elif getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available():
        device = torch.device("mps")
        description = "GPU de Apple (MPS)"
    else:
        device = torch.device("cpu")
        description = "CPU (no se encontró GPU; el entrenamiento será más lento)"
    if verbose:
        print(f"Dispositivo de PyTorch: {description}")
    return device


def start(seed: int = DEFAULT_SEED) -> None:
    """Primera llamada de cada cuaderno: fija semillas y anuncia el modo de ejecución.

    Ejemplo:
        >>> start()  # doctest: +ELLIPSIS
        Modo ...
    """
    seed_everything(seed)
    if fast_mode():
        print("Modo rápido ACTIVADO (CNN_FAST=1): menos épocas, menos datos e imágenes "
              "más pequeñas. Los resultados no son representativos.")
    else:
        print("Modo completo: se usan todos los datos y épocas indicados en el cuaderno.")
    print(f"Semilla aleatoria: {seed}")
