"""``Dataset`` transformations beyond the core ones: ``flat_map``, ``interleave``, ``shard``, ``window``, ``scan``,
``take_while``, ``unique``, ``ignore_errors`` and ``get_single_element``, with TF's element specs,
cardinalities, orders and errors (``rebatch`` and ``sparse_batch``: ``batching``).

They are attached to ``Dataset`` when ``tf.data`` loads (``attach`` at the bottom); ``dataset.py`` keeps the core.

>>> import featherflow as tf
>>> ds = tf.data.Dataset.range(1, 4).interleave(lambda x: tf.data.Dataset.from_tensors(x).repeat(x),
...                                             cycle_length=2)
>>> [int(x) for x in ds]
[1, 2, 2, 3, 3, 3]
"""

from __future__ import annotations

import collections
import itertools
import os
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from .. import nest
from ..dtypes import bool as _bool
from ..dtypes import int32 as _int32
from ..dtypes import int64 as _int64
from ..dtypes import string as _string
from ..errors import InvalidArgumentError, OpError
from ..tensor import Tensor
from . import _tracing
from . import composite as _composite
from ._resumable import StepIterator
from .dataset import (
    AUTOTUNE,
    UNKNOWN_CARDINALITY,
    Dataset,
    DatasetSpec,
    _call,
    _from_values,
    _inherits_options,
    _LazySpec,
    _named,
    _structure_tensors,
)
from .iterator import _op_message

_CPU = "/job:localhost/replica:0/task:0/device:CPU:0"
_EMPTY = object()


def op_error(op: str, text: str, captured: int | None = None, cls: type = InvalidArgumentError) -> OpError:
    """TF's eager error for a dataset op that refused its arguments (``captured``: the function's captures)."""
    inner = op if captured is None else f"{op}_Targuments_{captured}"
    return cls(None, None, f"{{{{function_node __wrapped__{inner}_device_{_CPU}}}}} {text} [Op:{op}] name: ")


def next_error(cls: type, element_spec: Any, text: str) -> OpError:
    """TF's error for a failure while producing an element (``IteratorGetNext``)."""
    return cls(None, None, _op_message("IteratorGetNext", element_spec, text))


class Traced:
    """A spec found on stand-in elements (as TF's tracing finds it), not read off one element's values."""

    __slots__ = ("spec",)

    def __init__(self, spec: Any) -> None:
        self.spec = spec


class _SpecFromFunction:
    """A dataset whose element spec is computed when first asked for (it may need an input's first element)."""

    _computed_spec: Any = None
    _spec_fn: Callable[[], Any]

    @property
    def _spec(self) -> Any:  # transformations read their input's ``_spec``: compute it then too
        if self._computed_spec is None:
            spec = self._spec_fn()
            if isinstance(spec, Traced):  # found as TF's tracing finds it: shapes not one element's
                self._traced = True
                spec = spec.spec
            self._computed_spec = spec
        return self._computed_spec

    @_spec.setter
    def _spec(self, value: Any) -> None:
        self._computed_spec = value

    @property
    def element_spec(self) -> Any:
        return self._spec


class _Derived(_SpecFromFunction, Dataset):
    def __init__(self, make: Callable, spec_fn: Callable[[], Any], card: int, kind: str) -> None:
        self._spec_fn = spec_fn
        super().__init__(make, None, card)
        self._kind = kind


class _DerivedLazy(_SpecFromFunction, _LazySpec):
    """``_Derived`` for specs read off one element's values: shapes may vary between elements (as a map's)."""

    def __init__(self, make: Callable, spec_fn: Callable[[], Any], card: int, kind: str) -> None:
        self._spec_fn = spec_fn
        super().__init__(make, None, card, kind)


def derived(make: Callable, spec_fn: Callable[[], Any], card: int, kind: str, *inputs: Any,
            from_values: bool = False) -> Dataset:
    """A dataset with a deferred spec; marked as value-derived when ``from_values`` or any input is."""
    lazy = from_values or any(_from_values(d) for d in inputs)
    return (_DerivedLazy if lazy else _Derived)(make, spec_fn, card, kind)


def function_spec(dataset: Dataset, output_spec: Callable[[Any], Any]) -> Any:
    """The spec of what a function makes of ``dataset``'s elements (``output_spec(element)``), found as TF's
    tracing would: on two stand-in elements when the function takes them (dimensions that differ unknown), else
    on the first element; None for an empty dataset with no stand-in."""
    specs = _tracing.stand_in_specs(output_spec, dataset.element_spec)
    found = _tracing.merged(specs) if specs else None
    if found is not None:
        return Traced(found)
    first = first_element(dataset)
    return None if first is _EMPTY else output_spec(first)


