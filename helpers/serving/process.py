"""Arrancar la API en otro proceso (para el cuaderno 09, las pruebas y las mediciones)."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import weakref
from pathlib import Path

__all__ = ["SERVER_ENVIRONMENT", "ServerProcess", "free_port"]

#: El servidor reparte el trabajo entre peticiones (un hilo cada una): que NumPy (OpenBLAS) no
#: abra además sus propios hilos, que con matrices pequeñas y la CPU ocupada van decenas de
#: veces más lentos. ``deploy/Dockerfile`` fija lo mismo.
SERVER_ENVIRONMENT = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}


def free_port() -> int:
    """Un puerto TCP libre en 127.0.0.1.

    Ejemplo:
        >>> 1024 < free_port() < 65536
        True
    """
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ServerProcess:
    """``python -m helpers.serving MODELO`` en un proceso aparte, en 127.0.0.1.

    Espera a que ``/salud`` responda antes de devolver el control. ``stop()`` lo detiene; también
    se detiene al salir de un bloque ``with`` (aunque falle algo dentro) y, si nadie lo paró, al
    terminar el programa o el kernel de Jupyter que lo lanzó: no queda un servidor huérfano.

    Ejemplo:
        >>> with ServerProcess("models/09/moda.onnx") as server:   # doctest: +SKIP
        ...     print(server.url)
        http://127.0.0.1:41237
    """

    def __init__(self, model: str | Path, *options: str, port: int | None = None,
                 timeout: float = 60) -> None:
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._log = tempfile.TemporaryFile()  # un PIPE sin leer acabaría bloqueando al servidor
        self.process = subprocess.Popen(
            [sys.executable, "-m", "helpers.serving", str(model), "--port", str(self.port), *options],
            stdout=self._log, stderr=subprocess.STDOUT, env={**os.environ, **SERVER_ENVIRONMENT})
        self._finalizer = weakref.finalize(self, _terminate, self.process, self._log)
        self._wait_until_ready(timeout)

    def __enter__(self) -> ServerProcess:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def output(self) -> str:
        """Lo que el servidor ha escrito hasta ahora (errores incluidos)."""
        self._log.seek(0)
        return self._log.read().decode(errors="replace")

    def _wait_until_ready(self, timeout: float) -> None:
        import httpx

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"El servidor terminó al arrancar:\n{self.output()}")
            try:
                if httpx.get(self.url + "/salud", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.2)
        self.stop()
        raise TimeoutError(f"El servidor no respondió en {timeout:.0f} s:\n{self.output()}")

    def stop(self) -> None:
        """Detiene el servidor."""
        self._finalizer()


def _terminate(process: subprocess.Popen, log) -> None:
    """Detiene ``process`` si sigue vivo y cierra su registro (lo llaman ``stop`` y la salida del programa)."""
    if process.poll() is None:
        process.terminate()
        process.wait(timeout=10)
    log.close()
