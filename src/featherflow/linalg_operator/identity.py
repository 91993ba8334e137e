"""``LinearOperatorIdentity``, ``LinearOperatorScaledIdentity`` and ``LinearOperatorZeros`` (TF's classes)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..dtypes import as_dtype, float32
from ..errors import InvalidArgumentError
from ..naming import name_scope
from ..ops.array.core import shape, stack
from ..ops.array.create import cast, ones, zeros
from ..ops.array.join import broadcast_static_shape, concat
from ..ops.debugging.checks import assert_equal, assert_non_negative, assert_positive, assert_rank
from ..ops.linalg.core import adjoint as _adjoint
from ..ops.linalg.diag import diag_part, set_diag
from ..ops.math.api import abs as _abs
from ..ops.math.api import conj, equal, imag, log, real, sqrt, where
from ..shape import TensorShape
from ..tensor import Tensor, convert_to_tensor
from . import _util
from .base import LinearOperator


def _check_shape_arg(arg: Tensor, static: Any, what: str, assert_proper_shapes: bool) -> None:
    """TF's checks of ``num_rows`` / ``num_columns`` (0-D, integer, non-negative)."""
    if assert_proper_shapes:
        assert_rank(arg, 0, message=f"Argument {what} must be a 0-D Tensor.")
        assert_non_negative(arg, message=f"Argument {what} must be non-negative.")
    if not arg.dtype.is_integer:
        raise TypeError(f"Argument {what} must be integer type.  Found: %s" % arg)
    if static.ndim != 0:
        raise ValueError(f"Argument {what} must be a 0-D Tensor.  Found: %s" % static)
    if static < 0:
        raise ValueError(f"Argument {what} must be non-negative.  Found: %s" % static)


def _check_batch_shape_arg(arg: Tensor, static: Any, assert_proper_shapes: bool) -> None:
    if assert_proper_shapes:
        assert_rank(arg, 1, message="Argument batch_shape must be a 1-D Tensor.")
        assert_non_negative(arg, message="Argument batch_shape must be non-negative.")
    if not arg.dtype.is_integer:
        raise TypeError(f"Argument batch_shape must be integer type.  Found: {arg!s}")
    if static.ndim != 1:
        raise ValueError(f"Argument batch_shape must be a 1-D Tensor.  Found: {static}")
    if np.any(static < 0):
        raise ValueError(f"Argument batch_shape must be non-negative.  Found:{static}")


class _BatchShapeMixin:
    """The optional ``batch_shape`` argument of the identity and zeros operators."""

    _batch_shape_arg: Tensor | None
    _batch_shape_static: Any
    dtype: Any
    batch_shape: TensorShape

    def _set_batch_shape(self, batch_shape: Any, assert_proper_shapes: bool) -> None:
        if batch_shape is None:
            self._batch_shape_arg = None
            return
        self._batch_shape_arg = _util.host_shape_tensor(batch_shape)
        self._batch_shape_static = _util.static_value(self._batch_shape_arg)
        _check_batch_shape_arg(self._batch_shape_arg, self._batch_shape_static, assert_proper_shapes)

    def _matrix_shape(self, rows: Any, cols: Any) -> TensorShape:
        matrix_shape = TensorShape((int(rows), int(cols)))
        if self._batch_shape_arg is None:
            return matrix_shape
        return TensorShape([int(d) for d in self._batch_shape_static]).concatenate(matrix_shape)

    def _matrix_shape_tensor(self, rows: Tensor, cols: Tensor) -> Tensor:
        matrix_shape = stack((rows, cols), axis=0)
        if self._batch_shape_arg is None:
            return matrix_shape
        return concat((self._batch_shape_arg, matrix_shape), 0)

    def __getitem__(self, slices: Any) -> Any:
        """The operator with its batch shape sliced (the identity and zeros only have a shape to slice)."""
        static = self._batch_shape_static if self._batch_shape_arg is not None else ()
        new_batch_shape = list(np.ones([int(d) for d in static])[slices].shape)
        return type(self)(**dict(self.parameters, batch_shape=new_batch_shape))

    def _possibly_broadcast_batch_shape(self, x: Tensor) -> Tensor:
        if self._batch_shape_arg is None:
            return x
        special_shape = self.batch_shape.concatenate([1, 1])
        if broadcast_static_shape(x.shape, special_shape) == x.shape:
            return x
        return x + zeros(shape=special_shape.as_list(), dtype=self.dtype)


