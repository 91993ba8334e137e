"""Counting the values of a RaggedTensor, row by row: TF's ragged dispatch of ``tf.math.bincount``
(``RaggedBincount``: a dense [rows, size] result) and ``tf.sparse.bincount`` (``RaggedCountSparseOutput``: a
SparseTensor), as Keras's multi-hot and count encodings of ragged inputs use them.

>>> import featherflow as tf
>>> x = tf.ragged.constant([[1, 2, 2], [], [3]])
>>> tf.math.bincount(x, axis=-1).numpy().tolist()
[[0, 1, 2, 0], [0, 0, 0, 0], [0, 0, 0, 1]]
>>> tf.sparse.bincount(x, axis=-1, binary_output=True).indices.numpy().tolist()
[[0, 1], [0, 2], [2, 3]]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ... import dtypes as _dtypes
from ...tensor import kernel_error
from .. import dispatch as _dispatch
from ..array.core import host_tensor
from ..convert import tensor as _tensor
from ..math import segment as _segment
from ..registry import register
from ..sparse import counting as _counting
from ..sparse.tensor import SparseTensor
from .elementwise import check_same_partitions
from .tensor import RaggedTensor

_MUTUALLY_EXCLUSIVE = "Arguments `binary_output` and `weights` are mutually exclusive. Please specify only one."


def _rows(xp: Any, splits: Any) -> Any:
    """The row of each value, from the row splits."""
    return xp.repeat(xp.arange(splits.shape[0] - 1, dtype=np.int64), xp.diff(splits).astype(np.int64))


@register("RaggedBincount", inputs=("", "Tidx", "T"))
def ragged_bincount_op(xp: Any, splits: Any, values: Any, weights: Any, size: int, binary_output: bool) -> Any:
    # (the wrapper has checked that no value is negative) values >= size are not counted
    rows, v = _rows(xp, splits), values.astype(np.int64)
    keep = v < size
    out = xp.zeros((splits.shape[0] - 1, size), dtype=weights.dtype)
    if binary_output:
        out[rows[keep], v[keep]] = 1
    else:
        xp.add.at(out, (rows[keep], v[keep]), weights[keep] if weights.size else 1)
    return out


@register("RaggedCountSparseOutput", n_outputs=2, inputs=("", "T", ""))
def ragged_count_op(xp: Any, splits: Any, values: Any, weights: Any, shape: tuple, binary_output: bool) -> tuple:
    return _counting._count(xp, _rows(xp, splits), values, weights, shape, binary_output, values.dtype)


def _ragged_weights(values: RaggedTensor, weights: Any, dtype: Any) -> Any:
    """TF's ``validate_ragged_weights``: the weights' flat values (same row splits as ``values``), or an empty
    Tensor of ``dtype``."""
    if weights is None:
        return host_tensor(np.zeros((0,), dtype=_dtypes.as_dtype(dtype)._np))
    check_same_partitions(weights, values, prefix="'weights' and 'values' must have the same row splits.\n")
    return weights._values


def _checked_values(values: Any, op_name: str, message: str) -> np.ndarray:
    host = np.asarray(values._numpy())  # TF's CPU kernel reads the values: its check and the output's size
    if host.size and (host < 0).any():
        raise kernel_error(op_name, message)
    return host


def ragged_math_bincount(arr: RaggedTensor, weights: Any = None, minlength: Any = None, maxlength: Any = None,
                         dtype: Any = _dtypes.int32, name: str | None = None, axis: Any = None,
                         binary_output: bool = False) -> Any:
    """``tf.math.bincount`` of a RaggedTensor: over all its values (``axis=0``) or per row (``axis=-1``)."""
    if weights is not None and binary_output:
        raise ValueError(_MUTUALLY_EXCLUSIVE)
    axis = 0 if axis is None else axis
    if axis not in (0, -1):
        raise ValueError(f"Unsupported value for argument axis={axis}. Only 0 and -1 are currently supported.")
    if axis == 0:
        w = None if weights is None else _ragged_weights(arr, weights, dtype)
        return _segment.bincount(arr._values, w, minlength, maxlength, dtype, name, 0, binary_output)
    values = arr._values
    if isinstance(values, RaggedTensor):
        raise ValueError("tf.math.bincount of a RaggedTensor along axis -1 takes ragged_rank 1")
    w = _ragged_weights(arr, weights, dtype)
    host = _checked_values(values, "RaggedBincount", "Input must be non-negative")
    size = int(host.max()) + 1 if host.size else 0
    if minlength is not None:
        size = max(int(_tensor(minlength)._numpy()), size)
    if maxlength is not None:
        size = min(int(_tensor(maxlength)._numpy()), size)
    return ragged_bincount_op(arr.row_splits, values, w, size=max(size, 0), binary_output=bool(binary_output))


def ragged_sparse_bincount(values: RaggedTensor, weights: Any = None, axis: int | None = 0, minlength: Any = None,
                           maxlength: Any = None, binary_output: bool = False, name: str | None = None) -> Any:
    """``tf.sparse.bincount`` of a RaggedTensor: a SparseTensor of counts over all its values (``axis=0``) or per
    row (``axis=-1``, shape [rows, size])."""
    if weights is not None and binary_output:
        raise ValueError(_MUTUALLY_EXCLUSIVE)
    axis = 0 if axis is None else axis
    if axis not in (0, -1):
        raise ValueError(f"Unsupported value for argument axis={axis}. Only 0 and -1 are currently supported.")
    if axis == 0:
        w = None if weights is None else _ragged_weights(values, weights, values.dtype)
        return _counting.bincount(values._values, w, 0, minlength, maxlength, binary_output, name)
    flat = values._values
    if isinstance(flat, RaggedTensor):
        raise ValueError("tf.sparse.bincount of a RaggedTensor along axis -1 takes ragged_rank 1")
    w = _ragged_weights(values, weights, values.dtype)
    host = _checked_values(flat, "RaggedCountSparseOutput", "Input values must all be non-negative")
    maxlength = -1 if maxlength is None else int(maxlength)
    minlength = -1 if minlength is None else int(minlength)
    if maxlength > 0:
        size = maxlength
    else:
        size = max(int(host.max()) + 1 if host.size else 1, minlength)
    shape = (values.nrows()._numpy().item(), size)
    idx, counts = ragged_count_op(values.row_splits, flat, w, shape=shape, binary_output=bool(binary_output))
    return SparseTensor(idx, counts, host_tensor(np.array(shape, dtype=np.int64)))


_dispatch.dispatch_for_api(_segment.bincount, {"arr": RaggedTensor})(ragged_math_bincount)
_dispatch.dispatch_for_api(_counting.bincount, {"values": RaggedTensor})(ragged_sparse_bincount)
