"""Ejercicios de los cuadernos 08a (PyTorch) y 08b (Keras): solución, marcador y errores típicos."""
from pathlib import Path

import numpy as np
import pytest
import torch

from helpers.exercises import ____
from helpers.exercises import nb08a, nb08b
from helpers.pretrained import IMAGENET_MEAN, IMAGENET_STD


def move_by(breed_of):
    def group(folder):
        folder = Path(folder)
        photos = sorted(folder.glob("*.jpg"))
        for photo in photos:
            (folder / breed_of(photo)).mkdir(exist_ok=True)
            photo.rename(folder / breed_of(photo) / photo.name)
        return len(photos)
    return group


def test_group_by_breed_is_shared_by_both_notebooks():
    assert nb08b.group_by_breed is nb08a.group_by_breed
    assert nb08a.group_by_breed.evaluate(move_by(lambda p: p.stem.rsplit("_", 1)[0])).correct
    assert nb08a.group_by_breed.evaluate(____).status == "not_attempted"


@pytest.mark.parametrize("function, expected_text", [
    (move_by(lambda p: p.stem.split("_")[0]), "rsplit"),
    (lambda folder: [(Path(folder) / p.stem.rsplit("_", 1)[0]).mkdir(exist_ok=True)
                     for p in Path(folder).glob("*.jpg")], "sueltas"),
    (move_by(lambda p: p.stem.rsplit("_", 1)[0].lower()), "carpetas creadas"),
])
def test_group_by_breed_explains_mistakes(function, expected_text):
    feedback = nb08a.group_by_breed.evaluate(function)
    assert feedback.status == "incorrect" and expected_text in feedback.message


def test_denormalize_inverts_imagenet_normalization():
    mean, std = torch.tensor(IMAGENET_MEAN).view(1, 3, 1, 1), torch.tensor(IMAGENET_STD).view(1, 3, 1, 1)
    pixels = torch.rand(2, 3, 4, 4)
    torch.testing.assert_close(nb08a.denormalize_reference((pixels - mean) / std), pixels)
    assert nb08a.denormalize.evaluate(nb08a.denormalize_reference).correct
    assert nb08a.denormalize.evaluate(____).status == "not_attempted"
    again = nb08a.denormalize.evaluate(lambda x: (x - mean) / std)
    assert again.status == "incorrect" and "vuelto a normalizar" in again.message
    flat = nb08a.denormalize.evaluate(lambda x: x * torch.tensor(IMAGENET_STD) + torch.tensor(IMAGENET_MEAN))
    assert flat.status == "incorrect"  # la media se aplica al ancho, no a los canales


def test_preprocess_matches_keras_applications():
    keras = pytest.importorskip("keras")
    pixels = np.random.default_rng(0).random((1, 4, 4, 3)).astype(np.float32) * 255
    expected = keras.applications.mobilenet_v2.preprocess_input(pixels.copy())
    np.testing.assert_allclose(pixels / 127.5 - 1, expected, atol=1e-5)
    assert nb08b.preprocess.evaluate(lambda x: x / 127.5 - 1).correct
    assert nb08b.preprocess.evaluate(____).status == "not_attempted"
    assert "[0, 1]" in nb08b.preprocess.evaluate(lambda x: x / 255).message
    assert "torchvision" in nb08b.preprocess.evaluate(
        lambda x: (x / 255 - np.array(IMAGENET_MEAN)) / np.array(IMAGENET_STD)).message


def test_fine_tuning_quiz():
    assert nb08b.fine_tuning is nb08a.fine_tuning
    assert nb08a.fine_tuning.evaluate("b").correct
    for letter in "acd":
        assert nb08a.fine_tuning.evaluate(letter).status == "incorrect"
