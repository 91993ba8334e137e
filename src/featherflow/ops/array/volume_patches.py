"""``tf.extract_volume_patches`` (ExtractVolumePatches): the 3-D analogue of ``extract_patches``.

Each output position holds the ``ksizes`` window of the (padded) input volume, flattened in
[planes][rows][cols][depth] order, as TF's kernel lays it out; its gradient adds each window back.

>>> import featherflow as tf
>>> x = tf.reshape(tf.range(8), [1, 2, 2, 2, 1])
>>> tf.extract_volume_patches(x, [1, 2, 2, 2, 1], [1, 1, 1, 1, 1], "VALID").numpy().reshape(-1).tolist()
[0, 1, 2, 3, 4, 5, 6, 7]
"""

from __future__ import annotations

from typing import Any

from ...tensor import Tensor
from ..convert import tensor
from ..registry import register


def _five(value: Any, name: str) -> tuple:
    v = [int(i) for i in value]
    if len(v) != 5 or v[0] != 1 or v[4] != 1:
        raise ValueError(f"{name} must be a list of 5 ints with the first and last equal to 1, got {v}")
    return tuple(v)


def _geometry(shape: tuple, ksizes: tuple, strides: tuple, padding: str) -> tuple:
    """(output sizes, pads before, pads after) of the three spatial dimensions, as TF's GetWindowedOutputSize."""
    outs, before, after = [], [], []
    for size, k, s in zip(shape[1:4], ksizes[1:4], strides[1:4]):
        if padding == "VALID":
            out = max(0, -(-(size - k + 1) // s))
            lo = hi = 0
        else:
            out = -(-size // s)
            total = max((out - 1) * s + k - size, 0)
            lo, hi = total // 2, total - total // 2
        outs.append(out)
        before.append(lo)
        after.append(hi)
    return outs, before, after


def _windows(out: list, ksizes: tuple, strides: tuple) -> list:
    """The strided index tuple of each window tap, in [planes][rows][cols] order."""
    taps = []
    for i in range(ksizes[1]):
        for j in range(ksizes[2]):
            for k in range(ksizes[3]):
                taps.append((slice(None),) + tuple(slice(o0, o0 + (n - 1) * s + 1, s) for o0, n, s in
                                                   zip((i, j, k), out, strides[1:4])) + (slice(None),))
    return taps


@register("ExtractVolumePatches")
def extract_volume_patches_op(xp: Any, x: Any, ksizes: tuple, strides: tuple, padding: str) -> Any:
    """The kernel: the windows of the volume, stacked into the depth dimension."""
    b, _, _, _, d = x.shape
    out, lo, hi = _geometry(x.shape, ksizes, strides, padding)
    depth = ksizes[1] * ksizes[2] * ksizes[3] * d
    if 0 in out:
        return xp.zeros((b, *out, depth), dtype=x.dtype)
    padded = xp.pad(x, [(0, 0)] + list(zip(lo, hi)) + [(0, 0)]) if any(lo) or any(hi) else x
    taps = [padded[t] for t in _windows(out, ksizes, strides)]
    return xp.stack(taps, axis=4).reshape(b, *out, depth)


@extract_volume_patches_op.gradient
def _(g: Any, ans: Any, x: Any, ksizes: tuple, strides: tuple, padding: str) -> tuple:
    # each tap's slice of g goes back where the tap was read (StridedSliceGrad), into the padded volume
    from ..math.api import add_n
    from .core import reshape
    from .slicing import strided_slice_grad_op

    b, p, r, c, d = (int(v) for v in x.shape)
    out, lo, hi = _geometry((b, p, r, c, d), ksizes, strides, padding)
    taps = _windows(out, ksizes, strides)
    if 0 in out:
        from .create import zeros_like

        return (zeros_like(x),)
    parts = reshape(g, [b, *out, len(taps), d])
    padded = (b, p + lo[0] + hi[0], r + lo[1] + hi[1], c + lo[2] + hi[2], d)
    back = add_n([strided_slice_grad_op(parts[:, :, :, :, n, :], shape=padded, key=t) for n, t in enumerate(taps)])
    return (back[:, lo[0]:lo[0] + p, lo[1]:lo[1] + r, lo[2]:lo[2] + c, :],)


def extract_volume_patches(input: Any, ksizes: Any, strides: Any, padding: str,  # noqa: A002
                           name: str | None = None) -> Tensor:
    """Extracts ``ksizes`` windows every ``strides`` from a 5-D volume into the depth dimension."""
    x = tensor(input)
    if x.shape.rank != 5:
        raise ValueError(f"Shape must be rank 5 but is rank {x.shape.rank}")
    k, s = _five(ksizes, "ksizes"), _five(strides, "strides")
    padding = padding.upper() if isinstance(padding, str) else padding
    if padding not in ("SAME", "VALID"):
        raise ValueError(f"padding must be 'SAME' or 'VALID', got {padding}")
    return extract_volume_patches_op(x, ksizes=k, strides=s, padding=padding)
