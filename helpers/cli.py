"""Analizador de argumentos de las órdenes del curso, con la ayuda y los errores en español.

``argparse`` escribe «usage:» y sus errores en inglés; ``SpanishParser`` dice «uso:» y explica
en español qué falta o qué sobra. Lo usan las órdenes de ``helpers`` y de ``tools``.

Ejemplo:
    >>> parser = SpanishParser(prog="python -m tools.bench", description="Mide un cuaderno.")
    >>> _ = parser.add_argument("number", help="número del cuaderno")
    >>> parser.format_usage()
    'uso: python -m tools.bench [-h] number\\n'
"""
from __future__ import annotations

import argparse
import re
import sys
from typing import NoReturn

__all__ = ["SpanishParser"]

# Mensajes de argparse (Python 3.11–3.13) y su versión en español.
_MESSAGES = [
    (r"the following arguments are required: (.*)", r"faltan argumentos obligatorios: \1"),
    (r"unrecognized arguments: (.*)", r"argumentos que no conozco: \1"),
    (r"argument (.*?): invalid choice: (.*?) \(choose from (.*)\)", r"argumento \1: \2 no es válido (elige entre \3)"),
    (r"argument (.*?): invalid (\w+) value: (.*)", r"argumento \1: \3 no es un valor \2 válido"),
    (r"argument (.*?): expected one argument", r"al argumento \1 le falta su valor"),
    (r"argument (.*?): expected at least one argument", r"al argumento \1 le falta al menos un valor"),
]


class _SpanishFormatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):  # noqa: ANN001, ANN201 (firma de argparse)
        super().add_usage(usage, actions, groups, "uso: " if prefix is None else prefix)


class SpanishParser(argparse.ArgumentParser):
    """``argparse.ArgumentParser`` con «uso:», «-h, --help» y los errores en español.

    Un error (un argumento que falta, uno desconocido…) imprime la línea de uso y el motivo en
    español y sale con el código 2, como ``argparse``.

    Ejemplo:
        >>> SpanishParser(prog="orden").format_help().splitlines()[0]
        'uso: orden [-h]'
    """

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003 (los de argparse)
        kwargs.setdefault("formatter_class", _SpanishFormatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "argumentos"
        self._optionals.title = "opciones"
        self.add_argument("-h", "--help", action="help", help="muestra esta ayuda y termina")

    def error(self, message: str) -> NoReturn:
        for pattern, spanish in _MESSAGES:
            message = re.sub(pattern, spanish, message)
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {message}\n")
