"""``fetch``: réplica comprobada, caché y descarga real por HTTP (reanudable y comprobada)."""
import errno
import os
import traceback

import pytest
from datasets_fixtures import (  # noqa: F401
    closed_port_url,
    fashion_files,
    http_server,
    isolated,
    make_mirror,
    md5,
    point_registry,
    sha256,
)

from helpers.datasets import fetch
from helpers.datasets.errors import (
    ChecksumError,
    DatasetError,
    DiskFullError,
    DownloadError,
    MirrorError,
    UnknownDatasetError,
)

NAME = "t10k-labels-idx1-ubyte.gz"


@pytest.fixture
def content():
    return fashion_files()[NAME]


def cache_listing(cache):
    folder = cache / "fashion-mnist"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


# ---------------------------------------------------------------- réplica

def test_mirror_file_is_verified_and_used_in_place(isolated, tmp_path, monkeypatch, content):
    mirror = make_mirror(tmp_path / "mirror", {f"fashion-mnist/{NAME}": content})
    monkeypatch.setenv("CNN_MIRROR", str(mirror))
    point_registry(monkeypatch, "fashion-mnist", {NAME: ((closed_port_url(NAME),), "md5:" + "0" * 32)})
    assert fetch("fashion-mnist", NAME) == mirror / "fashion-mnist" / NAME
    assert cache_listing(isolated) == []


@pytest.mark.parametrize("official", [True, False])
def test_mirror_file_that_is_not_the_official_one_is_used_with_a_notice(isolated, tmp_path, monkeypatch,
                                                                        content, capsys, official):
    mirror = make_mirror(tmp_path / "mirror", {f"fashion-mnist/{NAME}": content})
    monkeypatch.setenv("CNN_MIRROR", str(mirror))
    published = md5(content if official else content + b"otra copia")
    point_registry(monkeypatch, "fashion-mnist", {NAME: ((closed_port_url(NAME),), f"md5:{published}")})
    assert fetch("fashion-mnist", NAME) == mirror / "fashion-mnist" / NAME
    out = capsys.readouterr().out
    assert ("no es el archivo oficial" in out) is not official
    assert (f"md5:{published}" in out) is not official


def test_several_mirrors_are_searched_in_order(isolated, tmp_path, monkeypatch, content):
    first = make_mirror(tmp_path / "primera", {"cifar10/otro.bin": b"x"})
    second = make_mirror(tmp_path / "segunda", {f"fashion-mnist/{NAME}": content})
    monkeypatch.setenv("CNN_MIRROR", os.pathsep.join([str(first), str(second)]))
    point_registry(monkeypatch, "fashion-mnist", {NAME: ((closed_port_url(NAME),), "md5:" + "0" * 32)})
    assert fetch("fashion-mnist", NAME) == second / "fashion-mnist" / NAME


def test_mismatch_in_first_mirror_is_not_hidden_by_second(isolated, tmp_path, monkeypatch, content):
    first = make_mirror(tmp_path / "primera", {f"fashion-mnist/{NAME}": content})
    (first / "fashion-mnist" / NAME).write_bytes(content + b"x")
    second = make_mirror(tmp_path / "segunda", {f"fashion-mnist/{NAME}": content})
    monkeypatch.setenv("CNN_MIRROR", os.pathsep.join([str(first), str(second)]))
    with pytest.raises(MirrorError, match="primera"):
        fetch("fashion-mnist", NAME)


def test_mirror_symlink_is_followed(isolated, tmp_path, monkeypatch, content):
    real = tmp_path / "real.gz"
    real.write_bytes(content)
    mirror = make_mirror(tmp_path / "mirror", {})
    (mirror / "fashion-mnist").mkdir()
    (mirror / "fashion-mnist" / NAME).symlink_to(real)
    (mirror / "SHA256SUMS").write_text(f"{sha256(content)}  fashion-mnist/{NAME}\n")
    monkeypatch.setenv("CNN_MIRROR", str(mirror))
    assert fetch("fashion-mnist", NAME).read_bytes() == content