class BaseLinearOperatorIdentity(LinearOperator):
    """Shared parts of the identity operators."""

    def _min_matrix_dim(self) -> int | None:
        domain_dim, range_dim = self.domain_dimension.value, self.range_dimension.value
        if domain_dim is None or range_dim is None:
            return None
        return min(domain_dim, range_dim)

    def _ones_diag(self) -> Tensor:
        return ones(shape=self.batch_shape.concatenate([self._min_matrix_dim()]).as_list(), dtype=self.dtype)


class LinearOperatorIdentity(_BatchShapeMixin, BaseLinearOperatorIdentity):
    """``LinearOperator`` acting like a [batch] square identity matrix (``tf.linalg.LinearOperatorIdentity``)."""

    def __init__(self, num_rows: Any, batch_shape: Any = None, dtype: Any = None, is_non_singular: bool = True,
                 is_self_adjoint: bool = True, is_positive_definite: bool = True, is_square: bool = True,
                 assert_proper_shapes: bool = False, name: str = "LinearOperatorIdentity") -> None:
        parameters = dict(num_rows=num_rows, batch_shape=batch_shape, dtype=dtype, is_non_singular=is_non_singular,
                          is_self_adjoint=is_self_adjoint, is_positive_definite=is_positive_definite,
                          is_square=is_square, assert_proper_shapes=assert_proper_shapes, name=name)
        dtype = dtype or float32
        self._assert_proper_shapes = assert_proper_shapes
        with name_scope(name):
            dtype = as_dtype(dtype)
            if not is_self_adjoint:
                raise ValueError("An identity operator is always self adjoint.")
            if not is_non_singular:
                raise ValueError("An identity operator is always non-singular.")
            if not is_positive_definite:
                raise ValueError("An identity operator is always positive-definite.")
            if not is_square:
                raise ValueError("An identity operator is always square.")
            super().__init__(dtype=dtype, is_non_singular=is_non_singular, is_self_adjoint=is_self_adjoint,
                             is_positive_definite=is_positive_definite, is_square=is_square,
                             parameters=parameters, name=name)
            _util.assert_not_ref_type(num_rows, "num_rows")
            _util.assert_not_ref_type(batch_shape, "batch_shape")
            self._num_rows = _util.host_shape_tensor(num_rows)
            self._num_rows_static = _util.static_value(self._num_rows)
            _check_shape_arg(self._num_rows, self._num_rows_static, "num_rows", assert_proper_shapes)
            self._set_batch_shape(batch_shape, assert_proper_shapes)

    def _shape(self) -> TensorShape:
        return self._matrix_shape(self._num_rows_static, self._num_rows_static)

    def _shape_tensor(self) -> Tensor:
        return self._matrix_shape_tensor(self._num_rows, self._num_rows)

    def _linop_adjoint(self) -> LinearOperatorIdentity:
        return self

    def _linop_cholesky(self) -> LinearOperatorIdentity:
        return LinearOperatorIdentity(num_rows=int(self._num_rows_static), batch_shape=self.batch_shape.as_list(),
                                      dtype=self.dtype, is_non_singular=True, is_self_adjoint=True,
                                      is_positive_definite=True, is_square=True)

    def _linop_inverse(self) -> LinearOperatorIdentity:
        return self

    def _linop_matmul(self, left_operator: LinearOperator, right_operator: LinearOperator) -> LinearOperator:
        return right_operator

    def _linop_solve(self, left_operator: LinearOperator, right_operator: LinearOperator) -> LinearOperator:
        return right_operator

    def _assert_non_singular(self) -> None:
        return None

    def _assert_positive_definite(self) -> None:
        return None

    def _assert_self_adjoint(self) -> None:
        return None

    def _matmul(self, x: Tensor, adjoint: bool = False, adjoint_arg: bool = False) -> Tensor:
        x = _adjoint(x) if adjoint_arg else x
        if self._assert_proper_shapes:
            assert_equal(shape(x)[-2], self.domain_dimension_tensor(),
                         message="Dimensions are not compatible.  shape[-2] of argument to be the same as this "
                                 "operator")
        return self._possibly_broadcast_batch_shape(x)

    def _determinant(self) -> Tensor:
        return ones(shape=self.batch_shape.as_list(), dtype=self.dtype)

    def _log_abs_determinant(self) -> Tensor:
        return zeros(shape=self.batch_shape.as_list(), dtype=self.dtype)

    def _solve(self, rhs: Tensor, adjoint: bool = False, adjoint_arg: bool = False) -> Tensor:
        return self._matmul(rhs, adjoint_arg=adjoint_arg)

    def _trace(self) -> Tensor:
        return self._min_matrix_dim() * ones(shape=self.batch_shape.as_list(), dtype=self.dtype)

    def _diag_part(self) -> Tensor:
        return self._ones_diag()

    def add_to_tensor(self, mat: Any, name: str = "add_to_tensor") -> Tensor:
        """Add matrix represented by this operator to ``mat``: ``mat + I``."""
        with self._name_scope(name):
            mat = convert_to_tensor(mat)
            return set_diag(mat, 1 + diag_part(mat))

    def _eigvals(self) -> Tensor:
        return self._ones_diag()

    def _cond(self) -> Tensor:
        return ones(self.batch_shape.as_list(), dtype=self.dtype)

    @property
    def _composite_tensor_fields(self) -> tuple:
        return ("num_rows", "batch_shape", "dtype", "assert_proper_shapes")

    @property
    def _composite_tensor_prefer_static_fields(self) -> tuple:
        return ("num_rows", "batch_shape")


