"""``tf.math.invert_permutation`` and ``tf.reverse_sequence`` (TF's ``InvertPermutation`` and
``ReverseSequence`` ops).

>>> import featherflow as tf
>>> tf.math.invert_permutation([2, 0, 1]).numpy()
array([1, 2, 0], dtype=int32)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ... import dtypes as _dtypes
from ...tensor import Tensor
from .._kernel_errors import kernel_error, slow_path
from ..convert import hinted, tensor
from ..registry import register


@register("InvertPermutation", differentiable=False)
def invert_permutation_op(xp: Any, x: Any) -> Any:
    if x.ndim != 1:
        raise kernel_error("InvertPermutation", "invert_permutation expects a 1D vector.")
    n = x.shape[0]
    if xp is np:  # TF's checks read the permutation (its CPU kernel); a GPU kernel would not
        seen = np.zeros(n, bool)
        for v in x.tolist():
            if not 0 <= v < n:
                raise kernel_error("InvertPermutation", f"{v} is not between 0 and {n}")
            if seen[v]:
                raise kernel_error("InvertPermutation", f"{v} is duplicated in the input.")
            seen[v] = True
    out = xp.empty_like(x)
    out[x] = xp.arange(n, dtype=x.dtype)
    return out


def invert_permutation(x: Any, name: str | None = None) -> Tensor:
    """The inverse permutation: ``y[x[i]] = i``."""
    return invert_permutation_op(hinted(x, _dtypes.int32))  # (NumPy data converts to the default int32)


@register("ReverseSequence", inputs=("T", "Tlen"))
def reverse_sequence_op(xp: Any, x: Any, lengths: Any, seq_dim: int, batch_dim: int) -> Any:
    n = x.shape[seq_dim]
    shape = [1] * x.ndim
    shape[seq_dim] = n
    i = xp.arange(n).reshape(shape)
    lshape = [1] * x.ndim
    lshape[batch_dim] = x.shape[batch_dim]
    length = lengths.astype(np.int64).reshape(lshape)
    index = xp.where(i < length, length - 1 - i, i)  # the first length[b] steps reversed, the rest kept
    full = xp.broadcast_to(index, x.shape)
    return xp.take_along_axis(x, full, axis=seq_dim)


@reverse_sequence_op.gradient
def _(g: Tensor, ans: Tensor, x: Tensor, lengths: Tensor, seq_dim: int, batch_dim: int) -> tuple:
    return reverse_sequence_op(g, lengths, seq_dim=seq_dim, batch_dim=batch_dim), None


def reverse_sequence(input: Any, seq_lengths: Any, seq_axis: int | None = None,  # noqa: A002 - TF's name
                     batch_axis: int | None = None, name: str | None = None) -> Tensor:
    """Reverses the first ``seq_lengths[b]`` entries along ``seq_axis`` of each slice ``b`` of ``batch_axis``.

    >>> reverse_sequence([[1, 2, 3], [4, 5, 6]], [2, 3], seq_axis=1, batch_axis=0).numpy()
    array([[2, 1, 3],
           [6, 5, 4]], dtype=int32)
    """
    with slow_path(input, seq_lengths):  # (TF drops its errors' name tail for list arguments)
        x, lengths = tensor(input), tensor(seq_lengths)
        nd = x._value.ndim
        seq = 0 if seq_axis is None else int(seq_axis)
        batch = 0 if batch_axis is None else int(batch_axis)
        _check_sequence(x, lengths, seq, batch, nd)
        return reverse_sequence_op(x, lengths, seq_dim=seq, batch_dim=batch)


def _check_sequence(x: Tensor, lengths: Tensor, seq: int, batch: int, nd: int) -> None:
    """TF's ReverseSequence kernel checks, in its order (the lengths' values only where they are host data)."""
    def fail(message: str) -> Exception:
        return kernel_error("ReverseSequence", message)

    if seq < 0:
        raise fail(f"Invalid seq_dim {seq}")
    if batch < 0:
        raise fail(f"Invalid batch_dim {batch}")
    if batch >= nd:
        raise fail(f"batch_dim must be < input rank ( {batch} vs. {nd})")
    if seq >= nd:
        raise fail(f"seq_dim must be < input rank ( {seq} vs. {nd})")
    if seq == batch:
        raise fail(f"batch_dim == seq_dim == {seq}")
    if lengths._value.ndim != 1:
        raise fail(f"seq_lengths must be 1-dim, not {lengths._value.ndim}")
    if lengths._value.shape[0] != x._value.shape[batch]:
        raise fail(f"Length of seq_lengths != input.dims({batch}), ({lengths._value.shape[0]} vs. "
                   f"{x._value.shape[batch]})")
    if lengths._device.xp is np:
        for i, v in enumerate(lengths._value.tolist()):
            if v < 0:
                raise fail(f"seq_lens({i}) < 0")
            if v > x._value.shape[seq]:
                raise fail(f"seq_lens({i}) > input.dims({seq})")
