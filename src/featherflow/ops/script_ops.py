"""``tf.py_function`` and ``tf.numpy_function`` in eager mode: the Python function runs at once, on Tensors
(``py_function``) or NumPy arrays (``numpy_function``). Ops the function runs on its Tensors are recorded on any
active tape, so gradients flow through ``py_function`` as TF's EagerPyFunc gradient gives them; a
``numpy_function``'s outputs have no gradient (TF's PyFunc is not differentiable). An exception in a
``py_function``'s function is raised as TF's kernel error for it (ValueError and TypeError:
InvalidArgumentError, ...); in a ``numpy_function``'s, it propagates unchanged, as in TF's eager mode.

>>> import featherflow as tf
>>> float(tf.py_function(lambda x: x * 2, [tf.constant(1.0)], Tout=tf.float32))
2.0
"""

from __future__ import annotations

import functools
from typing import Any, Callable

import numpy as np

from .. import _tape_hooks, errors
from ..tensor import convert_to_tensor
from .array.core import identity_op, op_error

_ERRORS = ((StopIteration, errors.OutOfRangeError), ((ValueError, TypeError), errors.InvalidArgumentError),
           (MemoryError, errors.ResourceExhaustedError), (NotImplementedError, errors.UnimplementedError))


def _kernel_error(op_name: str, node: str, e: BaseException) -> Exception:
    import traceback  # on first use: an error path

    cls = next((c for kinds, c in _ERRORS if isinstance(e, kinds)), errors.UnknownError)
    trace = "".join(traceback.format_exception(type(e), e, e.__traceback__))
    return op_error(op_name, f"{type(e).__name__}: {e}\n{trace}\n", name="", node=node, cls=cls)


def _flat_inputs(inp: Any) -> list:
    if inp is None:
        return []
    return list(inp) if isinstance(inp, (list, tuple)) else [inp]


def _decorator(fn: Callable, func: Any, inp: Any, Tout: Any, name: Any, **extra: Any) -> Any:  # noqa: N803
    if func is None:
        if Tout is None:
            raise TypeError("Missing required argument: 'Tout'\n  If using tf.py_function as a decorator, set "
                            "`Tout`\n  **by name** above the function:\n  `@tf.py_function(Tout=tout)`")
        return lambda f: functools.wraps(f)(lambda *args: fn(f, list(args), Tout, name, **extra))
    if Tout is None:
        raise TypeError("Missing required argument: 'Tout'\n  If using tf.py_function as a decorator, set `Tout`\n"
                        "  **by name** above the function:\n  `@tf.py_function(Tout=tout)`")
    return fn(func, inp, Tout, name, **extra)


def _refuse_trace() -> None:
    if _tape_hooks.tracing:  # TF runs the Python function at every call of a tf.function
        _tape_hooks.refuse("it calls a Python function through tf.py_function/tf.numpy_function")


def _py_function(func: Callable, inp: Any, Tout: Any, name: Any) -> Any:  # noqa: N803
    _refuse_trace()
    args = [convert_to_tensor(x) for x in _flat_inputs(inp)]
    many = isinstance(Tout, (list, tuple))
    touts = list(Tout) if many else [Tout]
    node = f"_Tin_{len(args)}_Tout_{len(touts)}"
    try:
        ret = func(*args)
        if ret is None:
            outs: list = []
        elif isinstance(ret, (list, tuple)):
            outs = [convert_to_tensor(v, dtype=d) for v, d in zip(ret, touts)]
        else:
            outs = [convert_to_tensor(ret, dtype=touts[0])]
    except Exception as e:
        raise _kernel_error("EagerPyFunc", node, e) from None
    if len(outs) != len(touts):
        raise op_error("EagerPyFunc", f"ValueError: Expected {len(touts)} values from the function, got "
                                      f"{len(outs)}", name="", node=node)
    # each output a Tensor of its own, recorded as a copy of what the function returned
    outs = [identity_op(t) for t in outs]
    return outs if many else outs[0]


def _numpy_function(func: Callable, inp: Any, Tout: Any, name: Any, stateful: bool = True) -> Any:  # noqa: N803
    _refuse_trace()
    # TF's eager path, line for line: the function's exceptions propagate unchanged, ``Tout`` is not applied,
    # and a single result comes back as a Tensor whatever ``Tout`` is
    from ..nest import flatten

    result = flatten(func(*[np.array(x) for x in _flat_inputs(inp)]))
    result = [x if x is None else convert_to_tensor(x) for x in result]
    if len(result) == 1:
        (result,) = result
    return result


def py_function(func: Callable | None = None, inp: Any = None, Tout: Any = None,  # noqa: N803 - TF's name
                name: str | None = None) -> Any:
    """Runs the Python function ``func`` on the Tensors ``inp``, its results converted to the dtypes ``Tout``.

    >>> import featherflow as tf
    >>> float(py_function(lambda a, b: a + b, [1.0, 2.0], Tout=tf.float32))
    3.0
    """
    return _decorator(_py_function, func, inp, Tout, name)


def numpy_function(func: Callable | None = None, inp: Any = None, Tout: Any = None,  # noqa: N803 - TF's name
                   stateful: bool = True, name: str | None = None) -> Any:
    """Runs the Python function ``func`` on the NumPy values of ``inp``; its results become Tensors.

    >>> import numpy as np
    >>> import featherflow as tf
    >>> numpy_function(lambda a: np.sort(a), [np.array([3, 1, 2], np.int32)], Tout=tf.int32).numpy()
    array([1, 2, 3], dtype=int32)
    """
    return _decorator(_numpy_function, func, inp, Tout, name, stateful=stateful)

