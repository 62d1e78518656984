"""Las cifras de la prosa salen de una fila del mismo cuaderno, de un parámetro nombrado o de la literatura."""
from __future__ import annotations

import shutil

import nbformat
import pytest

from tools.course import ROOT, SOLUTIONS
from tools.figures import course_documents, figures_in, measured_rows, unsourced_figures

RESULTS = """\
| fecha | cuaderno | modo | resultado | épocas | tiempo total | máquina |
|---|---|---|---|---|---|---|
| 2026-11-24 | 04_primera | completo | exactitud en test: 93.28 % | 12 | 4 min 55 s | Intel Xeon |
| 2026-11-30 | 04_primera | completo | exactitud en prueba: 91.18 % | 12 | 5 min 38 s | AMD EPYC |
| 2026-11-30 | 04_primera | rápido | exactitud en prueba: 80.00 % | 1 | 0 min 20 s | AMD EPYC |
| 2026-11-30 | 05_cifar | completo | exactitud en prueba (modelo final): 85.37 %; segundos de entrenamiento \
del modelo final: 1105; GFLOP/s de la multiplicación de matrices: 137.5; imágenes/s al entrenar la red \
(64, 256, 256): 109.9 | 6; 15 | 32 min 14 s | AMD EPYC |
| 2026-11-30 | 05_cifar (ablación: sin lookahead) | completo | exactitud en validación (sin aumento): 77.90 % \
| 2 | 6 min 03 s | AMD EPYC |
| 2026-11-30 | 06_perros | completo | exactitud en prueba (con TTA): 83.00 %; segundos de entrenamiento de la \
CNN profunda: 667.7; fotos/s al entrenar con 2 bloques residuales: 134 | 60 | 23 min 11 s | AMD EPYC |
"""
API = """\
| fecha | peticiones | concurrencia | errores | peticiones/s | máquina |
|---|---|---|---|---|---|
| 2026-11-25 | 500 | 8 | 0 | 572 | AMD EPYC |

| fecha | peticiones | concurrencia | peticiones/s | máquina |
|---|---|---|---|---|
| 2026-11-29 | 2000 | 8 | 286 | AMD EPYC |
| 2026-11-29 | 2000 | 32 | 311 | AMD EPYC |
"""


def _notebook(tmp_path, name: str, markdown: str, code: str = "x = 1"):
    path = tmp_path / f"{name}.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(markdown),
                                                   nbformat.v4.new_code_cell(code)]), path)
    return path


def _unsourced(tmp_path, notebooks=(), documents=()) -> list[str]:
    (tmp_path / "results.md").write_text(RESULTS, encoding="utf-8")
    (tmp_path / "api.md").write_text(API, encoding="utf-8")
    return [f.text for f in unsourced_figures(list(notebooks), list(documents),
                                              tmp_path / "results.md", tmp_path / "api.md")]


def _in_notebook(tmp_path, name: str, markdown: str, code: str = "x = 1") -> list[str]:
    return _unsourced(tmp_path, [_notebook(tmp_path, name, markdown, code)])


def _in_readme(tmp_path, markdown: str) -> list[str]:
    readme = tmp_path / "README.md"
    readme.write_text(markdown, encoding="utf-8")
    return _unsourced(tmp_path, documents=[readme])


def test_figures_are_found_with_their_values_and_rounding():
    found = figures_in("Llega al **93,3 %** (93.28 %) en 4 min 55 s, unos 6 minutos (1105 s), a 134 fotos/s, "
                       "110 imágenes por segundo, 40,8 GFLOP/s y 286 peticiones/s.", "x")
    assert [(f.text, f.kind, round(f.value, 2), f.tolerance) for f in found] == [
        ("93,3 %", "percent", 93.3, 0.05), ("93.28 %", "percent", 93.28, 0.005), ("4 min 55 s", "time", 295, 0.5),
        ("6 minutos", "time", 360, 30), ("1105 s", "time", 1105, 0.5), ("134 fotos/s", "images", 134, 0.5),
        ("110 imágenes por segundo", "images", 110, 0.5), ("40,8 GFLOP/s", "gflops", 40.8, 0.05),
        ("286 peticiones/s", "requests", 286, 0.5)]


