"""Carpetas por clase: imágenes que no se decodifican y agrupación por nombre de archivo."""
from datasets_fixtures import corrupt_jpeg, jpeg

from helpers.datasets.folders import find_corrupt_images, group_by_class, quarantine_corrupt_images


def make_tree(root):
    for cls in ["cats", "dogs"]:
        (root / "train" / cls).mkdir(parents=True)
        (root / "train" / cls / f"{cls}.0.jpg").write_bytes(jpeg())
    (root / "train" / "cats" / "cortada.jpg").write_bytes(corrupt_jpeg())
    (root / "train" / "dogs" / "basura.png").write_bytes(b"no soy una imagen")
    (root / "train" / "dogs" / "notas.txt").write_text("no es una imagen y no se mira")


def test_find_corrupt_images(tmp_path):
    make_tree(tmp_path)
    found = [p.relative_to(tmp_path).as_posix() for p in find_corrupt_images(tmp_path)]
    assert found == ["train/cats/cortada.jpg", "train/dogs/basura.png"]


def test_quarantine_moves_them_out_of_the_class_folders_and_reports(tmp_path, capsys):
    root = tmp_path / "datos"
    make_tree(root)
    moved = quarantine_corrupt_images(root, tmp_path / "_descartadas")
    assert sorted(p.relative_to(tmp_path).as_posix() for p in moved) == [
        "_descartadas/train/cats/cortada.jpg", "_descartadas/train/dogs/basura.png"]
    assert find_corrupt_images(root) == []
    assert (root / "train" / "cats" / "cats.0.jpg").exists()
    out = capsys.readouterr().out
    assert "Aparto 2 de 4 imágenes porque no se pueden decodificar" in out
    assert "train/cats/cortada.jpg" in out and "train/dogs/basura.png" in out


def test_quarantine_is_silent_when_all_images_decode(tmp_path, capsys):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.jpg").write_bytes(jpeg())
    assert quarantine_corrupt_images(tmp_path, tmp_path.parent / "q") == []
    assert capsys.readouterr().out == ""


def test_group_by_class_copies_by_breed_name(tmp_path):
    src = tmp_path / "images"
    src.mkdir()
    names = ["Abyssinian_1.jpg", "Abyssinian_2.jpg", "great_pyrenees_12.jpg",
             "american_pit_bull_terrier_3.JPG", "Abyssinian_100.mat", "sin_numero.jpg", "README"]
    for name in names:
        (src / name).write_bytes(b"x")
    counts = group_by_class(src, tmp_path / "razas")
    assert counts == {"Abyssinian": 2, "american_pit_bull_terrier": 1, "great_pyrenees": 1}
    assert (tmp_path / "razas" / "great_pyrenees" / "great_pyrenees_12.jpg").exists()
    assert sorted(p.name for p in (tmp_path / "razas").iterdir()) == [
        "Abyssinian", "american_pit_bull_terrier", "great_pyrenees"]
    assert len(list(src.iterdir())) == len(names)  # copia: el origen queda intacto


def test_group_by_class_can_move(tmp_path):
    src = tmp_path / "images"
    src.mkdir()
    (src / "Bengal_1.jpg").write_bytes(b"x")
    assert group_by_class(src, tmp_path / "razas", move=True) == {"Bengal": 1}
    assert list(src.iterdir()) == []
