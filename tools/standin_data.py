"""Datos de prueba sintéticos para Oxford-IIIT Pet (y sus caras), con su formato exacto en disco.

Oxford-IIIT Pet no está en la réplica sin conexión de CI. Para que CI ejecute los cuadernos 07
y 08, este módulo crea una réplica (``<dir>/oxford_pets/images.tar.gz`` y
``annotations.tar.gz``, con los xml de las cabezas, más ``SHA256SUMS``) con imágenes
generadas: cada raza tiene un color y una forma propios, para que una red aprenda algo, pero
**no son fotos**. Cada archivo lleva ``DATOS_DE_PRUEBA.txt``, y los cargadores de
``helpers.datasets`` avisan de forma bien visible cuando lo encuentran.

Uso: ``python -m tools.standin_data CARPETA`` y después ``CNN_MIRROR=CARPETA`` (o añadir
``:CARPETA`` a una réplica existente). Con ``--oficial``, al tamaño del conjunto oficial (7349
fotos de unos 500×375 píxeles): es la que usa ``make bench NB=08a SUSTITUTOS=1`` para medir
tiempos por época sin las fotos reales.
"""
from __future__ import annotations

import contextlib
import io
import os
import shutil
import tarfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np
from PIL import Image

from helpers.cli import SpanishParser
from helpers.datasets.checksums import file_hash
from helpers.datasets.photos import TEST_DATA_MARKER
from helpers.datasets.replica import write_sha256sums

__all__ = ["OFFICIAL_SPLITS", "OXFORD_BREEDS", "add_standin_mirror", "official_size_mirror", "oxford_members",
           "synthetic_pet", "tar_gz", "voc_xml", "write_standin_mirror"]

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

NOTICE = (b"Datos de prueba sinteticos generados por tools/standin_data.py para las pruebas del "
          b"curso. No son fotos reales: ninguna exactitud obtenida con ellos significa nada.\n")


