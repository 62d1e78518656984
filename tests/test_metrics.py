"""Exactitud top-k: NumPy, PyTorch y TensorFlow dan lo mismo; errores por clase."""
import numpy as np
import pytest

from helpers.metrics import confused_pairs, per_class_accuracy, top_k_accuracy


def brute_force_top_k(scores, labels, k):
    return float(np.mean([label in np.argsort(-row)[:k] for row, label in zip(scores, labels)]))


@pytest.mark.parametrize("k", [1, 3, 5])
def test_numpy_torch_and_tensorflow_agree_on_the_same_logits(k):
    import tensorflow as tf
    import torch

    rng = np.random.default_rng(k)
    logits = rng.normal(size=(200, 35)).astype(np.float32)
    labels = rng.integers(0, 35, size=200)
    expected = brute_force_top_k(logits, labels, k)
    assert top_k_accuracy(logits, labels, k) == pytest.approx(expected)
    assert top_k_accuracy(torch.from_numpy(logits), torch.from_numpy(labels), k) == pytest.approx(expected)
    assert top_k_accuracy(tf.constant(logits), tf.constant(labels), k) == pytest.approx(expected)


def test_top_1_is_plain_accuracy_and_top_all_is_one():
    rng = np.random.default_rng(0)
    scores = rng.random((50, 4))
    labels = rng.integers(0, 4, 50)
    assert top_k_accuracy(scores, labels, 1) == pytest.approx((scores.argmax(1) == labels).mean())
    assert top_k_accuracy(scores, labels, 4) == 1.0


def test_k_below_one_is_refused():
    with pytest.raises(ValueError, match="al menos 1"):
        top_k_accuracy(np.eye(2), np.array([0, 1]), k=0)


def test_per_class_accuracy_marks_empty_classes_as_nan():
    result = per_class_accuracy([0, 0, 0, 2], [0, 1, 0, 2], 3)
    assert result[0] == pytest.approx(2 / 3) and np.isnan(result[1]) and result[2] == 1.0


def test_confused_pairs_are_sorted_by_count_and_named():
    labels = [0, 0, 0, 1, 1, 2]
    predictions = [1, 1, 2, 0, 1, 2]
    assert confused_pairs(labels, predictions, ["a", "b", "c"]) == [("a", "b", 2), ("a", "c", 1),
                                                                    ("b", "a", 1)]
    assert confused_pairs([0, 1], [0, 1], ["a", "b"]) == []
