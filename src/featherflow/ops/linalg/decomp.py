"""Decompositions and solvers (``tf.linalg``): inv, det, slogdet, cholesky, qr, svd, eigh, solve,
triangular_solve, with TF's gradient rules (``linalg_grad.py``); and the composites built on them: logdet,
cholesky_solve, lstsq, pinv, expm.

>>> import featherflow as tf
>>> tf.linalg.inv([[2.0, 0.0], [0.0, 4.0]]).numpy()
array([[0.5 , 0.  ],
       [0.  , 0.25]], dtype=float32)
"""

from __future__ import annotations

from collections import namedtuple
from typing import Any

import numpy as np

from ... import dtypes as _dtypes
from ...backends import to_numpy
from ...tensor import Tensor
from .. import dispatch as _dispatch
from .._kernel_errors import kernel_error, slow_path
from ..convert import COMPLEX, hinted, shape_text, tensor
from ..registry import OPS, constant_like, register
from .core import adjoint, matmul
from .diag import band_part_op, diag_op, diag_part_op, set_diag_op

_d = _dtypes
_HALF_TO_F32 = {np.dtype(np.float16)}

LogMatrixDeterminant = namedtuple("LogMatrixDeterminant", ["sign", "log_abs_determinant"])
Qr = namedtuple("Qr", ["q", "r"])


def _wide(x: Any) -> Any:
    return x.astype(np.float32) if x.dtype in _HALF_TO_F32 else x


def _lower(xp: Any, a: Any) -> Any:
    return xp.tril(a)


def _c(x: Tensor, value: float) -> Tensor:
    return constant_like(value, x)  # on x's device, without a host->device copy


def _identity_like(x: Tensor) -> Tensor:
    """Identity matrices of the shape, dtype and device of the (batch of) square matrices ``x``."""
    from ..math.elementwise import ones_like_op

    return _mdiag(ones_like_op(diag_part_op(x, lo=0, hi=0, padding_value=0, align="RIGHT_LEFT")))


def _raise_if_singular(xp: Any, op: str, message: str, out: Any, *inputs: Any) -> None:
    """TF's GPU solvers read LAPACK's status back and raise for a singular matrix; a device solver leaves inf or
    NaN instead (CuPy raises nothing). One explicit read: whether finite inputs gave a non-finite result."""
    finite = xp.isfinite(inputs[0]).all(axis=(-2, -1))
    for x in inputs[1:]:
        finite = finite & xp.isfinite(x).all(axis=(-2, -1))
    if bool(to_numpy((finite & ~xp.isfinite(out).all(axis=(-2, -1))).any())):
        raise kernel_error(op, message)


def _safe_reciprocal(x: Tensor, epsilon: float = 1e-20) -> Tensor:
    return x * (_c(x, 1) / (x * x + _c(x, epsilon)))


# --- ops ----------------------------------------------------------------------------------------------------


@register("MatrixInverse")
def inv_op(xp: Any, x: Any, adjoint: bool = False) -> Any:
    a = xp.conj(xp.swapaxes(x, -1, -2)) if adjoint else x
    if xp is not np:
        out = xp.linalg.inv(_wide(a))
        _raise_if_singular(xp, "MatrixInverse", "Input is not invertible.", out, a)
        return out.astype(x.dtype, copy=False)
    if not bool(xp.isfinite(a).all()):
        raise kernel_error("MatrixInverse", "Input is not invertible.")
    try:
        return xp.linalg.inv(_wide(a)).astype(x.dtype, copy=False)
    except np.linalg.LinAlgError:
        raise kernel_error("MatrixInverse", "Input is not invertible.") from None


@inv_op.gradient
def _(g: Tensor, ans: Tensor, x: Tensor, adjoint: bool = False) -> Any:
    return -matmul(ans, matmul(g, ans, adjoint_a=adjoint, adjoint_b=not adjoint), adjoint_a=not adjoint)


@register("MatrixDeterminant")
def det_op(xp: Any, x: Any) -> Any:
    return xp.asarray(xp.linalg.det(x), dtype=x.dtype)


