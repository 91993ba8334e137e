"""TF 1.x's functions as eager TF 2.21 runs them (``tf.compat.v1``): the ones whose v1 signature or behaviour
differs from v2's (argument order, ``name`` positions, deprecated aliases such as ``fn1``/``fn2``), as thin
wrappers over featherflow's v2 functions; the collections of the default graph; the refusals of graph mode.

>>> from featherflow.ops.compat_v1.array import pad
>>> pad([[1, 2]], [[1, 1], [0, 0]], "CONSTANT", "p", 5).numpy().tolist()
[[5, 5], [1, 2], [5, 5]]
"""

from __future__ import annotations

from typing import Any


def deprecated_argument_lookup(new_name: str, new_value: Any, old_name: str, old_value: Any) -> Any:
    """The value of an argument that has an old (deprecated) name and a new one; both given is TF's ValueError."""
    if old_value is not None:
        if new_value is not None:
            raise ValueError(f"Cannot specify both '{old_name}' and '{new_name}'.")
        return old_value
    return new_value
