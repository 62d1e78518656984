"""Ejercicios del cuaderno 00 (cómo usar el curso)."""
from __future__ import annotations

import ast

from helpers.config import fast_mode
from helpers.exercises.core import Exercise, Incorrect

FULL_BATCH_SIZE, FAST_BATCH_SIZE = 64, 8


def notebook_assignment(name: str) -> ast.expr | None:
    """La expresión de la última asignación ``name = …`` ejecutada en el cuaderno, o ``None``.

    La lee del historial de celdas de IPython; fuera de Jupyter no hay historial y da ``None``.

    Ejemplo:
        >>> notebook_assignment("BATCH_SIZE") is None   # fuera de Jupyter
        True
    """
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    shell = get_ipython()
    cells = shell.user_ns.get("In", []) if shell is not None else []
    for cell in reversed(cells):
        try:
            tree = ast.parse(cell)
        except SyntaxError:
            continue
        values = [node.value for node in ast.walk(tree) if isinstance(node, ast.Assign)
                  and any(isinstance(target, ast.Name) and target.id == name for target in node.targets)]
        if values:
            return values[-1]
    return None


def _pick_arguments(expression: ast.expr) -> dict[str, object] | None:
    """Los valores ``full`` y ``fast`` de una llamada a ``pick``, o ``None`` si no es esa llamada."""
    if not isinstance(expression, ast.Call):
        return None
    function = expression.func
    name = function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", None)
    if name != "pick":
        return None
    arguments = dict(zip(("full", "fast"), expression.args))
    arguments.update({keyword.arg: keyword.value for keyword in expression.keywords})
    return {key: value.value if isinstance(value, ast.Constant) else None
            for key, value in arguments.items()}


def _check_batch_size(batch_size, expression: ast.expr | None = None) -> None:
    expected = FAST_BATCH_SIZE if fast_mode() else FULL_BATCH_SIZE
    other = FULL_BATCH_SIZE if fast_mode() else FAST_BATCH_SIZE
    if isinstance(batch_size, bool) or not isinstance(batch_size, int):
        raise Incorrect(f"BATCH_SIZE debe ser un entero; es {type(batch_size).__name__}.")
    if batch_size == other:
        raise Incorrect(f"BATCH_SIZE vale {batch_size}, el valor del otro modo; en este debe valer "
                        f"{expected}: ¿intercambiaste full y fast?")
    if batch_size != expected:
        raise Incorrect(f"BATCH_SIZE vale {batch_size}; en este modo debe valer {expected}.")
    expression = expression if expression is not None else notebook_assignment("BATCH_SIZE")
    if expression is None:  # fuera de Jupyter no se puede leer la celda: basta el valor
        return
    arguments = _pick_arguments(expression)
    if arguments is None:
        raise Incorrect(f"BATCH_SIZE vale {expected}, lo correcto en este modo, pero no lo eliges "
                        "con helpers.pick: en el otro modo seguiría valiendo lo mismo. El ejercicio "
                        "pide que el valor cambie solo con el modo.")
    if arguments.get("full") != FULL_BATCH_SIZE or arguments.get("fast") != FAST_BATCH_SIZE:
        raise Incorrect(f"tu llamada a pick da {arguments.get('full')!r} en modo completo y "
                        f"{arguments.get('fast')!r} en modo rápido; el ejercicio pide "
                        f"{FULL_BATCH_SIZE} y {FAST_BATCH_SIZE}.")


batch_size = Exercise(
    "Tamaño de lote según el modo",
    _check_batch_size,
    hint=("Mira cómo se definió EPOCHS unas celdas más arriba: un solo nombre, con un valor por "
          "modo.",
          "helpers.pick recibe dos argumentos con nombre, full=… y fast=…, y devuelve el que "
          "corresponde al modo en que se ejecuta el cuaderno."),
    solution="BATCH_SIZE = helpers.pick(full=64, fast=8)",
)
