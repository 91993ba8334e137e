"""``tf.name_scope``: the stack of name scopes that prefixes the names of variables and modules.

>>> import featherflow as tf
>>> with tf.name_scope("dense"):
...     tf.Variable(1.0, name="kernel").name
'dense/kernel:0'
"""

from __future__ import annotations

import threading
from typing import Any


class _Stack(threading.local):
    def __init__(self) -> None:
        self.prefix = ""  # "" or "a/b/"


_stack = _Stack()


def current_prefix() -> str:
    """The name scope in force, as a prefix: "" or "outer/inner/"."""
    return _stack.prefix


def get_current_name_scope() -> str:
    """``tf.get_current_name_scope()``: the name scope in force, "" or "outer/inner"."""
    return _stack.prefix[:-1] if _stack.prefix else ""


class name_scope:
    """``tf.name_scope(name)``: a context manager that opens a name scope for the names made inside.

    In eager mode TF does not uniquify scope names; a name ending in "/" is used as the absolute scope.
    """

    __slots__ = ("_name", "_saved")

    def __init__(self, name: Any) -> None:
        if not isinstance(name, str):  # eager TF checks nothing else: any string is a scope name
            raise ValueError("name for name_scope must be a string.")
        self._name = name
        self._saved = ""

    @property
    def name(self) -> str:
        return self._name

    def __enter__(self) -> str:
        self._saved = _stack.prefix
        if not self._name:
            scope = ""
        elif self._name.endswith("/"):
            scope = self._name
        else:
            scope = self._saved + self._name + "/"
        _stack.prefix = scope
        return scope

    def __exit__(self, *exc: Any) -> None:
        _stack.prefix = self._saved
