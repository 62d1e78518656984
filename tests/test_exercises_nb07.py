"""Ejercicios de los cuadernos 07a (PyTorch) y 07b (Keras): solución, marcador y errores típicos."""
import re

import keras
import nbformat
import numpy as np
import pytest
import tensorflow as tf
import torch
from hint_fixtures import longest_shared_code
from notebook_fixtures import solution_code_cells

from helpers.exercises import ____, nb07a, nb07b
from tools.course import SOLUTIONS


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


@pytest.mark.parametrize("module, right, wrong", [(nb07a, "bd", "ac"), (nb07b, "a", "bcd")],
                         ids=["07a", "07b"])
def test_loss_pairing_quiz(module, right, wrong):
    assert module.loss_pairing.evaluate(right).correct
    assert module.loss_pairing.evaluate(right.upper() + " ").correct
    for letter in wrong:
        feedback = module.loss_pairing.evaluate(letter)
        assert feedback.status == "incorrect" and len(feedback.message) > 60  # explica el porqué
    assert module.loss_pairing.evaluate("z").status == "incorrect"
    assert module.loss_pairing.evaluate(____).status == "not_attempted"


@pytest.mark.parametrize("partial", ["b", "d"])
def test_loss_pairing_does_not_name_the_missing_option(partial):
    """Con una sola de las dos correctas, el mensaje orienta sin decir qué letra falta."""
    feedback = nb07a.loss_pairing.evaluate(partial)
    assert feedback.status == "incorrect"
    assert not any(f"{letter})" in feedback.message for letter in "abcd")


EXERCISES = [getattr(module, name) for module in (nb07a, nb07b)
             for name in ("flatten_features", "loss_pairing", "top_k", "train_one_epoch", "evaluate")]


def solution_fragments(code):
    """Líneas de la solución y lados derechos de sus asignaciones (``x = …``, ``x += …``)."""
    for line in (line.strip() for line in code.splitlines()):
        yield line
        if " = " in line or " += " in line:
            yield line.split("= ", 1)[1]


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.title)
def test_hints_come_in_two_steps_and_never_give_the_solution(exercise):
    """Las pistas 2 de train_one_epoch y top_k enumeraban todas las llamadas de la solución, en
    orden: ninguna pista copia una línea ni 10 símbolos seguidos de la solución."""
    assert len(exercise.hints) == 2 and exercise.hints[0] != exercise.hints[1]
    fragments = [f for f in solution_fragments(exercise.solution_code) if len(f) > 13 or '"' in f]
    for hint in exercise.hints:
        assert not [fragment for fragment in fragments if fragment in hint], hint
        assert longest_shared_code(hint, exercise.solution_code) < 10, hint


@pytest.mark.parametrize("notebook", ["07a", "07b"])
def test_every_exercise_is_followed_by_its_hint_cell(notebook):
    cells = solution_code_cells(notebook)
    checked = [(i, re.search(r"ex\.(\w+)\.check\(", cell)) for i, cell in enumerate(cells)]
    checked = [(i, match[1]) for i, match in checked if match]
    assert len(checked) == 5
    for i, name in checked:
        assert cells[i + 1] == f"# ex.{name}.hint()\n# ex.{name}.solution()", name


def solution_calls(code):
    """Nombres de las funciones y métodos que llama la solución (``zero_grad``, ``topk``…)."""
    import ast

    return {node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id
            for node in ast.walk(ast.parse(code)) if isinstance(node, ast.Call)
            and isinstance(node.func, (ast.Attribute, ast.Name))}


@pytest.mark.parametrize("exercise", [nb07a.train_one_epoch, nb07a.top_k, nb07b.train_one_epoch, nb07b.top_k],
                         ids=["07a train_one_epoch", "07a top_k", "07b train_one_epoch", "07b top_k"])
def test_the_second_hint_does_not_list_the_calls_of_the_solution(exercise):
    """Las pistas 2 nombraban, en orden, casi todas las llamadas de la solución (zero_grad, backward,
    step, item…; topk, view, any, item…): nombran como mucho la mitad y dejan que las busques."""
    calls = solution_calls(exercise.solution_code)
    named = {name for name in calls if re.search(rf"\b{name}\b", exercise.hints[1])}
    assert len(named) <= len(calls) / 2, named


