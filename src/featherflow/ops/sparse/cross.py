"""``tf.sparse.cross`` and ``tf.sparse.cross_hashed`` (TF's ``SparseCrossV2`` and ``SparseCrossHashed``): the
cartesian product, row by row, of the features of several sparse or dense 2-D inputs.

Host-only: the features are strings (or int64s spelled as strings), as TF's kernels, which have no GPU
registration, take them.

>>> import featherflow as tf
>>> a = tf.sparse.SparseTensor([[0, 0], [0, 1]], ["a", "b"], [1, 2])
>>> tf.sparse.cross([a, tf.constant([["x"]])]).values.numpy().tolist()
[b'a_X_x', b'b_X_x']
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

from ...tensor import Tensor
from ..array.core import host_tensor
from ..convert import tensor
from ..registry import register
from ..strings._hashes import fingerprint64
from .tensor import SparseTensor

_M = (1 << 64) - 1
_MUL = 0xC6A4A7935BD1E995
_SEED = 0xDECAFCAFFE  # TF's kInitialHashSeed, the hash key when none is given


def _shift_mix(v: int) -> int:
    return v ^ (v >> 47)


def _fingerprint_cat64(fp1: int, fp2: int) -> int:
    """TF's ``FingerprintCat64``: combines two 64-bit fingerprints."""
    result = fp1 ^ _MUL
    result ^= (_shift_mix((fp2 * _MUL) & _M) * _MUL) & _M
    result = (result * _MUL) & _M
    result = (_shift_mix(result) * _MUL) & _M
    return _shift_mix(result)


def _rows(arrays: tuple, kinds: tuple, batch: int) -> list[list[list[Any]]]:
    """Per input, per row, its features (sparse: the row's values in order; dense: the row)."""
    out, i = [], 0
    for kind in kinds:
        if kind == "sparse":
            idx, vals = arrays[i], arrays[i + 1]
            i += 2
            rows: list[list[Any]] = [[] for _ in range(batch)]
            for r, v in zip(idx[:, 0].tolist(), vals.tolist()):
                rows[r].append(v)
        else:
            rows = [list(r) for r in arrays[i].tolist()]
            i += 1
        out.append(rows)
    return out


def _product(xp: Any, arrays: tuple, kinds: tuple, batch: int, combine: Any, dtype: Any) -> tuple:
    features = _rows(arrays, kinds, batch)
    indices, values = [], []
    for b in range(batch):
        for j, combo in enumerate(itertools.product(*[f[b] for f in features])):
            indices.append((b, j))
            values.append(combine(combo))
    idx = np.array(indices, dtype=np.int64).reshape(-1, 2)
    return idx, np.array(values, dtype=dtype).reshape(-1)


def _text(v: Any) -> bytes:
    return v if isinstance(v, bytes) else str(int(v)).encode()


@register("SparseCrossV2", n_outputs=2, inputs=("*",), host_only=True)  # TF registers no gradient
def sparse_cross_op(xp: Any, *arrays: Any, kinds: tuple, batch: int, sep: bytes) -> tuple:
    return _product(xp, arrays, kinds, batch, lambda combo: sep.join(_text(v) for v in combo), object)


@register("SparseCrossHashed", n_outputs=2, inputs=("*",), host_only=True)  # nor here
def sparse_cross_hashed_op(xp: Any, *arrays: Any, kinds: tuple, batch: int, num_buckets: int,
                           hash_key: int) -> tuple:
    def combine(combo: tuple) -> int:
        h = hash_key
        for v in combo:  # a string's fingerprint; an int64 is its own hash
            h = _fingerprint_cat64(h, fingerprint64(v) if isinstance(v, bytes) else int(v) & _M)
        return h % num_buckets if num_buckets > 0 else h % ((1 << 63) - 1)

    return _product(xp, arrays, kinds, batch, combine, np.int64)


def _parts(inputs: Any) -> tuple[list[Tensor], tuple, int]:
    if not isinstance(inputs, (list, tuple)):
        raise TypeError("Inputs must be a list")
    arrays: list[Tensor] = []
    kinds = []
    batch = None
    # TF's op takes the sparse inputs, then the dense ones: the product's order follows
    inputs = [x for x in inputs if isinstance(x, SparseTensor)] + [x for x in inputs if not isinstance(x, SparseTensor)]
    for x in inputs:
        if isinstance(x, SparseTensor):
            arrays += [x.indices, x.values]
            kinds.append("sparse")
            rows = x._shape[0]
        else:
            t = tensor(x)
            if t._value.ndim != 2:
                raise ValueError(f"Shape {t.shape} must have rank 2")
            arrays.append(t)
            kinds.append("dense")
            rows = t.shape[0]
        batch = rows if batch is None else batch
    return arrays, tuple(kinds), int(batch or 0)


def _result(idx: Tensor, vals: Tensor, batch: int) -> SparseTensor:
    counts = np.bincount(np.asarray(idx._numpy())[:, 0], minlength=batch) if batch else np.zeros(0, np.int64)
    width = int(counts.max()) if counts.size else 0
    return SparseTensor(idx, vals, host_tensor(np.array([batch, width], dtype=np.int64)))


def cross(inputs: list, name: str | None = None, separator: str | None = None) -> SparseTensor:
    """The crossed features of ``inputs``, row by row, joined by ``separator`` ("_X_" by default)."""
    arrays, kinds, batch = _parts(inputs)
    sep = ("_X_" if separator is None else separator).encode()
    idx, vals = sparse_cross_op(*arrays, kinds=kinds, batch=batch, sep=sep)
    return _result(idx, vals, batch)


def cross_hashed(inputs: list, num_buckets: int = 0, hash_key: int | None = None,
                 name: str | None = None) -> SparseTensor:
    """The crossed features of ``inputs``, row by row, as TF's fingerprint hashes (mod ``num_buckets``)."""
    arrays, kinds, batch = _parts(inputs)
    key = _SEED if hash_key is None else int(hash_key)
    idx, vals = sparse_cross_hashed_op(*arrays, kinds=kinds, batch=batch, num_buckets=int(num_buckets),
                                       hash_key=key)
    return _result(idx, vals, batch)


