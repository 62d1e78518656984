"""Las redes del curso en helpers.models y las particiones estratificadas de helpers.datasets.splits."""
from pathlib import Path

import keras
import pytest
import torch

from helpers.datasets.splits import folder_splits, official_split, oxford_pets_splits
from helpers.models import count_trainable, pet_cnn_keras, pet_cnn_torch


@pytest.mark.parametrize("image_size", [64, 96])
def test_the_two_pet_cnns_are_the_same_network(image_size):
    torch_model = pet_cnn_torch(7, image_size)
    keras_model = pet_cnn_keras(7, image_size)
    assert tuple(torch_model(torch.zeros(2, 3, image_size, image_size)).shape) == (2, 7)
    assert keras_model.output_shape == (None, 7)
    assert count_trainable(torch_model) == count_trainable(keras_model) == keras_model.count_params()
    assert keras_model.layers[-1].activation.__name__ == "softmax"          # Keras: probabilidades
    assert isinstance(list(torch_model.children())[-1], torch.nn.Linear)    # PyTorch: logits
    augmented = pet_cnn_keras(7, image_size, augmentation=keras.layers.RandomFlip("horizontal"))
    assert augmented.layers[0].name.startswith("random_flip")
    assert augmented.count_params() == keras_model.count_params()


def test_count_trainable_follows_freezing_in_both_frameworks():
    model = pet_cnn_torch(3, 64)
    total = count_trainable(model)
    model[0].requires_grad_(False)
    assert count_trainable(model) == total - sum(p.numel() for p in model[0].parameters())
    dense = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])
    dense.layers[0].trainable = False
    assert count_trainable(dense) == 0


def write_pets(root: Path, names, lists: dict[str, list[str]]):
    images = root / "images"
    for name in names:
        folder = images / name.rsplit("_", 1)[0]
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{name}.jpg").write_bytes(b"jpeg")
    paths = {}
    for split, lines in lists.items():
        paths[split] = root / f"{split}.txt"
        paths[split].write_text("".join(f"{line} 1 1 1\n" for line in lines))
    return images, paths


def test_splits_follow_the_official_lists(tmp_path):
    trainval = [f"{breed}_{i}" for breed in ("Bengal", "great_pyrenees", "beagle") for i in range(10)]
    test = [f"{breed}_{i}" for breed in ("Bengal", "beagle") for i in range(10, 14)]
    root, lists = write_pets(tmp_path, trainval + test, {"trainval": ["# comentario", *trainval, "beagle_99"],
                                                         "test": test})
    splits = oxford_pets_splits(root, lists, seed=42)
    names = {part: {p.stem for p, _ in pairs} for part, pairs in splits.items()}
    assert names["train"] | names["val"] == set(trainval) and not names["train"] & names["val"]
    assert names["test"] == set(test) and len(names["val"]) == 6       # 20 % de 30
    val_breeds = sorted(path.parent.name for path, _ in splits["val"])
    assert val_breeds == ["Bengal"] * 2 + ["beagle"] * 2 + ["great_pyrenees"] * 2   # estratificado
    assert splits == oxford_pets_splits(root, lists, seed=42)           # la semilla fija el reparto
    assert splits["val"] != oxford_pets_splits(root, lists, seed=7)["val"]
    from torchvision.datasets import ImageFolder

    class_to_idx = ImageFolder(root, loader=lambda path: path).class_to_idx
    assert all(class_to_idx[path.parent.name] == label for path, label in official_split(root, lists["test"]))
    small = oxford_pets_splits(root, lists, seed=42, max_images=4)
    assert [len(small[p]) for p in ("train", "val", "test")] == [4, 2, 2]


def test_folder_splits_give_every_breed_the_same_share_of_each_part(tmp_path):
    """07a y 07b: cada raza aporta el 15 % de sus caras a validación y otro 15 % a prueba."""
    sizes = {"Bengal": 100, "Persian": 93, "beagle": 60, "pug": 20}
    for breed, size in sizes.items():
        (tmp_path / breed).mkdir()
        for i in range(size):
            (tmp_path / breed / f"{breed}_{i}.jpg").write_bytes(b"jpeg")
    (tmp_path / "pug" / "notas.txt").write_text("no es una foto")
    splits = folder_splits(tmp_path, seed=42)
    for part, share in (("val", 0.15), ("test", 0.15), ("train", 0.70)):
        for label, (breed, size) in enumerate(sorted(sizes.items())):
            taken = [path for path, index in splits[part] if index == label]
            assert {path.parent.name for path in taken} <= {breed}            # índice = orden alfabético
            assert abs(len(taken) - share * size) <= 1, (part, breed, len(taken))
    names = [set(pairs) for pairs in splits.values()]
    assert sum(map(len, names)) == len(set.union(*names)) == sum(sizes.values())   # sin repetir ni perder
    assert splits == folder_splits(tmp_path, seed=42)                             # la semilla fija el reparto
    assert splits["test"] != folder_splits(tmp_path, seed=7)["test"]
    small = folder_splits(tmp_path, seed=42, max_images=100)
    small_breeds = {part: sorted(path.parent.name for path, _ in pairs) for part, pairs in small.items()}
    assert sum(map(len, small.values())) in range(96, 105)                        # unas max_images
    assert all(set(small_breeds[part]) == set(sizes) for part in small)           # todas las razas, en cada parte
    assert small_breeds["test"].count("Bengal") > small_breeds["test"].count("pug")
