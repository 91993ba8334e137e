"""TF's CPU gamma and Poisson samplers (``RandomGamma``, ``StatelessRandomGammaV3``, ``RandomPoissonV2``,
``StatelessRandomPoisson``), bit for bit.

TF's kernels (``random_op.cc``, ``stateless_random_gamma_op.cc``, ``random_poisson_op.cc``) give output
``i = alpha_idx * samples_per_alpha + sample_idx`` its own Philox stream at counter ``C + 256 * i`` and draw
from it block by block (a double normal or a double uniform pair per block, each buffer consumed from its
last element) until a rejection loop accepts; the sample lands at ``sample_idx * num_alphas + alpha_idx``.
Here every output runs the same loop at once, masked: one pass is one attempt of each unfinished output.

The arithmetic is double and calls libm (``log``, ``log1p``, ``pow``, ``exp``, the Box-Muller ``sin``/``cos``),
whose last bits no array library reproduces; CPython's ``math`` calls the same libm, so these kernels run on
the host, element by element for the transcendental steps. TF registers RandomGamma and RandomPoissonV2 for
the CPU only, and the ops are declared host-only for that reason.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from . import _philox as ph

_RESERVED = 256  # kReservedSamplesPerOutput: Philox blocks skipped per output

_log = np.frompyfunc(math.log, 1, 1)
_log1p = np.frompyfunc(math.log1p, 1, 1)
_exp = np.frompyfunc(math.exp, 1, 1)
_pow = np.frompyfunc(math.pow, 2, 1)
_lgamma = np.frompyfunc(math.lgamma, 1, 1)


def _f64(ufunc: Any, *args: Any) -> np.ndarray:
    return np.asarray(ufunc(*args), dtype=np.float64)


class _Streams:
    """One Philox stream per output (counter ``C + 256 * i``), with TF's double normal and uniform buffers."""

    def __init__(self, key: int, counter: int, count: int, reserved: int = _RESERVED) -> None:
        self.key, self.counter = key, counter
        self.used = np.zeros(count, dtype=np.uint64)  # blocks each stream has consumed
        self.base = np.arange(count, dtype=np.uint64) * np.uint64(reserved)
        self.normal = np.zeros((count, 2))
        self.normal_left = np.zeros(count, dtype=np.int8)
        self.uniform = np.zeros((count, 2))
        self.uniform_left = np.zeros(count, dtype=np.int8)

    def _blocks(self, ids: np.ndarray) -> np.ndarray:
        words = ph.philox4x32(ph._counter_words(self.counter, self.base[ids] + self.used[ids]), ph._key_words(self.key))
        self.used[ids] += np.uint64(1)
        return words

    def next_normal(self, ids: np.ndarray) -> np.ndarray:
        empty = ids[self.normal_left[ids] == 0]
        if empty.size:
            w = self._blocks(empty)
            s, c = ph.box_muller_float64(w[:, 0], w[:, 1], w[:, 2], w[:, 3])
            self.normal[empty, 0], self.normal[empty, 1] = s, c
            self.normal_left[empty] = 2
        self.normal_left[ids] -= 1
        return self.normal[ids, self.normal_left[ids]]

    def next_uniform(self, ids: np.ndarray) -> np.ndarray:
        empty = ids[self.uniform_left[ids] == 0]
        if empty.size:
            w = self._blocks(empty)
            self.uniform[empty, 0] = ph.words_to_float64(w[:, 0], w[:, 1])
            self.uniform[empty, 1] = ph.words_to_float64(w[:, 2], w[:, 3])
            self.uniform_left[empty] = 2
        self.uniform_left[ids] -= 1
        return self.uniform[ids, self.uniform_left[ids]]


def _layout(values: np.ndarray, per_param: int, n_params: int) -> np.ndarray:
    # values are in output_idx order (param-major); TF stores sample s of param p at s * n_params + p
    return values.reshape(n_params, per_param).T.reshape(-1)


def _to_dtype(values: np.ndarray, dtype: np.dtype) -> np.ndarray:
    if dtype.itemsize < 4 and dtype.kind == "f":  # Eigen::half(double) rounds through float
        return values.astype(np.float32).astype(dtype)
    return values.astype(dtype)


