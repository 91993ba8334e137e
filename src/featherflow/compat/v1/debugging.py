"""``tf.compat.v1.debugging``: the ``tf.debugging`` functions TF 1 shares with TF 2 (TF 1's
``assert_integer``, ``assert_shapes`` and ``assert_type``, and those whose signature differs, are not here).

>>> import featherflow as tf
>>> tf.compat.v1.debugging.is_numeric_tensor(tf.constant(1))
True
"""

from ...debugging import Assert as Assert
from ...debugging import assert_proper_iterable as assert_proper_iterable
from ...debugging import assert_same_float_dtype as assert_same_float_dtype
from ...debugging import check_numerics as check_numerics
from ...debugging import disable_check_numerics as disable_check_numerics
from ...debugging import disable_traceback_filtering as disable_traceback_filtering
from ...debugging import enable_check_numerics as enable_check_numerics
from ...debugging import enable_traceback_filtering as enable_traceback_filtering
from ...debugging import get_log_device_placement as get_log_device_placement
from ...debugging import is_numeric_tensor as is_numeric_tensor
from ...debugging import is_traceback_filtering_enabled as is_traceback_filtering_enabled
from ...debugging import set_log_device_placement as set_log_device_placement
