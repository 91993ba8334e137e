"""LinearOperatorKronecker and LinearOperatorBlockDiag against real TF: every method's values, shapes and dtypes,
blockwise arguments, the operator algebra, and their hint errors."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pytest

import featherflow as ff

from ._support import close, compare_operator, pd, rand, same_outcome, well_conditioned

F64, C128 = np.float64, np.complex128


def _kronecker(rng: np.random.RandomState, dt: Any) -> Callable:
    a, b = well_conditioned(rng, (2, 2, 2), dt), well_conditioned(rng, (3, 3), dt)
    return lambda L: L.LinearOperatorKronecker([L.LinearOperatorFullMatrix(a), L.LinearOperatorFullMatrix(b)])


def _kronecker_pd(rng: np.random.RandomState, dt: Any) -> Callable:
    a, d = pd(rng, (2, 2), dt), np.abs(rand(rng, (3,), dt)) + 1

    def make(L: Any) -> Any:
        return L.LinearOperatorKronecker([
            L.LinearOperatorFullMatrix(a, is_self_adjoint=True, is_positive_definite=True),
            L.LinearOperatorDiag(d.astype(dt), is_self_adjoint=True, is_positive_definite=True)])
    return make


def _kronecker_rect(rng: np.random.RandomState, dt: Any) -> Callable:
    a, b = rand(rng, (3, 2), dt), well_conditioned(rng, (2, 2), dt)
    return lambda L: L.LinearOperatorKronecker([L.LinearOperatorFullMatrix(a), L.LinearOperatorFullMatrix(b)])


def _block_diag(rng: np.random.RandomState, dt: Any) -> Callable:
    a, t = well_conditioned(rng, (2, 2, 2), dt), well_conditioned(rng, (3, 3), dt)
    return lambda L: L.LinearOperatorBlockDiag([L.LinearOperatorFullMatrix(a), L.LinearOperatorLowerTriangular(t)])


def _block_diag_pd(rng: np.random.RandomState, dt: Any) -> Callable:
    a, d = pd(rng, (2, 2), dt), np.abs(rand(rng, (3,), dt)) + 1

    def make(L: Any) -> Any:
        return L.LinearOperatorBlockDiag([
            L.LinearOperatorFullMatrix(a, is_self_adjoint=True, is_positive_definite=True),
            L.LinearOperatorDiag(d.astype(dt), is_self_adjoint=True, is_positive_definite=True)])
    return make


SPECS = {f.__name__[1:]: f for f in (_kronecker, _kronecker_pd, _kronecker_rect, _block_diag, _block_diag_pd)}


@pytest.mark.parametrize("dtype", [F64, C128], ids=["float64", "complex128"])
@pytest.mark.parametrize("spec", sorted(SPECS))
def test_operator_matches_tf(tf_oracle: Any, spec: str, dtype: Any) -> None:
    make = SPECS[spec](np.random.RandomState(len(spec)), dtype)
    compare_operator(make(ff.linalg), make(tf_oracle.linalg), dtype)


def test_block_diag_blockwise_arguments(tf_oracle: Any) -> None:
    rng = np.random.RandomState(2)
    make = _block_diag(rng, F64)
    ours, want = make(ff.linalg), make(tf_oracle.linalg)
    blocks = [rand(rng, (2, 2, 3), F64), rand(rng, (3, 3), F64)]
    vecs = [rand(rng, (2, 2), F64), rand(rng, (3,), F64)]
    for method, arg, kw in (("matmul", blocks, {}), ("matmul", blocks, {"adjoint": True}), ("solve", blocks, {}),
                            ("matvec", vecs, {}), ("solvevec", vecs, {"adjoint": True})):
        got, expected = getattr(ours, method)(list(arg), **kw), getattr(want, method)(list(arg), **kw)
        assert isinstance(got, list) and len(got) == len(expected)
        for g, e in zip(got, expected):
            close(g, e, 1e-9)


def _pairs(L: Any) -> dict:
    a = L.LinearOperatorFullMatrix([[2.0, 1.0], [0.5, 3.0]])
    d = L.LinearOperatorDiag([2.0, 3.0])
    return {
        "blockdiag@blockdiag": lambda: L.LinearOperatorBlockDiag([a, d]) @ L.LinearOperatorBlockDiag([d, a]),
        "blockdiag.solve(blockdiag)": lambda: L.LinearOperatorBlockDiag([a, d]).solve(L.LinearOperatorBlockDiag([d, a])),
        "blockdiag.inverse": lambda: L.LinearOperatorBlockDiag([a, d]).inverse(),
        "blockdiag.adjoint": lambda: L.LinearOperatorBlockDiag([a, d]).adjoint(),
        "kronecker.inverse": lambda: L.LinearOperatorKronecker([a, d]).inverse(),
        "kronecker.adjoint": lambda: L.LinearOperatorKronecker([a, d]).adjoint(),
        "kronecker@full": lambda: L.LinearOperatorKronecker([a, d]) @ L.LinearOperatorFullMatrix(np.eye(4, dtype=np.float32)),
    }


@pytest.mark.parametrize("pair", sorted(_pairs(ff.linalg)))
def test_operator_algebra_gives_tf_types(tf_oracle: Any, pair: str) -> None:
    ours, want = _pairs(ff.linalg)[pair](), _pairs(tf_oracle.linalg)[pair]()
    assert type(ours).__name__ == type(want).__name__ and ours.name == want.name
    for hint in ("is_non_singular", "is_self_adjoint", "is_positive_definite", "is_square"):
        assert getattr(ours, hint) == getattr(want, hint), hint
    np.testing.assert_allclose(ours.to_dense().numpy(), want.to_dense().numpy(), rtol=1e-6, atol=1e-6)


ERRORS = [
    lambda L: L.LinearOperatorKronecker([]),
    lambda L: L.LinearOperatorKronecker([L.LinearOperatorDiag([1.0]), L.LinearOperatorDiag([1j])]),
    lambda L: L.LinearOperatorKronecker([L.LinearOperatorDiag([1.0], is_non_singular=True)] * 2,
                                        is_non_singular=False),
    lambda L: L.LinearOperatorKronecker([L.LinearOperatorDiag([1.0])] * 2, is_self_adjoint=False),
    lambda L: L.LinearOperatorKronecker([L.LinearOperatorFullMatrix(np.ones((2, 3)))] * 2).assert_non_singular(),
    lambda L: L.LinearOperatorBlockDiag([]),
    lambda L: L.LinearOperatorBlockDiag([L.LinearOperatorDiag([1.0]), L.LinearOperatorDiag([1j])]),
    lambda L: L.LinearOperatorBlockDiag([L.LinearOperatorDiag([1.0])] * 2, is_self_adjoint=False),
    lambda L: L.LinearOperatorBlockDiag([L.LinearOperatorDiag([1.0, 2.0])] * 2).matmul(
        L.LinearOperatorBlockDiag([L.LinearOperatorDiag([1.0, 2.0, 3.0, 4.0])])),
    lambda L: L.LinearOperatorBlockDiag([L.LinearOperatorDiag([1.0, 2.0])] * 2).matmul(
        [np.ones((2, 1)), np.ones((3, 1))]),
    lambda L: L.LinearOperatorBlockDiag([L.LinearOperatorDiag([1.0, -2.0])] * 2).assert_positive_definite(),
]


@pytest.mark.parametrize("case", range(len(ERRORS)))
def test_argument_and_hint_errors(tf_oracle: Any, case: int) -> None:
    make = ERRORS[case]
    same_outcome(lambda: _ok(make(ff.linalg)), lambda: _ok(make(tf_oracle.linalg)), 0)


def _ok(result: Any) -> np.ndarray:
    del result
    return np.zeros(0)


def test_gradients_match_tf(tf_oracle: Any) -> None:
    rng = np.random.RandomState(7)
    a, b, x = pd(rng, (2, 2), F64), well_conditioned(rng, (3, 3), F64), rand(rng, (6, 2), F64)
    y = rand(rng, (5, 2), F64)

    def grads(lib: Any) -> list:
        av, bv = lib.Variable(a), lib.Variable(b)
        L = lib.linalg
        with lib.GradientTape() as tape:
            kron = L.LinearOperatorKronecker([L.LinearOperatorFullMatrix(av), L.LinearOperatorFullMatrix(bv)])
            block = L.LinearOperatorBlockDiag([L.LinearOperatorFullMatrix(av), L.LinearOperatorFullMatrix(bv)])
            loss = (lib.reduce_sum(kron.matmul(x) ** 2) + lib.reduce_sum(kron.solve(x, adjoint=True))
                    + kron.log_abs_determinant() + lib.reduce_sum(block.solve(y) ** 2) + block.log_abs_determinant()
                    + lib.reduce_sum(block.to_dense()))
        return tape.gradient(loss, [av, bv])

    for ours, want in zip(grads(ff), grads(tf_oracle)):
        np.testing.assert_allclose(ours.numpy(), want.numpy(), rtol=1e-8, atol=1e-10)


def _circulant_spec(depth: int, shape: tuple) -> Callable:
    def spec(rng: np.random.RandomState, dt: Any) -> Callable:
        kernel = rand(rng, shape, np.float64 if np.dtype(dt).kind == "f" else dt)
        kernel[(...,) + (0,) * depth] += 2 * np.prod(shape[-depth:])  # a dominant centre: well conditioned
        spectrum = np.fft.fftn(kernel, axes=tuple(range(-depth, 0)))
        name = {1: "LinearOperatorCirculant", 2: "LinearOperatorCirculant2D", 3: "LinearOperatorCirculant3D"}[depth]
        return lambda L: getattr(L, name)(spectrum, input_output_dtype=dt)
    return spec


CIRCULANT = {"circulant": _circulant_spec(1, (2, 4)), "circulant2d": _circulant_spec(2, (2, 3)),
             "circulant3d": _circulant_spec(3, (2, 2, 2))}


@pytest.mark.parametrize("dtype", [F64, C128], ids=["float64", "complex128"])
@pytest.mark.parametrize("spec", sorted(CIRCULANT))
def test_circulant_matches_tf(tf_oracle: Any, spec: str, dtype: Any) -> None:
    make = CIRCULANT[spec](np.random.RandomState(len(spec)), dtype)
    ours, want = make(ff.linalg), make(tf_oracle.linalg)
    compare_operator(ours, want, dtype)
    close(ours.convolution_kernel(), want.convolution_kernel(), 1e-9)
    assert ours.block_shape.as_list() == want.block_shape.as_list() and ours.block_depth == want.block_depth
    same_outcome(ours.assert_hermitian_spectrum, want.assert_hermitian_spectrum, 0)
    for pair in (lambda o: o @ o, lambda o: o.solve(o), lambda o: o.H, lambda o: o.inverse()):
        a, b = pair(ours), pair(want)
        assert type(a).__name__ == type(b).__name__ and a.dtype.name == b.dtype.name
        close(a.to_dense(), b.to_dense(), 1e-8)


def _block_lower(rng: np.random.RandomState, dt: Any) -> Callable:
    a, t = well_conditioned(rng, (2, 2, 2), dt), well_conditioned(rng, (3, 3), dt)
    c, e, f = rand(rng, (3, 2), dt), rand(rng, (2, 2), dt), rand(rng, (2, 3), dt)
    g = well_conditioned(rng, (2, 2), dt)

    def make(L: Any) -> Any:
        return L.LinearOperatorBlockLowerTriangular([
            [L.LinearOperatorFullMatrix(a)],
            [L.LinearOperatorFullMatrix(c), L.LinearOperatorLowerTriangular(t)],
            [L.LinearOperatorFullMatrix(e), L.LinearOperatorFullMatrix(f), L.LinearOperatorFullMatrix(g)]])
    return make


def _block_lower_pd(rng: np.random.RandomState, dt: Any) -> Callable:
    a, d, c = pd(rng, (2, 2), dt), np.abs(rand(rng, (3,), dt)) + 1, rand(rng, (3, 2), dt)

    def make(L: Any) -> Any:
        return L.LinearOperatorBlockLowerTriangular([
            [L.LinearOperatorFullMatrix(a, is_self_adjoint=True, is_positive_definite=True)],
            [L.LinearOperatorFullMatrix(c), L.LinearOperatorDiag(d.astype(dt), is_positive_definite=True)]])
    return make


BLOCK_LOWER = {"block_lower": _block_lower, "block_lower_pd": _block_lower_pd}


@pytest.mark.parametrize("dtype", [F64, C128], ids=["float64", "complex128"])
@pytest.mark.parametrize("spec", sorted(BLOCK_LOWER))
def test_block_lower_triangular_matches_tf(tf_oracle: Any, spec: str, dtype: Any) -> None:
    make = BLOCK_LOWER[spec](np.random.RandomState(len(spec)), dtype)
    ours, want = make(ff.linalg), make(tf_oracle.linalg)
    compare_operator(ours, want, dtype)
    inv_ours, inv_want = ours.inverse(), want.inverse()
    assert type(inv_ours).__name__ == type(inv_want).__name__
    close(inv_ours.to_dense(), inv_want.to_dense(), 1e-8)
    rng = np.random.RandomState(1)
    blocks = [rand(rng, (2, 2), dtype), rand(rng, (3, 2), dtype)] + ([rand(rng, (2, 2), dtype)] if
                                                                      spec == "block_lower" else [])
    for method, kw in (("matmul", {}), ("matmul", {"adjoint": True}), ("solve", {}), ("solve", {"adjoint": True})):
        got, expected = getattr(ours, method)(list(blocks), **kw), getattr(want, method)(list(blocks), **kw)
        for g, e in zip(got, expected):
            close(g, e, 1e-8)


BLOCK_LOWER_ERRORS = [
    lambda L: L.LinearOperatorBlockLowerTriangular([]),
    lambda L: L.LinearOperatorBlockLowerTriangular([[L.LinearOperatorDiag([1.0])], [L.LinearOperatorDiag([1.0])]]),
    lambda L: L.LinearOperatorBlockLowerTriangular([[L.LinearOperatorDiag([1.0])]], is_square=False),
    lambda L: L.LinearOperatorBlockLowerTriangular([[L.LinearOperatorFullMatrix(np.ones((2, 3)), is_square=False)]]),
    lambda L: L.LinearOperatorBlockLowerTriangular(
        [[L.LinearOperatorDiag([1.0], is_non_singular=True)]], is_non_singular=False),
    lambda L: L.LinearOperatorBlockLowerTriangular(
        [[L.LinearOperatorDiag([1.0, 2.0])],
         [L.LinearOperatorFullMatrix(np.ones((1, 3), np.float32)), L.LinearOperatorDiag([1.0])]]),
    lambda L: L.LinearOperatorBlockLowerTriangular([[L.LinearOperatorDiag([1.0, 0.0])]]).assert_non_singular(),
]


@pytest.mark.parametrize("case", range(len(BLOCK_LOWER_ERRORS)))
def test_block_lower_triangular_errors(tf_oracle: Any, case: int) -> None:
    make = BLOCK_LOWER_ERRORS[case]
    same_outcome(lambda: _ok(make(ff.linalg)), lambda: _ok(make(tf_oracle.linalg)), 0)


def test_circulant_and_block_lower_gradients_match_tf(tf_oracle: Any) -> None:
    rng = np.random.RandomState(9)
    kernel = rand(rng, (4,), F64)
    kernel[0] += 8
    spectrum, x = np.fft.fft(kernel), rand(rng, (4, 2), C128)
    a, c = well_conditioned(rng, (2, 2), F64), rand(rng, (2, 2), F64)
    y = rand(rng, (4, 2), F64)

    def grads(lib: Any) -> list:
        sv, av, cv = lib.Variable(spectrum), lib.Variable(a), lib.Variable(c)
        L = lib.linalg
        with lib.GradientTape() as tape:
            circ = L.LinearOperatorCirculant(sv, input_output_dtype=np.complex128)
            blt = L.LinearOperatorBlockLowerTriangular([[L.LinearOperatorFullMatrix(av)],
                                                        [L.LinearOperatorFullMatrix(cv), L.LinearOperatorFullMatrix(av)]])
            loss = (lib.reduce_sum(lib.abs(circ.matmul(x)) ** 2) + lib.reduce_sum(lib.abs(circ.solve(x)))
                    + lib.reduce_sum(blt.solve(y) ** 2) + blt.log_abs_determinant() + lib.reduce_sum(blt.matmul(y)))
        return tape.gradient(loss, [sv, av, cv])

    for ours, want in zip(grads(ff), grads(tf_oracle)):
        np.testing.assert_allclose(ours.numpy(), want.numpy(), rtol=1e-8, atol=1e-10)