def test_hint_fragments_catch_a_hint_that_gives_the_answer():
    """La prueba de arriba detecta una pista que copia una línea o el valor de una asignación."""
    code = nb07a.flatten_features.solution_code + "\n" + nb07b.loss_pairing.solution_code
    assert "128 * (IMG_SIZE // 16) ** 2" in set(solution_fragments(code))
    assert '"a"' in set(solution_fragments(code))


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


def numpy_top_k(logits, labels, k):
    """La métrica bien calculada, pero con NumPy y no con la operación que pide el enunciado."""
    top = np.argsort(-np.asarray(logits), axis=1)[:, :k]
    return float((top == np.asarray(labels).reshape(-1, 1)).any(axis=1).mean())


def tf_top_k_with_top_k(logits, labels, k):
    """Bien calculada con tf.math.top_k, cuando el enunciado pide tf.math.in_top_k."""
    top = tf.math.top_k(logits, k).indices
    hits = tf.reduce_any(top == tf.cast(tf.reshape(labels, (-1, 1)), tf.int32), axis=1)
    return float(tf.reduce_mean(tf.cast(hits, tf.float32)))


def torch_top_k_as_method(logits, labels, k):
    return (logits.topk(k, dim=1).indices == labels[:, None]).any(dim=1).float().mean().item()


def tf_top_k_from_nn(logits, labels, k):
    return float(tf.reduce_mean(tf.cast(tf.nn.in_top_k(tf.cast(labels, tf.int32), logits, k), tf.float32)))


@pytest.mark.parametrize("module, wrong, right, required", [
    (nb07a, numpy_top_k, torch_top_k_as_method, "torch.topk"),
    (nb07b, numpy_top_k, tf_top_k_from_nn, "tf.math.in_top_k"),
    (nb07b, tf_top_k_with_top_k, tf_top_k_from_nn, "tf.math.in_top_k"),
], ids=["07a numpy", "07b numpy", "07b top_k"])
def test_top_k_requires_the_operation_the_statement_fixes(module, wrong, right, required):
    feedback = module.top_k.evaluate(wrong)
    assert feedback.status == "incorrect" and required in feedback.message, feedback.message
    assert module.top_k.evaluate(right).correct, "otra forma de llamar a la misma operación vale"


@pytest.mark.parametrize("module", [nb07a, nb07b], ids=["07a", "07b"])
def test_top_k_refuses_the_course_version(module):
    from helpers.metrics import top_k_accuracy

    def calls_the_course(logits, labels, k):
        return top_k_accuracy(logits, labels, k)

    feedback = module.top_k.evaluate(calls_the_course)
    assert feedback.status == "incorrect" and "top_k_accuracy" in feedback.message


def test_top_k_receives_framework_tensors():
    seen = []
    nb07a.top_k.evaluate(lambda logits, labels, k: seen.append(type(logits).__module__) or 0.0)
    nb07b.top_k.evaluate(lambda logits, labels, k: seen.append(type(logits).__module__) or 0.0)
    assert seen[0].startswith("torch") and seen[1].startswith("tensorflow")


def test_loss_pairing_accepts_one_hot_targets_like_pytorch():
    """d) funciona de verdad desde PyTorch 1.10: la pregunta lo cuenta como correcto."""
    logits, labels = torch.randn(5, 4), torch.tensor([0, 3, 1, 1, 2])
    one_hot = torch.nn.functional.one_hot(labels, 4).float()
    loss_fn = torch.nn.CrossEntropyLoss()
    torch.testing.assert_close(loss_fn(logits, one_hot), loss_fn(logits, labels))
    for answer in ("bd", "DB", "b, d"):
        assert nb07a.loss_pairing.evaluate(answer).correct
    assert "Softmax" in nb07a.loss_pairing.evaluate("abd").message


# --- El bucle de entrenamiento de PyTorch (07a) ------------------------------------------


