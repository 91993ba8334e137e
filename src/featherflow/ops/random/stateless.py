"""``tf.random.stateless_*``: values that depend only on a seed, bit for bit as TF's CPU kernels.

A seed [s0, s1] is scrambled into a Philox (key, counter) (``StatelessRandomGetKeyCounter``), then a V2
kernel fills the output from it; ``alg`` may name Philox or auto-select (the same on a CPU).

>>> import featherflow as tf
>>> tf.random.stateless_uniform([3], seed=[1, 2]).numpy()
array([0.8440604 , 0.19204533, 0.9962232 ], dtype=float32)
"""

from __future__ import annotations

import enum
import math
from typing import Any

import numpy as np

from ... import dtypes as _dtypes
from ...dtypes import DType
from ...tensor import Tensor, convert_to_tensor
from .._contract import check_attrs
from ..array.core import broadcast_to, stack
from ..convert import shape_text, tensor
from ..math.api import add, maximum, multiply, realdiv, subtract
from ..registry import Op
from . import _philox as ph
from .core import (
    FLOATS,
    INTS,
    broadcast_pair,
    categorical_dtype,
    check_multinomial,
    convert_arg,
    host_tensor,
    int_bounds,
    kernel_dims,
    op_error,
    sample_dims,
    shape_tensor,
    stateless_binomial_op,
    stateless_gamma_op,
    stateless_multinomial_op,
    stateless_normal_op,
    stateless_poisson_op,
    stateless_shuffle_op,
    stateless_truncated_normal_op,
    stateless_uniform_full_int_op,
    stateless_uniform_int_op,
    stateless_uniform_op,
)


class Algorithm(enum.Enum):
    """A random-number-generation algorithm (``tf.random.Algorithm``)."""

    PHILOX = 1
    THREEFRY = 2
    AUTO_SELECT = 3


def unsupported_alg_error_msg(alg: Any) -> str:
    if isinstance(alg, int):
        names: tuple = (1, 2, 3)
    elif isinstance(alg, str):
        names = ("philox", "threefry", "auto_select")
    else:
        names = (Algorithm.PHILOX, Algorithm.THREEFRY, Algorithm.AUTO_SELECT)
    return (f"Argument `alg` got unsupported value {alg}. Supported values are {names[0]} for the Philox algorithm, "
            f"{names[1]} for the ThreeFry algorithm, and {names[2]} for auto-selection.")


def convert_alg_to_int(alg: Any) -> int:
    """An ``alg`` argument (int, ``Algorithm``, Tensor, or "philox"/"threefry"/"auto_select") as TF's int."""
    if isinstance(alg, int):
        return alg
    if isinstance(alg, Algorithm):
        return alg.value
    if isinstance(alg, Tensor):
        return int(alg)
    if isinstance(alg, str):
        canon = alg.strip().lower().replace("-", "").replace("_", "")
        found = {"philox": 1, "threefry": 2, "autoselect": 3}.get(canon)
        if found is None:
            raise ValueError(unsupported_alg_error_msg(alg))
        return found
    raise TypeError(f"Can't convert argument `alg` (of value {alg} and type {type(alg)}) to int.")


def _seed_array(seed: Any, op_name: str) -> np.ndarray:
    """A stateless seed as TF's kernels take it: int32 or int64 of shape [2] (NumPy ints become int64)."""
    if isinstance(seed, (np.ndarray, np.generic)) and seed.dtype.kind in "iu":
        array = np.asarray(seed).astype(np.int64)
    else:
        t = host_tensor(seed)  # a seed is read on the host (a device seed Tensor: an explicit copy)
        # (TF's message ends in `` name: `` for a Tensor seed, not for a Python one)
        check_attrs(op_name, {"Tseed": t._dtype}, name_suffix=isinstance(seed, Tensor) or hasattr(seed, "__tf_tensor__"))
        array = np.asarray(t._numpy())
    if array.shape != (2,):
        raise op_error(op_name, f"seed must have shape [2], not {shape_text(array.shape)}", named=array.ndim == 0)
    return array


