"""``tf.autograph`` (re-exports)."""

from . import _autograph_experimental as experimental
from ._autograph_impl import set_verbosity as set_verbosity
from ._autograph_impl import to_code as to_code
from ._autograph_impl import to_graph as to_graph
from ._autograph_impl import trace as trace

__all__ = ["experimental", "set_verbosity", "to_code", "to_graph", "trace"]
