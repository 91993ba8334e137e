"""LinearOperatorFullMatrix, Diag, LowerTriangular, Identity, ScaledIdentity, Zeros, Composition, Adjoint and
Inversion against real TF: every method's values, shapes and dtypes, the hint checks and their errors."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pytest

import featherflow as ff

from ._support import compare_operator, pd, rand, same_outcome, well_conditioned

F64, C128 = np.float64, np.complex128


def _full(rng: np.random.RandomState, dt: Any) -> Callable:
    m = well_conditioned(rng, (2, 3, 3), dt)
    return lambda L: L.LinearOperatorFullMatrix(m)


def _full_pd(rng: np.random.RandomState, dt: Any) -> Callable:
    m = pd(rng, (3, 3), dt)
    return lambda L: L.LinearOperatorFullMatrix(m, is_self_adjoint=True, is_positive_definite=True)


def _full_rect(rng: np.random.RandomState, dt: Any) -> Callable:
    m = rand(rng, (4, 2), dt)
    return lambda L: L.LinearOperatorFullMatrix(m, is_square=False)


def _diag(rng: np.random.RandomState, dt: Any) -> Callable:
    d = rand(rng, (2, 4), dt) + 2
    return lambda L: L.LinearOperatorDiag(d)


def _diag_pd(rng: np.random.RandomState, dt: Any) -> Callable:
    d = (np.abs(rand(rng, (3,), dt)) + 1).astype(dt)
    return lambda L: L.LinearOperatorDiag(d, is_positive_definite=True, is_self_adjoint=True)


def _tril(rng: np.random.RandomState, dt: Any) -> Callable:
    t = well_conditioned(rng, (2, 3, 3), dt)
    return lambda L: L.LinearOperatorLowerTriangular(t, is_non_singular=True)


def _identity(rng: np.random.RandomState, dt: Any) -> Callable:
    return lambda L: L.LinearOperatorIdentity(3, batch_shape=[2], dtype=dt)


def _scaled(rng: np.random.RandomState, dt: Any) -> Callable:
    c = rand(rng, (2,), dt) + 2
    return lambda L: L.LinearOperatorScaledIdentity(3, c)


def _zeros(rng: np.random.RandomState, dt: Any) -> Callable:
    return lambda L: L.LinearOperatorZeros(3, batch_shape=[2], dtype=dt)


def _zeros_rect(rng: np.random.RandomState, dt: Any) -> Callable:
    return lambda L: L.LinearOperatorZeros(2, 3, is_square=False, is_self_adjoint=False, dtype=dt)


def _composition(rng: np.random.RandomState, dt: Any) -> Callable:
    a, d = well_conditioned(rng, (3, 3), dt), rand(rng, (2, 3), dt) + 2
    return lambda L: L.LinearOperatorComposition([L.LinearOperatorFullMatrix(a), L.LinearOperatorDiag(d)])


def _composition_rect(rng: np.random.RandomState, dt: Any) -> Callable:
    a, b = rand(rng, (4, 3), dt), well_conditioned(rng, (3, 3), dt)
    return lambda L: L.LinearOperatorComposition([L.LinearOperatorFullMatrix(a), L.LinearOperatorFullMatrix(b)])


def _adjoint(rng: np.random.RandomState, dt: Any) -> Callable:
    t = well_conditioned(rng, (3, 3), dt)
    return lambda L: L.LinearOperatorAdjoint(L.LinearOperatorLowerTriangular(t))


def _inversion(rng: np.random.RandomState, dt: Any) -> Callable:
    m = well_conditioned(rng, (2, 3, 3), dt)
    return lambda L: L.LinearOperatorInversion(L.LinearOperatorFullMatrix(m))


def _inversion_pd(rng: np.random.RandomState, dt: Any) -> Callable:
    m = pd(rng, (3, 3), dt)
    return lambda L: L.LinearOperatorFullMatrix(m, is_self_adjoint=True, is_positive_definite=True).inverse()


SPECS = {f.__name__[1:]: f for f in (_full, _full_pd, _full_rect, _diag, _diag_pd, _tril, _identity, _scaled,
                                     _zeros, _zeros_rect, _composition, _composition_rect, _adjoint, _inversion,
                                     _inversion_pd)}


@pytest.mark.parametrize("dtype", [F64, C128], ids=["float64", "complex128"])
@pytest.mark.parametrize("spec", sorted(SPECS))
def test_operator_matches_tf(tf_oracle: Any, spec: str, dtype: Any) -> None:
    make = SPECS[spec](np.random.RandomState(len(spec)), dtype)
    compare_operator(make(ff.linalg), make(tf_oracle.linalg), dtype)


def test_float32_full_matrix(tf_oracle: Any) -> None:
    make = _full(np.random.RandomState(1), np.float32)
    compare_operator(make(ff.linalg), make(tf_oracle.linalg), np.float32)


HINT_ERRORS = [
    lambda L: L.LinearOperatorFullMatrix(np.eye(2), is_positive_definite=True, is_non_singular=False),
    lambda L: L.LinearOperatorFullMatrix(np.eye(2), is_non_singular=True, is_square=False),
    lambda L: L.LinearOperatorFullMatrix(np.eye(2), is_self_adjoint=True, is_square=False),
    lambda L: L.LinearOperatorFullMatrix(np.eye(2), is_square=False).is_square,
    lambda L: L.LinearOperatorFullMatrix(np.ones(3)),
    lambda L: L.LinearOperatorFullMatrix(np.ones((2, 2), np.int32)),
    lambda L: L.LinearOperatorDiag([1.0, 2.0], is_self_adjoint=False),
    lambda L: L.LinearOperatorDiag([1.0, 2.0], is_square=False),
    lambda L: L.LinearOperatorDiag(1.0),
    lambda L: L.LinearOperatorLowerTriangular(np.eye(2), is_square=False),
    lambda L: L.LinearOperatorIdentity(2, is_self_adjoint=False),
    lambda L: L.LinearOperatorIdentity(-1),
    lambda L: L.LinearOperatorIdentity(2.5),
    lambda L: L.LinearOperatorIdentity(2, batch_shape=[[2]]),
    lambda L: L.LinearOperatorScaledIdentity(2, 1.0, is_square=False),
    lambda L: L.LinearOperatorZeros(2, is_non_singular=True),
    lambda L: L.LinearOperatorZeros(2, 3),
    lambda L: L.LinearOperatorComposition([]),
    lambda L: L.LinearOperatorComposition([L.LinearOperatorDiag([1.0]), L.LinearOperatorDiag([1.0 + 0j])]),
    lambda L: L.LinearOperatorComposition([L.LinearOperatorDiag([1.0], is_non_singular=True)] * 2,
                                          is_non_singular=False),
    lambda L: L.LinearOperatorInversion(L.LinearOperatorFullMatrix(np.eye(2), is_non_singular=False)),
    lambda L: L.LinearOperatorAdjoint(L.LinearOperatorDiag([1.0]), is_self_adjoint=False),
    lambda L: L.LinearOperatorFullMatrix(np.ones((3, 2))).inverse(),
    lambda L: L.LinearOperatorFullMatrix(np.eye(2)).cholesky(),
    lambda L: L.LinearOperatorFullMatrix(np.ones((3, 2))).determinant(),
    lambda L: L.LinearOperatorFullMatrix(np.eye(2), is_non_singular=False).solve(np.ones((2, 1))),
    lambda L: L.LinearOperatorFullMatrix(np.eye(2)).eigvals(),
    lambda L: L.LinearOperatorFullMatrix(np.eye(2)).matmul(L.LinearOperatorFullMatrix(np.eye(3))),
    lambda L: L.LinearOperatorFullMatrix([[1.0, 2.0], [2.0, 4.0]]).assert_non_singular(),
    lambda L: L.LinearOperatorFullMatrix([[1.0, 2.0], [3.0, 4.0]]).assert_self_adjoint(),
    lambda L: L.LinearOperatorFullMatrix([[1.0, 0.0], [0.0, -4.0]], is_self_adjoint=True).assert_positive_definite(),
    lambda L: L.LinearOperatorDiag([1.0, -1.0]).assert_positive_definite(),
    lambda L: L.LinearOperatorDiag([1.0, 1j]).assert_self_adjoint(),
    lambda L: L.LinearOperatorScaledIdentity(2, 0.0).assert_non_singular(),
    lambda L: L.LinearOperatorZeros(2).assert_non_singular(),
    lambda L: L.LinearOperatorLowerTriangular([[1.0, 0.0], [1.0, 0.0]]).assert_non_singular(),
]


@pytest.mark.parametrize("case", range(len(HINT_ERRORS)))
def test_hint_and_argument_errors(tf_oracle: Any, case: int) -> None:
    make = HINT_ERRORS[case]
    same_outcome(lambda: _ok(make(ff.linalg)), lambda: _ok(make(tf_oracle.linalg)), 0)


def _ok(result: Any) -> np.ndarray:
    del result
    return np.zeros(0)


def _pairs(L: Any) -> dict:
    d = L.LinearOperatorDiag([2.0, 3.0])
    pd_ = L.LinearOperatorFullMatrix([[2.0, 0.5], [0.5, 1.0]], is_self_adjoint=True, is_positive_definite=True)
    return {
        "diag@diag": lambda: d @ d,
        "diag@scaled": lambda: d.matmul(L.LinearOperatorScaledIdentity(2, 4.0)),
        "diag@tril": lambda: d.matmul(L.LinearOperatorLowerTriangular([[1.0, 0.0], [2.0, 3.0]])),
        "tril@diag": lambda: L.LinearOperatorLowerTriangular([[1.0, 0.0], [2.0, 3.0]]).matmul(d),
        "scaled@scaled": lambda: L.LinearOperatorScaledIdentity(2, 2.0).matmul(L.LinearOperatorScaledIdentity(2, 3.0)),
        "scaled@diag": lambda: L.LinearOperatorScaledIdentity(2, 2.0).matmul(d),
        "identity@full": lambda: L.LinearOperatorIdentity(2).matmul(pd_),
        "full@identity": lambda: pd_.matmul(L.LinearOperatorIdentity(2)),
        "full@zeros": lambda: pd_.matmul(L.LinearOperatorZeros(2)),
        "zeros@full": lambda: L.LinearOperatorZeros(2).matmul(pd_),
        "full@full": lambda: pd_ @ pd_,
        "full@full.H": lambda: pd_.matmul(pd_, adjoint_arg=True),
        "diag.solve(diag)": lambda: d.solve(d),
        "diag.solve(scaled)": lambda: d.solve(L.LinearOperatorScaledIdentity(2, 4.0)),
        "scaled.solve(diag)": lambda: L.LinearOperatorScaledIdentity(2, 2.0).solve(d),
        "full.solve(full)": lambda: pd_.solve(pd_),
        "full.solve(identity)": lambda: pd_.solve(L.LinearOperatorIdentity(2)),
        "identity.solve(full)": lambda: L.LinearOperatorIdentity(2).solve(pd_),
        "inv.solve(full)": lambda: pd_.inverse().solve(pd_),
        "diag.inverse": lambda: d.inverse(),
        "diag.cholesky": lambda: L.LinearOperatorDiag([4.0, 9.0], is_positive_definite=True).cholesky(),
        "full.cholesky": lambda: pd_.cholesky(),
        "scaled.cholesky": lambda: L.LinearOperatorScaledIdentity(2, 4.0, is_positive_definite=True).cholesky(),
        "identity.cholesky": lambda: L.LinearOperatorIdentity(2).cholesky(),
        "llh.cholesky": lambda: _llh(L).cholesky(),
        "inv.inverse": lambda: pd_.inverse().inverse(),
        "adjoint.adjoint": lambda: L.LinearOperatorFullMatrix([[1.0, 2.0], [3.0, 4.0]]).H.H,
    }


def _llh(L: Any) -> Any:
    tril = L.LinearOperatorLowerTriangular([[-2.0, 0.0], [1.0, 3.0]])
    return L.LinearOperatorComposition([tril, tril.H], is_non_singular=True)


@pytest.mark.parametrize("pair", sorted(_pairs(ff.linalg)))
def test_operator_algebra_gives_tf_types(tf_oracle: Any, pair: str) -> None:
    ours, want = _pairs(ff.linalg)[pair](), _pairs(tf_oracle.linalg)[pair]()
    assert type(ours).__name__ == type(want).__name__
    assert ours.name == want.name
    for hint in ("is_non_singular", "is_self_adjoint", "is_positive_definite", "is_square"):
        assert getattr(ours, hint) == getattr(want, hint), hint
    np.testing.assert_allclose(ours.to_dense().numpy(), want.to_dense().numpy(), rtol=1e-6, atol=1e-6)


def test_module_tracks_variables_and_parameters(tf_oracle: Any) -> None:
    v = ff.Variable(np.array([1.0, 2.0]))
    op = ff.linalg.LinearOperatorDiag(v, is_non_singular=True)
    assert op.trainable_variables == (v,) and op.diag is v
    assert isinstance(op, ff.Module)
    assert op.parameters == {"diag": v, "is_non_singular": True, "is_self_adjoint": None,
                             "is_positive_definite": None, "is_square": None, "name": "LinearOperatorDiag"}
    comp = ff.linalg.LinearOperatorComposition([op, ff.linalg.LinearOperatorFullMatrix(ff.Variable(np.eye(2)))])
    assert len(comp.trainable_variables) == 2
    v.assign([3.0, 4.0])  # the operator reads the variable at each use
    np.testing.assert_allclose(op.to_dense().numpy(), np.diag([3.0, 4.0]))


def test_gradients_match_tf(tf_oracle: Any) -> None:
    rng = np.random.RandomState(3)
    m, x = pd(rng, (2, 3, 3), F64), rand(rng, (2, 3, 2), F64)
    d = rand(rng, (3,), F64) + 2

    def grads(lib: Any) -> list:
        mv, dv = lib.Variable(m), lib.Variable(d)
        with lib.GradientTape() as tape:
            full = lib.linalg.LinearOperatorFullMatrix(mv, is_self_adjoint=True, is_positive_definite=True)
            diag = lib.linalg.LinearOperatorDiag(dv)
            comp = full @ diag
            loss = (lib.reduce_sum(full.solve(x) ** 2) + lib.reduce_sum(full.log_abs_determinant())
                    + lib.reduce_sum(comp.matmul(x, adjoint=True)) + lib.reduce_sum(comp.to_dense() ** 2)
                    + lib.reduce_sum(diag.solvevec(x[0, :, 0])) + lib.reduce_sum(full.inverse().to_dense()))
        return tape.gradient(loss, [mv, dv])

    for ours, want in zip(grads(ff), grads(tf_oracle)):
        np.testing.assert_allclose(ours.numpy(), want.numpy(), rtol=1e-9)


def _user_operator(lib: Any) -> Any:
    class Scale(lib.linalg.LinearOperator):  # what TF's docs show: a subclass gives _shape and _matmul
        def __init__(self, diag: Any) -> None:
            self._d = lib.convert_to_tensor(diag)
            super().__init__(dtype=self._d.dtype, is_square=True, parameters={"diag": diag}, name="Scale")

        def _shape(self) -> Any:
            return lib.TensorShape([self._d.shape[0], self._d.shape[0]])

        def _shape_tensor(self) -> Any:
            return lib.constant([self._d.shape[0]] * 2)

        def _matmul(self, x: Any, adjoint: bool = False, adjoint_arg: bool = False) -> Any:
            x = lib.linalg.adjoint(x) if adjoint_arg else x
            return self._d[:, None] * x

    return Scale(np.array([2.0, 4.0]))


def test_user_subclass_gets_the_dense_defaults(tf_oracle: Any) -> None:
    ours, want = _user_operator(ff), _user_operator(tf_oracle)
    x = np.array([[1.0, 2.0], [3.0, 4.0]])
    for method in ("to_dense", "determinant", "log_abs_determinant", "trace", "diag_part", "cond"):
        same_outcome(getattr(ours, method), getattr(want, method), 1e-9)
    same_outcome(lambda: ours.solve(x, adjoint_arg=True), lambda: want.solve(x, adjoint_arg=True), 1e-9)
    same_outcome(lambda: ours.matvec(x[0]), lambda: want.matvec(x[0]), 1e-9)
    same_outcome(lambda: ours.inverse().to_dense(), lambda: want.inverse().to_dense(), 1e-9)
    assert ours.is_square and ours.parameters == {"diag": ours.parameters["diag"]}


def test_submodules_and_name_scope_match_tf(tf_oracle: Any) -> None:
    def make(lib: Any) -> Any:
        L = lib.linalg
        inner = L.LinearOperatorDiag(lib.Variable([1.0, 2.0]))
        return L.LinearOperatorComposition([inner, L.LinearOperatorFullMatrix(lib.Variable(np.eye(2, dtype=np.float32)))])

    ours, want = make(ff), make(tf_oracle)
    assert [type(m).__name__ for m in ours.submodules] == [type(m).__name__ for m in want.submodules]
    assert len(ours.trainable_variables) == len(want.trainable_variables) == 2
    assert ours.name == want.name == "LinearOperatorDiag_o_LinearOperatorFullMatrix"


def test_nest_expands_operators_as_tf(tf_oracle: Any) -> None:
    def make(lib: Any) -> list:
        L = lib.linalg
        d = L.LinearOperatorDiag([1.0, 2.0])
        f = L.LinearOperatorFullMatrix(lib.Variable(np.eye(2, dtype=np.float32)))
        return [d, f, L.LinearOperatorComposition([d, f]), L.LinearOperatorIdentity(2, batch_shape=[3]),
                L.LinearOperatorLowRankUpdate(d, np.ones((2, 1), np.float32)), L.LinearOperatorScaledIdentity(2, 3.0),
                L.LinearOperatorBlockLowerTriangular([[d], [f, d]])]

    for ours, want in zip(make(ff), make(tf_oracle)):
        flat_ours = ff.nest.flatten(ours, expand_composites=True)
        flat_want = tf_oracle.nest.flatten(want, expand_composites=True)
        assert [tuple(x.shape) for x in flat_ours] == [tuple(x.shape) for x in flat_want]
        assert [type(x).__name__ == "Variable" for x in flat_ours] == [
            "Variable" in type(x).__name__ for x in flat_want]
        back = ff.nest.pack_sequence_as(ours, flat_ours, expand_composites=True)
        assert type(back) is type(ours)
        np.testing.assert_allclose(back.to_dense().numpy(), want.to_dense().numpy())
