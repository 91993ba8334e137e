"""``LinearOperatorBlockDiag``: the direct sum of square operators, a block diagonal matrix (TF's class).

Its ``matmul``/``matvec``/``solve``/``solvevec`` also take a blockwise argument, a list with one tensor per block,
and then return a list."""

from __future__ import annotations

from typing import Any

from ..naming import name_scope
from ..ops.array.core import expand_dims, squeeze
from ..ops.array.create import zeros
from ..ops.array.join import broadcast_static_shape, concat, split
from ..shape import Dimension, TensorShape
from ..tensor import Tensor, convert_to_tensor
from . import _util
from ._util import checked_operators
from .base import LinearOperator


def _is_nested(x: Any) -> bool:
    return isinstance(x, (list, tuple, dict))


def arg_is_blockwise(block_dimensions: list, arg: Any, arg_split_dim: int) -> bool:
    """TF's test for a blockwise argument: a list with one [batch] matrix per block."""
    if not (isinstance(arg, (tuple, list)) and len(arg) == len(block_dimensions)):
        return False
    if not any(_is_nested(x) for x in arg):
        return True
    arg_dims = [convert_to_tensor(x).shape[arg_split_dim] for x in arg]
    self_dims = [dim.value for dim in block_dimensions]
    if all(self_d == arg_d for self_d, arg_d in zip(self_dims, arg_dims)):
        return True
    if all(s == arg_dims[0] for s in arg_dims) and arg_dims[0] >= sum(self_dims):
        return False
    raise ValueError("Input dimension does not match operator dimension.")


def _direct_sum_hint(operators: list, hint: str, provided: Any, what: str) -> Any:
    if all(getattr(o, hint) for o in operators):
        if provided is False:
            raise ValueError(f"The direct sum of {what} operators is always {what}.")
        return True
    return provided


def _check_operators_agree(r: LinearOperator, left: LinearOperator, message: str) -> None:
    if r.range_dimension is not None and left.domain_dimension is not None and r.range_dimension != left.domain_dimension:
        raise ValueError(message)


