"""``tf.data.experimental``'s transformations: the function forms of ``Dataset`` methods (for
``Dataset.apply``), with TF's deprecation notices, and the few that exist only there (``assert_cardinality``,
``from_list``, ``at``, ``pad_to_cardinality``, ``get_structure``, ``map_and_batch``, ``shuffle_and_repeat``).

>>> import featherflow as tf
>>> ds = tf.data.Dataset.range(3).filter(lambda x: True).apply(tf.data.experimental.assert_cardinality(3))
>>> int(ds.cardinality())
3
"""

from __future__ import annotations

import copy
import sys
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import numpy as np

from .. import nest
from ..dtypes import int64 as _int64
from ..errors import FailedPreconditionError, OutOfRangeError, UnimplementedError
from ..tensor import _make_typed_host
from . import composite as _composite
from .dataset import INFINITE_CARDINALITY, UNKNOWN_CARDINALITY, Dataset, _call, _structure_tensors
from .iterator import Iterator as _Iterator
from .iterator import _op_message
from .sampling import random
from .transforms import _EMPTY, _as_dataset, derived, function_spec, next_error

_warned: set = set()


def _deprecated(function: str, module: str, instructions: str) -> None:
    """TF's deprecation notice, once per function, naming the caller's line."""
    if function in _warned:
        return
    _warned.add(function)
    from ..autodiff._log import get_logger

    caller = sys._getframe(2)
    get_logger().warning("From %s:%d: %s (from tensorflow.python.data.experimental.ops.%s) is deprecated and will "
                         "be removed in a future version.\nInstructions for updating:\n%s",
                         caller.f_code.co_filename, caller.f_lineno, function, module, instructions)


def _with_kind(dataset: Dataset, kind: str, card: int | None = None) -> Dataset:
    out = copy.copy(dataset)
    out._kind = kind
    if card is not None:
        out._cardinality = card
    return out


# --- function forms of Dataset methods -----------------------------------------------------------------------


def choose_from_datasets(datasets: Any, choice_dataset: Any, stop_on_empty_dataset: bool = False) -> Dataset:
    """``Dataset.choose_from_datasets`` (which stops on an empty dataset by default; this does not)."""
    _deprecated("choose_from_datasets_v2", "interleave_ops",
                "Use `tf.data.Dataset.choose_from_datasets(...)` instead. Note that, unlike the experimental "
                "endpoint, the non-experimental endpoint sets `stop_on_empty_dataset=True` by default. You should "
                "set this argument explicitly in case you would like to match the behavior of the experimental "
                "endpoint.")
    return Dataset.choose_from_datasets(datasets, choice_dataset, stop_on_empty_dataset)


def sample_from_datasets(datasets: Any, weights: Any = None, seed: Any = None,
                         stop_on_empty_dataset: bool = False) -> Dataset:
    """``Dataset.sample_from_datasets``."""
    _deprecated("sample_from_datasets_v2", "interleave_ops", "Use `tf.data.Dataset.sample_from_datasets(...)`.")
    return Dataset.sample_from_datasets(datasets, weights, seed, stop_on_empty_dataset)


def Counter(start: Any = 0, step: Any = 1, dtype: Any = _int64) -> Dataset:  # noqa: N802 (TF's name)
    """``Dataset.counter``."""
    _deprecated("CounterV2", "counter", "Use `tf.data.Dataset.counter(...)` instead.")
    return Dataset.counter(start, step, dtype)


def RandomDataset(seed: Any = None, name: str | None = None) -> Dataset:  # noqa: N802 (TF's name)
    """``Dataset.random``."""
    _deprecated("_RandomDataset.__init__", "random_ops", "Use `tf.data.Dataset.random(...)`.")
    return _with_kind(random(seed), "RandomDatasetV2")


def _method(method: str, function: str, module: str, instructions: str) -> Callable:
    def transformation(*args: Any, **kwargs: Any) -> Callable[[Dataset], Dataset]:
        _deprecated(function, module, instructions)
        return lambda dataset: getattr(dataset, method)(*args, **kwargs)

    transformation.__name__ = transformation.__qualname__ = method if function != "enumerate_dataset" else function
    transformation.__doc__ = f"A function for ``Dataset.apply``: ``Dataset.{method}`` with these arguments."
    return transformation


