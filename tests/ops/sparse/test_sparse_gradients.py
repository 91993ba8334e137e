"""Gradients of the sparse ops, in float64: each equal to TF's and to a numerical (central difference) one."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pytest

import featherflow as ff

IDX = [[0, 1], [1, 0], [1, 2], [2, 2]]
IDX_B = [[0, 0], [1, 0], [2, 1], [2, 2]]
VALS = np.array([0.5, -1.25, 2.0, 0.75])
DENSE = np.arange(12, dtype=np.float64).reshape(3, 4) / 5 - 1


def _st(lib: Any, values: Any, idx: Any = IDX, shape: Any = (3, 3)) -> Any:
    return lib.sparse.SparseTensor(idx, values, list(shape))


def _vals(sp: Any) -> Any:
    return sp.values


# name -> (what is differentiated: "values" or "dense", case(lib, x) -> a Tensor)
CASES: dict[str, tuple[str, Callable]] = {
    "to_dense": ("values", lambda tf, v: tf.sparse.to_dense(_st(tf, v))),
    "to_dense_default": ("values", lambda tf, v: tf.sparse.to_dense(_st(tf, v), default_value=v[0])),
    "add_sparse": ("values", lambda tf, v: _vals(tf.sparse.add(_st(tf, v), _st(tf, v * 3.0, IDX_B)))),
    "add_threshold": ("values", lambda tf, v: _vals(tf.sparse.add(_st(tf, v), _st(tf, -v, IDX_B), threshold=1.0))),
    "add_dense_values": ("values", lambda tf, v: tf.sparse.add(_st(tf, v), tf.ones([3, 3], tf.float64))),
    "add_dense_dense": ("dense", lambda tf, d: tf.sparse.add(_st(tf, VALS), d[:, :3])),
    "matmul_values": ("values", lambda tf, v: tf.sparse.sparse_dense_matmul(_st(tf, v), tf.constant(DENSE[:, :2]))),
    "matmul_dense": ("dense", lambda tf, d: tf.sparse.sparse_dense_matmul(_st(tf, VALS), d)),
    "matmul_adjoint_a": ("values", lambda tf, v: tf.sparse.sparse_dense_matmul(
        _st(tf, v), tf.constant(DENSE), adjoint_a=True)),
    "matmul_adjoint_b": ("dense", lambda tf, d: tf.sparse.sparse_dense_matmul(
        _st(tf, VALS, shape=(3, 4)), d, adjoint_b=True)),
    "matmul_adjoint_ab": ("values", lambda tf, v: tf.sparse.sparse_dense_matmul(
        _st(tf, v), tf.constant(DENSE.T), adjoint_a=True, adjoint_b=True)),
    "matmul_dense_sparse": ("dense", lambda tf, d: tf.sparse.sparse_dense_matmul(d[:, :3], _st(tf, VALS))),
    "reduce_sum": ("values", lambda tf, v: tf.sparse.reduce_sum(_st(tf, v), axis=1)),
    "reduce_sum_keepdims": ("values", lambda tf, v: tf.sparse.reduce_sum(_st(tf, v), axis=0, keepdims=True)),
    "reorder": ("values", lambda tf, v: _vals(tf.sparse.reorder(_st(tf, v, IDX[::-1])))),
    "slice": ("values", lambda tf, v: _vals(tf.sparse.slice(_st(tf, v), [1, 0], [2, 2]))),
    "fill_empty_rows": ("values", lambda tf, v: _vals(tf.sparse.fill_empty_rows(
        _st(tf, v, [[0, 1], [0, 2], [2, 0], [2, 2]], (4, 3)), v[1])[0])),
    "softmax": ("values", lambda tf, v: _vals(tf.sparse.softmax(_st(tf, v)))),
    "cwise_mul_values": ("values", lambda tf, v: _vals(_st(tf, v) * tf.constant(DENSE[0, :3]))),
    "cwise_mul_dense": ("dense", lambda tf, d: _vals(_st(tf, VALS) * d[:, 1:2])),
    "cwise_div_dense": ("dense", lambda tf, d: _vals(_st(tf, VALS) / (d[0, :3] + 3.0))),
    "transpose": ("values", lambda tf, v: _vals(tf.sparse.transpose(_st(tf, v)))),
    "reshape": ("values", lambda tf, v: tf.sparse.to_dense(tf.sparse.reshape(_st(tf, v), [9]))),
    "sampled_addmm": ("dense", lambda tf, d: tf.sparse.sampled_addmm(
        [[0, 1], [2, 0], [2, 2]], tf.constant([1.0, 2.0, -1.0], tf.float64), [3, 3], d[:, :2], d[1:, 1:] * 2.0,
        beta=0.5, alpha=-1.5, output_type=tf.float64)[1]),
    "segment_sum": ("dense", lambda tf, d: tf.sparse.segment_sum(d, [0, 2, 1, 2], [0, 0, 1, 3])),
    "segment_mean": ("dense", lambda tf, d: tf.sparse.segment_mean(d, [0, 2, 2], [0, 0, 1], num_segments=3)),
    "segment_sqrt_n": ("dense", lambda tf, d: tf.sparse.segment_sqrt_n(d, [2, 0, 1], [0, 0, 0])),
}


def _gradient(lib: Any, name: str, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(the value of the weighted sum of the case's output, its gradient with respect to ``x``)."""
    _, case = CASES[name]
    t = lib.constant(x)
    with lib.GradientTape() as tape:
        tape.watch(t)
        y = case(lib, t)
        weights = lib.constant(np.linspace(-1.0, 2.0, int(np.prod(y.shape))).reshape(y.shape))
        loss = lib.reduce_sum(y * weights + y * y)
    return loss.numpy(), tape.gradient(loss, t).numpy()


