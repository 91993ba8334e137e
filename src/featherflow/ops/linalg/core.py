"""Linear algebra products (``tf.linalg``): matmul, matvec, tensordot, norms, with their gradients.

Einsum lives in ``einsum``, decompositions and solvers in ``decomp``, diagonals and bands in ``diag``.

>>> import featherflow as tf
>>> tf.matmul([[1.0, 2.0]], [[3.0], [4.0]]).numpy()
array([[11.]], dtype=float32)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ... import dtypes as _dtypes
from ...tensor import Tensor
from .. import dispatch as _dispatch
from .._contract import not_found
from .._kernel_errors import kernel_error, on_cpu, slow_path
from ..array.core import reshape_op, transpose_op
from ..convert import COMPLEX, hinted, shape_text, tensor
from ..math.elementwise import conj, conj_op
from ..registry import call_binary, constant_like, register
from .einsum import einsum as einsum  # re-exported: tf.einsum and the ops built on it import it from here

_d = _dtypes
_LOW = _d.HALF_FLOATS  # float16 and bfloat16: NumPy's products of these are slow or widen: run them in float32


def _t(xp: Any, a: Any, conjugate: bool) -> Any:
    a = xp.swapaxes(a, -1, -2)
    return xp.conj(a) if conjugate and a.dtype.kind == "c" else a


_PLAIN = frozenset(np.dtype(t) for t in (np.float32, np.float64, np.complex64, np.complex128))


def _product(xp: Any, a: Any, b: Any, out: Any = None) -> Any:
    if out is None and a.dtype is b.dtype and a.dtype in _PLAIN:
        if a.ndim == 2 and b.ndim == 2:  # the same BLAS call as matmul's, without its gufunc overhead (~0.5 us)
            return xp.dot(a, b)
        return xp.matmul(a, b)
    out = a.dtype if out is None else out
    if a.dtype != out or b.dtype != out or out in _LOW:
        wide = np.float32 if out in _LOW or out.kind == "f" else out
        return xp.matmul(a.astype(wide), b.astype(wide)).astype(out)
    return xp.matmul(a, b)


@register("MatMul")
def matmul_op(xp: Any, a: Any, b: Any, transpose_a: bool = False, transpose_b: bool = False) -> Any:
    if transpose_a:
        a = a.T if a.ndim == 2 else _t(xp, a, False)
    if transpose_b:
        b = b.T if b.ndim == 2 else _t(xp, b, False)
    if a.ndim == 2 and b.ndim == 2 and a.dtype is b.dtype and a.dtype in _PLAIN:  # _product's hot case, inlined
        return a.dot(b)  # the method: np.dot's dispatch wrapper costs ~0.15 us more
    return _product(xp, a, b)


@matmul_op.gradient
def _(g: Tensor, ans: Tensor, a: Tensor, b: Tensor, transpose_a: bool = False, transpose_b: bool = False,
      skip: tuple = ()) -> tuple:
    a, b = conj(a), conj(b)  # TF's _MatMulGrad: plain transposes of the conjugated inputs
    if not transpose_a and not transpose_b:
        return (None if 0 in skip else matmul_op(g, b, transpose_b=True),
                None if 1 in skip else matmul_op(a, g, transpose_a=True))
    if not transpose_a:
        return matmul_op(g, b), matmul_op(g, a, transpose_a=True)
    if not transpose_b:
        return matmul_op(b, g, transpose_b=True), matmul_op(a, g)
    return matmul_op(b, g, transpose_a=True, transpose_b=True), matmul_op(g, a, transpose_a=True, transpose_b=True)


@register("BatchMatMulV2")
def batch_matmul_op(xp: Any, x: Any, y: Any, adj_x: bool = False, adj_y: bool = False) -> Any:
    return _product(xp, _t(xp, x, True) if adj_x else x, _t(xp, y, True) if adj_y else y)


@batch_matmul_op.gradient
def _(g: Tensor, ans: Tensor, x: Tensor, y: Tensor, adj_x: bool = False, adj_y: bool = False) -> tuple:
    # TF's _BatchMatMulV2Grad; the tape sums the broadcast batch dimensions back
    if not adj_x and not adj_y:
        return matmul(g, y, adjoint_b=True), matmul(x, g, adjoint_a=True)
    if not adj_x:
        return matmul(g, y), matmul(g, x, adjoint_a=True)
    if not adj_y:
        return matmul(y, g, adjoint_b=True), matmul(x, g)
    return matmul(y, g, adjoint_a=True, adjoint_b=True), matmul(g, x, adjoint_a=True, adjoint_b=True)


@register("BatchMatMulV3")
def batch_matmul_v3_op(xp: Any, x: Any, y: Any, adj_x: bool = False, adj_y: bool = False, Tout: Any = None) -> Any:
    return _product(xp, _t(xp, x, True) if adj_x else x, _t(xp, y, True) if adj_y else y, np.dtype(Tout))


@batch_matmul_v3_op.gradient
def _(g: Tensor, ans: Tensor, x: Tensor, y: Tensor, adj_x: bool = False, adj_y: bool = False, Tout: Any = None) -> tuple:
    # TF registers its V2 rule for V3 too: on the mixed dtypes V3 is used for, its products raise TF's errors
    return batch_matmul_op.grad(g, ans, x, y, adj_x, adj_y)


# BatchMatMulV3's CPU kernels: the (Ta, Tb, Tout) combinations TF registers, which per-attr dtype sets can't say
_I8 = (_d.int8, _d.uint8)
_V3_CPU = {(a, b, _d.int32) for a in _I8 for b in _I8} | {(a, _d.bfloat16, _d.bfloat16) for a in _I8} | {
    (_d.bfloat16, b, _d.bfloat16) for b in _I8} | {(t, t, t) for t in (
        _d.int64, _d.int32, _d.int16, _d.float64, _d.float32, _d.bfloat16, _d.complex64, _d.complex128)}


def _check_matmul(op: str, x: Tensor, y: Tensor, fa: bool, fb: bool, out: Any = None, tail: str | None = "") -> None:
    """TF's dtype and shape checks for MatMul, BatchMatMulV2 and V3 (flags: transposed or adjoint inputs)."""
    dt = x._dtype
    matmul_ops = {"MatMul": matmul_op, "BatchMatMulV2": batch_matmul_op, "BatchMatMulV3": batch_matmul_v3_op}
    attrs = {"transpose_a": fa, "transpose_b": fb} if op == "MatMul" else {"adj_x": fa, "adj_y": fb}
    with slow_path(taken=tail is None):
        if op == "BatchMatMulV3":
            matmul_ops[op].check(x, y, Tout=out, **attrs)
            if (dt, y._dtype, out) not in _V3_CPU:  # TF's kernels take these combinations only
                raise not_found(matmul_ops[op], (x, y), {"Tout": out, **attrs})
        else:
            matmul_ops[op].check(x, y, **attrs)
    sa, sb = x._value.shape, y._value.shape
    mkl = dt in (_d.float32, _d.bfloat16) and op != "BatchMatMulV3" and on_cpu()  # oneDNN: TF's CPU only
    if op == "MatMul":
        if mkl and (len(sa) < 2 or len(sb) < 2):
            raise kernel_error(op, f"In[{0 if len(sa) < 2 else 1}] ndims must be >= 2", dt)
        if len(sa) != len(sb):
            raise kernel_error(op, f"In[0] and In[1] has different ndims: {shape_text(sa)} vs. {shape_text(sb)}", dt)
        if len(sa) != 2:
            raise kernel_error(op, f"In[0] and In[1] ndims must be == 2: {len(sa)}", dt)
    else:
        for i, s in enumerate((sa, sb)):
            if len(s) < 2:
                raise kernel_error(op, f"In[{i}] ndims must be >= 2: {len(s)}", dt)
        try:
            np.broadcast_shapes(sa[:-2], sb[:-2])
        except ValueError:
            raise kernel_error(op, f"In[0] and In[1] must have compatible batch dimensions: {shape_text(sa)} vs. "
                                   f"{shape_text(sb)}", dt) from None
    if (sa[-2] if fa else sa[-1]) != (sb[-1] if fb else sb[-2]):
        flags = f" {int(fa)} {int(fb)}" if mkl and op == "BatchMatMulV2" else ""
        raise kernel_error(op, f"Matrix size-incompatible: In[0]: {shape_text(sa)}, In[1]: {shape_text(sb)}{flags}",
                           dt, name=tail)


