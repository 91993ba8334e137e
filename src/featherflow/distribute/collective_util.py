"""Options of cross-device collectives (``tf.distribute.experimental.CommunicationOptions`` and
``CommunicationImplementation``), with TF's validation.

>>> options = CommunicationOptions(timeout_seconds=30, implementation="ring")
>>> options.implementation
<CommunicationImplementation.RING: 'RING'>
"""

from __future__ import annotations

import copy
import enum
from typing import Any


class CommunicationImplementation(enum.Enum):
    """Cross-device communication implementation (``tf.distribute.experimental.CommunicationImplementation``):
    ``AUTO`` lets the runtime choose, ``RING`` is ring all-reduce over host buffers, ``NCCL`` is NCCL on GPUs."""

    AUTO = "AUTO"
    RING = "RING"
    NCCL = "NCCL"


CollectiveCommunication = CommunicationImplementation  # TF's older name for the same enum


class CommunicationOptions:
    """Options for cross-device communications like all-reduce
    (``tf.distribute.experimental.CommunicationOptions``).

    ``bytes_per_pack`` splits gradients into packs of about that many bytes (0: no splitting);
    ``timeout_seconds`` makes a collective that takes longer raise ``tf.errors.DeadlineExceededError``
    (None or 0: no timeout); ``implementation`` is a ``CommunicationImplementation`` or its name.
    """

    def __init__(self, bytes_per_pack: int = 0, timeout_seconds: float | None = None,
                 implementation: Any = CommunicationImplementation.AUTO) -> None:
        if bytes_per_pack < 0:
            raise ValueError(f"Argument `bytes_per_pack` must be >=0, Received {bytes_per_pack}.")
        if isinstance(implementation, str):
            implementation = CommunicationImplementation(implementation.upper())
        if not isinstance(implementation, CommunicationImplementation):
            raise ValueError("Argument `implementation` must be instance of "
                             "`tf.distribute.experimental.CommunicationImplementation`.")
        self.bytes_per_pack = bytes_per_pack
        self.timeout_seconds = timeout_seconds
        self.implementation = implementation

    def merge(self, options: CommunicationOptions | None) -> CommunicationOptions:
        """A copy of these options with the non-default values of ``options`` taking precedence."""
        merged = copy.deepcopy(self)
        if options is None:
            return merged
        if options.bytes_per_pack != 0:
            merged.bytes_per_pack = options.bytes_per_pack
        if options.timeout_seconds is not None:
            merged.timeout_seconds = options.timeout_seconds
        if options.implementation != CommunicationImplementation.AUTO:
            merged.implementation = options.implementation
        return merged

    def __str__(self) -> str:
        return (f"Options(bytes_per_pack={self.bytes_per_pack},"
                f"timeout_seconds={self.timeout_seconds}, "
                f"implementation={self.implementation})")
