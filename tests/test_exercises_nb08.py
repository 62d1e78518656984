"""Ejercicios de los cuadernos 08a (PyTorch) y 08b (Keras): solución, marcador y errores típicos."""
from pathlib import Path

import keras
import numpy as np
import pytest
import torch
from hint_fixtures import longest_shared_code
from notebook_fixtures import solution_code_cells
from torch.utils.data import DataLoader, TensorDataset

from helpers.exercises import ____, nb08a, nb08b
from helpers.pretrained import IMAGENET_MEAN, IMAGENET_STD
from helpers.training import extract_features, fit


def move_by(breed_of):
    def group(folder):
        folder = Path(folder)
        photos = sorted(folder.glob("*.jpg"))
        for photo in photos:
            (folder / breed_of(photo)).mkdir(exist_ok=True)
            photo.rename(folder / breed_of(photo) / photo.name)
        return len(photos)
    return group


def test_group_by_breed_is_shared_by_both_notebooks():
    assert nb08b.group_by_breed is nb08a.group_by_breed
    assert nb08a.group_by_breed.evaluate(move_by(lambda p: p.stem.rsplit("_", 1)[0])).correct
    assert nb08a.group_by_breed.evaluate(____).status == "not_attempted"


@pytest.mark.parametrize("function, expected_text", [
    (lambda folder: move_by(lambda p: p.stem.rsplit("_", 1)[0])(folder) and None, "no devuelve nada"),
    (lambda folder: move_by(lambda p: p.stem.rsplit("_", 1)[0])(folder) - 1, "cuántas fotos"),
    (move_by(lambda p: p.stem.split("_")[0]), "rsplit"),
    (lambda folder: [(Path(folder) / p.stem.rsplit("_", 1)[0]).mkdir(exist_ok=True)
                     for p in Path(folder).glob("*.jpg")], "sueltas"),
    (move_by(lambda p: p.stem.rsplit("_", 1)[0].lower()), "carpetas creadas"),
])
def test_group_by_breed_explains_mistakes(function, expected_text):
    feedback = nb08a.group_by_breed.evaluate(function)
    assert feedback.status == "incorrect" and expected_text in feedback.message


def test_denormalize_inverts_imagenet_normalization():
    mean, std = torch.tensor(IMAGENET_MEAN).view(1, 3, 1, 1), torch.tensor(IMAGENET_STD).view(1, 3, 1, 1)
    pixels = torch.rand(2, 3, 4, 4)
    torch.testing.assert_close(nb08a.denormalize_reference((pixels - mean) / std), pixels)
    assert nb08a.denormalize.evaluate(nb08a.denormalize_reference).correct
    assert nb08a.denormalize.evaluate(____).status == "not_attempted"
    again = nb08a.denormalize.evaluate(lambda x: (x - mean) / std)
    assert again.status == "incorrect" and "vuelto a normalizar" in again.message
    flat = nb08a.denormalize.evaluate(lambda x: x * torch.tensor(IMAGENET_STD) + torch.tensor(IMAGENET_MEAN))
    assert flat.status == "incorrect" and "(1, 3, 1, 1)" in flat.message  # se empareja con el ancho


def test_preprocess_matches_keras_applications():
    pixels = np.random.default_rng(0).random((1, 4, 4, 3)).astype(np.float32) * 255
    expected = keras.applications.mobilenet_v2.preprocess_input(pixels.copy())
    np.testing.assert_allclose(pixels / 127.5 - 1, expected, atol=1e-5)
    assert nb08b.preprocess.evaluate(lambda x: x / 127.5 - 1).correct
    assert nb08b.preprocess.evaluate(____).status == "not_attempted"
    assert "[0, 1]" in nb08b.preprocess.evaluate(lambda x: x / 255).message
    assert "torchvision" in nb08b.preprocess.evaluate(
        lambda x: (x / 255 - np.array(IMAGENET_MEAN)) / np.array(IMAGENET_STD)).message


