"""Ejercicios del cuaderno 05b (contrarreloj en CIFAR-10, opcional)."""
from __future__ import annotations

import numpy as np

from helpers.exercises.core import Exercise, Incorrect, call_for_result, calls_in
from helpers.exercises.nb05 import _LeftHalfModel

__all__ = ["predict_with_flips_and_shifts", "predict_with_flips_and_shifts_reference"]


def predict_with_flips_and_shifts_reference(model, x: np.ndarray, shift: int = 1) -> np.ndarray:
    """Versión del curso de ``predict_with_flips_and_shifts``: media de seis predicciones, la de ``x`` y
    las de ``x`` desplazado ±``shift`` píxeles en diagonal (borde reflejado), cada una con su reflejo.

    Ejemplo:
        >>> probabilities = predict_with_flips_and_shifts_reference(_LeftHalfModel(), np.ones((2, 4, 4, 3)))
        >>> probabilities.shape, probabilities.sum(axis=1).round(6).tolist()
        ((2, 3), [1.0, 1.0])
    """
    size = x.shape[1]
    padded = np.pad(x, ((0, 0), (shift, shift), (shift, shift), (0, 0)), mode="reflect")
    views = [x] + [padded[:, top:top + size, top:top + size] for top in (0, 2 * shift)]
    return np.mean([model.predict(view, verbose=0) + model.predict(view[:, :, ::-1], verbose=0)
                    for view in views], axis=0) / 2


def _views_prediction(x: np.ndarray, shift: int, *, mode: str = "reflect", corners=((0, 0), (2, 2)),
                      flips: bool = True, flip_axis: int = 2) -> np.ndarray:
    """Predicción de ``_LeftHalfModel`` con las vistas que se piden: sirve para nombrar cada error típico."""
    size = x.shape[1]
    padded = np.pad(x, ((0, 0), (shift, shift), (shift, shift), (0, 0)), mode=mode)
    views = [x] + [padded[:, top * shift:top * shift + size, left * shift:left * shift + size]
                   for top, left in corners]
    model = _LeftHalfModel()
    predictions = [model.predict(view) for view in views]
    if flips:
        predictions += [model.predict(np.flip(view, axis=flip_axis)) for view in views]
    return np.mean(predictions, axis=0)


def _check_predict_with_flips_and_shifts(function) -> None:
    if calls_in(function, ["predict_with_flips_and_shifts_reference"]):
        raise Incorrect("llamas a predict_with_flips_and_shifts_reference, la versión del curso: "
                        "escribe tú las vistas y sus predicciones.")
    x = np.random.default_rng(7).random((3, 8, 8, 3))
    x[:, :, :4] *= 3            # la mitad izquierda, más brillante
    x[:, :4] *= 0.5             # la mitad de arriba, más oscura
    for shift in (1, 2):
        got = np.asarray(call_for_result(function, _LeftHalfModel(), x.copy(), shift=shift), dtype=np.float64)
        expected = predict_with_flips_and_shifts_reference(_LeftHalfModel(), x, shift)
        if got.shape != expected.shape:
            raise Incorrect(f"devolviste forma {got.shape}; se esperaban las probabilidades "
                            f"{expected.shape}: una fila por imagen, la media de las seis vistas.")
        if np.allclose(got, expected):
            continue
        other = 2 if shift == 1 else 1
        two_views = ("falta una de las dos vistas desplazadas: una hacia arriba a la izquierda y otra "
                     "hacia abajo a la derecha.")
        mistakes = [
            (_views_prediction(x, other), f"con shift={shift} desplazas {other} píxeles: usa el "
                                          "argumento shift, no un número fijo."),
            (_views_prediction(x, shift, mode="constant"), "rellenas con ceros (un color fijo): el "
                                                           "borde se rellena reflejando la foto, mode=\"reflect\"."),
            (_views_prediction(x, shift, mode="edge"), "repites el último píxel (mode=\"edge\"); el enunciado "
                                                       "pide reflejar el borde, mode=\"reflect\", como al entrenar."),
            (_views_prediction(x, shift, flips=False), "faltan los reflejos: cada una de las tres vistas "
                                                       "se predice también reflejada (seis predicciones)."),
            (_views_prediction(x, shift, corners=()), "faltan los desplazamientos: eso es solo la predicción "
                                                      "con reflejo del cuaderno 05."),
            (_views_prediction(x, shift, corners=((0, 0),)), two_views),
            (_views_prediction(x, shift, corners=((2, 2),)), two_views),
            (_views_prediction(x, shift, corners=((1, 0), (1, 2))), "desplazas solo en horizontal: el "
                                                                    "enunciado pide las dos diagonales."),
            (_views_prediction(x, shift, flip_axis=1), "reflejas en vertical (eje 1, el alto); el reflejo "
                                                       "horizontal invierte el ancho, el eje 2."),
            (6 * expected, "sumas las seis predicciones sin dividir: la media debe seguir sumando 1."),
        ]
        for wrong, explanation in mistakes:
            if got.shape == wrong.shape and np.allclose(got, wrong):
                raise Incorrect(explanation)
        raise Incorrect("el resultado no es la media de las seis predicciones: x y sus dos vistas "
                        "desplazadas en diagonal, cada una con su reflejo horizontal.")


predict_with_flips_and_shifts = Exercise(
    "Predicción con aumento (TTA): reflejos y traslaciones",
    _check_predict_with_flips_and_shifts,
    hint=("Construye las tres vistas (la foto, y la foto movida un poco hacia cada esquina de una "
          "diagonal, con el borde rellenado en espejo); predice cada vista tal cual y reflejada, y promedia.",
          "np.pad con mode=\"reflect\" añade shift píxeles por lado; de esa imagen más grande, dos "
          "recortes de size×size que empiezan en (0, 0) y en (2·shift, 2·shift) son las vistas desplazadas."),
    solution="""
size = x.shape[1]
padded = np.pad(x, ((0, 0), (shift, shift), (shift, shift), (0, 0)), mode="reflect")
views = [x] + [padded[:, top:top + size, top:top + size] for top in (0, 2 * shift)]
return np.mean([model.predict(view, verbose=0) + model.predict(view[:, :, ::-1], verbose=0)
                for view in views], axis=0) / 2
""",
)
