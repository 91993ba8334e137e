"""``tf.edit_distance``: the Levenshtein distance between the sequences of two SparseTensors (TF's EditDistance
op, which runs on the host and is not differentiable), each sequence the values along the last dimension.

>>> import featherflow as tf
>>> h = tf.sparse.SparseTensor([[0, 0], [0, 1]], ["a", "b"], [1, 2])
>>> t = tf.sparse.SparseTensor([[0, 0]], ["a"], [1, 1])
>>> tf.edit_distance(h, t, normalize=False).numpy()
array([1.], dtype=float32)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..tensor import Tensor
from .registry import register
from .sparse.tensor import SparseTensor


def _sequences(indices: Any, values: Any) -> dict:
    rows: dict = {}
    for idx, v in sorted(zip(map(tuple, indices.tolist()), values.tolist()), key=lambda p: p[0]):
        rows.setdefault(idx[:-1], []).append(v)
    return rows


def _levenshtein(a: list, b: list) -> int:
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i]
        for j, y in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y)))
        previous = current
    return previous[-1]


@register("EditDistance", differentiable=False, host_only=True)
def edit_distance_op(xp: Any, h_indices: Any, h_values: Any, h_shape: Any, t_indices: Any, t_values: Any,
                     t_shape: Any, normalize: bool) -> Any:
    shape = tuple(int(max(a, b)) for a, b in zip(h_shape[:-1].tolist(), t_shape[:-1].tolist()))
    out = np.zeros(shape, np.float32)
    hyps, truths = _sequences(h_indices, h_values), _sequences(t_indices, t_values)
    for loc in set(hyps) | set(truths):
        h, t = hyps.get(loc, []), truths.get(loc, [])
        if not t:  # a hypothesis and no truth: infinitely far when normalized
            out[loc] = np.inf if normalize else len(h)
        else:
            out[loc] = _levenshtein(h, t) / (len(t) if normalize else 1)
    return xp.asarray(out)


def edit_distance(hypothesis: Any, truth: Any, normalize: bool = True, name: str = "edit_distance") -> Tensor:
    """The edit distance of each sequence of ``hypothesis`` from ``truth``'s (divided by the truth's length if
    ``normalize``)."""
    if not isinstance(hypothesis, SparseTensor):
        raise TypeError("Hypothesis must be a SparseTensor.")
    if not isinstance(truth, SparseTensor):
        raise TypeError("Truth must be a SparseTensor.")
    return edit_distance_op(hypothesis.indices, hypothesis.values, hypothesis.dense_shape, truth.indices,
                            truth.values, truth.dense_shape, normalize=bool(normalize))
