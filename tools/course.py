"""Datos del curso que comparten las herramientas: dirección del repositorio y lista de cuadernos."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS = ROOT / "solutions"
NOTEBOOKS = ROOT / "notebooks"


@dataclass(frozen=True)
class Repository:
    """Dirección pública del repositorio (``[tool.curso-cnn]`` en pyproject.toml)."""

    url: str
    branch: str

    @property
    def github_path(self) -> str:
        """``dueño/nombre`` a partir de ``https://github.com/dueño/nombre``."""
        return self.url.removeprefix("https://github.com/").strip("/")

    def colab_badge(self, notebook: str) -> str:
        link = f"https://colab.research.google.com/github/{self.github_path}/blob/{self.branch}/{notebook}"
        return f"[![Abrir en Colab](https://colab.research.google.com/assets/colab-badge.svg)]({link})"

    def kaggle_badge(self, notebook: str) -> str:
        link = f"https://kaggle.com/kernels/welcome?src={self.url}/blob/{self.branch}/{notebook}"
        return f"[![Abrir en Kaggle](https://kaggle.com/static/images/open-in-kaggle.svg)]({link})"

    @property
    def pip_spec(self) -> str:
        return f"curso-cnn @ git+{self.url}@{self.branch}"


def repository() -> Repository:
    """Lee la dirección del repositorio de pyproject.toml (un único ajuste para todo el curso)."""
    settings = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["curso-cnn"]
    return Repository(url=settings["repository"].rstrip("/"), branch=settings["branch"])


def solution_notebooks() -> list[Path]:
    """Cuadernos de soluciones, en orden."""
    return sorted(SOLUTIONS.glob("[0-9][0-9]*.ipynb"))