def first_element(dataset: Dataset) -> Any:
    """The first element of ``dataset``: what a function is run on to learn its output's spec (TF traces the
    function on the element spec instead). An empty dataset gives a stand-in made of zeros of its element spec
    (unknown dimensions 0); ``_EMPTY`` when the spec has no such stand-in."""
    first = next(iter(dataset), _EMPTY)
    if first is not _EMPTY:
        return first
    stand_in = _composite.stand_in(dataset.element_spec)
    return _EMPTY if stand_in is None else stand_in


def _as_dataset(value: Any) -> Dataset:
    if not isinstance(value, Dataset):  # TF fails reading the dataset's name off what was returned
        raise AttributeError(f"'{'Tensor' if isinstance(value, Tensor) else type(value).__name__}' object has no "
                             "attribute '_name'")
    return value


def _max_parallelism() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


# --- flat_map and interleave ---------------------------------------------------------------------------------


def flat_map(self: Dataset, map_func: Callable, name: str | None = None) -> Dataset:
    """The elements of the datasets ``map_func`` returns for each element, one dataset after the other.

    >>> [int(x) for x in Dataset.range(3).flat_map(lambda x: Dataset.range(x))]
    [0, 0, 1]
    """
    src = self

    def make() -> Iterator[Any]:
        outer = iter(src)
        current = [iter(())]

        def step() -> Any:
            while True:
                try:
                    return next(current[0])
                except StopIteration:
                    current[0] = iter(())
                current[0] = iter(_as_dataset(_call(map_func, next(outer))))

        return StepIterator(step)

    def spec() -> Any:
        return function_spec(src, lambda e: _as_dataset(_call(map_func, e)).element_spec)

    return derived(make, spec, UNKNOWN_CARDINALITY, "_FlatMapDataset", from_values=True)


def interleave(self: Dataset, map_func: Callable, cycle_length: Any = None, block_length: Any = None,
               num_parallel_calls: Any = None, deterministic: Any = None, name: str | None = None) -> Dataset:
    """Elements of the datasets ``map_func`` returns, ``block_length`` at a time from ``cycle_length`` of them in
    turn (TF's deterministic order, also with ``num_parallel_calls``: elements are made one at a time here).

    >>> [int(x) for x in Dataset.range(2).interleave(lambda x: Dataset.range(x * 10, x * 10 + 2))]
    [0, 10, 1, 11]
    """
    parallel = num_parallel_calls is not None
    op = "ParallelInterleaveDatasetV4" if parallel else "InterleaveDataset"
    cycle = AUTOTUNE if cycle_length is None else int(cycle_length)
    block = 1 if block_length is None else int(block_length)
    if cycle == AUTOTUNE:
        cycle = _max_parallelism()
    if cycle <= 0:
        raise op_error(op, f"`cycle_length` must be `tf.data.AUTOTUNE` or greater than 0 but is {cycle}" if parallel
                       else "cycle_length must be greater than zero.", 0)
    if block <= 0:
        raise op_error(op, "`block_length` must be > 0" if parallel else "block_length must be greater than zero.", 0)
    if parallel and int(num_parallel_calls) != AUTOTUNE and int(num_parallel_calls) <= 0:
        raise op_error(op, "num_parallel_calls must be greater than zero.", 0)
    src = self

    def make() -> Iterator[Any]:
        outer = iter(src)
        slots: list = [None] * cycle
        pos = {"slot": 0, "block": 0, "open": 0, "end": False}

        def next_slot() -> None:
            pos["block"] = 0
            pos["slot"] = (pos["slot"] + 1) % cycle

        def step() -> Any:
            while not pos["end"] or pos["open"] > 0:
                current = slots[pos["slot"]]
                if current is not None:
                    try:
                        value = next(current)
                    except StopIteration:
                        slots[pos["slot"]] = None
                        pos["open"] -= 1
                        next_slot()
                        continue
                    pos["block"] += 1
                    if pos["block"] == block:
                        next_slot()
                    return value
                if pos["end"]:
                    next_slot()
                    continue
                try:
                    element = next(outer)
                except StopIteration:
                    pos["end"] = True
                    continue
                slots[pos["slot"]] = iter(_as_dataset(_call(map_func, element)))
                pos["open"] += 1
            raise StopIteration

        return StepIterator(step)

    def spec() -> Any:
        return function_spec(src, lambda e: _as_dataset(_call(map_func, e)).element_spec)

    kind = "_ParallelInterleaveDataset" if parallel else "_InterleaveDataset"
    return derived(make, spec, UNKNOWN_CARDINALITY, kind, from_values=True)


# --- shard and window ----------------------------------------------------------------------------------------


