"""``tf.nn.embedding_lookup_sparse`` and ``tf.nn.safe_embedding_lookup_sparse``: the embeddings of each row's
ids of a SparseTensor combined by ``sum``, ``mean`` or ``sqrtn`` (weighted by ``sp_weights`` where given), built
from the same ops as TF's ``embedding_ops`` so values and gradients agree.

>>> import numpy as np
>>> import featherflow as tf
>>> ids = tf.sparse.SparseTensor([[0, 0], [0, 1], [1, 0]], [0, 1, 1], [2, 2])
>>> tf.nn.embedding_lookup_sparse(np.array([[1.0], [3.0]], np.float32), ids, None).numpy()
array([[2.],
       [3.]], dtype=float32)
"""

from __future__ import annotations

from typing import Any

from ... import dtypes as _dtypes
from ...tensor import Tensor, convert_to_tensor
from ..sparse.tensor import SparseTensor

_COMBINERS = ("mean", "sqrtn", "sum")


def _lookup(params: list, segment_ids: Tensor, sp_weights: Any, ids: Tensor, combiner: str, max_norm: Any,
            allow_fast_lookup: bool) -> Tensor:
    from ..array.create import cast
    from ..array.gather import gather
    from ..array.sort import unique
    from ..math import elementwise as m
    from ..math.segment import segment_sum
    from ..sparse import reshaping as sp
    from .impl import embedding_lookup

    ignore_weights = sp_weights is None
    if len(params) == 1 and max_norm is None and (allow_fast_lookup or ignore_weights):
        idx = ids
        embeddings = convert_to_tensor(params[0])
    else:
        ids, idx = unique(ids)
        embeddings = embedding_lookup(params, ids, max_norm=max_norm)
    if ignore_weights:
        if segment_ids.dtype not in (_dtypes.int32, _dtypes.int64):
            segment_ids = cast(segment_ids, _dtypes.int32)
        combine = {"sum": sp.segment_sum, "mean": sp.segment_mean, "sqrtn": sp.segment_sqrt_n}[combiner]
        return combine(embeddings, idx, segment_ids)
    segment_ids = cast(segment_ids, _dtypes.int32)
    weights = sp_weights.values
    embeddings = gather(embeddings, idx)
    original = embeddings.dtype
    if original in (_dtypes.float16, _dtypes.bfloat16):
        embeddings = cast(embeddings, _dtypes.float32)
    if weights.dtype != embeddings.dtype:
        weights = cast(weights, embeddings.dtype)
    weights = weights[(...,) + (None,) * (len(embeddings.shape) - 1)]
    embeddings = embeddings * weights
    if combiner == "sum":
        out = segment_sum(embeddings, segment_ids)
    elif combiner == "mean":
        out = m.div_no_nan_op(segment_sum(embeddings, segment_ids), segment_sum(weights, segment_ids))
    else:
        total = segment_sum(weights ** 2, segment_ids)
        out = m.div_no_nan_op(segment_sum(embeddings, segment_ids), m.sqrt_op(total))
    return cast(out, original) if out.dtype != original else out


def embedding_lookup_sparse(params: Any, sp_ids: Any, sp_weights: Any, combiner: str | None = None,
                            max_norm: Any = None, name: str | None = None,
                            allow_fast_lookup: bool = False) -> Tensor:
    """Each row's embeddings of ``sp_ids`` (a SparseTensor of ids), combined by ``combiner``.

    >>> import numpy as np
    >>> ids = SparseTensor([[0, 0], [1, 0]], [1, 0], [2, 1])
    >>> embedding_lookup_sparse(np.array([[1.0, 1.0], [2.0, 2.0]], np.float32), ids, None, combiner="sum").numpy()
    array([[2., 2.],
           [1., 1.]], dtype=float32)
    """
    if combiner is None:
        combiner = "mean"
    if combiner not in _COMBINERS:
        raise ValueError(f"combiner must be one of 'mean', 'sqrtn' or 'sum', got {combiner}")
    if not isinstance(params, list):
        params = [params]
    if not isinstance(sp_ids, SparseTensor):
        raise TypeError(f"sp_ids must be SparseTensor, got {type(sp_ids)}")
    if sp_weights is not None and not isinstance(sp_weights, SparseTensor):
        raise TypeError(f"sp_weights must be either None or SparseTensor,got {type(sp_weights)}")
    if sp_weights is not None and sp_weights.values.shape[0] != sp_ids.values.shape[0]:
        raise ValueError(f"Shapes {sp_ids.values.shape} and {sp_weights.values.shape} are incompatible")
    segment_ids = sp_ids.indices[:, 0]
    return _lookup(params, segment_ids, sp_weights, sp_ids.values, combiner, max_norm, allow_fast_lookup)


def safe_embedding_lookup_sparse(embedding_weights: Any, sparse_ids: Any, sparse_weights: Any = None,
                                 combiner: str = "mean", default_id: Any = None, max_norm: Any = None,
                                 name: str | None = None, allow_fast_lookup: bool = False) -> Tensor:
    """``embedding_lookup_sparse`` that drops invalid ids (< 0) and non-positive weights, and gives empty rows
    zeros (or the embedding of ``default_id``); ``sparse_ids`` may have any rank >= 2.

    >>> import numpy as np
    >>> ids = SparseTensor([[0, 0], [2, 0]], [1, -1], [3, 1])
    >>> safe_embedding_lookup_sparse(np.array([[1.0], [2.0]], np.float32), ids).numpy()
    array([[2.],
           [0.],
           [0.]], dtype=float32)
    """
    from ..array.core import reshape
    from ..array.create import zeros_like
    from ..math.api import where
    from ..sparse import api as spa
    from ..sparse import reshaping as sp

    if embedding_weights is None:
        raise ValueError(f"Missing embedding_weights {embedding_weights}.")
    if not isinstance(embedding_weights, list):
        embedding_weights = [embedding_weights]
    if len(embedding_weights) < 1:
        raise ValueError(f"Missing embedding_weights {embedding_weights}.")
    dtype = sparse_weights.dtype if sparse_weights is not None else None
    embedding_weights = [w if hasattr(w, "assign") and dtype in (None, w.dtype) else convert_to_tensor(w, dtype)
                         for w in embedding_weights]
    shape = [int(d) for d in sparse_ids.dense_shape.numpy()]
    rows = 1
    for d in shape[:-1]:
        rows *= d
    sparse_ids = sp.reshape(sparse_ids, [rows, shape[-1]])
    if sparse_weights is not None:
        sparse_weights = SparseTensor(sparse_ids.indices, sparse_weights.values, sparse_ids.dense_shape)
    valid = sparse_ids.values >= 0
    sparse_ids = spa.retain(sparse_ids, valid)
    if sparse_weights is not None:
        sparse_weights = spa.retain(sparse_weights, valid)
        if combiner != "sum":
            positive = sparse_weights.values > 0
            sparse_ids = spa.retain(sparse_ids, positive)
            sparse_weights = spa.retain(sparse_weights, positive)
    sparse_ids, is_row_empty = sp.fill_empty_rows(sparse_ids, default_id or 0)
    if sparse_weights is not None:
        sparse_weights, _ = sp.fill_empty_rows(sparse_weights, 1.0)
    result = embedding_lookup_sparse(embedding_weights, sparse_ids, sparse_weights, combiner=combiner,
                                     max_norm=max_norm, allow_fast_lookup=allow_fast_lookup)
    if default_id is None:
        empty = reshape(is_row_empty, [-1] + [1] * (len(result.shape) - 1))
        result = where(empty, zeros_like(result), result)
    return reshape(result, shape[:-1] + list(result.shape[1:]))
