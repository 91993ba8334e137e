"""``tf.while_loop`` as TF runs it eagerly: a Python loop over ``body`` while ``cond`` holds, checking each
iteration's structure against the loop variables', so the tape records every iteration's ops.

>>> import featherflow as tf
>>> float(tf.while_loop(lambda i, x: i < 3, lambda i, x: (i + 1, x * 2), [0, 1.0])[1])
8.0
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ... import nest
from ...device import device_scope
from ...shape import TensorShape
from ...tensor import Tensor, convert_to_tensor
from ...tensor_spec import TensorSpec
from ...variable import Variable
from .tensor_array import TensorArray, TensorArraySpec


def read_variables(values: Any) -> Any:
    """``values`` with each Variable read into a Tensor (TF's ``convert_variables_to_tensors``)."""
    return nest.map_structure(lambda x: convert_to_tensor(x) if isinstance(x, Variable) else x, values)


class _NoneSpec:
    """A None loop variable's place in the structure (TF's NoneTensorSpec); converting it fails at the end."""

    __slots__ = ()


def spec_of(value: Any) -> Any:
    """The type spec of a loop variable (TF's ``type_spec_from_value``), a leaf of the structure checks."""
    if isinstance(value, Tensor):
        return TensorSpec(value.shape, value.dtype)
    if isinstance(value, TensorArray):
        return TensorArraySpec.from_value(value)
    if value is None:
        return _NoneSpec()
    spec = getattr(value, "_type_spec", None)  # a RaggedTensor, SparseTensor...
    if spec is not None:
        return spec
    try:
        with device_scope("CPU:0"):  # a Python value's spec needs no copy to an accelerator
            t = convert_to_tensor(value)
    except (TypeError, ValueError):
        raise TypeError(f"Could not build a TypeSpec for {value!r} of unsupported type {type(value)}.") from None
    return TensorSpec(t.shape, t.dtype)


def _to_output(x: Any) -> Any:
    if isinstance(x, TensorArray) or hasattr(type(x), "_type_spec"):
        return x  # a TensorArray or a composite value (a RaggedTensor, a tf.experimental.Optional) stays itself
    return convert_to_tensor(x)


def while_loop(cond: Callable, body: Callable, loop_vars: Any, shape_invariants: Any = None,
               parallel_iterations: int = 10, back_prop: bool = True, swap_memory: bool = False,
               maximum_iterations: Any = None, name: str | None = None) -> Any:
    """Repeats ``loop_vars = body(*loop_vars)`` while ``cond(*loop_vars)`` (``tf.while_loop``).

    The result has ``body``'s structure, its values converted to tensors (TensorArrays stay). Eagerly TF
    checks no ``shape_invariants`` (a loop variable may change shape), and ``parallel_iterations``,
    ``back_prop`` and ``swap_memory`` change nothing; so here.
    """
    if not callable(cond):
        raise TypeError("'cond' must be callable.")
    if not callable(body):
        raise TypeError("'body' must be callable.")
    if parallel_iterations < 1:
        raise TypeError("'parallel_iterations' must be a positive integer.")
    loop_vars = read_variables(loop_vars)
    if not loop_vars:
        raise ValueError("'loop_vars' must be provided.")
    if maximum_iterations is not None:
        # read on the host, as TF does eagerly (a Python number is never uploaded)
        if isinstance(maximum_iterations, (Tensor, Variable)):
            maximum = convert_to_tensor(maximum_iterations).numpy()
        else:
            maximum = np.asarray(maximum_iterations)
        if maximum.ndim != 0:
            raise ValueError(f"'maximum_iterations' must be a scalar. Received shape: {TensorShape(maximum.shape)}")
        limit = int(maximum)
        inner_cond, inner_body = cond, body

        def cond(i: int, lv: Any) -> Any:
            go = inner_cond(*lv)  # TF evaluates it at every test, the last one too
            return i < limit and go

        def body(i: int, lv: Any) -> Any:
            return (i + 1, inner_body(*lv))

        loop_vars = (0, loop_vars)
    structure = nest.map_structure(spec_of, list(loop_vars))
    while cond(*loop_vars):
        loop_vars = body(*loop_vars)
        nest.assert_same_structure(structure, list(loop_vars))
    if maximum_iterations is not None:
        return nest.map_structure(_to_output, loop_vars[1])  # (the counter is dropped: never converted)
    return nest.map_structure(_to_output, loop_vars)
