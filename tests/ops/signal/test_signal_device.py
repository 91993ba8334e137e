"""Device purity of ``tf.signal``: each function and its gradient on the CPU and on a simulated GPU, the GPU
run with results on GPU:0 equal to the CPU's (test_fft.py and test_spectral.py check them against TF).

The FFT ops move nothing. Functions that build constants from Python numbers (windows, the DCTs' scales, the
frame indices) upload them, as TF's constants are uploaded: ``moved`` counts those host->device copies."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pytest

import featherflow as ff

from .._device_support import check

pytestmark = pytest.mark.usefixtures("device")


def _inputs() -> dict:
    rng = np.random.default_rng(5)
    return {
        "r": ff.constant(rng.standard_normal((2, 8))),
        "c": ff.constant(rng.standard_normal((2, 3, 4)) + 1j * rng.standard_normal((2, 3, 4))),
        "s": ff.constant(rng.standard_normal((2, 40))),
        "f": ff.constant(rng.standard_normal((3, 4, 6))),
    }


# name -> (the program, the input its gradient is taken for, host->device copies on the GPU)
CASES: dict[str, tuple[Callable[[dict], Any], str | None, int]] = {
    "fft": (lambda t: ff.signal.fft(t["c"]), "c", 0),
    "ifft2d": (lambda t: ff.signal.ifft2d(t["c"]), "c", 0),
    "fft3d": (lambda t: ff.signal.fft3d(t["c"]), "c", 0),
    "rfft": (lambda t: ff.signal.rfft(t["r"]), "r", 0),
    "rfft_padded": (lambda t: ff.signal.rfft(t["r"], [11]), "r", 0),
    "irfft": (lambda t: ff.signal.irfft(ff.signal.rfft(t["r"])), "r", 0),
    "rfft2d": (lambda t: ff.signal.rfft2d(t["r"]), "r", 0),
    "irfft2d": (lambda t: ff.signal.irfft2d(t["c"]), "c", 0),
    "fftnd": (lambda t: ff.signal.fftnd(t["c"], axes=[0, 2]), None, 0),
    "fftshift": (lambda t: ff.signal.fftshift(t["f"], axes=[1, 2]), "f", 0),
    "overlap_and_add": (lambda t: ff.signal.overlap_and_add(t["f"], 2), "f", 0),
}


@pytest.mark.parametrize("name", list(CASES))
def test_signal_ops_stay_on_device(device: str, name: str) -> None:
    case, wrt, moved = CASES[name]
    check(device, _inputs, case, wrt, moved=(moved, 0), rtol=1e-10, atol=1e-12)


# name -> (the program, the input its gradient is taken for, the constants it uploads on the GPU)
COMPOSITE: dict[str, tuple[Callable[[dict], Any], str, int]] = {
    "frame": (lambda t: ff.signal.frame(t["s"], 8, 3, pad_end=True), "s", 2),  # the pad value, the indices
    "stft": (lambda t: ff.math.abs(ff.signal.stft(t["s"], 16, 8)), "s", 5),
    "inverse_stft": (lambda t: ff.signal.inverse_stft(ff.signal.stft(t["s"], 16, 4), 16, 4), "s", 9),
    "dct2": (lambda t: ff.signal.dct(t["r"], norm="ortho"), "r", 7),
    "mdct": (lambda t: ff.signal.mdct(t["s"], 8), "s", 13),
    "hann": (lambda t: ff.signal.hann_window(9, dtype=ff.float64) * t["r"][0, 0], "r", 4),
    "kaiser": (lambda t: ff.signal.kaiser_window(9, dtype=ff.float64) * t["r"][0, 0], "r", 3),
}


@pytest.mark.parametrize("name", list(COMPOSITE))
def test_signal_compositions_run_on_device(device: str, name: str) -> None:
    """The same on both devices, gradients included; no device->host read, and the uploads are constants made
    from Python numbers (a window's length, a DCT's scale), never the data."""
    case, wrt, uploads = COMPOSITE[name]
    check(device, _inputs, case, wrt, moved=(uploads, 0), rtol=1e-10, atol=1e-12)
