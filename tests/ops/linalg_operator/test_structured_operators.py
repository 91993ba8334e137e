"""LinearOperatorHouseholder, Permutation, Toeplitz, Tridiag and LowRankUpdate against real TF: every method's
values, shapes and dtypes, and their argument and hint errors."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pytest

import featherflow as ff

from ._support import compare_operator, pd, rand, same_outcome, well_conditioned

F64, C128 = np.float64, np.complex128


def _householder(rng: np.random.RandomState, dt: Any) -> Callable:
    v = rand(rng, (2, 4), dt)
    return lambda L: L.LinearOperatorHouseholder(v)


def _permutation(rng: np.random.RandomState, dt: Any) -> Callable:
    perm = np.array([[2, 0, 3, 1], [0, 1, 3, 2]])
    return lambda L: L.LinearOperatorPermutation(perm, dtype=dt)


def _toeplitz(rng: np.random.RandomState, dt: Any) -> Callable:
    col, row = rand(rng, (2, 4), dt), rand(rng, (4,), dt)
    col[..., 0] = row[0] = 4  # the first entries agree (TF reads the diagonal from col) and dominate
    return lambda L: L.LinearOperatorToeplitz(col, row)


def _tridiag_compact(rng: np.random.RandomState, dt: Any) -> Callable:
    d = rand(rng, (2, 3, 4), dt)
    d[..., 1, :] += 4
    return lambda L: L.LinearOperatorTridiag(d)


def _tridiag_sequence(rng: np.random.RandomState, dt: Any) -> Callable:
    sup, main, sub = rand(rng, (2, 4), dt), rand(rng, (2, 4), dt) + 4, rand(rng, (2, 4), dt)
    return lambda L: L.LinearOperatorTridiag([sup, main, sub], diagonals_format="sequence")


def _tridiag_matrix(rng: np.random.RandomState, dt: Any) -> Callable:
    m = well_conditioned(rng, (3, 3), dt) * (np.abs(np.subtract.outer(np.arange(3), np.arange(3))) <= 1)
    return lambda L: L.LinearOperatorTridiag(m.astype(dt), diagonals_format="matrix", is_non_singular=True)


def _low_rank(rng: np.random.RandomState, dt: Any) -> Callable:
    m, u, v, d = well_conditioned(rng, (3, 3), dt), rand(rng, (2, 3, 2), dt), rand(rng, (3, 2), dt), rand(
        rng, (2,), dt) + 2
    return lambda L: L.LinearOperatorLowRankUpdate(L.LinearOperatorFullMatrix(m), u, diag_update=d, v=v)


def _low_rank_pd(rng: np.random.RandomState, dt: Any) -> Callable:
    d, u = np.abs(rand(rng, (3,), dt)) + 1, rand(rng, (3, 2), dt)
    return lambda L: L.LinearOperatorLowRankUpdate(
        L.LinearOperatorDiag(d.astype(dt), is_positive_definite=True, is_self_adjoint=True), u)


SPECS = {f.__name__[1:]: f for f in (_householder, _permutation, _toeplitz, _tridiag_compact, _tridiag_sequence,
                                     _tridiag_matrix, _low_rank, _low_rank_pd)}


@pytest.mark.parametrize("dtype", [F64, C128], ids=["float64", "complex128"])
@pytest.mark.parametrize("spec", sorted(SPECS))
def test_operator_matches_tf(tf_oracle: Any, spec: str, dtype: Any) -> None:
    make = SPECS[spec](np.random.RandomState(len(spec)), dtype)
    compare_operator(make(ff.linalg), make(tf_oracle.linalg), dtype)


ERRORS = [
    lambda L: L.LinearOperatorHouseholder(1.0),
    lambda L: L.LinearOperatorHouseholder([1.0, 2.0], is_self_adjoint=False),
    lambda L: L.LinearOperatorHouseholder([1.0, 2.0], is_positive_definite=True),
    lambda L: L.LinearOperatorHouseholder([1.0, 2.0]).assert_positive_definite(),
    lambda L: L.LinearOperatorPermutation([0, 0, 1]),
    lambda L: L.LinearOperatorPermutation([0.0, 1.0]),
    lambda L: L.LinearOperatorPermutation([1, 0], is_non_singular=False),
    lambda L: L.LinearOperatorToeplitz([1.0, 2.0], [1.0, 2.0, 3.0]),
    lambda L: L.LinearOperatorToeplitz([1.0, 2.0], [1.0, 3.0]).assert_self_adjoint(),
    lambda L: L.LinearOperatorTridiag(np.ones((3, 2)), diagonals_format="banded"),
    lambda L: L.LinearOperatorTridiag([[0.0, 1.0], [1.0, 1.0], [2.0, 0.0]]).assert_self_adjoint(),
    lambda L: L.LinearOperatorLowRankUpdate(L.LinearOperatorDiag([1.0, 2.0]), np.ones((2, 1)),
                                            is_diag_update_positive=False),
    lambda L: L.LinearOperatorLowRankUpdate(L.LinearOperatorDiag([1.0, 2.0]), np.ones((2, 1)),
                                            is_self_adjoint=False),
    lambda L: L.LinearOperatorLowRankUpdate(L.LinearOperatorDiag([1.0, 2.0]), np.ones((3, 1))),
    lambda L: L.LinearOperatorLowRankUpdate(L.LinearOperatorDiag([1.0, 2.0], is_positive_definite=True),
                                            np.ones((2, 1)), is_non_singular=False),
]


@pytest.mark.parametrize("case", range(len(ERRORS)))
def test_argument_and_hint_errors(tf_oracle: Any, case: int) -> None:
    make = ERRORS[case]
    same_outcome(lambda: _ok(make(ff.linalg)), lambda: _ok(make(tf_oracle.linalg)), 0)


def _ok(result: Any) -> np.ndarray:
    del result
    return np.zeros(0)


def test_gradients_match_tf(tf_oracle: Any) -> None:
    rng = np.random.RandomState(5)
    d, u, x = np.abs(rand(rng, (3,), F64)) + 1, rand(rng, (3, 2), F64), rand(rng, (3, 2), F64)
    col, axis = rand(rng, (3,), F64) + np.array([3.0, 0, 0]), rand(rng, (3,), F64)
    tri = rand(rng, (3, 3), F64) + np.array([[0.0], [4.0], [0.0]])
    mat = pd(rng, (3, 3), F64)

    def grads(lib: Any) -> list:
        dv, uv, cv, av, tv = (lib.Variable(a) for a in (d, u, col, axis, tri))
        L = lib.linalg
        with lib.GradientTape() as tape:
            lr = L.LinearOperatorLowRankUpdate(L.LinearOperatorDiag(dv, is_positive_definite=True), uv)
            toe = L.LinearOperatorToeplitz(cv, cv)
            hh = L.LinearOperatorHouseholder(av)
            td = L.LinearOperatorTridiag(tv)
            loss = (lib.reduce_sum(lr.solve(x) ** 2) + lr.log_abs_determinant() + lib.reduce_sum(lr.matmul(mat))
                    + lib.reduce_sum(toe.matmul(x) ** 2) + lib.reduce_sum(toe.to_dense())
                    + lib.reduce_sum(hh.matmul(x) ** 2 * x) + lib.reduce_sum(td.solve(x)) + lib.reduce_sum(
                        td.matmul(x, adjoint=True) ** 2))
        return tape.gradient(loss, [dv, uv, cv, av, tv])

    for ours, want in zip(grads(ff), grads(tf_oracle)):
        np.testing.assert_allclose(ours.numpy(), want.numpy(), rtol=1e-8, atol=1e-10)
