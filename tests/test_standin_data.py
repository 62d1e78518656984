"""Los datos sintéticos de las pruebas tienen el formato oficial y los cargadores avisan de que lo son."""
import io
import tarfile
import xml.etree.ElementTree as ET

import pytest
from datasets_fixtures import isolated, make_mirror, oxford_faces_files  # noqa: F401
from PIL import Image

from helpers import datasets
from tools import standin_data
from tools.standin_data import OFFICIAL_SPLITS, OXFORD_BREEDS, official_size_mirror, write_standin_mirror


@pytest.fixture
def standin(isolated, tmp_path, monkeypatch):
    monkeypatch.setenv("CNN_MIRROR", str(write_standin_mirror(tmp_path / "replica")))


def archive_members(root) -> dict[str, bytes]:
    """Contenido de los dos archivos de la réplica ``root``: ``{ruta: bytes}``."""
    result = {}
    for name in ("images.tar.gz", "annotations.tar.gz"):
        with tarfile.open(root / "oxford_pets" / name) as tar:
            result.update({m.name: tar.extractfile(m).read() for m in tar if m.isfile()})
    return result


@pytest.fixture(scope="module")
def members(tmp_path_factory):
    """Contenido de los dos archivos sintéticos de prueba: ``{ruta: bytes}``."""
    return archive_members(write_standin_mirror(tmp_path_factory.mktemp("replica")))


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


def test_official_size_has_the_official_counts():
    assert len(OFFICIAL_SPLITS) == 37
    assert sum(trainval for trainval, _ in OFFICIAL_SPLITS) == 3680
    assert sum(test for _, test in OFFICIAL_SPLITS) == 3669
    assert {trainval + test for trainval, test in OFFICIAL_SPLITS} <= {198, 199, 200}


@pytest.fixture
def official_size(tmp_path, monkeypatch):
    """Una réplica al tamaño oficial, pero con pocas fotos por raza (el tamaño de las fotos, el oficial)."""
    monkeypatch.setattr(standin_data, "OFFICIAL_SPLITS", ((2, 1),) * 37)
    return official_size_mirror(tmp_path / "oficial")


def test_official_size_mirror_has_the_same_format_with_official_photo_sizes(official_size, members):
    big = archive_members(official_size)
    def shape(names):  # la estructura: cada ruta con el número de la foto cambiado por «N»
        return {name.rsplit("_", 1)[0] if "_" in name.rsplit("/", 1)[-1] else name for name in names}
    assert shape(big) == shape(members)
    assert big["annotations/list.txt"].decode().count("\n") == 6 + 37 * 3
    sides = []
    for name, data in big.items():
        if name.startswith("images/") and name.endswith(".jpg"):
            with Image.open(io.BytesIO(data)) as image:
                sides += image.size
    assert len(sides) == 2 * 37 * 3 and min(sides) >= 375 and max(sides) <= 500
    assert (official_size / "SHA256SUMS").read_text().count("oxford_pets/") == 2


def test_official_size_mirror_loads_like_the_real_one_and_says_so(official_size, isolated, monkeypatch, capsys):
    monkeypatch.setenv("CNN_MIRROR", str(official_size))
    root = datasets.oxford_pets()
    assert len(list(root.glob("*/*.jpg"))) == 37 * 3 and datasets.is_test_data(root)
    assert "DATOS DE PRUEBA SINTÉTICOS" in capsys.readouterr().out


def test_official_size_mirror_is_made_once_and_an_interrupted_one_is_not_used(tmp_path, monkeypatch):
    monkeypatch.setattr(standin_data, "OFFICIAL_SPLITS", ((1, 1),) * 37)
    root = tmp_path / "oficial"
    partial = tmp_path / "oficial.en_curso"   # una creación interrumpida
    (partial / "oxford_pets").mkdir(parents=True)
    (partial / "oxford_pets" / "images.tar.gz").write_bytes(b"a medias")
    assert official_size_mirror(root) == root
    assert not partial.exists() and len(archive_members(root)) > 37 * 2
    before = (root / "SHA256SUMS").stat().st_mtime_ns
    monkeypatch.setattr(standin_data, "write_standin_mirror", lambda *a, **k: pytest.fail("se crea otra vez"))
    assert official_size_mirror(root) == root
    assert (root / "SHA256SUMS").stat().st_mtime_ns == before
