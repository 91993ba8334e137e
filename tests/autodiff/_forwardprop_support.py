"""Shared by the forward-mode tests: a result, or the exception raised, as comparable text."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np


def show(v: Any) -> str:
    """A result (a Tensor, None, or a nest of them) as text: dtype, shape and values to 4 decimals."""
    if v is None:
        return "None"
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(show(a) for a in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k}: {show(a)}" for k, a in sorted(v.items())) + "}"
    if hasattr(v, "numpy"):
        value = np.round(v.numpy().astype(np.float64), 4) + 0.0  # -0.0 prints as 0.0
        return f"{v.dtype.name}{list(v.shape)}:{value.tolist()}"
    return repr(v)


def outcome(tf: Any, scenario: Callable) -> str:
    """``scenario(tf)``'s result as text, or the type and message of what it raised."""
    try:
        return show(scenario(tf))
    except Exception as e:  # noqa: BLE001 - the exception is the outcome compared with TF's
        return f"{type(e).__name__}: {str(e)[:160]}"
