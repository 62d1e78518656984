"""Lectores: IDX gzip y CIFAR-10 desde el tar.gz con un deserializador restringido."""
import io
import os

import numpy as np
import pytest
from datasets_fixtures import cifar_file, cifar_members, gz, idx_bytes, py2_pickle

from helpers.datasets.errors import FormatError
from helpers.datasets.readers import RestrictedUnpickler, read_cifar10, read_idx
from tools.standin_data import tar_gz


def test_read_idx_round_trip(tmp_path):
    images = np.arange(2 * 28 * 28, dtype=np.uint32).reshape(2, 28, 28).astype(np.uint8)
    path = tmp_path / "imgs.gz"
    path.write_bytes(gz(idx_bytes(images)))
    result = read_idx(path)
    assert result.dtype == np.uint8 and result.shape == (2, 28, 28)
    np.testing.assert_array_equal(result, images)
    result[0, 0, 0] = 1  # el array se puede modificar


def test_read_idx_big_endian_int32(tmp_path):
    values = np.array([1, -2, 70000], dtype=np.int32)
    path = tmp_path / "ints.gz"
    path.write_bytes(gz(idx_bytes(values, type_code=0x0C)))
    np.testing.assert_array_equal(read_idx(path), values)


@pytest.mark.parametrize("raw, message", [
    (b"\x00\x00\x08\x01" + b"\x00\x00\x00\x05" + b"abcd", "esperaba 13 bytes y tiene 12"),
    (b"\x00\x00\x08\x01" + b"\x00\x00\x00\x02" + b"abc", "esperaba 10 bytes y tiene 11"),
    (b"\x1f\x8b\x08\x03" + b"\x00" * 8, "número mágico"),
    (b"\x00\x00\x07\x01" + b"\x00\x00\x00\x01" + b"a", "número mágico"),
    (b"\x00\x00\x08\x03\x00\x00", "cabecera IDX se corta"),
])
def test_read_idx_rejects_bad_headers_and_sizes(tmp_path, raw, message):
    path = tmp_path / "bad.gz"
    path.write_bytes(gz(raw))
    with pytest.raises(FormatError, match=message):
        read_idx(path)


def test_read_idx_rejects_truncated_and_non_gzip(tmp_path):
    data = gz(idx_bytes(np.zeros((3, 28, 28), np.uint8)))
    truncated = tmp_path / "cut.gz"
    truncated.write_bytes(data[: len(data) // 2])
    with pytest.raises(FormatError, match="gzip válido o está incompleto"):
        read_idx(truncated)
    plain = tmp_path / "plain.gz"
    plain.write_bytes(idx_bytes(np.zeros(3, np.uint8)))
    with pytest.raises(FormatError, match="gzip"):
        read_idx(plain)


def test_read_cifar10_shapes_order_and_channels_last(tmp_path):
    path = tmp_path / "cifar-10-python.tar.gz"
    path.write_bytes(cifar_file(batch_size=3))
    (x_train, y_train), (x_test, y_test) = read_cifar10(path)
    assert x_train.shape == (15, 32, 32, 3) and x_test.shape == (3, 32, 32, 3)
    assert x_train.dtype == y_train.dtype == np.uint8 and y_train.shape == (15,)
    # planos R, G, B -> último eje
    np.testing.assert_array_equal(x_train[0, 5, 5], [10, 20, 30])
    # el píxel (0, 1) del plano rojo identifica lote e imagen: el orden se conserva
    np.testing.assert_array_equal(x_train[:, 0, 1, 0], [10, 11, 12, 20, 21, 22, 30, 31, 32,
                                                        40, 41, 42, 50, 51, 52])
    np.testing.assert_array_equal(y_train[:6], [1, 2, 3, 2, 3, 4])
    np.testing.assert_array_equal(y_test, [7, 8, 9])


def test_restricted_unpickler_loads_numpy_arrays_under_both_module_names():
    array = np.arange(6, dtype=np.uint8).reshape(2, 3)
    for legacy in (True, False):
        loaded = RestrictedUnpickler(io.BytesIO(py2_pickle({b"data": array}, legacy)),
                                     encoding="bytes").load()
        np.testing.assert_array_equal(loaded[b"data"], array)
    unpickler = RestrictedUnpickler(io.BytesIO(b""))
    assert unpickler.find_class("numpy.core.multiarray", "_reconstruct") is \
        unpickler.find_class("numpy._core.multiarray", "_reconstruct")


class _Evil:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return os.system, (f"touch {self.marker}",)


def test_malicious_pickle_is_refused_and_never_runs(tmp_path):
    marker = tmp_path / "pwned"
    members = cifar_members()
    members["cifar-10-batches-py/data_batch_3"] = py2_pickle({b"data": _Evil(marker)})
    path = tmp_path / "cifar-10-python.tar.gz"
    path.write_bytes(tar_gz(members))
    with pytest.raises(FormatError, match=r"system, que no está permitido"):
        read_cifar10(path)
    assert not marker.exists()
    for forbidden in [("builtins", "eval"), ("subprocess", "Popen"), ("numpy", "load")]:
        with pytest.raises(FormatError, match="no está permitido"):
            RestrictedUnpickler(io.BytesIO(b"")).find_class(*forbidden)


def test_read_cifar10_rejects_missing_batches_bad_content_and_truncation(tmp_path):
    members = cifar_members()
    del members["cifar-10-batches-py/test_batch"]
    path = tmp_path / "a.tar.gz"
    path.write_bytes(tar_gz(members))
    with pytest.raises(FormatError, match="no contiene cifar-10-batches-py/test_batch"):
        read_cifar10(path)

    members = cifar_members()
    members["cifar-10-batches-py/data_batch_1"] = py2_pickle(
        {b"data": np.zeros((2, 100), np.uint8), b"labels": [0, 1]})
    path.write_bytes(tar_gz(members))
    with pytest.raises(FormatError, match="forma esperada"):
        read_cifar10(path)

    data = cifar_file()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(FormatError, match="dañado o incompleto"):
        read_cifar10(path)
