"""``tf.random.Generator``: Philox streams whose state is a Variable, bit for bit as TF's CPU kernels.

The state is int64[3] = [counter low 64 bits, counter high 64 bits, key]. Every draw of n values moves
the counter by 256 * n (``RngReadAndSkip``) and runs the stateless V2 kernel at the old (key, counter).

>>> import featherflow as tf
>>> g = tf.random.Generator.from_seed(1234)
>>> g.normal([2]).numpy()
array([0.9356609, 1.0854305], dtype=float32)
>>> g.state.numpy()
array([1746,    0,    0])
"""

from __future__ import annotations

import threading
from typing import Any

import numpy as np

from ... import device as _device
from ... import dtypes as _dtypes
from ...errors import UnimplementedError
from ...shape import TensorShape
from ...tensor import Tensor, convert_to_tensor, kernel_error
from ...variable import Variable
from .._contract import check_attrs
from ..array.core import stack
from ..convert import tensor
from ..math.api import add, multiply, subtract
from ..math.elementwise import zeros_like_op
from ..registry import ANY, register
from . import _kernels as rk
from . import core as _random
from .stateless import (
    Algorithm,
    convert_alg_to_int,
    philox_float,
    philox_full_int,
    philox_uniform_int,
    unsupported_alg_error_msg,
)

_SEED_MAX = 2**63 - 1


def _state_size(alg: int) -> int:
    if alg in (Algorithm.PHILOX.value, Algorithm.AUTO_SELECT.value):
        return 3
    if alg == Algorithm.THREEFRY.value:
        return 2
    raise ValueError(unsupported_alg_error_msg(alg))


def _uint_to_int(value: Any) -> Any:
    """Python ints above int64 stand for uint64 bit patterns (TF's ``_uint_to_int``), nested lists too."""
    if isinstance(value, (list, tuple)):
        return [_uint_to_int(v) for v in value]
    if isinstance(value, int) and value > _SEED_MAX:
        return value - 2**64
    return value


def _state_array(value: Any) -> np.ndarray:
    """``_convert_to_state_tensor``: any value cast to int64 (floats truncated), on the host."""
    if isinstance(value, (list, tuple, int)):
        value = _uint_to_int(value)
    return np.asarray(_random.host_tensor(value)._numpy()).astype(np.int64)


def _check_shape(shape: tuple, expected: list) -> None:
    if not TensorShape(list(shape)).is_compatible_with(expected):
        raise ValueError(f"Shapes {TensorShape(list(shape))} and {expected} are incompatible")


def create_rng_state(seed: Any, alg: Any) -> Tensor:
    """The state a Generator seeded with ``seed`` starts from (``tf.random.create_rng_state``).

    A Python int is split into 64-bit words, lowest first; anything else is cast to int64 and padded
    on the left, so ``create_rng_state(1234, "philox")`` is [1234, 0, 0] and a NumPy 42 is [0, 0, 42].

    >>> create_rng_state(1234, "philox").numpy()
    array([1234,    0,    0])
    """
    alg = convert_alg_to_int(alg)
    size = _state_size(alg)
    if isinstance(seed, Tensor) or hasattr(seed, "__tf_tensor__"):
        seed = np.asarray(tensor(seed)._numpy())
    return convert_to_tensor(rk.generator_state_from_seed(seed, size))


