"""depth_to_space / space_to_depth, space_to_batch / batch_to_space, lrn, and the Python-level tf.nn helpers
(crelu, log_poisson_loss, sufficient_statistics, normalize_moments, weighted_moments) against real TensorFlow;
gradients numerically (float64) and against TF's tape; the simulated GPU."""

from __future__ import annotations

import numpy as np
import pytest

import featherflow as ff

from .._device_support import check
from .._linalg_nn_support import check_grad_numeric, check_grad_tf, check_same

RNG = np.random.default_rng(21)
X = RNG.standard_normal((2, 4, 6, 8))
X32 = X.astype(np.float32)
SEQ = RNG.standard_normal((2, 5, 3))

SAME_CASES = [
    ("nn.depth_to_space", (X, 2), {}),
    ("nn.depth_to_space", (X32.astype(np.int32), 2), {}),
    ("nn.depth_to_space", (X, 3), {}),
    ("nn.depth_to_space", (X, 1), {}),
    ("nn.depth_to_space", (X[0], 2), {}),
    ("nn.depth_to_space", (X, 2), {"data_format": "NCHW"}),
    ("nn.depth_to_space", (X, 2), {"data_format": "XX"}),
    ("nn.space_to_depth", (X, 2), {}),
    ("nn.space_to_depth", (X.astype(np.float16), 2), {}),
    ("nn.space_to_depth", (X, 4), {}),
    ("nn.space_to_depth", (X, 1), {}),
    ("nn.space_to_depth", (X[0], 2), {}),
    ("space_to_batch", (X, [2, 3], [[0, 2], [1, 2]]), {}),
    ("space_to_batch", (SEQ, [2], [[1, 2]]), {}),
    ("space_to_batch_nd", (X32, np.array([2, 2]), np.array([[0, 0], [0, 0]])), {}),
    ("nn.space_to_batch", (X, [1, 2], [[0, 0], [0, 0]]), {}),
    ("space_to_batch", (X, [3, 3], [[0, 0], [0, 0]]), {}),
    ("space_to_batch", (X, [2, 2], [[0, 0]]), {}),
    ("space_to_batch", (X, [0, 2], [[0, 0], [0, 0]]), {}),
    ("space_to_batch", (X, [2, 2], [[-1, 0], [0, 0]]), {}),
    ("batch_to_space", (X, [2, 2], [[0, 0], [1, 2]]), {}),
    ("batch_to_space", (SEQ, [2], [[1, 2]]), {}),
    ("batch_to_space", (X, [3, 3], [[0, 0], [0, 0]]), {}),
    ("batch_to_space", (X, [2, 2], [[0, 0]]), {}),
    ("batch_to_space", (X, [2, 1], [[-1, 0], [0, 0]]), {}),
    ("nn.lrn", (X32,), {}),
    ("nn.lrn", (X32, 2, 0.5, 0.3, 0.7), {}),
    ("nn.local_response_normalization", (X32.astype(np.float16), 1), {}),
    ("nn.lrn", (X,), {}),  # a non-tensor input converts to float32
    ("nn.lrn", (X32[0],), {}),
    ("nn.lrn", (X32, -1), {}),
    ("nn.crelu", (X32,), {}),
    ("nn.crelu", (X, 1), {}),
    ("nn.log_poisson_loss", (np.abs(X), X), {}),
    ("nn.log_poisson_loss", (np.abs(X) * 3, X), {"compute_full_loss": True}),
    ("nn.log_poisson_loss", (np.abs(X), X[0]), {}),
    ("nn.sufficient_statistics", (X, [0, 2]), {"shift": X[0, :, 0]}),
    ("nn.sufficient_statistics", (X32, [1, -1]), {"shift": 0.5, "keepdims": True}),
    ("nn.normalize_moments", (3.0, X[0, 0], X[0, 1] ** 2, None), {}),
    ("nn.normalize_moments", (3.0, X[0, 0], X[0, 1] ** 2, 0.5), {}),
    ("nn.weighted_moments", (X, [0, 1], np.abs(X[:, :, :1, :1])), {}),
    ("nn.weighted_moments", (X32.astype(np.float16), [2], np.abs(X32[..., :1])), {"keepdims": True}),
    ("nn.weighted_moments", (X, 3, np.zeros(8)), {}),
]


@pytest.mark.parametrize("path,args,kwargs", SAME_CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(SAME_CASES)])
def test_matches_tensorflow(tf_oracle, path, args, kwargs):
    # TF's NotFoundError for NCHW on the CPU lists every kernel: the type is compared, not the listing
    check_same(tf_oracle, path, *args, message=kwargs.get("data_format") != "NCHW", **kwargs)


def test_float64_tensor_to_lrn_is_refused_as_tf_refuses_it(tf_oracle):
    with pytest.raises(Exception) as theirs:
        tf_oracle.nn.lrn(tf_oracle.constant(X))
    with pytest.raises(Exception) as ours:
        ff.nn.lrn(ff.constant(X))
    assert type(ours.value).__name__ == type(theirs.value).__name__
    assert str(ours.value) == str(theirs.value)


