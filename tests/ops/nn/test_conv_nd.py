"""conv3d, conv3d_transpose, max_pool3d, avg_pool3d and the rank-generic wrappers (convolution, conv_transpose,
conv1d_transpose, pool, max_pool/avg_pool on 5-D inputs) against real TensorFlow: values, dtypes, shapes, errors;
gradients numerically (float64) and against TF's tape (second order too); the simulated GPU."""

from __future__ import annotations

import numpy as np
import pytest

import featherflow as ff

from .._device_support import check
from .._linalg_nn_support import check_grad_numeric, check_grad_tf, check_same

RNG = np.random.default_rng(31)
X1 = RNG.standard_normal((2, 9, 3))
F1 = RNG.standard_normal((3, 3, 4))
X2 = RNG.standard_normal((2, 9, 8, 3))
F2 = RNG.standard_normal((3, 2, 3, 4))
X3 = RNG.standard_normal((2, 7, 6, 5, 3))
F3 = RNG.standard_normal((2, 3, 2, 3, 4))
G3 = RNG.standard_normal((2, 4, 3, 3, 4))
T3 = RNG.standard_normal((2, 3, 2, 3, 4))  # a conv3d_transpose filter: [KD, KH, KW, C_out=3, C_in=4]
X3F = X3.astype(np.float32)
TIES = (np.round(X3F * 2) / 2).astype(np.float32)  # repeated values: max pooling's ties

SAME_CASES = [
    ("nn.conv3d", (X3, F3, [1, 1, 1, 1, 1], "SAME"), {}),
    ("nn.conv3d", (X3, F3, [1, 2, 1, 3, 1], "VALID"), {}),
    ("nn.conv3d", (X3F, F3.astype(np.float32), [1, 2, 2, 2, 1], "SAME"), {}),
    ("nn.conv3d", (X3F, F3.astype(np.float32), [1, 1, 1, 1, 1], "SAME"), {"dilations": [1, 2, 1, 2, 1]}),
    ("nn.conv3d", (X3, F3, [1, 1, 1, 1, 1], "SAME"), {"dilations": [1, 2, 2, 2, 1]}),
    ("nn.conv3d", (X3, F3[:, :, :, :2], [1, 1, 1, 1, 1], "SAME"), {}),
    ("nn.conv3d", (X3, F3, [1, 1, 1, 1, 2], "SAME"), {}),
    ("nn.conv3d", (X3, F3, [1, 1, 1, 1, 1], [[0, 0], [1, 1], [1, 1], [1, 1], [0, 0]]), {}),
    ("nn.conv3d", (X3, F3, [1, 1, 1, 1, 1], "SAME"), {"data_format": "NCDHW"}),
    ("nn.conv3d_transpose", (G3, T3, [2, 7, 6, 5, 3], 2, "SAME"), {}),
    ("nn.conv3d_transpose", (G3[:, :3, :2, :2], T3, [2, 7, 6, 5, 3], [1, 2, 3, 2, 1], "VALID"), {}),
    ("nn.conv3d_transpose", (G3, T3, [2, 7, 6, 5, 4], 2, "SAME"), {}),
    ("nn.conv3d_transpose", (G3, T3, [2, 9, 6, 5, 3], 2, "SAME"), {}),
    ("nn.conv3d_transpose", (G3[..., :3], T3, [2, 7, 6, 5, 3], 2, "SAME"), {}),
    ("nn.max_pool3d", (X3F, 2, 2, "SAME"), {}),
    ("nn.max_pool3d", (TIES, [1, 3, 2, 2, 1], [1, 1, 2, 1, 1], "VALID"), {}),
    ("nn.avg_pool3d", (X3F, 2, 2, "SAME"), {}),
    ("nn.avg_pool3d", (X3F.astype(np.float16), [3, 2, 2], [1, 2, 3], "VALID"), {}),
    ("nn.max_pool3d", (X3, 2, 2, "SAME"), {}),  # float64: no 3-D pooling kernel
    ("nn.max_pool3d", (X3F, [2, 2, 2, 2, 2], 1, "VALID"), {}),
    ("nn.avg_pool3d", (X3F, [1, 2, 2, 2, 2], 1, "VALID"), {}),
    ("nn.max_pool3d", (X3F, [1, 2, 2, 2, 2], 1, "VALID"), {}),
    ("nn.max_pool3d", (X3F, 0, 1, "VALID"), {}),
    ("nn.avg_pool3d", (X3F, 2, 0, "VALID"), {}),
    ("nn.max_pool3d", (X3F, 8, 1, "VALID"), {}),
    ("nn.max_pool", (X3F, 2, 2, "SAME"), {}),
    ("nn.avg_pool", (X3F, 3, 1, "VALID"), {}),
    ("nn.convolution", (X1, F1), {"padding": "SAME"}),
    ("nn.convolution", (X1, F1), {"padding": "SAME", "dilations": 2}),
    ("nn.convolution", (X1, F1), {"strides": 2}),
    ("nn.convolution", (X2, F2), {"padding": "SAME", "dilations": [2, 3]}),
    ("nn.convolution", (X2, F2), {"dilations": [2, 1]}),
    ("nn.convolution", (X2, F2), {"strides": [2, 1], "padding": "SAME"}),
    ("nn.convolution", (X2.astype(np.float32), F2.astype(np.float32)), {"padding": "SAME", "dilations": 2}),
    ("nn.convolution", (X3, F3), {"padding": "SAME"}),
    ("nn.convolution", (X3, F3), {"padding": "SAME", "dilations": 2}),
    ("nn.convolution", (X2, F2), {"strides": 2, "padding": "SAME", "dilations": 2}),
    ("nn.convolution", (X2, F2[0]), {}),
    ("nn.conv1d_transpose", (RNG.standard_normal((2, 5, 4)), F1[:, :3], [2, 9, 3], 2, "SAME"), {}),
    ("nn.conv1d_transpose", (RNG.standard_normal((2, 5, 4)), F1, [2, 9, 3], 2, "SAME"), {}),
    ("nn.conv_transpose", (RNG.standard_normal((2, 5, 4)), F1[:, :3], [2, 9, 3], 2), {}),
    ("nn.conv_transpose", (RNG.standard_normal((2, 5, 4, 4)), F2[:, :, :3], [2, 9, 8, 3], 2), {}),
    ("nn.conv_transpose", (G3, T3, [2, 7, 6, 5, 3], 2), {}),
    ("nn.conv_transpose", (G3, T3, [2, 7], 2), {}),
    ("nn.pool", (X1, [2], "MAX"), {"strides": [2]}),
    ("nn.pool", (X2.astype(np.float32), [2, 3], "AVG"), {"strides": [1, 2], "padding": "SAME"}),
    ("nn.pool", (X2, [2, 2], "MAX"), {"dilations": [2, 2]}),
    ("nn.pool", (X3F, [2, 2, 2], "AVG"), {"strides": [2, 2, 2], "padding": "SAME"}),
    ("nn.pool", (X3F, [2, 2, 2], "MAX"), {"dilations": [1, 2, 2]}),
    ("nn.pool", (X2, [2, 2], "MIN"), {}),
    ("nn.pool", (X2, [2, 2], "MAX"), {"padding": "SAME", "dilations": [2, 2]}),
    ("nn.pool", (X2, [2, 2], "MAX"), {"strides": [3, 1]}),
]