def philox_gamma(alpha: np.ndarray, shape: tuple, key: int, counter: int, dtype: Any) -> np.ndarray:
    """Gamma(alpha, 1) samples of shape ``shape + alpha.shape`` as TF's RandomGamma kernel draws them."""
    dtype = ph.as_numpy_dtype(dtype)
    n_alpha = alpha.size
    per_alpha = math.prod(shape)
    count = per_alpha * n_alpha
    out = np.zeros(count)
    if count:
        a = np.repeat(np.asarray(alpha, dtype=dtype).astype(np.float64).reshape(-1), per_alpha)
        streams = _Streams(key, counter, count)
        ones = np.flatnonzero(a == 1.0)
        if ones.size:  # an exponential: -log1p(-u)
            out[ones] = -_f64(_log1p, -streams.next_uniform(ones))
        small = a < 1
        d = a + np.where(small, 2.0 / 3, -1.0 / 3)
        c = 1.0 / 3 / np.sqrt(d)
        active = np.flatnonzero(a != 1.0)
        while active.size:  # Marsaglia and Tsang: one attempt per unfinished output
            x = streams.next_normal(active)
            v = 1 + c[active] * x
            positive = ~(v <= 0)  # NaN (alpha <= -2/3 or NaN) goes on, as in TF
            ids, x, v = active[positive], x[positive], v[positive]
            v = v * v * v
            u = streams.next_uniform(ids)
            accept = u < 1 - 0.0331 * (x * x) * (x * x)
            rest = ~accept
            if rest.any():
                dr, vr, xr = d[ids[rest]], v[rest], x[rest]
                accept[rest] = _f64(_log, u[rest]) < 0.5 * xr * xr + dr * (1 - vr + _f64(_log, vr))
            done = ids[accept]
            res = d[done] * v[accept]
            boost = small[done]
            if boost.any():  # alpha < 1: Gamma(alpha + 1) * U^(1 / alpha)
                b = streams.next_uniform(done[boost])
                res[boost] *= _f64(_pow, b, 1 / a[done[boost]])
            out[done] = res
            finished = np.zeros(count, dtype=bool)
            finished[done] = True
            active = active[~finished[active]]
    return _to_dtype(_layout(out, per_alpha, n_alpha), dtype).reshape(tuple(shape) + alpha.shape)


def philox_poisson(rate: np.ndarray, shape: tuple, key: int, counter: int, dtype: Any) -> np.ndarray:
    """Poisson(rate) samples of shape ``shape + rate.shape`` as TF's RandomPoissonV2 kernel draws them."""
    dtype = ph.as_numpy_dtype(dtype)
    n_rate = rate.size
    per_rate = math.prod(shape)
    count = per_rate * n_rate
    out = np.zeros(count)
    if count:
        r = np.repeat(np.asarray(rate).astype(np.float64).reshape(-1), per_rate)
        streams = _Streams(key, counter, count)
        highest = float(np.finfo(dtype).max) if dtype.kind == "f" else float(np.iinfo(dtype).max)
        knuth = np.flatnonzero(r < 10)
        if knuth.size:  # Knuth: multiply uniforms until the product falls to exp(-rate)
            limit = _f64(_exp, -r[knuth])
            prod = np.ones(knuth.size)
            x = np.zeros(knuth.size)
            left = np.arange(knuth.size)
            while left.size:
                prod[left] = prod[left] * streams.next_uniform(knuth[left])
                stop = (prod[left] <= limit[left]) & (x[left] <= highest)
                out[knuth[left[stop]]] = x[left[stop]]
                x[left[~stop]] += 1
                left = left[~stop]
        out[np.isinf(r) & (r > 0)] = np.inf if dtype.kind == "f" else 0  # NumTraits<int>::infinity() is 0
        out[np.isnan(r)] = np.nan  # TF's rejection loop never ends for a NaN rate
        active = np.flatnonzero(~(r < 10) & ~(np.isinf(r) & (r > 0)) & ~np.isnan(r))
        if active.size:  # Hormann's transformed rejection
            log_rate = np.zeros(count)
            log_rate[active] = _f64(_log, r[active])
            b = 0.931 + 2.53 * np.sqrt(r)
            a = -0.059 + 0.02483 * b
            inv_alpha = 1.1239 + 1.1328 / (b - 3.4)
            v_r = 0.9277 - 3.6224 / (b - 2)
        while active.size:
            u = streams.next_uniform(active) - 0.5
            v = streams.next_uniform(active)
            ra, rb = a[active], b[active]
            u_shifted = 0.5 - np.abs(u)
            k = np.floor((2 * ra / u_shifted + rb) * u + r[active] + 0.43)
            accept = (k >= 0) & (u_shifted >= 0.07) & (v <= v_r[active])
            test = (k >= 0) & ~accept & ~((u_shifted < 0.013) & (v > u_shifted))
            if test.any():
                ids = active[test]
                s = _f64(_log, v[test] * inv_alpha[ids] / (a[ids] / (u_shifted[test] * u_shifted[test]) + b[ids]))
                t = -r[ids] + k[test] * log_rate[ids] - _f64(_lgamma, k[test] + 1)
                accept[test] = s <= t
            out[active[accept]] = k[accept]
            active = active[~accept]
    return _to_dtype(_layout(out, per_rate, n_rate), dtype).reshape(tuple(shape) + rate.shape)


_TAIL = np.array([0.0810614667953272, 0.0413406959554092, 0.0276779256849983, 0.02079067210376509,
                  0.0166446911898211, 0.0138761288230707, 0.0118967099458917, 0.0104112652619720,
                  0.00925546218271273, 0.00833056343336287])


def _stirling_tail(k: np.ndarray) -> np.ndarray:
    kp1sq = (k + 1) * (k + 1)
    far = (1.0 / 12 - (1.0 / 360 - 1.0 / 1260 / kp1sq) / kp1sq) / (k + 1)
    return np.where(k <= 9, _TAIL[np.clip(k, 0, 9).astype(np.int64)], far)


