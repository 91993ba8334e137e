"""tf.raw_ops' explicit wrappers (ops with attrs) against real TF: names, signatures, values, dtypes, errors."""

import inspect

import numpy as np
import pytest

import featherflow as ff
from featherflow.raw_ops._wrappers import EXPLICIT

M = [[1.0, 2.0], [3.0, 4.0]]
IM = np.arange(2 * 3 * 4 * 2, dtype=np.float32).reshape(2, 3, 4, 2)
F = np.arange(2 * 2 * 2 * 3, dtype=np.float32).reshape(2, 2, 2, 3) / 10

# (op, kwargs): each run under both libraries; the results (or the errors) must agree
CASES = [
    ("Bucketize", dict(input=[[1.0, 5.0], [10.0, -3.0]], boundaries=[2.0, 6.0])),
    ("Bucketize", dict(input=[1, 2, 6, 7], boundaries=[2.0, 6.0])),
    ("Bucketize", dict(input=np.array([1, 2, 6, 7], np.int64), boundaries=[2, 6])),
    ("Bucketize", dict(input=np.array([1.5, 2.0], np.float64), boundaries=[])),
    ("Bucketize", dict(input=5.0, boundaries=[2.0])),
    ("Bucketize", dict(input=[1, 2, 6, 7], boundaries=[6.0, 2.0])),
    ("Bucketize", dict(input=[1.0], boundaries=2.0)),
    ("Bucketize", dict(input=[1.0], boundaries=[1.0, "a"])),
    ("Bucketize", dict(input=np.array([1, 2], np.int8), boundaries=[2.0])),
    ("UniqueV2", dict(x=[3, 1, 3, 2], axis=[0])),
    ("UniqueV2", dict(x=[3.0, 1.0, 3.0], axis=np.array([], np.int64))),
    ("UniqueV2", dict(x=[1.0, np.nan, np.nan, 1.0], axis=[0])),
    ("UniqueV2", dict(x=[[1, 0, 1], [1, 0, 1], [2, 0, 2]], axis=[1])),
    ("UniqueV2", dict(x=[[1, 0, 1], [1, 0, 1], [2, 0, 2]], axis=[0], out_idx=ff.int64)),
    ("UniqueV2", dict(x=[[1, 0, 1], [1, 0, 1], [2, 0, 2]], axis=[-1])),
    ("UniqueV2", dict(x=[[1, 0, 1], [1, 0, 1], [2, 0, 2]], axis=[2])),
    ("UniqueV2", dict(x=[[1, 0, 1], [1, 0, 1], [2, 0, 2]], axis=[0, 1])),
    ("UniqueV2", dict(x=[[1, 0, 1], [1, 0, 1], [2, 0, 2]], axis=np.array([], np.int32))),
    ("UniqueV2", dict(x=[1, 2], axis=[0.0])),
    ("UniqueV2", dict(x=[1, 2], axis=[0], out_idx=ff.float32)),
    ("UniqueV2", dict(x=np.zeros([2, 0], np.float32), axis=[1])),
    ("UniqueV2", dict(x=np.zeros([0, 3], np.float32), axis=[0])),
    ("UniqueV2", dict(x=["a", "b", "a"], axis=[0])),
    ("UniqueV2", dict(x=np.zeros([3, 0], np.float32), axis=[0])),
    ("UniqueV2", dict(x=np.zeros([0, 3], np.float32), axis=[1])),
    ("UniqueWithCountsV2", dict(x=[[1, 0, 1], [1, 0, 1], [2, 0, 2]], axis=[1], out_idx=ff.int64)),
    ("UniqueWithCountsV2", dict(x=[[[1, 2], [1, 2]], [[0, 0], [1, 2]]], axis=[1])),
    ("UniqueWithCountsV2", dict(x=[[[1, 2], [1, 2]], [[1, 2], [1, 2]]], axis=[2])),
    ("UniqueWithCountsV2", dict(x=[5, 5, 4, 5], axis=[0])),
    ("MatMul", dict(a=M, b=M, transpose_a=True)),
    ("MatMul", dict(a=M, b=[[1.0], [2.0]])),
    ("MatMul", dict(a=[[1, 2]], b=[[1.0], [2.0]])),
    ("MatMul", dict(a=np.ones([2, 3], np.float32), b=np.ones([2, 2], np.float32))),
    ("MatMul", dict(a=np.ones([2, 2, 2], np.float64), b=np.ones([2, 2, 2], np.float64))),
    ("Range", dict(start=0, limit=5.5, delta=1)),
    ("Range", dict(start=ff.constant(0.5), limit=2, delta=0.5)),
    ("BatchMatMulV2", dict(x=np.ones([2, 2, 3], np.float32), y=np.ones([3, 4], np.float32), adj_x=False)),
    ("BatchMatMulV2", dict(x=np.ones([2, 3, 2], np.float32), y=np.ones([2, 3, 4], np.float32), adj_x=True)),
    ("Cast", dict(x=[1.5, -2.5], DstT=ff.int32)),
    ("Cast", dict(x=[1, 0], DstT=ff.bool)),
    ("Reshape", dict(tensor=np.arange(6), shape=[3, -1])),
    ("Reshape", dict(tensor=np.arange(6), shape=[4, -1])),
    ("Transpose", dict(x=np.arange(6).reshape(2, 3), perm=[1, 0])),
    ("ConcatV2", dict(values=[[1, 2], [3]], axis=0)),
    ("Pack", dict(values=[[1, 2], [3, 4]], axis=1)),
    ("Sum", dict(input=[[1, 2], [3, 4]], axis=1, keep_dims=True)),
    ("Sum", dict(input=[[1, 2], [3, 4]], axis=[])),
    ("Mean", dict(input=[[1, 2], [3, 4]], axis=0)),
    ("Max", dict(input=M, axis=[0, 1])),
    ("Min", dict(input=M, axis=-1, keep_dims=True)),
    ("Prod", dict(input=M, axis=0)),
    ("All", dict(input=[[True, False], [True, True]], axis=1)),
    ("Any", dict(input=[[True, False], [False, False]], axis=1, keep_dims=True)),
    ("ArgMax", dict(input=[[1, 5], [3, 4]], dimension=1)),
    ("ArgMax", dict(input=[[1, 5], [3, 4]], dimension=0, output_type=ff.int32)),
    ("ArgMin", dict(input=[[1, 5], [3, 4]], dimension=1)),
    ("Softmax", dict(logits=M)),
    ("LogSoftmax", dict(logits=M)),
    ("LeakyRelu", dict(features=[-1.0, 2.0], alpha=0.1)),
    ("BiasAdd", dict(value=IM, bias=[1.0, 2.0])),
    ("BiasAdd", dict(value=IM, bias=[1.0, 2.0, 3.0], data_format="NCHW")),
    ("Conv2D", dict(input=IM, filter=F, strides=[1, 1, 1, 1], padding="SAME")),
    ("Conv2D", dict(input=IM, filter=F, strides=[1, 2, 1, 1], padding="VALID")),
    ("Conv2D", dict(input=IM, filter=F, strides=[1, 1, 1, 1], padding="EXPLICIT",
                    explicit_paddings=[0, 0, 1, 0, 0, 1, 0, 0])),
    ("Fill", dict(dims=[2, 3], value=7.0)),
    ("Range", dict(start=0, limit=5, delta=2)),
    ("Range", dict(start=0.5, limit=2.0, delta=0.5)),
    ("StridedSlice", dict(input=np.arange(12).reshape(3, 4), begin=[0, 1], end=[3, 4], strides=[2, 1])),
    ("StridedSlice", dict(input=np.arange(12).reshape(3, 4), begin=[1, 0], end=[2, 0], strides=[1, 1],
                          end_mask=2, shrink_axis_mask=1)),
    ("Slice", dict(input=np.arange(12).reshape(3, 4), begin=[1, 1], size=[-1, 2])),
    ("Select", dict(condition=[True, False], x=[1, 2], y=[3, 4])),
    ("Select", dict(condition=[True, False], x=[[1, 2], [5, 6]], y=[[3, 4], [7, 8]])),
    ("SelectV2", dict(condition=[True, False], t=[[1, 2], [5, 6]], e=0)),
    ("GatherV2", dict(params=[[1, 2], [3, 4]], indices=[1, 0, 1], axis=0)),
    ("GatherV2", dict(params=[[1, 2], [3, 4]], indices=[[1], [0]], axis=1, batch_dims=1)),
    ("GatherV2", dict(params=[1, 2, 3], indices=[5], axis=0)),
    ("AddN", dict(inputs=[[1, 2], [3, 4], [5, 6]])),
    ("Shape", dict(input=IM)),
    ("Shape", dict(input=IM, out_type=ff.int64)),
    ("ExpandDims", dict(input=[1, 2], axis=-1)),
    ("Squeeze", dict(input=np.ones([1, 2, 1]))),
    ("Squeeze", dict(input=np.ones([1, 2, 1]), axis=[2])),
    ("Tile", dict(input=[[1, 2]], multiples=[2, 2])),
    ("Pad", dict(input=[[1, 2]], paddings=[[1, 0], [0, 2]])),
    ("OneHot", dict(indices=[0, 2, -1], depth=3, on_value=5.0, off_value=0.0)),
    ("OneHot", dict(indices=[0, 2], depth=3, on_value=1, off_value=0, axis=0)),
    ("Cumsum", dict(x=[1, 2, 3], axis=0, exclusive=True, reverse=True)),
]


