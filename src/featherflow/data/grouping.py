"""``Dataset.group_by_window`` and ``bucket_by_sequence_length``: elements grouped by a key into windows, each
window reduced to a dataset (batches of similar-length sequences, for ``bucket_by_sequence_length``).

Groups still open when the input ends are flushed in increasing key order, as TF's kernel does.

>>> import featherflow as tf
>>> ds = tf.data.Dataset.range(6).group_by_window(lambda x: x % 2, lambda k, w: w.batch(3), window_size=3)
>>> [b.numpy().tolist() for b in ds]
[[0, 2, 4], [1, 3, 5]]
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from .. import nest
from ..dtypes import int64 as _int64
from ..errors import InvalidArgumentError
from ..shape import TensorShape
from ..tensor import Tensor, _make_typed_host
from ..tensor_spec import TensorSpec
from . import composite as _composite
from .dataset import UNKNOWN_CARDINALITY, Dataset, _call, _from_values, _structure_tensors
from .padded import _pair
from .transforms import attach, derived, function_spec, next_error


def _key(value: Any) -> int:
    key = _structure_tensors(value)
    if isinstance(key, Tensor) and key.dtype != _int64:
        raise ValueError(f"Tensor conversion requested dtype int64 for Tensor with dtype {key.dtype.name}: {key!r}")
    return int(key)


def _reduced(reduce_func: Callable, key: int, window: Dataset) -> Dataset:
    out = reduce_func(_make_typed_host(np.array(key, np.int64)), window)
    if not isinstance(out, Dataset):
        raise TypeError("Invalid `reduce_func`. `reduce_func` must return a single `tf.data.Dataset` object but its "
                        f"return type is {_composite.structure_spec(_structure_tensors(out))}.")
    return out


def group_by_window(self: Dataset, key_func: Callable, reduce_func: Callable, window_size: Any = None,
                    window_size_func: Callable | None = None, name: str | None = None) -> Dataset:
    """Groups elements by ``key_func`` (an int64) into windows of ``window_size`` (or ``window_size_func(key)``)
    and yields the elements of ``reduce_func(key, window_dataset)`` for each window.

    >>> [b.numpy().tolist() for b in Dataset.range(5).group_by_window(lambda x: x % 2, lambda k, w: w.batch(2), 2)]
    [[0, 2], [1, 3], [4]]
    """
    if (window_size is None) == (window_size_func is None):
        raise ValueError("Either the `window_size` argument or the `window_size_func` argument must be specified.")
    if window_size is not None:
        fixed = int(window_size)
        window_size_func = lambda key: fixed  # noqa: E731
    src = self

    def window(items: list) -> Dataset:
        return derived(lambda: iter(items), lambda: src.element_spec, len(items), "_VariantDataset", src)

    def make() -> Iterator[Any]:
        groups: dict[int, list] = {}
        sizes: dict[int, int] = {}
        for element in src:
            key = _key(_call(key_func, element))
            if key not in groups:
                size = int(window_size_func(_make_typed_host(np.array(key, np.int64))))
                if size < 1:
                    raise next_error(InvalidArgumentError, src.element_spec,
                                     f"Window size must be greater than zero, but got {size}.")
                sizes[key] = size
                groups[key] = []
            groups[key].append(element)
            if len(groups[key]) == sizes[key]:
                yield from _reduced(reduce_func, key, window(groups.pop(key)))
        for key in sorted(groups):
            yield from _reduced(reduce_func, key, window(groups[key]))

    def spec() -> Any:
        return function_spec(src, lambda e: _reduced(reduce_func, _key(_call(key_func, e)), window([e])).element_spec)

    out = derived(make, spec, UNKNOWN_CARDINALITY, "_GroupByWindowDataset", src)
    out.element_spec  # noqa: B018  (TF traces key_func and reduce_func here: a wrong return fails now)
    return out


def bucket_by_sequence_length(self: Dataset, element_length_func: Callable, bucket_boundaries: Any,
                              bucket_batch_sizes: Any, padded_shapes: Any = None, padding_values: Any = None,
                              pad_to_bucket_boundary: bool = False, no_padding: bool = False,
                              drop_remainder: bool = False, name: str | None = None) -> Dataset:
    """Batches elements by length: bucket i holds lengths in [boundaries[i-1], boundaries[i]) and batches
    ``bucket_batch_sizes[i]`` of them, padded to the batch's longest (or to the bucket's boundary).

    >>> ds = Dataset.range(1, 5).map(lambda x: tf.fill([x], x))
    >>> [b.shape.as_list() for b in ds.bucket_by_sequence_length(lambda x: tf.shape(x)[0], [3], [2, 2])]
    [[2, 2], [2, 4]]
    """
    boundaries = [int(b) for b in bucket_boundaries]
    batch_sizes = [int(b) for b in bucket_batch_sizes]
    if len(batch_sizes) != len(boundaries) + 1:
        raise ValueError(f"`len(bucket_batch_sizes)` must equal `len(bucket_boundaries) + 1` but "
                         f"`len(bucket_batch_sizes)={len(batch_sizes)}` and `len(bucket_boundaries)="
                         f"{len(boundaries)}`.")
    unfilled: list = []  # the padded shapes before the bucket's boundary fills them in (TF: a tensor, unknown)
    lows = [np.iinfo(np.int32).min] + boundaries
    highs = boundaries + [np.iinfo(np.int32).max]

    def bucket_id(*element: Any) -> int:
        length = int(element_length_func(*element))
        return next(i for i, (lo, hi) in enumerate(zip(lows, highs)) if lo <= length < hi)

    def batching(key: Tensor, window: Dataset) -> Dataset:
        i = int(key)
        if no_padding:
            return window.batch(batch_sizes[i], drop_remainder=drop_remainder)
        filler = None
        if pad_to_bucket_boundary:
            if i >= len(batch_sizes) - 1:
                raise InvalidArgumentError(None, None, "assertion failed: [When pad_to_bucket_boundary=True, "
                                                       "elements must have length < max(bucket_boundaries).]")
            filler = boundaries[i] - 1
        if padded_shapes is None:  # the window's shapes; a map's spec is its first element's: its first dim varies
            varies = _from_values(window)
            shapes = nest.map_structure(lambda s: TensorShape([None] + s.shape.as_list()[1:]) if varies and
                                        s.shape.rank else s.shape, window.element_spec)
        else:
            shapes = padded_shapes
        unfilled[:] = [TensorShape(s) for s in _pair(window.element_spec, shapes)]
        shapes = _fill(window.element_spec, shapes, filler)
        return window.padded_batch(batch_sizes[i], shapes, padding_values, drop_remainder=drop_remainder)

    grouped = group_by_window(self, lambda *e: _make_typed_host(np.array(bucket_id(*e), np.int64)), batching,
                              window_size_func=lambda key: batch_sizes[int(key)])
    # TF's batch size is a tensor picked per bucket: the batch dimension is unknown even with drop_remainder
    def spec() -> Any:
        specs = nest.flatten(grouped.element_spec)
        if pad_to_bucket_boundary and not no_padding and unfilled:
            specs = [TensorSpec(TensorShape([None]).concatenate(shape), s.dtype) for s, shape in zip(specs, unfilled)]
        flat = [_composite.batched_spec(_composite.sliced_spec(s), None) for s in specs]
        return nest.pack_sequence_as(grouped.element_spec, flat)

    return derived(grouped._make_iter, spec, UNKNOWN_CARDINALITY, "_GroupByWindowDataset", grouped)


def _fill(spec: Any, shapes: Any, filler: int) -> Any:
    """The given padded shapes with unknown dimensions set to the bucket's boundary - 1."""
    flat = [TensorShape([filler if d is None else d for d in TensorShape(s).as_list()]) for s in _pair(spec, shapes)]
    return nest.pack_sequence_as(spec, flat)


attach({"group_by_window": group_by_window, "bucket_by_sequence_length": bucket_by_sequence_length})
