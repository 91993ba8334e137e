"""``tf.autograph.experimental`` (re-exports)."""

from ._autograph_impl import Feature as Feature
from ._autograph_impl import do_not_convert as do_not_convert
from ._autograph_impl import set_loop_options as set_loop_options
