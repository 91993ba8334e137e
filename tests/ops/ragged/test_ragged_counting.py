"""``tf.math.bincount`` and ``tf.sparse.bincount`` of RaggedTensors (TF's ``RaggedBincount`` and
``RaggedCountSparseOutput``), compared with real TF: counts per row or over all values, weights, binary output,
minlength/maxlength, and TF's errors. Keras's ``StringLookup(output_mode="multi_hot", sparse=True)`` of ragged
strings counts through the sparse one."""

from __future__ import annotations

import pytest

import featherflow as ff

from ._compare import check

X = lambda tf: tf.ragged.constant([[1, 2, 2], [], [3, 1, 7]], dtype=tf.int64)  # noqa: E731
W = lambda tf: tf.ragged.constant([[1.0, 2.0, 3.0], [], [4.0, 5.0, 6.0]])  # noqa: E731

CASES = {
    "sparse_rows_binary": lambda tf: tf.sparse.bincount(X(tf), minlength=4, maxlength=4, binary_output=True, axis=-1),
    "sparse_rows": lambda tf: tf.sparse.bincount(X(tf), axis=-1),
    "sparse_all": lambda tf: tf.sparse.bincount(X(tf), axis=0),
    "sparse_all_weighted": lambda tf: tf.sparse.bincount(X(tf), weights=W(tf), axis=0),
    "sparse_minlength": lambda tf: tf.sparse.bincount(X(tf), minlength=10, axis=-1),
    "sparse_weights": lambda tf: tf.sparse.bincount(X(tf), weights=W(tf), axis=-1),
    "sparse_int32": lambda tf: tf.sparse.bincount(tf.ragged.constant([[1, 2]], dtype=tf.int32), axis=-1, maxlength=2),
    "sparse_weights_other_splits": lambda tf: tf.sparse.bincount(
        X(tf), weights=tf.ragged.constant([[1.0, 2.0], [3.0], [4.0, 5.0, 6.0]]), axis=-1),
    "sparse_negative": lambda tf: tf.sparse.bincount(tf.ragged.constant([[1, -2]]), axis=-1),
    "sparse_weights_and_binary": lambda tf: tf.sparse.bincount(
        tf.ragged.constant([[1, 2]]), weights=tf.ragged.constant([[1.0, 2.0]]), binary_output=True, axis=-1),
    "sparse_bad_axis": lambda tf: tf.sparse.bincount(X(tf), axis=1),
    "dense_rows_binary": lambda tf: tf.math.bincount(X(tf), minlength=4, maxlength=4, axis=-1, binary_output=True),
    "dense_rows": lambda tf: tf.math.bincount(X(tf), axis=-1),
    "dense_rows_weights": lambda tf: tf.math.bincount(X(tf), weights=W(tf), axis=-1),
    "dense_rows_maxlength": lambda tf: tf.math.bincount(X(tf), maxlength=3, axis=-1, dtype=tf.int64),
    "dense_all": lambda tf: tf.math.bincount(X(tf)),
    "dense_all_weights": lambda tf: tf.math.bincount(X(tf), weights=W(tf)),
    "dense_bad_axis": lambda tf: tf.math.bincount(X(tf), axis=1),
}


@pytest.mark.parametrize("name", CASES)
def test_ragged_bincount_matches_tensorflow(tf_oracle, name: str) -> None:
    check(CASES[name], ff, tf_oracle)
