"""tf.sparse.SparseTensor basics and tf.ragged.constant print and convert as TensorFlow's."""

from __future__ import annotations

import numpy as np
import pytest

import featherflow as ff

RAGGED = [
    [[0, 1, 2, 3], [4, 5], [6, 7, 8], [9]],
    [[[1, 2], [3]], [[4]]],
    [[1.5], []],
    [[b"a", b"bc"], [b"d"]],
    [[], []],
]


@pytest.mark.parametrize("value", RAGGED, ids=range(len(RAGGED)))
def test_ragged_constant_matches_tensorflow(tf_oracle, value) -> None:
    ours, theirs = ff.ragged.constant(value), tf_oracle.ragged.constant(value)
    assert repr(ours) == repr(theirs)
    assert ours.shape == theirs.shape.as_list() and ours.dtype.name == theirs.dtype.name
    assert ours.to_list() == theirs.to_list()


def test_sparse_tensor_matches_tensorflow(tf_oracle) -> None:
    args = dict(indices=[[1, 2], [0, 0]], values=[1.5, 2.5], dense_shape=[3, 4])
    ours, theirs = ff.sparse.SparseTensor(**args), tf_oracle.sparse.SparseTensor(**args)
    assert str(ours) == str(theirs) and repr(ours) == repr(theirs)
    assert ours.shape == theirs.shape and ours.dtype.name == theirs.dtype.name
    np.testing.assert_array_equal(ff.sparse.to_dense(ours, validate_indices=False).numpy(), tf_oracle.sparse.to_dense(
        tf_oracle.sparse.reorder(theirs)).numpy())
    np.testing.assert_array_equal(ff.sparse.reorder(ours).indices.numpy(), tf_oracle.sparse.reorder(theirs).indices)
    dense = [[0, 1], [2, 0]]
    assert str(ff.sparse.from_dense(ff.constant(dense))) == str(tf_oracle.sparse.from_dense(tf_oracle.constant(dense)))


def test_sparse_tensor_wants_int64_indices(tf_oracle) -> None:
    errors = []
    for lib in (ff, tf_oracle):
        with pytest.raises(ValueError) as info:
            lib.sparse.SparseTensor(indices=lib.constant([[0, 2]]), values=[1], dense_shape=[4, 5])
        errors.append(str(info.value))
    assert errors[0] == errors[1]


def test_sparse_to_dense_checks_bounds() -> None:
    with pytest.raises(ff.errors.InvalidArgumentError, match="out of bounds"):
        ff.sparse.to_dense(ff.sparse.SparseTensor([[5, 0]], [1], [2, 2]))