def test_fine_tuning_quiz():
    assert nb08b.fine_tuning is nb08a.fine_tuning
    assert nb08a.fine_tuning.evaluate("b").correct
    for letter in "acd":
        assert nb08a.fine_tuning.evaluate(letter).status == "incorrect"
    assert "cabeza sigue en el optimizador" in nb08a.fine_tuning.evaluate("d").message


def markdown_cell(notebook, start):
    """La única celda de texto del cuaderno de soluciones que contiene ``start``."""
    import json

    path = Path(__file__).parents[1] / "solutions" / f"{notebook}.ipynb"
    cells = ["".join(c["source"]) for c in json.loads(path.read_text())["cells"] if c["cell_type"] == "markdown"]
    (text,) = [c for c in cells if start in c]
    return text


def quiz_options(notebook):
    """Las opciones a)–d) del ejercicio 4 tal como las lee quien aprende."""
    import re

    text = markdown_cell(notebook, "**Ejercicio 4.**")
    return {m[1]: " ".join(m[2].split()) for m in re.finditer(r"- \*\*(\w)\)\*\* (.*?)(?=\n- \*\*|\Z)", text, re.S)}


def test_fine_tuning_options_are_alike_and_the_same_in_both_twins():
    """La opción b era la única larga y detallada: se delataba sola. Ahora las cuatro se parecen."""
    options = quiz_options("08a_transferencia_pytorch")
    assert options == quiz_options("08b_transferencia_keras")
    assert sorted(options) == list("abcd")
    lengths = [len(text) for text in options.values()]
    assert max(lengths) < 1.3 * min(lengths), options


def test_both_twins_read_the_table_and_the_fine_tuning_curves_the_same_way():
    """El 08a decía «la tasa es alta o hay pocas fotos» y el 08b «baja la tasa o descongela menos
    capas» ante las mismas curvas: los gemelos enseñan una sola receta, con las mismas referencias."""
    texts = [markdown_cell(name, "Lee la tabla con cuidado").split("## 7.")[0]
             for name in ("08a_transferencia_pytorch", "08b_transferencia_keras")]
    assert texts[0] == texts[1]
    assert all(source in texts[0] for source in ("Parkhi", "2012)", "fastbook", "descongela menos bloques"))


# --- Congelar y descongelar en PyTorch (08a) ----------------------------------------------


def freeze_then_head(model, n_classes):
    model.features.requires_grad_(False)
    model.classifier[-1] = torch.nn.Linear(1280, n_classes)
    return model


def test_feature_extraction_accepts_the_reference_and_an_equivalent():
    assert nb08a.feature_extraction.evaluate(nb08a.prepare_feature_extraction_reference).correct
    assert nb08a.feature_extraction.evaluate(freeze_then_head).correct
    assert nb08a.feature_extraction.evaluate(____).status == "not_attempted"
    assert nb08a.feature_extraction.evaluate(lambda model, n: ____).status == "not_attempted"


def head_then_freeze_all(model, n_classes):
    model.classifier[-1] = torch.nn.Linear(1280, n_classes)
    return model.requires_grad_(False)


def head_only(model, n_classes):
    model.classifier[-1] = torch.nn.Linear(1280, n_classes)
    return model


def freeze_first_blocks(model, n_classes):
    model.features[:10].requires_grad_(False)
    model.classifier[-1] = torch.nn.Linear(1280, n_classes)
    return model


def bare_linear_head(model, n_classes):
    model.features.requires_grad_(False)
    model.classifier = torch.nn.Linear(1280, n_classes)
    return model


def dropout_head(rate):
    def prepare(model, n_classes):
        model.features.requires_grad_(False)
        model.classifier = torch.nn.Sequential(torch.nn.Dropout(rate), torch.nn.Linear(1280, n_classes))
        return model
    return prepare


