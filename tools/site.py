"""Construye el sitio web estático del curso (``make site``), que se lee sin conexión.

Portada, una página por cuaderno, glosario, guía docente y tabla de mediciones, enlazados.

Cada página de un cuaderno muestra las salidas de su última ejecución en modo completo
(``benchmarks/ejecutado_NN.ipynb``, que guarda ``make bench NB=NN``; nunca una medición con datos
sustitutos, que solo mide tiempos) y dice qué ejecución fue
(fecha, modo, *commit*, máquina). Un cuaderno sin ejecución completa se ejecuta en modo rápido
(``CNN_FAST=1``, con datos sustitutos de Oxford-IIIT Pet si la réplica no tiene los reales; se
guarda en ``build/sitio-ejecutados`` para la siguiente vez) y su página
avisa arriba de que sus cifras no son representativas. Las celdas con la solución de un
ejercicio quedan plegadas tras «Mostrar la solución». El sitio no pide nada a otro servidor: ni
al construirlo ni al abrirlo (MathJax sale de ``web/node_modules``, que instala ``make web``).

Uso: ``python -m tools.site`` (o ``make site``); ``python -m tools.site 00 01 --fast`` construye
solo esos cuadernos, ejecutados en modo rápido. El resultado queda en ``build/sitio``
(``index.html``), que se puede abrir con el navegador o copiar a cualquier servidor estático.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import posixpath
import re
import shutil
import sys
import time
from pathlib import Path

import nbformat

from helpers.cli import SpanishParser
from helpers.exercises.core import RECORD_MIME
from tools.bench import code_version, environment, format_row, machine, run, run_record, stamp, standin_run, table_row
from tools.course import NOTEBOOKS, ROOT, folder_size, notebook_number, repository, solution_notebooks
from tools.make_learner_notebooks import BEGIN
from tools.standin_data import add_standin_mirror

SITE = ROOT / "build" / "sitio"
#: Páginas de texto del sitio, en la misma ruta que en el repositorio (así sus enlaces siguen valiendo).
DOCUMENTS = ("docs/glosario.md", "docs/guia_docente.md", "benchmarks/results.md")
#: Secciones del README que la portada copia (cómo empezar y qué resultados esperar).
README_SECTIONS = ("En Colab o Kaggle", "Empezar en tu equipo", "Datos y trabajo sin conexión", "Modo rápido",
                   "Resultados de referencia")
MATHJAX = ROOT / "web" / "node_modules" / "mathjax" / "es5"
#: Lo que usa ``tex-mml-chtml.js`` (con el menú y la lectura en voz alta): el paquete pesa 24 MB, esto 9 MB.
MATHJAX_PARTS = ("tex-mml-chtml.js", "input", "output/chtml", "ui", "a11y", "adaptors", "sre")
WIDGET = "application/vnd.jupyter.widget-view+json"
FAST_NOTICE = "aviso-modo-rapido"
#: Textos de atributos (títulos, etiquetas de accesibilidad) que el tema y myst-nb dejan en inglés.
TRANSLATIONS = {
    "Link to this heading": "Enlace a este encabezado",
    "Toggle hidden content": "Mostrar u ocultar",
    "Toggle primary sidebar": "Mostrar u ocultar la navegación",
    "Toggle secondary sidebar": "Mostrar u ocultar el índice de la página",
    "Launch on Colab": "Abrir en Colab",
    "Launch interactive content": "Abrir el cuaderno para ejecutarlo",
    "Search...": "Buscar…",
    "Page": "Página",
    "Main": "Principal",
}
_LINK = re.compile(r"(\]\()([^)\s]+)(\))")


def lesson_times(guide: str) -> dict[str, str]:
    """«Tiempo en clase» de cada cuaderno según la guía docente (primera frase de ese apartado).

    Ejemplo:
        >>> lesson_times("## 07a y 07b · Razas\\n\\n**Tiempo en clase.** Una hora. Más texto.\\n")
        {'07a': 'Una hora.', '07b': 'Una hora.'}
    """
    times: dict[str, str] = {}
    for section in re.split(r"^## ", guide, flags=re.M)[1:]:
        heading, _, body = section.partition("\n")
        found = re.search(r"\*\*Tiempo en clase\.\*\*\s+(.+?\.)(\s|$)", " ".join(body.split()))
        if " · " in heading and found:
            times.update(dict.fromkeys(re.findall(r"\d\d[ab]?", heading.split(" · ")[0]), found.group(1)))
    return times


def markdown_section(markdown: str, title: str) -> str:
    """Sección ``## title`` de un Markdown, con su título y sus subsecciones."""
    found = re.search(rf"^## {re.escape(title)}\n.*?(?=^## |\Z)", markdown, flags=re.M | re.S)
    if not found:
        raise SystemExit(f"No encuentro la sección «{title}» en el README.")
    return found.group(0).rstrip() + "\n"


