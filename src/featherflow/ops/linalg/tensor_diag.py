"""``tf.linalg.tensor_diag`` / ``tensor_diag_part`` (TF's Diag and DiagPart, each the gradient of the other) and
``tf.linalg.normalize``.

>>> import featherflow as tf
>>> tf.linalg.tensor_diag([1.0, 2.0]).numpy().tolist()
[[1.0, 0.0], [0.0, 2.0]]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...tensor import Tensor
from .._kernel_errors import kernel_error, slow_path
from ..convert import shape_text, tensor
from ..convert import tensor as _to_tensor
from ..registry import register


@register("Diag")
def tensor_diag_op(xp: Any, x: Any) -> Any:
    return xp.diag(x.reshape(-1)).reshape(x.shape + x.shape)


@register("DiagPart")
def tensor_diag_part_op(xp: Any, x: Any) -> Any:
    half = x.shape[: x.ndim // 2]
    n = int(np.prod(half, dtype=np.int64))
    return xp.diagonal(x.reshape(n, n)).reshape(half)


@tensor_diag_op.gradient
def _(g: Tensor, ans: Tensor, x: Tensor) -> Any:
    return tensor_diag_part_op(g)


@tensor_diag_part_op.gradient
def _(g: Tensor, ans: Tensor, x: Tensor) -> Any:
    return tensor_diag_op(g)


def tensor_diag(diagonal: Any, name: str | None = None) -> Tensor:
    """A tensor of shape ``s + s`` with ``diagonal`` (of shape ``s``) on its diagonal (``tf.linalg.tensor_diag``).

    >>> tensor_diag([[1, 2]]).shape
    TensorShape([1, 2, 1, 2])
    """
    x = tensor(diagonal)
    with slow_path(diagonal):
        tensor_diag_op.check(x)
        if x._value.ndim < 1:
            raise kernel_error("Diag", f"Input must be at least rank 1, got {x._value.ndim}")
        return tensor_diag_op(x)


def tensor_diag_part(input: Any, name: str | None = None) -> Tensor:  # noqa: A002
    """The diagonal of a tensor of shape ``s + s``, of shape ``s`` (``tf.linalg.tensor_diag_part``).

    >>> tensor_diag_part([[1, 2], [3, 4]]).numpy().tolist()
    [1, 4]
    """
    x = tensor(input)
    with slow_path(input):
        tensor_diag_part_op.check(x)
        shape = x._value.shape
        if len(shape) % 2:
            raise kernel_error("DiagPart", "The rank of the tensor should be                                          "
                                           f"even and positive, got shape {shape_text(shape)}")
        half = len(shape) // 2
        for i in range(half):
            if shape[i] != shape[i + half]:
                raise kernel_error("DiagPart", f"Invalid shape {shape_text(shape)}: dimensions {i} and {i + half} do "
                                               "not match.")
        return tensor_diag_part_op(x)


def normalize(tensor: Any, ord: Any = "euclidean", axis: Any = None, name: str | None = None) -> tuple:  # noqa: A002
    """``tensor`` divided by its norm, and the norm (kept dimensions) (``tf.linalg.normalize``).

    >>> [t.numpy().tolist() for t in normalize([3.0, 4.0])]
    [[0.6000000238418579, 0.800000011920929], [5.0]]
    """
    from ..array.create import cast
    from .core import norm

    x = _to_tensor(tensor)
    n = cast(norm(x, ord=ord, axis=axis, keepdims=True), x.dtype)
    return x / n, n
