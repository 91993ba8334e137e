"""``tf.TensorArray`` and ``tf.TensorArraySpec`` against real TF: every method, its options and its eager errors."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import featherflow as ff

from ._support import same


def _ta(tf, size=3, **kw):
    return tf.TensorArray(tf.float32, size=size, **kw)


def _write_read(tf):
    ta = _ta(tf).write(0, 1.0).write(2, tf.constant(3.0))
    return ta.read(0), ta.read(tf.constant(2)), ta.size()


def _read_cleared(tf):
    ta = _ta(tf).write(0, 1.0)
    ta.read(0)
    return ta.read(0)


def _read_kept(tf):
    ta = _ta(tf, clear_after_read=False).write(0, 1.0)
    return ta.read(0), ta.read(0)


def _read_unwritten_twice(tf):
    ta = _ta(tf, element_shape=[2])
    ta.read(1)
    return ta.read(1)


def _write_twice(tf):
    ta = _ta(tf).write(1, 1.0)
    return ta.write(1, 5.0).stack()


def _dynamic(tf):
    ta = _ta(tf, size=0, dynamic_size=True).write(3, [1.0, 2.0])
    return ta.size(), ta.stack()


def _split_concat(tf):
    ta = tf.TensorArray(tf.int32, size=3).split(tf.range(6), [1, 2, 3])
    return ta.concat(), ta.read(2), ta.size()


def _infer_shape(tf):
    ta = _ta(tf).write(0, [1.0, 2.0])
    return ta.element_shape.as_list(), ta.write(1, [1.0])


def _no_infer_shape(tf):
    ta = _ta(tf, size=2, infer_shape=False).write(0, [1.0, 2.0]).write(1, [1.0])
    return ta.element_shape.as_list(), ta.concat()


def _close(tf):
    ta = _ta(tf).write(0, 1.0)
    ta.close()
    return ta.size()


def _properties(tf):
    ta = tf.TensorArray(tf.int64, size=2, dynamic_size=True, element_shape=[None, 2])
    return ta.dtype.name, ta.dynamic_size, ta.element_shape.as_list(), ta.handle, ta.identity() is ta, ta.flow


TA = {
    "write read size": _write_read,
    "read cleared": _read_cleared,
    "clear_after_read False": _read_kept,
    "read unwritten twice": _read_unwritten_twice,
    "write twice": _write_twice,
    "unwritten read zeros": lambda tf: _ta(tf, element_shape=[2]).read(1),
    "stack with zeros": lambda tf: _ta(tf).write(1, 2.0).stack(),
    "stack empty, known shape": lambda tf: _ta(tf, size=0, element_shape=[2]).stack(),
    "stack empty": lambda tf: _ta(tf, size=0).stack(),
    "unstack stack": lambda tf: _ta(tf).unstack([[1.0, 2.0], [3.0, 4.0]]).stack(),
    "unstack too many": lambda tf: _ta(tf, size=1).unstack([1.0, 2.0]),
    "unstack dynamic grows": lambda tf: _ta(tf, size=1, dynamic_size=True).unstack([1.0, 2.0]).size(),
    "gather": lambda tf: _ta(tf).unstack([1.0, 2.0, 3.0]).gather([2, 0]),
    "gather tensor": lambda tf: _ta(tf).unstack([1.0, 2.0, 3.0]).gather(tf.constant([1])),
    "scatter": lambda tf: _ta(tf).scatter([2, 0], tf.constant([5.0, 6.0])).stack(),
    "scatter out of range": lambda tf: _ta(tf).scatter([3], tf.constant([5.0])),
    "dynamic size": _dynamic,
    "concat": lambda tf: _ta(tf, size=2).write(0, [1.0]).write(1, [2.0, 3.0]).concat(),
    "concat scalar": lambda tf: _ta(tf, size=2).write(0, 1.0).write(1, 2.0).concat(),
    "split concat": _split_concat,
    "split bad sum": lambda tf: tf.TensorArray(tf.int32, size=2).split(tf.range(6), [1, 2]),
    "split bad count": lambda tf: tf.TensorArray(tf.int32, size=2).split(tf.range(6), [1, 2, 3]),
    "split scalar": lambda tf: tf.TensorArray(tf.int32, size=1).split(tf.constant(1), [1]),
    "split matrix lengths": lambda tf: tf.TensorArray(tf.int32, size=1).split(tf.range(2), [[2]]),
    "infer_shape": _infer_shape,
    "infer_shape False": _no_infer_shape,
    "element_shape mismatch": lambda tf: _ta(tf, element_shape=[3]).write(0, [1.0]),
    "read negative": lambda tf: _ta(tf).read(-1),
    "read past the end": lambda tf: _ta(tf).read(3),
    "write negative": lambda tf: _ta(tf).write(-1, 1.0),
    "write past the end": lambda tf: _ta(tf).write(3, 1.0),
    "write wrong dtype": lambda tf: _ta(tf).write(0, tf.constant(1)),
    "write python int": lambda tf: _ta(tf).write(0, 1).read(0),
    "write python int to int64": lambda tf: tf.TensorArray(tf.int64, size=1).write(0, 1).read(0),
    "no size": lambda tf: tf.TensorArray(tf.float32),
    "handle": lambda tf: tf.TensorArray(tf.float32, size=1, handle=tf.constant(1)),
    "tensor size": lambda tf: tf.TensorArray(tf.float32, size=tf.constant(2)).size(),
    "close": _close,
    "properties": _properties,
    "grad": lambda tf: _ta(tf).grad("x"),
    "stack of mismatched shapes": lambda tf: _ta(tf, size=2, infer_shape=False).write(0, [1.0]).write(
        1, [1.0, 2.0]).stack(),
    "unwritten, shape partly known": lambda tf: _ta(tf, element_shape=[None, 2]).read(0),
    "unwritten, shape unknown": lambda tf: _ta(tf).stack(),
    "gather negative": lambda tf: _ta(tf, size=2).unstack([1.0, 2.0]).gather([-1]),
    "gather past the end": lambda tf: _ta(tf, size=2).unstack([1.0, 2.0]).gather([5]),
    "concat unwritten": lambda tf: _ta(tf, size=2, element_shape=[2]).concat(),
    "write float list to int": lambda tf: tf.TensorArray(tf.int32, size=1).write(0, [1.5]),
    "strings": lambda tf: tf.TensorArray(tf.string, size=1).write(0, "a").stack(),
    "scatter at tensor indices": lambda tf: _ta(tf).scatter(tf.constant([2, 0]), [[1.0], [2.0]]).stack(),
}


@pytest.mark.parametrize("case", sorted(TA))
def test_tensor_array(case, tf_oracle):
    same(TA[case], tf_oracle)


def test_concat_of_nothing(tf_oracle):
    same(lambda tf: _ta(tf, size=0, element_shape=[2, 3]).concat(), tf_oracle, message="type")


def test_tensor_array_spec(tf_oracle):
    for make in (lambda tf: tf.TensorArraySpec([2], tf.int32),
                 lambda tf: tf.TensorArraySpec(None, tf.float64, True, False),
                 lambda tf: tf.TensorArraySpec.from_value(tf.TensorArray(tf.int32, 2, element_shape=[3]))):
        assert repr(make(ff)) == repr(make(tf_oracle))
    spec = ff.TensorArraySpec([None], ff.int32)
    assert spec.is_compatible_with(ff.TensorArray(ff.int32, 1, element_shape=[4]))
    assert not spec.is_compatible_with(ff.TensorArray(ff.int32, 1, dynamic_size=True))
    assert not spec.is_compatible_with(ff.TensorArraySpec([None], ff.int64))
    assert spec == ff.TensorArraySpec([None], ff.int32) and hash(spec) == hash(ff.TensorArraySpec([None], ff.int32))
    assert spec.value_type is ff.TensorArray
    with pytest.raises(TypeError, match="Expected value to be a TensorArray"):
        ff.TensorArraySpec.from_value(1)


@given(st.lists(st.tuples(st.integers(0, 6), st.floats(-10, 10, width=32)), min_size=1, max_size=8),
       st.integers(0, 3))
def test_writes_then_stack_match_a_list(writes, size):
    ta = ff.TensorArray(ff.float32, size=size, dynamic_size=True)
    model = [0.0] * size
    for index, value in writes:
        ta = ta.write(index, value)
        model.extend([0.0] * (index + 1 - len(model)))
        model[index] = value
    np.testing.assert_array_equal(ta.stack().numpy(), np.array(model, np.float32))
    assert int(ta.size()) == len(model)
    picks = list(range(len(model)))[::-1]
    np.testing.assert_array_equal(ta.gather(picks).numpy(), np.array(model, np.float32)[picks])
