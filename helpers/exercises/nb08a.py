"""Ejercicios del cuaderno 08a (aprendizaje por transferencia con PyTorch).

``group_by_breed`` y ``fine_tuning`` se usan también en el cuaderno 08b (Keras).
"""
from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np

from helpers.exercises.core import Exercise, Incorrect, call_learner_function, choice_checker
from helpers.pretrained import IMAGENET_MEAN, IMAGENET_STD

__all__ = ["denormalize", "denormalize_reference", "fine_tuning", "group_by_breed"]

#: Nombres con las trampas reales de Oxford-IIIT Pet: razas de varias palabras y números largos.
SAMPLE_PHOTOS = ("Abyssinian_1.jpg", "Abyssinian_120.jpg", "great_pyrenees_3.jpg",
                 "american_pit_bull_terrier_7.jpg", "american_bulldog_2.jpg", "Russian_Blue_45.jpg")


def _check_group_by_breed(function) -> None:
    """Prueba ``function(carpeta)`` en una carpeta temporal con fotos de nombres difíciles."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name in SAMPLE_PHOTOS:
            (folder / name).write_bytes(b"jpeg")
        call_learner_function(function, folder)
        loose = sorted(p.name for p in folder.glob("*.jpg"))
        if loose:
            raise Incorrect(f"quedan fotos sueltas en la carpeta ({', '.join(loose)}): hay que "
                            "moverlas (Path.rename o shutil.move), no copiarlas.")
        found = {p.parent.name: [] for p in folder.rglob("*.jpg")}
        for photo in folder.rglob("*.jpg"):
            found[photo.parent.name].append(photo.name)
        expected = {name.rsplit("_", 1)[0] for name in SAMPLE_PHOTOS}
        if {"great", "american", "Russian"} & set(found):
            raise Incorrect("«great_pyrenees_3.jpg» acabó en la carpeta «great»: muchas razas "
                            "tienen varias palabras. El número va tras el ÚLTIMO guion bajo: "
                            "corta con rsplit(\"_\", 1).")
        if set(found) != expected:
            raise Incorrect(f"las carpetas creadas son {sorted(found)}; se esperaban "
                            f"{sorted(expected)}.")
        for breed, names in found.items():
            if any(not name.startswith(breed + "_") for name in names):
                raise Incorrect(f"la carpeta {breed} tiene fotos de otra raza: {sorted(names)}.")


group_by_breed = Exercise(
    "Una carpeta por raza a partir del nombre del archivo",
    _check_group_by_breed,
    hint="La raza es el nombre sin el número final: Path(\"great_pyrenees_3.jpg\").stem es "
         "\"great_pyrenees_3\", y .rsplit(\"_\", 1)[0] corta solo por el último guion bajo. "
         "Crea la carpeta con mkdir(exist_ok=True) y mueve la foto con photo.rename(destino).",
    solution="""
folder = Path(folder)
photos = sorted(folder.glob("*.jpg"))
for photo in photos:
    breed = photo.stem.rsplit("_", 1)[0]
    (folder / breed).mkdir(exist_ok=True)
    photo.rename(folder / breed / photo.name)
return len(photos)
""",
)


def denormalize_reference(images):
    """Versión del curso de ``denormalize``: de un lote normalizado ``(N, 3, H, W)`` a píxeles en [0, 1].

    Ejemplo:
        >>> import torch
        >>> round(float(denormalize_reference(torch.zeros(1, 3, 1, 1))[0, 0, 0, 0]), 3)  # media del rojo
        0.485
    """
    import torch

    mean = torch.tensor(IMAGENET_MEAN, device=images.device).view(1, 3, 1, 1)
    std = torch.tensor(IMAGENET_STD, device=images.device).view(1, 3, 1, 1)
    return images * std + mean


def _check_denormalize(function) -> None:
    import torch

    rng = np.random.default_rng(5)
    pixels = torch.from_numpy(rng.random((2, 3, 6, 5)).astype(np.float32))
    mean = torch.tensor(IMAGENET_MEAN).view(1, 3, 1, 1)
    std = torch.tensor(IMAGENET_STD).view(1, 3, 1, 1)
    answer = call_learner_function(function, (pixels - mean) / std)
    if not isinstance(answer, torch.Tensor) or tuple(answer.shape) != (2, 3, 6, 5):
        raise Incorrect("denormalize debe devolver un tensor con la misma forma que recibe "
                        "(lote, canales, alto, ancho).")
    if torch.allclose(answer, (pixels - mean) / std / std - mean / std, atol=1e-4):
        raise Incorrect("has vuelto a normalizar: para deshacer (x − media) / desviación, "
                        "multiplica por la desviación y suma la media.")
    if not torch.allclose(answer, pixels, atol=1e-4):
        raise Incorrect("el resultado no recupera los píxeles originales. La media y la "
                        "desviación tienen un valor por canal: dales forma (1, 3, 1, 1) para que "
                        "se apliquen a cada canal de cada imagen.")


denormalize = Exercise(
    "Deshacer la normalización de ImageNet",
    _check_denormalize,
    hint="Normalize calcula (x − media) / desviación por canal. Al revés: x · desviación + media, "
         "con torch.tensor(IMAGENET_STD).view(1, 3, 1, 1) para que cada canal use su valor.",
    solution="""
mean = torch.tensor(IMAGENET_MEAN).view(1, 3, 1, 1)
std = torch.tensor(IMAGENET_STD).view(1, 3, 1, 1)
return images * std + mean
""",
)

_check_fine_tuning = choice_checker("abcd", {
    "a": "el ritmo de aprendizaje no cambia lo que cuesta una época: cada lote hace las mismas "
         "cuentas con cualquier ritmo.",
    "c": "Adam funciona con ritmos altos en cualquier capa; el problema no es el optimizador, sino "
         "cuánto se alejan los pesos de los aprendidos en ImageNet.",
    "d": "el ritmo no se reparte entre los parámetros: cada peso da su propio paso. Lo que importa "
         "es que los pesos de la base ya son buenos y un paso grande los estropea.",
})

fine_tuning = Exercise(
    "Por qué el ajuste fino usa un ritmo bajo",
    _check_fine_tuning,
    hint="Piensa en lo que ya saben los pesos de la base, y en lo ruidosos que son los gradientes "
         "de unos pocos miles de fotos comparados con los millones de ImageNet.",
    solution='fine_tuning_answer = "b"',
)
