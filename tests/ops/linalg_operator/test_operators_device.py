"""The operators on a simulated GPU: their methods compose device ops only, so values and gradients stay on the
device and equal the CPU's (the other tests here check the CPU against TF). The only copies are the ones TF
makes too: a Python scalar in the arithmetic (``1.0 / diag``, ``2 * log(...)``) is uploaded, and
``tf.linalg.solve`` reads its singularity flag back once per solve (its forward, and the solve of its
gradient)."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pytest

import featherflow as ff

from .._device_support import check

pytestmark = pytest.mark.usefixtures("device")
L = ff.linalg


def _inputs() -> dict:
    rng = np.random.RandomState(0)
    m = rng.uniform(-1, 1, (2, 3, 3)) + 3 * np.eye(3)
    return {"m": ff.constant(m), "x": ff.constant(rng.uniform(-1, 1, (2, 3, 2))),
            "d": ff.constant(rng.uniform(1, 2, (3,))), "u": ff.constant(rng.uniform(-1, 1, (3, 2))),
            "v": ff.constant(rng.uniform(-1, 1, (3,))), "tri": ff.constant(rng.uniform(-1, 1, (3, 3)) + [[0], [4], [0]])}


def _pd(t: dict) -> Any:
    m = t["m"]
    return L.LinearOperatorFullMatrix(ff.matmul(m, m, adjoint_b=True), is_self_adjoint=True,
                                      is_positive_definite=True)


CASES: dict[str, tuple[Callable, str, tuple]] = {
    "full_matmul_solve": (lambda t: L.LinearOperatorFullMatrix(t["m"]).solve(
        L.LinearOperatorFullMatrix(t["m"]).matmul(t["x"], adjoint=True)), "m", (0, 2)),
    "full_logdet_cholesky": (lambda t: (_pd(t).log_abs_determinant(), _pd(t).solve(t["x"])), "m", (1, 0)),
    "diag_solvevec": (lambda t: L.LinearOperatorDiag(t["d"]).solvevec(t["x"][..., 0]), "d", (1, 0)),
    "tril_solve_det": (lambda t: (L.LinearOperatorLowerTriangular(t["m"]).solve(t["x"]),
                                  L.LinearOperatorLowerTriangular(t["m"]).determinant()), "m", (0, 0)),
    "composition": (lambda t: (L.LinearOperatorFullMatrix(t["m"]) @ L.LinearOperatorDiag(t["d"])).to_dense(), "d", (0, 0)),
    "scaled_identity": (lambda t: L.LinearOperatorScaledIdentity(3, t["d"][0]).matmul(t["x"]), "d", (0, 0)),
    "householder": (lambda t: L.LinearOperatorHouseholder(t["v"]).matmul(t["x"]), "v", (1, 0)),
    "toeplitz": (lambda t: L.LinearOperatorToeplitz(t["v"], t["v"]).matmul(t["x"]), "v", (0, 0)),
    "tridiag": (lambda t: L.LinearOperatorTridiag(t["tri"]).matmul(t["x"], adjoint=True), "tri", (0, 0)),
    "circulant_solve": (lambda t: L.LinearOperatorCirculant(ff.cast(t["v"], ff.complex128) + 3, input_output_dtype=ff.complex128).solve(ff.cast(t["x"], ff.complex128)), "v", (1, 0)),
    "kronecker": (lambda t: L.LinearOperatorKronecker([L.LinearOperatorFullMatrix(t["m"][0, :2, :2]), L.LinearOperatorDiag(t["d"])]).matmul(ff.reshape(t["x"], [6, 2])), "d", (0, 0)),
    "block_diag_solve": (lambda t: L.LinearOperatorBlockDiag([L.LinearOperatorLowerTriangular(t["m"]), L.LinearOperatorDiag(t["d"])]).solve(ff.concat([t["x"], t["x"]], axis=-2)), "m", (1, 0)),
    "low_rank_solve": (lambda t: L.LinearOperatorLowRankUpdate(
        L.LinearOperatorDiag(t["d"], is_positive_definite=True), t["u"]).solve(t["x"]), "u", (4, 0)),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_operator_on_device(device: str, name: str) -> None:
    case, wrt, moved = CASES[name]
    check(device, _inputs, case, wrt, moved=moved, rtol=1e-9)
