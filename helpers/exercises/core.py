"""Motor de los ejercicios: comprueba una respuesta y da una respuesta clara en español."""
from __future__ import annotations

import ast
import inspect
import linecache
import os
import re
import sys
import textwrap
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from numbers import Real
from typing import Any

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
    "note": ("ℹ️ Nota", "#37474f"),
    "error": ("🔎 Qué significa este error", "#c62828"),
}


#: Negrita de Markdown en un mensaje: ``**texto**`` (en HTML, <b>; en texto plano, sin asteriscos).
_BOLD = re.compile(r"\*\*(.+?)\*\*", re.DOTALL)


class _Message:
    """Mensaje que Jupyter muestra con color (``**negrita**`` en negrita) y una terminal como texto plano."""

    def __init__(self, kind: str, text: str) -> None:
        self.label, self.color = _STYLE[kind]
        self.text = text

    def __repr__(self) -> str:
        plain = self.text if self.label.endswith("Solución") else _BOLD.sub(r"\1", self.text)
        return f"{self.label}: {plain}"

    def _repr_html_(self) -> str:
        import html

        body = _BOLD.sub(r"<b>\1</b>", html.escape(self.text)).replace("\n", "<br>")
        if self.label.endswith("Solución"):
            body = f"<pre>{html.escape(self.text)}</pre>"
        return f'<span style="color:{self.color}"><b>{self.label}:</b></span> {body}'


#: Tipo MIME del registro que acompaña al resultado de un ejercicio (lo lee ``tools.class_report``).
RECORD_MIME = "application/vnd.curso-cnn.exercise+json"


def _show(kind: str, text: str, record: Mapping[str, str] | None = None) -> None:
    """Muestra un mensaje; con ``record``, la misma salida lleva además el registro del ejercicio.

    El registro va en el mismo paquete de formatos que el texto (``text/html`` y ``text/plain``):
    JupyterLab, Colab y VS Code muestran el HTML e ignoran el tipo MIME que no conocen, así que
    el estudiante no ve nada más; el cuaderno guardado lo conserva.
    """
    message = _Message(kind, text)
    try:
        from IPython import get_ipython
        from IPython.display import display

        if get_ipython() is not None:
            bundle = {"text/plain": repr(message), "text/html": message._repr_html_()}
            if record is not None:
                bundle[RECORD_MIME] = dict(record)
            display(bundle, raw=True)
            return
    except ImportError:
        pass
    print(repr(message))


def course_exercises(module_name: str) -> dict[str, Exercise]:
    """Los ejercicios que define un módulo del curso (``helpers.exercises.nb01``), en su orden.

    Ejemplo:
        >>> list(course_exercises("helpers.exercises.nb00"))
        ['batch_size']
    """
    import importlib

    module = importlib.import_module(module_name)
    return {name: value for name, value in vars(module).items()
            if isinstance(value, Exercise) and value.module == module_name}


def is_placeholder(value: Any) -> bool:
    """Indica si ``value`` es el marcador ``____`` (o lo contiene, en una tupla o lista)."""
    if isinstance(value, _Placeholder):
        return True
    if isinstance(value, (tuple, list)):
        return any(is_placeholder(item) for item in value)
    return False


def require_answer(value: Any, name: str = "tu respuesta") -> None:
    """Lanza ``NotAttempted`` si ``value`` sigue sin responder y ``Incorrect`` si falta en modo estricto.

    Sin responder es el marcador ``____`` y, para el estudiante, también ``None``: los cuadernos
    ponen ``model = None`` antes de un ejercicio para que ``choose`` use la referencia si su
    código falla. Con ``CNN_STRICT_CHECKS=1`` (pruebas y mediciones de las soluciones), ``None``
    es un error: la celda de la solución no asignó su resultado.

    Ejemplo:
        >>> from unittest import mock
        >>> with mock.patch.dict(os.environ, {"CNN_STRICT_CHECKS": "1"}):
        ...     require_answer(None, "model")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        helpers.exercises.core.Incorrect: model vale None: la celda no le asignó su resultado (...
    """
    if is_placeholder(value):
        raise NotAttempted
    if value is None:
        if not strict_checks():
            raise NotAttempted
        raise Incorrect(f"{name} vale None: la celda no le asignó su resultado (¿falló el código antes "
                        "o falta la asignación?).")


