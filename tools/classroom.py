"""Un aula sin internet: preparar la réplica de los datos y las ruedas del entorno, e instalar desde ellas.

En un equipo con conexión, ``prepare CARPETA`` deja en la carpeta (para una memoria USB o un
servidor del aula) la réplica de los datos (``replica/``), las ruedas del entorno fijado del
curso (``ruedas/``, con ``pip download`` de ``requirements.txt`` y la rueda del propio curso), una
copia de ``requirements.txt`` y el curso comprimido (``curso-cnn.zip``), e imprime sus tamaños.
En cada equipo del aula, ``install CARPETA`` crea el entorno, instala sin red
(``pip install --no-index --find-links CARPETA/ruedas``) y deja ``CNN_MIRROR`` apuntando a la réplica.

La instalación se ejecuta con el Python del sistema, antes de que haya numpy: este módulo solo
usa la biblioteca estándar (``helpers.cli`` se carga desde su archivo, sin el paquete ``helpers``).
"""
from __future__ import annotations

import importlib.util
import os
import platform
import shutil
import subprocess
import sys
import venv
from pathlib import Path

from tools.course import NOTEBOOKS, ROOT, build_course_wheel, folder_size

REQUIREMENTS = "requirements.txt"
WHEELS = "ruedas"
REPLICA = "replica"
#: ONNX Runtime Web de la página del cuaderno 09: su carpeta en el aula y donde lo busca ``find_runtime``.
WEB_RUNTIME = "onnxruntime-web"
RUNTIME = Path("node_modules") / "onnxruntime-web" / "dist"
#: Archivo de configuración de rutas del entorno que fija ``CNN_MIRROR`` al arrancar Python.
MIRROR_PTH = "curso_cnn_aula.pth"
#: Etiquetas de plataforma de ``pip download --platform`` para cada tipo de equipo del aula (pip no deduce
#: las manylinux anteriores: se dan todas, de glibc 2.28 a 2.17).
PLATFORMS = {
    "linux": [f"manylinux_2_{minor}_x86_64" for minor in range(28, 16, -1)] + ["manylinux2014_x86_64"],
    "windows": ["win_amd64"],
    "macos-arm": ["macosx_14_0_arm64"],
    "macos-intel": ["macosx_14_0_x86_64"],
}


def course_python() -> str:
    """Versión de Python del entorno fijado (la línea ``python=`` de environment.yml).

    Ejemplo:
        >>> course_python()
        '3.11'
    """
    for line in (ROOT / "environment.yml").read_text(encoding="utf-8").splitlines():
        if line.strip().startswith("- python="):
            return line.split("=", 1)[1].strip()
    raise ValueError("environment.yml no dice qué Python usa el curso (línea «- python=…»).")


def this_platform() -> str:
    """Tipo de este equipo, como en ``PLATFORMS`` (``linux``, ``windows``, ``macos-arm``, ``macos-intel``).

    Ejemplo:
        >>> this_platform() in PLATFORMS
        True
    """
    system, machine = platform.system(), platform.machine().lower()
    if system == "Darwin":
        return "macos-arm" if machine == "arm64" else "macos-intel"
    return "windows" if system == "Windows" else "linux"


def download_command(wheels: Path, requirements: Path, kind: str) -> list[str]:
    """Orden ``pip download`` que trae a ``wheels`` las ruedas de ``requirements`` para equipos ``kind``.

    Solo ruedas (``--only-binary=:all:``): los equipos del aula no compilan nada.

    Ejemplo:
        >>> download_command(Path("r"), Path("req.txt"), "windows")[3:]
        ['download', '--dest', 'r', '--only-binary=:all:', '--python-version', '3.11', '--implementation', \
'cp', '--platform', 'win_amd64', '-r', 'req.txt']
    """
    platforms = [arg for tag in PLATFORMS[kind] for arg in ("--platform", tag)]
    return [sys.executable, "-m", "pip", "download", "--dest", str(wheels), "--only-binary=:all:",
            "--python-version", course_python(), "--implementation", "cp", *platforms, "-r", str(requirements)]


