"""tf.sparse on random sparse tensors (random shapes, random sets of entries, explicit zeros included) against
TensorFlow: the indices, values and dense shapes of every result are TF's."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import featherflow as ff


@st.composite
def sparse_pairs(draw: Any) -> tuple:
    """(shape, entries of a, entries of b): two sparse tensors of one shape, entries in row-major order."""
    rank = draw(st.integers(2, 3))
    shape = tuple(draw(st.lists(st.integers(1, 4), min_size=rank, max_size=rank)))
    cells = list(np.ndindex(*shape))

    def entries() -> tuple:
        chosen = sorted(draw(st.sets(st.integers(0, len(cells) - 1), max_size=min(len(cells), 8))))
        values = draw(st.lists(st.integers(-4, 4), min_size=len(chosen), max_size=len(chosen)))
        return [list(cells[c]) for c in chosen], [float(v) for v in values]

    return shape, entries(), entries()


def _make(lib: Any, shape: tuple, entries: tuple) -> Any:
    idx, vals = entries
    return lib.sparse.SparseTensor(np.array(idx, dtype=np.int64).reshape(-1, len(shape)),
                                   np.array(vals, dtype=np.float64), list(shape))


def _parts(x: Any) -> Any:
    if hasattr(x, "dense_shape"):
        return (np.asarray(x.indices).tolist(), np.asarray(x.values).tolist(), np.asarray(x.dense_shape).tolist())
    if isinstance(x, (list, tuple)):
        return [_parts(p) for p in x]
    return np.asarray(x).tolist()


def _both(tf_oracle: Any, program: Any, shape: tuple, a: tuple, b: tuple) -> None:
    ours = _parts(program(ff, _make(ff, shape, a), _make(ff, shape, b), shape))
    theirs = _parts(program(tf_oracle, _make(tf_oracle, shape, a), _make(tf_oracle, shape, b), shape))
    assert ours == theirs


PROGRAMS = {
    "add": lambda tf, a, b, s: tf.sparse.add(a, b),
    "add_threshold": lambda tf, a, b, s: tf.sparse.add(a, b, threshold=2.5),
    "maximum": lambda tf, a, b, s: tf.sparse.maximum(a, b),
    "minimum": lambda tf, a, b, s: tf.sparse.minimum(a, b),
    "to_dense": lambda tf, a, b, s: tf.sparse.to_dense(a),
    "reduce_sum": lambda tf, a, b, s: [tf.sparse.reduce_sum(a, axis=1), tf.sparse.reduce_sum(a, axis=0, keepdims=True),
                                       tf.sparse.reduce_sum(a, axis=-1, output_is_sparse=True)],
    "reduce_max": lambda tf, a, b, s: [tf.sparse.reduce_max(a, axis=0), tf.sparse.reduce_max(a, axis=-1,
                                                                                              output_is_sparse=True)],
    "reshape": lambda tf, a, b, s: tf.sparse.reshape(a, [-1, s[-1]]),
    "slice": lambda tf, a, b, s: tf.sparse.slice(a, [d // 2 for d in s], [2] * len(s)),
    "concat": lambda tf, a, b, s: [tf.sparse.concat(0, [a, b]), tf.sparse.concat(-1, [a, b])],
    "split": lambda tf, a, b, s: tf.sparse.split(sp_input=a, num_split=s[0], axis=0),
    "transpose": lambda tf, a, b, s: tf.sparse.transpose(a),
    "softmax": lambda tf, a, b, s: tf.sparse.softmax(a),
    "fill_empty_rows": lambda tf, a, b, s: tf.sparse.fill_empty_rows(a, -9.0),
    "retain": lambda tf, a, b, s: tf.sparse.retain(a, np.arange(a.values.shape[0]) % 2 == 0),
    "cwise": lambda tf, a, b, s: [a * tf.constant(np.arange(s[-1], dtype=np.float64) - 1.0),
                                  a / tf.constant(np.arange(s[-1], dtype=np.float64) + 0.5)],
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_random_sparse_tensors_match_tensorflow(tf_oracle, name: str) -> None:
    @settings(max_examples=20, deadline=None)
    @given(sparse_pairs())
    def check(case: tuple) -> None:
        _both(tf_oracle, PROGRAMS[name], *case)

    check()


@settings(max_examples=20, deadline=None)
@given(sparse_pairs(), st.booleans(), st.booleans())
def test_random_sparse_dense_matmul_matches_tensorflow(tf_oracle, case: tuple, adjoint_a: bool,
                                                       adjoint_b: bool) -> None:
    shape, a, _ = case
    if len(shape) != 2:
        return
    inner = shape[0] if adjoint_a else shape[1]
    dense = np.arange(inner * 3, dtype=np.float64).reshape((3, inner) if adjoint_b else (inner, 3)) / 4
    ours = ff.sparse.sparse_dense_matmul(_make(ff, shape, a), ff.constant(dense), adjoint_a, adjoint_b)
    theirs = tf_oracle.sparse.sparse_dense_matmul(_make(tf_oracle, shape, a), tf_oracle.constant(dense), adjoint_a,
                                                  adjoint_b)
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-12)
