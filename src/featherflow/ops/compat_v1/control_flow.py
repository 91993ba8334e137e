"""``tf.compat.v1.cond`` (``fn1``/``fn2``, ``strict``) and ``tf.compat.v1.while_loop`` (``name`` before
``maximum_iterations``, ``return_same_structure``: one loop variable comes back bare unless it is set), as TF
runs them eagerly.

>>> from featherflow.ops.compat_v1.control_flow import while_loop
>>> int(while_loop(lambda i: i < 3, lambda i: i + 1, [0]))
3
"""

from __future__ import annotations

from typing import Any, Callable

from ..control_flow.cond import _cond
from ..control_flow.loops import while_loop as _while_loop


def cond(pred: Any, true_fn: Callable | None = None, false_fn: Callable | None = None, strict: bool = False,
         name: str | None = None, fn1: Callable | None = None, fn2: Callable | None = None) -> Any:
    """``true_fn()`` if ``pred`` holds, else ``false_fn()``; unless ``strict``, a one-element list or tuple
    result comes back as its element (``fn1``/``fn2``: the deprecated names of the branches)."""
    if fn1 is not None:
        if true_fn is not None:
            raise TypeError("cond(): 'true_fn' and 'fn1' may not be set simultaneously.")
        true_fn = fn1
    elif true_fn is None:
        raise TypeError("cond(): 'true_fn' argument required")
    if fn2 is not None:
        if false_fn is not None:
            raise TypeError("cond(): 'false_fn' and 'fn2' may not be set simultaneously.")
        false_fn = fn2
    elif false_fn is None:
        raise TypeError("cond(): 'false_fn' argument required")
    return _cond(pred, true_fn, false_fn, strict=strict, name=name)


def while_loop(cond: Callable, body: Callable, loop_vars: Any, shape_invariants: Any = None,
               parallel_iterations: int = 10, back_prop: bool = True, swap_memory: bool = False,
               name: str | None = None, maximum_iterations: Any = None, return_same_structure: bool = False) -> Any:
    """Repeats ``loop_vars = body(*loop_vars)`` while ``cond(*loop_vars)``, as TF 1's eager loop: a single loop
    variable whose ``body`` returns it bare comes back bare (unless ``return_same_structure``)."""
    try_to_pack = isinstance(loop_vars, (list, tuple)) and len(loop_vars) == 1 and not return_same_structure
    if not try_to_pack or not callable(body):
        return _while_loop(cond, body, loop_vars, shape_invariants, parallel_iterations, back_prop, swap_memory,
                           maximum_iterations, name)
    packed = []  # whether body returned its one loop variable bare
    kind = list if isinstance(loop_vars, list) else tuple

    def packing_body(*values: Any) -> Any:
        out = body(*values)
        if isinstance(out, (list, tuple)):
            return out
        packed.append(True)
        return kind((out,))

    result = _while_loop(cond, packing_body, loop_vars, shape_invariants, parallel_iterations, back_prop,
                         swap_memory, maximum_iterations, name)
    return result[0] if packed else result
