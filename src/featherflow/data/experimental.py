"""``tf.data.experimental`` (re-exports)."""

from .dataset import AUTOTUNE as AUTOTUNE
from .dataset import INFINITE_CARDINALITY as INFINITE_CARDINALITY
from .dataset import UNKNOWN_CARDINALITY as UNKNOWN_CARDINALITY
from .dataset import cardinality as cardinality
from .experimental_ragged import dense_to_ragged_batch as dense_to_ragged_batch
from .iterator import Optional as Optional
from .iterator import get_next_as_optional as get_next_as_optional
from .options import AutoShardPolicy as AutoShardPolicy
from .options import AutotuneAlgorithm as AutotuneAlgorithm
from .options import AutotuneOptions as AutotuneOptions
from .options import DistributeOptions as DistributeOptions
from .options import ExternalStatePolicy as ExternalStatePolicy
from .options import OptimizationOptions as OptimizationOptions
from .options import ServiceOptions as ServiceOptions
from .options import ThreadingOptions as ThreadingOptions
