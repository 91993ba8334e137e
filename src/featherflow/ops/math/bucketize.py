"""TF's ``Bucketize``: the index of the bucket each value falls in, given sorted boundaries (``tf.raw_ops.Bucketize``,
what Keras's ``ops.digitize`` calls on TensorFlow). A value equal to a boundary goes to the bucket above it.

>>> from featherflow.ops.math.bucketize import bucketize
>>> bucketize([1.0, 2.0, 7.0], [2.0, 6.0]).numpy().tolist()
[0, 1, 2]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...tensor import Tensor
from ..array.core import op_error
from ..convert import tensor
from ..registry import register


# TF registers no gradient for Bucketize (not even NotDifferentiable); its int32 output stops gradients anyway
@register("Bucketize")
def bucketize_op(xp: Any, x: Any, boundaries: tuple) -> Any:
    edges = xp.asarray(np.asarray(boundaries, np.float32))
    # the kernel's std::upper_bound compares an integer input with the float boundaries in float
    values = x.astype(np.float32) if x.dtype.kind in "iu" else x
    return xp.searchsorted(edges, values, side="right").astype(np.int32)


def bucketize(input: Any, boundaries: Any) -> Tensor:  # noqa: A002 (TF's argument name)
    """``Bucketize`` with TF's checks: ``boundaries`` a sorted list of floats."""
    t = tensor(input)
    if not isinstance(boundaries, (list, tuple)):
        raise TypeError(f"Expected list for 'boundaries' argument to 'bucketize' Op, not {boundaries!r}.")
    edges = []
    for b in boundaries:
        try:
            edges.append(float(b))
        except (TypeError, ValueError):
            raise TypeError(f"Expected float for argument 'boundaries' not {b!r}.") from None
    edges_t = tuple(edges)
    bucketize_op.check(t)
    if any(b > a for a, b in zip(edges_t[1:], edges_t)):
        raise op_error("Bucketize", "Expected sorted boundaries")
    return bucketize_op(t, boundaries=edges_t)
