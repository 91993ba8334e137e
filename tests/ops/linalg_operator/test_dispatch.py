"""``tf.linalg`` functions given operators dispatch to the operators' methods, as TF registers them."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import featherflow as ff

from ._support import same_outcome


def _cases(lib: Any) -> dict:
    L = lib.linalg
    d = L.LinearOperatorDiag([2.0, 3.0])
    pd = L.LinearOperatorFullMatrix([[2.0, 0.5], [0.5, 1.0]], is_self_adjoint=True, is_positive_definite=True)
    x = np.array([[1.0, 2.0], [3.0, 4.0]], np.float32)
    return {
        "matmul(op, op)": lambda: L.matmul(d, d).to_dense(),
        "matmul(op, x)": lambda: L.matmul(d, x, adjoint_a=True, adjoint_b=True),
        "matmul(x, op)": lambda: L.matmul(x, pd, adjoint_b=True),
        "tf.matmul(x, op)": lambda: lib.matmul(x, d),
        "tensor @ op": lambda: lib.constant(x) @ d,
        "matmul transpose": lambda: L.matmul(d, x, transpose_a=True),
        "solve(op, x)": lambda: L.solve(pd, x, adjoint=True),
        "solve(op, op)": lambda: L.solve(d, d).to_dense(),
        "solve(x, op)": lambda: L.solve(x, d),
        "adjoint": lambda: L.adjoint(pd).to_dense(),
        "cholesky": lambda: L.cholesky(pd).to_dense(),
        "det": lambda: L.det(d),
        "inv": lambda: L.inv(pd, adjoint=True).to_dense(),
        "logdet": lambda: L.logdet(pd),
        "logdet not pd": lambda: L.logdet(d),
        "trace": lambda: L.trace(pd),
        "diag_part": lambda: L.diag_part(pd),
    }


@pytest.mark.parametrize("case", sorted(_cases(ff)))
def test_dispatch_matches_tf(tf_oracle: Any, case: str) -> None:
    same_outcome(_cases(ff)[case], _cases(tf_oracle)[case], 1e-6)


def test_plain_tensors_are_unchanged() -> None:
    x = np.array([[1.0, 2.0], [3.0, 4.0]])
    np.testing.assert_allclose(ff.linalg.matmul(x, x).numpy(), x @ x)
    with pytest.raises(ValueError):
        ff.linalg.matmul(object(), x)
