"""Ejercicios del cuaderno 09: respuestas correctas, marcador y errores típicos."""
import pytest

from helpers.exercises import ____
from helpers.exercises import nb09 as ex

pytestmark = pytest.mark.integration  # arranca el servidor de la API


def test_quizzes_accept_only_the_right_letter():
    for exercise, right in [(ex.safe_loading, "b"), (ex.browser_format, "c")]:
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


@pytest.mark.parametrize("broken", [lambda a: a["prediccion"], lambda a: 1 / 0])
def test_top_class_reports_errors_in_the_function(broken):
    assert ex.top_class.evaluate(broken).status == "incorrect"


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    from serving_fixtures import image_bytes, tiny_onnx

    from helpers.serving.process import ServerProcess

    server = ServerProcess(tiny_onnx(tmp_path_factory.mktemp("modelo") / "moda.onnx"))
    yield server.url, image_bytes()
    server.stop()


def _post(url, image, k, **changes):
    import httpx

    request = {"files": {"imagen": ("foto.png", image)}, "params": {"k": k}, **changes}
    return httpx.post(url + "/predecir", **request)


def test_ask_api_accepts_the_solution_and_equivalents(api):
    assert ex.ask_api.evaluate(ex.ask_api_reference, *api).correct
    assert ex.ask_api.evaluate(lambda url, image, k=3: _post(url, image, k).json(), *api).correct
    assert ex.ask_api.evaluate(____, *api).status == "not_attempted"
    assert ex.ask_api.evaluate(lambda url, image, k=3: ____, *api).status == "not_attempted"


@pytest.mark.parametrize("wrong, text", [
    (lambda url, image, k=3: _post(url, image, k), "response.json()"),
    (lambda url, image, k=3: _post(url, image, k).text, "texto del JSON"),
    (lambda url, image, k=3: _post(url, image, k).json()["predicciones"], "solo la lista"),
    (lambda url, image, k=3: _post(url, image, k, files={"foto": ("foto.png", image)}).json(), "«imagen»"),
    (lambda url, image, k=3: _post(url, image, k, files=None, data={"imagen": "foto"}).json(), "files="),
    (lambda url, image, k=3: _post(url, image, 3, params={}).json(), "params"),
    (lambda url, image, k=3: __import__("httpx").get(url + "/predecir").json(), "httpx.post"),
])
def test_ask_api_explains_typical_mistakes(api, wrong, text):
    feedback = ex.ask_api.evaluate(wrong, *api)
    assert feedback.status == "incorrect" and text in feedback.message, feedback.message