def rewrite_links(markdown: str, source: str, page: str, pages: dict[str, str]) -> str:
    """Enlaces relativos de ``markdown`` (escrito en la ruta ``source`` del repositorio) para la
    página ``page`` del sitio: a otra página si ``pages`` (ruta en el repositorio → página) la
    tiene (también si el enlace ya era la dirección del archivo en el repositorio público, como
    en los cuadernos); si no, al archivo en el repositorio público.

    Ejemplo:
        >>> pages = {"docs/guia_docente.md": "docs/guia_docente.md"}
        >>> text = rewrite_links("[a](../docs/guia_docente.md#00) [b](../helpers/x.py) "
        ...                      "[c](https://github.com/curso-cnn/curso-cnn/blob/main/docs/guia_docente.md)",
        ...                      "solutions/00.ipynb", "notebooks/00.ipynb", pages)
        >>> print(*text.split(), sep=chr(10))
        [a](../docs/guia_docente.md#00)
        [b](https://github.com/curso-cnn/curso-cnn/blob/main/helpers/x.py)
        [c](../docs/guia_docente.md)
    """
    repo = repository()
    published = (f"{repo.url}/blob/{repo.branch}/", f"{repo.url}/tree/{repo.branch}/")

    def replace(match: re.Match) -> str:
        target, _, anchor = match.group(2).partition("#")
        path = next((target.removeprefix(prefix) for prefix in published if target.startswith(prefix)), None)
        if path is None and (not target or re.match(r"^[a-z]+:", target)):
            return match.group(0)
        path = path or posixpath.normpath(posixpath.join(posixpath.dirname(source), target))
        if path in pages:
            link = posixpath.relpath(pages[path], posixpath.dirname(page) or ".")
        elif path.startswith("..") or target.startswith(published):
            return match.group(0)
        else:
            link = repo.file_url(path)
        return f"{match.group(1)}{link}{'#' + anchor if anchor else ''}{match.group(3)}"

    return _LINK.sub(replace, markdown)


def executed(solution: Path, fast_only: bool, cache: Path) -> nbformat.NotebookNode:
    """Cuaderno ejecutado de ``solution``: el de la última ``make bench`` (modo completo, no una
    medición con datos sustitutos) o, si no hay o ``fast_only``, una ejecución en modo rápido
    (reutiliza la de ``cache`` si el cuaderno y el *commit* no han cambiado). Lleva anotada la
    fila de su ejecución."""
    number = notebook_number(solution)
    full = ROOT / "benchmarks" / f"ejecutado_{number}.ipynb"
    if full.exists() and not fast_only:
        nb = nbformat.read(full, as_version=4)
        if not standin_run(run_record(nb)):
            return nb
    code = code_version()
    key = hashlib.sha256(solution.read_bytes() + code.encode()).hexdigest()[:12]
    cached = cache / f"{solution.stem}_{key}.ipynb"
    if not cached.exists():
        cache.mkdir(parents=True, exist_ok=True)
        print(f"Ejecutando {solution.name} en modo rápido…", flush=True)
        partial = cache / "en_curso.ipynb"  # una ejecución que falla no queda como válida
        seconds, results = run(solution, fast=True, timeout=900, output=partial)
        today = dt.date.today()
        row = (format_row(solution, True, seconds, results, today, code) if results
               else table_row(today, solution.stem, True, "—", "—", seconds, machine(None), code))
        stamp(partial, row)
        for old in cache.glob(f"{solution.stem}_*.ipynb"):
            old.unlink()
        partial.replace(cached)
    return nbformat.read(cached, as_version=4)