def test_feature_extraction_accepts_a_rebuilt_head_with_the_same_dropout():
    assert nb08a.feature_extraction.evaluate(dropout_head(0.2)).correct


@pytest.mark.parametrize("function, expected_text", [
    (dropout_head(0.5), "Dropout(0.2)"),
    (head_then_freeze_all, "capa nueva"),
    (head_only, "base sigue entrenable"),
    (freeze_first_blocks, "features.10"),
    (lambda model, n: model.features.requires_grad_(False) and model, "1000"),
    (lambda model, n: freeze_then_head(model, n) and None, "return model"),
    (bare_linear_head, "capa"),
])
def test_feature_extraction_explains_mistakes(function, expected_text):
    feedback = nb08a.feature_extraction.evaluate(function)
    assert feedback.status == "incorrect" and expected_text in feedback.message, feedback.message


def unfreeze(start, stop=None, optimizer_params="trainable", lr=None, normalization=False,
             optimizer=torch.optim.Adam):
    def prepare(model, first_block, learning_rate):
        begin = first_block if start is None else start
        model.features[begin:stop].requires_grad_(True)
        for module in model.features.modules():
            if not normalization and isinstance(module, torch.nn.BatchNorm2d):
                module.requires_grad_(False)
        params = {"trainable": [p for p in model.parameters() if p.requires_grad],
                  "head": list(model.classifier.parameters())}[optimizer_params]
        return optimizer(params, lr=lr or learning_rate)
    return prepare


def test_fine_tuning_setup_accepts_the_reference():
    assert nb08a.fine_tuning_setup.evaluate(nb08a.prepare_fine_tuning_reference).correct
    assert nb08a.fine_tuning_setup.evaluate(unfreeze(None)).correct
    assert nb08a.fine_tuning_setup.evaluate(____).status == "not_attempted"


@pytest.mark.parametrize("function, expected_text", [
    (unfreeze(0), "toda la base"),
    (unfreeze(10), "anteriores a first_block"),
    (unfreeze(None, stop=-1), "siguen congelados features.18"),
    (unfreeze(15), "features.14"),
    (unfreeze(None, optimizer_params="head"), "el optimizador no recibe"),
    (unfreeze(None, lr=1e-4), "learning_rate"),
    (lambda model, first_block, learning_rate: None, "devolver el optimizador"),
    (unfreeze(None, normalization=True), "BatchNorm2d"),
    (unfreeze(None, optimizer=torch.optim.SGD), "SGD"),
    (unfreeze(None, optimizer=torch.optim.AdamW), "AdamW"),
    (lambda model, first_block, learning_rate: unfreeze(None)(model.classifier.requires_grad_(False)
                                                             and model, first_block, learning_rate),
     "la cabeza también"),
])
def test_fine_tuning_setup_explains_mistakes(function, expected_text):
    feedback = nb08a.fine_tuning_setup.evaluate(function)
    assert feedback.status == "incorrect" and expected_text in feedback.message, feedback.message


# --- Congelar y descongelar en Keras (08b) ------------------------------------------------


def keras_head(base, n_classes, activation=None, freeze=True, pooling=True, rate=0.2):
    base.trainable = not freeze
    pool = keras.layers.GlobalAveragePooling2D() if pooling else keras.layers.Flatten()
    return keras.Sequential([keras.Input(shape=base.output_shape[1:]), pool, keras.layers.Dropout(rate),
                             keras.layers.Dense(n_classes, activation=activation)])


def test_keras_feature_extraction_accepts_the_reference():
    assert nb08b.feature_extraction.evaluate(nb08b.feature_extraction_head_reference).correct
    assert nb08b.feature_extraction.evaluate(keras_head).correct
    assert nb08b.feature_extraction.evaluate(____).status == "not_attempted"


