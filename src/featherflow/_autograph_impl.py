"""``tf.autograph``: featherflow runs every function as Python, eagerly, so there is no code to convert;
what stays observable is kept (``do_not_convert`` wraps, ``to_graph`` returns a function that computes what
the original does, ``trace`` prints, the verbosity is stored), and ``to_code``, which would show generated
graph code, is refused.

>>> import featherflow as tf
>>> @tf.autograph.experimental.do_not_convert
... def f(x):
...     return x + 1
>>> f(1)
2
"""

from __future__ import annotations

import enum
import functools
import os
import types
from typing import Any, Callable

_VERBOSITY: list = [None]  # set_verbosity's level; None: AUTOGRAPH_VERBOSITY from the environment, default 0
_ECHO: list = [False]


class Feature(enum.Enum):
    """The optional conversion features (``tf.autograph.experimental.Feature``)."""

    ALL = "ALL"
    AUTO_CONTROL_DEPS = "AUTO_CONTROL_DEPS"
    ASSERT_STATEMENTS = "ASSERT_STATEMENTS"
    BUILTIN_FUNCTIONS = "BUILTIN_FUNCTIONS"
    EQUALITY_OPERATORS = "EQUALITY_OPERATORS"
    LISTS = "LISTS"
    NAME_SCOPES = "NAME_SCOPES"


def _is_function(x: Any) -> bool:
    return isinstance(x, (types.FunctionType, types.MethodType))


def do_not_convert(func: Callable | None = None) -> Callable:
    """``func`` wrapped so that autograph leaves it as Python (``tf.autograph.experimental.do_not_convert``);
    without ``func``, the decorator itself."""
    if func is None:
        return do_not_convert

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return func(*args, **kwargs)

    if _is_function(func):
        wrapper = functools.update_wrapper(wrapper, func)
    wrapper.autograph_info__ = {}  # TF's mark of an autograph artifact
    return wrapper


def to_graph(entity: Callable, recursive: bool = True, experimental_optional_features: Any = None) -> Callable:
    """A function computing what ``entity`` does (``tf.autograph.to_graph``): TF's converted function, called
    eagerly, runs the same Python control flow on tensors, which is what ``entity`` does here."""
    if not _is_function(entity):
        raise NotImplementedError(f"tf.autograph.to_graph of {type(entity).__name__} objects is not supported: "
                                  "featherflow converts functions and methods only")

    @functools.wraps(entity)
    def converted(*args: Any, **kwargs: Any) -> Any:
        return entity(*args, **kwargs)

    return converted


def to_code(entity: Callable, recursive: bool = True, experimental_optional_features: Any = None) -> str:
    """Refused: featherflow runs functions eagerly and generates no graph code to show
    (``tf.autograph.to_code``)."""
    raise NotImplementedError("tf.autograph.to_code is not supported: featherflow runs functions eagerly and "
                              "generates no graph code")


def set_verbosity(level: int, alsologtostdout: bool = False) -> None:
    """Sets autograph's logging verbosity (``tf.autograph.set_verbosity``)."""
    _VERBOSITY[0] = level
    _ECHO[0] = alsologtostdout


def get_verbosity() -> int:
    """The verbosity set, else the ``AUTOGRAPH_VERBOSITY`` environment variable, else 0."""
    if _VERBOSITY[0] is not None:
        return _VERBOSITY[0]
    return int(os.getenv("AUTOGRAPH_VERBOSITY", 0))


def trace(*args: Any) -> None:
    """Prints ``args`` (``tf.autograph.trace``: eagerly, Python's print)."""
    print(*args)


def set_loop_options(parallel_iterations: Any = None, swap_memory: Any = None, maximum_iterations: Any = None,
                     shape_invariants: Any = None) -> None:
    """A directive for the loop autograph converts; eagerly there is none to tune, as in TF
    (``tf.autograph.experimental.set_loop_options``)."""
    return None
