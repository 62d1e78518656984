"""Las cifras de la prosa salen de una medición, del código del cuaderno o de la literatura citada."""
from __future__ import annotations

import nbformat

from tools.figures import figures_in, measured_values, unsourced_figures

ROW = ("| 2026-11-24 | 04_primera_cnn_fashion_mnist | completo | exactitud en test: 93.28 % | 12 "
       "| 4 min 55 s | Intel(R) Xeon(R) Processor, 2 núcleos, 24 GiB, sin GPU |\n"
       "| 2026-11-24 | 04_primera_cnn_fashion_mnist | rápido | exactitud en test: 80.00 % | 1 "
       "| 0 min 20 s | Intel(R) Xeon(R) Processor, 2 núcleos, 24 GiB, sin GPU |\n")


def _check(tmp_path, markdown: str, code: str = "x = 1") -> list[str]:
    results = tmp_path / "results.md"
    results.write_text(ROW, encoding="utf-8")
    notebook = tmp_path / "04_prueba.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(markdown),
                                                   nbformat.v4.new_code_cell(code)]), notebook)
    readme = tmp_path / "README.md"
    readme.write_text("# Curso\n", encoding="utf-8")
    return [f.text for f in unsourced_figures([notebook], [readme], results)]


def test_figures_are_found_with_their_values():
    found = figures_in("Llega al **93,3 %** y tarda 4 min 55 s (unos 25 s por época).", "x")
    assert [(f.text, f.kind, round(f.value, 4)) for f in found] == [
        ("93,3 %", "percent", 0.933), ("4 min 55 s", "time", 295), ("25 s", "time", 25)]


def test_code_blocks_and_formulas_are_not_prose():
    assert figures_in("Con paso $s$, la ventana empieza en $0, s, 2s$.\n```\nx = 30 %\n```", "x") == []


def test_only_full_mode_rows_count_as_measurements(tmp_path):
    results = tmp_path / "results.md"
    results.write_text(ROW, encoding="utf-8")
    measured = measured_values(results)
    assert 0.9328 in measured["percent"] and 0.8 not in measured["percent"]
    assert {295, 295 / 12} <= measured["time"] and 20 not in measured["time"]


def test_measured_figures_pass_and_invented_ones_fail(tmp_path):
    assert _check(tmp_path, "Llega al **93,3 %** en test y tarda 4 min 55 s; unos 5 minutos.") == []
    assert _check(tmp_path, "Cada época tarda unos 25 s.") == []
    assert _check(tmp_path, "Llega al 93,5 % en test y tarda 4 min 50 s.") == ["93,5 %", "4 min 50 s"]
    assert _check(tmp_path, "Con el modo rápido llega al 80 %.") == ["80 %"]


def test_code_parameters_computed_fractions_literature_and_reading_time_pass(tmp_path):
    code = "layers.Dropout(0.3)\nvalidation_split=0.2"
    text = ("Apaga el 30 % de las neuronas y aparta el 20 % (queda el 80 %). El azar da 1/37 ≈ 2,7 %. "
            "El artículo publicó un 89,29 % (Xiao et al., 2017). Duración: unos 40 minutos de lectura.")
    assert _check(tmp_path, text, code) == []
    assert _check(tmp_path, "Apaga el 40 % de las neuronas.", code) == ["40 %"]
    assert _check(tmp_path, "El azar da 1/37 ≈ 3,7 %.") == ["3,7 %"]


def test_every_figure_in_the_course_prose_has_a_source():
    pending = unsourced_figures()
    assert not pending, "cifras sin fuente (python -m tools.figures):\n" + "\n".join(map(str, pending))
