"""Ejercicios de los cuadernos 07a (PyTorch) y 07b (Keras): solución, marcador y errores típicos."""
import pytest
import torch

from helpers.exercises import ____
from helpers.exercises import nb07a, nb07b

tf = pytest.importorskip("tensorflow")
keras = pytest.importorskip("keras")


@pytest.mark.parametrize("module", [nb07a, nb07b], ids=["07a", "07b"])
@pytest.mark.parametrize("image_size", [64, 128])
def test_flatten_features_matches_both_frameworks(module, image_size):
    torch_net = torch.nn.Sequential(*[torch.nn.Sequential(torch.nn.Conv2d(c_in, c_out, 3, padding=1),
                                                          torch.nn.MaxPool2d(2))
                                      for c_in, c_out in [(3, 32), (32, 64), (64, 128), (128, 128)]],
                                    torch.nn.Flatten())
    torch_features = torch_net(torch.zeros(1, 3, image_size, image_size)).shape[1]
    keras_net = keras.Sequential([keras.Input((image_size, image_size, 3))]
                                 + [layer for f in (32, 64, 128, 128)
                                    for layer in (keras.layers.Conv2D(f, 3, padding="same"),
                                                  keras.layers.MaxPooling2D())]
                                 + [keras.layers.Flatten()])
    assert keras_net.output_shape[1] == torch_features
    assert module.flatten_features.evaluate(torch_features, image_size).correct
    assert module.flatten_features.evaluate(____, image_size).status == "not_attempted"


@pytest.mark.parametrize("answer, expected_text", [
    (128 * 128 * 128, "divide el lado entre 2"),
    (128 * 16 * 16, "cuenta los 4 max-pooling"),
    (3 * 8 * 8, "128 filtros"),
    (12.5, "entero"),
])
def test_flatten_features_explains_mistakes(answer, expected_text):
    feedback = nb07a.flatten_features.evaluate(answer, 128)
    assert feedback.status == "incorrect" and expected_text in feedback.message


@pytest.mark.parametrize("module, right, wrong", [(nb07a, "b", "acd"), (nb07b, "a", "bcd")],
                         ids=["07a", "07b"])
def test_loss_pairing_quiz(module, right, wrong):
    assert module.loss_pairing.evaluate(right).correct
    assert module.loss_pairing.evaluate(right.upper() + " ").correct
    for letter in wrong:
        feedback = module.loss_pairing.evaluate(letter)
        assert feedback.status == "incorrect" and len(feedback.message) > 60  # explica el porqué
    assert module.loss_pairing.evaluate("z").status == "incorrect"
    assert module.loss_pairing.evaluate(____).status == "not_attempted"


def torch_top_k(logits, labels, k):
    return (torch.topk(logits, k, dim=1).indices == labels.view(-1, 1)).any(dim=1).float().mean().item()


def tf_top_k(logits, labels, k):
    hits = tf.math.in_top_k(tf.cast(labels, tf.int32), tf.cast(logits, tf.float32), k)
    return float(tf.reduce_mean(tf.cast(hits, tf.float32)))


def test_top_k_accepts_correct_implementations():
    assert nb07a.top_k.evaluate(torch_top_k).correct
    assert nb07b.top_k.evaluate(tf_top_k).correct
    assert nb07a.top_k.evaluate(____).status == "not_attempted"
    assert nb07b.top_k.evaluate(____).status == "not_attempted"


@pytest.mark.parametrize("function, expected_text", [
    (lambda logits, labels, k: (torch.topk(logits, k, dim=1).indices == labels.view(-1, 1))
     .any(dim=1).sum().item(), "número de aciertos"),
    (lambda logits, labels, k: (logits.argmax(dim=1) == labels).float().mean().item(), "top-1"),
    (lambda logits, labels, k: torch.topk(logits, k, dim=1).indices, "un número"),
    (lambda logits, labels, k: 1 / 0, "ZeroDivisionError"),
])
def test_top_k_explains_mistakes(function, expected_text):
    feedback = nb07a.top_k.evaluate(function)
    assert feedback.status == "incorrect" and expected_text in feedback.message


def test_top_k_receives_framework_tensors():
    seen = []
    nb07a.top_k.evaluate(lambda logits, labels, k: seen.append(type(logits).__module__) or 0.0)
    nb07b.top_k.evaluate(lambda logits, labels, k: seen.append(type(logits).__module__) or 0.0)
    assert seen[0].startswith("torch") and seen[1].startswith("tensorflow")
