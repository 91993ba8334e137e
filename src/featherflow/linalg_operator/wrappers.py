"""``LinearOperatorComposition``, ``LinearOperatorAdjoint`` and ``LinearOperatorInversion``: operators built from
other operators (TF's classes)."""

from __future__ import annotations

from typing import Any

from ..naming import name_scope
from ..ops.array.join import broadcast_static_shape, concat
from ..ops.linalg.core import adjoint as _adjoint
from ..ops.linalg.decomp import cholesky as _cholesky
from ..ops.math.api import conj, sign
from ..shape import TensorShape
from ..tensor import Tensor
from . import _util
from ._util import checked_operators
from .base import LinearOperator, register_class


@register_class
class LinearOperatorComposition(LinearOperator):
    """Composes one or more ``LinearOperators``: ``A1 A2 ... AJ`` (``tf.linalg.LinearOperatorComposition``)."""

    def __init__(self, operators: Any, is_non_singular: bool | None = None, is_self_adjoint: bool | None = None,
                 is_positive_definite: bool | None = None, is_square: bool | None = None,
                 name: str | None = None) -> None:
        parameters = dict(operators=operators, is_non_singular=is_non_singular, is_self_adjoint=is_self_adjoint,
                          is_positive_definite=is_positive_definite, is_square=is_square, name=name)
        operators = self._operators = checked_operators(operators, "Expected a non-empty list of operators. Found: {}")
        dtype = operators[0].dtype
        if all(operator.is_non_singular for operator in operators):
            if is_non_singular is False:
                raise ValueError("The composition of non-singular operators is always non-singular.")
            is_non_singular = True
        if _composition_must_be_self_adjoint(operators):
            if is_self_adjoint is False:
                raise ValueError("The composition was determined to be self-adjoint but user provided incorrect "
                                 "`False` hint.")
            is_self_adjoint = True
        if _util.is_aat_form(operators):
            if is_square is False:
                raise ValueError("The composition was determined have the form A @ A.H, hence it must be square. "
                                 "The user provided an incorrect `False` hint.")
            is_square = True
        if _util.is_aat_form(operators) and is_non_singular:
            if is_positive_definite is False:
                raise ValueError("The composition was determined to be non-singular and have the form A @ A.H, "
                                 "hence it must be positive-definite. The user provided an incorrect `False` hint.")
            is_positive_definite = True
        if name is None:
            name = "_o_".join(operator.name for operator in operators)
        with name_scope(name):
            super().__init__(dtype=dtype, is_non_singular=is_non_singular, is_self_adjoint=is_self_adjoint,
                             is_positive_definite=is_positive_definite, is_square=is_square,
                             parameters=parameters, name=name)

    @property
    def operators(self) -> list:
        """The composed operators, leftmost first."""
        return self._operators

    def _shape(self) -> TensorShape:
        domain_dimension = self.operators[0].domain_dimension
        for operator in self.operators[1:]:
            _util.assert_compatible_dims(domain_dimension, operator.range_dimension)
            domain_dimension = operator.domain_dimension
        matrix_shape = TensorShape([self.operators[0].range_dimension.value,
                                    self.operators[-1].domain_dimension.value])
        batch_shape = self.operators[0].batch_shape
        for operator in self.operators[1:]:
            batch_shape = broadcast_static_shape(batch_shape, operator.batch_shape)
        return TensorShape(batch_shape).concatenate(matrix_shape)

    def _shape_tensor(self) -> Tensor:
        return _util.shape_tensor(self.shape.as_list())

    def _linop_cholesky(self) -> LinearOperator:
        from .basic import LinearOperatorLowerTriangular
        ops = self.operators
        if not (len(ops) == 2 and _util.is_aat_form(ops) and isinstance(ops[0], LinearOperatorLowerTriangular)):
            return LinearOperatorLowerTriangular(_cholesky(self.to_dense()), is_non_singular=True,
                                                 is_self_adjoint=False, is_square=True)
        left_op = ops[0]
        if left_op.is_positive_definite:
            return left_op
        # L L^H with L lower triangular: flip the signs of L's columns so the diagonal is positive
        diag_sign = sign(left_op.diag_part())[..., None, :]
        return LinearOperatorLowerTriangular(tril=left_op.tril / diag_sign, is_non_singular=left_op.is_non_singular,
                                             is_self_adjoint=left_op.is_self_adjoint,
                                             is_positive_definite=True if left_op.is_positive_definite else None,
                                             is_square=True)

    def _matmul(self, x: Tensor, adjoint: bool = False, adjoint_arg: bool = False) -> Tensor:
        order = self.operators if adjoint else list(reversed(self.operators))
        result = order[0].matmul(x, adjoint=adjoint, adjoint_arg=adjoint_arg)
        for operator in order[1:]:
            result = operator.matmul(result, adjoint=adjoint)
        return result

    def _determinant(self) -> Tensor:
        result = self.operators[0].determinant()
        for operator in self.operators[1:]:
            result *= operator.determinant()
        return result

    def _log_abs_determinant(self) -> Tensor:
        result = self.operators[0].log_abs_determinant()
        for operator in self.operators[1:]:
            result += operator.log_abs_determinant()
        return result

    def _solve(self, rhs: Tensor, adjoint: bool = False, adjoint_arg: bool = False) -> Tensor:
        order = list(reversed(self.operators)) if adjoint else self.operators
        solution = order[0].solve(rhs, adjoint=adjoint, adjoint_arg=adjoint_arg)
        for operator in order[1:]:
            solution = operator.solve(solution, adjoint=adjoint)
        return solution

    def _assert_non_singular(self) -> Any:
        if all(operator.is_square for operator in self.operators):
            for operator in self.operators:
                operator.assert_non_singular()
            return None
        return super()._assert_non_singular()

    @property
    def _experimental_parameter_ndims_to_matrix_ndims(self) -> dict:
        return {"operators": [0] * len(self.operators)}

    @property
    def _composite_tensor_fields(self) -> tuple:
        return ("operators",)



