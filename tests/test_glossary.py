"""El glosario existe, se enlaza desde el README y el cuaderno 00, y la prosa sigue sus términos."""
import ast
import re

import nbformat
import pytest
from IPython.core.inputtransformer2 import TransformerManager

from tools.course import ROOT, SOLUTIONS

GLOSSARY = ROOT / "docs" / "glosario.md"


def rows():
    lines = GLOSSARY.read_text(encoding="utf-8").splitlines()
    table = [line for line in lines if line.startswith("| ") and not line.startswith("| Término")]
    return [[cell.strip() for cell in line.strip("|").split(" | ")] for line in table]


def test_glossary_is_linked_from_readme_and_notebook_00():
    assert "(docs/glosario.md)" in (ROOT / "README.md").read_text(encoding="utf-8")
    nb = nbformat.read(next(SOLUTIONS.glob("00_*.ipynb")), as_version=4)
    assert any("docs/glosario.md" in cell.source for cell in nb.cells if cell.cell_type == "markdown")


def test_every_row_has_term_english_definition_and_an_existing_notebook():
    notebooks = {path.name.split("_")[0] for path in SOLUTIONS.glob("[0-9][0-9]*_*.ipynb")}
    table = rows()
    assert len(table) >= 60
    for term, english, definition, where in table:
        assert term and english and definition.endswith("."), term
        cited = set(re.split(r",\s*", where))
        assert cited <= notebooks, f"{term}: cuaderno {cited - notebooks} inexistente"


def test_glossary_fixes_one_term_per_concept():
    terms = {row[0]: row for row in rows()}
    assert terms["tasa de aprendizaje"][1] == "*learning rate*"
    assert terms["núcleo"][1] == "*kernel*" and terms["kernel de Jupyter"][1] == "*Jupyter kernel*"
    assert terms["relleno"][1] == "*padding*" and terms["paso"][1] == "*stride*"
    assert not any("ritmo de aprendizaje" in " ".join(row) for row in rows())


# Variantes que el glosario descarta, con lo que se escribe en su lugar. Se buscan en la prosa:
# se quitan antes el código (`…`, ``…``, bloques ```), las fórmulas ($…$), las direcciones y los
# términos en inglés en cursiva (*test-time augmentation*, *Kernel → Restart*).
BANNED = {
    r"\britmo de aprendizaje|\bvelocidad de aprendizaje": "tasa de aprendizaje",
    r"\bordenador(es)?\b|\bcomputadoras?\b": "equipo",
    r"\bsuma pesada\b|\bpesad[ao]s? por\b": "suma ponderada / ponderada por",
    r"\bvoz alta\b": "avisa bien visible",
    r"\bdesviaci[oó]n t[ií]pica\b": "desviación estándar",
    r"\bcada otr[ao]s?\b": "a cada una de las demás",
    r"\btests?\b": "prueba («test» solo como código)",
    r"\bkernels?\b(?! de jupyter)": "núcleo (convolución) o kernel de Jupyter",
    r"\bhuecos?\b": "brecha de generalización",
    r"\bcoma flotante\b": "punto flotante",
    r"\bde libro\b": "de manual",
    r"\btuber[ií]as?\b(?! con nombre)": "canalización de datos (la «tubería con nombre» es un FIFO)",
    r"\bmodo (de )?inferencia\b": "modo evaluación",
    r"\bfuga de informaci[oó]n\b": "fuga de datos",
}
# Decimales con punto en la prosa: «0.5», «92.5 %» (las versiones, como «Python 3.11», no).
DECIMAL_POINT = r"(?<![\w.,])0\.\d+(?![\w.])|(?<![\w.])\d+\.\d+\s?%"

_CODE = [r"```.*?```", r"``[^`]*``", r"`[^`]*`", r"\$\$.*?\$\$", r"\$[^$\n]*\$", r"\]\([^)]*\)",
         r"<?https?://\S+", r"(?<!\*)\*(?!\*)[^*\n]+?(?<!\*)\*(?!\*)"]


def prose(text: str) -> str:
    """El texto sin código, fórmulas, direcciones ni términos en cursiva, en una sola línea."""
    for pattern in _CODE:
        text = re.sub(pattern, " ", text, flags=re.S)
    return re.sub(r"\s+", " ", text)


