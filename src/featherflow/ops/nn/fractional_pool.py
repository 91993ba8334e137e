"""``tf.nn.fractional_max_pool`` and ``tf.nn.fractional_avg_pool`` (FractionalMaxPool, FractionalAvgPool and
their gradient ops), with TF's pooling sequences bit for bit.

The sequences come from TF's ``GeneratePoolingSequence`` (fractional_pool_common.cc): a GuardedPhiloxRandom
seeded (seed, seed2), first the rows' sequence then the columns'; each call of a seeded op starts the generator
afresh, as TF 2.21's kernel does. That scalar work runs on the host; the pooling runs on the device, as gathers
of each output's window (windows are at most ``input // output + 2`` long) with the padding masked.

>>> import featherflow as tf
>>> x = tf.reshape(tf.range(100.0), [1, 10, 10, 1])
>>> tf.nn.fractional_max_pool(x, [1.0, 1.5, 1.5, 1.0], seed=5).row_pooling_sequence.numpy().tolist()
[0, 2, 3, 5, 7, 8, 10]
"""

from __future__ import annotations

import math
import struct
from typing import Any, NamedTuple

import numpy as np

from ...errors import InvalidArgumentError, UnimplementedError
from ...tensor import Tensor
from .._kernel_errors import kernel_error, slow_path
from ..convert import tensor
from ..registry import register
from .conv import get_sequence


class FractionalMaxPool(NamedTuple):
    output: Tensor
    row_pooling_sequence: Tensor
    col_pooling_sequence: Tensor


class FractionalAvgPool(NamedTuple):
    output: Tensor
    row_pooling_sequence: Tensor
    col_pooling_sequence: Tensor


# --- TF's pooling sequences --------------------------------------------------------------------------------


