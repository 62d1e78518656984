"""Qué tan cerca del límite de la máquina entrena una red: operaciones, imágenes/s y GFLOP/s.

Medidas que se comparan entre sí en la misma máquina y en la misma ejecución:

- ``model_flops``: las operaciones de coma flotante (FLOP) que cuesta **una** imagen hacia
  delante, contadas capa a capa (convoluciones y densas; el resto es despreciable);
- ``matmul_gflops``: los GFLOP/s que alcanza una multiplicación de matrices grande, el cálculo
  más eficiente que sabe hacer la biblioteca: sirve de techo práctico de la máquina;
- ``training_speed``: imágenes por segundo al entrenar y al predecir, y los GFLOP/s que eso
  supone. Entrenar cuesta unas tres pasadas hacia delante (la de ida y dos de vuelta: los
  gradientes respecto de las entradas y respecto de los pesos);
- ``op_times`` y ``time_by_kind``: en qué se va el tiempo de un paso de entrenamiento
  (convoluciones de ida y de vuelta, *pooling*, el resto), medido con el perfilador de TensorFlow.

TensorFlow y Keras se importan solo al llamar a las funciones.
"""
from __future__ import annotations

import math
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["OP_KINDS", "TRAINING_PASSES", "matmul_gflops", "model_flops", "op_times",
           "time_by_kind", "training_speed"]

#: Un paso de entrenamiento cuesta unas tres pasadas hacia delante (ida, y vuelta hacia las
#: entradas y hacia los pesos).
TRAINING_PASSES = 3

#: Tipo de operación de TensorFlow → qué parte del entrenamiento es. Lo que no está aquí va a
#: «resto» (normalización, activaciones, pérdida, optimizador, aumento de datos…).
OP_KINDS = {
    "Conv2D": "convolución, ida",
    "_FusedConv2D": "convolución, ida",            # con el sesgo y la activación fundidos
    "Conv2DBackpropInput": "convolución, vuelta hacia las entradas",
    "Conv2DBackpropFilter": "convolución, vuelta hacia los pesos",
    "MaxPool": "pooling, ida y vuelta",
    "MaxPoolGrad": "pooling, ida y vuelta",
    "AvgPool": "pooling, ida y vuelta",
    "AvgPoolGrad": "pooling, ida y vuelta",
}
OTHER_KIND = "resto"


def model_flops(model: Any) -> int:
    """FLOP de una pasada hacia delante de **una** imagen por las ``Conv2D`` y ``Dense`` de ``model``.

    Cada multiplicación-suma cuenta como 2 FLOP. Una ``Conv2D`` hace
    ``alto_salida · ancho_salida · k_alto · k_ancho · canales_entrada · filtros`` multiplicaciones
    (dividido entre los grupos si los tiene); una ``Dense``, ``entradas · neuronas`` por cada
    posición. Recorre también los modelos anidados.

    Ejemplo:
        >>> import keras                                                         # doctest: +SKIP
        >>> net = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Conv2D(32, 3),
        ...                         keras.layers.Flatten(), keras.layers.Dense(10)])  # doctest: +SKIP
        >>> model_flops(net)   # 2·(26·26·3·3·1·32 + 21632·10)                  # doctest: +SKIP
        821504
    """
    from keras import layers

    total = 0
    for layer in model.layers:
        if hasattr(layer, "layers"):
            total += model_flops(layer)
        elif isinstance(layer, layers.Conv2D):
            out_h, out_w = _spatial(layer.output.shape)
            k_h, k_w, in_per_group, filters = layer.kernel.shape
            total += 2 * out_h * out_w * k_h * k_w * in_per_group * filters
        elif isinstance(layer, layers.Dense):
            inputs, units = layer.kernel.shape
            positions = math.prod(layer.output.shape[1:-1])
            total += 2 * positions * inputs * units
    return int(total)


def _spatial(shape: tuple) -> tuple[int, int]:
    """Alto y ancho de una salida ``(None, alto, ancho, canales)``."""
    return int(shape[1]), int(shape[2])


def matmul_gflops(size: int = 1024, seconds: float = 2.0) -> float:
    """GFLOP/s de multiplicaciones ``float32`` de ``size × size`` con TensorFlow, durante ``seconds``.

    Es la misma biblioteca que usa Keras para entrenar, y la multiplicación de matrices grandes es
    lo más eficiente que sabe hacer: el techo práctico con el que comparar un entrenamiento.
    Devuelve la mejor de las repeticiones (la menos afectada por otros programas).

    Ejemplo:
        >>> peak = matmul_gflops(size=512, seconds=0.2)                          # doctest: +SKIP
        >>> peak > 1                                                             # doctest: +SKIP
        True
    """
    import tensorflow as tf

    rng = np.random.default_rng(0)
    a = tf.constant(rng.random((size, size), dtype=np.float32))
    b = tf.constant(rng.random((size, size), dtype=np.float32))
    multiply = tf.function(lambda: tf.reduce_sum(tf.linalg.matmul(a, b)))
    multiply().numpy()  # la primera llamada construye el grafo
    best, deadline = 0.0, time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        start = time.perf_counter()
        multiply().numpy()
        best = max(best, 2 * size**3 / (time.perf_counter() - start) / 1e9)
    return best


