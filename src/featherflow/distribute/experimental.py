"""``tf.distribute.experimental`` (re-exports).

>>> import featherflow as tf
>>> tf.distribute.experimental.CommunicationOptions(implementation="nccl").implementation
<CommunicationImplementation.NCCL: 'NCCL'>
"""

from .central_storage_strategy import CentralStorageStrategy as CentralStorageStrategy
from .collective_all_reduce_strategy import (
    _CollectiveAllReduceStrategyExperimental as MultiWorkerMirroredStrategy,  # noqa: F401 - TF's name
)
from .collective_util import CollectiveCommunication as CollectiveCommunication
from .collective_util import CommunicationImplementation as CommunicationImplementation
from .collective_util import CommunicationOptions as CommunicationOptions
from .input_context import ValueContext as ValueContext
from .tpu_strategy import TPUStrategyV1 as TPUStrategy  # noqa: F401 - TF's name
