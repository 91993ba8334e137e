"""TensorFlow's stateful random numbers on top of ``_philox``: ``tf.random.Generator`` and the legacy ops.

``Generator`` is a set of functions over its state, an int64[3] array
``[counter low 64 bits, counter high 64 bits, key]``, each returning
``(values, new_state)``, so the caller owns the Variable holding the state.

The legacy ops (``tf.random.uniform``, ``normal``, ``truncated_normal``, ``shuffle``,
``categorical``, ...) need the global seed, the op-seed counter and one Philox
offset per cached eager kernel; ``LegacyRandomState`` holds those.

>>> gen_state = generator_state_from_seed(1234)
>>> values, gen_state = generator_normal(gen_state, [2])
>>> values.tolist(), gen_state.tolist()
([0.9356608986854553, 1.0854305028915405], [1746, 0, 0])
"""

from __future__ import annotations

import math
import os
import threading
from collections.abc import Hashable
from typing import TYPE_CHECKING, Any

import numpy as np

from ...backends import array_module
from ...runtime_config import is_op_determinism_enabled
from . import _philox as ph
from ._gamma_poisson import philox_gamma, philox_poisson

if TYPE_CHECKING:
    import random

_M32 = M32 = 0xFFFFFFFF
_M64 = M64 = 0xFFFFFFFFFFFFFFFF
_M128 = (1 << 128) - 1
STATE_SIZE = 3  # Philox: two counter words and one key word, all int64
MAXINT32 = 2**31 - 1
DEFAULT_GRAPH_SEED = 87654321


def _os_uint64() -> int:
    return int.from_bytes(os.urandom(8), "little")


# ---------------------------------------------------------------------------------------------
# tf.random.Generator
# ---------------------------------------------------------------------------------------------


def _to_int64(value: int) -> int:
    value &= _M64
    return value - (1 << 64) if value >> 63 else value


def generator_state_from_seed(seed: Any, size: int = STATE_SIZE) -> np.ndarray:
    """``create_rng_state(seed, "philox")``: the int64[3] state ``Generator.from_seed`` starts from.

    A Python int (bools too, as TF's ``isinstance(seed, int)``) is split into 64-bit chunks, lowest first
    (so 1234 gives [1234, 0, 0]); anything else is flattened, cast to int64, cut to ``size`` and padded
    with zeros on the left (np.int64(42) gives [0, 0, 42]). The seed is not scrambled. ThreeFry states
    have ``size`` 2.
    """
    if isinstance(seed, int):
        seed = int(seed)
        chunks = []
        for _ in range(size):
            chunks.append(_to_int64(seed))
            seed >>= 64
        return np.array(chunks, dtype=np.int64)
    flat = np.asarray(seed)
    if flat.dtype == object:  # Python ints above int64, as TF's _uint_to_int allows
        flat = np.array([_to_int64(int(v)) for v in flat.reshape(-1)], dtype=np.int64)
    flat = flat.astype(np.int64).reshape(-1)[:size]
    return np.concatenate([np.zeros(size - flat.size, dtype=np.int64), flat])


def generator_state_non_deterministic() -> np.ndarray:
    """``Generator.from_non_deterministic_state``: three int64 words from the OS's entropy source."""
    return np.array([_to_int64(_os_uint64()) for _ in range(STATE_SIZE)], dtype=np.int64)


def generator_state_from_key_counter(key: int, counter: Any) -> np.ndarray:
    """``Generator.from_key_counter``: state = [counter[0], counter[1], key]."""
    counter = np.asarray(counter).reshape(-1)
    if counter.size != STATE_SIZE - 1:
        raise ValueError(f"counter must have shape [{STATE_SIZE - 1}], got {list(counter.shape)}")
    words = [_to_int64(int(c)) for c in counter.tolist()] + [_to_int64(int(key))]
    return np.array(words, dtype=np.int64)


def _state_key_counter(state: np.ndarray) -> tuple[int, int]:
    words = [int(w) & _M64 for w in np.asarray(state, dtype=np.int64).reshape(-1).tolist()]
    if len(words) != STATE_SIZE:
        raise ValueError(f"Philox state must have shape [{STATE_SIZE}], got {len(words)} elements")
    return words[2], words[0] | (words[1] << 64)


