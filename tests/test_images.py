"""Pruebas de helpers.images: fotos de ejemplo, carga desde disco y manipulación de canales."""
from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from helpers.images import (
    SAMPLE_IMAGES,
    crop,
    describe,
    load_image,
    resize,
    sample_image,
    split_channels,
    tint_channel,
    to_grayscale,
)


@pytest.fixture
def photo():
    """Imagen RGB pequeña con valores distintos en cada canal."""
    return np.random.default_rng(0).integers(0, 256, (6, 8, 3), dtype=np.uint8)


@pytest.mark.parametrize("name", sorted(SAMPLE_IMAGES))
def test_sample_images_are_bundled_uint8(name):
    img = sample_image(name)
    assert img.dtype == np.uint8
    assert img.ndim == 2 or (img.ndim == 3 and img.shape[2] == 3)
    assert min(img.shape[:2]) >= 256


def test_sample_image_accepts_accents_and_capitals():
    assert sample_image("Cámara").shape == (512, 512)
    assert sample_image("café").shape == (400, 600, 3)


def test_sample_image_unknown_name_lists_options():
    with pytest.raises(ValueError, match="No conozco la imagen de ejemplo 'perro'.*'astronauta'"):
        sample_image("perro")


def test_load_image_png_roundtrip(tmp_path, photo):
    path = tmp_path / "foto.png"
    Image.fromarray(photo).save(path)
    loaded = load_image(path)
    assert loaded.dtype == np.uint8
    np.testing.assert_array_equal(loaded, photo)


def test_load_image_rgba_composites_on_white(tmp_path):
    rgba = np.zeros((4, 5, 4), dtype=np.uint8)
    rgba[..., 0] = 200
    rgba[:2, :, 3] = 255  # mitad de arriba opaca, mitad de abajo transparente
    path = tmp_path / "transparente.png"
    Image.fromarray(rgba, mode="RGBA").save(path)
    loaded = load_image(str(path))
    assert loaded.shape == (4, 5, 3) and loaded.dtype == np.uint8
    np.testing.assert_array_equal(loaded[0, 0], [200, 0, 0])
    np.testing.assert_array_equal(loaded[3, 0], [255, 255, 255])


def test_load_image_grayscale_becomes_rgb(tmp_path):
    gray = np.arange(20, dtype=np.uint8).reshape(4, 5) * 10
    path = tmp_path / "gris.png"
    Image.fromarray(gray).save(path)
    loaded = load_image(path)
    assert loaded.shape == (4, 5, 3)
    for c in range(3):
        np.testing.assert_array_equal(loaded[..., c], gray)


def test_load_image_16_bit_grayscale_is_scaled_to_8_bits(tmp_path):
    deep = np.array([[0, 257, 32896, 65535]], dtype=np.uint16)
    path = tmp_path / "gris16.png"
    Image.fromarray(deep).save(path)
    loaded = load_image(path)
    assert loaded.shape == (1, 4, 3) and loaded.dtype == np.uint8
    np.testing.assert_array_equal(loaded[..., 0], [[0, 1, 128, 255]])


def test_load_image_cmyk_jpeg_becomes_rgb(tmp_path):
    path = tmp_path / "cmyk.jpg"
    Image.new("CMYK", (6, 4), (0, 255, 255, 0)).save(path, quality=100)  # rojo en CMYK
    loaded = load_image(path)
    assert loaded.shape == (4, 6, 3) and loaded.dtype == np.uint8
    red, green, blue = loaded[2, 3].astype(int)
    assert red > 200 and green < 60 and blue < 60


def test_load_image_palette_becomes_rgb(tmp_path, photo):
    path = tmp_path / "paleta.gif"
    Image.fromarray(photo).convert("P").save(path)
    loaded = load_image(path)
    assert loaded.shape == photo.shape and loaded.dtype == np.uint8


def test_load_image_applies_exif_orientation(tmp_path):
    path = tmp_path / "movil.jpg"
    picture = Image.new("RGB", (6, 4), (0, 0, 255))
    exif = Image.Exif()
    exif[0x0112] = 6  # «girar 90° en sentido horario para verla derecha»
    picture.save(path, exif=exif)
    assert load_image(path).shape == (6, 4, 3)


