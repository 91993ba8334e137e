"""Device purity of ApproxTopK, Conv and the V2 convolution backprops: forward (and gradient where TF has one)
on the CPU and on a simulated GPU, without host transfers, on the device, equal to the CPU's results (which
test_approx_isotonic.py and test_conv_generic.py check against TF)."""

from __future__ import annotations

import numpy as np
import pytest

import featherflow as ff

from .._device_support import check

pytestmark = pytest.mark.usefixtures("device")

RNG = np.random.default_rng(8)
X = RNG.standard_normal((2, 6, 7, 3))
F = RNG.standard_normal((3, 2, 3, 4))
G = RNG.standard_normal((2, 2, 3, 4))
XB = RNG.standard_normal((3, 2, 5, 5, 3))


def _inputs() -> dict:
    return {"x": ff.constant(X), "f": ff.constant(F), "g": ff.constant(G), "xb": ff.constant(XB),
            "x32": ff.constant(X[0].astype(np.float32))}


CASES = {
    "approx_top_k": (lambda t: ff.approx_top_k(t["x32"], 2).values, "x32"),
    "approx_top_k_indices": (lambda t: ff.approx_top_k(t["x32"], 3).indices, None),
    "conv": (lambda t: ff.conv(t["x"], t["f"], [1, 2, 1, 1], "SAME"), None),
    "conv_batch_dims": (lambda t: ff.conv(t["xb"], t["f"], [1, 1, 1, 1], "EXPLICIT",
                                          explicit_paddings=[0, 0, 1, 0, 0, 1, 0, 0], batch_dims=2), None),
    "backprop_input_v2": (lambda t: ff.conv2d_backprop_input_v2(t["x"], t["f"], t["g"], [1, 2, 2, 1], "VALID"),
                          None),
    "backprop_filter_v2": (lambda t: ff.conv2d_backprop_filter_v2(t["x"], t["f"], t["g"], [1, 2, 2, 1], "VALID"),
                           None),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_runs_on_the_device(device, name):
    case, wrt = CASES[name]
    check(device, _inputs, case, wrt)
