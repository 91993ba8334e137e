"""``tf.data.Dataset``: input pipelines as chains of Python iterators over nested structures of Tensors.

>>> import featherflow as tf
>>> list(tf.data.Dataset.range(5).batch(2).as_numpy_iterator())
[array([0, 1]), array([2, 3]), array([4])]
"""

from __future__ import annotations

import copy
import functools
import itertools
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from .. import nest
from ..dtypes import as_dtype as _as_dtype
from ..dtypes import int64 as _int64
from ..ops.random import core as _random
from ..ops.random._kernels import GraphSeeds
from ..shape import TensorShape
from ..tensor import Tensor, _make_typed_host
from ..tensor_spec import TensorSpec
from . import _tracing
from . import composite as _composite
from ._lineage import Lineage, method_lineage

AUTOTUNE = -1
INFINITE_CARDINALITY = -1
UNKNOWN_CARDINALITY = -2


_spec_of = _composite.structure_spec


def _call(fn: Callable, element: Any, seeds: GraphSeeds | None = None) -> Any:
    """TF unpacks tuple elements into positional arguments; anything else is passed as one argument. With
    ``seeds`` (one per iterator), ``fn``'s random ops run as the ops of TF's traced dataset function: unseeded ops
    take op seeds 0, 1, ... and their kernels start afresh with each iterator, so each epoch draws alike."""
    args = element if isinstance(element, tuple) and not hasattr(type(element), "_fields") else (element,)
    if seeds is None:
        return fn(*args)
    previous = _random.enter_graph(seeds)
    try:
        return fn(*args)
    finally:
        _random.exit_graph(previous)


_structure_tensors = _composite.structure_tensors


