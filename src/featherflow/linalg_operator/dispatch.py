"""``tf.linalg`` functions on operators: TF registers ``tf.linalg.matmul``/``solve``/``adjoint``/``cholesky``/
``det``/``inv``/``logdet``/``trace``/``diag_part`` overrides for ``LinearOperator`` arguments, which call the
operator's own methods (so ``tf.linalg.matmul(diag, diag)`` is a ``LinearOperatorDiag``)."""

from __future__ import annotations

from typing import Any

from ..ops.dispatch import dispatch_for_api
from ..ops.linalg.composite import logdet
from ..ops.linalg.core import adjoint, matmul
from ..ops.linalg.decomp import cholesky, det, inv, solve
from ..ops.linalg.diag import diag_part, trace
from .base import LinearOperator


@dispatch_for_api(adjoint, {"matrix": LinearOperator})
def _adjoint(matrix: LinearOperator, name: str | None = None) -> Any:
    return matrix.adjoint(name)


@dispatch_for_api(cholesky, {"input": LinearOperator})
def _cholesky(input: LinearOperator, name: str | None = None) -> Any:  # noqa: A002
    return input.cholesky(name)


@dispatch_for_api(diag_part, {"input": LinearOperator})
def _diag_part(input: LinearOperator, name: str = "diag_part", k: Any = 0, padding_value: Any = 0,  # noqa: A002
               align: str = "RIGHT_LEFT") -> Any:
    return input.diag_part(name)


@dispatch_for_api(det, {"input": LinearOperator})
def _det(input: LinearOperator, name: str | None = None) -> Any:  # noqa: A002
    return input.determinant(name)


@dispatch_for_api(inv, {"input": LinearOperator})
def _inverse(input: LinearOperator, adjoint: bool = False, name: str | None = None) -> Any:  # noqa: A002
    result = input.inverse(name)
    return result.adjoint() if adjoint else result


@dispatch_for_api(logdet, {"matrix": LinearOperator})
def _logdet(matrix: LinearOperator, name: str | None = None) -> Any:
    if matrix.is_positive_definite and matrix.is_self_adjoint:
        return matrix.log_abs_determinant(name)
    raise ValueError("Expected matrix to be self-adjoint positive definite.")


@dispatch_for_api(matmul, {"a": LinearOperator}, {"b": LinearOperator})
def _matmul(a: Any, b: Any, transpose_a: bool = False, transpose_b: bool = False, adjoint_a: bool = False,
            adjoint_b: bool = False, a_is_sparse: bool = False, b_is_sparse: bool = False, output_type: Any = None,
            grad_a: bool = False, grad_b: bool = False, name: str | None = None) -> Any:
    if transpose_a or transpose_b:
        raise ValueError("Transposing not supported at this time.")
    if a_is_sparse or b_is_sparse:
        raise ValueError("Sparse methods not supported at this time.")
    if not isinstance(a, LinearOperator):
        # a @ B as (B^H a^H)^H
        return adjoint(b.matmul(a, adjoint=not adjoint_b, adjoint_arg=not adjoint_a, name=name))
    return a.matmul(b, adjoint=adjoint_a, adjoint_arg=adjoint_b, name=name)


@dispatch_for_api(solve, {"matrix": LinearOperator}, {"rhs": LinearOperator})
def _solve(matrix: Any, rhs: Any, adjoint: bool = False, name: str | None = None) -> Any:
    if not isinstance(matrix, LinearOperator):
        raise ValueError("Passing in `matrix` as a Tensor and `rhs` as a LinearOperator is not supported.")
    return matrix.solve(rhs, adjoint=adjoint, name=name)


@dispatch_for_api(trace, {"x": LinearOperator})
def _trace(x: LinearOperator, name: str | None = None) -> Any:
    return x.trace(name)
