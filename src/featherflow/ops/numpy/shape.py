"""tnp's shape manipulation, joining, splitting and selection (TF's np_array_ops)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ...shape import TensorShape
from ...tensor import Tensor
from ..array import core as array_ops
from ..array import gather as gather_ops
from ..array import join
from ..array.create import cast, fill
from ..math import api as m
from ._dtypes import asarray, promote
from ._dtypes import tf_dtypes as _dtypes


def _rank(t: Tensor) -> int:
    return t._value.ndim


def _dims(t: Tensor) -> list[int]:
    return list(t._value.shape)


def reshape(a: Any, newshape: Any, order: str = "C") -> Tensor:
    """``a`` with a new shape (``order='F'``: column-major)."""
    if order not in {"C", "F"}:
        raise ValueError(f"Unsupported order argument {order}")
    t = asarray(a)
    if isinstance(newshape, int):
        newshape = [newshape]
    if order == "F":
        shape = list(newshape)[::-1] if not isinstance(newshape, Tensor) else join.reverse(newshape, [0])
        return array_ops.transpose(array_ops.reshape(array_ops.transpose(t), shape))
    return array_ops.reshape(t, newshape)


def reshape_method(a: Any, *newshape: Any, **kwargs: Any) -> Tensor:
    """``ndarray.reshape(*shape, order=...)``."""
    order = kwargs.pop("order", "C")
    if kwargs:
        raise ValueError(f"Unsupported arguments: {kwargs.keys()}")
    if len(newshape) == 1 and not isinstance(newshape[0], int):
        newshape = newshape[0]
    return reshape(a, newshape, order=order)


def ravel(a: Any) -> Tensor:
    """``a`` flattened."""
    return array_ops.reshape(asarray(a), [-1])


def flatten(a: Any, order: str = "C") -> Tensor:
    """``a`` flattened, row-major (or column-major for ``'F'``)."""
    t = asarray(a)
    if order in ("C", "A", "K"):
        return array_ops.reshape(t, [-1])
    if order == "F":
        return array_ops.reshape(array_ops.transpose(t), [-1])
    raise ValueError("order can only be C, A, K (all row major) or F (column major).")


def transpose(a: Any, axes: Any = None) -> Tensor:
    """``a`` with its axes permuted (reversed by default)."""
    t = asarray(a)
    if axes is not None and not isinstance(axes, Tensor):
        axes = [int(x) for x in np.asarray(axes).reshape(-1)]  # host values: the permutation is not data
    return array_ops.transpose(t, perm=axes)


def swapaxes(a: Any, axis1: int, axis2: int) -> Tensor:
    """``a`` with two axes exchanged."""
    t = asarray(a)
    rank = _rank(t)
    axis1, axis2 = (axis1 + rank if axis1 < 0 else axis1), (axis2 + rank if axis2 < 0 else axis2)
    perm = list(range(rank))
    perm[axis1] = axis2
    perm[axis2] = axis1
    return array_ops.transpose(t, perm)


def moveaxis(a: Any, source: Any, destination: Any) -> Tensor:
    """``a`` with the axes ``source`` moved to ``destination``."""
    if not source and not destination:
        return a
    t = asarray(a)
    source = (source,) if isinstance(source, int) else tuple(source)
    destination = (destination,) if isinstance(destination, int) else tuple(destination)
    if len(source) != len(destination):
        raise ValueError("The lengths of source and destination must equal")
    rank = _rank(t)
    source = tuple(s + rank if s < 0 else s for s in source)
    destination = tuple(d + rank if d < 0 else d for d in destination)
    perm = [i for i in range(rank) if i not in source]
    for dest, src in sorted(zip(destination, source)):
        perm.insert(dest, src)
    return array_ops.transpose(t, perm)


def expand_dims(a: Any, axis: int) -> Tensor:
    """``a`` with a new axis of size 1 at ``axis``."""
    return array_ops.expand_dims(asarray(a), axis=axis)


def squeeze(a: Any, axis: Any = None) -> Tensor:
    """``a`` without its size-1 axes (or only those in ``axis``)."""
    return array_ops.squeeze(asarray(a), axis)


def concatenate(arys: Any, axis: int = 0) -> Tensor:
    """The arrays joined along ``axis``, promoted to one dtype."""
    if not isinstance(arys, (list, tuple)):
        arys = [arys]
    if not arys:
        raise ValueError(f"Need at least one array to concatenate. Received empty input: arys={arys}")
    return join.concat(promote(*arys), axis)


def stack(arrays: Any, axis: int = 0) -> Tensor:
    """The arrays stacked along a new axis."""
    if isinstance(arrays, Tensor):
        return arrays if axis == 0 else swapaxes(arrays, 0, axis)
    return array_ops.stack(promote(*arrays), axis)


def hstack(tup: Any) -> Tensor:
    """The arrays joined column-wise (along axis 0 for 1-d ones)."""
    arrays = promote(*[atleast_1d(a) for a in tup])
    return join.concat(arrays, 0 if _rank(arrays[0]) == 1 else 1)


def vstack(tup: Any) -> Tensor:
    """The arrays joined row-wise, as at least 2-d."""
    return join.concat(promote(*[atleast_2d(a) for a in tup]), 0)


def dstack(tup: Any) -> Tensor:
    """The arrays joined along the third axis, as at least 3-d."""
    return join.concat(promote(*[atleast_3d(a) for a in tup]), 2)


def _atleast(n: int, arys: tuple, new_shape: Any) -> Any:
    out = []
    for x in arys:
        t = asarray(x)
        out.append(array_ops.reshape(t, new_shape(_dims(t))) if n > _rank(t) else t)
    return out[0] if len(out) == 1 else out


def atleast_1d(*arys: Any) -> Any:
    """Each input as at least 1-d."""
    return _atleast(1, arys, lambda s: [1] * (1 - len(s)) + s)


def atleast_2d(*arys: Any) -> Any:
    """Each input as at least 2-d (1s padded on the left)."""
    return _atleast(2, arys, lambda s: [1] * (2 - len(s)) + s)


def atleast_3d(*arys: Any) -> Any:
    """Each input as at least 3-d: a vector becomes [1, n, 1], a matrix [m, n, 1]."""
    return _atleast(3, arys, lambda s: [1, 1, 1] if not s else ([1] + s + [1] if len(s) == 1 else s + [1]))


def _boundaries_to_sizes(t: Tensor, boundaries: Any, axis: int) -> list[int]:
    if axis >= _rank(t):
        raise ValueError(f"axis {axis} is out of bound for shape {TensorShape(_dims(t))}")
    total = _dims(t)[axis]
    sizes, total_so_far, prev = [], 0, 0
    for i, b in enumerate(boundaries):
        size = b - prev
        if size < 0:
            raise ValueError(f"The {i}-th boundary {b} is smaller than the previous boundary {prev}")
        size = builtins_min(size, builtins_max(0, total - total_so_far))
        sizes.append(size)
        total_so_far += size
        prev = b
    sizes.append(builtins_max(0, total - total_so_far))
    return sizes


builtins_min, builtins_max = min, max


def split(ary: Any, indices_or_sections: Any, axis: int = 0) -> list[Tensor]:
    """``ary`` split into equal sections, or at the given indices."""
    t = asarray(ary)
    if not isinstance(indices_or_sections, int):
        indices_or_sections = _boundaries_to_sizes(t, indices_or_sections, axis)
    return join.split(t, indices_or_sections, axis=axis)


def _split_on(name: str, axis: int) -> Any:
    def f(ary: Any, indices_or_sections: Any) -> list[Tensor]:
        t = asarray(ary)
        new_axis = 0 if axis == 1 and _rank(t) == 1 else axis
        if isinstance(indices_or_sections, int):
            size = _dims(t)[new_axis]
            if size % indices_or_sections:
                raise ValueError("array split does not result in an equal division")
        return split(t, indices_or_sections, axis=new_axis)

    f.__name__ = f.__qualname__ = name
    f.__doc__ = f"NumPy's ``{name}``: ``split`` along axis {axis}."
    return f


vsplit = _split_on("vsplit", 0)
hsplit = _split_on("hsplit", 1)
dsplit = _split_on("dsplit", 2)


def broadcast_to(array: Any, shape: Any) -> Tensor:
    """``array`` broadcast to ``shape``."""
    dims = shape if isinstance(shape, Tensor) else ([shape] if isinstance(shape, int) else list(shape))
    return array_ops.broadcast_to(asarray(array), dims)


def broadcast_arrays(*args: Any, **kwargs: Any) -> list[Tensor]:
    """The inputs broadcast against each other."""
    if kwargs.pop("subok", False):
        raise ValueError("subok=True is not supported.")
    if kwargs:
        raise ValueError(f"Received unsupported arguments {kwargs.keys()}")
    ts = [asarray(a) for a in args]
    if len(ts) <= 1:
        return ts
    shape = list(np.broadcast_shapes(*[t._value.shape for t in ts]))
    return [array_ops.broadcast_to(t, shape) for t in ts]


def tile(a: Any, reps: Any) -> Tensor:
    """``a`` repeated ``reps`` times along each axis."""
    t = asarray(a)
    reps_list = [int(v) for v in np.reshape(np.asarray(reps.numpy() if isinstance(reps, Tensor) else reps), [-1])]
    rank = _rank(t)
    reps_list = [1] * builtins_max(rank - len(reps_list), 0) + reps_list
    shape = [1] * builtins_max(len(reps_list) - rank, 0) + _dims(t)
    return join.tile(array_ops.reshape(t, shape), reps_list)


def repeat(a: Any, repeats: Any, axis: int | None = None) -> Tensor:
    """Each element repeated ``repeats`` times."""
    counts = repeats if isinstance(repeats, Tensor) else np.asarray(repeats)  # host values stay on the host
    return join.repeat(asarray(a), counts, axis)


def roll(a: Any, shift: Any, axis: Any = None) -> Tensor:
    """Elements shifted cyclically along ``axis`` (of the flattened array when None)."""
    t = asarray(a)
    if axis is not None:
        return join.roll(t, shift, axis)
    return array_ops.reshape(join.roll(array_ops.reshape(t, [-1]), shift, 0), _dims(t))


def flip(m_: Any, axis: Any = None) -> Tensor:
    """``m`` reversed along ``axis`` (all axes when None)."""
    t = asarray(m_)
    rank = _rank(t)
    if axis is None:
        return join.reverse(t, list(range(rank)))
    if not -rank <= axis < rank:
        raise ValueError(f"axis {axis} is out of bound for array of dimension {rank}")
    return join.reverse(t, [axis % rank if rank else axis])


def flipud(m_: Any) -> Tensor:
    """``m`` reversed along axis 0."""
    return flip(m_, 0)


def fliplr(m_: Any) -> Tensor:
    """``m`` reversed along axis 1."""
    return flip(m_, 1)


def rot90(m_: Any, k: int = 1, axes: Any = (0, 1)) -> Tensor:
    """``m`` rotated by 90 degrees ``k`` times in the plane of ``axes``."""
    t = asarray(m_)
    rank = _rank(t)
    ax1, ax2 = (a + rank if a < 0 else a for a in axes)
    k = k % 4
    if k == 0:
        return t
    if k == 2:
        return flip(flip(t, ax1), ax2)
    perm = list(range(rank))
    perm[ax1], perm[ax2] = ax2, ax1
    if k == 1:
        return transpose(flip(t, ax2), perm)
    return flip(transpose(t, perm), ax2)


def pad(array: Any, pad_width: Any, mode: str, **kwargs: Any) -> Tensor:
    """``array`` padded (modes 'constant', 'reflect', 'symmetric')."""
    constant_values = kwargs.get("constant_values", 0)
    if mode not in ("constant", "reflect", "symmetric"):
        raise ValueError("Unsupported padding mode: " + mode)
    t = asarray(array)
    widths = pad_width if isinstance(pad_width, Tensor) else np.asarray(pad_width, np.int32)
    return join.pad(t, widths, mode=mode.upper(), constant_values=constant_values)


def take(a: Any, indices: Any, axis: int | None = None, out: Any = None, mode: str = "clip") -> Tensor:
    """Elements of ``a`` at ``indices`` along ``axis`` (out-of-range indices clipped or wrapped)."""
    if out is not None:
        raise ValueError("out argument is not supported in take.")
    if mode not in {"raise", "clip", "wrap"}:
        raise ValueError(f"Invalid mode '{mode}' for take")
    t = asarray(a)
    idx = asarray(indices)
    if axis is None:
        t, axis = array_ops.reshape(t, [-1]), 0
    size = cast(_dims(t)[axis], idx._dtype)
    if mode == "clip":
        from ..math.clip import clip_by_value

        idx = clip_by_value(idx, cast(0, idx._dtype), size - cast(1, idx._dtype))
    elif mode == "wrap":
        idx = m.floormod(idx, size)
    else:
        raise ValueError("The 'raise' mode to take is not supported.")
    return gather_ops.gather(t, idx, axis=axis)


def take_along_axis(arr: Any, indices: Any, axis: int | None) -> Tensor:
    """Values of ``arr`` at ``indices`` along ``axis`` (shapes broadcast elsewhere)."""
    t = asarray(arr)
    idx = asarray(indices)
    if axis is None:
        return take_along_axis(ravel(t), idx, 0)
    rank = _rank(t)
    axis = axis + rank if axis < 0 else axis
    a_shape, i_shape = _dims(t), _dims(idx)
    a1, i1 = list(a_shape), list(i_shape)
    a1[axis] = i1[axis] = 1
    common = list(np.broadcast_shapes(tuple(a1), tuple(i1)))
    t = array_ops.broadcast_to(t, common[:axis] + [a_shape[axis]] + common[axis + 1:])
    idx = array_ops.broadcast_to(idx, common[:axis] + [i_shape[axis]] + common[axis + 1:])
    idx = m.where(m.less(idx, cast(0, idx._dtype)), idx + cast(a_shape[axis], idx._dtype), idx)
    last = axis == rank - 1
    if not last:
        t, idx = swapaxes(t, axis, -1), swapaxes(idx, axis, -1)
    out_shape = _dims(idx)
    flat = array_ops.reshape(t, [-1, _dims(t)[-1]])
    flat_idx = array_ops.reshape(idx, [-1, out_shape[-1]])
    result = array_ops.reshape(gather_ops.gather(flat, flat_idx, batch_dims=1), out_shape)
    return result if last else swapaxes(result, axis, -1)


def where(condition: Any, x: Any = None, y: Any = None) -> Any:
    """``x`` where condition else ``y`` (promoted); alone, the indices of the true elements."""
    cond = asarray(condition, np.bool_)
    if x is None and y is None:
        return nonzero(cond)
    if x is not None and y is not None:
        a, b = promote(x, y)
        return m.where(cond, a, b)
    raise ValueError("Both x and y must be ndarrays, or both must be None.")


def select(condlist: Any, choicelist: Any, default: Any = 0) -> Tensor:
    """The element of the first choice whose condition holds, else ``default``."""
    if len(condlist) != len(choicelist):
        raise ValueError(f"condlist must have length equal to choicelist ({len(condlist)} vs {len(choicelist)})")
    if not condlist:
        raise ValueError("condlist must be non-empty")
    choices = promote(default, *choicelist)
    output = choices[0]
    for cond, choice in zip(condlist[::-1], choices[1:][::-1]):
        output = where(cond, choice, output)
    return output


def compress(condition: Any, a: Any, axis: int | None = None) -> Tensor:
    """The slices of ``a`` along ``axis`` where ``condition`` is true."""
    cond = asarray(condition, np.bool_)
    t = asarray(a)
    if _rank(cond) != 1:
        raise ValueError("condition must be a 1-d array.")
    if _rank(t) == 0:
        t = ravel(t)
    if axis is None:
        t, axis = ravel(t), 0
    if axis < 0:
        axis += _rank(t)
    n = _dims(cond)[0]
    size = _dims(t)[axis]
    if n < size:
        cond = join.concat([cond, fill([size - n], False)], 0)
    return gather_ops.boolean_mask(t, cond, axis=axis)


def append(arr: Any, values: Any, axis: int | None = None) -> Tensor:
    """``values`` appended to ``arr`` (both flattened when axis is None)."""
    if axis is None:
        return concatenate([ravel(arr), ravel(values)], 0)
    return concatenate([arr, values], axis=axis)


def diff(a: Any, n: int = 1, axis: int = -1) -> Tensor:
    """The n-th discrete difference along ``axis`` (!= for bools)."""
    t = asarray(a)
    nd = _rank(t)
    if (axis + nd if axis < 0 else axis) >= nd:
        raise ValueError(f"Argument `axis` (received axis={axis}) is out of bounds for input {t} of rank {nd}.")
    if n < 0:
        raise ValueError(f"Argument `order` must be a non-negative integer. Received: axis={n}")
    s1, s2 = [slice(None)] * nd, [slice(None)] * nd
    s1[axis], s2[axis] = slice(1, None), slice(None, -1)
    op = m.not_equal if t._dtype is _dtypes.bool else m.subtract
    for _ in range(n):
        t = op(t[tuple(s1)], t[tuple(s2)])
    return t


def nonzero(a: Any) -> list[Tensor]:
    """The indices of the nonzero elements, one int64 array per axis."""
    t = atleast_1d(a)
    coords = m.where(cast(t, _dtypes.bool))
    return array_ops.unstack(coords, _rank(t), axis=1)


def diagonal(a: Any, offset: int = 0, axis1: int = 0, axis2: int = 1) -> Tensor:
    """The diagonal of the planes of ``axis1`` and ``axis2`` (moved last)."""
    from ..linalg.diag import diag_part

    t = asarray(a)
    rank = _rank(t)
    if not (offset == 0 and axis1 in (rank - 2, -2) and axis2 in (rank - 1, -1)):
        t = moveaxis(t, (axis1, axis2), (-2, -1))
    dims = _dims(t)
    if offset <= -dims[-2] or offset >= dims[-1]:
        from ..array.create import zeros

        return zeros(dims[:-2] + [0], t._dtype)
    return diag_part(t, k=offset)


def shape(a: Any) -> TensorShape:
    """The shape of ``a``."""
    return TensorShape(_dims(asarray(a)))


def ndim(a: Any) -> int:
    """The number of dimensions of ``a``."""
    return _rank(asarray(a))


def isscalar(num: Any) -> bool:
    """Whether ``num`` is 0-d."""
    return ndim(num) == 0


def size(x: Any, axis: Any = None) -> Any:
    """The number of elements of ``x``."""
    if axis is not None:
        raise NotImplementedError("axis argument is not supported in the current `np.size` implementation")
    if isinstance(x, (int, float, np.int32, np.int64, np.float32, np.float64)):
        return 1
    return np.prod(_dims(asarray(x)), dtype=int)
