"""Particiones oficiales de Oxford-IIIT Pet (*trainval* y *test*) con una validación apartada de *trainval*.

Los cuadernos 08a (PyTorch) y 08b (Keras) entrenan, validan y prueban con las mismas fotos:
las de ``test.txt`` solo para la prueba final, y un 20 % de ``trainval.txt``, elegido con una
semilla, para validar.

Ejemplo:
    >>> splits = oxford_pets_splits(oxford_pets(), oxford_pets_split_lists(), seed=42)  # doctest: +SKIP
    >>> sorted(splits)                                                                  # doctest: +SKIP
    ['test', 'train', 'val']
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

__all__ = ["official_split", "oxford_pets_splits"]


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
    by_breed: dict[int, list[tuple[Path, int]]] = {}
    for pair in official_split(root, lists["trainval"]):
        by_breed.setdefault(pair[1], []).append(pair)
    train, val = [], []
    for label in sorted(by_breed):                       # estratificado: la misma fracción por raza
        pairs = [by_breed[label][i] for i in rng.permutation(len(by_breed[label]))]
        n_val = round(len(pairs) * val_fraction)
        val += pairs[:n_val]
        train += pairs[n_val:]
    splits = {"train": [train[i] for i in rng.permutation(len(train))],
              "val": [val[i] for i in rng.permutation(len(val))],
              "test": official_split(root, lists["test"])}
    if max_images:
        limits = {"train": max_images, "val": max_images // 2, "test": max_images // 2}
        splits = {name: pairs[:limits[name]] for name, pairs in splits.items()}
    return splits