def make_train(zero_grad=True, train_mode=True, move=True, backward=True, average="weighted",
               item=True):
    """Variantes de train_one_epoch con un error típico cada una."""
    def train_one_epoch(model, loader, loss_fn, optimizer, device):
        if train_mode:
            model.train()
        total, losses = 0.0, []
        for inputs, targets in loader:
            if move:
                inputs, targets = inputs.to(device), targets.to(device)
            loss = loss_fn(model(inputs), targets)
            if zero_grad:
                optimizer.zero_grad()
            if backward:
                loss.backward()
            optimizer.step()
            losses.append(loss.item())
            total += (loss.item() if item else loss) * (len(targets) if average == "weighted" else 1)
        if average == "weighted":
            return total / len(loader.dataset)
        if average == "batches":
            return total / len(loader)
        return losses[-1]
    return train_one_epoch


def make_evaluate(eval_mode=True, no_grad=True, count=False, average="weighted"):
    def evaluate(model, loader, loss_fn, device):
        if eval_mode:
            model.eval()
        total, correct = 0.0, 0
        with torch.set_grad_enabled(not no_grad):
            for inputs, targets in loader:
                inputs, targets = inputs.to(device), targets.to(device)
                logits = model(inputs)
                total += loss_fn(logits, targets).item() * (len(targets) if average == "weighted" else 1)
                correct += (logits.argmax(dim=1) == targets).sum().item()
        n = len(loader.dataset) if average == "weighted" else len(loader)
        return total / n, correct if count else correct / len(loader.dataset)
    return evaluate


def test_training_loop_accepts_the_reference_and_the_solution_text():
    assert nb07a.train_one_epoch.evaluate(nb07a.train_one_epoch_reference).correct
    assert nb07a.evaluate.evaluate(nb07a.evaluate_reference).correct
    assert nb07a.train_one_epoch.evaluate(make_train()).correct
    assert nb07a.evaluate.evaluate(make_evaluate()).correct
    assert "optimizer.zero_grad()" in nb07a.train_one_epoch.solution_code
    assert nb07a.train_one_epoch.evaluate(____).status == "not_attempted"
    assert nb07a.evaluate.evaluate(lambda *args: ____).status == "not_attempted"


@pytest.mark.parametrize("mistake, expected_text", [
    (dict(zero_grad=False), "zero_grad"),
    (dict(train_mode=False), "model.train()"),
    (dict(move=False), ".to(device)"),
    (dict(backward=False), "backward"),
    (dict(average="batches"), "último lote es más pequeño"),
    (dict(average="last"), "último lote"),
    (dict(item=False), ".item()"),
])
def test_train_one_epoch_explains_typical_mistakes(mistake, expected_text):
    feedback = nb07a.train_one_epoch.evaluate(make_train(**mistake))
    assert feedback.status == "incorrect" and expected_text in feedback.message, feedback.message


@pytest.mark.parametrize("mistake, expected_text", [
    (dict(eval_mode=False), "model.eval()"),
    (dict(no_grad=False), "torch.no_grad()"),
    (dict(count=True), "número de aciertos"),
    (dict(average="batches"), "último lote es más pequeño"),
])
def test_evaluate_explains_typical_mistakes(mistake, expected_text):
    feedback = nb07a.evaluate.evaluate(make_evaluate(**mistake))
    assert feedback.status == "incorrect" and expected_text in feedback.message, feedback.message


def test_evaluate_must_not_train():
    def trains(model, loader, loss_fn, device):
        optimizer = torch.optim.SGD(model.parameters(), 0.1)
        nb07a.train_one_epoch_reference(model, loader, loss_fn, optimizer, device)
        return nb07a.evaluate_reference(model, loader, loss_fn, device)

    feedback = nb07a.evaluate.evaluate(trains)
    assert feedback.status == "incorrect"


# --- El bucle con tf.GradientTape (07b) ---------------------------------------------------


def make_keras_train(training=True, apply=True, average="weighted"):
    def train_one_epoch(model, dataset, loss_fn, optimizer):
        total, seen, losses = 0.0, 0, []
        for images, labels in dataset:
            with tf.GradientTape() as tape:
                loss = loss_fn(labels, model(images, training=training))
            if apply:
                gradients = tape.gradient(loss, model.trainable_variables)
                optimizer.apply_gradients(zip(gradients, model.trainable_variables))
            losses.append(float(loss))
            total += (loss if average == "tensor" else float(loss)) * len(labels)
            seen += len(labels)
        return total / seen if average in ("weighted", "tensor") else sum(losses) / len(losses)
    return train_one_epoch


