"""Qué tan cerca del límite de la máquina entrena una red: operaciones, imágenes/s y GFLOP/s.

Medidas que se comparan entre sí en la misma máquina y en la misma ejecución:

- ``model_flops``: las operaciones de punto flotante (FLOP) que cuesta **una** imagen hacia
  delante, contadas capa a capa (convoluciones y densas; el resto es despreciable);
- ``peak_gflops``: el techo práctico de la máquina, los mejores GFLOP/s que alcanza la biblioteca
  en multiplicaciones de matrices (``matmul_gflops``) y en convoluciones (``conv_gflops``), con
  los mismos núcleos de cálculo que usa Keras al entrenar;
- ``training_speed``: imágenes por segundo al entrenar y al predecir, y los GFLOP/s que eso
  supone. Entrenar cuesta unas tres pasadas hacia delante (la de ida y dos de vuelta: los
  gradientes respecto de las entradas y respecto de los pesos);
- ``op_times`` y ``time_by_kind``: en qué se va el tiempo de un paso de entrenamiento
  (convoluciones de ida y de vuelta, *pooling*, el resto), medido con el perfilador de TensorFlow.
  ``op_kind`` reconoce cada operación con el nombre que le dé TensorFlow en cualquier CPU (con
  oneDNN, ``_MklNativeFusedConv2D``; sin él, ``_FusedConv2D``: las dos son una ``Conv2D``).

TensorFlow y Keras se importan solo al llamar a las funciones.
"""
from __future__ import annotations

import math
import re
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["OP_KINDS", "PEAK_CONV_SHAPES", "PEAK_MATMUL_SIZES", "TRAINING_PASSES", "above_peak",
           "conv_gflops", "matmul_gflops", "model_flops", "op_kind", "op_times", "peak_gflops",
           "time_by_kind", "training_speed"]

#: Un paso de entrenamiento cuesta unas tres pasadas hacia delante (ida, y vuelta hacia las
#: entradas y hacia los pesos).
TRAINING_PASSES = 3

#: Tipo de operación de TensorFlow, sin adornos (``op_kind``) → qué parte del entrenamiento es.
#: Lo que no está aquí va a «resto» (normalización, activaciones, capas densas, pérdida,
#: optimizador, aumento de datos…).
OP_KINDS = {
    "Conv2D": "convolución, ida",
    "Conv2DBackpropInput": "convolución, vuelta hacia las entradas",
    "Conv2DBackpropFilter": "convolución, vuelta hacia los pesos",
    "MaxPool": "pooling, ida y vuelta",
    "MaxPoolGrad": "pooling, ida y vuelta",
    "AvgPool": "pooling, ida y vuelta",
    "AvgPoolGrad": "pooling, ida y vuelta",
}
#: Adornos que TensorFlow añade al tipo según cómo ejecuta la operación: ``_Mkl`` y ``Native``
#: (núcleos de oneDNN), ``Fused`` y ``PadWith`` (fundida con el sesgo, la activación o el relleno),
#: ``WithBias`` (calcula también el gradiente del sesgo) y ``V2``, ``V3``… (versiones).
_DECORATIONS = re.compile(r"(?:_|Mkl|Native|Fused|PadWith)*(?P<op>.+?)(?:WithBias)?(?:V\d+)?")
#: La misma cuenta sobre otra forma: convolución por canales o en 3D, *pooling* en 3D.
_CONVOLUTION = re.compile(r"(?:Depthwise)?Conv[23][dD](?:Native)?")
_POOLING_3D = re.compile(r"(?<=Pool)3D")
OTHER_KIND = "resto"