scan = _method("scan", "scan", "scan_ops", "Use `tf.data.Dataset.scan(...) instead")
take_while = _method("take_while", "take_while", "take_while_ops", "Use `tf.data.Dataset.take_while(...)")
unique = _method("unique", "unique", "unique", "Use `tf.data.Dataset.unique(...)")
group_by_window = _method("group_by_window", "group_by_window", "grouping",
                          "Use `tf.data.Dataset.group_by_window(...)`.")
bucket_by_sequence_length = _method("bucket_by_sequence_length", "bucket_by_sequence_length", "grouping",
                                    "Use `tf.data.Dataset.bucket_by_sequence_length(...)`.")
ignore_errors = _method("ignore_errors", "ignore_errors", "error_ops", "Use `tf.data.Dataset.ignore_errors` instead.")
enumerate_dataset = _method("enumerate", "enumerate_dataset", "enumerate_ops", "Use `tf.data.Dataset.enumerate()`.")
unbatch = _method("unbatch", "unbatch", "batching", "Use `tf.data.Dataset.unbatch()`.")
dense_to_sparse_batch = _method("sparse_batch", "dense_to_sparse_batch", "batching",
                                "Use `tf.data.Dataset.sparse_batch` instead.")


rejection_resample = _method("rejection_resample", "rejection_resample", "resampling",
                             "Use `tf.data.Dataset.rejection_resample(...)`.")


def legacy_interleave(dataset: Dataset, map_func: Callable, cycle: int, block: int) -> Dataset:
    """TF's legacy ``ParallelInterleaveDataset`` kernel in its deterministic order: a finished input's slot takes
    the next input, and reading goes on from the slot after it."""

    def make() -> Iterator[Any]:
        inputs = iter(dataset)
        slots: list = []
        for _ in range(cycle):
            element = next(inputs, _EMPTY)
            slots.append(None if element is _EMPTY else iter(_as_dataset(_call(map_func, element))))
        position, count = 0, 0
        while True:
            for i in range(cycle):
                index = (position + i) % cycle
                if slots[index] is None:
                    continue
                value = next(slots[index], _EMPTY)
                if value is _EMPTY:
                    element = next(inputs, _EMPTY)
                    slots[index] = None if element is _EMPTY else iter(_as_dataset(_call(map_func, element)))
                    if slots[index] is not None:
                        position, count = (index + 1) % cycle, 0
                        break
                    continue
                position, count = index, count + 1  # the block count runs on over skipped slots, as TF's
                if count == block:
                    position, count = (index + 1) % cycle, 0
                yield value
                break
            else:
                return

    def spec() -> Any:
        return function_spec(dataset, lambda e: _as_dataset(_call(map_func, e)).element_spec)

    return derived(make, spec, UNKNOWN_CARDINALITY, "ParallelInterleaveDataset", from_values=True)


def parallel_interleave(map_func: Callable, cycle_length: Any, block_length: Any = 1, sloppy: Any = False,
                        buffer_output_elements: Any = None,
                        prefetch_input_elements: Any = None) -> Callable[[Dataset], Dataset]:
    """``Dataset.interleave`` as a transformation (elements in the deterministic order, also when sloppy)."""
    _deprecated("parallel_interleave", "interleave_ops",
                "Use `tf.data.Dataset.interleave(map_func, cycle_length, block_length, num_parallel_calls=tf.data."
                "AUTOTUNE)` instead. If sloppy execution is desired, use `tf.data.Options.deterministic`.")
    return lambda dataset: legacy_interleave(dataset, map_func, int(cycle_length), int(block_length))


class Reducer:
    """How ``group_by_reducer`` reduces a group: ``init_func(key)`` makes the state, ``reduce_func(state,
    element)`` updates it, ``finalize_func(state)`` makes the output."""

    def __init__(self, init_func: Callable, reduce_func: Callable, finalize_func: Callable) -> None:
        self._init_func = init_func
        self._reduce_func = reduce_func
        self._finalize_func = finalize_func

    @property
    def init_func(self) -> Callable:
        return self._init_func

    @property
    def reduce_func(self) -> Callable:
        return self._reduce_func

    @property
    def finalize_func(self) -> Callable:
        return self._finalize_func


