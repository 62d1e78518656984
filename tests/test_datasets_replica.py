"""Réplica del aula: ``python -m helpers.datasets replica`` y ``CNN_MIRROR=http://…``, contra un servidor local."""
import os
import subprocess
import sys

import pytest
from datasets_fixtures import (  # noqa: F401
    cats_and_dogs_zip,
    closed_port_url,
    fashion_files,
    http_server,
    isolated,
    make_mirror,
    md5,
    point_registry,
)

from helpers.config import mirror_sources
from helpers.datasets import fetch
from helpers.datasets.__main__ import main
from helpers.datasets.checksums import file_hash, read_sha256sums
from helpers.datasets.errors import MirrorError
from helpers.datasets.trust import recorded_hash

NAME = "t10k-labels-idx1-ubyte.gz"
ZIP = "cats_and_dogs_filtered.zip"


@pytest.fixture
def official(isolated, monkeypatch, http_server):
    """Los «servidores oficiales» de Fashion-MNIST y de gatos y perros (sin suma oficial), en 127.0.0.1."""
    files = fashion_files()
    (http_server.root / "oficial").mkdir()
    point_registry(monkeypatch, "fashion-mnist", {
        name: ((http_server.publish(f"oficial/{name}", data),), f"md5:{md5(data)}")
        for name, data in files.items()})
    point_registry(monkeypatch, "cats_and_dogs", {
        ZIP: ((http_server.publish(f"oficial/{ZIP}", cats_and_dogs_zip()),), None)})
    return files


def served_mirror(server, files, listed=None):
    """Una réplica en la carpeta ``aula/`` del servidor; devuelve su dirección."""
    make_mirror(server.root / "aula", files, listed)
    return server.url("aula")


# ---------------------------------------------------------------- la orden replica

def test_replica_downloads_checks_and_writes_sha256sums(official, tmp_path, monkeypatch, http_server,
                                                        capsys):
    folder = tmp_path / "usb"
    assert main(["replica", str(folder), "fashion-mnist", "cats_and_dogs"]) == 0
    sums = read_sha256sums(folder / "SHA256SUMS")
    expected = {f"fashion-mnist/{name}" for name in official} | {f"cats_and_dogs/{ZIP}"}
    assert set(sums) == expected
    assert all(file_hash(folder / relative) == digest for relative, digest in sums.items())
    assert (folder / "fashion-mnist" / NAME).read_bytes() == official[NAME]
    assert not list(folder.rglob("*.parcial"))
    captured = capsys.readouterr()
    assert "B/s" in captured.err                                  # barra de progreso
    assert "python -m http.server" in captured.out
    assert recorded_hash("cats_and_dogs", ZIP) == sums[f"cats_and_dogs/{ZIP}"]  # primer uso anotado
    asked = len(http_server.requests)
    assert main(["replica", str(folder), "fashion-mnist"]) == 0   # ya está: no descarga nada
    assert len(http_server.requests) == asked
    monkeypatch.setenv("CNN_MIRROR", str(folder))                 # y sirve como réplica
    assert fetch("fashion-mnist", NAME) == folder / "fashion-mnist" / NAME


def test_replica_resumes_a_dropped_download_with_range(official, isolated, tmp_path, monkeypatch,
                                                       http_server, capsys):
    url = http_server.url(f"oficial/{NAME}", prefix="corta-una-vez/")
    point_registry(monkeypatch, "fashion-mnist", {NAME: ((url,), f"md5:{md5(official[NAME])}")})
    folder = tmp_path / "usb"
    assert main(["replica", str(folder), "fashion-mnist"]) == 0
    assert (folder / "fashion-mnist" / NAME).read_bytes() == official[NAME]
    half = len(official[NAME]) // 2
    assert http_server.ranges == [None, f"bytes={half}-"]          # continúa donde se cortó
    assert "se cortó; continúo desde el byte" in capsys.readouterr().out


