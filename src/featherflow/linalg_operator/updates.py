"""``LinearOperatorTridiag`` and ``LinearOperatorLowRankUpdate`` (TF's classes)."""

from __future__ import annotations

from typing import Any

from ..naming import name_scope
from ..ops.array.core import broadcast_to, expand_dims, stack, unstack
from ..ops.array.create import cast
from ..ops.array.join import broadcast_static_shape, roll
from ..ops.debugging.checks import assert_equal
from ..ops.linalg.composite import cholesky_solve
from ..ops.linalg.core import adjoint as _adjoint
from ..ops.linalg.core import matmul
from ..ops.linalg.decomp import cholesky as _cholesky
from ..ops.linalg.decomp import det as _det
from ..ops.linalg.diag import diag, diag_part
from ..ops.linalg.tridiagonal import tridiagonal_matmul, tridiagonal_solve
from ..ops.math.api import abs as _abs
from ..ops.math.api import conj, exp, log
from ..ops.math.reduce import reduce_sum
from ..shape import TensorShape
from ..tensor import Tensor, convert_to_tensor
from . import _util
from .base import LinearOperator, _log

_COMPACT, _MATRIX, _SEQUENCE = "compact", "matrix", "sequence"
_DIAGONAL_FORMATS = frozenset({_COMPACT, _MATRIX, _SEQUENCE})


