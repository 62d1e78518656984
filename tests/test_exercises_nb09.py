"""Ejercicios del cuaderno 09: respuestas correctas, marcador y errores típicos."""
import re

import pytest
from hint_fixtures import longest_shared_code

from helpers.exercises import ____
from helpers.exercises import nb09 as ex

pytestmark = pytest.mark.integration  # arranca el servidor de la API


def test_quizzes_accept_only_the_right_letter():
    for exercise, right in [(ex.safe_loading, "c"), (ex.browser_format, "d")]:
        assert exercise.evaluate(right).correct
        assert exercise.evaluate(____).status == "not_attempted"
        wrong = [letter for letter in "abcd" if letter != right]
        assert all(exercise.evaluate(letter).status == "incorrect" for letter in wrong)


def test_top_class_finds_the_most_probable_not_the_first():
    assert ex.top_class.evaluate(lambda a: max(a["predicciones"], key=lambda p: p["probabilidad"])["clase"]).correct
    first = ex.top_class.evaluate(lambda a: a["predicciones"][0]["clase"])
    assert first.status == "incorrect" and "búscala" in first.message
    whole = ex.top_class.evaluate(lambda a: max(a["predicciones"], key=lambda p: p["probabilidad"]))
    assert whole.status == "incorrect" and "nombre" in whole.message
    assert ex.top_class.evaluate(____).status == "not_attempted"


def test_top_class_names_the_field_when_the_answer_is_not_the_first_mistake():
    best = lambda a: max(a["predicciones"], key=lambda p: p["probabilidad"])  # noqa: E731
    probability = ex.top_class.evaluate(lambda a: best(a)["probabilidad"])
    assert probability.status == "incorrect" and "«clase»" in probability.message, probability.message
    assert "primera" not in probability.message
    last = ex.top_class.evaluate(lambda a: a["predicciones"][-1]["clase"])
    assert last.status == "incorrect" and "'bota'" in last.message and "primera" not in last.message, last.message


@pytest.mark.parametrize("broken", [lambda a: a["prediccion"], lambda a: 1 / 0])
def test_top_class_reports_errors_in_the_function(broken):
    assert ex.top_class.evaluate(broken).status == "incorrect"


def test_top_class_refuses_the_course_version():
    def calls_reference(answer):
        return ex.top_class_reference(answer)

    feedback = ex.top_class.evaluate(calls_reference)
    assert feedback.status == "incorrect" and "top_class_reference" in feedback.message


def test_a_wrong_top_class_falls_back_to_the_course_version():
    """La celda de después usa choose: una función mal hecha no detiene «Ejecutar todo»."""
    assert ex.top_class.choose(lambda a: 1 / 0, ex.top_class_reference, "top_class") is ex.top_class_reference
    assert ex.top_class.choose(____, ex.top_class_reference, "top_class") is ex.top_class_reference


EXERCISES = [ex.safe_loading, ex.onnx_export, ex.ask_api, ex.top_class, ex.browser_format]


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.title)
def test_hints_come_in_two_steps_and_never_give_the_solution(exercise):
    """Ninguna pista copia 10 símbolos seguidos de la solución (la 2 de onnx_export copiaba el lote de
    ejemplo entero), ni la letra ni la llamada que convierte la respuesta."""
    assert len(exercise.hints) == 2 and exercise.hints[0] != exercise.hints[1]
    for hint in exercise.hints:
        assert longest_shared_code(hint, exercise.solution_code) < 10, hint
        assert not any(answer in hint for answer in ('"c"', '"d"', "max(answer", ".json()"))


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.title)
def test_the_first_hint_is_the_idea_without_code(exercise):
    """La pista 1 de ask_api era la receta («files= (campo «imagen») … en params=»): la primera da la
    idea; argumentos con nombre, índices y llamadas quedan para la segunda."""
    assert not re.search(r"\w=|\w\[|\.\w+\(", exercise.hints[0]), exercise.hints[0]


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    from serving_fixtures import image_bytes, tiny_onnx

    from helpers.serving.process import ServerProcess

    with ServerProcess(tiny_onnx(tmp_path_factory.mktemp("modelo") / "moda.onnx")) as server:
        ex.ask_api.bind(url=server.url, image=image_bytes())
        yield server.url, image_bytes()
    ex.ask_api.bind()


def _post(url, image, k, **changes):
    import httpx

    request = {"files": {"imagen": ("foto.png", image)}, "params": {"k": k}, **changes}
    return httpx.post(url + "/predecir", **request)


def test_ask_api_accepts_the_solution_and_equivalents(api):
    assert ex.ask_api.evaluate(lambda url, image, k=3: _post(url, image, k).json()).correct
    assert ex.ask_api.evaluate(____).status == "not_attempted"
    assert ex.ask_api.evaluate(lambda url, image, k=3: ____).status == "not_attempted"


def test_ask_api_refuses_the_course_version_and_falls_back_to_it(api):
    def calls_reference(url, image, k=3):
        return ex.ask_api_reference(url, image, k)

    feedback = ex.ask_api.evaluate(calls_reference)
    assert feedback.status == "incorrect" and "ask_api_reference" in feedback.message
    assert ex.ask_api.choose(calls_reference, ex.ask_api_reference, "ask_api") is ex.ask_api_reference


