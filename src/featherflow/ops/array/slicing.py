"""Slicing: ``tf.slice``, ``tf.strided_slice`` with all five masks, and the translation of Python slice specs
(``t[1:, ..., tf.newaxis, -1]``) into them. A slice is computed as a NumPy basic index, so the result is a view.

>>> import featherflow as tf
>>> tf.strided_slice([[1, 2, 3], [4, 5, 6]], [0, 2], [2, 0], [1, -1]).numpy()
array([[3, 2],
       [6, 5]], dtype=int32)
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from ... import dtypes as _dtypes
from ...errors import InvalidArgumentError
from ...shape import Dimension
from ...tensor import Tensor, dtype_mismatch
from .._kernel_errors import slow_path
from ..convert import shape_text, tensor
from ..registry import OPS, register
from .core import op_error

_py_slice = slice  # the builtin: tf.slice below shadows the name in this module
_FULL = _py_slice(None)
_SLICE_INDEX_TYPES = frozenset({_dtypes.int16, _dtypes.int32, _dtypes.int64})
_SLICE_TYPE_ERROR = ("Only integers, slices (`:`), ellipsis (`...`), tf.newaxis (`None`) and scalar tf.int32/tf.int64 "
                     "tensors are valid indices")


# --- the ops ---------------------------------------------------------------------------------------


@register("StridedSlice")
def strided_slice_op(xp: Any, x: Any, key: tuple) -> Any:
    out = x[key]
    # an object (string) array indexed down to one element gives the element itself: keep it an array
    return out if hasattr(out, "dtype") else np.array(out, dtype=object)


@strided_slice_op.gradient
def _(g: Tensor, ans: Tensor, x: Tensor, key: tuple) -> Any:
    return strided_slice_grad_op(g, shape=x._value.shape, key=key)


@register("StridedSliceGrad", inputs=("T",))
def strided_slice_grad_op(xp: Any, g: Any, shape: tuple, key: tuple) -> Any:
    out = xp.zeros(shape, dtype=g.dtype)
    out[key] = g
    return out


@strided_slice_grad_op.gradient
def _(gg: Tensor, ans: Tensor, g: Tensor, shape: tuple, key: tuple) -> Any:
    return strided_slice_op(gg, key=key)


@register("Slice")
def slice_op(xp: Any, x: Any, begin: tuple, size: tuple) -> Any:
    return x[tuple(_py_slice(b, b + s) for b, s in zip(begin, size))]


@slice_op.gradient
def _(g: Tensor, ans: Tensor, x: Tensor, begin: tuple, size: tuple) -> Any:
    from ..registry import OPS  # Pad, by name: ``join`` imports this module

    return OPS["Pad"](g, paddings=tuple((b, d - b - s) for b, s, d in zip(begin, size, x._value.shape)))


# --- tf.slice --------------------------------------------------------------------------------------


def _index_array(value: Any, op: str, allowed: frozenset) -> np.ndarray:
    # an empty list converts to float32 here: the Index attr has no default type to fall back on
    if type(value) in (list, tuple) and value and all(type(v) is int for v in value):
        return np.array(value, dtype=np.int64).reshape(len(value))
    t = tensor(value)
    if t._dtype not in allowed:
        OPS[op].check_attr("Index", t._dtype)
    return np.asarray(t._numpy()).astype(np.int64)


def slice(input_: Any, begin: Any, size: Any, name: str | None = None) -> Tensor:  # noqa: A001 - TF's name
    """The ``size``-sized block starting at ``begin`` (a size of -1 takes the rest of the dimension).

    >>> slice([[1, 2, 3], [4, 5, 6]], [0, 1], [-1, 2]).numpy()
    array([[2, 3],
           [5, 6]], dtype=int32)
    """
    x = tensor(input_)
    shp = x._value.shape
    with slow_path(begin, size):
        b = _index_array(begin, "Slice", frozenset({_dtypes.int32, _dtypes.int64}))
        s = _index_array(size, "Slice", frozenset({_dtypes.int32, _dtypes.int64}))
    nd = len(shp)
    if b.ndim != 1 or s.ndim != 1 or b.size != nd or s.size != nd:
        raise op_error("Slice", f"Expected begin and size arguments to be 1-D tensors of size {nd}, but got shapes "
                                f"{shape_text(b.shape)} and {shape_text(s.shape)} instead.")
    sizes = []
    for i, (bi, si, di) in enumerate(zip(b.tolist(), s.tolist(), shp)):
        if si == -1:
            si = di - bi
        if not 0 <= bi <= di:
            raise op_error("Slice", f"Expected begin[{i}] in [0, {di}], but got {bi}")
        if not 0 <= si <= di - bi:
            raise op_error("Slice", f"Expected size[{i}] in [0, {di - bi}], but got {si}")
        sizes.append(si)
    return slice_op(x, begin=tuple(b.tolist()), size=tuple(sizes))


# --- tf.strided_slice ------------------------------------------------------------------------------


def strided_key(shape: tuple, begin: list, end: list, strides: list, begin_mask: int = 0, end_mask: int = 0,
                ellipsis_mask: int = 0, new_axis_mask: int = 0, shrink_axis_mask: int = 0,
                name: str | None = None) -> tuple:
    """TF's StridedSlice spec (sparse, with masks) as a NumPy basic index over ``shape``, validated the way
    TF's ``ValidateStridedSliceOp`` does (its errors, its clamping)."""
    n = len(strides)
    if len(begin) != n or len(end) != n or n >= 32:
        raise op_error("StridedSlice", "Expected begin, end, and strides to be 1D equal size tensors, but got shapes "
                                       f"[{len(begin)}], [{len(end)}], and [{n}] instead.", name=name)
    if ellipsis_mask & (ellipsis_mask - 1):
        raise op_error("StridedSlice", "Multiple ellipses in slice spec not allowed", name=name)
    dims = len(shape)
    sparse_dims = n
    if not ellipsis_mask:  # an implicit ellipsis at the end
        ellipsis_mask = 1 << n
        sparse_dims += 1
    after_ellipsis = 0
    seen = False
    for i in range(n):
        if seen and (new_axis_mask >> i) & 1:
            after_ellipsis += 1
        if (ellipsis_mask >> i) & 1:
            seen = True
    # first the dense spec (one entry per input dimension, new axes in between), then each dimension's
    # checks in order: TF reports errors in that order
    entries: list = []
    full = 0
    for i in range(sparse_dims):
        if (ellipsis_mask >> i) & 1:
            stop = min(dims - (sparse_dims - i) + 1 + after_ellipsis, dims)
            entries.extend([_FULL] * max(stop - full, 0))
            full = max(stop, full)
            continue
        if (new_axis_mask >> i) & 1:
            entries.append(None)
            continue
        if full == dims:
            if dims == 0:
                raise op_error("StridedSlice", "Attempting to slice scalar input.", name=name)
            raise op_error("StridedSlice", f"Index out of range using input dim {full}; input has only {dims} dims",
                           name=name)
        entries.append((full, begin[i], end[i], strides[i], (begin_mask >> i) & 1, (end_mask >> i) & 1,
                        (shrink_axis_mask >> i) & 1))
        full += 1
    return tuple(e if e is None or e is _FULL else _dim_key(e[0], shape[e[0]], *e[1:], name) for e in entries)


