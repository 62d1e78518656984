"""Los datos sintéticos de las pruebas tienen el formato real y los cargadores avisan de que lo son."""
import pytest

from datasets_fixtures import isolated, make_mirror, oxford_files, petfaces_file  # noqa: F401
from helpers import datasets
from tools.standin_data import OXFORD_BREEDS, PETFACES_BREEDS, write_standin_mirror


@pytest.fixture
def standin(isolated, tmp_path, monkeypatch):
    monkeypatch.setenv("CNN_MIRROR", str(write_standin_mirror(tmp_path / "replica")))


def test_breed_lists_match_the_real_datasets():
    assert len(OXFORD_BREEDS) == 37 and len(PETFACES_BREEDS) == 35
    assert sum(breed[0].isupper() for breed in OXFORD_BREEDS) == 12  # razas de gato
    assert {"cat_British", "dog_american", "dog_english"} <= set(PETFACES_BREEDS)


def test_standin_petfaces_loads_like_the_real_one_and_says_so(standin, capsys):
    root = datasets.petfaces()
    breeds = sorted(p.name for p in root.iterdir() if p.is_dir())
    assert breeds == sorted(PETFACES_BREEDS)
    assert all(len(list((root / breed).glob("*.jpg"))) == 12 for breed in breeds)
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
    files = {"petfaces/petfaces.tar.gz": petfaces_file(),
             **{f"oxford_pets/{name}": data for name, data in oxford_files().items()}}
    monkeypatch.setenv("CNN_MIRROR", str(make_mirror(tmp_path / "m", files)))
    assert not datasets.is_test_data(datasets.petfaces())
    assert not datasets.is_test_data(datasets.oxford_pets())
    assert "SINTÉTICOS" not in capsys.readouterr().out