def test_code_blocks_and_formulas_are_not_prose():
    assert figures_in("Con paso $s$, la ventana empieza en $0, s, 2s$.\n```\nx = 30 %\n```", "x") == []


@pytest.mark.parametrize("header", [
    "| fecha | cuaderno | modo | resultado | épocas | tiempo total | máquina |",
    "| cuaderno | fecha | código | modo | tiempo total | resultado | máquina | épocas |"])
def test_rows_are_read_by_column_name_with_or_without_the_code_column(tmp_path, header):
    cells = {"fecha": "2026-12-01", "cuaderno": "05_cifar (ablación: sin traslación)", "modo": "completo",
             "resultado": "exactitud: 78.70 %; segundos de entrenamiento: 371; GFLOP/s al entrenar: 64.15",
             "épocas": "2", "tiempo total": "6 min 32 s", "máquina": "AMD EPYC", "código": "e2f029a"}
    columns = [c.strip() for c in header.strip("|").split("|")]
    line = "| " + " | ".join(cells[c] for c in columns) + " |"
    fast = line.replace("completo", "rápido")
    results = tmp_path / "results.md"
    results.write_text("\n".join([header, "|---" * len(columns) + "|", line, fast]) + "\n", encoding="utf-8")
    rows = measured_rows(results, tmp_path / "no_hay_api.md")
    assert [(r.notebook, r.date, r.ablation, r.values) for r in rows] == [
        ("05", "2026-12-01", True, {"percent": [78.7], "time": [371, 392], "gflops": [64.15]})]


@pytest.mark.parametrize(("name", "sentence", "caught"), [
    # Las dos frases inventadas del informe: el 07b no tiene filas; el 06 no tiene esas cifras.
    ("07b_razas", "En la última medición en modo completo, la red llegó al 80 % en prueba (top-3: 92 %) "
                  "y tardó unos 37 minutos.", ["80 %", "92 %", "37 minutos"]),
    ("06_perros", "El modelo final llegó al 86.4 % de exactitud en prueba tras 14 minutos de entrenamiento.",
     ["86.4 %", "14 minutos"]),
    ("04_primera", "La red llegó al 91.3 % en prueba.", ["91.3 %"]),                    # decimal con punto
    ("06_perros", "Entrena a 150 fotos por segundo.", ["150 fotos por segundo"]),        # velocidad
    ("05_cifar", "El techo es de 80 GFLOP/s y entrena a 100 img/s.", ["80 GFLOP/s", "100 img/s"]),
    ("09_modelo", "La API atiende 300 peticiones/s.", ["300 peticiones/s"]),
    ("04_primera", "En la última medición llegó al 93,3 % en 4 min 55 s.", ["93,3 %", "4 min 55 s"]),  # fila vieja
    ("06_perros", "El modelo final llegó al 85,4 % en prueba.", ["85,4 %"]),              # fila de otro cuaderno
    ("05_cifar", "El modelo final llegó al 77,9 % en validación.", ["77,9 %"]),           # fila de la ablación
    ("04_primera", "En modo rápido llega al 80 %.", ["80 %"]),                            # fila en modo rápido
    ("04_primera", "El cuaderno tarda unos 7 minutos.", ["7 minutos"]),                  # 5 min 38 s no da 7
    ("06_perros", "El modelo final entrena 12 minutos.", ["12 minutos"]),                # 667,7 s no da 12
])
def test_invented_figures_are_caught(tmp_path, name, sentence, caught):
    assert _in_notebook(tmp_path, name, sentence) == caught


