"""``petfaces()``: caras recortadas de los recuadros PASCAL VOC de Oxford-IIIT Pet, sin más red que sus dos archivos."""
import socket

import numpy as np
import pytest
from datasets_fixtures import (  # noqa: F401
    BACKGROUND,
    FACE_CASES,
    HEAD,
    http_server,
    isolated,
    md5,
    oxford_faces_files,
    point_registry,
)
from PIL import Image

from helpers import datasets
from helpers.datasets import faces, photos
from helpers.datasets.faces import HeadBox, pillow_box


@pytest.fixture
def oxford_server(isolated, monkeypatch, http_server):
    """Oxford-IIIT Pet servido en 127.0.0.1; cualquier otra conexión de red falla."""
    files = oxford_faces_files()
    point_registry(monkeypatch, "oxford_pets", {
        name: ((http_server.publish(name, data),), f"md5:{md5(data)}") for name, data in files.items()})
    allowed = http_server.httpd.server_address[:2]
    connect = socket.socket.connect

    def only_local_server(sock, address):
        if tuple(address[:2]) != allowed:
            raise AssertionError(f"conexión inesperada a {address}")
        return connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", only_local_server)
    return http_server


def test_voc_boxes_are_one_based_and_inclusive():
    # VOC: el píxel de arriba a la izquierda es (1, 1) y xmax/ymax son la última columna/fila incluida.
    assert pillow_box(HeadBox(1, 1, 1, 1), 5, 5) == (0, 0, 1, 1)         # un solo píxel
    assert pillow_box(HeadBox(1, 1, 5, 4), 5, 4) == (0, 0, 5, 4)         # la foto entera
    assert pillow_box(HeadBox(0, 1, 3, 3), 5, 5) is None                 # columna 0: fuera
    assert pillow_box(HeadBox(2, 2, 6, 3), 5, 5) is None                 # más allá del ancho
    assert pillow_box(HeadBox(3, 3, 2, 4), 5, 5) is None                 # recuadro al revés


def test_faces_are_the_xml_boxes_pixel_for_pixel(oxford_server, capsys):
    root = datasets.petfaces()
    found = {p.name: sorted(f.name for f in p.iterdir()) for p in root.iterdir() if p.is_dir()}
    assert found == {"Abyssinian": ["Abyssinian_1.jpg", "Abyssinian_2.jpg"], "Bengal": ["Bengal_1.jpg"]}
    for breed, names in found.items():
        for name in names:
            stem = name.removesuffix(".jpg")
            _, (xmin, ymin, xmax, ymax), _ = FACE_CASES[stem]
            with Image.open(root / breed / name) as crop:
                assert crop.mode == "RGB" and crop.format == "JPEG"
                assert crop.size == (xmax - xmin + 1, ymax - ymin + 1)
                pixels = np.asarray(crop).astype(int)
            assert np.abs(pixels - HEAD).max() <= 12, stem
            # Y la comprobación sí detecta un píxel de más: el recuadro desplazado mete fondo verde.
            with Image.open(datasets.oxford_pets() / breed / name) as photo:
                source = photo.convert("RGB")
            left, top, right, bottom = pillow_box(HeadBox(xmin, ymin, xmax, ymax), *source.size)
            for shifted in [(left - 1, top, right - 1, bottom), (left, top + 1, right, bottom + 1)]:
                if shifted[0] >= 0 and shifted[3] <= source.size[1]:
                    assert np.abs(np.asarray(source.crop(shifted)).astype(int) - HEAD).max() > 100
    assert np.abs(np.array(BACKGROUND) - HEAD).max() > 150
    out = capsys.readouterr().out
    assert "3 caras recortadas, de 2 razas" in out
    assert "1 recuadros que se salen de su foto: Bengal_2" in out
    assert "1 anotaciones con la foto ausente o imposible de decodificar" in out
    assert "great_pyrenees_3" in out and "._Abyssinian_1" not in out
    assert "1 fotos no tienen recuadro" in out  # great_pyrenees_4, sin xml
    assert not datasets.is_test_data(root)


def test_only_the_two_oxford_archives_are_downloaded_once(oxford_server, monkeypatch):
    root = datasets.petfaces()
    assert sorted(oxford_server.requests) == ["/annotations.tar.gz", "/images.tar.gz"]

    def no_fetch(*args):
        raise AssertionError("ya preparado: no debería buscar nada")

    monkeypatch.setattr(photos, "fetch", no_fetch)
    assert datasets.petfaces() == root
    assert len(oxford_server.requests) == 2


def test_a_failed_preparation_leaves_nothing_that_looks_ready(oxford_server, isolated, monkeypatch):
    def broken(*args):
        raise OSError("se cortó la luz")

    monkeypatch.setattr(photos, "crop_heads", broken)
    with pytest.raises(OSError, match="se cortó la luz"):
        datasets.petfaces()
    assert sorted(p.name for p in (isolated / "petfaces").iterdir()) == []
    monkeypatch.setattr(photos, "crop_heads", faces.crop_heads)
    assert (datasets.petfaces() / "Abyssinian" / "Abyssinian_1.jpg").is_file()


def test_malformed_xmls_are_reported_not_fatal(tmp_path, capsys):
    breeds, xmls = tmp_path / "razas", tmp_path / "xmls"
    (breeds / "pug").mkdir(parents=True)
    xmls.mkdir()
    for n in range(1, 6):
        Image.new("RGB", (20, 10), HEAD).save(breeds / "pug" / f"pug_{n}.jpg")
    box = "<bndbox><xmin>{}</xmin><ymin>1</ymin><xmax>{}</xmax><ymax>10</ymax></bndbox>"
    (xmls / "pug_1.xml").write_text("<annotation><object>")                          # cortado
    (xmls / "pug_2.xml").write_text("<annotation>" + box.format("uno", 5) + "</annotation>")
    (xmls / "pug_3.xml").write_text("<annotation><size/></annotation>")                # sin recuadro
    (xmls / "pug_4.xml").write_text("<annotation>" + box.format(1, 5) + box.format(11, 20) + "</annotation>")
    (xmls / "pug_5.xml").write_text("<annotation>" + box.format(-3, 5) + "</annotation>")
    report = faces.crop_heads(breeds, xmls, tmp_path / "caras")
    assert report.unreadable == ["pug_1", "pug_2", "pug_3"] and report.outside == ["pug_5"]
    assert sorted(p.name for p in (tmp_path / "caras" / "pug").iterdir()) == ["pug_4-2.jpg", "pug_4.jpg"]
    assert Image.open(tmp_path / "caras" / "pug" / "pug_4-2.jpg").size == (10, 10)
    assert report.faces == {"pug": 2} and report.without_box == 0


def test_an_old_microsoft_petfaces_in_the_cache_is_not_used(oxford_server, isolated):
    old = isolated / "petfaces" / "preparado" / "petfaces" / "cat_Bengal"
    old.mkdir(parents=True)
    (old / "1.jpg").write_bytes(b"antiguo")
    root = datasets.petfaces()
    assert "cat_Bengal" not in {p.name for p in root.iterdir()} and (root / "Abyssinian").is_dir()
