"""``tf.debugging.experimental`` (re-exports)."""

from .ops.debugging.debug_modes import disable_dump_debug_info as disable_dump_debug_info
from .ops.debugging.debug_modes import enable_dump_debug_info as enable_dump_debug_info
