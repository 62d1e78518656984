"""Qué tan cerca del límite de la máquina entrena una red: operaciones, imágenes/s y GFLOP/s.

Tres medidas que se comparan entre sí en la misma máquina y en la misma ejecución:

- ``model_flops``: las operaciones de coma flotante (FLOP) que cuesta **una** imagen hacia
  delante, contadas capa a capa (convoluciones y densas; el resto es despreciable);
- ``matmul_gflops``: los GFLOP/s que alcanza una multiplicación de matrices grande, el cálculo
  más eficiente que sabe hacer la biblioteca: sirve de techo práctico de la máquina;
- ``training_speed``: imágenes por segundo al entrenar y al predecir, y los GFLOP/s que eso
  supone. Entrenar cuesta unas tres pasadas hacia delante (la de ida y dos de vuelta: los
  gradientes respecto de las entradas y respecto de los pesos).

TensorFlow y Keras se importan solo al llamar a las funciones.
"""
from __future__ import annotations

import math
import time
from typing import Any

import numpy as np

__all__ = ["TRAINING_PASSES", "matmul_gflops", "model_flops", "training_speed"]

#: Un paso de entrenamiento cuesta unas tres pasadas hacia delante (ida, y vuelta hacia las
#: entradas y hacia los pesos).
TRAINING_PASSES = 3


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
    if len(x) < batch_size:
        raise ValueError(f"Hacen falta al menos {batch_size} imágenes (un lote); hay {len(x)}.")
    batch_x, batch_y = x[:batch_size], y[:batch_size]
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