def shard(self: Dataset, num_shards: Any, index: Any, name: str | None = None) -> Dataset:
    """Every ``num_shards``-th element, starting at ``index``.

    >>> [int(x) for x in Dataset.range(10).shard(3, 1)]
    [1, 4, 7]
    """
    n, i = int(num_shards), int(index)
    if n <= 0:
        raise op_error("ShardDataset", f"Number of shards must be greater than zero (currently num_shards = {n}).")
    if i < 0 or i >= n:
        raise op_error("ShardDataset", f"Index must be between 0 and {n - 1} (currently index = {i}).")
    src = self
    card = self._cardinality
    if card >= 0:
        card = card // n + (1 if i < card % n else 0)
    return derived(lambda: itertools.islice(iter(src), i, None, n), lambda: src.element_spec, card, "_ShardDataset",
                   src)


def _window_datasets(items: list, element_spec: Any) -> Any:
    """One window: the structure of ``element_spec`` with a dataset of the window's values in each place."""
    columns = zip(*[nest.flatten(e) for e in items]) if items else [() for _ in nest.flatten(element_spec)]
    datasets = [_named(lambda values=tuple(values): iter(values), spec, len(values), "_VariantDataset")
                for values, spec in zip(columns, nest.flatten(element_spec))]
    return nest.pack_sequence_as(element_spec, datasets)


