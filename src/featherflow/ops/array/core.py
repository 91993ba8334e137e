"""Array ops on shapes: reshape, transpose, squeeze, expand_dims, stack, unstack, broadcast_to, identity(_n),
stop_gradient, ensure_shape, shape/size/rank, and the ConcatV2, Split and Fill ops that other modules build on.
Each op's gradient stands next to its forward; the argument checks raise TF's errors.

>>> import featherflow as tf
>>> tf.reshape(tf.constant([[1, 2], [3, 4]]), [1, 4]).numpy()
array([[1, 2, 3, 4]], dtype=int32)
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ... import device as _device
from ... import dtypes as _dtypes
from ...errors import InvalidArgumentError
from ...shape import TensorShape
from ...tensor import Tensor, convert_to_tensor, to_array, type_string
from .. import dispatch as _dispatch
from ..convert import shape_text, tensor
from ..registry import OPS, register

INDEX_TYPES = frozenset({_dtypes.int32, _dtypes.int64})


def op_error(op: str, message: str, name: str | None = None, node: str = "",
             cls: type = InvalidArgumentError) -> Exception:
    """A kernel error as TF's eager runtime words it; ``name=None`` leaves out the " name: " suffix (TF's fast
    path), ``node`` is the attr suffix of the wrapped function (``_N_2`` for Pack)."""
    dev = _device._scope.device.name
    text = f"{{{{function_node __wrapped__{op}{node}_device_{dev}}}}} {message} [Op:{op}]"
    return cls(None, None, text if name is None else f"{text} name: {name}")


def int_values(value: Any, op: str, attr: str) -> np.ndarray:
    """An integer argument given as a tensor (shape, perm, multiples, ...) as a host int64 array, with TF's error
    for a dtype the type attr ``attr`` of ``op`` (which takes this argument as an input) does not take."""
    if type(value) in (list, tuple) and all(type(v) is int for v in value):
        return np.array(value, dtype=np.int64).reshape(len(value))
    if isinstance(value, TensorShape):  # converts as int32, empty or not (tf.convert_to_tensor)
        return np.array([-1 if d is None else d for d in value.as_list()], dtype=np.int64)
    t = host_tensor(value)
    if t._dtype not in INDEX_TYPES:
        OPS[op].check_attr(attr, t._dtype)
    return np.asarray(t._numpy()).astype(np.int64, copy=False)


def host_tensor(value: Any, dtype: Any = None) -> Tensor:
    """An argument that TF keeps in host memory (a shape, a perm, paddings, a count) as a Tensor: Python and
    NumPy values are converted on the CPU, so that reading them back costs no round trip through a GPU; a
    Tensor stays where it is (reading it from a GPU is an explicit transfer)."""
    if type(value) is Tensor or hasattr(value, "__tf_tensor__"):
        return tensor(value, dtype)
    scope = _device._scope
    dev = scope.device
    if dev.xp is np:
        return tensor(value, dtype)
    scope.device = _device.CPU
    try:
        return tensor(value, dtype)
    finally:
        scope.device = dev


def scalar_int(value: Any, op: str, attr: str = "Tidx") -> int:
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return int(value)
    v = int_values(value, op, attr)
    return int(v.reshape(-1)[0]) if v.size == 1 else int(v)


# --- reshape ---------------------------------------------------------------------------------------


@register("Reshape")
def reshape_op(xp: Any, x: Any, shape: tuple) -> Any:
    return x.reshape(shape)


@reshape_op.gradient
def _(g: Tensor, ans: Tensor, x: Tensor, shape: tuple) -> Any:
    return reshape_op(g, shape=x._value.shape)


def reshape(tensor_: Any, shape: Any, name: str | None = None) -> Tensor:
    """A tensor with the same values in a new shape; one dimension may be -1 (inferred).

    >>> reshape([1, 2, 3, 4], [2, -1]).shape
    TensorShape([2, 2])
    """
    x = tensor(tensor_)
    if type(shape) in (list, tuple) and all(type(d) is int for d in shape):
        dims = list(shape)
    else:
        given = int_values(shape, "Reshape", "Tshape")
        if given.ndim > 1:
            raise op_error("Reshape", f"sizes input must be 1-D, not {shape_text(given.shape)}")
        dims = given.reshape(-1).tolist()
    return reshape_op(x, shape=_reshape_dims(x._value.shape, dims))


def _reshape_dims(in_shape: tuple, dims: list) -> tuple:
    n = math.prod(in_shape)
    unknown = -1
    for i, d in enumerate(dims):
        if d == -1:
            if unknown >= 0:
                raise op_error("Reshape", f"Only one input size may be -1, not both {unknown} and {i}")
            unknown = i
        elif d < 0:
            raise op_error("Reshape", f"Size {i} must be non-negative, not {d}")
    known = math.prod(d for d in dims if d != -1)
    if unknown >= 0:
        if known == 0:  # TF infers from the non-zero dimensions when the result is empty anyway
            nonzero = math.prod(d for d in in_shape if d)
            dims[unknown] = nonzero // max(math.prod(d for d in dims if d not in (0, -1)), 1)
        else:
            if n % known:
                raise op_error("Reshape", f"Input to reshape is a tensor with {n} values, but the requested shape "
                                          f"requires a multiple of {known}")
            dims[unknown] = n // known
        known = math.prod(dims)
    if known != n:
        raise op_error("Reshape", f"Input to reshape is a tensor with {n} values, but the requested shape has {known}")
    return tuple(dims)


# --- transpose -------------------------------------------------------------------------------------


@register("Transpose")
def transpose_op(xp: Any, x: Any, perm: tuple) -> Any:
    return xp.transpose(x, perm)


@transpose_op.gradient
def _(g: Tensor, ans: Tensor, x: Tensor, perm: tuple) -> Any:
    return transpose_op(g, perm=tuple(int(i) for i in np.argsort(perm)))


@register("ConjugateTranspose")
def conjugate_transpose_op(xp: Any, x: Any, perm: tuple) -> Any:
    return xp.conj(xp.transpose(x, perm))


@conjugate_transpose_op.gradient
def _(g: Tensor, ans: Tensor, x: Tensor, perm: tuple) -> Any:
    return conjugate_transpose_op(g, perm=tuple(int(i) for i in np.argsort(perm)))


def transpose(a: Any, perm: Any = None, conjugate: bool = False, name: str = "transpose") -> Tensor:
    """Permutes the dimensions (reverses them when ``perm`` is None); ``conjugate`` also conjugates complex values.

    >>> transpose([[1, 2, 3]]).shape
    TensorShape([3, 1])
    """
    x = tensor(a)
    nd = x._value.ndim
    if perm is None:
        p = tuple(range(nd))[::-1]
    else:
        values = int_values(perm, "Transpose", "Tperm").reshape(-1).tolist()
        if len(values) != nd:
            raise op_error("Transpose", f"transpose expects a vector of size {nd}. But input(1) is a vector of size "
                                        f"{len(values)}")
        seen = [False] * nd
        for d in values:
            if not -nd <= d < nd:  # TF accepts negative entries
                raise op_error("Transpose", f"{d} is out of range [0 .. {nd})")
            seen[d % nd] = True
        for i, s in enumerate(seen):
            if not s:
                raise op_error("Transpose", f"{i} is missing from {{{','.join(str(v) for v in values)}}}.")
        p = tuple(d % nd for d in values)
    if conjugate and x._dtype.is_complex:
        return conjugate_transpose_op(x, perm=p)
    return transpose_op(x, perm=p)


# --- identity, stop_gradient, ensure_shape ---------------------------------------------------------


@register("Identity")
def identity_op(xp: Any, x: Any) -> Any:
    return x


@identity_op.gradient
def _(g: Tensor, ans: Tensor, x: Tensor) -> Any:
    return g


@register("IdentityN", n_outputs=0)
def identity_n_op(xp: Any, *xs: Any) -> Any:
    return xs


@identity_n_op.gradient
def _(gs: tuple, ans: tuple, *xs: Tensor) -> Any:
    return gs


@register("StopGradient", differentiable=False)
def stop_gradient_op(xp: Any, x: Any) -> Any:
    return x


# TF's ``tf.stop_gradient`` (and its own uses, e.g. logsumexp's shift) run the op under ``stop_recording``: its
# output is on no tape, so a gradient for it is None even on a tape that watched its input
stop_gradient_op.recorded = False


@register("EnsureShape")
def ensure_shape_op(xp: Any, x: Any) -> Any:
    return x


@ensure_shape_op.gradient
def _(g: Tensor, ans: Tensor, x: Tensor) -> Any:
    return g


@_dispatch.add_dispatch_support
def identity(input: Any, name: str | None = None) -> Tensor:
    """Returns a tensor with the same value (reads a variable).

    >>> identity([1, 2]).numpy()
    array([1, 2], dtype=int32)
    """
    return identity_op(tensor(input))


def identity_n(input: Any, name: str | None = None) -> list[Tensor]:
    """Returns a list of tensors with the same values as the inputs (which may differ in dtype and shape).

    >>> [t.dtype for t in identity_n([1, 2.0])]
    [tf.int32, tf.float32]
    """
    return list(identity_n_op(*[tensor(x) for x in input]))


def stop_gradient(input: Any, name: str | None = None) -> Tensor:
    """The same value, with no gradient flowing through it.

    >>> stop_gradient([1.0]).numpy()
    array([1.], dtype=float32)
    """
    return stop_gradient_op(tensor(input))


def ensure_shape(x: Any, shape: Any, name: str | None = None) -> Tensor:
    """``x`` unchanged if its shape is compatible with ``shape`` (None entries match anything), else an error.

    >>> ensure_shape([1, 2], [None]).shape
    TensorShape([2])
    """
    t = tensor(x)
    expected = shape if isinstance(shape, TensorShape) else TensorShape(shape)
    if not expected.is_compatible_with(TensorShape._from_tuple(t._value.shape)):
        dims = "?" if expected.rank is None else "[" + ",".join("?" if d is None else str(d)
                                                                for d in expected.as_list()) + "]"
        raise op_error("EnsureShape", f"Shape of tensor input {shape_text(t._value.shape)} is not compatible with "
                                      f"expected shape {dims}.")
    return ensure_shape_op(t)


# --- shape, size, rank -----------------------------------------------------------------------------


# The shape is host metadata: written into a device array by fills (kernels), not uploaded (a copy).
@register("Shape", differentiable=False)
def shape_op(xp: Any, x: Any, out_type: Any = np.int32) -> Any:
    if xp is np:
        return np.array(x.shape, dtype=out_type)
    out = xp.empty((x.ndim,), dtype=out_type)
    for i, d in enumerate(x.shape):
        out[i] = d
    return out


@register("Size", differentiable=False)
def size_op(xp: Any, x: Any, out_type: Any = np.int32) -> Any:
    return xp.full((), x.size, dtype=out_type)


@register("Rank", differentiable=False)
def rank_op(xp: Any, x: Any) -> Any:
    return xp.full((), x.ndim, dtype=np.int32)


@_dispatch.add_dispatch_support
def shape(input: Any, out_type: Any = None, name: str | None = None) -> Tensor:
    """The shape of a tensor as a 1-D int32 (or ``out_type``: int64) tensor.

    >>> shape([[1, 2, 3]]).numpy()
    array([1, 3], dtype=int32)
    """
    dt = _dtypes.int32 if out_type is None else _dtypes.as_dtype(out_type)
    if dt not in INDEX_TYPES:
        raise InvalidArgumentError(None, None, f"Value for attr 'out_type' of {type_string(dt)} is not in the list of "
                                               "allowed values: int32, int64\n\t; NodeDef: {{node Shape}}; "
                                               "Op<name=Shape> [Op:Shape]")
    return shape_op(tensor(input), out_type=dt._np)


@_dispatch.add_dispatch_support
def size(input: Any, out_type: Any = None, name: str | None = None) -> Tensor:
    """The number of elements of a tensor, as an int32 (or ``out_type``) scalar.

    >>> size([[1, 2, 3]]).numpy()
    np.int32(3)
    """
    dt = _dtypes.int32 if out_type is None else _dtypes.as_dtype(out_type)
    return size_op(tensor(input), out_type=dt._np)


@_dispatch.add_dispatch_support
def rank(input: Any, name: str | None = None) -> Tensor:
    """The number of dimensions of a tensor, as an int32 scalar.

    >>> rank([[1, 2, 3]]).numpy()
    np.int32(2)
    """
    return rank_op(tensor(input))


# --- squeeze, expand_dims --------------------------------------------------------------------------


@register("Squeeze")
def squeeze_op(xp: Any, x: Any, axis: tuple) -> Any:
    return xp.squeeze(x, axis=axis)


@squeeze_op.gradient
def _(g: Tensor, ans: Tensor, x: Tensor, axis: tuple) -> Any:
    return reshape_op(g, shape=x._value.shape)


@register("ExpandDims")
def expand_dims_op(xp: Any, x: Any, axis: int) -> Any:
    return xp.expand_dims(x, axis)


@expand_dims_op.gradient
def _(g: Tensor, ans: Tensor, x: Tensor, axis: int) -> Any:
    return reshape_op(g, shape=x._value.shape)


@_dispatch.add_dispatch_support
def squeeze(input: Any, axis: Any = None, name: str | None = None) -> Tensor:
    """Removes dimensions of size 1 (all of them, or those in ``axis``).

    >>> squeeze([[1], [2]]).shape
    TensorShape([2])
    """
    x = tensor(input)
    shp = x._value.shape
    nd = len(shp)
    if axis is None:
        axes = tuple(i for i, d in enumerate(shp) if d == 1)
    else:
        if isinstance(axis, Tensor) or hasattr(axis, "__tf_tensor__"):  # TF's squeeze_dims is a list attr
            raise TypeError(f"Expected list for 'axis' argument to 'squeeze' Op, not {axis!r}.")
        given = [axis] if isinstance(axis, int) else int_values(axis, "Squeeze", "squeeze_dims").reshape(-1).tolist()
        if not given:  # an empty list squeezes every size-1 dimension, as None does
            return squeeze(x)
        axes_set = set()
        for a in given:
            if not -nd <= a < nd:
                raise op_error("Squeeze", f"Tried to squeeze dim index {a} for tensor with {nd} dimensions.", name="")
            a %= nd
            if shp[a] != 1:
                raise op_error("Squeeze", f"Can not squeeze dim[{a}], expected a dimension of 1, got {shp[a]}",
                               name="")
            axes_set.add(a)
        axes = tuple(sorted(axes_set))
    return squeeze_op(x, axis=axes)


@_dispatch.add_dispatch_support
def expand_dims(input: Any, axis: Any, name: str | None = None) -> Tensor:
    """Inserts a dimension of size 1 at ``axis`` (in [-rank-1, rank]).

    >>> expand_dims([1, 2], 0).shape
    TensorShape([1, 2])
    """
    x = tensor(input)
    if isinstance(axis, int):
        a = axis
    else:
        if isinstance(axis, float):
            raise TypeError(f"Cannot convert {axis!r} to EagerTensor of dtype int32")
        values = int_values(axis, "ExpandDims", "Tdim")
        if values.size != 1:
            raise op_error("ExpandDims", "'dim' must be a tensor with a single value")
        a = int(values.reshape(-1)[0])
    nd = x._value.ndim
    if not -nd - 1 <= a <= nd:
        raise op_error("ExpandDims", f"Tried to expand dim index {a} for tensor with {nd} dimensions.", name="")
    return expand_dims_op(x, axis=a % (nd + 1))


# --- broadcasting ----------------------------------------------------------------------------------


@register("BroadcastTo")
def broadcast_to_op(xp: Any, x: Any, shape: tuple) -> Any:
    if len(shape) > 0 and _num_elements(shape) > 4096:
        return xp.broadcast_to(x, shape)  # a read-only view: no copy of a large result
    out = xp.empty(shape, x.dtype)  # small results: filling is cheaper than building a view
    out[...] = x
    return out


def _num_elements(shape: tuple) -> int:
    n = 1
    for d in shape:
        n *= d
    return n


@broadcast_to_op.gradient
def _(g: Tensor, ans: Tensor, x: Tensor, shape: tuple) -> Any:
    return g  # the tape sums broadcast gradients back to the input's shape


def broadcast_to(input: Any, shape: Any, name: str | None = None) -> Tensor:
    """Broadcasts a tensor to a shape (NumPy rules; the result is a view of the input).

    >>> broadcast_to([1, 2], [2, 2]).numpy()
    array([[1, 2],
           [1, 2]], dtype=int32)
    """
    x = tensor(input)
    dims = tuple(int_values(shape, "BroadcastTo", "Tidx").reshape(-1).tolist())
    for d in dims:
        if d < 0:
            raise op_error("BroadcastTo", f"Dimension {d} must be >= 0")
    xs = x._value.shape
    if len(xs) > len(dims) or any(a != b and a != 1 for a, b in zip(xs[::-1], dims[::-1])):
        raise op_error("BroadcastTo", f"Incompatible shapes: {shape_text(xs)} vs. {shape_text(dims)}")
    return broadcast_to_op(x, shape=dims)


# --- stack, unstack (the tape's jacobian uses them) ----------------------------------------------


def like(value: Any, dtype: Any) -> Tensor:
    """``value`` converted for an input that must have ``dtype`` (TF's eager rule): Tensors pass as they are,
    NumPy values are cast, Python values must convert exactly (else TF's TypeError)."""
    if type(value) is Tensor or hasattr(value, "__tf_tensor__"):
        return tensor(value)
    if isinstance(value, (np.ndarray, np.generic)):
        return tensor(to_array(value, dtype))
    return convert_to_tensor(value, dtype=dtype)


def matching_tensors(values: Any, op_name: str) -> list[Tensor]:
    """A list input converted the way TF's eager runtime does: the first Tensor's dtype (or else the first
    value's inferred dtype) is asked of the others."""
    values = list(values)
    dtype = next((v._dtype for v in values if type(v) is Tensor), None)
    if dtype is None:
        dtype = next((v.dtype for v in values if hasattr(v, "__tf_tensor__")), None)
    out = []
    for v in values:
        out.append(tensor(v) if dtype is None else like(v, dtype))
        dtype = out[-1]._dtype if dtype is None else dtype
    if out:
        OPS[op_name].check(*out)  # TF's dtype errors, before the wrapper's checks of shapes
    return out


@register("Pack")
def stack_op(xp: Any, *xs: Any, axis: int) -> Any:
    return xp.stack(xs, axis=axis)


@stack_op.gradient
def _(g: Tensor, ans: Tensor, *xs: Tensor, axis: int) -> Any:
    return unstack_op(g, axis=axis)


@_dispatch.add_dispatch_support
def stack(values: Any, axis: int = 0, name: str = "stack") -> Tensor:
    """Stacks tensors of one shape along a new axis.

    >>> stack([[1, 2], [3, 4]], axis=1).numpy()
    array([[1, 3],
           [2, 4]], dtype=int32)
    """
    axis = int(axis)
    if axis == 0 and not any(isinstance(v, Tensor) or hasattr(v, "__tf_tensor__") for v in values):
        try:  # TF first tries the whole list as one constant
            return convert_to_tensor(values)
        except (TypeError, ValueError):
            pass
    xs = matching_tensors(values, "Pack")
    if not xs:
        raise ValueError("List argument 'values' to 'Pack' Op with length 0 shorter than minimum length 1.")
    first = xs[0]._value.shape
    nd = len(first) + 1
    if not -nd <= axis < nd:
        raise ValueError(f"Argument `axis` = {axis} not in range [{-nd}, {nd})")
    for i, x in enumerate(xs[1:], 1):
        if x._value.shape != first:
            raise op_error("Pack", f"Shapes of all inputs must match: values[0].shape = {shape_text(first)} != "
                                   f"values[{i}].shape = {shape_text(x._value.shape)}", name=name, node=f"_N_{len(xs)}")
    return stack_op(*xs, axis=axis % nd)


@register("Unpack", n_outputs=0)
def unstack_op(xp: Any, x: Any, axis: int) -> Any:
    return tuple(xp.moveaxis(x, axis, 0)) if axis else tuple(x)


@unstack_op.gradient
def _(gs: tuple, ans: tuple, x: Tensor, axis: int) -> Any:
    from ..math.elementwise import zeros_like_op

    return stack_op(*[g if g is not None else zeros_like_op(a) for g, a in zip(gs, ans)], axis=axis)


@_dispatch.add_dispatch_support
def unstack(value: Any, num: int | None = None, axis: int = 0, name: str = "unstack") -> list[Tensor]:
    """Splits a tensor into a list along an axis.

    >>> [t.numpy().tolist() for t in unstack([[1, 2], [3, 4]], axis=1)]
    [[1, 3], [2, 4]]
    """
    x = tensor(value)
    nd = x._value.ndim
    if not -nd <= axis < nd:
        raise ValueError(f"Argument `axis` = {axis} not in range [{-nd}, {nd})")
    axis %= nd
    if num is not None and num != x._value.shape[axis]:
        raise op_error("Unpack", f"Input shape axis {axis} must equal {num}, got shape {shape_text(x._value.shape)}",
                       name=name, node=f"_num_{num}")
    return list(unstack_op(x, axis=axis))


# --- concat and split (the ops; the public functions are in ``join``) ---------------------------


@register("ConcatV2", inputs=("T*",))
def concat_op(xp: Any, *xs: Any, axis: int) -> Any:
    return xp.concatenate(xs, axis=axis)


@concat_op.gradient
def _(g: Tensor, ans: Tensor, *xs: Tensor, axis: int) -> Any:
    return split_v_op(g, sizes=tuple(x._value.shape[axis] for x in xs), axis=axis)


def _split(xp: Any, x: Any, sizes: tuple, axis: int) -> Any:
    bounds = np.cumsum(sizes)[:-1].tolist()
    return tuple(xp.split(x, bounds, axis=axis))


def _split_grad(gs: tuple, ans: tuple, x: Tensor, sizes: tuple, axis: int) -> Any:
    from ..math.elementwise import zeros_like_op

    parts = [g if g is not None else zeros_like_op(a) for g, a in zip(gs, ans)]
    return concat_op(*parts, axis=axis) if len(parts) > 1 else identity_op(parts[0])


# TF runs tf.split(x, 3) as Split and tf.split(x, [1, 2]) as SplitV: one rule, two names.
split_op = register("Split", n_outputs=0, inputs=("T",))(_split)
split_v_op = register("SplitV", n_outputs=0)(_split)
split_op.gradient(_split_grad)
split_v_op.gradient(_split_grad)


# --- fill: the op the tape seeds gradients with (tf.fill and friends are in ``create``) ---------


@register("Fill", inputs=("T",))
def fill_op(xp: Any, *value: Any, shape: tuple, dtype: Any = None, **const: Any) -> Any:
    # tf.fill passes its value as an input (it has a gradient); the tape's seeds pass a constant ``value=``
    if value:
        return xp.full(shape, value[0], dtype=value[0].dtype)
    return xp.full(shape, const["value"], dtype=dtype)


@fill_op.gradient
def _(g: Tensor, ans: Tensor, *value: Tensor, shape: tuple, dtype: Any = None, **const: Any) -> Any:
    from ..registry import OPS  # Sum, by name: reduce imports this module

    return (OPS["Sum"](g, axis=None, keepdims=False),) if value else ()