def call_learner_function(function: Callable, *args: Any, **kwargs: Any) -> Any:
    """Llama a la función del estudiante y traduce sus fallos a mensajes claros en español.

    Ejemplo:
        >>> call_learner_function(lambda n: n + 1, 1)
        2
    """
    require_answer(function, "tu función")
    if not callable(function):
        raise Incorrect(f"esperaba una función y recibí {type(function).__name__}: pasa el nombre "
                        "de la función, sin paréntesis ni argumentos (check(mi_funcion)).")
    try:
        result = function(*args, **kwargs)
    except Exception as error:  # el error del estudiante se explica, no se propaga
        raise Incorrect(explain_exception(error, function)) from None
    if is_placeholder(result):
        raise NotAttempted
    return result


def call_for_result(function: Callable, *args: Any, **kwargs: Any) -> Any:
    """Como ``call_learner_function``, pero una función que no devuelve nada (sin ``return``) es un error.

    Ejemplo:
        >>> call_for_result(lambda n: None, 1)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        helpers.exercises.core.Incorrect: tu función no devuelve nada (None): ¿falta el return ...
    """
    result = call_learner_function(function, *args, **kwargs)
    if result is None:
        raise Incorrect("tu función no devuelve nada (None): ¿falta el return al final? Sin él, "
                        "lo que calcula se pierde al salir de la función.")
    return result


def learner_code(function: Callable) -> ast.AST | None:
    """Árbol sintáctico del código de ``function`` (definida en un cuaderno o un archivo), o ``None``.

    ``None`` si el código no se puede leer: entonces el comprobador no rechaza nada por el código.

    Ejemplo:
        >>> def double(x):
        ...     return 2 * x
        >>> type(learner_code(double).body[0]).__name__
        'FunctionDef'
    """
    try:
        return ast.parse(textwrap.dedent(inspect.getsource(function)))
    except (OSError, TypeError, SyntaxError, IndentationError):
        return None


_LOOP_NODES = {ast.For: "for", ast.AsyncFor: "for", ast.While: "while", ast.ListComp: "comprensión",
               ast.SetComp: "comprensión", ast.DictComp: "comprensión", ast.GeneratorExp: "comprensión"}


def loops_in(function: Callable) -> list[str]:
    """Bucles que escribe ``function``: ``for``, ``while`` y comprensiones (``[… for …]``).

    Ejemplo:
        >>> def total(values):
        ...     return sum(v for v in values)
        >>> loops_in(total)
        ['comprensión']
    """
    tree = learner_code(function)
    if tree is None:
        return []
    return sorted({_LOOP_NODES[type(node)] for node in ast.walk(tree) if type(node) in _LOOP_NODES})


def _dotted(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value)
        return f"{base}.{node.attr}" if base else node.attr
    return None


def calls_in(function: Callable, names: Iterable[str]) -> list[str]:
    """Las llamadas de ``function`` a alguna de ``names`` (por su último nombre: ``correlate2d``
    encuentra ``signal.correlate2d(…)``), tal como están escritas.

    Ejemplo:
        >>> import numpy as np
        >>> def blur(image):
        ...     return np.convolve(image, [0.5, 0.5])
        >>> calls_in(blur, ["convolve", "correlate"])
        ['np.convolve']
    """
    tree = learner_code(function)
    wanted = set(names)
    found = {_dotted(node.func) for node in ast.walk(tree or ast.Module(body=[], type_ignores=[]))
             if isinstance(node, ast.Call)}
    return sorted(name for name in found if name and name.rsplit(".", 1)[-1] in wanted)


_NUMPY_BROADCAST = re.compile(r"shapes? ([\d(), ]+?\)) ([\d(), ]+?\))")
_TORCH_BROADCAST = re.compile(r"size of tensor a \((\d+)\) must match the size of tensor b \((\d+)\) "
                              r"at non-singleton dimension (\d+)")


def broadcast_mismatch(error: BaseException | None) -> str | None:
    """Qué no encaja, en español, si ``error`` es un fallo de *broadcasting* de NumPy o PyTorch; si no, ``None``.

    Ejemplo:
        >>> broadcast_mismatch(RuntimeError("The size of tensor a (5) must match the size of "
        ...                                 "tensor b (3) at non-singleton dimension 3"))  # doctest: +ELLIPSIS
        'opera elemento a elemento dos tensores que no encajan en el eje 3 (5 frente a 3; ...)'
    """
    text = str(error)
    numpy = _NUMPY_BROADCAST.search(text) if "broadcast" in text else None
    if numpy:
        first, second = (re.sub(r",(?=\S)", ", ", shape) for shape in numpy.groups())
        return (f"opera elemento a elemento dos arrays de formas {first} y {second}, que no "
                "encajan (sus tamaños deben coincidir eje a eje)")
    torch = _TORCH_BROADCAST.search(text)
    if torch:
        first, second, axis = torch.groups()
        return (f"opera elemento a elemento dos tensores que no encajan en el eje {axis} ({first} "
                f"frente a {second}; sus tamaños deben coincidir eje a eje o ser 1)")
    return None


