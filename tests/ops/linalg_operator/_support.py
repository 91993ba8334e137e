"""Shared by the LinearOperator tests: build the same operator in TF and featherflow, and compare every method."""

from __future__ import annotations

from functools import partial
from typing import Any, Callable

import numpy as np

import featherflow as ff

RTOL = {np.float32: 1e-4, np.float64: 1e-9, np.complex64: 1e-4, np.complex128: 1e-9}


def rand(rng: np.random.RandomState, shape: tuple, dtype: Any) -> np.ndarray:
    x = rng.uniform(-1.0, 1.0, shape)
    if np.dtype(dtype).kind == "c":
        x = x + 1j * rng.uniform(-1.0, 1.0, shape)
    return x.astype(dtype)


def pd(rng: np.random.RandomState, shape: tuple, dtype: Any) -> np.ndarray:
    """A well-conditioned Hermitian positive definite [batch] matrix."""
    a = rand(rng, shape, dtype)
    n = shape[-1]
    return (a @ np.conj(np.swapaxes(a, -1, -2)) + n * np.eye(n)).astype(dtype)


def well_conditioned(rng: np.random.RandomState, shape: tuple, dtype: Any) -> np.ndarray:
    return (rand(rng, shape, dtype) + 3 * np.eye(shape[-1], shape[-2]).T).astype(dtype)


def _value(x: Any) -> Any:
    return x.numpy() if hasattr(x, "numpy") else np.asarray(x)


def close(ours: Any, want: Any, rtol: float) -> None:
    ours, want = _value(ours), _value(want)
    assert ours.shape == want.shape, (ours.shape, want.shape)
    assert ours.dtype == want.dtype, (ours.dtype, want.dtype)
    np.testing.assert_allclose(ours, want, rtol=rtol, atol=rtol)


def same_outcome(ours: Callable, want: Callable, rtol: float) -> None:
    """Both return close values, or both raise the same exception type with the same message."""
    try:
        expected = want()
    except RecursionError:
        # TF's LinearOperatorLowRankUpdate.assert_self_adjoint recurses without end: ours must answer (pass, or
        # raise the dense check's InvalidArgumentError)
        try:
            ours()
        except ff.errors.InvalidArgumentError as o:
            assert str(o).startswith("Matrix was not equal to its adjoint.")
        return
    except Exception as e:  # noqa: BLE001 - whatever TF raises, featherflow must raise alike
        try:
            ours()
        except Exception as o:  # noqa: BLE001
            assert type(o).__name__ == type(e).__name__, (o, e)
            assert str(o).split("\n")[0] == str(e).split("\n")[0], (str(o), str(e))
            return
        raise AssertionError(f"TF raised {type(e).__name__}: {e}; featherflow did not") from None
    got = ours()
    if isinstance(expected, (tuple, list)):
        for a, b in zip(got, expected):
            close(a, b, rtol)
    else:
        close(got, expected, rtol)


def _arg(rng: np.random.RandomState, op: Any, dtype: Any, adjoint: bool, adjoint_arg: bool, vec: bool = False,
         solve: bool = False) -> np.ndarray:
    m, n = op.shape.as_list()[-2:]
    rows = (n if not adjoint else m) if not solve else (m if not adjoint else n)
    batch = op.batch_shape.as_list()
    if vec:
        return rand(rng, tuple(batch) + (rows,), dtype)
    return rand(rng, tuple(batch) + ((2, rows) if adjoint_arg else (rows, 2)), dtype)


