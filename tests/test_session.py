"""Semillas y dispositivo: dos ejecuciones con la misma semilla dan los mismos números."""
import os
import subprocess
import sys

import pytest

import helpers

pytestmark = pytest.mark.integration  # arranca intérpretes aparte con TensorFlow y PyTorch

PROBE = """
import torch, keras, numpy as np
import helpers

def draw():
    helpers.seed_everything(7)
    return (float(np.random.rand()), float(torch.rand(1)), float(keras.random.uniform((1,))[0]))
first, second = draw(), draw()
assert first == second, (first, second)
print(helpers.torch_device(verbose=False).type)
"""


def test_seed_everything_makes_numpy_torch_and_keras_repeatable():
    env_code = "import os; os.environ['KERAS_BACKEND'] = 'tensorflow'; os.environ['TF_CPP_MIN_LOG_LEVEL'] = '3'\n"
    out = subprocess.run([sys.executable, "-c", env_code + PROBE], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().splitlines()[-1] in {"cpu", "cuda", "mps"}


def test_start_announces_the_mode(monkeypatch, capsys):
    monkeypatch.setenv("CNN_FAST", "1")
    helpers.start()
    assert "Modo rápido ACTIVADO" in capsys.readouterr().out
    monkeypatch.setenv("CNN_FAST", "smoke")
    helpers.start()
    assert "Modo mínimo ACTIVADO" in capsys.readouterr().out
    monkeypatch.setenv("CNN_FAST", "0")
    helpers.start()
    assert "Modo completo" in capsys.readouterr().out


def test_interactive_is_false_in_automatic_runs(monkeypatch):
    from helpers.config import interactive

    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("CNN_HEADLESS", raising=False)
    assert interactive()
    monkeypatch.setenv("CNN_HEADLESS", "1")
    assert not interactive()
    monkeypatch.delenv("CNN_HEADLESS")
    monkeypatch.setenv("CI", "true")
    assert not interactive()


NOISE = "Unable to register cuDNN factory"


def test_start_with_keras_hides_tensorflow_cpp_noise_but_not_python_output():
    base = "import os; os.environ['TF_CPP_MIN_LOG_LEVEL'] = '3'\n"
    plain = subprocess.run([sys.executable, "-c", base + "import keras"], capture_output=True, text=True)
    started = subprocess.run(
        [sys.executable, "-c", base + "import sys, helpers\nhelpers.start(framework='keras')\n"
         "print('aviso visible', file=sys.stderr)\nimport keras; print(keras.__version__)"],
        capture_output=True, text=True)
    assert started.returncode == 0, started.stderr[-2000:]
    assert "Keras " in started.stdout and "TensorFlow " in started.stdout
    assert "aviso visible" in started.stderr  # stderr vuelve a funcionar tras la importación
    if NOISE in plain.stderr:  # solo comprobable donde TensorFlow hace ese ruido
        assert NOISE not in started.stderr


XLA_NOISE = "Compiled cluster using XLA"
#: La primera compilación con XLA (Keras la usa si hay GPU o con ``jit_compile=True``) y un error del estudiante.
XLA_FIT = """
import numpy as np, keras
model = keras.Sequential([keras.Input((4, 4, 1)), keras.layers.Conv2D(2, 3), keras.layers.Flatten(),
                          keras.layers.Dense(2)])
model.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True), jit_compile=True)
model.fit(np.ones((8, 4, 4, 1)), np.zeros(8), verbose=0)
print("entrenado")
model.fit(np.ones((8, 4, 4, 1)), np.zeros(7), verbose=0)
"""


def test_start_with_keras_hides_the_xla_lines_of_the_first_fit_but_not_errors():
    """Las líneas de XLA van por absl: ``TF_CPP_MIN_LOG_LEVEL=3`` no las calla, ``helpers.start`` sí (issue 26)."""
    learner = {name: value for name, value in os.environ.items() if name != "TF_CPP_MIN_LOG_LEVEL"}
    plain = subprocess.run([sys.executable, "-c", "import os; os.environ['TF_CPP_MIN_LOG_LEVEL'] = '3'\n" + XLA_FIT],
                           capture_output=True, text=True)
    started = subprocess.run([sys.executable, "-c", "import helpers\nhelpers.start(framework='keras')\n" + XLA_FIT],
                             capture_output=True, text=True, env=learner)
    assert "entrenado" in started.stdout, started.stderr[-2000:]
    assert started.returncode == 1 and "Data cardinality is ambiguous" in started.stderr  # el error sí se ve
    if XLA_NOISE in plain.stderr:  # solo comprobable donde XLA hace ese ruido
        assert XLA_NOISE not in started.stderr and "XLA service" not in started.stderr, started.stderr


def test_start_rejects_unknown_frameworks():
    import pytest

    with pytest.raises(ValueError, match="'keras', 'torch' o None"):
        helpers.start(framework="jax")


def test_start_silences_only_the_keras_shuffle_notice(capsys):
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        helpers.start()
        warnings.warn("`shuffle=True` was passed, but will be ignored since the data `x` was "
                      "provided as a tf.data.Dataset.", UserWarning, stacklevel=1)
        warnings.warn("otro aviso que sí importa", UserWarning, stacklevel=1)
    assert [str(w.message) for w in caught] == ["otro aviso que sí importa"]


def test_start_with_keras_loads_triton_before_tensorflow():
    """TensorFlow ≥ 2.20 cargado antes que triton aborta el núcleo cuando PyTorch carga triton (issue 31)."""
    probe = ("import importlib.util, sys, helpers\nhelpers.start(framework='keras')\n"
             "loaded = list(sys.modules)\n"
             "print(importlib.util.find_spec('triton') is None or loaded.index('triton') < loaded.index('tensorflow'))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().splitlines()[-1] == "True"


def test_start_warns_in_spanish_when_a_clashing_tensorflow_is_already_loaded(monkeypatch):
    import importlib.util
    import types

    monkeypatch.delitem(sys.modules, "triton", raising=False)
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *args: object() if name == "triton" else None)
    for version, warned in (("2.21.0", True), ("2.20.1", True), ("2.19.0", False)):
        monkeypatch.setitem(sys.modules, "tensorflow", types.SimpleNamespace(__version__=version))
        assert (helpers.session._triton_clash_warning() is not None) == warned, version
    monkeypatch.setitem(sys.modules, "triton", types.ModuleType("triton"))  # cargado antes: conviven
    monkeypatch.setitem(sys.modules, "tensorflow", types.SimpleNamespace(__version__="2.21.0"))
    assert helpers.session._triton_clash_warning() is None
    monkeypatch.delitem(sys.modules, "triton")
    message = helpers.session._triton_clash_warning()
    assert "TensorFlow 2.21.0 ya estaba cargado" in message and "Reinicia el núcleo" in message


def test_start_notes_framework_versions_outside_the_version_span(monkeypatch, capsys):
    from helpers import platforms

    monkeypatch.setattr(helpers.session, "installed_versions", lambda: {"tensorflow": "2.22.0",
                                                                        "torch": "2.14.1+cu128"})
    helpers.start()
    out = capsys.readouterr().out
    tested = platforms.version_span("tensorflow")
    assert f"este entorno trae TensorFlow 2.22.0; el curso se probó con TensorFlow {tested}" in out
    assert "PyTorch" not in out
    monkeypatch.setattr(helpers.session, "installed_versions", lambda: dict(
        (name, high) for name, (_, high) in platforms.TESTED.items()))
    helpers.start()
    assert "Nota:" not in capsys.readouterr().out


def test_start_registers_the_spanish_explanations_of_framework_errors_in_ipython(capsys):
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    try:
        helpers.start()
        shell.run_cell("raise ValueError('You must call `compile()` before using the model.')")
        out = capsys.readouterr().out
        assert "ValueError" in out and "el modelo no está compilado" in out
    finally:
        shell.set_custom_exc((), None)
