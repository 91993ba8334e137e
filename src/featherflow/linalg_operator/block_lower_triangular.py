"""``LinearOperatorBlockLowerTriangular``: a square block lower triangular operator built from rows of operators
(TF's class). Like ``LinearOperatorBlockDiag`` it also takes blockwise (list) arguments."""

from __future__ import annotations

from typing import Any

from ..naming import name_scope
from ..ops.array.core import squeeze
from ..ops.array.create import cast, zeros
from ..ops.array.join import broadcast_static_shape, concat, split
from ..ops.linalg.core import adjoint as _adjoint
from ..ops.math.api import exp
from ..shape import Dimension, TensorShape
from ..tensor import Tensor, convert_to_tensor
from . import _util
from .base import LinearOperator
from .basic import LinearOperatorFullMatrix
from .block_diag import LinearOperatorBlockDiag, arg_is_blockwise
from .identity import LinearOperatorScaledIdentity


class LinearOperatorBlockLowerTriangular(LinearOperator):
    """Combines ``LinearOperators`` into a blockwise lower-triangular matrix: row ``i`` holds ``i + 1`` blocks."""

    def __init__(self, operators: Any, is_non_singular: bool | None = None, is_self_adjoint: bool | None = None,
                 is_positive_definite: bool | None = None, is_square: bool | None = None,
                 name: str = "LinearOperatorBlockLowerTriangular") -> None:
        parameters = dict(operators=operators, is_non_singular=is_non_singular, is_self_adjoint=is_self_adjoint,
                          is_positive_definite=is_positive_definite, is_square=is_square, name=name)
        for value in [operators, *operators]:
            if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
                raise TypeError(f"Expected argument to be iterable but got {value!r}")
        operators = [list(row) for row in operators]
        if not operators:
            raise ValueError(f"Argument `operators` must be a list of >=1 operators. Received: {operators}.")
        self._operators = operators
        self._diagonal_operators = [row[-1] for row in operators]
        dtype = operators[0][0].dtype
        self._validate_dtype(dtype)
        is_non_singular = self._validate_non_singular(is_non_singular)
        self._validate_num_operators()
        self._validate_operator_dimensions()
        is_square = self._validate_square(is_square)
        with name_scope(name):
            super().__init__(dtype=dtype, is_non_singular=is_non_singular, is_self_adjoint=is_self_adjoint,
                             is_positive_definite=is_positive_definite, is_square=is_square,
                             parameters=parameters, name=name)

    def _validate_num_operators(self) -> None:
        for i, row in enumerate(self.operators):
            if len(row) != i + 1:
                raise ValueError(f"Argument `operators[{i}]` must contain `{i + 1}` blocks. Received: {len(row)} "
                                 "blocks.")

    def _validate_operator_dimensions(self) -> None:
        for i in range(1, len(self.operators)):
            for j in range(i):
                op, above_op, right_op = self.operators[i][j], self.operators[i - 1][j], self.operators[i][j + 1]
                if op.domain_dimension != above_op.domain_dimension:
                    raise ValueError(f"Argument `operators[{i}][{j}].domain_dimension` ({op.domain_dimension}) must "
                                     f"be the same as `operators[{i - 1}][{j}].domain_dimension` "
                                     f"({above_op.domain_dimension}).")
                if op.range_dimension != right_op.range_dimension:
                    raise ValueError(f"Argument `operators[{i}][{j}].range_dimension` ({op.range_dimension}) must "
                                     f"be the same as `operators[{i}][{j + 1}].range_dimension` "
                                     f"({right_op.range_dimension}).")

    def _validate_non_singular(self, is_non_singular: bool | None) -> bool | None:
        if all(op.is_non_singular for op in self._diagonal_operators):
            if is_non_singular is False:
                raise ValueError("A blockwise lower-triangular operator with non-singular operators on the main "
                                 "diagonal is always non-singular. Expected argument `is_non_singular` to be True. "
                                 f"Received: {is_non_singular}.")
            return True
        if any(op.is_non_singular is False for op in self._diagonal_operators):
            if is_non_singular is True:
                raise ValueError("A blockwise lower-triangular operator with a singular operator on the main "
                                 "diagonal is always singular. Expected argument `is_non_singular` to be True. "
                                 f"Received: {is_non_singular}.")
            return False
        return None  # as TF: an unknown diagonal drops a provided hint

    def _validate_square(self, is_square: bool | None) -> bool:
        if is_square is False:
            raise ValueError("`LinearOperatorBlockLowerTriangular` must be square. Expected argument `is_square` to "
                             f"be True. Received: {is_square}.")
        for i, op in enumerate(self._diagonal_operators):
            if op.is_square is False:
                raise ValueError("Matrices on the diagonal (the final elements of each row-partition in the "
                                 "`operators` list) must be square. Expected argument "
                                 f"`operators[{i}][-1].is_square` to be True. Received: {op.is_square}.")
        return True

    def _validate_dtype(self, dtype: Any) -> None:
        for i, row in enumerate(self.operators):
            for operator in row:
                if operator.dtype != dtype:
                    # TF formats a generator object here (its address); the names and dtypes say more
                    name_type = [str((o.name, o.dtype)) for o in row]
                    raise TypeError(f"Expected all operators to have the same dtype.  Found {name_type} in row {i} "
                                    f"and {dtype} in row 0.")

    @property
    def operators(self) -> list:
        """The rows of blocks: row ``i`` holds ``i + 1`` operators."""
        return self._operators

    def _block_range_dimensions(self) -> list[Dimension]:
        return [op.range_dimension for op in self._diagonal_operators]

    def _block_domain_dimensions(self) -> list[Dimension]:
        return [op.domain_dimension for op in self._diagonal_operators]

    def _shape(self) -> TensorShape:
        n = sum(d.value for d in self._block_domain_dimensions())
        batch = self.operators[0][0].batch_shape
        for row in self.operators[1:]:
            for operator in row:
                batch = broadcast_static_shape(batch, operator.batch_shape)
        return TensorShape(batch).concatenate([n, n])

    def _shape_tensor(self) -> Tensor:
        return _util.shape_tensor(self.shape.as_list())

    def _linop_inverse(self) -> LinearOperatorBlockLowerTriangular:
        # the inverse of [[A, 0], [C, D]] is [[A^-1, 0], [-D^-1 C A^-1, D^-1]], applied recursively on the rows
        if len(self.operators) == 1:
            return LinearOperatorBlockLowerTriangular(
                [[self.operators[0][0].inverse()]], is_non_singular=self.is_non_singular,
                is_self_adjoint=self.is_self_adjoint, is_positive_definite=self.is_positive_definite, is_square=True)
        n = len(self.operators)
        upper_left_inverse = LinearOperatorBlockLowerTriangular(self.operators[:-1]).inverse()
        bottom_row = self.operators[-1]
        bottom_right_inverse = bottom_row[-1].inverse()
        inverse_bottom_row = []
        for i in range(n - 1):
            # TF sums these products with linear_operator_addition, which keeps special structure (two
            # diagonals add to a diagonal); the sum here is always a full matrix, with the same values
            total = None
            for j in range(i, n - 1):
                dense = bottom_row[j].matmul(upper_left_inverse.operators[j][i]).to_dense()
                total = dense if total is None else total + dense
            block = bottom_right_inverse.matmul(LinearOperatorFullMatrix(total))
            minus_one = LinearOperatorScaledIdentity(num_rows=bottom_right_inverse.domain_dimension.value,
                                                     multiplier=cast(-1, dtype=block.dtype))
            inverse_bottom_row.append(minus_one.matmul(block))
        inverse_bottom_row.append(bottom_right_inverse)
        return LinearOperatorBlockLowerTriangular(
            upper_left_inverse.operators + [inverse_bottom_row], is_non_singular=self.is_non_singular,
            is_self_adjoint=self.is_self_adjoint, is_positive_definite=self.is_positive_definite, is_square=True)

    def _check_blocks(self, blocks: list, block_dimensions: list, arg_dim: int) -> list:
        blocks = list(blocks)
        for i, block in enumerate(blocks):
            if not isinstance(block, LinearOperator):
                block = convert_to_tensor(block)
                self._check_input_dtype(block)
                _util.assert_compatible_dims(block_dimensions[i], block.shape[arg_dim])
                blocks[i] = block
        return blocks

    def matmul(self, x: Any, adjoint: bool = False, adjoint_arg: bool = False, name: str = "matmul") -> Any:
        """``self @ x``; ``x`` may be an operator, a [batch] matrix, or a list of one matrix per block."""
        if isinstance(x, LinearOperator):
            return super().matmul(x, adjoint=adjoint, adjoint_arg=adjoint_arg, name=name)
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
        split_x = x if blockwise_arg else split(x, [d.value for d in self._block_domain_dimensions()], axis=arg_dim)
        n, result_list = len(self.operators), []
        if adjoint:
            for index in range(n):
                result = self.operators[index][index].matmul(split_x[index], adjoint=adjoint, adjoint_arg=adjoint_arg)
                for j in range(index + 1, n):
                    result += self.operators[j][index].matmul(split_x[j], adjoint=adjoint, adjoint_arg=adjoint_arg)
                result_list.append(result)
        else:
            for row in self.operators:
                result = row[0].matmul(split_x[0], adjoint=adjoint, adjoint_arg=adjoint_arg)
                for j, operator in enumerate(row[1:]):
                    result += operator.matmul(split_x[j + 1], adjoint=adjoint, adjoint_arg=adjoint_arg)
                result_list.append(result)
        if blockwise_arg:
            return result_list
        return concat(_util.broadcast_matrix_batch_dims(result_list), axis=-2)

    def _determinant(self) -> Tensor:
        if all(op.is_positive_definite for op in self._diagonal_operators):
            return exp(self._log_abs_determinant())
        result = self._diagonal_operators[0].determinant()
        for op in self._diagonal_operators[1:]:
            result *= op.determinant()
        return result

    def _log_abs_determinant(self) -> Tensor:
        result = self._diagonal_operators[0].log_abs_determinant()
        for op in self._diagonal_operators[1:]:
            result += op.log_abs_determinant()
        return result

    def solve(self, rhs: Any, adjoint: bool = False, adjoint_arg: bool = False, name: str = "solve") -> Any:
        """Solves ``A X = rhs`` by block forward (or, adjoint, backward) substitution."""
        if isinstance(rhs, LinearOperator) or self.is_non_singular is False or self.is_square is False:
            return super().solve(rhs, adjoint=adjoint, adjoint_arg=adjoint_arg, name=name)
        with self._name_scope(name):
            block_dimensions = self._block_domain_dimensions() if adjoint else self._block_range_dimensions()
            arg_dim = -1 if adjoint_arg else -2
            blockwise_arg = arg_is_blockwise(block_dimensions, rhs, arg_dim)
            if blockwise_arg:
                rhs = self._check_blocks(rhs, block_dimensions, arg_dim)
                split_rhs = [_adjoint(y) for y in rhs] if adjoint_arg else rhs
            else:
                rhs = convert_to_tensor(rhs)
                self._check_input_dtype(rhs)
                _util.assert_compatible_dims(self.domain_dimension if adjoint else self.range_dimension,
                                             rhs.shape[arg_dim])
                rhs = _adjoint(rhs) if adjoint_arg else rhs
                split_rhs = split(rhs, [d.value for d in self._block_domain_dimensions()], axis=-2)
            n, solution_list = len(self.operators), []
            if adjoint:
                for index in reversed(range(n)):
                    y = split_rhs[index]
                    for j in reversed(range(index + 1, n)):
                        y = y - self.operators[j][index].matmul(solution_list[n - 1 - j], adjoint=adjoint)
                    solution_list.append(self._diagonal_operators[index].solve(y, adjoint=adjoint))
                solution_list.reverse()
            else:
                for row, y in zip(self.operators, split_rhs):
                    for i, operator in enumerate(row[:-1]):
                        y = y - operator.matmul(solution_list[i], adjoint=adjoint)
                    solution_list.append(row[-1].solve(y, adjoint=adjoint))
            if blockwise_arg:
                return solution_list
            return concat(_util.broadcast_matrix_batch_dims(solution_list), axis=-2)

    def _diag_part(self) -> Tensor:
        parts = _util.broadcast_matrix_batch_dims([op.diag_part()[..., None] for op in self._diagonal_operators])
        return squeeze(concat(parts, axis=-2), axis=-1)

    def _trace(self) -> Tensor:
        result = self._diagonal_operators[0].trace()
        for op in self._diagonal_operators[1:]:
            result += op.trace()
        return result

    def _to_dense(self) -> Tensor:
        flat = _util.broadcast_matrix_batch_dims([op.to_dense() for row in self.operators for op in row])
        total, num_cols, dense_rows = self.domain_dimension.value, 0, []
        for i in range(len(self.operators)):
            row_blocks = flat[i * (i + 1) // 2:(i + 1) * (i + 2) // 2]
            batch_row_shape = row_blocks[0].shape.as_list()[:-1]
            num_cols += row_blocks[-1].shape[-1]
            row_blocks.append(zeros(batch_row_shape + [total - num_cols], dtype=self.dtype))
            dense_rows.append(concat(row_blocks, axis=-1))
        return concat(dense_rows, axis=-2)

    def _assert_non_singular(self) -> None:
        for op in self._diagonal_operators:
            op.assert_non_singular()

    def _eigvals(self) -> Tensor:
        eigs = _util.broadcast_matrix_batch_dims([op.eigvals()[..., None] for op in self._diagonal_operators])
        return squeeze(concat(eigs, axis=-2), axis=-1)

    @property
    def _experimental_parameter_ndims_to_matrix_ndims(self) -> dict:
        return {"operators": [[0] * len(row) for row in self.operators]}

    @property
    def _composite_tensor_fields(self) -> tuple:
        return ("operators",)

    # the blockwise vector forms are LinearOperatorBlockDiag's: they only call matmul/solve and the block checks
    matvec = LinearOperatorBlockDiag.matvec
    solvevec = LinearOperatorBlockDiag.solvevec