def synthetic_pet(class_index: int, n_classes: int, rng: np.random.Generator,
                  size: tuple[int, int]) -> tuple[Image.Image, tuple[int, int, int, int]]:
    """Una «mascota» sintética: fondo con ruido y una figura del color de su clase.

    Devuelve la imagen RGB y el recuadro de la figura (la «cabeza») en coordenadas de
    PASCAL VOC: ``(xmin, ymin, xmax, ymax)`` desde 1 y con los extremos incluidos.

    Ejemplo:
        >>> image, box = synthetic_pet(0, 37, np.random.default_rng(0), (64, 48))
        >>> image.size, 1 <= box[0] <= box[2] <= 64 and 1 <= box[1] <= box[3] <= 48
        ((64, 48), True)
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
    rows, cols = np.nonzero(mask)
    box = (int(cols.min()) + 1, int(rows.min()) + 1, int(cols.max()) + 1, int(rows.max()) + 1)
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8)), box


def encode(image: Image.Image, kind: str) -> bytes:
    """Codifica ``image`` como en las fotos oficiales, que no siempre son JPEG RGB.

    ``kind`` es ``"jpeg"``, ``"gris"`` (JPEG en escala de grises), ``"cmyk"`` (JPEG CMYK),
    ``"png"`` o ``"gif"`` (contenido PNG o GIF bajo un nombre ``.jpg``).

    Ejemplo:
        >>> encode(Image.new("RGB", (4, 4)), "png")[:4]
        b'\\x89PNG'
    """
    converted = {"gris": "L", "cmyk": "CMYK", "gif": "P"}.get(kind, "RGB")
    fmt = {"png": "PNG", "gif": "GIF"}.get(kind, "JPEG")
    buffer = io.BytesIO()
    image.convert(converted).save(buffer, fmt, **({"quality": 90} if fmt == "JPEG" else {}))
    return buffer.getvalue()


def voc_xml(filename: str, size: tuple[int, int], depth: int, species: str,
            box: tuple[int, int, int, int]) -> bytes:
    """Anotación PASCAL VOC con los mismos campos que ``annotations/xmls/*.xml`` oficiales.

    Ejemplo:
        >>> b"<xmin>3</xmin>" in voc_xml("Bengal_1.jpg", (50, 40), 3, "cat", (3, 4, 20, 30))
        True
    """
    xmin, ymin, xmax, ymax = box
    return (f"<annotation><folder>OXIIIT</folder><filename>{filename}</filename>"
            "<source><database>OXFORD-IIIT Pet Dataset</database><annotation>OXIIIT</annotation>"
            f"<image>flickr</image></source><size><width>{size[0]}</width>"
            f"<height>{size[1]}</height><depth>{depth}</depth></size><segmented>0</segmented>"
            f"<object><name>{species}</name><pose>Frontal</pose><truncated>0</truncated>"
            f"<occluded>0</occluded><bndbox><xmin>{xmin}</xmin><ymin>{ymin}</ymin>"
            f"<xmax>{xmax}</xmax><ymax>{ymax}</ymax></bndbox><difficult>0</difficult>"
            "</object></annotation>\n").encode()


#: Cabecera oficial de ``annotations/list.txt`` (seis líneas de comentario).
LIST_HEADER = ("#Image CLASS-ID SPECIES BREED ID\n#ID: 1:37 Class ids\n#SPECIES: 1:Cat 2:Dog\n"
               "#BREED ID: 1-25:Cat 1:12:Dog\n#All images with 1st letter as captial are cat images\n"
               "#images with small first letter are dog images\n")
#: Comienzo de un archivo AppleDouble de macOS (``._*``), como los que trae el tar oficial.
APPLE_DOUBLE = b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        " + bytes(50)
#: Fotos con formato raro, como algunas oficiales: (raza, número) → tipo de ``encode``.
ODD_IMAGES = {("Abyssinian", 1): "png", ("Bengal", 2): "gif", ("Egyptian_Mau", 1): "cmyk",
              ("staffordshire_bull_terrier", 2): "gris"}
#: Fotos de trainval sin xml, como unas pocas oficiales.
WITHOUT_XML = {("beagle", 1), ("Sphynx", 3)}


#: Fotos de cada raza en (trainval, test), como en la prueba de CI: pocas y pequeñas.
TEST_SPLITS = ((4, 4),) * len(OXFORD_BREEDS)
#: Lado de las fotos de prueba, en píxeles (ancho y alto, cada uno al azar en ese intervalo).
TEST_SIDE = (80, 140)
#: Fotos de cada raza en el conjunto oficial: 3680 de trainval y 3669 de prueba, 7349 en total
#: (entre 198 y 200 por raza; la página oficial dice «unas 200»).
OFFICIAL_SPLITS = tuple((100 if index < 17 else 99, 100 if index < 6 else 99)
                        for index in range(len(OXFORD_BREEDS)))
#: Lado de las fotos al tamaño oficial: de 375 a 500 píxeles, como las fotos de Flickr del
#: conjunto (casi todas 500×375 o 375×500). Así pesan unos 105 kB, como las oficiales.
OFFICIAL_SIDE = (375, 501)


def add_member(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    """Añade a ``tar`` el archivo ``name`` con ``data``, con fecha fija."""
    info = tarfile.TarInfo(name)
    info.size, info.mtime = len(data), 0
    tar.addfile(info, io.BytesIO(data))


def tar_gz(members: dict[str, bytes]) -> bytes:
    """Un ``.tar.gz`` en memoria con ``members`` (ruta → contenido), en orden y con fecha fija.

    Ejemplo:
        >>> with tarfile.open(fileobj=io.BytesIO(tar_gz({"b.txt": b"2", "a.txt": b"1"}))) as tar:
        ...     tar.getnames()
        ['a.txt', 'b.txt']
    """
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for name, data in sorted(members.items()):
            add_member(tar, name, data)
    return buffer.getvalue()


def oxford_members(splits: tuple[tuple[int, int], ...] = TEST_SPLITS, side: tuple[int, int] = TEST_SIDE,
                   seed: int = 1) -> Iterator[tuple[str, str, bytes]]:
    """Los archivos de Oxford-IIIT Pet sintético, uno a uno: ``(archivo, ruta, contenido)``.

    ``archivo`` es ``"images.tar.gz"`` o ``"annotations.tar.gz"``. ``splits`` da, por raza, cuántas
    fotos van a trainval y cuántas a prueba; ``side``, el intervalo del ancho y del alto de las fotos.
    Con la estructura y los formatos oficiales: ``images/<Raza>_<n>.jpg`` (alguna en gris, CMYK, o
    PNG/GIF bajo ``.jpg``) y un ``.mat``; ``annotations/`` con ``list.txt`` (seis líneas ``#`` al
    principio), ``trainval.txt`` y ``test.txt`` (sin comentarios; líneas
    ``<Raza>_<n> <clase 1–37> <especie 1|2> <id de raza>``), ``xmls/<Raza>_<n>.xml`` (cabeza en
    PASCAL VOC, solo de trainval y no de todas) y ``trimaps/<Raza>_<n>.png`` con sus ``._*`` de macOS.

    Ejemplo:
        >>> members = list(oxford_members(((1, 1),) * 37))
        >>> sum(name.endswith(".jpg") for _, name, _ in members)
        74
    """
    rng = np.random.default_rng(seed)
    yield "images.tar.gz", "images/Abyssinian_100.mat", b"MATLAB 5.0 MAT-file"
    yield "annotations.tar.gz", f"annotations/{TEST_DATA_MARKER}", NOTICE
    lists: dict[str, list[str]] = {"trainval": [], "test": []}
    species_counter = {1: 0, 2: 0}
    for index, (breed, (trainval, test)) in enumerate(zip(OXFORD_BREEDS, splits, strict=True)):
        species = 1 if breed[0].isupper() else 2
        species_counter[species] += 1
        for n in range(1, trainval + test + 1):
            stem = f"{breed}_{n}"
            size = (int(rng.integers(*side)), int(rng.integers(*side)))
            image, box = synthetic_pet(index, len(OXFORD_BREEDS), rng, size)
            kind = ODD_IMAGES.get((breed, n), "jpeg")
            yield "images.tar.gz", f"images/{stem}.jpg", encode(image, kind)
            split = "trainval" if n <= trainval else "test"
            lists[split].append(f"{stem} {index + 1} {species} {species_counter[species]}")
            if split == "trainval" and (breed, n) not in WITHOUT_XML:
                yield "annotations.tar.gz", f"annotations/xmls/{stem}.xml", voc_xml(
                    f"{stem}.jpg", size, 1 if kind == "gris" else 3, "cat" if species == 1 else "dog", box)
            trimap = io.BytesIO()
            Image.new("L", size, 2).save(trimap, "PNG")
            yield "annotations.tar.gz", f"annotations/trimaps/{stem}.png", trimap.getvalue()
            yield "annotations.tar.gz", f"annotations/trimaps/._{stem}.png", APPLE_DOUBLE
    yield "annotations.tar.gz", "annotations/list.txt", (
        LIST_HEADER + "\n".join(lists["trainval"] + lists["test"]) + "\n").encode()
    for split, lines in lists.items():
        yield "annotations.tar.gz", f"annotations/{split}.txt", ("\n".join(lines) + "\n").encode()


def write_standin_mirror(root: Path, official_size: bool = False) -> Path:
    """Escribe la réplica de prueba en ``root`` (con ``SHA256SUMS``) y devuelve ``root``.

    Con ``official_size``, al tamaño del conjunto oficial (7349 fotos de unos 500×375 píxeles,
    unos 800 MB; un par de minutos): sirve para medir tiempos, no exactitudes.

    Ejemplo:
        >>> import tempfile
        >>> root = write_standin_mirror(Path(tempfile.mkdtemp()))
        >>> sorted(p.name for p in (root / "oxford_pets").iterdir())
        ['annotations.tar.gz', 'images.tar.gz']
    """
    folder = root / "oxford_pets"
    folder.mkdir(parents=True, exist_ok=True)
    sizes = (OFFICIAL_SPLITS, OFFICIAL_SIDE) if official_size else (TEST_SPLITS, TEST_SIDE)
    with contextlib.ExitStack() as stack:
        archives = {name: stack.enter_context(tarfile.open(folder / name, "w:gz", compresslevel=1))
                    for name in ("images.tar.gz", "annotations.tar.gz")}
        for archive, name, data in oxford_members(*sizes):
            add_member(archives[archive], name, data)
    write_sha256sums(root, {f"oxford_pets/{name}": file_hash(folder / name) for name in archives})
    return root


def official_size_mirror(root: Path) -> Path:
    """La réplica de prueba al tamaño oficial en ``root``: la crea la primera vez y después la reutiliza.

    Se escribe en una carpeta temporal al lado y se renombra al terminar: una creación
    interrumpida no deja una réplica a medias.

    Ejemplo:
        official_size_mirror(Path("data/sustitutos/replica"))   # la primera vez, un par de minutos
    """
    if (root / "SHA256SUMS").is_file():
        return root
    partial = root.with_name(f"{root.name}.en_curso")
    shutil.rmtree(partial, ignore_errors=True)
    print(f"Creando la réplica de prueba al tamaño oficial en {root} (un par de minutos, solo la primera vez)…",
          flush=True)
    write_standin_mirror(partial, official_size=True).rename(root)
    return root


def add_standin_mirror(root: Path) -> None:
    """Escribe la réplica de prueba en ``root`` y la añade al final de ``CNN_MIRROR`` (los datos reales, delante).

    Ejemplo:
        add_standin_mirror(Path(tempfile.mkdtemp()))  # CNN_MIRROR=…:/tmp/…
    """
    mirrors = [part for part in os.environ.get("CNN_MIRROR", "").split(os.pathsep) if part.strip()]
    os.environ["CNN_MIRROR"] = os.pathsep.join([*mirrors, str(write_standin_mirror(root))])


def main() -> None:
    parser = SpanishParser(prog="python -m tools.standin_data", description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="carpeta donde crear la réplica de prueba")
    parser.add_argument("--oficial", action="store_true",
                        help="al tamaño del conjunto oficial (7349 fotos de unos 500×375 píxeles)")
    args = parser.parse_args()
    print(write_standin_mirror(args.folder, official_size=args.oficial))


if __name__ == "__main__":
    main()
