"""``tf.sets`` (re-exports)."""

from .ops.sets import difference as difference
from .ops.sets import intersection as intersection
from .ops.sets import size as size
from .ops.sets import union as union
