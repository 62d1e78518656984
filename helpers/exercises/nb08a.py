"""Ejercicios del cuaderno 08a (aprendizaje por transferencia con PyTorch).

``group_by_breed``, ``fine_tuning`` y ``describe_blocks`` se usan también en el cuaderno 08b (Keras).
"""
from __future__ import annotations

import tempfile
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from helpers.exercises.core import (
    Exercise,
    Incorrect,
    ModelSpec,
    as_count,
    broadcast_mismatch,
    call_learner_function,
    choice_checker,
)
from helpers.exercises.nb07a import function_body
from helpers.pretrained import IMAGENET_MEAN, IMAGENET_STD

__all__ = ["check_dropout_rates", "denormalize", "denormalize_reference", "describe_blocks",
           "dropout_rates", "feature_extraction", "fine_tuning", "fine_tuning_setup", "group_by_breed",
           "prepare_feature_extraction_reference", "prepare_fine_tuning_reference"]

#: Nombres con las trampas reales de Oxford-IIIT Pet: razas de varias palabras y números largos.
SAMPLE_PHOTOS = ("Abyssinian_1.jpg", "Abyssinian_120.jpg", "great_pyrenees_3.jpg",
                 "american_pit_bull_terrier_7.jpg", "american_bulldog_2.jpg", "Russian_Blue_45.jpg")


def _check_group_by_breed(function) -> None:
    """Prueba ``function(carpeta)`` en una carpeta temporal con fotos de nombres difíciles."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name in SAMPLE_PHOTOS:
            (folder / name).write_bytes(b"jpeg")
        moved = call_learner_function(function, folder)
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
        if moved is None:
            raise Incorrect("las fotos están bien repartidas, pero la función no devuelve nada: "
                            "termina con return y el número de fotos movidas.")
        if as_count(moved, "el valor devuelto") != len(SAMPLE_PHOTOS):
            raise Incorrect(f"la carpeta tenía {len(SAMPLE_PHOTOS)} fotos y la función devuelve "
                            f"{moved}: debe devolver cuántas fotos ha movido.")


group_by_breed = Exercise(
    "Una carpeta por raza a partir del nombre del archivo",
    _check_group_by_breed,
    hint=("La raza es el nombre del archivo sin la extensión ni el número final; ojo: el número "
          "va tras el último guion bajo, y hay razas con varios.",
          "Path(\"great_pyrenees_3.jpg\").stem da \"great_pyrenees_3\"; str.rsplit con maxsplit=1 "
          "corta una sola vez, empezando por la derecha. Crea la carpeta con mkdir(exist_ok=True), "
          "mueve con Path.rename y cuenta las fotos que recorres."),
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
    try:
        answer = call_learner_function(function, (pixels - mean) / std)
    except Incorrect as error:  # su contexto es el error del estudiante
        if broadcast_mismatch(error.__context__):
            raise Incorrect("las formas no encajan: la media y la desviación, con forma (3,), se "
                            "emparejan con el último eje del lote (el ancho, no los canales). Dales "
                            "forma (1, 3, 1, 1) para que se apliquen a cada canal de cada imagen.") from None
        raise
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
    hint=("Normalize calcula (x − media) / desviación por canal; deshacerlo es despejar x.",
          "La media y la desviación tienen 3 valores, uno por canal: conviértelas en tensores con "
          "la forma (1, 3, 1, 1) para que se emparejen con el eje de canales del lote."),
    solution="""
