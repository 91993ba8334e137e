"""tf.RaggedTensor against real TensorFlow: factories (and their validate errors), properties, conversions,
rebuilding, indexing, printing and operators."""

from __future__ import annotations

import pytest

import featherflow as ff

from ._compare import check

RC = lambda tf: tf.ragged.constant([[3, 1, 4, 1], [], [5, 9, 2], [6], []])  # noqa: E731
R3 = lambda tf: tf.ragged.constant([[[1, 2, 3], [4]], [[5], [], [6]], [[7]], [[8, 9], [10]]])  # noqa: E731
RF = lambda tf: tf.ragged.constant([[[1.0, 2.0], [3.0, 4.0]], [[5.0, 6.0]]], ragged_rank=1)  # noqa: E731

FACTORIES = {
    "row_splits": lambda tf: tf.RaggedTensor.from_row_splits([3, 1, 4, 1, 5, 9, 2], [0, 4, 4, 6, 7]),
    "row_splits_int32": lambda tf: tf.RaggedTensor.from_row_splits([1, 2, 3], tf.constant([0, 2, 3], tf.int32)),
    "row_splits_not_zero": lambda tf: tf.RaggedTensor.from_row_splits([1, 2, 3], [1, 3]),
    "row_splits_decreasing": lambda tf: tf.RaggedTensor.from_row_splits([1, 2, 3], [0, 3, 2]),
    "row_splits_short": lambda tf: tf.RaggedTensor.from_row_splits([1, 2, 3], [0, 2]),
    "row_splits_empty": lambda tf: tf.RaggedTensor.from_row_splits([1, 2, 3], []),
    "row_splits_rank2": lambda tf: tf.RaggedTensor.from_row_splits([1, 2, 3], [[0, 3]]),
    "row_splits_float": lambda tf: tf.RaggedTensor.from_row_splits([1, 2, 3], [0, 2.0, 3]),
    "row_splits_unchecked": lambda tf: tf.RaggedTensor.from_row_splits([1, 2, 3], [0, 1, 3], validate=False),
    "row_lengths": lambda tf: tf.RaggedTensor.from_row_lengths([3, 1, 4, 1, 5, 9, 2], [4, 0, 2, 1]),
    "row_lengths_negative": lambda tf: tf.RaggedTensor.from_row_lengths([1, 2, 3], [1, -1, 3]),
    "row_lengths_short": lambda tf: tf.RaggedTensor.from_row_lengths([1, 2, 3], [1, 1]),
    "value_rowids": lambda tf: tf.RaggedTensor.from_value_rowids([3, 1, 4, 1, 5, 9, 2], [0, 0, 0, 0, 2, 2, 3]),
    "value_rowids_nrows": lambda tf: tf.RaggedTensor.from_value_rowids([1, 2, 3], [0, 0, 2], nrows=5),
    "value_rowids_decreasing": lambda tf: tf.RaggedTensor.from_value_rowids([1, 2, 3], [0, 2, 1]),
    "value_rowids_negative": lambda tf: tf.RaggedTensor.from_value_rowids([1, 2, 3], [-1, 1, 1]),
    "value_rowids_nrows_small": lambda tf: tf.RaggedTensor.from_value_rowids([1, 2, 3], [0, 1, 1], nrows=1),
    "value_rowids_count": lambda tf: tf.RaggedTensor.from_value_rowids([1, 2, 3], [0, 1]),
    "row_starts": lambda tf: tf.RaggedTensor.from_row_starts([3, 1, 4, 1, 5, 9, 2, 6], [0, 4, 4, 7, 8]),
    "row_starts_bad": lambda tf: tf.RaggedTensor.from_row_starts([1, 2, 3], [1, 2]),
    "row_limits": lambda tf: tf.RaggedTensor.from_row_limits([3, 1, 4, 1, 5, 9, 2, 6], [4, 4, 7, 8, 8]),
    "row_limits_bad": lambda tf: tf.RaggedTensor.from_row_limits([1, 2, 3], [1, 2]),
    "uniform": lambda tf: tf.RaggedTensor.from_uniform_row_length([1, 2, 3, 4, 5, 6], 2),
    "uniform_nrows": lambda tf: tf.RaggedTensor.from_uniform_row_length(tf.zeros([0]), 0, nrows=3),
    "uniform_bad": lambda tf: tf.RaggedTensor.from_uniform_row_length([1, 2, 3], 2),
    "nested_splits": lambda tf: tf.RaggedTensor.from_nested_row_splits(
        list(range(10, 20)), ([0, 1, 1, 5], [0, 3, 3, 5, 9, 10])),
    "nested_lengths": lambda tf: tf.RaggedTensor.from_nested_row_lengths(
        list(range(10, 20)), ([1, 0, 4], [3, 0, 2, 4, 1])),
    "nested_rowids": lambda tf: tf.RaggedTensor.from_nested_value_rowids(
        list(range(10, 20)), ([0, 2, 2, 2, 2], [0, 0, 0, 2, 2, 3, 3, 3, 3, 4]), [3, 5]),
    "from_tensor": lambda tf: tf.RaggedTensor.from_tensor([[1, 2, 3], [4, 5, 6]]),
    "from_tensor_lengths": lambda tf: tf.RaggedTensor.from_tensor([[1, 2, 3], [4, 5, 6]], lengths=[1, 3]),
    "from_tensor_padding": lambda tf: tf.RaggedTensor.from_tensor([[1, 3, -1, -1], [2, -1, -1, -1],
                                                                   [4, 5, 8, 9]], padding=-1),
    "from_tensor_padding_3d": lambda tf: tf.RaggedTensor.from_tensor([[[1, 0], [0, 0]], [[0, 0], [2, 0]]],
                                                                      padding=[0, 0]),
    "from_tensor_rank2": lambda tf: tf.RaggedTensor.from_tensor(tf.reshape(tf.range(8), [2, 2, 2]), ragged_rank=2),
    "from_tensor_int32": lambda tf: tf.RaggedTensor.from_tensor([[1, 2]], row_splits_dtype=tf.int32),
    "from_sparse": lambda tf: tf.RaggedTensor.from_sparse(tf.SparseTensor([[0, 0], [2, 0], [2, 1]], ["a", "b", "c"],
                                                                          [3, 3])),
    "constant_strings": lambda tf: tf.ragged.constant([["Hi"], ["How", "are", "you"]]),
    "constant_rank1_inner": lambda tf: tf.ragged.constant([[[1, 2], [3, 4]], [[5, 6]]], ragged_rank=1),
    "constant_int32_splits": lambda tf: tf.ragged.constant([[1], [2, 3]], row_splits_dtype=tf.int32),
    "constant_dtype": lambda tf: tf.ragged.constant([[1], [2, 3]], dtype=tf.float64),
    "constant_depths": lambda tf: tf.ragged.constant(["A", ["B", "C"]]),
}