class LinearOperatorScaledIdentity(BaseLinearOperatorIdentity):
    """``LinearOperator`` acting like a scaled [batch] identity matrix ``A = c I``."""

    def __init__(self, num_rows: Any, multiplier: Any, is_non_singular: bool | None = None,
                 is_self_adjoint: bool | None = None, is_positive_definite: bool | None = None,
                 is_square: bool = True, assert_proper_shapes: bool = False,
                 name: str = "LinearOperatorScaledIdentity") -> None:
        parameters = dict(num_rows=num_rows, multiplier=multiplier, is_non_singular=is_non_singular,
                          is_self_adjoint=is_self_adjoint, is_positive_definite=is_positive_definite,
                          is_square=is_square, assert_proper_shapes=assert_proper_shapes, name=name)
        self._assert_proper_shapes = assert_proper_shapes
        with name_scope(name):
            self._multiplier = _util.convert_nonref_to_tensor(multiplier)
            if not self._multiplier.dtype.is_complex:
                if is_self_adjoint is False:
                    raise ValueError("A real diagonal operator is always self adjoint.")
                is_self_adjoint = True
            if not is_square:
                raise ValueError("A ScaledIdentity operator is always square.")
            _util.assert_not_ref_type(num_rows, "num_rows")
            super().__init__(dtype=self._multiplier.dtype.base_dtype, is_non_singular=is_non_singular,
                             is_self_adjoint=is_self_adjoint, is_positive_definite=is_positive_definite,
                             is_square=is_square, parameters=parameters, name=name)
            self._num_rows = _util.host_shape_tensor(num_rows)
            self._num_rows_static = _util.static_value(self._num_rows)
            _check_shape_arg(self._num_rows, self._num_rows_static, "num_rows", assert_proper_shapes)

    def _shape(self) -> TensorShape:
        n = int(self._num_rows_static)
        return TensorShape(self.multiplier.shape).concatenate([n, n])

    def _shape_tensor(self) -> Tensor:
        return concat((shape(self.multiplier), stack((self._num_rows, self._num_rows), axis=0)), 0)

    def _assert_non_singular(self) -> Any:
        return assert_positive(_abs(self.multiplier), message="LinearOperator was singular")

    def _assert_positive_definite(self) -> Any:
        return assert_positive(real(self.multiplier), message="LinearOperator was not positive definite.")

    def _assert_self_adjoint(self) -> Any:
        imag_multiplier = imag(self.multiplier)
        return assert_equal(zeros(imag_multiplier.shape.as_list(), dtype=imag_multiplier.dtype), imag_multiplier,
                            message="LinearOperator was not self-adjoint")

    def _make_multiplier_matrix(self, conjugate: bool = False) -> Tensor:
        m = convert_to_tensor(self.multiplier)[..., None, None]
        return conj(m) if conjugate else m

    def _linop_adjoint(self) -> LinearOperatorScaledIdentity:
        multiplier = self.multiplier
        if multiplier.dtype.is_complex:
            multiplier = conj(multiplier)
        return LinearOperatorScaledIdentity(num_rows=int(self._num_rows_static), multiplier=multiplier,
                                            is_non_singular=self.is_non_singular,
                                            is_self_adjoint=self.is_self_adjoint,
                                            is_positive_definite=self.is_positive_definite, is_square=True)

    def _linop_cholesky(self) -> LinearOperatorScaledIdentity:
        return LinearOperatorScaledIdentity(num_rows=int(self._num_rows_static), multiplier=sqrt(self.multiplier),
                                            is_non_singular=True, is_self_adjoint=True, is_positive_definite=True,
                                            is_square=True)

    def _linop_inverse(self) -> LinearOperatorScaledIdentity:
        return LinearOperatorScaledIdentity(num_rows=int(self._num_rows_static), multiplier=1.0 / convert_to_tensor(
            self.multiplier), is_non_singular=self.is_non_singular, is_self_adjoint=True,
            is_positive_definite=self.is_positive_definite, is_square=True)

    def _commuting_hints(self, left: LinearOperator, right: LinearOperator) -> dict:
        return dict(is_non_singular=_util.combined_non_singular_hint(left, right),
                    is_self_adjoint=_util.combined_commuting_self_adjoint_hint(left, right),
                    is_positive_definite=_util.combined_commuting_positive_definite_hint(left, right),
                    is_square=True)

    def _linop_matmul(self, left_operator: LinearOperatorScaledIdentity,
                      right_operator: LinearOperator) -> LinearOperator:
        from .basic import LinearOperatorDiag
        hints = self._commuting_hints(left_operator, right_operator)
        m = convert_to_tensor(left_operator.multiplier)
        if isinstance(right_operator, LinearOperatorScaledIdentity):
            return LinearOperatorScaledIdentity(num_rows=left_operator.domain_dimension_tensor(),
                                                multiplier=m * right_operator.multiplier, **hints)
        if isinstance(right_operator, LinearOperatorDiag):
            return LinearOperatorDiag(diag=right_operator.diag * m, **hints)
        return super()._linop_matmul(left_operator, right_operator)

    def _linop_solve(self, left_operator: LinearOperatorScaledIdentity,
                     right_operator: LinearOperator) -> LinearOperator:
        from .basic import LinearOperatorDiag
        hints = self._commuting_hints(left_operator, right_operator)
        m = convert_to_tensor(left_operator.multiplier)
        if isinstance(right_operator, LinearOperatorScaledIdentity):
            return LinearOperatorScaledIdentity(num_rows=left_operator.domain_dimension_tensor(),
                                                multiplier=right_operator.multiplier / m, **hints)
        if isinstance(right_operator, LinearOperatorDiag):
            return LinearOperatorDiag(diag=right_operator.diag / m, **hints)
        return super()._linop_solve(left_operator, right_operator)

    def _check_proper_shapes(self, x: Tensor) -> None:
        if self._assert_proper_shapes:
            assert_equal(shape(x)[-2], self.domain_dimension_tensor(),
                         message="Dimensions are not compatible.  shape[-2] of argument to be the same as this "
                                 "operator")

    def _matmul(self, x: Tensor, adjoint: bool = False, adjoint_arg: bool = False) -> Tensor:
        x = _adjoint(x) if adjoint_arg else x
        self._check_proper_shapes(x)
        return x * self._make_multiplier_matrix(conjugate=adjoint)

    def _determinant(self) -> Tensor:
        return convert_to_tensor(self.multiplier) ** cast(int(self._num_rows_static), self.dtype)

    def _log_abs_determinant(self) -> Tensor:
        return cast(int(self._num_rows_static), self.dtype.real_dtype) * log(_abs(self.multiplier))

    def _solve(self, rhs: Tensor, adjoint: bool = False, adjoint_arg: bool = False) -> Tensor:
        rhs = _adjoint(rhs) if adjoint_arg else rhs
        self._check_proper_shapes(rhs)
        return rhs / self._make_multiplier_matrix(conjugate=adjoint)

    def _trace(self) -> Tensor:
        batch_of_ones = ones(shape=self.batch_shape.as_list(), dtype=self.dtype)
        return convert_to_tensor(self.multiplier) * self._min_matrix_dim() * batch_of_ones

    def _diag_part(self) -> Tensor:
        return self._ones_diag() * convert_to_tensor(self.multiplier)[..., None]

    def add_to_tensor(self, mat: Any, name: str = "add_to_tensor") -> Tensor:
        """Add matrix represented by this operator to ``mat``: ``mat + c I``."""
        with self._name_scope(name):
            multiplier_vector = convert_to_tensor(self.multiplier)[..., None]
            mat = convert_to_tensor(mat)
            return set_diag(mat, multiplier_vector + diag_part(mat))

    def _eigvals(self) -> Tensor:
        return self._ones_diag() * convert_to_tensor(self.multiplier)[..., None]

    def _cond(self) -> Tensor:
        return where(equal(self._multiplier, 0.0), cast(np.nan, dtype=self.dtype), cast(1.0, dtype=self.dtype))

    @property
    def multiplier(self) -> Any:
        """The [batch] scalar ``Tensor``, ``c`` in ``cI``."""
        return self._multiplier

    @property
    def _experimental_parameter_ndims_to_matrix_ndims(self) -> dict:
        return {"multiplier": 0}

    @property
    def _composite_tensor_fields(self) -> tuple:
        return ("num_rows", "multiplier", "assert_proper_shapes")

    @property
    def _composite_tensor_prefer_static_fields(self) -> tuple:
        return ("num_rows",)

