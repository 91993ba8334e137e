"""``tf.data.experimental`` (re-exports)."""

from .dataset import AUTOTUNE as AUTOTUNE
from .dataset import INFINITE_CARDINALITY as INFINITE_CARDINALITY
from .dataset import UNKNOWN_CARDINALITY as UNKNOWN_CARDINALITY
from .dataset import cardinality as cardinality
from .experimental_ragged import dense_to_ragged_batch as dense_to_ragged_batch
