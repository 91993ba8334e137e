"""``tf.ragged.cross`` and ``tf.ragged.cross_hashed`` (TF's ``RaggedCross``): row by row, every combination of
one feature from each input (ragged, sparse or dense, all of rank 2), the last input varying fastest; joined
with ``"_X_"``, or hashed with TF's ``FingerprintCat64`` of the features' ``Fingerprint64`` (an int64 feature is
its own hash).

Host-only, as TF's kernel, which has only a CPU registration: the features are strings or int64s read on the
host. TF registers no gradient.

>>> import featherflow as tf
>>> rt = tf.ragged.constant([["a", "b"], ["c"]])
>>> cross([rt, tf.constant([["x"], ["y"]])])
<tf.RaggedTensor [[b'a_X_x', b'b_X_x'], [b'c_X_y']]>
>>> cross_hashed([rt, tf.constant([[1], [2]])], num_buckets=10).values.numpy().tolist()
[5, 3, 3]
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

from ...dtypes import int32 as _int32
from ...dtypes import int64 as _INT64
from ...dtypes import string as _string
from .._kernel_errors import kernel_error
from ..convert import tensor as _tensor
from ..registry import register
from ..sparse.cross import _SEED, _fingerprint_cat64
from ..sparse.tensor import SparseTensor
from ..strings._hashes import fingerprint64
from . import _partition as P
from .tensor import RaggedTensor

_M = (1 << 64) - 1
_INT64_MAX = (1 << 63) - 1
_RANK2 = "tf.ragged.cross only supports inputs with rank=2."


def _kernel_name(order: str, arrays: tuple) -> str:
    """TF's eager kernel name for the call: the op's list lengths, as its attrs spell them."""
    counts = {c: order.count(c) for c in "RSD"}
    return (f"RaggedCross_Nsparse_{counts['S']}_dense_types_{counts['D']}_ragged_splits_types_{counts['R']}_"
            f"ragged_values_types_{counts['R']}_sparse_values_types_{counts['S']}")


def _batch(kind: str, a: tuple) -> int:
    """An input's batch size: a ragged input's rows, a sparse input's dense_shape[0], a dense input's rows."""
    if kind == "R":
        return a[1].size - 1
    return int(a[2][0]) if kind == "S" else a[0].shape[0]


def _features(arrays: tuple, order: str) -> tuple[list[tuple[str, tuple]], int]:
    """Each input as (kind, arrays) in ``order``, and the batch size; TF's kernel checks, in TF's order."""
    parts, i = [], 0
    for kind in order:
        n = {"R": 2, "S": 3, "D": 1}[kind]
        parts.append((kind, tuple(arrays[i:i + n])))
        i += n
    for kind, a in parts:
        if kind == "R" and (a[0].ndim != 1 or a[1].ndim != 1):
            raise ValueError(_RANK2)
        if kind == "S" and a[2].size != 2:
            raise ValueError(_RANK2)
        if kind == "D" and a[0].ndim != 2:
            raise ValueError(_RANK2)
    # the batch size: the first ragged input's, else the first dense one's, else the first sparse one's
    batch = next((_batch(kind, a) for want in "RDS" for kind, a in parts if kind == want), 0)
    for want in "RSD":  # TF checks the ragged inputs, then the sparse, then the dense
        if any(kind == want and _batch(kind, a) != batch for kind, a in parts):
            raise ValueError("inputs must all have the same batch dimension size.")
    return parts, batch


def _rows(kind: str, a: tuple, batch: int) -> list[list[Any]]:
    """The features of each row of one input."""
    if kind == "D":
        return [list(row) for row in a[0].tolist()]
    if kind == "R":
        values, splits = a[0].tolist(), a[1].tolist()
    else:  # TF's sparse reader: a row's values are those whose row index is at most it, in index order
        values, rows = a[1].tolist(), a[0][:, 0].tolist()
        splits, i = [0], 0
        for row in range(batch):
            while i < len(values) and rows[i] <= row:
                i += 1
            splits.append(i)
    return [values[splits[r]:splits[r + 1]] for r in range(batch)]


@register("RaggedCross", n_outputs=2, inputs=("*",), host_only=True)  # TF registers no gradient
def ragged_cross_op(xp: Any, *arrays: Any, input_order: str, hashed_output: bool, num_buckets: int, hash_key: int,
                    out_row_splits_type: Any) -> tuple:
    try:
        parts, batch = _features(arrays, input_order)
    except ValueError as e:
        raise kernel_error("RaggedCross", str(e), kernel=_kernel_name(input_order, arrays)) from None
    features = [_rows(kind, a, batch) for kind, a in parts]
    key = hash_key & _M  # TF passes the uint64 key through an int64 attr

    def text(v: Any) -> bytes:
        return v if isinstance(v, bytes) else str(int(v)).encode()

    def hashed(combo: tuple) -> int:
        h = key
        for v in combo:
            h = _fingerprint_cat64(h, fingerprint64(v) if isinstance(v, bytes) else int(v) & _M)
        return h % num_buckets if num_buckets > 0 else h % _INT64_MAX

    values: list[Any] = []
    splits = [0]
    for b in range(batch):
        for combo in itertools.product(*[f[b] for f in features]) if features else ():
            values.append(hashed(combo) if hashed_output else b"_X_".join(text(v) for v in combo))
        splits.append(len(values))
    if hashed_output:
        out = np.array(values, dtype=np.int64)
    else:
        out = np.empty(len(values), dtype=object)
        out[:] = values
    return out, np.array(splits, dtype=out_row_splits_type.as_numpy_dtype)


def _int64(t: Any) -> Any:
    """Integer features as int64 (TF's cast); strings as they are."""
    return P.cast(t, _INT64) if t.dtype.is_integer else t


def _cross(inputs: Any, hashed_output: bool, num_buckets: int, hash_key: int | None) -> RaggedTensor:
    if not isinstance(inputs, (tuple, list)):
        raise TypeError("Inputs must be a list")
    if hash_key is None:
        hash_key = _SEED
    arrays: list[Any] = []
    order = []
    ragged_splits = []
    for i, t in enumerate(inputs):
        if not isinstance(t, (RaggedTensor, SparseTensor)):
            t = _tensor(t)
        if not (t.dtype.is_integer or t.dtype == _string):
            raise ValueError(f"Unexpected dtype for inputs[{i}]: {t.dtype}")
        if isinstance(t, RaggedTensor):
            if t.ragged_rank != 1:
                raise ValueError("tf.ragged.cross only supports inputs with rank=2")
            arrays += [_int64(t.values), t.row_splits]
            ragged_splits.append(t.row_splits_dtype)
            order.append("R")
        elif isinstance(t, SparseTensor):
            arrays += [t.indices, _int64(t.values), t.dense_shape]
            order.append("S")
        else:
            arrays.append(_int64(t))
            order.append("D")
    splits_type = (_int32 if ragged_splits and all(d == _int32 for d in ragged_splits)
                   else _INT64)
    if hash_key > 2**63:  # a uint64 key, passed as an int64 attr as TF does
        hash_key -= 2**64
    values, splits = ragged_cross_op(*arrays, input_order="".join(order), hashed_output=hashed_output,
                                     num_buckets=int(num_buckets), hash_key=int(hash_key),
                                     out_row_splits_type=splits_type)
    return RaggedTensor(values, splits, internal=True)


def cross(inputs: list, name: str | None = None) -> RaggedTensor:
    """Generates feature cross from a list of tensors (``tf.ragged.cross``): the features joined with "_X_"."""
    return _cross(inputs, hashed_output=False, num_buckets=0, hash_key=None)


def cross_hashed(inputs: list, num_buckets: int = 0, hash_key: int | None = None,
                 name: str | None = None) -> RaggedTensor:
    """Generates hashed feature cross from a list of tensors (``tf.ragged.cross_hashed``)."""
    return _cross(inputs, hashed_output=True, num_buckets=num_buckets, hash_key=hash_key)