@pytest.mark.parametrize("name", FACTORIES)
def test_factory_matches_tensorflow(tf_oracle, name: str) -> None:
    check(FACTORIES[name], ff, tf_oracle)


PROPERTIES = {
    "values": lambda tf: RC(tf).values,
    "flat_values": lambda tf: R3(tf).flat_values,
    "row_splits": lambda tf: RC(tf).row_splits,
    "nested_row_splits": lambda tf: list(R3(tf).nested_row_splits),
    "nested_row_lengths": lambda tf: list(R3(tf).nested_row_lengths()),
    "row_lengths": lambda tf: RC(tf).row_lengths(),
    "row_lengths_axis2": lambda tf: R3(tf).row_lengths(axis=2),
    "value_rowids": lambda tf: RC(tf).value_rowids(),
    "nested_value_rowids": lambda tf: list(R3(tf).nested_value_rowids()),
    "row_starts": lambda tf: RC(tf).row_starts(),
    "row_limits": lambda tf: RC(tf).row_limits(),
    "nrows": lambda tf: RC(tf).nrows(),
    "nrows_int32": lambda tf: RC(tf).nrows(out_type=tf.int32),
    "bounding_shape": lambda tf: R3(tf).bounding_shape(),
    "bounding_shape_axis": lambda tf: R3(tf).bounding_shape(axis=1),
    "bounding_shape_inner": lambda tf: RF(tf).bounding_shape(),
    "uniform_row_length": lambda tf: tf.RaggedTensor.from_uniform_row_length([1, 2, 3, 4], 2).uniform_row_length,
    "no_uniform_row_length": lambda tf: RC(tf).uniform_row_length,
    "uniform_shape": lambda tf: tf.RaggedTensor.from_uniform_row_length([1, 2, 3, 4], 2).shape.as_list(),
    "ragged_rank": lambda tf: R3(tf).ragged_rank,
    "shape": lambda tf: RF(tf).shape.as_list(),
    "shape3": lambda tf: R3(tf).shape.as_list(),
    "dtype": lambda tf: RF(tf).dtype.name,
    "ndim": lambda tf: R3(tf).ndim,
    "spec": lambda tf: repr(RF(tf)._type_spec),
    "spec_ctor": lambda tf: repr(tf.RaggedTensorSpec([2, None, 3], tf.float64, 1)),
    "spec_compatible": lambda tf: tf.RaggedTensorSpec([None, None], tf.int32).is_compatible_with(RC(tf)),
    "with_values": lambda tf: RC(tf).with_values(RC(tf).values * 2),
    "with_flat_values": lambda tf: R3(tf).with_flat_values(tf.range(10, 20)),
    "with_row_splits_dtype": lambda tf: R3(tf).with_row_splits_dtype(tf.int32),
    "merge_dims_01": lambda tf: R3(tf).merge_dims(0, 1),
    "merge_dims_12": lambda tf: R3(tf).merge_dims(1, 2),
    "merge_dims_02": lambda tf: R3(tf).merge_dims(0, 2),
    "merge_dims_inner": lambda tf: RF(tf).merge_dims(1, 2),
    "merge_dims_negative": lambda tf: R3(tf).merge_dims(-2, -1),
    "merge_dims_same": lambda tf: R3(tf).merge_dims(1, 1),
    "to_tensor": lambda tf: R3(tf).to_tensor(),
    "to_tensor_default": lambda tf: RC(tf).to_tensor(default_value=-1),
    "to_tensor_shape": lambda tf: RC(tf).to_tensor(shape=[2, 2]),
    "to_tensor_pad": lambda tf: RC(tf).to_tensor(shape=[6, 5]),
    "to_tensor_partial_shape": lambda tf: RC(tf).to_tensor(shape=[None, 2]),
    "to_tensor_inner": lambda tf: RF(tf).to_tensor(),
    "to_tensor_strings": lambda tf: tf.ragged.constant([["a"], ["b", "c"]]).to_tensor(default_value="_"),
    "to_sparse": lambda tf: R3(tf).to_sparse(),
    "to_sparse_inner": lambda tf: RF(tf).to_sparse(),
    "to_list": lambda tf: R3(tf).to_list(),
    "numpy_rows": lambda tf: [r.tolist() for r in RC(tf).numpy()],
}


