"""``tf.experimental`` (re-exports): ``numpy`` and ``dlpack``, loaded on first access."""

from typing import Any

from ..extension_type import BatchableExtensionType as BatchableExtensionType
from ..extension_type import ExtensionType as ExtensionType
from ..extension_type import ExtensionTypeSpec as ExtensionTypeSpec
from ..ops.dispatch import dispatch_for_api as dispatch_for_api
from ..ops.dispatch import dispatch_for_binary_elementwise_apis as dispatch_for_binary_elementwise_apis
from ..ops.dispatch import dispatch_for_unary_elementwise_apis as dispatch_for_unary_elementwise_apis
from ..ops.ragged.dynamic_shape import DynamicRaggedShape as DynamicRaggedShape


def __getattr__(name: str) -> Any:
    # tnp and dlpack (ctypes) are imported on first use, so ``import featherflow`` does not pay for their modules
    if name in ("numpy", "dlpack", "dtensor"):
        import importlib

        return importlib.import_module(f".{name}", __name__)
    if name == "RowPartition":  # loaded with the ragged ops
        from ..ops.ragged.row_partition import RowPartition

        return RowPartition
    if name == "Optional":  # tf.data's, loaded with tf.data
        from ..data.iterator import Optional

        return Optional
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), "Optional", "RowPartition", "dlpack", "dtensor", "numpy"])