def generator_key_counter(state: np.ndarray) -> tuple[int, int]:
    """(key, counter) of a Philox state, as Python ints."""
    return _state_key_counter(state)


def _state_from_key_counter(key: int, counter: int) -> np.ndarray:
    return np.array([_to_int64(counter), _to_int64(counter >> 64), _to_int64(key)], dtype=np.int64)


def philox_skip(counter: int, count: int) -> int:
    """TF's ``PhiloxRandom::Skip(uint64 count)`` on a 128-bit counter, carry quirk included.

    The carry out of the low word is added to the high 32 bits of ``count`` in uint32, so it is lost
    when those bits are all ones (count >= 2**64 - 2**32, e.g. a negative delta cast to uint64).
    """
    count &= _M64
    low, high = (counter & _M32) + (count & _M32), count >> 32
    if low > _M32:
        high = (high + 1) & _M32
    mid = ((counter >> 32) & _M32) + high
    top = counter >> 64
    if mid > _M32:
        top = (top + 1) & _M64
    return (top << 64) | ((mid & _M32) << 32) | (low & _M32)


def generator_skip(state: np.ndarray, delta: int) -> tuple[np.ndarray, np.ndarray]:
    """``RngReadAndSkip``: (the state before, the state with its counter skipped by 256 * delta).

    ``delta`` is taken as a uint64 and multiplied by 256 modulo 2**64, as TF's kernel does.
    """
    key, counter = _state_key_counter(state)
    new_state = _state_from_key_counter(key, philox_skip(counter, 256 * (int(delta) & _M64)))
    return np.asarray(state, dtype=np.int64).copy(), new_state


def generator_read_and_skip(state: np.ndarray, shape: Any) -> tuple[int, int, np.ndarray]:
    """(key, counter, new_state) for one draw of ``shape``: the counter moves 256 blocks per element.

    TF advances the state before the kernel runs, so a draw that then fails (minval >= maxval) has
    still used up its counter range; callers that need that can store ``new_state`` first.
    """
    _, n = ph.num_elements(shape)
    key, counter = _state_key_counter(state)
    return key, counter, _state_from_key_counter(key, (counter + 256 * n) & _M128)


def generator_uniform(
    state: np.ndarray, shape: Any, minval: Any = 0, maxval: Any = None, dtype: Any = np.float32
) -> tuple[np.ndarray, np.ndarray]:
    """``Generator.uniform``: floats in [minval, maxval), ints in [minval, maxval) or, with no bounds, full-range ints."""
    dtype = ph.as_numpy_dtype(dtype)
    if dtype.kind in "iu":
        if (minval is None) != (maxval is None):
            raise ValueError(
                f"For integer dtype {dtype}, minval and maxval must be both `None` or both non-`None`; got "
                f"minval={minval} and maxval={maxval}")
        if minval is None:
            return generator_uniform_full_int(state, shape, dtype)
        key, counter, new_state = generator_read_and_skip(state, shape)
        return ph.philox_uniform_int(shape, key, counter, minval, maxval, dtype), new_state
    key, counter, new_state = generator_read_and_skip(state, shape)
    rnd = ph.philox_uniform(shape, key, counter, dtype)
    return ph.scale_uniform(rnd, minval, 1 if maxval is None else maxval, dtype), new_state


def generator_uniform_full_int(state: np.ndarray, shape: Any, dtype: Any = np.uint64) -> tuple[np.ndarray, np.ndarray]:
    """``Generator.uniform_full_int``: integers over the dtype's whole range."""
    key, counter, new_state = generator_read_and_skip(state, shape)
    return ph.philox_uniform_full_int(shape, key, counter, dtype), new_state


def generator_normal(
    state: np.ndarray, shape: Any, mean: Any = 0.0, stddev: Any = 1.0, dtype: Any = np.float32
) -> tuple[np.ndarray, np.ndarray]:
    """``Generator.normal``."""
    dtype = ph.as_numpy_dtype(dtype)
    key, counter, new_state = generator_read_and_skip(state, shape)
    return ph.scale_normal(ph.philox_normal(shape, key, counter, dtype), mean, stddev, dtype), new_state