class LinearOperatorBlockDiag(LinearOperator):
    """Combines one or more square ``LinearOperators`` into one block diagonal operator."""

    def __init__(self, operators: Any, is_non_singular: bool | None = None, is_self_adjoint: bool | None = None,
                 is_positive_definite: bool | None = None, is_square: bool | None = True,
                 name: str | None = None) -> None:
        parameters = dict(operators=operators, is_non_singular=is_non_singular, is_self_adjoint=is_self_adjoint,
                          is_positive_definite=is_positive_definite, is_square=is_square, name=name)
        operators = self._operators = checked_operators(operators, "Expected a non-empty list of operators. Found: {}")
        dtype = operators[0].dtype
        is_non_singular = _direct_sum_hint(operators, "is_non_singular", is_non_singular, "non-singular")
        is_self_adjoint = _direct_sum_hint(operators, "is_self_adjoint", is_self_adjoint, "self-adjoint")
        is_positive_definite = _direct_sum_hint(operators, "is_positive_definite", is_positive_definite,
                                                "positive definite")
        if name is None:
            name = "_ds_".join(operator.name for operator in operators)
        with name_scope(name):
            super().__init__(dtype=dtype, is_non_singular=is_non_singular, is_self_adjoint=is_self_adjoint,
                             is_positive_definite=is_positive_definite, is_square=is_square,
                             parameters=parameters, name=name)

    @property
    def operators(self) -> list:
        """The operators on the diagonal, in order."""
        return self._operators

    def _block_range_dimensions(self) -> list[Dimension]:
        return [op.range_dimension for op in self.operators]

    def _block_domain_dimensions(self) -> list[Dimension]:
        return [op.domain_dimension for op in self.operators]

    def _shape(self) -> TensorShape:
        domain = sum(d.value for d in self._block_domain_dimensions())
        range_ = sum(d.value for d in self._block_range_dimensions())
        batch = self.operators[0].batch_shape
        for operator in self.operators[1:]:
            batch = broadcast_static_shape(batch, operator.batch_shape)
        return TensorShape(batch).concatenate([range_, domain])

    def _shape_tensor(self) -> Tensor:
        return _util.shape_tensor(self.shape.as_list())

    def _linop_adjoint(self) -> LinearOperatorBlockDiag:
        return LinearOperatorBlockDiag(operators=[o.adjoint() for o in self.operators],
                                       is_non_singular=self.is_non_singular, is_self_adjoint=self.is_self_adjoint,
                                       is_positive_definite=self.is_positive_definite, is_square=True)

    def _linop_cholesky(self) -> LinearOperatorBlockDiag:
        return LinearOperatorBlockDiag(operators=[o.cholesky() for o in self.operators], is_non_singular=True,
                                       is_self_adjoint=None, is_square=True)

    def _linop_inverse(self) -> LinearOperatorBlockDiag:
        return LinearOperatorBlockDiag(operators=[o.inverse() for o in self.operators],
                                       is_non_singular=self.is_non_singular, is_self_adjoint=self.is_self_adjoint,
                                       is_positive_definite=self.is_positive_definite, is_square=True)

    def _linop_matmul(self, left_operator: LinearOperator, right_operator: LinearOperator) -> LinearOperator:
        if isinstance(right_operator, LinearOperatorBlockDiag):
            return LinearOperatorBlockDiag(
                operators=[o1.matmul(o2) for o1, o2 in zip(left_operator.operators, right_operator.operators)],
                is_non_singular=_util.combined_non_singular_hint(left_operator, right_operator),
                is_self_adjoint=None, is_positive_definite=None, is_square=True)
        return super()._linop_matmul(left_operator, right_operator)

    def _linop_solve(self, left_operator: LinearOperator, right_operator: LinearOperator) -> LinearOperator:
        if isinstance(right_operator, LinearOperatorBlockDiag):
            return LinearOperatorBlockDiag(
                operators=[o1.solve(o2) for o1, o2 in zip(left_operator.operators, right_operator.operators)],
                is_non_singular=_util.combined_non_singular_hint(left_operator, right_operator),
                is_self_adjoint=None, is_positive_definite=None, is_square=True)
        return super()._linop_solve(left_operator, right_operator)

    def _check_blocks(self, blocks: list, block_dimensions: list, arg_dim: int) -> list:
        blocks = list(blocks)
        for i, block in enumerate(blocks):
            if not isinstance(block, LinearOperator):
                block = convert_to_tensor(block)
                self._check_input_dtype(block)
                _util.assert_compatible_dims(block_dimensions[i], block.shape[arg_dim])
                blocks[i] = block
        return blocks

    def _check_operator_arg(self, x: LinearOperator, adjoint: bool, adjoint_arg: bool, arg: str, verb: str) -> tuple:
        left_operator = self.adjoint() if adjoint else self
        right_operator = x.adjoint() if adjoint_arg else x
        _check_operators_agree(right_operator, left_operator,
                               f"Operators are incompatible. Expected `x` to have dimension "
                               f"{left_operator.domain_dimension} but got {right_operator.range_dimension}.")
        if isinstance(right_operator if arg == "rhs" else x, LinearOperatorBlockDiag):
            if len(left_operator.operators) != len(right_operator.operators):
                raise ValueError(verb)
            for o1, o2 in zip(left_operator.operators, right_operator.operators):
                _check_operators_agree(o2, o1, "Blocks are incompatible. Expected `x` to have dimension "
                                               f"{o1.domain_dimension} but got {o2.range_dimension}.")
        return left_operator, right_operator

    def matmul(self, x: Any, adjoint: bool = False, adjoint_arg: bool = False, name: str = "matmul") -> Any:
        """``self @ x``; ``x`` may be an operator, a [batch] matrix, or a list of one matrix per block."""
        if isinstance(x, LinearOperator):
            left, right = self._check_operator_arg(
                x, adjoint, adjoint_arg, "x", "Can not efficiently multiply two `LinearOperatorBlockDiag`s together "
                                              "when number of blocks differ.")
            with self._name_scope(name):
                return self._linop_matmul(left, right)
        with self._name_scope(name):
            arg_dim = -1 if adjoint_arg else -2
            block_dimensions = self._block_range_dimensions() if adjoint else self._block_domain_dimensions()
            if arg_is_blockwise(block_dimensions, x, arg_dim):
                x = self._check_blocks(x, block_dimensions, arg_dim)
            else:
                x = convert_to_tensor(x)
                self._check_input_dtype(x)
                _util.assert_compatible_dims(self.range_dimension if adjoint else self.domain_dimension,
                                             x.shape[arg_dim])
            return self._matmul(x, adjoint=adjoint, adjoint_arg=adjoint_arg)

    def _matmul(self, x: Any, adjoint: bool = False, adjoint_arg: bool = False) -> Any:
        arg_dim = -1 if adjoint_arg else -2
        block_dimensions = self._block_range_dimensions() if adjoint else self._block_domain_dimensions()
        blockwise_arg = arg_is_blockwise(block_dimensions, x, arg_dim)
        split_x = x if blockwise_arg else split(x, [d.value for d in block_dimensions], axis=arg_dim)
        result_list = [operator.matmul(split_x[i], adjoint=adjoint, adjoint_arg=adjoint_arg)
                       for i, operator in enumerate(self.operators)]
        if blockwise_arg:
            return result_list
        return concat(_util.broadcast_matrix_batch_dims(result_list), axis=-2)

    def matvec(self, x: Any, adjoint: bool = False, name: str = "matvec") -> Any:
        """``self @ x`` for [batch] vectors, or a list of one vector per block."""
        with self._name_scope(name):
            block_dimensions = self._block_range_dimensions() if adjoint else self._block_domain_dimensions()
            if arg_is_blockwise(block_dimensions, x, -1):
                x = self._check_blocks(x, block_dimensions, -1)
                y_mat = self.matmul([block[..., None] for block in x], adjoint=adjoint)
                return [squeeze(y, axis=-1) for y in y_mat]
            x = convert_to_tensor(x)
            self._check_input_dtype(x)
            _util.assert_compatible_dims(self.range_dimension if adjoint else self.domain_dimension, x.shape[-1])
            return squeeze(self.matmul(x[..., None], adjoint=adjoint), axis=-1)

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

    def solve(self, rhs: Any, adjoint: bool = False, adjoint_arg: bool = False, name: str = "solve") -> Any:
        """Solves ``A X = rhs``; ``rhs`` may be an operator, a [batch] matrix, or a list of one per block."""
        if self.is_non_singular is False:
            raise NotImplementedError("Exact solve not implemented for an operator that is expected to be "
                                      "singular.")
        if self.is_square is False:
            raise NotImplementedError("Exact solve not implemented for an operator that is expected to not be "
                                      "square.")
        if isinstance(rhs, LinearOperator):
            left, right = self._check_operator_arg(
                rhs, adjoint, adjoint_arg, "rhs", "Can not efficiently solve `LinearOperatorBlockDiag` when number "
                                                  "of blocks differ.")
            with self._name_scope(name):
                return self._linop_solve(left, right)
        with self._name_scope(name):
            block_dimensions = self._block_domain_dimensions() if adjoint else self._block_range_dimensions()
            arg_dim = -1 if adjoint_arg else -2
            blockwise_arg = arg_is_blockwise(block_dimensions, rhs, arg_dim)
            if blockwise_arg:
                split_rhs = self._check_blocks(rhs, block_dimensions, arg_dim)
            else:
                rhs = convert_to_tensor(rhs)
                self._check_input_dtype(rhs)
                _util.assert_compatible_dims(self.domain_dimension if adjoint else self.range_dimension,
                                             rhs.shape[arg_dim])
                split_rhs = split(rhs, [d.value for d in self._block_domain_dimensions()], axis=arg_dim)
            solution_list = [operator.solve(split_rhs[i], adjoint=adjoint, adjoint_arg=adjoint_arg)
                             for i, operator in enumerate(self.operators)]
            if blockwise_arg:
                return solution_list
            return concat(_util.broadcast_matrix_batch_dims(solution_list), axis=-2)

    def solvevec(self, rhs: Any, adjoint: bool = False, name: str = "solve") -> Any:
        """Solves ``A x = rhs`` for [batch] vectors, or a list of one vector per block."""
        with self._name_scope(name):
            block_dimensions = self._block_domain_dimensions() if adjoint else self._block_range_dimensions()
            if arg_is_blockwise(block_dimensions, rhs, -1):
                rhs = self._check_blocks(rhs, block_dimensions, -1)
                solution_mat = self.solve([expand_dims(block, axis=-1) for block in rhs], adjoint=adjoint)
                return [squeeze(x, axis=-1) for x in solution_mat]
            rhs = convert_to_tensor(rhs)
            self._check_input_dtype(rhs)
            _util.assert_compatible_dims(self.domain_dimension if adjoint else self.range_dimension, rhs.shape[-1])
            return squeeze(self.solve(expand_dims(rhs, axis=-1), adjoint=adjoint), axis=-1)

    def _diag_part(self) -> Tensor:
        if not all(operator.is_square for operator in self.operators):
            raise NotImplementedError("`diag_part` not implemented for an operator whose blocks are not square.")
        parts = _util.broadcast_matrix_batch_dims([o.diag_part()[..., None] for o in self.operators])
        return squeeze(concat(parts, axis=-2), axis=-1)

    def _trace(self) -> Tensor:
        if not all(operator.is_square for operator in self.operators):
            raise NotImplementedError("`trace` not implemented for an operator whose blocks are not square.")
        result = self.operators[0].trace()
        for operator in self.operators[1:]:
            result += operator.trace()
        return result

    def _to_dense(self) -> Tensor:
        num_cols, rows = 0, []
        total = self.domain_dimension.value
        for block in _util.broadcast_matrix_batch_dims([o.to_dense() for o in self.operators]):
            batch_row_shape = block.shape.as_list()[:-1]
            before = zeros(batch_row_shape + [num_cols], dtype=block.dtype)
            num_cols += block.shape[-1]
            after = zeros(batch_row_shape + [total - num_cols], dtype=block.dtype)
            rows.append(concat([before, block, after], axis=-1))
        return concat(rows, axis=-2)

    def _assert_non_singular(self) -> None:
        for operator in self.operators:
            operator.assert_non_singular()

    def _assert_self_adjoint(self) -> None:
        for operator in self.operators:
            operator.assert_self_adjoint()

    def _assert_positive_definite(self) -> None:
        for operator in self.operators:
            operator.assert_positive_definite()

    def _eigvals(self) -> Tensor:
        if not all(operator.is_square for operator in self.operators):
            raise NotImplementedError("`eigvals` not implemented for an operator whose blocks are not square.")
        eigs = _util.broadcast_matrix_batch_dims([o.eigvals()[..., None] for o in self.operators])
        return squeeze(concat(eigs, axis=-2), axis=-1)

    @property
    def _experimental_parameter_ndims_to_matrix_ndims(self) -> dict:
        return {"operators": [0] * len(self.operators)}

    @property
    def _composite_tensor_fields(self) -> tuple:
        return ("operators",)
