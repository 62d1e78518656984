"""Carpetas de imágenes por clase: apartar las que no se decodifican y agrupar por nombre de archivo."""
from __future__ import annotations

import re
import shutil
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from PIL import Image

__all__ = ["IMAGE_SUFFIXES", "find_corrupt_images", "group_by_class", "quarantine_corrupt_images"]

#: Extensiones que ``ImageFolder`` e ``image_dataset_from_directory`` tratan como imágenes.
IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".bmp", ".gif"})

# <Raza>_<número>.jpg; la raza es todo lo anterior al último guion bajo.
_PET_FILE = re.compile(r"^(?P<breed>.+)_\d+\.jpe?g$", re.IGNORECASE)


def _decodes(path: Path) -> bool:
    """Indica si Pillow puede verificar y decodificar por completo la imagen ``path``."""
    try:
        with Image.open(path) as image:
            image.verify()
        with Image.open(path) as image:
            image.load()
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return False
    return True


def find_corrupt_images(root: Path) -> list[Path]:
    """Lista (ordenadas) las imágenes bajo ``root`` que Pillow no puede decodificar.

    Solo mira archivos con extensión de imagen (``IMAGE_SUFFIXES``).

    Ejemplo:
        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     _ = (Path(tmp) / "rota.jpg").write_bytes(b"no soy un JPEG")
        ...     [p.name for p in find_corrupt_images(Path(tmp))]
        ['rota.jpg']
    """
    images = sorted(p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES)
    with ThreadPoolExecutor() as pool:  # Pillow libera el GIL al decodificar
        readable = list(pool.map(_decodes, images))
    return [path for path, ok in zip(images, readable) if not ok]


def quarantine_corrupt_images(root: Path, quarantine: Path) -> list[Path]:
    """Mueve las imágenes de ``root`` que no se pueden decodificar a ``quarantine`` e informa de ellas.

    ``quarantine`` debe quedar fuera de las carpetas de clases (por ejemplo, una carpeta hermana
    ``_descartadas/``), para que ``ImageFolder`` o ``image_dataset_from_directory`` no las vean.
    Conserva la ruta relativa de cada imagen. Devuelve las rutas nuevas.

    Ejemplo:
        >>> moved = quarantine_corrupt_images(Path("fotos"), Path("_descartadas"))  # doctest: +SKIP
        Aparto 2 de 3000 imágenes porque no se pueden decodificar (quedan en _descartadas):
          - train/cats/cat.1.jpg
          - validation/dogs/dog.7.jpg
    """
    total = sum(1 for p in root.rglob("*") if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES)
    corrupt = find_corrupt_images(root)
    moved = []
    for path in corrupt:
        target = quarantine / path.relative_to(root)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(path, target)
        moved.append(target)
    if corrupt:
        names = "\n".join(f"  - {path.relative_to(root).as_posix()}" for path in corrupt)
        print(f"Aparto {len(corrupt)} de {total} imágenes porque no se pueden decodificar "
              f"(quedan en {quarantine}):\n{names}")
    return moved


def group_by_class(src_dir: Path, dst_dir: Path, *, move: bool = False) -> dict[str, int]:
    """Reparte las fotos ``<Raza>_<n>.jpg`` de ``src_dir`` en carpetas ``dst_dir/<Raza>/``.

    La raza es el nombre hasta el último guion bajo (``great_pyrenees_12.jpg`` -> ``great_pyrenees``).
    En Oxford-IIIT Pet, las razas de gato empiezan por mayúscula y las de perro, por minúscula.
    Los archivos con otro nombre o extensión se ignoran. Por defecto copia; con ``move=True``
    mueve. Devuelve cuántas fotos hay por clase.

    Ejemplo:
        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     src = Path(tmp) / "images"
        ...     src.mkdir()
        ...     for name in ["Bengal_1.jpg", "Bengal_2.jpg", "great_pyrenees_12.jpg", "notas.txt"]:
        ...         _ = (src / name).write_bytes(b"")
        ...     group_by_class(src, Path(tmp) / "razas")
        {'Bengal': 2, 'great_pyrenees': 1}
    """
    counts: Counter[str] = Counter()
    for path in sorted(src_dir.iterdir()):
        match = _PET_FILE.match(path.name)
        if not (match and path.is_file()):
            continue
        target = dst_dir / match["breed"] / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        if move:
            shutil.move(path, target)
        else:
            shutil.copy2(path, target)
        counts[match["breed"]] += 1
    return dict(sorted(counts.items()))
