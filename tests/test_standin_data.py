"""Los datos sintéticos de las pruebas tienen el formato oficial y los cargadores avisan de que lo son."""
import io
import tarfile
import xml.etree.ElementTree as ET

import pytest
from datasets_fixtures import isolated, make_mirror, oxford_faces_files  # noqa: F401
from PIL import Image

from helpers import datasets
from tools.standin_data import OXFORD_BREEDS, oxford_archives, write_standin_mirror


@pytest.fixture
def standin(isolated, tmp_path, monkeypatch):
    monkeypatch.setenv("CNN_MIRROR", str(write_standin_mirror(tmp_path / "replica")))


@pytest.fixture(scope="module")
def members():
    """Contenido de los dos archivos sintéticos: ``{ruta: bytes}``."""
    result = {}
    for data in oxford_archives().values():
        with tarfile.open(fileobj=io.BytesIO(data)) as tar:
            result.update({m.name: tar.extractfile(m).read() for m in tar if m.isfile()})
    return result


def test_breed_list_matches_the_real_dataset():
    assert len(OXFORD_BREEDS) == 37
    assert sum(breed[0].isupper() for breed in OXFORD_BREEDS) == 12  # razas de gato


def test_lists_follow_the_official_format(members):
    list_lines = members["annotations/list.txt"].decode().splitlines()
    assert [line.startswith("#") for line in list_lines[:7]] == [True] * 6 + [False]
    for split in ("trainval", "test"):
        lines = members[f"annotations/{split}.txt"].decode().splitlines()
        assert lines and not any(line.startswith("#") for line in lines)
        assert all(len(line.split()) == 4 for line in lines)
    assert len(list_lines) - 6 == sum(len(members[f"annotations/{s}.txt"].splitlines())
                                      for s in ("trainval", "test"))


def test_xmls_are_official_voc_for_some_trainval_images_only(members):
    trainval = {line.split()[0] for line in members["annotations/trainval.txt"].decode().splitlines()}
    xmls = {name.rsplit("/", 1)[1].removesuffix(".xml"): data for name, data in members.items()
            if name.startswith("annotations/xmls/")}
    assert set(xmls) < trainval  # solo trainval, y faltan unas pocas
    fields = ["folder", "filename", "source/database", "source/annotation", "source/image",
              "size/width", "size/height", "size/depth", "segmented", "object/name", "object/pose",
              "object/truncated", "object/occluded", "object/bndbox/xmin", "object/bndbox/ymin",
              "object/bndbox/xmax", "object/bndbox/ymax", "object/difficult"]
    for stem, data in xmls.items():
        root = ET.fromstring(data)
        assert root.tag == "annotation" and all(root.findtext(f) for f in fields), stem
        assert root.findtext("filename") == f"{stem}.jpg"
        assert root.findtext("object/name") == ("cat" if stem[0].isupper() else "dog")
        with Image.open(io.BytesIO(members[f"images/{stem}.jpg"])) as image:
            assert image.size == (int(root.findtext("size/width")), int(root.findtext("size/height")))


def test_archives_carry_the_official_oddities(members):
    assert any(name.startswith("annotations/trimaps/._") for name in members)
    assert any(name.startswith("images/") and name.endswith(".mat") for name in members)
    formats = set()
    for name, data in members.items():
        if name.startswith("images/") and name.endswith(".jpg"):
            with Image.open(io.BytesIO(data)) as image:
                formats.add((image.format, image.mode))
    assert {("PNG", "RGB"), ("GIF", "P"), ("JPEG", "CMYK"), ("JPEG", "L"), ("JPEG", "RGB")} <= formats


def test_standin_faces_load_like_the_real_ones_and_say_so(standin, capsys):
    root = datasets.petfaces()
    breeds = sorted(p.name for p in root.iterdir() if p.is_dir())
    assert breeds == sorted(OXFORD_BREEDS)
    faces = list(root.glob("*/*.jpg"))
    assert len(faces) == 37 * 4 - 2  # la mitad de cada raza es trainval; dos fotos sin xml
    assert all(Image.open(face).mode == "RGB" for face in faces)
    assert datasets.is_test_data(root)
    assert "DATOS DE PRUEBA SINTÉTICOS" in capsys.readouterr().out
    datasets.petfaces()  # la segunda carga (ya preparada) también avisa
    assert "DATOS DE PRUEBA SINTÉTICOS" in capsys.readouterr().out


def test_standin_oxford_pets_has_37_breeds_and_official_split_lists(standin, capsys):
    root = datasets.oxford_pets()
    assert sorted(p.name for p in root.iterdir() if p.is_dir()) == sorted(OXFORD_BREEDS)
    lists = datasets.oxford_pets_split_lists()
    trainval = lists["trainval"].read_text().split("\n")
    name, class_id, species, _ = trainval[0].split()
    assert (root / name.rsplit("_", 1)[0] / f"{name}.jpg").is_file()
    assert (class_id, species) == ("1", "1")
    assert datasets.is_test_data(root)
    assert capsys.readouterr().out.count("DATOS DE PRUEBA SINTÉTICOS") == 1  # un aviso por carga


def test_real_layout_is_not_mistaken_for_test_data(isolated, tmp_path, monkeypatch, capsys):
    files = {f"oxford_pets/{name}": data for name, data in oxford_faces_files().items()}
    monkeypatch.setenv("CNN_MIRROR", str(make_mirror(tmp_path / "m", files)))
    assert not datasets.is_test_data(datasets.petfaces())
    assert not datasets.is_test_data(datasets.oxford_pets())
    assert "SINTÉTICOS" not in capsys.readouterr().out
