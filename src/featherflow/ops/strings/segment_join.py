"""``tf.strings.unsorted_segment_join``: the op ``UnsortedSegmentJoin``, TF's kernel ported as is (a separator is
added only after a non-empty partial join, as TF's does).

>>> import featherflow as tf
>>> tf.strings.unsorted_segment_join(["a", "b", "c"], [1, 0, 1], 2, separator=":").numpy()
array([b'b', b'a:c'], dtype=object)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ... import dtypes as _dtypes
from ...errors import OutOfRangeError
from ...tensor import Tensor, kernel_error
from .. import dispatch as _dispatch
from ..convert import hinted, tensor
from ..registry import register
from .core import on_host


@register("UnsortedSegmentJoin", host_only=True)  # TF registers no gradient
def unsorted_segment_join_op(xp: Any, inputs: Any, segment_ids: Any, num_segments: Any, separator: bytes) -> Any:
    op = "UnsortedSegmentJoin"
    if num_segments.size == 0:
        raise kernel_error(op, "Number of segments cannot be empty.")
    count = int(num_segments.reshape(-1)[0])
    if segment_ids.ndim == 0:
        raise kernel_error(op, "Segment_id cannot have rank 0")
    if segment_ids.ndim > inputs.ndim:
        raise kernel_error(op, f"Invalid segment_id rank {segment_ids.ndim} for input with {inputs.ndim} dimension(s)",
                           OutOfRangeError)
    for i, size in enumerate(segment_ids.shape):
        if size != inputs.shape[i]:
            # TF's message shows the input's rank where it means the input's dimension
            raise kernel_error(op, f"Segment dimension is {size} while input dimension is {inputs.ndim} in rank {i}")
    ids = segment_ids.reshape(-1)
    if ids.size and (ids.min() < 0 or ids.max() >= count):
        raise kernel_error(op, "segment_ids are not allowed to exceed num_segments or to have negative values.")
    inner = inputs.shape[segment_ids.ndim:]
    rows = inputs.reshape((ids.size, -1)) if ids.size else np.empty((0, int(np.prod(inner))), object)
    width = rows.shape[1]
    out: list = [[b""] * width for _ in range(count)]
    for i, segment in enumerate(ids.tolist()):
        target, row = out[segment], rows[i]
        for j in range(width):
            target[j] = target[j] + separator + row[j] if target[j] else target[j] + row[j]
    result = np.empty((count, width), object)
    for k in range(count):
        result[k, :] = out[k]
    return result.reshape((count,) + inner)


@on_host
@_dispatch.add_dispatch_support
def unsorted_segment_join(inputs: Any, segment_ids: Any, num_segments: Any, separator: str = "",
                          name: str | None = None) -> Tensor:
    """Joins the strings of each segment, in input order, with ``separator`` (``tf.strings.unsorted_segment_join``)."""
    sep = separator.encode("utf-8") if isinstance(separator, str) else bytes(separator)
    return unsorted_segment_join_op(tensor(inputs, _dtypes.string) if not isinstance(inputs, Tensor) else inputs,
                                    tensor(segment_ids), hinted(num_segments, _dtypes.int32), separator=sep)