def training_speed(model: Any, x: np.ndarray, y: np.ndarray, batch_size: int,
                   steps: int = 20) -> dict[str, float]:
    """Imágenes/s y GFLOP/s de ``model`` (ya compilado) al entrenar y al predecir lotes de ``x``.

    Hace ``steps`` pasos con lotes de ``batch_size`` tomados de ``x`` e ``y`` (tras un paso de
    calentamiento que no cuenta) y devuelve ``entrenar_img_s``, ``predecir_img_s``,
    ``entrenar_gflops`` y ``predecir_gflops``. **Cambia los pesos**: mídelo con una copia o
    antes de entrenar de verdad.

    Ejemplo:
        >>> speed = training_speed(model, x_train, y_train, batch_size=256)     # doctest: +SKIP
        >>> speed["entrenar_gflops"] / matmul_gflops()                           # doctest: +SKIP
        0.4
    """
    batch_x, batch_y = _first_batch(x, y, batch_size)
    model.train_on_batch(batch_x, batch_y)
    model.predict_on_batch(batch_x)
    start = time.perf_counter()
    for _ in range(steps):
        model.train_on_batch(batch_x, batch_y)
    train_seconds = time.perf_counter() - start
    start = time.perf_counter()
    for _ in range(steps):
        model.predict_on_batch(batch_x)
    predict_seconds = time.perf_counter() - start
    images = steps * batch_size
    flops = model_flops(model)
    return {
        "entrenar_img_s": images / train_seconds,
        "predecir_img_s": images / predict_seconds,
        "entrenar_gflops": images * TRAINING_PASSES * flops / train_seconds / 1e9,
        "predecir_gflops": images * flops / predict_seconds / 1e9,
    }


def op_times(model: Any, x: np.ndarray, y: np.ndarray, batch_size: int,
             steps: int = 10) -> dict[str, float]:
    """Segundos de CPU por tipo de operación de TensorFlow en ``steps`` pasos de entrenamiento.

    Entrena ``model`` (ya compilado) con un lote fijo de ``x`` e ``y`` bajo el perfilador de
    TensorFlow y suma la duración de cada operación en todos los hilos, por tipo (``Conv2D``,
    ``Conv2DBackpropFilter``, ``Mul``…), de mayor a menor. Con varios núcleos la suma puede
    pasar del tiempo de reloj. **Cambia los pesos**, como ``training_speed``.

    Ejemplo:
        >>> times = op_times(model, x_train, y_train, batch_size=256)            # doctest: +SKIP
        >>> next(iter(times))                                                    # doctest: +SKIP
        'Conv2DBackpropInput'
    """
    import tensorflow as tf

    batch_x, batch_y = _first_batch(x, y, batch_size)
    model.train_on_batch(batch_x, batch_y)          # construye el grafo fuera de la medida
    totals: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as log_dir:
        tf.profiler.experimental.start(log_dir)
        try:
            for _ in range(steps):
                model.train_on_batch(batch_x, batch_y)
        finally:
            tf.profiler.experimental.stop()
        for op_type, seconds in _op_events(Path(log_dir)):
            totals[op_type] = totals.get(op_type, 0.0) + seconds
    return dict(sorted(totals.items(), key=lambda item: -item[1]))


def _first_batch(x: np.ndarray, y: np.ndarray, batch_size: int) -> tuple[np.ndarray, np.ndarray]:
    """El primer lote de ``x`` e ``y``; error en español si no llegan a un lote."""
    if len(x) < batch_size:
        raise ValueError(f"Hacen falta al menos {batch_size} imágenes (un lote); hay {len(x)}.")
    return x[:batch_size], y[:batch_size]


def _op_events(log_dir: Path) -> Iterator[tuple[str, float]]:
    """``(tipo, segundos)`` de cada operación en las trazas del perfilador guardadas en ``log_dir``."""
    from tensorflow.tsl.profiler.protobuf import xplane_pb2

    space = xplane_pb2.XSpace()
    for trace in log_dir.rglob("*.xplane.pb"):
        space.ParseFromString(trace.read_bytes())
        for plane in space.planes:
            events = (event for line in plane.lines for event in line.events)
            for event in events:
                op_type = _op_type(plane.event_metadata[event.metadata_id].name)
                if op_type:
                    yield op_type, event.duration_ps / 1e12


def _op_type(event_name: str) -> str | None:
    """Tipo de una operación del perfil, que se llama ``nombre:Tipo``; ``None`` si no es una.

    Ejemplo:
        >>> _op_type("sequential_1/conv2d_1/convolution:Conv2D"), _op_type("train_function")
        ('Conv2D', None)
    """
    name, separator, op_type = event_name.rpartition(":")
    named = separator and name and not name.endswith(":")
    return op_type if named and op_type.isidentifier() else None


def time_by_kind(times: dict[str, float]) -> dict[str, float]:
    """Fracción del tiempo de ``op_times`` en cada parte del entrenamiento (``OP_KINDS``).

    Ejemplo:
        >>> time_by_kind({"Conv2D": 1.0, "Conv2DBackpropInput": 2.0, "Mul": 1.0})
        {'convolución, ida': 0.25, 'convolución, vuelta hacia las entradas': 0.5, 'resto': 0.25}
    """
    total = sum(times.values())
    shares: dict[str, float] = {}
    for op_type, seconds in times.items():
        kind = OP_KINDS.get(op_type, OTHER_KIND)
        shares[kind] = shares.get(kind, 0.0) + seconds / total
    return shares