def test_replica_refuses_a_file_that_does_not_match_the_official_sum(official, tmp_path, monkeypatch,
                                                                     http_server, capsys):
    point_registry(monkeypatch, "fashion-mnist", {NAME: ((http_server.url(f"oficial/{NAME}"),),
                                                         "md5:" + "0" * 32)})
    folder = tmp_path / "usb"
    assert main(["replica", str(folder), "fashion-mnist"]) == 1
    assert "no coincide con su suma de verificación" in capsys.readouterr().err
    assert not (folder / "fashion-mnist" / NAME).exists()
    assert not list(folder.rglob("*.parcial"))


def test_replica_takes_the_files_copied_by_hand_when_there_is_no_connection(isolated, tmp_path, monkeypatch,
                                                                           capsys):
    """Lo que propone el error «sin conexión»: guardar el archivo a mano en su sitio y repetir la orden."""
    files = fashion_files()
    point_registry(monkeypatch, "fashion-mnist", {
        name: ((closed_port_url(name),), f"md5:{md5(data)}") for name, data in files.items()})
    point_registry(monkeypatch, "cats_and_dogs", {ZIP: ((closed_port_url(ZIP),), None)})
    folder = tmp_path / "usb"
    make_mirror(folder, {f"fashion-mnist/{name}": data for name, data in files.items()}
                | {f"cats_and_dogs/{ZIP}": cats_and_dogs_zip()}, listed=set())
    assert main(["replica", str(folder), "fashion-mnist", "cats_and_dogs"]) == 0
    sums = read_sha256sums(folder / "SHA256SUMS")
    assert set(sums) == {f"fashion-mnist/{name}" for name in files} | {f"cats_and_dogs/{ZIP}"}
    assert "Descargando" not in capsys.readouterr().out
    assert recorded_hash("cats_and_dogs", ZIP) == sums[f"cats_and_dogs/{ZIP}"]  # primer uso anotado
    # Uno copiado a mano que no es el oficial no entra: se intenta descargar y, sin conexión, error.
    other = tmp_path / "otra"
    make_mirror(other, {f"fashion-mnist/{name}": data + b"x" * (name == NAME) for name, data in files.items()},
                listed=set())
    assert main(["replica", str(other), "fashion-mnist"]) == 1
    assert f"No puedo descargar {NAME}" in capsys.readouterr().err
    assert set(read_sha256sums(other / "SHA256SUMS")) == {f"fashion-mnist/{name}" for name in files if name != NAME}


def test_replica_unknown_dataset_is_explained(isolated, tmp_path, capsys):
    assert main(["replica", str(tmp_path / "usb"), "imagenet"]) == 1
    assert "Conjuntos disponibles" in capsys.readouterr().err


# ---------------------------------------------------------------- CNN_MIRROR=http://…

def test_cnn_mirror_mixes_addresses_and_folders(monkeypatch, tmp_path):
    monkeypatch.setenv("CNN_MIRROR", f"http://127.0.0.1:8000/aula{os.pathsep}{tmp_path}{os.pathsep}"
                                     "https://replica.example.org")
    assert mirror_sources() == ["http://127.0.0.1:8000/aula", tmp_path, "https://replica.example.org"]


def test_http_mirror_end_to_end(official, isolated, monkeypatch, http_server):
    point_registry(monkeypatch, "fashion-mnist", {NAME: ((closed_port_url(NAME),), f"md5:{md5(official[NAME])}")})
    monkeypatch.setenv("CNN_MIRROR", served_mirror(http_server, {f"fashion-mnist/{NAME}": official[NAME]}))
    path = fetch("fashion-mnist", NAME)
    assert path == isolated / "fashion-mnist" / NAME and path.read_bytes() == official[NAME]
    assert http_server.requests == ["/aula/SHA256SUMS", f"/aula/fashion-mnist/{NAME}"]
    assert fetch("fashion-mnist", NAME) == path                   # ya en la caché
    assert len(http_server.requests) == 2