def _dim_key(i: int, dim: int, b: int, e: int, s: int, b_masked: int, e_masked: int, shrink: int,
             name: str | None) -> Any:
    if s == 0:
        raise op_error("StridedSlice", f"strides[{i}] must be non-zero", name=name)
    if shrink:
        if s <= 0:
            raise op_error("StridedSlice", "only stride 1 allowed on non-range indexing.", name=name)
        fwd = b + dim if b < 0 else b
        if not 0 <= fwd < dim:
            raise op_error("StridedSlice", f"slice index {fwd} of dimension {i} out of bounds.", name=name)
        return fwd
    lo, hi = (0, dim) if s > 0 else (-1, dim - 1)

    def canonical(x: int, masked: int, is_end: int) -> int:
        if masked:
            return (lo, hi)[is_end] if s > 0 else (hi, lo)[is_end]
        x = x + dim if x < 0 else x
        return lo if x < lo else hi if x > hi else x

    b = canonical(b, b_masked, 0)
    e = canonical(e, e_masked, 1)
    length = e - b
    if length == 0 or (length < 0) != (s < 0):
        return _py_slice(0, 0)
    return _py_slice(b, None if e < 0 else e, s)


def strided_slice(input_: Any, begin: Any, end: Any, strides: Any = None, begin_mask: int = 0, end_mask: int = 0,
                  ellipsis_mask: int = 0, new_axis_mask: int = 0, shrink_axis_mask: int = 0, var: Any = None,
                  name: str | None = None) -> Tensor:
    """Extracts a strided slice: ``begin[i]:end[i]:strides[i]`` per dimension, with bit masks that ignore a begin
    or end, mark the ellipsis, insert new axes, or index (shrink) a dimension.

    >>> strided_slice([1, 2, 3, 4], [1], [3]).numpy()
    array([2, 3], dtype=int32)
    """
    x = tensor(input_)
    with slow_path(begin, end, strides):
        b = _index_array(begin, "StridedSlice", _SLICE_INDEX_TYPES)
        e = _index_array(end, "StridedSlice", _SLICE_INDEX_TYPES)
        s = np.ones_like(b) if strides is None else _index_array(strides, "StridedSlice", _SLICE_INDEX_TYPES)
    if b.ndim != 1 or e.ndim != 1 or s.ndim != 1:
        raise op_error("StridedSlice", "Expected begin, end, and strides to be 1D equal size tensors, but got shapes "
                                       f"{shape_text(b.shape)}, {shape_text(e.shape)}, and {shape_text(s.shape)} "
                                       "instead.")
    key = strided_key(x._value.shape, b.tolist(), e.tolist(), s.tolist(), begin_mask, end_mask, ellipsis_mask,
                      new_axis_mask, shrink_axis_mask)
    return strided_slice_op(x, key=key)


