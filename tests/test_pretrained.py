"""Pesos preentrenados: pasan por la réplica comprobada, se cargan de verdad y, si faltan, se avisa."""
import h5py
import keras
import numpy as np
import torch
from datasets_fixtures import isolated, make_mirror  # noqa: F401

from helpers import pretrained
from helpers.datasets.registry import KERAS_MOBILENET_V2_SIZES, get_resource, keras_mobilenet_v2_file


def test_registry_urls_are_the_ones_the_frameworks_use():
    from keras.src.applications import mobilenet_v2 as keras_mobilenet
    from torchvision.models import MobileNet_V2_Weights

    resource = get_resource(pretrained.WEIGHTS)
    assert resource.file(pretrained.TORCH_FILE).url == MobileNet_V2_Weights.IMAGENET1K_V1.url
    for size in KERAS_MOBILENET_V2_SIZES:   # el nombre que construye keras.applications
        name = f"mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_{size}_no_top.h5"
        assert keras_mobilenet_v2_file(size) == name
        assert resource.file(name).url == keras_mobilenet.BASE_WEIGHT_PATH + name
    assert keras_mobilenet_v2_file(200) == keras_mobilenet_v2_file(224)




def test_torch_weights_from_the_mirror_are_loaded(isolated, tmp_path, monkeypatch, capsys):
    from torchvision.models import mobilenet_v2

    torch.manual_seed(3)
    reference = mobilenet_v2(weights=None)
    source = tmp_path / "pesos.pth"
    torch.save(reference.state_dict(), source)
    mirror = make_mirror(tmp_path / "replica",
                         {f"{pretrained.WEIGHTS}/{pretrained.TORCH_FILE}": source.read_bytes()})
    monkeypatch.setenv("CNN_MIRROR", str(mirror))
    torch.manual_seed(99)  # otra semilla: si no se cargaran, los pesos serían distintos
    model, loaded = pretrained.torch_mobilenet_v2(n_classes=37)
    assert loaded and "SIN PESOS" not in capsys.readouterr().out
    torch.testing.assert_close(model.features[0][0].weight, reference.features[0][0].weight)
    assert model.classifier[-1].out_features == 37


def test_without_weights_the_fallback_is_loud_and_random(isolated, capsys):
    model, loaded = pretrained.torch_mobilenet_v2(n_classes=5)
    out = capsys.readouterr().out
    assert not loaded
    assert "SIN PESOS PREENTRENADOS" in out and "AL AZAR" in out and "CNN_MIRROR" in out
    assert model(torch.zeros(1, 3, 64, 64)).shape == (1, 5)


def legacy_h5_weights(model, path):
    """Guarda ``model`` en el formato .h5 antiguo, el de los archivos de Keras Applications."""
    from keras.src.legacy.saving.legacy_h5_format import save_weights_to_hdf5_group

    with h5py.File(path, "w") as f:
        save_weights_to_hdf5_group(f, model)


def test_keras_weights_from_the_mirror_are_loaded(isolated, tmp_path, monkeypatch, capsys):
    keras.utils.set_random_seed(3)
    reference = keras.applications.MobileNetV2(input_shape=(96, 96, 3), include_top=False, weights=None)
    source = tmp_path / "pesos.h5"
    legacy_h5_weights(reference, source)
    mirror = make_mirror(tmp_path / "replica",    # solo el archivo de 128 píxeles
                         {f"{pretrained.WEIGHTS}/{keras_mobilenet_v2_file(128)}": source.read_bytes()})
    monkeypatch.setenv("CNN_MIRROR", str(mirror))
    keras.utils.set_random_seed(99)
    base, loaded = pretrained.keras_mobilenet_v2(image_size=128)
    assert loaded and "SIN PESOS" not in capsys.readouterr().out
    np.testing.assert_allclose(base.get_layer("Conv1").get_weights()[0],
                               reference.get_layer("Conv1").get_weights()[0])
    assert base.output_shape == (None, 4, 4, 1280)
    _, loaded = pretrained.keras_mobilenet_v2(image_size=160)   # el de 160 no está en la réplica
    assert not loaded and keras_mobilenet_v2_file(160) in capsys.readouterr().out


def test_keras_without_weights_warns(isolated, capsys):
    base, loaded = pretrained.keras_mobilenet_v2(image_size=96)
    assert not loaded and "SIN PESOS PREENTRENADOS" in capsys.readouterr().out


def test_damaged_weights_in_the_mirror_are_refused(isolated, tmp_path, monkeypatch, capsys):
    mirror = make_mirror(tmp_path / "replica", {f"{pretrained.WEIGHTS}/{pretrained.TORCH_FILE}": b"x"})
    (mirror / pretrained.WEIGHTS / pretrained.TORCH_FILE).write_bytes(b"otro")
    monkeypatch.setenv("CNN_MIRROR", str(mirror))
    _, loaded = pretrained.torch_mobilenet_v2(n_classes=2)
    assert not loaded and "no coincide con SHA256SUMS" in capsys.readouterr().out