def _point(name: str) -> np.ndarray:
    return VALS.copy() if CASES[name][0] == "values" else DENSE.copy()


@pytest.mark.parametrize("name", sorted(CASES))
def test_gradient_matches_tensorflow(tf_oracle, name: str) -> None:
    x = _point(name)
    ours, theirs = _gradient(ff, name, x), _gradient(tf_oracle, name, x)
    np.testing.assert_allclose(ours[0], theirs[0], rtol=1e-12)
    np.testing.assert_allclose(ours[1], theirs[1], rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("name", sorted(CASES))
def test_gradient_matches_central_differences(name: str) -> None:
    x = _point(name)
    _, grad = _gradient(ff, name, x)
    numeric = np.zeros_like(x)
    eps = 1e-6
    for i in np.ndindex(x.shape):
        up, down = x.copy(), x.copy()
        up[i] += eps
        down[i] -= eps
        numeric[i] = (_gradient(ff, name, up)[0] - _gradient(ff, name, down)[0]) / (2 * eps)
    np.testing.assert_allclose(grad, numeric, rtol=1e-5, atol=1e-6)


def test_concat_is_not_differentiable_and_maximum_has_no_gradient_as_in_tensorflow() -> None:
    v = ff.constant(VALS)
    with ff.GradientTape() as tape:
        tape.watch(v)
        out = ff.sparse.concat(0, [_st(ff, v), _st(ff, v)])
    assert tape.gradient(out.values, v) is None
    with ff.GradientTape() as tape:
        tape.watch(v)
        out = ff.sparse.maximum(_st(ff, v), _st(ff, v, IDX_B))
    with pytest.raises(NotImplementedError, match="Gradient for SparseSparseMaximum is not implemented."):
        tape.gradient(out.values, v)


def test_segment_sparse_gradient_is_refused_by_name() -> None:
    with pytest.raises(NotImplementedError, match="sparse_gradient"):
        ff.sparse.segment_sum(ff.constant(DENSE), [0, 1], [0, 0], sparse_gradient=True)


@pytest.mark.parametrize("adjoint_a", [False, True])
@pytest.mark.parametrize("adjoint_b", [False, True])
def test_complex_matmul_gradients_match_tensorflow(tf_oracle, adjoint_a: bool, adjoint_b: bool) -> None:
    # TF's conjugation conventions for each adjoint combination
    vals = np.array([1 + 2j, -0.5 + 1j, 2 - 1j])
    dense = (np.arange(6).reshape(3, 2) + 1j * np.arange(6).reshape(3, 2)[::-1]) / 3
    results = []
    for lib in (ff, tf_oracle):
        v, d = lib.constant(vals), lib.constant(dense.T.copy() if adjoint_b else dense)
        with lib.GradientTape(persistent=True) as tape:
            tape.watch(v)
            tape.watch(d)
            sp = lib.sparse.SparseTensor([[0, 1], [1, 0], [2, 2]], v, [3, 3])
            y = lib.sparse.sparse_dense_matmul(sp, d, adjoint_a=adjoint_a, adjoint_b=adjoint_b)
            loss = lib.reduce_sum(y * lib.math.conj(y))
        results.append([y.numpy(), tape.gradient(loss, v).numpy(), tape.gradient(loss, d).numpy()])
    for ours, theirs in zip(*results):
        np.testing.assert_allclose(ours, theirs, rtol=1e-12)
