"""Datasets that pick or make elements: ``Dataset.random``, ``counter``, ``choose_from_datasets`` and
``sample_from_datasets``.

``Dataset.random`` replays TF's kernel (Philox seeded with the op's (seed, seed2), one 32-bit word per element; a
fresh (seed, seed2) drawn from that stream at each pass when ``rerandomize_each_iteration``), and
``sample_from_datasets`` draws from it as TF does (``stateless_multinomial`` seeded by pairs of its values), so
seeded pipelines give TF's exact elements.

>>> import featherflow as tf
>>> [int(x) for x in tf.data.Dataset.random(seed=4).take(2)]
[3128586565, 2023892699]
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import numpy as np

from .. import nest
from ..dtypes import float32 as _float32
from ..dtypes import float64 as _float64
from ..dtypes import int64 as _int64
from ..errors import InvalidArgumentError
from ..tensor import Tensor, _make_typed_host
from ..tensor_spec import TensorSpec
from . import composite as _composite
from .dataset import INFINITE_CARDINALITY, UNKNOWN_CARDINALITY, Dataset
from .transforms import attach, derived, next_error

_M64 = (1 << 64) - 1


def _philox_stream(seed: int, seed2: int) -> Iterator[int]:
    """TF's ``SingleSampleAdapter<PhiloxRandom>(seed, seed2)``: 32-bit words, four per counter step."""
    from ..ops.random import _philox

    key, counter = seed & _M64, (seed2 & _M64) << 64
    for block in itertools.count(0, 64):
        yield from _philox.philox_words(key, counter + block, 256).tolist()


def random(seed: Any = None, rerandomize_each_iteration: Any = None, name: str | None = None) -> Dataset:
    """An infinite dataset of random int64 values in [0, 2**32) (TF's exact values for a given seed).

    >>> [int(x) for x in Dataset.random(seed=4).take(1)]
    [3128586565]
    """
    from ..ops.random.core import get_seed

    seed, seed2 = get_seed(seed)
    if seed is None and seed2 is None:  # TF: (0, 0) asks the kernel for random seeds
        seed, seed2 = (int(x) for x in np.random.SeedSequence().generate_state(2, np.uint64))
    seed, seed2 = int(seed or 0), int(seed2 or 0)
    parent = _philox_stream(seed, seed2)

    def make() -> Iterator[Any]:
        pass_seeds = (next(parent), next(parent)) if rerandomize_each_iteration else (seed, seed2)
        for word in _philox_stream(*pass_seeds):
            yield _make_typed_host(np.array(word, dtype=np.int64))

    return derived(make, lambda: TensorSpec([], _int64), INFINITE_CARDINALITY, "_RandomDataset")


def counter(start: Any = 0, step: Any = 1, dtype: Any = _int64, name: str | None = None) -> Dataset:
    """``start``, ``start + step``, ... forever (TF builds it as a scan over a repeated dataset).

    >>> [int(x) for x in Dataset.counter(3, 2).take(3)]
    [3, 5, 7]
    """
    from ..ops.convert import tensor

    start, step = tensor(start, dtype), tensor(step, dtype)
    return Dataset.from_tensors(0).repeat(None).scan(start, lambda state, _: (state + step, state))


# --- directed interleave -------------------------------------------------------------------------------------


def _merged_spec(datasets: list) -> Any:
    first = datasets[0].element_spec
    merged = first
    for i, dataset in enumerate(datasets[1:], 1):
        spec = dataset.element_spec
        try:
            nest.assert_same_structure(first, spec)
            parts = [_composite.common_spec(x, y) for x, y in zip(nest.flatten(merged), nest.flatten(spec))]
        except (TypeError, ValueError):
            parts = [None]
        if any(p is None for p in parts):
            raise TypeError("Invalid `datasets`. `datasets` must have compatible element specs.\n Dataset 0 "
                            f"element_spec={first}.\nDataset {i} element_spec={spec}.")
        merged = nest.pack_sequence_as(first, parts)
    return merged


def directed_interleave(selector: Dataset, datasets: list, stop_on_empty_dataset: bool) -> Dataset:
    """TF's ``DirectedInterleaveDataset``: each selector value names the input the next element comes from."""
    spec = _merged_spec(datasets)
    n = len(datasets)

    def make() -> Iterator[Any]:
        inputs: list = [iter(d) for d in datasets]
        active = n
        for index in selector:
            i = int(index)
            if i < 0 or i >= n:
                raise next_error(InvalidArgumentError, spec, f"Selector index out of range: {i} >= {n}")
            if inputs[i] is None:  # an exhausted input: TF skips the choice
                continue
            element = next(inputs[i], inputs)
            if element is not inputs:
                yield element
                continue
            if stop_on_empty_dataset:
                return
            inputs[i] = None
            active -= 1
            if active == 0:
                return

    card = INFINITE_CARDINALITY if any(d._cardinality == INFINITE_CARDINALITY for d in datasets) \
        else UNKNOWN_CARDINALITY
    return derived(make, lambda: spec, card, "_DirectedInterleaveDataset", *datasets)