@pytest.mark.parametrize("function, expected_text", [
    (lambda base, n: keras_head(base, n, freeze=False), "base.trainable = False"),
    (lambda base, n: keras_head(base, n, activation="softmax"), "logits"),
    (lambda base, n: keras_head(base, 1000), "(5,)"),
    (lambda base, n: keras_head(base, n, pooling=False), "GlobalAveragePooling2D"),
    (lambda base, n: keras_head(base, n, rate=0.5), "Dropout(0.2)"),
    (lambda base, n: keras_head(base, n, activation="relu"), "relu"),
    (lambda base, n: keras_head(base, n) and None, "devolver la cabeza"),
])
def test_keras_feature_extraction_explains_mistakes(function, expected_text):
    feedback = nb08b.feature_extraction.evaluate(function)
    assert feedback.status == "incorrect" and expected_text in feedback.message, feedback.message


def keras_unfreeze(set_base=True, skip_normalization=True, start_at="block_13_expand"):
    def unfreeze(base, first_layer):
        if set_base:
            base.trainable = True
        unfrozen = False
        for layer in base.layers:
            unfrozen = unfrozen or layer.name == start_at
            normalization = isinstance(layer, keras.layers.BatchNormalization)
            layer.trainable = unfrozen and not (skip_normalization and normalization)
        return base
    return unfreeze


def test_keras_unfreeze_accepts_the_reference():
    assert nb08b.unfreeze_from.evaluate(nb08b.unfreeze_from_reference).correct
    assert nb08b.unfreeze_from.evaluate(keras_unfreeze()).correct
    assert nb08b.unfreeze_from.evaluate(lambda base, first_layer: ____).status == "not_attempted"


@pytest.mark.parametrize("function, expected_text", [
    (keras_unfreeze(set_base=False), "base.trainable = True"),
    (keras_unfreeze(skip_normalization=False), "BatchNormalization"),
    (keras_unfreeze(start_at="block_10_expand"), "anteriores a block_13_expand"),
    (keras_unfreeze(start_at="block_15_expand"), "siguen congeladas"),
    (lambda base, first_layer: None, "return base"),
])
def test_keras_unfreeze_explains_mistakes(function, expected_text):
    feedback = nb08b.unfreeze_from.evaluate(function)
    assert feedback.status == "incorrect" and expected_text in feedback.message, feedback.message


# --- La prueba mide la mejor época, y Grad-CAM usa logits --------------------------------


@pytest.mark.parametrize("notebook, test_data, reload", [
    ("08a", "predict(model, test_loader)", 'load_weights(model, "models/08a_razas/ajuste_fino.pt"'),
    ("08b", "evaluate(test_ds", 'model.load_weights("models/08b_razas/ajuste_fino.weights.h5")'),
])
def test_the_test_split_measures_the_best_fine_tuning_checkpoint(notebook, test_data, reload):
    cells = solution_code_cells(notebook)
    (test_cell,) = [c for c in cells if test_data in c]
    assert test_cell.index(reload) < test_cell.index(test_data)
    checkpoint = reload.split('"')[1]
    (fine_tuning,) = [c for c in cells if "fine_history = " in c]
    assert checkpoint in fine_tuning, "la prueba carga el punto de control que guardó el ajuste fino"


def test_keras_grad_cam_head_gives_logits():
    cells = solution_code_cells("08b")
    assert any("compile_for(model, 1e-3, from_logits=True)" in c for c in cells)
    assert any("compile_for(model, 1e-4, from_logits=True)" in c for c in cells)
    head = nb08b.feature_extraction_head_reference(
        keras.applications.MobileNetV2(input_shape=(32, 32, 3), include_top=False, weights=None), 4)
    assert head.layers[-1].activation.__name__ == "linear"


# --- Una receta en los dos 08: BatchNorm de la base en modo evaluación al ajustar -------------


