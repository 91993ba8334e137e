"""Runs expressions under real TF with a dtype conversion mode enabled (in a subprocess: numpy behavior is
process-global) and under featherflow, and summarises each result with its weak flag: (kind, dtype, weak, shape,
values) or (error type, message)."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from typing import Any

import numpy as np

# Every kind of input the grid combines: Python values (weak), weak tensors, tensors of each dtype, NumPy scalars.
# Defined after the mode is enabled, so that ``tf.constant(3)`` is weak.
KINDS = {
    "py_int": "3", "py_float": "1.5", "py_complex": "(2+1j)", "py_bool": "True",
    "w_i32": "tf.constant(3)", "w_f32": "tf.constant(1.5)", "w_c128": "tf.constant(2j)", "w_f64": "tf.divide(3, 2)",
    "np_i8": "np.int8(2)", "np_f16": "np.float16(1.5)", "np_i64": "np.int64(3)", "np_f64": "np.float64(2.5)",
    **{f"t_{d}": f"tf.constant(np.array({'True' if d == 'bool' else 2}, '{d}'))"
       for d in ("bool", "uint8", "uint16", "uint32", "uint64", "int8", "int16", "int32", "int64", "float16",
                 "float32", "float64", "complex64", "complex128")},
    "t_bfloat16": "tf.cast(tf.constant(np.array(2.0, 'float32')), tf.bfloat16)",
}
SETUP = "\n".join(f"{name} = {expr}" for name, expr in KINDS.items())


def summarise(fn: Any) -> Any:
    try:
        value = fn()
    except Exception as e:  # noqa: BLE001 - the error is the result compared
        return ("error", type(e).__name__, str(e))
    return _summary(value)


def _summary(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return ("seq", [_summary(v) for v in value])
    name = type(value).__name__
    dtype = getattr(value, "dtype", None)
    if dtype is not None and hasattr(value, "numpy") and hasattr(value, "shape"):
        kind = "variable" if "Variable" in name else "tensor"
        array = np.asarray(value.numpy())
        values = array.astype(np.float64).tolist() if dtype.name == "bfloat16" else array.tolist()
        return (kind, dtype.name, name == "EagerWeakTensor", tuple(value.shape), values)
    return ("py", repr(value))


_SCRIPT = """
import os, pickle, sys
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
import numpy as np
import tensorflow as tf
import tensorflow.experimental.numpy as tnp
sys.path.insert(0, {here!r})
from _weak_oracle import SETUP, summarise
batches = pickle.load(sys.stdin.buffer)
results = []
for cases, mode in batches:
    tnp.experimental_enable_numpy_behavior(dtype_conversion_mode=mode)
    env = {{"tnp": tnp, "tf": tf, "np": np}}
    exec(SETUP, env)
    results.append([summarise(lambda case=case: eval(case, env)) for case in cases])
sys.stdout.buffer.write(pickle.dumps(results))
"""


def tf_batches(batches: list[tuple[list[str], str]]) -> list[list]:
    """The summaries of each (cases, mode) batch under real TF, all in one process."""
    here = os.path.dirname(os.path.abspath(__file__))
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    proc = subprocess.run([sys.executable, "-c", _SCRIPT.format(here=here)], input=pickle.dumps(batches),
                          capture_output=True, env=env, check=True, timeout=600)
    return pickle.loads(proc.stdout)


def ff_results(cases: list[str], mode: str) -> list:
    """The summaries of ``cases`` under featherflow with ``mode`` enabled (the caller resets)."""
    import featherflow as ff
    import featherflow.experimental.numpy as tnp

    tnp.experimental_enable_numpy_behavior(dtype_conversion_mode=mode)
    env = {"tnp": tnp, "tf": ff, "np": np}
    exec(SETUP, env)
    return [summarise(lambda case=case: eval(case, env)) for case in cases]
