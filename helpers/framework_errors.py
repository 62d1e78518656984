"""Explica en español, debajo del traceback, los errores de Keras más frecuentes en el curso.

Una tabla declarativa (``KNOWN_ERRORS``) asocia el texto de cada error de Keras o TensorFlow
con su explicación; ``register`` instala en IPython un manejador que muestra el traceback de
siempre y, si el error está en la tabla, la explicación. No importa ningún marco.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

__all__ = ["KNOWN_ERRORS", "KnownError", "explain", "register"]

_ANSI = re.compile(r"\x1b\[[0-9;]*m")


@dataclass(frozen=True)
class KnownError:
    """Un error conocido: expresión regular sobre su mensaje, explicación y, si hace falta, la capa.

    La explicación puede usar los grupos con nombre de ``pattern`` (``{classes}``). Si ``layer``
    no es ``None``, el error solo coincide si lo lanzó una capa de esa clase.
    """

    pattern: str
    explanation: str
    layer: str | None = None

    def explain(self, message: str, layers: set[str]) -> str | None:
        """La explicación para ``message``, o ``None`` si este error no es ese."""
        if self.layer is not None and self.layer not in layers:
            return None
        match = re.search(self.pattern, message, flags=re.S)
        return self.explanation.format(**match.groupdict()) if match else None


#: Errores conocidos, del más concreto al más general: gana el primero que coincide.
KNOWN_ERRORS: tuple[KnownError, ...] = (
    KnownError(
        r"You must call `compile\(\)` before",
        "el modelo no está compilado: antes de fit (o evaluate) llama a model.compile(optimizer=…, "
        "loss=…, metrics=[…]) para decirle con qué pérdida y qué optimizador entrenar."),
    KnownError(
        r"`target` and `output` must have the same (?:rank|shape).*?target\.shape=(?P<target>\([^)]*\)), "
        r"output\.shape=(?P<output>\(None, 2\))",
        "las etiquetas tienen forma {target} (un 0 o un 1 por foto) y la red da {output}, dos "
        "probabilidades por foto. Con dos clases hay dos recetas: Dense(1, activation=\"sigmoid\") "
        "con loss=\"binary_crossentropy\", o Dense(2, activation=\"softmax\") con "
        "loss=\"sparse_categorical_crossentropy\". Mezclar la capa de una con la pérdida de la otra "
        "no encaja."),
    KnownError(
        r"`target` and `output` must have the same rank.*?target\.shape=\(None,\), "
        r"output\.shape=\(None, (?P<classes>\d+)\)",
        "las etiquetas son enteros (una clase por foto, forma (None,)) y la pérdida espera vectores "
        "one-hot de {classes} valores, como la salida de la red. Con etiquetas enteras usa "
        "loss=\"sparse_categorical_crossentropy\"; categorical_crossentropy es para etiquetas "
        "one-hot."),
    KnownError(
        r"`target` and `output` must have the same (?:rank|shape).*?target\.shape=(?P<target>\([^)]*\)), "
        r"output\.shape=(?P<output>\([^)]*\))",
        "las etiquetas tienen forma {target} y la salida de la red {output}: la pérdida necesita que "
        "coincidan. Revisa que la pérdida corresponde al formato de las etiquetas (enteros: "
        "sparse_categorical_crossentropy; one-hot: categorical_crossentropy) y que la última capa "
        "tiene una neurona por clase."),
    KnownError(
        r"Received a label value of (?P<label>\d+) which is outside the valid range of \[0, (?P<classes>\d+)\)",
        "hay una etiqueta que vale {label} y la última capa solo tiene {classes} neurona(s): con "
        "sparse_categorical_crossentropy la capa de salida necesita una neurona por clase."),
    KnownError(
        r"`validation_split` is only supported for tensors or NumPy arrays",
        "validation_split solo funciona con arrays: un tf.data.Dataset ya está partido en lotes y "
        "Keras no puede apartar una fracción. Pasa la validación aparte, con "
        "validation_data=validation_batches (o tu conjunto de validación)."),
    KnownError(
        r"When providing `x` as a tf\.data\.Dataset, `y` should not be passed",
        "con un tf.data.Dataset no se pasa y: cada lote ya trae sus etiquetas. Escribe "
        "model.fit(train_batches, …) sin las etiquetas al lado."),
    KnownError(
        r"Expected `metrics` argument to be a list",
        "metrics debe ser una lista, aunque tenga una sola métrica: metrics=[\"accuracy\"]."),
    KnownError(
        r"The `factor` argument should be a number.*?Received: factor=(?P<factor>[^\s.]+)",
        "factor={factor} se lee como fracción de vuelta completa, no en grados: RandomRotation(0.05) "
        "gira hasta ±0,05 · 360° = ±18°. Para un ángulo en grados, divídelo entre 360.",
        layer="RandomRotation"),
    KnownError(
        r"The `factor` argument should be a number.*?in the range (?P<bounds>\[[^\]]*\])",
        "el factor de esta capa de aumento es una fracción dentro de {bounds}, no un ángulo ni un "
        "número de píxeles; revisa su documentación."),
    KnownError(
        r"layer '(?P<layer>[^']+)' is incompatible with the layer: expected axis -1 of input shape "
        r"to have value (?P<expected>\d+), but received input with shape (?P<shape>\([^)]*\))",
        "la capa «{layer}» espera {expected} valores en el último eje (canales, o entradas de una "
        "capa densa) y recibe datos de forma {shape}. Si es la primera capa, los datos no tienen "
        "la forma de keras.Input(shape=…): revisa el tamaño de las imágenes y los canales (1 en "
        "gris, 3 en color)."),
    KnownError(
        r"layer '(?P<layer>[^']+)' is incompatible with the layer: expected min_ndim=(?P<expected>\d+), "
        r"found ndim=(?P<found>\d+)\. Full shape received: (?P<shape>\([^)]*\))",
        "la capa «{layer}» espera lotes con {expected} ejes y recibe {found}, forma {shape}. A las "
        "fotos en gris les suele faltar el eje de canal: x[..., np.newaxis] pasa de (N, 28, 28) a "
        "(N, 28, 28, 1)."),
)


def _layers_in(traceback: Any) -> set[str]:
    """Clases de los objetos ``self`` por los que pasó el traceback (las capas que lanzaron el error)."""
    names = set()
    while traceback is not None:
        owner = traceback.tb_frame.f_locals.get("self")
        if owner is not None:
            names.update(cls.__name__ for cls in type(owner).__mro__)
        traceback = traceback.tb_next
    return names


def explain(error: BaseException) -> str | None:
    """Explicación en español de ``error`` (o de la excepción que lo causó), o ``None`` si no es conocido.

    Ejemplo:
        >>> explain(ValueError("Expected `metrics` argument to be a list, tuple, or dict."))
        'metrics debe ser una lista, aunque tenga una sola métrica: metrics=["accuracy"].'
    """
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        message = _ANSI.sub("", str(error))
        layers = _layers_in(error.__traceback__)
        for known in KNOWN_ERRORS:
            text = known.explain(message, layers)
            if text is not None:
                return text
        error = error.__cause__ or error.__context__
    return None


def _handler(shell: Any, etype: type, value: BaseException, tb: Any, tb_offset: int | None = None):
    """Manejador de IPython: el traceback de siempre y, debajo, la explicación si la hay."""
    structured = shell.showtraceback((etype, value, tb), tb_offset=tb_offset)
    text = explain(value)
    if text is not None:
        from helpers.exercises.core import _show

        _show("error", text)
    return structured


def register(ip: Any = None) -> bool:
    """Instala el manejador en IPython (``ip`` o la sesión actual); devuelve si pudo instalarlo.

    Fuera de IPython (un script, las pruebas) no hace nada y devuelve ``False``.

    Ejemplo:
        >>> register(None)   # fuera de IPython
        False
    """
    if ip is None:
        try:
            from IPython import get_ipython
        except ImportError:
            return False
        ip = get_ipython()
    if ip is None:
        return False
    ip.set_custom_exc((Exception,), _handler)
    return True
