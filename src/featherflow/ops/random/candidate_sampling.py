"""Candidate samplers (``tf.random.*_candidate_sampler``) and ``tf.nn.compute_accidental_hits``, TF's bits.

Each sampler is TF's stateful kernel: seeded like ``tf.random.uniform`` (global seed, op seed), one
cached kernel per (op, attributes), and each execution reserves 2048 words per sampled candidate of its
Philox stream (``ReserveSamples32``). The learned unigram sampler's counts live in its cached kernel, so
they grow from call to call, and restart with ``tf.random.set_seed``, as TF's kernel cache does.

>>> import featherflow as tf
>>> tf.random.set_seed(1)
>>> out = tf.random.log_uniform_candidate_sampler([[1, 2], [3, 4]], 2, 5, True, 100, seed=3)
>>> out.sampled_candidates.numpy().tolist()
[1, 38, 42, 0, 4]
"""

from __future__ import annotations

import collections
import re
from typing import Any

import numpy as np

from ...device import CPU as _CPU
from ...dtypes import int64 as _int64
from ...errors import InvalidArgumentError
from ..convert import hinted
from ..registry import register
from . import _range_samplers as rs
from .core import _legacy
from .core import op_error as _op_error

_FLT_MAX = float(np.finfo(np.float32).max)


def op_error(op_name: str, message: str, cls: type | None = None) -> Exception:
    """The kernel's error as TF's eager runtime words it for these ops (no trailing ``name:``)."""
    return _op_error(op_name, message, named=False) if cls is None else _op_error(op_name, message, False, cls)

# TF's gen ops return these namedtuples
UniformCandidateSampler = collections.namedtuple(
    "UniformCandidateSampler", ["sampled_candidates", "true_expected_count", "sampled_expected_count"])
LogUniformCandidateSampler = collections.namedtuple(
    "LogUniformCandidateSampler", ["sampled_candidates", "true_expected_count", "sampled_expected_count"])
LearnedUnigramCandidateSampler = collections.namedtuple(
    "LearnedUnigramCandidateSampler", ["sampled_candidates", "true_expected_count", "sampled_expected_count"])
FixedUnigramCandidateSampler = collections.namedtuple(
    "FixedUnigramCandidateSampler", ["sampled_candidates", "true_expected_count", "sampled_expected_count"])
AllCandidateSampler = collections.namedtuple(
    "AllCandidateSampler", ["sampled_candidates", "true_expected_count", "sampled_expected_count"])
ComputeAccidentalHits = collections.namedtuple("ComputeAccidentalHits", ["indices", "ids", "weights"])

# cached kernel (as ``_legacy`` keys its streams) -> its sampler, which may hold state (learned counts)
_samplers: dict[tuple, rs.RangeSampler] = {}


