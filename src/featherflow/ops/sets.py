"""``tf.sets``: intersection, union, difference and size of the sets in the last dimension of dense tensors or
SparseTensors (TF's DenseToDenseSetOperation, DenseToSparseSetOperation, SparseToSparseSetOperation and
SetSize ops, which TF runs on the host only and declares not differentiable). Results are SparseTensors whose
rows hold each set's values sorted, as TF's kernels give them.

>>> import featherflow as tf
>>> tf.sets.intersection([[1, 2, 3]], [[2, 3, 4]]).values.numpy()
array([2, 3], dtype=int32)
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

from ..dtypes import int8 as _int8
from ..dtypes import int16 as _int16
from ..dtypes import int32 as _int32
from ..dtypes import int64 as _int64
from ..dtypes import string as _string
from ..dtypes import uint8 as _uint8
from ..dtypes import uint16 as _uint16
from ..errors import InvalidArgumentError
from ..tensor import Tensor
from .array.core import op_error
from .convert import tensor
from .registry import register
from .sparse.tensor import SparseTensor

_SET_DTYPES = frozenset({_int8, _int16, _int32, _int64, _uint8, _uint16,
                         _string})


def _rank_check(op_name: str, shape: tuple) -> None:
    if len(shape) < 2:
        raise op_error(op_name, f"Shape [{','.join(map(str, shape))}] has rank {len(shape)} < 2", name="")


def _dense_rows(xp: Any, dense: Any) -> dict:
    """The set of each row (the last dimension) of a dense array, by its batch index."""
    batch = dense.shape[:-1]
    flat = dense.reshape(-1, dense.shape[-1]) if dense.size else dense.reshape(int(np.prod(batch)), 0)
    return {idx: set(flat[i].tolist()) for i, idx in enumerate(itertools.product(*map(range, batch)))}


def _sparse_rows(xp: Any, indices: Any, values: Any) -> dict:
    rows: dict = {}
    for idx, v in zip(indices[:, :-1].tolist(), values.tolist()):
        rows.setdefault(tuple(idx), set()).add(v)
    return rows


def _combine(xp: Any, op_name: str, batch: tuple, rows1: dict, rows2: dict, set_operation: str, dtype: Any) -> tuple:
    kind = set_operation.lower()
    results = []
    for idx in itertools.product(*map(range, batch)):
        a, b = rows1.get(idx, set()), rows2.get(idx, set())
        if kind == "a-b":
            r = a - b
        elif kind == "b-a":
            r = b - a
        elif kind == "intersection":
            r = a & b
        elif kind == "union":
            r = a | b
        else:
            raise op_error(op_name, f"Invalid set_operation {set_operation}.", name="")
        results.append((idx, sorted(r)))
    width = max((len(r) for _, r in results), default=0)
    indices = [list(idx) + [j] for idx, r in results for j in range(len(r))]
    values = [v for _, r in results for v in r]
    out_indices = xp.asarray(indices, dtype=np.int64).reshape(len(indices), len(batch) + 1)
    out_values = xp.asarray(values, dtype=dtype).reshape(len(values))
    return out_indices, out_values, xp.asarray(list(batch) + [width], dtype=np.int64)


@register("DenseToDenseSetOperation", n_outputs=3, differentiable=False, dtypes=_SET_DTYPES, host_only=True)
def dense_to_dense_op(xp: Any, set1: Any, set2: Any, set_operation: str, validate_indices: bool) -> tuple:
    name = "DenseToDenseSetOperation"
    if set1.shape[:-1] != set2.shape[:-1]:
        raise op_error(name, f"Shapes [{','.join(map(str, set1.shape))}] and [{','.join(map(str, set2.shape))}] "
                             "do not match in dimension(s) for set operation", name="")
    return _combine(xp, name, set1.shape[:-1], _dense_rows(xp, set1), _dense_rows(xp, set2), set_operation,
                    set1.dtype)


@register("DenseToSparseSetOperation", n_outputs=3, differentiable=False, dtypes=_SET_DTYPES,
          inputs=("T", "", "T", ""), host_only=True)
def dense_to_sparse_op(xp: Any, set1: Any, indices2: Any, values2: Any, shape2: Any, set_operation: str,
                       validate_indices: bool) -> tuple:
    return _combine(xp, "DenseToSparseSetOperation", set1.shape[:-1], _dense_rows(xp, set1),
                    _sparse_rows(xp, indices2, values2), set_operation, set1.dtype)


@register("SparseToSparseSetOperation", n_outputs=3, differentiable=False, dtypes=_SET_DTYPES,
          inputs=("", "T", "", "", "T", ""), host_only=True)
def sparse_to_sparse_op(xp: Any, indices1: Any, values1: Any, shape1: Any, indices2: Any, values2: Any,
                        shape2: Any, set_operation: str, validate_indices: bool) -> tuple:
    batch = tuple(int(d) for d in shape1[:-1].tolist())
    return _combine(xp, "SparseToSparseSetOperation", batch, _sparse_rows(xp, indices1, values1),
                    _sparse_rows(xp, indices2, values2), set_operation, values1.dtype)


@register("SetSize", differentiable=False, dtypes=_SET_DTYPES, inputs=("", "T", ""), host_only=True)
def set_size_op(xp: Any, indices: Any, values: Any, shape: Any, validate_indices: bool) -> Any:
    batch = tuple(int(d) for d in shape[:-1].tolist())
    rows = _sparse_rows(xp, indices, values)
    sizes = [len(rows.get(idx, ())) for idx in itertools.product(*map(range, batch))]
    return xp.asarray(sizes, dtype=np.int32).reshape(batch)


def _convert(value: Any, name: str) -> Any:
    return value if isinstance(value, SparseTensor) else tensor(value)


def _supported(t: Any, name: str) -> Any:
    dtype = t.dtype
    if dtype not in _SET_DTYPES:
        names = ", ".join(f"tf.{d.name}" for d in _SET_DTYPES)
        raise TypeError(f"'{name}' has invalid dtype `<dtype: '{dtype.name}'>` not in supported dtypes: "
                        f"`frozenset({{{names}}})`.")
    return dtype


def _set_operation(a: Any, b: Any, set_operation: str, validate_indices: bool) -> SparseTensor:
    a = _convert(a, "a")
    b = _convert(b, "b")
    if a.dtype != b.dtype:
        raise TypeError(f"Types don't match, <dtype: '{a.dtype.name}'> vs <dtype: '{b.dtype.name}'>.")
    _supported(a, "a")
    _supported(b, "b")
    v = bool(validate_indices)
    if not isinstance(a, SparseTensor) and not isinstance(b, SparseTensor):
        _rank_check("DenseToDenseSetOperation", a._value.shape)
        _rank_check("DenseToDenseSetOperation", b._value.shape)
        out = dense_to_dense_op(a, b, set_operation=set_operation, validate_indices=v)
    elif not isinstance(a, SparseTensor):
        _rank_check("DenseToSparseSetOperation", a._value.shape)
        out = dense_to_sparse_op(a, b.indices, b.values, b.dense_shape, set_operation=set_operation,
                                 validate_indices=v)
    elif not isinstance(b, SparseTensor):
        # TF runs it as dense-to-sparse with the operands swapped (and "a-b" turned into "b-a")
        _rank_check("DenseToSparseSetOperation", b._value.shape)
        flipped = {"a-b": "b-a", "b-a": "a-b"}.get(set_operation, set_operation)
        out = dense_to_sparse_op(b, a.indices, a.values, a.dense_shape, set_operation=flipped, validate_indices=v)
    else:
        out = sparse_to_sparse_op(a.indices, a.values, a.dense_shape, b.indices, b.values, b.dense_shape,
                                  set_operation=set_operation, validate_indices=v)
    return SparseTensor(*out)


def size(a: Any, validate_indices: bool = True) -> Tensor:
    """The number of unique values in each set of the last dimension of the SparseTensor ``a``.

    >>> import featherflow as tf
    >>> size(tf.sparse.from_dense([[1, 0, 2], [5, 5, 0]])).numpy()
    array([2, 1], dtype=int32)
    """
    if not isinstance(a, SparseTensor):
        raise TypeError(f"Expected `SparseTensor`, got {a}.")
    _supported(a, "a")
    if len(a.dense_shape._value) < 2:
        raise InvalidArgumentError(None, None, "Invalid input rank")
    return set_size_op(a.indices, a.values, a.dense_shape, validate_indices=bool(validate_indices))


def intersection(a: Any, b: Any, validate_indices: bool = True) -> SparseTensor:
    """The values present in both sets of each row (the last dimension) of ``a`` and ``b``.

    >>> intersection([[1, 2, 3]], [[3, 1, 5]]).values.numpy()
    array([1, 3], dtype=int32)
    """
    return _set_operation(a, b, "intersection", validate_indices)


def union(a: Any, b: Any, validate_indices: bool = True) -> SparseTensor:
    """The values present in either set of each row (the last dimension) of ``a`` and ``b``.

    >>> union([[1, 2]], [[3, 1]]).values.numpy()
    array([1, 2, 3], dtype=int32)
    """
    return _set_operation(a, b, "union", validate_indices)


def difference(a: Any, b: Any, aminusb: bool = True, validate_indices: bool = True) -> SparseTensor:
    """The values of each row's set of ``a`` that ``b``'s lacks (``aminusb=False``: the reverse).

    >>> difference([[1, 2, 3]], [[2]]).values.numpy()
    array([1, 3], dtype=int32)
    """
    return _set_operation(a, b, "a-b" if aminusb else "b-a", validate_indices)
