"""``tf.compat.v1.bitwise``: ``tf.bitwise``.

>>> import featherflow as tf
>>> int(tf.compat.v1.bitwise.bitwise_and(12, 10))
8
"""

from ...bitwise import bitwise_and as bitwise_and
from ...bitwise import bitwise_or as bitwise_or
from ...bitwise import bitwise_xor as bitwise_xor
from ...bitwise import invert as invert
from ...bitwise import left_shift as left_shift
from ...bitwise import right_shift as right_shift