def compare_operator(ours: Any, want: Any, dtype: Any, seed: int = 0) -> None:
    """Every property and method of ``ours`` against TF's ``want``."""
    rtol = RTOL[np.dtype(dtype).type]
    rng = np.random.RandomState(seed)
    assert ours.shape.as_list() == want.shape.as_list()
    assert ours.batch_shape.as_list() == want.batch_shape.as_list()
    assert ours.domain_dimension == want.domain_dimension and ours.range_dimension == want.range_dimension
    assert ours.tensor_rank == want.tensor_rank
    assert ours.dtype.name == want.dtype.name
    assert ours.name == want.name
    for hint in ("is_non_singular", "is_self_adjoint", "is_positive_definite", "is_square"):
        assert getattr(ours, hint) == getattr(want, hint), hint
    for method in ("shape_tensor", "batch_shape_tensor", "domain_dimension_tensor", "range_dimension_tensor",
                   "tensor_rank_tensor"):
        np.testing.assert_array_equal(_value(getattr(ours, method)()), _value(getattr(want, method)()))
    methods = ["to_dense", "diag_part", "trace", "determinant", "log_abs_determinant", "eigvals", "cond"]
    svd_based = np.dtype(dtype).kind == "c" and not want.is_self_adjoint
    if svd_based:
        # TF's svd gives complex singular values for complex input, so TF's dense cond (and its dense
        # assert_non_singular) raise (Max has no complex kernel); featherflow's svd gives real ones: a difference
        # of tf.linalg.svd, not of the operators
        methods.remove("cond")
    for method in methods:
        same_outcome(getattr(ours, method), getattr(want, method), rtol)
    for adjoint in (False, True):
        for adjoint_arg in (False, True):
            x = _arg(rng, want, dtype, adjoint, adjoint_arg)
            same_outcome(partial(ours.matmul, x, adjoint=adjoint, adjoint_arg=adjoint_arg),
                         partial(want.matmul, x, adjoint=adjoint, adjoint_arg=adjoint_arg), rtol)
            r = _arg(rng, want, dtype, adjoint, adjoint_arg, solve=True)
            same_outcome(partial(ours.solve, r, adjoint=adjoint, adjoint_arg=adjoint_arg),
                         partial(want.solve, r, adjoint=adjoint, adjoint_arg=adjoint_arg), rtol * 100)
        v = _arg(rng, want, dtype, adjoint, False, vec=True)
        same_outcome(partial(ours.matvec, v, adjoint=adjoint), partial(want.matvec, v, adjoint=adjoint), rtol)
        w = _arg(rng, want, dtype, adjoint, False, vec=True, solve=True)
        same_outcome(partial(ours.solvevec, w, adjoint=adjoint), partial(want.solvevec, w, adjoint=adjoint),
                     rtol * 100)
    t = rand(rng, tuple(want.shape.as_list()), dtype)
    # tensors, not NumPy: TF's LinearOperatorZeros.add_to_tensor reads ``.shape.ndims`` of its argument unconverted
    same_outcome(lambda: ours.add_to_tensor(ff.constant(t)), lambda: want.add_to_tensor(_tf().constant(t)), rtol)
    same_outcome(lambda: ours.adjoint().to_dense(), lambda: want.adjoint().to_dense(), rtol)
    same_outcome(lambda: ours.inverse().to_dense(), lambda: want.inverse().to_dense(), rtol * 100)
    same_outcome(lambda: ours.cholesky().to_dense(), lambda: want.cholesky().to_dense(), rtol * 100)
    for method in ("assert_non_singular", "assert_self_adjoint", "assert_positive_definite"):
        if svd_based and method == "assert_non_singular" and _tf_svd_max_fails(want):
            continue
        same_outcome(partial(_passes, getattr(ours, method)), partial(_passes, getattr(want, method)), rtol)
    # the wrong dtype and the wrong dimension: TF's TypeError / ValueError
    other = np.complex128 if np.dtype(dtype).kind == "f" else np.float64
    bad = rand(rng, tuple(want.batch_shape.as_list()) + (want.shape[-1], 1), other)
    same_outcome(partial(ours.matmul, bad), partial(want.matmul, bad), rtol)
    wrong = rand(rng, (want.shape[-1] + 1, 1), dtype)
    same_outcome(partial(ours.matmul, wrong), partial(want.matmul, wrong), rtol)


def _passes(check: Callable) -> np.ndarray:
    """Eager asserts return None (or a no-op) when they pass: both sides give the same empty marker."""
    check()
    return np.zeros(0)


def _tf() -> Any:
    import tensorflow

    return tensorflow


def _tf_svd_max_fails(want: Any) -> bool:
    """True when TF's dense check fails on its complex singular values (see ``svd_based``)."""
    try:
        want.assert_non_singular()
    except _tf().errors.InvalidArgumentError as e:
        return "[Op:Max]" in str(e)
    return False