def prepare(folder: Path, kinds: list[str], datasets: list[str] | None,
            with_data: bool = True) -> tuple[dict[str, int], list[str]]:
    """Deja en ``folder`` la réplica, las ruedas de ``kinds``, ``requirements.txt`` y ``curso-cnn.zip``.

    Devuelve el tamaño en bytes de cada parte y los tipos de equipo para los que pip no pudo
    reunir las ruedas. Las ruedas que ya están no se vuelven a descargar.

    Ejemplo:
        >>> prepare(Path("/media/usb/aula"), ["linux"], None)  # doctest: +SKIP
        ({'replica': 173015040, 'ruedas': 3900000000, 'onnxruntime-web': 14000000, 'curso-cnn.zip': 777754}, [])
    """
    folder.mkdir(parents=True, exist_ok=True)
    if with_data:
        from helpers.datasets.replica import build_replica  # necesita el entorno del curso (equipo con conexión)
        build_replica(folder / REPLICA, datasets)
    wheels = folder / WHEELS
    wheels.mkdir(exist_ok=True)
    requirements = Path(shutil.copy(ROOT / REQUIREMENTS, folder / REQUIREMENTS))
    failed = []
    for kind in kinds:
        print(f"Ruedas para {kind}…", flush=True)
        if kind != this_platform():
            print(f"Aviso: pip decide las dependencias condicionales (las de CUDA de torch solo en Linux, por "
                  f"ejemplo) según este equipo ({this_platform()}), no según {kind}: prepara esas ruedas en un "
                  f"equipo {kind}.", file=sys.stderr)
        if subprocess.run(download_command(wheels, requirements, kind)).returncode != 0:
            failed.append(kind)
    build_course_wheel(wheels)
    copy_web_runtime(folder / WEB_RUNTIME)
    subprocess.run(["git", "archive", "--format=zip", "--prefix=curso-cnn/", "-o", str(folder / "curso-cnn.zip"),
                    "HEAD"], cwd=ROOT, check=True)
    sizes = {name: folder_size(folder / name) for name in (REPLICA, WHEELS, WEB_RUNTIME, "curso-cnn.zip")
             if (folder / name).exists()}
    return sizes, failed


def copy_web_runtime(dest: Path) -> None:
    """Copia a ``dest`` los archivos de ONNX Runtime Web que usa la página del 09 (de ``web/node_modules``).

    Si faltan (no se ha ejecutado ``make web``), lo avisa: el resto del aula no los necesita.

    Ejemplo:
        >>> copy_web_runtime(Path("/media/usb/aula/onnxruntime-web"))  # doctest: +SKIP
    """
    from helpers.serving.webpage import RUNTIME_FILES, find_runtime
    try:
        runtime = find_runtime(ROOT / "web" / RUNTIME)
    except FileNotFoundError:
        print("Aviso: falta ONNX Runtime Web (ejecuta «make web»); sin él, la página del cuaderno 09 no se "
              "construye en el aula.", file=sys.stderr)
        return
    dest.mkdir(exist_ok=True)
    for name in RUNTIME_FILES:
        shutil.copy2(runtime / name, dest / name)


def install(folder: Path, env: Path, mirror: str | None = None) -> Path:
    """Crea ``env`` si falta, le instala sin red el entorno de ``folder`` y fija ``CNN_MIRROR``; devuelve su Python.

    Instala ``folder/requirements.txt`` y el paquete del curso solo desde ``folder/ruedas``
    (``--no-index``), y copia ONNX Runtime Web, si está, a ``notebooks/node_modules`` (para el 09).
    ``CNN_MIRROR`` queda en ``<site-packages>/curso_cnn_aula.pth``: vale para todo lo que se ejecute
    con ese Python (JupyterLab, sus núcleos, las pruebas) salvo que la variable ya esté definida.
    Por defecto apunta a ``folder/replica``; ``mirror`` puede ser otra carpeta o una dirección
    ``http://`` (un servidor del aula).

    Ejemplo:
        >>> install(Path("/media/usb/aula"), Path(".venv"))  # doctest: +SKIP
        PosixPath('.venv/bin/python')
    """
    wanted = course_python()
    if f"{sys.version_info.major}.{sys.version_info.minor}" != wanted:
        raise SystemExit(f"Error: las ruedas son para Python {wanted} y esto es Python {platform.python_version()}. "
                         f"Ejecuta la orden con Python {wanted}.")
    wheels = folder / WHEELS
    if not (wheels.is_dir() and (folder / REQUIREMENTS).is_file()):
        raise SystemExit(f"Error: a {folder} le falta {WHEELS}/ o {REQUIREMENTS}; prepárala con "
                         "«python -m tools.classroom prepare CARPETA» en un equipo con conexión.")
    python = env / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")
    if not python.exists():
        venv.EnvBuilder(with_pip=True).create(env)
    pip = [str(python), "-m", "pip", "install", "--no-index", "--find-links", str(wheels.resolve())]
    # Sin PYTHONPATH: pip daría por instalado el curso que vea allí (la carpeta del repositorio, por ejemplo).
    clean = {name: value for name, value in os.environ.items() if name != "PYTHONPATH"}
    subprocess.run([*pip, "-r", str(folder / REQUIREMENTS)], check=True, env=clean)
    subprocess.run([*pip, "--no-deps", "curso-cnn"], check=True, env=clean)
    replica = mirror or str((folder / REPLICA).resolve())
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                          capture_output=True, text=True, check=True).stdout.strip()
    (Path(site) / MIRROR_PTH).write_text(f"import os; os.environ.setdefault('CNN_MIRROR', {replica!r})\n",
                                         encoding="utf-8")
    if (folder / WEB_RUNTIME).is_dir():   # donde el cuaderno 09 busca ONNX Runtime Web
        shutil.copytree(folder / WEB_RUNTIME, NOTEBOOKS / RUNTIME, dirs_exist_ok=True)
    if env.resolve() == (ROOT / ".venv").resolve():
        (env / ".instalado").touch()   # `make lab` no reinstala desde internet
    return python