SMALL = RNG.standard_normal((1, 2, 4, 4))
GRAD_CASES = [
    ("depth_to_space", lambda m: lambda x: m.nn.depth_to_space(x, 2), (SMALL,)),
    ("space_to_depth", lambda m: lambda x: m.nn.space_to_depth(x, 2), (SMALL,)),
    ("space_to_batch", lambda m: lambda x: m.space_to_batch(x, [2, 3], [[0, 0], [1, 1]]), (SMALL,)),
    ("batch_to_space", lambda m: lambda x: m.batch_to_space(x, [2, 2], [[0, 1], [1, 2]]), (SMALL.reshape(4, 2, 2, 2),)),
    ("crelu", lambda m: lambda x: m.nn.crelu(x), (SMALL,)),
    ("log_poisson_loss", lambda m: lambda z, c: m.nn.log_poisson_loss(z, c, compute_full_loss=True),
     (np.abs(SMALL) * 2, SMALL)),
    ("moments", lambda m: lambda x: m.nn.normalize_moments(*m.nn.sufficient_statistics(x, [1, 2], shift=m.constant(0.3, m.float64))),
     (SMALL,)),
    ("weighted_moments", lambda m: lambda x, w: m.nn.weighted_moments(x, [0, 2], w), (SMALL, np.abs(SMALL))),
]


@pytest.mark.parametrize("name,make,arrays", GRAD_CASES, ids=[c[0] for c in GRAD_CASES])
def test_gradient_numeric(name, make, arrays):
    check_grad_numeric(make(ff), *arrays, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name,make,arrays", GRAD_CASES, ids=[c[0] for c in GRAD_CASES])
def test_gradient_matches_tensorflow(tf_oracle, name, make, arrays):
    check_grad_tf(tf_oracle, make, *arrays, rtol=1e-6, atol=1e-8)


def test_lrn_gradient_matches_tensorflow(tf_oracle):
    """LRN has float32 and half kernels only: its gradient (LRNGrad) is compared with TF's, in float32."""
    def make(m):
        return lambda x: m.nn.lrn(x, 2, 0.5, 0.3, 0.7)
    check_grad_tf(tf_oracle, make, X32[:, :2, :2], rtol=2e-5, atol=1e-5)


def test_second_order_through_space_to_depth(tf_oracle):
    def grads(m):
        x = m.constant(SMALL)
        with m.GradientTape() as outer:
            outer.watch(x)
            with m.GradientTape() as inner:
                inner.watch(x)
                y = m.reduce_sum(m.nn.space_to_depth(x * x, 2) ** 2)
            g = inner.gradient(y, x)
            z = m.reduce_sum(m.nn.depth_to_space(m.nn.space_to_depth(g, 2), 2) * m.constant(SMALL))
        return outer.gradient(z, x).numpy()
    np.testing.assert_allclose(grads(ff), grads(tf_oracle), rtol=1e-10)


def _inputs() -> dict:
    rng = np.random.default_rng(8)
    return {"x": ff.constant(rng.standard_normal((2, 4, 4, 4))), "x32": ff.constant(
        rng.standard_normal((1, 3, 2, 6)).astype(np.float32)), "w": ff.constant(np.abs(rng.standard_normal(4)))}


DEVICE_CASES = {
    "depth_to_space": (lambda t: ff.nn.depth_to_space(t["x"], 2), "x"),
    "space_to_depth": (lambda t: ff.nn.space_to_depth(t["x"], 2), "x"),
    "space_to_batch": (lambda t: ff.space_to_batch(t["x"], [2, 1], [[1, 1], [0, 0]]), "x"),
    "batch_to_space": (lambda t: ff.batch_to_space(t["x"], [2, 1], [[1, 1], [0, 0]]), "x"),
    "lrn": (lambda t: ff.nn.lrn(t["x32"], 2), "x32"),
    "crelu": (lambda t: ff.nn.crelu(t["x"]), "x"),
    "log_poisson_loss": (lambda t: ff.nn.log_poisson_loss(ff.abs(t["x"]), t["x"], compute_full_loss=True), "x"),
    "moments": (lambda t: list(ff.nn.normalize_moments(*ff.nn.sufficient_statistics(t["x"], [0, 1])[:3], None)),
                "x"),
    "weighted_moments": (lambda t: list(ff.nn.weighted_moments(t["x"], [0, 1], t["w"])), "x"),
}


@pytest.mark.parametrize("name", sorted(DEVICE_CASES))
def test_stays_on_the_device(device, name):
    # sufficient_statistics' count is a constant made from the static shape: one upload, as TF's constant is
    moved = (1, 0) if name == "moments" else (0, 0)
    rtol = 1e-5 if name == "lrn" else 1e-10
    check(device, _inputs, *DEVICE_CASES[name], moved=moved, rtol=rtol, atol=1e-6 if name == "lrn" else 1e-12)