def explain_exception(error: BaseException, function: Callable | None = None) -> str:
    """Explica en español un error lanzado por el código del estudiante (sin el texto en inglés).

    Si se pasa ``function``, indica la línea de esa función donde ocurrió.

    Ejemplo:
        >>> explain_exception(ZeroDivisionError("division by zero"))
        'tu código divide entre cero (ZeroDivisionError).'
    """
    what = broadcast_mismatch(error) or _what_failed(error)
    line = _learner_line(error, function)
    where = f" en la línea «{line}»" if line else ""
    subject = "tu función" if function is not None else "tu código"
    return f"{subject}{where} {what} ({type(error).__name__})."


def _what_failed(error: BaseException) -> str:
    """Qué hizo mal el código, según el tipo de ``error``: el final de la frase de ``explain_exception``."""
    if isinstance(error, NameError) and getattr(error, "name", None):
        return f"usa el nombre «{error.name}», que no está definido en ese punto"
    if isinstance(error, AttributeError) and getattr(error, "name", None):
        return (f"pide el atributo «{error.name}» a un objeto de tipo "
                f"{type(getattr(error, 'obj', None)).__name__}, que no lo tiene")
    if isinstance(error, ZeroDivisionError):
        return "divide entre cero"
    if isinstance(error, IndexError):
        return "usa un índice que se sale del array o de la lista"
    if isinstance(error, TypeError):
        return "combina valores de tipos que esa operación no admite"
    if isinstance(error, ValueError):
        return "pasa a una función un valor o una forma que no acepta"
    return "se detuvo con un error"


def _learner_line(error: BaseException, function: Callable | None) -> str | None:
    """Texto de la última línea de ``function`` por la que pasó ``error``."""
    code = getattr(function, "__code__", None)
    if code is None:
        return None
    line = None
    traceback = error.__traceback__
    while traceback is not None:
        frame = traceback.tb_frame
        if frame.f_code.co_filename == code.co_filename:
            line = linecache.getline(code.co_filename, traceback.tb_lineno).strip() or line
        traceback = traceback.tb_next
    return line


def same_value(answer: Any, expected: Any, atol: float = 0.0) -> bool:
    """Indica si ``answer`` coincide con ``expected``: números con tolerancia, arrays por forma y
    valores, textos sin espacios alrededor, tuplas y listas elemento a elemento.

    Ejemplo:
        >>> same_value(0.30000001, 0.3, atol=1e-6), same_value((28, 28), [28, 28]), same_value(3, "3")
        (True, True, False)
    """
    if isinstance(answer, (bool, np.bool_)) or isinstance(expected, (bool, np.bool_)):
        return type(answer) is type(expected) and answer == expected
    if isinstance(expected, str) or isinstance(answer, str):
        return isinstance(answer, str) and isinstance(expected, str) and \
            answer.strip() == expected.strip()
    if isinstance(expected, Real) or isinstance(expected, np.number):
        return isinstance(answer, (Real, np.number)) and \
            bool(np.isclose(float(answer), float(expected), rtol=0.0, atol=atol))
    if isinstance(expected, np.ndarray) or isinstance(answer, np.ndarray):
        try:
            a, e = np.asarray(answer, dtype=np.float64), np.asarray(expected, dtype=np.float64)
        except (TypeError, ValueError):
            return False
        return a.shape == e.shape and bool(np.allclose(a, e, rtol=0.0, atol=atol))
    if isinstance(expected, (tuple, list)):
        return isinstance(answer, (tuple, list)) and len(answer) == len(expected) and all(
            same_value(a, e, atol) for a, e in zip(answer, expected))
    return answer == expected