mean = torch.tensor(IMAGENET_MEAN).view(1, 3, 1, 1)
std = torch.tensor(IMAGENET_STD).view(1, 3, 1, 1)
return images * std + mean
""",
)

_check_fine_tuning = choice_checker("abcd", {
    "a": "la tasa de aprendizaje no cambia lo que cuesta una época: cada lote hace las mismas "
         "cuentas con cualquier tasa, y el número de épocas lo fija FINE_TUNE_EPOCHS.",
    "c": "Adam funciona con tasas altas en cualquier capa; el problema no es el optimizador, sino "
         "cuánto se alejan los pesos de los aprendidos en ImageNet.",
    "d": "la cabeza sigue en el optimizador y aprende con la misma tasa baja que la base; una tasa "
         "baja no deja nada fijo, solo da pasos más pequeños a todo lo entrenable.",
})

fine_tuning = Exercise(
    "Por qué el ajuste fino usa una tasa de aprendizaje baja",
    _check_fine_tuning,
    hint=("Piensa en lo que ya saben los pesos de la base cuando empieza el ajuste fino.",
          "La tasa solo decide el tamaño de cada paso: piensa qué le hace un paso grande, guiado "
          "por pocas fotos, a unos pesos que ya funcionan."),
    solution='fine_tuning_answer = "b"',
)


# --- Congelar, cambiar la cabeza y descongelar (ejercicios 3 y 5) ---------------------------


def describe_blocks(names: Iterable[str], limit: int = 6) -> str:
    """Lista corta de nombres para un mensaje: los primeros ``limit`` y cuántos más hay.

    Ejemplo:
        >>> describe_blocks(["a", "b", "c"], limit=2)
        'a, b y 1 más'
    """
    def natural(name: str) -> list:
        return [int(t) if t.isdigit() else t for t in name.replace(".", " ").split()]

    names = sorted(set(names), key=natural)
    shown = ", ".join(names[:limit])
    return shown + (f" y {len(names) - limit} más" if len(names) > limit else "")


def prepare_feature_extraction_reference(model, n_classes):
    """Versión del curso: congela ``model.features`` y pone una capa de salida nueva de ``n_classes``."""
    from torch import nn

    model.features.requires_grad_(False)
    model.classifier[-1] = nn.Linear(model.classifier[-1].in_features, n_classes)
    return model


def prepare_fine_tuning_reference(model, first_block, learning_rate):
    """Versión del curso: descongela ``model.features[first_block:]`` salvo sus BatchNorm y devuelve Adam."""
    import torch
    from torch import nn

    model.features[first_block:].requires_grad_(True)
    for module in model.features.modules():
        if isinstance(module, nn.BatchNorm2d):
            module.requires_grad_(False)
    trainable = [p for p in model.parameters() if p.requires_grad]
    return torch.optim.Adam(trainable, lr=learning_rate)


_SMALL_INPUT = (3, 32, 32)   # la entrada más pequeña que admite MobileNetV2: comprobar es rápido


def _imagenet_mobilenet():
    """MobileNetV2 de torchvision con pesos al azar y la cabeza de 1000 clases de ImageNet."""
    import torch
    from torchvision.models import mobilenet_v2

    torch.manual_seed(0)
    return mobilenet_v2(weights=None)


def _block_of(name: str) -> str:
    """«features.14.conv.0.0.weight» → «features.14»; «classifier.1.bias» → «classifier.1»."""
    return ".".join(name.split(".")[:2])


def _trainable_blocks(model) -> set[str]:
    return {_block_of(name) for name, p in model.named_parameters() if p.requires_grad}


def _check_feature_extraction(function) -> None:
    import torch
    from torch import nn

    n_classes = 5
    model = call_learner_function(function, _imagenet_mobilenet(), n_classes)
    if not isinstance(model, nn.Module):
        raise Incorrect("la función debe devolver el modelo (return model) después de cambiarlo.")
    head = model.classifier[-1] if isinstance(model.classifier, nn.Sequential) else model.classifier
    if not isinstance(head, nn.Linear) or head.out_features != n_classes:
        raise Incorrect(f"con n_classes={n_classes}, la última capa debería ser nn.Linear con "
                        f"{n_classes} salidas; es {head}. Sustituye model.classifier[-1] por "
                        "nn.Linear(model.classifier[-1].in_features, n_classes).")
    trainable = _trainable_blocks(model)
    base = {block for block in trainable if block.startswith("features")}
    if base:
        every = {_block_of(name) for name, _ in model.features.named_parameters(prefix="features")}
        raise Incorrect("la base sigue entrenable: congélala con model.features.requires_grad_(False)."
                        if base == every else
                        f"quedan bloques de la base sin congelar ({describe_blocks(base)}): congela "
                        "toda la base, model.features.requires_grad_(False).")
    if not trainable:
        raise Incorrect("todo el modelo está congelado, también la capa nueva: congela solo "
                        "model.features (o congela primero y pon la cabeza después: una capa nueva "
                        "nace entrenable).")
    reference = prepare_feature_extraction_reference(_imagenet_mobilenet(), n_classes)
    with torch.no_grad():
        ModelSpec.of(reference, _SMALL_INPUT).check(model)
    check_dropout_rates(model, reference, "cambia solo model.classifier[-1]: el Dropout(0.2) que "
                        "torchvision pone en model.classifier[0] se queda como está")


def dropout_rates(model) -> list[float]:
    """Tasas de las capas de dropout de un modelo de PyTorch o de Keras, en orden.

    Ejemplo:
        >>> from torch import nn
        >>> dropout_rates(nn.Sequential(nn.Dropout(0.2), nn.Linear(3, 2)))
        [0.2]
    """
    if hasattr(model, "modules"):
        return [module.p for module in model.modules() if type(module).__name__ == "Dropout"]
    return [layer.rate for layer in model.layers if type(layer).__name__ == "Dropout"]


def check_dropout_rates(model, reference, advice: str) -> None:
    """Lanza ``Incorrect`` si las tasas de dropout de ``model`` no son las de ``reference``.

    Ejemplo:
        >>> from torch import nn
        >>> check_dropout_rates(nn.Dropout(0.2), nn.Dropout(0.2), "deja Dropout(0.2)")
    """
    got, want = dropout_rates(model), dropout_rates(reference)
    if got != want:
        shown = ", ".join(f"Dropout({rate:g})" for rate in want)
        raise Incorrect(f"las tasas de dropout son {', '.join(f'{r:g}' for r in got)} y la red descrita "
                        f"lleva {shown}. Solución: {advice}.")


def _check_fine_tuning_setup(function) -> None:
    import torch

    n_classes, first_block, learning_rate = 5, 14, 3e-5
    model = prepare_feature_extraction_reference(_imagenet_mobilenet(), n_classes)
    optimizer = call_learner_function(function, model, first_block, learning_rate)
    if not isinstance(optimizer, torch.optim.Optimizer):
        raise Incorrect("la función debe devolver el optimizador (por ejemplo, torch.optim.Adam) "
                        "con los parámetros entrenables.")
    blocks = [f"features.{i}" for i in range(len(model.features))]
    expected = {*blocks[first_block:], "classifier.1"}
    trainable = _trainable_blocks(model)
    too_early = {b for b in trainable if b in blocks[:first_block]}
    if too_early:
        raise Incorrect("has descongelado toda la base." if len(too_early) == first_block else
                        f"has descongelado bloques anteriores a first_block={first_block} "
                        f"({describe_blocks(too_early)}): los primeros bloques (bordes, texturas) "
                        "siguen congelados. Usa model.features[first_block:].")
    normalization = {name.rsplit(".", 1)[0] for name, module in model.named_modules()
                     if isinstance(module, torch.nn.BatchNorm2d)
                     and any(p.requires_grad for p in module.parameters())}
    if normalization:
        raise Incorrect(f"has descongelado capas BatchNorm2d ({describe_blocks(normalization, 3)}): "
                        "déjalas congeladas, como en el 08b. En modo evaluación usan las "
                        "estadísticas de ImageNet, y su escala y desplazamiento no deben moverse.")
    missing = expected - trainable
    if missing:
        raise Incorrect(f"siguen congelados {describe_blocks(missing)}: descongela desde el bloque "
                        "first_block hasta el final, model.features[first_block:].requires_grad_(True)"
                        + ("; la cabeza también debe seguir entrenable."
                           if "classifier.1" in missing else "."))
    if not isinstance(optimizer, torch.optim.Adam) or isinstance(optimizer, torch.optim.AdamW):
        raise Incorrect(f"el enunciado pide torch.optim.Adam y la función devuelve "
                        f"{type(optimizer).__name__}: usa el mismo optimizador que en la extracción "
                        "de características, para que solo cambie la tasa de aprendizaje.")
    in_optimizer = {id(p) for group in optimizer.param_groups for p in group["params"]}
    left_out = {_block_of(name) for name, p in model.named_parameters()
                if p.requires_grad and id(p) not in in_optimizer}
    if left_out:
        raise Incorrect(f"el optimizador no recibe los parámetros de {describe_blocks(left_out)}: "
                        "aunque tengan requires_grad, no cambiarán. Pásale todos los entrenables: "
                        "[p for p in model.parameters() if p.requires_grad].")
    rates = {group["lr"] for group in optimizer.param_groups}
    if rates != {learning_rate}:
        raise Incorrect(f"el optimizador usa lr={', '.join(f'{r:g}' for r in sorted(rates))} y la "
                        f"comprobación pidió learning_rate={learning_rate:g}: usa el argumento "
                        "learning_rate, no un número fijo.")


feature_extraction = Exercise(
    "Congelar la base y poner una cabeza nueva",
    _check_feature_extraction,
    hint=("Dos pasos: quitar el gradiente a todos los parámetros de la base (model.features) y "
          "cambiar la última capa de la cabeza por una nueva; una capa nueva nace entrenable.",
          "Todo nn.Module tiene requires_grad_(…), que actúa sobre sus parámetros. La capa de "
          "salida es model.classifier[-1]; su atributo in_features dice cuántas entradas tiene la "
          "nueva."),
    solution=function_body(prepare_feature_extraction_reference),
)

fine_tuning_setup = Exercise(
    "Descongelar los últimos bloques con una tasa de aprendizaje baja",
    _check_fine_tuning_setup,
    hint=("Tres pasos: devolver el gradiente a los bloques desde first_block, quitárselo otra vez "
          "a sus BatchNorm (como en Keras) y dar a Adam todo lo que quede entrenable.",
          "Un trozo de un nn.Sequential, cortado como una lista, también es un módulo con su "
          "requires_grad_. Para las BatchNorm, recorre todas las capas de la base (el método "
          "modules() incluye las anidadas) y mira el tipo de cada una. Al optimizador, solo los "
          "parámetros que vayan a recibir gradiente."),
    solution=function_body(prepare_fine_tuning_reference),
)