@pytest.mark.parametrize("name", PROPERTIES)
def test_property_matches_tensorflow(tf_oracle, name: str) -> None:
    check(PROPERTIES[name], ff, tf_oracle)


INDEXING = {
    "row": lambda tf: RC(tf)[0],
    "row_negative": lambda tf: RC(tf)[-3],
    "row_out_of_bounds": lambda tf: RC(tf)[5],
    "rows": lambda tf: RC(tf)[1:4],
    "rows_step": lambda tf: RC(tf)[::2],
    "rows_reverse": lambda tf: RC(tf)[::-1],
    "inner_slice": lambda tf: RC(tf)[:, :2],
    "inner_slice_negative": lambda tf: RC(tf)[:, -2:],
    "inner_slice_middle": lambda tf: RC(tf)[1:, 1:3],
    "inner_int": lambda tf: RC(tf)[:, 0],
    "element": lambda tf: RC(tf)[2, 1],
    "nested_row": lambda tf: R3(tf)[1],
    "nested_element": lambda tf: R3(tf)[3, 0],
    "nested_slices": lambda tf: R3(tf)[:, 1:3],
    "nested_last": lambda tf: R3(tf)[:, -1:],
    "nested_inner_slice": lambda tf: R3(tf)[:, :, :1],
    "ellipsis": lambda tf: RF(tf)[..., 0],
    "newaxis": lambda tf: RC(tf)[tf.newaxis],
    "newaxis_inner": lambda tf: RC(tf)[:, tf.newaxis],
    "inner_uniform": lambda tf: RF(tf)[:, :, 1],
    "tensor_index": lambda tf: RC(tf)[tf.constant(2)],
}