# --- Python slice specs (Tensor.__getitem__) -------------------------------------------------------


def _check_index(idx: Any) -> None:
    if isinstance(idx, (numbers.Integral, Dimension)):
        return
    dtype = getattr(idx, "dtype", None)
    try:
        dt = _dtypes.as_dtype(dtype) if dtype is not None else None
    except TypeError:
        dt = None
    shp = getattr(idx, "shape", None)
    if dt not in _SLICE_INDEX_TYPES or (shp is not None and len(shp) == 1):
        raise TypeError(f"{_SLICE_TYPE_ERROR}, got {idx!r}")


def _int(v: Any) -> int:
    if isinstance(v, Dimension):
        return int(v.value)
    if isinstance(v, Tensor) or hasattr(v, "__tf_tensor__"):
        return int(tensor(v)._numpy())
    return int(v)


def _tensor_dtype(v: Any) -> Any:
    """The dtype a slice component keeps when TF stacks it: a tensor's own; None for Python and NumPy ints
    (they take the dtype of the tensors beside them)."""
    if isinstance(v, Tensor) or hasattr(v, "__tf_tensor__"):
        return tensor(v)._dtype
    return None


def _pack_dtype(parts: list) -> Any:
    """The dtype TF's stack of one of begin/end/strides gets (or its Pack error for mixed tensor dtypes)."""
    first = None
    for i, (_, dt) in enumerate(parts):
        if dt is None:
            continue
        if first is None:
            first = dt
        elif dt is not first:
            raise dtype_mismatch("Pack", i, first, dt)
    if first is not None:
        return first
    big = any(not -(2**31) <= value < 2**31 for value, _ in parts)
    return _dtypes.int64 if big else _dtypes.int32


def _wrap(values: list, dtype: Any) -> list:
    if dtype is _dtypes.int16:  # Python ints convert into int16 with C's wrap-around
        return [int(np.int64(v).astype(np.int16)) for v in values]
    return values


def _simple(s: Any) -> bool:
    t = type(s)
    if t is int or s is None or s is Ellipsis:
        return True
    if t is _py_slice:
        return all(p is None or type(p) is int for p in (s.start, s.stop, s.step))
    return False


def _simple_key(shape: tuple, spec: Any) -> tuple:
    """The common case, all Python ints and slices: no tensor dtypes to reconcile."""
    begin, end, strides = [], [], []
    begin_mask = end_mask = ellipsis_mask = new_axis_mask = shrink_axis_mask = 0
    for index, s in enumerate(spec):
        bit = 1 << index
        if type(s) is int:
            begin.append(s), end.append(s + 1), strides.append(1)
            shrink_axis_mask |= bit
        elif type(s) is _py_slice:
            if s.start is None:
                begin_mask |= bit
            if s.stop is None:
                end_mask |= bit
            begin.append(s.start or 0), end.append(s.stop or 0), strides.append(1 if s.step is None else s.step)
        else:
            begin.append(0), end.append(0), strides.append(1)
            if s is None:
                new_axis_mask |= bit
            else:
                ellipsis_mask |= bit
    return strided_key(shape, begin, end, strides, begin_mask, end_mask, ellipsis_mask, new_axis_mask,
                       shrink_axis_mask, name="strided_slice/")


