"""``tf.nn.experimental`` (re-exports)."""

from .ops.nn.dropout import general_dropout as general_dropout
from .ops.nn.dropout import stateless_dropout as stateless_dropout

__all__ = ["general_dropout", "stateless_dropout"]
