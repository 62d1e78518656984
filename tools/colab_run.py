"""Ejecuta un cuaderno como Colab o Kaggle: solo en una carpeta vacía, y si su núcleo muere dice dónde y por qué.

Lo usan las pruebas de los cuadernos del estudiante (``tests/test_notebooks_installed.py``) y
``make test-newest`` (``tools/newest.py``), que los ejecuta con las versiones más nuevas de los marcos.
"""
from __future__ import annotations

import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from jupyter_client import AsyncKernelManager
from jupyter_core.utils import run_sync
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, DeadKernelError

from helpers.cli import SpanishParser

CELL_TIMEOUT = 900


class KernelDied(RuntimeError):
    """El núcleo del cuaderno terminó a mitad de una celda (p. ej., abortado por una biblioteca de C++)."""


def _exit_description(returncode: int | None) -> str:
    """``'señal SIGABRT'`` para un proceso matado por una señal, ``'código de salida N'`` si salió solo.

    Ejemplo:
        >>> _exit_description(-6)
        'señal SIGABRT'
        >>> _exit_description(1)
        'código de salida 1'
    """
    if returncode is None:
        return "sin código de salida conocido"
    if returncode < 0:
        return f"señal {signal.Signals(-returncode).name}"
    return f"código de salida {returncode}"


def run_alone(notebook: Path, workdir: Path, extra_cells: tuple[str, ...] = (),
              timeout: int = CELL_TIMEOUT) -> nbformat.NotebookNode:
    """Copia ``notebook`` en ``workdir`` (vacía), lo ejecuta allí y devuelve el cuaderno con sus salidas.

    ``extra_cells`` son celdas de código que se añaden al final (p. ej., para preguntar al núcleo
    de dónde importó ``helpers``). El núcleo es el ``python3`` del intérprete que llama, con el
    entorno (``PYTHONPATH``, ``CNN_FAST``…) de este proceso.

    Si el núcleo muere, lanza ``KernelDied`` en un par de segundos, con la celda y la señal:
    nbclient comprueba cada segundo que el núcleo sigue vivo, pero solo con un gestor
    asíncrono (``AsyncKernelManager``); con uno síncrono, un núcleo abortado queda zombi y la
    ejecución espera hasta el límite de tiempo.

    Ejemplo:
        nb = run_alone(Path("notebooks/01_imagenes_como_numeros.ipynb"), Path("/tmp/vacia"))
    """
    workdir.mkdir(parents=True, exist_ok=True)
    shutil.copy(notebook, workdir / notebook.name)
    nb = nbformat.read(workdir / notebook.name, as_version=4)
    nb.cells.extend(nbformat.v4.new_code_cell(source) for source in extra_cells)
    # IPC en lugar de puertos TCP: dos núcleos que arrancan a la vez no pueden quitarse los puertos.
    kernel = AsyncKernelManager(kernel_name="python3", transport="ipc", ip=str(workdir / ".kernel"))
    running = {}
    client = NotebookClient(nb, km=kernel, timeout=timeout, resources={"metadata": {"path": str(workdir)}},
                            on_cell_execute=lambda cell, cell_index: running.update(cell=cell, index=cell_index))
    try:
        client.execute()
    except DeadKernelError as error:
        process = kernel.provisioner.process if kernel.provisioner else None
        how = _exit_description(process.poll() if process else None)
        first_line = running["cell"].source.strip().splitlines()[0] if running else ""
        raise KernelDied(f"{notebook.name}: el núcleo murió ({how}) en la celda {running.get('index')}: "
                         f"{first_line!r}") from error
    finally:
        # nbclient solo apaga los núcleos que crea él: este lo creamos aquí, así que lo apagamos aquí.
        if kernel.has_kernel:
            run_sync(kernel.shutdown_kernel)(now=True)
    return nb


def _outcome(notebook: Path, workdir: Path) -> str:
    """``'bien'`` o, si falla, el error en una línea (la celda y la excepción, o la señal del núcleo)."""
    try:
        run_alone(notebook, workdir)
    except KernelDied as error:
        return str(error).removeprefix(f"{notebook.name}: ")
    except CellExecutionError as error:
        return f"{error.ename}: {error.evalue}".splitlines()[0][:200]
    return "bien"


def main(argv: list[str] | None = None) -> int:
    """Ejecuta cada cuaderno en su carpeta vacía con el entorno de este intérprete e imprime una tabla.

    Ejemplo (desde la raíz del repositorio, con ``helpers`` instalado en el intérprete):
        CNN_FAST=1 python -m tools.colab_run notebooks/01_imagenes_como_numeros.ipynb
    """
    parser = SpanishParser(prog="python -m tools.colab_run", description=main.__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    args = parser.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory(prefix="colab-") as tmp:
        for notebook in args.notebooks:
            started = time.monotonic()
            result = _outcome(notebook, Path(tmp) / notebook.stem / "content")
            rows.append((notebook.name, result, time.monotonic() - started))
            print(f"{notebook.name}: {result} ({rows[-1][2]:.0f} s)", flush=True)
    print("\n| Cuaderno | Resultado | Tiempo |\n|---|---|---|")
    for name, result, seconds in rows:
        print(f"| {name} | {result} | {seconds:.0f} s |")
    return 0 if all(result == "bien" for _, result, _ in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