def test_mirror_mismatch_is_never_used(isolated, tmp_path, monkeypatch, content):
    mirror = make_mirror(tmp_path / "mirror", {f"fashion-mnist/{NAME}": content})
    (mirror / "fashion-mnist" / NAME).write_bytes(content + b"x")
    monkeypatch.setenv("CNN_MIRROR", str(mirror))
    with pytest.raises(MirrorError, match="no coincide con SHA256SUMS"):
        fetch("fashion-mnist", NAME)


def test_mirror_file_missing_from_sha256sums_is_never_used(isolated, tmp_path, monkeypatch, content):
    mirror = make_mirror(tmp_path / "mirror", {f"fashion-mnist/{NAME}": content}, listed=set())
    monkeypatch.setenv("CNN_MIRROR", str(mirror))
    with pytest.raises(MirrorError, match="no aparece en su SHA256SUMS"):
        fetch("fashion-mnist", NAME)


def test_mirror_that_does_not_exist_is_reported(isolated, tmp_path, monkeypatch):
    monkeypatch.setenv("CNN_MIRROR", str(tmp_path / "no-existe"))
    with pytest.raises(MirrorError, match="no existe"):
        fetch("fashion-mnist", NAME)


def test_file_absent_from_mirror_falls_back_to_download(isolated, tmp_path, monkeypatch, http_server,
                                                        content):
    monkeypatch.setenv("CNN_MIRROR", str(make_mirror(tmp_path / "mirror", {})))
    point_registry(monkeypatch, "fashion-mnist", {NAME: ((http_server.publish(NAME, content),),
                                                         f"md5:{md5(content)}")})
    assert fetch("fashion-mnist", NAME) == isolated / "fashion-mnist" / NAME


# ---------------------------------------------------------------- descarga por HTTP

def test_download_checks_hash_and_caches(isolated, monkeypatch, http_server, content, capsys):
    url = http_server.publish(NAME, content)
    point_registry(monkeypatch, "fashion-mnist", {NAME: ((url,), f"md5:{md5(content)}")})
    path = fetch("fashion-mnist", NAME)
    assert path == isolated / "fashion-mnist" / NAME and path.read_bytes() == content
    assert f"Descargando {NAME}" in capsys.readouterr().out
    assert http_server.requests == [f"/{NAME}"]
    assert fetch("fashion-mnist", NAME) == path
    assert http_server.requests == [f"/{NAME}"]  # la segunda llamada no pide nada
    assert cache_listing(isolated) == [NAME]


def test_checksum_mismatch_removes_file_and_explains(isolated, monkeypatch, http_server, content):
    url = http_server.publish(NAME, content)
    point_registry(monkeypatch, "fashion-mnist", {NAME: ((url,), "md5:" + "0" * 32)})
    with pytest.raises(ChecksumError, match="vuelve a ejecutar la celda para reintentarlo"):
        fetch("fashion-mnist", NAME)
    assert cache_listing(isolated) == []


def test_sha256_prefix_like_pytorch_weights_is_checked_after_download(isolated, monkeypatch,
                                                                      http_server, content, capsys):
    url = http_server.publish(NAME, content)
    point_registry(monkeypatch, "fashion-mnist", {NAME: ((url,), f"sha256-prefix:{sha256(content)[:8]}")})
    path = fetch("fashion-mnist", NAME)
    assert path.read_bytes() == content
    assert "no tiene suma de verificación oficial" not in capsys.readouterr().out
    assert fetch("fashion-mnist", NAME) == path and http_server.requests == [f"/{NAME}"]


def test_wrong_sha256_prefix_removes_file_and_explains(isolated, monkeypatch, http_server, content):
    url = http_server.publish(NAME, content)
    wrong = "0" * 8 if not sha256(content).startswith("0" * 8) else "1" * 8
    point_registry(monkeypatch, "fashion-mnist", {NAME: ((url,), f"sha256-prefix:{wrong}")})
    with pytest.raises(ChecksumError, match="no coincide con su suma de verificación"):
        fetch("fashion-mnist", NAME)
    assert cache_listing(isolated) == []