def helper_prose(text: str) -> str:
    """La prosa de un texto de ``helpers``: sin ejemplos, nombres de parámetros ni identificadores."""
    lines = [line for line in text.splitlines() if not line.lstrip().startswith((">>>", "..."))]
    text = re.sub(r"(?m)^\s*\w+:|\w+ \* \w+", " ", "\n".join(lines))
    words = [word.strip(".,;:()«»¿?¡!'\"") for word in prose(text).split()]
    return " ".join(word for word in words if not re.search(r"[_\[\]()=*/]|\w\.\w", word))


def problems(text: str, decimals: bool = True, banned: dict[str, str] = BANNED) -> list[str]:
    """Las variantes descartadas (y los decimales con punto) que aparecen en ``text``."""
    found = [f"«{m.group()}» → {fix}" for pattern, fix in banned.items()
             for m in re.finditer(pattern, text, flags=re.I)]
    return found + ([f"«{m.group()}» → coma decimal" for m in re.finditer(DECIMAL_POINT, text)]
                    if decimals else [])


def test_the_checker_finds_banned_variants_and_allows_code():
    bad = ("Baja el ritmo de aprendizaje en tu ordenador; la suma pesada lo dice en voz alta. "
           "Divide entre la desviación típica, compara con cada otra clase, mide en test con un "
           "kernel 3×3, cuenta el hueco entre curvas, suma en coma flotante, sigue la receta de "
           "libro por una tubería en modo inferencia, con fuga de información, y deja 0.5 de dropout: "
           "92.5 % de exactitud.")
    assert len(problems(prose(bad))) == len(BANNED) + 2
    good = ("El `kernel` de `conv2d(image, kernel)`, `x_test`, ```\nmake test\n``` y $0.5$ son "
            "código; el kernel de\nJupyter se reinicia con *Kernel → Restart*; *test-time "
            "augmentation*; Python 3.11 llega al 92,5 % en [prueba](https://x.org/test/0.5); un "
            "FIFO es una tubería con nombre.")
    assert problems(prose(good)) == []
    assert problems(helper_prose("mira kernel.shape (window * kernel); ``make test``"), False) == []
    assert len(problems(helper_prose("(las de test) y el kernel. Sin desviación típica."), False)) == 3


# En 05 y 05b la predicción con aumento tiene un solo nombre y «label smoothing» solo va en cursiva entre
# paréntesis (la prosa de ``prose`` ya no tiene cursivas).
# Variantes prohibidas en 04, 05, 05b y 06 (issue 25): una sola forma por concepto.
BANNED_TERMS = {
    r"\bpredicci[oó]n promediada\b|\btest-time augmentation\b|\baumento en (la )?predicci[oó]n\b":
        "predicción con aumento (TTA)",
    r"\blabel smoothing\b": "suavizado de etiquetas",
    r"\bdesplazamiento\b(?= \$?\\?beta| β)": "sesgo β (desplazamiento solo para traslaciones)",
}
LABEL_SMOOTHING = r"(?<!\()\*label smoothing\*"   # en cursiva solo entre paréntesis, tras el término
# Lo que cada cuaderno define con el término del glosario.
DEFINED = {
    "04": ["**canalización de datos** (*pipeline*)", "**brecha de generalización**"],
    "05": ["canalización de datos (*pipeline*)", "**brecha de generalización**",
           "**predicción con aumento** (*test-time augmentation*, TTA)"],
    "05b": ["predicción con aumento (TTA)", "suavizado de etiquetas"],
    "06": ["canalización de datos** (*pipeline*)", "**brecha de generalización**",
           "**suavizado de etiquetas**", "**predicción con aumento (TTA**"],
}


@pytest.mark.parametrize("number", ["04", "05", "05b", "06"])
def test_notebooks_use_the_issue_25_terms(number):
    nb = nbformat.read(next(SOLUTIONS.glob(f"{number}_*.ipynb")), as_version=4)
    markdown = "\n".join(cell.source for cell in nb.cells if cell.cell_type == "markdown")
    helper = (ROOT / "helpers" / "exercises" / f"nb{number}.py").read_text(encoding="utf-8")
    strings = [node.value for node in ast.walk(ast.parse(helper))
               if isinstance(node, ast.Constant) and isinstance(node.value, str)]
    texts = [prose(markdown), *(helper_prose(text) for text in strings)]
    found = [f"«{m.group()}» → {fix}" for text in texts for pattern, fix in BANNED_TERMS.items()
             for m in re.finditer(pattern, text, flags=re.I)]
    found += [f"«{m.group()}» → suavizado de etiquetas (*label smoothing*)"
              for m in re.finditer(LABEL_SMOOTHING, markdown)]
    assert found == []
    flat = re.sub(r"\s+", " ", markdown)
    assert [term for term in DEFINED[number] if term not in flat] == []


