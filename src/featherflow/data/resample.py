"""``Dataset.rejection_resample``: elements kept or dropped at random so the classes ``class_func`` gives them
follow ``target_dist``, mixed with untouched elements as TF does (``sample_from_datasets``).

TF's construction is replayed step by step: the class distribution is estimated from batches of 32 class values
(when ``initial_dist`` is not given), acceptance probabilities are computed in float32, and each element is kept
when a ``RandomUniform`` draw (Philox seeded by the op seed, 256 blocks reserved per draw, restarted at each pass)
is below its class's acceptance probability; seeded pipelines give TF's elements.

>>> import featherflow as tf
>>> ds = tf.data.Dataset.from_tensor_slices(tf.constant([0, 0, 0, 1], tf.int64))
>>> out = ds.rejection_resample(lambda x: x, target_dist=[0.5, 0.5], initial_dist=[0.75, 0.25], seed=1)
>>> out.element_spec
(TensorSpec(shape=(), dtype=tf.int64, name=None), TensorSpec(shape=(), dtype=tf.int64, name=None))
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from ..dtypes import float32 as _float32
from ..tensor import _make_typed_host
from ..tensor_spec import TensorSpec
from .dataset import Dataset, _call, _structure_tensors
from .sampling import sample_from_datasets
from .transforms import attach, derived

_BATCH = 32  # TF's dist_estimation_batch_size
_SMOOTHING = 10  # TF's smoothing_constant: every class starts as seen this many times


def _float32_array(value: Any) -> np.ndarray:
    from ..ops.convert import tensor

    return np.asarray(tensor(value).numpy()).astype(np.float32)


def _acceptance(initial: np.ndarray, target: np.ndarray) -> tuple[np.ndarray, np.float32]:
    """TF's ``_calculate_acceptance_probs_with_mixing``: (acceptance per class, probability of the original)."""
    ratio = target / (initial + np.finfo(np.float32).tiny)
    low, high = ratio.min(), ratio.max()
    return ((ratio - low) / (high - low)).astype(np.float32), np.float32(low)


def _estimated_initial(num_classes: int, classes: Dataset) -> Dataset:
    """Running estimates of the class distribution, 32 per batch of 32 class values (TF's scan, tile, unbatch)."""

    def make() -> Iterator[Any]:
        seen = np.full([num_classes], _SMOOTHING, np.int64)
        for batch in classes.batch(_BATCH):
            values = np.asarray(batch.numpy()).reshape(-1)
            seen = seen + np.bincount(values[(values >= 0) & (values < num_classes)], minlength=num_classes)
            dist = (seen / seen.sum()).astype(np.float32)
            for _ in range(_BATCH):  # TF tiles each estimate 32 times, also for a short last batch
                yield _make_typed_host(dist)

    return derived(make, lambda: TensorSpec([num_classes], _float32), -2, "_UnbatchDataset")


def _format(values: np.ndarray) -> str:
    """One tensor as TF's ``Print`` shows it: ``[0.625 0.375]`` (floats as ``%g`` that round-trips)."""
    def one(v: Any) -> str:
        text = f"{float(v):.6g}"
        return text if np.float32(text) == np.float32(v) else f"{float(v):.9g}"

    return "[" + " ".join(one(v) for v in np.asarray(values).reshape(-1)) + "]"


def _uniform_draws(seed: Any) -> Callable[[], Iterator[float]]:
    """TF's stateful ``RandomUniform`` kernel in a dataset function: a fresh stream at each pass."""
    from ..ops.random import _philox
    from ..ops.random.core import get_seed

    seed, seed2 = get_seed(seed)
    if seed is None and seed2 is None:
        seed, seed2 = (int(x) for x in np.random.SeedSequence().generate_state(2, np.uint64))
    key, counter = int(seed or 0) & ((1 << 64) - 1), (int(seed2 or 0) & ((1 << 64) - 1)) << 64

    def stream() -> Iterator[float]:
        block = 0
        while True:
            words = _philox.philox_words(key, counter + block, 1)
            yield float(_philox.uniform_from_words(words, np.dtype(np.float32))[0])
            block += 256  # the kernel reserves 256 blocks per output value

    return stream


def _filtered(dataset: Dataset, acceptance: Dataset, initial: Dataset, class_func: Callable, seed: Any) -> Dataset:
    """(class, element) for the elements kept by the acceptance test (TF's ``_filter_ds``)."""
    draws = _uniform_draws(seed)

    def make() -> Iterator[Any]:
        stream = draws()
        printed = 0
        for accept, init, element in zip(acceptance, initial, dataset):
            accept, init = np.asarray(accept.numpy()), np.asarray(init.numpy())
            rejected = np.float32(np.sum((np.float32(1) - accept) * init, dtype=np.float32))
            if not rejected < 0.5 and printed < 10:  # TF's Print, first_n=10
                printed += 1
                print(f"Proportion of examples rejected by sampler is high: {_format(rejected)}{_format(init)}"
                      f"{_format(accept)}", file=sys.stderr)
            value = _structure_tensors(_call(class_func, element))
            if next(stream) < accept[int(value)]:
                yield value, element

    def spec() -> Any:
        first = dataset.map(lambda *x: _call(class_func, x if len(x) > 1 else x[0])).element_spec
        return first, dataset.element_spec

    return derived(make, spec, -2, "_MapDataset", dataset)


def rejection_resample(self: Dataset, class_func: Callable, target_dist: Any, initial_dist: Any = None,
                       seed: Any = None, name: str | None = None) -> Dataset:
    """(class, element) pairs resampled so the classes follow ``target_dist`` (TF's exact draws when seeded).

    >>> ds = Dataset.from_tensor_slices(tf.constant([0, 1, 1, 1], tf.int64))
    >>> int(ds.rejection_resample(lambda x: x, [0.5, 0.5], [0.25, 0.75], seed=2).cardinality())
    -2
    """
    target = _float32_array(target_dist)

    def add_class_value(*x: Any) -> Any:
        return (class_func(*x), x[0]) if len(x) == 1 else (class_func(*x), x)

    if initial_dist is not None:
        initial_array = _float32_array(initial_dist)
        accept, prob_original = _acceptance(initial_array, target)
        initial = Dataset.from_tensors(_make_typed_host(initial_array)).repeat()
        acceptance = Dataset.from_tensors(_make_typed_host(accept)).repeat()
        prob_of_original = Dataset.from_tensors(_make_typed_host(prob_original)).repeat()
        with np.errstate(divide="ignore", invalid="ignore"):
            prob_static = np.min(target / initial_array)
    else:
        initial = _estimated_initial(int(target.shape[0]), self.map(class_func))
        pairs = initial.map(lambda dist: tuple(_make_typed_host(v) for v in _acceptance(np.asarray(dist.numpy()),
                                                                                        target)))
        acceptance = pairs.map(lambda accept, _: accept)
        prob_of_original = pairs.map(lambda _, prob: prob)
        prob_static = None
    filtered = _filtered(self, acceptance, initial, class_func, seed)
    if prob_static == 1:
        return self.map(add_class_value)
    if prob_static == 0:
        return filtered
    def mixing(prob: Any) -> Any:
        p = np.float32(prob.numpy())
        return _make_typed_host(np.array([[p, np.float32(1) - p]], np.float32))

    weights = prob_of_original.map(mixing)
    return sample_from_datasets([self.map(add_class_value), filtered], weights=weights, seed=seed,
                                stop_on_empty_dataset=True)


attach({"rejection_resample": rejection_resample})
