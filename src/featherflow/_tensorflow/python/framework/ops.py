"""``tensorflow.python.framework.ops``: the tensor classes (featherflow's eager ``Tensor`` is TF's
``EagerTensor``)."""

from ....tensor import Tensor as Tensor
from ....tensor import convert_to_tensor as convert_to_tensor

EagerTensor = Tensor
