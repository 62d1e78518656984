"""Informe de la clase: los registros que dejan las comprobaciones y la tabla que se lee de los cuadernos guardados."""
import csv
import re
import shutil

import nbformat
import pytest

from helpers.exercises import Exercise, Incorrect, ____, nb02
from helpers.exercises.core import RECORD_MIME
from tools import class_report
from tools.course import NOTEBOOKS

# --- El registro de cada resultado ------------------------------------------------------------


@pytest.fixture
def shown(monkeypatch):
    """Lo que mostraría Jupyter: cada paquete de formatos que pasa por ``display``."""
    import IPython
    import IPython.display

    bundles = []
    monkeypatch.delenv("CNN_STRICT_CHECKS", raising=False)
    monkeypatch.setattr(IPython, "get_ipython", lambda: object())
    monkeypatch.setattr(IPython.display, "display", lambda bundle, raw: bundles.append(bundle))
    return bundles


SOBEL = [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]


@pytest.mark.parametrize(("answer", "status", "label"), [
    (SOBEL, "correct", "✅ Correcto"),
    ([[1, 0, -1], [2, 0, -2], [1, 0, -1]], "incorrect", "❌ Incorrecto"),
    (____, "not_attempted", "✍️ Sin responder"),
])
def test_check_shows_the_text_and_carries_the_record_in_the_same_output(shown, answer, status, label):
    import numpy as np

    nb02.sobel_x.check(np.array(answer) if answer is not ____ else answer)
    (bundle,) = shown
    assert bundle[RECORD_MIME] == {"notebook": "02", "exercise": "sobel_x", "status": status}
    assert bundle["text/plain"].startswith(label) and "notebook" not in bundle["text/plain"]
    assert f"<b>{label}:</b>" in bundle["text/html"]


def test_choose_records_what_it_decided_and_hints_record_nothing(shown):
    import numpy as np

    kernel = np.array(SOBEL)
    nb02.sobel_x.check(kernel)
    assert nb02.sobel_x.choose(kernel, "referencia", "núcleo") is kernel
    assert nb02.sobel_x.choose(np.ones((3, 3)), "referencia", "núcleo") == "referencia"
    nb02.sobel_x.hint()
    assert [bundle.get(RECORD_MIME, {}).get("status") for bundle in shown] == \
        ["correct", "correct", "incorrect", None]
    assert shown[1]["text/plain"].startswith("ℹ️ Nota: Uso tu núcleo")


def test_an_exercise_outside_the_course_shows_its_text_without_a_record(shown):
    def must_be_four(n):
        if n != 4:
            raise Incorrect("cuenta otra vez")

    corners = Exercise("Esquinas", must_be_four, hint="", solution="corners = 4")
    assert corners.record("correct") is None
    corners.check(3)
    assert RECORD_MIME not in shown[0] and shown[0]["text/plain"].startswith("❌ Incorrecto")


def test_outside_ipython_only_the_spanish_text_is_printed(capsys, monkeypatch):
    monkeypatch.delenv("CNN_STRICT_CHECKS", raising=False)
    nb02.blur.check(____)
    printed = capsys.readouterr().out
    assert printed.startswith("✍️ Sin responder: «Desenfoque que conserva el brillo»")
    assert "status" not in printed and "vnd.curso-cnn" not in printed


# --- Cuadernos de tres estudiantes, ejecutados con las comprobaciones reales --------------------

IMPORTS = "from helpers.exercises import ____, nb02 as ex\nimport numpy as np"
RIGHT = {
    "sobel": "sobel_x = np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]])\nex.sobel_x.check(sobel_x)",
    "blur": "blur_kernel = np.ones((5, 5)) / 25\nex.blur.check(blur_kernel)",
    "shapes": "ex.shapes.check((24, 24), (30, 30), (28, 28, 16))",
}
LEARNERS = {
    # estudiante: (celdas, orden en que las ejecuta)
    "ana": ([IMPORTS, RIGHT["sobel"], RIGHT["blur"], RIGHT["shapes"]], [0, 1, 2, 3]),
    # Berta ejecuta el desenfoque bueno (celda 3) y después vuelve a la celda 2, equivocada: cuenta el último.
    "berta": ([IMPORTS, "ex.sobel_x.check(np.array([[1, 0, -1], [2, 0, -2], [1, 0, -1]]))",
               "ex.blur.check(np.ones((5, 5)))", RIGHT["blur"], "ex.shapes.check(____, ____, ____)"],
              [0, 1, 3, 2, 4]),
    "carla": ([IMPORTS, RIGHT["sobel"], RIGHT["blur"]], [0, 1, 2]),
}