@det_op.gradient
def _(g: Tensor, ans: Tensor, x: Tensor) -> Any:
    from ..array.core import reshape_op

    mult = reshape_op(g * ans, shape=ans._value.shape + (1, 1))
    return mult * inv_op(x, adjoint=True)


@register("LogMatrixDeterminant", n_outputs=2)
def slogdet_op(xp: Any, x: Any) -> Any:
    sign, logdet = xp.linalg.slogdet(x)
    return xp.asarray(sign, dtype=x.dtype), xp.asarray(logdet, dtype=x.dtype)


@slogdet_op.gradient
def _(gs: tuple, ans: tuple, x: Tensor) -> Any:
    from ..array.core import reshape_op

    g = gs[1]
    if g is None:
        return None
    return reshape_op(g, shape=ans[1]._value.shape + (1, 1)) * inv_op(x, adjoint=True)


@register("Cholesky")
def cholesky_op(xp: Any, x: Any) -> Any:
    if xp is not np:
        # TF's GPU kernel fills the lower triangle of each matrix whose factorization failed with NaN, from LAPACK's
        # status; here from the factor's diagonal, which is real and positive exactly where it succeeded
        low = xp.linalg.cholesky(x)
        ok = (xp.diagonal(low, axis1=-2, axis2=-1).real > 0).all(axis=-1)
        return xp.tril(xp.where(ok[..., None, None], low, xp.full((), np.nan, dtype=x.dtype)))
    try:
        return xp.linalg.cholesky(x)
    except np.linalg.LinAlgError:
        pass
    # TF leaves NaN in the lower triangle of each matrix that is not positive definite (and keeps the others)
    flat = x.reshape((-1,) + x.shape[-2:])
    out = xp.zeros_like(flat)
    nan = xp.tril(xp.full(x.shape[-2:], np.nan, dtype=x.dtype))
    for i in range(flat.shape[0]):
        try:
            out[i] = xp.linalg.cholesky(flat[i])
        except np.linalg.LinAlgError:
            out[i] = nan
    return out.reshape(x.shape)


@cholesky_op.gradient
def _(g: Tensor, ans: Tensor, x: Tensor) -> Any:
    l_inverse = triangular_solve_op(ans, _identity_like(ans), lower=True, adjoint=False)
    middle = matmul(ans, g, adjoint_a=True)
    middle = set_diag_op(middle, diag_part_op(middle, lo=0, hi=0, padding_value=0, align="RIGHT_LEFT") * _c(g, 0.5),
                         lo=0, hi=0, align="RIGHT_LEFT")
    middle = band_part_op(middle, num_lower=-1, num_upper=0)
    grad = matmul(matmul(l_inverse, middle, adjoint_a=True), l_inverse)
    grad = grad + adjoint(grad)
    return grad * _c(grad, 0.5)


@register("Qr", n_outputs=2)
def qr_op(xp: Any, x: Any, full_matrices: bool = False) -> Any:
    q, r = xp.linalg.qr(_wide(x), mode="complete" if full_matrices else "reduced")
    return q.astype(x.dtype, copy=False), r.astype(x.dtype, copy=False)


@qr_op.gradient
def _(gs: tuple, ans: tuple, a: Tensor, full_matrices: bool = False) -> Any:
    from ..array.core import concat_op
    from ..math.elementwise import zeros_like_op

    q, r = ans
    dq = gs[0] if gs[0] is not None else zeros_like_op(q)
    dr = gs[1] if gs[1] is not None else zeros_like_op(r)
    rows, cols = r._value.shape[-2:]
    if rows > cols and q._value.shape[-2] == q._value.shape[-1]:
        raise NotImplementedError(f"QrGrad not implemented when nrows > ncols and full_matrices is true. Received "
                                  f"r.shape={r.shape} with nrows={rows}and ncols={cols}.")
    num_rows = q._value.shape[-2]
    if num_rows >= cols:
        return _qr_grad_square_deep(q, r, dq, dr)
    y, u = a[..., :, num_rows:], r[..., :, :num_rows]
    dv, du = dr[..., :, num_rows:], dr[..., :, :num_rows]
    dy = matmul(q, dv)
    dx = _qr_grad_square_deep(q, u, dq + matmul(y, dv, adjoint_b=True), du)
    return concat_op(dx, dy, axis=dx._value.ndim - 1)


