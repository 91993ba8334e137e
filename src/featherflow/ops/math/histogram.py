"""``tf.histogram_fixed_width`` (the HistogramFixedWidth op, which has no gradient) and
``tf.histogram_fixed_width_bins`` (TF's Python composite, with its float rounding of each bin).

>>> import featherflow as tf
>>> tf.histogram_fixed_width([-1.0, 0.0, 1.5, 2.0, 5.0], [0.0, 5.0], nbins=5).numpy()
array([2, 1, 1, 0, 1], dtype=int32)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ... import dtypes as _dtypes
from ...backends import to_numpy
from ...tensor import Tensor
from ..array.core import op_error, reshape_op
from ..convert import tensor
from ..registry import register


@register("HistogramFixedWidth")  # TF registers no gradient for it
def histogram_op(xp: Any, values: Any, value_range: Any, nbins: Any, dtype: Any) -> Any:
    # TF's kernel: clamp to the range, scale in double, truncate, and put the top edge in the last bin
    n = int(nbins) if xp is np else int(to_numpy(nbins))
    lo, hi = value_range[0], value_range[1]
    step = hi.astype(np.float64) - lo.astype(np.float64)
    shifted = (xp.maximum(values.reshape(-1), lo) - lo).astype(np.float64)
    index = xp.minimum((shifted / step * n).astype(np.int32), n - 1)
    return xp.bincount(index, minlength=n).astype(dtype)


def histogram_fixed_width(values: Any, value_range: Any, nbins: Any = 100, dtype: Any = _dtypes.int32,
                          name: str | None = None) -> Tensor:
    """Counts of ``values`` in ``nbins`` equal bins over ``value_range`` (values outside go to the end bins).

    >>> histogram_fixed_width([0, 1, 2, 9], [0, 4], nbins=2).numpy()
    array([2, 2], dtype=int32)
    """
    v = tensor(values)
    r = tensor(value_range, v._dtype)
    n = tensor(nbins, _dtypes.int32)
    out = _dtypes.as_dtype(dtype)
    histogram_op.check(v, r, n)
    histogram_op.check_attr("dtype", out)
    count = int(n._numpy())
    ends = np.asarray(r._numpy()).reshape(-1)[:2].tolist()
    if not ends[0] < ends[1]:
        shown = ", ".join(f"{x:g}" for x in ends)  # as C++'s ostream prints them
        raise op_error("HistogramFixedWidth", "value_range should satisfy value_range[0] < value_range[1], but got "
                                              f"'[{shown}]'")
    if count <= 0:
        raise op_error("HistogramFixedWidth", f"nbins should be a positive number, but got '{count}'")
    return histogram_op(v, r, n, dtype=out._np)


def histogram_fixed_width_bins(values: Any, value_range: Any, nbins: Any = 100, dtype: Any = _dtypes.int32,
                               name: str | None = None) -> Tensor:
    """The bin index (in ``[0, nbins)``) each of ``values`` falls in, over ``value_range`` (int32: TF ignores ``dtype``).

    >>> histogram_fixed_width_bins([-1.0, 0.0, 1.5, 2.0, 5.0], [0.0, 5.0], nbins=5).numpy()
    array([0, 0, 1, 2, 4], dtype=int32)
    """
    from ..array.create import cast
    from ..math.api import floor, multiply, subtract, truediv
    from ..math.clip import clip_by_value

    # TF's Python body, op for op (int values fail as TF's do: an int32 count times float64 scaled values)
    v = tensor(values)
    shape = v._value.shape
    flat = reshape_op(v, shape=(-1,))
    r = tensor(value_range)
    nbins_float = cast(nbins, v._dtype)
    scaled = truediv(subtract(flat, r[0]), subtract(r[1], r[0]))
    indices = floor(multiply(nbins_float, scaled))
    clipped = clip_by_value(indices, 0, subtract(nbins_float, 1))
    return reshape_op(cast(clipped, _dtypes.int32), shape=shape)