def _run(lib, op, kwargs):
    def native(v):
        if isinstance(v, ff.DType):
            return getattr(lib, v.name)
        return lib.constant(v.numpy()) if isinstance(v, ff.Tensor) else v

    kwargs = {k: native(v) for k, v in kwargs.items()}
    return getattr(lib.raw_ops, op)(**kwargs)


def _same(mine, theirs):
    if isinstance(theirs, tuple):
        assert type(mine).__name__ == type(theirs).__name__ and type(mine)._fields == type(theirs)._fields
        for m, t in zip(mine, theirs):
            _same(m, t)
        return
    assert mine.dtype.name == theirs.dtype.name and mine.shape == theirs.shape
    m, t = mine.numpy(), theirs.numpy()
    if m.dtype == object:
        assert m.tolist() == t.tolist()
    else:
        np.testing.assert_allclose(m, t, rtol=1e-6, equal_nan=True)


@pytest.mark.parametrize("op, kwargs", CASES, ids=[f"{op}-{i}" for i, (op, _) in enumerate(CASES)])
def test_matches_tf(op, kwargs, tf_oracle):
    try:
        theirs = _run(tf_oracle, op, kwargs)
    except Exception as e:  # noqa: BLE001 (TF's error is the expectation)
        with pytest.raises(Exception) as mine:
            _run(ff, op, kwargs)
        assert type(mine.value).__name__ == type(e).__name__, (str(mine.value), str(e))
        if isinstance(e, (tf_oracle.errors.InvalidArgumentError, TypeError)):
            assert str(mine.value) == str(e)
        return
    _same(_run(ff, op, kwargs), theirs)