class LinearOperatorTridiag(LinearOperator):
    """``LinearOperator`` acting like a [batch] square tridiagonal matrix (``tf.linalg.LinearOperatorTridiag``)."""

    def __init__(self, diagonals: Any, diagonals_format: str = _COMPACT, is_non_singular: bool | None = None,
                 is_self_adjoint: bool | None = None, is_positive_definite: bool | None = None,
                 is_square: bool | None = None, name: str = "LinearOperatorTridiag") -> None:
        parameters = dict(diagonals=diagonals, diagonals_format=diagonals_format, is_non_singular=is_non_singular,
                          is_self_adjoint=is_self_adjoint, is_positive_definite=is_positive_definite,
                          is_square=is_square, name=name)
        with name_scope(name):
            if diagonals_format not in _DIAGONAL_FORMATS:
                raise ValueError("Argument `diagonals_format` must be one of compact, matrix, or sequence. "
                                 f"Received : {diagonals_format}.")
            if diagonals_format == _SEQUENCE:
                self._diagonals = [_util.convert_nonref_to_tensor(d) for d in diagonals]
                dtype = self._diagonals[0].dtype
            else:
                self._diagonals = _util.convert_nonref_to_tensor(diagonals)
                dtype = self._diagonals.dtype
            self._diagonals_format = diagonals_format
            super().__init__(dtype=dtype, is_non_singular=is_non_singular, is_self_adjoint=is_self_adjoint,
                             is_positive_definite=is_positive_definite, is_square=is_square,
                             parameters=parameters, name=name)

    @property
    def diagonals(self) -> Any:
        """The diagonals, in ``diagonals_format``."""
        return self._diagonals

    @property
    def diagonals_format(self) -> str:
        """How ``diagonals`` is given: ``"compact"``, ``"matrix"`` or ``"sequence"``."""
        return self._diagonals_format

    def _shape(self) -> TensorShape:
        if self.diagonals_format == _MATRIX:
            return TensorShape(self.diagonals.shape)
        if self.diagonals_format == _COMPACT:
            s = TensorShape(self.diagonals.shape)
            d_shape = s[:-2].concatenate(s[-1:])
        else:
            d0, d1, d2 = (TensorShape(d.shape) for d in self.diagonals)
            batch = broadcast_static_shape(broadcast_static_shape(d0[:-1], d1[:-1]), d2[:-1])
            d_shape = TensorShape(batch).concatenate(d1[-1:])
        return d_shape.concatenate(d_shape[-1:])

    def _shape_tensor(self) -> Tensor:
        return _util.shape_tensor(self.shape.as_list())

    def _assert_self_adjoint(self) -> Any:
        diag_message = "This tridiagonal operator contained non-zero imaginary values on the diagonal."
        off_diag_message = "This tridiagonal operator has non-conjugate subdiagonal and superdiagonal."
        if self.diagonals_format == _MATRIX:
            return assert_equal(self.diagonals, _adjoint(self.diagonals),
                                message="Matrix was not equal to its adjoint.")
        if self.diagonals_format == _COMPACT:
            d = convert_to_tensor(self.diagonals)
            superdiag, main, subdiag = d[..., 0, :], d[..., 1, :], d[..., 2, :]
        else:
            superdiag, main, subdiag = (convert_to_tensor(x) for x in self.diagonals)
        _util.assert_zero_imag_part(main, message=diag_message)
        subdiag = roll(subdiag, shift=-1, axis=-1)
        return assert_equal(conj(subdiag[..., :-1]), superdiag[..., :-1], message=off_diag_message)

    def _construct_adjoint_diagonals(self, diagonals: Any) -> Any:
        if self.diagonals_format == _SEQUENCE:
            diagonals = [conj(d) for d in reversed(diagonals)]
            diagonals[0] = roll(diagonals[0], shift=-1, axis=-1)
            diagonals[2] = roll(diagonals[2], shift=1, axis=-1)
            return diagonals
        if self.diagonals_format == _MATRIX:
            return _adjoint(diagonals)
        superdiag, main, subdiag = unstack(conj(diagonals), num=3, axis=-2)
        return stack([roll(subdiag, shift=-1, axis=-1), main, roll(superdiag, shift=1, axis=-1)], axis=-2)

    def _matmul(self, x: Tensor, adjoint: bool = False, adjoint_arg: bool = False) -> Tensor:
        diagonals = self.diagonals
        if adjoint:
            diagonals = self._construct_adjoint_diagonals(diagonals)
        x = _adjoint(x) if adjoint_arg else x
        return tridiagonal_matmul(diagonals, x, diagonals_format=self.diagonals_format)

    def _solve(self, rhs: Tensor, adjoint: bool = False, adjoint_arg: bool = False) -> Tensor:
        diagonals = self.diagonals
        if adjoint:
            diagonals = self._construct_adjoint_diagonals(diagonals)
        k = self.shape[-1]
        batch = broadcast_static_shape(self.batch_shape, rhs.shape[:-2]).as_list()
        rhs = broadcast_to(rhs, batch + rhs.shape.as_list()[-2:])
        if self.diagonals_format == _MATRIX:
            diagonals = broadcast_to(diagonals, batch + [k, k])
        elif self.diagonals_format == _COMPACT:
            diagonals = broadcast_to(diagonals, batch + [3, k])
        else:
            diagonals = [broadcast_to(d, batch + [k]) for d in diagonals]
        return tridiagonal_solve(diagonals, rhs, diagonals_format=self.diagonals_format, transpose_rhs=adjoint_arg,
                                 conjugate_rhs=adjoint_arg)

    def _diag_part(self) -> Tensor:
        if self.diagonals_format == _MATRIX:
            return diag_part(self.diagonals)
        if self.diagonals_format == _SEQUENCE:
            return broadcast_to(self.diagonals[1], self.shape.as_list()[:-1])
        return convert_to_tensor(self.diagonals)[..., 1, :]

    def _to_dense(self) -> Tensor:
        if self.diagonals_format == _MATRIX:
            return convert_to_tensor(self.diagonals)
        if self.diagonals_format == _COMPACT:
            diagonals = self.diagonals
        else:
            diagonals = stack([convert_to_tensor(d) for d in self.diagonals], axis=-2)
        return diag(diagonals, k=(-1, 1), align="LEFT_RIGHT")

    @property
    def _experimental_parameter_ndims_to_matrix_ndims(self) -> dict:
        return {"diagonals": [1, 1, 1] if self.diagonals_format == _SEQUENCE else 2}

    @property
    def _composite_tensor_fields(self) -> tuple:
        return ("diagonals", "diagonals_format")