def _sample_forward(xp: Any, true_classes: Any, sampler: rs.RangeSampler, num_sampled: int, unique: bool,
                    key: int, counter: int) -> tuple:
    # Host only: the draws are sequential rejection loops over one word stream (unique candidates, exact
    # uniform integers, the alias method), and the probabilities call libm, as TF's CPU-only kernels do.
    true_list = true_classes.reshape(-1).tolist()
    words = rs.WordStream(key, counter, hint=(2 * num_sampled + 3) // 4 + 1)  # blocks for 64-bit draws
    batch, batch_counts, true_counts = sampler.sample_batch(words, unique, num_sampled, true_list)
    if sampler.needs_updates:
        sampler.update(true_list)
    return (np.asarray(batch, dtype=np.int64),
            np.asarray(true_counts, dtype=np.float32).reshape(true_classes.shape),
            np.asarray(batch_counts, dtype=np.float32))


def _sampler_op(name: str) -> Any:
    # TF registers no gradient for the samplers (nor NotDifferentiable): a gradient through one is a LookupError
    return register(name, n_outputs=3, host_only=True)(_sample_forward)


uniform_candidate_sampler_op = _sampler_op("UniformCandidateSampler")
log_uniform_candidate_sampler_op = _sampler_op("LogUniformCandidateSampler")
learned_unigram_candidate_sampler_op = _sampler_op("LearnedUnigramCandidateSampler")
fixed_unigram_candidate_sampler_op = _sampler_op("FixedUnigramCandidateSampler")
all_candidate_sampler_op = _sampler_op("AllCandidateSampler")


def check_attr_minimums(op: Any, values: dict) -> None:
    """TF's NodeDef check of the int attrs with a minimum (``num_sampled``, ``range_max``, ...), in the op's order."""
    from .._contract import Contract

    contract = op.contract or Contract(op)
    summary = contract.summary or ""
    for attr, minimum in re.findall(r"attr=(\w+):int,min=(-?\d+)", summary):
        value = values.get(attr)
        if value is not None and value < int(minimum):
            raise InvalidArgumentError(None, None, f"Value for attr '{attr}' of {value} must be at least minimum "
                                                   f"{minimum}\n\t; NodeDef: {{{{node {op.name}}}}}; "
                                                   f"Op<name={op.name}; {summary}> [Op:{op.name}]")


def _run(op: Any, out_type: Any, true_classes: Any, num_true: int, num_sampled: int, unique: bool, seeds: tuple,
         attrs: tuple, make_sampler: Any, checked: dict | None = None) -> Any:
    """One execution of the cached kernel ``op`` + ``attrs`` (``seeds`` from ``get_seed``, which TF's wrappers
    call first of all): TF's checks, its stream, its sampler."""
    check_attr_minimums(op, {"num_true": num_true, "num_sampled": num_sampled, **(checked or {})})
    classes = hinted(true_classes, _int64)
    seed1, seed2 = seeds[0] or 0, seeds[1] or 0
    cache_key = (op.name, num_true, num_sampled, bool(unique), *attrs, _CPU.name)
    kernel = (*cache_key, seed1, seed2)
    sampler = _samplers.get(kernel) if kernel in _legacy._kernels else None  # set_seed empties TF's cache
    if sampler is None:
        sampler = make_sampler()  # the kernel's constructor: its errors leave nothing cached
    op.check(classes)
    shape = classes._value.shape
    if len(shape) != 2:
        raise op_error(op.name, "true_classes must be a matrix")
    if shape[1] != num_true:
        raise op_error(op.name, f"true_classes must have num_true columns, expected: {shape[1]} was: {num_true}")
    if unique and num_sampled > sampler.range:
        raise op_error(op.name, "Sampler's range is too small.")
    values = classes._numpy()
    bad = values[(values < 0) | (values >= sampler.range)]
    if bad.size:
        raise op_error(op.name, f"`true_candidate` out of range [0, {sampler.range}), received {int(bad[0])}")
    key, counter = _legacy.reserve(cache_key, seeds[0], seeds[1], (2048 * num_sampled + 3) // 4)
    _samplers[kernel] = sampler
    out = op(classes, sampler=sampler, num_sampled=num_sampled, unique=bool(unique), key=key, counter=counter)
    return out_type(*out)


def _positive_range(op_name: str, range_max: int) -> None:
    if range_max <= 0:
        raise op_error(op_name, "range_max must be positive")


def _unigram_range(op_name: str, range_max: int) -> None:
    _positive_range(op_name, range_max)
    if range_max >= rs.KINT32MAX:
        raise op_error(op_name, f"range_max must be less than {rs.KINT32MAX} for unigram samplers, got {range_max}")


def uniform_candidate_sampler(true_classes: Any, num_true: int, num_sampled: int, unique: bool, range_max: int,
                              seed: Any = None, name: str | None = None) -> UniformCandidateSampler:
    """Samples ``num_sampled`` classes uniformly from [0, range_max) (``tf.random.uniform_candidate_sampler``).

    >>> uniform_candidate_sampler([[0]], 1, 3, True, 5, seed=1).sampled_candidates.shape
    TensorShape([3])
    """
    seeds = _legacy.get_seed(seed)  # TF's wrapper draws the op seed before anything else
    op = uniform_candidate_sampler_op
    range_max = int(range_max)

    def make() -> rs.RangeSampler:
        _positive_range(op.name, range_max)
        return rs.UniformSampler(range_max)

    return _run(op, UniformCandidateSampler, true_classes, int(num_true), int(num_sampled), unique, seeds,
                (range_max,), make, {"range_max": range_max})


def log_uniform_candidate_sampler(true_classes: Any, num_true: int, num_sampled: int, unique: bool,
                                  range_max: int, seed: Any = None,
                                  name: str | None = None) -> LogUniformCandidateSampler:
    """Samples classes from the Zipfian P(c) = log((c+2)/(c+1)) / log(range_max+1) (word2vec's negatives).

    >>> log_uniform_candidate_sampler([[0]], 1, 2, False, 5, seed=1).sampled_expected_count.dtype
    tf.float32
    """
    seeds = _legacy.get_seed(seed)  # TF's wrapper draws the op seed before anything else
    op = log_uniform_candidate_sampler_op
    range_max = int(range_max)

    def make() -> rs.RangeSampler:
        _positive_range(op.name, range_max)
        return rs.LogUniformSampler(range_max)

    return _run(op, LogUniformCandidateSampler, true_classes, int(num_true), int(num_sampled), unique, seeds,
                (range_max,), make, {"range_max": range_max})


def learned_unigram_candidate_sampler(true_classes: Any, num_true: int, num_sampled: int, unique: bool,
                                      range_max: int, seed: Any = None,
                                      name: str | None = None) -> LearnedUnigramCandidateSampler:
    """Samples classes by the counts of the true classes this kernel has seen so far (each starts at 1).

    >>> learned_unigram_candidate_sampler([[0]], 1, 2, True, 5, seed=1).sampled_candidates.shape
    TensorShape([2])
    """
    seeds = _legacy.get_seed(seed)  # TF's wrapper draws the op seed before anything else
    range_max = int(range_max)
    if range_max > rs.KINT32MAX:
        raise ValueError(f"Value of range_max:{range_max} is too large to handle")
    op = learned_unigram_candidate_sampler_op

    def make() -> rs.RangeSampler:
        _unigram_range(op.name, range_max)
        return rs.UnigramSampler(range_max)

    return _run(op, LearnedUnigramCandidateSampler, true_classes, int(num_true), int(num_sampled), unique, seeds,
                (range_max,), make, {"range_max": range_max})


def _read_vocab(op_name: str, vocab_file: str) -> list[float]:
    """The last comma-separated field of each line of ``vocab_file``, as a float (TF's ``LoadFromFile``)."""
    try:
        with open(vocab_file, "rb") as f:
            lines = f.read().split(b"\n")
    except OSError:
        raise op_error(op_name, f"{vocab_file}; No such file or directory", cls=_not_found()) from None
    if lines and lines[-1] == b"":
        lines.pop()  # the newline that ends the last line starts no new one
    weights = []
    for raw in lines:
        line = raw[:-1] if raw.endswith(b"\r") else raw
        field = line.split(b",")[-1].decode("utf-8", "replace").strip()
        try:
            weights.append(float(field))
        except ValueError:
            raise op_error(op_name, f"Wrong vocabulary format at line: {line.decode('utf-8', 'replace')}") from None
    return weights


def _not_found() -> type:
    from ...errors import NotFoundError

    return NotFoundError


def fixed_unigram_candidate_sampler(true_classes: Any, num_true: int, num_sampled: int, unique: bool,
                                    range_max: int, vocab_file: str = "", distortion: float = 1.0,
                                    num_reserved_ids: int = 0, num_shards: int = 1, shard: int = 0,
                                    unigrams: Any = (), seed: Any = None,
                                    name: str | None = None) -> FixedUnigramCandidateSampler:
    """Samples classes from given unigram weights (a list, or a CSV file's last column), raised to ``distortion``.

    >>> out = fixed_unigram_candidate_sampler([[0]], 1, 2, False, 3, unigrams=[0.0, 1.0, 0.0], seed=1)
    >>> out.sampled_candidates.numpy().tolist()
    [1, 1]
    """
    seeds = _legacy.get_seed(seed)  # TF's wrapper draws the op seed before anything else
    op = fixed_unigram_candidate_sampler_op
    range_max = int(range_max)
    unigrams = [float(u) for u in np.asarray(unigrams, dtype=np.float32).reshape(-1).tolist()]
    vocab_file = vocab_file.decode() if isinstance(vocab_file, bytes) else str(vocab_file)

    def make() -> rs.RangeSampler:
        _positive_range(op.name, range_max)
        if not vocab_file and not unigrams:
            raise op_error(op.name, "Must provide either vocab_file or unigrams.")
        if vocab_file and unigrams:
            raise op_error(op.name, "Must only provide one of vocab_file and unigrams.")
        sampler = rs.FixedUnigramSampler(range_max, distortion, int(num_reserved_ids), int(num_shards), int(shard))
        sampler.add_weights(_read_vocab(op.name, vocab_file) if vocab_file else unigrams)
        if len(sampler.weights) != range_max:
            raise op_error(op.name, f"range is {range_max} must be equal to weights size  {len(sampler.weights)}")
        sampler.build()
        return sampler

    attrs = (range_max, vocab_file, float(np.float32(distortion)), int(num_reserved_ids), int(num_shards),
             int(shard), tuple(unigrams))
    checked = {"range_max": range_max, "num_shards": int(num_shards), "shard": int(shard)}
    return _run(op, FixedUnigramCandidateSampler, true_classes, int(num_true), int(num_sampled), unique, seeds,
                attrs, make, checked)


def all_candidate_sampler(true_classes: Any, num_true: int, num_sampled: int, unique: bool, seed: Any = None,
                          name: str | None = None) -> AllCandidateSampler:
    """Every class in [0, num_sampled), each with expected count 1 (``tf.random.all_candidate_sampler``).

    >>> all_candidate_sampler([[1]], 1, 3, True).sampled_candidates.numpy().tolist()
    [0, 1, 2]
    """
    seeds = _legacy.get_seed(seed)  # TF's wrapper draws the op seed before anything else
    num_sampled = int(num_sampled)
    return _run(all_candidate_sampler_op, AllCandidateSampler, true_classes, int(num_true), num_sampled, unique,
                seeds, (), lambda: rs.AllSampler(num_sampled))


@register("ComputeAccidentalHits", n_outputs=3, host_only=True)  # no gradient registered, as in TF
def compute_accidental_hits_op(xp: Any, true_classes: Any, sampled: Any) -> tuple:
    # Host only: a hash map from candidate to its last position, and outputs whose length depends on the data.
    position = {c: i for i, c in enumerate(sampled.tolist())}
    indices, ids = [], []
    for row, classes in enumerate(true_classes.tolist()):
        for c in classes:
            hit = position.get(c)
            if hit is not None:
                indices.append(row)
                ids.append(hit)
    return (np.asarray(indices, dtype=np.int32), np.asarray(ids, dtype=np.int64),
            np.full(len(ids), -_FLT_MAX, dtype=np.float32))


def compute_accidental_hits(true_classes: Any, sampled_candidates: Any, num_true: int, seed: Any = None,
                            name: str | None = None) -> ComputeAccidentalHits:
    """Where a sampled candidate equals one of a row's true classes: (rows, sampled positions, -FLT_MAX weights).

    >>> compute_accidental_hits([[1], [2]], [2, 5], 1).ids.numpy().tolist()
    [0]
    """
    op = compute_accidental_hits_op
    _legacy.get_seed(seed)  # TF draws the op seeds (unused by the kernel) all the same
    classes = hinted(true_classes, _int64)
    sampled = hinted(sampled_candidates, _int64)
    op.check(classes, sampled)
    shape = classes._value.shape
    if len(shape) != 2 or shape[1] != int(num_true):
        raise op_error(op.name, "true_candidates must be a batch_size * num_true matrix")
    if sampled._value.ndim != 1:
        raise op_error(op.name, "sampled_candidates must be a vector, which is typically an output from "
                                "CandidateSampler")
    return ComputeAccidentalHits(*op(classes, sampled))

