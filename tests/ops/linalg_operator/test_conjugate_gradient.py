"""``tf.linalg.experimental.conjugate_gradient`` against real TF: the final state (iterations, solution, residual,
direction, gamma), with and without a preconditioner and a starting point, and its error."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import featherflow as ff

from ._support import close, pd, rand, same_outcome


@pytest.mark.parametrize("variant", ["plain", "preconditioned", "start", "few_iterations"])
def test_matches_tf(tf_oracle: Any, variant: str) -> None:
    dtype = np.float64
    rng = np.random.RandomState(4)
    a, rhs, x0 = pd(rng, (2, 5, 5), dtype), rand(rng, (2, 5), dtype), rand(rng, (5,), dtype)
    pre = np.abs(rand(rng, (5,), np.float64)).astype(dtype) + 1

    def run(lib: Any) -> Any:
        op = lib.linalg.LinearOperatorFullMatrix(a, is_self_adjoint=True, is_positive_definite=True)
        kwargs: dict = {}
        if variant == "preconditioned":
            kwargs["preconditioner"] = lib.linalg.LinearOperatorDiag(1 / pre, is_self_adjoint=True,
                                                                     is_positive_definite=True)
        if variant == "start":
            kwargs["x"] = x0
        if variant == "few_iterations":
            kwargs["max_iter"] = 2
        return lib.linalg.experimental.conjugate_gradient(op, lib.constant(rhs), tol=1e-10, **kwargs)

    ours, want = run(ff), run(tf_oracle)
    assert type(ours).__name__ == type(want).__name__ == "CGState"
    assert int(ours.i) == int(want.i)
    for field in ("x", "r", "p", "gamma"):
        close(getattr(ours, field), getattr(want, field), 1e-7)
    if variant != "few_iterations":
        np.testing.assert_allclose(np.einsum("bij,bj->bi", a, ours.x.numpy()), rhs, atol=1e-6)


def test_complex_fails_as_tf(tf_oracle: Any) -> None:
    # TF's stopping test compares the complex norm of the residual with ``>``, which has no complex kernel
    a, rhs = pd(np.random.RandomState(0), (3, 3), np.complex128), np.ones(3, np.complex128)

    def run(lib: Any) -> Any:
        op = lib.linalg.LinearOperatorFullMatrix(a, is_self_adjoint=True, is_positive_definite=True)
        return lib.linalg.experimental.conjugate_gradient(op, lib.constant(rhs)).x

    same_outcome(lambda: run(ff), lambda: run(tf_oracle), 0)


def test_requires_self_adjoint_positive_definite(tf_oracle: Any) -> None:
    for lib in (ff, tf_oracle):
        with pytest.raises(ValueError, match="Expected a self-adjoint, positive definite operator."):
            lib.linalg.experimental.conjugate_gradient(lib.linalg.LinearOperatorFullMatrix(np.eye(2)), np.ones(2))
