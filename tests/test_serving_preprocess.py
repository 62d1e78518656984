"""El preprocesado compartido: cualquier modo de color, límites y errores claros."""
import io

import numpy as np
import pytest
from PIL import Image

from helpers.serving import ImageRejected, Limits, area_resize, prepare_image
from serving_fixtures import image_bytes


def test_area_resize_is_the_block_mean_for_integer_factors():
    image = np.random.default_rng(0).random((56, 84))
    expected = image.reshape(28, 2, 28, 3).mean(axis=(1, 3))
    np.testing.assert_allclose(area_resize(image), expected)


def test_area_resize_keeps_the_mean_for_any_size():
    image = np.random.default_rng(1).random((97, 61))
    assert area_resize(image).mean() == pytest.approx(image.mean())


@pytest.mark.parametrize("mode", ["L", "RGB", "RGBA", "CMYK", "P", "I;16"])
def test_every_color_mode_gives_the_same_input(mode):
    reference = prepare_image(image_bytes("RGB", fmt="PNG" if mode != "CMYK" else "JPEG"))
    fmt = "JPEG" if mode == "CMYK" else ("TIFF" if mode == "I;16" else "PNG")
    result = prepare_image(image_bytes(mode, fmt=fmt))
    assert result.shape == (28, 28) and result.dtype == np.float32
    np.testing.assert_allclose(result, reference, atol=0.06)


def test_light_background_is_inverted_and_aspect_is_kept():
    result = prepare_image(image_bytes("RGB", size=(120, 40)))
    assert result[0, 0] < 0.1 and result[14, 14] > 0.5   # fondo negro, prenda clara en el centro
    assert result[:8].max() < 0.1                           # relleno arriba: la foto era apaisada


@pytest.mark.parametrize("data, status, text", [
    (b"", 400, "vacío"),
    (b"esto no es una imagen", 400, "no es una imagen"),
    (image_bytes(fmt="PNG")[:78], 400, "dañada o incompleta"),
    (image_bytes(fmt="JPEG", size=(200, 200))[:600], 400, "dañada o incompleta"),
])
def test_unusable_files_are_rejected_with_400(data, status, text):
    with pytest.raises(ImageRejected, match=text) as caught:
        prepare_image(data)
    assert caught.value.status == status


def test_limits_in_bytes_and_pixels_give_413():
    data = image_bytes(size=(300, 300))
    with pytest.raises(ImageRejected, match="bytes") as too_heavy:
        prepare_image(data, Limits(max_bytes=len(data) - 1))
    with pytest.raises(ImageRejected, match="píxeles") as too_big:
        prepare_image(data, Limits(max_pixels=300 * 300 - 1))
    assert too_heavy.value.status == too_big.value.status == 413


def test_pixel_limit_is_checked_before_decoding():
    buffer = io.BytesIO()
    Image.new("L", (5000, 5000)).save(buffer, "PNG")      # pocos bytes, muchos píxeles
    with pytest.raises(ImageRejected, match="píxeles"):
        prepare_image(buffer.getvalue(), Limits(max_pixels=1_000_000))
