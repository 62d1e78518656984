"""Ejercicios del cuaderno 01: correctos con la solución, «sin responder» con ____ e incorrectos con un mensaje útil."""
import numpy as np
import pytest

from helpers.exercises import ____
from helpers.exercises import nb01 as ex
from helpers.images import resize, sample_image, to_grayscale

CAT = sample_image("gato")


# ---------------------------------------------------------------------------
# Ejercicio 1: escala de grises a mano
# ---------------------------------------------------------------------------


def test_grayscale_accepts_the_weighted_sum_written_in_any_order():
    cat = CAT
    assert ex.grayscale.evaluate(0.299 * cat[..., 0] + 0.587 * cat[..., 1] + 0.114 * cat[..., 2]).correct
    assert ex.grayscale.evaluate(cat @ np.array([0.299, 0.587, 0.114])).correct
    assert ex.grayscale.evaluate(0.2989 * cat[..., 0] + 0.587 * cat[..., 1] + 0.1140 * cat[..., 2]).correct
    assert ex.grayscale.evaluate(____).status == "not_attempted"


@pytest.mark.parametrize("course_or_rounded", [
    to_grayscale(CAT),                                            # la función del curso
    np.rint(CAT @ np.array([0.299, 0.587, 0.114])),               # redondeado, aunque en float
    (CAT @ np.array([0.299, 0.587, 0.114])).astype(np.uint8),     # truncado a uint8
])
def test_grayscale_refuses_the_course_helper_and_rounded_values(course_or_rounded):
    feedback = ex.grayscale.evaluate(course_or_rounded)
    assert feedback.status == "incorrect"
    assert "to_grayscale" in feedback.message and "sin redondear" in feedback.message


def test_grayscale_refuses_a_list_of_channels():
    feedback = ex.grayscale.evaluate([CAT[..., 0], CAT[..., 1], CAT[..., 2]])
    assert feedback.status == "incorrect" and "lista de Python con 3 elementos" in feedback.message


@pytest.mark.parametrize("wrong, expected_text", [
    (lambda c: c.mean(axis=2), "mismo peso"),
    (lambda c: 0.114 * c[..., 0] + 0.587 * c[..., 1] + 0.299 * c[..., 2], "orden inverso"),
    (lambda c: (c[..., 0] + c[..., 1] + c[..., 2]) / 3, "da la vuelta"),
    (lambda c: to_grayscale(c) / 255, "divides entre 255"),
    (lambda c: c * np.array([0.299, 0.587, 0.114]), "no sumaste los tres"),
    (lambda c: c[..., 1], "en el píxel"),
])
def test_grayscale_explains_typical_mistakes(wrong, expected_text):
    feedback = ex.grayscale.evaluate(wrong(CAT))
    assert feedback.status == "incorrect"
    assert expected_text in feedback.message


# ---------------------------------------------------------------------------
# Ejercicio 2: recorte de la nariz
# ---------------------------------------------------------------------------


def test_nose_crop_accepts_the_solution():
    assert ex.nose_crop.evaluate(CAT[215:275, 225:305]).correct
    assert ex.nose_crop.evaluate(____).status == "not_attempted"


@pytest.mark.parametrize("wrong, expected_text", [
    (CAT[215:60, 225:80], "está vacío"),
    (CAT[225:305, 215:275], "intercambiaste filas y columnas"),
    (CAT[225:285, 215:295], "intercambiaste filas y columnas"),
    (CAT[215:274, 225:304], "se excluye b"),
    (CAT[215:275, 225:305, 0], "sin canales"),
    (CAT[220:280, 225:305], "empieza en la fila 220 y la columna 225"),
    (CAT[215:275, 225:305] // 2, "no son los píxeles"),
    (CAT[0:10, 0:10], "debe medir 60 filas"),
])
def test_nose_crop_explains_typical_mistakes(wrong, expected_text):
    feedback = ex.nose_crop.evaluate(wrong)
    assert feedback.status == "incorrect"
    assert expected_text in feedback.message


# ---------------------------------------------------------------------------
# Ejercicio 3: normalizar
# ---------------------------------------------------------------------------


def test_normalise_accepts_the_solution():
    assert ex.normalise.evaluate(CAT.astype(np.float32) / 255).correct
    assert ex.normalise.evaluate(____).status == "not_attempted"


@pytest.mark.parametrize("wrong, expected_text", [
    (CAT // 255, "división entera"),
    ((CAT / 255).astype(np.uint8), "división entera"),
    (CAT.astype(np.int32), "sigue siendo entero"),
    (CAT.astype(np.float32), "falta dividir entre 255"),
    (CAT / 255, "float64"),
    (CAT.astype(np.float32) / 256, "256"),
    (CAT.astype(np.float32) / CAT.max(), "estiras el rango"),
    (CAT.astype(np.float32)[..., 0] / 255, "no cambia la forma"),
])
def test_normalise_explains_typical_mistakes(wrong, expected_text):
    feedback = ex.normalise.evaluate(wrong)
    assert feedback.status == "incorrect"
    assert expected_text in feedback.message


# ---------------------------------------------------------------------------
# Ejercicio 4: lote (N, H, W, C)
# ---------------------------------------------------------------------------

PHOTOS = [resize(sample_image(name), (16, 16)) for name in ("astronauta", "gato", "cafe", "cohete")]


def test_batch_accepts_the_solution():
    assert ex.batch.evaluate(np.stack(PHOTOS).astype(np.float32) / 255, PHOTOS).correct
    assert ex.batch.evaluate((np.stack(PHOTOS) / 255).astype(np.float32), PHOTOS).correct
    assert ex.batch.evaluate(____, PHOTOS).status == "not_attempted"


def test_batch_refuses_a_list_of_arrays():
    feedback = ex.batch.evaluate([photo.astype(np.float32) / 255 for photo in PHOTOS], PHOTOS)
    assert feedback.status == "incorrect"
    assert "lista de Python con 4 elementos" in feedback.message and "único array" in feedback.message


def test_normalise_accepts_dividing_before_converting():
    # Dividir el uint8 primero da float64; convertir después a float32 deja el mismo resultado.
    assert ex.normalise.evaluate((CAT / 255).astype(np.float32)).correct


@pytest.mark.parametrize("wrong, expected_text", [
    (np.concatenate(PHOTOS).astype(np.float32) / 255, "np.concatenate"),
    (np.stack(PHOTOS, axis=-1).astype(np.float32) / 255, "el eje del lote debe ir primero"),
    (np.stack(PHOTOS).transpose(0, 3, 1, 2).astype(np.float32) / 255, "formato de PyTorch"),
    (np.stack(PHOTOS), "float32 y divide entre 255"),
    (np.stack(PHOTOS[::-1]).astype(np.float32) / 255, "respeta el orden"),
    (np.stack(PHOTOS) / 255, "float64"),
    (np.stack(PHOTOS[:3]).astype(np.float32) / 255, "(4, 16, 16, 3)"),
])
def test_batch_explains_typical_mistakes(wrong, expected_text):
    feedback = ex.batch.evaluate(wrong, PHOTOS)
    assert feedback.status == "incorrect"
    assert expected_text in feedback.message


@pytest.mark.parametrize("exercise", [ex.grayscale, ex.nose_crop, ex.normalise, ex.batch])
def test_hints_come_in_two_steps_and_neither_is_the_solution(exercise):
    assert len(exercise.hints) == 2
    solution = "".join(exercise.solution_code.split("=", 1)[1].split())
    for hint in exercise.hints:
        assert solution not in "".join(hint.split())