def _tri_solve_right(x: Tensor, r: Tensor) -> Tensor:
    """x @ inv(r) for upper-triangular r."""
    return adjoint(triangular_solve_op(r, adjoint(x), lower=False, adjoint=False))


def _qr_grad_square_deep(q: Tensor, r: Tensor, dq: Tensor, dr: Tensor) -> Tensor:
    from ..math.elementwise import cast_op, real_op, zeros_like_op

    qdq = matmul(q, dq, adjoint_a=True)
    qdq_ = qdq - adjoint(qdq)
    rdr = matmul(r, dr, adjoint_b=True)
    rdr_ = rdr - adjoint(rdr)
    tril = band_part_op(qdq_ + rdr_, num_lower=-1, num_upper=0)
    grad = matmul(q, dr + _tri_solve_right(tril, r)) + _tri_solve_right(dq - matmul(q, qdq), r)
    if q._dtype in COMPLEX:
        m = rdr - adjoint(qdq)
        eyem = set_diag_op(zeros_like_op(m), diag_part_op(m, lo=0, hi=0, padding_value=0, align="RIGHT_LEFT"),
                           lo=0, hi=0, align="RIGHT_LEFT")
        correction = eyem - cast_op(real_op(eyem), dtype=q._dtype._np)
        grad = grad + _tri_solve_right(matmul(q, adjoint(correction)), r)
    return grad


@register("Svd", n_outputs=3)
def svd_op(xp: Any, x: Any, compute_uv: bool = True, full_matrices: bool = False) -> Any:
    m, n = x.shape[-2:]
    batch = x.shape[:-2]
    p = min(m, n)
    empty = xp.zeros((0,), dtype=x.dtype)
    if p == 0:
        s = xp.zeros(batch + (0,), dtype=x.dtype)
        if not compute_uv:
            return s, empty, empty
        mu, nv = (m, n) if full_matrices else (p, p)
        eye = xp.broadcast_to
        return (s, eye(xp.eye(m, mu, dtype=x.dtype), batch + (m, mu)).copy(),
                eye(xp.eye(n, nv, dtype=x.dtype), batch + (n, nv)).copy())
    try:
        if not compute_uv:
            return xp.linalg.svd(x, compute_uv=False).astype(x.dtype), empty, empty
        u, s, vh = xp.linalg.svd(x, full_matrices=full_matrices)
    except np.linalg.LinAlgError:  # TF returns NaN where the iteration fails
        s = xp.full(batch + (p,), np.nan, dtype=x.dtype)
        if not compute_uv:
            return s, empty, empty
        mu, nv = (m, n) if full_matrices else (p, p)
        return s, xp.full(batch + (m, mu), np.nan, x.dtype), xp.full(batch + (n, nv), np.nan, x.dtype)
    return s.astype(x.dtype), u, xp.conj(xp.swapaxes(vh, -1, -2))


