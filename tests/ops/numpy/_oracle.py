"""Runs tnp expressions under real TF (numpy behavior on, in a subprocess: TF cannot turn it off) and under
featherflow, and summarises each result as (dtype, shape, values) or (error type, message)."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from typing import Any

import numpy as np

# The inputs every expression may use, built the same way under both libraries.
SETUP = """
import numpy as np
f = tnp.asarray(np.array([[1.5, -2.25, 3.0], [0.5, 4.0, -0.75]], np.float32))
d = tnp.asarray(np.array([0.3, -1.7, 2.5, 0.0], np.float64))
i = tnp.asarray(np.array([[1, -2, 3], [4, 5, -6]], np.int32))
i8 = tnp.asarray(np.array([3, -1, 7], np.int8))
u8 = tnp.asarray(np.array([3, 1, 7], np.uint8))
l = tnp.asarray(np.array([5, 2, 9, 1], np.int64))
b = tnp.asarray(np.array([True, False, True, True]))
c = tnp.asarray(np.array([1 + 2j, -3j, 0.5], np.complex64))
v = tnp.asarray(np.array([1.0, 2.0, 3.0], np.float32))
w = tnp.asarray(np.array([0.5, -1.0, 2.0], np.float32))
m = tnp.asarray(np.arange(12, dtype=np.float32).reshape(3, 4))
t3 = tnp.asarray(np.arange(24, dtype=np.float64).reshape(2, 3, 4))
n = tnp.asarray(np.array([1.0, np.nan, 3.0, np.inf], np.float32))
"""


def summarise(fn: Any) -> Any:
    try:
        value = fn()
    except Exception as e:  # noqa: BLE001 - the error is the result compared
        return ("error", type(e).__name__)
    return _summary(value)


def _summary(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return ("seq", [_summary(v) for v in value])
    dtype = getattr(value, "dtype", None)
    if dtype is not None and hasattr(value, "numpy"):
        return ("tensor", dtype.name, tuple(value.shape), np.asarray(value.numpy()))
    if isinstance(value, (bool, int, float, np.generic)):
        return ("py", type(value).__name__ if not isinstance(value, np.generic) else str(value.dtype), value)
    return ("other", repr(value))


_SCRIPT = """
import os, pickle, sys
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
import tensorflow as tf
import tensorflow.experimental.numpy as tnp
sys.path.insert(0, {here!r})
from _oracle import SETUP, summarise
batches = pickle.load(sys.stdin.buffer)
results = []
for cases, mode in batches:  # TF lets numpy behavior be enabled again with other arguments
    tnp.experimental_enable_numpy_behavior(**{{"prefer_float32": False, "dtype_conversion_mode": "legacy", **mode}})
    env = {{"tnp": tnp, "tf": tf}}
    exec(SETUP, env)
    results.append([summarise(lambda case=case: eval(case, env)) for case in cases])
sys.stdout.buffer.write(pickle.dumps(results))
"""


def tf_batches(batches: list[tuple[list[str], dict]]) -> list[list]:
    """The summaries of each batch of cases under real TF, numpy behavior enabled with the batch's arguments,
    all in one process (TF's import is the slow part)."""
    here = os.path.dirname(os.path.abspath(__file__))
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    proc = subprocess.run([sys.executable, "-c", _SCRIPT.format(here=here)], input=pickle.dumps(batches),
                          capture_output=True, env=env, check=True)
    return pickle.loads(proc.stdout)


def tf_results(cases: list[str], **mode: Any) -> list:
    """The summaries of ``cases`` under real TF with numpy behavior enabled (``mode``: its arguments)."""
    return tf_batches([(cases, mode)])[0]


def ff_results(cases: list[str]) -> list:
    """The summaries of ``cases`` under featherflow."""
    import featherflow as ff
    import featherflow.experimental.numpy as tnp

    env = {"tnp": tnp, "tf": ff}
    exec(SETUP, env)
    return [summarise(lambda case=case: eval(case, env)) for case in cases]


def assert_same(case: str, want: Any, got: Any, rtol: float = 1e-6) -> None:
    """The two summaries agree: kind, dtype, shape, values (NaN where NaN)."""
    assert got[0] == want[0], f"{case}: {got} != {want}"
    if want[0] == "seq":
        assert len(got[1]) == len(want[1]), case
        for a, b in zip(want[1], got[1]):
            assert_same(case, a, b, rtol)
    elif want[0] == "tensor":
        assert got[1:3] == want[1:3], f"{case}: dtype/shape {got[1:3]} != {want[1:3]}"
        a, b = want[3], got[3]
        if a.dtype.kind in "fc":
            np.testing.assert_allclose(b, a, rtol=rtol, atol=1e-6, equal_nan=True, err_msg=case)
        else:
            np.testing.assert_array_equal(b, a, err_msg=case)
    elif want[0] == "py":
        assert got[1] == want[1] and (got[2] == want[2] or (got[2] != got[2] and want[2] != want[2])), \
            f"{case}: {got} != {want}"
    else:
        assert got == want, f"{case}: {got} != {want}"