@pytest.fixture(scope="module")
def saved_notebooks(tmp_path_factory):
    """Los cuadernos guardados de la clase: ejecutados en un núcleo de Jupyter; a Carla se le borran las salidas."""
    import os

    from nbclient import NotebookClient

    folder = tmp_path_factory.mktemp("clase")
    strict = os.environ.pop("CNN_STRICT_CHECKS", None)  # en clase, un fallo no detiene el cuaderno
    try:
        for learner, (cells, order) in LEARNERS.items():
            notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
            client = NotebookClient(notebook, timeout=120, kernel_name="python3")
            with client.setup_kernel():
                for index in order:
                    client.execute_cell(notebook.cells[index], index)
            nbformat.write(notebook, folder / f"{learner}.ipynb")
    finally:
        if strict is not None:
            os.environ["CNN_STRICT_CHECKS"] = strict
    carla = nbformat.read(folder / "carla.ipynb", as_version=4)
    assert any(cell.outputs for cell in carla.cells)
    for cell in carla.cells:
        cell.outputs, cell.execution_count = [], None
    nbformat.write(carla, folder / "carla.ipynb")
    return folder


def table_of(csv_path):
    with csv_path.open(encoding="utf-8") as file:
        header, *rows = list(csv.reader(file))
    return header, {row[0]: dict(zip(header[1:], row[1:])) for row in rows}


COLUMNS = ["02 · Convolución con dos bucles", "02 · Núcleo de Sobel para bordes verticales",
           "02 · Desenfoque que conserva el brillo", "02 · Predecir la forma de la salida"]


@pytest.mark.integration  # arranca núcleos de Jupyter
def test_report_reads_right_wrong_missing_and_cleared_notebooks(saved_notebooks, tmp_path, capsys):
    before = {path: path.read_bytes() for path in saved_notebooks.iterdir()}
    csv_path, html_path = tmp_path / "informe.csv", tmp_path / "informe.html"
    assert class_report.main([str(saved_notebooks), "--csv", str(csv_path), "--html", str(html_path)]) == 0
    assert "3 estudiantes, 4 ejercicios" in capsys.readouterr().out
    assert {path: path.read_bytes() for path in saved_notebooks.iterdir()} == before  # no ejecuta ni guarda

    header, rows = table_of(csv_path)
    assert header == ["estudiante", *COLUMNS]
    assert [rows[name][column] for name in ("ana", "berta", "carla") for column in COLUMNS] == [
        "no ejecutado", "correcto", "correcto", "correcto",
        "no ejecutado", "incorrecto", "incorrecto", "sin responder",
        "no ejecutado", "no ejecutado", "no ejecutado", "no ejecutado",
    ]

    page = html_path.read_text(encoding="utf-8")
    body = re.search(r"<tbody>(.*?)</tbody>", page, re.S).group(1)
    cells = re.findall(r"<tr><th>(\w+)</th>(.*?)</tr>", body)
    assert [(name, re.findall(r">([^<>]+)</td>", row)) for name, row in cells] == \
        [(name, [rows[name][column] for column in COLUMNS]) for name in ("ana", "berta", "carla")]
    assert re.findall(r"<tfoot>.*?</tfoot>", page, re.S)[0].count("de 3") == 4
    assert "no como prueba para calificar" in page and "nbgrader" in page
    assert not re.search(r"""(src|href)=|url\(|@import""", page)  # autónoma: nada externo


@pytest.mark.integration
def test_a_folder_per_learner_and_a_notebook_only_one_learner_handed_in(saved_notebooks, tmp_path):
    folder = tmp_path / "entregas"
    for learner in ("ana", "berta"):
        (folder / learner).mkdir(parents=True)
        shutil.copy(saved_notebooks / f"{learner}.ipynb", folder / learner / "02_kernels.ipynb")
    shutil.copy(NOTEBOOKS / "00_como_usar_el_curso.ipynb", folder / "ana")
    (folder / "notas.ipynb").write_text(nbformat.writes(nbformat.v4.new_notebook()), encoding="utf-8")
    (folder / "roto.ipynb").write_text("{", encoding="utf-8")

    submissions, warnings = class_report.collect(folder)
    columns, rows = class_report.class_table(submissions)
    assert [(c.notebook, c.exercise) for c in columns][:2] == [("00", "batch_size"), ("02", "conv2d_single")]
    assert rows["ana"][:3] == ["no ejecutado", "no ejecutado", "correcto"]
    assert rows["berta"][:3] == ["sin cuaderno", "no ejecutado", "incorrecto"]
    assert [text.split(":")[0] for text in warnings] == ["notas.ipynb", "roto.ipynb"]


def test_missing_arguments_are_refused_in_spanish(tmp_path, capsys):
    for argv, message in [([], "faltan argumentos obligatorios: CARPETA"),
                          ([str(tmp_path)], "indica dónde escribir el informe"),
                          ([str(tmp_path / "no"), "--csv", "x.csv"], "no es una carpeta"),
                          ([str(tmp_path), "--csv", "x.csv"], "no tiene cuadernos con ejercicios del curso")]:
        with pytest.raises(SystemExit) as stop:
            class_report.main(argv)
        assert stop.value.code == 2
        error = capsys.readouterr().err
        assert error.startswith("uso: python -m tools.class_report [-h]") and message in error
    with pytest.raises(SystemExit) as stop:
        class_report.main(["--help"])
    assert stop.value.code == 0 and "formativa" in capsys.readouterr().out