@svd_op.gradient
def _(gs: tuple, ans: tuple, a: Tensor, compute_uv: bool = True, full_matrices: bool = False) -> Any:
    from ..math.elementwise import cast_op, ones_like_op, zeros_like_op

    grad_s, grad_u, grad_v = gs
    dt = a._dtype
    s, u, v = ans
    if grad_s is None:
        grad_s = zeros_like_op(s)
    grad_s = grad_s if grad_s._dtype is dt else cast_op(grad_s, dtype=dt._np)
    grad_s_mat = _mdiag(grad_s)
    if not compute_uv:
        _, u, v = svd_op(a, compute_uv=True, full_matrices=False)
        return matmul(u, matmul(grad_s_mat, v, adjoint_b=True))
    grad_u = grad_u if grad_u is not None else zeros_like_op(u)
    grad_v = grad_v if grad_v is not None else zeros_like_op(v)
    m, n = a._value.shape[-2:]
    use_adjoint = m > n
    if use_adjoint:
        m, n, u, v, grad_u, grad_v = n, m, v, u, grad_v, grad_u
    if full_matrices and abs(m - n) > 1:
        raise NotImplementedError(f"svd gradient is not implemented for abs(m - n) > 1 when full_matrices is True. "
                                  f"Received: m={m} and n={n} from op input={a} with shape={a.shape}.")
    s_mat = _mdiag(s)
    s2 = s * s
    f = _expand(s2, -2) - _expand(s2, -1)
    f = set_diag_op(_safe_reciprocal(f), zeros_like_op(s), lo=0, hi=0, align="RIGHT_LEFT")
    s_inv_mat = _mdiag(_safe_reciprocal(s))
    v1, grad_v1 = v[..., :, :m], grad_v[..., :, :m]
    u_gu = matmul(u, grad_u, adjoint_a=True)
    v_gv = matmul(v1, grad_v1, adjoint_a=True)
    f_u, f_v = f * u_gu, f * v_gv
    term1_nouv = grad_s_mat + matmul(f_u + adjoint(f_u), s_mat) + matmul(s_mat, f_v + adjoint(f_v))
    grad = matmul(u, matmul(term1_nouv, v1, adjoint_b=True))
    if m != n:
        gv1t = adjoint(grad_v1)
        term2_nous = gv1t - matmul(matmul(gv1t, v1), v1, adjoint_b=True)
        if full_matrices:
            v2, grad_v2 = v[..., :, m:n], grad_v[..., :, m:n]
            term2_nous = term2_nous - matmul(matmul(v1, grad_v2, adjoint_a=True), v2, adjoint_b=True)
        grad = grad + matmul(matmul(u, s_inv_mat), term2_nous)
    if dt in COMPLEX:
        ll = _mdiag(ones_like_op(s)) * v_gv
        term3_nouv = matmul(s_inv_mat, adjoint(ll) - ll)
        grad = grad + _c(grad, 0.5) * matmul(u, matmul(term3_nouv, v1, adjoint_b=True))
    return adjoint(grad) if use_adjoint else grad


def _mdiag(x: Tensor) -> Tensor:
    n = x._value.shape[-1]
    return diag_op(x, lo=0, hi=0, rows=n, cols=n, padding_value=0, align="RIGHT_LEFT")


def _expand(x: Tensor, axis: int) -> Tensor:
    from ..array.core import reshape_op

    shape = list(x._value.shape)
    shape.insert(len(shape) + 1 + axis if axis < 0 else axis, 1)
    return reshape_op(x, shape=tuple(shape))


@register("SelfAdjointEigV2", n_outputs=2)
def eigh_op(xp: Any, x: Any, compute_v: bool = True) -> Any:
    # TF's CPU kernel rejects non-finite input; its GPU kernel does not look (a check would copy to the host)
    if xp is np and not bool(xp.isfinite(x).all()):
        raise kernel_error("SelfAdjointEigV2", "Self-adjoint eigen decomposition was not successful. The input might "
                                               "not be valid.")
    if compute_v:
        e, v = xp.linalg.eigh(x)
        return e.astype(x.dtype), v
    return xp.linalg.eigvalsh(x).astype(x.dtype), xp.zeros((0,), dtype=x.dtype)


@eigh_op.gradient
def _(gs: tuple, ans: tuple, a: Tensor, compute_v: bool = True) -> Any:
    from ..math.elementwise import zeros_like_op

    e = ans[0]
    grad_e = gs[0] if gs[0] is not None else zeros_like_op(e)
    if compute_v:
        v = ans[1]
        grad_v = gs[1] if gs[1] is not None else zeros_like_op(v)
        f = set_diag_op(_safe_reciprocal(_expand(e, -2) - _expand(e, -1)), zeros_like_op(e), lo=0, hi=0,
                        align="RIGHT_LEFT")
        grad = matmul(v, matmul(_mdiag(grad_e) + f * matmul(v, grad_v, adjoint_a=True), v, adjoint_b=True))
    else:
        _, v = eigh_op(a, compute_v=True)
        grad = matmul(v, matmul(_mdiag(grad_e), v, adjoint_b=True))
    # the forward reads only the lower triangle: symmetrize into it
    grad = band_part_op(grad + adjoint(grad), num_lower=-1, num_upper=0)
    half = diag_part_op(grad, lo=0, hi=0, padding_value=0, align="RIGHT_LEFT") * _c(grad, 0.5)
    return set_diag_op(grad, half, lo=0, hi=0, align="RIGHT_LEFT")


