"""Eigen decomposition of general square matrices (``tf.linalg.eig``, ``eigvals``: TF's ``Eig`` op, complex
results, with its gradient) and the cross product (``tf.linalg.cross``: TF's ``Cross``).

>>> import featherflow as tf
>>> tf.linalg.eigvals(tf.constant([[2.0, 0.0], [0.0, 3.0]])).numpy().tolist()
[(2+0j), (3+0j)]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ... import dtypes as _dtypes
from ...tensor import Tensor
from .._kernel_errors import kernel_error, slow_path
from ..convert import binary, tensor
from ..registry import register
from .core import adjoint, matmul
from .diag import diag_op, diag_part_op, set_diag_op

_COMPLEX_OF = {_dtypes.float32: _dtypes.complex64, _dtypes.complex64: _dtypes.complex64,
               _dtypes.float64: _dtypes.complex128, _dtypes.complex128: _dtypes.complex128}


# Host-only: CuPy has no general (non-Hermitian) eigensolver (cupy.linalg has eigh and eigvalsh only), so the op
# runs on the CPU wherever it is placed, as TF's Eig, which has no GPU kernel, does.
@register("Eig", n_outputs=2, host_only=True)
def eig_op(xp: Any, x: Any, Tout: Any, compute_v: bool = True) -> Any:  # noqa: N803 - TF's attr
    n = x.shape[-1]
    if x.size == 0:
        return np.zeros(x.shape[:-1], dtype=Tout), np.zeros(x.shape if compute_v else (0,), dtype=Tout)
    if not np.isfinite(x).all():
        raise kernel_error("Eig", "Eigen decomposition was not successful. The input might not be valid.")
    if compute_v:
        e, v = np.linalg.eig(x)
        return e.astype(Tout), v.astype(Tout)
    return np.linalg.eigvals(x).astype(Tout).reshape(x.shape[:-2] + (n,)), np.zeros((0,), dtype=Tout)


def _safe_reciprocal(x: Tensor, epsilon: float = 1e-20) -> Tensor:
    from ..registry import constant_like

    return x * (constant_like(1, x) / (x * x + constant_like(epsilon, x)))


def _expand(x: Tensor, axis: int) -> Tensor:
    from ..array.core import reshape_op

    shape = list(x._value.shape)
    shape.insert(len(shape) + 1 + axis if axis < 0 else axis, 1)
    return reshape_op(x, shape=tuple(shape))


def _mdiag(x: Tensor) -> Tensor:
    n = x._value.shape[-1]
    return diag_op(x, lo=0, hi=0, rows=n, cols=n, padding_value=0, align="RIGHT_LEFT")


@eig_op.gradient
def _(gs: tuple, ans: tuple, a: Tensor, Tout: Any, compute_v: bool = True) -> Any:  # noqa: N803
    """TF's _EigGrad (Boeddeker et al., eq. 4.77), for distinct eigenvalues."""
    from ..array.create import cast
    from ..math.api import conj, real
    from ..math.elementwise import zeros_like_op
    from .decomp import solve_op

    e = ans[0]
    grad_e = gs[0] if gs[0] is not None else zeros_like_op(e)
    if compute_v:
        v = ans[1]
        grad_v = gs[1] if gs[1] is not None else zeros_like_op(v)
        vt = adjoint(v)
        f = set_diag_op(_safe_reciprocal(_expand(e, -2) - _expand(e, -1)), zeros_like_op(e), lo=0, hi=0,
                        align="RIGHT_LEFT")
        f = conj(f)
        vgv = matmul(vt, grad_v)
        mid = _mdiag(grad_e)
        diag_grad = _mdiag(diag_part_op(cast(real(vgv), vgv.dtype), lo=0, hi=0, padding_value=0,
                                        align="RIGHT_LEFT"))
        mid = mid + f * (vgv - matmul(matmul(vt, v), diag_grad))
        grad_a = solve_op(vt, matmul(mid, vt))
    else:
        _, v = eig_op(a, Tout=Tout, compute_v=True)
        vt = adjoint(v)
        grad_a = solve_op(vt, matmul(_mdiag(grad_e), vt))
    return cast(grad_a, a.dtype)


def _eig(x_in: Any, compute_v: bool) -> tuple:
    if not hasattr(x_in, "dtype"):  # TF's wrapper reads ``tensor.dtype`` before converting
        raise AttributeError(f"'{type(x_in).__name__}' object has no attribute 'dtype'")
    x = tensor(x_in)
    out = _COMPLEX_OF.get(x._dtype)
    if out is None:
        raise UnboundLocalError("cannot access local variable 'out_dtype' where it is not associated with a value")
    eig_op.check(x, Tout=out)
    shape = x._value.shape
    if len(shape) < 2:
        raise kernel_error("Eig", f"Input tensor 0 must have rank >= 2, got {len(shape)}")
    if shape[-1] != shape[-2]:
        raise kernel_error("Eig", "Input matrix must be square.")
    return eig_op(x, Tout=out._np, compute_v=compute_v)


def eig(tensor: Any, name: str | None = None) -> tuple:  # noqa: A002
    """Eigenvalues and right eigenvectors (unit columns) of general square matrices, as complex tensors.

    >>> eig(np.array([[2.0, 0.0], [0.0, 3.0]]))[0].numpy().tolist()
    [(2+0j), (3+0j)]
    """
    return _eig(tensor, True)


def eigvals(tensor: Any, name: str | None = None) -> Tensor:  # noqa: A002
    """Eigenvalues of general square matrices, complex (``tf.linalg.eigvals``).

    >>> eigvals(np.array([[0.0, -1.0], [1.0, 0.0]])).numpy().tolist()
    [1j, -1j]
    """
    return _eig(tensor, False)[0]


# --- cross product -----------------------------------------------------------------------------------------------


@register("Cross")
def cross_op(xp: Any, a: Any, b: Any) -> Any:
    return xp.cross(a, b)


@cross_op.gradient
def _(g: Tensor, ans: Tensor, a: Tensor, b: Tensor) -> tuple:
    return cross_op(b, g), cross_op(g, a)


def cross(a: Any, b: Any, name: str | None = None) -> Tensor:
    """Pairwise cross products of 3-element vectors (the last axis) (``tf.linalg.cross``).

    >>> cross([1.0, 0.0, 0.0], [0.0, 1.0, 0.0]).numpy().tolist()
    [0.0, 0.0, 1.0]
    """
    from ...errors import FailedPreconditionError

    x, y = binary(a, b, "Cross")
    tail = None if isinstance(a, (list, tuple)) or isinstance(b, (list, tuple)) else ""
    with slow_path(taken=tail is None):
        cross_op.check(x, y)
    xs, ys = x._value.shape, y._value.shape
    if xs != ys:
        raise kernel_error("Cross", f"Both inputs must be of same shape: {_shape(xs)} vs. {_shape(ys)}", name=tail)
    if len(xs) < 1:
        raise kernel_error("Cross", "Input must be at least 1D[]", name=tail)
    if xs[-1] != 3:
        raise kernel_error("Cross", "Cross-products are only defined for 3-element vectors.", name=tail,
                           cls=FailedPreconditionError)
    with slow_path(taken=tail is None):
        return cross_op(x, y)


def _shape(shape: tuple) -> str:
    return "[" + ",".join(str(d) for d in shape) + "]"