def notebook_function(notebook, name):
    """La función ``name`` tal como la define el cuaderno de soluciones."""
    import ast

    for source in solution_code_cells(notebook):
        for node in ast.parse(source).body:
            if isinstance(node, ast.FunctionDef) and node.name == name:
                namespace = {}
                exec(compile(ast.Module([node], []), notebook, "exec"), namespace)
                return namespace[name]
    raise AssertionError(f"el cuaderno {notebook} no define {name}")


def batchnorm_state(model):
    return {name: torch.cat([module.running_mean, module.running_var, module.weight]).clone()
            for name, module in model.named_modules() if isinstance(module, torch.nn.BatchNorm2d)}


def shifted_batches(n=8, size=32):
    torch.manual_seed(1)
    images = torch.randn(n, 3, size, size) * 3 + 2        # lejos de las estadísticas guardadas
    return DataLoader(TensorDataset(images, torch.arange(n) % 3), batch_size=4)


def test_torch_fine_tuning_keeps_batchnorm_statistics_of_the_base():
    from torchvision.models import mobilenet_v2

    torch.manual_seed(0)
    model = nb08a.prepare_feature_extraction_reference(mobilenet_v2(weights=None), 3)
    optimizer = nb08a.prepare_fine_tuning_reference(model, 14, 1e-2)
    before, conv = batchnorm_state(model), model.features[17].conv[0][0].weight.clone()
    fit(model, shifted_batches(), epochs=1, optimizer=optimizer,
        train_mode=notebook_function("08a", "train_mode"), progress=False, verbose=False)
    for name, state in batchnorm_state(model).items():
        torch.testing.assert_close(state, before[name], msg=name)
    assert not torch.equal(model.features[17].conv[0][0].weight, conv)   # el bloque 17 sí aprende
    fit(model, shifted_batches(), epochs=1, optimizer=optimizer, progress=False, verbose=False)
    assert any(not torch.equal(state, before[name])                     # con model.train(), cambian
               for name, state in batchnorm_state(model).items())


