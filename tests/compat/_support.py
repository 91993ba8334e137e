"""Comparing featherflow's results and errors with real TensorFlow's."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np


def outcome(fn: Callable[[], Any]) -> Any:
    """``fn()``'s result, or ("error", its type's name, its message)."""
    try:
        return fn()
    except Exception as e:  # noqa: BLE001 - every error is compared
        return ("error", type(e).__name__, str(e))


def _is_error(x: Any) -> bool:
    return isinstance(x, tuple) and len(x) == 3 and isinstance(x[0], str) and x[0] == "error"


def assert_same(got: Any, want: Any) -> None:
    """Values, dtypes and structure equal (tensors, SparseTensors, nested lists and tuples, errors)."""
    if _is_error(want):
        assert _is_error(got), f"featherflow returned {got!r}, TF raised {want!r}"
        assert got == want
        return
    if hasattr(want, "indices") and hasattr(want, "dense_shape"):  # a SparseTensor
        for field in ("indices", "values", "dense_shape"):
            assert_same(getattr(got, field), getattr(want, field))
        return
    assert not _is_error(got), f"featherflow raised {got!r}, TF returned {want!r}"
    if isinstance(want, (list, tuple)):
        assert type(got) is type(want) and len(got) == len(want), (got, want)
        for g, w in zip(got, want):
            assert_same(g, w)
        return
    if hasattr(want, "numpy"):
        assert hasattr(got, "numpy"), f"featherflow returned {got!r}, TF a tensor"
        assert got.dtype.name == want.dtype.name
        np.testing.assert_allclose(np.asarray(got.numpy()), np.asarray(want.numpy()), rtol=1e-5, atol=1e-6)
        return
    assert got == want