def _composition_must_be_self_adjoint(operators: list) -> bool:
    if len(operators) == 1 and operators[0].is_self_adjoint:
        return True
    return _util.is_aat_form(operators)


def _combine(operator: LinearOperator, provided: dict, relation: str) -> dict:
    """Hints of an operator derived from ``operator`` that shares its square/singular/adjoint/definite-ness."""
    words = dict(is_square="square", is_non_singular="non-singular", is_self_adjoint="self-adjoint",
                 is_positive_definite="positive-definite")
    return {attr: _util.use_operator_or_provided_hint_unless_contradicting(
        operator, attr, provided[attr], f"An operator is {word} if and only if its {relation} is {word}.")
        for attr, word in words.items()}

@register_class
class LinearOperatorAdjoint(LinearOperator):
    """``LinearOperator`` representing the adjoint of another operator (``tf.linalg.LinearOperatorAdjoint``)."""

    def __init__(self, operator: LinearOperator, is_non_singular: bool | None = None,
                 is_self_adjoint: bool | None = None, is_positive_definite: bool | None = None,
                 is_square: bool | None = None, name: str | None = None) -> None:
        parameters = dict(operator=operator, is_non_singular=is_non_singular, is_self_adjoint=is_self_adjoint,
                          is_positive_definite=is_positive_definite, is_square=is_square, name=name)
        self._operator = operator
        hints = _combine(operator, dict(is_square=is_square, is_non_singular=is_non_singular,
                                        is_self_adjoint=is_self_adjoint,
                                        is_positive_definite=is_positive_definite), "adjoint")
        if name is None:
            name = operator.name + "_adjoint"
        with name_scope(name):
            super().__init__(dtype=operator.dtype, parameters=parameters, name=name, **hints)

    @property
    def operator(self) -> LinearOperator:
        """The operator before taking the adjoint."""
        return self._operator

    def _linop_adjoint(self) -> LinearOperator:
        return self.operator

    def _assert_non_singular(self) -> Any:
        return self.operator.assert_non_singular()

    def _assert_positive_definite(self) -> Any:
        return self.operator.assert_positive_definite()

    def _assert_self_adjoint(self) -> Any:
        return self.operator.assert_self_adjoint()

    def _shape(self) -> TensorShape:
        s = self.operator.shape
        return s[:-2].concatenate([s[-1], s[-2]])

    def _shape_tensor(self) -> Tensor:
        s = self.operator.shape_tensor()
        return concat([s[:-2], s[-1:], s[-2:-1]], axis=-1)

    def _matmul(self, x: Tensor, adjoint: bool = False, adjoint_arg: bool = False) -> Tensor:
        return self.operator.matmul(x, adjoint=not adjoint, adjoint_arg=adjoint_arg)

    def _matvec(self, x: Tensor, adjoint: bool = False) -> Tensor:
        return self.operator.matvec(x, adjoint=not adjoint)

    def _determinant(self) -> Tensor:
        if self.is_self_adjoint:
            return self.operator.determinant()
        return conj(self.operator.determinant())

    def _log_abs_determinant(self) -> Tensor:
        return self.operator.log_abs_determinant()

    def _trace(self) -> Tensor:
        if self.is_self_adjoint:
            return self.operator.trace()
        return conj(self.operator.trace())

    def _solve(self, rhs: Tensor, adjoint: bool = False, adjoint_arg: bool = False) -> Tensor:
        return self.operator.solve(rhs, adjoint=not adjoint, adjoint_arg=adjoint_arg)

    def _solvevec(self, rhs: Tensor, adjoint: bool = False) -> Tensor:
        return self.operator.solvevec(rhs, adjoint=not adjoint)

    def _to_dense(self) -> Tensor:
        if self.is_self_adjoint:
            return self.operator.to_dense()
        return _adjoint(self.operator.to_dense())

    def _add_to_tensor(self, x: Tensor) -> Tensor:
        return self.to_dense() + x

    def _eigvals(self) -> Tensor:
        eigvals = self.operator.eigvals()
        if not self.operator.is_self_adjoint:
            eigvals = conj(eigvals)
        return eigvals

    def _cond(self) -> Tensor:
        return self.operator.cond()

    @property
    def _experimental_parameter_ndims_to_matrix_ndims(self) -> dict:
        return {"operator": 0}

    @property
    def _composite_tensor_fields(self) -> tuple:
        return ("operator",)

