"""Datos reales de la réplica sin conexión (CI la crea con ``make mirror`` y define CNN_MIRROR)."""
import numpy as np
import pytest

from helpers import datasets
from helpers.config import mirror_dirs

pytestmark = [pytest.mark.integration, pytest.mark.skipif(
    not any((mirror / "fashion-mnist").is_dir() for mirror in mirror_dirs()),
    reason="sin réplica: define CNN_MIRROR (make mirror) para probar los datos reales")]


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("CNN_DATA_DIR", str(tmp_path / "cache"))


def test_real_fashion_mnist():
    (x_train, y_train), (x_test, y_test) = datasets.load_fashion_mnist()
    assert x_train.shape == (60000, 28, 28) and x_test.shape == (10000, 28, 28)
    assert y_train.shape == (60000,) and y_test.shape == (10000,)
    assert x_train.dtype == y_train.dtype == np.uint8
    assert np.bincount(y_train).tolist() == [6000] * 10
    assert np.bincount(y_test).tolist() == [1000] * 10
    assert y_train[:5].tolist() == [9, 0, 0, 3, 0]  # primeras etiquetas oficiales


def test_real_cifar10():
    (x_train, y_train), (x_test, y_test) = datasets.load_cifar10()
    assert x_train.shape == (50000, 32, 32, 3) and x_test.shape == (10000, 32, 32, 3)
    assert x_train.dtype == y_train.dtype == np.uint8
    assert np.bincount(y_train).tolist() == [5000] * 10
    assert np.bincount(y_test).tolist() == [1000] * 10
    assert y_train[:10].tolist() == [6, 9, 9, 4, 1, 1, 2, 7, 8, 3]  # orden canónico
    assert 100 < x_train[:100].mean() < 150


def test_real_cats_and_dogs():
    root = datasets.cats_and_dogs()
    counts = {f"{split}/{cls}": len(list((root / split / cls).glob("*.jpg")))
              for split in ["train", "validation"] for cls in ["cats", "dogs"]}
    assert counts == {"train/cats": 1000, "train/dogs": 1000, "validation/cats": 500, "validation/dogs": 500}
    assert datasets.cats_and_dogs() == root
