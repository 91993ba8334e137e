"""``Dataset.padded_batch``: batches of Tensors padded to common shapes (the padded shapes given, or the largest
in each batch), with TF's checks of the shapes and padding values given.

>>> import featherflow as tf
>>> ds = tf.data.Dataset.range(4).map(lambda x: tf.fill([x], x))
>>> [b.numpy().tolist() for b in ds.padded_batch(2)]
[[[0], [1]], [[2, 2, 0], [3, 3, 3]]]
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
from ..tensor_spec import TensorSpec


def _pair(spec: Any, given: Any) -> list:
    """``given`` split along ``spec``'s structure: one entry per component (a shape is one entry, not a list)."""
    if isinstance(spec, dict):
        return [x for key in sorted(spec) for x in _pair(spec[key], given[key])]
    if isinstance(spec, tuple):
        return [x for s, g in zip(spec, given) for x in _pair(s, g)]
    return [given]


def _target_shape(spec: TensorSpec, padded: Any, known: bool) -> list:
    """The padded shape of one component (None: the batch's largest), checked against the component's shape."""
    shape = spec.shape
    if padded is None:
        dims = shape.as_list()
        if not known and dims:
            dims[0] = None  # a map's spec is its first element's: its first dimension may vary
        return dims
    if isinstance(padded, Tensor):
        padded = padded.numpy().tolist()
    if isinstance(padded, TensorShape):
        padded = padded.as_list()
    dims = [None if d is None or int(d) < 0 else int(d) for d in (padded if isinstance(padded, (list, tuple))
                                                                 else [padded])]
    padded_shape = TensorShape(dims)
    ok = len(dims) == shape.rank and (not known or all(
        p is None or s is None or p >= s for p, s in zip(dims, shape.as_list())))
    if not ok:
        raise ValueError(f"The padded shape {tuple(padded_shape.as_list())} is not compatible with the shape "
                         f"{tuple(shape.as_list())} of the corresponding input component.")
    return dims


def _padding_value(spec: TensorSpec, value: Any) -> np.ndarray:
    """The scalar that fills one component's padding: 0, False or b"" by default."""
    dtype = spec.dtype
    if value is None:
        return np.zeros((), dtype._np) if dtype.name != "string" else np.array(b"", object)
    if isinstance(value, Tensor):
        if value.dtype != dtype:
            raise TypeError(f"Invalid `padding_values`. `padding_values` values type {value.dtype} does not match "
                            f"type {dtype} of the corresponding input component.")
        return np.asarray(value.numpy())
    from ..ops.convert import tensor

    return np.asarray(tensor(value, dtype).numpy())


def padded_batch(dataset: Any, batch_size: int, padded_shapes: Any, padding_values: Any, drop_remainder: bool,
                 known: bool) -> tuple:
    """(iterator factory, element spec, cardinality) of ``dataset``'s elements in padded batches
    (``Dataset.padded_batch``); ``known``: whether the element spec's shapes are exact (not one element's)."""
    size = int(batch_size)
    if size <= 0:
        raise InvalidArgumentError(None, None, "Batch size must be greater than zero. [Op:PaddedBatchDatasetV2]")
    element_spec = dataset.element_spec
    specs = nest.flatten(element_spec)
    for spec in specs:
        if not isinstance(spec, TensorSpec):
            raise TypeError("`padded_batch` is only supported for datasets that produce tensor elements but type "
                            "spec of elements in the input dataset is not a subclass of TensorSpec: "
                            f"`{spec}`.")
    shapes = [None] * len(specs) if padded_shapes is None else _pair(element_spec, padded_shapes)
    targets = [_target_shape(s, p, known) for s, p in zip(specs, shapes)]
    pads = [[None] * len(t) if p is None else t for t, p in zip(targets, shapes)]
    values = [None] * len(specs) if padding_values is None else _pair(element_spec, padding_values)
    fills = [_padding_value(s, v) for s, v in zip(specs, values)]

    def pad(parts: list, target: list, fill: np.ndarray, spec: TensorSpec) -> Tensor:
        arrays = [p._numpy() for p in parts]
        # dims not given are the batch's largest (equal to the spec's where the spec knows them)
        dims = [t if t is not None else max(a.shape[i] for a in arrays) for i, t in enumerate(target)]
        out = np.full([len(arrays)] + dims, fill, dtype=arrays[0].dtype)
        for row, a in enumerate(arrays):
            if any(n > d for n, d in zip(a.shape, dims)):
                raise DataLossError(None, None, "Attempted to pad to a smaller size than the input element. "
                                                "[Op:IteratorGetNext] name: ")
            out[(row, *(slice(0, n) for n in a.shape))] = a
        return _make_typed_host(out, spec.dtype)

    def make() -> Iterator[Any]:
        it = iter(dataset)
        while True:
            chunk = list(itertools.islice(it, size))
            if not chunk or (drop_remainder and len(chunk) < size):
                return
            columns = zip(*[nest.flatten(e) for e in chunk])
            yield nest.pack_sequence_as(chunk[0], [pad(list(parts), target, fill, spec) for parts, target, fill, spec
                                                   in zip(columns, pads, fills, specs)])

    lead = size if drop_remainder else None
    spec = nest.pack_sequence_as(element_spec, [TensorSpec([lead] + t, s.dtype) for t, s in zip(targets, specs)])
    card = dataset._cardinality
    if card >= 0:
        card = card // size if drop_remainder else -(-card // size)
    return make, spec, card
