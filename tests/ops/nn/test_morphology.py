"""tf.nn.dilation2d and erosion2d against real TensorFlow (strides, rates, padding, ties, errors), their gradients
(Dilation2DBackpropInput/Filter) numerically in float64 and against TF's tape, and the simulated GPU."""

from __future__ import annotations

import numpy as np
import pytest

import featherflow as ff

from .._device_support import check
from .._linalg_nn_support import check_grad_numeric, check_grad_tf, check_same

RNG = np.random.default_rng(71)
X = RNG.standard_normal((2, 7, 6, 3))
F = RNG.standard_normal((3, 2, 3)) * 0.3
GEOMETRY = [([1, 1, 1, 1], "SAME", [1, 1, 1, 1]), ([1, 2, 2, 1], "VALID", [1, 1, 1, 1]),
            ([1, 1, 1, 1], "SAME", [1, 2, 2, 1]), ([1, 2, 1, 1], "SAME", [1, 1, 2, 1])]


@pytest.mark.parametrize("fn", ["dilation2d", "erosion2d"])
@pytest.mark.parametrize("strides,padding,rates", GEOMETRY)
def test_matches_tensorflow(tf_oracle, fn, strides, padding, rates):
    check_same(tf_oracle, f"nn.{fn}", X, F, strides, padding, "NHWC", rates)
    check_same(tf_oracle, f"nn.{fn}", X.astype(np.float32), F.astype(np.float32), strides, padding, "NHWC", rates)


@pytest.mark.parametrize("args", [
    (X, F[..., :2], [1, 1, 1, 1], "SAME", "NHWC", [1, 1, 1, 1]),
    (X, F, [1, 1, 1, 1], "SAME", "NHWC", [2, 1, 1, 1]),
    (X, F, [1, 1, 1], "SAME", "NHWC", [1, 1, 1, 1]),
    (X[0], F, [1, 1, 1, 1], "SAME", "NHWC", [1, 1, 1, 1]),
    (X, F, [1, 1, 1, 1], "SAME", "NCHW", [1, 1, 1, 1]),
])
def test_errors_match_tensorflow(tf_oracle, args):
    check_same(tf_oracle, "nn.dilation2d", *args)


@pytest.mark.parametrize("fn", ["dilation2d", "erosion2d"])
@pytest.mark.parametrize("strides,padding,rates", GEOMETRY[::3])
def test_gradients(tf_oracle, fn, strides, padding, rates):
    def make(m):
        return lambda x, f: getattr(m.nn, fn)(x, f, strides, padding, "NHWC", rates)
    arrays = (X[:1, :5, :4, :2], F[:, :, :2])
    check_grad_numeric(make(ff), *arrays, rtol=1e-5, atol=1e-6)
    check_grad_tf(tf_oracle, make, *arrays, rtol=1e-10, atol=1e-12)


def test_ties_send_the_gradient_to_the_first_maximum_as_tf(tf_oracle):
    def make(m):
        return lambda x, f: m.nn.dilation2d(x, f, [1, 1, 1, 1], "SAME", "NHWC", [1, 1, 1, 1])
    check_grad_tf(tf_oracle, make, np.round(X), np.zeros((2, 2, 3)), rtol=1e-12, atol=1e-12)


def test_on_the_device(device):
    check(device, lambda: {"x": ff.constant(X), "f": ff.constant(F)},
          lambda t: ff.nn.erosion2d(t["x"], t["f"], [1, 2, 1, 1], "SAME", "NHWC", [1, 1, 2, 1]), "x")