def model_flops(model: Any) -> int:
    """FLOP de una pasada hacia delante de **una** imagen por las ``Conv2D`` y ``Dense`` de ``model``.

    Cada multiplicación-suma cuenta como 2 FLOP. Una ``Conv2D`` hace
    ``alto_salida · ancho_salida · k_alto · k_ancho · canales_entrada · filtros`` multiplicaciones
    (dividido entre los grupos si los tiene); una ``Dense``, ``entradas · neuronas`` por cada
    posición. Recorre también los modelos anidados.

    Ejemplo:
        >>> import keras
        >>> net = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Conv2D(32, 3),
        ...                         keras.layers.Flatten(), keras.layers.Dense(10)])
        >>> model_flops(net)   # 2·(26·26·3·3·1·32 + 21632·10)
        822016
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


#: Lados de las multiplicaciones de matrices de ``peak_gflops``.
PEAK_MATMUL_SIZES = (512, 1024, 2048)
#: Convoluciones de ``peak_gflops``: ``(lote, lado, canales, núcleo)``, del tamaño de las capas
#: del cuaderno 05b (3×3 de 64 y 128 canales) y una 1×1.
PEAK_CONV_SHAPES = ((64, 16, 64, 3), (64, 16, 128, 3), (64, 16, 256, 1))


def peak_gflops(seconds: float = 3.0) -> float:
    """Techo práctico de la máquina: los mejores GFLOP/s de la biblioteca, repartiendo ``seconds``.

    Mide multiplicaciones de matrices de los lados de ``PEAK_MATMUL_SIZES`` y las convoluciones
    de ``PEAK_CONV_SHAPES`` (solo la ida, y el paso completo de entrenamiento), con todos los
    núcleos de la CPU, y devuelve la mejor. En unas CPU lo más eficiente es multiplicar matrices;
    en otras (las de AVX-512, con oneDNN) las convoluciones van más deprisa: el techo toma la
    mejor de las dos, con los mismos núcleos de cálculo que usa Keras al entrenar.

    Ejemplo:
        >>> import keras
        >>> net = keras.Sequential([keras.Input((16, 16, 3)), keras.layers.Conv2D(8, 3),
        ...                         keras.layers.Flatten(), keras.layers.Dense(3)])
        >>> net.compile(optimizer="sgd", loss="mse")
        >>> x, y = np.zeros((64, 16, 16, 3), "float32"), np.zeros((64, 3), "float32")
        >>> speed = training_speed(net, x, y, batch_size=32, steps=3)
        >>> 0 < speed["entrenar_gflops"] / peak_gflops(seconds=1) < 1   # fracción del techo
        True
    """
    workloads = len(PEAK_MATMUL_SIZES) + 2 * len(PEAK_CONV_SHAPES)
    budget = seconds / workloads
    rates = [matmul_gflops(size, budget) for size in PEAK_MATMUL_SIZES]
    rates += [conv_gflops(*shape, training=training, seconds=budget)
              for shape in PEAK_CONV_SHAPES for training in (False, True)]
    return max(rates)


def above_peak(speeds: dict[str, dict[str, float]], peak: float) -> str | None:
    """Aviso en español si alguna medida de ``speeds`` (de ``training_speed``) supera el techo ``peak``.

    Un techo es el mejor cálculo de la máquina: si una red lo supera, el techo se midió mientras
    otro programa ocupaba la CPU, y las fracciones del techo de esa ejecución no valen.

    Ejemplo:
        >>> busy = {"estrecha": {"entrenar_gflops": 40.0, "predecir_gflops": 130.0}}
        >>> print(above_peak(busy, 120.0))  # doctest: +ELLIPSIS
        Aviso: estrecha al predecir (130 GFLOP/s) supera el techo medido (120 GFLOP/s): ...
        >>> above_peak({"estrecha": {"entrenar_gflops": 40.0, "predecir_gflops": 60.0}}, 120.0) is None
        True
    """
    over = [f"{name} al {step} ({rates[f'{step}_gflops']:.0f} GFLOP/s)"
            for name, rates in speeds.items() for step in ("entrenar", "predecir")
            if rates[f"{step}_gflops"] > peak]
    if not over:
        return None
    return (f"Aviso: {', '.join(over)} supera{'n' if len(over) > 1 else ''} el techo medido ({peak:.0f} GFLOP/s): "
            "la CPU estaba ocupada al medirlo. Repite la celda con la máquina libre.")


def matmul_gflops(size: int = 1024, seconds: float = 2.0) -> float:
    """GFLOP/s de multiplicaciones ``float32`` de ``size × size`` con TensorFlow, durante ``seconds``.

    Devuelve la mejor de las repeticiones (la menos afectada por otros programas).

    Ejemplo:
        >>> matmul_gflops(size=256, seconds=0.1) > 0.1
        True
    """
    import tensorflow as tf

    a, b = (tf.constant(array) for array in _random_arrays((size, size), (size, size)))
    multiply = tf.function(lambda: tf.reduce_sum(tf.linalg.matmul(a, b)))
    return _best_gflops(multiply, 2 * size**3, seconds)


def conv_gflops(batch: int, side: int, channels: int, kernel: int = 3, *, training: bool = True,
                seconds: float = 1.0) -> float:
    """GFLOP/s de una convolución ``kernel × kernel`` de ``channels`` a ``channels`` canales, con TensorFlow.

    Entrada de ``batch`` imágenes de ``side × side`` (relleno ``same``). Con ``training``, el paso
    completo: la ida y las dos de vuelta (``TRAINING_PASSES`` veces sus FLOP), como al entrenar;
    si no, solo la ida. Devuelve la mejor de las repeticiones en ``seconds``.

    Ejemplo:
        >>> conv_gflops(8, 8, 16, training=False, seconds=0.1) > 0.1
        True
    """
    import tensorflow as tf

    images, weights = _random_arrays((batch, side, side, channels), (kernel, kernel, channels, channels))
    x, w = tf.constant(images), tf.Variable(weights)

    @tf.function
    def step():
        with tf.GradientTape() as tape:
            tape.watch(x)
            total = tf.reduce_sum(tf.nn.conv2d(x, w, 1, "SAME"))
        if not training:
            return total
        grad_x, grad_w = tape.gradient(total, [x, w])
        return tf.reduce_sum(grad_x) + tf.reduce_sum(grad_w)

    flops = 2 * batch * side * side * kernel * kernel * channels * channels
    return _best_gflops(step, flops * (TRAINING_PASSES if training else 1), seconds)


def _random_arrays(*shapes: tuple[int, ...]) -> list[np.ndarray]:
    """Matrices ``float32`` al azar (semilla fija) con las formas dadas."""
    rng = np.random.default_rng(0)
    return [rng.random(shape, dtype=np.float32) for shape in shapes]


def _best_gflops(run: Any, flops: float, seconds: float) -> float:
    """Mejores GFLOP/s de ``run()`` (que hace ``flops``) repitiéndolo ``seconds``, al menos una vez."""
    run().numpy()  # la primera llamada construye el grafo
    best, deadline = 0.0, time.perf_counter() + seconds
    while best == 0.0 or time.perf_counter() < deadline:
        start = time.perf_counter()
        run().numpy()
        best = max(best, flops / (time.perf_counter() - start) / 1e9)
    return best


def training_speed(model: Any, x: np.ndarray, y: np.ndarray, batch_size: int,
                   steps: int = 20) -> dict[str, float]:
    """Imágenes/s y GFLOP/s de ``model`` (ya compilado) al entrenar y al predecir lotes de ``x``.

    Hace ``steps`` pasos con lotes de ``batch_size`` tomados de ``x`` e ``y`` (tras un paso de
    calentamiento que no cuenta) y devuelve ``entrenar_img_s``, ``predecir_img_s``,
    ``entrenar_gflops`` y ``predecir_gflops``. **Cambia los pesos**: mídelo con una copia o
    antes de entrenar de verdad.

    Ejemplo:
        >>> import keras
        >>> net = keras.Sequential([keras.Input((8, 8, 1)), keras.layers.Conv2D(4, 3),
        ...                         keras.layers.Flatten(), keras.layers.Dense(2)])
        >>> net.compile(optimizer="sgd", loss="mse")
        >>> speed = training_speed(net, np.zeros((16, 8, 8, 1)), np.zeros((16, 2)), 16, steps=2)
        >>> sorted(speed)
        ['entrenar_gflops', 'entrenar_img_s', 'predecir_gflops', 'predecir_img_s']
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
    ``Conv2DBackpropFilter``, ``Mul``…), de mayor a menor. Los tipos salen sin los adornos de
    implementación (``_MklNativeFusedConv2D`` y ``_FusedConv2D`` son ``Conv2D``; ``AddV2``,
    ``Add``), así que son los mismos en cualquier CPU. Con varios núcleos la suma puede pasar del
    tiempo de reloj. **Cambia los pesos**, como ``training_speed``.

    Ejemplo:
        >>> import keras
        >>> net = keras.Sequential([keras.Input((8, 8, 1)), keras.layers.Conv2D(4, 3),
        ...                         keras.layers.Conv2D(4, 3), keras.layers.Flatten(),
        ...                         keras.layers.Dense(2)])
        >>> net.compile(optimizer="sgd", loss="mse")
        >>> times = op_times(net, np.zeros((16, 8, 8, 1)), np.zeros((16, 2)), 16, steps=2)
        >>> {"Conv2D", "Conv2DBackpropInput", "Conv2DBackpropFilter"} <= set(times)
        True
    """
    import tensorflow as tf

    batch_x, batch_y = _first_batch(x, y, batch_size)
    model.train_on_batch(batch_x, batch_y)          # construye el grafo fuera de la medida
    with tempfile.TemporaryDirectory() as log_dir:
        tf.profiler.experimental.start(log_dir)
        try:
            for _ in range(steps):
                model.train_on_batch(batch_x, batch_y)
        finally:
            tf.profiler.experimental.stop()
        return _sum_by_type(_op_events(Path(log_dir)))


def _sum_by_type(events: Iterable[tuple[str, float]]) -> dict[str, float]:
    """Segundos por tipo sin adornos (``_plain_type``) de los ``(tipo, segundos)`` del perfil, de mayor a menor."""
    totals: dict[str, float] = {}
    for op_type, seconds in events:
        plain = _plain_type(op_type)
        totals[plain] = totals.get(plain, 0.0) + seconds
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


def _plain_type(op_type: str) -> str:
    """``op_type`` sin los adornos de implementación (``_DECORATIONS``): el mismo en cualquier CPU.

    Ejemplo:
        >>> _plain_type("_MklNativeConv2DBackpropFilterWithBias"), _plain_type("AddV2")
        ('Conv2DBackpropFilter', 'Add')
    """
    return _DECORATIONS.fullmatch(op_type)["op"]


def op_kind(op_type: str) -> str:
    """Parte del entrenamiento (``OP_KINDS``, o ``"resto"``) de una operación, se llame como se llame.

    Quita los adornos de implementación (``_plain_type``) y lleva las convoluciones por canales
    (``DepthwiseConv2dNative``) y en 3D a ``Conv2D``, y el *pooling* en 3D al de 2D.

    Ejemplo:
        >>> op_kind("_MklNativeFusedConv2D"), op_kind("DepthwiseConv2dNativeBackpropInput")
        ('convolución, ida', 'convolución, vuelta hacia las entradas')
        >>> op_kind("MaxPool3DGrad"), op_kind("_MklFusedBatchNormV3")
        ('pooling, ida y vuelta', 'resto')
    """
    base = _POOLING_3D.sub("", _CONVOLUTION.sub("Conv2D", _plain_type(op_type), count=1))
    return OP_KINDS.get(base, OTHER_KIND)


def time_by_kind(times: dict[str, float]) -> dict[str, float]:
    """Fracción del tiempo de ``op_times`` en cada parte del entrenamiento (``op_kind``).

    Ejemplo:
        >>> time_by_kind({"Conv2D": 1.0, "_MklNativeConv2DBackpropInput": 2.0, "Mul": 1.0})
        {'convolución, ida': 0.25, 'convolución, vuelta hacia las entradas': 0.5, 'resto': 0.25}
    """
    total = sum(times.values())
    shares: dict[str, float] = {}
    for op_type, seconds in times.items():
        kind = op_kind(op_type)
        shares[kind] = shares.get(kind, 0.0) + seconds / total
    return shares
