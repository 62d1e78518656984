"""Cuadernos 00–04: lo que un estudiante encontró al probarlos no vuelve (issue 11)."""
import re

import nbformat
import pytest

from tools.course import SOLUTIONS


def cells(prefix):
    (path,) = SOLUTIONS.glob(f"{prefix}_*.ipynb")
    return nbformat.read(path, as_version=4).cells


def code(prefix):
    return [cell.source for cell in cells(prefix) if cell.cell_type == "code"]


@pytest.mark.parametrize("prefix", ["00", "01", "02", "03", "04"])
def test_frameworks_are_loaded_by_helpers_start_so_their_warnings_are_silenced(prefix):
    sources = code(prefix)
    start = next(i for i, source in enumerate(sources) if "helpers.start(" in source)
    imports = [i for i, source in enumerate(sources)
               if re.search(r"^\s*(import|from)\s+(keras|tensorflow|torch)\b", source, re.M)]
    if imports:
        assert 'framework="keras"' in sources[start] or 'framework="torch"' in sources[start]
        assert min(imports) > start, "un marco se importa antes de helpers.start(framework=…)"


def test_04_is_a_first_cnn_without_batch_norm_or_learning_rate_schedules():
    source = "\n".join(code("04"))
    for later in ("BatchNormalization", "schedules", "CosineDecay", "warmup"):
        assert later not in source, f"{later} pertenece al cuaderno 05"
    assert "keras.optimizers.Adam(learning_rate=LEARNING_RATE)" in source


def test_04_fast_mode_trains_enough_epochs_to_draw_curves():
    (epochs,) = re.findall(r"EPOCHS = helpers\.pick\(full=(\d+), fast=(\d+)(?:, smoke=(\d+))?\)",
                           "\n".join(code("04")))
    assert int(epochs[1]) >= 3
    assert not epochs[2] or int(epochs[2]) >= 2, "la comprobación del entrenamiento pide dos épocas o más"


def test_04_parameter_exercise_does_not_print_the_answer_before_the_learner_tries():
    sources = code("04")
    exercise = next(i for i, source in enumerate(sources) if "ex.param_counts.check(" in source)
    assert "count_params" not in sources[exercise] and "print(" not in sources[exercise]
    summary = next(i for i, source in enumerate(sources) if "model.summary()" in source)
    assert summary > exercise, "el resumen de Keras da la respuesta: debe ir después del ejercicio"


def test_04_prose_quotes_no_unmeasured_figure_for_the_source_network():
    prose = "\n".join(cell.source for cell in cells("04") if cell.cell_type == "markdown")
    assert "89,9" not in prose and "89.9" not in prose


def test_02_kernel_explorer_chooses_the_text_colour_by_background():
    (explorer,) = [source for source in code("02") if "def plot_kernel_response" in source]
    assert re.search(r'color = "white" if abs\(value\) > .* else "black"', explorer)
    assert "color=color" in explorer


def test_03_counts_convolutions_without_the_classifier_head_that_04_teaches():
    text = "\n".join(cell.source for cell in cells("03")).lower()
    for later in ("dense", "flatten", "neurona", "relu", "softmax", "summary()", "sobreajuste"):
        assert later not in text, f"«{later}» se enseña en el cuaderno 04"
    teaching = "\n".join(cell.source for cell in cells("04")).lower()
    assert "flatten" in teaching and "sin *pooling*" in teaching  # la comparación pasó a 04
