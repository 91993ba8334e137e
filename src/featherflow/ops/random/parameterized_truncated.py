"""``tf.random.stateless_parameterized_truncated_normal``: TF's StatelessParameterizedTruncatedNormal, its bits.

Each batch member (an element of the broadcast parameters) draws its samples by one of three rejection
samplers, chosen from its normalized bounds (TF's ``TruncatedNormalFunctorV2``): normals rejected outside
the bounds, uniform proposals, or an exponential proposal. Arithmetic is in the output dtype, with libm's
``expf``/``logf`` (``exp``/``log`` for float64) as TF's CPU kernel calls them. TF splits the output over its
intra-op threads and each range starts its own stream (``Skip``), so we replay that split.

>>> stateless_parameterized_truncated_normal([3], seed=[1, 2]).shape
TensorShape([3])
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ...errors import InternalError, InvalidArgumentError
from ...tensor import Tensor
from ..convert import shape_text
from ..registry import register
from . import _kernels as rk
from . import _philox as ph
from . import _range_samplers as rs
from .core import convert_arg, host_tensor, kernel_dims, op_error, shape_tensor

_MAX_ITERATIONS = 1000
_F16, _F32, _F64 = np.dtype(np.float16), np.dtype(np.float32), np.dtype(np.float64)


def _expf(x: Any) -> float:
    lib = rs._libm()
    return lib.expf(float(x)) if lib else float(np.float32(math.exp(float(x))))


def _logf(x: Any) -> float:
    lib = rs._libm()
    return lib.logf(float(x)) if lib else float(np.float32(math.log(float(x))))


class _Blocks:
    """Philox blocks from (key, counter), converted to the kernel's uniforms or normals a chunk at a time."""

    def __init__(self, key: int, counter: int, dtype: np.dtype) -> None:
        self.key, self.counter, self.dtype = key, counter, dtype
        self.chunk, self.pos, self.words = 8, 0, np.zeros((0, 4), np.uint32)
        self.cache: dict[str, list] = {}

    def _next(self, kind: str) -> list:
        if self.pos == len(self.words):
            self.words = ph.philox_blocks(self.key, self.counter, self.chunk)
            self.counter += self.chunk
            self.chunk = min(self.chunk * 2, 4096)
            self.pos, self.cache = 0, {}
        values = self.cache.get(kind)
        if values is None:
            flat = self.words.reshape(-1)
            work = _F32 if self.dtype == _F16 else self.dtype  # half normals are float32 ones, rounded
            if kind == "uniform":
                values = ph.uniform_from_words(flat, self.dtype)
            else:
                values = ph.normal_from_words(flat, work).astype(self.dtype)
            values = self.cache[kind] = values.reshape(len(self.words), -1).tolist()
        self.pos += 1
        return values[self.pos - 1]

    def uniform(self) -> list:
        return self._next("uniform")

    def normal(self) -> list:
        return self._next("normal")


class _Arith:
    """TF's scalar arithmetic in the output dtype T (Eigen's half rounds each operation from float)."""

    def __init__(self, dtype: np.dtype) -> None:
        self.t = dtype.type
        self.double = dtype == _F64

    def exp(self, x: Any) -> Any:
        return self.t(math.exp(float(x))) if self.double else self.t(_expf(x))

    def log(self, x: Any) -> Any:
        return self.t(math.log(float(x))) if self.double else self.t(_logf(x))

    def sqrt(self, x: Any) -> Any:
        return self.t(np.sqrt(x))


