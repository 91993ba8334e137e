"""``tf.train``: checkpoints (``Checkpoint``, ``CheckpointManager``) and reading them back; the
``tf.train.Example`` protobuf messages (``Example``, ``Features``, ``Feature``, ...), loaded on first use.

>>> import featherflow as tf
>>> int(tf.train.Checkpoint(step=tf.Variable(1)).step)
1
"""

from .checkpoint import Checkpoint as Checkpoint
from .checkpoint import CheckpointManager as CheckpointManager
from .checkpoint import CheckpointOptions as CheckpointOptions
from .checkpoint import get_checkpoint_state as get_checkpoint_state
from .checkpoint import latest_checkpoint as latest_checkpoint
from .checkpoint import list_variables as list_variables
from .checkpoint import load_checkpoint as load_checkpoint
from .checkpoint import load_variable as load_variable

# The Example messages need protobuf, which ``import featherflow`` does not load: they are found on first use.
_EXAMPLE_PROTOS = ("BytesList", "Example", "Feature", "FeatureList", "FeatureLists", "Features", "FloatList",
                   "Int64List", "SequenceExample")


def __getattr__(name: str) -> object:
    if name in _EXAMPLE_PROTOS:
        from .ops.io import _protos

        return getattr(_protos, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
