"""Tuberías tf.data sin autotune: mismo contenido, orden barajado por época y sin ajuste automático."""
import numpy as np
import pytest

from helpers.tfdata import from_arrays, without_autotune

tf = pytest.importorskip("tensorflow")


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
