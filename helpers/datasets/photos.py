"""Conjuntos de fotos listos en carpetas por clase: gatos y perros, Oxford-IIIT Pet y sus caras.

Cada conjunto se prepara una sola vez, de forma segura y atómica, en
``data_dir()/<conjunto>/preparado/`` (las caras, en ``data_dir()/petfaces/caras_oxford/``); las
imágenes que no se pueden decodificar quedan apartadas en ``preparado/_descartadas/``, fuera
de las carpetas de clases.

Las pruebas del curso generan una versión sintética de Oxford-IIIT Pet
(``tools/standin_data.py``) marcadas con ``DATOS_DE_PRUEBA.txt``: con ellas, cada carga lo
avisa de forma bien visible, porque sus exactitudes no significan nada.
"""
from __future__ import annotations

import shutil
from pathlib import Path

from helpers.config import data_dir
from helpers.datasets.archives import building, extract_archive, unpack
from helpers.datasets.errors import FormatError, short_traceback
from helpers.datasets.faces import crop_heads
from helpers.datasets.fetch import fetch
from helpers.datasets.folders import group_by_class, quarantine_corrupt_images

__all__ = ["TEST_DATA_MARKER", "cats_and_dogs", "is_test_data", "oxford_pets",
           "oxford_pets_split_lists", "petfaces"]

QUARANTINE = "_descartadas"
#: Archivo que marca un conjunto sintético de las pruebas (nunca está en los datos reales).
TEST_DATA_MARKER = "DATOS_DE_PRUEBA.txt"


def is_test_data(folder: Path) -> bool:
    """Indica si ``folder`` (o su carpeta de anotaciones hermana) es un conjunto sintético de pruebas.

    Ejemplo:
        >>> import tempfile
        >>> is_test_data(Path(tempfile.mkdtemp()))
        False
    """
    return any((place / TEST_DATA_MARKER).is_file()
               for place in (folder, folder.parent / "annotations"))


def _announce_if_test_data(folder: Path, dataset: str) -> None:
    """Avisa, en cada carga, de que ``folder`` tiene datos sintéticos y no las fotos reales."""
    if is_test_data(folder):
        print(f"⚠️  ATENCIÓN: {dataset} son aquí DATOS DE PRUEBA SINTÉTICOS (figuras de colores, no "
              "fotos), generados por las pruebas del curso porque este equipo no puede descargar "
              "los reales. Sirven para comprobar que el código funciona: las exactitudes que "
              "salgan NO son resultados del curso. Para usar los datos reales, borra "
              f"{folder.parent} y quita la réplica de prueba de CNN_MIRROR.")


def _prepared_dir(dataset: str) -> Path:
    """Carpeta donde queda preparado ``dataset`` (existe solo si la preparación terminó)."""
    return data_dir() / dataset / "preparado"


def _require_dirs(root: Path, names: list[str], archive: str) -> None:
    """Comprueba que ``root`` contiene las carpetas ``names``; si no, el archivo no es el esperado."""
    missing = [name for name in names if not (root / name).is_dir()]
    if missing:
        raise FormatError(f"{archive} no tiene la estructura esperada: falta {', '.join(missing)}.")


@short_traceback
def cats_and_dogs() -> Path:
    """Prepara «cats and dogs filtered» y devuelve su carpeta ``cats_and_dogs_filtered``.

    Dentro hay ``train/`` (1000 + 1000 fotos) y ``validation/`` (500 + 500), cada una con
    ``cats/`` y ``dogs/``: lista para ``image_dataset_from_directory`` o ``ImageFolder``.
    La segunda llamada no vuelve a extraer nada.

    Ejemplo:
        >>> root = cats_and_dogs()                       # doctest: +SKIP
        >>> sorted(p.name for p in (root / "train").iterdir())  # doctest: +SKIP
        ['cats', 'dogs']
    """
    prepared = _prepared_dir("cats_and_dogs")
    if not prepared.is_dir():
        archive = fetch("cats_and_dogs", "cats_and_dogs_filtered.zip")

        def prepare(tmp: Path) -> None:
            root = tmp / "cats_and_dogs_filtered"
            _require_dirs(root, ["train/cats", "train/dogs", "validation/cats", "validation/dogs"],
                          archive.name)
            quarantine_corrupt_images(root, tmp / QUARANTINE)

        extract_archive(archive, prepared, prepare)
    return prepared / "cats_and_dogs_filtered"


