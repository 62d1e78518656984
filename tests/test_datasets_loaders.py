"""API pública de punta a punta con archivos pequeños en los formatos reales."""
import numpy as np
import pytest
from datasets_fixtures import (  # noqa: F401
    OXFORD_IMAGES,
    cats_and_dogs_zip,
    cifar_file,
    fashion_arrays,
    fashion_files,
    http_server,
    isolated,
    make_mirror,
    md5,
    oxford_files,
    point_registry,
)

from helpers import datasets
from helpers.datasets import photos
from helpers.datasets.errors import FormatError


@pytest.fixture
def mirror(isolated, tmp_path, monkeypatch):
    """Réplica falsa con Fashion-MNIST, CIFAR-10 y gatos y perros, como las de la orden replica."""
    files = {f"fashion-mnist/{name}": data for name, data in fashion_files().items()}
    files["cifar10/cifar-10-python.tar.gz"] = cifar_file()
    files["cats_and_dogs/cats_and_dogs_filtered.zip"] = cats_and_dogs_zip()
    root = make_mirror(tmp_path / "mirror", files)
    monkeypatch.setenv("CNN_MIRROR", str(root))
    return root


def test_load_fashion_mnist(mirror):
    (x_train, y_train), (x_test, y_test) = datasets.load_fashion_mnist()
    expected = fashion_arrays()
    np.testing.assert_array_equal(x_train, expected["train-images-idx3-ubyte.gz"])
    np.testing.assert_array_equal(y_test, expected["t10k-labels-idx1-ubyte.gz"])
    assert x_train.dtype == y_train.dtype == x_test.dtype == np.uint8
    assert x_train.shape == (6, 28, 28) and y_train.shape == (6,) and x_test.shape == (4, 28, 28)


def test_load_fashion_mnist_rejects_mismatched_files(isolated, tmp_path, monkeypatch):
    files = {f"fashion-mnist/{name}": data for name, data in fashion_files().items()}
    files["fashion-mnist/t10k-labels-idx1-ubyte.gz"] = files["fashion-mnist/train-labels-idx1-ubyte.gz"]
    monkeypatch.setenv("CNN_MIRROR", str(make_mirror(tmp_path / "m", files)))
    with pytest.raises(FormatError, match="no casan"):
        datasets.load_fashion_mnist()


def test_load_cifar10(mirror):
    (x_train, y_train), (x_test, y_test) = datasets.load_cifar10()
    assert x_train.shape == (15, 32, 32, 3) and x_test.shape == (3, 32, 32, 3)
    assert y_train.shape == (15,) and y_test.shape == (3,)
    assert x_train.dtype == y_train.dtype == np.uint8
    assert set(y_train) <= set(range(10))


def test_cats_and_dogs_layout_quarantine_and_cache(mirror, isolated, monkeypatch, capsys):
    root = datasets.cats_and_dogs()
    assert root.name == "cats_and_dogs_filtered"
    counts = {f"{split}/{cls}": len(list((root / split / cls).iterdir()))
              for split in ["train", "validation"] for cls in ["cats", "dogs"]}
    assert counts == {"train/cats": 2, "train/dogs": 2, "validation/cats": 1, "validation/dogs": 1}
    assert (root.parent / "_descartadas" / "train" / "cats" / "cat.99.jpg").exists()
    assert "Aparto 1 de 7 imágenes" in capsys.readouterr().out
    assert str(isolated) in str(root)

    def no_fetch(*args):
        raise AssertionError("no debería volver a buscar el archivo")

    monkeypatch.setattr(photos, "fetch", no_fetch)
    assert datasets.cats_and_dogs() == root  # segunda llamada: ni busca ni extrae


def test_cats_and_dogs_with_unexpected_layout_is_not_cached(isolated, tmp_path, monkeypatch):
    import io
    import zipfile
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("otra_cosa/train/cats/a.jpg", b"x")
    monkeypatch.setenv("CNN_MIRROR", str(make_mirror(
        tmp_path / "m", {"cats_and_dogs/cats_and_dogs_filtered.zip": buffer.getvalue()})))
    with pytest.raises(FormatError, match="falta train/cats"):
        datasets.cats_and_dogs()
    assert not (isolated / "cats_and_dogs" / "preparado").exists()


def test_oxford_pets_downloaded_and_grouped_by_breed(isolated, monkeypatch, http_server):
    files = oxford_files()
    point_registry(monkeypatch, "oxford_pets", {
        name: ((http_server.publish(name, data),), f"md5:{md5(data)}") for name, data in files.items()})
    root = datasets.oxford_pets()
    breeds = {p.name: sorted(f.name for f in p.iterdir()) for p in root.iterdir()}
    assert breeds == {
        "Abyssinian": ["Abyssinian_1.jpg", "Abyssinian_2.jpg"],
        "Bengal": ["Bengal_10.jpg"],
        "american_pit_bull_terrier": ["american_pit_bull_terrier_7.jpg"],
        "great_pyrenees": ["great_pyrenees_3.jpg"],
    }
    assert sum(len(v) for v in breeds.values()) == len(OXFORD_IMAGES)
    lists = datasets.oxford_pets_split_lists()
    assert lists["trainval"].read_text().startswith("Abyssinian_1 1 1 1")
    assert lists["test"].parent == root.parent / "annotations"
    requests_made = len(http_server.requests)
    assert datasets.oxford_pets() == root
    assert len(http_server.requests) == requests_made == 2