def test_http_mirror_file_that_does_not_match_its_sha256sums_is_refused(official, isolated, monkeypatch,
                                                                        http_server):
    monkeypatch.setenv("CNN_MIRROR", served_mirror(http_server, {f"fashion-mnist/{NAME}": official[NAME]}))
    (http_server.root / "aula" / "fashion-mnist" / NAME).write_bytes(official[NAME] + b"x")
    with pytest.raises(MirrorError, match="no coincide con su SHA256SUMS o con la suma oficial"):
        fetch("fashion-mnist", NAME)
    assert not (isolated / "fashion-mnist").exists() or os.listdir(isolated / "fashion-mnist") == []


def test_http_mirror_file_that_does_not_match_the_official_sum_is_refused(official, isolated, monkeypatch,
                                                                          http_server):
    tampered = official[NAME] + b"x"  # coherente con el SHA256SUMS de la réplica, pero no oficial
    monkeypatch.setenv("CNN_MIRROR", served_mirror(http_server, {f"fashion-mnist/{NAME}": tampered}))
    with pytest.raises(MirrorError, match=f"md5:{md5(official[NAME])}"):
        fetch("fashion-mnist", NAME)
    assert not (isolated / "fashion-mnist").exists() or os.listdir(isolated / "fashion-mnist") == []


def test_http_mirror_dropping_the_connection_is_resumed(official, isolated, monkeypatch, http_server):
    make_mirror(http_server.root / "aula", {f"fashion-mnist/{NAME}": official[NAME]})
    monkeypatch.setenv("CNN_MIRROR", http_server.url("aula", prefix="corta-una-vez/"))
    path = fetch("fashion-mnist", NAME)
    assert path.read_bytes() == official[NAME] and not list(path.parent.glob("*.parcial"))
    assert http_server.ranges[-2:] == [None, f"bytes={len(official[NAME]) // 2}-"]


def test_http_mirror_without_sha256sums_is_refused(official, isolated, monkeypatch, http_server):
    served_mirror(http_server, {f"fashion-mnist/{NAME}": official[NAME]})
    (http_server.root / "aula" / "SHA256SUMS").unlink()
    monkeypatch.setenv("CNN_MIRROR", http_server.url("aula"))
    with pytest.raises(MirrorError, match="no tiene SHA256SUMS"):
        fetch("fashion-mnist", NAME)


def test_file_missing_from_the_http_mirror_falls_back_to_the_next_source(official, isolated, tmp_path,
                                                                         monkeypatch, http_server):
    other = "t10k-images-idx3-ubyte.gz"
    url = served_mirror(http_server, {f"fashion-mnist/{other}": official[other]})
    folder = make_mirror(tmp_path / "usb", {f"fashion-mnist/{NAME}": official[NAME]})
    monkeypatch.setenv("CNN_MIRROR", f"{url}{os.pathsep}{folder}")
    assert fetch("fashion-mnist", NAME) == folder / "fashion-mnist" / NAME
    monkeypatch.setenv("CNN_MIRROR", url)                          # sin más réplicas: la oficial
    assert fetch("fashion-mnist", NAME).read_bytes() == official[NAME]
    assert http_server.requests[-1] == f"/oficial/{NAME}"


def test_unreachable_http_mirror_falls_back_to_the_official_download(official, isolated, monkeypatch,
                                                                     capsys):
    monkeypatch.setenv("CNN_MIRROR", closed_port_url("aula"))
    assert fetch("fashion-mnist", NAME).read_bytes() == official[NAME]
    assert "no responde" in capsys.readouterr().out


def test_the_command_runs_as_a_module():
    result = subprocess.run([sys.executable, "-m", "helpers.datasets", "replica", "--help"],
                            capture_output=True, text=True)
    assert result.returncode == 0 and "CARPETA" in result.stdout and "fashion-mnist" in result.stdout