def generator_truncated_normal(
    state: np.ndarray, shape: Any, mean: Any = 0.0, stddev: Any = 1.0, dtype: Any = np.float32
) -> tuple[np.ndarray, np.ndarray]:
    """``Generator.truncated_normal``."""
    dtype = ph.as_numpy_dtype(dtype)
    key, counter, new_state = generator_read_and_skip(state, shape)
    rnd = ph.philox_truncated_normal(shape, key, counter, dtype)
    return ph.scale_normal(rnd, mean, stddev, dtype), new_state


def generator_make_seeds(state: np.ndarray, count: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """``Generator.make_seeds``: int64[2, count], the keys on top of zeros."""
    keys, new_state = generator_uniform_full_int(state, [count], np.int64)
    return np.stack([keys, np.zeros_like(keys)]), new_state


def generator_split(state: np.ndarray, count: int = 1) -> tuple[list[np.ndarray], np.ndarray]:
    """``Generator.split``: ``count`` child states [0, 0, key_i] and the parent's new state."""
    keys, new_state = generator_uniform_full_int(state, [count], np.int64)
    return [np.array([0, 0, int(k)], dtype=np.int64) for k in keys.tolist()], new_state


# ---------------------------------------------------------------------------------------------
# Shuffle and categorical: the Philox-driven algorithms of TF's CPU kernels
# ---------------------------------------------------------------------------------------------


def shuffle_words_needed(value: Any) -> int:
    """How many 32-bit words TF's shuffle draws: dim0 - 1, or none when there is nothing to shuffle.

    ``value`` is an array of any device, or its shape: only the shape is read."""
    shape = value if isinstance(value, tuple) else (value.shape if hasattr(value, "shape") else np.shape(value))
    if not shape:
        raise ValueError("input must be at least 1-D, got a scalar")
    return 0 if math.prod(shape) <= 1 or shape[0] <= 1 else shape[0] - 1


def shuffle_permutation(shape: tuple, key: int, counter: int) -> np.ndarray | None:
    """The row order of TF's ``RandomShuffle`` for a value of ``shape`` (None: nothing moves), on the host.

    Fisher-Yates along axis 0, swapping i with i + word_i % (n - i): each swap depends on the previous ones,
    so it is sequential host work; it needs only the seeds and the first dimension, never the value."""
    words = shuffle_words_needed(tuple(shape))
    if not words:
        return None
    n = shape[0]
    draws = ph.philox_words(key, counter, words).astype(np.int64) % np.arange(n, 1, -1, dtype=np.int64)
    perm = list(range(n))
    for i, step in enumerate(draws.tolist()):
        j = i + step
        perm[i], perm[j] = perm[j], perm[i]
    return np.array(perm)


def philox_shuffle(value: Any, key: int, counter: int) -> np.ndarray:
    """TF's ``RandomShuffle`` kernel body on a host value (see ``shuffle_permutation``)."""
    value = np.asarray(value)
    perm = shuffle_permutation(value.shape, key, counter)
    return value.copy() if perm is None else value[perm]


def categorical_blocks_reserved(batch: int, num_samples: int) -> int:
    """Blocks a ``Multinomial`` kernel reserves: 256 per output value, doubled because CPU draws doubles."""
    return 256 * batch * ((num_samples + 3) // 4 * 4) * 2


def intra_op_threads() -> int:
    """TF's default intra-op thread count: the CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)


def shard_ranges(total: int, cost_per_unit: int, num_threads: int) -> list[tuple[int, int]]:
    """The row ranges TF's ``Shard`` hands its workers: Eigen's ``parallelFor`` blocks (TensorCostModel).

    Kernels whose output depends on the split (``Multinomial`` skips ahead per range) need this.
    """
    if total <= 0:
        return []
    if num_threads <= 1 or total * cost_per_unit < 10000:
        return [(0, total)]
    # Eigen: startup and per-thread costs of 100000 cycles, tasks of 40000 cycles, 4x oversharding at most.
    threads = (total * float(cost_per_unit) - 100000) / 100000 + 0.9
    if total == 1 or min(num_threads, max(1, int(threads))) == 1:
        return [(0, total)]
    block_size_f = 1.0 / (float(cost_per_unit) / 40000)
    block = min(total, max(_ceil_div(total, 4 * num_threads), int(block_size_f)))
    max_block = min(total, 2 * block)
    count = _ceil_div(total, block)
    efficiency = count / (_ceil_div(count, num_threads) * num_threads)
    previous = count
    while efficiency < 1.0 and previous > 1:  # coarser blocks, as long as the threads stay as busy
        coarser = _ceil_div(total, previous - 1)
        if coarser > max_block:
            break
        coarser_count = previous = _ceil_div(total, coarser)
        coarser_efficiency = coarser_count / (_ceil_div(coarser_count, num_threads) * num_threads)
        if coarser_efficiency + 0.01 >= efficiency:
            block, count = coarser, coarser_count
            efficiency = max(efficiency, coarser_efficiency)
    return [(first, min(first + block, total)) for first in range(0, total, block)]


def philox_categorical(logits: Any, num_samples: int, key: int, counter: int, dtype: Any = np.int64,
                       num_threads: int | None = None) -> np.ndarray:
    """TF's CPU ``Multinomial`` kernel: per row, inverse-CDF sampling with one double (two words) per draw.

    TF splits the rows over its ``num_threads`` intra-op threads (this process's CPUs by default), and a
    range starting at row r reads its own stream from block r * (num_samples + 3) // 4, so the output
    depends on the split; we replay TF's split. TF's ``exp`` is Eigen's vectorised one, which may
    differ from libm's in the last bit, so a draw landing exactly on a CDF step could differ.

    ``logits`` of a device are sampled there, with no host transfer: the draws come from the Philox kernel on
    the device, and ``exp`` and the running sum are the device's (CUDA's ``exp`` and CuPy's parallel
    ``cumsum`` may round differently from libm and TF's sequential loop in the last bit: again only a draw
    within an ulp of a CDF step could differ).
    """
    if not hasattr(logits, "ndim"):
        logits = np.asarray(logits)
    xp = array_module(logits)
    if logits.ndim != 2:
        raise ValueError(f"logits should be a matrix, got shape {list(logits.shape)}")
    num_samples = int(num_samples)
    if num_samples < 0:
        raise ValueError(f"num_samples should be non-negative, got {num_samples}")
    batch, classes = logits.shape
    if classes <= 0:
        raise ValueError(f"num_classes should be positive, got {classes}")
    out = xp.zeros((batch, num_samples), dtype=ph.as_numpy_dtype(dtype))
    if out.size == 0:
        return out
    cost = int(50 * (num_samples * math.log(classes) / math.log(2) + classes))
    threads = intra_op_threads() if num_threads is None else num_threads
    draws = xp.empty((batch, num_samples))
    for first, last in shard_ranges(batch, cost, threads):
        start = philox_skip(counter, first * (num_samples + 3) // 4)
        w = ph.philox_words(key, start, (last - first) * num_samples * 2, xp)
        draws[first:last] = ph.words_to_float64(w[0::2], w[1::2]).reshape(last - first, num_samples)
    wide = logits.astype(np.float64)
    finite = xp.isfinite(wide)
    # With no finite logit the total stays 0 and every draw lands past the end, whatever the max.
    row_max = xp.max(xp.where(finite, wide, -math.inf), axis=1, keepdims=True)
    row_max = xp.where(xp.isfinite(row_max), row_max, 0.0)
    shifted = wide - row_max
    terms = _libm_exp(shifted).astype(np.float64) if xp is np else xp.exp(shifted)
    cdf = xp.cumsum(xp.where(finite, terms, 0.0), axis=1)  # on the CPU sequential, left to right, as TF's loop
    targets = draws * cdf[:, -1:]
    for b in range(batch):
        out[b] = xp.searchsorted(cdf[b], targets[b], side="right")
    return out


_libm_exp = np.frompyfunc(math.exp, 1, 1)  # CPython's math calls libm, as TF's CPU kernel


def stateless_shuffle(value: Any, seed: Any) -> np.ndarray:
    """``tf.random.experimental.stateless_shuffle``."""
    key, counter = ph.key_counter_from_seed(seed)
    return philox_shuffle(value, key, counter)


def stateless_categorical(logits: Any, num_samples: int, seed: Any, dtype: Any = np.int64) -> np.ndarray:
    """``tf.random.stateless_categorical`` (see ``philox_categorical`` for when it is exact)."""
    key, counter = ph.key_counter_from_seed(seed)
    return philox_categorical(logits, num_samples, key, counter, dtype)


# ---------------------------------------------------------------------------------------------
# Legacy stateful ops in eager mode
# ---------------------------------------------------------------------------------------------


def _float_dtype(dtype: Any) -> np.dtype:
    dtype = ph.as_numpy_dtype(dtype)
    if dtype not in ph.FLOAT_DTYPES:
        raise ValueError(f"Argument `dtype` got invalid value {dtype}: need float16, bfloat16, float32 or float64.")
    return dtype


class GraphSeeds:
    """The random-op state of one traced TF function (a ``FuncGraph``: a ``tf.function``, a dataset's map
    function). In such a graph an op without an op seed takes 0, 1, 2, ... in the order the ops were traced, and
    each op's kernel (its Philox stream) lives as long as the graph, apart from the eager kernel cache. featherflow
    runs the function's Python at every call, so the counter restarts at each call (the same ops get the same
    seeds, as the graph's ops keep theirs) while the kernels carry on."""

    __slots__ = ("next_seed", "kernels")

    def __init__(self) -> None:
        self.next_seed = 0
        self.kernels: dict[Hashable, list[int]] = {}


class _Graph(threading.local):
    seeds: GraphSeeds | None = None


_graph = _Graph()


class LegacyRandomState:
    """The global seed, the op-seed counter and the per-kernel Philox offsets behind ``tf.random.uniform`` & co.

    Eager TF caches one kernel per (op type, attributes); each seeded kernel owns a Philox stream with
    key = seed and counter = seed2 << 64, and every execution reserves 256 blocks per output element.

    >>> state = LegacyRandomState()
    >>> state.set_seed(1234)
    >>> state.uniform([3], seed=7).tolist()
    [0.7970261573791504, 0.05996668338775635, 0.3449958562850952]
    """

    __slots__ = ("_global_seed", "_kernels", "_lock", "_rng")

    def __init__(self) -> None:
        self._global_seed: Any = None
        self._rng: random.Random | None = None
        self._kernels: dict[Hashable, list[int]] = {}  # cache key -> [key, counter]
        self._lock = threading.Lock()  # TF reserves a kernel's counter range atomically

    @property
    def global_seed(self) -> Any:
        """The value last given to ``set_seed`` (None when unset)."""
        return self._global_seed

    def set_seed(self, seed: Any) -> None:
        """``tf.random.set_seed``: new global seed, new op-seed sequence, and every kernel starts afresh."""
        import random  # on first use: it costs ~1.5 ms of `import featherflow`

        self._global_seed = seed
        try:  # TF falls back to int() for seeds random.Random rejects (NumPy scalars, arrays)
            self._rng = random.Random(seed)
        except TypeError:
            self._rng = random.Random(int(np.array(seed)))
        self.clear_kernel_cache()

    def clear_kernel_cache(self) -> None:
        """Forget every kernel's stream, as ``TFE_ContextClearCaches`` does."""
        self._kernels.clear()

    def enter_graph(self, seeds: GraphSeeds) -> GraphSeeds | None:
        """Runs this thread's random ops as ops of the graph ``seeds`` until :meth:`exit_graph`; returns the
        graph they ran in before (to restore)."""
        previous = _graph.seeds
        seeds.next_seed = 0
        _graph.seeds = seeds
        return previous

    @staticmethod
    def exit_graph(previous: GraphSeeds | None) -> None:
        _graph.seeds = previous

    def internal_operation_seed(self) -> int:
        """The next op seed drawn from the global seed's Mersenne Twister."""
        if self._rng is None:
            import random

            self._rng = random.Random(None)
        return self._rng.randint(0, MAXINT32)

    def get_seed(self, op_seed: Any) -> tuple[int | None, int | None]:
        """``tf.compat.v1.random.get_seed`` in eager mode: the (seed, seed2) pair an op uses."""
        if self._global_seed is not None:
            if op_seed is None:
                graph = _graph.seeds
                if graph is None:
                    op_seed = self.internal_operation_seed()
                else:
                    op_seed, graph.next_seed = graph.next_seed, graph.next_seed + 1
            seeds: tuple[int | None, int | None] = (int(self._global_seed) % MAXINT32, int(op_seed) % MAXINT32)
        elif op_seed is not None:
            seeds = (DEFAULT_GRAPH_SEED, int(op_seed) % MAXINT32)
        elif is_op_determinism_enabled():
            raise RuntimeError("Random ops require a seed to be set when determinism is enabled. Please set a seed "
                               "before running the op, e.g. by calling tf.random.set_seed(1).")
        else:
            seeds = (None, None)
        return (0, MAXINT32) if seeds == (0, 0) else seeds

    def reserve(self, cache_key: Hashable, seed: int | None, seed2: int | None, blocks: int) -> tuple[int, int]:
        """(key, counter) for one execution of the kernel ``cache_key + (seed, seed2)``; then skip ``blocks``.

        Seeds (0, 0) or None mean an unseeded kernel: TF draws its key and counter from the OS once.
        """
        seed, seed2 = seed or 0, seed2 or 0
        kernel = (*cache_key, seed, seed2) if isinstance(cache_key, tuple) else (cache_key, seed, seed2)
        graph = _graph.seeds
        kernels = self._kernels if graph is None else graph.kernels
        with self._lock:
            stream = kernels.get(kernel)
            if stream is None:
                if seed == 0 and seed2 == 0:
                    seed, seed2 = _os_uint64(), _os_uint64()
                stream = kernels[kernel] = [seed & _M64, (seed2 & _M64) << 64]
            key, counter = stream
            stream[1] = (counter + blocks) & _M128
        return key, counter

    def _seeded(self, cache_key: tuple, seed: Any, n: int, per_output: int = 256) -> tuple[int, int]:
        seed1, seed2 = self.get_seed(seed)
        return self.reserve(cache_key, seed1, seed2, per_output * n)

    def uniform(
        self, shape: Any, minval: Any = 0, maxval: Any = None, dtype: Any = np.float32, seed: Any = None,
        shape_dtype: Any = np.int32,
    ) -> np.ndarray:
        """``tf.random.uniform``. Pass minval/maxval as the caller gave them: Python 0 and 1 are special cases.

        ``shape_dtype`` is the dtype of the shape tensor (int32 for Python lists), part of the kernel's identity.
        """
        dtype = ph.as_numpy_dtype(dtype)
        if dtype not in ph.FLOAT_DTYPES + ph.INT_DTYPES:
            raise ValueError(f"Argument `dtype` got invalid value {dtype}.")
        if maxval is None:
            if dtype.kind in "iu":
                raise ValueError(f"Must specify maxval for integer dtype {dtype!r}")
            maxval = 1
        minval_is_zero = isinstance(minval, int) and minval == 0
        maxval_is_one = isinstance(maxval, int) and maxval == 1
        dims, n = ph.num_elements(shape)
        shape_key = np.dtype(shape_dtype).name
        if dtype.kind in "iu":
            seed1, seed2 = self.get_seed(seed)
            ph.check_int_bounds(minval, maxval, dtype, n)  # a failing kernel does not advance its stream
            key, counter = self.reserve(("RandomUniformInt", dtype.name, shape_key), seed1, seed2, 256 * n)
            return ph.philox_uniform_int(dims, key, counter, minval, maxval, dtype)
        key, counter = self._seeded(("RandomUniform", dtype.name, shape_key), seed, n)
        rnd = ph.philox_uniform(dims, key, counter, dtype)
        if minval_is_zero:
            return rnd if maxval_is_one else rnd * np.asarray(maxval).astype(dtype)
        return ph.scale_uniform(rnd, minval, maxval, dtype)

    def normal(
        self, shape: Any, mean: Any = 0.0, stddev: Any = 1.0, dtype: Any = np.float32, seed: Any = None,
        shape_dtype: Any = np.int32,
    ) -> np.ndarray:
        """``tf.random.normal``."""
        dtype = _float_dtype(dtype)
        dims, n = ph.num_elements(shape)
        key, counter = self._seeded(("RandomStandardNormal", dtype.name, np.dtype(shape_dtype).name), seed, n)
        return ph.scale_normal(ph.philox_normal(dims, key, counter, dtype), mean, stddev, dtype)

    def truncated_normal(
        self, shape: Any, mean: Any = 0.0, stddev: Any = 1.0, dtype: Any = np.float32, seed: Any = None,
        shape_dtype: Any = np.int32,
    ) -> np.ndarray:
        """``tf.random.truncated_normal``."""
        dtype = _float_dtype(dtype)
        dims, n = ph.num_elements(shape)
        key, counter = self._seeded(("TruncatedNormal", dtype.name, np.dtype(shape_dtype).name), seed, n)
        return ph.scale_normal(ph.philox_truncated_normal(dims, key, counter, dtype), mean, stddev, dtype)

    def shuffle(self, value: Any, seed: Any = None) -> np.ndarray:
        """``tf.random.shuffle``: reserves ceil((dim0 - 1) / 4) blocks, one word per swap."""
        value = np.asarray(value)
        seed1, seed2 = self.get_seed(seed)
        words = shuffle_words_needed(value)
        key, counter = self.reserve(("RandomShuffle", value.dtype.name), seed1, seed2, -(-words // 4))
        return philox_shuffle(value, key, counter)

    def categorical(self, logits: Any, num_samples: int, dtype: Any = np.int64, seed: Any = None) -> np.ndarray:
        """``tf.random.categorical`` (see ``philox_categorical`` for when it is exact)."""
        logits = np.asarray(logits)
        dtype = ph.as_numpy_dtype(dtype)
        seed1, seed2 = self.get_seed(seed)
        batch = logits.shape[0] if logits.ndim == 2 else 0
        blocks = categorical_blocks_reserved(batch, int(num_samples)) if batch and logits.shape[1] else 0
        key, counter = self.reserve(("Multinomial", logits.dtype.name, dtype.name), seed1, seed2, blocks)
        return philox_categorical(logits, num_samples, key, counter, dtype)

    def gamma(self, shape: Any, alpha: Any, beta: Any = None, dtype: Any = np.float32, seed: Any = None) -> np.ndarray:
        """``tf.random.gamma``: TF's bits."""
        dtype = ph.as_numpy_dtype(dtype)
        alpha = np.asarray(alpha).astype(dtype)
        beta = np.asarray(1 if beta is None else beta).astype(dtype)
        alpha = np.broadcast_to(alpha, np.broadcast_shapes(alpha.shape, beta.shape))
        dims, n = ph.num_elements(shape)
        key, counter = self._seeded(("RandomGamma", dtype.name), seed, n * max(alpha.size, 1))
        rnd = philox_gamma(alpha, dims, key, counter, dtype)
        return np.maximum(np.finfo(dtype).tiny, (rnd / beta).astype(dtype))

    def poisson(self, shape: Any, lam: Any, dtype: Any = np.float32, seed: Any = None) -> np.ndarray:
        """``tf.random.poisson``: TF's bits."""
        lam = np.asarray(lam)
        dims, n = ph.num_elements(shape)
        dtype = ph.as_numpy_dtype(dtype)
        key, counter = self._seeded(("RandomPoissonV2", lam.dtype.name, dtype.name), seed, n * max(lam.size, 1))
        return philox_poisson(lam, dims, key, counter, dtype)
