"""``tf.distribute.TPUStrategy``: the class exists (Keras checks ``isinstance(strategy, TPUStrategy)`` on every
``fit``), and constructing it fails as TF's does on a machine without TPUs: featherflow runs on CPUs and
NVIDIA GPUs only.

>>> import featherflow as tf
>>> isinstance(tf.distribute.get_strategy(), tf.distribute.TPUStrategy)
False
"""

from __future__ import annotations

from typing import Any

from .strategy import Strategy


def _no_tpu(tpu_cluster_resolver: Any) -> None:
    if tpu_cluster_resolver is None:  # TF looks for a TPU name in the environment, and finds none
        raise ValueError("Please provide a TPU Name to connect to.")
    raise ValueError(f"No TPU devices found for {tpu_cluster_resolver!r}: featherflow runs on CPUs and NVIDIA GPUs")


class TPUStrategy(Strategy):
    """Synchronous training on TPUs (``tf.distribute.TPUStrategy``); no machine featherflow runs on has them."""

    def __init__(self, tpu_cluster_resolver: Any = None, experimental_device_assignment: Any = None,
                 experimental_spmd_xla_partitioning: bool = False) -> None:
        _no_tpu(tpu_cluster_resolver)


class TPUStrategyV1(Strategy):
    """``tf.distribute.experimental.TPUStrategy``: TF's older TPU strategy class."""

    def __init__(self, tpu_cluster_resolver: Any = None, device_assignment: Any = None) -> None:
        _no_tpu(tpu_cluster_resolver)
