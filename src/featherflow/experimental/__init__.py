"""``tf.experimental`` (re-exports): ``numpy``, loaded on first access."""

from typing import Any

from ..data.iterator import Optional as Optional
from ..ops.dispatch import dispatch_for_api as dispatch_for_api
from ..ops.dispatch import dispatch_for_binary_elementwise_apis as dispatch_for_binary_elementwise_apis
from ..ops.dispatch import dispatch_for_unary_elementwise_apis as dispatch_for_unary_elementwise_apis
from ..ops.ragged.dynamic_shape import DynamicRaggedShape as DynamicRaggedShape


def __getattr__(name: str) -> Any:
    # tnp is imported on first use, so ``import featherflow`` does not pay for its modules
    if name == "numpy":
        import importlib

        return importlib.import_module(".numpy", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return ["numpy"]