def key_counter(seed: Any, alg: Any, op_name: str) -> tuple[int, int]:
    """``get_key_counter_alg``: the Philox (key, counter) of a stateless seed; ThreeFry fails as on TF's CPU."""
    alg = convert_alg_to_int("auto_select" if alg is None else alg)
    if alg == Algorithm.AUTO_SELECT.value:
        return ph.key_counter_from_seed(_seed_array(seed, "StatelessRandomGetKeyCounter"))
    if alg == Algorithm.PHILOX.value:  # seed cast to uint64 and scrambled in Python: the same key and counter
        array = np.asarray(host_tensor(seed)._numpy())
        if array.ndim != 1:
            raise op_error("StatelessRandomUniformFullIntV2", "counter must be a vector with length at least 1; got "
                           f"shape: {shape_text(array.shape)}. (Note that batched counters are not supported yet.)",
                           named=False)
        words = [int(w) for w in array.astype(np.int64).tolist()[:2]]
        return ph.key_counter_from_seed((words + [0])[:2])  # TF reads past a 1-word counter; we take 0
    if alg == Algorithm.THREEFRY.value:
        raise op_error(op_name, "counter must be a vector with length at least 2; got shape: [1]. (Note that batched "
                                "counters are not supported yet.)")
    raise ValueError(unsupported_alg_error_msg(alg))


_STATELESS_UNIFORM_TYPES = FLOATS + INTS + (_dtypes.uint32, _dtypes.uint64)
_FULL_INT_TYPES = (_dtypes.int32, _dtypes.int64, _dtypes.uint32, _dtypes.uint64)


def philox_uniform_int(shape: Tensor, key: int, counter: int, minval: Tensor, maxval: Tensor) -> Tensor:
    """``StatelessRandomUniformIntV2`` at (key, counter), with its checks."""
    op_name = "StatelessRandomUniformIntV2"
    check_attrs(op_name, {"dtype": minval._dtype, "Tshape": shape._dtype})  # (no CPU kernel for unsigned ints)
    dims = kernel_dims(op_name, shape)
    lo, hi = int_bounds(op_name, minval, maxval, math.prod(dims))
    return stateless_uniform_int_op(shape=dims, key=key, counter=counter, dtype=minval._dtype._np, minval=lo, maxval=hi)


def philox_full_int(shape: Tensor, key: int, counter: int, dtype: DType) -> Tensor:
    """``StatelessRandomUniformFullIntV2`` at (key, counter), with its checks."""
    check_attrs("StatelessRandomUniformFullIntV2", {"dtype": dtype})
    dims = kernel_dims("StatelessRandomUniformFullIntV2", shape)
    return stateless_uniform_full_int_op(shape=dims, key=key, counter=counter, dtype=dtype._np)


def philox_float(op: Op, shape: Tensor, key: int, counter: int, dtype: DType) -> Tensor:
    """One of the float V2 kernels (uniform, normal, truncated normal) at (key, counter), with its checks."""
    check_attrs(op.name, {"dtype": dtype})
    return op(shape=kernel_dims(op.name, shape), key=key, counter=counter, dtype=dtype._np)


def stateless_uniform(shape: Any, seed: Any, minval: Any = 0, maxval: Any = None, dtype: Any = _dtypes.float32,
                      name: str | None = None, alg: Any = "auto_select") -> Tensor:
    """Uniform values that depend only on ``seed`` (``tf.random.stateless_uniform``).

    Integer dtypes take both bounds, or neither for the full range.

    >>> stateless_uniform([3], seed=[1, 2], minval=0, maxval=10, dtype="int32").numpy()
    array([0, 9, 4], dtype=int32)
    """
    dtype = _dtypes.as_dtype(dtype)
    if dtype not in _STATELESS_UNIFORM_TYPES:
        raise ValueError(f"Argument `dtype` got invalid value {dtype}. Accepted dtypes are "
                         f"{_STATELESS_UNIFORM_TYPES}.")
    if dtype.is_integer:
        if (minval is None) != (maxval is None):
            raise ValueError(f"For integer `dtype` argument {dtype}, argument `minval` and `maxval` must be both None "
                             f"or not None. Got `minval`={minval} and `maxval`={maxval}.")
        if minval is not None and dtype in (_dtypes.uint32, _dtypes.uint64):
            raise ValueError(f"Argument `dtype` got invalid value {dtype} when argument `minval` is not None. Please "
                             "don't use unsigned integers in this case.")
    elif maxval is None:
        maxval = 1
    shape_t = shape_tensor(shape)
    if dtype.is_integer and minval is None:
        return philox_full_int(shape_t, *key_counter(seed, alg, "StatelessRandomUniformFullIntV2"), dtype)
    host = dtype.is_integer  # integer bounds are read on the host
    minval, maxval = convert_arg(minval, dtype, "min", host), convert_arg(maxval, dtype, "max", host)
    if dtype.is_integer:
        key, counter = key_counter(seed, alg, "StatelessRandomUniformIntV2")
        return philox_uniform_int(shape_t, key, counter, minval, maxval)
    key, counter = key_counter(seed, alg, "StatelessRandomUniformV2")
    rnd = philox_float(stateless_uniform_op, shape_t, key, counter, dtype)
    return add(multiply(rnd, subtract(maxval, minval)), minval)