@pytest.mark.parametrize("wrong, text", [
    (lambda url, image, k=3: _post(url, image, k), "response.json()"),
    (lambda url, image, k=3: _post(url, image, k).text, "texto del JSON"),
    (lambda url, image, k=3: _post(url, image, k).json()["predicciones"], "solo la lista"),
    (lambda url, image, k=3: _post(url, image, k, files={"foto": ("foto.png", image)}).json(), "«imagen»"),
    (lambda url, image, k=3: _post(url, image, k, files=None, data={"imagen": "foto"}).json(), "files="),
    (lambda url, image, k=3: _post(url, image, 3, params={}).json(), "params"),
    (lambda url, image, k=3: __import__("httpx").get(url + "/predecir").json(), "httpx.post"),
    (lambda url, image, k=3: __import__("httpx").post(url + "/predict", files={"imagen": ("f.png", image)},
                                                      params={"k": k}).json(), "/predecir"),
    (lambda url, image, k=3: _post(url, image[: len(image) // 2], k).json(), "error"),
])
def test_ask_api_explains_typical_mistakes(api, wrong, text):
    feedback = ex.ask_api.evaluate(wrong)
    assert feedback.status == "incorrect" and text in feedback.message, feedback.message


def _export(model, path, softmax=True, opset=ex.ONNX_OPSET, example=(2, 1, 28, 28), free_batch=True,
            input_name="imagen", dtype="float32"):
    """Exporta como lo haría el estudiante, con una elección del enunciado cambiada en cada prueba."""
    import contextlib
    import io

    import torch
    from torch import nn

    net = nn.Sequential(model, nn.Softmax(dim=1)) if softmax else model
    options = {"dynamic_shapes": [{0: torch.export.Dim("lote")}]} if free_batch else {}
    with contextlib.redirect_stdout(io.StringIO()):
        torch.onnx.export(net.eval(), (torch.zeros(*example, dtype=getattr(torch, dtype)),), path,
                          opset_version=opset, input_names=[input_name], dynamo=True, external_data=False, **options)


@pytest.fixture
def fashion_net():
    """Una red de PyTorch pequeña de 28×28 en gris a 10 logits, ligada al comprobador."""
    import torch
    from torch import nn

    torch.manual_seed(0)
    net = nn.Sequential(nn.Flatten(), nn.Linear(28 * 28, 10))
    ex.onnx_export.bind(model=net)
    yield net
    ex.onnx_export.bind()


@pytest.mark.frameworks
def test_onnx_export_accepts_the_solution(fashion_net):
    assert ex.onnx_export.evaluate(_export).correct
    assert ex.onnx_export.evaluate(____).status == "not_attempted"


def test_onnx_export_left_as_in_the_learner_notebook_is_unanswered_not_wrong(fashion_net):
    def export_to_onnx(model, path):
        with_softmax = ____  # noqa: F841 (como lo deja el cuaderno del estudiante)

    assert ex.onnx_export.evaluate(export_to_onnx).status == "not_attempted"


@pytest.mark.frameworks
@pytest.mark.parametrize("wrong, text", [
    (lambda model, path: _export(model, path, opset=20), "opset 20"),
    (lambda model, path: _export(model, path, softmax=False), "no son probabilidades"),
    (lambda model, path: _export(model, path, free_batch=False), "lote está fijo"),
    (lambda model, path: _export(__import__("torch").nn.Sequential(__import__("torch").nn.Unflatten(1, (1, 28)),
                                                                   model), path, example=(2, 28, 28)),
     "(lote, 1, 28, 28)"),
    (lambda model, path: _export(model, path, input_name="input"), "«imagen»"),
    (lambda model, path: _export(__import__("copy").deepcopy(model).double(), path, dtype="float64"), "float32"),
    (lambda model, path: None, "no encuentro el archivo"),
    (lambda model, path: open(path, "w").write("no es onnx"), "onnxruntime no puede cargar"),
], ids=["opset", "sin softmax", "lote fijo", "sin canal", "otro nombre", "float64", "sin archivo", "no es onnx"])
def test_onnx_export_rejects_each_wrong_choice_in_spanish(fashion_net, wrong, text):
    feedback = ex.onnx_export.evaluate(wrong)
    assert feedback.status == "incorrect" and text in feedback.message, feedback.message


@pytest.mark.frameworks
def test_onnx_export_rejects_a_model_that_answers_differently(fashion_net):
    import torch

    def other_weights(model, path):
        shifted = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(28 * 28, 10))
        _export(shifted, path)

    feedback = ex.onnx_export.evaluate(other_weights)
    assert feedback.status == "incorrect" and "no responde lo mismo" in feedback.message


@pytest.mark.frameworks
def test_onnx_export_refuses_the_course_exporter(fashion_net):
    from helpers.export import export_torch_onnx

    def calls_course(model, path):
        export_torch_onnx(model, path, [str(i) for i in range(10)])

    feedback = ex.onnx_export.evaluate(calls_course)
    assert feedback.status == "incorrect" and "export_torch_onnx" in feedback.message