def _sample_range(out: np.ndarray, start: int, limit: int, params: list, samples_per_batch: int,
                  num_batches: int, gen: _Blocks, t: _Arith) -> None:
    T = t.t
    output_idx = start
    while output_idx < limit:
        batch_idx = output_idx // samples_per_batch
        mean, stddev, minval, maxval = (T(p[batch_idx]) for p in params)
        if not (stddev > 0 and minval < maxval and (np.isfinite(minval) or np.isfinite(maxval))):
            raise ValueError("Invalid parameters")
        num_iterations = 0
        if (np.isinf(minval) and minval < 0) or maxval < mean:
            minval, maxval = maxval, minval
            stddev = -stddev
        norm_min = T((minval - mean) / stddev)
        norm_max = T((maxval - mean) / stddev)
        sqrt_factor = t.sqrt(T(norm_min * norm_min) + T(4))
        cutoff = T(T(2) * t.exp(T(0.5) + T(T(norm_min * T(norm_min - sqrt_factor)) / T(4)))) / T(norm_min + sqrt_factor)
        diff = T(norm_max - norm_min)
        sample_idx = output_idx % samples_per_batch
        inside = T(1.3)

        def put(value: Any, batch: int = batch_idx) -> bool:
            nonlocal sample_idx, output_idx
            out[sample_idx * num_batches + batch] = value
            sample_idx += 1
            output_idx += 1
            return sample_idx >= samples_per_batch or output_idx >= limit

        if (norm_min < -inside and norm_max >= 0) or (norm_max > inside and norm_min <= 0):
            while sample_idx < samples_per_batch and output_idx < limit:
                for x in gen.normal():
                    if norm_min <= x <= norm_max:
                        if put(T(T(x) * stddev) + mean):
                            break
                        num_iterations = 0
                    else:
                        num_iterations += 1
                        if num_iterations > _MAX_ITERATIONS:
                            raise RuntimeError("TruncatedNormal randn rejection sampler failed to accept a sample.")
        elif diff < cutoff:
            plus_factor = T(0) if norm_min < 0 else T(norm_min * norm_min)
            while sample_idx < samples_per_batch and output_idx < limit:
                z = [T(T(T(r) * diff) + norm_min) for r in gen.uniform()]
                g = [T(T(plus_factor - T(zi * zi)) / T(2.0)) for zi in z]
                u = gen.uniform()
                for i in range(len(z)):
                    accept = T(u[i]) <= t.exp(g[i])
                    if accept or num_iterations + 1 >= _MAX_ITERATIONS:
                        if not accept:
                            raise RuntimeError("TruncatedNormal uniform rejection sampler failed to  accept a sample.")
                        if put(T(z[i] * stddev) + mean):
                            break
                        num_iterations = 0
                    else:
                        num_iterations += 1
        else:
            alpha = T(T(norm_min + sqrt_factor) / T(2))
            while sample_idx < samples_per_batch and output_idx < limit:
                rand = gen.uniform()
                i = 0
                while i < len(rand):
                    z = T(T(-t.log(T(rand[i])) / alpha) + norm_min)
                    i += 1
                    x = T(alpha - z) if norm_min < alpha else T(norm_min - alpha)
                    g = t.exp(T(T(-x * x) / T(2.0)))
                    u = T(rand[i])
                    i += 1
                    accept = u <= g and z < norm_max
                    if accept or num_iterations + 1 >= _MAX_ITERATIONS:
                        if not accept:
                            raise RuntimeError("TruncatedNormal exponential distribution rejection sampler failed "
                                               "to accept a sample.")
                        if put(T(z * stddev) + mean):
                            break
                        num_iterations = 0
                    else:
                        num_iterations += 1


def _cost(dtype: np.dtype) -> int:
    """Eigen's cost of one output (TF's ``batchCost``), which sets how TF splits the output over its threads."""
    add = mul = 3 if dtype == _F16 else 1
    sqrt = 28 if dtype == _F64 else 5 * mul + 3 * add
    exp = 23 * add + 12 * mul + 16 if dtype == _F64 else 21 * add + 13 * mul
    element = 4 if dtype == _F64 else 3
    init = (add + mul) * 2 + add + mul + sqrt + mul * 4 + exp + add
    uniform = 10 + element
    rejection = uniform + mul + add + mul * 2 + add + uniform + exp + mul + add
    return init + rejection * 2


# Host only: per-element rejection loops that call libm, as TF's CPU kernel (whose inputs are all HostMemory).
@register("StatelessParameterizedTruncatedNormal", host_only=True)
def stateless_parameterized_truncated_normal_op(xp: Any, shape: Any, seed: Any, means: Any, stddevs: Any,
                                                minvals: Any, maxvals: Any) -> Any:
    dtype = means.dtype
    shape = tuple(int(d) for d in shape.tolist())
    key, counter = ph.key_counter_from_seed(seed)
    batch_shape = np.broadcast_shapes(means.shape, stddevs.shape, minvals.shape, maxvals.shape)
    params = [np.broadcast_to(p, batch_shape).reshape(-1).tolist() for p in (means, stddevs, minvals, maxvals)]
    num_batches = math.prod(batch_shape)
    samples_per_batch = math.prod(shape[: len(shape) - len(batch_shape)])
    total = num_batches * samples_per_batch
    out = np.zeros(total, dtype=dtype)
    per_block = 2 if dtype == _F64 else 4
    arith = _Arith(np.dtype(dtype))
    for start, limit in rk.shard_ranges(total, _cost(np.dtype(dtype)), rk.intra_op_threads()):
        skip = (start * 2 * _MAX_ITERATIONS + per_block - 1) // per_block
        gen = _Blocks(key, counter + skip, np.dtype(dtype))
        _sample_range(out, start, limit, params, samples_per_batch, num_batches, gen, arith)
    return out.reshape(shape)