@pytest.mark.parametrize(("prefix", "sentence", "caught"), [
    ("07b", "En la última medición en modo completo, la red llegó al 80 % en prueba (top-3: 92 %) y tardó unos "
            "37 minutos.", ["80 %", "92 %", "37 minutos"]),
    ("06", "El modelo final llegó al 86.4 % de exactitud en prueba tras 14 minutos de entrenamiento.",
     ["86.4 %", "14 minutos"]),
    ("04", "En la última medición, la red llegó al 93,3 % en 4 min 55 s.", ["93,3 %", "4 min 55 s"]),
    ("06", "El modelo final llegó al 85,4 % tras 1105 s.", ["85,4 %", "1105 s"]),
])
def test_inventions_planted_in_a_copy_of_the_course_are_caught(tmp_path, prefix, sentence, caught):
    """Las filas reales de benchmarks/: el 07b no tiene; el 93,3 % es una fila vieja del 04; el 85,4 %, del 05."""
    source = next(SOLUTIONS.glob(f"{prefix}_*.ipynb"))
    copy = tmp_path / source.name
    shutil.copy(source, copy)
    notebook = nbformat.read(copy, as_version=4)
    notebook.cells.append(nbformat.v4.new_markdown_cell(sentence))
    nbformat.write(notebook, copy)
    assert [f.text for f in unsourced_figures([copy], [])] == caught


@pytest.mark.parametrize(("name", "markdown"), [
    ("04_primera", "En la última medición llegó al **91,2 %** (91.18 %) en 5 min 38 s, unos 6 minutos."),
    ("04_primera", "En la medición del 2026-11-24 (Intel Xeon) llegó al 93,3 % en 4 min 55 s."),
    ("05_cifar", "El modelo final llegó al 85,4 % tras 1105 s, unos 18 minutos; la red ancha entrena a "
                 "unas 110 imágenes por segundo, con un techo de 137,5 GFLOP/s."),
    ("05_cifar", "## 11. El estudio de ablación\n| variante | sin aumento | tiempo |\n|---|---|---|\n"
                 "| sin lookahead | 77,9 % | 6 min 03 s |"),
    ("06_perros", "Llegó al 83,0 % tras unos 11 minutos de entrenamiento (668 s), a 134 fotos/s."),
    ("09_modelo", "Atiende 286 peticiones/s con 8 clientes y 311 peticiones por segundo con 32; en la "
                  "medición del 2026-11-25, con una sola foto, 572 peticiones/s."),
])
def test_figures_of_the_notebooks_own_rows_pass(tmp_path, name, markdown):
    assert _in_notebook(tmp_path, name, markdown) == []


STANDIN = """\
| fecha | cuaderno | modo | resultado | épocas | tiempo total | máquina |
|---|---|---|---|---|---|---|
| 2026-12-07 | 08a_transf (datos sustitutos: solo tiempos) | completo | segundos por época de la CNN pequeña: \
41.26; segundos por época de la cabeza sobre características en caché: 0.31; exactitud puesta a mano: 3.10 % \
| 2; 2 | 9 min 00 s | CPU |
"""


@pytest.mark.parametrize(("sentence", "caught"), [
    ("Con los tamaños del modo completo, cada época de la CNN pequeña tarda unos 41 s (41,26 s).", []),
    ("Una época de la cabeza en caché tarda 0,31 s.", []),
    ("Con datos sintéticos llega al 3,1 %.", ["3,1 %"]),              # un porcentaje, nunca
    ("El cuaderno tarda 9 min 00 s.", ["9 min 00 s"]),                # el total de 2 épocas por fase, tampoco
])
def test_standin_rows_are_citable_only_for_their_times(tmp_path, sentence, caught):
    (tmp_path / "results.md").write_text(STANDIN, encoding="utf-8")
    notebook = _notebook(tmp_path, "08a_transf", sentence)
    found = unsourced_figures([notebook], [], tmp_path / "results.md", tmp_path / "no_hay_api.md")
    assert [f.text for f in found] == caught
    (row,) = measured_rows(tmp_path / "results.md", tmp_path / "no_hay_api.md")
    assert row.standin and row.values == {"time": [41.26, 0.31]}


