"""Array ops that join, split, rearrange and broadcast: concat, split, tile, pad, reverse, roll, repeat,
broadcast_static_shape and broadcast_dynamic_shape. Each op's gradient stands next to its forward.

>>> import featherflow as tf
>>> tf.concat([[1, 2], [3]], 0).numpy()
array([1, 2, 3], dtype=int32)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ... import dtypes as _dtypes
from ...errors import InvalidArgumentError, UnimplementedError
from ...shape import TensorShape
from ...tensor import Tensor, convert_to_tensor
from .. import dispatch as _dispatch
from ..convert import shape_text, tensor
from ..registry import ANY, OPS, register
from .core import (
    concat_op,
    host_tensor,
    identity_op,
    int_values,
    matching_tensors,
    op_error,
    reshape_op,
    scalar_int,
    split_op,
    split_v_op,
)


@_dispatch.add_dispatch_support
def concat(values: Any, axis: Any, name: str = "concat") -> Tensor:
    """Joins tensors along an existing axis.

    >>> concat([[1, 2], [3]], 0).numpy()
    array([1, 2, 3], dtype=int32)
    """
    if not isinstance(values, (list, tuple)):
        values = [values]
    if len(values) == 1:
        return identity_op(tensor(values[0]))
    xs = matching_tensors(values, "ConcatV2")
    if not xs:
        raise ValueError("List argument 'values' to 'ConcatV2' Op with length 0 shorter than minimum length 1.")
    node = f"_N_{len(xs)}"
    a = scalar_int(axis, "ConcatV2")
    first = xs[0]._value.shape
    nd = len(first)
    if nd == 0:
        raise op_error("ConcatV2", "ConcatOp : Can't concatenate scalars (use tf.stack instead)", name=name, node=node)
    if not -nd <= a < nd:
        raise op_error("ConcatV2", f"ConcatOp : Expected concatenating dimensions in the range [{-nd}, {nd}), but got "
                                   f"{a}", name=name, node=node)
    a %= nd
    for i, x in enumerate(xs[1:], 1):
        s = x._value.shape
        if len(s) != nd:
            raise op_error("ConcatV2", f"ConcatOp : Ranks of all input tensors should match: shape[0] = "
                                       f"{shape_text(first)} vs. shape[{i}] = {shape_text(s)}", name=name, node=node)
        for d in range(nd):
            if d != a and s[d] != first[d]:
                raise op_error("ConcatV2", f"ConcatOp : Dimension {d} in both shapes must be equal: shape[0] = "
                                           f"{shape_text(first)} vs. shape[{i}] = {shape_text(s)}", name=name,
                               node=node)
    return concat_op(*xs, axis=a)


@_dispatch.add_dispatch_support
def split(value: Any, num_or_size_splits: Any, axis: Any = 0, num: int | None = None,
          name: str = "split") -> list[Tensor]:
    """Splits a tensor into ``num_or_size_splits`` equal parts, or into parts of the given sizes (one may be -1).

    >>> [t.numpy().tolist() for t in split([1, 2, 3, 4, 5], [2, -1])]
    [[1, 2], [3, 4, 5]]
    """
    x = tensor(value)
    shp = x._value.shape
    nd = len(shp)
    a = scalar_int(axis, "Split")
    count = None
    if isinstance(num_or_size_splits, (int, np.integer)) and not isinstance(num_or_size_splits, bool):
        count = int(num_or_size_splits)
    else:
        if isinstance(num_or_size_splits, (list, tuple)) and not num_or_size_splits:
            OPS["SplitV"].check_attr("Tlen", _dtypes.float32)  # an empty list converts to float32
        sizes_arr = int_values(num_or_size_splits, "SplitV", "Tlen")
        if sizes_arr.ndim == 0:
            raise ValueError("Rank-0 tensors are not supported as the num_or_size_splits argument to split. Argument "
                             f"provided: {tensor(num_or_size_splits)!s}")
    if count is not None:
        if count < 1:
            raise InvalidArgumentError(None, None, f"Value for attr 'num_split' of {count} must be at least minimum 1"
                                                   "\n\t; NodeDef: {{node Split}}; Op<name=Split> [Op:Split] name: "
                                                   f"{name}")
        node = f"_num_split_{count}"
        if not -nd <= a < nd:
            raise op_error("Split", f"-input rank(-{nd}) <= split_dim < input rank ({nd}), but got {a}", name=name,
                           node=node)
        a %= nd
        if shp[a] % count:
            raise op_error("Split", f"Number of ways to split should evenly divide the split dimension, but got "
                                    f"split_dim {a} (size = {shp[a]}) and num_split {count}", name=name, node=node)
        return list(split_op(x, sizes=(shp[a] // count,) * count, axis=a))
    sizes = sizes_arr.reshape(-1).tolist()
    node = f"_num_split_{len(sizes)}"
    if not -nd <= a < nd:
        raise op_error("SplitV", f"-input rank(-{nd}) <= split_dim < input rank ({nd}), but got {a}", name=name,
                       node=node)
    a %= nd
    if sizes.count(-1) > 1:
        raise op_error("SplitV", "There can only be one -1 in the input.", name=name, node=node)
    total = sum(s for s in sizes if s != -1)
    if (-1 not in sizes and total != shp[a]) or (-1 in sizes and total > shp[a]):
        raise op_error("SplitV", "Determined shape must either match input shape along split_dim exactly if fully "
                                 "specified, or be less than the size of the input along split_dim if not fully "
                                 f"specified.  Got: {total}", name=name, node=node)
    if -1 in sizes:
        sizes[sizes.index(-1)] = shp[a] - total
    for i, s in enumerate(sizes):
        if s < 0:
            raise op_error("SplitV", f"Split size at index {i} must be >= 0. Got: {s}", name=name, node=node)
    return list(split_v_op(x, sizes=tuple(sizes), axis=a))


# --- tile ------------------------------------------------------------------------------------------


@register("Tile")
def tile_op(xp: Any, x: Any, multiples: tuple) -> Any:
    return xp.tile(x, multiples) if multiples else x


@tile_op.gradient
def _(g: Tensor, ans: Tensor, x: Tensor, multiples: tuple) -> Any:
    from ..math.reduce import sum_op

    # the output's dim i is multiples[i] copies of x's dim i: view it as (m0, s0, m1, s1, ...) and sum the m's
    split_shape = tuple(d for pair in zip(multiples, x._value.shape) for d in pair)
    summed = sum_op(reshape_op(g, shape=split_shape), axis=tuple(range(0, 2 * len(multiples), 2)), keepdims=False)
    return summed


def _check_tile_type(x: Tensor, rank: int, out_size: int, copies: bool) -> None:
    # TF's CPU Tile kernel has no uint16 instance; empty outputs and all-ones multiples never reach it
    if x._dtype is _dtypes.uint16 and out_size and copies:
        raise op_error("Tile", f"TileOp : The input data type is not supported, DataType : uint16, Dimension : {rank}",
                       cls=UnimplementedError)


@_dispatch.add_dispatch_support
def tile(input: Any, multiples: Any, name: str | None = None) -> Tensor:
    """Repeats a tensor ``multiples[i]`` times along each dimension i.

    >>> tile([[1, 2]], [2, 1]).numpy()
    array([[1, 2],
           [1, 2]], dtype=int32)
    """
    x = tensor(input)
    m = int_values(multiples, "Tile", "Tmultiples")
    nd = x._value.ndim
    if m.ndim != 1:
        raise op_error("Tile", f"Expected multiples to be 1-D, but got shape {shape_text(m.shape)}")
    if m.size != nd:
        raise op_error("Tile", f"Expected multiples argument to be a vector of length {nd} but got length "
                               f"{m.shape[0] if m.ndim else 0}")
    for i, v in enumerate(m.tolist()):
        if v < 0:
            raise op_error("Tile", f"Expected multiples[{i}] >= 0, but got {v}")
    _check_tile_type(x, nd, x._value.size * int(np.prod(m)), any(v != 1 for v in m.tolist()))
    return tile_op(x, multiples=tuple(m.tolist()))




# --- pad -------------------------------------------------------------------------------------------


def _pad_grad(g: Tensor, ans: Tensor, x: Tensor, *constant: Tensor, paddings: tuple) -> Any:
    from .slicing import slice_op

    inner = slice_op(g, begin=tuple(p[0] for p in paddings), size=x._value.shape)
    return (inner, None) if constant else inner


@register("Pad")
def pad_op(xp: Any, x: Any, paddings: tuple) -> Any:
    return xp.pad(x, paddings) if x.dtype != object else np.pad(x, paddings, constant_values=b"")


@register("PadV2", inputs=("T", "T"))
def pad_v2_op(xp: Any, x: Any, constant: Any, paddings: tuple) -> Any:
    # filled from the 0-d constant where it is (``constant.item()`` would read it back from a GPU)
    out = xp.empty(tuple(b + d + a for (b, a), d in zip(paddings, x.shape)), dtype=x.dtype)
    out[...] = constant
    out[tuple(slice(b, b + d) for (b, _), d in zip(paddings, x.shape))] = x
    return out


pad_op.gradient(_pad_grad)
pad_v2_op.gradient(_pad_grad)


@register("MirrorPad")
def mirror_pad_op(xp: Any, x: Any, paddings: tuple, mode: str) -> Any:
    return xp.pad(x, paddings, mode=mode.lower())


@mirror_pad_op.gradient
def _(g: Tensor, ans: Tensor, x: Tensor, paddings: tuple, mode: str) -> Any:
    return mirror_pad_grad_op(g, paddings=paddings, mode=mode)


@register("MirrorPadGrad")
def mirror_pad_grad_op(xp: Any, g: Any, paddings: tuple, mode: str) -> Any:
    # fold each padded border back onto the elements it mirrors, one axis at a time
    shift = 1 if mode == "REFLECT" else 0
    out = g
    for axis, (before, after) in enumerate(paddings):
        n = out.shape[axis] - before - after
        moved = xp.moveaxis(out, axis, 0)
        core = moved[before:before + n].copy()
        if before:
            core[shift:shift + before] += moved[before - 1::-1][:before] if before else 0
        if after:
            core[n - shift - after:n - shift] += moved[before + n:][::-1]
        out = xp.moveaxis(core, 0, axis)
    return xp.ascontiguousarray(out)


@mirror_pad_grad_op.gradient
def _(gg: Tensor, ans: Tensor, g: Tensor, paddings: tuple, mode: str) -> Any:
    return mirror_pad_op(gg, paddings=paddings, mode=mode)


def pad(tensor_: Any, paddings: Any, mode: str = "CONSTANT", constant_values: Any = 0,
        name: str | None = None) -> Tensor:
    """Pads a tensor: ``paddings[i] = [before, after]`` for dimension i; CONSTANT fills with ``constant_values``,
    REFLECT mirrors without the edge, SYMMETRIC mirrors with it.

    >>> pad([1, 2, 3], [[1, 2]], "REFLECT").numpy()
    array([2, 1, 2, 3, 2, 1], dtype=int32)
    """
    x = tensor(tensor_)
    mode = mode.upper()
    if mode not in ("CONSTANT", "REFLECT", "SYMMETRIC"):
        raise ValueError('Value of argument `mode` expected to be one of "CONSTANT", "REFLECT", or "SYMMETRIC". '
                         f"Received `mode` = {mode}")
    op = "Pad" if mode == "CONSTANT" else "MirrorPad"
    constant = None
    if mode == "CONSTANT" and (isinstance(constant_values, Tensor) or hasattr(constant_values, "__tf_tensor__")
                               or np.ndim(constant_values) != 0 or constant_values != 0):
        op = "PadV2"  # the input and the value are converted together (the first tensor's dtype wins)
        x, constant = matching_tensors([tensor_, constant_values], op)
    p = int_values(paddings, op, "Tpaddings")
    shp = x._value.shape
    if p.ndim != 2 or p.shape[1] != 2:
        raise op_error(op, f"paddings must be a matrix with 2 columns: {shape_text(p.shape)}")
    if p.shape[0] != len(shp):
        raise op_error(op, f"The first dimension of paddings must be the rank of inputs{shape_text(p.shape)} "
                           f"{shape_text(shp)}")
    pairs = tuple((int(a), int(b)) for a, b in p.tolist())
    for (a, b), n in zip(pairs, shp):
        if a < 0 or b < 0:
            raise op_error(op, f"Paddings must be non-negative: {a} {b}")
        if mode == "REFLECT" and (a >= n or b >= n):
            raise op_error(op, f"paddings must be less than the dimension size: {a}, {b} not less than {n}")
        if mode == "SYMMETRIC" and (a > n or b > n):
            raise op_error(op, f"paddings must be no greater than the dimension size: {a}, {b} greater than {n}")
    if mode != "CONSTANT":
        return mirror_pad_op(x, paddings=pairs, mode=mode)
    if constant is not None:
        if constant._value.ndim:
            raise op_error(op, f"constant_values must be a scalar. Found: {shape_text(constant._value.shape)}")
        return pad_v2_op(x, constant, paddings=pairs)
    return pad_op(x, paddings=pairs)


# --- reverse, roll ---------------------------------------------------------------------------------


@register("ReverseV2")
def reverse_op(xp: Any, x: Any, axis: tuple) -> Any:
    return xp.flip(x, axis=axis) if axis else x


@reverse_op.gradient
def _(g: Tensor, ans: Tensor, x: Tensor, axis: tuple) -> Any:
    return reverse_op(g, axis=axis)


@_dispatch.add_dispatch_support
def reverse(tensor_: Any, axis: Any, name: str | None = None) -> Tensor:
    """Reverses the order of elements along each dimension in ``axis`` (a 1-D list).

    >>> reverse([[1, 2, 3]], [1]).numpy()
    array([[3, 2, 1]], dtype=int32)
    """
    x = tensor(tensor_)
    a = int_values(axis, "ReverseV2", "Tidx")
    if a.ndim != 1:
        raise op_error("ReverseV2", f"'dims' must be 1-dimension, not {a.ndim}", name="")
    nd = x._value.ndim
    seen: set = set()
    for i, d in enumerate(a.tolist()):
        if not -nd <= d < nd:
            raise op_error("ReverseV2", f"'axis'[{i}] = {d} is out of valid range [0, {nd - 1}")
        if d % nd in seen:
            raise op_error("ReverseV2", f"axis {d % nd} specified more than once.")
        seen.add(d % nd)
    return reverse_op(x, axis=tuple(sorted(seen)))


@register("Roll")
def roll_op(xp: Any, x: Any, shift: tuple, axis: tuple) -> Any:
    return xp.roll(x, shift, axis) if axis else x


@roll_op.gradient
def _(g: Tensor, ans: Tensor, x: Tensor, shift: tuple, axis: tuple) -> Any:
    return roll_op(g, shift=tuple(-s for s in shift), axis=axis)


def roll(input: Any, shift: Any, axis: Any, name: str | None = None) -> Tensor:
    """Shifts elements cyclically by ``shift`` along ``axis`` (scalars, or 1-D lists of the same length; shifts
    on a repeated axis add up).

    >>> roll([0, 1, 2, 3, 4], 2, 0).numpy()
    array([3, 4, 0, 1, 2], dtype=int32)
    """
    x = tensor(input)
    s = int_values(shift, "Roll", "Tshift")
    a = int_values(axis, "Roll", "Taxis")
    nd = x._value.ndim
    if nd == 0:
        raise op_error("Roll", "input must be 1-D or higher")
    if s.ndim > 1:
        raise op_error("Roll", f"shift must be a scalar or a 1-D vector. Found: {shape_text(s.shape)}")
    if a.ndim > 1:
        raise op_error("Roll", f"axis must be a scalar or a 1-D vector. Found: {shape_text(a.shape)}")
    if s.shape != a.shape:
        raise op_error("Roll", "shift and axis must have the same size")
    axes = a.reshape(-1).tolist()
    for d in axes:
        if not -nd <= d < nd:
            raise op_error("Roll", f"axis {d} is out of range", name="")
    return roll_op(x, shift=tuple(s.reshape(-1).tolist()), axis=tuple(d % nd for d in axes))


# --- repeat ----------------------------------------------------------------------------------------


@register("Repeat", dtypes=ANY)
def repeat_op(xp: Any, x: Any, repeats: tuple, axis: int) -> Any:
    return xp.repeat(x, repeats, axis=axis)


@repeat_op.gradient
def _(g: Tensor, ans: Tensor, x: Tensor, repeats: tuple, axis: int) -> Any:
    return repeat_grad_op(g, repeats=repeats, axis=axis)


@register("RepeatGrad", dtypes=ANY)
def repeat_grad_op(xp: Any, g: Any, repeats: tuple, axis: int) -> Any:
    # the sum of each run of repeated copies, added at the index of the element they copy
    moved = xp.moveaxis(g, axis, 0)
    out = xp.zeros((len(repeats),) + moved.shape[1:], dtype=g.dtype)
    owners = xp.repeat(xp.arange(len(repeats)), repeats)  # built on the device: no upload of the index
    xp.add.at(out, owners, moved)
    return xp.moveaxis(out, 0, axis)


@repeat_grad_op.gradient
def _(gg: Tensor, ans: Tensor, g: Tensor, repeats: tuple, axis: int) -> Any:
    return repeat_op(gg, repeats=repeats, axis=axis)


def repeat(input: Any, repeats: Any, axis: Any = None, name: str | None = None) -> Tensor:
    """Repeats each element ``repeats`` times (a scalar, or one count per element along ``axis``); with no axis
    the input is flattened first.

    >>> repeat([[1, 2]], [1, 2], axis=1).numpy()
    array([[1, 2, 2]], dtype=int32)
    """
    x = tensor(input)
    r = host_tensor(repeats)
    if not r._dtype.is_integer:
        raise TypeError(f"Argument `tensor` (name: repeats) must be of type integer. Received `tensor` = "
                        f"{r._numpy()} of dtype: <dtype: '{r._dtype.name}'>")
    if axis is None:
        x = reshape_op(x, shape=(-1,))
        a = 0
    else:
        a = scalar_int(axis, "Repeat")
    nd = x._value.ndim
    if not -nd <= a < nd:
        raise ValueError(f"axis={a} out of bounds: expected {-nd}<=axis<{nd}")
    a %= nd
    counts = np.asarray(r._numpy()).astype(np.int64)
    if counts.ndim > 1:
        raise ValueError(f"Shape {tuple(counts.shape)} must have rank at most 1")
    n = x._value.shape[a]
    if counts.ndim == 1 and counts.size not in (1, n):
        raise ValueError(f"Dimensions {n} and {counts.size} are not compatible")
    counts = np.maximum(np.broadcast_to(counts.reshape(-1), (n,)), 0)  # TF masks by count: negatives act as 0
    top = int(counts.max(initial=0))
    _check_tile_type(x, nd + 1, x._value.size * top, top != 1)  # TF repeats with a Tile
    return repeat_op(x, repeats=tuple(counts.tolist()), axis=a)


# --- broadcast shapes ------------------------------------------------------------------------------


@register("BroadcastArgs")
def broadcast_args_op(xp: Any, s0: Any, s1: Any) -> Any:
    # computed where the shapes are (the wrapper has checked that they broadcast): left-pad with ones, then
    # each dimension is the other's where one is 1
    n = max(s0.shape[0], s1.shape[0])
    a, b = (xp.concatenate([xp.ones((n - s.shape[0],), dtype=s.dtype), s]) for s in (s0, s1))
    return xp.where(a == 1, b, a)


def broadcast_static_shape(shape_x: TensorShape, shape_y: TensorShape) -> TensorShape:
    """The broadcast of two static shapes (unknown dimensions stay unknown).

    >>> broadcast_static_shape(TensorShape([2, 1]), TensorShape([3]))
    TensorShape([2, 3])
    """
    if shape_x.rank is None or shape_y.rank is None:
        return TensorShape(None)
    a, b = shape_x.as_list()[::-1], shape_y.as_list()[::-1]
    out = []
    for i in range(max(len(a), len(b))):
        da = a[i] if i < len(a) else 1
        db = b[i] if i < len(b) else 1
        if da == 1:
            out.append(db)
        elif db == 1:
            out.append(da)
        elif da is None or db is None:
            out.append(da if db is None else db)
        elif da == db:
            out.append(da)
        else:
            raise ValueError("Incompatible shapes for broadcasting. Two shapes are compatible if for each dimension "
                             "pair they are either equal or one of them is 1. Received: "
                             f"{_shape_str(shape_x)} and {_shape_str(shape_y)}.")
    return TensorShape(out[::-1])


def _shape_str(s: TensorShape) -> str:
    dims = s.as_list()
    return "(" + ", ".join("None" if d is None else str(d) for d in dims) + ("," if len(dims) == 1 else "") + ")"


def broadcast_dynamic_shape(shape_x: Any, shape_y: Any) -> Tensor:
    """The broadcast of two shapes given as 1-D int tensors.

    >>> broadcast_dynamic_shape([2, 1], [3]).numpy()
    array([2, 3], dtype=int32)
    """
    sx = tensor(shape_x)
    sy = tensor(shape_y) if isinstance(shape_y, Tensor) or sx._dtype is not _dtypes.int64 else \
        convert_to_tensor(shape_y, dtype_hint=_dtypes.int64)
    # (TF keeps these shapes in host memory; here they are device tensors, read once below for TF's check)

    broadcast_args_op.check(sx, sy)
    for i, t in enumerate((sx, sy)):
        if t._value.ndim != 1:
            raise op_error("BroadcastArgs", f"In[{i}] must be a vector.{shape_text(t._value.shape)}")
    a, b = np.asarray(sx._numpy()).tolist(), np.asarray(sy._numpy()).tolist()
    if any(x != y and x != 1 and y != 1 for x, y in zip(a[::-1], b[::-1])):
        raise op_error("BroadcastArgs", f"Incompatible shapes: {shape_text(a)} vs. {shape_text(b)}")
    return broadcast_args_op(sx, sy)
