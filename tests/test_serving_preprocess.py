"""El preprocesado compartido: cualquier modo de color, EXIF, límites antes de decodificar, errores claros."""
import io

import numpy as np
import pytest
from PIL import Image
from serving_fixtures import image_bytes

from helpers.serving import ImageRejected, Limits, area_resize, decode_image, prepare_image
from helpers.serving.preprocess import _padded_resize
from tools.hostile_images import bomb_png, crafted_corpus, declared_png, exif_rotated_jpeg, photo


def test_area_resize_is_the_block_mean_for_integer_factors():
    image = np.random.default_rng(0).random((56, 84))
    expected = image.reshape(28, 2, 28, 3).mean(axis=(1, 3))
    np.testing.assert_allclose(area_resize(image), expected)


def test_area_resize_keeps_the_mean_for_any_size():
    image = np.random.default_rng(1).random((97, 61))
    assert area_resize(image).mean() == pytest.approx(image.mean())


@pytest.mark.parametrize("height, width", [(40, 120), (130, 33), (28, 28), (1, 300)])
def test_padded_resize_equals_resizing_the_padded_square(height, width):
    gray8 = np.random.default_rng(2).integers(0, 256, (height, width)).astype(np.uint8)
    background, side = 0.7, max(height, width)
    square = np.full((side, side), background)
    top, left = (side - height) // 2, (side - width) // 2
    square[top:top + height, left:left + width] = gray8 / 255
    np.testing.assert_allclose(_padded_resize(gray8, background), area_resize(square), atol=1e-12)


@pytest.mark.parametrize("mode", ["L", "RGB", "RGBA", "CMYK", "P", "I;16", "LAB"])
def test_every_color_mode_gives_the_same_input(mode):
    reference = prepare_image(image_bytes("RGB", fmt="PNG" if mode != "CMYK" else "JPEG"))
    fmt = {"CMYK": "JPEG", "I;16": "TIFF", "LAB": "TIFF"}.get(mode, "PNG")
    result = prepare_image(image_bytes(mode, fmt=fmt))
    assert result.shape == (28, 28) and result.dtype == np.float32
    np.testing.assert_allclose(result, reference, atol=0.06)


def test_light_background_is_inverted_and_aspect_is_kept():
    result = prepare_image(image_bytes("RGB", size=(120, 40)))
    assert result[0, 0] < 0.1 and result[14, 14] > 0.5   # fondo negro, prenda clara en el centro
    assert result[:8].max() < 0.1                           # relleno arriba: la foto era apaisada


def test_exif_orientation_is_applied_like_the_browser():
    rotated = exif_rotated_jpeg(size=(60, 40), orientation=6)
    assert decode_image(rotated).size == (40, 60)          # orientación 6: se ve en vertical
    upright = Image.open(io.BytesIO(rotated)).transpose(Image.Transpose.ROTATE_270)
    buffer = io.BytesIO()
    upright.save(buffer, "PNG")
    np.testing.assert_allclose(prepare_image(rotated), prepare_image(buffer.getvalue()), atol=1e-6)


def test_a_tall_thin_image_is_cheap_and_correct():
    result = prepare_image(bomb_png(16_000, 1))  # 16 000×1 negro sobre... negro: nada que invertir
    assert result.shape == (28, 28) and np.isfinite(result).all() and result.max() == 0


@pytest.mark.parametrize("data, status, text", [
    (b"", 400, "vacío"),
    (b"esto no es una imagen", 415, "no es una imagen"),
    (image_bytes(fmt="PNG")[:78], 400, "dañada o incompleta"),
    (image_bytes(fmt="JPEG", size=(200, 200))[:600], 400, "dañada o incompleta"),
    (dict(crafted_corpus())["tiff-nan"], 422, "no finitos"),
    (dict(crafted_corpus())["tiff-inf"], 422, "no finitos"),
])
def test_unusable_files_are_rejected_with_a_clear_status(data, status, text):
    with pytest.raises(ImageRejected, match=text) as caught:
        prepare_image(data)
    assert caught.value.status == status


def test_limits_in_bytes_pixels_and_side_give_413():
    data = image_bytes(size=(300, 200))
    for limits, text in [(Limits(max_bytes=len(data) - 1), "bytes"), (Limits(max_pixels=300 * 200 - 1), "píxeles"),
                         (Limits(max_side=299), "lado mayor")]:
        with pytest.raises(ImageRejected, match=text) as caught:
            prepare_image(data, limits)
        assert caught.value.status == 413


@pytest.mark.parametrize("data", [declared_png(30_000, 30_000), declared_png(1, 100_000),
                                  dict(crafted_corpus())["jpeg-51440x300-declarado"],
                                  declared_png(2**31 - 1, 2**31 - 1)],
                         ids=["30000x30000", "1x100000", "jpeg-51440x300", "2^31"])
def test_declared_size_is_checked_before_decoding(data):
    with pytest.raises(ImageRejected, match="píxeles") as caught:
        prepare_image(data)
    assert caught.value.status == 413


def test_a_real_decompression_bomb_is_refused_before_decoding():
    bomb = bomb_png(5_000, 5_000)                    # 25 millones de píxeles en unos 25 KB
    assert len(bomb) < 100_000
    with pytest.raises(ImageRejected, match="píxeles"):
        prepare_image(bomb, Limits(max_pixels=1_000_000))


def test_jpeg_photo_sizes_are_accepted_within_the_limits():
    assert prepare_image(photo((1600, 1200), fmt="JPEG")).shape == (28, 28)


def test_photo_models_get_the_whole_photo_stretched_in_color():
    from helpers.serving import prepare_photo

    pixels = np.zeros((40, 100, 3), np.uint8)
    pixels[:, :50] = (255, 0, 0)                    # mitad izquierda roja, derecha negra
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, "PNG")
    x = prepare_photo(buffer.getvalue(), 20)
    assert x.shape == (20, 20, 3) and x.dtype == np.float32
    np.testing.assert_allclose(x[:, :10, 0], 255) and np.testing.assert_allclose(x[:, 10:], 0)
    rotated = prepare_photo(exif_rotated_jpeg((60, 40)), 16)
    upright = Image.open(io.BytesIO(exif_rotated_jpeg((60, 40)))).transpose(Image.Transpose.ROTATE_270)
    buffer = io.BytesIO()
    upright.save(buffer, "PNG")
    np.testing.assert_allclose(rotated, prepare_photo(buffer.getvalue(), 16), atol=1e-3)
