"""Ejercicios del cuaderno 00 (cómo usar el curso)."""
from helpers.config import fast_mode
from helpers.exercises.core import Exercise, Incorrect


def _check_batch_size(batch_size) -> None:
    expected = 8 if fast_mode() else 64
    if not isinstance(batch_size, int):
        raise Incorrect(f"BATCH_SIZE debe ser un entero; es {type(batch_size).__name__}.")
    if batch_size in (8, 64) and batch_size != expected:
        raise Incorrect(f"valdría {batch_size}, pero en este modo debe valer {expected}: "
                        "¿intercambiaste full y fast?")
    if batch_size != expected:
        raise Incorrect(f"BATCH_SIZE vale {batch_size}; en este modo debe valer {expected}.")


batch_size = Exercise(
    "Tamaño de lote según el modo",
    _check_batch_size,
    hint="helpers.pick(full=…, fast=…) devuelve el primer valor en modo completo y el segundo en modo rápido.",
    solution="BATCH_SIZE = helpers.pick(full=64, fast=8)",
)
