"""``tf.experimental.dlpack`` (re-exports): tensors to DLPack capsules and back, sharing memory."""

from ..tensor_dlpack import from_dlpack as from_dlpack
from ..tensor_dlpack import to_dlpack as to_dlpack
