"""Shared by the tf.image tests: running one program under featherflow and real TF and comparing them."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np


def compare(tf: Any, ff: Any, program: Callable[[Any], Any], rtol: float = 1e-5, atol: float = 1e-5) -> None:
    """``program(module)`` under both: equal dtypes, shapes and values (within tolerance)."""
    want = program(tf)
    got = program(ff)
    wants = want if isinstance(want, (list, tuple)) else [want]
    gots = got if isinstance(got, (list, tuple)) else [got]
    assert len(wants) == len(gots)
    for w, g in zip(wants, gots):
        w, g = np.asarray(w), np.asarray(g)
        assert g.dtype == w.dtype, (g.dtype, w.dtype)
        assert g.shape == w.shape, (g.shape, w.shape)
        np.testing.assert_allclose(g.astype(np.float64), w.astype(np.float64), rtol=rtol, atol=atol)


def same_error(tf: Any, ff: Any, program: Callable[[Any], Any]) -> None:
    """``program`` raises the same exception class with the same message under both."""
    import pytest

    with pytest.raises(Exception) as want:
        program(tf)
    with pytest.raises(Exception) as got:
        program(ff)
    assert type(got.value).__name__ == type(want.value).__name__
    assert str(got.value) == str(want.value)


def gradient(module: Any, program: Callable[[Any, Any], Any], x: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """d/dx of sum(program(module, x) * weights)."""
    t = module.constant(x)
    with module.GradientTape() as tape:
        tape.watch(t)
        y = module.reduce_sum(module.cast(program(module, t), module.float64) * weights)
    return tape.gradient(y, t).numpy()
