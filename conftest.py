"""Configuración común de las pruebas: datos de prueba para los conjuntos que no están en la réplica.

Oxford-IIIT Pet (y las caras que se recortan de él) no se puede descargar aquí ni está en la
réplica sin conexión.
Antes de la sesión se genera una réplica sintética con su formato exacto
(``tools/standin_data.py``) y se añade al final de ``CNN_MIRROR``: los datos reales, si la
réplica los tiene, siguen teniendo preferencia. La caché ``CNN_DATA_DIR`` de la sesión es
una carpeta temporal, para que los datos sintéticos nunca queden en ``data/`` del curso.
Los cuadernos que ejecuta nbval heredan estas variables.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from tools.standin_data import write_standin_mirror

_session_dir: Path | None = None


def pytest_configure(config) -> None:
    global _session_dir
    _session_dir = Path(tempfile.mkdtemp(prefix="curso-cnn-pruebas-"))
    standin = write_standin_mirror(_session_dir / "replica-de-prueba")
    mirrors = [part for part in os.environ.get("CNN_MIRROR", "").split(os.pathsep) if part.strip()]
    os.environ["CNN_MIRROR"] = os.pathsep.join([*mirrors, str(standin)])
    os.environ["CNN_DATA_DIR"] = str(_session_dir / "data")


def pytest_collection_modifyitems(config, items) -> None:
    """Marca como ``notebook`` las celdas de los cuadernos que ejecuta nbval."""
    for item in items:
        if item.path.suffix == ".ipynb":
            item.add_marker(pytest.mark.notebook)


def pytest_unconfigure(config) -> None:
    if _session_dir is not None:
        shutil.rmtree(_session_dir, ignore_errors=True)
