"""``Dataset.rebatch`` and ``Dataset.sparse_batch``: batched elements re-sliced into batches of other sizes, and
dense elements batched into SparseTensors, with TF's element specs and errors.

>>> import featherflow as tf
>>> [b.numpy().tolist() for b in tf.data.Dataset.range(5).batch(2).rebatch([3, 1])]
[[0, 1, 2], [3], [4]]
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import numpy as np

from .. import nest
from ..errors import DataLossError, InvalidArgumentError
from ..shape import TensorShape
from ..tensor import Tensor, _make_typed_host
from . import composite as _composite
from .dataset import UNKNOWN_CARDINALITY, Dataset
from .transforms import attach, derived, next_error, op_error


def _static_batch(dataset: Dataset, sizes: np.ndarray, drop: bool) -> int | None:
    """TF's static batch dimension of a rebatched dataset (None where batches may differ)."""
    dims = []
    for spec in nest.flatten(dataset.element_spec):
        shape = spec.shape
        if shape.rank == 0:
            raise ValueError("Invalid `batch_sizes`. Expected dataset with rank of >= 1 but found a dataset with "
                             "scalar elements. Fix the issue by adding the `batch` transformation to the dataset.")
        if shape.rank is not None:
            dims.append(shape[0])
    if sizes.ndim == 1 and not np.all(sizes == sizes[0]):
        return None
    new = int(sizes.reshape(-1)[0])
    if drop:
        return new
    known = [d for d in dims if d is not None]
    if not known or known[0] % new != 0:
        return None
    return new


def rebatch(self: Dataset, batch_size: Any, drop_remainder: bool = False, name: str | None = None) -> Dataset:
    """Re-slices batched elements into batches of ``batch_size`` (a list: sizes used in turn).

    >>> [b.numpy().tolist() for b in Dataset.range(6).batch(4).rebatch(3)]
    [[0, 1, 2], [3, 4, 5]]
    """
    sizes = np.asarray(batch_size.numpy() if isinstance(batch_size, Tensor) else batch_size, dtype=np.int64)
    if sizes.ndim > 1:
        raise ValueError("Invalid `batch_sizes`. Expected `batch_sizes` to be a scalar or a vector. Received "
                         f"`batch_sizes` of rank {sizes.ndim}.")
    drop = bool(drop_remainder)
    lead = _static_batch(self, sizes, drop)
    cycle = [int(s) for s in sizes.reshape(-1)]
    src = self

    def make() -> Iterator[Any]:
        rows = src.unbatch()
        it = iter(rows)
        for size in itertools.cycle(cycle):
            chunk = list(itertools.islice(it, size))
            if not chunk or (drop and len(chunk) < size):
                return
            specs = nest.flatten(rows.element_spec)
            flats = [nest.flatten(e) for e in chunk]
            yield nest.pack_sequence_as(chunk[0], [_composite.stack(list(parts), s) for parts, s in
                                                   zip(zip(*flats), specs)])

    def spec() -> Any:
        return nest.map_structure(lambda s: _composite.batched_spec(_composite.sliced_spec(s), lead),
                                  src.element_spec)

    return derived(make, spec, UNKNOWN_CARDINALITY, "_RebatchDataset", src)


def _shape_text(dims: Any) -> str:
    return "[" + ",".join("?" if d is None else str(d) for d in dims) + "]"


def sparse_batch(self: Dataset, batch_size: Any, row_shape: Any, name: str | None = None) -> Dataset:
    """Batches of elements as SparseTensors of dense shape ``[batch, *row_shape]`` (every value is kept).

    >>> b = next(iter(Dataset.range(1, 3).map(lambda x: tf.fill([x], x)).sparse_batch(2, [3])))
    >>> b.indices.numpy().tolist(), b.dense_shape.numpy().tolist()
    ([[0, 0], [1, 0], [1, 1]], [2, 3])
    """
    from ..ops.sparse.tensor import SparseTensor, SparseTensorSpec

    row = TensorShape(row_shape.numpy().tolist() if isinstance(row_shape, Tensor) else row_shape)
    size = int(batch_size)
    if size <= 0:
        raise op_error("DenseToSparseBatchDataset", "Batch size must be greater than zero.")
    src = self

    def make() -> Iterator[Any]:
        it = iter(src)
        element_spec = src.element_spec
        while True:
            chunk = list(itertools.islice(it, size))
            if not chunk:
                return
            arrays = [np.asarray(e._numpy()) for e in chunk]
            dims = row.as_list()
            for a in arrays:
                if a.ndim != len(dims):
                    raise next_error(InvalidArgumentError, element_spec,
                                     f"Input element had shape ({_shape_text(a.shape)}) that is incompatible with "
                                     f"the row shape ({_shape_text(dims)}).")
                if any(d is not None and n > d for n, d in zip(a.shape, dims)):
                    raise next_error(DataLossError, element_spec,
                                     f"Input element had shape ({_shape_text(a.shape)}) that is larger than the row "
                                     f"shape ({_shape_text(dims)}).")
            dense = [d if d is not None else max(a.shape[i] for a in arrays) for i, d in enumerate(dims)]
            indices = [np.concatenate([np.full((a.size, 1), b, np.int64),
                                       np.indices(a.shape).reshape(a.ndim, -1).T.astype(np.int64)], axis=1)
                       for b, a in enumerate(arrays)]
            values = np.concatenate([a.reshape(-1) for a in arrays])
            yield SparseTensor(_make_typed_host(np.concatenate(indices).reshape(-1, len(dims) + 1)),
                               _make_typed_host(values, chunk[0].dtype),
                               _make_typed_host(np.array([len(arrays)] + dense, np.int64)))

    card = self._cardinality
    if card >= 0:
        card = -(-card // size)
    return derived(make, lambda: SparseTensorSpec(TensorShape([None]).concatenate(row), src.element_spec.dtype),
                   card, "_DenseToSparseBatchDataset", src)


attach({"rebatch": rebatch, "sparse_batch": sparse_batch})
