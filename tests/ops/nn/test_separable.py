"""separable_conv2d, atrous_conv2d and depthwise_conv2d_backprop_input/_filter against real TensorFlow: values,
errors, gradients (numerically in float64 and against TF's tape) and the simulated GPU."""

from __future__ import annotations

import numpy as np
import pytest

import featherflow as ff

from .._device_support import check
from .._linalg_nn_support import check_grad_numeric, check_grad_tf, check_same

RNG = np.random.default_rng(41)
X = RNG.standard_normal((2, 9, 8, 3))
DW = RNG.standard_normal((3, 2, 3, 2))
PW = RNG.standard_normal((1, 1, 6, 4))
F = RNG.standard_normal((3, 3, 3, 4))
G = RNG.standard_normal((2, 9, 8, 6))
G2 = RNG.standard_normal((2, 5, 4, 6))
X32, DW32, PW32 = (a.astype(np.float32) for a in (X, DW, PW))

CASES = [
    ("nn.separable_conv2d", (X, DW, PW, [1, 1, 1, 1], "SAME"), {}),
    ("nn.separable_conv2d", (X, DW, PW, [1, 2, 2, 1], "VALID"), {}),
    ("nn.separable_conv2d", (X, DW, PW, [1, 1, 1, 1], "SAME"), {"dilations": [2, 2]}),
    ("nn.separable_conv2d", (X32, DW32, PW32, [1, 1, 1, 1], "VALID"), {"dilations": [2, 1]}),
    ("nn.separable_conv2d", (X, DW, RNG.standard_normal((2, 1, 6, 4)), [1, 1, 1, 1], "SAME"), {}),
    ("nn.atrous_conv2d", (X, F, 2, "SAME"), {}),
    ("nn.atrous_conv2d", (X32, F.astype(np.float32), 3, "VALID"), {}),
    ("nn.depthwise_conv2d_backprop_input", ([2, 9, 8, 3], DW, G, [1, 1, 1, 1], "SAME"), {}),
    ("nn.depthwise_conv2d_backprop_input", ([2, 9, 8, 3], DW, G2, [1, 2, 2, 1], "SAME"), {}),
    ("nn.depthwise_conv2d_backprop_filter", (X, [3, 2, 3, 2], G, [1, 1, 1, 1], "SAME"), {}),
    ("nn.depthwise_conv2d_backprop_filter", (X, [3, 2, 3, 2], G2, [1, 2, 2, 1], "SAME"), {}),
    ("nn.depthwise_conv2d_backprop_filter", (X32, [3, 2, 3, 2], G2.astype(np.float32)[:, :4, :4], [1, 2, 2, 1],
                                             "VALID"), {}),
]


@pytest.mark.parametrize("path,args,kwargs", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_matches_tensorflow(tf_oracle, path, args, kwargs):
    check_same(tf_oracle, path, *args, **kwargs)


SX = RNG.standard_normal((1, 5, 4, 2))
GRAD_CASES = [
    ("separable", lambda m: lambda x, d, p: m.nn.separable_conv2d(x, d, p, [1, 1, 1, 1], "SAME"),
     (SX, RNG.standard_normal((2, 2, 2, 2)), RNG.standard_normal((1, 1, 4, 3)))),
    ("separable_dilated", lambda m: lambda x, d: m.nn.separable_conv2d(x, d, m.ones([1, 1, 4, 2], m.float64),
                                                                       [1, 1, 1, 1], "SAME", dilations=[2, 2]),
     (SX, RNG.standard_normal((2, 2, 2, 2)))),
    ("atrous", lambda m: lambda x, f: m.nn.atrous_conv2d(x, f, 2, "VALID"), (SX, RNG.standard_normal((2, 2, 2, 3)))),
]


@pytest.mark.parametrize("name,make,arrays", GRAD_CASES, ids=[c[0] for c in GRAD_CASES])
def test_gradient_numeric(name, make, arrays):
    check_grad_numeric(make(ff), *arrays, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name,make,arrays", GRAD_CASES, ids=[c[0] for c in GRAD_CASES])
def test_gradient_matches_tensorflow(tf_oracle, name, make, arrays):
    check_grad_tf(tf_oracle, make, *arrays, rtol=1e-6, atol=1e-8)


def _inputs() -> dict:
    rng = np.random.default_rng(6)
    return {"x": ff.constant(rng.standard_normal((1, 5, 4, 2))), "d": ff.constant(rng.standard_normal((2, 2, 2, 2))),
            "p": ff.constant(rng.standard_normal((1, 1, 4, 3))), "g": ff.constant(rng.standard_normal((1, 5, 4, 4)))}


DEVICE_CASES = {
    "separable": (lambda t: ff.nn.separable_conv2d(t["x"], t["d"], t["p"], [1, 1, 1, 1], "SAME", dilations=[2, 1]),
                  "x"),
    "backprop_input": (lambda t: ff.nn.depthwise_conv2d_backprop_input([1, 5, 4, 2], t["d"], t["g"], [1, 1, 1, 1],
                                                                       "SAME"), "g"),
    "backprop_filter": (lambda t: ff.nn.depthwise_conv2d_backprop_filter(t["x"], [2, 2, 2, 2], t["g"], [1, 1, 1, 1],
                                                                         "SAME"), "x"),
}


@pytest.mark.parametrize("name", sorted(DEVICE_CASES))
def test_stays_on_the_device(device, name):
    check(device, _inputs, *DEVICE_CASES[name], rtol=1e-10, atol=1e-12)


V = RNG.standard_normal((2, 5, 4, 3))
TF_ = RNG.standard_normal((3, 2, 4, 3))  # [KH, KW, C_out, C_in]
TRANSPOSE_CASES = [
    ((V, TF_, [2, 5, 4, 4], 2, "SAME"), {}),
    ((V, TF_, [2, 5, 4, 4], 3, "SAME"), {}),
    ((V, TF_, [2, 9, 6, 4], 2, "VALID"), {}),
    ((V, TF_, [2, 5, 4, 4], 1, "SAME"), {}),
    ((V, TF_[..., :2], [2, 5, 4, 4], 2, "SAME"), {}),
    ((V, TF_, [2, 5, 4, 4], 0, "SAME"), {}),
    ((V, TF_, [2, 5, 4, 3], 2, "SAME"), {}),
]


@pytest.mark.parametrize("args,kwargs", TRANSPOSE_CASES, ids=[str(i) for i in range(len(TRANSPOSE_CASES))])
def test_atrous_conv2d_transpose_matches_tensorflow(tf_oracle, args, kwargs):
    check_same(tf_oracle, "nn.atrous_conv2d_transpose", *args, **kwargs)


def test_atrous_conv2d_transpose_gradient(tf_oracle):
    def make(m):
        return lambda v, f: m.nn.atrous_conv2d_transpose(v, f, [1, 5, 4, 2], 2, "SAME")
    arrays = (V[:1, :, :, :2], TF_[:, :, :2, :2])
    check_grad_numeric(make(ff), *arrays, rtol=1e-5, atol=1e-6)
    check_grad_tf(tf_oracle, make, *arrays, rtol=1e-8, atol=1e-10)
