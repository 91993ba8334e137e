"""tf.histogram_fixed_width and tf.histogram_fixed_width_bins against TF (values, dtypes, errors), and the
simulated GPU."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import featherflow as ff

from .._device_support import check

CASES = [
    ([-1.0, 0.0, 0.5, 1.0, 5.0, 2.5], [0.0, 5.0], 5, "int32"),
    ([-1, 0, 1, 5, 2], [0, 5], 5, "int64"),
    ([[0.1, 0.2], [0.9, 1.1]], [0.0, 1.0], 3, "int32"),
    (np.linspace(-2, 3, 37), [-1.5, 2.25], 7, "int32"),
    ([], [0.0, 1.0], 4, "int32"),
    ([1.0], [1.0, 1.0], 2, "int32"),  # empty range
    ([1.0], [0.0, 1.0], 0, "int32"),  # nbins 0
    ([1.0], [5.0, 0.0], 2, "int32"),
]


def _outcome(fn):
    try:
        y = fn()
        return np.asarray(y), y.dtype.name
    except Exception as e:  # noqa: BLE001 - the error is what is compared
        return type(e).__name__, str(e).split(" name:")[0]


@pytest.mark.parametrize("values, value_range, nbins, dtype", CASES)
def test_histogram_fixed_width_matches_tf(tf_oracle, values, value_range, nbins, dtype) -> None:
    want = _outcome(lambda: tf_oracle.histogram_fixed_width(values, value_range, nbins, dtype=dtype))
    got = _outcome(lambda: ff.histogram_fixed_width(values, value_range, nbins, dtype=dtype))
    if isinstance(want[0], str):
        assert got == want
    else:
        np.testing.assert_array_equal(got[0], want[0])
        assert got[1] == want[1]


@pytest.mark.parametrize("values, value_range, nbins, dtype", CASES[:5])
def test_histogram_fixed_width_bins_matches_tf(tf_oracle, values, value_range, nbins, dtype) -> None:
    want = _outcome(lambda: tf_oracle.histogram_fixed_width_bins(values, value_range, nbins, dtype=dtype))
    got = _outcome(lambda: ff.histogram_fixed_width_bins(values, value_range, nbins, dtype=dtype))
    np.testing.assert_array_equal(got[0], want[0])
    assert got[1] == want[1]


@settings(max_examples=25, deadline=None)
@given(st.lists(st.floats(-10, 10, width=32), max_size=20), st.floats(-5, 0, width=32), st.floats(0.5, 6, width=32),
       st.integers(1, 9))
def test_bins_and_counts_agree_with_tf(values, lo, hi, nbins) -> None:
    import tensorflow as tf

    v = np.array(values, np.float32)
    for name in ("histogram_fixed_width", "histogram_fixed_width_bins"):
        want = getattr(tf, name)(v, np.array([lo, hi], np.float32), nbins)
        np.testing.assert_array_equal(getattr(ff, name)(v, np.array([lo, hi], np.float32), nbins).numpy(), want)


def test_histogram_gradient_is_none_as_in_tf(tf_oracle) -> None:
    # the counts are integers, which no tape follows: no gradient reaches the values
    for mod in (tf_oracle, ff):
        x = mod.Variable([1.0, 2.0])
        with mod.GradientTape() as tape:
            y = mod.cast(mod.histogram_fixed_width(x * 1.0, [0.0, 3.0], 3), mod.float32)
        assert tape.gradient(y, x) is None


@pytest.mark.usefixtures("device")
def test_on_the_device(device) -> None:
    inputs = lambda: {"x": ff.constant([-1.0, 0.5, 2.0, 9.0]), "r": ff.constant([0.0, 4.0])}  # noqa: E731
    # the wrapper reads the range and nbins back for TF's checks, the kernel reads nbins
    check(device, inputs, lambda t: ff.histogram_fixed_width(t["x"], t["r"], 4), None, moved=(1, 3))
