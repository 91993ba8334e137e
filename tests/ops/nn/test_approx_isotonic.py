"""tf.approx_top_k (ApproxTopK) and tf.nn.isotonic_regression (IsotonicRegression) against real TensorFlow:
values, dtypes, shapes, errors, gradients (against TF's tape and central differences)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import featherflow as ff

from .._linalg_nn_support import check_grad_numeric, check_grad_tf, check_same

RNG = np.random.default_rng(11)
X = RNG.standard_normal((3, 7)).astype(np.float32)
TIES = np.array([[1.0, 5.0, 5.0, 2.0, 5.0]], np.float32)

APPROX = [
    ((X, 3), {}),
    ((TIES, 3), {}),
    ((X[0], 7), {}),
    ((X.astype(np.float16), 2), {}),
    ((X, 2), {"recall_target": 0.5, "aggregate_to_topk": False, "reduction_input_size_override": 9}),
    ((X, 0), {}),
    ((X, 8), {}),  # more than the last axis holds
    ((X, -1), {}),  # k's minimum
    ((np.array(1.0, np.float32), 1), {}),  # a scalar
    ((X.astype(np.float64), 2), {}),  # not in the op's T
    ((X.astype(np.int32), 2), {}),
    ((X, 2), {"is_max_k": False}),  # no CPU kernel: NotFoundError
    ((X, 2), {"reduction_dimension": 0}),
    ((X, 2), {"reduction_dimension": 1, "recall_target": 0.9}),
]


@pytest.mark.parametrize("args,kwargs", APPROX, ids=[str(i) for i in range(len(APPROX))])
def test_approx_top_k_matches_tensorflow(tf_oracle, args, kwargs):
    check_same(tf_oracle, "approx_top_k", *args, **kwargs)


def test_approx_top_k_gradient(tf_oracle):
    def make(m):
        return lambda x: m.approx_top_k(x, 3)[0]
    x = X.astype(np.float32)
    check_grad_tf(tf_oracle, make, x, rtol=0, atol=0)
    assert ff.approx_top_k(x, 3).indices.dtype == ff.int32


ISO = [
    ((X,), {}),
    ((X,), {"decreasing": False}),
    ((X,), {"axis": 0}),
    ((X,), {"axis": 0, "decreasing": False}),
    ((RNG.standard_normal((2, 3, 4)),), {"axis": 1}),
    ((np.array([[2.0, 2.0, 1.0, 3.0, 3.0]]),), {}),  # equal neighbours stay separate segments
    ((np.array([[1, 3, 2, 4]], np.int32),), {}),  # int32 -> float64
    ((np.array([[1, 3, 2, 4]], np.int8),), {"decreasing": False}),  # int8 -> float32
    ((np.array([[1, 3, 2, 4]], np.int16),), {}),
    ((np.array([[1, 3, 2, 4]], np.int64),), {}),
    ((X.astype(np.float16),), {}),
    ((np.array([3.0, 1.0, 2.0]),), {}),  # one row
    ((np.zeros((2, 0)),), {}),
    ((np.array([[True, False]]),), {}),  # no kernel for bool
]


@pytest.mark.parametrize("args,kwargs", ISO, ids=[str(i) for i in range(len(ISO))])
def test_isotonic_regression_matches_tensorflow(tf_oracle, args, kwargs):
    out = check_same(tf_oracle, "nn.isotonic_regression", *args, **kwargs)
    if not isinstance(out, Exception):
        theirs = tf_oracle.nn.isotonic_regression(*args, **kwargs)
        np.testing.assert_array_equal(out[1].numpy(), theirs[1].numpy())  # the segments exactly


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(-4, 4), min_size=1, max_size=12), st.booleans())
def test_isotonic_segments_property(tf_oracle, values, decreasing):
    x = np.array([values], np.float64)
    ours = ff.nn.isotonic_regression(x, decreasing=decreasing)
    theirs = tf_oracle.nn.isotonic_regression(x, decreasing=decreasing)
    np.testing.assert_array_equal(ours[1].numpy(), theirs[1].numpy())
    np.testing.assert_allclose(ours[0].numpy(), theirs[0].numpy(), rtol=1e-14)


@pytest.mark.parametrize("decreasing,axis", [(True, -1), (False, 0)])
def test_isotonic_gradient(tf_oracle, decreasing, axis):
    def make(m):
        return lambda x: m.nn.isotonic_regression(x, decreasing=decreasing, axis=axis)[0]
    x = RNG.standard_normal((3, 5))
    check_grad_tf(tf_oracle, make, x, rtol=1e-12, atol=1e-14)
    check_grad_numeric(make(ff), x, rtol=1e-5, atol=1e-7)


def test_isotonic_regression_runs_on_the_host_from_a_gpu(device):
    # TF registers only a CPU kernel: placed on a GPU, the op runs on the CPU and leaves its outputs there
    out, segments = ff.nn.isotonic_regression(ff.constant([[3.0, 1.0, 2.0]]))
    assert out.device.endswith("CPU:0") and segments.device.endswith("CPU:0")
    assert out.numpy().tolist() == [[3.0, 1.5, 1.5]]