def _stateless_normal(op: Op, shape: Any, seed: Any, mean: Any, stddev: Any, dtype: Any, alg: Any) -> Tensor:
    dtype = _dtypes.as_dtype(dtype)
    shape_t = shape_tensor(shape)
    mean_t, stddev_t = convert_arg(mean, dtype, "mean"), convert_arg(stddev, dtype, "stddev")
    key, counter = key_counter(seed, alg, op.name)
    return add(multiply(philox_float(op, shape_t, key, counter, dtype), stddev_t), mean_t)


def stateless_normal(shape: Any, seed: Any, mean: Any = 0.0, stddev: Any = 1.0, dtype: Any = _dtypes.float32,
                     name: str | None = None, alg: Any = "auto_select") -> Tensor:
    """Normal values that depend only on ``seed`` (``tf.random.stateless_normal``).

    >>> stateless_normal([2], seed=[1, 2]).numpy()
    array([0.5441101 , 0.20738031], dtype=float32)
    """
    return _stateless_normal(stateless_normal_op, shape, seed, mean, stddev, dtype, alg)


def stateless_truncated_normal(shape: Any, seed: Any, mean: Any = 0.0, stddev: Any = 1.0,
                               dtype: Any = _dtypes.float32, name: str | None = None,
                               alg: Any = "auto_select") -> Tensor:
    """Truncated normal values that depend only on ``seed`` (``tf.random.stateless_truncated_normal``).

    >>> stateless_truncated_normal([2], seed=[1, 2], dtype="float64").numpy()
    array([-0.14231181,  0.74060725])
    """
    return _stateless_normal(stateless_truncated_normal_op, shape, seed, mean, stddev, dtype, alg)


def stateless_categorical(logits: Any, num_samples: Any, seed: Any, dtype: Any = _dtypes.int64,
                          name: str | None = None) -> Tensor:
    """Class indices that depend only on ``seed`` (``tf.random.stateless_categorical``).

    >>> stateless_categorical([[0.0, 50.0]], 2, seed=[1, 2]).numpy().tolist()
    [[1, 1]]
    """
    logits = tensor(logits)
    dtype = categorical_dtype(dtype)
    op_name = "StatelessMultinomial"
    numpy_seed = isinstance(seed, (np.ndarray, np.generic)) and seed.dtype.kind in "iu"
    named = isinstance(seed, Tensor) or hasattr(seed, "__tf_tensor__")  # (as in _seed_array)
    seed = seed if numpy_seed else host_tensor(seed)
    seed_dtype = _dtypes.int64 if numpy_seed else seed._dtype  # TF's fast path casts NumPy seeds to int64
    check_attrs(op_name, {"Tseed": seed_dtype, "T": logits._dtype, "output_dtype": dtype}, name_suffix=named)
    key, counter = ph.key_counter_from_seed(_seed_array(seed, op_name))
    samples = check_multinomial(op_name, logits, num_samples, named=False)
    return stateless_multinomial_op(logits, num_samples=samples, key=key, counter=counter, dtype=dtype._np)


def stateless_shuffle(value: Any, seed: Any, alg: Any = "auto_select", name: str | None = None) -> Tensor:
    """Shuffles along the first dimension as a function of ``seed`` (``tf.random.experimental.stateless_shuffle``).

    >>> stateless_shuffle([1, 2, 3, 4], seed=[1, 2]).numpy()
    array([1, 4, 3, 2], dtype=int32)
    """
    key, counter = key_counter(seed, alg, "StatelessShuffle")
    return stateless_shuffle_op(tensor(value), key=key, counter=counter)


