"""``tf.type_spec_from_value``: the TypeSpec of a value (a Tensor's ``TensorSpec``, a composite tensor's own
spec, the spec of what a Python or NumPy value converts to).

>>> import featherflow as tf
>>> tf.type_spec_from_value([1.0, 2.0])
TensorSpec(shape=(2,), dtype=tf.float32, name=None)
"""

from __future__ import annotations

from typing import Any

from ..tensor import convert_to_tensor
from ..tensor_spec import TensorSpec


def type_spec_from_value(element: Any) -> Any:
    """The TypeSpec describing ``element``; TypeError for a value no spec describes."""
    spec = getattr(element, "_type_spec", None)
    if spec is not None:
        return spec
    if element is None:
        from .none_tensor import NoneTensorSpec

        return NoneTensorSpec()
    if hasattr(element, "assign") and hasattr(element, "trainable"):
        # TF gives a VariableSpec, which featherflow does not have
        raise NotImplementedError("type_spec_from_value of a tf.Variable (VariableSpec) is not supported")
    try:
        t = convert_to_tensor(element)
    except (TypeError, ValueError):
        raise TypeError(f"Could not build a TypeSpec for {element!r} of unsupported type {type(element)}.") from None
    return TensorSpec(t.shape, t.dtype)