def _ndtr(x: Tensor) -> Tensor:
    """TF's ``_Ndtr``: the normal CDF from erf near 0 and erfc in the tails."""
    from ..math.api import abs as abs_
    from ..math.api import erf, erfc, where

    half_sqrt_2 = np.asarray(0.5 * np.sqrt(2.0), dtype=x.dtype.as_numpy_dtype)
    w = x * half_sqrt_2
    z = abs_(w)
    y = where(z < half_sqrt_2, 1.0 + erf(w), where(w > 0.0, 2.0 - erfc(z), erfc(z)))
    return 0.5 * y


@stateless_parameterized_truncated_normal_op.gradient
def _(g: Tensor, sample: Tensor, shape: Tensor, seed: Tensor, mean: Tensor, stddev: Tensor, minval: Tensor,
      maxval: Tensor) -> tuple:
    # TF's implicit reparameterization gradient (Figurnov et al., 2018); the tape sums each one back over the
    # sample dimensions and the broadcasting to its parameter's shape
    from ..math.api import exp, log, log1p
    from ..math.clip import clip_by_value

    minval_std = (minval - mean) / stddev
    maxval_std = (maxval - mean) / stddev
    sample_std = (sample - mean) / stddev
    cdf_sample = (_ndtr(sample_std) - _ndtr(minval_std)) / (_ndtr(maxval_std) - _ndtr(minval_std))
    info = np.finfo(mean.dtype.as_numpy_dtype)
    cdf_sample = clip_by_value(cdf_sample, info.tiny, 1 - info.eps)
    dmaxval = exp(0.5 * (sample_std**2 - maxval_std**2) + log(cdf_sample))
    dminval = exp(0.5 * (sample_std**2 - minval_std**2) + log1p(-cdf_sample))
    return None, None, g, g * sample_std, g * dminval, g * dmaxval


def stateless_parameterized_truncated_normal(shape: Any, seed: Any, means: Any = 0.0, stddevs: Any = 1.0,
                                             minvals: Any = -2.0, maxvals: Any = 2.0,
                                             name: str | None = None) -> Tensor:
    """Normal samples truncated to [minvals, maxvals], deterministic in ``seed`` (TF's bits).

    >>> out = stateless_parameterized_truncated_normal([50], [3, 4], maxvals=0.5).numpy()
    >>> bool((out >= -2).all() and (out <= 0.5).all())
    True
    """
    op = stateless_parameterized_truncated_normal_op
    shape_t = shape_tensor(shape)
    params = [convert_arg(v, None, n, host=True) for v, n in ((means, "means"), (stddevs, "stddevs"),
                                                              (minvals, "minvals"), (maxvals, "maxvals"))]
    seed_t = host_tensor(seed)
    try:
        op.check(shape_t, seed_t, *params)
    except InvalidArgumentError as e:  # TF's slow path words it without the trailing name
        raise InvalidArgumentError(None, None, str(e.message).removesuffix(" name: ")) from None
    if seed_t._value.shape != (2,):
        raise op_error(op.name, f"seed must have shape [2], not {shape_text(seed_t._value.shape)}", named=False)
    shapes = [t._value.shape for t in params]
    try:
        batch_shape = np.broadcast_shapes(*shapes)
    except ValueError:
        raise op_error(op.name, "means, stddevs, minvals, maxvals must have compatible batch dimensions: "
                       + " vs. ".join(shape_text(s) for s in shapes), named=False) from None
    dims = kernel_dims(op.name, shape_t, "S")
    if len(batch_shape) > len(dims) or tuple(dims[len(dims) - len(batch_shape):]) != tuple(batch_shape):
        raise op_error(op.name, "Shape passed in must end with broadcasted shape.", named=False)
    try:
        return op(shape_t, seed_t, *params)
    except ValueError as e:
        raise op_error(op.name, str(e), named=False) from None
    except RuntimeError as e:
        raise op_error(op.name, str(e), False, InternalError) from None