def _reserve(state: list, words: int) -> tuple[int, int]:
    """GuardedPhiloxRandom::ReserveSamples32: (key, counter) of the next ``words`` 32-bit samples."""
    key, counter = state
    state[1] = counter + -(-words // 4)
    return key, counter


def _uint64_to_double(x0: int, x1: int) -> float:
    bits = (1023 << 52) | ((x0 & 0xFFFFF) << 32) | x1
    return struct.unpack("<d", struct.pack("<Q", bits))[0] - 1.0


def pooling_sequence(n_in: int, n_out: int, state: list, pseudo_random: bool) -> list[int]:
    """TF's GeneratePoolingSequence: cumulative window starts (n_out + 1 values, 0 ... n_in)."""
    from ..random._philox import philox_words  # on first use, as the other random tables

    k = n_in // n_out
    if pseudo_random:
        x0, x1 = (int(w) for w in philox_words(*_reserve(state, 2), 2))
        alpha = n_in / n_out
        u_max = min((k + 2) / alpha - 1, (n_in + 1 - k) / alpha - (n_out - 1))
        u = _uint64_to_double(x0, x1) * u_max
        cum = [1] + [int(math.ceil(alpha * (i + u))) for i in range(1, n_out)] + [n_in + 1]
        diff = [cum[i + 1] - cum[i] for i in range(n_out)]
    else:
        diff = [k + 1 if i < n_in % n_out else k for i in range(n_out)]
        words = [int(w) for w in philox_words(*_reserve(state, n_out), n_out)]
        for i in range(n_out - 1):  # TF's RandomShuffle, one 32-bit sample per step
            j = i + words[i] % (n_out - i)
            diff[i], diff[j] = diff[j], diff[i]
    out = [0]
    for d in diff:
        out.append(out[-1] + d)
    return out


# --- the kernels -------------------------------------------------------------------------------------------


def _windows(xp: Any, seq: Any, size: int, span: int, overlapping: bool) -> tuple:
    """(index, mask): each output's window of input positions, (n_out, span), its padding masked out (and its
    index clipped to the window's last position, which a max may repeat)."""
    starts = seq[:-1]
    ends = xp.minimum(seq[1:] - (0 if overlapping else 1), size - 1)
    raw = starts[:, None] + xp.arange(span, dtype=np.int64)[None, :]
    return xp.minimum(raw, ends[:, None]), raw <= ends[:, None]


def _spans(shape: tuple, rows: tuple, cols: tuple) -> tuple:
    return shape[1] // (len(rows) - 1) + 2, shape[2] // (len(cols) - 1) + 2


def _gather_windows(xp: Any, x: Any, rows: Any, cols: Any, spans: tuple, overlapping: bool) -> tuple:
    """(N, OH, KH, OW, KW, C) windows of ``x`` and their mask (OH, KH, OW, KW)."""
    ri, rm = _windows(xp, rows, x.shape[1], spans[0], overlapping)
    ci, cm = _windows(xp, cols, x.shape[2], spans[1], overlapping)
    win = x[:, ri][:, :, :, ci]  # (N, OH, KH, OW, KW, C)
    return win, rm[:, :, None, None] & cm[None, None, :, :], ri, ci


def _max_forward(xp: Any, x: Any, rows: tuple, cols: tuple, overlapping: bool) -> tuple:
    r, c = xp.asarray(rows, dtype=np.int64), xp.asarray(cols, dtype=np.int64)
    win, _, _, _ = _gather_windows(xp, x, r, c, _spans(x.shape, rows, cols), overlapping)
    return win.max(axis=(2, 4)), r, c


@register("FractionalMaxPool", n_outputs=3)
def fractional_max_pool_op(xp: Any, x: Any, rows: tuple, cols: tuple, overlapping: bool) -> tuple:
    return _max_forward(xp, x, rows, cols, overlapping)


@register("FractionalMaxPoolGrad")
def fractional_max_pool_grad_op(xp: Any, x: Any, y: Any, g: Any, rows: Any, cols: Any, overlapping: bool) -> Any:
    n, h, w, c = x.shape
    oh, ow = rows.shape[0] - 1, cols.shape[0] - 1
    spans = (h // max(oh, 1) + 2, w // max(ow, 1) + 2)
    win, _, ri, ci = _gather_windows(xp, x, rows, cols, spans, overlapping)
    kh, kw = spans
    # the first maximum in the window's row-major order, as TF's kernel keeps it (clipped repeats come later)
    flat = xp.transpose(win, (0, 1, 3, 5, 2, 4)).reshape(n, oh, ow, c, kh * kw)
    arg = xp.argmax(flat, axis=-1)
    in_r = xp.take_along_axis(xp.broadcast_to(ri[None, :, None, None, :], (n, oh, ow, c, kh)),
                              (arg // kw)[..., None], axis=-1)[..., 0]
    in_c = xp.take_along_axis(xp.broadcast_to(ci[None, None, :, None, :], (n, oh, ow, c, kw)),
                              (arg % kw)[..., None], axis=-1)[..., 0]
    b = xp.arange(n, dtype=np.int64)[:, None, None, None]
    d = xp.arange(c, dtype=np.int64)[None, None, None, :]
    target = ((b * h + in_r) * w + in_c) * c + d
    out = xp.zeros(x.size, dtype=g.dtype)
    xp.add.at(out, target.reshape(-1), g.reshape(-1))
    return out.reshape(x.shape)


@fractional_max_pool_op.gradient
def _(gs: tuple, ans: tuple, x: Tensor, rows: tuple, cols: tuple, overlapping: bool) -> Any:
    if gs[0] is None:
        return None
    return fractional_max_pool_grad_op(x, ans[0], gs[0], ans[1], ans[2], overlapping=overlapping)


def _cell_sizes(xp: Any, rmask: Any, cmask: Any) -> Any:
    return (rmask.sum(axis=1)[:, None] * cmask.sum(axis=1)[None, :]).astype(np.int64)  # (OH, OW)


@register("FractionalAvgPool", n_outputs=3)
def fractional_avg_pool_op(xp: Any, x: Any, rows: tuple, cols: tuple, overlapping: bool) -> tuple:
    r, c = xp.asarray(rows, dtype=np.int64), xp.asarray(cols, dtype=np.int64)
    kh, kw = _spans(x.shape, rows, cols)
    ri, rm = _windows(xp, r, x.shape[1], kh, overlapping)
    ci, cm = _windows(xp, c, x.shape[2], kw, overlapping)
    total = xp.zeros((x.shape[0], len(rows) - 1, len(cols) - 1, x.shape[3]), dtype=x.dtype)
    zero = xp.zeros((), dtype=x.dtype)
    for i in range(kh):  # TF's kernel adds a window's inputs in row-major order, in the input dtype
        part = x[:, ri[:, i]]
        for j in range(kw):
            valid = (rm[:, i][:, None] & cm[:, j][None, :])[None, :, :, None]
            total = total + xp.where(valid, part[:, :, ci[:, j]], zero)
    count = _cell_sizes(xp, rm, cm)[None, :, :, None]
    if x.dtype.kind in "iu":  # C++ integer division truncates toward zero
        q = xp.abs(total) // count
        out = xp.where(total < 0, -q, q).astype(x.dtype)
    else:
        out = (total / count.astype(x.dtype)).astype(x.dtype)
    return out, r, c


@register("FractionalAvgPoolGrad", inputs=("T", "", ""))
def fractional_avg_pool_grad_op(xp: Any, g: Any, rows: Any, cols: Any, input_shape: tuple, overlapping: bool) -> Any:
    n, h, w, c = input_shape
    oh, ow = rows.shape[0] - 1, cols.shape[0] - 1
    kh, kw = h // max(oh, 1) + 2, w // max(ow, 1) + 2
    ri, rm = _windows(xp, rows, h, kh, overlapping)
    ci, cm = _windows(xp, cols, w, kw, overlapping)
    share = g.astype(np.float64) / _cell_sizes(xp, rm, cm)[None, :, :, None]  # TF accumulates in double
    # (N, OH, OW, KH, KW, C): TF's loop order, so the double sums round as its do
    b = xp.arange(n, dtype=np.int64)[:, None, None, None, None, None]
    d = xp.arange(c, dtype=np.int64)[None, None, None, None, None, :]
    target = ((b * h + ri[None, :, None, :, None, None]) * w + ci[None, None, :, None, :, None]) * c + d
    valid = xp.broadcast_to((rm[:, None, :, None] & cm[None, :, None, :])[None, :, :, :, :, None], target.shape)
    values = xp.broadcast_to(share[:, :, :, None, None, :], target.shape)
    out = xp.zeros(n * h * w * c, dtype=np.float64)
    xp.add.at(out, target[valid], values[valid])
    return out.reshape(input_shape).astype(g.dtype)


@fractional_avg_pool_op.gradient
def _(gs: tuple, ans: tuple, x: Tensor, rows: tuple, cols: tuple, overlapping: bool) -> Any:
    if gs[0] is None:
        return None
    return fractional_avg_pool_grad_op(gs[0], ans[1], ans[2], input_shape=x._value.shape, overlapping=overlapping)


# --- the public functions ----------------------------------------------------------------------------------


def _max_ratios(pooling_ratio: Any) -> list:
    """tf.nn.fractional_max_pool's Python checks, then TF's _get_sequence."""
    if isinstance(pooling_ratio, (list, tuple)):
        if pooling_ratio[0] != 1.0 or pooling_ratio[-1] != 1.0:
            raise ValueError("`pooling_ratio` should have first and last elements with value 1.0. Received: "
                             f"pooling_ratio={pooling_ratio}")
        for element in pooling_ratio:
            if element < 1.0:
                raise ValueError(f"`pooling_ratio` elements should be >= 1.0. Received: pooling_ratio={pooling_ratio}")
        return get_sequence(pooling_ratio, 2, 3, "pooling_ratio")
    if isinstance(pooling_ratio, (int, float)):
        if pooling_ratio < 1.0:
            raise ValueError(f"`pooling_ratio` should be >= 1.0. Received: pooling_ratio={pooling_ratio}")
        return get_sequence(pooling_ratio, 2, 3, "pooling_ratio")
    raise ValueError("`pooling_ratio` should be an int or a list of ints. Received: "
                     f"pooling_ratio={pooling_ratio}")


def _pool(op: Any, value: Any, pooling_ratio: Any, pseudo_random: bool, overlapping: bool, seed: int) -> Any:
    name = op.name
    kind = "max" if "Max" in name else "avg"
    if kind == "max":
        ratios = _max_ratios(pooling_ratio)
    elif isinstance(pooling_ratio, (list, tuple)):  # tf.nn.fractional_avg_pool passes the list to the op as is
        ratios = list(pooling_ratio)
    else:
        raise TypeError(f"Expected list for 'pooling_ratio' argument to 'fractional_avg_pool' Op, not "
                        f"{pooling_ratio!r}.")
    x = tensor(value)
    op.check(x)
    if len(ratios) < 4:  # the op definition's minimum length
        raise InvalidArgumentError(None, None, f"Length for attr 'pooling_ratio' of {len(ratios)} must be at least "
                                               f"minimum 4\n\t; NodeDef: {{{{node {name}}}}}; Op<name={name}; "
                                               f"{op.contract.summary}> [Op:{name}] name: ")
    if len(ratios) != 4:
        raise kernel_error(name, "pooling_ratio field must specify 4 dimensions", kernel=name)
    if ratios[0] != 1 or ratios[3] != 1:
        raise kernel_error(name, f"Fractional {'max' if kind == 'max' else 'average'} pooling is not yet supported on "
                                 "the batch nor channel dimension.", kernel=name, cls=UnimplementedError)
    for r in ratios:
        if r < 1:
            raise kernel_error(name, f"pooling_ratio cannot be smaller than 1, got: {_fmt(r)}", kernel=name)
    shape = x._value.shape
    if len(shape) != 4:
        raise kernel_error(name, "tensor_in must be 4-dimensional", kernel=name)
    out = []
    for i in range(4):
        if ratios[i] > shape[i]:
            raise kernel_error(name, f"Pooling ratio is higher than input dimension size for dimension {i}. Input dim "
                                     f"size: {shape[i]} pooling ratio: {_fmt(ratios[i])}", kernel=name)
        out.append(int(math.floor(np.float32(shape[i]) / np.float32(ratios[i]))))
    if seed == 0:  # an unseeded kernel: TF seeds it from the OS once
        from ..random._kernels import _os_uint64

        seeds = (_os_uint64(), _os_uint64())
    else:
        seeds = _seeds(seed)
    state = [seeds[0] & 0xFFFFFFFFFFFFFFFF, (seeds[1] & 0xFFFFFFFFFFFFFFFF) << 64]
    rows = pooling_sequence(shape[1], out[1], state, pseudo_random)
    cols = pooling_sequence(shape[2], out[2], state, pseudo_random)
    result = FractionalMaxPool if kind == "max" else FractionalAvgPool
    return result(*op(x, rows=tuple(rows), cols=tuple(cols), overlapping=bool(overlapping)))


def _fmt(v: float) -> str:
    """A float attr as TF's StrCat prints it (%.6g, or %.9g when that does not read back)."""
    f = np.float32(v)
    text = f"{float(f):.6g}"
    return text if np.float32(float(text)) == f else f"{float(f):.9g}"


def _seeds(seed: int) -> tuple:
    from ..random.core import get_seed

    s1, s2 = get_seed(seed)
    return s1 or 0, s2 or 0


def fractional_max_pool(value: Any, pooling_ratio: Any, pseudo_random: bool = False, overlapping: bool = False,
                        seed: int = 0, name: str | None = None) -> FractionalMaxPool:
    """Max pooling over NHWC windows of fractional average size ``pooling_ratio`` (random sequences of sizes
    k and k + 1; ``seed`` 0: unseeded), and the row and column sequences."""
    with slow_path(value):  # (a Python list takes TF's slow path: its errors lack the " name: " tail)
        return _pool(fractional_max_pool_op, value, pooling_ratio, pseudo_random, overlapping, seed)


def fractional_avg_pool(value: Any, pooling_ratio: Any, pseudo_random: bool = False, overlapping: bool = False,
                        seed: int = 0, name: str | None = None) -> FractionalAvgPool:
    """Average pooling over NHWC windows of fractional average size ``pooling_ratio`` (see fractional_max_pool)."""
    with slow_path(value):
        return _pool(fractional_avg_pool_op, value, pooling_ratio, pseudo_random, overlapping, seed)