@register("MatrixSolve")
def solve_op(xp: Any, matrix: Any, rhs: Any, adjoint: bool = False) -> Any:
    a = xp.conj(xp.swapaxes(matrix, -1, -2)) if adjoint else matrix
    if xp is not np:
        out = xp.linalg.solve(a, rhs)
        _raise_if_singular(xp, "MatrixSolve", "Input matrix is not invertible.", out, a, rhs)
        return out
    try:
        return xp.linalg.solve(a, rhs)
    except np.linalg.LinAlgError:
        raise kernel_error("MatrixSolve", "Input matrix is not invertible.") from None


@solve_op.gradient
def _(g: Tensor, ans: Tensor, matrix: Tensor, rhs: Tensor, adjoint: bool = False) -> tuple:
    grad_b = solve_op(matrix, g, adjoint=not adjoint)
    grad_a = -matmul(ans, grad_b, adjoint_b=True) if adjoint else -matmul(grad_b, ans, adjoint_b=True)
    return grad_a, grad_b


@register("MatrixTriangularSolve")
def triangular_solve_op(xp: Any, matrix: Any, rhs: Any, lower: bool = True, adjoint: bool = False) -> Any:
    a = xp.tril(matrix) if lower else xp.triu(matrix)
    if adjoint:
        a = xp.conj(xp.swapaxes(a, -1, -2))
        lower = not lower
    shape = np.broadcast_shapes(a.shape[:-2], rhs.shape[:-2])
    a = xp.broadcast_to(a, shape + a.shape[-2:])
    b = xp.broadcast_to(rhs, shape + rhs.shape[-2:])
    if xp is np:
        try:
            return xp.linalg.solve(a, b)
        except np.linalg.LinAlgError:
            pass
    # a zero on the diagonal: substitute row by row, as TF does, letting inf and NaN through (always on a GPU,
    # whose solvers report a singular matrix through a status the host would have to read, not an exception)
    out = xp.zeros(b.shape, dtype=np.result_type(a.dtype, b.dtype))
    n = a.shape[-1]
    rows = range(n) if lower else range(n - 1, -1, -1)
    with np.errstate(divide="ignore", invalid="ignore"):
        for i in rows:
            acc = xp.einsum("...k,...kj->...j", a[..., i, :], out)
            out[..., i, :] = (b[..., i, :] - acc) / a[..., i, i][..., None]
    return out


@triangular_solve_op.gradient
def _(g: Tensor, ans: Tensor, matrix: Tensor, rhs: Tensor, lower: bool = True, adjoint: bool = False) -> tuple:
    grad_b = triangular_solve_op(matrix, g, lower=lower, adjoint=not adjoint)
    grad_a = -matmul(ans, grad_b, adjoint_b=True) if adjoint else -matmul(grad_b, ans, adjoint_b=True)
    grad_a = band_part_op(grad_a, num_lower=-1, num_upper=0) if lower else band_part_op(grad_a, num_lower=0,
                                                                                         num_upper=-1)
    return grad_a, grad_b


# --- checks and public wrappers --------------------------------------------------------------------------

def _tail(*inputs: Any) -> str | None:
    # TF's slow eager path (taken for Python list inputs) leaves the op name out of kernel errors
    return None if any(isinstance(i, (list, tuple)) for i in inputs) else ""