def group_by_reducer(key_func: Callable, reducer: Reducer) -> Callable[[Dataset], Dataset]:
    """Groups elements by ``key_func`` (an int64) and reduces each group with ``reducer``; one output per key,
    in increasing key order, when the input ends."""
    from .grouping import _key

    def apply(dataset: Dataset) -> Dataset:
        def reduced() -> list:
            states: dict = {}
            for element in dataset:
                key = _key(_call(key_func, element))
                if key not in states:
                    states[key] = _structure_tensors(reducer.init_func(_make_typed_host(np.array(key, np.int64))))
                states[key] = _structure_tensors(reducer.reduce_func(states[key], element))
            return [_structure_tensors(_call(reducer.finalize_func, states[k])) for k in sorted(states)]

        def output_spec(element: Any) -> Any:
            key = _make_typed_host(np.array(_key(_call(key_func, element)), np.int64))
            state = reducer.reduce_func(_structure_tensors(reducer.init_func(key)), element)
            return _composite.structure_spec(_structure_tensors(_call(reducer.finalize_func,
                                                                      _structure_tensors(state))))

        def spec() -> Any:
            return function_spec(dataset, output_spec)

        return derived(lambda: iter(reduced()), spec, UNKNOWN_CARDINALITY, "_GroupByReducerDataset", dataset,
                       from_values=True)

    return apply


def get_single_element(dataset: Any) -> Any:
    """``Dataset.get_single_element``."""
    _deprecated("get_single_element", "get_single_element", "Use `tf.data.Dataset.get_single_element()`.")
    if not isinstance(dataset, Dataset):
        raise TypeError(f"Invalid `dataset`. Expected a `tf.data.Dataset` object but got {type(dataset)}.")
    return dataset.get_single_element()


def map_and_batch(map_func: Callable, batch_size: Any, num_parallel_batches: Any = None,
                  drop_remainder: bool = False, num_parallel_calls: Any = None) -> Callable[[Dataset], Dataset]:
    """``map`` then ``batch``, as one transformation."""
    _deprecated("map_and_batch", "batching",
                "Use `tf.data.Dataset.map(map_func, num_parallel_calls)` followed by `tf.data.Dataset.batch("
                "batch_size, drop_remainder)`. Static tf.data optimizations will take care of using the fused "
                "implementation.")
    if num_parallel_batches is not None and num_parallel_calls is not None:
        raise ValueError("`map_and_batch` allows only one of `num_parallel_batches` and `num_parallel_calls` to be "
                         f"set, but `num_parallel_batches` was set to {num_parallel_batches} and "
                         f"`num_parallel_calls` as set to {num_parallel_calls}.")
    return lambda dataset: _with_kind(dataset.map(map_func).batch(batch_size, drop_remainder), "_MapAndBatchDataset")


def shuffle_and_repeat(buffer_size: Any, count: Any = None, seed: Any = None) -> Callable[[Dataset], Dataset]:
    """``shuffle`` (reshuffled at each pass) then ``repeat``, as one transformation."""
    _deprecated("shuffle_and_repeat", "shuffle_ops",
                "Use `tf.data.Dataset.shuffle(buffer_size, seed)` followed by `tf.data.Dataset.repeat(count)`. "
                "Static tf.data optimizations will take care of using the fused implementation.")
    return lambda dataset: _with_kind(dataset.shuffle(buffer_size, seed).repeat(count), "_ShuffleAndRepeatDataset")


# --- only in tf.data.experimental ----------------------------------------------------------------------------


def assert_cardinality(expected_cardinality: Any) -> Callable[[Dataset], Dataset]:
    """A transformation that declares the dataset's cardinality, and fails at iteration if it is wrong."""
    expected = int(expected_cardinality)

    def apply(dataset: Dataset) -> Dataset:
        def make() -> Iterator[Any]:
            count = 0
            for element in dataset:
                count += 1
                if expected != INFINITE_CARDINALITY and count > expected:
                    raise next_error(FailedPreconditionError, dataset.element_spec,
                                     f"Input dataset was expected to contain {expected} elements but contained at "
                                     f"least {count} elements.")
                yield element
            if count != expected:
                wanted = "an infinite number of" if expected == INFINITE_CARDINALITY else str(expected)
                raise next_error(FailedPreconditionError, dataset.element_spec,
                                 f"Input dataset was expected to contain {wanted} elements but contained only "
                                 f"{count} elements.")

        return derived(make, lambda: dataset.element_spec, expected, "_AssertCardinalityDataset", dataset)

    return apply


