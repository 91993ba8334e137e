"""Small top-level ops: ``tf.shape_n``, ``tf.unravel_index``, ``tf.guarantee_const``, ``tf.timestamp`` and
``tf.parallel_stack`` (which TF refuses in eager mode).

>>> import featherflow as tf
>>> tf.unravel_index([1, 5], [2, 3]).numpy()
array([[0, 1],
       [1, 2]], dtype=int32)
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from ... import dtypes as _dtypes
from ...backends import to_numpy
from ...tensor import Tensor
from ..convert import tensor
from ..registry import register
from .core import matching_tensors, op_error, shape_op


@register("UnravelIndex")  # TF registers no gradient for it
def unravel_index_op(xp: Any, indices: Any, dims: Any) -> Any:
    # row-major digits, as NumPy's unravel_index, computed with the device's arithmetic
    out = []
    rest = indices
    for d in dims[::-1] if xp is np else to_numpy(dims)[::-1]:
        out.append(rest % d)
        rest = rest // d
    return xp.stack(out[::-1]) if out else xp.zeros((0,) + indices.shape, indices.dtype)


@register("ShapeN", n_outputs=0, differentiable=False, inputs=("T*",))
def shape_n_op(xp: Any, *xs: Any, out_type: Any) -> tuple:
    return tuple(shape_op.forward(xp, x, out_type) for x in xs)


@register("GuaranteeConst")  # TF registers no gradient for it
def guarantee_const_op(xp: Any, x: Any) -> Any:
    return x


@register("Timestamp", differentiable=False, host_only=True)
def timestamp_op(xp: Any) -> Any:
    return xp.asarray(time.time(), dtype=np.float64)


def shape_n(input: Any, out_type: Any = None, name: str | None = None) -> list[Tensor]:  # noqa: A002 - TF's name
    """The shape of each tensor of ``input`` (a list, converted to one dtype as TF's ShapeN takes it).

    >>> [s.numpy().tolist() for s in shape_n([[1, 2], [[3]]])]
    [[2], [1, 1]]
    """
    dt = _dtypes.int32 if out_type is None else _dtypes.as_dtype(out_type)
    xs = matching_tensors(list(input), "ShapeN")
    shape_n_op.check_attr("out_type", dt)
    return list(shape_n_op(*xs, out_type=dt._np))


def unravel_index(indices: Any, dims: Any, name: str | None = None) -> Tensor:
    """The coordinates in an array of shape ``dims`` of each flat index of ``indices``.

    >>> unravel_index(4, [2, 3]).numpy()
    array([1, 1], dtype=int32)
    """
    i = tensor(indices)
    d = tensor(dims, i._dtype) if not isinstance(dims, Tensor) else dims
    unravel_index_op.check(i, d)
    if i._value.ndim > 1:
        dims_text = ",".join(map(str, i._value.shape))
        raise op_error("UnravelIndex", f'The indices can only be scalar or vector, got "[{dims_text}]"')
    if d._value.ndim != 1:
        dims_text = ",".join(map(str, d._value.shape))
        raise op_error("UnravelIndex", f'The indices can only be 1-D, got "[{dims_text}]"')
    sizes = np.asarray(d._numpy()).reshape(-1)
    zero = np.flatnonzero(sizes == 0)
    if zero.size:
        raise op_error("UnravelIndex", f"Input dims cannot contain a dim of zero, but dims contains zero at index "
                                       f"{int(zero[0])}")
    flat = np.asarray(i._numpy())
    if flat.size and ((flat < 0).any() or (flat >= np.prod(sizes)).any()):
        raise op_error("UnravelIndex", "index is out of bound as with dims")
    return unravel_index_op(i, d)


def guarantee_const(input: Any, name: str | None = None) -> Tensor:  # noqa: A002 - TF's name
    """``input``, promised to be constant (an identity in eager mode).

    >>> guarantee_const([1.0]).numpy()
    array([1.], dtype=float32)
    """
    return guarantee_const_op(tensor(input))


def timestamp(name: str | None = None) -> Tensor:
    """Seconds since the epoch, as a float64 scalar.

    >>> timestamp().dtype.name
    'float64'
    """
    return timestamp_op()


def saturate_cast(value: Any, dtype: Any, name: str | None = None) -> Tensor:
    """``value`` cast to ``dtype``, clamped first to the range ``dtype`` can hold.

    >>> saturate_cast([300.0, -5.0], "uint8").numpy()
    array([255,   0], dtype=uint8)
    """
    from ..image.color import saturate_cast as _saturate_cast

    return _saturate_cast(tensor(value), _dtypes.as_dtype(dtype))


def parallel_stack(values: Any, name: str = "parallel_stack") -> Tensor:
    """TF's ``parallel_stack``, which is graph-only: eager execution refuses it."""
    raise RuntimeError("tf.parallel_stack() is not compatible with eager execution.")
