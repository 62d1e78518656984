"""Ejercicios del cuaderno 02: correctos con la solución, «sin responder» con ____ e incorrectos con un mensaje útil."""
import numpy as np
import pytest

from helpers.exercises import ____
from helpers.exercises import nb02 as ex

# ---------------------------------------------------------------------------
# Ejercicio 1: conv2d_single
# ---------------------------------------------------------------------------


def good_conv(image, kernel):
    kh, kw = kernel.shape
    out_h = image.shape[0] - kh + 1
    out_w = image.shape[1] - kw + 1
    output = np.zeros((out_h, out_w))
    for i in range(out_h):
        for j in range(out_w):
            output[i, j] = np.sum(image[i:i + kh, j:j + kw] * kernel)
    return output


def test_conv2d_single_accepts_the_solution_and_equivalent_forms():
    from scipy import signal

    assert ex.conv2d_single.evaluate(good_conv).correct
    assert ex.conv2d_single.evaluate(lambda im, k: signal.correlate2d(im, k, mode="valid")).correct


def test_conv2d_single_placeholder_is_not_attempted():
    def learner(image, kernel):
        return ____

    assert ex.conv2d_single.evaluate(____).status == "not_attempted"
    assert ex.conv2d_single.evaluate(learner).status == "not_attempted"


def same_size(image, kernel):
    padded = np.pad(image, ((kernel.shape[0] // 2,) * 2, (kernel.shape[1] // 2,) * 2))
    return good_conv(padded, kernel)[:image.shape[0], :image.shape[1]]


def missing_last(image, kernel):
    return good_conv(image, kernel)[:-1, :-1]


def swapped_kernel_axes(image, kernel):
    kw, kh = kernel.shape  # al revés
    output = np.zeros((image.shape[0] - kh + 1, image.shape[1] - kw + 1))
    for i in range(output.shape[0]):
        for j in range(output.shape[1]):
            output[i, j] = np.sum(image[i:i + kh, j:j + kw] * kernel)
    return output


def swapped_output_shape(image, kernel):
    kh, kw = kernel.shape
    return good_conv(image, kernel) if kh == kw else np.zeros((image.shape[0] - kw + 1,
                                                               image.shape[1] - kh + 1))


@pytest.mark.parametrize("wrong, expected_text", [
    (lambda im, k: good_conv(im, k[::-1, ::-1]), "convolución matemática"),
    (lambda im, k: good_conv(im, k) / k.size, "no su media"),
    (same_size, "como la entrada"),
    (missing_last, "falta la última posición"),
    (swapped_kernel_axes, "núcleo rectangular"),
    (swapped_output_shape, "intercambiaste el alto y el ancho"),
    (lambda im, k: good_conv(im, np.ones_like(k)) * k.sum(), "elemento a elemento"),
    (lambda im, k: good_conv(im, k) + 1, "debería valer"),
    (lambda im, k: 1 / 0, "ZeroDivisionError"),
])
def test_conv2d_single_explains_typical_mistakes(wrong, expected_text):
    feedback = ex.conv2d_single.evaluate(wrong)
    assert feedback.status == "incorrect"
    assert expected_text in feedback.message


def hard_coded_window(image, kernel):
    kh, kw = kernel.shape
    output = np.zeros((image.shape[0] - kh + 1, image.shape[1] - kw + 1))
    for i in range(output.shape[0]):
        for j in range(output.shape[1]):
            output[i, j] = np.sum(image[i:i + 3, j:j + 3] * kernel)
    return output


def hard_coded_everything(image, kernel):
    output = np.zeros((image.shape[0] - 2, image.shape[1] - 2))
    for i in range(image.shape[0] - 2):
        for j in range(image.shape[1] - 2):
            output[i, j] = np.sum(image[i:i + 3, j:j + 3] * kernel)
    return output


def hard_coded_shape_only(image, kernel):
    kh, kw = kernel.shape
    output = np.zeros((image.shape[0] - 2, image.shape[1] - 2))
    for i in range(output.shape[0]):
        for j in range(output.shape[1]):
            if i + kh <= image.shape[0] and j + kw <= image.shape[1]:
                output[i, j] = np.sum(image[i:i + kh, j:j + kw] * kernel)
    return output


@pytest.mark.parametrize("wrong", [hard_coded_window, hard_coded_everything, hard_coded_shape_only])
def test_conv2d_single_hard_coded_3x3_gets_a_spanish_specific_message(wrong):
    feedback = ex.conv2d_single.evaluate(wrong)
    assert feedback.status == "incorrect"
    assert "funciona con núcleos 3×3 pero no con uno (4, 4)" in feedback.message
    assert "kernel.shape" in feedback.message
    assert "broadcast" not in feedback.message and "operands" not in feedback.message
    assert "intercambi" not in feedback.message   # ni kh/kw, que el estudiante no usó


def test_conv2d_single_hint_does_not_give_away_the_key_line():
    import io
    from contextlib import redirect_stdout

    with redirect_stdout(io.StringIO()) as out:
        ex.conv2d_single.hint()
    hint = out.getvalue()
    assert "np.sum" not in hint and "image[i:i + kh" not in hint and "window * kernel" not in hint


# ---------------------------------------------------------------------------
# Ejercicio 2: Sobel-x
# ---------------------------------------------------------------------------

SOBEL_X = np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]])


