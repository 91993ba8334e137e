"""``tf.random``'s global-seed ops (``uniform``, ``normal``, ``shuffle``, ...) and the random kernels as ops.

The numbers come from ``_philox`` (Philox-4x32-10 and TF's conversions) and ``_kernels`` (seed
rules, per-kernel streams); this module adds TF's argument handling, dtype checks and error messages
(shared with ``stateless`` and ``generator``), and runs each kernel as a registered op with
no gradient, so results land on the current device and placement logging sees them.

>>> import featherflow as tf
>>> tf.random.set_seed(1234)
>>> tf.random.uniform([2], seed=7).numpy()
array([0.79702616, 0.05996668], dtype=float32)
>>> tf.random.uniform([2], seed=7).numpy()  # the same kernel continues its stream
array([0.16996491, 0.96266687], dtype=float32)
"""

from __future__ import annotations

import math
from typing import Any, Callable

import numpy as np

from ... import _tape_hooks
from ... import device as _device
from ... import dtypes as _dtypes
from ...dtypes import DType
from ...errors import InvalidArgumentError
from ...shape import Dimension, TensorShape
from ...tensor import Tensor, convert_to_tensor, kernel_error, type_string
from .._contract import check_attrs
from ..array.core import broadcast_to
from ..convert import shape_text, tensor
from ..math.api import add, maximum, multiply, realdiv, subtract
from ..math.elementwise import mul_op
from ..math.reduce import sum_op
from ..math.special import random_gamma_grad_op
from ..registry import Op, register
from . import _gamma_poisson as gp
from . import _kernels as rk
from . import _philox as ph

INTS = (_dtypes.int32, _dtypes.int64)
FLOATS = (_dtypes.float16, _dtypes.bfloat16, _dtypes.float32, _dtypes.float64)

# --- errors ---------------------------------------------------------------------------------------


def op_error(op_name: str, message: str, named: bool = True, cls: type = InvalidArgumentError) -> Exception:
    """TF's error from inside a kernel; some eager paths leave out the trailing ``name: ``."""
    if named:
        return kernel_error(op_name, message, cls)
    dev = _device.current().name
    return cls(None, None, f"{{{{function_node __wrapped__{op_name}_device_{dev}}}}} {message} [Op:{op_name}]")


def dt_name(dtype: DType) -> str:
    return "DT_" + type_string(dtype).upper()


# --- argument conversion ----------------------------------------------------------------------------


def host_tensor(value: Any, dtype: DType | None = None) -> Tensor:
    """``value`` as a Tensor in host memory, for what the kernels read on the host (shapes, seeds, integer bounds:
    TF's HostMemory inputs), so that a Python value makes no round trip through a device. A Tensor stays where
    it is: reading one of a device is an explicit copy."""
    if isinstance(value, Tensor) or hasattr(value, "__tf_tensor__"):
        return tensor(value, dtype)
    scope = _device._scope
    saved, scope.device = scope.device, _device.CPU
    try:
        return tensor(value, dtype)
    finally:
        scope.device = saved


def convert_arg(value: Any, dtype: DType, name: str, host: bool = False) -> Tensor:
    """``ops.convert_to_tensor(value, dtype=dtype, name=name)``: TF prefixes dtype mismatches with the name.
    ``host``: a value the kernel reads on the host (``host_tensor``)."""
    try:
        return host_tensor(value, dtype) if host else convert_to_tensor(value, dtype=dtype)
    except ValueError as e:
        if str(e).startswith("Tensor conversion requested"):
            raise ValueError(f"{name}: {e}") from None
        raise


def shape_tensor(shape: Any, empty: DType = _dtypes.int32) -> Tensor:
    """``shape_util.shape_tensor``: a list, tuple, TensorShape, array or Tensor as a shape Tensor.

    Its dtype matters: an int64 shape selects a different cached kernel (and stream) than int32.
    """
    if isinstance(shape, TensorShape):
        if not shape.is_fully_defined():
            raise ValueError(f"Cannot convert a partially known TensorShape {shape} to a Tensor.")
        shape = shape.as_list()
    if isinstance(shape, (list, tuple)):
        if not shape:
            return host_tensor(np.zeros(0, empty._np))
        shape = [d.value if isinstance(d, Dimension) else d for d in shape]
        if any(d is None for d in shape):
            raise ValueError("Attempt to convert a value (None) with an unsupported type (<class 'NoneType'>) to a "
                             "Tensor.")
    return host_tensor(shape)


