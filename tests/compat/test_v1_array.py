"""``tf.compat.v1``'s array and control-flow functions against TensorFlow's: v1 argument order (``name``
earlier), ``where`` as TF's Select, ``sparse_concat``'s deprecated names, ``cond``'s ``fn1``/``fn2`` and
``while_loop``'s single loop variable."""

from __future__ import annotations

import numpy as np
import pytest

import featherflow as ff

from ._support import assert_same, outcome

M = [[1.0, 2.0], [3.0, 4.0]]
Z = [[0.0, 0.0], [0.0, 0.0]]


def _both(tf, call):
    """``call(v1)`` under featherflow and under TF, compared."""
    assert_same(outcome(lambda: call(ff.compat.v1)), outcome(lambda: call(tf.compat.v1)))


CASES = {
    "pad_positional_name": lambda v1: v1.pad([[1, 2]], [[1, 1], [0, 0]], "CONSTANT", "p", 5),
    "pad_reflect_lower": lambda v1: v1.pad([[1, 2, 3]], [[0, 0], [1, 1]], "reflect"),
    "pad_bad_mode": lambda v1: v1.pad([[1, 2, 3]], [[0, 0], [1, 1]], "foo"),
    "gather_positional": lambda v1: v1.gather([[1, 2], [3, 4]], [1, 0], None, "g", 1),
    "gather_batch_dims": lambda v1: v1.gather([[1, 2], [3, 4]], [[1], [0]], batch_dims=1),
    "gather_nd_positional": lambda v1: v1.gather_nd([[1, 2], [3, 4]], [[1, 0]], "g"),
    "gather_nd_batch_dims": lambda v1: v1.gather_nd([[1, 2], [3, 4]], [[1], [0]], None, 1),
    "boolean_mask": lambda v1: v1.boolean_mask([1, 2, 3], [True, False, True], "bm"),
    "boolean_mask_axis": lambda v1: v1.boolean_mask([[1, 2, 3]], [True, False, True], "bm", 1),
    "where_rows": lambda v1: v1.where([True, False], M, Z),
    "where_same_shape": lambda v1: v1.where([[True, False], [False, True]], M, Z),
    "where_scalar": lambda v1: v1.where(True, M, Z),
    "where_rows_3d": lambda v1: v1.where([True, False], np.ones([2, 2, 3]), np.zeros([2, 2, 3])),
    "where_python": lambda v1: v1.where([True, False], [1, 2], [3, 4]),
    "where_scalars": lambda v1: v1.where(True, 1, 2),
    "where_indices": lambda v1: v1.where([[True, False], [False, True]]),
    "where_no_broadcast": lambda v1: v1.where(v1.constant([[True, False]]), v1.constant(M), v1.constant(Z)),
    "where_then_else": lambda v1: v1.where(v1.constant([True, False]), v1.constant(M), v1.constant([0.0, 0.0])),
    "where_rows_length": lambda v1: v1.where(v1.constant([True, False, True]), v1.constant(M), v1.constant(Z)),
    "where_no_broadcast_lists": lambda v1: v1.where([[True, False]], M, Z),
    "where_int_condition": lambda v1: v1.where([1, 0], M, Z),
    "where_dtypes": lambda v1: v1.where(v1.constant([True, False]), v1.constant(M), v1.zeros([2, 2], "int32")),
    "where_only_x": lambda v1: v1.where([True], [1]),
    "cond_fn1_fn2": lambda v1: v1.cond(True, fn1=lambda: 1, fn2=lambda: 2),
    "cond_tensor_pred": lambda v1: v1.cond(v1.constant(False), lambda: 1, lambda: 2, False, "c"),
    "cond_true_and_fn1": lambda v1: v1.cond(True, lambda: 1, lambda: 2, fn1=lambda: 3),
    "cond_false_and_fn2": lambda v1: v1.cond(True, lambda: 1, lambda: 2, fn2=lambda: 3),
    "cond_no_false_fn": lambda v1: v1.cond(True, lambda: 1),
    "cond_no_true_fn": lambda v1: v1.cond(True),
    "cond_not_callable": lambda v1: v1.cond(True, 1, lambda: 2),
    "cond_unpacks": lambda v1: v1.cond(True, lambda: [v1.constant(1)], lambda: [v1.constant(2)]),
    "cond_strict": lambda v1: v1.cond(True, lambda: [v1.constant(1)], lambda: [v1.constant(2)], strict=True),
    "while_single": lambda v1: v1.while_loop(lambda i: i < 3, lambda i: i + 1, [0]),
    "while_single_tuple_var": lambda v1: v1.while_loop(lambda i: i < 3, lambda i: i + 1, (0,)),
    "while_single_same_structure": lambda v1: v1.while_loop(lambda i: i < 3, lambda i: i + 1, [0],
                                                            return_same_structure=True),
    "while_body_tuple": lambda v1: v1.while_loop(lambda i: i < 3, lambda i: (i + 1,), [0]),
    "while_two": lambda v1: v1.while_loop(lambda i, j: i < 3, lambda i, j: (i + 1, j * 2), [0, 1]),
    "while_maximum_positional": lambda v1: v1.while_loop(lambda i: i < 30, lambda i: i + 1, [0], None, 10, True,
                                                         False, "w", 5),
    "while_two_maximum": lambda v1: v1.while_loop(lambda i, j: i < 30, lambda i, j: (i + 1, j), [0, 1],
                                                  maximum_iterations=4),
    "while_parallel": lambda v1: v1.while_loop(lambda i: i < 3, lambda i: i + 1, [0], parallel_iterations=0),
    "while_empty": lambda v1: v1.while_loop(lambda: False, lambda: (), []),
    "while_scalar_vars": lambda v1: v1.while_loop(lambda i: i < 3, lambda i: i + 1, 0),
    "map_fn": lambda v1: v1.map_fn(lambda x: x * 2, v1.constant([1, 2, 3])),
    "map_fn_dtype": lambda v1: v1.map_fn(lambda x: v1.cast(x, "float32"), v1.constant([1, 2]), dtype="float32"),
    "foldl": lambda v1: v1.foldl(lambda a, x: a + x, v1.constant([1, 2, 3])),
    "foldr": lambda v1: v1.foldr(lambda a, x: a * 10 + x, v1.constant([1, 2, 3])),
    "scan": lambda v1: v1.scan(lambda a, x: a + x, v1.constant([1, 2, 3]), reverse=True),
    "executing_eagerly": lambda v1: v1.executing_eagerly(),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_matches_tf(tf_oracle, case):
    _both(tf_oracle, CASES[case])


def _sparse(v1, indices, values, shape):
    return v1.sparse.SparseTensor(indices, values, shape) if hasattr(v1, "sparse") else None


SPARSE = {
    "axis": lambda v1, a, b: v1.sparse_concat(1, [a, b]),
    "concat_dim": lambda v1, a, b: v1.sparse_concat(None, [a, a], concat_dim=0),
    "both_axes": lambda v1, a, b: v1.sparse_concat(1, [a], concat_dim=0),
    "expand_positional": lambda v1, a, b: v1.sparse_concat(1, [a, b], None, True),
    "expand_both_names": lambda v1, a, b: v1.sparse_concat(1, [a, b], None, False, None, True),
}


@pytest.mark.parametrize("case", sorted(SPARSE))
def test_sparse_concat(tf_oracle, case):
    def run(tf, v1):
        a = tf.sparse.SparseTensor([[0, 0]], [1.0], [2, 2])
        b = tf.sparse.SparseTensor([[1, 1]], [2.0], [3, 3] if "expand" in case else [2, 3])
        return SPARSE[case](v1, a, b)

    assert_same(outcome(lambda: run(ff, ff.compat.v1)), outcome(lambda: run(tf_oracle, tf_oracle.compat.v1)))


def test_where_gradient():
    x = ff.Variable([[1.0, 2.0], [3.0, 4.0]])
    with ff.GradientTape() as tape:
        y = ff.reduce_sum(ff.compat.v1.where([True, False], x, ff.zeros([2, 2])))
    assert tape.gradient(y, x).numpy().tolist() == [[1.0, 1.0], [0.0, 0.0]]