class Dataset:
    """A sequence of elements (nested structures of Tensors) that can be iterated many times."""

    _kind = "Dataset"
    _options_attr: Any = None  # the merged tf.data.Options of this pipeline; None = all defaults
    _is_dataset = True  # lets composite.py treat a dataset as one element value (datasets of datasets)

    def __init__(self, make_iter: Callable[[], Iterator[Any]], spec: Any, cardinality: int) -> None:
        self._make_iter = make_iter
        self._spec = spec
        self._cardinality = cardinality

    # --- sources ------------------------------------------------------------------------------

    @staticmethod
    def from_tensor_slices(tensors: Any, name: str | None = None) -> Dataset:
        """Slices each component of ``tensors`` along its first dimension.

        >>> [int(x) for x in Dataset.from_tensor_slices([1, 2, 3])]
        [1, 2, 3]
        """
        structure = _structure_tensors(tensors)
        flat = nest.flatten(structure)
        if not flat:
            raise ValueError("Invalid `element`. `element` should not be empty.")
        sizes = [size for size in map(_composite.nrows, flat) if size is not None]  # (None components: None rows)
        if not sizes:
            raise ValueError("Invalid `element`. `element` should not be empty.")
        n = sizes[0]
        for size in sizes[1:]:
            if size != n:
                raise ValueError(f"Dimensions {n} and {size} are not compatible")
        spec = nest.map_structure(lambda t: _composite.sliced_spec(_composite.spec_of(t)), structure)

        def make() -> Iterator[Any]:
            for i in range(n):
                yield nest.pack_sequence_as(structure, [_composite.row(t, i) for t in flat])

        return _named(make, spec, n, "_TensorSliceDataset")

    @staticmethod
    def from_tensors(tensors: Any, name: str | None = None) -> Dataset:
        """A dataset of exactly one element, ``tensors``."""
        structure = _structure_tensors(tensors)
        if all(t is None for t in nest.flatten(structure)):  # no component: TF's TensorDataset refuses it
            from ..errors import InvalidArgumentError

            # (TF's first such call in a process names the attr 'output_shapes', and later ones 'Toutput_types')
            raise InvalidArgumentError(None, None, "Length for attr 'Toutput_types' of 0 must be at least minimum 1\n\t; "
                                       "NodeDef: {{node TensorDataset}}; Op<name=TensorDataset; signature=components: "
                                       "-> handle:variant; attr=Toutput_types:list(type),min=1; attr=output_shapes:"
                                       "list(shape),min=1; attr=metadata:string,default=\"\"; is_stateful=true> "
                                       "[Op:TensorDataset] name: ")
        return _named(lambda: iter([structure]), _spec_of(structure), 1, "_TensorDataset")

    @staticmethod
    def range(*args: Any, output_type: Any = _int64, name: str | None = None) -> Dataset:
        """Integers like Python's ``range`` (int64 by default)."""
        bounds = range(*[int(a) for a in args])
        np_type = _as_dtype(output_type)._np

        def make() -> Iterator[Any]:
            for i in bounds:
                yield _make_typed_host(np.array(i, dtype=np_type))

        return _named(make, TensorSpec([], output_type), len(bounds), "_RangeDataset")

    @staticmethod
    def zip(*datasets: Any, name: str | None = None) -> Dataset:
        """Elements of several datasets side by side (a tuple, or the structure given)."""
        structure = datasets[0] if len(datasets) == 1 else datasets
        flat = nest.flatten(structure)

        def make() -> Iterator[Any]:
            for items in zip(*[iter(d) for d in flat]):
                yield nest.pack_sequence_as(structure, list(items))

        cards = [d._cardinality for d in flat]
        card = min((c for c in cards if c >= 0), default=INFINITE_CARDINALITY)
        if any(c == UNKNOWN_CARDINALITY for c in cards):
            card = UNKNOWN_CARDINALITY
        spec = nest.pack_sequence_as(structure, [d.element_spec for d in flat])
        out = _named(make, spec, card, "_ZipDataset")
        out._options_attr = _merged_options(flat)
        out._lineage = Lineage("zip", tuple(flat),
                               lambda inputs: Dataset.zip(nest.pack_sequence_as(structure, list(inputs))))
        return out

    # --- transformations ------------------------------------------------------------------------

    def batch(self, batch_size: int, drop_remainder: bool = False, num_parallel_calls: Any = None,
              deterministic: Any = None, name: str | None = None) -> Dataset:
        """Stacks consecutive elements into batches of ``batch_size`` (the last may be smaller)."""
        from ..ops.array.core import stack

        size = int(batch_size)
        if size <= 0:
            from ..errors import InvalidArgumentError

            raise InvalidArgumentError(None, None, "batch_size must be greater than zero. [Op:BatchDatasetV2]")
        src = self

        def make() -> Iterator[Any]:
            it = iter(src)
            specs = None
            while True:
                chunk = list(itertools.islice(it, size))
                if not chunk or (drop_remainder and len(chunk) < size):
                    return
                flats = [nest.flatten(e) for e in chunk]
                if specs is None:
                    specs = nest.flatten(src.element_spec)
                if all(type(s) is TensorSpec for s in specs):
                    yield nest.pack_sequence_as(chunk[0], [stack(list(parts)) for parts in zip(*flats)])
                else:  # composites (and ragged-rank-0 rows, which are Tensors) batch by their specs
                    yield nest.pack_sequence_as(chunk[0], [_composite.stack(list(parts), s)
                                                           for parts, s in zip(zip(*flats), specs)])

        lead = size if drop_remainder else None
        spec = nest.map_structure(lambda s: _composite.batched_spec(s, lead), self.element_spec)
        card = self._cardinality
        if card >= 0:
            card = card // size if drop_remainder else -(-card // size)
        return _named(make, spec, card, "_BatchDataset")

    def ragged_batch(self, batch_size: int, drop_remainder: bool = False, row_splits_dtype: Any = _int64,
                     name: str | None = None) -> Dataset:
        """Batches like ``batch``, but Tensors whose shapes vary become RaggedTensors (``Dataset.ragged_batch``).

        >>> ds = Dataset.range(4).map(lambda x: tf.range(x)).ragged_batch(2)
        >>> [b.to_list() for b in ds]
        [[[], [0]], [[0, 1], [0, 1, 2]]]
        """
        size = int(batch_size)
        splits_type = _as_dtype(row_splits_dtype)
        known = not _from_values(self)  # a map's spec is its first element's: its first dim may vary
        lead = size if drop_remainder else None
        element_specs = nest.flatten(self.element_spec)
        plans = [_composite.ragged_batch_spec(s, lead, splits_type, known) for s in element_specs]
        src = self

        def make() -> Iterator[Any]:
            it = iter(src)
            while True:
                chunk = list(itertools.islice(it, size))
                if not chunk or (drop_remainder and len(chunk) < size):
                    return
                batched = []
                for parts, element_spec, (spec, rank) in zip(zip(*[nest.flatten(e) for e in chunk]), element_specs,
                                                             plans):
                    if rank < 0:
                        batched.append(_composite.stack(list(parts), element_spec))
                    else:
                        rows = [_composite.to_ragged(p, rank, splits_type) for p in parts]
                        batched.append(_composite.stack_ragged(rows, spec))
                yield nest.pack_sequence_as(chunk[0], batched)

        spec = nest.pack_sequence_as(self.element_spec, [plan[0] for plan in plans])
        card = self._cardinality
        if card >= 0:
            card = card // size if drop_remainder else -(-card // size)
        return _named(make, spec, card, "_BatchDataset")  # TF batches a dense-to-ragged dataset

    def padded_batch(self, batch_size: int, padded_shapes: Any = None, padding_values: Any = None,
                     drop_remainder: bool = False, name: str | None = None) -> Dataset:
        """Batches elements padded to ``padded_shapes`` (default: each batch's largest) with ``padding_values``."""
        from .padded import padded_batch

        known = not _from_values(self)  # a map's spec is its first element's
        return _named(*padded_batch(self, batch_size, padded_shapes, padding_values, drop_remainder, known),
                      "_PaddedBatchDataset")

    def unbatch(self, name: str | None = None) -> Dataset:
        src = self

        def make() -> Iterator[Any]:
            for element in src:
                flat = nest.flatten(element)
                for i in range(_composite.nrows(flat[0])):
                    yield nest.pack_sequence_as(element, [_composite.row(t, i) for t in flat])

        spec = nest.map_structure(_composite.sliced_spec, self.element_spec)
        # TF's UnbatchDataset: the input's cardinality times the batch size, when every component's spec gives
        # the same static one (an infinite or unknown input stays so)
        batch = None
        for s in nest.flatten(self.element_spec):
            if isinstance(s, _composite.NoneTensorSpec) or s.shape.rank is None:
                continue
            if s.shape.rank == 0:
                raise ValueError("Cannot unbatch an input with scalar components.")
            size = s.shape[0]
            if batch is None:
                batch = size
            elif size is not None and size != batch:
                raise ValueError("`unbatch()` is only supported for datasets of elements whose components have a "
                                 f"matching leading dimension. Encountered both {batch} and {size}.")
        card = UNKNOWN_CARDINALITY if batch is None else self._cardinality
        return _named(make, spec, card * batch if card >= 0 else card, "_UnbatchDataset")

    def map(self, map_func: Callable, num_parallel_calls: Any = None, deterministic: Any = None,
            name: str | None = None) -> Dataset:
        """Applies ``map_func`` to each element (tuple elements are passed as separate arguments)."""
        from ._resumable import StepIterator

        src = self

        def make() -> Iterator[Any]:
            it = iter(src)  # an error in map_func leaves the pipeline usable for the next element (ignore_errors)
            seeds = GraphSeeds()
            return StepIterator(lambda: _structure_tensors(_call(map_func, next(it), seeds)))

        def fallback() -> Any:  # an empty input: the spec of map_func's output on a stand-in element
            stand_in = _composite.stand_in(src.element_spec)
            try:
                return None if stand_in is None else _spec_of(_structure_tensors(_call(map_func, stand_in)))
            except Exception:  # noqa: BLE001 (a function that refuses made-up values: no spec)
                return None

        out = _LazySpec(make, None, self._cardinality, "_MapDataset")
        out._fallback = fallback
        out._trace = lambda first: _tracing.traced_spec(map_func, src.element_spec, first)
        return out

    def filter(self, predicate: Callable, name: str | None = None) -> Dataset:
        """Keeps the elements for which ``predicate`` is true."""
        src = self

        def make() -> Iterator[Any]:
            seeds = GraphSeeds()
            for element in src:
                if bool(_call(predicate, element, seeds)):
                    yield element

        return _named(make, self._spec, UNKNOWN_CARDINALITY, "_FilterDataset")

    def repeat(self, count: Any = None, name: str | None = None) -> Dataset:
        """Repeats the dataset ``count`` times (forever when None or -1)."""
        src = self
        n = -1 if count is None else int(count)

        def make() -> Iterator[Any]:
            rounds = itertools.count() if n < 0 else range(n)
            for _ in rounds:
                yield from src

        card = self._cardinality
        if n < 0:
            card = INFINITE_CARDINALITY if card != 0 else 0
        elif card >= 0:
            card *= n
        return _named(make, self._spec, card, "_RepeatDataset")

    def take(self, count: Any, name: str | None = None) -> Dataset:
        """The first ``count`` elements (all when -1)."""
        src = self
        n = int(count)

        def make() -> Iterator[Any]:
            return iter(src) if n < 0 else itertools.islice(iter(src), n)

        card = self._cardinality
        if n >= 0:
            card = n if card == INFINITE_CARDINALITY else min(card, n) if card >= 0 else UNKNOWN_CARDINALITY
        return _named(make, self._spec, card, "_TakeDataset")

    def skip(self, count: Any, name: str | None = None) -> Dataset:
        """All but the first ``count`` elements (none when -1)."""
        src = self
        n = int(count)

        def make() -> Iterator[Any]:
            if n < 0:
                return iter(())
            return itertools.islice(iter(src), n, None)

        card = self._cardinality
        if card >= 0:
            card = 0 if n < 0 else max(card - n, 0)
        return _named(make, self._spec, card, "_SkipDataset")

    def shuffle(self, buffer_size: int, seed: int | None = None, reshuffle_each_iteration: bool | None = None,
                name: str | None = None) -> Dataset:
        """TF's buffered shuffle: fill a buffer of ``buffer_size``, emit a random slot, refill it."""
        src = self
        size = int(buffer_size)
        rng_factory = _shuffle_rng(seed, reshuffle_each_iteration is not False)

        def make() -> Iterator[Any]:
            rng = rng_factory()
            it = iter(src)
            buffer = list(itertools.islice(it, size))
            for element in it:
                i = int(rng(len(buffer)))
                yield buffer[i]
                buffer[i] = element
            while buffer:
                i = int(rng(len(buffer)))
                buffer[i], buffer[-1] = buffer[-1], buffer[i]
                yield buffer.pop()

        return _named(make, self._spec, self._cardinality, "_ShuffleDataset")

    def cache(self, filename: str = "", name: str | None = None) -> Dataset:
        """Remembers the elements after the first full iteration (in memory)."""
        src = self
        store: list = []
        done: list = []

        def make() -> Iterator[Any]:
            if done:
                return iter(list(store))

            def fill() -> Iterator[Any]:
                store.clear()
                for element in src:
                    store.append(element)
                    yield element
                done.append(True)

            return fill()

        return _named(make, self._spec, self._cardinality, "_CacheDataset")

    def prefetch(self, buffer_size: Any, name: str | None = None) -> Dataset:
        """Accepted for compatibility: elements are produced on demand."""
        return _named(self._make_iter, self._spec, self._cardinality, "_PrefetchDataset")

    def enumerate(self, start: int = 0, name: str | None = None) -> Dataset:
        """Pairs each element with its index (int64), from ``start``."""
        counter = Dataset.range(start, np.iinfo(np.int64).max)
        zipped = Dataset.zip((counter, self))
        zipped._cardinality = self._cardinality
        return zipped

    def concatenate(self, dataset: Dataset, name: str | None = None) -> Dataset:
        src = self

        def make() -> Iterator[Any]:
            yield from src
            yield from dataset

        a, b = self._cardinality, dataset._cardinality
        card = a + b if a >= 0 and b >= 0 else (INFINITE_CARDINALITY if INFINITE_CARDINALITY in (a, b)
                                                else UNKNOWN_CARDINALITY)
        mine, theirs = self._spec, dataset._spec
        if mine is None or theirs is None:  # a spec not known (an empty map's): the other one's
            return _named(make, theirs if mine is None else mine, card, "_ConcatenateDataset")
        try:
            nest.assert_same_structure(mine, theirs)
            parts = [_composite.common_spec(x, y) for x, y in zip(nest.flatten(mine), nest.flatten(theirs))]
        except (TypeError, ValueError):
            parts = [None]
        if any(p is None for p in parts):  # the most specific spec both fit, as TF's
            raise TypeError(f"Incompatible dataset elements:\n  {mine} vs.   {theirs}")
        return _named(make, nest.pack_sequence_as(mine, parts), card, "_ConcatenateDataset")

    def reduce(self, initial_state: Any, reduce_func: Callable) -> Any:
        state = _structure_tensors(initial_state)
        for element in self:
            state = _structure_tensors(reduce_func(state, element))
        return state

    def apply(self, transformation_func: Callable) -> Dataset:
        return transformation_func(self)

    # --- options ---------------------------------------------------------------------------------

    def with_options(self, options: Any, name: str | None = None) -> Dataset:
        """This dataset with ``options`` merged into its options (later non-default values win)."""
        from .options import Options

        if not isinstance(options, Options):  # TF fails converting it to a proto
            raise AttributeError(f"'{type(options).__name__}' object has no attribute '_to_proto'")
        out = copy.copy(self)
        out._kind = "_OptionsDataset"
        out._options_attr = self.options().merge(options)
        out._lineage = Lineage("with_options", (self,), lambda inputs: inputs[0].with_options(options))
        return out

    def options(self) -> Any:
        """The options of this dataset (a frozen copy: mutating it raises ValueError)."""
        from .options import Options

        options = Options() if self._options_attr is None else self._options_attr._copy()
        options._set_mutable(False)
        return options

    # --- iteration and metadata ------------------------------------------------------------------

    def __iter__(self) -> Any:
        from .iterator import OwnedIterator

        return OwnedIterator(self)

    def as_numpy_iterator(self) -> Any:
        """Iterates over elements as NumPy values (a ``tf.data.NumpyIterator``)."""
        from .iterator import NumpyIterator

        for spec in nest.flatten(self.element_spec):
            if isinstance(spec, DatasetSpec):
                raise TypeError("`tf.data.Dataset.as_numpy_iterator()` is not supported for datasets that produce "
                                f"values of type {spec.value_type}")
        return NumpyIterator(self)

    @property
    def _type_spec(self) -> DatasetSpec:
        return DatasetSpec(self.element_spec)

    @property
    def element_spec(self) -> Any:
        return self._spec

    def cardinality(self) -> Tensor:
        return _make_typed_host(np.array(self._cardinality, dtype=np.int64))

    def __len__(self) -> int:
        if self._cardinality == INFINITE_CARDINALITY:
            raise TypeError("The dataset is infinite.")
        if self._cardinality < 0:
            raise TypeError("The dataset length is unknown.")
        return self._cardinality

    def __bool__(self) -> bool:
        return True

    def __repr__(self) -> str:
        return f"<{self._kind} element_spec={self.element_spec}>"


