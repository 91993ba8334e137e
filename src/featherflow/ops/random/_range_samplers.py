"""TF's range samplers (``core/kernels/range_sampler.cc``) over a Philox stream, bit for bit, on the host.

A candidate-sampler kernel reads 32-bit words one at a time from its reserved Philox stream
(``SimplePhilox``), and its samplers loop with data-dependent rejection (unique draws, exact uniform
integers, the alias method), so they are Python loops over host words. Probabilities and expected counts
follow TF's float32 arithmetic; the float functions TF calls from libm (``log1pf``, ``expm1f``, ``powf``)
are called from the C library itself where there is one, since no array library reproduces their last bit.

>>> words = WordStream(key=1, counter=0)
>>> UniformSampler(10).sample(words) in range(10)
True
"""

from __future__ import annotations

import functools
import math
from typing import Any

import numpy as np

from . import _philox as ph

_M32 = 0xFFFFFFFF
_M64 = 0xFFFFFFFFFFFFFFFF
_M128 = (1 << 128) - 1
KINT32MAX = 2**31 - 1
_F32 = np.float32


class WordStream:
    """``SimplePhilox`` over ``PhiloxRandom(key, counter)``: words of blocks C, C+1, ..., in order."""

    __slots__ = ("key", "counter", "words", "pos", "chunk")

    def __init__(self, key: int, counter: int, hint: int = 16) -> None:
        self.key, self.counter = key, counter
        self.words: list[int] = []
        self.pos = 0
        self.chunk = max(1, hint)  # blocks generated at a time; doubled whenever a sampler needs more

    def rand32(self) -> int:
        if self.pos == len(self.words):
            if self.chunk <= 32:  # a few blocks: Python ints beat NumPy's per-call overhead tenfold
                self.words = philox_words_py(self.key, self.counter, self.chunk)
            else:
                self.words = ph.philox_blocks(self.key, self.counter, self.chunk).reshape(-1).tolist()
            self.counter = (self.counter + self.chunk) & _M128
            self.pos = 0
            self.chunk *= 2
        w = self.words[self.pos]
        self.pos += 1
        return w

    def rand64(self) -> int:
        lo = self.rand32()
        return lo | (self.rand32() << 32)

    def rand_float(self) -> float:
        """``Uint32ToFloat``: the low 23 bits as a float32 in [0, 1)."""
        return (self.rand32() & 0x7FFFFF) * 2.0**-23

    def rand_double(self) -> float:
        """``Uint64ToDouble``: 20 bits of the first word over the 32 of the second, in [0, 1)."""
        x0 = self.rand32()
        return (((x0 & 0xFFFFF) << 32) | self.rand32()) * 2.0**-52

    def uniform(self, n: int, bits: int = 32) -> int:
        """``ExactUniformInt``: an unbiased integer in [0, n) by rejection (``Uniform``/``Uniform64``)."""
        draw = self.rand32 if bits == 32 else self.rand64
        if n == 0:
            draw()
            return 0
        if n & (n - 1) == 0:
            return draw() & (n - 1)
        rem = ((1 << bits) - 1) % n + 1
        rnd = draw()
        while rnd < rem:
            rnd = draw()
        return rnd % n


def philox_words_py(key: int, counter: int, blocks: int) -> list[int]:
    """The words of ``blocks`` Philox-4x32-10 blocks at counters C, C+1, ..., in plain Python ints."""
    out: list[int] = []
    for b in range(blocks):
        c = (counter + b) & _M128
        c0, c1, c2, c3 = c & _M32, (c >> 32) & _M32, (c >> 64) & _M32, c >> 96
        k0, k1 = key & _M32, (key >> 32) & _M32
        for r in range(10):
            p = 0xD2511F53 * c0
            q = 0xCD9E8D57 * c2
            c0, c1, c2, c3 = (q >> 32) ^ c1 ^ k0, q & _M32, (p >> 32) ^ c3 ^ k1, p & _M32
            if r < 9:
                k0 = (k0 + 0x9E3779B9) & _M32
                k1 = (k1 + 0xBB67AE85) & _M32
        out += (c0, c1, c2, c3)
    return out