def matmul(a: Any, b: Any, transpose_a: bool = False, transpose_b: bool = False, adjoint_a: bool = False,
           adjoint_b: bool = False, a_is_sparse: bool = False, b_is_sparse: bool = False,
           output_type: Any = None, grad_a: bool = False, grad_b: bool = False, name: str | None = None) -> Tensor:
    """Matrix product of the last two dimensions, batched and broadcast over the others.

    >>> matmul([[1, 2], [3, 4]], [[1], [1]]).numpy().tolist()
    [[3], [7]]
    """
    if type(a) is Tensor and type(b) is Tensor and output_type is None and not (
            transpose_a or transpose_b or adjoint_a or adjoint_b):
        # the common case (two float matrices that fit): TF's checks all pass, so skip them
        va, vb, dt = a._value, b._value, a._dtype
        if (dt is b._dtype and (dt is _d.float32 or dt is _d.float64) and va.ndim == 2 and vb.ndim == 2
                and va.shape[1] == vb.shape[0]):
            return call_binary(matmul_op, a, b)
    if transpose_a and adjoint_a:
        raise ValueError(f"Only one of `transpose_a` and `adjoint_a` can be True. Received `transpose_a`={transpose_a},"
                         f" `adjoint_a`={adjoint_a}.")
    if transpose_b and adjoint_b:
        raise ValueError(f"Only one of `transpose_b` and `adjoint_b` can be True. Received `transpose_b`={transpose_b},"
                         f" `adjoint_b`={adjoint_b}.")
    try:
        x = a if type(a) is Tensor else tensor(a)
        y = b if type(b) is Tensor else hinted(b, x._dtype)
    except (TypeError, ValueError) as e:  # a composite operand (a LinearOperator): its registered override
        return _dispatch.fallback(matmul, (a, b), dict(
            transpose_a=transpose_a, transpose_b=transpose_b, adjoint_a=adjoint_a, adjoint_b=adjoint_b,
            a_is_sparse=a_is_sparse, b_is_sparse=b_is_sparse, output_type=output_type, grad_a=grad_a,
            grad_b=grad_b, name=name), e)
    out = None if output_type is None else _d.as_dtype(output_type)
    tail = None if isinstance(output_type, str) else ""  # TF's slow path, taken for a string type, drops the name
    v3 = out is not None and (out is not x._dtype or out is not y._dtype)
    if x._value.ndim > 2 or y._value.ndim > 2:
        # batched: TF turns transposes into adjoints of conjugates
        if transpose_a and x._dtype in COMPLEX:
            x = conj_op(x)
        if transpose_b and y._dtype in COMPLEX:
            y = conj_op(y)
        fa, fb = bool(transpose_a or adjoint_a), bool(transpose_b or adjoint_b)
        op_name = "BatchMatMulV3" if v3 else "BatchMatMulV2"
        _check_matmul(op_name, x, y, fa, fb, out, tail)
        if v3:
            return batch_matmul_v3_op(x, y, adj_x=fa, adj_y=fb, Tout=out._np)
        return batch_matmul_op(x, y, adj_x=fa, adj_y=fb)
    if adjoint_a and x._dtype in COMPLEX:
        x = conj_op(x)
    if adjoint_b and y._dtype in COMPLEX:
        y = conj_op(y)
    fa, fb = bool(transpose_a or adjoint_a), bool(transpose_b or adjoint_b)
    if v3:
        _check_matmul("BatchMatMulV3", x, y, fa, fb, out, tail)
        # the inputs are already conjugated, so these adjoints are plain transposes
        return batch_matmul_v3_op(x, y, adj_x=fa, adj_y=fb, Tout=out._np)
    _check_matmul("MatMul", x, y, fa, fb)
    return matmul_op(x, y, transpose_a=fa, transpose_b=fb)