def get_structure(dataset_or_iterator: Any) -> Any:
    """The element spec of a dataset or iterator."""
    if isinstance(dataset_or_iterator, (Dataset, _Iterator)):
        return dataset_or_iterator.element_spec
    raise TypeError("Invalid `dataset_or_iterator`. `dataset_or_iterator` must be a `tf.data.Dataset` or "
                    f"tf.data.Iterator object, but got {type(dataset_or_iterator)}.")


def from_list(elements: Any, name: str | None = None) -> Dataset:
    """A dataset of the given elements (nested structures of the same shape).

    >>> [int(x) for x in from_list([1, 2])]
    [1, 2]
    """
    if not elements:
        raise ValueError("Invalid `elements`. `elements` should not be empty. If you want an empty dataset, use "
                         "`tf.data.Dataset.range(0)`.")
    values = [_structure_tensors(e) for e in elements]
    spec = _composite.structure_spec(values[0])
    for value in values[1:]:
        other = _composite.structure_spec(value)
        nest.assert_same_structure(spec, other)
        spec = nest.pack_sequence_as(spec, [_composite.common_spec(a, b) or a for a, b in zip(nest.flatten(spec),
                                                                                     nest.flatten(other))])
    return derived(lambda: iter(values), lambda: spec, len(values), "_ListDataset")


_NO_RANDOM_ACCESS = {"_FilterDataset": "FilterDatasetOp", "_ShuffleDataset": "ShuffleDatasetOp",
                     "_InterleaveDataset": "InterleaveDatasetOp", "_FlatMapDataset": "FlatMapDatasetOp",
                     "_UnbatchDataset": "UnbatchDatasetOp", "_TakeWhileDataset": "TakeWhileDatasetOp",
                     "_ScanDataset": "ScanDatasetOp", "_UniqueDataset": "UniqueDatasetOp"}


def at(dataset: Dataset, index: Any) -> Any:
    """The element of ``dataset`` at ``index`` (datasets that support random access only, as TF).

    >>> int(at(Dataset.range(10), 3))
    3
    """
    i = int(index)
    spec = dataset.element_spec
    if dataset._kind in _NO_RANDOM_ACCESS:
        raise UnimplementedError(None, None, _op_message(
            "GetElementAtIndex", spec, f"Random access is not implemented for dataset "
                                       f"{_NO_RANDOM_ACCESS[dataset._kind]}::Dataset"))
    card = dataset._cardinality
    if i < 0 or (card >= 0 and i >= card):
        raise OutOfRangeError(None, None, _op_message("GetElementAtIndex", spec,
                                                      f"Index out of range [0, {card}):{i}"))
    for position, element in enumerate(dataset):
        if position == i:
            return element
    raise OutOfRangeError(None, None, _op_message("GetElementAtIndex", spec, f"Index out of range [0, {card}):{i}"))


def pad_to_cardinality(cardinality: int, mask_key: str = "valid") -> Callable[[Dataset], Dataset]:
    """Pads a dataset of dicts to ``cardinality`` elements with zeros, adding a bool ``mask_key`` (True for the
    original elements)."""

    def apply(dataset: Dataset) -> Dataset:
        from ..ops.array.create import zeros
        from ..ops.convert import tensor

        card = dataset._cardinality
        if card < 0:
            raise ValueError("The dataset passed into `pad_to_cardinality` must have a known cardinalty, but has "
                             f"cardinality {card}")
        if card > cardinality:
            raise ValueError("The dataset passed into `pad_to_cardinality` must have a cardinalty less than the "
                             f"target cardinality ({cardinality}), but has cardinality {card}")
        if not isinstance(dataset.element_spec, Mapping):
            raise ValueError("`pad_to_cardinality` requires its input dataset to be a dictionary.")
        filler = nest.map_structure(lambda s: zeros(s.shape, s.dtype), dataset.element_spec)
        filler[mask_key] = tensor(False)

        def mark(x: dict) -> dict:
            x = dict(x)
            x[mask_key] = tensor(True)
            return x

        return dataset.map(mark).concatenate(Dataset.from_tensors(filler).repeat(cardinality - card))

    return apply