def test_damaged_cache_is_downloaded_again(isolated, monkeypatch, http_server, content, capsys):
    url = http_server.publish(NAME, content)
    point_registry(monkeypatch, "fashion-mnist", {NAME: ((url,), f"sha256:{sha256(content)}")})
    target = isolated / "fashion-mnist" / NAME
    target.parent.mkdir(parents=True)
    target.write_bytes(b"a medias")
    assert fetch("fashion-mnist", NAME).read_bytes() == content
    assert "lo descargo de nuevo" in capsys.readouterr().out
    assert len(http_server.requests) == 1


def test_offline_without_mirror_explains_cnn_mirror(isolated, monkeypatch):
    point_registry(monkeypatch, "fashion-mnist", {NAME: ((closed_port_url(NAME),), "md5:" + "0" * 32)})
    with pytest.raises(DownloadError, match="sin conexión") as excinfo:
        fetch("fashion-mnist", NAME)
    message = str(excinfo.value)
    assert "CNN_MIRROR" in message
    assert str(isolated / "fashion-mnist" / NAME) in message  # dónde dejarlo si se descarga a mano
    assert cache_listing(isolated) == []


def test_second_url_is_tried_when_the_first_fails(isolated, monkeypatch, http_server, content):
    url = http_server.publish(NAME, content)
    urls = (closed_port_url(NAME), http_server.url("no-esta.gz"), url)
    point_registry(monkeypatch, "fashion-mnist", {NAME: (urls, f"md5:{md5(content)}")})
    assert fetch("fashion-mnist", NAME).read_bytes() == content


def test_http_error_is_reported(isolated, monkeypatch, http_server):
    point_registry(monkeypatch, "fashion-mnist", {NAME: ((http_server.url("no-esta.gz"),), None)})
    with pytest.raises(DownloadError, match="HTTP 404"):
        fetch("fashion-mnist", NAME)


def test_interrupted_download_is_never_used(isolated, monkeypatch, http_server, content):
    http_server.publish(NAME, content)
    point_registry(monkeypatch, "fashion-mnist", {NAME: ((http_server.url(NAME, prefix="cortado/"),), None)})
    with pytest.raises(DownloadError, match="se interrumpió"):
        fetch("fashion-mnist", NAME)
    assert NAME not in cache_listing(isolated)  # solo queda lo recibido, aparte, para continuar


def test_without_official_checksum_prints_the_sha256(isolated, monkeypatch, http_server, content, capsys):
    point_registry(monkeypatch, "fashion-mnist", {NAME: ((http_server.publish(NAME, content),), None)})
    fetch("fashion-mnist", NAME)
    out = capsys.readouterr().out
    assert "no tiene suma de verificación oficial" in out and sha256(content) in out


def test_disk_full_is_explained(isolated, monkeypatch, http_server, content):
    from helpers.datasets import download

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    point_registry(monkeypatch, "fashion-mnist", {NAME: ((http_server.publish(NAME, content),), None)})
    monkeypatch.setattr(download, "open", full, raising=False)
    with pytest.raises(DiskFullError, match="No queda espacio"):
        fetch("fashion-mnist", NAME)
    assert cache_listing(isolated) == []


# ---------------------------------------------------------------- errores claros

def test_unknown_names_list_the_known_ones(isolated):
    with pytest.raises(UnknownDatasetError, match="Conjuntos disponibles: .*fashion-mnist"):
        fetch("imagenet", "x")
    with pytest.raises(UnknownDatasetError, match="Archivos conocidos: .*t10k-images"):
        fetch("fashion-mnist", "x")


def test_errors_have_a_short_traceback(isolated):
    with pytest.raises(DatasetError) as excinfo:
        fetch("imagenet", "x")
    frames = traceback.extract_tb(excinfo.value.__traceback__)
    assert [f.name for f in frames] == ["test_errors_have_a_short_traceback", "wrapper"]
    assert excinfo.value.__suppress_context__