def _check(op: str, x: Tensor, attrs: dict, tail: str | None, square: bool = True,
           square_msg: str = "Input matrix must be square.", rhs: Tensor | None = None) -> None:
    with slow_path(taken=tail is None):  # before the shapes
        OPS[op].check(*((x,) if rhs is None else (x, rhs)), **attrs)
    shape = x._value.shape
    if len(shape) < 2:
        raise kernel_error(op, f"Input tensor 0 must have rank >= 2, got {len(shape)}", name=tail)
    if square and shape[-1] != shape[-2]:
        raise kernel_error(op, square_msg, name=tail)


def _second(x: Tensor, rhs: Any) -> Tensor:
    return rhs if type(rhs) is Tensor else hinted(rhs, x._dtype)


@_dispatch.add_dispatch_support
def inv(input: Any, adjoint: bool = False, name: str | None = None) -> Tensor:  # noqa: A002
    """Inverse of each square matrix (``tf.linalg.inv``).

    >>> inv([[2.0]]).numpy()
    array([[0.5]], dtype=float32)
    """
    x = tensor(input)
    _check("MatrixInverse", x, {"adjoint": adjoint}, _tail(input))
    try:
        return inv_op(x, adjoint=adjoint)
    except Exception as e:
        raise _retail(e, _tail(input)) from None


def _retail(e: Exception, tail: str | None) -> Exception:
    """The kernel's error as TF's slow eager path (Python list inputs) words it: without the name tail."""
    if tail is None and str(e).endswith(" name: "):
        return type(e)(None, None, str(e)[:-7])
    return e


@_dispatch.add_dispatch_support
def det(input: Any, name: str | None = None) -> Tensor:  # noqa: A002
    """Determinant of each square matrix (``tf.linalg.det``).

    >>> det([[2.0, 0.0], [0.0, 3.0]]).numpy()
    np.float32(6.0)
    """
    x = tensor(input)
    _check("MatrixDeterminant", x, {}, _tail(input))
    return det_op(x)


def slogdet(input: Any, name: str | None = None) -> LogMatrixDeterminant:  # noqa: A002
    """Sign and log of the absolute value of each determinant (``tf.linalg.slogdet``).

    >>> [t.numpy() for t in slogdet([[-2.0]])]
    [np.float32(-1.0), np.float32(0.6931472)]
    """
    x = tensor(input)
    _check("LogMatrixDeterminant", x, {}, _tail(input))
    return LogMatrixDeterminant(*slogdet_op(x))


@_dispatch.add_dispatch_support
def cholesky(input: Any, name: str | None = None) -> Tensor:  # noqa: A002
    """Lower-triangular Cholesky factor of each Hermitian positive definite matrix (``tf.linalg.cholesky``).

    >>> cholesky([[4.0]]).numpy()
    array([[2.]], dtype=float32)
    """
    x = tensor(input)
    _check("Cholesky", x, {}, _tail(input))
    return cholesky_op(x)


def qr(input: Any, full_matrices: bool = False, name: str | None = None) -> Qr:  # noqa: A002
    """QR decomposition of each matrix (``tf.linalg.qr``).

    >>> q, r = qr([[3.0], [4.0]])
    >>> r.numpy()
    array([[-5.]], dtype=float32)
    """
    x = tensor(input)
    _check("Qr", x, {"full_matrices": full_matrices}, _tail(input), square=False)
    return Qr(*qr_op(x, full_matrices=bool(full_matrices)))


def svd(tensor: Any, full_matrices: bool = False, compute_uv: bool = True, name: str | None = None) -> Any:
    """Singular values, and left and right singular vectors, ``s, u, v`` with ``a = u @ diag(s) @ adjoint(v)``.

    >>> svd([[3.0, 0.0], [0.0, -4.0]], compute_uv=False).numpy()
    array([4., 3.], dtype=float32)
    """
    from ..math.elementwise import real_op

    x = _tensor(tensor)
    _check("Svd", x, {"compute_uv": compute_uv, "full_matrices": full_matrices}, _tail(tensor), square=False)
    s, u, v = svd_op(x, compute_uv=bool(compute_uv), full_matrices=bool(full_matrices))
    if x._dtype in COMPLEX:
        s = real_op(s)
    return (s, u, v) if compute_uv else s