@pytest.mark.parametrize("name", sorted(EXPLICIT))
def test_name_and_signature_are_tfs(name, tf_oracle):
    mine, theirs = getattr(ff.raw_ops, name), getattr(tf_oracle.raw_ops, name)
    assert mine.__name__ == theirs.__name__
    mine_sig, their_sig = inspect.signature(mine).parameters, inspect.signature(theirs).parameters
    assert list(mine_sig) == list(their_sig)
    for p in their_sig:  # the same defaults (dtypes by name)
        d1, d2 = mine_sig[p].default, their_sig[p].default
        assert (getattr(d1, "name", d1) == getattr(d2, "name", d2)) or (list(d1) == list(d2)), p


@pytest.mark.parametrize("name", ["UniqueV2", "Bucketize", "ImageProjectiveTransformV3", "ReadVariableOp"])
def test_positional_arguments_raise_tfs_type_error(name, tf_oracle):
    with pytest.raises(TypeError) as theirs:
        getattr(tf_oracle.raw_ops, name)([1])
    with pytest.raises(TypeError) as mine:
        getattr(ff.raw_ops, name)([1])
    assert str(mine.value) == str(theirs.value)


def test_unique_results_are_tfs_named_tuples(tf_oracle):
    mine = ff.raw_ops.UniqueV2(x=[3, 1, 3], axis=[0])
    assert type(mine).__name__ == type(tf_oracle.raw_ops.UniqueV2(x=[3, 1, 3], axis=[0])).__name__ == "UniqueV2"
    assert mine.y.numpy().tolist() == [3, 1] and mine.idx.numpy().tolist() == [0, 1, 0]
    assert ff.raw_ops.UniqueWithCountsV2(x=[3, 1, 3], axis=[0]).count.numpy().tolist() == [2, 1]


