"""TensorFlow-format checkpoints (``tf.train.Checkpoint``); the low-level tensor bundle lives in ``bundle``."""

from typing import Any

from ..shape import TensorShape
from .checkpoint import Checkpoint as Checkpoint
from .checkpoint import CheckpointLoadStatus as CheckpointLoadStatus
from .checkpoint import CheckpointOptions as CheckpointOptions
from .checkpoint import InitializationOnlyStatus as InitializationOnlyStatus
from .manager import CheckpointManager as CheckpointManager
from .manager import get_checkpoint_state as get_checkpoint_state
from .manager import latest_checkpoint as latest_checkpoint
from .reader import CheckpointReader as CheckpointReader
from .reader import list_variables as list_variables
from .reader import load_checkpoint as load_checkpoint
from .reader import load_variable as load_variable


def _tensor_shape_proto(dims: tuple | None) -> Any:
    """A ``TensorShapeProto`` of a TensorShape's dims (None: unknown rank), for ``TensorShape.as_proto``."""
    from . import _protos  # protobuf: loaded on first use

    proto = _protos.TensorShapeProto()
    if dims is None:
        proto.unknown_rank = True
    else:
        for d in dims:
            proto.dim.add(size=-1 if d is None else d)
    return proto


# TensorShapeProto is a checkpoint proto, and shape sits at the bottom of the layers: it gets the builder here.
TensorShape._proto_builder = staticmethod(_tensor_shape_proto)