# --- libm's float functions ---------------------------------------------------------------------------


@functools.cache
def _libm() -> Any:
    import ctypes  # on first use: not at `import featherflow`
    import ctypes.util

    name = ctypes.util.find_library("m")
    try:
        lib = ctypes.CDLL(name) if name else None
    except OSError:
        lib = None
    if lib is None:
        return None
    for fn in ("log1pf", "expm1f", "expf", "logf"):
        getattr(lib, fn).restype = ctypes.c_float
        getattr(lib, fn).argtypes = [ctypes.c_float]
    lib.powf.restype = ctypes.c_float
    lib.powf.argtypes = [ctypes.c_float, ctypes.c_float]
    return lib


def log1pf(x: float) -> float:
    lib = _libm()
    return lib.log1pf(x) if lib else float(_F32(math.log1p(x)))


def expm1f(x: float) -> float:
    lib = _libm()
    return lib.expm1f(x) if lib else float(_F32(math.expm1(x)))


def powf(x: float, y: float) -> float:
    lib = _libm()
    return lib.powf(x, y) if lib else float(_F32(float(x) ** float(y)))


def expected_count(p: float, batch_size: int, num_tries: int) -> float:
    """``ExpectedCountHelper`` in TF's float arithmetic: p * batch, or 1 - (1 - p)^tries after unique draws."""
    if num_tries == batch_size:
        return float(_F32(p) * _F32(batch_size))
    return -expm1f(float(_F32(num_tries) * _F32(log1pf(-p))))


# --- the samplers --------------------------------------------------------------------------------------


class RangeSampler:
    """A distribution over [0, range); ``sample_batch`` is TF's ``SampleBatchGetExpectedCountAvoid``."""

    needs_updates = False

    def __init__(self, range_max: int) -> None:
        self.range = range_max

    def sample(self, words: WordStream) -> int:
        raise NotImplementedError

    def probability(self, value: int) -> float:
        raise NotImplementedError

    def prepare(self) -> None:
        """Caches what a batch of draws reads (the learned sampler's cumulative weights)."""

    def sample_batch(self, words: WordStream, unique: bool, num_sampled: int,
                     true_classes: list[int]) -> tuple[list[int], list[float], list[float]]:
        """(sampled candidates, their expected counts, the true classes' expected counts)."""
        self.prepare()
        if unique:
            used: set[int] = set()
            batch: list[int] = []
            num_tries = 0
            while len(batch) < num_sampled:
                num_tries += 1
                value = self.sample(words)
                if value not in used:
                    used.add(value)
                    batch.append(value)
        else:
            batch = [self.sample(words) for _ in range(num_sampled)]
            num_tries = num_sampled
        probs: dict[int, float] = {}

        def count(v: int) -> float:
            p = probs.get(v)
            if p is None:
                p = probs[v] = self.probability(v)
            return expected_count(p, num_sampled, num_tries)

        return batch, [count(v) for v in batch], [count(v) for v in true_classes]

    def update(self, values: list[int]) -> None:
        raise NotImplementedError


class AllSampler(RangeSampler):
    """Every class once: [0, range), expected counts 1."""

    def sample_batch(self, words: WordStream, unique: bool, num_sampled: int,
                     true_classes: list[int]) -> tuple[list[int], list[float], list[float]]:
        return list(range(num_sampled)), [1.0] * num_sampled, [1.0] * len(true_classes)


class UniformSampler(RangeSampler):
    def __init__(self, range_max: int) -> None:
        super().__init__(range_max)
        self.inv_range = float(_F32(1.0 / range_max))

    def sample(self, words: WordStream) -> int:
        return words.uniform(self.range, 64)

    def probability(self, value: int) -> float:
        return self.inv_range


