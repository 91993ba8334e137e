"""``tf.compat.v1.train``: the ``tf.train`` names TF 1 shares with TF 2 (TF 1's optimizers, Saver and
sessions are graph-mode and not here).

>>> import featherflow as tf
>>> tf.compat.v1.train.latest_checkpoint is tf.train.latest_checkpoint
True
"""

from ...io import match_filenames_once as match_filenames_once
from ...train import BytesList as BytesList
from ...train import CheckpointManager as CheckpointManager
from ...train import CheckpointOptions as CheckpointOptions
from ...train import ClusterDef as ClusterDef
from ...train import ClusterSpec as ClusterSpec
from ...train import Coordinator as Coordinator
from ...train import Example as Example
from ...train import ExponentialMovingAverage as ExponentialMovingAverage
from ...train import Feature as Feature
from ...train import FeatureList as FeatureList
from ...train import FeatureLists as FeatureLists
from ...train import Features as Features
from ...train import FloatList as FloatList
from ...train import Int64List as Int64List
from ...train import JobDef as JobDef
from ...train import SequenceExample as SequenceExample
from ...train import ServerDef as ServerDef
from ...train import checkpoints_iterator as checkpoints_iterator
from ...train import get_checkpoint_state as get_checkpoint_state
from ...train import latest_checkpoint as latest_checkpoint
from ...train import list_variables as list_variables
from ...train import load_checkpoint as load_checkpoint
from ...train import load_variable as load_variable