def kernel_dims(op_name: str, shape: Tensor, attr: str = "Tshape") -> tuple[int, ...]:
    """The output dimensions, after the kernel's checks of its shape input."""
    check_attrs(op_name, {attr: shape._dtype})
    values = np.asarray(shape._numpy())
    if values.ndim != 1:
        raise op_error(op_name, f"shape must be a vector of {{int32,int64}}, got shape {shape_text(values.shape)}")
    dims = tuple(int(d) for d in values.tolist())
    for d in dims:
        if d < 0:
            raise op_error(op_name, f"Dimension {d} must be >= 0")
    return dims


def int_bounds(op_name: str, minval: Tensor, maxval: Tensor, n: int) -> tuple[int, int]:
    try:
        return ph.check_int_bounds(minval._numpy(), maxval._numpy(), minval._dtype._np, n)
    except ValueError as e:
        raise op_error(op_name, str(e)) from None


# --- the kernels, as ops with no gradient ------------------------------------------------------------


def _philox_op(name: str, fill: Callable, differentiable: bool = False) -> Op:
    def forward(xp: Any, shape: tuple, key: int, counter: int, dtype: np.dtype, **bounds: Any) -> Any:
        return fill(shape, key, counter, dtype, xp=xp, **bounds)  # computed on the op's device

    return register(name, differentiable=differentiable)(forward)


def _int_fill(shape: tuple, key: int, counter: int, dtype: np.dtype, minval: int, maxval: int,
              xp: Any = np) -> np.ndarray:
    return ph.philox_uniform_int(shape, key, counter, minval, maxval, dtype, xp)


random_uniform_op = _philox_op("RandomUniform", ph.philox_uniform)
random_normal_op = _philox_op("RandomStandardNormal", ph.philox_normal)
truncated_normal_op = _philox_op("TruncatedNormal", ph.philox_truncated_normal)
random_uniform_int_op = _philox_op("RandomUniformInt", _int_fill, True)  # TF: no gradient, nor NotDifferentiable
stateless_uniform_op = _philox_op("StatelessRandomUniformV2", ph.philox_uniform)
stateless_normal_op = _philox_op("StatelessRandomNormalV2", ph.philox_normal)
stateless_truncated_normal_op = _philox_op("StatelessTruncatedNormalV2", ph.philox_truncated_normal)
stateless_uniform_int_op = _philox_op("StatelessRandomUniformIntV2", _int_fill)
stateless_uniform_full_int_op = _philox_op("StatelessRandomUniformFullIntV2", ph.philox_uniform_full_int)


def _shuffle_forward(xp: Any, value: Any, key: int, counter: int) -> Any:
    if value.ndim == 0:
        return value
    # The permutation depends on the seeds and the first dimension only: TF's sequential Fisher-Yates runs on
    # the host, and the value is gathered on its device (a declared host step: the indices are copied there).
    perm = rk.shuffle_permutation(value.shape, key, counter)
    if perm is None:
        return value.copy()
    return value[perm if xp is np else xp.asarray(perm)]


def _multinomial_forward(xp: Any, logits: Any, num_samples: int, key: int, counter: int, dtype: np.dtype) -> Any:
    return rk.philox_categorical(logits, num_samples, key, counter, dtype)  # on the logits' device


# Gamma and Poisson samples are TF's bits (``_gamma_poisson``), but their rejection loops call libm, which only
# the host reproduces: declared host-only, so the dispatcher runs them on the CPU, their parameters copied
# there, as TF places its CPU-only RandomGamma and RandomPoissonV2 kernels. Binomial samples likewise.
def _gamma_forward(xp: Any, alpha: Any, shape: tuple, key: int, counter: int) -> Any:
    return gp.philox_gamma(alpha, shape, key, counter, alpha.dtype)


def _poisson_forward(xp: Any, rate: Any, shape: tuple, key: int, counter: int, dtype: np.dtype) -> Any:
    return gp.philox_poisson(rate, shape, key, counter, dtype)


def _binomial_forward(xp: Any, counts: Any, probs: Any, shape: tuple, key: int, counter: int, dtype: np.dtype) -> Any:
    return gp.philox_binomial(counts, probs, shape, key, counter, dtype)


