"""``tf.approx_top_k``: the ApproxTopK op, which TF's CPU and GPU kernels run as an exact top-k along the last
axis (its recall/approximation attrs only matter to XLA on TPUs).

>>> import featherflow as tf
>>> tf.approx_top_k(tf.constant([[3.0, 1.0, 4.0, 1.0, 5.0]]), 2).indices.numpy().tolist()
[[4, 2]]
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from ...errors import InvalidArgumentError
from ...tensor import Tensor
from .._kernel_errors import kernel_error, slow_path
from ..array.selection import _descending_order, _scatter_last
from ..convert import shape_text, tensor
from ..registry import register


class ApproxTopK(NamedTuple):
    values: Tensor
    indices: Tensor


@register("ApproxTopK", n_outputs=2)
def approx_top_k_op(xp: Any, x: Any, k: int) -> tuple:
    order = _descending_order(xp, x)[..., :k]
    return xp.take_along_axis(x, order, axis=-1), order.astype(np.int32)


@approx_top_k_op.gradient
def _(gs: tuple, ans: tuple, x: Tensor, k: int) -> Any:
    # TF's rule scatters the values' gradient back to the top-k positions (a ScatterNd)
    if gs[0] is None:
        return None
    return _scatter_last(gs[0], ans[1], n=x._value.shape[-1])


def approx_top_k(input: Any, k: int, reduction_dimension: int = -1, recall_target: float = 0.95,  # noqa: A002
                 is_max_k: bool = True, reduction_input_size_override: int = -1, aggregate_to_topk: bool = True,
                 name: str | None = None) -> ApproxTopK:
    """The ``k`` largest values of the last axis and their int32 indices (exact, as TF's CPU and GPU kernels)."""
    with slow_path(input):  # (a Python list takes TF's slow path: its errors lack the " name: " tail)
        return _approx_top_k(input, k, reduction_dimension, recall_target, is_max_k,
                             reduction_input_size_override, aggregate_to_topk)


def _approx_top_k(input: Any, k: int, reduction_dimension: int, recall_target: float,  # noqa: A002
                  is_max_k: bool, reduction_input_size_override: int, aggregate_to_topk: bool) -> ApproxTopK:
    x = tensor(input)
    approx_top_k_op.check(x)
    if k < 0:  # the op definition's minimum
        signature = f"Op<name=ApproxTopK; {approx_top_k_op.contract.summary}>"
        raise InvalidArgumentError(None, None, f"Value for attr 'k' of {k} must be at least minimum 0\n\t; NodeDef: "
                                               f"{{{{node ApproxTopK}}}}; {signature} [Op:ApproxTopK] name: ")
    if reduction_dimension != -1 or not is_max_k:  # TF's CPU kernels (a TopK) are registered for these only
        attrs = {"k": k, "reduction_dimension": reduction_dimension, "recall_target": recall_target,
                 "is_max_k": is_max_k, "reduction_input_size_override": reduction_input_size_override,
                 "aggregate_to_topk": aggregate_to_topk}
        raise approx_top_k_op.contract.no_kernel({"T": x._dtype}, (x,), attrs)
    shape = x._value.shape
    if not shape:
        raise kernel_error("ApproxTopK", f"input must be >= 1-D, got shape {shape_text(shape)}",
                           kernel="ApproxTopK")
    if shape[-1] < k:
        raise kernel_error("ApproxTopK", f"input must have at least k columns. Had {shape[-1]}, needed {k}",
                           kernel="ApproxTopK")
    return ApproxTopK(*approx_top_k_op(x, k=int(k)))
