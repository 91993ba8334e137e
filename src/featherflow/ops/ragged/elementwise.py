"""Elementwise ops on ragged tensors (TF's ragged elementwise dispatch): a unary op runs on the flat values;
a binary op runs on the flat values of two ragged tensors of one partition, or of a ragged tensor and a dense
value broadcast to it. The Python operators of ``RaggedTensor`` call these through the public ``tf.math`` API.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...errors import InvalidArgumentError
from ...tensor import Tensor
from .. import dispatch as _dispatch
from ..array import core as _core
from ..array import gather as _gather
from ..convert import hinted
from ..math import api as _api
from . import _partition as P
from .tensor import _IMPL, RaggedTensor


def _splits_error(a: np.ndarray, b: np.ndarray) -> InvalidArgumentError:
    """TF's assert_equal message for two partitions (it shows at most 3 items of each list)."""
    first = f"First {min(a.size, 3)} elements of x:\n{np.array2string(a[:3])}\nFirst {min(b.size, 3)} elements of y:\n" \
            f"{np.array2string(b[:3])}"
    if a.shape != b.shape:
        return InvalidArgumentError(None, None, "Condition x == y did not hold.\nFirst 1 elements of x:\n[False]\n"
                                    "First 1 elements of y:\n[ True]")
    where = np.flatnonzero(a != b)[:3]
    return InvalidArgumentError(None, None, f"Condition x == y did not hold.\nIndices of first {where.size} different "
                                f"values:\n{np.array2string(where.reshape(-1, 1))}\nCorresponding x values:\n"
                                f"{np.array2string(a[where])}\nCorresponding y values:\n{np.array2string(b[where])}\n"
                                f"{first}")


def check_same_partitions(x: RaggedTensor, y: RaggedTensor, prefix: str = "") -> None:
    """TF's check that two ragged operands have identical row splits (a host read unless they are shared)."""
    xs, ys = x.nested_row_splits, y.nested_row_splits
    if len(xs) != len(ys):
        raise ValueError(f"Ragged ranks differ: {len(xs)} != {len(ys)}")
    for a, b in zip(xs, ys):
        if a is b:
            continue
        ha, hb = np.asarray(a.numpy()), np.asarray(b.numpy())
        if ha.shape != hb.shape or np.any(ha != hb):
            error = _splits_error(ha, hb)
            raise type(error)(None, None, prefix + error.message) if prefix else error


def flat_rowids(rt: RaggedTensor) -> Tensor:
    """For each flat value, its row in dimension 0 (the row ids composed through every ragged dimension)."""
    ids = None
    level: Any = rt
    chain = []
    while isinstance(level, RaggedTensor):
        chain.append(level.value_rowids())
        level = level._values
    for step in reversed(chain):
        ids = step if ids is None else _gather.gather(step, ids)
    return ids


def broadcast_flat(rt: RaggedTensor, dense: Tensor) -> Tensor:
    """``dense`` broadcast to the flat values of ``rt`` (TF's ragged broadcasting, where the ragged dimensions of
    ``dense`` have size 1 and its first is 1 or the number of rows)."""
    inner_rank = rt.flat_values._value.ndim - 1
    rank = dense._value.ndim
    if rank <= inner_rank:
        return dense
    full = rt._ndim
    if rank > full:
        raise ValueError(f"Shape {dense.shape} must have rank at most {full}")
    shape = (1,) * (full - rank) + tuple(dense._value.shape)
    nrows = P.count(rt._row_splits) - 1
    if shape[0] not in (1, nrows):
        raise _splits_error(np.zeros(1, bool), np.ones(2, bool))
    if rt.ragged_rank == 1 and shape[1] != 1:
        # a uniform dimension against a ragged one: the rows must all have its length (TF compares the splits)
        width = shape[1]
        uniform = np.arange(nrows + 1, dtype=np.int64) * width
        host = np.asarray(rt._row_splits.numpy()).astype(np.int64)
        if uniform.shape != host.shape or np.any(uniform != host):
            raise _splits_error(uniform, host)
        full = _core.broadcast_to_op(dense, shape=(nrows,) + shape[1:])
        return _core.reshape_op(full, shape=(nrows * width,) + shape[2:])
    for axis in range(1, rt.ragged_rank + 1):
        if shape[axis] != 1:
            raise NotImplementedError("broadcasting a dense value of size > 1 along a ragged dimension of a "
                                      "tensor of ragged rank > 1 is not supported")
    rows = _core.reshape_op(dense, shape=(shape[0],) + shape[rt.ragged_rank + 1:])
    if shape[0] == 1:
        rows = _core.broadcast_to_op(rows, shape=(nrows,) + shape[rt.ragged_rank + 1:])
    return _gather.gather(rows, flat_rowids(rt))


@_dispatch.dispatch_for_unary_elementwise_apis(RaggedTensor)
def ragged_unary(api: Any, x: RaggedTensor, *args: Any, **kwargs: Any) -> RaggedTensor:
    """A unary elementwise API on the flat values (other arguments, such as ``substr``'s, passed through)."""
    return x.with_flat_values(api(x.flat_values, *args, **kwargs))


def _binary(api: Any, x: Any, y: Any, **kwargs: Any) -> RaggedTensor:
    if isinstance(x, RaggedTensor) and isinstance(y, RaggedTensor):
        if x.ragged_rank != y.ragged_rank:  # the shallower one broadcasts into the deeper one's partitions
            deep, shallow = (x, y) if x.ragged_rank > y.ragged_rank else (y, x)
            raise NotImplementedError(f"ragged operands of ragged ranks {deep.ragged_rank} and "
                                      f"{shallow.ragged_rank} are not supported")
        check_same_partitions(x, y)
        return x.with_flat_values(api(x.flat_values, y.flat_values, **kwargs))
    if isinstance(x, RaggedTensor):
        other = y if isinstance(y, Tensor) else hinted(y, x.dtype)
        return x.with_flat_values(api(x.flat_values, broadcast_flat(x, other), **kwargs))
    other = x if isinstance(x, Tensor) else hinted(x, y.dtype)
    return y.with_flat_values(api(broadcast_flat(y, other), y.flat_values, **kwargs))


_dispatch.dispatch_for_binary_elementwise_apis(RaggedTensor, object)(_binary)
_dispatch.dispatch_for_binary_elementwise_apis(object, RaggedTensor)(_binary)


# --- the Python operators of RaggedTensor ------------------------------------------------------------------

add = _api.add
subtract = _api.subtract
multiply = _api.multiply
truediv = _api.truediv
floordiv = _api.floordiv
floormod = _api.floormod
pow = _api.pow  # noqa: A001
less = _api.less
less_equal = _api.less_equal
greater = _api.greater
greater_equal = _api.greater_equal
negative = _api.negative
abs_ = _api.abs


# TF's RaggedTensor operators ``&``, ``|``, ``^`` and ``~`` are the logical ops (bools only)
and_ = _api.logical_and
or_ = _api.logical_or
xor = _api.logical_xor
invert = _api.logical_not

equal = _api.equal
not_equal = _api.not_equal

_IMPL.update(equal=equal, not_equal=not_equal, add=add, subtract=subtract, multiply=multiply, truediv=truediv, floordiv=floordiv, floormod=floormod,
             pow=pow, less=less, less_equal=less_equal, greater=greater, greater_equal=greater_equal,
             negative=negative, abs_=abs_, and_=and_, or_=or_, xor=xor, invert=invert)