class DatasetSpec:
    """The TypeSpec of a ``tf.data.Dataset``: its element spec and the shape of the dataset value (a scalar)."""

    def __init__(self, element_spec: Any, dataset_shape: Any = ()) -> None:
        self._element_spec = element_spec
        self._dataset_shape = TensorShape(dataset_shape)

    @staticmethod
    def from_value(value: Any) -> DatasetSpec:
        """The spec of the dataset ``value``."""
        return DatasetSpec(value.element_spec)

    @property
    def element_spec(self) -> Any:
        return self._element_spec

    @property
    def value_type(self) -> type:
        return Dataset

    def __eq__(self, other: Any) -> bool:
        return (type(other) is type(self) and self._element_spec == other._element_spec
                and self._dataset_shape == other._dataset_shape)

    def __hash__(self) -> int:
        return hash((type(self), repr(self._element_spec)))

    def __repr__(self) -> str:
        return f"DatasetSpec({self._element_spec!r}, {self._dataset_shape!r})"


def _merged_options(datasets: Any) -> Any:
    """The options a transformation inherits: its input datasets' options merged in order."""
    found = [d._options_attr for d in datasets if isinstance(d, Dataset) and d._options_attr is not None]
    if len(found) < 2:
        return found[0] if found else None
    from .options import merge_options

    return merge_options(*found)