def _spanish_parser() -> type:
    """``helpers.cli.SpanishParser`` cargado desde su archivo, sin el paquete ``helpers`` (que importa numpy)."""
    spec = importlib.util.spec_from_file_location("_helpers_cli", ROOT / "helpers" / "cli.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.SpanishParser


def _human(size: int) -> str:
    return f"{size / 1e9:.2f} GB" if size >= 1e9 else f"{size / 1e6:.1f} MB"


def main(argv: list[str] | None = None) -> int:
    """Ejecuta la orden de ``argv`` (``prepare`` o ``install``) y devuelve el código de salida.

    Ejemplo:
        >>> main(["install", "/media/usb/aula"])  # doctest: +SKIP
        0
    """
    parser = _spanish_parser()(prog="python -m tools.classroom",
                               description="Un aula sin internet: réplica de los datos y ruedas del entorno.")
    commands = parser.add_subparsers(dest="command", metavar="ORDEN", required=True)
    prep = commands.add_parser("prepare", help="en un equipo con conexión: réplica, ruedas y tamaños")
    prep.add_argument("folder", type=Path, metavar="CARPETA", help="carpeta del aula (memoria USB o servidor)")
    prep.add_argument("--plataforma", dest="kinds", nargs="+", choices=list(PLATFORMS), default=[this_platform()],
                      help=f"equipos del aula (por defecto, el de este equipo: {this_platform()})")
    prep.add_argument("--conjuntos", nargs="+", metavar="CONJUNTO", help="conjuntos de datos (por defecto, todos)")
    prep.add_argument("--sin-datos", action="store_true", help="solo las ruedas, sin la réplica de los datos")
    inst = commands.add_parser("install", help="en cada equipo del aula: entorno sin red y CNN_MIRROR")
    inst.add_argument("folder", type=Path, metavar="CARPETA", help="carpeta del aula preparada con prepare")
    inst.add_argument("--venv", type=Path, default=ROOT / ".venv", help="entorno que crear (por defecto, .venv)")
    inst.add_argument("--replica", metavar="RÉPLICA",
                      help="CNN_MIRROR: otra carpeta o http://servidor:8000 (por defecto, CARPETA/replica)")
    args = parser.parse_args(argv)
    if args.command == "prepare":
        from helpers.datasets.errors import DatasetError  # prepare ya necesita el entorno del curso
        try:
            sizes, failed = prepare(args.folder, args.kinds, args.conjuntos, with_data=not args.sin_datos)
        except DatasetError as error:
            print(f"Error: {error}", file=sys.stderr)
            return 1
        for name, size in sizes.items():
            print(f"  {name}: {_human(size)}")
        print(f"  total: {_human(sum(sizes.values()))} en {args.folder}")
        if failed:
            print(f"Error: pip no ha podido reunir las ruedas para {', '.join(failed)} (ver arriba y "
                  "docs/guia_docente.md, «Un aula sin internet»).", file=sys.stderr)
        return 1 if failed else 0
    try:
        python = install(args.folder, args.venv, args.replica)
    except subprocess.CalledProcessError:
        print(f"Error: pip no ha podido instalar el entorno solo con {args.folder / WHEELS} (arriba dice qué "
              "falta); prepara las ruedas de este tipo de equipo en uno con conexión.", file=sys.stderr)
        return 1
    print(f"Listo: el curso se ejecuta con {python} (JupyterLab: {python.parent / 'jupyter'} lab) y lee los "
          f"datos de {args.replica or (args.folder / REPLICA).resolve()}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
