"""tf.raw_ops' generic layer: every covered op's name and signature as TF's, and its results (or error type) on
small inputs as TF's."""

import inspect

import numpy as np
import pytest

import featherflow as ff
from featherflow.ops._contract import _BY_ENUM_NAME, Contract
from featherflow.ops.registry import OPS
from featherflow.raw_ops._generic import _parse, generic_names
from featherflow.raw_ops._wrappers import EXPLICIT

COVERED = sorted(generic_names(frozenset(EXPLICIT)))
# ops whose result is not a function of their inputs alone (the clock, the file system)
NONDETERMINISTIC = {"Timestamp", "MatchingFiles", "ReadFile"}
# inputs the generator below cannot make (a shape, a seed): checked by their own tests
SPECIAL = {"StatelessParameterizedTruncatedNormal"}
# the dtypes tried for a type attr, in order: the first that featherflow and TF both take
PREFERRED = ("float32", "float64", "int32", "int64", "bool", "complex64", "string", "uint8")


def test_covers_the_common_elementwise_ops():
    assert {"AddV2", "Mul", "Sub", "RealDiv", "Relu", "Exp", "Where", "Identity"} <= set(COVERED)
    assert len(COVERED) > 100


def test_dir_lists_generic_and_explicit_ops():
    names = dir(ff.raw_ops)
    assert set(COVERED) <= set(names)
    assert {"Bucketize", "UniqueV2", "ImageProjectiveTransformV3", "MatMul", "ReadVariableOp"} <= set(names)
    assert "Any" in names and "EXPLICIT" not in names


def test_missing_op_is_an_attribute_error():
    with pytest.raises(AttributeError, match="module 'featherflow.raw_ops' has no attribute 'NoSuchOp'"):
        ff.raw_ops.NoSuchOp  # noqa: B018


@pytest.mark.parametrize("name", COVERED)
def test_name_and_signature_are_tfs(name, tf_oracle):
    mine, theirs = getattr(ff.raw_ops, name), getattr(tf_oracle.raw_ops, name)
    assert mine.__name__ == theirs.__name__
    assert list(inspect.signature(mine).parameters) == list(inspect.signature(theirs).parameters)


def _dtype_for(name, attr):
    contract = Contract(OPS[name])
    accepted = contract.accepted.get(attr)
    for d in PREFERRED:
        dt = getattr(ff, d) if d != "string" else ff.string
        if accepted is None or dt in accepted:
            return d
    return None


def _value(dtype, rng, shape):
    if dtype == "bool":
        return rng.random(shape) < 0.5
    if dtype == "string":
        return np.array([b" a ", b"b", b"cc ", b"1", b"", b"x"] * 3, dtype=object)[:int(np.prod(shape))].reshape(shape)
    if dtype in ("int32", "int64", "uint8"):
        return rng.integers(1, 3, shape).astype(dtype)
    v = rng.uniform(0.1, 0.9, shape)
    return (v + 0.5j * v).astype(dtype) if dtype.startswith("complex") else v.astype(dtype)


# the shapes of the inputs: all (2, 3); all square; all scalars; the second not broadcasting with the first
SHAPES = {"matrix": lambda i: (2, 3), "square": lambda i: (3, 3), "scalar": lambda i: (),
          "mismatch": lambda i: (2, 3) if i == 0 else (3, 2)}


def _inputs(name, rng, shapes):
    inputs, attrs, _ = _parse(name)
    by_attr, values = {}, {}
    for i, (arg, attr) in enumerate(zip(inputs, attrs)):
        if attr.startswith("="):
            dt = _BY_ENUM_NAME[attr[1:]].name
        else:
            dt = by_attr.setdefault(attr, _dtype_for(name, attr))
        if dt is None:
            return None
        values[arg] = _value(dt, rng, SHAPES[shapes](i))
    return values


def _same(mine, theirs):
    if isinstance(theirs, tuple):
        assert type(mine).__name__ == type(theirs).__name__ and type(mine)._fields == type(theirs)._fields
        for m, t in zip(mine, theirs):
            _same(m, t)
        return
    assert mine.dtype.name == theirs.dtype.name
    assert mine.shape == theirs.shape
    m, t = mine.numpy(), theirs.numpy()
    if m.dtype == object:
        assert m.tolist() == t.tolist()
    else:
        np.testing.assert_allclose(m, t, rtol=2e-5, atol=1e-6, equal_nan=True)