def choose_from_datasets(datasets: Any, choice_dataset: Any, stop_on_empty_dataset: bool = True) -> Dataset:
    """The elements of ``datasets`` in the order ``choice_dataset`` (scalar int64 indices) names them.

    >>> choice = Dataset.from_tensor_slices(tf.constant([0, 1, 0], tf.int64))
    >>> [int(x) for x in Dataset.choose_from_datasets([Dataset.range(2), Dataset.range(5, 6)], choice)]
    [0, 5, 1]
    """
    datasets = list(datasets) if datasets is not None else []
    if not datasets:
        raise ValueError("Invalid `datasets`. `datasets` should not be empty.")
    if not isinstance(choice_dataset, Dataset):
        raise TypeError("Invalid `choice_dataset`. `choice_dataset` should be a `tf.data.Dataset` but is "
                        f"{type(choice_dataset)}.")
    if choice_dataset.element_spec != TensorSpec([], _int64):
        raise TypeError("Invalid `choice_dataset`. Elements of `choice_dataset` must be scalar `tf.int64` tensors "
                        f"but are {choice_dataset.element_spec}.")
    return directed_interleave(choice_dataset, datasets, bool(stop_on_empty_dataset))


def _log(weights: Any) -> Any:
    from ..ops.math.api import log

    return log(weights)


def sample_from_datasets(datasets: Any, weights: Any = None, seed: Any = None, stop_on_empty_dataset: bool = False,
                         rerandomize_each_iteration: Any = None) -> Dataset:
    """Elements drawn at random from ``datasets`` with probabilities ``weights`` (TF's exact draws when seeded).

    >>> ds = Dataset.sample_from_datasets([Dataset.range(3), Dataset.range(10, 13)], seed=3)
    >>> sorted(int(x) for x in ds)
    [0, 1, 2, 10, 11, 12]
    """
    from ..ops.convert import tensor
    from ..ops.random._kernels import stateless_categorical

    datasets = list(datasets) if datasets is not None else []
    if not datasets:
        raise ValueError("Invalid `datasets`. `datasets` should not be empty.")
    randoms = lambda: random(seed, rerandomize_each_iteration).batch(2)  # noqa: E731

    def pick(logits: np.ndarray, seeds: Tensor) -> Tensor:
        logits = np.asarray(logits).reshape(1, -1)  # TF's log of a packed tuple: one row of logits
        return _make_typed_host(np.asarray(stateless_categorical(logits, 1, seeds.numpy())[0, 0], np.int64))

    if isinstance(weights, Dataset):
        logits_ds = weights.map(lambda *p: _log(tensor(list(p)) if len(p) > 1 else p[0]))
        pairs = Dataset.zip((logits_ds, randoms()))
        selector = pairs.map(lambda logits, seeds: pick(logits.numpy(), seeds))
        return directed_interleave(selector, datasets, bool(stop_on_empty_dataset))
    if weights is None:
        logits = np.ones((1, len(datasets)), np.float32)
    else:
        if isinstance(weights, Tensor):
            if not weights.shape.is_compatible_with([len(datasets)]):
                raise ValueError("Invalid `weights`. The shape of `weights` should be compatible with "
                                 f"`[len(datasets)]` but is {weights.shape}.")
        else:
            if len(datasets) != len(weights):
                raise ValueError("Invalid `weights`. `weights` should have the same length as `datasets` but got "
                                 f"`len(weights)={len(weights)}` vs. `len(datasets)={len(datasets)}`.")
            kept = [(d, w) for d, w in zip(datasets, weights) if w > 0]
            datasets, weights = ([d for d, _ in kept], [w for _, w in kept]) if kept else \
                ([datasets[0].take(0)], [1.0])
        weights = tensor(weights)
        if weights.dtype not in (_float32, _float64):
            raise TypeError("Invalid `weights`. `weights` type must be either `tf.float32` or `tf.float64` but is "
                            f"{weights.dtype}.")
        logits = np.asarray(_log(weights).numpy())[None, :]
    if len(datasets) == 1:
        return datasets[0]
    selector = randoms().map(lambda seeds: pick(logits, seeds))
    return directed_interleave(selector, datasets, bool(stop_on_empty_dataset))


attach({"random": random, "counter": counter, "choose_from_datasets": choose_from_datasets,
        "sample_from_datasets": sample_from_datasets},
       static=("random", "counter", "choose_from_datasets", "sample_from_datasets"))
