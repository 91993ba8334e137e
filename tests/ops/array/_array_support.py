"""Helpers for the array op tests: run one program under featherflow and under real TensorFlow and compare
values, dtypes, shapes, error types, and gradients (numerical and TF's)."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np
from hypothesis import strategies as st

import featherflow as ff

SIGNED = ["int8", "int16", "int32", "int64"]
UNSIGNED = ["uint8", "uint16", "uint32", "uint64"]
FLOATS = ["float16", "float32", "float64"]
COMPLEX = ["complex64", "complex128"]
NUMERIC = SIGNED + UNSIGNED + FLOATS + COMPLEX + ["bfloat16"]
ALL = NUMERIC + ["bool"]


def shapes(min_dims: int = 0, max_dims: int = 4, min_side: int = 0, max_side: int = 4) -> st.SearchStrategy:
    return st.lists(st.integers(min_side, max_side), min_size=min_dims, max_size=max_dims).map(tuple)


def values(dtype: str, shape: tuple, rng: np.random.Generator) -> np.ndarray:
    """Small exact values of ``dtype`` (bfloat16 as float32, converted by ``const``)."""
    if dtype == "bool":
        return rng.random(shape) < 0.5
    if dtype.startswith("uint"):
        return rng.integers(0, 100, shape).astype(dtype)
    if dtype.startswith("int"):
        return rng.integers(-50, 50, shape).astype(dtype)
    if dtype.startswith("complex"):
        return (rng.integers(-8, 8, shape) + 1j * rng.integers(-8, 8, shape)).astype(dtype) / 4
    return (rng.integers(-64, 64, shape) / 8).astype("float32" if dtype == "bfloat16" else dtype)


def const(mod: Any, array: Any, dtype: str | None = None) -> Any:
    """``array`` as a tensor of module ``mod`` (featherflow or tensorflow); bfloat16 goes through float32."""
    if dtype == "bfloat16":
        return mod.cast(mod.constant(np.asarray(array, np.float32)), mod.bfloat16)
    return mod.constant(array)


def as_numpy(value: Any) -> Any:
    """Outputs (tensors, lists, namedtuples, shapes) as NumPy values, recursively."""
    if isinstance(value, (list, tuple)):
        return [as_numpy(v) for v in value]
    if hasattr(value, "as_list"):
        return value.as_list() if value.rank is not None else None
    if hasattr(value, "numpy"):
        out = np.asarray(value.numpy())
        return out.astype(np.float32) if out.dtype.name == "bfloat16" else out
    return value


def dtype_names(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return [dtype_names(v) for v in value]
    return getattr(getattr(value, "dtype", None), "name", None)


def assert_same(a: Any, b: Any, exact: bool = True) -> None:
    """Same structure, shapes, dtypes and values (NaN equal to NaN)."""
    na, nb = as_numpy(a), as_numpy(b)
    assert dtype_names(a) == dtype_names(b), (dtype_names(a), dtype_names(b))
    _compare(na, nb, exact)


def _compare(a: Any, b: Any, exact: bool) -> None:
    if isinstance(a, list):
        assert isinstance(b, list) and len(a) == len(b), (a, b)
        for x, y in zip(a, b):
            _compare(x, y, exact)
        return
    if isinstance(a, np.ndarray):
        assert a.shape == np.shape(b), (a.shape, np.shape(b))
        if exact or a.dtype.kind not in "fc":
            np.testing.assert_array_equal(a, b)
        else:
            np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)
        return
    assert a == b, (a, b)


def run(mod: Any, fn: Callable, arrays: list, dtypes: list) -> Any:
    return fn(mod, *[const(mod, a, d) for a, d in zip(arrays, dtypes)])


def outcome(mod: Any, fn: Callable, *args: Any) -> tuple:
    """(result, None) or (None, exception) of ``fn(mod, *args)``."""
    try:
        return fn(mod, *args), None
    except Exception as e:  # noqa: BLE001 - the test compares what each library raises
        return None, e


def core_message(e: Exception) -> str:
    """An error's message without TF's eager suffixes and prefixes (device, node name)."""
    text = getattr(e, "message", None) or str(e)
    text = text.split(" [Op:")[0].split("\n\t; NodeDef")[0]  # (we do not spell out the op's signature)
    if text.startswith("{{function_node"):
        text = text.split("}} ", 1)[1]
    return text


def assert_same_outcome(tf: Any, fn: Callable, *args: Any, message: bool = False, exact: bool = True) -> Any:
    """The same values, or the same error type (and core message when asked) under both libraries."""
    ours, our_error = outcome(ff, fn, *args)
    theirs, their_error = outcome(tf, fn, *args)
    if their_error is not None or our_error is not None:
        assert our_error is not None, f"TF raised {their_error!r}, featherflow returned {ours!r}"
        assert their_error is not None, f"featherflow raised {our_error!r}, TF returned {theirs!r}"
        assert type(our_error).__name__ == type(their_error).__name__, (our_error, their_error)
        if message:
            assert core_message(our_error) == core_message(their_error), (str(our_error), str(their_error))
        return None
    assert_same(ours, theirs, exact)
    return ours


# --- gradients -------------------------------------------------------------------------------------


def tape_gradient(mod: Any, fn: Callable, xs: list, weights: Any) -> list:
    """d sum(w * fn(*xs)) / d xs under ``mod`` (outputs that are lists are weighted one by one)."""
    sources = [mod.constant(x) for x in xs]
    with mod.GradientTape() as tape:
        for s in sources:
            tape.watch(s)
        out = fn(mod, *sources)
        loss = _weighted(mod, out, weights)
    return [None if g is None else np.asarray(mod.convert_to_tensor(g).numpy()) for g in tape.gradient(loss, sources)]


def _weighted(mod: Any, out: Any, weights: Any) -> Any:
    if isinstance(out, (list, tuple)):
        total = None
        for o, w in zip(out, weights):
            part = _weighted(mod, o, w)
            total = part if total is None else total + part
        return total
    return mod.reduce_sum(out * mod.constant(weights))


def output_weights(fn: Callable, xs: list, rng: np.random.Generator) -> Any:
    out = fn(ff, *[ff.constant(x) for x in xs])

    def make(o: Any) -> Any:
        if isinstance(o, (list, tuple)):
            return [make(v) for v in o]
        return rng.standard_normal(tuple(o.shape)).astype(o.dtype.as_numpy_dtype)

    return make(out)


def numerical_gradient(fn: Callable, xs: list, weights: Any, eps: float = 1e-6) -> list:
    """Central differences of sum(w * fn(*xs)) in float64."""

    def loss(args: list) -> float:
        out = as_numpy(fn(ff, *[ff.constant(a) for a in args]))
        return _dot(out, weights)

    grads = []
    for i, x in enumerate(xs):
        g = np.zeros_like(x)
        flat = g.reshape(-1)
        for j in range(x.size):
            plus = [a.copy() for a in xs]
            minus = [a.copy() for a in xs]
            plus[i].reshape(-1)[j] += eps
            minus[i].reshape(-1)[j] -= eps
            flat[j] = (loss(plus) - loss(minus)) / (2 * eps)
        grads.append(g)
    return grads


def _dot(out: Any, weights: Any) -> float:
    if isinstance(out, list):
        return sum(_dot(o, w) for o, w in zip(out, weights))
    return float(np.sum(np.asarray(out, np.float64) * weights))


SORTABLE_TYPES = SIGNED + UNSIGNED + FLOATS
