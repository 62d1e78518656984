"""Versiones de TensorFlow, Keras y PyTorch con las que se probó el curso, y la nota si el entorno trae otras."""
from __future__ import annotations

from collections.abc import Mapping
from importlib import metadata

from packaging.version import Version

#: Por paquete: (versión fijada en requirements.txt, la más nueva con la que pasaron todos los
#: cuadernos del estudiante en ``make test-newest``). El README («En Colab o Kaggle») las cita.
TESTED = {
    "tensorflow": ("2.19.0", "2.21.0"),
    "keras": ("3.15.1", "3.15.1"),
    "torch": ("2.14.1", "2.15.0"),
}
#: Cuándo se ejecutó ``make test-newest`` por última vez, y con qué Python.
NEWEST_TESTED_ON = ("diciembre de 2026", "3.12")
DISPLAY_NAMES = {"tensorflow": "TensorFlow", "keras": "Keras", "torch": "PyTorch"}


def _minor(version: str) -> tuple[int, ...]:
    """La versión menor (2.21.0+cu130 → (2, 21)): los parches no cambian lo que se probó."""
    return Version(version).release[:2]


def installed_versions() -> dict[str, str]:
    """Versiones instaladas de los paquetes de ``TESTED`` (sin importarlos; faltan los que no están).

    Ejemplo:
        >>> set(installed_versions()) <= set(TESTED)
        True
    """
    versions = {}
    for name in TESTED:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return versions


def untested_note(versions: Mapping[str, str]) -> str | None:
    """Una nota breve si alguna de ``versions`` queda fuera de las versiones menores probadas; si no, ``None``.

    Ejemplo:
        >>> untested_note({"tensorflow": "2.19.1", "torch": "2.15.0+cu130"}) is None
        True
        >>> print(untested_note({"keras": "3.16.0"}))  # doctest: +ELLIPSIS
        Nota: este entorno trae Keras 3.16.0; el curso se probó con Keras 3.15.1. ...
    """
    outside = {name: version for name, version in versions.items()
               if not _minor(TESTED[name][0]) <= _minor(version) <= _minor(TESTED[name][1])}
    if not outside:
        return None
    found = ", ".join(f"{DISPLAY_NAMES[name]} {version}" for name, version in outside.items())
    tested = ", ".join(f"{DISPLAY_NAMES[name]} {version_span(name)}" for name in outside)
    return (f"Nota: este entorno trae {found}; el curso se probó con {tested}. "
            "Lo normal es que funcione igual; si una celda falla, avisa en el repositorio del curso.")


def version_span(name: str) -> str:
    """Las versiones probadas de un paquete de ``TESTED``, de la fijada a la más nueva.

    Ejemplo:
        >>> version_span("tensorflow"), version_span("keras")
        ('2.19.0–2.21.0', '3.15.1')
    """
    low, high = TESTED[name]
    return low if low == high else f"{low}–{high}"