def test_sobel_x_accepts_the_solution_with_the_requested_signs_only():
    feedback = ex.sobel_x.evaluate(SOBEL_X)
    assert feedback.correct and "también vale" not in feedback.message
    assert ex.sobel_x.evaluate(SOBEL_X.tolist()).correct
    assert ex.sobel_x.evaluate(____).status == "not_attempted"
    flipped = ex.sobel_x.evaluate(-SOBEL_X)
    assert flipped.status == "incorrect"
    assert "negativo a la izquierda" in flipped.message and "al revés" in flipped.message


@pytest.mark.parametrize("wrong, expected_text", [
    (SOBEL_X.T, "bordes **horizontales**"),
    (np.array([[-1, 0, 1]] * 3), "Prewitt"),
    (np.array([[-1, 0, 1], [2, 0, -2], [-1, 0, 1]]), "mismo signo"),
    (np.array([[1, 0, 1], [2, 0, 2], [1, 0, 1]]), "suman 8"),
    (np.array([[-1, 0, 1]]), "3×3"),
    (np.array([[0, -1, 1], [0, -2, 2], [0, -1, 1]]), "np.outer"),
])
def test_sobel_x_explains_typical_mistakes(wrong, expected_text):
    feedback = ex.sobel_x.evaluate(wrong)
    assert feedback.status == "incorrect"
    assert expected_text in feedback.message


# ---------------------------------------------------------------------------
# Ejercicio 3: desenfoque que conserva el brillo
# ---------------------------------------------------------------------------


def test_blur_accepts_box_and_other_normalised_blurs():
    assert ex.blur.evaluate(np.ones((5, 5)) / 25).correct
    gauss = np.outer([1, 4, 6, 4, 1], [1, 4, 6, 4, 1]) / 256
    assert ex.blur.evaluate(gauss).correct
    assert ex.blur.evaluate(____).status == "not_attempted"


@pytest.mark.parametrize("wrong, expected_text", [
    (np.ones((5, 5)), "25 veces más **clara**"),
    (np.ones((5, 5)) / 50, "**más oscura**"),
    (np.ones((5, 5)) / 9, "Divide entre 25"),
    (np.ones((3, 3)) / 9, "5×5"),
    (np.pad([[1.0]], 2), "no mezcla vecinos"),
    (np.pad([[0, -1, 0], [-1, 5, -1], [0, -1, 0]], 1).astype(float), "pesos negativos"),
    (np.zeros((5, 5)), "imagen negra"),
])
def test_blur_explains_typical_mistakes(wrong, expected_text):
    feedback = ex.blur.evaluate(wrong)
    assert feedback.status == "incorrect"
    assert expected_text in feedback.message


# ---------------------------------------------------------------------------
# Ejercicio 4: formas
# ---------------------------------------------------------------------------

GOOD_SHAPES = ((24, 24), (30, 30), (28, 28, 16))


def test_shapes_accepts_the_solution_and_matches_conv2d():
    from helpers.conv import conv2d

    assert ex.shapes.evaluate(*GOOD_SHAPES).correct
    assert conv2d(np.zeros((28, 28)), np.ones((5, 5))).shape == GOOD_SHAPES[0]
    assert conv2d(np.zeros((32, 32, 3)), np.ones((3, 3, 3))).shape == GOOD_SHAPES[1]
    assert conv2d(np.zeros((32, 32, 3)), np.ones((5, 5, 3, 16))).shape == GOOD_SHAPES[2]
    assert ex.shapes.evaluate(____, ____, ____).status == "not_attempted"


@pytest.mark.parametrize("answers, expected_text", [
    (((28, 28), (30, 30), (28, 28, 16)), "sin relleno la salida encoge"),
    (((23, 23), (30, 30), (28, 28, 16)), "te falta el +1"),
    (((24, 24), (30, 30, 3), (28, 28, 16)), "un único mapa"),
    (((24, 24), (30, 30), (28, 28, 3)), "16 canales, no 3"),
    (((24, 24), (30, 30), (28, 28, 48)), "no 16·3"),
    (((24, 24), (30, 30), (16, 28, 28)), "canales al"),
    (((24, 24), (30, 30), "28x28x16"), "tupla de enteros"),
])
def test_shapes_explains_typical_mistakes(answers, expected_text):
    feedback = ex.shapes.evaluate(*answers)
    assert feedback.status == "incorrect"
    assert expected_text in feedback.message