def test_named_parameters_computed_fractions_literature_and_reading_time_pass(tmp_path):
    code = ("layers.Dropout(0.3)\nsplits = load(validation_split=0.2)  # 25\n"
            "def warmup(steps):\n    return int(0.4 * steps)\n")
    text = ("`Dropout(0.3)` apaga el 30 % de las neuronas; `validation_split` aparta el 20 % (queda el 80 %). "
            "`warmup` calienta durante el primer 40 %. El azar da 1/37 ≈ 2,7 % y 1/10 = 10 %. "
            "El artículo publicó un 89,29 % (Xiao et al., 2017). Duración: unos 40 minutos de lectura.")
    assert _in_notebook(tmp_path, "04_primera", text, code) == []
    assert _in_notebook(tmp_path, "04_primera", "Apaga el 30 % de las neuronas.", code) == ["30 %"]
    assert _in_notebook(tmp_path, "04_primera", "`validation_split` aparta el 25 %.", code) == ["25 %"]
    assert _in_notebook(tmp_path, "04_primera", "`Dropout` apaga el 40 %.", code) == ["40 %"]
    assert _in_notebook(tmp_path, "04_primera", "El azar da 1/37 ≈ 3,7 %.") == ["3,7 %"]
    assert _in_notebook(tmp_path, "04_primera", "Duración: unos 40 minutos.") == ["40 minutos"]


def test_readme_and_docs_figures_need_a_named_notebook_and_its_rows(tmp_path):
    readme = ("| Cuaderno | Exactitud | Tiempo |\n|---|---|---|\n| 04 · Fashion-MNIST | 91,2 % | 5 min 38 s |\n\n"
              "## 05 · CIFAR-10\nEl modelo final llegó al 85,4 %.\n\n### Errores frecuentes\n"
              "Entrena a unas 110 imágenes por segundo.\n\n## Sacar el modelo (cuaderno 09)\n"
              "La API atiende 286 peticiones/s.\n")
    assert _in_readme(tmp_path, readme) == []
    assert _in_readme(tmp_path, "La primera instalación tarda unos 3 minutos.") == ["3 minutos"]
    assert _in_readme(tmp_path, "El cuaderno 06 llegó al 91,2 %.") == ["91,2 %"]
    assert _in_readme(tmp_path, "## 07a y 07b · Razas\nLa red llegó al 80 %.") == ["80 %"]
    assert _in_readme(tmp_path, "El 2026-11-04 tardó 6 min 05 s y llegó al 85,4 %.") == ["6 min 05 s", "85,4 %"]


def test_every_figure_in_the_course_prose_has_a_source():
    pending = unsourced_figures()
    assert not pending, "cifras sin fuente (python -m tools.figures):\n" + "\n".join(map(str, pending))


def test_sizes_and_measurements_outside_the_notebooks_need_their_command_and_date_or_say_estimate(tmp_path):
    assert [(f.text, f.kind, f.value) for f in figures_in("Ocupa 8,2 GB y 68 MB.", "x")] == [
        ("8,2 GB", "size", 8.2), ("68 MB", "size", 68)]
    assert _in_readme(tmp_path, "El entorno ocupa 8,2 GB (medido con `du -sh .venv` el 2026-12-06).\n\n"
                                "Tarda 9 min 38 s, medido con `make test-newest` el 2026-12-06.\n\n"
                                "Los datos, unos 2 GB (estimación: la suma de sus páginas).\n") == []
    assert _in_readme(tmp_path, "El entorno ocupa 8,2 GB (medido con `du -sh .venv`).\n\n"
                                "Ocupa 9 GB, medido el 2026-12-06.\n\nTarda 3 minutos en instalarse.\n") == [
        "8,2 GB", "9 GB", "3 minutos"]


def test_contributing_is_one_of_the_checked_documents():
    assert ROOT / "CONTRIBUTING.md" in course_documents()


def test_class_plan_times_are_the_class_times_of_the_notebooks_they_name(tmp_path):
    from tools.class_time import class_time

    minutes = {path.name.split("_")[0]: class_time(path).total for path in SOLUTIONS.glob("0[012]_*.ipynb")}
    both = minutes["00"] + minutes["01"]
    assert _in_readme(tmp_path, f"| 1 | 00, 01 | {both} min |\n| 2 | 02 | {minutes['02']} min |\n") == []
    assert _in_readme(tmp_path, f"| 1 | 00, 01 | {both + 1} min |\n") == [f"{both + 1} min"]   # no es múltiplo de 5
    assert _in_readme(tmp_path, f"| 1 | 00 | {both} min |\n") == [f"{both} min"]               # falta el 01
    assert _in_readme(tmp_path, f"| 1 | primera sesión | {both} min |\n") == [f"{both} min"]   # sin cuaderno
