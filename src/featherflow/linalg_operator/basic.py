"""``LinearOperatorFullMatrix``, ``LinearOperatorDiag`` and ``LinearOperatorLowerTriangular`` (TF's classes)."""

from __future__ import annotations

from typing import Any

from ..dtypes import complex64, complex128, float16, float32, float64
from ..naming import name_scope
from ..ops.array.core import expand_dims, shape
from ..ops.array.create import cast
from ..ops.array.join import concat
from ..ops.debugging.checks import assert_positive
from ..ops.linalg.core import adjoint as _adjoint
from ..ops.linalg.core import matmul
from ..ops.linalg.decomp import triangular_solve
from ..ops.linalg.diag import band_part, diag, diag_part, set_diag
from ..ops.math.api import abs as _abs
from ..ops.math.api import conj, log, real, sqrt
from ..ops.math.reduce import reduce_max, reduce_min, reduce_prod, reduce_sum
from ..shape import TensorShape
from ..tensor import Tensor, convert_to_tensor
from . import _util
from .base import LinearOperator, register_class

_FULL_MATRIX_DTYPES = [float16, float32, float64, complex64, complex128]


def _hints(**hints: Any) -> dict:
    return dict(is_non_singular=hints.get("is_non_singular"), is_self_adjoint=hints.get("is_self_adjoint"),
                is_positive_definite=hints.get("is_positive_definite"), is_square=hints.get("is_square"))


class LinearOperatorFullMatrix(LinearOperator):
    """``LinearOperator`` that wraps a [batch] matrix (``tf.linalg.LinearOperatorFullMatrix``)."""

    def __init__(self, matrix: Any, is_non_singular: bool | None = None, is_self_adjoint: bool | None = None,
                 is_positive_definite: bool | None = None, is_square: bool | None = None,
                 name: str = "LinearOperatorFullMatrix") -> None:
        parameters = dict(matrix=matrix, is_non_singular=is_non_singular, is_self_adjoint=is_self_adjoint,
                          is_positive_definite=is_positive_definite, is_square=is_square, name=name)
        with name_scope(name):
            self._matrix = _util.convert_nonref_to_tensor(matrix)
            self._check_matrix(self._matrix)
            super().__init__(dtype=self._matrix.dtype, is_non_singular=is_non_singular,
                             is_self_adjoint=is_self_adjoint, is_positive_definite=is_positive_definite,
                             is_square=is_square, parameters=parameters, name=name)

    def _check_matrix(self, matrix: Any) -> None:
        matrix = convert_to_tensor(matrix)
        if matrix.dtype not in _FULL_MATRIX_DTYPES:
            raise TypeError(f"Argument `matrix` must have dtype in {_FULL_MATRIX_DTYPES}. Received: {matrix.dtype}.")
        if matrix.shape.rank is not None and matrix.shape.rank < 2:
            raise ValueError(f"Argument `matrix` must have at least 2 dimensions. Received: {matrix}.")

    @property
    def matrix(self) -> Any:
        """The [batch] matrix this operator wraps."""
        return self._matrix

    def _shape(self) -> TensorShape:
        return self._matrix.shape

    def _shape_tensor(self) -> Tensor:
        return shape(self._matrix)

    def _matmul(self, x: Tensor, adjoint: bool = False, adjoint_arg: bool = False) -> Tensor:
        return matmul(self._matrix, x, adjoint_a=adjoint, adjoint_b=adjoint_arg)

    def _solve(self, rhs: Tensor, adjoint: bool = False, adjoint_arg: bool = False) -> Tensor:
        return self._dense_solve(rhs, adjoint=adjoint, adjoint_arg=adjoint_arg)

    def _to_dense(self) -> Tensor:
        return convert_to_tensor(self._matrix)

    @property
    def _experimental_parameter_ndims_to_matrix_ndims(self) -> dict:
        return {"matrix": 2}

    @property
    def _composite_tensor_fields(self) -> tuple:
        return ("matrix",)

