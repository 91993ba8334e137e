"""tf.test's and tf.sysconfig's answers about the build, against TF's (a CPU build) where featherflow runs
without CuPy and GPUs."""

from __future__ import annotations

import importlib.util

import pytest

import featherflow as ff


@pytest.mark.skipif(importlib.util.find_spec("cupy") is not None, reason="a CUDA build answers otherwise")
def test_a_cpu_build_answers_as_tensorflow_cpu(tf_oracle) -> None:
    names = ("is_built_with_cuda", "is_built_with_gpu_support", "is_built_with_rocm", "is_built_with_xla")
    ours = [getattr(ff.test, n)() for n in names[:3]] + [ff.sysconfig.get_build_info()]
    theirs = [getattr(tf_oracle.test, n)() for n in names[:3]] + [tf_oracle.sysconfig.get_build_info()]
    assert ours == theirs
    assert ff.test.is_built_with_xla() is False  # TF's CPU wheel has XLA; featherflow compiles nothing


def test_gpu_queries_follow_the_devices(tf_oracle) -> None:
    expected_name = "/device:GPU:0" if ff.config.list_logical_devices("GPU") else ""
    assert ff.test.gpu_device_name() == expected_name
    assert ff.test.is_gpu_available() == bool(ff.config.list_physical_devices("GPU"))
