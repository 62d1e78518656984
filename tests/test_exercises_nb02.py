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
    def weights_loop(image, kernel):
        kh, kw = kernel.shape
        output = np.zeros((image.shape[0] - kh + 1, image.shape[1] - kw + 1))
        for u in range(kh):
            for v in range(kw):
                output += kernel[u, v] * image[u:u + output.shape[0], v:v + output.shape[1]]
        return output

    assert ex.conv2d_single.evaluate(good_conv).correct
    assert ex.conv2d_single.evaluate(weights_loop).correct


def library_conv(image, kernel):
    from scipy import signal

    return signal.correlate2d(image, kernel, mode="valid")


def course_conv(image, kernel):
    from helpers import conv

    return conv.conv2d(image, kernel)


@pytest.mark.parametrize("borrowed, name", [(library_conv, "signal.correlate2d"),
                                            (course_conv, "conv.conv2d")])
def test_conv2d_single_refuses_a_library_or_the_course_implementation(borrowed, name):
    feedback = ex.conv2d_single.evaluate(borrowed)
    assert feedback.status == "incorrect"
    assert f"llama a {name}" in feedback.message and "dos bucles" in feedback.message


def no_return(image, kernel):
    kh, kw = kernel.shape
    output = np.zeros((image.shape[0] - kh + 1, image.shape[1] - kw + 1))
    for i in range(output.shape[0]):
        for j in range(output.shape[1]):
            output[i, j] = np.sum(image[i:i + kh, j:j + kw] * kernel)


def test_conv2d_single_without_return_or_given_an_array_says_so():
    missing = ex.conv2d_single.evaluate(no_return)
    assert missing.status == "incorrect" and "falta el return" in missing.message
    assert "mide ()" not in missing.message
    array = ex.conv2d_single.evaluate(np.zeros((3, 3)))
    assert array.status == "incorrect" and "esperaba una función y recibí ndarray" in array.message


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
    assert "(1 de 2)" in hint and "vuelve a llamar a .hint()" in hint
    with redirect_stdout(io.StringIO()) as out:
        ex.conv2d_single.hint()
    hint += out.getvalue()
    assert "(2 de 2)" in hint
    assert "np.sum" not in hint and "image[i:i + kh" not in hint and "window * kernel" not in hint


@pytest.mark.parametrize("exercise", [ex.conv2d_single, ex.sobel_x, ex.blur, ex.shapes])
def test_hints_come_in_two_steps_and_no_message_prints_the_solution(exercise):
    assert len(exercise.hints) == 2
    for line in exercise.solution_code.splitlines():
        key = "".join(line.split("=", 1)[-1].split())
        if len(key) >= 14:  # una línea con contenido (no «kh, kw = kernel.shape» ni «return output»)
            assert all(key not in "".join(hint.split()) for hint in exercise.hints), line


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
    (np.array([[0, -1, 1], [0, -2, 2], [0, -1, 1]]), "columna central no cuenta"),
    (np.array([[-2, 0, 2], [-1, 0, 1], [-2, 0, 2]]), "qué fila pesa el doble"),
])
def test_sobel_x_explains_typical_mistakes(wrong, expected_text):
    feedback = ex.sobel_x.evaluate(wrong)
    assert feedback.status == "incorrect"
    assert expected_text in feedback.message
    assert "np.outer" not in feedback.message and "[-2, 0, 2]" not in feedback.message
    assert "[1, 2, 1]" not in feedback.message  # con las filas de Prewitt, sería la respuesta


# ---------------------------------------------------------------------------
# Ejercicio 3: desenfoque que conserva el brillo
# ---------------------------------------------------------------------------


def test_blur_accepts_the_5x5_box_in_any_form():
    assert ex.blur.evaluate(np.ones((5, 5)) / 25).correct
    assert ex.blur.evaluate(np.full((5, 5), 0.04)).correct
    assert ex.blur.evaluate((np.ones((5, 5)) / 25).tolist()).correct
    assert ex.blur.evaluate(____).status == "not_attempted"


BOX_3X3 = np.ones((3, 3)) / 9


@pytest.mark.parametrize("wrong, expected_text", [
    (np.pad(BOX_3X3, 1), "mismo desenfoque que el de 3×3"),                       # centrado
    (np.pad(BOX_3X3, ((0, 2), (0, 2))), "desplaza la imagen"),                    # en una esquina
    (np.outer([1, 4, 6, 4, 1], [1, 4, 6, 4, 1]) / 256, "no es de caja"),         # gaussiano
])
def test_blur_refuses_blurs_that_are_not_a_5x5_box(wrong, expected_text):
    feedback = ex.blur.evaluate(wrong)
    assert feedback.status == "incorrect"
    assert expected_text in feedback.message


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


@pytest.mark.frameworks
def test_shapes_accepts_the_solution_and_matches_conv2d():
    import keras

    from helpers.conv import conv2d

    assert ex.shapes.evaluate(*GOOD_SHAPES).correct
    # Un solo filtro, escrito como lo da Conv2D(1, 3): con su eje de canales.
    assert tuple(keras.layers.Conv2D(1, 3)(np.zeros((1, 32, 32, 3))).shape[1:]) == (30, 30, 1)
    assert ex.shapes.evaluate((24, 24), (30, 30, 1), (28, 28, 16)).correct
    assert conv2d(np.zeros((28, 28)), np.ones((5, 5))).shape == GOOD_SHAPES[0]
    assert conv2d(np.zeros((32, 32, 3)), np.ones((3, 3, 3))).shape == GOOD_SHAPES[1]
    assert conv2d(np.zeros((32, 32, 3)), np.ones((5, 5, 3, 16))).shape == GOOD_SHAPES[2]
    assert ex.shapes.evaluate(____, ____, ____).status == "not_attempted"


@pytest.mark.parametrize("answers, expected_text", [
    (((28, 28), (30, 30), (28, 28, 16)), "sin relleno la salida encoge"),
    (((23, 23), (30, 30), (28, 28, 16)), "te falta el +1"),
    (((24, 24), (30, 30, 3), (28, 28, 16)), "un único mapa"),
    (((24, 24), (30, 30), (28, 28, 3)), "un canal por filtro"),
    (((24, 24), (30, 30), (28, 28, 48)), "no multipliques por 3"),
    (((24, 24), (30, 30), (16, 28, 28)), "canales al"),
    (((24, 24), (30, 30), "28x28x16"), "tupla de enteros"),
    (((24, 24), (30, 30), (28, 28)), "falta el eje de los filtros"),
    (((24, 24), (32, 32), (28, 28, 16)), "32 − 3 + 1"),
    (((24, 24), (30, 30), (32, 32, 16)), "32 − 5 + 1"),
])
def test_shapes_explains_typical_mistakes(answers, expected_text):
    feedback = ex.shapes.evaluate(*answers)
    assert feedback.status == "incorrect"
    assert expected_text in feedback.message
    for wrong, good in zip(answers, GOOD_SHAPES):  # el mensaje explica, no da la forma buscada
        if wrong != good:
            assert str(good) not in feedback.message
            for side in good:
                assert all(text not in feedback.message
                           for text in (f"= {side}", f"{side} canales", f"{side} mapas"))


def test_blur_hints_leave_the_count_of_weights_to_the_learner():
    assert all("25" not in hint for hint in ex.blur.hints)  # 1/25 es la respuesta