random_shuffle_op = register("RandomShuffle", differentiable=False)(_shuffle_forward)
stateless_shuffle_op = register("StatelessShuffle")(_shuffle_forward)
multinomial_op = register("Multinomial", differentiable=False)(_multinomial_forward)
stateless_multinomial_op = register("StatelessMultinomial", differentiable=False)(_multinomial_forward)
# the shape (and seed) of these are attrs here: their positional inputs are the distribution's parameters
random_gamma_op = register("RandomGamma", inputs=("T",), host_only=True)(_gamma_forward)
stateless_gamma_op = register("StatelessRandomGammaV3", inputs=("dtype",), host_only=True)(_gamma_forward)
random_poisson_op = register("RandomPoissonV2", inputs=("R",), host_only=True)(_poisson_forward)
stateless_poisson_op = register("StatelessRandomPoisson", differentiable=False, inputs=("Rtype",),
                                host_only=True)(_poisson_forward)
stateless_binomial_op = register("StatelessRandomBinomial", differentiable=False, inputs=("T", "T"),
                                 host_only=True)(_binomial_forward)


@random_gamma_op.gradient
@stateless_gamma_op.gradient
def _(g: Tensor, ans: Tensor, alpha: Tensor, shape: tuple, key: int, counter: int) -> Any:
    # TF's _RandomGammaGrad / _StatelessGammaGradAlpha: the implicit reparameterization gradient (alpha
    # broadcasts against the trailing dimensions of the samples), summed over the leading sample dimensions
    grad = mul_op(g, random_gamma_grad_op(alpha, ans))
    return sum_op(grad, axis=tuple(range(len(shape))), keepdims=False) if shape else grad


def sample_dims(op_name: str, dims: tuple, param: Any, named: bool) -> tuple[int, ...]:
    """The leading (per-parameter sample) dimensions of an output ``dims`` that ends with ``param``'s shape."""
    pshape = param._value.shape if isinstance(param, Tensor) else param
    lead = len(dims) - len(pshape)
    if lead < 0 or tuple(dims[lead:]) != tuple(pshape):
        raise op_error(op_name, "Shape passed in must end with broadcasted shape.", named)
    return tuple(dims[:lead])


# --- global seed and the legacy stateful ops ------------------------------------------------------------

_legacy = rk.LegacyRandomState()


def set_seed(seed: Any) -> None:
    """Sets the global random seed (``tf.random.set_seed``), restarting every seeded op's sequence.

    >>> set_seed(1)
    >>> a = uniform([2])
    >>> set_seed(1)
    >>> bool((uniform([2]).numpy() == a.numpy()).all())
    True
    """
    _legacy.set_seed(seed)


def get_seed(op_seed: Any) -> tuple[int | None, int | None]:
    """The (seed, seed2) pair a random op uses (``tf.compat.v1.random.get_seed``); draws from the global sequence.

    Other ops with a ``seed`` argument must take their seeds here so they share TF's op-seed counter.

    >>> set_seed(1)
    >>> get_seed(5)
    (1, 5)
    """
    return _legacy.get_seed(op_seed)


def reset_random_state() -> None:
    """No global seed, a fresh op-seed sequence and no cached kernels: the random state of a new eager context
    (TF's ``context._reset_context()``)."""
    _legacy.__init__()


def enter_graph(seeds: rk.GraphSeeds) -> rk.GraphSeeds | None:
    """Runs this thread's random ops as ops of one traced function (``seeds``, see ``GraphSeeds``) until
    ``exit_graph(previous)``, where ``previous`` is what this returns."""
    return _legacy.enter_graph(seeds)


def exit_graph(previous: rk.GraphSeeds | None) -> None:
    _legacy.exit_graph(previous)


def _reserve(op_name: str, attrs: tuple, seeds: tuple, blocks: int) -> tuple[int, int]:
    """(key, counter) of one execution of the cached kernel ``op_name`` + ``attrs`` on this device."""
    if _tape_hooks.tracing:  # the kernel's Philox offset moves on Python-side at every execution
        _tape_hooks.refuse(f"it runs the stateful random op {op_name}")
    return _legacy.reserve((op_name, *attrs, _device.current().name), seeds[0], seeds[1], blocks)