def _inherits_options(method: Callable) -> Callable:
    """Wraps a transformation so its result carries the options of ``self`` and any dataset arguments, and
    its ``Lineage``."""

    @functools.wraps(method)
    def wrapper(self: Dataset, *args: Any, **kwargs: Any) -> Any:
        out = method(self, *args, **kwargs)
        if isinstance(out, Dataset) and out is not self:
            inputs = [self, *args, *kwargs.values(), out]
            out._options_attr = _merged_options(inputs)
            if type(out) is Dataset and _from_values(self) and out._spec is self._spec:
                out._values_spec = True  # take, filter, repeat...: the spec passed on is still one element's
            # (``apply``'s result is what its function made, with the lineage of how it made it)
            if method.__name__ != "apply" and "_lineage" not in out.__dict__:
                out._lineage = method_lineage(method.__name__, wrapper, self, args, kwargs)
        return out

    return wrapper


def _from_values(dataset: Dataset) -> bool:
    """Whether ``dataset``'s element spec was read off one element's values (a map's not traced): its shapes may
    vary."""
    if isinstance(dataset, _LazySpec):
        dataset.element_spec  # noqa: B018  (tracing, when it works, gives shapes as TF's)
        return not dataset._traced
    return getattr(dataset, "_values_spec", False)