def getitem_key(shape: tuple, spec: Any) -> tuple:
    """A Python slice spec (ints, slices, ``...``, ``None``, scalar int tensors; a list acts as a tuple) as a
    NumPy basic index, built and validated the way TF's ``Tensor.__getitem__`` builds its strided slice."""
    if not isinstance(spec, (list, tuple)):
        spec = [spec]
    if all(_simple(s) for s in spec):
        return _simple_key(shape, spec)
    begin: list = []
    end: list = []
    strides: list = []
    begin_mask = end_mask = ellipsis_mask = new_axis_mask = shrink_axis_mask = 0
    all_bool = bool(spec)
    for index, s in enumerate(spec):
        bit = 1 << index
        if isinstance(s, _py_slice):
            all_bool = False
            dtype = None
            for part in (s.start, s.stop, s.step):
                if part is not None and not (isinstance(part, Dimension) and part.value is None):
                    _check_index(part)
                dt = _tensor_dtype(part)
                if dt is _dtypes.int64 or (dt is _dtypes.int32 and dtype is not _dtypes.int64) or (
                        dt is _dtypes.int16 and dtype is None):
                    dtype = dt
            if s.start is None or (isinstance(s.start, Dimension) and s.start.value is None):
                begin.append((0, dtype))
                begin_mask |= bit
            else:
                begin.append((_int(s.start), _tensor_dtype(s.start)))
            if s.stop is None or (isinstance(s.stop, Dimension) and s.stop.value is None):
                end.append((0, dtype))
                end_mask |= bit
            else:
                end.append((_int(s.stop), _tensor_dtype(s.stop)))
            strides.append((1, dtype) if s.step is None else (_int(s.step), _tensor_dtype(s.step)))
        elif s is Ellipsis or s is None:
            all_bool = False
            begin.append((0, None)), end.append((0, None)), strides.append((1, None))
            if s is None:
                new_axis_mask |= bit
            else:
                ellipsis_mask |= bit
        else:
            _check_index(s)
            if not isinstance(s, (bool, np.bool_)):
                all_bool = False
            i, dt = _int(s), _tensor_dtype(s)
            begin.append((i, dt)), end.append((i + 1, dt))
            strides.append((1, dt if dt in (_dtypes.int16, _dtypes.int64) else None))
            shrink_axis_mask |= bit
    if all_bool:  # TF stacks the indices into a bool tensor, which StridedSlice has no kernel for
        raise InvalidArgumentError(None, None, "Value for attr 'Index' of bool is not in the list of allowed values: "
                                               "int16, int32, int64\n\t; NodeDef: {{node StridedSlice}}; "
                                               "Op<name=StridedSlice> [Op:StridedSlice] name: strided_slice/")
    types = [_pack_dtype(parts) for parts in (begin, end, strides)] if spec else [_dtypes.int32] * 3
    if _dtypes.int64 not in types:
        for i, t in enumerate(types[1:], 2):
            if t is not types[0]:
                raise dtype_mismatch("StridedSlice", i, types[0], t)
    b, e, st = (_wrap([v for v, _ in parts], t) for parts, t in zip((begin, end, strides), types))
    return strided_key(shape, b, e, st, begin_mask, end_mask, ellipsis_mask, new_axis_mask, shrink_axis_mask,
                       name="strided_slice/")


def is_mask_spec(spec: Any) -> bool:
    """Whether ``t[spec]`` is a boolean mask (a Python bool, a bool tensor or a bool NumPy array), as in TF."""
    if isinstance(spec, bool):
        return True
    if isinstance(spec, Tensor):
        return spec._dtype is _dtypes.bool
    return isinstance(spec, np.ndarray) and spec.dtype == np.bool_


def getitem(x: Tensor, spec: Any) -> Tensor:
    """``x[spec]`` with TF's semantics: a boolean mask, or a strided slice.

    >>> getitem(tensor([[1, 2, 3]]), (0, _py_slice(None, None, -1))).numpy()
    array([3, 2, 1], dtype=int32)
    """
    if is_mask_spec(spec):
        from .gather import boolean_mask

        return boolean_mask(x, spec)
    return strided_slice_op(x, key=getitem_key(x._value.shape, spec))