def uniform(shape: Any, minval: Any = 0, maxval: Any = None, dtype: Any = _dtypes.float32, seed: Any = None,
            name: str | None = None) -> Tensor:
    """Uniform values in [minval, maxval) (``tf.random.uniform``); ints need a maxval.

    >>> uniform([2], maxval=10, dtype="int32", seed=3).dtype
    tf.int32
    """
    dtype = _dtypes.as_dtype(dtype)
    accepted = FLOATS + INTS
    if dtype not in accepted:
        raise ValueError(f"Argument `dtype` got invalid value {dtype}. Accepted dtypes are {accepted}.")
    if maxval is None:
        if dtype.is_integer:
            raise ValueError(f"Must specify maxval for integer dtype {dtype!r}")
        maxval = 1
    shape_t = shape_tensor(shape)
    # TF's fast path: a Python 0 and 1 leave the raw [0, 1) values untouched.
    minval_is_zero = isinstance(minval, int) and minval == 0
    maxval_is_one = isinstance(maxval, int) and maxval == 1
    if not minval_is_zero or not maxval_is_one or dtype.is_integer:  # integer bounds are read on the host
        host = dtype.is_integer
        minval, maxval = convert_arg(minval, dtype, "min", host), convert_arg(maxval, dtype, "max", host)
    seeds = _legacy.get_seed(seed)
    if dtype.is_integer:
        dims = kernel_dims("RandomUniformInt", shape_t, "T")
        lo, hi = int_bounds("RandomUniformInt", minval, maxval, math.prod(dims))
        key, counter = _reserve("RandomUniformInt", (dtype.name, shape_t._dtype.name), seeds, 256 * math.prod(dims))
        return random_uniform_int_op(shape=dims, key=key, counter=counter, dtype=dtype._np, minval=lo, maxval=hi)
    dims = kernel_dims("RandomUniform", shape_t, "T")
    key, counter = _reserve("RandomUniform", (dtype.name, shape_t._dtype.name), seeds, 256 * math.prod(dims))
    rnd = random_uniform_op(shape=dims, key=key, counter=counter, dtype=dtype._np)
    if minval_is_zero:
        return rnd if maxval_is_one else multiply(rnd, maxval)
    return add(multiply(rnd, subtract(maxval, minval)), minval)


def _legacy_normal(op: Op, shape: Any, mean: Any, stddev: Any, dtype: Any, seed: Any) -> Tensor:
    dtype = _dtypes.as_dtype(dtype)
    shape_t = shape_tensor(shape)
    mean_t, stddev_t = convert_arg(mean, dtype, "mean"), convert_arg(stddev, dtype, "stddev")
    seeds = _legacy.get_seed(seed)
    check_attrs(op.name, {"dtype": dtype})
    dims = kernel_dims(op.name, shape_t, "T")
    key, counter = _reserve(op.name, (dtype.name, shape_t._dtype.name), seeds, 256 * math.prod(dims))
    rnd = op(shape=dims, key=key, counter=counter, dtype=dtype._np)
    return add(multiply(rnd, stddev_t), mean_t)


def normal(shape: Any, mean: Any = 0.0, stddev: Any = 1.0, dtype: Any = _dtypes.float32, seed: Any = None,
           name: str | None = None) -> Tensor:
    """Normal values (``tf.random.normal``).

    >>> normal([2, 3], seed=1).shape
    TensorShape([2, 3])
    """
    return _legacy_normal(random_normal_op, shape, mean, stddev, dtype, seed)


def truncated_normal(shape: Any, mean: Any = 0.0, stddev: Any = 1.0, dtype: Any = _dtypes.float32, seed: Any = None,
                     name: str | None = None) -> Tensor:
    """Normal values more than two standard deviations from the mean redrawn (``tf.random.truncated_normal``).

    >>> bool((abs(truncated_normal([100], seed=1).numpy()) < 2).all())
    True
    """
    return _legacy_normal(truncated_normal_op, shape, mean, stddev, dtype, seed)


