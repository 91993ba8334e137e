"""``tf.bitwise`` (re-exports)."""

from .ops.math.api import bitwise_and as bitwise_and
from .ops.math.api import bitwise_or as bitwise_or
from .ops.math.api import bitwise_xor as bitwise_xor
from .ops.math.api import invert as invert
from .ops.math.api import left_shift as left_shift
from .ops.math.api import right_shift as right_shift