class LinearOperatorLowRankUpdate(LinearOperator):
    """Perturb a ``LinearOperator`` with a rank ``K`` update: ``A = L + U D V^H``."""

    def __init__(self, base_operator: LinearOperator, u: Any, diag_update: Any = None, v: Any = None,
                 is_diag_update_positive: bool | None = None, is_non_singular: bool | None = None,
                 is_self_adjoint: bool | None = None, is_positive_definite: bool | None = None,
                 is_square: bool | None = None, name: str = "LinearOperatorLowRankUpdate") -> None:
        from .basic import LinearOperatorDiag
        from .identity import LinearOperatorIdentity
        parameters = dict(base_operator=base_operator, u=u, diag_update=diag_update, v=v,
                          is_diag_update_positive=is_diag_update_positive, is_non_singular=is_non_singular,
                          is_self_adjoint=is_self_adjoint, is_positive_definite=is_positive_definite,
                          is_square=is_square, name=name)
        dtype = base_operator.dtype
        if diag_update is not None and is_diag_update_positive and dtype.is_complex:
            _log.warning("Note: setting is_diag_update_positive with a complex dtype means that diagonal is real "
                         "and positive.")
        if diag_update is None:
            if is_diag_update_positive is False:
                raise ValueError("Default diagonal is the identity, which is positive.  However, user set "
                                 "'is_diag_update_positive' to False.")
            is_diag_update_positive = True
        self._use_cholesky = bool(base_operator.is_positive_definite and base_operator.is_self_adjoint
                                  and is_diag_update_positive and v is None)
        if base_operator.is_self_adjoint and v is None and not dtype.is_complex:
            if is_self_adjoint is False:
                raise ValueError("A = L + UDU^H, with L self-adjoint and D real diagonal.  Since UDU^H is "
                                 "self-adjoint, this must be a self-adjoint operator.")
            is_self_adjoint = True
        if self._use_cholesky:
            if is_positive_definite is False or is_self_adjoint is False or is_non_singular is False:
                raise ValueError("Arguments imply this is self-adjoint positive-definite operator.")
            is_positive_definite = True
            is_self_adjoint = True
        with name_scope(name):
            self._u = _util.convert_nonref_to_tensor(u)
            self._v = self._u if v is None else _util.convert_nonref_to_tensor(v)
            self._diag_update = None if diag_update is None else _util.convert_nonref_to_tensor(diag_update)
            self._base_operator = base_operator
            super().__init__(dtype=dtype, is_non_singular=is_non_singular, is_self_adjoint=is_self_adjoint,
                             is_positive_definite=is_positive_definite, is_square=is_square,
                             parameters=parameters, name=name)
            if diag_update is not None:
                self._diag_operator = LinearOperatorDiag(self._diag_update,
                                                         is_positive_definite=is_diag_update_positive)
            else:
                self._diag_operator = LinearOperatorIdentity(num_rows=self.u.shape[-1], dtype=self.dtype)
            self._is_diag_update_positive = is_diag_update_positive
            self._check_shapes()

    def _check_shapes(self) -> None:
        uv_shape = broadcast_static_shape(self.u.shape, self.v.shape)
        batch_shape = broadcast_static_shape(self.base_operator.batch_shape, uv_shape[:-2])
        _util.assert_compatible_dims(self.base_operator.domain_dimension, uv_shape[-2])
        if self._diag_update is not None:
            _util.assert_compatible_dims(uv_shape[-1], self._diag_update.shape[-1])
            broadcast_static_shape(batch_shape, self._diag_update.shape[:-1])

    @property
    def u(self) -> Any:
        """The ``U`` of ``L + U D V^H``."""
        return self._u

    @property
    def v(self) -> Any:
        """The ``V`` of ``L + U D V^H`` (``U`` when none was given)."""
        return self._v

    @property
    def is_diag_update_positive(self) -> bool | None:
        """The hint that the diagonal update ``D`` is positive."""
        return self._is_diag_update_positive

    @property
    def diag_update(self) -> Any:
        """The diagonal of ``D`` (``None``: the identity)."""
        return self._diag_update

    @property
    def diag_operator(self) -> LinearOperator:
        """The operator ``D``."""
        return self._diag_operator

    @property
    def base_operator(self) -> LinearOperator:
        """The operator ``L``."""
        return self._base_operator

    def _assert_self_adjoint(self) -> Any:
        if self.u is self.v and self.diag_update is None:
            return self.base_operator.assert_self_adjoint()
        # TF calls the public super().assert_self_adjoint() here, which recurses without end; the dense check
        # is what it means
        return super()._assert_self_adjoint()

    def _shape(self) -> TensorShape:
        batch = broadcast_static_shape(self.base_operator.batch_shape, self.diag_operator.batch_shape)
        batch = broadcast_static_shape(batch, self.u.shape[:-2])
        batch = broadcast_static_shape(batch, self.v.shape[:-2])
        return TensorShape(batch).concatenate(self.base_operator.shape[-2:])

    def _shape_tensor(self) -> Tensor:
        return _util.shape_tensor(self.shape.as_list())

    def _get_uv_as_tensors(self) -> tuple:
        u = convert_to_tensor(self.u)
        return u, (u if self.v is self.u else convert_to_tensor(self.v))

    def _matmul(self, x: Tensor, adjoint: bool = False, adjoint_arg: bool = False) -> Tensor:
        u, v = self._get_uv_as_tensors()
        leading_term = self.base_operator.matmul(x, adjoint=adjoint, adjoint_arg=adjoint_arg)
        if adjoint:
            u, v = v, u
        vh_x = matmul(v, x, adjoint_a=True, adjoint_b=adjoint_arg)
        return leading_term + matmul(u, self.diag_operator.matmul(vh_x, adjoint=adjoint))

    def _determinant(self) -> Tensor:
        if self.is_positive_definite:
            return exp(self.log_abs_determinant())
        u, v = self._get_uv_as_tensors()
        det_c = _det(self._make_capacitance(u=u, v=v))
        return det_c * self.diag_operator.determinant() * self.base_operator.determinant()

    def _diag_part(self) -> Tensor:
        u, v = self._get_uv_as_tensors()
        product = u * conj(v)
        if self.diag_update is not None:
            product *= expand_dims(self.diag_update, axis=-2)
        return reduce_sum(product, axis=-1) + self.base_operator.diag_part()

    def _log_abs_determinant(self) -> Tensor:
        u, v = self._get_uv_as_tensors()
        log_abs_det_d = self.diag_operator.log_abs_determinant()
        log_abs_det_l = self.base_operator.log_abs_determinant()
        if self._use_cholesky:
            chol_cap_diag = diag_part(_cholesky(self._make_capacitance(u=u, v=v)))
            log_abs_det_c = 2 * reduce_sum(log(chol_cap_diag), axis=[-1])
        else:
            log_abs_det_c = log(_abs(_det(self._make_capacitance(u=u, v=v))))
            if self.dtype.is_complex:
                log_abs_det_c = cast(log_abs_det_c, dtype=self.dtype)
        return log_abs_det_c + log_abs_det_d + log_abs_det_l

    def _solve(self, rhs: Tensor, adjoint: bool = False, adjoint_arg: bool = False) -> Tensor:
        if self.base_operator.is_non_singular is False:
            raise ValueError("Solve not implemented unless this is a perturbation of a non-singular "
                             "LinearOperator.")
        base = self.base_operator
        # the Woodbury identity, with the capacitance C = D^-1 + V^H L^-1 U
        u, v = self._get_uv_as_tensors()
        capacitance = self._make_capacitance(u=u, v=v)  # the adjoint solve uses C^H: solved with ``adjoint``
        if adjoint:
            u, v = v, u
        linv_rhs = base.solve(rhs, adjoint=adjoint, adjoint_arg=adjoint_arg)
        vh_linv_rhs = matmul(v, linv_rhs, adjoint_a=True)
        if self._use_cholesky:
            capinv_vh_linv_rhs = cholesky_solve(_cholesky(capacitance), vh_linv_rhs)
        else:
            capinv_vh_linv_rhs = _util.matrix_solve_with_broadcast(capacitance, vh_linv_rhs, adjoint=adjoint)
        return linv_rhs - base.solve(matmul(u, capinv_vh_linv_rhs), adjoint=adjoint)

    def _make_capacitance(self, u: Tensor, v: Tensor) -> Tensor:
        vh_linv_u = matmul(v, self.base_operator.solve(u), adjoint_a=True)
        return self._diag_operator.inverse().add_to_tensor(vh_linv_u)

    @property
    def _experimental_parameter_ndims_to_matrix_ndims(self) -> dict:
        return {"base_operator": 0, "u": 2, "diag_update": 1, "v": 2}

    @property
    def _composite_tensor_fields(self) -> tuple:
        return ("base_operator", "u", "diag_update", "v", "is_diag_update_positive")
