"""What ``tf.test`` and ``tf.sysconfig`` say about this build: featherflow's "CUDA build" is its CuPy backend
(installed with the ``gpu`` extra); it has no ROCm, TensorRT or XLA.

>>> import featherflow as tf
>>> tf.test.is_built_with_rocm(), tf.sysconfig.get_build_info()["is_rocm_build"]
(False, False)
"""

from __future__ import annotations

import collections
import importlib.util
from typing import Any

from ._config_deprecated import _deprecated
from .device_config import get_device_details, list_logical_devices, list_physical_devices


def is_built_with_cuda() -> bool:
    """Whether featherflow can run on NVIDIA GPUs here: its CuPy backend is installed."""
    return importlib.util.find_spec("cupy") is not None


def is_built_with_gpu_support() -> bool:
    return is_built_with_cuda()


def is_built_with_rocm() -> bool:
    return False


def is_built_with_xla() -> bool:
    return False


def gpu_device_name() -> str:
    """The name of the first GPU (``/device:GPU:0``), or ``''`` without one."""
    gpus = list_logical_devices("GPU")
    return gpus[0].name if gpus else ""


def is_gpu_available(cuda_only: bool = False, min_cuda_compute_capability: tuple | None = None) -> bool:
    """Deprecated (``tf.config.list_physical_devices('GPU')``): whether a GPU (of at least that compute
    capability) is there."""
    _deprecated("is_gpu_available", "tensorflow.python.framework.test_util",
                "Use `tf.config.list_physical_devices('GPU')` instead.")

    for gpu in list_physical_devices("GPU"):
        capability = get_device_details(gpu).get("compute_capability")
        if min_cuda_compute_capability is None or (capability and capability >= tuple(min_cuda_compute_capability)):
            return True
    return False


def get_build_info() -> collections.OrderedDict:
    """``tf.sysconfig.get_build_info()``: what this build supports."""
    return collections.OrderedDict([("is_cuda_build", is_built_with_cuda()), ("is_rocm_build", False),
                                    ("is_tensorrt_build", False)])


def main(argv: Any = None) -> None:
    """Runs the test cases of ``__main__`` (``tf.test.main``)."""
    import unittest

    unittest.main(argv=argv)
