"""Canalizaciones tf.data sin autotune: mismo contenido, orden barajado por época y sin ajuste automático."""
import keras
import numpy as np
import pytest
import tensorflow as tf
from datasets_fixtures import jpeg

from helpers.tfdata import batches, from_arrays, without_autotune


def test_from_arrays_keeps_every_example_and_disables_autotune():
    x = np.arange(10, dtype=np.float32).reshape(10, 1)
    y = np.arange(10) % 3
    ordered = from_arrays(x, y, batch_size=4)
    assert ordered.options().autotune.enabled is False
    batches = [(bx.numpy(), by.numpy()) for bx, by in ordered]
    assert [len(bx) for bx, _ in batches] == [4, 4, 2]
    assert np.array_equal(np.concatenate([bx for bx, _ in batches]), x)

    shuffled = from_arrays(x, y, batch_size=4, shuffle=True, seed=1)
    first = np.concatenate([bx.numpy() for bx, _ in shuffled]).ravel()
    second = np.concatenate([bx.numpy() for bx, _ in shuffled]).ravel()
    assert sorted(first) == list(range(10))
    assert not np.array_equal(first, second)  # otro orden en cada época
    for bx, by in shuffled:  # cada imagen sigue con su etiqueta
        assert np.array_equal(bx.numpy().ravel().astype(int) % 3, by.numpy())


def test_from_arrays_refuses_mismatched_lengths():
    with pytest.raises(ValueError, match="deben coincidir"):
        from_arrays(np.zeros((3, 2)), np.zeros(2), batch_size=2)


def test_without_autotune_on_any_dataset():
    ds = without_autotune(tf.data.Dataset.range(5).batch(2))
    assert ds.options().autotune.enabled is False
    assert [b.numpy().tolist() for b in ds] == [[0, 1], [2, 3], [4]]


def _photo_folders(root, per_class=12):
    """Carpetas por clase con fotos lisas cuyo rojo identifica cada foto (10·i) y su verde, la clase."""
    for label, name in enumerate(("cats", "dogs")):
        (root / name).mkdir(parents=True)
        for i in range(per_class):
            red = 10 * (label * per_class + i)
            (root / name / f"{i:02d}.jpg").write_bytes(jpeg((red, 60 + 120 * label, 60), size=8))


def test_folder_pipeline_of_notebook_06_reshuffles_every_epoch(tmp_path):
    """La canalización de datos de 06: fotos sueltas de image_dataset_from_directory, caché, barajado y lotes."""
    _photo_folders(tmp_path)
    photos = keras.utils.image_dataset_from_directory(
        tmp_path, image_size=(8, 8), batch_size=None, label_mode="binary", seed=42)
    train_ds = batches(photos, 5, shuffle=True, seed=42, cache=True)

    def one_epoch():
        reds = []
        for images, batch_labels in train_ds:
            reds += np.round(images.numpy()[:, 0, 0, 0] / 10).astype(int).tolist()
            assert np.array_equal(images.numpy()[:, 0, 0, 1] > 120, batch_labels.numpy().ravel() == 1)
        return reds

    epochs = [one_epoch() for _ in range(3)]
    assert all(sorted(reds) == list(range(24)) for reds in epochs)  # cada foto, una vez por época
    assert epochs[0] != epochs[1] and epochs[1] != epochs[2]  # otro orden en cada época


def test_batches_without_shuffle_keeps_the_order_and_refuses_unknown_sizes():
    ordered = batches(tf.data.Dataset.range(7), 3, cache=True)
    assert [b.numpy().tolist() for b in ordered] * 2 == [b.numpy().tolist() for _ in range(2) for b in ordered]
    assert [b.numpy().tolist() for b in ordered] == [[0, 1, 2], [3, 4, 5], [6]]
    with pytest.raises(ValueError, match="barajarlo"):
        batches(tf.data.Dataset.range(7).filter(lambda n: n > 2), 3, shuffle=True)