class LinearOperatorDiag(LinearOperator):
    """``LinearOperator`` acting like a [batch] square diagonal matrix (``tf.linalg.LinearOperatorDiag``)."""

    def __init__(self, diag: Any, is_non_singular: bool | None = None, is_self_adjoint: bool | None = None,
                 is_positive_definite: bool | None = None, is_square: bool | None = None,
                 name: str = "LinearOperatorDiag") -> None:
        parameters = dict(diag=diag, is_non_singular=is_non_singular, is_self_adjoint=is_self_adjoint,
                          is_positive_definite=is_positive_definite, is_square=is_square, name=name)
        with name_scope(name):
            self._diag = _util.convert_nonref_to_tensor(diag)
            self._check_diag(self._diag)
            if not self._diag.dtype.is_complex:
                if is_self_adjoint is False:
                    raise ValueError("A real diagonal operator is always self adjoint.")
                is_self_adjoint = True
            if is_square is False:
                raise ValueError("Only square diagonal operators currently supported.")
            is_square = True
            super().__init__(dtype=self._diag.dtype, is_non_singular=is_non_singular,
                             is_self_adjoint=is_self_adjoint, is_positive_definite=is_positive_definite,
                             is_square=is_square, parameters=parameters, name=name)

    def _check_diag(self, diag: Any) -> None:
        if diag.shape.rank is not None and diag.shape.rank < 1:
            raise ValueError(f"Argument diag must have at least 1 dimension.  Found: {diag!s}")

    def _shape(self) -> TensorShape:
        d_shape = TensorShape(self._diag.shape)
        return d_shape.concatenate(d_shape[-1:])

    def _shape_tensor(self) -> Tensor:
        d_shape = shape(self._diag)
        return concat((d_shape, d_shape[-1:]), 0)

    @property
    def diag(self) -> Any:
        """The [batch] diagonal of this operator."""
        return self._diag

    def _linop_inverse(self) -> LinearOperatorDiag:
        return LinearOperatorDiag(1.0 / convert_to_tensor(self.diag), is_non_singular=self.is_non_singular,
                                  is_self_adjoint=self.is_self_adjoint,
                                  is_positive_definite=self.is_positive_definite, is_square=True)

    def _commuting_hints(self, left: LinearOperator, right: LinearOperator) -> dict:
        return dict(is_non_singular=_util.combined_non_singular_hint(left, right),
                    is_self_adjoint=_util.combined_commuting_self_adjoint_hint(left, right),
                    is_positive_definite=_util.combined_commuting_positive_definite_hint(left, right),
                    is_square=True)

    def _linop_matmul(self, left_operator: LinearOperatorDiag, right_operator: LinearOperator) -> LinearOperator:
        hints = self._commuting_hints(left_operator, right_operator)
        d = convert_to_tensor(left_operator.diag)
        if isinstance(right_operator, LinearOperatorDiag):
            return LinearOperatorDiag(diag=d * right_operator.diag, **hints)
        if hasattr(right_operator, "_ones_diag") and hasattr(right_operator, "multiplier"):
            return LinearOperatorDiag(diag=d * right_operator.multiplier, **hints)
        if isinstance(right_operator, LinearOperatorLowerTriangular):
            return LinearOperatorLowerTriangular(tril=d[..., None] * right_operator.to_dense(),
                                                 **dict(hints, is_positive_definite=None))
        return super()._linop_matmul(left_operator, right_operator)

    def _linop_solve(self, left_operator: LinearOperatorDiag, right_operator: LinearOperator) -> LinearOperator:
        hints = self._commuting_hints(left_operator, right_operator)
        d = convert_to_tensor(left_operator.diag)
        if isinstance(right_operator, LinearOperatorDiag):
            return LinearOperatorDiag(diag=right_operator.diag / d, **hints)
        if hasattr(right_operator, "_ones_diag") and hasattr(right_operator, "multiplier"):
            return LinearOperatorDiag(diag=right_operator.multiplier / d, **hints)
        if isinstance(right_operator, LinearOperatorLowerTriangular):
            return LinearOperatorLowerTriangular(tril=right_operator.to_dense() / d[..., None],
                                                 **dict(hints, is_positive_definite=None))
        return super()._linop_solve(left_operator, right_operator)

    def _assert_non_singular(self) -> Any:
        return _util.assert_no_entries_with_modulus_zero(
            self._diag, message="Singular operator:  Diagonal contained zero values.")

    def _assert_positive_definite(self) -> Any:
        if self.dtype.is_complex:
            message = ("Diagonal operator had diagonal entries with non-positive real part, thus was not positive "
                       "definite.")
        else:
            message = "Real diagonal operator had non-positive diagonal entries, thus was not positive definite."
        return assert_positive(real(self._diag), message=message)

    def _assert_self_adjoint(self) -> Any:
        return _util.assert_zero_imag_part(
            self._diag, message="This diagonal operator contained non-zero imaginary values.   Thus it was not "
                                "self-adjoint.")

    def _linop_adjoint(self) -> LinearOperatorDiag:
        d = self.diag
        if d.dtype.is_complex:
            d = conj(d)
        return LinearOperatorDiag(diag=d, is_non_singular=self.is_non_singular, is_self_adjoint=self.is_self_adjoint,
                                  is_positive_definite=self.is_positive_definite, is_square=True)

    def _linop_cholesky(self) -> LinearOperatorDiag:
        return LinearOperatorDiag(sqrt(self.diag), is_non_singular=True, is_self_adjoint=True,
                                  is_positive_definite=True, is_square=True)

    def _matmul(self, x: Tensor, adjoint: bool = False, adjoint_arg: bool = False) -> Tensor:
        diag_term = conj(self._diag) if adjoint else convert_to_tensor(self._diag)
        x = _adjoint(x) if adjoint_arg else x
        return expand_dims(diag_term, -1) * x

    def _matvec(self, x: Tensor, adjoint: bool = False) -> Tensor:
        diag_term = conj(self._diag) if adjoint else convert_to_tensor(self._diag)
        return diag_term * x

    def _determinant(self) -> Tensor:
        return reduce_prod(self._diag, axis=[-1])

    def _log_abs_determinant(self) -> Tensor:
        log_det = reduce_sum(log(_abs(self._diag)), axis=[-1])
        if self.dtype.is_complex:
            log_det = cast(log_det, dtype=self.dtype)
        return log_det

    def _solve(self, rhs: Tensor, adjoint: bool = False, adjoint_arg: bool = False) -> Tensor:
        diag_term = conj(self._diag) if adjoint else convert_to_tensor(self._diag)
        rhs = _adjoint(rhs) if adjoint_arg else rhs
        return rhs * expand_dims(1.0 / diag_term, -1)

    def _to_dense(self) -> Tensor:
        return diag(self._diag)

    def _diag_part(self) -> Tensor:
        return convert_to_tensor(self.diag)

    def _add_to_tensor(self, x: Tensor) -> Tensor:
        return set_diag(x, self._diag + diag_part(x))

    def _eigvals(self) -> Tensor:
        return convert_to_tensor(self.diag)

    def _cond(self) -> Tensor:
        abs_diag = _abs(self.diag)
        return reduce_max(abs_diag, axis=-1) / reduce_min(abs_diag, axis=-1)

    @property
    def _experimental_parameter_ndims_to_matrix_ndims(self) -> dict:
        return {"diag": 1}

    @property
    def _composite_tensor_fields(self) -> tuple:
        return ("diag",)