@register_class
class LinearOperatorInversion(LinearOperator):
    """``LinearOperator`` representing the inverse of another operator (``tf.linalg.LinearOperatorInversion``)."""

    def __init__(self, operator: LinearOperator, is_non_singular: bool | None = None,
                 is_self_adjoint: bool | None = None, is_positive_definite: bool | None = None,
                 is_square: bool | None = None, name: str | None = None) -> None:
        parameters = dict(operator=operator, is_non_singular=is_non_singular, is_self_adjoint=is_self_adjoint,
                          is_positive_definite=is_positive_definite, is_square=is_square, name=name)
        self._operator = operator
        if operator.is_non_singular is False or is_non_singular is False:
            raise ValueError("Argument `is_non_singular` or argument `operator` must have supplied hint "
                             "`is_non_singular` equal to `True` or `None`. Found `operator.is_non_singular`: "
                             f"{operator.is_non_singular}, `is_non_singular`: {is_non_singular}.")
        if operator.is_square is False or is_square is False:
            raise ValueError("Argument `is_square` or argument `operator` must have supplied hint `is_square` "
                             f"equal to `True` or `None`. Found `operator.is_square`: {operator.is_square}, "
                             f"`is_square`: {is_square}.")
        hints = _combine(operator, dict(is_square=is_square, is_non_singular=is_non_singular,
                                        is_self_adjoint=is_self_adjoint,
                                        is_positive_definite=is_positive_definite), "inverse")
        if name is None:
            name = operator.name + "_inv"
        with name_scope(name):
            super().__init__(dtype=operator.dtype, parameters=parameters, name=name, **hints)

    @property
    def operator(self) -> LinearOperator:
        """The operator before inversion."""
        return self._operator

    def _linop_inverse(self) -> LinearOperator:
        return self.operator

    def _linop_solve(self, left_operator: LinearOperatorInversion, right_operator: LinearOperator) -> LinearOperator:
        return left_operator.operator.matmul(right_operator)

    def _assert_non_singular(self) -> Any:
        return self.operator.assert_non_singular()

    def _assert_positive_definite(self) -> Any:
        return self.operator.assert_positive_definite()

    def _assert_self_adjoint(self) -> Any:
        return self.operator.assert_self_adjoint()

    def _shape(self) -> TensorShape:
        return self.operator.shape

    def _shape_tensor(self) -> Tensor:
        return self.operator.shape_tensor()

    def _matmul(self, x: Tensor, adjoint: bool = False, adjoint_arg: bool = False) -> Tensor:
        return self.operator.solve(x, adjoint=adjoint, adjoint_arg=adjoint_arg)

    def _determinant(self) -> Tensor:
        return 1.0 / self.operator.determinant()

    def _log_abs_determinant(self) -> Tensor:
        return -1.0 * self.operator.log_abs_determinant()

    def _solve(self, rhs: Tensor, adjoint: bool = False, adjoint_arg: bool = False) -> Tensor:
        return self.operator.matmul(rhs, adjoint=adjoint, adjoint_arg=adjoint_arg)

    def _eigvals(self) -> Tensor:
        return 1.0 / self.operator.eigvals()

    def _cond(self) -> Tensor:
        return self.operator.cond()

    @property
    def _experimental_parameter_ndims_to_matrix_ndims(self) -> dict:
        return {"operator": 0}

    @property
    def _composite_tensor_fields(self) -> tuple:
        return ("operator",)
