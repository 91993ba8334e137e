"""``tf.debugging`` (re-exports)."""

from . import _debugging_experimental as experimental  # noqa: F401 - TF's name
from .device import get_log_device_placement as get_log_device_placement
from .device import set_log_device_placement as set_log_device_placement
from .ops.debugging.checks import Assert as Assert
from .ops.debugging.checks import assert_all_finite as assert_all_finite
from .ops.debugging.checks import assert_equal as assert_equal
from .ops.debugging.checks import assert_greater as assert_greater
from .ops.debugging.checks import assert_greater_equal as assert_greater_equal
from .ops.debugging.checks import assert_integer as assert_integer
from .ops.debugging.checks import assert_less as assert_less
from .ops.debugging.checks import assert_less_equal as assert_less_equal
from .ops.debugging.checks import assert_near as assert_near
from .ops.debugging.checks import assert_negative as assert_negative
from .ops.debugging.checks import assert_non_negative as assert_non_negative
from .ops.debugging.checks import assert_non_positive as assert_non_positive
from .ops.debugging.checks import assert_none_equal as assert_none_equal
from .ops.debugging.checks import assert_positive as assert_positive
from .ops.debugging.checks import assert_proper_iterable as assert_proper_iterable
from .ops.debugging.checks import assert_rank as assert_rank
from .ops.debugging.checks import assert_rank_at_least as assert_rank_at_least
from .ops.debugging.checks import assert_rank_in as assert_rank_in
from .ops.debugging.checks import assert_scalar as assert_scalar
from .ops.debugging.checks import assert_shapes as assert_shapes
from .ops.debugging.checks import assert_type as assert_type
from .ops.debugging.checks import check_numerics as check_numerics
from .ops.debugging.checks import is_numeric_tensor as is_numeric_tensor
from .ops.debugging.debug_modes import disable_traceback_filtering as disable_traceback_filtering
from .ops.debugging.debug_modes import enable_traceback_filtering as enable_traceback_filtering
from .ops.debugging.debug_modes import is_traceback_filtering_enabled as is_traceback_filtering_enabled
from .ops.debugging.float_dtype import assert_same_float_dtype as assert_same_float_dtype
from .ops.debugging.numerics_mode import disable_check_numerics as disable_check_numerics
from .ops.debugging.numerics_mode import enable_check_numerics as enable_check_numerics