@register_class
class LinearOperatorLowerTriangular(LinearOperator):
    """``LinearOperator`` acting like a [batch] square lower triangular matrix."""

    def __init__(self, tril: Any, is_non_singular: bool | None = None, is_self_adjoint: bool | None = None,
                 is_positive_definite: bool | None = None, is_square: bool | None = None,
                 name: str = "LinearOperatorLowerTriangular") -> None:
        parameters = dict(tril=tril, is_non_singular=is_non_singular, is_self_adjoint=is_self_adjoint,
                          is_positive_definite=is_positive_definite, is_square=is_square, name=name)
        if is_square is False:
            raise ValueError("Only square lower triangular operators supported at this time.")
        is_square = True
        with name_scope(name):
            self._tril = _util.convert_nonref_to_tensor(tril)
            self._check_tril(self._tril)
            super().__init__(dtype=self._tril.dtype, is_non_singular=is_non_singular,
                             is_self_adjoint=is_self_adjoint, is_positive_definite=is_positive_definite,
                             is_square=is_square, parameters=parameters, name=name)

    @property
    def tril(self) -> Any:
        """The lower triangular matrix defining this operator."""
        return self._tril

    def _check_tril(self, tril: Any) -> None:
        if tril.shape.rank is not None and tril.shape.rank < 2:
            raise ValueError(f"Argument tril must have at least 2 dimensions.  Found: {tril!s}")

    def _get_tril(self) -> Tensor:
        return band_part(self._tril, -1, 0)

    def _get_diag(self) -> Tensor:
        return diag_part(self._tril)

    def _shape(self) -> TensorShape:
        return self._tril.shape

    def _shape_tensor(self) -> Tensor:
        return shape(self._tril)

    def _assert_non_singular(self) -> Any:
        return _util.assert_no_entries_with_modulus_zero(
            self._get_diag(), message="Singular operator:  Diagonal contained zero values.")

    def _matmul(self, x: Tensor, adjoint: bool = False, adjoint_arg: bool = False) -> Tensor:
        return matmul(self._get_tril(), x, adjoint_a=adjoint, adjoint_b=adjoint_arg)

    def _linop_matmul(self, left_operator: LinearOperatorLowerTriangular,
                      right_operator: LinearOperator) -> LinearOperator:
        if hasattr(right_operator, "_check_diag"):  # a LinearOperatorDiag: scales the columns
            return LinearOperatorLowerTriangular(
                tril=left_operator.to_dense() * right_operator.diag,
                is_non_singular=_util.combined_non_singular_hint(right_operator, left_operator),
                is_self_adjoint=_util.combined_commuting_self_adjoint_hint(right_operator, left_operator),
                is_positive_definite=None, is_square=True)
        return super()._linop_matmul(left_operator, right_operator)

    def _determinant(self) -> Tensor:
        return reduce_prod(self._get_diag(), axis=[-1])

    def _log_abs_determinant(self) -> Tensor:
        return reduce_sum(log(_abs(self._get_diag())), axis=[-1])

    def _solve(self, rhs: Tensor, adjoint: bool = False, adjoint_arg: bool = False) -> Tensor:
        rhs = _adjoint(rhs) if adjoint_arg else rhs
        return triangular_solve(self._get_tril(), rhs, lower=True, adjoint=adjoint)

    def _to_dense(self) -> Tensor:
        return self._get_tril()

    def _eigvals(self) -> Tensor:
        return self._get_diag()

    @property
    def _experimental_parameter_ndims_to_matrix_ndims(self) -> dict:
        return {"tril": 2}

    @property
    def _composite_tensor_fields(self) -> tuple:
        return ("tril",)
