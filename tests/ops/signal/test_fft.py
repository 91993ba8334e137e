"""The FFT ops of ``tf.signal`` against real TF: values, dtypes, shapes, fft_length padding and cropping,
errors, and gradients (TF's rules, and central differences in float64)."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pytest

import featherflow as ff

RNG = np.random.default_rng(0)


def _real(shape: tuple, dtype: Any = np.float32) -> np.ndarray:
    return RNG.standard_normal(shape).astype(dtype)


def _complex(shape: tuple, dtype: Any = np.complex64) -> np.ndarray:
    return (RNG.standard_normal(shape) + 1j * RNG.standard_normal(shape)).astype(dtype)


def _same(ours: Any, theirs: Any, rtol: float = 2e-5, atol: float = 2e-5) -> None:
    assert ours.dtype.name == theirs.dtype.name
    assert tuple(ours.shape) == tuple(theirs.shape)
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=rtol, atol=atol)


COMPLEX_CASES = [("fft", (3, 8)), ("ifft", (5,)), ("fft2d", (2, 4, 6)), ("ifft2d", (3, 5)), ("fft3d", (2, 3, 4)),
                 ("ifft3d", (2, 2, 3, 4))]


@pytest.mark.parametrize("name,shape", COMPLEX_CASES)
@pytest.mark.parametrize("dtype", [np.complex64, np.complex128])
def test_complex_transforms_match_tf(tf_oracle: Any, name: str, shape: tuple, dtype: Any) -> None:
    x = _complex(shape, dtype)
    _same(getattr(ff.signal, name)(ff.constant(x)), getattr(tf_oracle.signal, name)(tf_oracle.constant(x)))
    # NumPy data converts to the ops' default complex64, whatever its dtype
    _same(getattr(ff.signal, name)(x), getattr(tf_oracle.signal, name)(x))


REAL_CASES = [("rfft", (3, 8), None), ("rfft", (7,), None), ("rfft", (2, 6), [9]), ("rfft", (2, 6), [4]),
              ("rfft2d", (2, 4, 6), None), ("rfft2d", (4, 5), [6, 3]), ("rfft3d", (2, 3, 4), None),
              ("rfft3d", (2, 3, 4), [3, 2, 5])]


@pytest.mark.parametrize("name,shape,fft_length", REAL_CASES)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_real_transforms_and_inverses_match_tf(tf_oracle: Any, name: str, shape: tuple, fft_length: Any,
                                               dtype: Any) -> None:
    x = _real(shape, dtype)
    ours, theirs = getattr(ff.signal, name)(x, fft_length), getattr(tf_oracle.signal, name)(x, fft_length)
    _same(ours, theirs)
    inverse = "i" + name
    _same(getattr(ff.signal, inverse)(theirs.numpy(), fft_length), getattr(tf_oracle.signal, inverse)(theirs,
                                                                                                      fft_length))
    _same(getattr(ff.signal, inverse)(theirs.numpy()), getattr(tf_oracle.signal, inverse)(theirs))


def test_conversions_and_errors_match_tf(tf_oracle: Any) -> None:
    # lists convert to the default complex64 / float32; a float Tensor is refused by the op's type attr
    _same(ff.signal.fft([1.0, 2.0]), tf_oracle.signal.fft([1.0, 2.0]))
    _same(ff.signal.rfft([1.0, 2.0, 3.0]), tf_oracle.signal.rfft([1.0, 2.0, 3.0]))
    _same(ff.signal.fft(np.ones((2, 4), np.complex128)), tf_oracle.signal.fft(np.ones((2, 4), np.complex128)))
    _same(ff.signal.rfft(np.ones(4, np.float64)), tf_oracle.signal.rfft(np.ones(4, np.float64)))
    with pytest.raises(ff.errors.InvalidArgumentError) as ours:
        ff.signal.fft(ff.constant([1.0, 2.0]))
    with pytest.raises(tf_oracle.errors.InvalidArgumentError) as theirs:
        tf_oracle.signal.fft(tf_oracle.constant([1.0, 2.0]))
    assert str(ours.value) == str(theirs.value)
    with pytest.raises(ValueError, match="RFFT requires tf.float32 or tf.float64 inputs"):
        ff.signal.rfft(ff.constant([1, 2]))
    with pytest.raises(ValueError, match="IRFFT requires tf.complex64 or tf.complex128 inputs"):
        ff.signal.irfft(ff.constant([1.0, 2.0]))
    for call in (lambda t: t.signal.fft2d(t.constant([1j, 2])), lambda t: t.signal.fft(t.constant(1j)),
                 lambda t: t.signal.rfft(t.constant([1.0, 2.0, 3.0]), [3, 4])):
        with pytest.raises(ff.errors.InvalidArgumentError) as ours:
            call(ff)
        with pytest.raises(tf_oracle.errors.InvalidArgumentError) as theirs:
            call(tf_oracle)
        assert str(ours.value) == str(theirs.value)


def test_fftnd_matches_numpy_and_tf_aliases() -> None:
    # (TF registers the N-D kernels for GPUs only: its CPU raises NotFoundError; NumPy is the reference)
    x = ff.constant(_complex((3, 4, 5), np.complex128))
    for kwargs in ({}, {"axes": [1]}, {"axes": [0, 2], "fft_length": [4, 3]}, {"norm": "ortho"}):
        np.testing.assert_allclose(ff.signal.fftnd(x, **kwargs).numpy(),
                                   np.fft.fftn(x.numpy(), s=kwargs.get("fft_length"), axes=kwargs.get("axes"),
                                               norm=kwargs.get("norm")), rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(ff.ifftnd(x, **kwargs).numpy(),
                                   np.fft.ifftn(x.numpy(), s=kwargs.get("fft_length"), axes=kwargs.get("axes"),
                                                norm=kwargs.get("norm")), rtol=1e-12, atol=1e-12)
    r = _real((4, 6), np.float32)
    assert ff.rfftnd(r).dtype == ff.complex64
    np.testing.assert_allclose(ff.signal.rfftnd(r, axes=[0]).numpy(), np.fft.rfftn(r, axes=[0]), rtol=1e-5,
                               atol=1e-5)
    np.testing.assert_allclose(ff.signal.irfftnd(np.fft.rfftn(r), norm="forward").numpy(),
                               np.fft.irfftn(np.fft.rfftn(r), norm="forward"), rtol=1e-5, atol=1e-5)
    with pytest.raises(ValueError, match="norm"):
        ff.signal.fftnd(x, norm="bogus")


def test_fftshift_matches_tf(tf_oracle: Any) -> None:
    x = np.arange(15.0).reshape(3, 5)
    for axes in (None, 0, 1, [-1], (0, 1)):
        _same(ff.signal.fftshift(x, axes), tf_oracle.signal.fftshift(x, axes))
        _same(ff.signal.ifftshift(x, axes), tf_oracle.signal.ifftshift(x, axes))


# --- gradients ---------------------------------------------------------------------------------------


def _grads(lib: Any, fn: Callable, x: np.ndarray, upstream: np.ndarray) -> np.ndarray:
    t = lib.constant(x)
    with lib.GradientTape() as tape:
        tape.watch(t)
        y = fn(lib, t)
    return tape.gradient(y, t, output_gradients=lib.constant(upstream)).numpy()


GRAD_CASES = [
    ("fft", lambda t, x: t.signal.fft(x), "c", (2, 6)),
    ("ifft", lambda t, x: t.signal.ifft(x), "c", (5,)),
    ("fft2d", lambda t, x: t.signal.fft2d(x), "c", (3, 4)),
    ("ifft2d", lambda t, x: t.signal.ifft2d(x), "c", (2, 3, 3)),
    ("fft3d", lambda t, x: t.signal.fft3d(x), "c", (2, 3, 2)),
    ("ifft3d", lambda t, x: t.signal.ifft3d(x), "c", (2, 2, 3)),
    ("rfft_even", lambda t, x: t.signal.rfft(x), "r", (2, 8)),
    ("rfft_odd", lambda t, x: t.signal.rfft(x), "r", (7,)),
    ("rfft_padded", lambda t, x: t.signal.rfft(x, [10]), "r", (2, 6)),
    ("rfft2d", lambda t, x: t.signal.rfft2d(x), "r", (4, 6)),
    ("rfft2d_odd", lambda t, x: t.signal.rfft2d(x), "r", (3, 5)),
    ("irfft_even", lambda t, x: t.signal.irfft(x), "c", (2, 5)),
    ("irfft_odd", lambda t, x: t.signal.irfft(x, [7]), "c", (4,)),
    ("irfft2d", lambda t, x: t.signal.irfft2d(x), "c", (3, 4)),
]


def _upstream(tf: Any, fn: Callable, x: np.ndarray) -> np.ndarray:
    out = fn(tf, tf.constant(x))
    if out.dtype.is_complex:
        return _complex(tuple(out.shape), out.dtype.as_numpy_dtype)
    return _real(tuple(out.shape), out.dtype.as_numpy_dtype)


@pytest.mark.parametrize("name,fn,kind,shape", GRAD_CASES, ids=[c[0] for c in GRAD_CASES])
def test_gradients_match_tf(tf_oracle: Any, name: str, fn: Callable, kind: str, shape: tuple) -> None:
    x = _complex(shape, np.complex128) if kind == "c" else _real(shape, np.float64)
    upstream = _upstream(tf_oracle, fn, x)
    np.testing.assert_allclose(_grads(ff, fn, x, upstream), _grads(tf_oracle, fn, x, upstream), rtol=1e-9,
                               atol=1e-9)


@pytest.mark.parametrize("fn", [lambda x: ff.signal.rfft(x), lambda x: ff.signal.rfft(x, [5]),
                                lambda x: ff.signal.rfft(x, [12]), lambda x: ff.signal.rfft2d(x, [3, 4])])
def test_rfft_gradient_is_the_adjoint(fn: Callable) -> None:
    """Central differences of sum(Re(conj(u) * rfft(x))) (the real-input convention), cropping included."""
    x = _real((3, 8), np.float64)
    out = fn(ff.constant(x))
    u = _complex(tuple(out.shape), np.complex128)

    def f(v: np.ndarray) -> float:
        return float(np.sum(np.real(np.conj(u) * fn(ff.constant(v)).numpy())))

    want = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        plus, minus = x.copy(), x.copy()
        plus[idx] += 1e-6
        minus[idx] -= 1e-6
        want[idx] = (f(plus) - f(minus)) / 2e-6
    np.testing.assert_allclose(_grads(ff, lambda t, v: fn(v), x, u), want, rtol=1e-6, atol=1e-6)


def test_no_gradient_where_tf_has_none() -> None:
    x = ff.constant(_real((2, 2, 4), np.float64))
    for fn in (ff.signal.rfft3d, lambda v: ff.signal.rfftnd(v)):
        with ff.GradientTape() as tape:
            tape.watch(x)
            y = fn(x)
        with pytest.raises(LookupError):
            tape.gradient(y, x)
