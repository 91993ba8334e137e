"""``tf.train``: checkpoints (``Checkpoint``, ``CheckpointManager``) and reading them back; the
``tf.train.Example`` protobuf messages (``Example``, ``Features``, ``Feature``, ...), loaded on first use;
``ExponentialMovingAverage``, ``Coordinator``, ``checkpoints_iterator``, the checkpoint views, and ``ClusterSpec`` with
the cluster messages (``ClusterDef``, ``JobDef``, ``ServerDef``, also loaded on first use).

>>> import featherflow as tf
>>> int(tf.train.Checkpoint(step=tf.Variable(1)).step)
1
"""

from ._lazy import lazy as _lazy
from .checkpoint import Checkpoint as Checkpoint
from .checkpoint import CheckpointManager as CheckpointManager
from .checkpoint import CheckpointOptions as CheckpointOptions
from .checkpoint import get_checkpoint_state as get_checkpoint_state
from .checkpoint import latest_checkpoint as latest_checkpoint
from .checkpoint import list_variables as list_variables
from .checkpoint import load_checkpoint as load_checkpoint
from .checkpoint import load_variable as load_variable

# Loaded on first access (PEP 562): ``import featherflow`` does not pay for them (the Example and cluster messages
# need protobuf, which ``import featherflow`` does not load).
_LAZY = {
    **{name: (".ops.io._protos", name) for name in ("BytesList", "Example", "Feature", "FeatureList", "FeatureLists",
                                                    "Features", "FloatList", "Int64List", "SequenceExample")},
    **{name: (".training._protos", name) for name in ("ClusterDef", "JobDef", "ServerDef")},
    "CheckpointView": (".training.checkpoint_view", "CheckpointView"),
    "ClusterSpec": (".training.server_lib", "ClusterSpec"),
    "Coordinator": (".training.coordinator", "Coordinator"),
    "ExponentialMovingAverage": (".training.moving_averages", "ExponentialMovingAverage"),
    "TrackableView": (".training.checkpoint_view", "TrackableView"),
    "checkpoints_iterator": (".training.checkpoint_utils", "checkpoints_iterator"),
}
__getattr__, __dir__ = _lazy(__name__, globals(), _LAZY)

