"""En modo rápido, cada resultado dice que sus cifras no son representativas, con un solo aviso del curso."""
import re

import nbformat
import pytest

from helpers.results import fast_mode_note
from tools.course import solution_notebooks


@pytest.mark.parametrize("setting", ["1", "smoke"])
def test_in_fast_mode_the_note_names_the_detail_and_says_the_figures_are_not_representative(
        setting, monkeypatch, capsys):
    monkeypatch.setenv("CNN_FAST", setting)
    fast_mode_note("una época con 2000 fotos")
    shown = capsys.readouterr().out
    assert shown.startswith("(Modo rápido: una época con 2000 fotos; ")
    assert "no son representativas" in shown and "benchmarks/results.md" in shown


def test_in_full_mode_the_note_says_nothing(monkeypatch, capsys):
    monkeypatch.setenv("CNN_FAST", "0")
    fast_mode_note("una época")
    fast_mode_note("una época", accuracy=0.05, classes=10)
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize("accuracy, classes", [(0.10, 10), (0.08, 10), (0.4766, 2), (0.5, 2)])
def test_a_fast_mode_result_no_better_than_chance_warns_and_stops_the_checked_runs(
        accuracy, classes, monkeypatch, capsys):
    """El modelo de 06 que respondía «gato» a todo (47,66 %) pasaba sin aviso en modo rápido."""
    monkeypatch.setenv("CNN_FAST", "1")
    monkeypatch.setenv("CNN_STRICT_CHECKS", "0")
    fast_mode_note(accuracy=accuracy, classes=classes)
    shown = capsys.readouterr().out
    assert "no supera la del azar" in shown and f"{classes} clases" in shown
    monkeypatch.setenv("CNN_STRICT_CHECKS", "1")  # así corren los cuadernos en las pruebas (nbval)
    with pytest.raises(RuntimeError, match="no supera la del azar"):
        fast_mode_note(accuracy=accuracy, classes=classes)


@pytest.mark.parametrize("accuracy, classes", [(0.11, 10), (0.5234, 2)])
def test_a_fast_mode_result_better_than_chance_only_gets_the_note(accuracy, classes, monkeypatch, capsys):
    monkeypatch.setenv("CNN_FAST", "1")
    monkeypatch.setenv("CNN_STRICT_CHECKS", "1")
    fast_mode_note(accuracy=accuracy, classes=classes)
    shown = capsys.readouterr().out
    assert "no son representativas" in shown and "azar" not in shown


TRAINING_NOTEBOOKS = [path for path in solution_notebooks() if path.name[:3] in ("04_", "05_", "05b", "06_")]


def test_the_notebooks_that_train_are_all_checked():
    assert len(TRAINING_NOTEBOOKS) == 4


@pytest.mark.parametrize("path", TRAINING_NOTEBOOKS, ids=lambda path: path.name)
def test_notebooks_warn_in_fast_mode_only_through_fast_mode_note(path):
    code = [cell.source for cell in nbformat.read(path, as_version=4).cells if cell.cell_type == "code"]
    own = [source for source in code if re.search(r"print\(f?[\"'][(]?Modo rápido", source)]
    assert own == [], f"{path.name} escribe su propio aviso de modo rápido: usa fast_mode_note(…)"
    assert any("fast_mode_note(" in source for source in code)


@pytest.mark.parametrize("path", TRAINING_NOTEBOOKS, ids=lambda path: path.name)
def test_every_cell_that_draws_curves_or_a_confusion_matrix_shows_the_note(path):
    """Una gráfica de resultados sin aviso propio se lee como si fuera la del modo completo."""
    code = [cell.source for cell in nbformat.read(path, as_version=4).cells if cell.cell_type == "code"]
    drawing = [source for source in code if re.search(r"^\s*plot_(history|confusion_matrix)\(", source, re.M)]
    assert drawing
    silent = [source for source in drawing if not re.search(r"fast_mode_note\(|run_experiment\(", source)]
    assert silent == [], f"{path.name}: celdas con gráficas de resultados sin fast_mode_note(…)"


@pytest.mark.parametrize("path", TRAINING_NOTEBOOKS, ids=lambda path: path.name)
def test_every_cell_that_prints_a_percentage_shows_the_note(path):
    """Una exactitud, una probabilidad o un objetivo impresos en modo rápido llevan su aviso debajo."""
    code = [cell.source for cell in nbformat.read(path, as_version=4).cells if cell.cell_type == "code"]
    printing = [source for source in code if re.search(r"print\(.*:\.\d%\}", source)]
    silent = [source for source in printing if not re.search(r"fast_mode_note\(|run_experiment\(", source)]
    assert silent == [], f"{path.name}: celdas que imprimen porcentajes sin fast_mode_note(…)"


@pytest.mark.parametrize("path", TRAINING_NOTEBOOKS, ids=lambda path: path.name)
def test_the_final_test_accuracy_is_compared_with_chance(path):
    """El resultado final en prueba pasa su exactitud a fast_mode_note: con CNN_STRICT_CHECKS=1, la
    ejecución del cuaderno en las pruebas (nbval, modo rápido) falla si no supera al azar."""
    code = [cell.source for cell in nbformat.read(path, as_version=4).cells if cell.cell_type == "code"]
    checked = [source for source in code
               if re.search(r"fast_mode_note\(.*?accuracy=.*?classes=", source, re.S)]
    assert len(checked) == 1, f"{path.name}: la celda de la exactitud final en prueba no la compara con el azar"
    assert "record_result" not in checked[0] and re.search(r"(?i)prueba|test", checked[0])
