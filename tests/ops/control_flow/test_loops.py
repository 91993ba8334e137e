"""``tf.while_loop``, ``tf.map_fn``, ``tf.vectorized_map``, ``tf.scan``, ``tf.foldl``/``foldr`` against real TF:
values, result structures and dtypes, errors."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import featherflow as ff

from ._support import same


class _Opaque:
    def __repr__(self) -> str:
        return "<opaque>"


def _ta_loop(tf):
    ta = tf.TensorArray(tf.float32, size=0, dynamic_size=True)
    out = tf.while_loop(lambda i, t: i < 3, lambda i, t: (i + 1, t.write(i, tf.cast(i, tf.float32) * 2)), [0, ta])
    return out[0], out[1].stack()


WHILE = {
    "two vars": lambda tf: tf.while_loop(lambda i, x: i < 3, lambda i, x: (i + 1, x * 2), [0, 1.0]),
    "tuple of one": lambda tf: tf.while_loop(lambda i: i < 3, lambda i: (i + 1,), (0,)),
    "list of one, body returns a value": lambda tf: tf.while_loop(lambda i: i < 3, lambda i: i + 1, [0]),
    "a tensor, not a list": lambda tf: tf.while_loop(lambda i: i < 3, lambda i: i + 1, tf.constant(0)),
    "body returns a list": lambda tf: tf.while_loop(lambda i, x: i < 3, lambda i, x: [i + 1, x], (0, 2.0)),
    "maximum_iterations": lambda tf: tf.while_loop(lambda i, x: i < 30, lambda i, x: (i + 1, x + i), [0, 0],
                                                   maximum_iterations=5),
    "maximum_iterations tensor": lambda tf: tf.while_loop(lambda i: i < 30, lambda i: [i + 1], [0],
                                                          maximum_iterations=tf.constant(4, tf.int64)),
    "maximum_iterations tuple body": lambda tf: tf.while_loop(lambda i: i < 30, lambda i: (i + 1,), [0],
                                                              maximum_iterations=5),
    "maximum_iterations vector": lambda tf: tf.while_loop(lambda i: i < 30, lambda i: (i + 1,), [0],
                                                          maximum_iterations=[5]),
    "structure changes": lambda tf: tf.while_loop(lambda i, x: i < 3, lambda i, x: (i + 1, (x, x)), [0, 1.0]),
    "nested": lambda tf: tf.while_loop(lambda a: a["i"] < 3,
                                       lambda a: [{"i": a["i"] + 1, "v": (a["v"][0] * 2,)}],
                                       [{"i": 0, "v": (1.0,)}]),
    "empty": lambda tf: tf.while_loop(lambda: True, lambda: (), []),
    "cond not callable": lambda tf: tf.while_loop(1, lambda i: i, [0]),
    "body not callable": lambda tf: tf.while_loop(lambda i: i < 1, 1, [0]),
    "parallel_iterations 0": lambda tf: tf.while_loop(lambda i: i < 1, lambda i: i, [0], parallel_iterations=0),
    "variable": lambda tf: tf.while_loop(lambda i: i < 3, lambda i: [i + 1], [tf.Variable(0)]),
    "shape changes (invariants unchecked eagerly)": lambda tf: tf.while_loop(
        lambda x: tf.size(x) < 4, lambda x: [tf.concat([x, x], 0)], [tf.constant([1])],
        shape_invariants=[tf.TensorShape([None])]),
    "vector condition": lambda tf: tf.while_loop(lambda i: i < 3, lambda i: [i + 1], [tf.constant([0, 1])]),
    "string var": lambda tf: tf.while_loop(lambda i, s: i < 2, lambda i, s: (i + 1, s), [0, "ab"]),
    "none var": lambda tf: tf.while_loop(lambda i, s: i < 3, lambda i, s: (i + 1, s), [0, None]),
    "object var": lambda tf: tf.while_loop(lambda i, s: i < 3, lambda i, s: (i + 1, s), [0, _Opaque()]),
    "options accepted": lambda tf: tf.while_loop(lambda i: i < 3, lambda i: [i + 1], [0], parallel_iterations=1,
                                                 back_prop=False, swap_memory=True, name="w"),
    "tensor array": _ta_loop,
}


@pytest.mark.parametrize("case", sorted(WHILE))
def test_while_loop(case, tf_oracle):
    same(WHILE[case], tf_oracle, message="first")


@given(st.integers(0, 6), st.integers(0, 6))
def test_while_loop_counts(start, limit):
    out = ff.while_loop(lambda i, n: i < limit, lambda i, n: (i + 1, n + 2), [start, ff.constant(0)])
    assert int(out[0]) == max(start, limit) and int(out[1]) == 2 * max(0, limit - start)


def _ragged_out(tf):
    return tf.map_fn(lambda x: x * 2, tf.constant([[1, 2], [3, 4]]),
                     fn_output_signature=tf.TensorSpec([2], tf.int32))


MAP = {
    "basic": lambda tf: tf.map_fn(lambda x: x * 2, tf.constant([1.0, 2.0])),
    "rows": lambda tf: tf.map_fn(lambda x: tf.reduce_sum(x), tf.constant([[1, 2], [3, 4]])),
    "tuple in, tensor out": lambda tf: tf.map_fn(lambda x: x[0] + x[1], (tf.constant([1.0, 2.0]),
                                                                        tf.constant([3.0, 4.0]))),
    "tuple in, signature": lambda tf: tf.map_fn(lambda x: x[0] + x[1], (tf.constant([1.0, 2.0]),
                                                                       tf.constant([3.0, 4.0])),
                                                fn_output_signature=tf.float32),
    "dtype changes without signature": lambda tf: tf.map_fn(lambda x: tf.cast(x, tf.float32), tf.constant([1, 2])),
    "dtype changes, signature": lambda tf: tf.map_fn(lambda x: tf.cast(x, tf.float32), tf.constant([1, 2]),
                                                     fn_output_signature=tf.float32),
    "structure changes": lambda tf: tf.map_fn(lambda x: (x, x), tf.constant([1.0, 2.0])),
    "legacy dtype": lambda tf: tf.map_fn(lambda x: (x, x * 2), tf.constant([1.0, 2.0]),
                                         dtype=(tf.float32, tf.float32)),
    "TensorSpec": lambda tf: tf.map_fn(lambda x: tf.fill([2], x), tf.constant([1.0, 2.0]),
                                       fn_output_signature=tf.TensorSpec([2], tf.float32)),
    "TensorSpec int": _ragged_out,
    "TensorSpec wrong shape": lambda tf: tf.map_fn(lambda x: tf.fill([3], x), tf.constant([1.0, 2.0]),
                                                   fn_output_signature=tf.TensorSpec([2], tf.float32)),
    "wrong dtype": lambda tf: tf.map_fn(lambda x: x, tf.constant([1.0, 2.0]), fn_output_signature=tf.int32),
    "scalar": lambda tf: tf.map_fn(lambda x: x, tf.constant(1.0)),
    "empty nest": lambda tf: tf.map_fn(lambda x: x, []),
    "first dims differ": lambda tf: tf.map_fn(lambda x: x[0], (tf.constant([1.0, 2.0]), tf.constant([1.0, 2.0, 3.0]))),
    "no elements": lambda tf: tf.map_fn(lambda x: x * 2, tf.zeros([0, 3])),
    "no elements, TensorSpec": lambda tf: tf.map_fn(lambda x: x * 2, tf.zeros([0, 3]),
                                                    fn_output_signature=tf.TensorSpec([3], tf.float32)),
    "python list": lambda tf: tf.map_fn(lambda x: x * 2, [1.0, 2.0]),
    "dict": lambda tf: tf.map_fn(lambda d: {"a": d["a"] * 2, "b": d["b"]},
                                 {"a": tf.constant([1.0, 2.0]), "b": tf.constant([[1], [2]])}),
    "python result": lambda tf: tf.map_fn(lambda x: 3, tf.constant([1, 2])),
    "options": lambda tf: tf.map_fn(lambda x: x + 1, tf.constant([1, 2]), parallel_iterations=4, back_prop=True,
                                    swap_memory=True, infer_shape=False, name="m"),
    "variable": lambda tf: tf.map_fn(lambda x: x + 1, tf.Variable([1, 2])),
    "RaggedTensorSpec": lambda tf: tf.map_fn(lambda x: tf.range(x), tf.constant([1, 3]),
                                             fn_output_signature=tf.RaggedTensorSpec(shape=[None], dtype=tf.int32)),
    "RaggedTensorSpec 2-d rows": lambda tf: tf.map_fn(
        lambda x: tf.fill([x, 2], x), tf.constant([1, 3]),
        fn_output_signature=tf.RaggedTensorSpec(shape=[None, 2], dtype=tf.int32, ragged_rank=0)),
    "RaggedTensorSpec int32 splits": lambda tf: tf.map_fn(
        lambda x: tf.range(x), tf.constant([2, 0]),
        fn_output_signature=tf.RaggedTensorSpec(shape=[None], dtype=tf.int32, row_splits_dtype=tf.int32)),
    "RaggedTensorSpec wrong dtype": lambda tf: tf.map_fn(
        lambda x: tf.range(x), tf.constant([1, 3]),
        fn_output_signature=tf.RaggedTensorSpec(shape=[None], dtype=tf.float32)),
    "RaggedTensorSpec no elements": lambda tf: tf.map_fn(
        lambda x: tf.range(x), tf.zeros([0], tf.int32),
        fn_output_signature=tf.RaggedTensorSpec(shape=[None], dtype=tf.int32)),
    "ragged rows to dense": lambda tf: tf.map_fn(tf.reduce_sum, tf.ragged.constant([[1, 2], [3], []]),
                                                 fn_output_signature=tf.int32),
    "ragged rows to ragged": lambda tf: tf.map_fn(lambda r: r * 2, tf.ragged.constant([[1, 2], [3], []])),
    "ragged and dense": lambda tf: tf.map_fn(lambda p: tf.reduce_sum(p[0]) + p[1],
                                             (tf.ragged.constant([[1, 2], [3], []]), tf.constant([10, 20, 30])),
                                             fn_output_signature=tf.int32),
}


@pytest.mark.parametrize("case", sorted(MAP))
def test_map_fn(case, tf_oracle):
    same(MAP[case], tf_oracle, message="first")


VMAP = {
    "basic": lambda tf: tf.vectorized_map(lambda x: x * 2, tf.constant([1.0, 2.0])),
    "rows": lambda tf: tf.vectorized_map(lambda x: tf.tensordot(x, x, 1), tf.constant([[1.0, 2.0], [3.0, 4.0]])),
    "broadcast": lambda tf: tf.vectorized_map(lambda x: x[0] + x[1], (tf.constant([1.0, 2.0]), tf.constant([3.0]))),
    "constant result": lambda tf: tf.vectorized_map(lambda x: tf.constant(1.0), tf.constant([1.0, 2.0])),
    "python result": lambda tf: tf.vectorized_map(lambda x: 2.0, tf.constant([1.0, 2.0])),
    "tuple result": lambda tf: tf.vectorized_map(lambda x: (x, {"d": x * 2}), tf.constant([1.0, 2.0])),
    "no elements": lambda tf: tf.vectorized_map(lambda x: x * 2, tf.zeros([0, 2])),
    "scalar": lambda tf: tf.vectorized_map(lambda x: x, tf.constant(1.0)),
    "first dims differ": lambda tf: tf.vectorized_map(lambda x: x[0] + x[1], (tf.constant([1.0, 2.0]),
                                                                             tf.constant([3.0, 4.0, 5.0]))),
    "options": lambda tf: tf.vectorized_map(lambda x: x + 1, tf.constant([1, 2]), fallback_to_while_loop=False,
                                            warn=False),
}


@pytest.mark.parametrize("case", sorted(VMAP))
def test_vectorized_map(case, tf_oracle):
    same(VMAP[case], tf_oracle, message="type" if case == "first dims differ" else "first")


@given(st.integers(1, 4), st.integers(1, 3))
def test_vectorized_map_is_stacked_fn(n, m):
    x = np.arange(n * m, dtype=np.float64).reshape(n, m) - 2.5
    got = ff.vectorized_map(lambda r: (ff.reduce_max(r), r * r), ff.constant(x))
    np.testing.assert_array_equal(got[0].numpy(), x.max(axis=1))
    np.testing.assert_array_equal(got[1].numpy(), x * x)


SCAN = {
    "sum": lambda tf: tf.scan(lambda a, x: a + x, tf.constant([1, 2, 3])),
    "reverse": lambda tf: tf.scan(lambda a, x: a + x, tf.constant([1, 2, 3]), reverse=True),
    "initializer": lambda tf: tf.scan(lambda a, x: a * x, tf.constant([1.0, 2.0, 3.0]), initializer=2.0),
    "initializer reverse": lambda tf: tf.scan(lambda a, x: a * x, tf.constant([1.0, 2.0, 3.0]), initializer=2.0,
                                              reverse=True),
    "nest": lambda tf: tf.scan(lambda a, x: (a[0] + x[0], a[1] * x[1]), (tf.constant([1, 2]), tf.constant([3, 4]))),
    "nested initializer": lambda tf: tf.scan(lambda a, x: (a[0] + x, a[1] + 1), tf.constant([1, 2]),
                                             initializer=(tf.constant(0), tf.constant(0))),
    "rows": lambda tf: tf.scan(lambda a, x: a + x, tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])),
    "structure changes": lambda tf: tf.scan(lambda a, x: (a, a), tf.constant([1, 2])),
    "empty": lambda tf: tf.scan(lambda a, x: a + x, tf.zeros([0])),
    "empty with initializer": lambda tf: tf.scan(lambda a, x: a + x, tf.zeros([0]), initializer=1.0),
    "infer_shape off": lambda tf: tf.scan(lambda a, x: a + x, tf.constant([1, 2]), infer_shape=False),
    "not callable": lambda tf: tf.scan(None, tf.constant([1, 2])),
}


@pytest.mark.parametrize("case", sorted(SCAN))
def test_scan(case, tf_oracle):
    same(SCAN[case], tf_oracle, message="first")


FOLD = {
    "foldl": lambda tf: tf.foldl(lambda a, x: a + x, tf.constant([1, 2, 3])),
    "foldl initializer": lambda tf: tf.foldl(lambda a, x: a - x, tf.constant([1, 2, 3]), initializer=10),
    "foldr": lambda tf: tf.foldr(lambda a, x: a - x, tf.constant([1, 2, 3])),
    "foldr initializer": lambda tf: tf.foldr(lambda a, x: a * 10 + x, tf.constant([1, 2, 3]), initializer=0),
    "foldl nest": lambda tf: tf.foldl(lambda a, x: a + x[0] * x[1], (tf.constant([1, 2]), tf.constant([3, 4])),
                                      initializer=0),
    "foldr nested accumulator": lambda tf: tf.foldr(lambda a, x: (a[0] + x, a[1] * x), tf.constant([1.0, 2.0, 3.0]),
                                                    initializer=(0.0, 1.0)),
    "foldl empty": lambda tf: tf.foldl(lambda a, x: a + x, tf.zeros([0])),
    "foldl empty initializer": lambda tf: tf.foldl(lambda a, x: a + x, tf.zeros([0]), initializer=1.0),
    "foldl python initializer kept": lambda tf: tf.foldl(lambda a, x: a, tf.constant([1, 2]), initializer=5),
    "foldl structure changes": lambda tf: tf.foldl(lambda a, x: (a, a), tf.constant([1, 2]), initializer=0),
    "foldr rows": lambda tf: tf.foldr(lambda a, x: a * 2 + x, tf.constant([[1.0, 2.0], [3.0, 4.0]])),
}


@pytest.mark.parametrize("case", sorted(FOLD))
def test_fold(case, tf_oracle):
    same(FOLD[case], tf_oracle, message="first")


def test_while_loop_carries_an_optional_as_tf(tf_oracle) -> None:
    results = []
    for lib in (ff, tf_oracle):
        optional = lib.experimental.Optional.from_value(lib.constant(1.0))
        i, out = lib.while_loop(lambda i, o: i < 2, lambda i, o: (i + 1, o), (lib.constant(0), optional))
        results.append((int(i), float(out.get_value()), bool(out.has_value())))
    assert results[0] == results[1]