def test_keras_fine_tuning_keeps_batchnorm_statistics_of_the_base():
    keras.utils.set_random_seed(0)
    base = keras.applications.MobileNetV2(input_shape=(32, 32, 3), include_top=False, weights=None)
    head = nb08b.feature_extraction_head_reference(base, 3)
    nb08b.unfreeze_from_reference(base, "block_13_expand")
    model = keras.Sequential([keras.Input(shape=(32, 32, 3)), base, head])
    model.compile(optimizer=keras.optimizers.Adam(1e-2),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    normalization = [layer for layer in base.layers if isinstance(layer, keras.layers.BatchNormalization)]
    before = [w.numpy().copy() for layer in normalization for w in layer.weights]
    conv = base.get_layer("block_15_expand").kernel.numpy().copy()
    images = np.random.default_rng(1).normal(2, 3, (8, 32, 32, 3)).astype("float32")
    model.fit(images, np.arange(8) % 3, batch_size=4, epochs=1, verbose=0)
    for old, new in zip(before, [w.numpy() for layer in normalization for w in layer.weights]):
        np.testing.assert_array_equal(new, old)
    assert not np.array_equal(base.get_layer("block_15_expand").kernel.numpy(), conv)


# --- Características en caché: la misma cabeza da lo mismo que el modelo completo ----------


def test_torch_cached_features_and_end_to_end_head_agree():
    from torchvision.models import mobilenet_v2

    torch.manual_seed(0)
    model = nb08a.prepare_feature_extraction_reference(mobilenet_v2(weights=None), 4).eval()
    images = torch.randn(6, 3, 64, 64)
    encoder = torch.nn.Sequential(model.features, torch.nn.AdaptiveAvgPool2d(1), torch.nn.Flatten())
    features, labels = extract_features(encoder, DataLoader(TensorDataset(images, torch.arange(6)),
                                                             batch_size=4))
    assert labels.tolist() == list(range(6))
    head = torch.nn.Sequential(torch.nn.Dropout(0.2), torch.nn.Linear(features.shape[1], 4)).eval()
    head.load_state_dict(model.classifier.state_dict())
    with torch.no_grad():
        torch.testing.assert_close(head(features), model(images), atol=1e-4, rtol=1e-4)


def test_keras_cached_features_and_end_to_end_head_agree():
    keras.utils.set_random_seed(0)
    base = keras.applications.MobileNetV2(input_shape=(32, 32, 3), include_top=False, weights=None)
    head = nb08b.feature_extraction_head_reference(base, 4)
    features = keras.Sequential([keras.Input(shape=(32, 32, 3)),
                                 keras.layers.Rescaling(1 / 127.5, offset=-1), base])
    model = keras.Sequential([keras.Input(shape=(32, 32, 3)), features, head])
    pooled = keras.Sequential([features, keras.layers.GlobalAveragePooling2D()])
    cached_head = keras.Sequential([keras.Input(shape=(1280,)), keras.layers.Dropout(0.2),
                                    keras.layers.Dense(4)])
    cached_head.layers[-1].set_weights(head.layers[-1].get_weights())
    images = np.random.default_rng(2).uniform(0, 255, (6, 32, 32, 3)).astype("float32")
    np.testing.assert_allclose(cached_head.predict(pooled.predict(images, verbose=0), verbose=0),
                               model.predict(images, verbose=0), atol=1e-4, rtol=1e-4)


def test_keras_3_fit_overrides_training_false_so_08b_freezes_each_batchnorm():
    """El 08b explica que `base(x, training=False)` (la receta de la guía de Keras) no basta en
    Keras 3: con la base entrenable, fit llama con training=True y las estadísticas cambian
    (keras-team/keras#20285). Si una versión de Keras lo corrige, esta prueba avisa de que el
    texto del 08b ha quedado viejo."""
    keras.utils.set_random_seed(0)
    base = keras.applications.MobileNetV2(input_shape=(32, 32, 3), include_top=False, weights=None)
    inputs = keras.Input(shape=(32, 32, 3))
    outputs = keras.layers.Dense(3)(keras.layers.GlobalAveragePooling2D()(base(inputs, training=False)))
    model = keras.Model(inputs, outputs)
    base.trainable = True
    model.compile(optimizer=keras.optimizers.Adam(1e-2),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    normalization = [layer for layer in base.layers if isinstance(layer, keras.layers.BatchNormalization)]
    before = [layer.moving_mean.numpy().copy() for layer in normalization]
    images = np.random.default_rng(1).normal(2, 3, (8, 32, 32, 3)).astype("float32")
    model.fit(images, np.arange(8) % 3, batch_size=4, epochs=1, verbose=0)
    assert any(not np.array_equal(old, layer.moving_mean.numpy()) for old, layer in zip(before, normalization))
    text = "".join(solution_code_cells("08b"))
    assert "not layer.trainable for layer in normalization" in text   # el 08b lo muestra al ajustar


@pytest.mark.parametrize("exercise", [
    nb08a.group_by_breed, nb08a.denormalize, nb08a.feature_extraction, nb08a.fine_tuning,
    nb08a.fine_tuning_setup, nb08b.preprocess, nb08b.feature_extraction, nb08b.unfreeze_from],
    ids=["group_by_breed", "denormalize", "feature_extraction_08a", "fine_tuning", "fine_tuning_setup",
         "preprocess", "feature_extraction_08b", "unfreeze_from"])
def test_hints_come_in_two_steps_and_never_copy_the_solution(exercise):
    """La pista 2 de fine_tuning_setup nombraba cada pieza de la solución y la de la cabeza de
    Keras copiaba 14 símbolos seguidos: la pista orienta, el código lo escribe quien aprende."""
    assert len(exercise.hints) == 2 and exercise.hints[0] != exercise.hints[1]
    assert all(longest_shared_code(hint, exercise.solution_code) < 10 for hint in exercise.hints)