def fast_run(record: dict[str, str] | None) -> bool:
    """Si la fila de una ejecución es del modo rápido (sin fila: un ejecutado de ``make bench``
    anterior a que se anotaran, que mide el modo completo).

    Ejemplo:
        >>> fast_run({"modo": "rápido"}), fast_run({"modo": "completo"}), fast_run(None)
        (True, False, False)
    """
    return record is not None and record["modo"] != "completo"


def header(solution: Path, record: dict[str, str] | None) -> str:
    """Celda que abre la página de un cuaderno: qué ejecución muestra, aviso si es del modo rápido
    y enlaces al cuaderno del estudiante (Colab, Kaggle, descarga)."""
    learner = f"notebooks/{solution.name}"
    repo = repository()
    if record is None:
        where = "una ejecución en modo completo sin registrar (vuelve a ejecutar `make bench NB=NN`)"
    else:
        where = (f"la ejecución del {record['fecha']} en modo {record['modo']} ({record['tiempo total']}), "
                 f"código `{record['código']}`, máquina: {record['máquina']}")
    parts = []
    if fast_run(record):
        parts.append(
            f"```{{admonition}} Salidas del modo rápido: no son resultados\n:class: warning {FAST_NOTICE}\n"
            "Esta página muestra una ejecución en modo rápido (`CNN_FAST=1`): menos épocas, menos datos, "
            "imágenes más pequeñas y, donde faltan los datos reales, datos sustitutos. Sus cifras, curvas y "
            "figuras sirven para ver qué hace el cuaderno, **no son representativas**. Los resultados del "
            "curso están en la [tabla de mediciones](../benchmarks/results.md).\n```\n")
    parts.append(
        f"*Salidas de {where}; todas las ejecuciones están en la "
        f"[tabla de mediciones](../benchmarks/results.md).*\n\n"
        f"[Abrir en Colab]({repo.colab_url(learner)}) · [Abrir en Kaggle]({repo.kaggle_url(learner)}) · "
        f"{{download}}`Descargar el cuaderno del estudiante <../descargas/{solution.name}>`")
    return "\n".join(parts)


def lesson_page(nb: nbformat.NotebookNode, solution: Path, pages: dict[str, str]) -> nbformat.NotebookNode:
    """Cuaderno ejecutado listo para el sitio: sin insignias, *widgets* ni registros de ejercicios
    (``RECORD_MIME``, solo para ``tools.class_report``; myst-nb avisaría de un tipo MIME desconocido),
    con la ejecución y los enlaces arriba, las celdas de solución plegadas y los enlaces apuntando a
    páginas del sitio."""
    source, page = f"solutions/{solution.name}", f"notebooks/{solution.name}"
    record = run_record(nb)
    nb.metadata.pop("widgets", None)
    cells = []
    for cell in nb.cells:
        tags = cell.metadata.setdefault("tags", [])
        if "badges" in tags:
            continue
        if cell.cell_type == "markdown":
            cell.source = rewrite_links(cell.source, source, page, pages)
        elif cell.cell_type == "code":
            if BEGIN in cell.source:
                tags.append("hide-input")
            cell.outputs = [output for output in cell.get("outputs", []) if WIDGET not in output.get("data", {})]
            for output in cell.outputs:
                output.get("data", {}).pop(RECORD_MIME, None)
        cells.append(cell)
    cells.insert(1, nbformat.v4.new_markdown_cell(header(solution, record)))
    nb.cells = cells
    return nb