def matvec(a: Any, b: Any, transpose_a: bool = False, adjoint_a: bool = False, a_is_sparse: bool = False,
           b_is_sparse: bool = False, name: str | None = None) -> Tensor:
    """Matrix-vector product ``a @ b`` over the last dimensions, batched.

    >>> matvec([[1.0, 2.0], [3.0, 4.0]], [1.0, 1.0]).numpy()
    array([3., 7.], dtype=float32)
    """
    v = tensor(b)  # TF converts b on its own (expand_dims), so its dtype is not hinted by a's
    v = reshape_op(v, shape=v._value.shape + (1,))
    out = matmul(a, v, transpose_a=transpose_a, adjoint_a=adjoint_a)
    return reshape_op(out, shape=out._value.shape[:-1])


def _tensordot_axes(a: Tensor, axes: Any) -> tuple[list, list]:
    if isinstance(axes, (int, np.integer)) and not isinstance(axes, bool):
        axes = int(axes)
        rank = a._value.ndim
        if axes < 0:
            raise ValueError(f"`axes` must be at least 0. Received: {axes}.")
        if axes > rank:
            raise ValueError(f"`axes` must not be larger than the number of dimensions of tensor {a._numpy()}.  "
                             f"Received {axes}, vs tensor dimensions {rank}.")
        return list(range(rank - axes, rank)), list(range(axes))
    if isinstance(axes, (list, tuple)):
        if len(axes) != 2:
            raise ValueError(f"`axes` must be an integer or have length 2. Received {axes}.")
        a_axes, b_axes = axes
        if isinstance(a_axes, (int, np.integer)) and isinstance(b_axes, (int, np.integer)):
            a_axes, b_axes = [a_axes], [b_axes]
        a_axes, b_axes = [int(i) for i in np.ravel(a_axes)], [int(i) for i in np.ravel(b_axes)]
        if len(a_axes) != len(b_axes):
            raise ValueError(f"Different number of contraction axes `a` and `b`, {len(a_axes)} != {len(b_axes)}.")
        return a_axes, b_axes
    arr = np.asarray(tensor(axes, _d.int32)._numpy())
    if arr.ndim == 0:
        return _tensordot_axes(a, int(arr))
    return [int(i) for i in np.ravel(arr[0])], [int(i) for i in np.ravel(arr[1])]


