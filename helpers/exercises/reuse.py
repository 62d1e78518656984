"""Usar en las celdas siguientes lo que escribió el estudiante si su comprobación lo aceptó, o la versión del curso."""
from __future__ import annotations

from typing import Any

from helpers.exercises.core import Exercise

__all__ = ["learner_or_reference"]


def learner_or_reference(exercise: Exercise, answer: Any, reference: Any, name: str) -> Any:
    """Devuelve ``answer`` si ``exercise`` lo acepta y, si no, ``reference``; dice cuál se usa.

    Ejemplo:
        >>> from helpers.exercises.core import Incorrect, ____
        >>> def positive(n):
        ...     if n <= 0:
        ...         raise Incorrect("debe ser positivo")
        >>> ex = Exercise("Un positivo", positive, hint="", solution="n = 1")
        >>> learner_or_reference(ex, ____, 1, "n")
        → Se usa la versión del curso de n: la tuya aún no pasa la comprobación de «Un positivo».
        1
        >>> learner_or_reference(ex, 5, 1, "n")
        → Se usa tu versión de n (la comprobación la aceptó).
        5
    """
    if exercise.evaluate(answer).correct:
        print(f"→ Se usa tu versión de {name} (la comprobación la aceptó).")
        return answer
    print(f"→ Se usa la versión del curso de {name}: la tuya aún no pasa la comprobación de "
          f"«{exercise.title}».")
    return reference
