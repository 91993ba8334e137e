"""``LinearOperatorCirculant``, ``LinearOperatorCirculant2D`` and ``LinearOperatorCirculant3D``: [nested block]
circulant operators given by their spectrum, applied by FFT (TF's classes)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..dtypes import as_dtype, complex64, complex128, float64
from ..naming import name_scope
from ..ops.array.core import reshape, transpose
from ..ops.array.create import cast, ones
from ..ops.debugging.checks import assert_less, assert_positive
from ..ops.linalg.core import adjoint as _adjoint
from ..ops.math.api import abs as _abs
from ..ops.math.api import complex as _complex
from ..ops.math.api import conj, imag, log, real
from ..ops.math.reduce import reduce_max, reduce_min, reduce_prod, reduce_sum
from ..ops.signal.fft import fft, fft2d, fft3d, ifft, ifft2d, ifft3d
from ..shape import TensorShape
from ..tensor import Tensor, convert_to_tensor
from . import _util
from .base import LinearOperator

_FFT_OP = {1: fft, 2: fft2d, 3: fft3d}
_IFFT_OP = {1: ifft, 2: ifft2d, 3: ifft3d}


def _to_complex(x: Any) -> Tensor:
    x = convert_to_tensor(x)
    if x.dtype.is_complex:
        return x
    return cast(x, complex128 if x.dtype == float64 else complex64)


def _rotate_transpose(x: Tensor, shift: int) -> Tensor:
    """Rolls the axes: ``shift=1`` moves the last axis first, ``shift=-1`` the first axis last."""
    rank = x.shape.rank
    return transpose(x, list(np.roll(np.arange(rank), shift)))


def _hints(left: LinearOperator, right: LinearOperator) -> dict:
    return dict(is_non_singular=_util.combined_non_singular_hint(left, right),
                is_self_adjoint=_util.combined_commuting_self_adjoint_hint(left, right),
                is_positive_definite=_util.combined_commuting_positive_definite_hint(left, right), is_square=True)


class _BaseLinearOperatorCirculant(LinearOperator):
    """Shared by the circulant operators: ``block_depth`` is the number of nested block levels (1, 2 or 3)."""

    def __init__(self, spectrum: Any, block_depth: int, input_output_dtype: Any = complex64,
                 is_non_singular: bool | None = None, is_self_adjoint: bool | None = None,
                 is_positive_definite: bool | None = None, is_square: bool = True, parameters: dict | None = None,
                 name: str = "LinearOperatorCirculant") -> None:
        allowed_block_depths = [1, 2, 3]
        self._name = name
        if block_depth not in allowed_block_depths:
            raise ValueError(f"Argument `block_depth` must be one of {allowed_block_depths}. Received: {block_depth}.")
        self._block_depth = block_depth
        with name_scope(name):
            self._spectrum = _util.convert_nonref_to_tensor(spectrum)
            if self._spectrum.shape.rank is not None and self._spectrum.shape.rank < block_depth:
                raise ValueError(f"Argument `spectrum` must have at least {block_depth} dimensions. "
                                 f"Received: {self._spectrum}.")
            if not self.spectrum.dtype.is_complex:
                if is_self_adjoint is False:
                    raise ValueError("A real spectrum always corresponds to a self-adjoint operator. Expected "
                                     "argument `is_self_adjoint` to be True when `spectrum.dtype.is_complex` = True. "
                                     f"Received: {is_self_adjoint}.")
                is_self_adjoint = True
            if is_square is False:
                raise ValueError("A [[nested] block] circulant operator is always square. Expected argument "
                                 f"`is_square` to be True. Received: {is_square}.")
            is_square = True
            super().__init__(dtype=as_dtype(input_output_dtype), is_non_singular=is_non_singular,
                             is_self_adjoint=is_self_adjoint, is_positive_definite=is_positive_definite,
                             is_square=is_square, parameters=parameters, name=name)

    def _same_kind(self, **kwargs: Any) -> _BaseLinearOperatorCirculant:
        """A new operator of this class (the base class takes ``block_depth``, the public ones fix it)."""
        if type(self) is _BaseLinearOperatorCirculant:
            return _BaseLinearOperatorCirculant(block_depth=self.block_depth, **kwargs)
        return type(self)(**kwargs)

    @property
    def block_depth(self) -> int:
        """The number of nested circulant block levels (1, 2 or 3)."""
        return self._block_depth

    @property
    def block_shape(self) -> TensorShape:
        """The trailing ``block_depth`` dimensions of the spectrum."""
        return TensorShape(self.spectrum.shape)[-self.block_depth:]

    def block_shape_tensor(self) -> Tensor:
        """The block shape as an int32 ``Tensor``."""
        return _util.shape_tensor(self.block_shape.as_list())

    @property
    def spectrum(self) -> Any:
        """The spectrum (the FFT of the convolution kernel) defining the operator."""
        return self._spectrum

    def _linop_adjoint(self) -> _BaseLinearOperatorCirculant:
        spectrum = self.spectrum
        if spectrum.dtype.is_complex:
            spectrum = conj(spectrum)
        # as TF: the adjoint keeps the default input_output_dtype (complex64), not this operator's dtype
        return self._same_kind(spectrum=spectrum, is_non_singular=self.is_non_singular,
                               is_self_adjoint=self.is_self_adjoint, is_positive_definite=self.is_positive_definite,
                               is_square=True)

    def _linop_inverse(self) -> _BaseLinearOperatorCirculant:
        return self._same_kind(spectrum=1.0 / convert_to_tensor(self.spectrum), is_non_singular=self.is_non_singular,
                               is_self_adjoint=self.is_self_adjoint, is_positive_definite=self.is_positive_definite,
                               is_square=True, input_output_dtype=self.dtype)

    def _linop_matmul(self, left_operator: LinearOperator, right_operator: LinearOperator) -> LinearOperator:
        if not isinstance(right_operator, type(self)) or not isinstance(left_operator, type(right_operator)):
            return super()._linop_matmul(left_operator, right_operator)
        return self._same_kind(spectrum=convert_to_tensor(left_operator.spectrum) * right_operator.spectrum,
                               **_hints(left_operator, right_operator))

    def _linop_solve(self, left_operator: LinearOperator, right_operator: LinearOperator) -> LinearOperator:
        if not isinstance(right_operator, type(self)):
            return super()._linop_solve(left_operator, right_operator)
        return self._same_kind(spectrum=convert_to_tensor(right_operator.spectrum) / left_operator.spectrum,
                               **_hints(left_operator, right_operator))

    def _vectorize_then_blockify(self, matrix: Tensor) -> Tensor:
        vec = _rotate_transpose(matrix, shift=1)
        return reshape(vec, vec.shape.as_list()[:-1] + self.block_shape.as_list())

    def _unblockify(self, x: Tensor) -> Tensor:
        s = x.shape.as_list()
        return reshape(x, s[:-self.block_depth] + [int(np.prod(s[-self.block_depth:]))])

    def _unblockify_then_matricize(self, vec: Tensor) -> Tensor:
        return _rotate_transpose(self._unblockify(vec), shift=-1)

    def _fft(self, x: Tensor) -> Tensor:
        return _FFT_OP[self.block_depth](_to_complex(x))

    def _ifft(self, x: Tensor) -> Tensor:
        return _IFFT_OP[self.block_depth](_to_complex(x))

    def convolution_kernel(self, name: str = "convolution_kernel") -> Tensor:
        """The convolution kernel: the inverse FFT of the spectrum, cast to this operator's dtype."""
        with self._name_scope(name):
            return cast(self._ifft(_to_complex(self.spectrum)), self.dtype)

    def _shape(self) -> TensorShape:
        s_shape = TensorShape(self._spectrum.shape)
        n = int(np.prod(s_shape[-self.block_depth:].as_list()))
        return s_shape[:-self.block_depth].concatenate([n, n])

    def _shape_tensor(self) -> Tensor:
        return _util.shape_tensor(self.shape.as_list())

    def assert_hermitian_spectrum(self, name: str = "assert_hermitian_spectrum") -> Any:
        """Raises ``InvalidArgumentError`` unless the spectrum is Hermitian (the kernel is real)."""
        eps = np.finfo(self.dtype.real_dtype.as_numpy_dtype).eps
        with self._name_scope(name):
            max_err = eps * self.domain_dimension_tensor()
            return assert_less(_abs(imag(self.convolution_kernel())), max_err, message="Spectrum was not Hermitian")

    def _assert_non_singular(self) -> Any:
        return _util.assert_no_entries_with_modulus_zero(
            self.spectrum, message="Singular operator:  Spectrum contained zero values.")

    def _assert_positive_definite(self) -> Any:
        return assert_positive(real(self.spectrum),
                               message="Not positive definite:  Real part of spectrum was not all positive.")

    def _assert_self_adjoint(self) -> Any:
        return _util.assert_zero_imag_part(
            self.spectrum, message="Not self-adjoint:  The spectrum contained non-zero imaginary part.")

    def _broadcast_batch_dims(self, x: Tensor, spectrum: Tensor) -> tuple:
        spec_mat = reshape(spectrum, self.batch_shape.as_list() + [-1, 1])
        x, spec_mat = _util.broadcast_matrix_batch_dims((x, spec_mat))
        return x, reshape(spec_mat, x.shape.as_list()[:-2] + self.block_shape.as_list())

    def _cond(self) -> Tensor:
        abs_singular_values = _abs(self._unblockify(convert_to_tensor(self.spectrum)))
        return reduce_max(abs_singular_values, axis=-1) / reduce_min(abs_singular_values, axis=-1)

    def _eigvals(self) -> Tensor:
        return self._unblockify(convert_to_tensor(self.spectrum))

    def _apply(self, x: Tensor, adjoint: bool, adjoint_arg: bool, solve: bool) -> Tensor:
        x = _adjoint(x) if adjoint_arg else x
        spectrum = _to_complex(self.spectrum)
        if adjoint:
            spectrum = conj(spectrum)
        x = cast(x, spectrum.dtype)
        x, spectrum = self._broadcast_batch_dims(x, spectrum)
        fft_x = self._fft(self._vectorize_then_blockify(x))
        result = self._ifft(fft_x / spectrum if solve else spectrum * fft_x)
        return cast(self._unblockify_then_matricize(result), self.dtype)

    def _matmul(self, x: Tensor, adjoint: bool = False, adjoint_arg: bool = False) -> Tensor:
        return self._apply(x, adjoint, adjoint_arg, solve=False)

    def _solve(self, rhs: Tensor, adjoint: bool = False, adjoint_arg: bool = False) -> Tensor:
        return self._apply(rhs, adjoint, adjoint_arg, solve=True)

    def _determinant(self) -> Tensor:
        axis = [-(i + 1) for i in range(self.block_depth)]
        return cast(reduce_prod(self.spectrum, axis=axis), self.dtype)

    def _log_abs_determinant(self) -> Tensor:
        axis = [-(i + 1) for i in range(self.block_depth)]
        return cast(reduce_sum(log(_abs(self.spectrum)), axis=axis), self.dtype)

    def _diag_part(self) -> Tensor:
        ones_diag = ones(self.shape.as_list()[:-1], dtype=self.dtype)
        diag_value = self.trace() / cast(self.domain_dimension.value, self.dtype)
        return diag_value[..., None] * ones_diag

    def _trace(self) -> Tensor:
        rank = self.spectrum.shape.rank
        axis = list(range(rank - self.block_depth, rank))
        re_d_value = reduce_sum(real(self.spectrum), axis=axis)
        if not self.dtype.is_complex:
            return cast(re_d_value, self.dtype)
        if self.is_self_adjoint:
            im_d_value = re_d_value * 0
        else:
            im_d_value = reduce_sum(imag(self.spectrum), axis=axis)
        return cast(_complex(re_d_value, im_d_value), self.dtype)

    @property
    def _experimental_parameter_ndims_to_matrix_ndims(self) -> dict:
        return {"spectrum": self.block_depth}

    @property
    def _composite_tensor_fields(self) -> tuple:
        return ("spectrum", "input_output_dtype")



