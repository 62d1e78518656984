"""Particiones estratificadas por clase: de Oxford-IIIT Pet (listas oficiales) y de una carpeta por clase.

Los cuadernos 08a (PyTorch) y 08b (Keras) entrenan, validan y prueban con las mismas fotos:
las de ``test.txt`` solo para la prueba final, y un 20 % de ``trainval.txt``, elegido con una
semilla, para validar. Los 07a y 07b reparten las caras de una carpeta por raza en las tres
partes (``folder_splits``). En todos, cada clase aporta a cada parte la misma fracción de sus
fotos.

Ejemplo:
    >>> splits = oxford_pets_splits(oxford_pets(), oxford_pets_split_lists(), seed=42)  # doctest: +SKIP
    >>> sorted(splits)                                                                  # doctest: +SKIP
    ['test', 'train', 'val']
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

__all__ = ["folder_splits", "official_split", "oxford_pets_splits"]


def official_split(root: Path, list_file: Path) -> list[tuple[Path, int]]:
    """Pares ``(ruta, clase)`` de las fotos de una lista oficial que existen en ``root``.

    La clase es la posición de la carpeta de la raza en orden alfabético, el mismo índice que
    asignan ``ImageFolder`` e ``image_dataset_from_directory``. Se saltan las líneas de
    comentario (``#``) y las fotos que no están (las que se apartaron por dañadas).

    Ejemplo:
        >>> import tempfile
        >>> root = Path(tempfile.mkdtemp())
        >>> for name in ("Bengal_1", "beagle_2"):
        ...     (root / name.rsplit("_", 1)[0]).mkdir()
        ...     _ = (root / name.rsplit("_", 1)[0] / f"{name}.jpg").write_bytes(b"")
        >>> lines = ["# comentario", "Bengal_1 6 1 6", "beagle_2 11 2 3", "beagle_9 11 2 3"]
        >>> _ = (root / "test.txt").write_text("\\n".join(lines))
        >>> [(path.name, label) for path, label in official_split(root, root / "test.txt")]
        [('Bengal_1.jpg', 0), ('beagle_2.jpg', 1)]
    """
    root = Path(root)
    class_index = {breed: i for i, breed in enumerate(sorted(p.name for p in root.iterdir() if p.is_dir()))}
    pairs = []
    for line in Path(list_file).read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name = line.split()[0]
        breed = name.rsplit("_", 1)[0]
        path = root / breed / f"{name}.jpg"
        if breed in class_index and path.is_file():
            pairs.append((path, class_index[breed]))
    return pairs


def oxford_pets_splits(root: Path, lists: dict[str, Path], seed: int, val_fraction: float = 0.2,
                       max_images: int | None = None) -> dict[str, list[tuple[Path, int]]]:
    """Entrenamiento, validación y prueba: ``{"train": …, "val": …, "test": …}`` de pares ``(ruta, clase)``.

    ``val`` es una fracción ``val_fraction`` de *trainval* elegida al azar con ``seed`` (siempre
    la misma) **estratificada por raza**: cada raza aporta esa fracción de sus fotos; ``train``,
    el resto; ``test``, la lista oficial de prueba. Con ``max_images``
    (modo rápido) se toman como mucho ``max_images`` fotos de entrenamiento y la mitad de
    validación y de prueba.

    Ejemplo:
        >>> splits = oxford_pets_splits(oxford_pets(), oxford_pets_split_lists(), seed=42)  # doctest: +SKIP
        >>> len(splits["val"]) * 4 <= len(splits["train"])                                # doctest: +SKIP
        True
    """
    rng = np.random.default_rng(seed)
    train, val = _stratified(official_split(root, lists["trainval"]), (val_fraction,), rng)
    splits = {"train": train, "val": val, "test": official_split(root, lists["test"])}
    if max_images:
        limits = {"train": max_images, "val": max_images // 2, "test": max_images // 2}
        splits = {name: pairs[:limits[name]] for name, pairs in splits.items()}
    return splits


def folder_splits(root: Path, seed: int, val_fraction: float = 0.15, test_fraction: float = 0.15,
                  max_images: int | None = None) -> dict[str, list[tuple[Path, int]]]:
    """Reparte las fotos ``.jpg`` de una carpeta por clase en ``{"train": …, "val": …, "test": …}``.

    Cada clase aporta ``val_fraction`` de sus fotos a la validación y ``test_fraction`` a la
    prueba (redondeado por clase), elegidas al azar con ``seed`` (siempre las mismas), y el resto
    al entrenamiento. La clase es la posición de su carpeta en orden alfabético, como en
    ``ImageFolder`` e ``image_dataset_from_directory``. Con ``max_images`` (modo rápido) se
    reparten solo unas ``max_images`` fotos, la misma fracción de cada clase.

    Ejemplo:
        >>> import tempfile
        >>> root = Path(tempfile.mkdtemp())
        >>> for breed in ("Bengal", "beagle"):
        ...     (root / breed).mkdir()
        ...     for i in range(20):
        ...         _ = (root / breed / f"{breed}_{i}.jpg").write_bytes(b"")
        >>> splits = folder_splits(root, seed=42)
        >>> [len(splits[part]) for part in ("train", "val", "test")]
        [28, 6, 6]
    """
    root = Path(root)
    breeds = sorted(p.name for p in root.iterdir() if p.is_dir())
    pairs = [(path, label) for label, breed in enumerate(breeds) for path in sorted((root / breed).glob("*.jpg"))]
    rng = np.random.default_rng(seed)
    if max_images and max_images < len(pairs):
        pairs = _stratified(pairs, (max_images / len(pairs),), rng)[1]
    train, val, test = _stratified(pairs, (val_fraction, test_fraction), rng)
    return {"train": train, "val": val, "test": test}


def _stratified(pairs: list[tuple[Path, int]], fractions: tuple[float, ...],
                rng: np.random.Generator) -> list[list[tuple[Path, int]]]:
    """Reparte ``pairs`` en ``len(fractions) + 1`` partes barajadas: de cada clase, la fracción
    ``fractions[i]`` de sus pares (redondeada) va a la parte ``i + 1`` y el resto a la primera."""
    by_class: dict[int, list[tuple[Path, int]]] = {}
    for pair in pairs:
        by_class.setdefault(pair[1], []).append(pair)
    parts: list[list[tuple[Path, int]]] = [[] for _ in range(len(fractions) + 1)]
    for label in sorted(by_class):
        shuffled = [by_class[label][i] for i in rng.permutation(len(by_class[label]))]
        start = 0
        for part, fraction in zip(parts[1:], fractions, strict=True):
            count = round(len(shuffled) * fraction)
            part += shuffled[start:start + count]
            start += count
        parts[0] += shuffled[start:]
    return [[part[i] for i in rng.permutation(len(part))] for part in parts]