class LinearOperatorZeros(_BatchShapeMixin, LinearOperator):
    """``LinearOperator`` acting like a [batch] zero matrix (``tf.linalg.LinearOperatorZeros``)."""

    def __init__(self, num_rows: Any, num_columns: Any = None, batch_shape: Any = None, dtype: Any = None,
                 is_non_singular: bool = False, is_self_adjoint: bool = True, is_positive_definite: bool = False,
                 is_square: bool = True, assert_proper_shapes: bool = False,
                 name: str = "LinearOperatorZeros") -> None:
        parameters = dict(num_rows=num_rows, num_columns=num_columns, batch_shape=batch_shape, dtype=dtype,
                          is_non_singular=is_non_singular, is_self_adjoint=is_self_adjoint,
                          is_positive_definite=is_positive_definite, is_square=is_square,
                          assert_proper_shapes=assert_proper_shapes, name=name)
        dtype = dtype or float32
        self._assert_proper_shapes = assert_proper_shapes
        with name_scope(name):
            dtype = as_dtype(dtype)
            if not is_self_adjoint and is_square:
                raise ValueError("A zero operator is always self adjoint.")
            if is_non_singular:
                raise ValueError("A zero operator is always singular.")
            if is_positive_definite:
                raise ValueError("A zero operator is always not positive-definite.")
            super().__init__(dtype=dtype, is_non_singular=is_non_singular, is_self_adjoint=is_self_adjoint,
                             is_positive_definite=is_positive_definite, is_square=is_square,
                             parameters=parameters, name=name)
            _util.assert_not_ref_type(num_rows, "num_rows")
            _util.assert_not_ref_type(num_columns, "num_columns")
            _util.assert_not_ref_type(batch_shape, "batch_shape")
            self._num_rows = _util.host_shape_tensor(num_rows)
            self._num_rows_static = _util.static_value(self._num_rows)
            if num_columns is None:
                num_columns = num_rows
            self._num_columns = _util.host_shape_tensor(num_columns)
            self._num_columns_static = _util.static_value(self._num_columns)
            _check_shape_arg(self._num_rows, self._num_rows_static, "num_rows", assert_proper_shapes)
            _check_shape_arg(self._num_columns, self._num_columns_static, "num_columns", assert_proper_shapes)
            if is_square and self._num_rows_static != self._num_columns_static:
                raise ValueError(f"LinearOperatorZeros initialized as is_square=True, but got num_rows({self._num_rows_static}) != "
                                 f"num_columns({self._num_columns_static})")
            self._set_batch_shape(batch_shape, assert_proper_shapes)

    def _shape(self) -> TensorShape:
        return self._matrix_shape(self._num_rows_static, self._num_columns_static)

    def _shape_tensor(self) -> Tensor:
        return self._matrix_shape_tensor(self._num_rows, self._num_columns)

    def _assert_non_singular(self) -> Any:
        raise InvalidArgumentError(None, None, "Zero operators are always non-invertible.")

    def _assert_positive_definite(self) -> Any:
        raise InvalidArgumentError(None, None, "Zero operators are always non-positive definite.")

    def _assert_self_adjoint(self) -> None:
        return None

    def _matmul(self, x: Tensor, adjoint: bool = False, adjoint_arg: bool = False) -> Tensor:
        if self._assert_proper_shapes:
            xa = _adjoint(x) if adjoint_arg else x
            assert_equal(shape(xa)[-2], self.domain_dimension_tensor(),
                         message="Dimensions are not compatible.  shape[-2] of argument to be the same as this "
                                 "operator")
        x_shape = x.shape.as_list()
        if self.is_square:
            out = x_shape[:-2] + [x_shape[-1], x_shape[-2]] if adjoint_arg else x_shape
        else:
            n = int(self._num_columns_static if adjoint else self._num_rows_static)
            out = x_shape[:-2] + [n, x_shape[-2] if adjoint_arg else x_shape[-1]]
        return self._possibly_broadcast_batch_shape(zeros(shape=out, dtype=x.dtype))

    def _linop_matmul(self, left_operator: LinearOperator, right_operator: LinearOperator) -> LinearOperator:
        if not left_operator.is_square or not right_operator.is_square:
            raise ValueError("Matmul with non-square `LinearOperator`s or non-square `LinearOperatorZeros` not "
                             "supported at this time.")
        return left_operator

    def _determinant(self) -> Tensor:
        return zeros(shape=self.batch_shape.as_list(), dtype=self.dtype)

    def _trace(self) -> Tensor:
        return zeros(shape=self.batch_shape.as_list(), dtype=self.dtype)

    def _diag_part(self) -> Tensor:
        return self._zeros_diag()

    def add_to_tensor(self, mat: Any, name: str = "add_to_tensor") -> Tensor:
        """Add matrix represented by this operator to ``mat``: ``mat`` (broadcast to the batch shape)."""
        return self._possibly_broadcast_batch_shape(mat)

    def _min_matrix_dim(self) -> int | None:
        domain_dim, range_dim = self.domain_dimension.value, self.range_dimension.value
        if domain_dim is None or range_dim is None:
            return None
        return min(domain_dim, range_dim)

    def _zeros_diag(self) -> Tensor:
        return zeros(shape=self.batch_shape.concatenate([self._min_matrix_dim()]).as_list(), dtype=self.dtype)

    def _eigvals(self) -> Tensor:
        return self._zeros_diag()

    @property
    def _composite_tensor_fields(self) -> tuple:
        return ("num_rows", "num_columns", "batch_shape", "dtype", "assert_proper_shapes")

    @property
    def _composite_tensor_prefer_static_fields(self) -> tuple:
        return ("num_rows", "num_columns", "batch_shape")
