"""Helpers for the linalg and nn op tests: run the same call under featherflow and real TensorFlow and compare
values, dtypes, shapes and errors; gradients against central differences (float64) and against TF's tape."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

import featherflow as ff
from featherflow.ops._kernel_errors import on_cpu


def resolve(mod: Any, path: str) -> Callable:
    """``"linalg.inv"`` -> ``mod.linalg.inv``."""
    obj = mod
    for part in path.split("."):
        obj = getattr(obj, part)
    return obj


def flat(value: Any) -> list:
    """Outputs (tensors, tuples, namedtuples) as a flat list of tensors."""
    if isinstance(value, (list, tuple)):
        return [t for v in value for t in flat(v)]
    return [value]


def to_np(t: Any) -> np.ndarray:
    a = np.asarray(t.numpy())
    return a.astype(np.float32) if a.dtype.name == "bfloat16" else a


def tolerance(dtype_name: str) -> float:
    # float64: libm and Eigen differ in the last bits of tanh, erf, exp...
    return {"float16": 2e-2, "bfloat16": 3e-2, "float32": 2e-4, "complex64": 2e-4}.get(dtype_name, 1e-7)


def run(mod: Any, path: str, args: tuple, kwargs: dict) -> Any:
    try:
        return resolve(mod, path)(*args, **kwargs)
    except Exception as e:  # noqa: BLE001 - the error is the result under comparison
        return e


def check_same(tf: Any, path: str, *args: Any, message: bool = True, rtol: float | None = None,
               atol: float = 1e-6, **kwargs: Any) -> Any:
    """Runs ``path(*args, **kwargs)`` under both libraries; the same error (type, and message unless
    ``message=False``) or the same structure, dtypes, shapes and values."""
    ours, theirs = run(ff, path, args, kwargs), run(tf, path, args, kwargs)
    if isinstance(theirs, Exception) or isinstance(ours, Exception):
        assert type(ours).__name__ == type(theirs).__name__, (path, ours, theirs)
        want = str(theirs)
        if not on_cpu():
            # the oracle runs on TF's CPU; on the simulated GPU, TF names the GPU in the kernel's error, and a
            # oneDNN kernel's text (``__Mkl...``), which only TF's CPU has, has no counterpart to compare
            message = message and "__Mkl" not in want
            want = want.replace("/device:CPU:0", "/device:GPU:0")
        if message:
            assert str(ours) == want, (path, str(ours), want)
        return ours
    assert type(ours).__name__ == type(theirs).__name__ or not isinstance(theirs, tuple), (ours, theirs)
    a, b = flat(ours), flat(theirs)
    assert len(a) == len(b), (path, len(a), len(b))
    for x, y in zip(a, b):
        assert x.dtype.name == y.dtype.name, (path, x.dtype, y.dtype)
        assert tuple(x.shape) == tuple(y.shape), (path, x.shape, y.shape)
        tol = rtol if rtol is not None else tolerance(y.dtype.name)
        np.testing.assert_allclose(to_np(x), to_np(y), rtol=tol, atol=atol if tol > 1e-8 else 1e-12,
                                   err_msg=path)
    return ours


def weights(shapes: list, seed: int = 7) -> list:
    rng = np.random.default_rng(seed)
    return [rng.standard_normal(s) for s in shapes]


def loss_of(mod: Any, outs: Any, ws: list) -> Any:
    """sum_i <w_i, real(out_i)>: a scalar touching every output."""
    total = None
    for o, w in zip(flat(outs), ws):
        o = mod.math.real(o) if o.dtype.is_complex else o
        term = mod.reduce_sum(o * mod.constant(w, dtype=o.dtype))
        total = term if total is None else total + term
    return total


def tape_grads(mod: Any, fn: Callable, arrays: list) -> list:
    xs = [mod.constant(a) for a in arrays]
    with mod.GradientTape() as tape:
        for x in xs:
            tape.watch(x)
        outs = fn(*xs)
        ws = weights([tuple(o.shape) for o in flat(outs)])
        loss = loss_of(mod, outs, ws)
    grads = tape.gradient(loss, xs)
    # TF's gather gradients are IndexedSlices: densify them
    return [None if g is None else np.asarray(mod.convert_to_tensor(g).numpy()) for g in grads]


def numeric_grads(fn: Callable, arrays: list, eps: float = 1e-6) -> list:
    """Central differences of the same scalar loss, per input element (float64)."""
    def value(values: list) -> float:
        outs = fn(*[ff.constant(v) for v in values])
        ws = weights([tuple(o.shape) for o in flat(outs)])
        return float(loss_of(ff, outs, ws).numpy())

    grads = []
    for i, a in enumerate(arrays):
        g = np.zeros_like(a)
        for idx in np.ndindex(a.shape):
            plus = [v.copy() for v in arrays]
            minus = [v.copy() for v in arrays]
            plus[i][idx] += eps
            minus[i][idx] -= eps
            g[idx] = (value(plus) - value(minus)) / (2 * eps)
        grads.append(g)
    return grads


def check_grad_numeric(fn: Callable, *arrays: np.ndarray, rtol: float = 1e-5, atol: float = 1e-6) -> None:
    arrays = [np.asarray(a, np.float64) for a in arrays]
    ours = tape_grads(ff, fn, arrays)
    num = numeric_grads(fn, arrays)
    for g, n in zip(ours, num):
        assert g is not None
        np.testing.assert_allclose(g, n, rtol=rtol, atol=atol)


def check_grad_tf(tf: Any, make: Callable, *arrays: np.ndarray, rtol: float = 1e-6, atol: float = 1e-8) -> None:
    """``make(mod)`` returns the function to differentiate; gradients must match TF's."""
    arrays = [np.asarray(a) for a in arrays]
    ours = tape_grads(ff, make(ff), arrays)
    theirs = tape_grads(tf, make(tf), arrays)
    for g, t in zip(ours, theirs):
        assert (g is None) == (t is None), (g, t)
        if g is not None:
            assert g.dtype == t.dtype
            np.testing.assert_allclose(g, t, rtol=rtol, atol=atol)
