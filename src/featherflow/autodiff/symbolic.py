"""TF's graph-mode gradient entry points, as eager TF answers them: ``tf.gradients`` and ``tf.hessians`` build
symbolic gradients in a graph, which eager execution (featherflow's only mode) has none of, so they raise TF's
eager RuntimeError pointing at ``tf.GradientTape``; ``tf.AggregationMethod`` names how they sum gradients.

>>> import featherflow as tf
>>> tf.AggregationMethod.DEFAULT, tf.AggregationMethod.EXPERIMENTAL_TREE
(0, 1)
"""

from __future__ import annotations

from typing import Any

_EAGER = "tf.gradients is not supported when eager execution is enabled. Use tf.GradientTape instead."


class AggregationMethod:
    """How ``tf.gradients`` combines the gradients flowing into one tensor (``tf.AggregationMethod``)."""

    ADD_N = 0
    DEFAULT = ADD_N
    EXPERIMENTAL_TREE = 1
    EXPERIMENTAL_ACCUMULATE_N = 2


def gradients(ys: Any, xs: Any, grad_ys: Any = None, name: str = "gradients", gate_gradients: bool = False,
              aggregation_method: Any = None, stop_gradients: Any = None,
              unconnected_gradients: Any = "none") -> Any:
    """Graph-mode symbolic gradients: raises TF's eager RuntimeError (use ``tf.GradientTape``)."""
    raise RuntimeError(_EAGER)


def hessians(ys: Any, xs: Any, gate_gradients: bool = False, aggregation_method: Any = None,
             name: str = "hessians") -> Any:
    """Graph-mode symbolic Hessians: raises TF's eager RuntimeError (as ``tf.gradients``, which it calls)."""
    raise RuntimeError(_EAGER)
