"""``tf.dynamic_partition`` and ``tf.dynamic_stitch`` (DynamicStitch, ParallelDynamicStitch), with the gradients
of TF's ``data_flow_grad.py``: a partition's gradient stitches the output gradients back in place, a stitch's
gathers the merged gradient at each index list.

>>> import featherflow as tf
>>> [p.numpy().tolist() for p in tf.dynamic_partition([1, 2, 3, 4], [0, 1, 0, 1], 2)]
[[1, 3], [2, 4]]
>>> tf.dynamic_stitch([[0, 2], [1]], [[1, 3], [2]]).numpy()
array([1, 2, 3], dtype=int32)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ... import dtypes as _dtypes
from ...backends import to_numpy
from ...tensor import Tensor
from ..convert import shape_text, tensor
from ..registry import register
from .core import op_error, reshape_op
from .gather import gather_op


def _host(xp: Any, a: Any) -> np.ndarray:
    # the kernel's output shapes depend on the values: one explicit read, as TF's GPU kernels make
    return a if xp is np else to_numpy(a)


@register("DynamicPartition", n_outputs=0)
def dynamic_partition_op(xp: Any, data: Any, partitions: Any, num_partitions: int) -> Any:
    flat = data.reshape((partitions.size,) + data.shape[partitions.ndim:])
    parts = partitions.reshape(-1)
    return tuple(flat[parts == i] for i in range(num_partitions))


@dynamic_partition_op.gradient
def _(gs: tuple, ans: tuple, data: Tensor, partitions: Tensor, num_partitions: int) -> tuple:
    from ..math.elementwise import zeros_like_op

    shape = partitions._value.shape
    original = tensor(np.arange(int(np.prod(shape)), dtype=np.int32).reshape(shape))
    positions = dynamic_partition_op(original, partitions, num_partitions=num_partitions)
    grads = [g if g is not None else zeros_like_op(a) for g, a in zip(gs, ans)]
    merged = parallel_stitch_op(*positions, *grads, n=num_partitions)
    return reshape_op(merged, shape=data._value.shape), None


def _stitch(xp: Any, *arrays: Any, n: int) -> Any:
    indices, data = arrays[:n], arrays[n:]
    rows = data[0].shape[indices[0].ndim:]
    size = max((int(_host(xp, i).max()) + 1 for i in indices if i.size), default=0)
    out = xp.zeros((size,) + rows, dtype=data[0].dtype)
    for idx, d in zip(indices, data):  # in order: a later index list overwrites an earlier one
        if idx.size:
            out[idx.reshape(-1)] = d.reshape((idx.size,) + rows)
    return out


# Both ops take N int32 index lists then N data tensors; their dtypes are checked by ``dynamic_stitch``.
stitch_op = register("DynamicStitch", inputs=("*",))(_stitch)
parallel_stitch_op = register("ParallelDynamicStitch", inputs=("*",))(_stitch)


def _stitch_grad(g: Tensor, ans: Tensor, *inputs: Tensor, n: int) -> tuple:
    return (None,) * n + tuple(gather_op(g, i, axis=0, batch_dims=0) for i in inputs[:n])


stitch_op.gradient(_stitch_grad)
parallel_stitch_op.gradient(_stitch_grad)


def dynamic_partition(data: Any, partitions: Any, num_partitions: int, name: str | None = None) -> list[Tensor]:
    """Splits ``data`` into ``num_partitions`` tensors by the partition index of each of its leading entries.

    >>> [p.numpy().tolist() for p in dynamic_partition([10, 20, 30], [1, 0, 1], 2)]
    [[20], [10, 30]]
    """
    d = tensor(data)
    p = tensor(partitions)
    dynamic_partition_op.check(d, p)
    node = f"_num_partitions_{num_partitions}"
    if num_partitions < 1:
        raise op_error("DynamicPartition", f"Value for attr 'num_partitions' of {num_partitions} must be at least "
                                           "minimum 1", node=node)
    ds, ps = d._value.shape, p._value.shape
    if ds[:len(ps)] != ps:
        raise op_error("DynamicPartition", f"data.shape must start with partitions.shape, got data.shape = "
                                           f"{shape_text(ds)}, partitions.shape = {shape_text(ps)}", node=node)
    values = _host(p._device.xp, p._value).reshape(-1)
    bad = np.flatnonzero((values < 0) | (values >= num_partitions))
    if bad.size:
        i = int(bad[0])
        raise op_error("DynamicPartition", f"partitions[{i}] = {values[i]} is not in [0, {num_partitions})",
                       node=node)
    return list(dynamic_partition_op(d, p, num_partitions=int(num_partitions)))


def _stitch_call(op_name: str, indices: Any, data: Any) -> Tensor:
    if not isinstance(indices, (list, tuple)) or not isinstance(data, (list, tuple)):
        raise TypeError(f"Expected list for 'indices' argument to '{op_name}' Op, not {indices!r}.")
    if len(indices) != len(data):
        raise ValueError(f"List argument 'data' to '{op_name}' Op with length {len(data)} must match length "
                         f"{len(indices)} of argument 'indices'.")
    if not indices:
        raise ValueError(f"List argument 'indices' to '{op_name}' Op with length 0 shorter than minimum length 1.")
    op = stitch_op if op_name == "DynamicStitch" else parallel_stitch_op
    idx = [tensor(i, _dtypes.int32) for i in indices]
    first = tensor(data[0])
    vals = [first] + [tensor(v, first._dtype) for v in data[1:]]
    op.check_attr("T", first._dtype)
    n = len(idx)
    node = f"_N_{n}"
    rows = None
    for k, (i, v) in enumerate(zip(idx, vals)):
        ish, vsh = i._value.shape, v._value.shape
        if vsh[:len(ish)] != ish:
            raise op_error(op_name, f"data[{k}].shape = {shape_text(vsh)} does not start with indices[{k}].shape = "
                                    f"{shape_text(ish)}", node=node)
        tail = vsh[len(ish):]
        if rows is None:
            rows = tail
        elif tail != rows:
            raise op_error(op_name, f"Need data[0].shape[{len(idx[0]._value.shape)}:] = data[{k}].shape"
                                    f"[{len(ish)}:], got data[0].shape = {shape_text(vals[0]._value.shape)}, "
                                    f"data[{k}].shape = {shape_text(vsh)}, indices[0].shape = "
                                    f"{shape_text(idx[0]._value.shape)}, indices[{k}].shape = {shape_text(ish)}",
                           node=node)
    for i in idx:
        flat = _host(i._device.xp, i._value).reshape(-1)
        bad = np.flatnonzero(flat < 0)
        if bad.size:
            raise op_error(op_name, f"indices[{int(bad[0])}] is out of range", node=node)
    return op(*idx, *vals, n=n)


def dynamic_stitch(indices: Any, data: Any, name: str | None = None) -> Tensor:
    """Interleaves the values of ``data`` into one tensor: ``merged[indices[m][i]] = data[m][i]``.

    >>> dynamic_stitch([[1], [0]], [[5.0], [6.0]]).numpy()
    array([6., 5.], dtype=float32)
    """
    return _stitch_call("DynamicStitch", indices, data)


def parallel_dynamic_stitch(indices: Any, data: Any, name: str | None = None) -> Tensor:
    """``dynamic_stitch`` as the ParallelDynamicStitch op (on the CPU, the same result).

    >>> parallel_dynamic_stitch([[1], [0]], [[5.0], [6.0]]).numpy()
    array([6., 5.], dtype=float32)
    """
    return _stitch_call("ParallelDynamicStitch", indices, data)