@pytest.mark.parametrize("shapes", list(SHAPES))
@pytest.mark.parametrize("name", [n for n in COVERED if n not in NONDETERMINISTIC | SPECIAL])
def test_results_match_tf(name, shapes, tf_oracle):
    values = _inputs(name, np.random.default_rng(sum(map(ord, name))), shapes)
    if values is None:
        pytest.skip(f"no dtype both libraries take for {name}")
    try:
        theirs = getattr(tf_oracle.raw_ops, name)(**values)
    except Exception as e:  # noqa: BLE001 (TF's error, whatever its type, is the expectation)
        with pytest.raises(Exception) as info:
            getattr(ff.raw_ops, name)(**values)
        assert type(info.value).__name__ == type(e).__name__, (str(info.value), str(e))
        return
    _same(getattr(ff.raw_ops, name)(**values), theirs)


def test_positional_arguments_raise_tfs_type_error(tf_oracle):
    for lib in (ff, tf_oracle):
        with pytest.raises(TypeError) as info:
            lib.raw_ops.AddV2(1.0, 2.0)
        assert str(info.value) == ("add_v2 only takes keyword args (possible keys: ['x', 'y', 'name']). "
                                   "Please pass these args as kwargs instead.")


@pytest.mark.parametrize("kwargs", [{"x": 1}, {"x": 1, "y": 2, "z": 3}, {}])
def test_missing_and_unknown_arguments(kwargs, tf_oracle):
    with pytest.raises(TypeError) as theirs:
        tf_oracle.raw_ops.AddV2(**kwargs)
    with pytest.raises(TypeError) as mine:
        ff.raw_ops.AddV2(**kwargs)
    assert str(mine.value) == str(theirs.value)


@pytest.mark.parametrize("x, y", [(1, 2.5), (ff.constant(1), 2.0), (2.0, [1.5, 2.5])])
def test_conversion_follows_the_first_input(x, y, tf_oracle):
    def run(lib):
        tx = lib.constant(x.numpy()) if isinstance(x, ff.Tensor) else x
        return lib.raw_ops.AddV2(x=tx, y=y)

    try:
        theirs = run(tf_oracle)
    except Exception as e:  # noqa: BLE001
        with pytest.raises(type(e)) as mine:
            run(ff)
        assert str(mine.value) == str(e)
        return
    _same(run(ff), theirs)


def test_mismatched_tensors_raise_the_kernels_error(tf_oracle):
    with pytest.raises(tf_oracle.errors.InvalidArgumentError) as theirs:
        tf_oracle.raw_ops.AddV2(x=tf_oracle.constant(1), y=tf_oracle.constant(2.5))
    with pytest.raises(ff.errors.InvalidArgumentError) as mine:
        ff.raw_ops.AddV2(x=ff.constant(1), y=ff.constant(2.5))
    assert str(mine.value) == str(theirs.value)


@pytest.mark.usefixtures("device")
def test_generic_ops_run_on_the_current_device():
    out = ff.raw_ops.Mul(x=ff.constant([1.0, 2.0]), y=ff.constant([3.0, 4.0]))
    assert out.numpy().tolist() == [3.0, 8.0]
    assert out.device == ff.constant(0.0).device


def test_seeded_op_is_bit_exact_with_tf(tf_oracle):
    kwargs = dict(shape=[3], seed=[1, 2], means=0.5, stddevs=1.0, minvals=-1.0, maxvals=2.0)
    _same(ff.raw_ops.StatelessParameterizedTruncatedNormal(**kwargs),
          tf_oracle.raw_ops.StatelessParameterizedTruncatedNormal(**kwargs))


def test_generic_ops_are_recorded_by_the_tape(tf_oracle):
    grads = []
    for lib in (ff, tf_oracle):
        x = lib.constant([0.5, 2.0])
        with lib.GradientTape() as tape:
            tape.watch(x)
            y = lib.raw_ops.Mul(x=lib.raw_ops.Exp(x=x), y=x)
        grads.append(tape.gradient(y, x))
    _same(*grads)
