"""CRC32C and TF's masking for checkpoints: the implementation lives in ``ops.io._crc`` (TFRecord files use it
too, and ops may not import from the state layer); this module keeps the checkpoint code's import path."""

from __future__ import annotations

from ..ops.io._crc import extend as extend
from ..ops.io._crc import mask as mask
from ..ops.io._crc import unmask as unmask
from ..ops.io._crc import value as value