class LogUniformSampler(RangeSampler):
    def __init__(self, range_max: int) -> None:
        super().__init__(range_max)
        self.log_range = math.log1p(range_max)

    def sample(self, words: WordStream) -> int:
        # int64 truncation of libm's exp (CPython's math.exp calls it); the modulo only guards round-off
        return (int(math.exp(words.rand_double() * self.log_range)) - 1) % self.range

    def probability(self, value: int) -> float:
        return float(_F32(math.log((value + 2.0) / (value + 1.0)) / self.log_range))


class UnigramSampler(RangeSampler):
    """``UnigramSampler``: weights start at 1 per class and count the true classes the kernel has seen."""

    needs_updates = True

    def __init__(self, range_max: int) -> None:
        super().__init__(range_max)
        self.weights = np.ones(range_max, dtype=np.int64)
        self.total = range_max
        self.cumulative: np.ndarray | None = None

    def prepare(self) -> None:
        self.cumulative = np.cumsum(self.weights)

    def sample(self, words: WordStream) -> int:
        # WeightedPicker::Pick: an unbiased index into the total weight, then the tree descent, which is the
        # first class whose cumulative weight exceeds it
        position = words.uniform(self.total, 32)
        return int(np.searchsorted(self.cumulative, position, side="right"))

    def probability(self, value: int) -> float:
        return float(_F32(self.weights[value]) / _F32(self.total))

    def update(self, values: list[int]) -> None:
        n = min(len(values), KINT32MAX - self.total)
        if n > 0:
            np.add.at(self.weights, np.asarray(values[:n], dtype=np.int64), 1)
            self.total += n


class FixedUnigramSampler(RangeSampler):
    """``FixedUnigramSampler``: given weights (distorted by ``powf``) sampled with Walker's alias method."""

    def __init__(self, range_max: int, distortion: float, num_reserved_ids: int, num_shards: int,
                 shard: int) -> None:
        super().__init__(range_max)
        self.distortion = float(_F32(distortion))
        self.num_shards, self.shard = num_shards, shard
        self.weights: list[float] = [0.0 for i in range(num_reserved_ids) if i % num_shards == shard]
        self.total = _F32(0.0)

    def add_weights(self, values: list[float]) -> None:
        """``LoadFromUnigrams``/``LoadFromFile``: this shard's weights, each raised to the distortion."""
        word_id = len(self.weights)  # TF starts counting at the reserved ids this shard kept
        added = []
        for w in values:
            if word_id % self.num_shards == self.shard:
                w = float(_F32(w))
                added.append(powf(w, self.distortion) if self.distortion != 1.0 else w)
            word_id += 1
        if added:  # float32 running sum, in order (cumsum does not pair up terms)
            terms = np.asarray([self.total, *added], dtype=np.float32)
            self.total = _F32(np.cumsum(terms, dtype=np.float32)[-1])
        self.weights.extend(added)

    def build(self) -> None:
        """``DistributionSampler``: the alias table, with TF's float and double roundings."""
        w = np.asarray(self.weights, dtype=np.float32)
        n = w.size
        total = float(np.cumsum(w.astype(np.float64))[-1])
        pr = ((w * _F32(n)).astype(np.float64) / total).tolist()
        alt = [-1] * n
        low = [i for i in range(n) if pr[i] < 1.0]
        high = [i for i in range(n) if pr[i] >= 1.0]
        while high and low:
            small, large = low.pop(), high.pop()
            alt[small] = large
            remaining = pr[large] - (1.0 - pr[small])
            pr[large] = remaining
            (low if remaining < 1.0 else high).append(large)
        prob = np.asarray(pr, dtype=np.float32).astype(np.float64).tolist()
        for idx in high + low:  # round-off leftovers: always themselves
            prob[idx] = 1.0
            alt[idx] = idx
        self.prob, self.alt = prob, alt

    def sample(self, words: WordStream) -> int:
        r = words.rand_float()
        idx = words.uniform(len(self.prob), 32)
        return idx if r < self.prob[idx] else self.alt[idx]

    def probability(self, value: int) -> float:
        if not 0 <= value < len(self.weights):
            return 0.0
        return float(_F32(self.weights[value]) / self.total)
