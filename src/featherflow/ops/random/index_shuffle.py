"""``tf.random_index_shuffle`` (RandomIndexShuffle): a seeded permutation of [0, max_index], bit for bit as TF.

TF's kernel (random_index_shuffle.cc) encrypts the index with a Simon Feistel cipher whose block is the
smallest even bit width (at least 16) that holds ``max_index``, and re-encrypts (cycle walking) until the
value falls in [0, max_index]. Here every element is enciphered at once, on the device, with its own word
width; the elements that still lie outside their range are re-enciphered until none do.

>>> import featherflow as tf
>>> sorted(tf.random_index_shuffle(tf.range(5), [1, 2, 3], 4).numpy().tolist())
[0, 1, 2, 3, 4]
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ...tensor import Tensor
from ..array.core import op_error
from ..convert import tensor
from ..registry import register

_C = 0xFFFFFFFC
_Z = 0x7369F885192C0EF5


def _block_size(max_index: int) -> int:
    # std::ceil(std::log2(max_index)) on the double nearest max_index, as TF computes it
    bits = math.ceil(math.log2(float(max_index))) if max_index else 0
    return max(bits + bits % 2, 16)


def _rotl(x: Any, r: int, w: Any, mask: Any) -> Any:
    return ((x << np.uint64(r)) | (x >> (w - np.uint64(r)))) & mask


def _rotr(x: Any, r: int, w: Any, mask: Any) -> Any:
    return ((x >> np.uint64(r)) | (x << (w - np.uint64(r)))) & mask


def _simon_f(x: Any, w: Any, mask: Any) -> Any:
    return (_rotl(x, 1, w, mask) & _rotl(x, 8, w, mask)) ^ _rotl(x, 2, w, mask)


def _round_keys(xp: Any, key: Any, w: Any, mask: Any, rounds: int) -> list:
    """Simon's key schedule on words of ``w`` bits (``std::bitset<W>``: every constant cut to W bits)."""
    rk = [key[:, 0] & mask, key[:, 1] & mask, key[:, 2] & mask]
    c = np.uint64(_C) & mask
    z = np.uint64(_Z) & mask
    for i in range(3, rounds):
        rk.append(c ^ (z & np.uint64(1)) ^ rk[i - 3] ^ _rotr(rk[i - 1], 3, w, mask) ^ _rotr(rk[i - 1], 4, w, mask))
        z = z >> np.uint64(1)
    return rk


def _encrypt(value: Any, rk: list, w: Any, mask: Any) -> Any:
    left, right = (value >> w) & mask, value & mask
    for i in range(0, len(rk), 2):
        left = left ^ _simon_f(right, w, mask) ^ rk[i]
        right = right ^ _simon_f(left, w, mask) ^ rk[i + 1]
    return (left << w) | right


@register("RandomIndexShuffle", differentiable=False, inputs=("dtype", "Tseed", "dtype"))
def random_index_shuffle_op(xp: Any, index: Any, seed: Any, max_index: Any, rounds: int = 4) -> Any:
    """The kernel: each index's image under the permutation its seed row and max_index choose."""
    n = max(index.size, max_index.size, seed.size // 3)
    all_scalar = index.ndim == 0 and seed.ndim == 1 and max_index.ndim == 0
    if not (index.ndim == 0 or (index.ndim == 1 and index.shape[0] == n)):
        raise op_error("RandomIndexShuffle", "Index bust be a scalar or vector.", name=None)
    if not ((seed.ndim == 1 and seed.shape[0] == 3) or (seed.ndim == 2 and seed.shape[0] == n
                                                          and seed.shape[1] == 3)):
        dims = ",".join(str(d) for d in seed.shape)
        raise op_error("RandomIndexShuffle", f"Seed must be a vector of size [3] or a matrix of size [{n}, 3] but "
                                             f"got [{dims}].", name=None)
    if not (max_index.ndim == 0 or (max_index.ndim == 1 and max_index.shape[0] == n)):
        dims = ",".join(str(d) for d in max_index.shape)
        raise op_error("RandomIndexShuffle", "Maxval must be a scalar or a vector of the same size as index but got "
                                             f"[{dims}]", name=None)
    dtype = index.dtype
    # static_cast<uint64_t> of each value (two's complement for the signed dtypes), seeds cut to uint32
    idx = xp.broadcast_to(index.astype(np.int64).view(np.uint64) if dtype.kind == "i" else index.astype(np.uint64),
                          (n,))
    top = xp.broadcast_to(max_index.astype(np.int64).view(np.uint64) if dtype.kind == "i"
                          else max_index.astype(np.uint64), (n,))
    key = seed.astype(np.int64).view(np.uint64) if seed.dtype.kind == "i" else seed.astype(np.uint64)
    key = xp.broadcast_to((key & np.uint64(0xFFFFFFFF)).reshape(-1, 3), (n, 3))
    for what, vals in (("index", idx), ("max_index", top)):
        if dtype.kind == "i":
            neg = vals.view(np.int64)[vals.view(np.int64) < 0]
            if neg.size:
                raise op_error("RandomIndexShuffle", f"{what} must be >= 0 but was {int(neg[0])}", name=None)
    over = xp.nonzero(idx > top)[0]
    if over.size:
        i = over[:1]
        raise op_error("RandomIndexShuffle", f"max_index must be >= index, but {int(top[i][0])} < {int(idx[i][0])}",
                       name=None)
    if rounds < 4 or rounds % 2:
        raise op_error("RandomIndexShuffle", f"rounds must be even and at least 4, got {rounds}", name=None)
    # the block width of each element: ceil(log2(max_index)) read off the double nearest max_index
    as_float = top.astype(np.float64)
    bits = xp.ceil(xp.log2(xp.maximum(as_float, 1.0))).astype(np.int64)
    bits = xp.maximum(bits + bits % 2, 16).astype(np.uint64)
    w = bits >> np.uint64(1)
    mask = (np.uint64(1) << w) - np.uint64(1)  # w <= 32, so no shift reaches 64
    rk = _round_keys(xp, key, w, mask, rounds)
    out = xp.where(top == 0, np.uint64(0), idx)
    rows = xp.nonzero(top != 0)[0]
    current = idx[rows]
    while rows.size:
        wr, mr = w[rows], mask[rows]
        current = _encrypt(current, [k[rows] for k in rk], wr, mr)
        done = current <= top[rows]
        out[rows[done]] = current[done]
        rows, current = rows[~done], current[~done]
    result = out.astype(dtype) if dtype.kind == "u" else out.view(np.int64).astype(dtype)
    return result.reshape(()) if all_scalar else result


def random_index_shuffle(index: Any, seed: Any, max_index: Any, rounds: int = 4,
                         name: str | None = None) -> Tensor:
    """The position of ``index`` in a pseudorandom permutation of [0, max_index] chosen by ``seed`` (3 values)."""
    idx = tensor(index)
    return random_index_shuffle_op(idx, tensor(seed), tensor(max_index, idx.dtype), rounds=int(rounds))


def index_shuffle(index: Any, seed: Any, max_index: Any) -> Tensor:
    """``tf.random.experimental.index_shuffle``: as ``random_index_shuffle`` with a stateless seed of 2 values
    (shape [2] or [n, 2]), which TF pads in front with the constant 498247692 to the op's 3.

    >>> index_shuffle(tensor([0, 1, 2, 3]), [5, 9], 3).numpy().tolist()
    [2, 0, 1, 3]
    """
    from ..array.join import pad

    key = tensor(seed)
    return random_index_shuffle(index, pad(key, [[1, 0]] + [[0, 0]] * (key.shape.rank - 1),
                                           constant_values=498247692), max_index)
