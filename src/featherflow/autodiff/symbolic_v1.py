"""``tf.compat.v1.gradients`` and ``tf.compat.v1.hessians``: TF 1's signatures (``colocate_gradients_with_ops``,
``name`` earlier) over ``tf.gradients`` and ``tf.hessians``, which raise TF's eager RuntimeError.

>>> import featherflow as tf
>>> try:
...     gradients(tf.constant(1.0), tf.constant(2.0), colocate_gradients_with_ops=True)
... except RuntimeError as e:
...     print(e)
tf.gradients is not supported when eager execution is enabled. Use tf.GradientTape instead.
"""

from __future__ import annotations

from typing import Any

from . import symbolic as _symbolic


def gradients(ys: Any, xs: Any, grad_ys: Any = None, name: str = "gradients", colocate_gradients_with_ops: bool = False,
              gate_gradients: bool = False, aggregation_method: Any = None, stop_gradients: Any = None,
              unconnected_gradients: Any = "none") -> Any:
    """``tf.gradients`` with TF 1's ``colocate_gradients_with_ops``."""
    return _symbolic.gradients(ys, xs, grad_ys, name, gate_gradients, aggregation_method, stop_gradients,
                               unconnected_gradients)


def hessians(ys: Any, xs: Any, name: str = "hessians", colocate_gradients_with_ops: bool = False,
             gate_gradients: bool = False, aggregation_method: Any = None) -> Any:
    """``tf.hessians`` with TF 1's argument order."""
    return _symbolic.hessians(ys, xs, gate_gradients, aggregation_method, name)
