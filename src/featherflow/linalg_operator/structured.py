"""``LinearOperatorHouseholder``, ``LinearOperatorPermutation`` and ``LinearOperatorToeplitz`` (TF's classes)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..dtypes import complex64, complex128, float32, float64
from ..errors import InvalidArgumentError
from ..naming import name_scope
from ..ops.array.core import broadcast_to, reshape, shape
from ..ops.array.create import cast, ones, zeros, zeros_like
from ..ops.array.create import range_ as _range
from ..ops.array.gather import gather
from ..ops.array.join import broadcast_static_shape, concat, reverse
from ..ops.array.sort import argsort
from ..ops.debugging.checks import assert_equal
from ..ops.linalg.core import adjoint as _adjoint
from ..ops.linalg.core import matmul, matrix_transpose
from ..ops.linalg.diag import diag_part, set_diag
from ..ops.math.api import conj, equal, floormod, real
from ..ops.math.clip import l2_normalize
from ..ops.signal.fft import fft, ifft
from ..shape import TensorShape
from ..tensor import Tensor, convert_to_tensor
from . import _util
from .base import LinearOperator


class LinearOperatorHouseholder(LinearOperator):
    """``LinearOperator`` acting like a [batch] Householder reflection ``I - 2 v v^H / |v|^2``."""

    def __init__(self, reflection_axis: Any, is_non_singular: bool | None = None, is_self_adjoint: bool | None = None,
                 is_positive_definite: bool | None = None, is_square: bool | None = None,
                 name: str = "LinearOperatorHouseholder") -> None:
        parameters = dict(reflection_axis=reflection_axis, is_non_singular=is_non_singular,
                          is_self_adjoint=is_self_adjoint, is_positive_definite=is_positive_definite,
                          is_square=is_square, name=name)
        with name_scope(name):
            self._reflection_axis = _util.convert_nonref_to_tensor(reflection_axis)
            axis = self._reflection_axis
            if axis.shape.rank is not None and axis.shape.rank < 1:
                raise ValueError(f"Argument reflection_axis must have at least 1 dimension.  Found: {axis!s}")
            if is_self_adjoint is False:
                raise ValueError("A Householder operator is always self adjoint.")
            is_self_adjoint = True
            if is_positive_definite is True:
                raise ValueError("A Householder operator is always non-positive definite.")
            is_positive_definite = False
            if is_square is False:
                raise ValueError("A Householder operator is always square.")
            is_square = True
            super().__init__(dtype=axis.dtype, is_non_singular=is_non_singular, is_self_adjoint=is_self_adjoint,
                             is_positive_definite=is_positive_definite, is_square=is_square,
                             parameters=parameters, name=name)

    @property
    def reflection_axis(self) -> Any:
        """The [batch] vector normal to the reflecting hyperplane."""
        return self._reflection_axis

    def _shape(self) -> TensorShape:
        s = TensorShape(self._reflection_axis.shape)
        return s.concatenate(s[-1:])

    def _shape_tensor(self) -> Tensor:
        s = shape(self._reflection_axis)
        return concat((s, s[-1:]), 0)

    def _assert_non_singular(self) -> None:
        return None

    def _assert_positive_definite(self) -> Any:
        raise InvalidArgumentError(None, None, "Householder operators are always non-positive definite.")

    def _assert_self_adjoint(self) -> None:
        return None

    def _linop_adjoint(self) -> LinearOperatorHouseholder:
        return self

    def _linop_inverse(self) -> LinearOperatorHouseholder:
        return self

    def _unit_column(self) -> Tensor:
        return l2_normalize(convert_to_tensor(self.reflection_axis), axis=-1)[..., None]

    def _matmul(self, x: Tensor, adjoint: bool = False, adjoint_arg: bool = False) -> Tensor:
        x = _adjoint(x) if adjoint_arg else x
        mat = self._unit_column()
        return x - 2 * mat * matmul(mat, x, adjoint_a=True)

    def _trace(self) -> Tensor:
        n = self.domain_dimension.value
        return cast(n - 2, self.dtype) * ones(shape=self.batch_shape.as_list(), dtype=self.dtype)

    def _determinant(self) -> Tensor:
        return -ones(shape=self.batch_shape.as_list(), dtype=self.dtype)

    def _log_abs_determinant(self) -> Tensor:
        return zeros(shape=self.batch_shape.as_list(), dtype=self.dtype)

    def _solve(self, rhs: Tensor, adjoint: bool = False, adjoint_arg: bool = False) -> Tensor:
        return self._matmul(rhs, adjoint, adjoint_arg)

    def _to_dense(self) -> Tensor:
        mat = self._unit_column()
        matrix = -2 * matmul(mat, mat, adjoint_b=True)
        return set_diag(matrix, 1.0 + diag_part(matrix))

    def _diag_part(self) -> Tensor:
        v = l2_normalize(convert_to_tensor(self.reflection_axis), axis=-1)
        return 1.0 - 2 * v * conj(v)

    def _eigvals(self) -> Tensor:
        s = self.reflection_axis.shape.as_list()
        return concat([-ones(s[:-1] + [1], dtype=self.dtype), ones(s[:-1] + [s[-1] - 1], dtype=self.dtype)], -1)

    def _cond(self) -> Tensor:
        return ones(self.batch_shape.as_list(), dtype=self.dtype)

    @property
    def _experimental_parameter_ndims_to_matrix_ndims(self) -> dict:
        return {"reflection_axis": 1}

    @property
    def _composite_tensor_fields(self) -> tuple:
        return ("reflection_axis",)

class LinearOperatorPermutation(LinearOperator):
    """``LinearOperator`` acting like a [batch] permutation matrix (``tf.linalg.LinearOperatorPermutation``)."""

    def __init__(self, perm: Any, dtype: Any = float32, is_non_singular: bool | None = None,
                 is_self_adjoint: bool | None = None, is_positive_definite: bool | None = None,
                 is_square: bool | None = None, name: str = "LinearOperatorPermutation") -> None:
        parameters = dict(perm=perm, dtype=dtype, is_non_singular=is_non_singular, is_self_adjoint=is_self_adjoint,
                          is_positive_definite=is_positive_definite, is_square=is_square, name=name)
        with name_scope(name):
            self._perm = _util.convert_nonref_to_tensor(perm)
            self._check_perm(self._perm)
            if is_non_singular is False:
                raise ValueError("A Permutation operator is always non-singular. Expected argument "
                                 f"`is_non_singular` to be True. Received: {is_non_singular}.")
            if is_square is False:
                raise ValueError("A Permutation operator is always square. Expected argument `is_square` to be "
                                 f"True. Received: {is_square}.")
            is_square = True
            super().__init__(dtype=dtype, is_non_singular=is_non_singular, is_self_adjoint=is_self_adjoint,
                             is_positive_definite=is_positive_definite, is_square=is_square,
                             parameters=parameters, name=name)

    def _check_perm(self, perm: Any) -> None:
        if perm.shape.rank is not None and perm.shape.rank < 1:
            raise ValueError(f"Argument `perm` must have at least 1 dimension. Received: {perm}.")
        if not perm.dtype.is_integer:
            raise TypeError(f"Argument `perm` must be integer dtype. Received: {perm}.")
        # the values are checked once, here, as TF does with the constant value it knows statically
        static_perm = convert_to_tensor(perm).numpy()
        if np.any(np.sort(static_perm, axis=-1) != np.arange(0, static_perm.shape[-1])):
            raise ValueError("Argument `perm` must be a vector of unique integers from 0 to "
                             f"{static_perm.shape[-1] - 1}.")

    @property
    def perm(self) -> Any:
        """The [batch] permutation: row ``i`` of the matrix is ``e[perm[i]]``."""
        return self._perm

    def _shape(self) -> TensorShape:
        s = TensorShape(self._perm.shape)
        return s.concatenate(s[-1:])

    def _shape_tensor(self) -> Tensor:
        s = shape(self._perm)
        return concat((s, s[-1:]), 0)

    def _assert_non_singular(self) -> None:
        return None

    def _matmul(self, x: Tensor, adjoint: bool = False, adjoint_arg: bool = False) -> Tensor:
        perm = convert_to_tensor(self.perm)
        if adjoint and not self.is_self_adjoint:
            perm = argsort(perm, axis=-1)
        x = _adjoint(x) if adjoint_arg else x
        bshape = broadcast_static_shape(x.shape[:-1], perm.shape).as_list()
        k = x.shape[-1]
        x = broadcast_to(x, bshape + [k])
        perm = broadcast_to(perm, bshape)
        m = x.shape[-2]
        y = gather(reshape(x, [-1, m, k]), reshape(perm, [-1, m]), axis=-2, batch_dims=1)
        return reshape(y, bshape + [k])

    def _log_abs_determinant(self) -> Tensor:
        return zeros(shape=self.batch_shape.as_list(), dtype=self.dtype)

    def _solve(self, rhs: Tensor, adjoint: bool = False, adjoint_arg: bool = False) -> Tensor:
        return self._matmul(rhs, adjoint=not adjoint, adjoint_arg=adjoint_arg)

    def _to_dense(self) -> Tensor:
        perm = convert_to_tensor(self.perm)
        return cast(equal(_range(0, perm.shape[-1]), perm[..., None]), self.dtype)

    def _diag_part(self) -> Tensor:
        perm = convert_to_tensor(self.perm)
        return cast(equal(_range(0, perm.shape[-1]), perm), self.dtype)

    def _cond(self) -> Tensor:
        return ones(self.batch_shape.as_list(), dtype=self.dtype)

    @property
    def _experimental_parameter_ndims_to_matrix_ndims(self) -> dict:
        return {"perm": 1}

    @property
    def _composite_tensor_fields(self) -> tuple:
        return ("perm", "dtype")



def _to_complex(x: Tensor) -> Tensor:
    return cast(x, complex128 if x.dtype in (float64, complex128) else complex64)

class LinearOperatorToeplitz(LinearOperator):
    """``LinearOperator`` acting like a [batch] Toeplitz matrix given its first column and row."""

    def __init__(self, col: Any, row: Any, is_non_singular: bool | None = None, is_self_adjoint: bool | None = None,
                 is_positive_definite: bool | None = None, is_square: bool | None = None,
                 name: str = "LinearOperatorToeplitz") -> None:
        parameters = dict(col=col, row=row, is_non_singular=is_non_singular, is_self_adjoint=is_self_adjoint,
                          is_positive_definite=is_positive_definite, is_square=is_square, name=name)
        with name_scope(name):
            self._row = _util.convert_nonref_to_tensor(row)
            self._col = _util.convert_nonref_to_tensor(col)
            for arg_name, tensor in (("row", self._row), ("col", self._col)):
                if tensor.shape.rank is not None and tensor.shape.rank < 1:
                    raise ValueError(f"Argument {arg_name} must have at least 1 dimension.  Found: {tensor!s}")
            if self._row.shape[-1] != self._col.shape[-1]:
                raise ValueError("Expected square matrix, got row and col with mismatched dimensions.")
            if is_square is False:
                raise ValueError("Only square Toeplitz operators currently supported.")
            is_square = True
            super().__init__(dtype=self._row.dtype, is_non_singular=is_non_singular, is_self_adjoint=is_self_adjoint,
                             is_positive_definite=is_positive_definite, is_square=is_square,
                             parameters=parameters, name=name)

    @property
    def col(self) -> Any:
        """The first column of the [batch] Toeplitz matrix."""
        return self._col

    @property
    def row(self) -> Any:
        """The first row of the [batch] Toeplitz matrix."""
        return self._row

    def _shape(self) -> TensorShape:
        v_shape = broadcast_static_shape(self.row.shape, self.col.shape)
        return TensorShape(v_shape).concatenate(v_shape[-1:])

    def _shape_tensor(self) -> Tensor:
        return _util.shape_tensor(self.shape.as_list())

    def _assert_self_adjoint(self) -> Any:
        return assert_equal(self.row, self.col,
                            message="row and col are not the same, and so this operator is not self-adjoint.")

    def _matmul(self, x: Tensor, adjoint: bool = False, adjoint_arg: bool = False) -> Tensor:
        # TF's method: embed the Toeplitz matrix in a circulant one of twice the size, applied by FFT
        x = _adjoint(x) if adjoint_arg else x
        n = self.domain_dimension.value
        expanded_x = concat([x, zeros_like(x)], axis=-2)
        col, row = convert_to_tensor(self.col), convert_to_tensor(self.row)
        circulant_col = concat([col, zeros_like(col[..., 0:1]), reverse(row[..., 1:], axis=[-1])], axis=-1)
        spectrum = fft(_to_complex(circulant_col))
        if adjoint:
            spectrum = conj(spectrum)
        # the circulant acts on the columns of x: transform along its axis -2
        y = matrix_transpose(ifft(spectrum[..., None, :] * fft(matrix_transpose(cast(expanded_x, spectrum.dtype)))))
        if not self.dtype.is_complex:
            y = real(y)
        return cast(y[..., :n, :], self.dtype)

    def _trace(self) -> Tensor:
        return cast(self.domain_dimension.value, dtype=self.dtype) * convert_to_tensor(self.col)[..., 0]

    def _diag_part(self) -> Tensor:
        return convert_to_tensor(self.col)[..., 0:1] * ones([self.domain_dimension.value], self.dtype)

    def _to_dense(self) -> Tensor:
        row, col = convert_to_tensor(self.row), convert_to_tensor(self.col)
        total_shape = broadcast_static_shape(row.shape, col.shape).as_list()
        n = row.shape[-1]
        row, col = broadcast_to(row, total_shape), broadcast_to(col, total_shape)
        elements = concat([reverse(col, axis=[-1]), row[..., 1:]], axis=-1)
        indices = floormod(_range(0, n) + _range(n - 1, -1, -1)[..., None], 2 * n - 1)
        return gather(elements, indices, axis=-1)

    @property
    def _experimental_parameter_ndims_to_matrix_ndims(self) -> dict:
        return {"col": 1, "row": 1}

    @property
    def _composite_tensor_fields(self) -> tuple:
        return ("col", "row")
