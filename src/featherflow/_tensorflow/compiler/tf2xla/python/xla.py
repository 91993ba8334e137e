"""``tensorflow.compiler.tf2xla.python.xla``: the XLA slicing ops Keras's TensorFlow backend imports
(``keras.ops.slice`` and ``slice_update``), with XLA's semantics: start indices are clamped so that the slice
lies inside the operand."""

from __future__ import annotations

from typing import Any

import featherflow as _tf


def _starts(operand: Any, sizes: list[int], indices: Any) -> list[int]:
    starts = [int(i) for i in _tf.get_static_value(_tf.convert_to_tensor(indices)).reshape(-1)]
    dims = operand.shape.as_list()
    if len(starts) != len(dims):
        raise _tf.errors.InvalidArgumentError(
            None, None, f"index must be a vector with length equal to the number of input dimensions: got {len(starts)} "
            f"indices for an operand of rank {len(dims)}")
    return [min(max(s, 0), d - n) for s, n, d in zip(starts, sizes, dims)]


def dynamic_slice(x: Any, starts: Any, sizes: Any, name: str | None = None) -> Any:
    """``XlaDynamicSlice``: the ``sizes``-shaped block of ``x`` at ``starts`` (clamped into ``x``)."""
    x = _tf.convert_to_tensor(x)
    sizes = [int(s) for s in _tf.get_static_value(_tf.convert_to_tensor(sizes)).reshape(-1)]
    return _tf.slice(x, _starts(x, sizes, starts), sizes)


def dynamic_update_slice(operand: Any, update: Any, indices: Any, name: str | None = None) -> Any:
    """``XlaDynamicUpdateSlice``: ``operand`` with the block at ``indices`` (clamped) replaced by ``update``;
    differentiable in both."""
    operand = _tf.convert_to_tensor(operand)
    update = _tf.convert_to_tensor(update, dtype=operand.dtype)
    sizes = update.shape.as_list()
    starts = _starts(operand, sizes, indices)
    paddings = [[s, d - s - n] for s, n, d in zip(starts, sizes, operand.shape.as_list())]
    inside = _tf.pad(_tf.ones(sizes, _tf.bool), paddings)
    return _tf.where(inside, _tf.pad(update, paddings), operand)
