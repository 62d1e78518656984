"""Clasificación de las operaciones del perfil de ``helpers.throughput``, sin TensorFlow.

Las grabaciones de ``tests/data`` (``python -m tools.record_op_events``) son perfiles reales de
la misma red con los núcleos de oneDNN y sin ellos: se clasifican igual en cualquier CPU.
"""
import json

import pytest

from helpers.throughput import OP_KINDS, _sum_by_type, op_kind, time_by_kind
from tools.record_op_events import RECORDINGS, recording_path

FORWARD, POOLING, OTHER = "convolución, ida", "pooling, ida y vuelta", "resto"
INPUTS, WEIGHTS = "convolución, vuelta hacia las entradas", "convolución, vuelta hacia los pesos"


@pytest.mark.parametrize(("op_type", "kind"), [
    ("Conv2D", FORWARD), ("_FusedConv2D", FORWARD), ("_MklNativeFusedConv2D", FORWARD),
    ("_MklConv2DWithBias", FORWARD), ("_MklNativePadWithFusedConv2D", FORWARD), ("Conv3D", FORWARD),
    ("_MklNativeFusedDepthwiseConv2dNative", FORWARD), ("DepthwiseConv2dNative", FORWARD),
    ("Conv2DBackpropInput", INPUTS), ("_MklNativeConv2DBackpropInput", INPUTS),
    ("Conv3DBackpropInputV2", INPUTS), ("DepthwiseConv2dNativeBackpropInput", INPUTS),
    ("Conv2DBackpropFilter", WEIGHTS), ("_MklNativeConv2DBackpropFilterWithBias", WEIGHTS),
    ("_MklNativeDepthwiseConv2dNativeBackpropFilter", WEIGHTS), ("Conv3DBackpropFilterV2", WEIGHTS),
    ("MaxPool", POOLING), ("_MklNativeMaxPool", POOLING), ("MaxPoolV2", POOLING),
    ("_MklNativeMaxPoolGrad", POOLING), ("MaxPoolGradV2", POOLING), ("_MklNativeAvgPoolGrad", POOLING),
    ("AvgPool3D", POOLING), ("MaxPool3DGrad", POOLING),
    ("_MklMatMul", OTHER), ("_MklNativeFusedMatMul", OTHER), ("BiasAddGrad", OTHER), ("AddV2", OTHER),
    ("_MklFusedBatchNormV3", OTHER), ("_MklConv2DWithBiasBackpropBias", OTHER), ("Conv2DTransposeX", OTHER),
])
def test_every_spelling_of_an_op_gets_its_kind(op_type, kind):
    assert op_kind(op_type) == kind
    assert kind in {*OP_KINDS.values(), OTHER}


def recording(name):
    return [tuple(event) for event in json.loads(recording_path(name).read_text(encoding="utf-8"))]


@pytest.mark.parametrize("name", RECORDINGS)
def test_a_recorded_profile_splits_into_every_part_of_the_step(name):
    times = _sum_by_type(recording(name))
    assert list(times.values()) == sorted(times.values(), reverse=True)
    shares = time_by_kind(times)
    assert sum(shares.values()) == pytest.approx(1.0)
    for kind in (FORWARD, INPUTS, WEIGHTS, POOLING, OTHER):
        assert shares[kind] > 0, kind
    # Cada convolución y cada pooling grabados tienen su parte (el gradiente del sesgo, no).
    for op_type, _ in recording(name):
        if ("Conv" in op_type or "Pool" in op_type) and "BackpropBias" not in op_type:
            assert op_kind(op_type) != OTHER, op_type


def test_both_recordings_report_the_same_convolutions_and_pooling_with_plain_names():
    onednn, plain = recording("onednn"), recording("plain")
    assert any(op_type.startswith("_Mkl") for op_type, _ in onednn)      # grabaciones de los dos tipos
    assert not any(op_type.startswith("_Mkl") for op_type, _ in plain)

    def heavy_ops(events):
        return {op_type for op_type in _sum_by_type(events) if op_kind(op_type) != OTHER}

    assert heavy_ops(onednn) == heavy_ops(plain)
    assert {"Conv2D", "Conv2DBackpropInput", "Conv2DBackpropFilter", "MaxPool", "MaxPoolGrad"} <= heavy_ops(plain)
    assert all(not op_type.startswith("_") for op_type in _sum_by_type(onednn))