@dataclass(frozen=True)
class Expected:
    """Una respuesta esperada, con sus errores típicos (al estilo de ``EqualityCheckProblem``).

    ``mistakes`` asocia respuestas equivocadas frecuentes con su explicación; ``otherwise`` se
    usa para cualquier otra respuesta equivocada. ``convert`` valida y convierte la respuesta
    antes de compararla (por ejemplo, ``as_count``) y puede lanzar ``Incorrect``. Con
    ``show_answer=True`` el mensaje repite la respuesta («conv1: 72 no es correcto; …»).

    Ejemplo:
        >>> sides = Expected("lados", 4, mistakes={3: "eso es un triángulo."},
        ...                  otherwise="cuenta los lados de un cuadrado.")
        >>> sides.problem(4) is None, sides.problem(3), sides.problem(5)
        (True, 'lados: eso es un triángulo.', 'lados: cuenta los lados de un cuadrado.')
    """

    label: str
    value: Any
    mistakes: Mapping[Any, str] = field(default_factory=dict)
    otherwise: str = ""
    atol: float = 0.0
    convert: Callable[[Any, str], Any] | None = None
    show_answer: bool = False

    def problem(self, answer: Any) -> str | None:
        """Explicación de lo que falla en ``answer`` (con la etiqueta delante), o ``None``."""
        if self.convert is not None:
            answer = self.convert(answer, self.label)
        if same_value(answer, self.value, self.atol):
            return None
        explanation = next((text for wrong, text in self.mistakes.items()
                            if same_value(answer, wrong, self.atol)), self.otherwise)
        if not explanation:
            return f"{self.label}: {answer!r} no es correcto."
        if self.show_answer:
            return f"{self.label}: {answer!r} no es correcto; {explanation}"
        return f"{self.label}: {explanation}"


def check_expected(*pairs: tuple[Expected, Any]) -> None:
    """Compara cada respuesta con su ``Expected`` y lanza ``Incorrect`` con todos los fallos
    (también los de formato que detecta ``convert``).

    Ejemplo:
        >>> check_expected((Expected("a", 1), 1), (Expected("b", 2, otherwise="es 2."), 2))
    """
    problems = []
    for expected, answer in pairs:
        try:
            problem = expected.problem(answer)
        except Incorrect as error:
            problem = str(error)
        if problem is not None:
            problems.append(problem)
    if problems:
        raise Incorrect("\n".join(problems))


def equality_checker(*expected: Expected) -> Callable[..., None]:
    """Comprobador de un ejercicio cuyas respuestas son valores fijos, en el orden de ``expected``.

    Ejemplo:
        >>> check = equality_checker(Expected("lados", 4, {3: "eso es un triángulo."}))
        >>> check(4)   # correcta: no lanza nada
    """
    def check(*answers: Any) -> None:
        check_expected(*zip(expected, answers))

    return check


def known_mistake(results: Sequence[Any], mistakes: Iterable[tuple[Callable, str]],
                  cases: Sequence[tuple], atol: float = 1e-6) -> str | None:
    """Explicación del primer error típico que reproduce ``results`` en todos los ``cases``.

    ``results[i]`` es lo que dio el estudiante con los argumentos ``cases[i]``; cada error típico
    es ``(función equivocada, explicación)`` (al estilo de ``FunctionProblem``).

    Ejemplo:
        >>> mistakes = [(lambda n: n + 1, "sumas 1 de más."), (lambda n: 2 * n, "duplicas.")]
        >>> known_mistake([4, 6], mistakes, [(2,), (3,)])
        'duplicas.'
    """
    for wrong, explanation in mistakes:
        try:
            expected = [wrong(*case) for case in cases]
        except Exception:  # un error típico que no se aplica a estos casos no coincide
            continue
        if all(same_value(got, want, atol) for got, want in zip(results, expected)):
            return explanation
    return None


