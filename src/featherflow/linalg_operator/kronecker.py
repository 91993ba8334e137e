"""``LinearOperatorKronecker``: the Kronecker product of operators, applied factor by factor (TF's class)."""

from __future__ import annotations

from typing import Any

from ..errors import InvalidArgumentError
from ..naming import name_scope
from ..ops.array.core import reshape
from ..ops.array.create import cast
from ..ops.array.join import broadcast_static_shape
from ..ops.linalg.core import matrix_transpose
from ..ops.math.api import conj
from ..shape import TensorShape
from ..tensor import Tensor
from . import _util
from .base import LinearOperator

_NOT_SQUARE = ("All Kronecker factors must be square for the product to be invertible. Expected hint `is_square` to "
               "be True for every operator in argument `operators`.")


def _same_hint(operators: list, hint: str, provided: Any, message: str) -> Any:
    if all(getattr(o, hint) for o in operators):
        if provided is False:
            raise ValueError(f"{message} Expected argument `{hint}` to be True. Received: {provided}.")
        return True
    return provided


class LinearOperatorKronecker(LinearOperator):
    """Kronecker product between two or more linear operators (``tf.linalg.LinearOperatorKronecker``)."""

    def __init__(self, operators: Any, is_non_singular: bool | None = None, is_self_adjoint: bool | None = None,
                 is_positive_definite: bool | None = None, is_square: bool | None = None,
                 name: str | None = None) -> None:
        parameters = dict(operators=operators, is_non_singular=is_non_singular, is_self_adjoint=is_self_adjoint,
                          is_positive_definite=is_positive_definite, is_square=is_square, name=name)
        if isinstance(operators, (str, bytes)) or not hasattr(operators, "__iter__"):
            raise TypeError(f"Expected argument to be iterable but got {operators!r}")
        operators = list(operators)
        if not operators:
            raise ValueError(f"Argument `operators` must be a list of >=1 operators. Received: {operators}.")
        self._operators = operators
        dtype = operators[0].dtype
        for operator in operators:
            if operator.dtype != dtype:
                name_type = (str((o.name, o.dtype)) for o in operators)
                raise TypeError("Expected every operation in argument `operators` to have the same dtype. "
                                f"Received {list(name_type)}.")
        is_non_singular = _same_hint(operators, "is_non_singular", is_non_singular,
                                     "The Kronecker product of non-singular operators is always non-singular.")
        is_self_adjoint = _same_hint(operators, "is_self_adjoint", is_self_adjoint,
                                     "The Kronecker product of self-adjoint operators is always self-adjoint.")
        is_positive_definite = _same_hint(
            operators, "is_positive_definite", is_positive_definite,
            "The Kronecker product of positive-definite operators is always positive-definite.")
        if name is None:
            name = "_x_".join(o.name for o in operators)
        with name_scope(name):
            super().__init__(dtype=dtype, is_non_singular=is_non_singular, is_self_adjoint=is_self_adjoint,
                             is_positive_definite=is_positive_definite, is_square=is_square,
                             parameters=parameters, name=name)

    @property
    def operators(self) -> list:
        """The factors of the Kronecker product, in order."""
        return self._operators

    def _shape(self) -> TensorShape:
        domain, range_ = 1, 1
        for operator in self.operators:
            domain *= operator.domain_dimension.value
            range_ *= operator.range_dimension.value
        batch = self.operators[0].batch_shape
        for operator in self.operators[1:]:
            batch = broadcast_static_shape(batch, operator.batch_shape)
        return TensorShape(batch).concatenate([range_, domain])

    def _shape_tensor(self) -> Tensor:
        return _util.shape_tensor(self.shape.as_list())

    def _linop_adjoint(self) -> LinearOperatorKronecker:
        return LinearOperatorKronecker(operators=[o.adjoint() for o in self.operators],
                                       is_non_singular=self.is_non_singular, is_self_adjoint=self.is_self_adjoint,
                                       is_positive_definite=self.is_positive_definite, is_square=True)

    def _linop_cholesky(self) -> LinearOperatorKronecker:
        return LinearOperatorKronecker(operators=[o.cholesky() for o in self.operators], is_non_singular=True,
                                       is_self_adjoint=None, is_square=True)

    def _linop_inverse(self) -> LinearOperatorKronecker:
        return LinearOperatorKronecker(operators=[o.inverse() for o in self.operators],
                                       is_non_singular=self.is_non_singular, is_self_adjoint=self.is_self_adjoint,
                                       is_positive_definite=self.is_positive_definite, is_square=True)

    def _solve_matmul_internal(self, x: Tensor, fn: Any, adjoint: bool = False, adjoint_arg: bool = False) -> Tensor:
        # (A1 x A2 x ...) vec(X) applied as each factor on a reshaped X, from the last factor to the first
        output = x
        if adjoint_arg:
            if self.dtype.is_complex:
                output = conj(output)
        else:
            output = matrix_transpose(output)
        for o in reversed(self.operators):
            operator_dimension = (o.range_dimension if adjoint else o.domain_dimension).value
            s = output.shape.as_list()
            output = reshape(output, s[:-2] + [s[-2] * s[-1] // operator_dimension, operator_dimension])
            if self.dtype.is_complex:
                output = conj(output)
            output = fn(o, output, adjoint=adjoint, adjoint_arg=True)
        col_dim = x.shape[-2] if adjoint_arg else x.shape[-1]
        row_dim = (self.domain_dimension if adjoint else self.range_dimension).value
        return reshape(output, output.shape.as_list()[:-2] + [row_dim, col_dim])

    def _matmul(self, x: Tensor, adjoint: bool = False, adjoint_arg: bool = False) -> Tensor:
        return self._solve_matmul_internal(x, lambda o, y, **kw: o.matmul(y, **kw), adjoint, adjoint_arg)

    def _solve(self, rhs: Tensor, adjoint: bool = False, adjoint_arg: bool = False) -> Tensor:
        return self._solve_matmul_internal(rhs, lambda o, y, **kw: o.solve(y, **kw), adjoint, adjoint_arg)

    def _determinant(self) -> Tensor:
        total = self.domain_dimension.value
        determinant: Any = 1.0
        for operator in self.operators:
            determinant = determinant * operator.determinant() ** cast(
                total / operator.domain_dimension.value, dtype=operator.dtype)
        return determinant

    def _log_abs_determinant(self) -> Tensor:
        total = self.domain_dimension.value
        log_abs_det: Any = 0.0
        for operator in self.operators:
            log_abs_det += operator.log_abs_determinant() * cast(total / operator.domain_dimension.value,
                                                                 dtype=operator.dtype)
        return log_abs_det

    def _trace(self) -> Tensor:
        trace: Any = 1.0
        for operator in self.operators:
            trace = trace * operator.trace()
        return trace

    def _diag_part(self) -> Tensor:
        diag_part = self.operators[0].diag_part()
        for operator in self.operators[1:]:
            diag_part = diag_part[..., :, None] * operator.diag_part()[..., None, :]
            diag_part = reshape(diag_part, diag_part.shape.as_list()[:-2] + [-1])
        return diag_part

    def _to_dense(self) -> Tensor:
        product = self.operators[0].to_dense()
        for operator in self.operators[1:]:
            product = product[..., :, None, :, None] * operator.to_dense()[..., None, :, None, :]
            s = product.shape.as_list()
            product = reshape(product, s[:-4] + [s[-4] * s[-3], s[-2] * s[-1]])
        return product

    def _eigvals(self) -> Tensor:
        eigvals = [operator.eigvals() for operator in self.operators]
        product = eigvals[0]
        for eigval in eigvals[1:]:
            product = product[..., None] * eigval[..., None, :]
            product = reshape(product, product.shape.as_list()[:-2] + [-1])
        return product

    def _assert_non_singular(self) -> Any:
        if all(operator.is_square for operator in self.operators):
            for operator in self.operators:
                operator.assert_non_singular()
            return None
        raise InvalidArgumentError(None, None, _NOT_SQUARE)

    def _assert_self_adjoint(self) -> Any:
        if all(operator.is_square for operator in self.operators):
            for operator in self.operators:
                operator.assert_self_adjoint()
            return None
        raise InvalidArgumentError(None, None, _NOT_SQUARE)

    @property
    def _experimental_parameter_ndims_to_matrix_ndims(self) -> dict:
        return {"operators": [0] * len(self.operators)}

    @property
    def _composite_tensor_fields(self) -> tuple:
        return ("operators",)