def split(seed: Any, num: int = 2, alg: Any = "auto_select") -> Tensor:
    """``num`` new stateless seeds from one (``tf.random.split``), in the seed's dtype.

    >>> split([1, 2]).shape
    TensorShape([2, 2])
    """
    seed = host_tensor(seed)
    return stateless_uniform([num, 2], seed, dtype=seed._dtype, minval=None, maxval=None, alg=alg)


def fold_in(seed: Any, data: Any, alg: Any = "auto_select") -> Tensor:
    """A new stateless seed from ``seed`` and an integer ``data`` (``tf.random.fold_in``).

    >>> fold_in([1, 2], 5).numpy()
    array([1105988140,          5], dtype=int32)
    """
    data = tensor(data)
    first = stateless_uniform([], seed, dtype=data._dtype, minval=None, maxval=None, alg=alg)
    return stack([first, data])


def _stateless_seed_key_counter(seed: Any, op_name: str) -> tuple[int, int]:
    return ph.key_counter_from_seed(_seed_array(seed, op_name))


def stateless_gamma(shape: Any, seed: Any, alpha: Any, beta: Any = None, dtype: Any = _dtypes.float32,
                    name: str | None = None) -> Tensor:
    """Gamma samples of shape ``shape`` that depend only on ``seed`` (``tf.random.stateless_gamma``).

    ``shape`` must end with the shape of alpha broadcast with beta. TF's bits (its StatelessRandomGammaV3 kernel).

    >>> stateless_gamma([3, 2], seed=[1, 2], alpha=[1.0, 2.0]).shape
    TensorShape([3, 2])
    """
    dtype = _dtypes.as_dtype(dtype)
    shape_t = shape_tensor(shape)
    alpha_t = convert_arg(alpha, dtype, "alpha")
    beta_t = convert_arg(1 if beta is None else beta, dtype, "beta")
    alpha_b = broadcast_to(alpha_t, broadcast_pair("BroadcastArgs", alpha_t, beta_t))
    key, counter = _stateless_seed_key_counter(seed, "StatelessRandomGetKeyCounter")
    dims = kernel_dims("StatelessRandomGammaV3", shape_t)
    lead = sample_dims("StatelessRandomGammaV3", dims, alpha_b, named=True)
    rnd = stateless_gamma_op(alpha_b, shape=lead, key=key, counter=counter)
    return maximum(np.finfo(dtype._np).tiny, realdiv(rnd, beta_t))


def stateless_poisson(shape: Any, seed: Any, lam: Any, dtype: Any = _dtypes.int32, name: str | None = None) -> Tensor:
    """Poisson samples of shape ``shape`` that depend only on ``seed`` (``tf.random.stateless_poisson``).

    ``shape`` must end with lam's shape. TF's bits (its StatelessRandomPoisson kernel).

    >>> stateless_poisson([3], seed=[1, 2], lam=4.0).dtype
    tf.int32
    """
    dtype = _dtypes.as_dtype(dtype)
    dims = kernel_dims("StatelessRandomPoisson", shape_tensor(shape))
    key, counter = _stateless_seed_key_counter(seed, "StatelessRandomPoisson")
    lam_t = tensor(lam)
    lead = sample_dims("StatelessRandomPoisson", dims, lam_t, named=False)
    return stateless_poisson_op(lam_t, shape=lead, key=key, counter=counter, dtype=dtype._np)


def stateless_binomial(shape: Any, seed: Any, counts: Any, probs: Any, output_dtype: Any = _dtypes.int32,
                       name: str | None = None) -> Tensor:
    """Binomial samples that depend only on ``seed`` (``tf.random.stateless_binomial``), TF's bits.

    >>> stateless_binomial([2], seed=[1, 2], counts=10, probs=0.5).dtype
    tf.int32
    """
    dims = kernel_dims("StatelessRandomBinomial", shape_tensor(shape), "S")
    probs_t = convert_to_tensor(probs, dtype_hint=_dtypes.float32)
    counts_t = convert_to_tensor(counts, dtype_hint=probs_t._dtype)
    key, counter = _stateless_seed_key_counter(seed, "StatelessRandomBinomial")
    batch = broadcast_pair("StatelessRandomBinomial", counts_t, probs_t)
    sample_dims("StatelessRandomBinomial", dims, batch, named=False)
    return stateless_binomial_op(counts_t, probs_t, shape=dims, key=key, counter=counter,
                                 dtype=_dtypes.as_dtype(output_dtype)._np)
