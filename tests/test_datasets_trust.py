"""Sumas de primer uso para los archivos sin suma oficial (gatos y perros, pesos de Keras)."""
import pytest
from datasets_fixtures import (  # noqa: F401
    cats_and_dogs_zip,
    closed_port_url,
    http_server,
    isolated,
    make_mirror,
    point_registry,
    sha256,
)

from helpers.datasets import fetch
from helpers.datasets.__main__ import main
from helpers.datasets.errors import ChecksumError, MirrorError
from helpers.datasets.registry import KERAS_MOBILENET_V2_SIZES, REGISTRY, keras_mobilenet_v2_file
from helpers.datasets.trust import FIRST_USE_FILE, recorded_hash

ZIP = "cats_and_dogs_filtered.zip"


@pytest.fixture
def content():
    return cats_and_dogs_zip()


@pytest.fixture
def served(isolated, monkeypatch, http_server, content):
    point_registry(monkeypatch, "cats_and_dogs", {ZIP: ((http_server.publish(ZIP, content),), None)})
    return http_server


def test_files_without_official_sum_are_the_ones_trusted_on_first_use():
    unofficial = {(name, f.name) for name, r in REGISTRY.items() for f in r.files if f.known_hash is None}
    assert unofficial == {("cats_and_dogs", ZIP), *(("mobilenet_v2_imagenet", keras_mobilenet_v2_file(size))
                                                    for size in KERAS_MOBILENET_V2_SIZES)}


def test_first_download_records_the_sha256_and_later_uses_are_checked(served, isolated, content, capsys):
    path = fetch("cats_and_dogs", ZIP)
    assert recorded_hash("cats_and_dogs", ZIP) == sha256(content)
    assert (isolated / "cats_and_dogs" / FIRST_USE_FILE).read_text() == f"{sha256(content)}  {ZIP}\n"
    assert "suma de primer uso" in capsys.readouterr().out
    assert fetch("cats_and_dogs", ZIP) == path                     # el mismo archivo: vale
    path.write_bytes(content + b"cambiado")
    with pytest.raises(ChecksumError, match="no coincide con el SHA256 que anoté la primera vez"):
        fetch("cats_and_dogs", ZIP)


def test_a_new_download_must_match_the_first_one(served, isolated, content):
    fetch("cats_and_dogs", ZIP).unlink()                           # caché borrada…
    served.publish(ZIP, content + b"otro")                         # …y el servidor sirve otra cosa
    with pytest.raises(ChecksumError, match="no coincide con su suma de verificación"):
        fetch("cats_and_dogs", ZIP)
    assert not (isolated / "cats_and_dogs" / ZIP).exists()


def test_a_folder_mirror_must_match_the_first_use(served, tmp_path, monkeypatch, content):
    fetch("cats_and_dogs", ZIP)
    changed = content + b"otro"
    monkeypatch.setenv("CNN_MIRROR", str(make_mirror(tmp_path / "usb", {f"cats_and_dogs/{ZIP}": changed})))
    with pytest.raises(ChecksumError, match="primera vez"):
        fetch("cats_and_dogs", ZIP)


def test_an_http_mirror_must_match_the_first_use(served, isolated, monkeypatch, content):
    fetch("cats_and_dogs", ZIP).unlink()
    make_mirror(served.root / "aula", {f"cats_and_dogs/{ZIP}": content + b"otro"})
    monkeypatch.setenv("CNN_MIRROR", served.url("aula"))
    with pytest.raises(MirrorError, match="no coincide"):
        fetch("cats_and_dogs", ZIP)


def test_replica_checks_and_records_first_use_sums(served, tmp_path, content, capsys):
    assert main(["replica", str(tmp_path / "usb"), "cats_and_dogs"]) == 0
    assert recorded_hash("cats_and_dogs", ZIP) == sha256(content)
    served.publish(ZIP, content + b"otro")
    assert main(["replica", str(tmp_path / "otra"), "cats_and_dogs"]) == 1
    assert "no coincide" in capsys.readouterr().err
    assert not (tmp_path / "otra" / "cats_and_dogs" / ZIP).exists()