@short_traceback
def petfaces() -> Path:
    """Prepara las caras de Oxford-IIIT Pet y devuelve su carpeta ``petfaces``, una subcarpeta por raza.

    Cada cara es el recuadro de la cabeza que publican las anotaciones oficiales
    (``annotations/xmls``, solo para fotos de ``trainval``), recortado tal cual de su foto
    (``helpers.datasets.faces``). Solo necesita los dos archivos de Oxford-IIIT Pet; se
    prepara una vez y queda en ``data/petfaces/caras_oxford/``. La idea de entrenar con caras
    recortadas viene del curso *AI for Beginners* de Microsoft.

    Ejemplo:
        >>> root = petfaces()                                   # doctest: +SKIP
        >>> len([p for p in root.iterdir() if p.is_dir()])      # doctest: +SKIP
        37
    """
    # Otra carpeta que la del antiguo PetFaces de Microsoft (``preparado/``, 35 carpetas), para
    # no confundirlo con este si aún queda en la caché.
    prepared = data_dir() / "petfaces" / "caras_oxford"
    if not prepared.is_dir():
        breeds = _prepared_oxford_pets()
        with building(prepared, "recortar las caras") as tmp:
            report = crop_heads(breeds, breeds.parent / "annotations" / "xmls", tmp / "petfaces")
            if not report.faces:
                raise FormatError("Las anotaciones de Oxford-IIIT Pet no tienen ningún recuadro de "
                                  f"cabeza utilizable.\n{report.summary()}")
            if is_test_data(breeds):
                shutil.copy(breeds.parent / "annotations" / TEST_DATA_MARKER, tmp / "petfaces")
            print(report.summary())
    _announce_if_test_data(prepared / "petfaces", "las caras de Oxford-IIIT Pet")
    return prepared / "petfaces"


@short_traceback
def oxford_pets() -> Path:
    """Prepara Oxford-IIIT Pet y devuelve la carpeta ``razas``, con una subcarpeta por raza (37).

    Las fotos ``images/<Raza>_<n>.jpg`` se agrupan con ``group_by_class``. Las anotaciones
    oficiales quedan al lado, en ``oxford_pets().parent / "annotations"``; las listas de
    particiones están también en ``oxford_pets_split_lists()``.

    Ejemplo:
        >>> root = oxford_pets()            # doctest: +SKIP
        >>> (root / "Bengal").is_dir()      # doctest: +SKIP
        True
    """
    breeds = _prepared_oxford_pets()
    _announce_if_test_data(breeds, "Oxford-IIIT Pet")
    return breeds


def _prepared_oxford_pets() -> Path:
    """Prepara Oxford-IIIT Pet si hace falta y devuelve su carpeta ``razas`` (sin avisos)."""
    prepared = _prepared_dir("oxford_pets")
    if not prepared.is_dir():
        images = fetch("oxford_pets", "images.tar.gz")
        annotations = fetch("oxford_pets", "annotations.tar.gz")

        def prepare(tmp: Path) -> None:
            unpack(annotations, tmp)
            _require_dirs(tmp, ["images", "annotations"], f"{images.name} + {annotations.name}")
            group_by_class(tmp / "images", tmp / "razas", move=True)
            shutil.rmtree(tmp / "images")  # solo quedan archivos que no son fotos (.mat)
            quarantine_corrupt_images(tmp / "razas", tmp / QUARANTINE)

        extract_archive(images, prepared, prepare)
    return prepared / "razas"


@short_traceback
def oxford_pets_split_lists() -> dict[str, Path]:
    """Rutas de las listas oficiales de Oxford-IIIT Pet: ``{"trainval": …, "test": …}``.

    Cada línea es ``<Raza>_<n> <clase 1–37> <especie 1=gato, 2=perro> <id de raza>``; la foto
    está en ``oxford_pets() / <Raza> / "<Raza>_<n>.jpg"``.

    Ejemplo:
        >>> lists = oxford_pets_split_lists()                   # doctest: +SKIP
        >>> lists["test"].name                                  # doctest: +SKIP
        'test.txt'
    """
    annotations = _prepared_oxford_pets().parent / "annotations"
    return {split: annotations / f"{split}.txt" for split in ("trainval", "test")}
