"""Órdenes de ``helpers.datasets`` desde la terminal: ``python -m helpers.datasets replica CARPETA [conjunto …]``."""
from __future__ import annotations

import sys
from pathlib import Path

from helpers.cli import SpanishParser
from helpers.datasets.errors import DatasetError
from helpers.datasets.registry import REGISTRY
from helpers.datasets.replica import build_replica


def main(argv: list[str] | None = None) -> int:
    """Ejecuta la orden de ``argv`` y devuelve el código de salida (0 si todo fue bien).

    Ejemplo:
        >>> main(["replica", "/media/usb/replica-cnn", "fashion-mnist"])  # doctest: +SKIP
        0
    """
    parser = SpanishParser(prog="python -m helpers.datasets",
                                     description="Datos del Curso CNN.")
    commands = parser.add_subparsers(dest="command", metavar="ORDEN", required=True)
    replica = commands.add_parser(
        "replica", help="descarga los archivos oficiales a una réplica (para USB o un servidor del aula)")
    replica.add_argument("folder", type=Path, metavar="CARPETA", help="carpeta de la réplica")
    replica.add_argument("datasets", nargs="*", metavar="conjunto",
                         help=f"conjuntos que incluir (por defecto, todos: {', '.join(REGISTRY)})")
    args = parser.parse_args(argv)
    try:
        folder = build_replica(args.folder, args.datasets or None)
    except DatasetError as error:
        print(f"Error: {error}", file=sys.stderr)
        return 1
    print(f"Réplica lista en {folder}. Para usarla:\n"
          f"  - en este equipo o copiada a una memoria USB: CNN_MIRROR={folder}\n"
          f"  - en el aula: python -m http.server --directory {folder} 8000  y, en cada equipo, "
          "CNN_MIRROR=http://<dirección de este equipo>:8000")
    return 0


if __name__ == "__main__":
    sys.exit(main())
