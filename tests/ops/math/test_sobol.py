"""tf.math.sobol_sample against real TensorFlow: the same points, bit for bit, in every dimension TF has."""

from __future__ import annotations

import numpy as np
import pytest

import featherflow as ff

from .._device_support import check


def raised(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - the type and text are what is compared
        return type(e).__name__, str(e)
    return None


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_dims_1_to_60_match_tf(tf_oracle, dtype):
    for dim in range(1, 61):
        ours = ff.math.sobol_sample(dim, 70, dtype=dtype)
        theirs = tf_oracle.math.sobol_sample(dim, 70, dtype=dtype)
        assert ours.dtype.name == theirs.dtype.name
        assert ours.numpy().tobytes() == theirs.numpy().tobytes(), dim


@pytest.mark.parametrize("dim, num_results, skip", [
    (3, 1, 0), (7, 600, 0), (2, 1100, 5), (13, 40, 1023), (5, 9, 2**20 - 3), (1, 3, 2**30),
    (400, 33, 7), (1111, 3, 100), (21200, 2, 1000), (20000, 4, 0),
])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_skips_and_large_dims_match_tf(tf_oracle, dim, num_results, skip, dtype):
    ours = ff.math.sobol_sample(dim, num_results, skip=skip, dtype=dtype)
    theirs = tf_oracle.math.sobol_sample(dim, num_results, skip=skip, dtype=dtype)
    assert ours.shape == theirs.shape
    assert ours.numpy().tobytes() == theirs.numpy().tobytes()


@pytest.mark.parametrize("args", [
    (0, 3), (21201, 3), (2, 0), (2, 3, -1), (2, 2**31 - 10, 20), (2, 3, 0, "float16"), ([2], 3),
])
def test_errors_match_tf(tf_oracle, args):
    def call(m):
        dtype = m.as_dtype(args[3]) if len(args) > 3 else m.float32
        return m.math.sobol_sample(*args[:3], dtype=dtype)

    ours, theirs = raised(lambda: call(ff)), raised(lambda: call(tf_oracle))
    assert theirs is not None
    assert ours[0] == theirs[0]
    if ours[0] != "ValueError":  # graph-building shape errors word their node differently
        assert ours[1] == theirs[1]


def test_points_are_stratified():
    pts = ff.math.sobol_sample(4, 255, dtype=ff.float64).numpy()
    for column in pts.T:  # with the origin TF skips, the first 256 points fill every interval [i/256, (i+1)/256)
        counts = np.bincount((column * 256).astype(int), minlength=256)
        assert counts.max() == 1 and counts[0] == 0


def test_on_the_device(device):
    # the kernel's constant table is one host->device copy; the points are computed on the device
    check(device, dict, lambda t: ff.math.sobol_sample(6, 50, skip=3, dtype=ff.float64), None, moved=(1, 0))