def as_count(value: Any, name: str) -> int:
    """Convierte la respuesta ``name`` en un entero, o explica por qué no es un número de parámetros.

    Ejemplo:
        >>> as_count(80.0, "conv1_params")
        80
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (Real, np.number)):
        raise Incorrect(f"{name} debe ser un número entero; es {value!r}.")
    if not float(value).is_integer():
        raise Incorrect(f"{name} vale {value}: es una cuenta (de parámetros, valores u "
                        "operaciones), así que es un entero. ¿Usaste / en vez de // al calcular "
                        "un tamaño?")
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
    """En las pruebas y mediciones (``CNN_STRICT_CHECKS=1``) una respuesta incorrecta o ``None`` detiene el cuaderno.

    Ejemplo:
        >>> strict_checks() in (True, False)
        True
    """
    return os.environ.get("CNN_STRICT_CHECKS", "") == "1"


class Exercise:
    """Un ejercicio con comprobación, pista y solución.

    ``checker`` recibe la(s) respuesta(s) del estudiante; lanza ``Incorrect("…")``
    con lo que falla, o ``NotAttempted`` si sigue el marcador. Si no lanza nada, la
    respuesta es correcta. ``hint`` es un texto o dos: la idea y, después, una pista para el
    código (``.hint(2)``). Con ``bind`` el cuaderno da al comprobador sus propios datos.

    Ejemplo:
        >>> def checker(n):
        ...     if n != 4:
        ...         raise Incorrect("cuenta otra vez las esquinas")
        >>> corners = Exercise("Esquinas de un cuadrado", checker,
        ...                    hint="Dibuja el cuadrado.", solution="corners = 4")
        >>> corners.evaluate(____).status, corners.evaluate(3).status, corners.evaluate(4).status
        ('not_attempted', 'incorrect', 'correct')
    """

    def __init__(self, title: str, checker: Callable[..., None], hint: str | Sequence[str],
                 solution: str, success: str = "¡Bien hecho!") -> None:
        self.title = title
        self._checker = checker
        self._hints = (hint,) if isinstance(hint, str) else tuple(hint)
        self._hints_shown = 0
        self._context: dict[str, Any] = {}
        self._solution = textwrap.dedent(solution).strip()
        self._success = success
        self._accepted: tuple = ()
        #: Módulo que define el ejercicio (``helpers.exercises.nb01``): de él salen su cuaderno y su nombre.
        self.module = sys._getframe(1).f_globals.get("__name__", "")

    def __repr__(self) -> str:
        return f"Ejercicio: {self.title}"

    @property
    def solution_code(self) -> str:
        """Texto de la solución (las pruebas comprueban que coincide con el cuaderno de soluciones)."""
        return self._solution

    def bind(self, **context: Any) -> None:
        """Da al comprobador los objetos del cuaderno con los que comparar (los lotes, las épocas…).

        El comprobador los recibe como argumentos con nombre en cada comprobación.

        Ejemplo:
            >>> def at_least(n, minimum):
            ...     if n < minimum:
            ...         raise Incorrect(f"debe ser al menos {minimum}")
            >>> count = Exercise("Cuenta", at_least, hint="", solution="n = 5")
            >>> count.bind(minimum=3)
            >>> count.evaluate(2).status, count.evaluate(5).status
            ('incorrect', 'correct')
        """
        self._context = dict(context)

    def evaluate(self, *answers: Any) -> Feedback:
        """Comprueba la respuesta sin mostrar nada y devuelve un ``Feedback``."""
        if any(is_placeholder(answer) for answer in answers):
            return Feedback("not_attempted", self._not_attempted_text())
        try:
            self._checker(*answers, **self._context)
        except NotAttempted:
            return Feedback("not_attempted", self._not_attempted_text())
        except Incorrect as error:
            return Feedback("incorrect", f"{error}\nLlama a .hint() para una pista.")
        self._accepted = answers
        return Feedback("correct", self._success)

    def record(self, status: str) -> dict[str, str] | None:
        """Registro de un resultado para el informe de la clase, o ``None`` si no es un ejercicio del curso.

        Lleva el cuaderno (``"01"``), el nombre del ejercicio en su módulo (``"grayscale"``) y el
        estado de ``Feedback`` (``"correct"``, ``"incorrect"`` o ``"not_attempted"``).

        Ejemplo:
            >>> from helpers.exercises import nb00
            >>> nb00.batch_size.record("correct")
            {'notebook': '00', 'exercise': 'batch_size', 'status': 'correct'}
        """
        notebook = self.module.removeprefix("helpers.exercises.nb")
        if notebook == self.module:
            return None
        name = next((name for name, value in course_exercises(self.module).items() if value is self), None)
        return None if name is None else {"notebook": notebook, "exercise": name, "status": status}

    def check(self, *answers: Any) -> None:
        """Comprueba la respuesta y muestra el resultado en español (con su registro para el informe)."""
        feedback = self.evaluate(*answers)
        _show(feedback.status, feedback.message, self.record(feedback.status))
        if strict_checks() and feedback.status == "incorrect":
            raise AssertionError(f"{self.title}: {feedback.message}")

    def choose(self, answer: Any, reference: Any, what: str, *, lazy: bool = False) -> Any:
        """Devuelve ``answer`` si la comprobación lo acepta y, si no, ``reference``; dice cuál usa.

        Sirve para que las celdas siguientes usen el resultado del estudiante cuando es correcto
        y el del curso en otro caso. Si ``check`` ya aceptó este mismo objeto, no lo repite.
        Con ``lazy=True``, ``reference`` es una función que solo se llama si hace falta (por
        ejemplo, entrenar el modelo de referencia).

        Ejemplo:
            >>> def must_be_four(n):
            ...     if n != 4:
            ...         raise Incorrect("cuenta otra vez")
            >>> corners = Exercise("Esquinas", must_be_four, hint="", solution="corners = 4")
            >>> corners.choose(3, 4, "número de esquinas")  # doctest: +ELLIPSIS
            ℹ️ Nota: Uso la versión de referencia del curso (número de esquinas), porque tu número de esquinas ...
            4
        """
        if len(self._accepted) == 1 and self._accepted[0] is answer:
            status = "correct"
        else:
            status = self.evaluate(answer).status
        if status == "correct":
            _show("note", f"Uso tu {what}, que pasó la comprobación.", self.record(status))
            return answer
        _show("note", f"Uso la versión de referencia del curso ({what}), porque tu {what} aún "
                      "no pasa la comprobación.", self.record(status))
        return reference() if lazy else reference

    @property
    def hints(self) -> tuple[str, ...]:
        """Las pistas, de la idea a la más concreta (las pruebas comprueban que ninguna es la solución)."""
        return self._hints

    def hint(self, step: int | None = None) -> None:
        """Muestra la pista ``step`` (la 1 da la idea; la 2, una pista para el código) o, sin ``step``, la siguiente.

        Ejemplo:
            >>> corners = Exercise("Esquinas", lambda n: None, solution="corners = 4",
            ...                    hint=("Piensa en un cuadrado.", "Cuenta sus vértices."))
            >>> corners.hint()
            💡 Pista: (1 de 2) Piensa en un cuadrado.
            Si no basta, vuelve a llamar a .hint() (o .hint(2)) para una pista más concreta.
        """
        if step is None:
            step = self._hints_shown + 1
        step = min(max(step, 1), len(self._hints))
        self._hints_shown = step
        text = self._hints[step - 1]
        if len(self._hints) > 1:
            text = f"({step} de {len(self._hints)}) {text}"
            if step < len(self._hints):
                text += f"\nSi no basta, vuelve a llamar a .hint() (o .hint({step + 1})) para una pista más concreta."
        _show("hint", text)

    def solution(self) -> None:
        """Muestra la solución."""
        _show("solution", self._solution)

    def _not_attempted_text(self) -> str:
        return (f"«{self.title}»: sustituye ____ por tu respuesta y vuelve a ejecutar la celda. "
                "Si te atascas, .hint() da una pista y .solution() muestra la solución.")


# ---------------------------------------------------------------------------
# Estructura de un modelo (Keras o PyTorch)
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class LayerInfo:
    """Una capa tal como la ve el comprobador: tipo, forma de salida (sin el lote), parámetros."""

    kind: str
    output_shape: tuple
    params: int
    trainable: int
    activation: str | None = None


def _group(n: int) -> str:
    """Número con espacios de millar, como se escribe en español: 34 826."""
    return f"{n:,}".replace(",", " ")


def _shape_text(shape: tuple) -> str:
    return str(tuple(int(d) for d in shape))


def _is_keras(model: Any) -> bool:
    return any(cls.__module__.startswith("keras") for cls in type(model).__mro__)


def _is_torch(model: Any) -> bool:
    return any(cls.__module__.startswith("torch.nn") for cls in type(model).__mro__)


def _keras_layers(model: Any) -> list[LayerInfo]:
    infos = []
    for layer in model.layers:
        if type(layer).__name__ == "InputLayer":
            continue
        try:
            shape = tuple(layer.output.shape[1:])
        except (AttributeError, ValueError):
            raise Incorrect("no puedo leer las formas de tu modelo: empieza la lista de capas con "
                            "keras.Input(shape=…) para que Keras lo construya.") from None
        activation = getattr(layer, "activation", None)
        trainable = sum(int(np.prod(w.shape)) for w in layer.trainable_weights)
        infos.append(LayerInfo(type(layer).__name__, shape, int(layer.count_params()), trainable,
                               getattr(activation, "__name__", None)))
    return infos


def _torch_layers(model: Any, input_shape: tuple) -> list[LayerInfo]:
    import torch

    leaves = [m for m in model.modules() if not list(m.children())]
    infos: list[LayerInfo] = []

    def hook(module, inputs, output):
        params = sum(p.numel() for p in module.parameters())
        trainable = sum(p.numel() for p in module.parameters() if p.requires_grad)
        shape = tuple(output.shape[1:]) if hasattr(output, "shape") else ()
        infos.append(LayerInfo(type(module).__name__, shape, int(params), int(trainable)))

    handles = [leaf.register_forward_hook(hook) for leaf in leaves]
    was_training = model.training
    try:
        model.eval()
        with torch.no_grad():
            model(torch.zeros((2, *input_shape)))
    except Exception as error:
        raise Incorrect(f"tu modelo no acepta una entrada de forma {_shape_text(input_shape)} "
                        f"(sin el lote): {explain_exception(error)}") from None
    finally:
        for handle in handles:
            handle.remove()
        model.train(was_training)
    return infos


def model_layers(model: Any, input_shape: tuple | None = None) -> list[LayerInfo]:
    """Describe las capas de un modelo de Keras o de PyTorch, en el orden en que se aplican.

    En PyTorch hace falta ``input_shape`` (sin el lote, canales primero) para recorrer el modelo
    con una entrada de ceros y anotar la forma de salida de cada capa.

    Ejemplo:
        >>> import torch
        >>> [layer.kind for layer in model_layers(torch.nn.Sequential(torch.nn.Flatten(),
        ...     torch.nn.Linear(4, 2)), input_shape=(1, 2, 2))]
        ['Flatten', 'Linear']
    """
    if _is_keras(model):
        return _keras_layers(model)
    if _is_torch(model):
        if input_shape is None:
            raise ValueError("model_layers necesita input_shape para un modelo de PyTorch.")
        return _torch_layers(model, input_shape)
    raise Incorrect(f"esperaba un modelo de Keras o de PyTorch y recibí {type(model).__name__}.")


@dataclass(frozen=True)
class ModelSpec:
    """Estructura esperada de un modelo: capas (tipo, forma, activación) y parámetros.

    Se construye a partir del modelo de referencia del curso con ``ModelSpec.of(modelo)``.
    ``check`` compara con ella el modelo del estudiante y explica en español la primera
    diferencia (tipo de capa, forma de salida, activación, parámetros, congelados).

    Ejemplo:
        >>> import torch
        >>> spec = ModelSpec.of(torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(4, 2)),
        ...                     input_shape=(1, 2, 2))
        >>> spec.check(torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(4, 2)))
        >>> try:
        ...     spec.check(torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(4, 3)))
        ... except Incorrect as error:
        ...     print(error)
        la capa 2 (Linear) da una salida de forma (3,) y debería dar (2,).
    """

    layers: tuple[LayerInfo, ...]
    input_shape: tuple | None = None

    @classmethod
    def of(cls, model: Any, input_shape: tuple | None = None) -> ModelSpec:
        """La estructura de ``model`` (el modelo de referencia)."""
        return cls(tuple(model_layers(model, input_shape)), input_shape)

    @property
    def params(self) -> int:
        return sum(layer.params for layer in self.layers)

    @property
    def trainable(self) -> int:
        return sum(layer.trainable for layer in self.layers)

    def check(self, model: Any) -> None:
        """Lanza ``Incorrect`` con la primera diferencia entre ``model`` y esta estructura."""
        require_answer(model, "el modelo")
        got = model_layers(model, self.input_shape)
        want = self.layers
        kinds_got = [layer.kind for layer in got]
        kinds_want = [layer.kind for layer in want]
        for i, (g, w) in enumerate(zip(got, want), start=1):
            if g.kind != w.kind:
                raise Incorrect(f"la capa {i} debería ser {w.kind} y es {g.kind}. Capas "
                                f"esperadas: {', '.join(kinds_want)}.")
            if g.output_shape != w.output_shape:
                raise Incorrect(f"la capa {i} ({g.kind}) da una salida de forma "
                                f"{_shape_text(g.output_shape)} y debería dar "
                                f"{_shape_text(w.output_shape)}.")
            if g.activation != w.activation:
                raise Incorrect(f"la capa {i} ({g.kind}) usa la activación «{g.activation}» y "
                                f"debería usar «{w.activation}».")
        if len(got) != len(want):
            if len(got) < len(want):
                missing = ", ".join(kinds_want[len(got):])
                raise Incorrect(f"tu modelo tiene {len(got)} capas y esperaba {len(want)}: "
                                f"faltan al final {missing}.")
            extra = ", ".join(kinds_got[len(want):])
            raise Incorrect(f"tu modelo tiene {len(got)} capas y esperaba {len(want)}: sobran "
                            f"al final {extra}.")
        params = sum(layer.params for layer in got)
        if params != self.params:
            layer = next(i for i, (g, w) in enumerate(zip(got, want), 1) if g.params != w.params)
            raise Incorrect(f"esperaba {_group(self.params)} parámetros y tu modelo tiene "
                            f"{_group(params)}; la primera capa que difiere es la {layer} "
                            f"({got[layer - 1].kind}: {_group(got[layer - 1].params)} en vez de "
                            f"{_group(want[layer - 1].params)}).")
        trainable = sum(layer.trainable for layer in got)
        if trainable != self.trainable:
            raise Incorrect(f"esperaba {_group(self.trainable)} parámetros entrenables y "
                            f"{_group(self.params - self.trainable)} congelados; tu modelo tiene "
                            f"{_group(trainable)} entrenables y {_group(params - trainable)} "
                            "congelados.")


#: Ajustes de cada capa de Keras que fija la descripción de una red y que la forma de salida, la
#: activación y los parámetros no delatan: la tasa de Dropout, el relleno, el paso, el momento y el
#: épsilon de la normalización por lotes, un regularizador o una restricción añadidos…
FIXED_SETTINGS = ("rate", "noise_shape", "strides", "padding", "dilation_rate", "pool_size",
                  "momentum", "epsilon", "center", "scale",
                  "kernel_regularizer", "bias_regularizer", "activity_regularizer",
                  "beta_regularizer", "gamma_regularizer",
                  "kernel_constraint", "bias_constraint", "beta_constraint", "gamma_constraint")


def _setting_group(layer: Any) -> tuple:
    """Capas comparables entre sí: mismo tipo y mismo tamaño de núcleo."""
    return type(layer).__name__, str(layer.get_config().get("kernel_size"))


def check_layer_settings(model: Any, reference: Any) -> None:
    """Lanza ``Incorrect`` si una capa de ``model`` cambia un ajuste de ``FIXED_SETTINGS`` de su capa en ``reference``.

    Las capas se emparejan por tipo y tamaño de núcleo, en el orden del modelo: así una red
    funcional que escribe el atajo antes o después del camino principal se compara bien. Se usa
    después de ``ModelSpec.check``, que ya comprobó los tipos de capa.

    Ejemplo:
        >>> import keras
        >>> reference = keras.Sequential([keras.Input((4,)), keras.layers.Dropout(0.5)])
        >>> check_layer_settings(keras.Sequential([keras.Input((4,)), keras.layers.Dropout(0.2)]),
        ...                      reference)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        helpers.exercises.core.Incorrect: la capa 1 (Dropout) tiene rate=0.2 y la red descrita usa 0.5: ...
    """
    pending: dict[tuple, list] = {}
    for layer in reference.layers:
        pending.setdefault(_setting_group(layer), []).append(layer.get_config())
    for i, layer in enumerate(model.layers, start=1):
        candidates = pending.get(_setting_group(layer))
        if not candidates:
            continue
        got, want = layer.get_config(), candidates.pop(0)
        for key in FIXED_SETTINGS:
            if key in want and got.get(key) != want[key]:
                raise Incorrect(f"la capa {i} ({type(layer).__name__}) tiene {key}={got.get(key)!r} "
                                f"y la red descrita usa {want[key]!r}: ese ajuste cambia cómo entrena "
                                "la red.")


def training_history(history: Any, name: str) -> dict[str, list[float]]:
    """Las curvas de un ``History`` de Keras (lo que devuelve ``fit``), con validación y exactitud.

    Lanza ``Incorrect`` si ``history`` no es el objeto de ``fit`` o le faltan las curvas de
    validación (``validation_data``) o de exactitud (``metrics=["accuracy"]``).

    Ejemplo:
        >>> training_history({"loss": [1.0]}, "history")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        helpers.exercises.core.Incorrect: history debe ser lo que devuelve model.fit(...) (un History ...
    """
    require_answer(history, name)
    curves = getattr(history, "history", None)
    if not isinstance(curves, dict) or not hasattr(history, "model"):
        hint = " Si pasaste history.history, pasa history." if isinstance(history, dict) else ""
        raise Incorrect(f"{name} debe ser lo que devuelve model.fit(...) (un History de Keras); "
                        f"es {type(history).__name__}.{hint}")
    if not curves.get("loss"):
        raise Incorrect(f"{name} está vacío: ¿se interrumpió el entrenamiento antes de la primera época?")
    if "val_loss" not in curves:
        raise Incorrect(f"{name} no tiene curvas de validación: entrena con "
                        "model.fit(..., validation_data=val_ds).")
    if "accuracy" not in curves or "val_accuracy" not in curves:
        raise Incorrect(f"{name} no tiene la exactitud: compila con metrics=[\"accuracy\"].")
    return {key: [float(v) for v in values] for key, values in curves.items()}