def test_unique_and_bucketize_have_tfs_gradients(tf_oracle):
    x = ff.constant([1.0, 3.0])
    with ff.GradientTape() as tape:
        tape.watch(x)
        y = ff.cast(ff.raw_ops.Bucketize(input=x, boundaries=[2.0]), ff.float32)
    assert tape.gradient(y, x) is None
    with ff.GradientTape() as tape:
        tape.watch(x)
        y = ff.raw_ops.UniqueV2(x=x, axis=[0]).y
    with pytest.raises(LookupError, match="gradient registry has no entry for: UniqueV2"):
        tape.gradient(y, x)


@pytest.mark.usefixtures("device")
def test_unique_and_bucketize_on_the_device():
    x = ff.constant([[1, 0], [2, 0], [1, 0]])
    out = ff.raw_ops.UniqueWithCountsV2(x=x, axis=[0])
    assert out.y.device == x.device
    assert out.y.numpy().tolist() == [[1, 0], [2, 0]]
    assert out.idx.numpy().tolist() == [0, 1, 0] and out.count.numpy().tolist() == [2, 1]
    b = ff.raw_ops.Bucketize(input=ff.constant([1.0, 2.0, 7.0]), boundaries=[2.0, 6.0])
    assert b.device == x.device and b.numpy().tolist() == [0, 1, 2]


# --- resource variables ----------------------------------------------------------------------------


def _variable_ops(lib):
    v = lib.Variable([1.0, 2.0, 3.0])
    out = [lib.raw_ops.ReadVariableOp(resource=v.handle, dtype=lib.float32)]
    assert lib.raw_ops.AssignVariableOp(resource=v.handle, value=[4.0, 5.0, 6.0]) is None
    out.append(v.read_value())
    lib.raw_ops.AssignAddVariableOp(resource=v.handle, value=[1.0, 1.0, 1.0])
    lib.raw_ops.AssignSubVariableOp(resource=v.handle, value=[0.5, 0.5, 0.5])
    out.append(v.read_value())
    out.append(lib.raw_ops.ResourceGather(resource=v.handle, indices=[2, 0], dtype=lib.float32))
    return out


def test_variable_ops(tf_oracle):
    for m, t in zip(_variable_ops(ff), _variable_ops(tf_oracle)):
        _same(m, t)


@pytest.mark.parametrize("call", [
    lambda lib, v: lib.raw_ops.ReadVariableOp(resource=v.handle, dtype=lib.int32),
    lambda lib, v: lib.raw_ops.AssignVariableOp(resource=v.handle, value=[4, 5, 6]),
    lambda lib, v: lib.raw_ops.AssignAddVariableOp(resource=v.handle, value=[1.0, 1.0]),
    lambda lib, v: lib.raw_ops.AssignSubVariableOp(resource=v.handle, value=[1.0]),
])
def test_variable_op_errors(call, tf_oracle):
    with pytest.raises(tf_oracle.errors.InvalidArgumentError) as theirs:
        call(tf_oracle, tf_oracle.Variable([1.0, 2.0, 3.0]))
    with pytest.raises(ff.errors.InvalidArgumentError) as mine:
        call(ff, ff.Variable([1.0, 2.0, 3.0]))
    assert str(mine.value) == str(theirs.value)


@pytest.mark.usefixtures("device")
def test_variable_ops_on_the_device():
    v = ff.Variable([1.0, 2.0])
    ff.raw_ops.AssignAddVariableOp(resource=v.handle, value=ff.constant([1.0, 1.0]))
    out = ff.raw_ops.ReadVariableOp(resource=v.handle, dtype=ff.float32)
    assert out.device == v.device and out.numpy().tolist() == [2.0, 3.0]


def test_cudnn_rnn_has_no_kernel_as_in_a_tf_build_without_cudnn(tf_oracle) -> None:
    messages = []
    for lib in (ff, tf_oracle):
        with pytest.raises(lib.errors.NotFoundError) as info:
            lib.raw_ops.CudnnRNNV3(input=lib.zeros([2, 1, 3]), input_h=lib.zeros([1, 1, 4]),
                                   input_c=lib.zeros([1, 1, 4]), params=lib.zeros([100]),
                                   sequence_lengths=lib.constant([2]))
        messages.append(str(info.value))
    assert messages[0] == messages[1]