def _named(make: Callable, spec: Any, card: int, kind: str) -> Dataset:
    ds = Dataset(make, spec, card)
    ds._kind = kind
    return ds


class _LazySpec(Dataset):
    """A dataset whose element_spec is found by running ``map_func`` on the first element."""

    _computed_spec: Any = None

    def __init__(self, make: Callable, spec: Any, card: int, kind: str) -> None:
        super().__init__(make, spec, card)
        self._kind = kind

    @property
    def _spec(self) -> Any:  # computed on first use, also by transformations that read their input's ``_spec``
        if self._computed_spec is None:
            self._computed_spec = self._compute_spec()
        return self._computed_spec

    @_spec.setter
    def _spec(self, value: Any) -> None:
        self._computed_spec = value

    _fallback: Any = None  # () -> the spec when there is no first element (a map's: map_func on a stand-in)
    _trace: Any = None  # first element's spec -> the spec map_func's tracing finds (None: keep the first's)
    _traced = False  # whether _trace found the spec: its shapes are then those TF infers, not one element's

    def _compute_spec(self) -> Any:
        with _tracing.random_state_kept():  # TF traces without drawing: seeded random ops in map_func stay TF's
            try:
                first = next(iter(self), None)
            except Exception as error:  # TF never runs the first element: the stand-ins alone may do
                if self._trace is None:
                    raise
                traced = self._trace(None)
                if traced is None:
                    raise error from None
                self._traced = True
                return traced
            if first is None:
                spec = None if self._fallback is None else self._fallback()
            else:
                spec = _spec_of(first)
            traced = None if self._trace is None or spec is None else self._trace(spec)
        self._traced = traced is not None
        return spec if traced is None else traced

    @property
    def element_spec(self) -> Any:
        return self._spec