def test_load_image_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match="No encuentro el archivo"):
        load_image(tmp_path / "no_existe.png")
    with pytest.raises(ValueError, match="solo lee archivos locales"):
        load_image("https://example.com/gato.jpg")
    not_an_image = tmp_path / "notas.png"
    not_an_image.write_text("esto no es una imagen")
    with pytest.raises(ValueError, match="no es una imagen"):
        load_image(not_an_image)


def test_to_grayscale_uses_bt601_weights():
    for channel, weight in enumerate((0.299, 0.587, 0.114)):
        pure = np.zeros((2, 3, 3), dtype=np.uint8)
        pure[..., channel] = 255
        gray = to_grayscale(pure)
        assert gray.shape == (2, 3) and gray.dtype == np.uint8
        assert np.all(gray == round(weight * 255))
    white = np.full((1, 1, 3), 255, dtype=np.uint8)
    assert to_grayscale(white)[0, 0] == 255


def test_to_grayscale_float_and_rgba_and_gray():
    rgb = np.random.default_rng(1).random((3, 4, 3))
    gray = to_grayscale(rgb)
    assert gray.dtype == np.float64
    expected = 0.299 * rgb[..., 0] + 0.587 * rgb[..., 1] + 0.114 * rgb[..., 2]
    np.testing.assert_allclose(gray, expected)
    rgba = np.concatenate([rgb, np.zeros((3, 4, 1))], axis=-1)
    np.testing.assert_allclose(to_grayscale(rgba), gray)
    np.testing.assert_array_equal(to_grayscale(gray), gray)
    with pytest.raises(ValueError, match="to_grayscale espera"):
        to_grayscale(np.zeros((3, 4, 2)))


def test_split_channels(photo):
    r, g, b = split_channels(photo)
    for c, plane in enumerate((r, g, b)):
        assert plane.shape == (6, 8)
        np.testing.assert_array_equal(plane, photo[..., c])
    with pytest.raises(ValueError, match="escala de grises"):
        split_channels(photo[..., 0])


@pytest.mark.parametrize("channel,index", [(0, 0), ("verde", 1), ("Azul", 2)])
def test_tint_channel_keeps_only_one_channel(photo, channel, index):
    tinted = tint_channel(photo, channel)
    assert tinted.shape == photo.shape and tinted.dtype == photo.dtype
    np.testing.assert_array_equal(tinted[..., index], photo[..., index])
    others = [c for c in range(3) if c != index]
    assert not tinted[..., others].any()


@pytest.mark.parametrize("channel", [3, -1, "amarillo", True])
def test_tint_channel_bad_channel(photo, channel):
    with pytest.raises(ValueError, match="channel debe ser"):
        tint_channel(photo, channel)


def test_crop_equals_slicing_and_is_a_copy(photo):
    piece = crop(photo, top=1, left=2, height=3, width=4)
    np.testing.assert_array_equal(piece, photo[1:4, 2:6])
    piece[...] = 0
    assert photo[1:4, 2:6].any()  # el original no cambia


@pytest.mark.parametrize("args,message", [
    ((0, 0, 7, 2), "se sale de la imagen, que tiene 6 filas y 8 columnas"),
    ((2, 5, 2, 4), "se sale de la imagen"),
    ((-1, 0, 2, 2), "top y left deben ser >= 0"),
    ((0, 0, 0, 2), "height y width deben ser >= 1"),
])
def test_crop_bounds(photo, args, message):
    with pytest.raises(ValueError, match=message):
        crop(photo, *args)


def test_resize_keeps_dtype_and_uses_height_width(photo):
    out = resize(photo, (3, 4))
    assert out.shape == (3, 4, 3) and out.dtype == np.uint8
    assert resize(photo[..., 0], 5).shape == (5, 5)
    flat = np.full((10, 20, 3), 0.25, dtype=np.float32)
    out = resize(flat, (5, 7))
    assert out.shape == (5, 7, 3) and out.dtype == np.float32
    np.testing.assert_allclose(out, 0.25, rtol=1e-6)
    assert resize(photo[..., :1], (3, 4)).shape == (3, 4, 1)
    with pytest.raises(ValueError, match="size debe ser"):
        resize(photo, (0, 4))


def test_describe_prints_in_spanish(capsys, photo):
    describe(photo)
    out = capsys.readouterr().out
    assert "forma: (6, 8, 3)" in out and "3 canales" in out and "tipo: uint8" in out
    assert f"mínimo: {photo.min()}" in out and f"máximo: {photo.max()}" in out
    describe(np.zeros((2, 2)))
    assert "escala de grises" in capsys.readouterr().out