def _circulant_class(block_depth: int, class_name: str, doc: str) -> type:
    """One public circulant class per block depth: TF writes the three out; they differ only in the depth."""

    def __init__(self: Any, spectrum: Any, input_output_dtype: Any = complex64,
                 is_non_singular: bool | None = None, is_self_adjoint: bool | None = None,
                 is_positive_definite: bool | None = None, is_square: bool = True, name: str = class_name) -> None:
        parameters = dict(spectrum=spectrum, input_output_dtype=input_output_dtype, is_non_singular=is_non_singular,
                          is_self_adjoint=is_self_adjoint, is_positive_definite=is_positive_definite,
                          is_square=is_square, name=name)
        _BaseLinearOperatorCirculant.__init__(
            self, spectrum, block_depth=block_depth, input_output_dtype=input_output_dtype,
            is_non_singular=is_non_singular, is_self_adjoint=is_self_adjoint,
            is_positive_definite=is_positive_definite, is_square=is_square, parameters=parameters, name=name)

    return type(class_name, (_BaseLinearOperatorCirculant,),
                {"__init__": __init__, "__doc__": doc, "__module__": __name__, "__qualname__": class_name})


LinearOperatorCirculant = _circulant_class(
    1, "LinearOperatorCirculant", "``LinearOperator`` acting like a circulant matrix, given its spectrum.")
LinearOperatorCirculant2D = _circulant_class(
    2, "LinearOperatorCirculant2D", "``LinearOperator`` acting like a block circulant matrix.")
LinearOperatorCirculant3D = _circulant_class(
    3, "LinearOperatorCirculant3D", "``LinearOperator`` acting like a nested block circulant matrix.")