@pytest.mark.parametrize("name", INDEXING)
def test_getitem_matches_tensorflow(tf_oracle, name: str) -> None:
    check(INDEXING[name], ff, tf_oracle)


PRINTING = {
    "repr": lambda tf: repr(RC(tf)),
    "str": lambda tf: str(R3(tf)),
    "repr_inner": lambda tf: repr(RF(tf)),
    "repr_newaxis": lambda tf: repr(RC(tf)[:, tf.newaxis]),
    "strings": lambda tf: repr(tf.ragged.constant([[b"a", b"b"], [b"c"]])),
    "floats": lambda tf: str(tf.ragged.constant([[1.5, 2.25], [3.0]])),
    "empty": lambda tf: repr(tf.ragged.constant([[], []])),
}


@pytest.mark.parametrize("name", PRINTING)
def test_printing_matches_tensorflow(tf_oracle, name: str) -> None:
    check(PRINTING[name], ff, tf_oracle)


X = lambda tf: tf.ragged.constant([[1, 2], [3], [4, 5, 6]])  # noqa: E731
Y = lambda tf: tf.ragged.constant([[1, 1], [2], [3, 3, 3]])  # noqa: E731
B = lambda tf: tf.ragged.constant([[True, False], [True]])  # noqa: E731
OPERATORS = {
    "add": lambda tf: X(tf) + Y(tf),
    "radd": lambda tf: 3 + X(tf),
    "sub": lambda tf: X(tf) - 1,
    "rsub": lambda tf: 10 - X(tf),
    "mul": lambda tf: X(tf) * Y(tf),
    "truediv": lambda tf: X(tf) / Y(tf),
    "rtruediv": lambda tf: 1 / tf.cast(X(tf), tf.float32),
    "floordiv": lambda tf: X(tf) // 2,
    "mod": lambda tf: X(tf) % 2,
    "pow": lambda tf: X(tf) ** 2,
    "lt": lambda tf: X(tf) < 3,
    "le": lambda tf: X(tf) <= Y(tf),
    "gt": lambda tf: X(tf) > 3,
    "ge": lambda tf: X(tf) >= Y(tf),
    "eq": lambda tf: X(tf) == 2,
    "ne": lambda tf: X(tf) != Y(tf),
    "and": lambda tf: B(tf) & tf.ragged.constant([[True, True], [False]]),
    "or": lambda tf: B(tf) | False,
    "xor": lambda tf: B(tf) ^ True,
    "invert": lambda tf: ~B(tf),
    "bit_and": lambda tf: X(tf) & 1,
    "invert_int": lambda tf: ~X(tf),
    "neg": lambda tf: -X(tf),
    "abs": lambda tf: abs(X(tf) - 3),
    "dense_left": lambda tf: tf.constant([[10], [20], [30]]) + X(tf),
    "dense_row": lambda tf: X(tf) * tf.constant([[1], [2], [3]]),
    "inner_broadcast": lambda tf: RF(tf) + tf.constant([10.0, 20.0]),
    "mismatch": lambda tf: X(tf) + tf.ragged.constant([[1], [2, 3], [4, 5, 6]]),
    "mismatch_nrows": lambda tf: X(tf) + tf.ragged.constant([[1, 2], [3]]),
    "dense_mismatch": lambda tf: X(tf) + tf.constant([[1, 2], [3, 4], [5, 6]]),
    "dense_uniform": lambda tf: tf.ragged.constant([[1, 2], [3, 4]]) + tf.constant([[1, 2], [3, 4]]),
    "bool": lambda tf: bool(X(tf)),
}


@pytest.mark.parametrize("name", OPERATORS)
def test_operator_matches_tensorflow(tf_oracle, name: str) -> None:
    check(OPERATORS[name], ff, tf_oracle)


def test_constructor_is_private() -> None:
    with pytest.raises(ValueError, match="RaggedTensor constructor is private"):
        ff.RaggedTensor([1], [0, 1])


def test_values_and_partitions_are_tensors() -> None:
    rt = ff.RaggedTensor.from_row_lengths([1.0, 2.0, 3.0], [2, 1])
    assert type(rt.values) is ff.Tensor and type(rt.row_splits) is ff.Tensor
    assert rt.row_splits.dtype == ff.int64
    assert rt.with_row_splits_dtype(ff.int32).row_splits.dtype == ff.int32
