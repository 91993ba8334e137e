"""``tensorflow.python.framework.tensor_util``: tensor protos and TF-type checks."""

from __future__ import annotations

from typing import Any

import featherflow as _tf
from featherflow.ops.tensor_util import make_ndarray as make_ndarray
from featherflow.ops.tensor_util import make_tensor_proto as make_tensor_proto


def is_tf_type(x: Any) -> bool:
    """Whether ``x`` is a Tensor, Variable or composite tensor (TF's ``tensor_util.is_tf_type``)."""
    return _tf.is_tensor(x)


is_tensor = is_tf_type


def constant_value(tensor: Any, partial: bool = False) -> Any:
    """The NumPy value of ``tensor`` (always known eagerly): ``tf.get_static_value``."""
    return _tf.get_static_value(tensor, partial=partial)
