"""``tf.experimental.dlpack``: tensors to DLPack capsules and back, sharing memory.

>>> import numpy as np
>>> import featherflow as tf
>>> t = tf.constant([1.0, 2.0])
>>> np.from_dlpack(t).tolist()
[1.0, 2.0]
>>> from_dlpack(to_dlpack(t)).numpy().tolist()
[1.0, 2.0]
"""

from __future__ import annotations

from typing import Any

from .backends import dlpack as _dlpack
from .device import CPU as _CPU
from .device import Device as _Device
from .device import gpus as _gpus
from .errors import InvalidArgumentError
from .tensor import Tensor, _make


def to_dlpack(tf_tensor: Any) -> Any:
    """A PyCapsule named "dltensor" sharing the tensor's memory, consumable once (``tf.experimental.dlpack.to_dlpack``)."""
    if not isinstance(tf_tensor, Tensor):  # as TF: a Variable or a NumPy array is refused, not converted
        raise InvalidArgumentError(None, None, "The argument to `to_dlpack` must be a TF tensor, not Python object")
    return tf_tensor.__dlpack__()


def from_dlpack(dlcapsule: Any) -> Tensor:
    """The tensor sharing the memory of a DLPack capsule, or of any object with ``__dlpack__`` (NumPy, PyTorch,
    CuPy, JAX arrays), on its device (``tf.experimental.dlpack.from_dlpack``)."""
    if _dlpack.is_capsule(dlcapsule):
        array = _dlpack.host_or_none(dlcapsule)
        if array is not None:
            return _make(array, _CPU)
        capsule = dlcapsule
    elif hasattr(type(dlcapsule), "__dlpack__"):
        kind, index = dlcapsule.__dlpack_device__()
        if kind == _dlpack.CPU:
            array = _dlpack.host_or_none(dlcapsule)
            if array is not None:
                return _make(array, _CPU)
            capsule = _dlpack.take(dlcapsule, None)
        else:
            capsule = _dlpack.take(dlcapsule, _dlpack.consumer_stream(_device_of(int(kind), int(index)).xp))
    else:  # TF's binding takes capsules only: its error
        raise TypeError("TFE_FromDlpackCapsule(): incompatible function arguments. The following argument types are "
                        "supported:\n    1. (arg0: capsule, arg1: object) -> object\n\nInvoked with: "
                        f"{dlcapsule!r}")
    t = _dlpack.checked(capsule)
    kind, index = t.device.device_type, t.device.device_id
    if kind == _dlpack.CPU:
        return _make(_dlpack.to_host(capsule, t), _CPU)
    dev = _device_of(kind, index)
    with dev.activate():
        array = dev.xp.from_dlpack(_dlpack.Exporter(capsule, (kind, index)))
    return _make(array, dev)


def _device_of(kind: int, index: int) -> _Device:
    """The featherflow device of a DLPack device: TF's CPU:0 for host memory, GPU:index for a card."""
    if kind == _dlpack.CPU:
        return _CPU
    gpus = _gpus()
    if kind not in (_dlpack.CUDA, _dlpack.ROCM):
        raise InvalidArgumentError(None, None, "Unsupported Device Type")
    if index >= len(gpus):
        raise InvalidArgumentError(None, None, f"GPU:{index} unknown device.")
    return gpus[index]
