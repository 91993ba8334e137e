"""Creating and converting tensors: zeros, ones, fill, zeros_like, ones_like, eye, range, linspace, one_hot,
meshgrid, sequence_mask, cast and bitcast.

>>> import featherflow as tf
>>> tf.one_hot([0, 2], 3).numpy()
array([[1., 0., 0.],
       [0., 0., 1.]], dtype=float32)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ... import dtypes as _dtypes
from ...errors import InvalidArgumentError, UnimplementedError
from ...indexed_slices import IndexedSlices
from ...shape import TensorShape
from ...tensor import Tensor, convert_to_tensor, dtype_mismatch, type_string
from .. import dispatch as _dispatch
from ..convert import shape_text, tensor
from ..registry import ANY, register
from .core import broadcast_to_op, expand_dims_op, fill_op, host_tensor, int_values, op_error, reshape_op

# --- cast, bitcast ---------------------------------------------------------------------------------


@_dispatch.add_dispatch_support
def cast(x: Any, dtype: Any, name: str | None = None) -> Tensor:
    """Casts to ``dtype`` (floats to ints truncate; complex to real keeps the real part).

    >>> cast([1.7, -1.7], "int32").numpy()
    array([ 1, -1], dtype=int32)
    """
    from ..math.elementwise import cast_op

    if isinstance(x, IndexedSlices):  # TF casts the values and keeps the slices (a sparse gradient stays sparse)
        return IndexedSlices(cast(x.values, dtype), x.indices, x.dense_shape)
    t = tensor(x)
    dt = _dtypes.as_dtype(dtype)
    if t._dtype is dt:
        return t
    if dt is _dtypes.string or t._dtype is _dtypes.string or _float8_cast_refused(t._dtype, dt):
        raise op_error("Cast", f"Cast {type_string(t._dtype)} to {type_string(dt)} is not supported", name="",
                       cls=UnimplementedError)
    return cast_op(t, dtype=dt._np)


# TF's CPU Cast kernels for float8: e4m3fn and e5m2 from the floats, and on to the floats, ints, bool and complex;
# none for the fnuz variants
_FLOAT8 = frozenset(_dtypes.as_dtype(n) for n in ("float8_e4m3fn", "float8_e5m2"))
_FLOAT8_NO_CAST = frozenset(_dtypes.as_dtype(n) for n in ("float8_e4m3fnuz", "float8_e4m3b11fnuz", "float8_e5m2fnuz"))
_TO_FLOAT8 = _FLOAT8 | frozenset(_dtypes.as_dtype(n) for n in ("float16", "bfloat16", "float32", "float64"))
_FROM_FLOAT8 = _TO_FLOAT8 | frozenset(_dtypes.as_dtype(n) for n in (
    "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "bool", "complex64", "complex128"))


def _float8_cast_refused(source: Any, target: Any) -> bool:
    if source in _FLOAT8_NO_CAST or target in _FLOAT8_NO_CAST:
        return True
    return target in _FLOAT8 and source not in _TO_FLOAT8 or source in _FLOAT8 and target not in _FROM_FLOAT8


_BITCAST_TYPES = frozenset(_dtypes.as_dtype(n) for n in (
    "bfloat16", "float16", "float32", "float64", "int64", "int32", "uint8", "uint16", "uint32", "uint64", "int8",
    "int16", "complex64", "complex128"))


@register("Bitcast")
def bitcast_op(xp: Any, x: Any, dtype: Any) -> Any:
    out_size, in_size = np.dtype(dtype).itemsize, x.dtype.itemsize
    x = x if x.flags.c_contiguous else x.copy()  # (ascontiguousarray would make a 0-d array 1-d)
    if out_size == in_size:
        return x.view(dtype)
    if out_size < in_size:  # each element becomes a row of smaller ones
        return x.reshape(x.shape + (1,)).view(dtype)
    return x.view(dtype).reshape(x.shape[:-1])


def bitcast(input: Any, type: Any, name: str | None = None) -> Tensor:  # noqa: A002 - TF's name
    """Reinterprets the bytes of a tensor as another dtype (a last dimension is added or removed when the item
    sizes differ).

    >>> bitcast(np.float32([1.0]), "int32").numpy()
    array([1065353216], dtype=int32)
    """
    x = tensor(input)
    dt = _dtypes.as_dtype(type)
    for t, attr in ((x._dtype, "T"), (dt, "type")):
        if t not in _BITCAST_TYPES:
            raise InvalidArgumentError(None, None, f"Value for attr '{attr}' of {type_string(t)} is not in the list of "
                                                   "allowed values\n\t; NodeDef: {{node Bitcast}}; Op<name=Bitcast> "
                                                   "[Op:Bitcast] name: ")
    in_size, out_size = x._dtype._np.itemsize, dt._np.itemsize
    shp = x._value.shape
    if out_size > in_size and (not shp or shp[-1] * in_size != out_size):
        raise op_error("Bitcast", f"Cannot bitcast from {x._dtype._enum} to {dt._enum}", name="")
    return bitcast_op(x, dtype=dt._np)


# --- fill, zeros, ones -----------------------------------------------------------------------------


def _dims(shape: Any, op: str = "Fill") -> tuple:
    if isinstance(shape, TensorShape):
        shape = shape.as_list()
    dims = int_values(shape, op, "index_type")
    dims = tuple(dims.reshape(-1).tolist())
    for d in dims:
        if d < 0:
            raise op_error(op, f"Dimension {d} must be >= 0", name="")
    return dims


@_dispatch.add_dispatch_support
def fill(dims: Any, value: Any, name: str | None = None, layout: Any = None) -> Tensor:
    """A tensor of shape ``dims`` filled with ``value`` (its gradient is the sum of the output's).

    >>> fill([2], 7).numpy()
    array([7, 7], dtype=int32)
    """
    v = tensor(value)
    if v._value.size != 1 or v._value.ndim > 1:
        raise op_error("Fill", f"value must represent a scalar, got shape {shape_text(v._value.shape)}")
    given = int_values(dims, "Fill", "index_type") if not isinstance(dims, TensorShape) else None
    if given is not None and given.ndim > 1:
        raise op_error("Fill", f"dims must represent a vector, got shape {shape_text(given.shape)}")
    return fill_op(reshape_op(v, shape=()) if v._value.ndim else v, shape=_dims(dims))


def _constant(shape: Any, dtype: Any, one: bool) -> Tensor:
    dt = _dtypes.as_dtype(dtype)
    if dt is _dtypes.string:
        if one:
            raise TypeError("Cannot convert 1 to EagerTensor of dtype string")
        return fill_op(shape=_dims(shape), value=b"", dtype=object)
    return fill_op(shape=_dims(shape), value=1 if one else 0, dtype=dt._np)


@_dispatch.add_dispatch_support
def zeros(shape: Any, dtype: Any = _dtypes.float32, name: str | None = None, layout: Any = None) -> Tensor:
    """A tensor of zeros (float32 by default; empty strings for tf.string).

    >>> zeros([2], "int64").numpy()
    array([0, 0])
    """
    return _constant(shape, dtype, False)


@_dispatch.add_dispatch_support
def ones(shape: Any, dtype: Any = _dtypes.float32, name: str | None = None, layout: Any = None) -> Tensor:
    """A tensor of ones (float32 by default).

    >>> ones([2, 1]).numpy()
    array([[1.],
           [1.]], dtype=float32)
    """
    return _constant(shape, dtype, True)


@_dispatch.add_dispatch_support
def zeros_like(input: Any, dtype: Any = None, name: str | None = None, layout: Any = None) -> Tensor:
    """Zeros with the shape (and dtype, unless given) of ``input``.

    >>> zeros_like([1.5, 2.5]).numpy()
    array([0., 0.], dtype=float32)
    """
    from ..math.elementwise import zeros_like_op

    x = tensor(input)
    if dtype is not None and _dtypes.as_dtype(dtype) is not x._dtype:
        return _constant(x._value.shape, dtype, False)
    if x._dtype is _dtypes.string:
        return fill_op(shape=x._value.shape, value=b"", dtype=object)
    return zeros_like_op(x)


@_dispatch.add_dispatch_support
def ones_like(input: Any, dtype: Any = None, name: str | None = None, layout: Any = None) -> Tensor:
    """Ones with the shape (and dtype, unless given) of ``input``.

    >>> ones_like([[1, 2]]).numpy()
    array([[1, 1]], dtype=int32)
    """
    from ..math.elementwise import ones_like_op

    x = tensor(input)
    if dtype is not None and _dtypes.as_dtype(dtype) is not x._dtype:
        return _constant(x._value.shape, dtype, True)
    return ones_like_op(x)


# --- eye -------------------------------------------------------------------------------------------


@register("Eye", differentiable=False, dtypes=ANY)  # no inputs: its dtype is an attr
def eye_op(xp: Any, rows: int, cols: int, batch: tuple, dtype: Any) -> Any:
    return xp.broadcast_to(xp.eye(rows, cols, dtype=dtype), batch + (rows, cols)).copy()


def eye(num_rows: Any, num_columns: Any = None, batch_shape: Any = None, dtype: Any = _dtypes.float32,
        name: str | None = None) -> Tensor:
    """An identity matrix (or a batch of them), ``num_rows`` x ``num_columns``.

    >>> eye(2, 3, dtype="int32").numpy()
    array([[1, 0, 0],
           [0, 1, 0]], dtype=int32)
    """
    rows = int(tensor(num_rows)._numpy()) if not isinstance(num_rows, int) else num_rows
    cols = rows if num_columns is None else int(tensor(num_columns)._numpy()) if not isinstance(num_columns, int) \
        else num_columns
    batch = () if batch_shape is None else _dims(batch_shape)
    for d in (rows, cols):
        if d < 0:
            raise op_error("Fill", f"Dimension {d} must be >= 0", name="")
    dt = _dtypes.as_dtype(dtype)
    if dt is _dtypes.string:
        raise TypeError("Cannot convert 1 to EagerTensor of dtype string")
    return eye_op(rows=rows, cols=cols, batch=batch, dtype=dt._np)


# --- range, linspace -------------------------------------------------------------------------------

_RANGE_ORDER = [_dtypes.int32, _dtypes.int64, _dtypes.float16, _dtypes.bfloat16, _dtypes.float32, _dtypes.float64]


# TF keeps Range's inputs in host memory (its output's length depends on them): here they are host scalars of
# the output dtype, passed as attrs, so that no device holds them and the forward runs without a transfer.
@register("Range", differentiable=False)
def range_op(xp: Any, start: Any, limit: Any, delta: Any) -> Any:
    dtype = start.dtype
    s, lim, d = start, limit, delta
    if dtype.kind in "iu":
        n = (abs(int(lim) - int(s)) + abs(int(d)) - 1) // abs(int(d))
    else:
        n = int(np.ceil(np.abs((lim - s) / d)))
    if n <= 0:
        return xp.zeros((0,), dtype=dtype)
    # TF computes start + i * delta in the output type (rounding after each step)
    return xp.arange(n).astype(dtype) * d + s


def _fmt(v: Any) -> str:
    v = v[()] if isinstance(v, np.ndarray) else v
    if isinstance(v, (float, np.floating)):
        return f"{float(v):g}"
    return str(v)


def range_(start: Any, limit: Any = None, delta: Any = 1, dtype: Any = None, name: str = "range") -> Tensor:
    """Numbers from ``start`` to ``limit`` (exclusive) by ``delta``; int32 for ints, float32 for floats.

    >>> range_(1, 10, 4).numpy()
    array([1, 5, 9], dtype=int32)
    """
    if limit is None:
        start, limit = 0, start
    dt = None if dtype is None else _dtypes.as_dtype(dtype)
    args = [host_tensor(v, dt if not (isinstance(v, Tensor) or hasattr(v, "__tf_tensor__")) else None)
            for v in (start, limit, delta)]
    if dt is None:
        if any(a._dtype not in _RANGE_ORDER for a in args):
            raise AssertionError()  # TF asserts the inferred dtypes are in its hierarchy
        dt = max((a._dtype for a in args), key=_RANGE_ORDER.index)
    range_op.check_attr("Tidx", dt)  # (TF's start, limit and delta are inputs)
    # the bounds on the host, in the output dtype (TF casts them first); a tensor on a GPU is read explicitly
    sv, lv, dv = (np.asarray(a._numpy()).astype(dt._np) for a in args)
    if dv == 0:
        raise op_error("Range", f"Requires delta != 0: {_fmt(dv)}", name="")
    if dv > 0 and sv > lv:
        raise op_error("Range", f"Requires start <= limit when delta > 0: {_fmt(sv)}/{_fmt(lv)}", name="")
    if dv < 0 and sv < lv:
        raise op_error("Range", f"Requires start >= limit when delta < 0: {_fmt(sv)}/{_fmt(lv)}", name="")
    return range_op(start=sv[()], limit=lv[()], delta=dv[()])


def linspace(start: Any, stop: Any, num: Any, name: str | None = None, axis: int = 0) -> Tensor:
    """``num`` evenly spaced values from ``start`` to ``stop`` inclusive (batched over the shapes of start and
    stop, the new dimension at ``axis``); integer endpoints give float64.

    >>> linspace(0.0, 1.0, 5).numpy()
    array([0.  , 0.25, 0.5 , 0.75, 1.  ], dtype=float32)
    """
    from ..math.api import add, multiply, subtract, truediv
    from ..math.elementwise import cast_op
    from .core import broadcast_to, expand_dims
    from .join import concat
    from .slicing import slice as slice_

    lo = tensor(start)
    hi = tensor(stop) if isinstance(stop, Tensor) else convert_to_tensor(stop, dtype=lo._dtype)
    n_t = host_tensor(num)
    if not n_t._dtype.is_integer:
        raise TypeError(f"Argument `tensor` (name: num) must be of type integer. Received `tensor` = {n_t._numpy()} "
                        f"of dtype: {n_t._dtype!s}")
    n = int(n_t._numpy())
    if lo._dtype is _dtypes.string:  # TF casts num to the endpoints' type
        raise op_error("Cast", "Cast int32 to string is not supported", name="", cls=UnimplementedError)
    try:
        shape = np.broadcast_shapes(lo._value.shape, hi._value.shape)
    except ValueError:
        raise op_error("BroadcastArgs", f"Incompatible shapes: {list(lo._value.shape)} vs. {list(hi._value.shape)}",
                       name="") from None
    lo, hi = broadcast_to(lo, shape), broadcast_to(hi, shape)
    lo, hi = expand_dims(lo, axis), expand_dims(hi, axis)
    nd = len(shape) + 1
    a = axis + nd if axis < 0 else axis
    steps = max(n - 1, 1)
    # TF's own sequence of ops, so that the values round identically: start + delta * k, with exact endpoints
    delta = truediv(subtract(hi, lo), fill_op(shape=(), value=steps, dtype=lo._dtype._np))
    lo, hi = (t if t._dtype is delta._dtype else cast_op(t, dtype=delta._dtype._np) for t in (lo, hi))
    if n < 0:
        raise op_error("Range", f"Requires start <= limit when delta > 0: 1/{n if n < -1 else -1}", name="")
    k = range_op(start=np.int64(1), limit=np.int64(steps), delta=np.int64(1))
    k_shape = tuple(max(n - 2, 0) if i == a else 1 for i in range(nd))
    middle = add(lo, multiply(delta, reshape_op(cast_op(k, dtype=delta._dtype._np), shape=k_shape)))
    joined = concat([lo, middle, hi], a)
    size = [n if i == a else d for i, d in enumerate(lo._value.shape)]
    return slice_(joined, [0] * nd, size)


# --- one_hot ---------------------------------------------------------------------------------------



@register("OneHot", differentiable=False, inputs=("TI", "T", "T"))
def one_hot_op(xp: Any, indices: Any, on: Any, off: Any, depth: int, axis: int) -> Any:
    hot = indices[..., None] == xp.arange(depth, dtype=np.int64)
    out = xp.where(hot, on, off)
    return out if axis == -1 else xp.moveaxis(out, -1, axis)


@_dispatch.add_dispatch_support  # (a RaggedTensor ``indices``: ops/ragged registers the override)
def one_hot(indices: Any, depth: Any, on_value: Any = None, off_value: Any = None, axis: Any = None,
            dtype: Any = None, name: str | None = None) -> Tensor:
    """One-hot vectors: ``on_value`` at each index (out-of-range indices give all ``off_value``), the new
    dimension of size ``depth`` at ``axis`` (last by default); float32 unless the values or ``dtype`` say.

    >>> one_hot([1, -1], 2, dtype="int32").numpy()
    array([[0, 1],
           [0, 0]], dtype=int32)
    """
    dt = None if dtype is None else _dtypes.as_dtype(dtype)
    on = None if on_value is None else convert_to_tensor(on_value, dtype_hint=dt)
    off = None if off_value is None else convert_to_tensor(off_value, dtype_hint=dt)
    if on is not None or off is not None:
        if dt is not None:
            for v, what in ((on, "on_value"), (off, "off_value")):
                if v is not None and v._dtype is not dt:
                    raise TypeError(f"dtype {v._dtype!s} of {what} does not match dtype parameter {dt!s}")
        else:
            dt = on._dtype if on is not None else off._dtype
    elif dt is None:
        dt = _dtypes.float32
    if (dt.is_floating or dt.is_integer or dt.is_complex) and not dt.is_quantized:  # filled on the device

        on = fill_op(shape=(), value=1, dtype=dt._np) if on is None else on
        off = fill_op(shape=(), value=0, dtype=dt._np) if off is None else off
    on = convert_to_tensor(1, dt) if on is None else on
    off = convert_to_tensor(0, dt) if off is None else off
    if on._dtype is not off._dtype:
        raise TypeError(f"dtype {on._dtype!s} of on_value does not match dtype {off._dtype!s} of off_value")
    i = tensor(indices)
    one_hot_op.check_attr("TI", i._dtype)
    d = int(host_tensor(depth)._numpy()) if not isinstance(depth, int) else depth

    a = -1 if axis is None else int(axis)
    nd = i._value.ndim
    if d < 0:
        raise op_error("OneHot", f"depth must be non-negative, got: {d}")
    if a != -1 and not 0 <= a <= nd:
        raise op_error("OneHot", f"Expected axis to be -1 or between [0, {nd + 1}).  But received: {a}")
    for v, what in ((on, "on_value"), (off, "off_value")):
        if v._value.ndim:
            raise op_error("OneHot", f"{what} must be a scalar, but got: {list(v._value.shape)}")
    return one_hot_op(i, on, off, depth=d, axis=a)


# --- meshgrid, sequence_mask -----------------------------------------------------------------------


def meshgrid(*args: Any, **kwargs: Any) -> list[Tensor]:
    """Coordinate grids from 1-D coordinate vectors; ``indexing="xy"`` (default) swaps the first two output
    dimensions, ``"ij"`` keeps them in argument order.

    >>> [g.numpy().tolist() for g in meshgrid([1, 2], [3, 4, 5], indexing="ij")]
    [[[1, 1, 1], [2, 2, 2]], [[3, 4, 5], [3, 4, 5]]]
    """
    indexing = kwargs.pop("indexing", "xy")
    if kwargs:
        key = next(iter(kwargs))
        raise TypeError(f"'{key}' is an invalid keyword argument for this function")
    if indexing not in ("xy", "ij"):
        raise ValueError(f"Argument `indexing` parameter must be either 'xy' or 'ij', got '{indexing}'")
    nd = len(args)
    if not nd:
        return []
    xs = [tensor(x) for x in args]
    dt = xs[0]._dtype
    out = [reshape_op(x, shape=(1,) * i + (x._value.size,) + (1,) * (nd - i - 1)) for i, x in enumerate(xs)]
    sizes = [x._value.size for x in xs]
    if indexing == "xy" and nd > 1:
        out[0] = reshape_op(out[0], shape=(1, sizes[0]) + (1,) * (nd - 2))
        out[1] = reshape_op(out[1], shape=(sizes[1], 1) + (1,) * (nd - 2))
        sizes[0], sizes[1] = sizes[1], sizes[0]
    result = []
    for x in out:  # TF multiplies each by ones(shape, dtype of the first): the dtypes must agree
        if x._dtype is not dt:  # (TF's ``x * ones``: bools multiply by logical_and, so not Mul's contract)
            raise dtype_mismatch("Mul", 1, x._dtype, dt)
        if dt is _dtypes.string:
            raise TypeError("Cannot convert 1 to EagerTensor of dtype string")
        result.append(broadcast_to_op(x, shape=tuple(sizes)))
    return result


def sequence_mask(lengths: Any, maxlen: Any = None, dtype: Any = _dtypes.bool, name: str | None = None) -> Tensor:
    """``mask[..., j] = j < lengths[...]``, for j below ``maxlen`` (default: the largest length).

    >>> sequence_mask([1, 3], 4).numpy()
    array([[ True, False, False, False],
           [ True,  True,  True, False]])
    """
    from ..math.elementwise import cast_op, less_op

    lens = tensor(lengths)
    if maxlen is None:
        top = np.max(np.asarray(lens._numpy()), initial=0) if lens._value.size else 0
        limit = host_tensor(np.asarray(max(top, 0), dtype=lens._dtype._np))
    else:
        limit = host_tensor(maxlen)
        if limit._value.ndim:
            raise ValueError(f"Argument `maxlen` must be scalar for sequence_mask, received `maxlen` = "
                             f"{limit._numpy()} with shape '{tuple(limit._value.shape)}' instead")
    row = range_(np.zeros((), limit._dtype._np), limit, np.ones((), limit._dtype._np))

    column = cast_op(expand_dims_op(lens, axis=lens._value.ndim), dtype=limit._dtype._np)
    mask = less_op(row, column)
    dt = _dtypes.as_dtype(dtype) if dtype is not None else _dtypes.bool
    return mask if dt is _dtypes.bool else cast(mask, dt)
