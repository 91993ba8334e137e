"""``tf.ragged_fill_empty_rows`` and ``tf.ragged_fill_empty_rows_grad``: the RaggedFillEmptyRows op (a ragged
tensor's value_rowids and values with ``default_value`` in each empty row) and its gradient op.

>>> import featherflow as tf
>>> out = tf.ragged_fill_empty_rows(tf.constant([0, 0, 2], tf.int64), [1.0, 2.0, 3.0], tf.constant(4, tf.int64), 9.0)
>>> out.output_values.numpy().tolist()
[1.0, 2.0, 9.0, 3.0, 9.0]
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from ...dtypes import int64 as _int64
from ...tensor import Tensor
from .._kernel_errors import kernel_error, on_cpu, slow_path
from ..convert import shape_text, tensor
from ..registry import register


class RaggedFillEmptyRows(NamedTuple):
    output_value_rowids: Tensor
    output_values: Tensor
    empty_row_indicator: Tensor
    reverse_index_map: Tensor


class RaggedFillEmptyRowsGrad(NamedTuple):
    d_values: Tensor
    d_default_value: Tensor


@register("RaggedFillEmptyRows", n_outputs=4)
def ragged_fill_empty_rows_op(xp: Any, rowids: Any, values: Any, nrows_t: Any, default: Any, nrows: int) -> tuple:
    """(output_value_rowids, output_values, empty_row_indicator, reverse_index_map): rows in order, each row's
    values in their input order, a default value in each empty row."""
    count = xp.zeros(nrows, dtype=np.int64)
    xp.add.at(count, rowids, 1)
    empty = count == 0
    empties_before = xp.cumsum(empty.astype(np.int64)) - empty  # the empty rows before each row
    order = xp.argsort(rowids, kind="stable")
    sorted_ids = rowids[order]
    reverse = xp.empty_like(order).astype(np.int64)
    reverse[order] = xp.arange(order.shape[0], dtype=np.int64) + empties_before[sorted_ids]
    out_ids = xp.sort(xp.concatenate([rowids.astype(np.int64), xp.flatnonzero(empty).astype(np.int64)]))
    out_values = xp.full(out_ids.shape, default, dtype=values.dtype)
    out_values[reverse] = values
    if nrows == 0:  # TF's kernel then returns its (empty) index matrix, [0, 1]
        out_ids = out_ids.reshape(0, 1)
    return out_ids, out_values, empty, reverse


@ragged_fill_empty_rows_op.gradient
def _(gs: tuple, ans: tuple, rowids: Tensor, values: Tensor, nrows_t: Tensor, default: Tensor, nrows: int) -> tuple:
    if gs[1] is None:
        return None, None, None, None
    d_values, d_default = ragged_fill_empty_rows_grad_op(ans[3], gs[1])
    return None, d_values, None, d_default


@register("RaggedFillEmptyRowsGrad", n_outputs=2)  # TF registers no gradient for it
def ragged_fill_empty_rows_grad_op(xp: Any, reverse_index_map: Any, grad_values: Any) -> tuple:
    d_values = grad_values[reverse_index_map]
    return d_values, grad_values.sum() - d_values.sum()


def ragged_fill_empty_rows(value_rowids: Any, values: Any, nrows: Any, default_value: Any,
                           name: str | None = None) -> RaggedFillEmptyRows:
    """The rows of a ragged tensor (``value_rowids``, ``values``, ``nrows``) with ``default_value`` in each
    empty row, which rows were empty, and where each input value went."""
    with slow_path(value_rowids, values, nrows, default_value):  # (Python lists: TF's slow path, no " name: ")
        return _fill(value_rowids, values, nrows, default_value)


def _fill(value_rowids: Any, values: Any, nrows: Any, default_value: Any) -> RaggedFillEmptyRows:
    op = "RaggedFillEmptyRows"
    ids, vals = tensor(value_rowids), tensor(values)
    default = tensor(default_value)
    n = tensor(nrows, _int64) if not isinstance(nrows, Tensor) else nrows
    ragged_fill_empty_rows_op.check(ids, vals, n, default)
    if vals._value.ndim != 1:
        raise kernel_error(op, f"values must be a vector, saw: {shape_text(vals._value.shape)}")
    if default._value.ndim != 0:
        raise kernel_error(op, f"default_value must be a scalar, saw: {shape_text(default._value.shape)}")
    if ids._value.shape[0] != vals._value.shape[0]:
        raise kernel_error(op, f"The length of `values` ({vals._value.shape[0]}) must match the first dimension of "
                               f"`value_rowids` ({ids._value.shape[0]}).")
    rows = int(np.asarray(n._numpy()))  # TF's kernel reads nrows in host memory on any device
    if on_cpu() and ids._value.shape[0]:  # TF's CPU kernel checks the row ids; its GPU kernel does not
        host = np.asarray(ids._numpy())
        bad = np.flatnonzero((host < 0) | (host >= rows))
        if bad.size:
            raise kernel_error(op, f"indices({bad[0]}, 0) is invalid: {host[bad[0]]} >= {rows}")
    return RaggedFillEmptyRows(*ragged_fill_empty_rows_op(ids, vals, n, default, nrows=rows))


def ragged_fill_empty_rows_grad(reverse_index_map: Any, grad_values: Any,
                                name: str | None = None) -> RaggedFillEmptyRowsGrad:
    """The gradients of RaggedFillEmptyRows' values and default value from its output values' gradient."""
    rev, grad = tensor(reverse_index_map), tensor(grad_values)
    ragged_fill_empty_rows_grad_op.check(rev, grad)
    if on_cpu() and rev._value.size:
        host = np.asarray(rev._numpy())
        n = grad._value.shape[0] if grad._value.ndim else 0
        bad = host[(host < 0) | (host >= n)]
        if bad.size:
            raise kernel_error("RaggedFillEmptyRowsGrad", f"Elements in reverse index must be in [0, {n}) but got "
                                                          f"{bad[0]}")
    return RaggedFillEmptyRowsGrad(*ragged_fill_empty_rows_grad_op(rev, grad))

