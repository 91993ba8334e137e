"""``tf.nn.isotonic_regression``: the IsotonicRegression op (pool-adjacent violators, as TF's kernel) and its
gradient (each segment's mean of the incoming gradient).

The op is host-only: TF registers only a CPU kernel for it (on a GPU it is placed on the CPU), and the
pool-adjacent-violators pass is sequential along each row.

>>> import featherflow as tf
>>> tf.nn.isotonic_regression([[3.0, 1.0, 2.0]])[0].numpy().tolist()
[[3.0, 1.5, 1.5]]
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from ...dtypes import bfloat16 as _bfloat16
from ...dtypes import float16 as _float16
from ...dtypes import float32 as _float32
from ...dtypes import float64 as _float64
from ...errors import InvalidArgumentError
from ...tensor import Tensor
from ..convert import tensor
from ..registry import register

# float types map to themselves, int8/int16 to float32, the other integers to float64 (TF's kernels)
_PROMOTION = {"float32": _float32, "float16": _float16, "bfloat16": _bfloat16,
              "int8": _float32, "int16": _float32}


class IsotonicRegression(NamedTuple):
    output: Tensor
    segments: Tensor


def _pava_row(row: Any, out: Any, seg: Any) -> None:
    """One row, decreasing: merge the last two pools while the later one's mean exceeds the earlier's."""
    one = out.dtype.type(1)
    pools: list = []  # [start, limit, sum, mean], sums and means in the output dtype as TF's kernel keeps them
    for i, v in enumerate(row):
        pools.append([i, i + 1, v, v])
        while len(pools) > 1 and pools[-1][3] > pools[-2][3]:
            last = pools.pop()
            prev = pools[-1]
            prev[1] = last[1]
            prev[2] = prev[2] + last[2]
            prev[3] = prev[2] / (one * (prev[1] - prev[0]))
    for sid, (start, limit, _, mean) in enumerate(pools):
        out[start:limit] = mean
        seg[start:limit] = sid


@register("IsotonicRegression", n_outputs=2, host_only=True)
def isotonic_regression_op(xp: Any, x: Any, output_dtype: Any) -> tuple:
    n = x.shape[-1] if x.ndim else 1
    flat = x.reshape(int(np.prod(x.shape[:-1], dtype=np.int64)) if x.ndim else 1, n)
    values = flat.astype(output_dtype)
    out = xp.empty_like(values)
    seg = xp.zeros(values.shape, dtype=np.int32)
    for r in range(values.shape[0]):
        _pava_row(list(values[r]), out[r], seg[r])
    return out.reshape(x.shape), seg.reshape(x.shape)


@isotonic_regression_op.gradient
def _(gs: tuple, ans: tuple, x: Tensor, output_dtype: Any) -> Any:
    g = gs[0]
    if g is None:
        return None
    from ..array.core import reshape
    from ..array.gather import gather
    from ..math.segment import unsorted_segment_mean

    shape = x._value.shape
    n = shape[-1] if shape else 1
    rows = int(np.prod(shape[:-1], dtype=np.int64)) if shape else 1
    # each row's segment ids made distinct across rows, then one segment mean over the flattened gradient
    offsets = np.repeat(np.arange(rows, dtype=np.int32) * n, n).reshape(shape)
    ids = reshape(ans[1] + tensor(offsets), [-1])
    means = unsorted_segment_mean(reshape(g, [-1]), ids, rows * n)
    return reshape(gather(means, ids), shape)


def isotonic_regression(inputs: Any, decreasing: bool = True, axis: int = -1) -> Any:
    """The isotonic (non-increasing, or non-decreasing if not ``decreasing``) least-squares fit along ``axis``,
    and the int32 segment ids of its constant runs."""
    from ..array.core import transpose

    x = tensor(inputs)
    output_dtype = _PROMOTION.get(x._dtype.name, _float64)
    rank = x._value.ndim
    if axis == -1 or axis == rank - 1:  # TF's _wrap_2d_function: the op's own result on the last axis
        return _solve(x, decreasing, output_dtype)
    if not -rank <= axis < rank:
        raise InvalidArgumentError(None, None, f"`dim` must be in the range [{-rank}, {rank}) where {rank} is the "
                                               f"number of dimensions in the input. Received: dim={axis}")
    ax = axis % rank
    perm = list(range(rank))
    perm[ax], perm[-1] = perm[-1], perm[ax]
    out, segments = _solve(transpose(x, perm), decreasing, output_dtype)
    return transpose(out, perm), transpose(segments, perm)  # a plain tuple, as TF's


def _solve(x: Tensor, decreasing: bool, output_dtype: Any) -> Any:
    from ..math import api as ma

    if decreasing:
        return IsotonicRegression(*isotonic_regression_op(x, output_dtype=output_dtype._np))
    out, segments = isotonic_regression_op(ma.negative(x), output_dtype=output_dtype._np)
    return ma.negative(out), segments  # a plain tuple, as TF's