def _tensordot_reshape(a: Tensor, axes: list, flipped: bool) -> tuple[Tensor, list]:
    shape = a._value.shape
    axes = [i if i >= 0 else i + len(shape) for i in axes]
    free = [i for i in range(len(shape)) if i not in axes]
    free_dims = [shape[i] for i in free]
    prod_free, prod_axes = int(np.prod(free_dims)), int(np.prod([shape[i] for i in axes]))
    perm = axes + free if flipped else free + axes
    if perm != list(range(len(shape))):
        a = transpose_op(a, perm=tuple(perm))
    new_shape = (prod_axes, prod_free) if flipped else (prod_free, prod_axes)
    if a._value.shape != new_shape:
        a = reshape_op(a, shape=new_shape)
    return a, free_dims


def tensordot(a: Any, b: Any, axes: Any, name: str | None = None) -> Tensor:
    """Sums the product of ``a`` and ``b`` over the given axes (TF's transpose-reshape-matmul).

    >>> tensordot([[1.0, 2.0]], [[3.0], [4.0]], axes=1).numpy()
    array([[11.]], dtype=float32)
    """
    a, b = tensor(a), tensor(b)
    a_axes, b_axes = _tensordot_axes(a, axes)
    a2, a_free = _tensordot_reshape(a, a_axes, False)
    b2, b_free = _tensordot_reshape(b, b_axes, True)
    product = matmul(a2, b2)
    shape = tuple(a_free + b_free)
    return product if product._value.shape == shape else reshape_op(product, shape=shape)


# --- transposes, norms ------------------------------------------------------------------------------------


def matrix_transpose(a: Any, name: str = "matrix_transpose", conjugate: bool = False) -> Tensor:
    """Transposes the last two dimensions (``tf.linalg.matrix_transpose``).

    >>> matrix_transpose([[1, 2, 3]]).shape
    TensorShape([3, 1])
    """
    x = tensor(a)
    nd = x._value.ndim
    if nd < 2:
        raise ValueError(f"Argument `a` should be a (batch) matrix with rank >= 2.  Received `a` = {x._numpy()} "
                         f"with shape: {x.shape}")
    out = transpose_op(x, perm=tuple(range(nd - 2)) + (nd - 1, nd - 2))
    return conj_op(out) if conjugate and x._dtype in COMPLEX else out


