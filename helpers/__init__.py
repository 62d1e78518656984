"""Paquete de apoyo del Curso CNN.

Importarlo es ligero: ni TensorFlow ni PyTorch se cargan hasta que una función los
necesita. Los submódulos (``helpers.conv``, ``helpers.datasets``, ``helpers.plots``…)
se cargan la primera vez que se usan.

Ejemplo:
    >>> import helpers
    >>> helpers.pick(full=20, fast=2) in (20, 2)
    True
"""
from __future__ import annotations

import importlib
from typing import Any

from helpers.config import data_dir, fast_mode, interactive, mirror_dirs, pick, pick_epochs
from helpers.results import record_result
from helpers.session import seed_everything, start, torch_device

__version__ = "0.1.0"

_SUBMODULES = {"conv", "datasets", "images", "plots", "exercises", "config", "session", "results",
               "tfdata", "metrics", "training", "pretrained", "gradcam", "serving", "export", "models",
               "breeds"}

__all__ = ["data_dir", "fast_mode", "interactive", "mirror_dirs", "pick", "pick_epochs", "record_result",
           "seed_everything", "start", "torch_device", *_SUBMODULES]


def __getattr__(name: str) -> Any:
    """Carga un submódulo la primera vez que se usa (``helpers.conv``, ``helpers.plots``…)."""
    if name in _SUBMODULES:
        return importlib.import_module(f"helpers.{name}")
    raise AttributeError(f"module 'helpers' has no attribute {name!r}")