def make_keras_evaluate(training=False, count=False, predicted=lambda p: p.argmax(axis=1)):
    def evaluate(model, dataset, loss_fn):
        total, correct, seen = 0.0, 0, 0
        for images, labels in dataset:
            probabilities = model(images, training=training)
            total += float(loss_fn(labels, probabilities)) * len(labels)
            correct += int((predicted(probabilities.numpy()) == labels.numpy()).sum())
            seen += len(labels)
        return total / seen, correct if count else correct / seen
    return evaluate


def test_keras_loop_accepts_the_reference():
    assert nb07b.train_one_epoch.evaluate(nb07b.train_one_epoch_reference).correct
    assert nb07b.evaluate.evaluate(nb07b.evaluate_reference).correct
    assert nb07b.train_one_epoch.evaluate(make_keras_train()).correct
    assert "tf.GradientTape()" in nb07b.train_one_epoch.solution_code
    assert nb07b.train_one_epoch.evaluate(____).status == "not_attempted"
    assert nb07b.evaluate.evaluate(____).status == "not_attempted"


@pytest.mark.parametrize("function, expected_text", [
    (make_keras_train(training=False), "training=True"),
    (make_keras_train(apply=False), "apply_gradients"),
    (make_keras_train(average="batches"), "último lote es más pequeño"),
    (make_keras_train(average="tensor"), "float(…)"),
    (make_keras_evaluate(training=True), "training=False"),
    (make_keras_evaluate(count=True), "número de aciertos"),
    # La sonda acierta 7 de 10: contar con max en vez de argmax no cuadra por casualidad.
    (make_keras_evaluate(predicted=lambda p: p.max(axis=1).round()), "lo correcto es 0.7000"),
])
def test_keras_loop_explains_typical_mistakes(function, expected_text):
    exercise = nb07b.train_one_epoch if function.__name__ == "train_one_epoch" else nb07b.evaluate
    feedback = exercise.evaluate(function)
    assert feedback.status == "incorrect" and expected_text in feedback.message, feedback.message
    assert "PyTorch" not in feedback.message, feedback.message   # el bucle es de Keras


# --- La prueba se usa una vez, con el modelo que eligió la validación ---------------------


@pytest.mark.parametrize("notebook, test_data, best_model", [
    ("07a", "test_loader", "predict(best_model, test_loader)"),
    ("07b", "test_ds", "best_model(images, training=False)"),
])
def test_top_k_is_measured_once_on_a_test_split(notebook, test_data, best_model):
    cells = solution_code_cells(notebook)
    defined = [c for c in cells if f"{test_data} = " in c]
    used = [c for c in cells if test_data in c and c not in defined]
    assert len(defined) == 1 and len(used) == 1, "la prueba se define una vez y se usa una vez"
    assert best_model in used[0] and "top_k_accuracy" in used[0]
    assert not any("top_k_accuracy(" in c and "val_labels" in c for c in cells)
    exercise = next(i for i, c in enumerate(cells) if "ex.top_k.check(" in c)
    assert not any(re.search(r"import .*\btop_k_accuracy\b", c) for c in cells[:exercise]), \
        "la versión del curso se importa después del ejercicio 5, no antes"


# --- Los dos cuadernos enseñan lo mismo --------------------------------------------------


@pytest.mark.parametrize("notebook, primer, tracks_top3", [
    ("07a", "## PyTorch en cinco minutos", "top_k=3"),
    ("07b", "## TensorFlow en cinco minutos", 'SparseTopKCategoricalAccuracy(k=3, name="top3")'),
])
def test_both_twins_have_the_primer_track_top3_per_epoch_and_show_the_confused_pairs(notebook, primer,
                                                                                     tracks_top3):
    (path,) = SOLUTIONS.glob(f"{notebook}_*.ipynb")
    headings = [c.source.splitlines()[0] for c in nbformat.read(path, as_version=4).cells if c.cell_type == "markdown"]
    assert headings.index(primer) < headings.index(next(h for h in headings if h.startswith("## 1. "))), \
        "la introducción al marco va antes del apartado 1, en el mismo sitio en los dos gemelos"
    code = "\n".join(solution_code_cells(notebook))
    assert tracks_top3 in code
    assert 'plot_history(history, metrics=("loss", "accuracy", "top3"))' in code
    assert "show_confused_pairs(test_images, test_labels, predictions, class_names, top=4, folder=root)" in code
