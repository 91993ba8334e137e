"""A pytest plugin that runs a test suite written for TensorFlow (Keras's own tests, a project's tests) on
featherflow: before any test module is imported it makes ``import tensorflow`` resolve to featherflow
(:func:`featherflow.use_as_tensorflow`) and selects Keras's TensorFlow backend (``KERAS_BACKEND=tensorflow``).

Load it by name on the command line, before any other plugin that imports TensorFlow or Keras::

    python -m pytest -p featherflow._tensorflow.pytest_plugin path/to/dense_test.py

In a test run it does its work in ``pytest_configure`` (first among the plugins' ``pytest_configure``):

>>> import featherflow as ff
>>> from featherflow._tensorflow import pytest_plugin
>>> pytest_plugin.install()
>>> import sys; sys.modules["tensorflow"] is sys.modules["featherflow._tensorflow"]
True
"""

from __future__ import annotations

import os
from typing import Any

import pytest


def install() -> None:
    """Selects Keras's TensorFlow backend and makes ``tensorflow`` featherflow for this process (refused, with
    :func:`featherflow.use_as_tensorflow`'s error, when real TensorFlow is already imported)."""
    os.environ["KERAS_BACKEND"] = "tensorflow"
    from featherflow._tensorflow import use_as_tensorflow

    use_as_tensorflow()


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: Any) -> None:
    install()


def pytest_report_header(config: Any) -> str:
    return "tensorflow: featherflow (featherflow._tensorflow.pytest_plugin), KERAS_BACKEND=tensorflow"
