"""Framing, windows, STFTs, MDCTs, mel matrices, MFCCs and DCTs of ``tf.signal`` against real TF, with
gradients through the compositions (central differences in float64, and TF's tape)."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pytest

import featherflow as ff

RNG = np.random.default_rng(1)


def _same(ours: Any, theirs: Any, rtol: float = 1e-5, atol: float = 1e-5) -> None:
    assert ours.dtype.name == theirs.dtype.name
    assert tuple(ours.shape) == tuple(theirs.shape)
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=rtol, atol=atol)


@pytest.mark.parametrize("kwargs", [dict(frame_length=4, frame_step=2), dict(frame_length=5, frame_step=3, pad_end=True),
                                    dict(frame_length=3, frame_step=1, axis=0),
                                    dict(frame_length=4, frame_step=4, pad_end=True, pad_value=7, axis=-2),
                                    dict(frame_length=20, frame_step=3)])
def test_frame_matches_tf(tf_oracle: Any, kwargs: dict) -> None:
    x = np.arange(2 * 11 * 3).reshape(2, 11, 3) if kwargs.get("axis") in (0, -2) else np.arange(33).reshape(3, 11)
    _same(ff.signal.frame(x, **kwargs), tf_oracle.signal.frame(x, **kwargs))


@pytest.mark.parametrize("shape,step", [((4, 6), 2), ((2, 5, 7), 3), ((3, 4), 4), ((3, 2, 5), 1), ((1, 6), 7)])
def test_overlap_and_add_matches_tf(tf_oracle: Any, shape: tuple, step: int) -> None:
    x = RNG.standard_normal(shape).astype(np.float32)
    _same(ff.signal.overlap_and_add(x, step), tf_oracle.signal.overlap_and_add(x, step))


WINDOWS = [("hann_window", {}), ("hann_window", {"periodic": False}), ("hamming_window", {}),
           ("hamming_window", {"periodic": False}), ("kaiser_window", {}), ("kaiser_window", {"beta": 3.0}),
           ("kaiser_bessel_derived_window", {}), ("vorbis_window", {})]


@pytest.mark.parametrize("name,kwargs", WINDOWS)
@pytest.mark.parametrize("length", [1, 2, 7, 16])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_windows_match_tf(tf_oracle: Any, name: str, kwargs: dict, length: int, dtype: str) -> None:
    _same(getattr(ff.signal, name)(length, dtype=getattr(ff, dtype), **kwargs),
          getattr(tf_oracle.signal, name)(length, dtype=getattr(tf_oracle, dtype), **kwargs), rtol=2e-6, atol=2e-7)


def test_window_dtype_must_be_floating(tf_oracle: Any) -> None:
    with pytest.raises(ValueError, match="dtype must be a floating point type"):
        ff.signal.hann_window(4, dtype=ff.int32)


@pytest.mark.parametrize("kwargs", [dict(frame_length=64, frame_step=16), dict(frame_length=50, frame_step=20,
                                                                              fft_length=128, pad_end=True),
                                    dict(frame_length=32, frame_step=8, window_fn=None)])
def test_stft_and_inverse_match_tf(tf_oracle: Any, kwargs: dict) -> None:
    x = RNG.standard_normal((2, 400)).astype(np.float32)
    ours, theirs = ff.signal.stft(x, **kwargs), tf_oracle.signal.stft(x, **kwargs)
    _same(ours, theirs, rtol=1e-4, atol=2e-5)
    inv = {k: v for k, v in kwargs.items() if k != "pad_end"}
    if "window_fn" not in inv:
        step = kwargs["frame_step"]
        _same(ff.signal.inverse_stft(theirs.numpy(), window_fn=ff.signal.inverse_stft_window_fn(step), **inv),
              tf_oracle.signal.inverse_stft(theirs, window_fn=tf_oracle.signal.inverse_stft_window_fn(step), **inv),
              atol=2e-6)
    else:
        _same(ff.signal.inverse_stft(theirs.numpy(), **inv), tf_oracle.signal.inverse_stft(theirs, **inv), atol=2e-5)


@pytest.mark.parametrize("kwargs", [{}, dict(num_mel_bins=40, num_spectrogram_bins=257, sample_rate=16000,
                                             lower_edge_hertz=20.0, upper_edge_hertz=8000.0),
                                    dict(num_mel_bins=8, num_spectrogram_bins=33, dtype="float64")])
def test_linear_to_mel_weight_matrix_matches_tf(tf_oracle: Any, kwargs: dict) -> None:
    ours_kwargs, tf_kwargs = dict(kwargs), dict(kwargs)
    if "dtype" in kwargs:
        ours_kwargs["dtype"], tf_kwargs["dtype"] = getattr(ff, kwargs["dtype"]), getattr(tf_oracle, kwargs["dtype"])
    _same(ff.signal.linear_to_mel_weight_matrix(**ours_kwargs),
          tf_oracle.signal.linear_to_mel_weight_matrix(**tf_kwargs), rtol=1e-5, atol=1e-5)


def test_linear_to_mel_weight_matrix_errors() -> None:
    with pytest.raises(ValueError, match="num_mel_bins must be positive"):
        ff.signal.linear_to_mel_weight_matrix(0)
    with pytest.raises(ValueError, match="lower_edge_hertz 500.0 >= upper_edge_hertz 100.0"):
        ff.signal.linear_to_mel_weight_matrix(lower_edge_hertz=500.0, upper_edge_hertz=100.0)
    with pytest.raises(ValueError, match="Nyquist"):
        ff.signal.linear_to_mel_weight_matrix(upper_edge_hertz=5000.0)


@pytest.mark.parametrize("dct_type", [1, 2, 3, 4])
@pytest.mark.parametrize("norm", [None, "ortho"])
@pytest.mark.parametrize("n", [None, 5, 12])
def test_dct_and_idct_match_tf(tf_oracle: Any, dct_type: int, norm: Any, n: Any) -> None:
    if dct_type == 1 and norm:
        with pytest.raises(ValueError, match="Normalization is not supported for the Type-I DCT"):
            ff.signal.dct(np.ones((2, 4), np.float32), type=1, norm="ortho")
        return
    x = RNG.standard_normal((3, 8)).astype(np.float32)
    _same(ff.signal.dct(x, type=dct_type, n=n, norm=norm), tf_oracle.signal.dct(x, type=dct_type, n=n, norm=norm),
          atol=5e-6)
    _same(ff.signal.idct(x, type=dct_type, n=n, norm=norm), tf_oracle.signal.idct(x, type=dct_type, n=n, norm=norm),
          atol=5e-6)


def test_dct_errors() -> None:
    with pytest.raises(NotImplementedError, match="axis must be -1"):
        ff.signal.dct(np.ones(4, np.float32), axis=0)
    with pytest.raises(ValueError, match="Types I, II, III and IV"):
        ff.signal.dct(np.ones(4, np.float32), type=5)
    with pytest.raises(ValueError, match="Unknown normalization"):
        ff.signal.dct(np.ones(4, np.float32), norm="forward")


def test_mfccs_match_tf(tf_oracle: Any) -> None:
    x = RNG.standard_normal((2, 5, 40)).astype(np.float32)
    _same(ff.signal.mfccs_from_log_mel_spectrograms(x), tf_oracle.signal.mfccs_from_log_mel_spectrograms(x),
          atol=2e-6)


@pytest.mark.parametrize("kwargs", [{}, dict(norm="ortho"), dict(window_fn=None), dict(pad_end=True),
                                    dict(window_fn="kbd")])
def test_mdct_and_inverse_match_tf(tf_oracle: Any, kwargs: dict) -> None:
    x = RNG.standard_normal((2, 70)).astype(np.float32)
    ours_kwargs, tf_kwargs = dict(kwargs), dict(kwargs)
    if kwargs.get("window_fn") == "kbd":
        ours_kwargs["window_fn"] = ff.signal.kaiser_bessel_derived_window
        tf_kwargs["window_fn"] = tf_oracle.signal.kaiser_bessel_derived_window
    ours, theirs = ff.signal.mdct(x, 16, **ours_kwargs), tf_oracle.signal.mdct(x, 16, **tf_kwargs)
    _same(ours, theirs, atol=1e-5)
    inv = {k: v for k, v in ours_kwargs.items() if k != "pad_end"}
    tinv = {k: v for k, v in tf_kwargs.items() if k != "pad_end"}
    _same(ff.signal.inverse_mdct(theirs.numpy(), **inv), tf_oracle.signal.inverse_mdct(theirs, **tinv), atol=1e-5)
    with pytest.raises(ValueError, match="multiple of 4"):
        ff.signal.mdct(x, 10)


# --- gradients ---------------------------------------------------------------------------------------


def _gradient(lib: Any, fn: Callable, x: np.ndarray, upstream: np.ndarray) -> np.ndarray:
    t = lib.constant(x)
    with lib.GradientTape() as tape:
        tape.watch(t)
        y = fn(lib, t)
    # (a gather's gradient is IndexedSlices in both)
    return lib.convert_to_tensor(tape.gradient(y, t, output_gradients=lib.constant(upstream))).numpy()


GRADS = [
    ("frame", lambda t, x: t.signal.frame(x, 4, 3, pad_end=True), (2, 10)),
    ("frame_axis0", lambda t, x: t.signal.frame(x, 3, 2, axis=0), (7, 2)),
    ("overlap_and_add", lambda t, x: t.signal.overlap_and_add(x, 3), (2, 4, 5)),
    ("stft", lambda t, x: t.math.abs(t.signal.stft(x, 16, 8)), (2, 64)),
    ("inverse_stft", lambda t, x: t.signal.inverse_stft(t.signal.stft(x, 16, 4), 16, 4), (40,)),
    ("dct2_ortho", lambda t, x: t.signal.dct(x, norm="ortho"), (3, 6)),
    ("dct3", lambda t, x: t.signal.dct(x, type=3), (2, 5)),
    ("dct1", lambda t, x: t.signal.dct(x, type=1), (2, 5)),
    ("mdct", lambda t, x: t.signal.mdct(x, 8), (2, 24)),
    ("mfccs", lambda t, x: t.signal.mfccs_from_log_mel_spectrograms(x), (2, 10)),
]


@pytest.mark.parametrize("name,fn,shape", GRADS, ids=[g[0] for g in GRADS])
def test_gradients_match_tf_and_central_differences(tf_oracle: Any, name: str, fn: Callable, shape: tuple) -> None:
    x = RNG.standard_normal(shape)
    upstream = RNG.standard_normal(tuple(fn(tf_oracle, tf_oracle.constant(x)).shape))
    ours = _gradient(ff, fn, x, upstream)
    # (TF's RFFT gradient carries errors near 1e-6 in float64; the central differences below are tighter)
    np.testing.assert_allclose(ours, _gradient(tf_oracle, fn, x, upstream), rtol=1e-5, atol=1e-5)
    want = np.zeros_like(x)
    for idx in list(np.ndindex(x.shape))[:12]:
        plus, minus = x.copy(), x.copy()
        plus[idx] += 1e-6
        minus[idx] -= 1e-6
        want[idx] = np.sum((fn(ff, ff.constant(plus)).numpy() - fn(ff, ff.constant(minus)).numpy()) * upstream) / 2e-6
        np.testing.assert_allclose(ours[idx], want[idx], rtol=1e-5, atol=1e-6)
