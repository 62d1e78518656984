"""El sitio del curso (tools/site.py): construido con tres cuadernos ligeros ejecutados en modo rápido.

Una sola construcción para todo el módulo (00, 01 y 03, unos segundos cada uno). Comprueba lo que
ve quien lo lee: una página por cuaderno, el glosario, la guía y la tabla de mediciones enlazadas;
matemáticas con el MathJax copiado al sitio; búsqueda con raíces en español; botones que abren el
cuaderno del estudiante; ningún recurso de otro servidor; el aviso del modo rápido; las
soluciones plegadas y sin insignias.
"""
import contextlib
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest
import snowballstemmer

from helpers.exercises.core import RECORD_MIME
from tools.course import ROOT, repository
from tools.make_learner_notebooks import BEGIN
from tools.site import FAST_NOTICE, build

pytestmark = pytest.mark.notebook  # ejecuta tres cuadernos

LESSONS = {"00": "00_como_usar_el_curso", "01": "01_imagenes_como_numeros", "03": "03_padding_stride_y_pooling"}
#: Etiquetas cuyo atributo carga un recurso al abrir la página (un <a href> solo es un enlace).
RESOURCES = {"script": "src", "link": "href", "img": "src", "iframe": "src", "source": "src", "video": "src",
             "audio": "src", "embed": "src", "object": "data"}


class Tags(HTMLParser):
    """Etiquetas de una página, con sus atributos, en orden."""

    def __init__(self, text: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, str]:
    """El sitio construido y lo que la construcción escribió en stderr (los avisos de Sphinx y myst-nb)."""
    stderr = io.StringIO()
    with contextlib.redirect_stderr(stderr):
        index = build(tmp_path_factory.mktemp("sitio") / "sitio", list(LESSONS), fast_only=True)
    return index.parent, stderr.getvalue()


@pytest.fixture(scope="module")
def site(built) -> Path:
    return built[0]


def page(site: Path, name: str) -> str:
    return (site / "notebooks" / f"{name}.html").read_text(encoding="utf-8")


def test_every_lesson_and_document_has_its_page_with_cross_links(site):
    for name in LESSONS.values():
        assert (site / "notebooks" / f"{name}.html").exists(), name
    for document in ("index", "docs/glosario", "docs/guia_docente", "benchmarks/results"):
        assert (site / f"{document}.html").exists(), document
    guide = (site / "docs" / "guia_docente.html").read_text(encoding="utf-8")
    assert 'href="glosario.html' in guide and 'href="../benchmarks/results.html' in guide
    assert 'href="../docs/glosario.html' in page(site, LESSONS["00"])
    home = (site / "index.html").read_text(encoding="utf-8")
    assert all(f'href="notebooks/{name}.html"' in home for name in LESSONS.values())
    assert "07a" in home and "07b" in home  # los dos caminos, aunque esta construcción no tenga sus páginas


def test_exercise_records_stay_in_the_notebooks_and_out_of_the_pages(built):
    """Los registros de los ejercicios (para ``tools.class_report``) no llegan a myst-nb, que avisaría
    «skipping unknown output mime type: application/vnd.curso-cnn.exercise+json»."""
    site, warnings = built
    executions = list(site.parent.glob(f"{site.name}-ejecutados/*.ipynb"))
    assert any(RECORD_MIME in output.get("data", {}) for nb in executions
               for cell in nbformat.read(nb, as_version=4).cells for output in cell.get("outputs", []))
    assert "mime" not in warnings, warnings


def test_math_is_rendered_by_the_local_mathjax(site):
    html = page(site, LESSONS["03"])
    scripts = [attrs["src"] for tag, attrs in Tags(html).tags if tag == "script" and "src" in attrs]
    mathjax = [src for src in scripts if "tex-mml-chtml.js" in src]
    assert mathjax and all(not re.match(r"^(https?:)?//", src) for src in mathjax), scripts
    assert (site / "notebooks" / mathjax[0].split("?")[0]).resolve().is_file()
    assert r"\(" in html  # hay fórmulas que MathJax va a componer


def test_search_index_stems_spanish_words_from_a_lesson(site):
    index = json.loads(re.search(r"Search\.setIndex\((.*)\)", (site / "searchindex.js").read_text()).group(1))
    spanish = snowballstemmer.stemmer("spanish").stemWord("convoluciones")
    assert spanish != snowballstemmer.stemmer("english").stemWord("convoluciones")
    documents = index["terms"][spanish]
    documents = documents if isinstance(documents, list) else [documents]
    assert index["docnames"].index(f"notebooks/{LESSONS['03']}") in documents


def test_launch_buttons_and_download_give_the_learner_notebook(site):
    repo = repository()
    for name in LESSONS.values():
        links = [attrs.get("href", "") for tag, attrs in Tags(page(site, name)).tags if tag == "a"]
        assert repo.colab_url(f"notebooks/{name}.ipynb") in links, name
        assert repo.kaggle_url(f"notebooks/{name}.ipynb") in links, name
        assert not any("colab" in link and "/solutions/" in link for link in links)
        download = next(link for link in links if link.startswith("../_downloads/"))
        assert (site / "notebooks" / download).read_bytes() == (ROOT / "notebooks" / f"{name}.ipynb").read_bytes()


def test_no_page_stylesheet_or_script_loads_anything_from_another_host(site):
    remote = re.compile(r"^(https?:)?//")
    for html in site.rglob("*.html"):
        for tag, attrs in Tags(html.read_text(encoding="utf-8")).tags:
            link = attrs.get(RESOURCES.get(tag, ""), "") or ""
            assert not remote.match(link), f"{html.relative_to(site)}: <{tag}> carga {link}"
    for css in site.rglob("*.css"):
        assert not re.search(r"(url\(\s*['\"]?|@import\s+['\"]?)(https?:)?//", css.read_text(errors="replace")), css
    # Los scripts del tema, de Sphinx y de myst-nb no tiran de una CDN (MathJax solo nombra la suya
    # para los mapas de voz de Internet Explorer; la prueba en Chromium sin red no ve ninguna petición).
    cdn = re.compile(r"(cdn\.|jsdelivr|unpkg\.com|cdnjs|googleapis|gstatic|require\.js)")
    for script in site.rglob("*.js"):
        if "mathjax" not in script.relative_to(site).parts:
            assert not cdn.search(script.read_text(errors="replace")), script


def test_fast_mode_pages_say_so_and_which_run_they_show(site):
    for name in LESSONS.values():
        html = page(site, name)
        assert FAST_NOTICE in html and "no son representativas" in html, name
        assert "en modo rápido" in html and "colab-badge.svg" not in html and "open-in-kaggle.svg" not in html


def test_solution_cells_are_folded(site):
    html = page(site, LESSONS["03"])
    solutions = [cell for cell in nbformat.read(ROOT / "solutions" / f"{LESSONS['03']}.ipynb", as_version=4).cells
                 if cell.cell_type == "code" and BEGIN in cell.source]
    folded = re.findall(r'<details class="[^"]*hide[^"]*">\s*<summary[^>]*>\s*<p class="collapsed[^"]*">'
                        r"Mostrar la solución</p>(.*?)</details>", html, flags=re.S)
    assert len(solutions) >= 2 and len(folded) == len(solutions)
    assert html.count("INICIO SOLUCIÓN") == sum("INICIO SOLUCIÓN" in block for block in folded)
