"""``tf.distribute`` (re-exports): strategies, replica contexts, distributed values and inputs.

>>> import featherflow as tf
>>> strategy = tf.distribute.OneDeviceStrategy("/cpu:0")
>>> with strategy.scope():
...     v = tf.Variable(2.0)
>>> strategy.run(lambda: v * 3).numpy()
np.float32(6.0)
"""

from . import cluster_resolver as cluster_resolver
from . import default_strategy as _default_strategy  # noqa: F401 - registers the default strategy
from . import experimental as experimental
from .collective_all_reduce_strategy import MultiWorkerMirroredStrategy as MultiWorkerMirroredStrategy
from .context import experimental_set_strategy as experimental_set_strategy
from .context import get_replica_context as get_replica_context
from .context import get_strategy as get_strategy
from .context import has_strategy as has_strategy
from .context import in_cross_replica_context as in_cross_replica_context
from .cross_device_ops import CrossDeviceOps as CrossDeviceOps
from .cross_device_ops import HierarchicalCopyAllReduce as HierarchicalCopyAllReduce
from .cross_device_ops import NcclAllReduce as NcclAllReduce
from .cross_device_ops import ReductionToOneDevice as ReductionToOneDevice
from .input_context import InputContext as InputContext
from .input_context import InputOptions as InputOptions
from .input_context import InputReplicationMode as InputReplicationMode
from .input_context import RunOptions as RunOptions
from .input_lib import DistributedDataset as DistributedDataset
from .input_lib import DistributedIterator as DistributedIterator
from .mirrored_strategy import MirroredStrategy as MirroredStrategy
from .one_device_strategy import OneDeviceStrategy as OneDeviceStrategy
from .reduce_util import ReduceOp as ReduceOp
from .replica_context import ReplicaContext as ReplicaContext
from .strategy import Strategy as Strategy
from .strategy import StrategyExtended as StrategyExtended
from .tpu_strategy import TPUStrategy as TPUStrategy
from .values import DistributedValues as DistributedValues
