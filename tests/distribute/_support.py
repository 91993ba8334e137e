"""Running one program under featherflow and under real TensorFlow, and comparing what each gave back."""

from __future__ import annotations

import re
from typing import Any, Callable

import numpy as np

_ADDRESS = re.compile(r" at 0x[0-9a-f]+")
_MODULE = re.compile(r"(tensorflow\.python|featherflow)\.[\w.]*?\.(?=[A-Z_]\w*\b)")


def normalized(text: str) -> str:
    """A repr with object addresses and module paths taken out: TF's and featherflow's then read the same."""
    return _MODULE.sub("", _ADDRESS.sub("", text))


def outcome(f: Callable[[], Any]) -> Any:
    """What ``f()`` gave, made comparable: NumPy values for tensors, reprs for other objects, or the error."""
    try:
        value = f()
    except Exception as e:  # noqa: BLE001 - the error is the outcome
        return ("raised", type(e).__name__, normalized(str(e)))
    return _plain(value)


def error_type(f: Callable[[], Any]) -> Any:
    """The type of the error ``f()`` raises (where TF's message comes from graph tracing featherflow has none of)."""
    try:
        f()
    except Exception as e:  # noqa: BLE001 - the error is the outcome
        return type(e).__name__
    return None


def _plain(value: Any) -> Any:
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return ("namedtuple", normalized(repr(value)))
    if isinstance(value, (list, tuple)):
        return type(value)(_plain(v) for v in value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if hasattr(value, "numpy") and hasattr(value, "dtype"):
        array = value.numpy()
        return ("tensor", str(np.asarray(array).dtype), np.asarray(array).tolist())
    if isinstance(value, (bool, int, float, str, type(None), np.generic)):
        return value
    return ("object", normalized(repr(value)))


def same(program: Callable, ff: Any, tf: Any) -> Any:
    """Runs ``program(tf_module)`` under both and checks each step's outcome is the same; returns featherflow's."""
    ours, theirs = program(ff), program(tf)
    differ = [f"step {i}:\n  featherflow: {a!r}\n  tensorflow:  {b!r}" for i, (a, b) in enumerate(zip(ours, theirs))
              if a != b]
    assert not differ and len(ours) == len(theirs), "\n".join(differ)
    return ours
