"""``tensorflow.python.types.core``: the abstract types of TF values. ``Tensor`` here is the abstract class
that TF's eager tensors, symbolic tensors and variables all derive from (featherflow's ``AbstractTensor``); Keras's
TensorFlow backend mixes it into its own Variable class."""

from __future__ import annotations

from ....tensor import AbstractTensor as Tensor
from ....tensor import Tensor as _EagerTensor


class Value(Tensor):
    """A tensor with a concrete value (TF's ``types.core.Value``): featherflow's eager tensors."""


Value.register(_EagerTensor)

TensorLike = (Tensor, int, float, bool, str, bytes, complex, tuple, list)
