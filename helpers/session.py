"""Preparación de cada cuaderno: semillas, modo rápido y dispositivo de cálculo."""
from __future__ import annotations

import contextlib
import importlib
import importlib.util
import os
import random
import sys
import warnings

import numpy as np

from helpers import framework_errors
from helpers.config import fast_mode, smoke_mode
from helpers.platforms import installed_versions, untested_note

DEFAULT_SEED = 42
#: Desde esta versión, TensorFlow y triton (que PyTorch carga al crear un optimizador, con
#: ``torch.compile`` o al exportar a ONNX) registran las mismas opciones de LLVM: si TensorFlow se
#: carga antes, el núcleo aborta al cargar triton («registered more than once»). Al revés conviven.
TENSORFLOW_CLASHING_WITH_TRITON = "2.20"


def _quiet_frameworks() -> None:
    """Silencia los avisos de arranque de TensorFlow y fija Keras sobre TensorFlow.

    También calla el aviso de Keras 3 «`shuffle=True` was passed…» de cada ``fit`` con un
    ``tf.data.Dataset``: el curso baraja siempre en la canalización de datos, así que el aviso solo confunde.
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    warnings.filterwarnings("ignore", message="`shuffle=True` was passed", category=UserWarning)


def seed_everything(seed: int = DEFAULT_SEED) -> int:
    """Fija la semilla de Python, NumPy y, si ya están importados o instalados, TensorFlow y PyTorch.

    Solo importa TensorFlow o PyTorch si el cuaderno ya los importó; así no se
    cargan marcos que el cuaderno no usa.

    Ejemplo:
        >>> seed_everything(0)
        0
        >>> import numpy as np; float(np.random.rand()) == 0.5488135039273248
        True
    """
    _quiet_frameworks()
    random.seed(seed)
    np.random.seed(seed)
    if "tensorflow" in sys.modules or "keras" in sys.modules:
        import keras

        keras.utils.set_random_seed(seed)  # fija Python, NumPy y TensorFlow
    if "torch" in sys.modules:
        import torch

        torch.manual_seed(seed)
    return seed


def torch_device(verbose: bool = True):
    """Elige el mejor dispositivo para PyTorch (CUDA, luego MPS de Apple, luego CPU) y lo dice.

    Ejemplo:
        >>> device = torch_device(verbose=False)
        >>> device.type in {"cuda", "mps", "cpu"}
        True
    """
    import torch

    if torch.cuda.is_available():
        device = torch.device("cuda")
        description = f"GPU CUDA ({torch.cuda.get_device_name(0)})"
    elif getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available():
        device = torch.device("mps")
        description = "GPU de Apple (MPS)"
    else:
        device = torch.device("cpu")
        description = "CPU (no se encontró GPU; el entrenamiento será más lento)"
    if verbose:
        print(f"Dispositivo de PyTorch: {description}")
    return device


@contextlib.contextmanager
def silenced_native_stderr():
    """Descarta lo que el código C++ escribe directamente en el descriptor 2 (stderr).

    Los avisos de Python (``warnings``, excepciones) no pasan por aquí y se siguen viendo.
    """
    sys.stderr.flush()
    saved, devnull = os.dup(2), os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    try:
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def _triton_clash_warning() -> str | None:
    """El aviso para quien ya cargó un TensorFlow que abortará el núcleo cuando PyTorch cargue triton.

    ``None`` si TensorFlow no está cargado, si triton ya lo está (entonces conviven) o no está
    instalado, o si la versión de TensorFlow no choca con triton.
    """
    tensorflow = sys.modules.get("tensorflow")
    if tensorflow is None or "triton" in sys.modules or importlib.util.find_spec("triton") is None:
        return None
    from packaging.version import Version

    if Version(tensorflow.__version__) < Version(TENSORFLOW_CLASHING_WITH_TRITON):
        return None
    return (f"Aviso: TensorFlow {tensorflow.__version__} ya estaba cargado antes de helpers.start(), y el "
            "núcleo abortará en cuanto PyTorch cargue triton (al crear un optimizador, con torch.compile "
            "o al exportar a ONNX). Reinicia el núcleo (Colab: Entorno de ejecución → Reiniciar sesión; "
            "Kaggle: Run → Restart & clear cell outputs) y ejecuta las celdas en orden, con "
            "helpers.start(...) antes de importar TensorFlow o Keras.")


def _load_triton_first() -> None:
    """Carga triton antes que TensorFlow si está instalado (con PyTorch), para que convivan.

    Ver ``TENSORFLOW_CLASHING_WITH_TRITON``; cuesta unos 0,2 s y no carga PyTorch.
    """
    if "tensorflow" not in sys.modules and importlib.util.find_spec("triton") is not None:
        importlib.import_module("triton")


def _warm_up_xla(tensorflow) -> None:
    """Compila con XLA una convolución diminuta para que sus avisos de una sola vez vayan a parar al
    ``silenced_native_stderr`` de quien llama y no al primer ``fit`` del cuaderno.

    Keras compila con XLA cuando hay GPU (o con ``jit_compile=True``), y XLA escribe entonces, una
    vez por proceso, líneas de C++ en inglés que no piden nada al estudiante y que
    ``TF_CPP_MIN_LOG_LEVEL`` no calla (van por absl, no por el registro de TensorFlow):
    «XLA service … initialized for platform Host» (CUDA en GPU), «StreamExecutor device (0): …» y
    «Compiled cluster using XLA! This line is logged at most once…». Cuesta unos 0,3 s. Donde XLA no
    funciona (la GPU de Apple), Keras tampoco lo usa.
    """
    pixel = tensorflow.ones((1, 1, 1, 1))  # una foto de 1×1 píxel, que sirve también de filtro 1×1
    with contextlib.suppress(tensorflow.errors.OpError):
        tensorflow.function(lambda x: tensorflow.nn.conv2d(x, x, 1, "VALID"), jit_compile=True)(pixel)


def _load_framework(framework: str) -> str:
    """Importa Keras (sobre TensorFlow) o PyTorch y devuelve una línea con sus versiones.

    TensorFlow escribe al importarse avisos de C++ sobre CUDA que no afectan al curso (también
    sin GPU); se importan con esos avisos silenciados, y con ellos se da la primera compilación
    con XLA (``_warm_up_xla``). Antes de TensorFlow se carga triton, si
    está instalado, para que PyTorch pueda usarlo después en el mismo núcleo.
    """
    if framework == "keras":
        _load_triton_first()
        with silenced_native_stderr():
            keras = importlib.import_module("keras")
            tensorflow = importlib.import_module("tensorflow")
            _warm_up_xla(tensorflow)
        # Sin los avisos internos de TensorFlow (p. ej., «triggered tf.function retracing» al
        # recompilar un modelo), que no piden nada al estudiante; los errores siguen saliendo.
        tensorflow.get_logger().setLevel("ERROR")
        return f"Keras {keras.__version__} sobre TensorFlow {tensorflow.__version__}"
    if framework == "torch":
        torch = importlib.import_module("torch")
        return f"PyTorch {torch.__version__}"
    raise ValueError(f"framework debe ser 'keras', 'torch' o None; recibí {framework!r}.")


def start(seed: int = DEFAULT_SEED, framework: str | None = None) -> None:
    """Primera llamada de cada cuaderno: fija semillas, anuncia el modo de ejecución y, en Jupyter,
    explica en español bajo el traceback los errores frecuentes de Keras (``helpers.framework_errors``).

    Parámetros:
        seed: semilla de Python, NumPy y, si se cargan, TensorFlow y PyTorch.
        framework: ``"keras"`` o ``"torch"`` para cargar ya ese marco (y fijar también su
            semilla); ``None`` en los cuadernos que no entrenan redes.

    Ejemplo:
        >>> start()  # doctest: +ELLIPSIS
        Modo ...
    """
    _quiet_frameworks()
    framework_errors.register()  # en Jupyter, explica en español los errores frecuentes de Keras
    clash = _triton_clash_warning()
    if clash:
        print(clash)
    versions = _load_framework(framework) if framework else None
    seed_everything(seed)
    if smoke_mode():
        print("Modo mínimo ACTIVADO (CNN_FAST=smoke): lo justo para ejecutar cada celda, solo "
              "para las pruebas del curso. Los resultados no significan nada.")
    elif fast_mode():
        print("Modo rápido ACTIVADO (CNN_FAST=1): menos épocas, menos datos e imágenes "
              "más pequeñas. Los resultados no son representativos.")
    else:
        print("Modo completo: se usan todos los datos y épocas indicados en el cuaderno.")
    print(f"Semilla aleatoria: {seed}")
    if versions:
        print(versions)
    note = untested_note(installed_versions())
    if note:
        print(note)