@pytest.mark.parametrize("path,args,kwargs", SAME_CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(SAME_CASES)])
def test_matches_tensorflow(tf_oracle, path, args, kwargs):
    check_same(tf_oracle, path, *args, **kwargs)


SMALL3 = RNG.standard_normal((1, 4, 3, 3, 2))
SMALLF3 = RNG.standard_normal((2, 2, 2, 2, 3))
GRAD_CASES = [
    ("conv3d", lambda m: lambda x, f: m.nn.conv3d(x, f, [1, 2, 1, 1, 1], "SAME"), (SMALL3, SMALLF3)),
    ("conv3d_valid", lambda m: lambda x, f: m.nn.conv3d(x, f, [1, 1, 2, 1, 1], "VALID"), (SMALL3, SMALLF3)),
    ("conv3d_transpose", lambda m: lambda g, f: m.nn.conv3d_transpose(g, f, [1, 4, 3, 3, 3], 2, "SAME"),
     (RNG.standard_normal((1, 2, 2, 2, 2)), SMALLF3.transpose(0, 1, 2, 4, 3))),
    ("convolution_dilated", lambda m: lambda x, f: m.nn.convolution(x, f, padding="SAME", dilations=[2, 1]),
     (X2[:1, :5, :4, :2], F2[:, :, :2, :2])),
    ("conv1d_transpose", lambda m: lambda g, f: m.nn.conv1d_transpose(g, f, [1, 6, 2], 2, "SAME"),
     (RNG.standard_normal((1, 3, 3)), RNG.standard_normal((3, 2, 3)))),
    ("pool_dilated", lambda m: lambda x: m.nn.pool(x, [2, 2], "AVG", dilations=[1, 2]), (X2[:1, :5, :6, :2],)),
]