def shuffle(value: Any, seed: Any = None, name: str | None = None) -> Tensor:
    """Shuffles a tensor along its first dimension (``tf.random.shuffle``).

    >>> sorted(shuffle([1, 2, 3], seed=3).numpy().tolist())
    [1, 2, 3]
    """
    seeds = _legacy.get_seed(seed)
    value = tensor(value)
    words = 0 if value._value.ndim == 0 else rk.shuffle_words_needed(value._value)
    key, counter = _reserve("RandomShuffle", (value._dtype.name,), seeds, -(-words // 4))  # one word per swap
    return random_shuffle_op(value, key=key, counter=counter)


def check_multinomial(op_name: str, logits: Tensor, num_samples: Any, named: bool) -> int:
    """The CPU kernel's checks, in its order; returns num_samples as an int."""
    dims = logits._value.shape
    if len(dims) != 2:
        raise op_error(op_name, f"logits should be a matrix, got shape {shape_text(dims)}", named)
    samples = int(host_tensor(num_samples, _dtypes.int32)._numpy())
    if samples < 0:
        raise op_error(op_name, f"num_samples should be non-negative, got {samples}", named)
    if dims[1] <= 0:
        raise op_error(op_name, f"num_classes should be positive, got {dims[1]}", named)
    return samples


def categorical_dtype(dtype: Any) -> DType:
    dtype = _dtypes.as_dtype(dtype) if dtype else _dtypes.int64
    if dtype not in INTS:
        raise ValueError(f"Argument `dtype` got invalid value {dtype}. Accepted dtypes are {INTS}.")
    return dtype


def categorical(logits: Any, num_samples: Any, dtype: Any = None, seed: Any = None, name: str | None = None) -> Tensor:
    """Class indices drawn from each row of unnormalized log-probabilities (``tf.random.categorical``).

    >>> categorical([[0.0, 50.0]], 3, seed=1).numpy().tolist()
    [[1, 1, 1]]
    """
    logits = tensor(logits)
    dtype = categorical_dtype(dtype)
    seeds = _legacy.get_seed(seed)
    multinomial_op.check(logits, output_dtype=dtype, seed=seeds[0] or 0, seed2=seeds[1] or 0)
    samples = check_multinomial("Multinomial", logits, num_samples, named=True)
    batch = logits._value.shape[0]
    blocks = rk.categorical_blocks_reserved(batch, samples) if min(batch, samples) > 0 else 0
    key, counter = _reserve("Multinomial", (logits._dtype.name, dtype.name), seeds, blocks)
    return multinomial_op(logits, num_samples=samples, key=key, counter=counter, dtype=dtype._np)


def broadcast_pair(op_name: str, a: Tensor, b: Tensor) -> tuple[int, ...]:
    try:
        return np.broadcast_shapes(a._value.shape, b._value.shape)
    except ValueError:
        raise op_error(op_name, f"Incompatible shapes: {shape_text(a._value.shape)} vs. "
                                f"{shape_text(b._value.shape)}") from None


def gamma(shape: Any, alpha: Any, beta: Any = None, dtype: Any = _dtypes.float32, seed: Any = None,
          name: str | None = None) -> Tensor:
    """Gamma(alpha, beta) samples of shape ``shape + broadcast(alpha, beta).shape`` (``tf.random.gamma``).

    TF's bits for a given global and op seed (its RandomGamma kernel, replayed).

    >>> gamma([4], [1.0, 2.0], seed=1).shape
    TensorShape([4, 2])
    """
    dtype = _dtypes.as_dtype(dtype)
    shape_t = convert_arg(shape, _dtypes.int32, "shape", host=True)
    alpha_t = convert_arg(alpha, dtype, "alpha")
    beta_t = convert_arg(1 if beta is None else beta, dtype, "beta")
    alpha_b = broadcast_to(alpha_t, broadcast_pair("BroadcastArgs", alpha_t, beta_t))
    seeds = _legacy.get_seed(seed)
    check_attrs("RandomGamma", {"T": dtype})
    dims = kernel_dims("RandomGamma", shape_t, "S")
    n = math.prod(dims) * alpha_b._value.size
    key, counter = _reserve("RandomGamma", (dtype.name,), seeds, 256 * n)
    rnd = random_gamma_op(alpha_b, shape=dims, key=key, counter=counter)
    return maximum(np.finfo(dtype._np).tiny, realdiv(rnd, beta_t))


_POISSON_TYPES = (_dtypes.float16, _dtypes.float32, _dtypes.float64, _dtypes.int32, _dtypes.int64)


def poisson(shape: Any, lam: Any, dtype: Any = _dtypes.float32, seed: Any = None, name: str | None = None) -> Tensor:
    """Poisson(lam) samples of shape ``shape + lam.shape`` (``tf.random.poisson``), TF's bits.

    >>> poisson([3], [1.0, 5.0], seed=1).shape
    TensorShape([3, 2])
    """
    dtype = _dtypes.as_dtype(dtype)
    shape_t = convert_arg(shape, _dtypes.int32, "shape", host=True)
    lam_t = tensor(lam)
    seeds = _legacy.get_seed(seed)
    check_attrs("RandomPoissonV2", {"R": lam_t._dtype, "dtype": dtype})
    dims = kernel_dims("RandomPoissonV2", shape_t, "S")
    n = math.prod(dims) * lam_t._value.size
    key, counter = _reserve("RandomPoissonV2", (lam_t._dtype.name, dtype.name), seeds, 256 * n)
    return random_poisson_op(lam_t, shape=dims, key=key, counter=counter, dtype=dtype._np)
