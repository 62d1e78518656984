"""Extracción segura y atómica de tar.gz y zip."""
import errno
import io
import os
import random
import tarfile
import zipfile

import pytest
from datasets_fixtures import malicious_tars, malicious_zips

from helpers.datasets.archives import extract_archive
from helpers.datasets.errors import ArchiveError, DiskFullError, FormatError
from tools.standin_data import tar_gz


def leftovers(parent):
    return sorted(p.name for p in parent.iterdir() if p.name.endswith(".parcial"))


def test_extracts_tar_gz_and_zip(tmp_path):
    tgz = tmp_path / "a.tar.gz"
    tgz.write_bytes(tar_gz({"top/x.txt": b"x", "top/sub/y.txt": b"y"}))
    dest = extract_archive(tgz, tmp_path / "out_tar")
    assert (dest / "top" / "sub" / "y.txt").read_bytes() == b"y"

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("top/z.txt", b"z")
    archive = tmp_path / "b.zip"
    archive.write_bytes(buffer.getvalue())
    dest = extract_archive(archive, tmp_path / "out_zip")
    assert (dest / "top" / "z.txt").read_bytes() == b"z"
    assert leftovers(tmp_path) == []


def test_second_call_does_not_extract_again(tmp_path):
    archive = tmp_path / "a.tar.gz"
    archive.write_bytes(tar_gz({"x.txt": b"x"}))
    calls = []
    extract_archive(archive, tmp_path / "out", calls.append)
    archive.write_bytes(b"ya no es un tar")  # si volviera a extraer, fallaría
    assert extract_archive(archive, tmp_path / "out", calls.append) == tmp_path / "out"
    assert len(calls) == 1


def test_prepare_runs_before_the_result_appears(tmp_path):
    archive = tmp_path / "a.tar.gz"
    archive.write_bytes(tar_gz({"x.txt": b"x"}))
    seen = []

    def prepare(tmp):
        seen.append((tmp.name, (tmp / "x.txt").exists(), (tmp_path / "out").exists()))
        (tmp / "listo.txt").write_text("ok")

    dest = extract_archive(archive, tmp_path / "out", prepare)
    assert seen[0][1:] == (True, False)
    assert (dest / "listo.txt").exists()


@pytest.mark.parametrize("kind", ["dotdot", "absolute", "symlink", "hardlink", "device"])
def test_malicious_tar_is_refused(tmp_path, kind):
    work = tmp_path / "work"
    work.mkdir()
    archive = work / "malo.tar.gz"
    archive.write_bytes(malicious_tars()[kind])
    with pytest.raises(ArchiveError, match="lo rechazo por seguridad"):
        extract_archive(archive, work / "out")
    assert not (work / "out").exists()
    assert leftovers(work) == []
    assert not (tmp_path / "evil.txt").exists()


@pytest.mark.parametrize("kind", ["dotdot", "absolute", "backslash", "symlink"])
def test_malicious_zip_is_refused(tmp_path, kind):
    work = tmp_path / "work"
    work.mkdir()
    archive = work / "malo.zip"
    archive.write_bytes(malicious_zips()[kind])
    with pytest.raises(ArchiveError, match="lo rechazo por seguridad"):
        extract_archive(archive, work / "out")
    assert not (work / "out").exists()
    assert leftovers(work) == []
    assert not (tmp_path / "evil.txt").exists()


@pytest.mark.parametrize("name, data", [
    ("cortado.tar.gz", tar_gz({"datos.bin": random.Random(0).randbytes(50_000)})[:20_000]),
    ("basura.tar.gz", b"esto no es un tar"),
    ("cortado.zip", b"PK\x03\x04" + b"\x00" * 40),
])
def test_damaged_archive_leaves_nothing_that_looks_complete(tmp_path, name, data):
    archive = tmp_path / name
    archive.write_bytes(data)
    with pytest.raises(ArchiveError, match="dañado o incompleto"):
        extract_archive(archive, tmp_path / "out")
    assert not (tmp_path / "out").exists()
    assert leftovers(tmp_path) == []


def test_failed_prepare_leaves_nothing(tmp_path):
    archive = tmp_path / "a.tar.gz"
    archive.write_bytes(tar_gz({"x.txt": b"x"}))

    def prepare(tmp):
        raise FormatError("estructura inesperada")

    with pytest.raises(FormatError):
        extract_archive(archive, tmp_path / "out", prepare)
    assert not (tmp_path / "out").exists()
    assert leftovers(tmp_path) == []


def test_disk_full_during_extraction_is_explained(tmp_path, monkeypatch):
    archive = tmp_path / "a.tar.gz"
    archive.write_bytes(tar_gz({"x.txt": b"x"}))

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(tarfile.TarFile, "extract", full)
    with pytest.raises(DiskFullError, match="No queda espacio en el disco para extraer a.tar.gz"):
        extract_archive(archive, tmp_path / "out")
    assert not (tmp_path / "out").exists()
    assert leftovers(tmp_path) == []
