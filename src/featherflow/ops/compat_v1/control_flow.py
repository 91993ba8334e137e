"""``tf.compat.v1.cond`` (``fn1``/``fn2``, ``strict``) and ``tf.compat.v1.while_loop`` (``name`` before
``maximum_iterations``, ``return_same_structure``: one loop variable comes back bare unless it is set), as TF
runs them eagerly.

>>> from featherflow.ops.compat_v1.control_flow import while_loop
>>> int(while_loop(lambda i: i < 3, lambda i: i + 1, [0]))
3
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ... import nest
from ...shape import TensorShape
from ...tensor import Tensor, convert_to_tensor
from ...variable import Variable
from ..control_flow.cond import _cond
from ..control_flow.loops import _to_output, read_variables, spec_of


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
    if not callable(cond):
        raise TypeError("'cond' must be callable.")
    if not callable(body):
        raise TypeError("'body' must be callable.")
    if parallel_iterations < 1:
        raise TypeError("'parallel_iterations' must be a positive integer.")
    loop_vars = read_variables(loop_vars)
    if not loop_vars:
        raise ValueError("'loop_vars' must be provided.")
    try_to_pack = len(loop_vars) == 1 and not return_same_structure
    if maximum_iterations is not None:
        if isinstance(maximum_iterations, (Tensor, Variable)):
            maximum = convert_to_tensor(maximum_iterations).numpy()
        else:
            maximum = np.asarray(maximum_iterations)
        if maximum.ndim != 0:
            raise ValueError(f"'maximum_iterations' must be a scalar. Received shape: {TensorShape(maximum.shape)}")
        limit = int(maximum)
        inner_cond, inner_body = cond, body
        if try_to_pack:
            loop_vars = (0, loop_vars[0])

            def cond(i: int, lv: Any) -> Any:
                go = inner_cond(lv)
                return i < limit and go

            def body(i: int, lv: Any) -> Any:
                return (i + 1, inner_body(lv))
        else:
            loop_vars = (0, loop_vars)

            def cond(i: int, lv: Any) -> Any:
                go = inner_cond(*lv)
                return i < limit and go

            def body(i: int, lv: Any) -> Any:
                return (i + 1, inner_body(*lv))
        try_to_pack = False
    packed = False  # whether a body result was packed into a one-element tuple
    structure = nest.map_structure(spec_of, list(loop_vars))
    while cond(*loop_vars):
        loop_vars = body(*loop_vars)
        if try_to_pack and not isinstance(loop_vars, (list, tuple)):
            packed = True
            loop_vars = (loop_vars,)
        nest.assert_same_structure(structure, list(loop_vars))
    loop_vars = nest.map_structure(_to_output, loop_vars, expand_composites=True)
    if maximum_iterations is not None:
        return loop_vars[1]
    return loop_vars[0] if packed else loop_vars
