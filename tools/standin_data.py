"""Datos de prueba sintéticos para PetFaces y Oxford-IIIT Pet, con su formato exacto en disco.

Esos dos conjuntos no están en la réplica sin conexión. Para que CI ejecute los cuadernos 07 y
08, este módulo crea una réplica (``<dir>/petfaces/petfaces.tar.gz``,
``<dir>/oxford_pets/images.tar.gz`` y ``annotations.tar.gz``, más ``SHA256SUMS``) con imágenes
generadas: cada raza tiene un color y una forma propios, para que una red aprenda algo, pero
**no son fotos**. Cada archivo lleva ``DATOS_DE_PRUEBA.txt``, y los cargadores de
``helpers.datasets`` avisan en voz alta cuando lo encuentran.

Uso: ``python -m tools.standin_data CARPETA`` y después ``CNN_MIRROR=CARPETA`` (o añadir
``:CARPETA`` a una réplica existente).
"""
from __future__ import annotations

import argparse
import hashlib
import io
import tarfile
from pathlib import Path

import numpy as np
from PIL import Image

from helpers.datasets.photos import TEST_DATA_MARKER

__all__ = ["OXFORD_BREEDS", "PETFACES_BREEDS", "write_standin_mirror"]

#: Las 37 razas de Oxford-IIIT Pet como aparecen en los nombres de archivo (gatos con mayúscula).
OXFORD_BREEDS = (
    "Abyssinian", "Bengal", "Birman", "Bombay", "British_Shorthair", "Egyptian_Mau", "Maine_Coon",
    "Persian", "Ragdoll", "Russian_Blue", "Siamese", "Sphynx",
    "american_bulldog", "american_pit_bull_terrier", "basset_hound", "beagle", "boxer",
    "chihuahua", "english_cocker_spaniel", "english_setter", "german_shorthaired",
    "great_pyrenees", "havanese", "japanese_chin", "keeshond", "leonberger", "miniature_pinscher",
    "newfoundland", "pomeranian", "pug", "saint_bernard", "samoyed", "scottish_terrier",
    "shiba_inu", "staffordshire_bull_terrier", "wheaten_terrier", "yorkshire_terrier",
)

#: Las 35 carpetas de PetFaces: especie y primera palabra de la raza (por eso no son 37).
PETFACES_BREEDS = tuple(sorted(dict.fromkeys(
    f"{'cat' if breed[0].isupper() else 'dog'}_{breed.split('_')[0]}" for breed in OXFORD_BREEDS)))

NOTICE = (b"Datos de prueba sinteticos generados por tools/standin_data.py para las pruebas del "
          b"curso. No son fotos reales: ninguna exactitud obtenida con ellos significa nada.\n")


def synthetic_pet(class_index: int, n_classes: int, rng: np.random.Generator,
                  size: tuple[int, int]) -> bytes:
    """JPEG de una «mascota» sintética: fondo con ruido y una figura del color de su clase.

    Ejemplo:
        >>> data = synthetic_pet(0, 35, np.random.default_rng(0), (64, 64))
        >>> data[:2] == b"\\xff\\xd8"   # cabecera JPEG
        True
    """
    width, height = size
    hue = class_index / n_classes
    color = np.array([np.sin(2 * np.pi * (hue + shift)) for shift in (0, 1 / 3, 2 / 3)]) * 90 + 140
    pixels = rng.normal(60, 25, size=(height, width, 3))
    yy, xx = np.mgrid[0:height, 0:width]
    cy, cx = height / 2 + rng.normal(0, height / 12), width / 2 + rng.normal(0, width / 12)
    radius = min(width, height) * (0.25 + 0.15 * (class_index % 3) / 2)
    mask = (np.abs(yy - cy) ** (1 + class_index % 2) + np.abs(xx - cx) ** (1 + class_index % 2)
            ) < radius ** (1 + class_index % 2)
    pixels[mask] = color + rng.normal(0, 20, size=(int(mask.sum()), 3))
    buffer = io.BytesIO()
    Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8)).save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def _tar_gz(members: dict[str, bytes]) -> bytes:
    """Un ``.tar.gz`` en memoria con ``members`` (ruta → contenido), en orden y con fecha fija."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for name, data in sorted(members.items()):
            info = tarfile.TarInfo(name)
            info.size, info.mtime = len(data), 0
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def petfaces_archive(per_class: int = 12, seed: int = 0) -> bytes:
    """``petfaces.tar.gz``: ``petfaces/<especie>_<raza>/<n>.jpg`` (35 carpetas) y el aviso."""
    rng = np.random.default_rng(seed)
    members = {f"petfaces/{TEST_DATA_MARKER}": NOTICE}
    for index, breed in enumerate(PETFACES_BREEDS):
        for n in range(per_class):
            members[f"petfaces/{breed}/{breed}_{n}.jpg"] = synthetic_pet(
                index, len(PETFACES_BREEDS), rng, (64, 64))
    return _tar_gz(members)


def oxford_archives(per_class: int = 8, seed: int = 1) -> dict[str, bytes]:
    """``images.tar.gz`` (``images/<Raza>_<n>.jpg``, tamaños variados) y ``annotations.tar.gz``.

    Las listas siguen el formato oficial: ``<Raza>_<n> <clase 1–37> <especie 1|2> <id de raza>``;
    la mitad de las fotos de cada raza va a ``trainval.txt`` y la otra mitad a ``test.txt``.
    """
    rng = np.random.default_rng(seed)
    images: dict[str, bytes] = {}
    lists: dict[str, list[str]] = {"trainval": [], "test": []}
    species_counter = {1: 0, 2: 0}
    for index, breed in enumerate(OXFORD_BREEDS):
        species = 1 if breed[0].isupper() else 2
        species_counter[species] += 1
        for n in range(1, per_class + 1):
            size = (int(rng.integers(80, 140)), int(rng.integers(80, 140)))
            images[f"images/{breed}_{n}.jpg"] = synthetic_pet(index, len(OXFORD_BREEDS), rng, size)
            split = "trainval" if n <= per_class // 2 else "test"
            lists[split].append(f"{breed}_{n} {index + 1} {species} {species_counter[species]}")
    header = "#Image CLASS-ID SPECIES BREED ID\n"
    annotations = {
        f"annotations/{TEST_DATA_MARKER}": NOTICE,
        "annotations/list.txt": (header + "\n".join(lists["trainval"] + lists["test"]) + "\n").encode(),
        **{f"annotations/{split}.txt": ("\n".join(lines) + "\n").encode()
           for split, lines in lists.items()},
    }
    return {"images.tar.gz": _tar_gz(images), "annotations.tar.gz": _tar_gz(annotations)}


def write_standin_mirror(root: Path) -> Path:
    """Escribe la réplica de prueba en ``root`` (con ``SHA256SUMS``) y devuelve ``root``.

    Ejemplo:
        >>> import tempfile
        >>> root = write_standin_mirror(Path(tempfile.mkdtemp()))
        >>> sorted(p.name for p in (root / "oxford_pets").iterdir())
        ['annotations.tar.gz', 'images.tar.gz']
    """
    files = {"petfaces/petfaces.tar.gz": petfaces_archive(),
             **{f"oxford_pets/{name}": data for name, data in oxford_archives().items()}}
    lines = []
    for relative, data in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        lines.append(f"{hashlib.sha256(data).hexdigest()}  {relative}")
    (root / "SHA256SUMS").write_text("\n".join(lines) + "\n")
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="carpeta donde crear la réplica de prueba")
    print(write_standin_mirror(parser.parse_args().folder))


if __name__ == "__main__":
    main()
