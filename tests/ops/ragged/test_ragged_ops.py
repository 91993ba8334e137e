"""TF's public ops given RaggedTensors (its ragged dispatch) and the tf.ragged functions, against real
TensorFlow; gradients through them; and their values and partitions staying on the (simulated) GPU."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import featherflow as ff

from .._device_support import check as device_check
from ._compare import check

RC = lambda tf: tf.ragged.constant([[3, 1, 4, 1], [], [5, 9, 2], [6], []])  # noqa: E731
RFL = lambda tf: tf.ragged.constant([[1.5, -2.0], [], [3.0, 0.5, 4.0]])  # noqa: E731
R3 = lambda tf: tf.ragged.constant([[[1, 2, 3], [4]], [[5], [], [6]], [[7]], [[8, 9], [10]]])  # noqa: E731
RF = lambda tf: tf.ragged.constant([[[1.0, 2.0], [3.0, 4.0]], [[5.0, 6.0]]], ragged_rank=1)  # noqa: E731
BOOL = lambda tf: tf.ragged.constant([[True, False], [], [True, True]])  # noqa: E731

REDUCTIONS = {}
for _kind in ("sum", "mean", "max", "min", "prod"):
    for _axis in (None, 0, 1, -1, (0, 1)):
        REDUCTIONS[f"{_kind}_{_axis}"] = (lambda k, a: lambda tf: getattr(tf, f"reduce_{k}")(RFL(tf), axis=a))(
            _kind, _axis)
REDUCTIONS.update({
    "sum_int_axis1": lambda tf: tf.reduce_sum(RC(tf), axis=1),
    "mean_int_axis1": lambda tf: tf.reduce_mean(RC(tf), axis=1),
    "mean_int_all": lambda tf: tf.reduce_mean(RC(tf)),
    "max_int_axis1": lambda tf: tf.reduce_max(RC(tf), axis=1),
    "all_axis1": lambda tf: tf.reduce_all(BOOL(tf), axis=1),
    "any_axis1": lambda tf: tf.reduce_any(BOOL(tf), axis=1),
    "all_axis0": lambda tf: tf.reduce_all(BOOL(tf), axis=0),
    "logsumexp_axis1": lambda tf: tf.reduce_logsumexp(RFL(tf), axis=1),
    "sum_rank3_axis2": lambda tf: tf.reduce_sum(R3(tf), axis=2),
    "max_rank3_axis2": lambda tf: tf.reduce_max(R3(tf), axis=-1),
    "sum_rank3_axis1": lambda tf: tf.reduce_sum(R3(tf), axis=1),
    "max_rank3_axis0": lambda tf: tf.reduce_max(R3(tf), axis=0),
    "mean_rank3_axes": lambda tf: tf.reduce_mean(tf.cast(R3(tf), tf.float32), axis=[1, 2]),
    "sum_inner_axis2": lambda tf: tf.reduce_sum(RF(tf), axis=2),
    "sum_inner_axis1": lambda tf: tf.reduce_sum(RF(tf), axis=1),
    "mean_inner_axis0": lambda tf: tf.reduce_mean(RF(tf), axis=0),
    "sum_keepdims": lambda tf: tf.reduce_sum(RFL(tf), axis=1, keepdims=True),
    "sum_bad_axis": lambda tf: tf.reduce_sum(RFL(tf), axis=2),
    "math_reduce_sum": lambda tf: tf.math.reduce_sum(RC(tf), axis=0),
})


@pytest.mark.parametrize("name", REDUCTIONS)
def test_reduction_matches_tensorflow(tf_oracle, name: str) -> None:
    check(REDUCTIONS[name], ff, tf_oracle)


OPS = {
    "add": lambda tf: tf.add(RC(tf), 3),
    "math_exp": lambda tf: tf.math.exp(RFL(tf)),
    "sqrt_abs": lambda tf: tf.sqrt(tf.abs(RFL(tf))),
    "maximum": lambda tf: tf.maximum(RC(tf), 4),
    "where": lambda tf: tf.where(RFL(tf) > 1.0, RFL(tf), tf.zeros_like(RFL(tf))),
    "cast": lambda tf: tf.cast(RC(tf), tf.float32),
    "zeros_like": lambda tf: tf.zeros_like(RC(tf)),
    "ones_like_dtype": lambda tf: tf.ones_like(RC(tf), dtype=tf.float64),
    "size": lambda tf: tf.size(R3(tf)),
    "rank": lambda tf: tf.rank(R3(tf)),
    "logical_and": lambda tf: tf.logical_and(BOOL(tf), True),
    "logical_not": lambda tf: tf.logical_not(BOOL(tf)),
    "divide": lambda tf: tf.divide(RC(tf), 2),
    "concat0": lambda tf: tf.concat([RC(tf), [[5, 3]]], axis=0),
    "concat1": lambda tf: tf.concat([RC(tf), RC(tf)], axis=1),
    "concat_neg": lambda tf: tf.concat([RC(tf), RC(tf) * 2], axis=-1),
    "concat_rank3_axis1": lambda tf: tf.concat([R3(tf), R3(tf)], axis=1),
    "concat_rank3_axis2": lambda tf: tf.concat([R3(tf), R3(tf)], axis=2),
    "concat_dense_axis1": lambda tf: tf.concat([RC(tf), tf.zeros([5, 1], tf.int32)], axis=1),
    "stack0": lambda tf: tf.stack([RC(tf), RC(tf)[:3]]),
    "stack1": lambda tf: tf.stack([RC(tf), RC(tf)], axis=1),
    "gather": lambda tf: tf.gather(RC(tf), [2, 0, 2]),
    "gather_scalar": lambda tf: tf.gather(R3(tf), 1),
    "gather_2d": lambda tf: tf.gather(RC(tf), [[0, 2], [3, 1]]),
    "gather_bad": lambda tf: tf.gather(RC(tf), [7]),
    "gather_ragged_indices": lambda tf: tf.gather([10, 20, 30], tf.ragged.constant([[0, 2], [1]])),
    "expand_dims0": lambda tf: tf.expand_dims(RC(tf), 0),
    "expand_dims1": lambda tf: tf.expand_dims(RC(tf), 1),
    "expand_dims_last": lambda tf: tf.expand_dims(RC(tf), -1),
    "tile": lambda tf: tf.tile(RC(tf), [2, 3]),
    "tile_rank3": lambda tf: tf.tile(R3(tf), [1, 2, 2]),
    "boolean_mask_refused": lambda tf: tf.boolean_mask(RFL(tf), RFL(tf) > 1.0),
    "unstack_refused": lambda tf: tf.unstack(RC(tf)),
    "squeeze1": lambda tf: tf.squeeze(tf.expand_dims(RC(tf), 1), axis=1),
    "squeeze_last": lambda tf: tf.squeeze(tf.expand_dims(RC(tf), -1), axis=-1),
    "squeeze_no_axis": lambda tf: tf.squeeze(tf.expand_dims(RC(tf), -1)),
    "reverse0": lambda tf: tf.reverse(RC(tf), [0]),
    "reverse1": lambda tf: tf.reverse(RC(tf), [1]),
    "reverse_rank3": lambda tf: tf.reverse(R3(tf), [1, 2]),
    "split": lambda tf: tf.split(RC(tf), 5),
    "split_sizes": lambda tf: tf.split(RC(tf), [2, 3]),
    "split_ragged_axis": lambda tf: tf.split(RC(tf), 2, axis=1),
    "gather_nd_values": lambda tf: tf.gather_nd(RC(tf), [[0, 1], [2, 2]]),
    "gather_nd_rows": lambda tf: tf.gather_nd(RC(tf), [[0], [2]]),
    "strings_join": lambda tf: tf.strings.join([tf.ragged.constant([["a", "b"], ["c"]]),
                                                tf.ragged.constant([["x", "y"], ["z"]])], separator="+"),
    "strings_join_mismatch": lambda tf: tf.strings.join([tf.ragged.constant([["a", "b"], ["c"]]),
                                                         tf.ragged.constant([["x"], ["y", "z"]])]),
    "strings_substr": lambda tf: tf.strings.substr(tf.ragged.constant([["So", "long"], ["thanks"]]), 0, 2),
    "strings_length": lambda tf: tf.strings.length(tf.ragged.constant([["So", "long"], ["thanks"]])),
    "strings_upper": lambda tf: tf.strings.upper(tf.ragged.constant([["So", "long"], ["thanks"]])),
}


@pytest.mark.parametrize("name", OPS)
def test_op_matches_tensorflow(tf_oracle, name: str) -> None:
    check(OPS[name], ff, tf_oracle)


FUNCTIONS = {
    "map_flat_values": lambda tf: tf.ragged.map_flat_values(lambda x: x * 2 + 1, RC(tf)),
    "map_flat_values_two": lambda tf: tf.ragged.map_flat_values(tf.add, RC(tf), RC(tf)),
    "map_flat_values_mismatch": lambda tf: tf.ragged.map_flat_values(tf.add, RC(tf), RC(tf)[::-1]),
    "map_flat_values_dense": lambda tf: tf.ragged.map_flat_values(tf.add, tf.constant([1]), 1),
    "boolean_mask_dense": lambda tf: tf.ragged.boolean_mask([[1, 2, 3], [4, 5, 6]],
                                                            [[True, False, True], [False, False, True]]),
    "boolean_mask_rows": lambda tf: tf.ragged.boolean_mask(RC(tf), [True, False, True, False, True]),
    "boolean_mask_ragged": lambda tf: tf.ragged.boolean_mask(RC(tf), RC(tf) > 2),
    "boolean_mask_rank3": lambda tf: tf.ragged.boolean_mask(R3(tf), R3(tf) % 2 == 0),
    "cross": lambda tf: tf.ragged.cross([tf.ragged.constant([["a", "b"], ["c"], []]),
                                         tf.ragged.constant([["d", "e"], ["e"], ["q"]]),
                                         tf.constant([["f"], ["g"], ["h"]])]),
    "cross_ints": lambda tf: tf.ragged.cross([tf.ragged.constant([["a", "b"], ["c"]]),
                                              tf.ragged.constant([[1, 2], [3]])]),
    "cross_one": lambda tf: tf.ragged.cross([tf.ragged.constant([["a", "b"], ["c"]])]),
    "cross_float": lambda tf: tf.ragged.cross([tf.ragged.constant([["a"]]), tf.ragged.constant([[1.0]])]),
    "cross_batch": lambda tf: tf.ragged.cross([tf.ragged.constant([["a"], ["b"]]), tf.ragged.constant([[1]])]),
    "cross_repr": lambda tf: repr(tf.ragged.cross([tf.ragged.constant([["a", "b"], ["c"], []]),
                                                   tf.ragged.constant([["d", "e"], ["e"], ["q"]])])),
    "range": lambda tf: tf.ragged.range([3, 5, 2], [7, 7, 3]),
    "range_limits_only": lambda tf: tf.ragged.range([0, 3, 1]),
    "range_deltas": lambda tf: tf.ragged.range(0, [5, 10], [2, -3]),
    "range_float": lambda tf: tf.ragged.range([0.5, 1.0], 3.0, 0.75),
    "range_int32_splits": lambda tf: tf.ragged.range([2, 3], row_splits_dtype=tf.int32),
    "row_splits_to_segment_ids": lambda tf: tf.ragged.row_splits_to_segment_ids([0, 3, 3, 5, 6, 9]),
    "segment_ids_to_row_splits": lambda tf: tf.ragged.segment_ids_to_row_splits([0, 0, 0, 2, 2, 3, 4, 4, 4]),
    "segment_ids_num": lambda tf: tf.ragged.segment_ids_to_row_splits([0, 0, 2], num_segments=5),
    "stack": lambda tf: tf.ragged.stack([RC(tf), RC(tf)[1:]]),
    "stack_axis1": lambda tf: tf.ragged.stack([RC(tf), RC(tf)], axis=1),
    "stack_dense": lambda tf: tf.ragged.stack([[1, 2], [3, 4]]),
    "stack_dynamic_partitions": lambda tf: tf.ragged.stack_dynamic_partitions(["a", "b", "c", "d", "e"],
                                                                            [3, 0, 2, 2, 3], 5),
    "stack_dynamic_partitions_ragged": lambda tf: tf.ragged.stack_dynamic_partitions(RC(tf), [1, 0, 1, 0, 1], 2),
}


@pytest.mark.parametrize("name", FUNCTIONS)
def test_ragged_function_matches_tensorflow(tf_oracle, name: str) -> None:
    check(FUNCTIONS[name], ff, tf_oracle)


GRADIENTS = {
    "reduce_sum_axis1": lambda tf, rt: tf.reduce_sum(rt * rt, axis=1),
    "reduce_mean_axis0": lambda tf, rt: tf.reduce_mean(tf.exp(rt), axis=0),
    "reduce_max_axis1": lambda tf, rt: tf.reduce_max(rt, axis=1),
    "logsumexp": lambda tf, rt: tf.reduce_logsumexp(rt, axis=1),
    "to_tensor": lambda tf, rt: rt.to_tensor(default_value=0.0) * 3.0,
    "indexing": lambda tf, rt: rt[:, 1:].flat_values * 2.0,
    "concat_gather": lambda tf, rt: tf.gather(tf.concat([rt, rt * 2.0], axis=1), [2, 0]).flat_values,
}


@pytest.mark.parametrize("name", GRADIENTS)
def test_gradient_through_flat_values_matches_tensorflow(tf_oracle, name: str) -> None:
    def grad(tf):
        values = tf.constant([1.5, -2.0, 3.0, 0.5, 4.0], tf.float64)
        with tf.GradientTape() as tape:
            tape.watch(values)
            rt = tf.RaggedTensor.from_row_lengths(values, [2, 0, 3])
            out = GRADIENTS[name](tf, rt)
            out = out.flat_values if type(out).__name__ == "RaggedTensor" else out
            loss = tf.reduce_sum(out * out)
        return tape.gradient(loss, values)

    ours, theirs = ff.convert_to_tensor(grad(ff)), tf_oracle.convert_to_tensor(grad(tf_oracle))
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-12)


def test_gradient_of_ragged_reduction_is_numerically_right() -> None:
    values = ff.constant([0.3, -1.2, 2.0, 0.7], ff.float64)

    def f(v):
        rt = ff.RaggedTensor.from_row_splits(v, [0, 1, 4])
        return ff.reduce_sum(ff.reduce_logsumexp(rt, axis=1) ** 2)

    with ff.GradientTape() as tape:
        tape.watch(values)
        loss = f(values)
    grad = tape.gradient(loss, values).numpy()
    eps = 1e-6
    numeric = []
    for i in range(4):
        bump = np.zeros(4)
        bump[i] = eps
        numeric.append((f(values + bump).numpy() - f(values - bump).numpy()) / (2 * eps))
    np.testing.assert_allclose(grad, numeric, rtol=1e-6)


def _rt(t: dict):
    return ff.RaggedTensor.from_row_splits(t["v"], t["s"], validate=False)


DEVICE_CASES = {
    # (case, input whose gradient is checked, host<->device copies on the GPU): the Python constants of a case go
    # over (``* 2.0``, ``to_tensor``'s zero fill) and a dense shape reads the largest row length back, as TF's
    # kernels do; nothing else leaves the device
    "flat_math": (lambda t: (_rt(t) * 2.0 + 1.0).flat_values, "v", (2, 0)),
    "reduce_sum_axis1": (lambda t: ff.reduce_sum(_rt(t), axis=1), "v", (0, 0)),
    "to_tensor": (lambda t: _rt(t).to_tensor(), "v", (1, 1)),
    "row_lengths": (lambda t: _rt(t).row_lengths(), None, (0, 0)),
}


@pytest.mark.parametrize("name", DEVICE_CASES)
def test_ragged_ops_stay_on_the_device(device: str, name: str) -> None:
    case, wrt, moved = DEVICE_CASES[name]

    def inputs() -> dict:
        return {"v": ff.constant([1.5, -2.0, 3.0, 0.5, 4.0], ff.float64), "s": ff.constant([0, 2, 2, 5], ff.int64)}

    device_check(device, inputs, case, wrt, moved=moved)


@settings(max_examples=25, deadline=None)
@given(rows=st.lists(st.lists(st.integers(-50, 50), max_size=4), min_size=1, max_size=5),
       kind=st.sampled_from(["sum", "max", "min", "mean"]), axis=st.sampled_from([None, 0, 1]))
def test_random_ragged_tensors_match_tensorflow(rows, kind, axis) -> None:
    import tensorflow as tf

    def case(m):
        rt = m.ragged.constant(rows, dtype=m.float64)
        return (rt.to_tensor(default_value=-1.0), rt.row_lengths(), rt.value_rowids(),
                getattr(m, f"reduce_{kind}")(rt, axis=axis), rt[:, 1:], rt[::-1], m.concat([rt, rt], axis=1),
                rt.to_sparse().indices)

    check(case, ff, tf)


def test_refused_options_say_so() -> None:
    rt = ff.ragged.constant([[1, 2], [3]])
    # tf.shape(rt) was refused here until DynamicRaggedShape existed (tests/ops/ragged/test_dynamic_shape.py)
    assert type(ff.shape(rt)).__name__ == "DynamicRaggedShape"
    with pytest.raises(NotImplementedError, match="step other than 1"):
        rt[:, ::2]
    with pytest.raises(NotImplementedError, match="batch_dims"):
        ff.gather(rt, [0], batch_dims=1)
    with pytest.raises(NotImplementedError, match="ragged_rank > 1 and lengths or padding"):
        ff.RaggedTensor.from_tensor([[[1]]], lengths=[1], ragged_rank=2)
