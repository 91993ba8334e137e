"""tf.sparse against TensorFlow: the same programs print the same text (values, dtypes, shapes, SparseTensor
reprs) and raise the same errors with the same messages. Each program is split into blocks at ``#--``; a block
that raises prints its error, and the rest of the program goes on."""

from __future__ import annotations

import contextlib
import io

import pytest

import featherflow as ff

PROGRAMS = {
    "ops": """\
st = tf.sparse.SparseTensor([[0,1],[1,0],[1,2]], [1.,-2.,3.], [2,3])
print(tf.sparse.reduce_max(st, axis=1))
print(tf.sparse.reduce_max(st, axis=0))
print(tf.sparse.reduce_max(tf.sparse.SparseTensor([[0,1]], [-1.], [2,3]), axis=1))
#--
print(tf.sparse.reduce_max(st, axis=1, output_is_sparse=True))
print(tf.sparse.reduce_sum(st, axis=0, output_is_sparse=True))
print(tf.sparse.reduce_sum(st, axis=0, keepdims=True, output_is_sparse=True))
#--
print(tf.sparse.reduce_sum(st))
print(tf.sparse.reduce_sum(st, keepdims=True))
print(tf.sparse.reduce_sum(st, 1))
print(tf.sparse.reduce_sum(st, -1, keepdims=True))
#--
print(st * tf.constant([1.,2.,3.]))
print(st / tf.constant([[2.],[4.]]))
print(tf.SparseTensorSpec([2,3], tf.float32), st._type_spec)
#--
a = tf.sparse.SparseTensor([[0,1]], [1.], [2,3])
for b in [tf.sparse.SparseTensor([[0,1]], [1.], [2,4]), tf.sparse.SparseTensor([[0,1,1]], [1.], [2,3,3])]:
  try: tf.sparse.add(a,b)
  except Exception as e: print(type(e).__name__, e)
#--
print(tf.sparse.add(a, tf.sparse.SparseTensor([[0,1],[1,1]], [-0.5, 2.], [2,3]), threshold=0.6))
print(tf.sparse.add(a, tf.sparse.SparseTensor([[0,0],[0,1],[1,1]], [3, -0.5, 2.], [2,3])))
print(tf.sparse.add(a, tf.ones([2,3])))
print(tf.sparse.add(tf.ones([2,3]), a))
#--
print(tf.sparse.sparse_dense_matmul(st, tf.ones([3,2])))
print(tf.sparse.sparse_dense_matmul(tf.ones([2,2]), st))
print(tf.sparse.sparse_dense_matmul(st, tf.reshape(tf.range(6.), [2,3]), adjoint_a=True, adjoint_b=True))
print(tf.sparse.sparse_dense_matmul(tf.reshape(tf.range(6.), [3,2]), st, adjoint_a=True, adjoint_b=True))
print(tf.sparse.sparse_dense_matmul(tf.reshape(tf.range(6.), [2,3]), st, adjoint_b=True))
#--
print(tf.sparse.reshape(st, [3,2]))
print(tf.sparse.reshape(st, [-1]))
print(tf.sparse.slice(st, [1,0], [1,2]))
print(tf.sparse.slice(st, [0,1], [5,5]))
#--
print(tf.sparse.concat(1, [st, st]))
print(tf.sparse.concat(0, [st, tf.sparse.SparseTensor([[0,3]],[5.],[1,4])], expand_nonconcat_dims=True))
#--
print(tf.sparse.maximum(st, tf.sparse.SparseTensor([[0,0],[0,1]],[5.,-3.],[2,3])))
print(tf.sparse.minimum(st, tf.sparse.SparseTensor([[0,0],[0,1]],[5.,-3.],[2,3])))
print(tf.sparse.retain(st, [True, False, True]))
print(tf.sparse.fill_empty_rows(tf.sparse.SparseTensor([[1,0]],[1.],[3,2]), -1.))
#--
print(tf.sparse.segment_sum([[1.,2],[3,4],[5,6]], [0,2,1], [0,0,2]))
print(tf.sparse.segment_mean([[1.,2],[3,4],[5,6]], [0,2,1], [0,0,2], num_segments=4))
print(tf.sparse.segment_sqrt_n([[1.,2],[3,4],[5,6]], [0,2,1], [0,0,2]))
#--
print(tf.sparse.to_indicator(tf.sparse.SparseTensor([[0,0],[0,1],[1,0]],[0,2,1],[2,2]), 4))
print(tf.sparse.split(sp_input=st, num_split=2, axis=1))
print(tf.sparse.transpose(st))
print(tf.sparse.softmax(st))
#--
print(tf.sparse.expand_dims(st, 1))
print(tf.sparse.eye(3))
print(tf.sparse.reset_shape(st, [4,5]))
print(tf.sparse.reset_shape(st))
print(tf.sparse.map_values(tf.math.square, st))
#--
print(tf.math.abs(st), tf.math.negative(st), tf.cast(st, tf.int32), tf.shape(st), tf.size(st), tf.rank(st))
#--
print(tf.sparse.to_dense(tf.sparse.SparseTensor([[1,0],[0,1]],[1,2],[2,2])))
#--
print(tf.sparse.to_dense(tf.sparse.SparseTensor([[0,0],[0,0]],[1,2],[2,2])))
#--
print(tf.sparse.to_dense(tf.sparse.SparseTensor([[1,0],[0,1]],[1,2],[2,2]), validate_indices=False))
""",
    "errors": """\
try: tf.sparse.to_dense(tf.sparse.SparseTensor([[5,0]],[1],[2,2]))
except Exception as e: print(type(e).__name__, e)
#--
try: tf.sparse.to_dense(tf.sparse.SparseTensor([[1,0],[5,0]],[1,1],[2,2]), validate_indices=False)
except Exception as e: print(type(e).__name__, e)
#--
print(tf.sparse.segment_mean([[1.,2],[3,4],[5,7]], [0,2,1], [0,0,0]))
print(tf.sparse.segment_sqrt_n([[1.,2],[3,4],[5,7]], [0,2,1], [0,0,0]))
print(tf.sparse.segment_sum([[1,2],[3,4],[5,7]], [0,2,1], [0,0,1]))
#--
tf.sparse.segment_sum([[1,2],[3,4],[5,7]], [0,2,3], [0,0,1])
#--
tf.sparse.segment_sum([[1,2],[3,4],[5,7]], [0,2,1], [0,1,0])
#--
tf.sparse.segment_mean([[1,2],[3,4],[5,7]], [0,2,1], [0,1,1])
#--
tf.sparse.add(tf.sparse.SparseTensor([[0,1]], [1.], [2,3]), tf.ones([2,4]))
#--
tf.sparse.reshape(tf.sparse.SparseTensor([[0,1]], [1.], [2,3]), [4,-1])
#--
tf.sparse.reshape(tf.sparse.SparseTensor([[0,1]], [1.], [2,3]), [4,2])
#--
tf.sparse.SparseTensor([[0,1]], [1.,2.], [2,3])
#--
tf.sparse.SparseTensor([[0,1]], [1.], [2,3,4])
#--
tf.sparse.reduce_sum(tf.sparse.SparseTensor([[0,1]], [1.], [2,3]), 2)
#--
tf.sparse.to_dense([1,2])
#--
tf.sparse.SparseTensor([[0,1]], [1.], [2,3]) * tf.ones([3,3])
#--
tf.sparse.softmax(tf.sparse.SparseTensor([[1]], [1.], [3]))
#--
tf.sparse.split(sp_input=tf.sparse.SparseTensor([[0,1]], [1.], [2,3]), num_split=4, axis=1)
#--
tf.sparse.concat(1, [tf.sparse.SparseTensor([[0,1]], [1.], [2,3]), tf.sparse.SparseTensor([[0,1]], [1.], [3,3])])
#--
tf.sparse.fill_empty_rows(tf.sparse.SparseTensor([[0,1]], [1.], [2,3]), 1)
print(tf.sparse.fill_empty_rows(tf.sparse.SparseTensor([[2,1], [0, 0]], [1, 2], [4,3]), 7))
#--
tf.sparse.slice(tf.sparse.SparseTensor([[0,1]], [1.], [2,3]), [0], [1])
#--
tf.sparse.maximum(tf.sparse.SparseTensor([[0,1]], [1.], [2,3]), tf.sparse.SparseTensor([[0,1]], [1.], [2,4]))
#--
print(tf.sparse.to_indicator(tf.sparse.SparseTensor([[0,0],[0,1],[1,0]],[0,2,1],[2,2]), 4) if 0 else 1)
tf.sparse.to_indicator(tf.sparse.SparseTensor([[0,0]],[0.],[2,2]), 4)
""",
    "kernel_errors": """\
tf.sparse.add(tf.sparse.SparseTensor([[0,1]], [1.], [2,3]), tf.ones([2]))
#--
tf.sparse.add(tf.sparse.SparseTensor([[0,1]], [1.], [2,3]), tf.ones([2,3,1]))
#--
tf.sparse.slice(tf.sparse.SparseTensor([[0,1]], [1.], [2,3]), [0,0], [1])
#--
tf.sparse.reduce_max(tf.sparse.SparseTensor([[0,1]], [1.], [2,3]), 3, output_is_sparse=True)
#--
tf.sparse.sparse_dense_matmul(tf.sparse.SparseTensor([[0,1,1]], [1.], [2,3,3]), tf.ones([3,3]))
#--
tf.sparse.sparse_dense_matmul(tf.sparse.SparseTensor([[0,1]], [1.], [2,3]), tf.ones([3]))
""",
    "segments": """\
print(tf.sparse.segment_mean([[1.,2],[3,4],[3,7]], [0,2,1], [0,0,0]))
print(tf.sparse.segment_mean([[1.,2],[3,4],[5,7]], [0,2,1], [0,0,0]))
print(tf.sparse.segment_sqrt_n([[1.,2],[3,4],[5,7]], [0,2,1], [0,0,0]))
print(tf.sparse.segment_sqrt_n([[1.,2],[3,4],[5,7]], [0,2], [0,0]))
print(tf.sparse.segment_mean([[1.,2],[3,4],[5,7]], [0,2,1,1,1,2,0], [0,0,0,0,0,0,0]))
print(tf.sparse.segment_sqrt_n([[1.,2],[3,4],[5,7]], [0,2,1,1,1,2,0], [0,0,1,1,1,1,1]))
""",
    "counting": """\
print(tf.sparse.bincount(tf.constant([1,2,2,5])))
print(tf.sparse.bincount(tf.constant([[1,2,2],[5,0,5]]), axis=-1))
print(tf.sparse.bincount(tf.constant([[1,2,2],[5,0,5]]), axis=0))
print(tf.sparse.bincount(tf.constant([1,2,2,5]), weights=tf.constant([0.5,1.,2.,3.])))
print(tf.sparse.bincount(tf.constant([1,2,2,5]), binary_output=True, minlength=8))
print(tf.sparse.bincount(tf.constant([1,2,2,5]), maxlength=3))
st = tf.sparse.SparseTensor([[0,1],[1,0],[1,2]], [3, 3, 1], [2,3])
print(tf.sparse.bincount(st, axis=-1))
print(tf.sparse.bincount(st))
#--
tf.sparse.bincount(tf.constant([1,-2,2,5]))
#--
print(tf.sparse.mask(tf.IndexedSlices(tf.constant([[1.,2],[3,4],[5,6]]), tf.constant([4,7,12]), tf.constant([20,2])), tf.constant([12, 4])))
""",
    "tensor": """\
st = tf.sparse.SparseTensor([[0,1],[1,0],[1,2]], [1.,-2.,3.], [2,3])
print(st.shape, st.dtype, st.get_shape(), st.indices.dtype, st.dense_shape)
print(st.with_values([4., 5., 6.]))
print(tf.sparse.SparseTensor.from_value(st) is st)
print(st._type_spec, tf.SparseTensorSpec([None, 3], tf.int32))
print(tf.SparseTensorSpec([2, 3]).is_compatible_with(st), tf.SparseTensorSpec([None, 3]).is_compatible_with(st))
print(tf.SparseTensorSpec([2, 3]) == tf.SparseTensorSpec([2, 3]), tf.SparseTensorSpec.from_value(st))
print(st.consumers())
#--
st.with_values([1.])
#--
tf.sparse.SparseTensor([0, 1], [1.], [2])
#--
tf.sparse.SparseTensor([[0]], [[1.]], [2])
#--
tf.sparse.SparseTensor([[0]], [1.], [[2]])
#--
tf.sparse.SparseTensor([[0.5]], [1.], [2])
#--
print(tf.sparse.SparseTensor(tf.constant([[0]], tf.int64), tf.constant(["a"]), [2]))
print(tf.sparse.to_dense(tf.sparse.SparseTensor([[1]], ["a"], [3])))
print(tf.sparse.to_dense(tf.sparse.SparseTensor([[1]], [True], [3])))
print(tf.sparse.to_dense(tf.sparse.SparseTensor([[1]], [2], [3]), default_value=-1))
#--
print(tf.sparse.from_dense(tf.constant([["a", ""], ["", "b"]])))
#--
tf.sparse.from_dense(5)
#--
print(tf.sparse.SparseTensor([[0,0]], [6], [1, 2]) / tf.constant([4]))
print(tf.sparse.SparseTensor([[0,0]], [-7], [1, 2]) / tf.constant([2]))
#--
tf.sparse.add(tf.constant([1]), tf.constant([2]))
#--
print(tf.sparse.add(tf.sparse.SparseTensor([[0,0]], [1], [1,2]), tf.sparse.SparseTensor([[0,1]], [2], [1,2]), threshold=5))
#--
print(tf.sparse.reduce_sum(st, axis=[0, 1], keepdims=True, output_is_sparse=True))
print(tf.sparse.reduce_max(tf.sparse.SparseTensor([[0,1,0],[1,0,1],[1,0,0]], [1,-2,7], [2,3,2]), axis=[0, 2]))
print(tf.sparse.reduce_sum(tf.sparse.SparseTensor([[0,1,0],[1,0,1],[1,0,0]], [1,-2,7], [2,3,2]), axis=-2, output_is_sparse=True))
#--
print(tf.sparse.transpose(tf.sparse.SparseTensor([[0,1,0],[1,0,1],[1,2,0]], [1,-2,7], [2,3,2]), [1, 2, 0]))
print(tf.sparse.expand_dims(st, -1), tf.sparse.expand_dims(st, 0).shape)
print(tf.sparse.eye(2, 3, dtype=tf.int32))
#--
tf.sparse.reset_shape(st, [1, 3])
#--
tf.sparse.retain(st, [True, False])
#--
print(tf.sparse.split(sp_input=tf.sparse.SparseTensor([[0,0],[1,3],[2,4],[0,4]], [1,2,3,4], [3,5]), num_split=3, axis=1))
#--
print(tf.sparse.concat(-1, [st, st], expand_nonconcat_dims=True))
print(tf.sparse.concat(0, [st]))
""",
    "cross": """\
a = tf.sparse.SparseTensor([[0,0],[0,1],[1,0]], ['a','b','c'], [2,2])
b = tf.constant([['x','y'],['z','w']])
c = tf.sparse.SparseTensor(tf.constant([[0,0],[1,0],[1,1]], tf.int64), tf.constant([1,2,3], tf.int64), [2,3])
print(tf.sparse.cross([a, b]))
print(tf.sparse.cross([a, c], separator='|'))
print(tf.sparse.cross([c, a]))
print(tf.sparse.cross([a, b, c]))
#--
print(tf.sparse.cross_hashed([a, b], num_buckets=100))
print(tf.sparse.cross_hashed([a, b]))
#--
print(tf.sparse.cross_hashed([a, c], num_buckets=10, hash_key=7))
print(tf.sparse.cross_hashed([c, c]))
""",
    "dispatch": """\
st = tf.sparse.SparseTensor([[0,1],[1,0]], [0.25,-0.5], [2,3])
for f in [tf.math.abs, tf.math.negative, tf.math.sign, tf.math.square, tf.math.sin, tf.math.asin, tf.math.atan, tf.math.tan, tf.math.atanh, tf.abs, tf.negative, tf.sign, tf.square, tf.identity]:
  print(f(st))
print(tf.math.sqrt(tf.math.abs(st)).values, tf.sqrt(tf.abs(st)).values)
print(tf.cast(st, tf.int32), tf.shape(st), tf.size(st), tf.rank(st), tf.shape(st, out_type=tf.int64))
""",
    "sampled_addmm": """\
import numpy as np
print(tf.sparse.sampled_addmm(tf.constant([0, 0, 1, 1], shape=[2, 2]), tf.constant([0.5, 0.3]), tf.constant([2, 2]), tf.constant([1, 2, 3, 4, 5, 6], shape=[2, 3], dtype=tf.float32), tf.constant([7, 8, 9, 10, 11, 12], shape=[3, 2], dtype=tf.float32), alpha=0.75, beta=0.25))
indices = tf.constant([0, 1, 1, 0, 0, 0, 1, 0], shape=[2, 2, 2])
print(tf.sparse.sampled_addmm(indices, tf.constant([3, 5, 2, 7], shape=[2, 2], dtype=tf.float32), tf.constant([2, 2]), tf.constant(np.arange(1, 13), shape=[2, 2, 3], dtype=tf.float32), tf.constant(np.arange(13, 25), shape=[2, 3, 2], dtype=tf.float32), alpha=0.75, beta=0.25))
#--
tf.sparse.sampled_addmm([[0, 0]], [1.], [3, 3], tf.ones([2, 2]), tf.ones([2, 2]))
""",
}


def run_program(lib, source: str) -> list[str]:
    """The lines ``source`` prints with ``tf`` bound to ``lib``, an error printed as its type and message."""
    out = io.StringIO()
    scope = {"tf": lib}
    with contextlib.redirect_stdout(out):
        for i, block in enumerate(source.split("\n#--\n")):
            try:
                exec(block, scope)
            except Exception as e:  # noqa: BLE001 - the error is the output compared
                print(f"[{i}] {type(e).__name__}: {e}")
    return out.getvalue().splitlines()


@pytest.mark.parametrize("program", sorted(PROGRAMS))
def test_program_prints_what_tensorflow_prints(tf_oracle, program: str) -> None:
    ours, theirs = run_program(ff, PROGRAMS[program]), run_program(tf_oracle, PROGRAMS[program])
    assert ours == theirs


def test_sparse_times_sparse_is_refused_as_tensorflow_refuses_it() -> None:
    st = ff.sparse.SparseTensor([[0, 1]], [1.0], [2, 3])
    with pytest.raises(ValueError, match=r"^Attempt to convert a value \(SparseTensor\(indices="):
        st * st