@pytest.mark.parametrize("name,make,arrays", GRAD_CASES, ids=[c[0] for c in GRAD_CASES])
def test_gradient_numeric(name, make, arrays):
    check_grad_numeric(make(ff), *arrays, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name,make,arrays", GRAD_CASES, ids=[c[0] for c in GRAD_CASES])
def test_gradient_matches_tensorflow(tf_oracle, name, make, arrays):
    check_grad_tf(tf_oracle, make, *arrays, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("fn", ["max_pool3d", "avg_pool3d"])
@pytest.mark.parametrize("ksize,strides,padding", [(2, 2, "SAME"), (3, 1, "VALID"), ([1, 2, 3, 1, 1],
                                                                                     [1, 2, 1, 3, 1], "SAME")])
def test_pool3d_first_and_second_order_gradients_match_tensorflow(tf_oracle, fn, ksize, strides, padding):
    """float32 only (TF has no float64 3-D pooling kernel); the input has ties, which MaxPool3DGrad shares."""
    def run(m):
        x = m.constant(TIES)
        with m.GradientTape() as outer:
            outer.watch(x)
            with m.GradientTape() as inner:
                inner.watch(x)
                y = getattr(m.nn, fn)(x, ksize, strides, padding)
                loss = m.reduce_sum(y * y)
            g = inner.gradient(loss, x)
            loss2 = m.reduce_sum(g * g * np.arange(3, dtype=np.float32))
        return y.numpy(), g.numpy(), outer.gradient(loss2, x).numpy()
    for ours, theirs in zip(run(ff), run(tf_oracle)):
        np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-6)


def test_second_order_conv3d_matches_tensorflow(tf_oracle):
    def run(m):
        x, f = m.constant(SMALL3), m.constant(SMALLF3)
        with m.GradientTape() as outer:
            outer.watch([x, f])
            with m.GradientTape() as inner:
                inner.watch([x, f])
                loss = m.reduce_sum(m.nn.conv3d(x, f, [1, 1, 1, 1, 1], "SAME") ** 2)
            gx, gf = inner.gradient(loss, [x, f])
            loss2 = m.reduce_sum(gx * gx) + m.reduce_sum(gf * gf)
        return [g.numpy() for g in outer.gradient(loss2, [x, f])]
    for ours, theirs in zip(run(ff), run(tf_oracle)):
        np.testing.assert_allclose(ours, theirs, rtol=1e-9, atol=1e-9)


def _inputs() -> dict:
    rng = np.random.default_rng(4)
    return {"x3": ff.constant(rng.standard_normal((1, 4, 3, 3, 2))), "f3": ff.constant(rng.standard_normal(
        (2, 2, 2, 2, 3))), "g3": ff.constant(rng.standard_normal((1, 2, 2, 2, 2))), "x2": ff.constant(
        rng.standard_normal((1, 5, 4, 2))), "f2": ff.constant(rng.standard_normal((2, 2, 2, 3))),
            # TF's 3-D pooling kernels take half, bfloat16 and float32 only
            "x3f": ff.constant(rng.standard_normal((1, 4, 3, 3, 2)).astype(np.float32))}


DEVICE_CASES = {
    "conv3d": (lambda t: ff.nn.conv3d(t["x3"], t["f3"], [1, 2, 1, 1, 1], "SAME"), "x3"),
    "conv3d_filter": (lambda t: ff.nn.conv3d(t["x3"], t["f3"], [1, 1, 1, 1, 1], "VALID"), "f3"),
    "conv3d_transpose": (lambda t: ff.nn.conv3d_transpose(t["g3"], ff.transpose(t["f3"], [0, 1, 2, 4, 3])[
        ..., :2], [1, 4, 3, 3, 3], 2, "SAME"), "g3"),
    "max_pool3d": (lambda t: ff.nn.max_pool3d(t["x3f"], 2, 1, "SAME"), "x3f"),
    "avg_pool3d": (lambda t: ff.nn.avg_pool3d(t["x3f"], 2, 2, "SAME"), "x3f"),
    "convolution_dilated": (lambda t: ff.nn.convolution(t["x2"], t["f2"], padding="SAME", dilations=2), "x2"),
    "pool_dilated": (lambda t: ff.nn.pool(t["x2"], [2, 2], "MAX", dilations=[2, 1]), "x2"),
}


@pytest.mark.parametrize("name", sorted(DEVICE_CASES))
def test_stays_on_the_device(device, name):
    check(device, _inputs, *DEVICE_CASES[name], rtol=1e-10, atol=1e-12)