def home_page(lessons: list[Path], records: dict[str, dict | None], pages: dict[str, str]) -> str:
    """Portada: qué enseña el curso, temario con tiempos y ejecuciones, itinerarios y cómo empezar."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    guide = (ROOT / "docs" / "guia_docente.md").read_text(encoding="utf-8")
    times = lesson_times(guide)
    rows = []
    for solution in lessons:
        title = nbformat.read(solution, as_version=4).cells[0].source.splitlines()[0].lstrip("# ")
        record = records[solution.name]
        shown = ("modo rápido (no representativo)" if fast_run(record)
                 else f"modo completo, {record['fecha'] if record else 'sin fecha'}")
        rows.append(f"| [{title}](notebooks/{solution.name}) | {times.get(notebook_number(solution), '—')} "
                    f"| {shown} |")
    route = re.search(r"^\*\*Itinerario\.\*\*.*?(?=\n\n)", guide, flags=re.M | re.S).group(0)
    intro = readme.split("\n## ", 1)[0]
    sections = "\n".join(markdown_section(readme, title) for title in README_SECTIONS)
    toc = "\n".join([f"notebooks/{solution.stem}" for solution in lessons] + [doc[:-3] for doc in DOCUMENTS])
    return "\n".join([
        rewrite_links(intro, "README.md", "index.md", pages),
        "## Temario\n",
        "Cada cuaderno tiene su página con las salidas de una ejecución (se dice cuál). El tiempo en clase es "
        "el de la [guía docente](docs/guia_docente.md).\n",
        "| Cuaderno | Tiempo en clase | Salidas de la página |\n|---|---|---|",
        *rows,
        "",
        rewrite_links(route, "docs/guia_docente.md", "index.md", pages).replace("**Itinerario.**", "**Dos caminos.**"),
        "",
        rewrite_links(sections, "README.md", "index.md", pages),
        f"```{{toctree}}\n:hidden:\n:maxdepth: 1\n\n{toc}\n```\n",
    ])


def sphinx_conf() -> str:
    """``conf.py`` del sitio: Sphinx con myst-nb y sphinx-book-theme, en español y sin CDN."""
    repo = repository()
    settings = {
        "project": "Curso CNN",
        "author": "Curso CNN",
        "language": "es",
        "extensions": ["myst_nb"],
        "html_theme": "sphinx_book_theme",
        "html_title": "Curso CNN",
        "html_static_path": ["_static"],
        "mathjax_path": "mathjax/tex-mml-chtml.js",
        "exclude_patterns": ["descargas/**"],
        "nb_execution_mode": "off",
        "nb_ipywidgets_js": {},
        "nb_code_prompt_show": "Mostrar la solución",
        "nb_code_prompt_hide": "Ocultar la solución",
        "myst_enable_extensions": ["dollarmath", "amsmath"],
        "myst_heading_anchors": 3,
        "html_copy_source": False,
        "html_theme_options": {
            "repository_url": repo.url,
            "repository_branch": repo.branch,
            "path_to_docs": "",
            "launch_buttons": {"colab_url": "https://colab.research.google.com"},
            "use_repository_button": True,
            "use_download_button": False,
        },
    }
    return "".join(f"{name} = {value!r}\n" for name, value in settings.items())


def write_sources(source: Path, lessons: list[Path], fast_only: bool, cache: Path) -> None:
    """Escribe en ``source`` las fuentes de Sphinx: conf.py, portada, cuadernos, documentos, MathJax
    (las ejecuciones en modo rápido se guardan en ``cache``)."""
    if not (MATHJAX / "tex-mml-chtml.js").exists():
        raise SystemExit(f"Falta MathJax en {MATHJAX}: ejecuta `make web` (lo instala con npm desde web/package.json).")
    shutil.rmtree(source, ignore_errors=True)
    for part in MATHJAX_PARTS:
        copy = shutil.copytree if (MATHJAX / part).is_dir() else shutil.copy2
        (source / "_static" / "mathjax" / part).parent.mkdir(parents=True, exist_ok=True)
        copy(MATHJAX / part, source / "_static" / "mathjax" / part)
    pages = {"README.md": "index.md", **{doc: doc for doc in DOCUMENTS}}
    for solution in lessons:
        pages[f"solutions/{solution.name}"] = pages[f"notebooks/{solution.name}"] = f"notebooks/{solution.name}"
    records = {}
    for solution in lessons:
        nb = lesson_page(executed(solution, fast_only, cache), solution, pages)
        records[solution.name] = run_record(nb)
        (source / "notebooks").mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, source / "notebooks" / solution.name)
        (source / "descargas").mkdir(exist_ok=True)
        shutil.copy2(NOTEBOOKS / solution.name, source / "descargas" / solution.name)
    for doc in DOCUMENTS:
        (source / doc).parent.mkdir(parents=True, exist_ok=True)
        (source / doc).write_text(rewrite_links((ROOT / doc).read_text(encoding="utf-8"), doc, doc, pages),
                                  encoding="utf-8")
    (source / "index.md").write_text(home_page(lessons, records, pages), encoding="utf-8")
    (source / "conf.py").write_text(sphinx_conf(), encoding="utf-8")


def translate(site: Path) -> None:
    """Traduce en las páginas de ``site`` los atributos de ``TRANSLATIONS`` (``title="…"``, ``aria-label="…"``)."""
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        for english, spanish in TRANSLATIONS.items():
            text = text.replace(f'="{english}"', f'="{spanish}"')
        page.write_text(text, encoding="utf-8")


def build(output: Path = SITE, numbers: list[str] | None = None, fast_only: bool = False) -> Path:
    """Construye el sitio en ``output`` con los cuadernos ``numbers`` (todos si ``None``) y devuelve
    la ruta de su portada."""
    from sphinx.cmd.build import build_main

    lessons = [nb for nb in solution_notebooks() if numbers is None or notebook_number(nb) in numbers]
    if numbers is not None and len(lessons) != len(set(numbers)):
        raise SystemExit(f"No encuentro todos los cuadernos pedidos ({', '.join(numbers)}) en solutions/.")
    source, cache = output.parent / f"{output.name}-fuente", output.parent / f"{output.name}-ejecutados"
    # Modo rápido como en las pruebas: datos sustitutos de Oxford-IIIT Pet detrás de la réplica (los
    # reales, si los tiene, primero) y una caché aparte, para que nunca lleguen a data/.
    with environment({"CNN_MIRROR": os.environ.get("CNN_MIRROR", ""), "CNN_DATA_DIR": str(cache / "datos")}):
        add_standin_mirror(cache / "replica-de-prueba")
        write_sources(source, lessons, fast_only, cache)
    shutil.rmtree(output, ignore_errors=True)
    if build_main(["-b", "html", "-q", "-d", str(output.parent / f"{output.name}-doctrees"),
                   str(source), str(output)]):
        raise SystemExit("Sphinx no pudo construir el sitio (el error está arriba).")
    translate(output)
    (output / ".nojekyll").touch()  # GitHub Pages sirve así también las carpetas que empiezan por _
    return output / "index.html"


def main(argv: list[str]) -> int:
    parser = SpanishParser(prog="python -m tools.site", description=__doc__.splitlines()[0])
    parser.add_argument("numbers", nargs="*", help="cuadernos que incluir, p. ej. 00 04 (todos si no se dice)")
    parser.add_argument("--fast", action="store_true",
                        help="ejecutar en modo rápido aunque haya una ejecución completa guardada")
    parser.add_argument("--output", type=Path, default=SITE, help="carpeta del sitio (se borra y se rehace)")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    index = build(args.output, args.numbers or None, args.fast)
    size = folder_size(args.output)
    print(f"Sitio en {index} ({size / 2**20:.1f} MB, construido en {time.perf_counter() - start:.0f} s). "
          f"Ábrelo en el navegador o copia la carpeta {args.output.resolve()} a un servidor estático.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