@_dispatch.add_dispatch_support
def adjoint(matrix: Any, name: str | None = None) -> Tensor:
    """Conjugate transpose of the last two dimensions (``tf.linalg.adjoint``).

    >>> adjoint([[1 + 2j, 3]]).numpy().ravel().tolist()
    [(1-2j), (3-0j)]
    """
    return matrix_transpose(matrix, conjugate=True)


def norm(tensor: Any, ord: Any = "euclidean", axis: Any = None, keepdims: Any = None,  # noqa: A002
         name: str | None = None) -> Tensor:
    """Vector and matrix norms, with TF's ``ord`` and ``axis`` rules (``tf.norm``, ``tf.linalg.norm``).

    >>> norm([3.0, 4.0]).numpy()
    np.float32(5.0)
    """
    from ..array import core as ar
    from ..math import api as ma
    from ..math import reduce as rd

    keepdims = False if keepdims is None else keepdims
    is_matrix = isinstance(axis, (tuple, list)) and len(axis) == 2
    if is_matrix:
        axis = tuple(axis)
        if not isinstance(axis[0], int) or not isinstance(axis[1], int) or axis[0] == axis[1]:
            raise ValueError(f"'axis' must be None, an integer, or a tuple of 2 unique integers, got {axis}")
        supported = ["euclidean", "fro", 1, 2, np.inf]
        if ord not in supported:
            raise ValueError(f"'ord' must be a supported matrix norm in {supported}, got {ord}")
    else:
        if not (isinstance(axis, int) or axis is None):
            raise ValueError(f"'axis' must be None, an integer, or a tuple of 2 unique integers, got {axis}")
        supported = ["euclidean", 1, 2, np.inf]
        if (not np.isreal(ord) or ord <= 0) and ord not in supported:
            raise ValueError(f"'ord' must be a supported vector norm, got {ord}")
        if axis is not None:
            axis = (axis,)
    x = _as_tensor(tensor)
    if ord in ["fro", "euclidean", 2, 2.0]:
        if is_matrix and ord in [2, 2.0]:
            from ..registry import OPS  # Svd, by name: ``decomp`` imports this module

            rank = x._value.ndim
            positive = [a if a >= 0 else a + rank for a in axis]
            perm_before = [i for i in range(rank) if i not in positive] + positive
            perm_after = [perm_before.index(i) for i in range(rank)]
            s = OPS["Svd"](ar.transpose(x, perm_before), compute_uv=False, full_matrices=False)[0]
            top = rd.reduce_max(ma.abs(s), axis=-1, keepdims=True)
            result = ar.transpose(reshape_op(top, shape=top._value.shape + (1,)), perm_after)
        else:
            result = ma.sqrt(rd.reduce_sum(x * conj(x), axis, keepdims=True))
    else:
        result = ma.abs(x)
        if ord == 1:
            result = rd.reduce_sum(result, None if axis is None else axis[0], keepdims=True)
            if is_matrix:
                result = rd.reduce_max(result, axis[-1], keepdims=True)
        elif ord == np.inf:
            if is_matrix:
                result = rd.reduce_sum(result, axis[1], keepdims=True)
            result = rd.reduce_max(result, None if axis is None else axis[0], keepdims=True)
        else:  # the powers made on the device, as constants of the result's dtype (what TF converts them to)
            power = rd.reduce_sum(ma.pow(result, constant_like(ord, result)), axis, keepdims=True)
            result = ma.pow(power, constant_like(1.0 / ord, power))
    return result if keepdims else ar.squeeze(result, axis)


def global_norm(t_list: Any, name: str | None = None) -> Tensor:
    """The square root of the sum of squares of every value in every tensor of ``t_list``.

    >>> global_norm([[3.0], [4.0]]).numpy()
    np.float32(5.0)
    """
    from collections.abc import Sequence

    from ..array import core as ar
    from ..math import api as ma
    from ..math.reduce import reduce_sum
    from ..nn.core import l2_loss_op

    if not isinstance(t_list, Sequence) or isinstance(t_list, str):
        raise TypeError(f"`t_list` should be a sequence of tensors. Received {type(t_list)}.")
    halves = [l2_loss_op(_as_tensor(t)) for t in t_list if t is not None]
    half = reduce_sum(ar.stack(halves)) if halves else _as_tensor(np.float32(0))
    return ma.sqrt(half * constant_like(2.0, half))


_as_tensor = tensor
