"""Matriz de confusión y errores por clase; exactitud top-k: NumPy, PyTorch y TensorFlow dan lo mismo."""
import numpy as np
import pytest

from helpers.metrics import confused_pairs, confusion_matrix, per_class_accuracy, top_k_accuracy


def brute_force_top_k(scores, labels, k):
    return float(np.mean([label in np.argsort(-row)[:k] for row, label in zip(scores, labels)]))


@pytest.mark.frameworks
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


def test_confusion_matrix_matches_hand_count():
    y_true = [0, 0, 1, 1, 1, 2, 2, 2, 2]
    y_pred = [0, 1, 1, 1, 0, 2, 2, 1, 2]
    expected = np.zeros((4, 4), dtype=int)
    for t, p in zip(y_true, y_pred):
        expected[t, p] += 1
    cm = confusion_matrix(y_true, y_pred, n_classes=4)
    np.testing.assert_array_equal(cm, expected)
    assert cm[2, 1] == 1 and cm[1, 0] == 1 and cm.sum() == len(y_true)


def test_confusion_matrix_accepts_probabilities_and_one_hot():
    y_true = np.eye(3)[[0, 1, 2, 2]]
    probabilities = np.array([[0.8, 0.1, 0.1], [0.2, 0.7, 0.1], [0.1, 0.6, 0.3], [0.0, 0.1, 0.9]])
    np.testing.assert_array_equal(
        confusion_matrix(y_true, probabilities, 3), [[1, 0, 0], [0, 1, 0], [0, 1, 1]]
    )


@pytest.mark.parametrize("args,message", [
    (([0, 1], [0], 2), "misma longitud"),
    (([0, 3], [0, 1], 3), r"y_true contiene clases fuera de rango .*de 0 a 2"),
    (([0, 1], [0, -1], 2), "y_pred contiene clases fuera de rango"),
    (([0.5, 1], [0, 1], 2), "enteros"),
    (([0, 1], [0, 1], 0), "n_classes debe ser"),
])
def test_confusion_matrix_errors(args, message):
    with pytest.raises(ValueError, match=message):
        confusion_matrix(*args)


def test_per_class_accuracy_and_confused_pairs_take_the_same_labels_as_the_matrix():
    labels = np.eye(3)[[0, 0, 1, 2]]  # one-hot
    probabilities = np.array([[0.9, 0.1, 0.0], [0.2, 0.7, 0.1], [0.6, 0.3, 0.1], [0.0, 0.1, 0.9]])
    np.testing.assert_allclose(per_class_accuracy(labels, probabilities, 3), [0.5, 0.0, 1.0])
    assert confused_pairs(labels, probabilities, ["a", "b", "c"]) == [("a", "b", 1), ("b", "a", 1)]
    with pytest.raises(ValueError, match="fuera de rango"):
        per_class_accuracy([0, 3], [0, 1], 3)
