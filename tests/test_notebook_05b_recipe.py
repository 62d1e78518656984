"""La receta de 05b es la que describe su texto: GELU, blanqueo fijo con su sesgo, normalización sin escala."""
import numpy as np
import pytest

from tools.ablation import notebook_definitions
from tools.bench import find_solution

pytestmark = pytest.mark.frameworks


@pytest.fixture(scope="module")
def recipe():
    namespace: dict = {}
    exec(compile(notebook_definitions(find_solution("05b")), "05b_definiciones", "exec"), namespace)
    return namespace


@pytest.fixture(scope="module")
def model(recipe):
    x = np.random.default_rng(0).normal(size=(64, 32, 32, 3)).astype("float32")
    return recipe["speedrun_cnn"](recipe["FINAL_WIDTHS"], recipe["whitening_kernel"](x))


def _kinds(model):
    return [type(layer).__name__ for layer in model.layers]


def test_the_whitening_filters_are_frozen_and_followed_by_a_trainable_bias_at_normal_speed_and_gelu(recipe, model):
    kinds = _kinds(model)
    first = model.get_layer("whitening")
    assert not first.trainable and first.kernel.shape == (2, 2, 3, 24)
    after = model.layers[kinds.index("Conv2D") + 1]
    assert type(after).__name__ == "FastBias" and after.speed == 1 and after.trainable_weights
    activation = model.layers[kinds.index("Conv2D") + 2]
    assert type(activation).__name__ == "Activation" and activation.get_config()["activation"] == "gelu"


def test_every_batch_norm_has_no_scale_nor_centre_and_is_followed_by_a_fast_bias_and_gelu(recipe, model):
    kinds = _kinds(model)
    norms = [i for i, kind in enumerate(kinds) if kind == "BatchNormalization"]
    assert len(norms) == 2 * len(recipe["FINAL_WIDTHS"])
    for i in norms:
        norm = model.layers[i]
        assert (norm.momentum, norm.epsilon, norm.center, norm.scale) == (recipe["BN_MOMENTUM"], 1e-5, False, False)
        bias, activation = model.layers[i + 1], model.layers[i + 2]
        assert type(bias).__name__ == "FastBias" and bias.speed == recipe["BIAS_SPEED"]
        assert activation.get_config()["activation"] == "gelu"
    assert "ReLU" not in kinds


def test_the_logits_are_scaled_before_the_softmax(recipe, model):
    (scaling,) = [layer for layer in model.layers if type(layer).__name__ == "Rescaling"]
    assert scaling.scale == pytest.approx(recipe["LOGIT_SCALE"])
    assert model.layers[-1].get_config()["activation"] == "softmax"
