"""``tf.gather`` with ragged params or ragged indices along every axis (TF's ``ragged_gather_ops.gather``):
values, static shapes (uniform dimensions stay known), ragged rank and row-splits dtype, compared with real TF.
Keras's ``ops.take`` of ragged indices along axis 1 goes through these paths. Also ``tf.one_hot`` of ragged
indices (TF's ``ragged_one_hot``), as Keras's one-hot encodings of ragged inputs use it."""

from __future__ import annotations

import numpy as np
import pytest

import featherflow as ff

from ._compare import check

X3 = np.arange(60, dtype=np.float32).reshape(3, 4, 5)
IND = lambda tf: tf.ragged.constant([[2], [0, 3, 1]])  # noqa: E731
RP = lambda tf: tf.ragged.constant([[1.0, 2.0, 3.0], [], [4.0, 5.0], [6.0]])  # noqa: E731

CASES = {
    "dense_axis0": lambda tf: tf.gather(X3, tf.ragged.constant([[2], [0, 1]]), axis=0),
    "dense_axis1": lambda tf: tf.gather(X3, IND(tf), axis=1),
    "dense_axis2": lambda tf: tf.gather(X3, IND(tf), axis=2),
    "dense_axis_minus1": lambda tf: tf.gather(X3, IND(tf), axis=-1),
    "dense_axis_minus2": lambda tf: tf.gather(X3, IND(tf), axis=-2),
    "dense_2d_axis1": lambda tf: tf.gather([[1, 2, 3], [4, 5, 6]], tf.ragged.constant([[2, 0], [], [1]]), axis=1),
    "dense_int64_splits_axis1": lambda tf: tf.gather(
        X3, tf.ragged.constant([[1, 1], [3]], row_splits_dtype=tf.int64), axis=1),
    "dense_int64_indices_axis1": lambda tf: tf.gather(X3, tf.ragged.constant([[1], [3, 0]], dtype=tf.int64), axis=1),
    "dense_nested_indices_axis1": lambda tf: tf.gather(X3, tf.ragged.constant([[[1], [2, 3]], [[0]]]), axis=1),
    "dense_uniform_inner_indices_axis1": lambda tf: tf.gather(
        X3, tf.ragged.constant([[[1, 2]], [[0, 3], [3, 3]]], ragged_rank=1), axis=1),
    "dense_empty_indices_axis1": lambda tf: tf.gather(
        X3, tf.ragged.constant([[], []], dtype=tf.int32), axis=1),
    "ragged_params_ragged_indices_axis0": lambda tf: tf.gather(RP(tf), tf.ragged.constant([[3, 0], [], [2]])),
    "ragged_params_ragged_indices_axis1": lambda tf: tf.gather(
        tf.ragged.constant([[[1, 2], [3]], [[4], [5, 6], [7]]]), tf.ragged.constant([[0], [1, 0]]), axis=1),
    "ragged_params_dense_indices_axis1": lambda tf: tf.gather(
        tf.ragged.constant([[[1, 2], [3]], [[4], [5, 6], [7]]]), [0, 0], axis=1),
    "one_hot": lambda tf: tf.one_hot(IND(tf), 4),
    "one_hot_axis2": lambda tf: tf.one_hot(IND(tf), 4, axis=2),
    "one_hot_axis1_refused": lambda tf: tf.one_hot(IND(tf), 4, axis=1),
    "one_hot_values_dtype": lambda tf: tf.one_hot(IND(tf), 4, on_value=5, off_value=-1, dtype=tf.int32),
    "one_hot_nested": lambda tf: tf.one_hot(tf.ragged.constant([[[1], [0, 2]], [[2]]]), 3, axis=3),
    "axis_out_of_range": lambda tf: tf.gather(X3, IND(tf), axis=3),
    "axis_out_of_range_negative": lambda tf: tf.gather(X3, IND(tf), axis=-4),
}


@pytest.mark.parametrize("name", CASES)
def test_ragged_gather_matches_tensorflow(tf_oracle, name: str) -> None:
    check(CASES[name], ff, tf_oracle)


@pytest.mark.parametrize("dtype", ["float16", "float64", "uint8", "int8", "int16", "int32"])
def test_keras_take_of_ragged_indices_along_axis_1(dtype: str) -> None:
    """Keras's check: ``take(x, ragged, axis=1)`` is NumPy's take of the padded indices, zeroed where padded."""
    x = (4 * np.random.default_rng(0).standard_normal((3, 4, 5))).astype(dtype)
    indices = ff.ragged.constant([[2], [0, 3, 1]])
    got = ff.gather(x, indices, axis=1).to_tensor().numpy()
    padded = indices.to_tensor().numpy()
    mask = np.expand_dims(ff.ones_like(indices).to_tensor().numpy(), 2).astype(dtype)
    np.testing.assert_array_equal(got, np.take(x, padded, axis=1) * mask)