class Generator:
    """A random number generator whose Philox state is kept in a ``tf.Variable`` (``tf.random.Generator``).

    ``tf.random.Generator`` is this class made trackable, as TF's is (a checkpoint saves its state as the child
    ``_state_var``): ``featherflow.generator.Generator``, in the state layer above ops.

    >>> g = Generator.from_seed(1)
    >>> a, b = g.split(2)
    >>> a.uniform([2]).shape
    TensorShape([2])

    The state stays on the device where the generator was made, as TF's: a draw moves it on with a few
    kernels there. The kernels take (key, counter) as host integers, which the generator mirrors on the host;
    it holds a read of the state it last wrote, so that any other write to the variable (``reset``, an
    ``assign``, a checkpoint restore) copies on write and shows as a new buffer: only then is the state read
    back from the device (one explicit copy).
    """

    def __init__(self, copy_from: Generator | None = None, state: Any = None, alg: Any = None) -> None:
        self._lock = threading.Lock()  # RngReadAndSkip is atomic in TF
        self._mirror: tuple[int, int] | None = None  # (key, counter) of the state in ``_written``
        self._written: Tensor | None = None  # a read of the state this generator last wrote or read back
        if copy_from is not None:
            if (alg or state) is not None:
                raise AssertionError
            self._state_var = self._create_variable(copy_from.state.value())  # copied on its device
            self._alg = copy_from.algorithm
            return
        if alg is None or state is None:
            raise AssertionError
        alg = convert_alg_to_int(alg)
        if isinstance(state, Variable):
            _check_shape(tuple(state.shape.as_list()), [_state_size(alg)])
            self._state_var = state
        else:
            array = _state_array(state)
            _check_shape(array.shape, [_state_size(alg)])
            self._state_var = self._create_variable(array)
            if array.size == rk.STATE_SIZE:  # the state is known here: no read back for the first draw
                self._remember(rk.generator_key_counter(array))
        self._alg = alg

    @staticmethod
    def _create_variable(value: Any) -> Variable:
        return Variable(value, dtype=_dtypes.int64, trainable=False, name="StateVar")

    @classmethod
    def from_state(cls, state: Any, alg: Any) -> Generator:
        """A generator with the given state (int64[3] for Philox), kept as is if it is a Variable."""
        return cls(alg=alg, state=state)

    @classmethod
    def from_seed(cls, seed: Any, alg: Any = None) -> Generator:
        """A generator whose state is ``create_rng_state(seed, alg)`` (Philox unless ``alg`` says otherwise).

        >>> Generator.from_seed(1234).uniform([2], dtype="float64").numpy()
        array([0.86518004, 0.53367254])
        """
        alg = convert_alg_to_int(Algorithm.PHILOX.value if alg is None else alg)
        return cls(state=create_rng_state(seed, alg), alg=alg)

    @classmethod
    def from_non_deterministic_state(cls, alg: Any = None) -> Generator:
        """A generator seeded from the operating system's entropy source."""
        alg = convert_alg_to_int(Algorithm.PHILOX.value if alg is None else alg)
        state = rk.generator_state_non_deterministic()[: _state_size(alg)]
        return cls(state=state, alg=alg)

    @classmethod
    def from_key_counter(cls, key: Any, counter: Any, alg: Any) -> Generator:
        """A generator with state [counter..., key]."""
        alg = convert_alg_to_int(alg)
        return cls(state=_key_counter_state(key, counter, _state_size(alg)), alg=alg)

    # --- state ------------------------------------------------------------------------------------

    @property
    def state(self) -> Variable:
        """The Variable holding the state."""
        return self._state_var

    @property
    def algorithm(self) -> int:
        """The algorithm as TF's int (1: Philox, 2: ThreeFry, 3: auto-select)."""
        return self._alg

    @property
    def key(self) -> Tensor:
        """The key: the last word of the state."""
        if self._alg not in (a.value for a in Algorithm):
            raise ValueError(unsupported_alg_error_msg(self._alg))
        return self._state_var.value()[-1]  # a slice on the state's device

    def reset(self, state: Any) -> None:
        """Overwrites the state."""
        array = _state_array(state)
        _check_shape(array.shape, [_state_size(self._alg)])
        self._state_var.assign(array)

    def reset_from_seed(self, seed: Any) -> None:
        """Resets the state as ``from_seed(seed)`` would set it."""
        self._state_var.assign(create_rng_state(seed, self._alg))

    def reset_from_key_counter(self, key: Any, counter: Any) -> None:
        """Resets the state to [counter..., key]."""
        self._state_var.assign(_key_counter_state(key, counter, _state_size(self._alg)))

    def skip(self, delta: Any) -> Tensor:
        """Advances the counter as ``delta`` draws of one value would; returns the state before."""
        delta = int(np.asarray(_random.host_tensor(delta)._numpy()).astype(np.uint64))
        return self._read_and_skip(delta)[0]

    def _remember(self, key_counter: tuple[int, int]) -> None:
        self._mirror = key_counter
        self._written = self._state_var.value()

    def _key_counter(self) -> tuple[int, int]:
        """(key, counter) of the variable's state: the mirror while the variable holds the buffer this generator
        wrote, else read back from the device (someone else wrote the state)."""
        written = self._written
        if written is None or getattr(self._state_var, "_array", None) is not written._value:
            self._remember(rk.generator_key_counter(self._state_var.numpy()))
        return self._mirror  # type: ignore[return-value]

    def _read_and_skip(self, delta: int) -> tuple[Tensor, int, int]:
        """``RngReadAndSkip``: (old state, key, counter), the Variable moved on by 256 * delta on its device."""
        if self._alg == Algorithm.THREEFRY.value:
            raise kernel_error("RngReadAndSkip", "Non-XLA devices don't support the ThreeFry algorithm.",
                               UnimplementedError)
        count = 256 * (int(delta) & rk.M64)
        with self._lock:
            key, counter = self._key_counter()  # raises TF's error for a state of the wrong size
            old = self._written
            self._state_var.assign(_on_device_of(old, skip_state_op, count))  # the held read: a new buffer
            self._remember((key, rk.philox_skip(counter, count)))
        return old, key, counter

    def _prepare_key_counter(self, shape: Tensor, op_name: str) -> tuple[int, int]:
        """Reserves prod(shape) draws before the kernel checks the shape, as TF does."""
        values = np.asarray(shape._numpy())
        if values.dtype.kind not in "iuf":
            check_attrs(op_name, {"Tshape": shape._dtype})
        # reduce_prod in the shape's dtype (int32 wraps), then a cast to uint64
        delta = int(np.asarray(np.prod(values, dtype=values.dtype)).astype(np.uint64))
        _, key, counter = self._read_and_skip(delta)
        return key, counter

    # --- draws ------------------------------------------------------------------------------------

    def _normal(self, op: Any, shape: Any, mean: Any, stddev: Any, dtype: Any) -> Tensor:
        dtype = _dtypes.as_dtype(dtype)
        shape_t = _random.shape_tensor(shape, _dtypes.int64)
        mean_t, stddev_t = _random.convert_arg(mean, dtype, "mean"), _random.convert_arg(stddev, dtype, "stddev")
        key, counter = self._prepare_key_counter(shape_t, op.name)
        return add(multiply(philox_float(op, shape_t, key, counter, dtype), stddev_t), mean_t)

    def normal(self, shape: Any, mean: Any = 0.0, stddev: Any = 1.0, dtype: Any = _dtypes.float32,
               name: str | None = None) -> Tensor:
        """Normal values.

        >>> Generator.from_seed(1234).normal([3]).numpy()
        array([ 0.9356609 ,  1.0854305 , -0.93788373], dtype=float32)
        """
        return self._normal(_random.stateless_normal_op, shape, mean, stddev, dtype)

    def truncated_normal(self, shape: Any, mean: Any = 0.0, stddev: Any = 1.0, dtype: Any = _dtypes.float32,
                         name: str | None = None) -> Tensor:
        """Normal values with those beyond two standard deviations redrawn."""
        return self._normal(_random.stateless_truncated_normal_op, shape, mean, stddev, dtype)

    def uniform(self, shape: Any, minval: Any = 0, maxval: Any = None, dtype: Any = _dtypes.float32,
                name: str | None = None) -> Tensor:
        """Uniform values in [minval, maxval); integer dtypes take both bounds, or neither for the full range."""
        dtype = _dtypes.as_dtype(dtype)
        if dtype.is_integer:
            if (minval is None) != (maxval is None):
                raise ValueError(f"For integer dtype {dtype}, minval and maxval must be both `None` or both "
                                 f"non-`None`; got minval={minval} and maxval={maxval}")
        elif maxval is None:
            maxval = 1
        shape_t = _random.shape_tensor(shape, _dtypes.int64)
        if dtype.is_integer and minval is None:
            return self._uniform_full_int(shape_t, dtype)
        host = dtype.is_integer  # integer bounds are read on the host
        minval, maxval = _random.convert_arg(minval, dtype, "min", host), _random.convert_arg(maxval, dtype, "max", host)
        if dtype.is_integer:
            key, counter = self._prepare_key_counter(shape_t, "StatelessRandomUniformIntV2")
            return philox_uniform_int(shape_t, key, counter, minval, maxval)
        key, counter = self._prepare_key_counter(shape_t, "StatelessRandomUniformV2")
        rnd = philox_float(_random.stateless_uniform_op, shape_t, key, counter, dtype)
        return add(multiply(rnd, subtract(maxval, minval)), minval)

    def _uniform_full_int(self, shape: Tensor, dtype: Any) -> Tensor:
        key, counter = self._prepare_key_counter(shape, "StatelessRandomUniformFullIntV2")
        return philox_full_int(shape, key, counter, dtype)

    def uniform_full_int(self, shape: Any, dtype: Any = _dtypes.uint64, name: str | None = None) -> Tensor:
        """Integers over the whole range of ``dtype`` (int32, int64, uint32 or uint64)."""
        return self._uniform_full_int(_random.shape_tensor(shape, _dtypes.int64), _dtypes.as_dtype(dtype))

    def binomial(self, shape: Any, counts: Any, probs: Any, dtype: Any = _dtypes.int32,
                 name: str | None = None) -> Tensor:
        """Binomial(counts, probs) samples of shape ``shape`` (ending with their broadcast shape), TF's bits."""
        counts_t, probs_t = tensor(counts), tensor(probs)
        shape_t = _random.shape_tensor(shape, _dtypes.int64)
        dims = _random.kernel_dims("StatefulRandomBinomial", shape_t, "S")
        batch = _random.broadcast_pair("StatefulRandomBinomial", counts_t, probs_t)
        lead = _random.sample_dims("StatefulRandomBinomial", dims, batch, named=True)
        per_batch, n_batch = int(np.prod(lead, dtype=np.int64)), int(np.prod(batch, dtype=np.int64))
        # the kernel's reservation (random_binomial_op.cc), in Philox blocks / 256
        _, key, counter = self._read_and_skip(n_batch * 2 * 100 * (per_batch + 3) // 4)
        return _random.stateless_binomial_op(counts_t, probs_t, shape=dims, key=key, counter=counter,
                                             dtype=_dtypes.as_dtype(dtype)._np)

    def make_seeds(self, count: int = 1) -> Tensor:
        """``count`` seeds for the stateless ops, as the columns of an int64 [2, count] tensor."""
        if self._alg not in (a.value for a in Algorithm):
            raise ValueError(unsupported_alg_error_msg(self._alg))
        keys = self.uniform_full_int([count], _dtypes.int64)
        return stack([keys, zeros_like_op(keys)])

    def split(self, count: int = 1) -> list[Generator]:
        """``count`` new generators, each keyed by one draw from this one.

        >>> [g.state.numpy()[:2].tolist() for g in Generator.from_seed(1).split(2)]
        [[0, 0], [0, 0]]
        """
        if self._alg not in (a.value for a in Algorithm):
            raise ValueError(unsupported_alg_error_msg(self._alg))
        keys = self.uniform_full_int([count], _dtypes.int64).numpy().tolist()  # explicit: the keys seed new states
        zeros = [0] * (_state_size(self._alg) - 1)
        return [type(self)(state=zeros + [key], alg=self._alg) for key in keys]


def _on_device_of(state: Tensor, op: Any, count: int) -> Tensor:
    """``op(state, count=count)`` on the state's device, whatever the scope (TF runs RngReadAndSkip where the
    state variable lives)."""
    dev = state._device
    scope = _device._scope
    if scope.device is dev:
        return op(state, count=count)
    saved, scope.device = scope.device, dev
    try:
        with dev.activate():
            return op(state, count=count)
    finally:
        scope.device = saved


@register("RngSkipState", differentiable=False, dtypes=ANY)
def skip_state_op(xp: Any, state: Any, count: int) -> Any:
    """The int64[3] Philox state with its counter skipped by ``count`` blocks, on the state's device: TF's
    ``PhiloxRandom::Skip`` (``rk.philox_skip``) in uint64 words, carry quirk included."""
    words = state.view(np.uint64)
    lo, hi = words[0:1], words[1:2]
    low = (lo & rk.M32) + (count & rk.M32)  # below 2**33
    high = ((count >> 32) + (low >> 32)) & rk.M32  # TF adds the carry in uint32: it is lost past 2**32 - 1
    mid = (lo >> 32) + high
    top = hi + (mid >> 32)  # wraps modulo 2**64
    return xp.concatenate([((mid & rk.M32) << 32) | (low & rk.M32), top, words[2:]]).view(np.int64)


def _key_counter_state(key: Any, counter: Any, size: int) -> np.ndarray:
    counter_a, key_a = _state_array(counter), _state_array(key)
    _check_shape(counter_a.shape, [size - 1])
    _check_shape(key_a.shape, [])
    return np.concatenate([counter_a, key_a.reshape(1)])


_global_generator: Generator | None = None
# The class of the global generator: tf.random.Generator, which featherflow.generator (state layer, trackable)
# installs here when it loads.
public_class: type = Generator


def get_global_generator() -> Generator:
    """The process-wide generator, created from OS entropy on first use (``tf.random.get_global_generator``)."""
    global _global_generator
    if _global_generator is None:
        _global_generator = public_class.from_non_deterministic_state()
    return _global_generator


def set_global_generator(generator: Generator) -> None:
    """Replaces the global generator (``tf.random.set_global_generator``)."""
    global _global_generator
    _global_generator = generator
