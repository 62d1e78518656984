"""Canalizaciones de datos (*pipelines*) ``tf.data`` que no se atascan en CPUs con pocos núcleos.

El ajuste automático de ``tf.data`` (*autotune*) puede dejar los hilos parados varios segundos al
empezar cada época en una CPU de 2 núcleos (medido en la máquina del curso: de 3 a 45 s por
época). Estas funciones lo desactivan y fijan el ``prefetch``. TensorFlow se importa solo al
llamarlas.

Para entrenar, el orden importa tanto como la velocidad: ``batches`` guarda en caché los ejemplos
sueltos y **después** baraja y agrupa en lotes, así que cada época ve un orden distinto (una
caché puesta tras el barajado congelaría el orden de la primera época).
"""
from __future__ import annotations

from typing import Any

__all__ = ["batches", "from_arrays", "without_autotune"]


def without_autotune(dataset: Any, prefetch: int = 2) -> Any:
    """Devuelve ``dataset`` con ``prefetch`` fijo y sin el ajuste automático de ``tf.data``.

    Ejemplo:
        >>> import tensorflow as tf
        >>> ds = without_autotune(tf.data.Dataset.range(10).batch(4))
        >>> ds.options().autotune.enabled
        False
    """
    import tensorflow as tf

    options = tf.data.Options()
    options.autotune.enabled = False
    return dataset.prefetch(prefetch).with_options(options)


def batches(dataset: Any, batch_size: int, shuffle: bool = False, seed: int | None = None,
            cache: bool = False) -> Any:
    """Agrupa en lotes un ``tf.data.Dataset`` de ejemplos sueltos, barajado de nuevo en cada época.

    Parámetros:
        dataset: ejemplos sin agrupar (por ejemplo, ``image_dataset_from_directory(...,
            batch_size=None)``); su número de elementos debe ser conocido si ``shuffle``.
        batch_size: ejemplos por lote.
        shuffle: barajar todos los ejemplos de nuevo en cada época (para entrenar; no para evaluar).
        seed: semilla del barajado, para repetir la secuencia de órdenes.
        cache: guardar en memoria los ejemplos ya leídos y decodificados en la primera época. La
            caché va antes del barajado: así no congela el orden de la primera época.

    Ejemplo:
        >>> train_ds = batches(photos, 32, shuffle=True, seed=42, cache=True)  # doctest: +SKIP
        >>> model.fit(train_ds, epochs=10)                                   # doctest: +SKIP
    """
    if cache:
        dataset = dataset.cache()
    if shuffle:
        size = int(dataset.cardinality())
        if size < 0:
            raise ValueError("No sé cuántos ejemplos tiene el conjunto y no puedo barajarlo entero: "
                             "crea el conjunto sin repetir (sin .repeat()) ni filtrar.")
        dataset = dataset.shuffle(size, seed=seed, reshuffle_each_iteration=True)
    return without_autotune(dataset.batch(batch_size))


def from_arrays(x: Any, y: Any, batch_size: int, shuffle: bool = False, seed: int | None = None) -> Any:
    """Lotes ``(x, y)`` a partir de arrays de NumPy, para ``model.fit`` sin atascos de *autotune*.

    Parámetros:
        x, y: entradas y etiquetas (el primer eje recorre los ejemplos).
        batch_size: ejemplos por lote.
        shuffle: barajar de nuevo en cada época (para entrenar; no para evaluar).
        seed: semilla del barajado, para repetir el orden.

    Ejemplo:
        >>> train_ds = from_arrays(x_train, y_train, 128, shuffle=True, seed=42)  # doctest: +SKIP
        >>> model.fit(train_ds, epochs=5)                                        # doctest: +SKIP
    """
    import tensorflow as tf

    if len(x) != len(y):
        raise ValueError(f"x tiene {len(x)} ejemplos e y {len(y)}: deben coincidir.")
    return batches(tf.data.Dataset.from_tensor_slices((x, y)), batch_size, shuffle=shuffle, seed=seed)
