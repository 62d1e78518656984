"""Datos del curso que comparten las herramientas: dirección del repositorio y lista de cuadernos."""
from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import tomllib

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

    def colab_url(self, notebook: str) -> str:
        """Dirección que abre ``notebook`` (ruta en el repositorio) en Google Colab."""
        return f"https://colab.research.google.com/github/{self.github_path}/blob/{self.branch}/{notebook}"

    def kaggle_url(self, notebook: str) -> str:
        """Dirección que abre ``notebook`` (ruta en el repositorio) en Kaggle."""
        return f"https://kaggle.com/kernels/welcome?src={self.url}/blob/{self.branch}/{notebook}"

    def colab_badge(self, notebook: str) -> str:
        return f"[![Abrir en Colab](https://colab.research.google.com/assets/colab-badge.svg)]({self.colab_url(notebook)})"

    def kaggle_badge(self, notebook: str) -> str:
        return f"[![Abrir en Kaggle](https://kaggle.com/static/images/open-in-kaggle.svg)]({self.kaggle_url(notebook)})"

    def file_url(self, path: str) -> str:
        """Dirección de un archivo o carpeta del repositorio, que se abre sin clonarlo.

        Ejemplo:
            >>> Repository("https://github.com/a/b", "main").file_url("docs/glosario.md")
            'https://github.com/a/b/blob/main/docs/glosario.md'
        """
        kind = "tree" if (ROOT / path).is_dir() else "blob"
        return f"{self.url}/{kind}/{self.branch}/{path}"

    def pip_spec(self, extras: list[str] = ()) -> str:
        """Lo que instala pip: el paquete desde el repositorio, con ``extras`` si los hay.

        Ejemplo:
            >>> Repository("https://github.com/a/b", "main").pip_spec(["serve"])
            'curso-cnn[serve] @ git+https://github.com/a/b@main'
        """
        wanted = f"[{','.join(extras)}]" if extras else ""
        return f"curso-cnn{wanted} @ git+{self.url}@{self.branch}"


def _settings() -> dict:
    """La sección ``[tool.curso-cnn]`` de pyproject.toml."""
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["curso-cnn"]


def repository() -> Repository:
    """Lee la dirección del repositorio de pyproject.toml (un único ajuste para todo el curso)."""
    settings = _settings()
    return Repository(url=settings["repository"].rstrip("/"), branch=settings["branch"])


def notebook_number(notebook: Path | str) -> str:
    """Número de un cuaderno a partir de su nombre: ``"07a"`` de ``07a_razas….ipynb``.

    Ejemplo:
        >>> notebook_number("07a_razas_de_mascotas_pytorch.ipynb")
        '07a'
    """
    return Path(notebook).name.split("_", 1)[0]


def notebook_extras(notebook: Path | str) -> list[str]:
    """Extras del paquete que necesita un cuaderno en Colab o Kaggle (``[tool.curso-cnn.notebook-extras]``).

    Ejemplo:
        >>> notebook_extras("09_sacar_el_modelo.ipynb")
        ['keras', 'torch', 'serve']
    """
    return list(_settings().get("notebook-extras", {}).get(notebook_number(notebook), []))


def repository_files() -> set[str]:
    """Rutas de los archivos que guarda git y de sus carpetas (lo que un enlace al repositorio puede abrir)."""
    listed = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True)
    files = set(listed.stdout.splitlines())
    return files | {str(parent) for name in files for parent in PurePosixPath(name).parents if str(parent) != "."}


def solution_notebooks() -> list[Path]:
    """Cuadernos de soluciones, en orden."""
    return sorted(SOLUTIONS.glob("[0-9][0-9]*.ipynb"))


def build_course_wheel(wheel_dir: Path) -> Path:
    """Construye en ``wheel_dir`` la rueda del paquete del curso (``curso_cnn-….whl``, sin dependencias) y la devuelve.

    Usa el setuptools del entorno (``--no-build-isolation``), así que no descarga nada.

    Ejemplo:
        >>> build_course_wheel(Path("/tmp/ruedas")).name  # doctest: +SKIP
        'curso_cnn-0.1.0-py3-none-any.whl'
    """
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                    "--wheel-dir", str(wheel_dir), str(ROOT)], check=True)
    (wheel,) = Path(wheel_dir).glob("curso_cnn-*.whl")
    return wheel


def folder_size(path: Path) -> int:
    """Bytes de un archivo o de todos los archivos de una carpeta.

    Ejemplo:
        >>> folder_size(ROOT / "LICENSE") > 0
        True
    """
    return path.stat().st_size if path.is_file() else sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
