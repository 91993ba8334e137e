"""tf.sets (intersection, union, difference, size) against TF: dense and sparse operands, strings, the
SparseTensor results' indices, values and shapes, and TF's errors."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import featherflow as ff

A = [[[1, 2, 3], [4, 5, 5]], [[7, 8, 9], [1, 1, 1]]]
B = [[[1, 3, 3], [9, 9, 9]], [[7, 7, 7], [1, 2, 2]]]
SPARSE_A = [[1, 0, 2], [0, 0, 0], [5, 5, 0]]
DENSE_B = [[1, 9, 9], [4, 5, 6], [9, 7, 8]]


def _sparse(mod, dense):
    return mod.sparse.from_dense(mod.constant(dense))


def _parts(st_):
    return [np.asarray(st_.indices), np.asarray(st_.values), np.asarray(st_.dense_shape)]


def _same(ours, theirs) -> None:
    for a, b in zip(_parts(ours), _parts(theirs)):
        assert a.dtype == b.dtype and a.shape == b.shape
        np.testing.assert_array_equal(a, b)


OPERANDS = {
    "dense-dense": (lambda m: m.constant(A), lambda m: m.constant(B)),
    "sparse-dense": (lambda m: _sparse(m, SPARSE_A), lambda m: m.constant(DENSE_B)),
    "dense-sparse": (lambda m: m.constant(DENSE_B), lambda m: _sparse(m, SPARSE_A)),
    "sparse-sparse": (lambda m: _sparse(m, SPARSE_A), lambda m: _sparse(m, DENSE_B)),
    "strings": (lambda m: m.constant([["a", "b"], ["c", "c"]]), lambda m: m.constant([["b", "d"], ["e", "c"]])),
    "empty": (lambda m: m.constant([[1, 2]]), lambda m: m.constant([[3]])),
}
CALLS = {
    "intersection": lambda m, a, b: m.sets.intersection(a, b),
    "union": lambda m, a, b: m.sets.union(a, b),
    "a-b": lambda m, a, b: m.sets.difference(a, b),
    "b-a": lambda m, a, b: m.sets.difference(a, b, aminusb=False),
}


@pytest.mark.parametrize("operands", list(OPERANDS))
@pytest.mark.parametrize("call", list(CALLS))
def test_set_operations_match_tf(tf_oracle, operands, call) -> None:
    make_a, make_b = OPERANDS[operands]
    _same(CALLS[call](ff, make_a(ff), make_b(ff)), CALLS[call](tf_oracle, make_a(tf_oracle), make_b(tf_oracle)))


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 3), st.integers(1, 4), st.integers(1, 4), st.integers(0, 2**31 - 1))
def test_random_dense_sets_match_tf(rows, n1, n2, seed) -> None:
    import tensorflow as tf

    rng = np.random.default_rng(seed)
    a = rng.integers(0, 5, (rows, n1)).astype(np.int64)
    b = rng.integers(0, 5, (rows, n2)).astype(np.int64)
    for call in CALLS.values():
        _same(call(ff, ff.constant(a), ff.constant(b)), call(tf, tf.constant(a), tf.constant(b)))


def test_size_matches_tf(tf_oracle) -> None:
    for dense in (SPARSE_A, [[[1, 1], [0, 2]], [[3, 4], [0, 0]]]):
        np.testing.assert_array_equal(ff.sets.size(_sparse(ff, dense)).numpy(),
                                      tf_oracle.sets.size(_sparse(tf_oracle, dense)).numpy())
    assert ff.sets.size(_sparse(ff, SPARSE_A)).dtype == ff.int32


def _error(fn, mod):
    with pytest.raises(Exception) as e:
        fn(mod)
    return type(e.value).__name__, str(e.value).split(" name:")[0].replace("tf.", "")


@pytest.mark.parametrize("fn", [
    lambda m: m.sets.intersection([[1, 2]], [[1.0, 2.0]]),
    lambda m: m.sets.size(m.constant([[1, 2]])),
    lambda m: m.sets.intersection(m.constant(1), m.constant(1)),
])
def test_errors_match_tf(tf_oracle, fn) -> None:
    assert _error(fn, ff)[0] == _error(fn, tf_oracle)[0]


def test_error_messages_match_tf(tf_oracle) -> None:
    for fn in (lambda m: m.sets.intersection(m.constant(1), m.constant(1)),
               lambda m: m.sets.intersection([[1, 2]], [[1.0, 2.0]])):
        assert _error(fn, ff) == _error(fn, tf_oracle)


def test_set_ops_are_not_differentiable() -> None:
    from featherflow.ops.registry import OPS

    for name in ("DenseToDenseSetOperation", "DenseToSparseSetOperation", "SparseToSparseSetOperation", "SetSize"):
        assert not OPS[name].differentiable
