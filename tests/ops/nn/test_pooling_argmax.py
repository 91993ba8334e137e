"""tf.nn.max_pool_with_argmax against real TensorFlow (values, indices with and without the batch, index dtypes,
ties, errors), its gradient (MaxPoolGradWithArgmax) against TF's and numerically, and the simulated GPU."""

from __future__ import annotations

import numpy as np
import pytest

import featherflow as ff

from .._device_support import check
from .._linalg_nn_support import check_grad_numeric, check_grad_tf, check_same

RNG = np.random.default_rng(61)
X = RNG.standard_normal((2, 5, 6, 3)).astype(np.float32)
TIES = np.round(X)

CASES = [
    ((X, 2, 2, "SAME"), {}),
    ((X, 3, [1, 2, 1, 1], "VALID"), {"include_batch_in_index": True}),
    ((TIES, 3, 1, "SAME"), {"output_dtype": ff.int32}),
    ((X.astype(np.float64), [1, 2, 3, 1], 2, "SAME"), {"include_batch_in_index": True}),
    ((X, 2, 2, "SAME"), {"data_format": "NCHW"}),
    ((X, 2, [2, 2, 2, 1], "SAME"), {}),
    ((X, 2, [1, 2, 2, 2], "SAME"), {}),
    ((X, 0, 1, "SAME"), {}),
    ((X, 1, 0, "SAME"), {}),
]


@pytest.mark.parametrize("args,kwargs", CASES, ids=[str(i) for i in range(len(CASES))])
def test_matches_tensorflow(tf_oracle, args, kwargs):
    if "output_dtype" in kwargs:
        ours = ff.nn.max_pool_with_argmax(*args, output_dtype=ff.int32)
        theirs = tf_oracle.nn.max_pool_with_argmax(*args, output_dtype=tf_oracle.int32)
        assert ours[1].dtype == ff.int32
        for a, b in zip(ours, theirs):
            np.testing.assert_array_equal(a.numpy(), b.numpy())
        return
    check_same(tf_oracle, "nn.max_pool_with_argmax", *args, **kwargs)


GRADS = [
    ("plain", lambda m: lambda x: m.nn.max_pool_with_argmax(x, 2, 2, "SAME")[0], (X.astype(np.float64)[:1],)),
    ("batch_index", lambda m: lambda x: m.nn.max_pool_with_argmax(x, 3, 1, "VALID", include_batch_in_index=True)[0],
     (X.astype(np.float64),)),
]


@pytest.mark.parametrize("name,make,arrays", GRADS, ids=[c[0] for c in GRADS])
def test_gradient(tf_oracle, name, make, arrays):
    check_grad_numeric(make(ff), *arrays, rtol=1e-5, atol=1e-6)
    check_grad_tf(tf_oracle, make, *arrays, rtol=1e-10, atol=1e-12)


def test_ties_share_no_gradient_as_tf_does(tf_oracle):
    def make(m):
        return lambda x: m.nn.max_pool_with_argmax(x, 3, 1, "SAME")[0]
    check_grad_tf(tf_oracle, make, TIES.astype(np.float64), rtol=0, atol=0)


def test_on_the_device(device):
    check(device, lambda: {"x": ff.constant(X.astype(np.float64))},
          lambda t: list(ff.nn.max_pool_with_argmax(t["x"], 2, 2, "SAME", include_batch_in_index=True)), "x")