def eigh(tensor: Any, name: str | None = None) -> tuple:
    """Eigenvalues (ascending) and eigenvectors of self-adjoint matrices, from their lower triangles.

    >>> eigh([[2.0, 0.0], [0.0, 1.0]])[0].numpy()
    array([1., 2.], dtype=float32)
    """
    x = _tensor(tensor)
    _check("SelfAdjointEigV2", x, {"compute_v": True}, _tail(tensor))
    return eigh_op(x, compute_v=True)


def eigvalsh(tensor: Any, name: str | None = None) -> Tensor:
    """Eigenvalues (ascending) of self-adjoint matrices (``tf.linalg.eigvalsh``).

    >>> eigvalsh([[2.0, 0.0], [0.0, 1.0]]).numpy()
    array([1., 2.], dtype=float32)
    """
    x = _tensor(tensor)
    _check("SelfAdjointEigV2", x, {"compute_v": False}, _tail(tensor))
    return eigh_op(x, compute_v=False)[0]


@_dispatch.add_dispatch_support
def solve(matrix: Any, rhs: Any, adjoint: bool = False, name: str | None = None) -> Tensor:
    """Solves ``matrix @ x = rhs`` for each matrix in the batch (``tf.linalg.solve``).

    >>> solve([[2.0]], [[4.0]]).numpy()
    array([[2.]], dtype=float32)
    """
    tail = _tail(matrix, rhs)
    a = tensor(matrix)
    b = _second(a, rhs)
    _check("MatrixSolve", a, {"adjoint": adjoint}, tail, square_msg="First input (lhs) must be a square matrix.",
           rhs=b)
    sa, sb = a._value.shape, b._value.shape
    if len(sa) != len(sb):
        raise kernel_error("MatrixSolve", "All input tensors must have the same rank.", name=tail)
    if sa[:-2] != sb[:-2]:
        raise kernel_error("MatrixSolve", "All input tensors must have the same outer dimensions.", name=tail)
    if sa[-2] != sb[-2]:
        raise kernel_error("MatrixSolve", "Input matrix and rhs are incompatible.", name=tail)
    try:
        return solve_op(a, b, adjoint=adjoint)
    except Exception as e:
        raise _retail(e, tail) from None


def triangular_solve(matrix: Any, rhs: Any, lower: bool = True, adjoint: bool = False,
                     name: str | None = None) -> Tensor:
    """Solves ``matrix @ x = rhs`` for triangular matrices, batch dimensions broadcast (``tf.linalg.triangular_solve``).

    >>> triangular_solve([[2.0, 0.0], [1.0, 1.0]], [[2.0], [2.0]]).numpy()
    array([[1.],
           [1.]], dtype=float32)
    """
    op = "MatrixTriangularSolve"
    tail = _tail(matrix, rhs)
    a = tensor(matrix)
    b = _second(a, rhs)
    with slow_path(taken=tail is None):
        triangular_solve_op.check(a, b, adjoint=adjoint, lower=lower)  # before the shapes
    sa, sb = a._value.shape, b._value.shape
    for i, s in enumerate((sa, sb)):
        if len(s) < 2:
            raise kernel_error(op, f"In[{i}] ndims must be >= 2: {len(s)}", name=tail)
    try:
        np.broadcast_shapes(sa[:-2], sb[:-2])
    except ValueError:
        raise kernel_error(op, f"In[0] and In[1] must have compatible batch dimensions: {shape_text(sa)} vs. "
                               f"{shape_text(sb)}", name=tail) from None
    if sa[-1] != sa[-2]:
        raise kernel_error(op, f"In[0] matrices in the last dimensions must be square ({sa[-1]} =/= {sa[-2]})",
                           name=tail)
    if sa[-1] != sb[-2]:
        raise kernel_error(op, f"In[0] mismatch In[1] shape: {sa[-1]} vs. {sb[-2]}: {shape_text(sa)} "
                               f"{shape_text(sb)} {int(bool(lower))} {int(bool(adjoint))}", name=tail)
    return triangular_solve_op(a, b, lower=bool(lower), adjoint=bool(adjoint))


_tensor = tensor
