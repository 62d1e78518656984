"""Motor de los ejercicios: comprueba una respuesta y da una respuesta clara en español."""
from __future__ import annotations

import os
import textwrap
from dataclasses import dataclass
from numbers import Real
from typing import Any, Callable

import numpy as np


class _Placeholder:
    """Marcador ``____`` que el estudiante sustituye por su respuesta."""

    def __repr__(self) -> str:
        return "____"


____ = _Placeholder()


class NotAttempted(Exception):
    """El estudiante aún no ha sustituido el marcador ``____``."""


class Incorrect(Exception):
    """La respuesta no es correcta; el mensaje explica qué falla."""


@dataclass(frozen=True)
class Feedback:
    """Resultado de comprobar una respuesta: ``status`` es 'correct', 'incorrect' o 'not_attempted'."""

    status: str
    message: str

    @property
    def correct(self) -> bool:
        return self.status == "correct"


_STYLE = {
    "correct": ("✅ Correcto", "#2e7d32"),
    "incorrect": ("❌ Incorrecto", "#c62828"),
    "not_attempted": ("✍️ Sin responder", "#1565c0"),
    "hint": ("💡 Pista", "#f9a825"),
    "solution": ("📘 Solución", "#6a1b9a"),
}


class _Message:
    """Mensaje que Jupyter muestra con color y una terminal como texto plano."""

    def __init__(self, kind: str, text: str) -> None:
        self.label, self.color = _STYLE[kind]
        self.text = text

    def __repr__(self) -> str:
        return f"{self.label}: {self.text}"

    def _repr_html_(self) -> str:
        import html

        body = html.escape(self.text).replace("\n", "<br>")
        if self.label.endswith("Solución"):
            body = f"<pre>{html.escape(self.text)}</pre>"
        return f'<span style="color:{self.color}"><b>{self.label}:</b></span> {body}'


def _show(kind: str, text: str) -> None:
    message = _Message(kind, text)
    try:
        from IPython import get_ipython
        from IPython.display import display

        if get_ipython() is not None:
            display(message)
            return
    except ImportError:
        pass
    print(repr(message))


def is_placeholder(value: Any) -> bool:
    """Indica si ``value`` es el marcador ``____`` (o lo contiene, en una tupla o lista)."""
    if isinstance(value, _Placeholder):
        return True
    if isinstance(value, (tuple, list)):
        return any(is_placeholder(item) for item in value)
    return False


def call_learner_function(function: Callable, *args: Any, **kwargs: Any) -> Any:
    """Llama a la función del estudiante y traduce sus fallos a mensajes claros.

    Ejemplo:
        >>> call_learner_function(lambda n: n + 1, 1)
        2
    """
    if is_placeholder(function) or not callable(function):
        raise NotAttempted
    try:
        result = function(*args, **kwargs)
    except Exception as error:  # el error del estudiante se explica, no se propaga
        raise Incorrect(f"tu función lanzó {type(error).__name__}: {error}") from None
    if is_placeholder(result):
        raise NotAttempted
    return result


def as_count(value: Any, name: str) -> int:
    """Convierte la respuesta ``name`` en un entero, o explica por qué no es un número de parámetros.

    Ejemplo:
        >>> as_count(80.0, "conv1_params")
        80
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (Real, np.number)):
        raise Incorrect(f"{name} debe ser un número entero; es {value!r}.")
    if not float(value).is_integer():
        raise Incorrect(f"{name} vale {value}: un número de parámetros es un entero. ¿Usaste / en "
                        "vez de // al calcular un tamaño?")
    return int(value)


def choice_checker(letters: str, wrong: dict[str, str]) -> Callable[[Any], None]:
    """Comprobador de una pregunta de opción única: ``wrong`` explica cada letra incorrecta.

    Ejemplo:
        >>> check = choice_checker("ab", {"b": "los cuadrados tienen cuatro lados iguales."})
        >>> check("A")   # correcta: no lanza nada
    """
    def check(answer: Any) -> None:
        letter = answer.strip().lower() if isinstance(answer, str) else None
        if letter is None or len(letter) != 1 or letter not in letters:
            raise Incorrect(f"responde con una letra entre {', '.join(repr(c) for c in letters)}; "
                            f"respondiste {answer!r}.")
        if letter in wrong:
            raise Incorrect(wrong[letter])

    return check


def strict_checks() -> bool:
    """En las pruebas (``CNN_STRICT_CHECKS=1``) una respuesta incorrecta detiene el cuaderno."""
    return os.environ.get("CNN_STRICT_CHECKS", "") == "1"


class Exercise:
    """Un ejercicio con comprobación, pista y solución.

    ``checker`` recibe la(s) respuesta(s) del estudiante; lanza ``Incorrect("…")``
    con lo que falla, o ``NotAttempted`` si sigue el marcador. Si no lanza nada, la
    respuesta es correcta.

    Ejemplo:
        >>> def checker(n):
        ...     if n != 4:
        ...         raise Incorrect("cuenta otra vez las esquinas")
        >>> corners = Exercise("Esquinas de un cuadrado", checker,
        ...                    hint="Dibuja el cuadrado.", solution="corners = 4")
        >>> corners.evaluate(____).status, corners.evaluate(3).status, corners.evaluate(4).status
        ('not_attempted', 'incorrect', 'correct')
    """

    def __init__(self, title: str, checker: Callable[..., None], hint: str, solution: str,
                 success: str = "¡Bien hecho!") -> None:
        self.title = title
        self._checker = checker
        self._hint = hint
        self._solution = textwrap.dedent(solution).strip()
        self._success = success

    def __repr__(self) -> str:
        return f"Ejercicio: {self.title}"

    @property
    def solution_code(self) -> str:
        """Texto de la solución (las pruebas comprueban que coincide con el cuaderno de soluciones)."""
        return self._solution

    def evaluate(self, *answers: Any) -> Feedback:
        """Comprueba la respuesta sin mostrar nada y devuelve un ``Feedback``."""
        if any(is_placeholder(answer) for answer in answers):
            return Feedback("not_attempted", self._not_attempted_text())
        try:
            self._checker(*answers)
        except NotAttempted:
            return Feedback("not_attempted", self._not_attempted_text())
        except Incorrect as error:
            return Feedback("incorrect", f"{error}\nLlama a .hint() para una pista.")
        return Feedback("correct", self._success)

    def check(self, *answers: Any) -> None:
        """Comprueba la respuesta y muestra el resultado en español."""
        feedback = self.evaluate(*answers)
        _show(feedback.status, feedback.message)
        if strict_checks() and feedback.status == "incorrect":
            raise AssertionError(f"{self.title}: {feedback.message}")

    def hint(self) -> None:
        """Muestra una pista."""
        _show("hint", self._hint)

    def solution(self) -> None:
        """Muestra la solución."""
        _show("solution", self._solution)

    def _not_attempted_text(self) -> str:
        return (f"«{self.title}»: sustituye ____ por tu respuesta y vuelve a ejecutar la celda. "
                "Si te atascas, .hint() da una pista y .solution() muestra la solución.")
