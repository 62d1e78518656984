"""Registro de datos, nombres de clases y ligereza de ``import helpers.datasets``."""
import re
import subprocess
import sys

import pytest

from helpers import datasets
from helpers.datasets.errors import DatasetError, UnknownDatasetError
from helpers.datasets.registry import REGISTRY, get_resource

HASH = re.compile(r"^(md5:[0-9a-f]{32}|sha256:[0-9a-f]{64}|sha256-prefix:[0-9a-f]{8,63})$")


def test_registry_keys_are_folder_names_and_files_are_well_formed():
    assert set(REGISTRY) == {"fashion-mnist", "cifar10", "cats_and_dogs", "oxford_pets",
                             "mobilenet_v2_imagenet"}
    for key, resource in REGISTRY.items():
        assert resource.name == key
        assert resource.description and resource.license and resource.citation
        names = [f.name for f in resource.files]
        assert len(names) == len(set(names))
        for remote in resource.files:
            assert remote.urls and all(url.startswith(("http://", "https://")) for url in remote.urls)
            assert remote.urls[-1].endswith(remote.name)
            assert remote.known_hash is None or HASH.match(remote.known_hash)


def test_official_checksums_are_pinned():
    fashion = {f.name: f.known_hash for f in get_resource("fashion-mnist").files}
    assert fashion == {
        "train-images-idx3-ubyte.gz": "md5:8d4fb7e6c68d591d4c3dfef9ec88bf0d",
        "train-labels-idx1-ubyte.gz": "md5:25c81989df183df01b3e8a0aad5dffbe",
        "t10k-images-idx3-ubyte.gz": "md5:bef4ecab320f06d8554ea6380940ec79",
        "t10k-labels-idx1-ubyte.gz": "md5:bb300cfdad3c16e7a12a480ee83cd310",
    }
    assert get_resource("cifar10").file("cifar-10-python.tar.gz").known_hash == \
        "md5:c58f30108f718f92721af3b95e74349a"
    pets = get_resource("oxford_pets")
    assert pets.file("images.tar.gz").known_hash == "md5:5c4f3ee8e5d25df40f4fd59a7f44e54c"
    assert pets.file("annotations.tar.gz").known_hash == "md5:95a8c909bbe2e81eed6a22bccdf3f68f"
    # torchvision publica el comienzo del SHA256 en el nombre del archivo (y torch.hub lo comprueba)
    torch_weights = get_resource("mobilenet_v2_imagenet").file("mobilenet_v2-b0353104.pth")
    assert torch_weights.known_hash == "sha256-prefix:b0353104"


def test_unknown_dataset_and_file_list_the_known_ones():
    with pytest.raises(UnknownDatasetError, match="cifar10.*fashion-mnist"):
        get_resource("mnist")
    with pytest.raises(DatasetError, match="train-images-idx3-ubyte.gz"):
        get_resource("fashion-mnist").file("train.csv")


def test_class_names_in_spanish_and_english():
    assert datasets.class_names("fashion-mnist") == [
        "Camiseta/top", "Pantalón", "Jersey", "Vestido", "Abrigo",
        "Sandalia", "Camisa", "Zapatilla deportiva", "Bolso", "Botín"]
    assert datasets.class_names("cifar10", lang="es") == [
        "avión", "automóvil", "pájaro", "gato", "ciervo", "perro", "rana", "caballo", "barco", "camión"]
    assert datasets.class_names("cifar10", lang="en") == list(datasets.CIFAR10_CLASSES)
    assert datasets.FASHION_MNIST_CLASSES[0] == "T-shirt/top"
    assert datasets.FASHION_MNIST_CLASSES[9] == "Ankle boot"
    assert datasets.CIFAR10_CLASSES[9] == "truck"


def test_class_names_errors_are_helpful():
    with pytest.raises(UnknownDatasetError, match="fashion-mnist, cifar10"):
        datasets.class_names("cats_and_dogs")
    with pytest.raises(ValueError, match="lang='es'"):
        datasets.class_names("cifar10", lang="fr")


def test_list_datasets_has_description_and_license_for_every_entry():
    listed = datasets.list_datasets()
    assert [d["name"] for d in listed] == list(REGISTRY)
    assert all(d["description"] and d["license"] for d in listed)


def test_import_is_light():
    code = ("import sys, helpers.datasets; "
            "print([m for m in ('pooch', 'requests', 'tensorflow', 'torch', 'keras') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