def _shuffle_rng(seed: int | None, reshuffle: bool) -> Callable[[], Callable[[int], int]]:
    """One random index source per pass over the data; seeds follow tf.random's global/op seed rules.

    The order is deterministic for a given seed but not TF's exact order (TF's kernel RNG is not reproduced).
    """
    try:
        from ..ops.random.core import get_seed
    except ImportError:  # tf.random not available: op seed only
        def get_seed(op_seed: int | None) -> tuple:
            return (None, op_seed)
    global_seed, op_seed = get_seed(seed)
    base = None if global_seed is None and op_seed is None else [int(global_seed or 0), int(op_seed or 0)]
    if base is None:
        base = [int(x) for x in np.random.SeedSequence().generate_state(2)]
    epochs = itertools.count()

    def make() -> Callable[[int], int]:
        epoch = next(epochs) if reshuffle else 0
        gen = np.random.Generator(np.random.Philox(key=np.array(base + [epoch], dtype=np.uint64)[:2] + epoch))
        return lambda n: int(gen.integers(n))

    return make


def cardinality(dataset: Dataset) -> Tensor:
    return dataset.cardinality()


# Every public method that returns a new dataset passes the pipeline's options on, as TF's transformations do.
for _name, _member in list(vars(Dataset).items()):
    if not _name.startswith("_") and _name not in ("with_options", "options") and callable(_member) \
            and not isinstance(_member, staticmethod):
        setattr(Dataset, _name, _inherits_options(_member))
