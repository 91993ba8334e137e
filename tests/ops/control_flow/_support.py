"""Differential checks: one program, run with ``tf`` bound to featherflow and to real TensorFlow."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

import featherflow as ff


def _leaves(value: Any, tf: Any) -> list:
    return tf.nest.flatten(value)


def _norm(leaf: Any) -> Any:
    if hasattr(leaf, "to_list"):  # a RaggedTensor
        return ("ragged", leaf.dtype.name, leaf.ragged_rank, leaf.to_list())
    if hasattr(leaf, "numpy") and hasattr(leaf, "dtype"):
        return ("tensor", leaf.dtype.name, tuple(leaf.shape.as_list()), np.asarray(leaf.numpy()))
    return ("python", type(leaf).__name__, leaf)


def _outcome(prog: Callable, tf: Any) -> Any:
    try:
        out = prog(tf)
    except Exception as e:  # noqa: BLE001 - the error is the outcome compared
        return ("error", type(e).__name__, str(e))
    structure = tf.nest.map_structure(lambda _: 0, out) if out is not None else None
    kind = "Tensor" if hasattr(out, "numpy") and hasattr(out, "dtype") else type(out).__name__
    kind = "RaggedTensor" if hasattr(out, "to_list") else kind
    return ("value", kind, repr(structure), [_norm(leaf) for leaf in _leaves(out, tf)])


def same(prog: Callable, tf_oracle: Any, message: str = "exact") -> Any:
    """Runs ``prog(tf)`` under both; asserts equal values (dtype, shape, numbers, structure) or equal errors
    (type, and the message: ``exact``, ``first`` line or ``type`` only). Returns featherflow's outcome."""
    ours, theirs = _outcome(prog, ff), _outcome(prog, tf_oracle)
    assert ours[0] == theirs[0], (ours, theirs)
    if ours[0] == "error":
        assert ours[1] == theirs[1], (ours, theirs)
        if message == "exact":
            assert ours[2] == theirs[2], (ours, theirs)
        elif message == "first":
            assert ours[2].splitlines()[0] == theirs[2].splitlines()[0], (ours, theirs)
        return ours
    assert ours[1:3] == theirs[1:3], (ours, theirs)
    assert len(ours[3]) == len(theirs[3])
    for a, b in zip(ours[3], theirs[3]):
        assert a[:3] == b[:3] if a[0] == "tensor" else a == b, (a, b)
        if a[0] == "tensor":
            np.testing.assert_allclose(a[3], b[3], rtol=1e-6) if a[3].dtype.kind in "fc" else \
                np.testing.assert_array_equal(a[3], b[3])
    return ours