def _strings(code: str) -> list[str]:
    """La prosa de las cadenas con espacios de un código Python (las órdenes mágicas se traducen)."""
    tree = ast.parse(TransformerManager().transform_cell(code))
    return [helper_prose(node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and " " in node.value]


def _texts():
    for path in sorted(SOLUTIONS.glob("[0-9][0-9]*_*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        yield f"solutions/{path.name}", [prose(cell.source) for cell in nb.cells
                                          if cell.cell_type == "markdown"], True
        yield f"solutions/{path.name} (código)", [text for cell in nb.cells if cell.cell_type == "code"
                                                   for text in _strings(cell.source)], False
    for name in ["README.md", "docs/guia_docente.md", "CONTRIBUTING.md"]:
        yield name, [prose((ROOT / name).read_text(encoding="utf-8"))], True
    # El glosario, salvo la nota y la fila de «equipo», que nombran a propósito lo que descarta.
    glossary = [line for line in GLOSSARY.read_text(encoding="utf-8").splitlines()
                if "**equipo**" not in line and not line.startswith("| equipo |")]
    yield "docs/glosario.md", [prose("\n".join(glossary))], True
    for path in sorted((ROOT / "helpers").rglob("*.py")):
        yield str(path.relative_to(ROOT)), _strings(path.read_text(encoding="utf-8")), False


@pytest.mark.parametrize("name, texts, decimals", [pytest.param(*item, id=item[0]) for item in _texts()])
def test_prose_uses_the_glossary_terms(name, texts, decimals):
    found = [problem for text in texts for problem in problems(text, decimals, BANNED)]
    assert found == [], f"{name}: {found}"


def variants(term: str) -> list[str]:
    """Las formas de un término del glosario que se buscan en su cuaderno: sin formato, sin
    paréntesis y separadas por « / » («congelar / descongelar»)."""
    term = re.sub(r"\s*\([^)]*\)", "", re.sub(r"[*`]", "", term))
    return [variant.strip() for variant in term.split(" / ")]


def used_in(variant: str, text: str) -> bool:
    """Si ``text`` usa ``variant`` con cualquier terminación («congelar» → «congelada», «capas densas»).

    Cada palabra de más de tres letras vale por su raíz (sin sus dos últimas letras, al menos
    cuatro), las demás enteras.
    """
    words = [re.escape(w[:max(4, len(w) - 2)]) + r"\w*" if len(w) > 3 else re.escape(w) + r"\b"
             for w in variant.lower().split()]
    return re.search(r"\b" + r"\s+".join(words), text.lower()) is not None


def notebook_text(number: str) -> str:
    """Todo el texto de la solución de un cuaderno (celdas de texto y de código)."""
    path = next(SOLUTIONS.glob(f"{number}_*.ipynb"))
    return re.sub(r"\s+", " ", "\n".join(c.source for c in nbformat.read(path, as_version=4).cells))


def test_each_term_is_used_by_the_notebooks_it_cites():
    texts = {}
    missing = []
    for term, _, _, where in rows():
        for number in re.split(r",\s*", where):
            text = texts.setdefault(number, notebook_text(number))
            if not any(used_in(variant, text) for variant in variants(term)):
                missing.append(f"{term} ({number})")
    assert missing == []


def test_the_term_checker_accepts_inflections_and_refuses_other_words():
    assert variants("caché / *prefetch* (precarga)") == ["caché", "prefetch"]
    assert used_in("congelar", "las capas congeladas") and used_in("capa densa", "dos capas densas")
    assert not used_in("fuga de datos", "una fuga de información") and not used_in("TTA", "la ttalia")


# Términos que usan los cuadernos y que el glosario debe definir.
COURSE_TERMS = ["TTA", "brecha de generalización", "canalización de datos", "barajado", "caché",
                "prefetch", "dispositivo", "state_dict", "SavedModel", "ficha", "sigmoide",
                "modo evaluación", "fuga de datos", "suavizado de etiquetas", "punto de control"]


def test_the_terms_the_notebooks_use_are_in_the_glossary():
    everything = " ".join(notebook_text(number) for number in {p.name.split("_")[0]
                                                                for p in SOLUTIONS.glob("[0-9][0-9]*_*.ipynb")})
    assert [term for term in COURSE_TERMS if not used_in(term, everything)] == []
    defined = [re.sub(r"[*`]", "", row[0]).lower() for row in rows()]
    assert [term for term in COURSE_TERMS if not any(term.lower() in entry for entry in defined)] == []