def window(self: Dataset, size: Any, shift: Any = None, stride: Any = 1, drop_remainder: bool = False,
           name: str | None = None) -> Dataset:
    """Windows of ``size`` elements (every ``stride``-th), a new one every ``shift`` elements; each window is a
    structure of datasets.

    >>> [[int(x) for x in w] for w in Dataset.range(5).window(2, 2)]
    [[0, 1], [2, 3], [4]]
    """
    size = int(size)
    shift = size if shift is None else int(shift)
    stride = int(stride)
    for value, what in ((size, "size"), (shift, "shift"), (stride, "stride")):
        if value <= 0:
            raise op_error("WindowDataset", f"Window {what} must be greater than zero.")
    src = self
    drop = bool(drop_remainder)
    span = (size - 1) * stride + 1

    def make() -> Iterator[Any]:
        it = iter(src)
        buffer: collections.deque = collections.deque()
        pending_skip, done = 0, False
        while True:
            while pending_skip and not done:
                done = next(it, _EMPTY) is _EMPTY
                pending_skip -= 1
            while len(buffer) < span and not done:
                element = next(it, _EMPTY)
                done = element is _EMPTY
                if not done:
                    buffer.append(element)
            if not buffer or (drop and len(buffer) < span):
                return
            yield _window_datasets(list(buffer)[::stride][:size], src.element_spec)
            if shift <= len(buffer):
                for _ in range(shift):
                    buffer.popleft()
            else:
                pending_skip = shift - len(buffer)
                buffer.clear()

    card = self._cardinality
    if card >= 0:
        card = (max(card - span, -1) // shift + 1) if drop else -(-card // shift)
    return derived(make, lambda: nest.map_structure(DatasetSpec, src.element_spec), card, "_WindowDataset", src)


# --- scan, take_while, unique --------------------------------------------------------------------------------


def _types(structure: Any) -> Any:
    return nest.map_structure(lambda s: s.dtype, _composite.structure_spec(structure))


def scan(self: Dataset, initial_state: Any, scan_func: Callable, name: str | None = None) -> Dataset:
    """Threads a state through the elements: ``scan_func(state, element)`` returns ``(new_state, output)``.

    >>> [int(x) for x in Dataset.range(4).scan(tf.constant(0, tf.int64), lambda s, x: (s + x, s + x))]
    [0, 1, 3, 6]
    """
    start = _structure_tensors(initial_state)
    start_types = _types(start)
    src = self

    def advance(state: Any, element: Any) -> tuple:
        out = scan_func(state, element)
        if not isinstance(out, tuple) or len(out) != 2:
            raise TypeError("Invalid `scan_func`. `scan_func` should return a pair consisting of new state and the "
                            f"output value but its return type is {_composite.structure_spec(out)}.")
        new_state, value = _structure_tensors(out[0]), _structure_tensors(out[1])
        try:
            nest.assert_same_structure(start, new_state)
        except (TypeError, ValueError):
            raise TypeError("Invalid `scan_func`. The element structure for the new state must match the initial "
                            f"state. Expected {_composite.structure_spec(start)}, got "
                            f"{_composite.structure_spec(new_state)}.") from None
        new_types = _types(new_state)
        if nest.flatten(new_types) != nest.flatten(start_types):
            raise TypeError("Invalid `scan_func`. The element types for the new state must match the initial state. "
                            f"Expected {start_types}, got {new_types}.")
        return new_state, value

    def make() -> Iterator[Any]:
        it = iter(src)
        state = [start]

        def step() -> Any:
            state[0], value = advance(state[0], next(it))
            return value

        return StepIterator(step)

    def spec() -> Any:
        # TF traces scan_func with the state's shapes relaxed where they change: the state varies as well
        specs = _tracing.stand_in_specs(lambda pair: _composite.structure_spec(advance(*pair)[1]),
                                        (_composite.structure_spec(start), src.element_spec))
        found = _tracing.merged(specs) if specs else None
        return Traced(found) if found is not None else function_spec(
            src, lambda e: _composite.structure_spec(advance(start, e)[1]))

    out = derived(make, spec, self._cardinality, "_ScanDataset", from_values=True)
    out.element_spec  # noqa: B018  (TF traces scan_func here: a state of the wrong type fails now)
    return out


def take_while(self: Dataset, predicate: Callable, name: str | None = None) -> Dataset:
    """The elements up to the first for which ``predicate`` is false.

    >>> [int(x) for x in Dataset.range(10).take_while(lambda x: x < 3)]
    [0, 1, 2]
    """
    src = self

    def keep(element: Any) -> bool:
        out = _structure_tensors(_call(predicate, element))
        if not isinstance(out, Tensor) or out.dtype != _bool or out.shape.rank != 0:
            raise ValueError("Invalid `predicate`. `predicate` must return a `tf.bool` scalar tensor but its "
                             f"return type is{_composite.structure_spec(out)}.")
        return bool(out)

    first = first_element(src)
    if first is not _EMPTY:  # TF traces the predicate here: one of the wrong type fails now
        keep(first)

    def make() -> Iterator[Any]:
        for element in src:
            if not keep(element):
                return
            yield element

    return derived(make, lambda: src.element_spec, UNKNOWN_CARDINALITY, "_TakeWhileDataset", src)


def unique(self: Dataset, name: str | None = None) -> Dataset:
    """The elements not seen before (int32, int64 or string), in order of first appearance.

    >>> [int(x) for x in Dataset.from_tensor_slices([1, 3, 1, 2]).unique()]
    [1, 3, 2]
    """
    specs = nest.flatten(self.element_spec)
    for spec in specs:
        if spec.dtype not in (_int32, _int64, _string):
            raise TypeError(f"`tf.data.Dataset.unique` does not support type {spec.dtype} -- only `tf.int32`, "
                            "`tf.int64`, and `tf.string` are supported.")
    if len(specs) != 1:
        raise op_error("UniqueDataset", "UniqueDataset only supports inputs with a single component.")
    src = self

    def make() -> Iterator[Any]:
        seen = set()
        for element in src:
            array = np.asarray(nest.flatten(element)[0]._numpy())
            key = (array.shape, tuple(array.reshape(-1).tolist()))
            if key not in seen:
                seen.add(key)
                yield element

    return derived(make, lambda: src.element_spec, UNKNOWN_CARDINALITY, "_UniqueDataset", src)


# --- errors and single elements ------------------------------------------------------------------------------


def ignore_errors(self: Dataset, log_warning: bool = False, name: str | None = None) -> Dataset:
    """Drops the elements whose making raised a ``tf.errors`` error (the pipeline goes on with the next).

    >>> ds = Dataset.from_tensor_slices([1.0, 0.0, 2.0]).map(lambda x: tf.debugging.check_numerics(1 / x, "x"))
    >>> [float(x) for x in ds.ignore_errors()]
    [1.0, 0.5]
    """
    src = self

    def make() -> Iterator[Any]:
        it = iter(src)

        def step() -> Any:
            while True:
                try:
                    return next(it)
                except OpError as error:
                    if log_warning:
                        from ..autodiff._log import get_logger

                        get_logger().warning("Error raised with error message %s", error.message)

        return StepIterator(step)

    return derived(make, lambda: src.element_spec, UNKNOWN_CARDINALITY, "_IgnoreErrorsDataset", src)


def get_single_element(self: Dataset, name: str | None = None) -> Any:
    """The one element of this dataset (InvalidArgumentError when it has none or more).

    >>> int(Dataset.range(1).get_single_element())
    0
    """
    it = iter(self)
    first = next(it, _EMPTY)
    if first is _EMPTY:
        raise InvalidArgumentError(None, None, _op_message("DatasetToSingleElement", self.element_spec,
                                                           "Dataset was empty."))
    if next(it, _EMPTY) is not _EMPTY:
        raise InvalidArgumentError(None, None, _op_message("DatasetToSingleElement", self.element_spec,
                                                           "Dataset had more than one element."))
    return first


def attach(methods: dict, static: tuple = ()) -> None:
    """Puts ``methods`` on ``Dataset``: transformations pass the pipeline's options on, as the core ones do."""
    for method_name, function in methods.items():
        if method_name in static:
            setattr(Dataset, method_name, staticmethod(function))
        else:
            setattr(Dataset, method_name, _inherits_options(function))


attach({"flat_map": flat_map, "interleave": interleave, "shard": shard, "window": window, "scan": scan,
        "take_while": take_while, "unique": unique, "ignore_errors": ignore_errors,
        "get_single_element": get_single_element})