def _binomial_inversion(streams: _Streams, ids: np.ndarray, count: np.ndarray, p: np.ndarray) -> np.ndarray:
    # sum geometric variables ceil(log(u) / log1p(-p)) until they pass count; how many fit is the sample
    out = np.zeros(ids.size)
    log_q = _f64(_log1p, -p)
    geom_sum = np.zeros(ids.size)
    left = np.arange(ids.size)
    while left.size:
        u = streams.next_uniform(ids[left])
        geom_sum[left] += np.ceil(_f64(_log, u) / log_q[left])
        over = geom_sum[left] > count[left]
        out[left[~over]] += 1
        left = left[~over]
    return out


def _btrs(streams: _Streams, ids: np.ndarray, count: np.ndarray, p: np.ndarray) -> np.ndarray:
    # Hormann's transformed rejection (BTRS), as TF writes it
    out = np.zeros(ids.size)
    stddev = np.sqrt(count * p * (1 - p))
    b = 1.15 + 2.53 * stddev
    a = -0.0873 + 0.0248 * b + 0.01 * p
    c = count * p + 0.5
    v_r = 0.92 - 4.2 / b
    r = p / (1 - p)
    alpha = (2.83 + 5.1 / b) * stddev
    m = np.floor((count + 1) * p)
    left = np.arange(ids.size)
    while left.size:
        u = streams.next_uniform(ids[left])
        v = streams.next_uniform(ids[left])
        u = u - 0.5
        us = 0.5 - np.abs(u)
        k = np.floor((2 * a[left] / us + b[left]) * u + c[left])
        accept = (us >= 0.07) & (v <= v_r[left])
        test = ~accept & (k >= 0) & (k <= count[left])
        if test.any():
            i, kt, n = left[test], k[test], count[left[test]]
            vt = _f64(_log, v[test] * alpha[i] / (a[i] / (us[test] * us[test]) + b[i]))
            mi, ri = m[i], r[i]
            bound = ((mi + 0.5) * _f64(_log, (mi + 1) / (ri * (n - mi + 1)))
                     + (n + 1) * _f64(_log, (n - mi + 1) / (n - kt + 1))
                     + (kt + 0.5) * _f64(_log, ri * (n - kt + 1) / (kt + 1))
                     + _stirling_tail(mi) + _stirling_tail(n - mi) - _stirling_tail(kt) - _stirling_tail(n - kt))
            accept[test] = vt <= bound
        out[left[accept]] = k[accept]
        left = left[~accept]
    return out


def philox_binomial(counts: np.ndarray, probs: np.ndarray, shape: tuple, key: int, counter: int,
                    dtype: Any) -> np.ndarray:
    """Binomial(counts, probs) samples of shape ``shape`` as TF's stateless and stateful binomial kernels draw them.

    ``shape`` ends with the broadcast shape of counts and probs; the leading dimensions are samples per pair.
    Inversion (42 blocks reserved per output) below a mean of 10, BTRS (256 blocks) above; p > 0.5 samples
    count - Binomial(count, 1 - p).
    """
    dtype = ph.as_numpy_dtype(dtype)
    batch = np.broadcast_shapes(counts.shape, probs.shape)
    n_batch = math.prod(batch)
    shape = tuple(shape)
    per_batch = math.prod(shape[:len(shape) - len(batch)])
    total = per_batch * n_batch
    out = np.zeros(total)
    if total:
        t = np.result_type(counts.dtype, probs.dtype)
        cnt_t = np.repeat(np.broadcast_to(counts, batch).reshape(-1), per_batch)
        prob_t = np.repeat(np.broadcast_to(probs, batch).reshape(-1), per_batch)
        cnt, prob = cnt_t.astype(np.float64), prob_t.astype(np.float64)
        flip = prob > 0.5
        q_t = np.where(flip, (t.type(1) - prob_t).astype(t), prob_t)  # in the parameters' own type, as TF
        q = q_t.astype(np.float64)
        large = (cnt_t * q_t).astype(t) >= t.type(10)
        out[(cnt <= 0) | (prob <= 0)] = 0.0
        out[(cnt > 0) & (prob >= 1)] = cnt[(cnt > 0) & (prob >= 1)]
        out[np.isnan(prob) & (cnt > 0)] = np.nan
        live = (cnt > 0) & (prob > 0) & (prob < 1)
        stuck = live & ~np.isfinite(cnt)  # TF's loops never end for these: NaN rather than a hang
        out[stuck | (np.isnan(cnt) & ~np.isnan(prob))] = np.nan
        live &= ~stuck
        for use_btrs, blocks in ((True, 256), (False, 42)):
            ids = np.flatnonzero(live & (large == use_btrs))
            if not ids.size:
                continue
            streams = _Streams(key, counter, total, blocks)
            sub = _btrs if use_btrs else _binomial_inversion
            drawn = sub(streams, ids, cnt[ids], q[ids])
            out[ids] = np.where(flip[ids], cnt[ids] - drawn, drawn)
    return _to_dtype(_layout(out, per_batch, n_batch), dtype).reshape(shape)
