"""Diagonals and bands of matrices (``tf.linalg.diag``, ``diag_part``, ``set_diag``, ``band_part``, ``trace``).

Diagonal ``k`` of a matrix holds the entries ``(i, i + k)``. A range ``k=(lo, hi)`` packs the diagonals into rows,
``hi`` first; shorter ones are padded on the side ``align`` names (``"RIGHT_LEFT"``: superdiagonals on the right,
subdiagonals on the left).

>>> import featherflow as tf
>>> tf.linalg.diag_part([[1, 2], [3, 4]]).numpy()
array([1, 4], dtype=int32)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ... import dtypes as _dtypes
from ...tensor import Tensor
from .. import dispatch as _dispatch
from .._kernel_errors import kernel_error
from ..array.core import host_tensor
from ..convert import shape_text, tensor
from ..registry import register

_ALIGNS = ("LEFT_RIGHT", "RIGHT_LEFT", "LEFT_LEFT", "RIGHT_RIGHT")


def _positions(xp: Any, rows: int, cols: int, lo: int, hi: int, width: int, align: str) -> tuple:
    """Index arrays (matrix row, matrix column, packed row, packed column) of every entry on diagonals lo..hi."""
    left_super, left_sub = align.startswith("LEFT"), align.endswith("LEFT")
    parts: list[list] = [[], [], [], []]
    for d in range(lo, hi + 1):
        start = max(0, -d)
        length = max(0, min(rows, cols - d) - start)
        i = xp.arange(length, dtype=np.intp)  # made where the matrices are: index arrays are not uploaded
        left = (d >= 0 and left_super) or (d <= 0 and left_sub)
        offset = 0 if left else width - length
        for part, values in zip(parts, (start + i, start + i + d, xp.full(length, hi - d, dtype=np.intp),
                                        offset + i)):
            part.append(values)
    return tuple(xp.concatenate(p) for p in parts)


@register("MatrixDiagPartV3")
def diag_part_op(xp: Any, x: Any, lo: int, hi: int, padding_value: Any, align: str) -> Any:
    rows, cols = x.shape[-2:]
    width = max(0, min(rows + min(hi, 0), cols - max(lo, 0)))
    out = xp.full(x.shape[:-2] + (hi - lo + 1, width), padding_value, dtype=x.dtype)
    mr, mc, dr, dc = _positions(xp, rows, cols, lo, hi, width, align)
    out[..., dr, dc] = x[..., mr, mc]
    return out[..., 0, :] if lo == hi else out


@diag_part_op.gradient
def _(g: Tensor, ans: Tensor, x: Tensor, lo: int, hi: int, padding_value: Any, align: str) -> Any:
    from ..math.elementwise import zeros_like_op

    return set_diag_op(zeros_like_op(x), g, lo=lo, hi=hi, align=align)


@register("MatrixSetDiagV3")
def set_diag_op(xp: Any, x: Any, diagonal: Any, lo: int, hi: int, align: str) -> Any:
    rows, cols = x.shape[-2:]
    width = diagonal.shape[-1]
    out = x.copy()
    mr, mc, dr, dc = _positions(xp, rows, cols, lo, hi, width, align)
    packed = diagonal[..., None, :] if lo == hi else diagonal
    out[..., mr, mc] = packed[..., dr, dc]
    return out


@set_diag_op.gradient
def _(g: Tensor, ans: Tensor, x: Tensor, diagonal: Tensor, lo: int, hi: int, align: str) -> tuple:
    from ..math.elementwise import zeros_like_op

    return (set_diag_op(g, zeros_like_op(diagonal), lo=lo, hi=hi, align=align),
            diag_part_op(g, lo=lo, hi=hi, padding_value=0, align=align))


@register("MatrixDiagV3")
def diag_op(xp: Any, diagonal: Any, lo: int, hi: int, rows: int, cols: int, padding_value: Any, align: str) -> Any:
    batch = diagonal.shape[:-1] if lo == hi else diagonal.shape[:-2]
    out = xp.full(batch + (rows, cols), padding_value, dtype=diagonal.dtype)
    mr, mc, dr, dc = _positions(xp, rows, cols, lo, hi, diagonal.shape[-1], align)
    packed = diagonal[..., None, :] if lo == hi else diagonal
    out[..., mr, mc] = packed[..., dr, dc]
    return out


@diag_op.gradient
def _(g: Tensor, ans: Tensor, diagonal: Tensor, lo: int, hi: int, rows: int, cols: int, padding_value: Any,
      align: str) -> Any:
    return diag_part_op(g, lo=lo, hi=hi, padding_value=0, align=align)


@register("MatrixBandPart")
def band_part_op(xp: Any, x: Any, num_lower: int, num_upper: int) -> Any:
    rows, cols = x.shape[-2:]
    offset = xp.arange(cols)[None, :] - xp.arange(rows)[:, None]  # j - i
    keep = ((num_lower < 0) | (-offset <= num_lower)) & ((num_upper < 0) | (offset <= num_upper))
    return xp.where(keep, x, xp.zeros((), dtype=x.dtype))


@band_part_op.gradient
def _(g: Tensor, ans: Tensor, x: Tensor, num_lower: int, num_upper: int) -> Any:
    return band_part_op(g, num_lower=num_lower, num_upper=num_upper)


# --- public wrappers ---------------------------------------------------------------------------------------


def _scalar(value: Any) -> int:
    return value if type(value) is int else int(np.asarray(host_tensor(value)._numpy()))


def _k(k: Any) -> tuple[int, int]:
    values = np.ravel(np.asarray(host_tensor(k)._numpy() if not isinstance(k, (int, np.integer)) else k))
    return int(values[0]), int(values[-1])


def _tail(name: str, *inputs: Any) -> str | None:
    # TF's slow eager path (taken for Python list inputs) leaves the op name out of kernel errors
    return None if any(isinstance(i, (list, tuple)) for i in inputs) else name


def _padding(value: Any, dtype: _dtypes.DType, typed: bool) -> Any:
    if not typed and dtype in (_dtypes.bool, _dtypes.string):
        raise TypeError(f"Cannot convert {value} to EagerTensor of dtype {dtype.name}")
    if dtype is _dtypes.bool:
        return bool(value)
    return np.asarray(host_tensor(value, dtype)._numpy())[()]  # a host scalar: a fill value on any device


def _check_range(op: str, x: Tensor, lo: int, hi: int, tail: str | None) -> None:
    shape = x._value.shape
    if len(shape) < 2:
        raise kernel_error(op, f"input must be at least 2-dim, received shape: {shape_text(shape)}", name=tail)
    rows, cols = shape[-2:]
    for which, d in (("lower", lo), ("upper", hi)):
        if not (-rows < d < cols or d == 0):
            raise kernel_error(op, f"{which}_diag_index is out of bound: {d}. It must be between {-rows} and {cols}",
                               name=tail)
    if lo > hi:
        raise kernel_error(op, f"lower_diag_index must not be larger than upper_diag_index: {lo} > {hi}", name=tail)


def diag(diagonal: Any, name: str = "diag", k: Any = 0, num_rows: Any = -1, num_cols: Any = -1,
         padding_value: Any = 0, align: str = "RIGHT_LEFT") -> Tensor:
    """A (batch of) matrices with the given diagonals, padded with ``padding_value`` (``tf.linalg.diag``).

    >>> diag([1, 2]).numpy().tolist()
    [[1, 0], [0, 2]]
    """
    tail = _tail(name, diagonal)
    d = tensor(diagonal)
    lo, hi = _k(k)
    rows, cols = _scalar(num_rows), _scalar(num_cols)
    pad = _padding(padding_value, d._dtype, hasattr(diagonal, "dtype"))
    shape = d._value.shape
    if len(shape) < 1:
        raise kernel_error("MatrixDiagV3", f"diagonal must be at least 1-dim, received shape: {shape_text(shape)}",
                           name=tail)
    if lo > hi:
        raise kernel_error("MatrixDiagV3", f"lower_diag_index must not be larger than upper_diag_index: {lo} > {hi}",
                           name=tail)
    if lo != hi and (len(shape) < 2 or shape[-2] != hi - lo + 1):
        raise kernel_error("MatrixDiagV3", "The number of diagonals provided in the input does not match the "
                                           "lower_diag_index and upper_diag_index range.", name=tail)
    width = shape[-1]
    min_rows, min_cols = width - min(hi, 0), width + max(lo, 0)
    if rows != -1 and rows < min_rows:
        raise kernel_error("MatrixDiagV3", "The number of rows is too small.", name=tail)
    if cols != -1 and cols < min_cols:
        raise kernel_error("MatrixDiagV3", "The number of columns is too small.", name=tail)
    if rows == -1 and cols == -1:
        rows = cols = max(min_rows, min_cols)
    elif rows == -1:
        rows = min_rows
    elif cols == -1:
        cols = min_cols
    if rows != min_rows and cols != min_cols:
        raise kernel_error("MatrixDiagV3", "The number of rows or columns is not consistent with the specified "
                                           "d_lower, d_upper, and diagonal.", name=tail)
    diag_op.check_attr("align", align)
    return diag_op(d, lo=lo, hi=hi, rows=rows, cols=cols, padding_value=pad, align=align)


@_dispatch.add_dispatch_support
def diag_part(input: Any, name: str = "diag_part", k: Any = 0, padding_value: Any = 0,  # noqa: A002
              align: str = "RIGHT_LEFT") -> Tensor:
    """The diagonals ``k`` of a (batch of) matrices (``tf.linalg.diag_part``).

    >>> diag_part([[1, 2], [3, 4]], k=1).numpy().tolist()
    [2]
    """
    tail = _tail(name, input)
    x = tensor(input)
    lo, hi = _k(k)
    pad = _padding(padding_value, x._dtype, hasattr(input, "dtype"))
    _check_range("MatrixDiagPartV3", x, lo, hi, tail)
    diag_part_op.check_attr("align", align)
    return diag_part_op(x, lo=lo, hi=hi, padding_value=pad, align=align)


def set_diag(input: Any, diagonal: Any, name: str = "set_diag", k: Any = 0,  # noqa: A002
             align: str = "RIGHT_LEFT") -> Tensor:
    """``input`` with its diagonals ``k`` replaced by ``diagonal`` (``tf.linalg.set_diag``).

    >>> set_diag([[1, 2], [3, 4]], [0, 0]).numpy().tolist()
    [[0, 2], [3, 0]]
    """
    tail = _tail(name, input, diagonal)
    x = tensor(input)
    d = diagonal if type(diagonal) is Tensor else tensor(diagonal, x._dtype)
    set_diag_op.check(x, d)  # before the diagonals' range
    lo, hi = _k(k)
    _check_range("MatrixSetDiagV3", x, lo, hi, tail)
    rows, cols = x._value.shape[-2:]
    dshape = d._value.shape
    n = hi - lo + 1
    if not (lo == hi or (len(dshape) >= 2 and dshape[-2] == n)):
        raise kernel_error("MatrixSetDiagV3", "The number of diagonals provided in `diag` is not consistent with "
                                              "`lower_diag_index` and `upper_diag_index`", name=tail)
    expected = x._value.shape[:-2] + ((n,) if n > 1 else ()) + (min(rows + min(hi, 0), cols - max(lo, 0)),)
    if expected != dshape:
        raise kernel_error(
            "MatrixSetDiagV3", "Either first dimensions of diagonal don't match input.shape[:-2], or diagonal.shape[:-1]"
            " is not equal to the longests diagonal in range [lower_diag_index:upper_diag_index].\nInput shape: "
            f"{shape_text(x._value.shape)}\nDiagonal shape: {shape_text(dshape)}\nExpected diagonal shape: "
            f"{shape_text(expected)}", name=tail)
    set_diag_op.check_attr("align", align)
    return set_diag_op(x, d, lo=lo, hi=hi, align=align)


def band_part(input: Any, num_lower: Any, num_upper: Any, name: str | None = None) -> Tensor:  # noqa: A002
    """Keeps ``num_lower`` subdiagonals and ``num_upper`` superdiagonals (all when negative); zeros the rest.

    >>> band_part([[1, 2], [3, 4]], 0, -1).numpy().tolist()
    [[1, 2], [0, 4]]
    """
    tail = _tail("", input)
    x = tensor(input)
    lower, upper = _scalar(num_lower), _scalar(num_upper)
    shape = x._value.shape
    if len(shape) < 2:
        raise kernel_error("MatrixBandPart", f"input must be at least 2-dim, received shape: {shape_text(shape)}",
                           name=tail)
    if lower > shape[-2]:
        raise kernel_error("MatrixBandPart", f"num_lower must be negative or less or equal to number of rows "
                                             f"({shape[-2]}) got: {lower}", name=tail)
    if upper > shape[-1]:
        raise kernel_error("MatrixBandPart", f"num_upper must be negative or less or equal to number of columns "
                                             f"({shape[-1]}) got: {upper}", name=tail)
    return band_part_op(x, num_lower=lower, num_upper=upper)


@_dispatch.add_dispatch_support
def trace(x: Any, name: str | None = None) -> Tensor:
    """Sum of the main diagonal of each matrix (``tf.linalg.trace``).

    >>> trace([[1, 2], [3, 4]]).numpy()
    np.int32(5)
    """
    from ..math.reduce import reduce_sum

    return reduce_sum(diag_part(tensor(x)), -1)

