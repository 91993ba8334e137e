"""TF's kernel error texts for the linalg and nn ops: the eager-runtime prefix (with oneDNN's kernel names on
CPU), and the text of TF's slow eager path. (Dtype errors are the dispatcher's: ``_contract``.)

>>> from featherflow import dtypes
>>> str(kernel_error("Svd", "Input tensor 0 must have rank >= 2, got 1", dtypes.float64)).split("}} ")[1]
'Input tensor 0 must have rank >= 2, got 1 [Op:Svd] name: '
"""

from __future__ import annotations

from typing import Any

from .. import device as _device
from .. import dtypes as _dtypes
from ..errors import InvalidArgumentError, OpError
from ..runtime_config import compiling_with_xla

# oneDNN replaces these CPU kernels for float32 and bfloat16; its kernels' names show in error messages.
_MKL_TYPES = frozenset({_dtypes.float32, _dtypes.bfloat16})


def on_cpu() -> bool:
    return _device._scope.device.device_type == "CPU"


def on_cpu_without_xla() -> bool:
    """Whether TF's CPU kernels run the op: on the CPU, and not inside a ``jit_compile=True`` function, whose XLA
    CPU backend takes the layouts (NCHW, NCDHW) and dilations that TF's CPU kernels refuse."""
    return _device._scope.device.device_type == "CPU" and not compiling_with_xla()


def kernel_name(op_name: str, dtype: _dtypes.DType | None) -> str:
    """The name TF's eager runtime reports for the kernel that ran ``op_name`` (``__MklMatMul`` under oneDNN)."""
    return f"__Mkl{op_name}" if dtype in _MKL_TYPES and on_cpu() else op_name


def kernel_error(op_name: str, message: str, dtype: _dtypes.DType | None = None, name: str | None = "",
                 kernel: str | None = None, cls: type = InvalidArgumentError) -> Exception:
    """An error raised inside a kernel. ``name=None`` drops the `` name: `` tail, as TF does when the op's
    inputs were Python lists (the slow eager path)."""
    dev = _device._scope.device.name
    kernel = kernel or kernel_name(op_name, dtype)
    tail = "" if name is None else f" name: {name}"
    return cls(None, None, f"{{{{function_node __wrapped__{kernel}_device_{dev}}}}} {message} [Op:{op_name}]{tail}")


class slow_path:
    """``with slow_path(*args):`` runs an op as TF's slow eager path does when an argument is a Python list (or
    when ``taken``): its errors (dtype checks and kernel errors alike) lose the `` name: `` tail TF's fast path
    adds."""

    __slots__ = ("listed",)

    def __init__(self, *args: Any, taken: bool = False) -> None:
        self.listed = taken or any(isinstance(a, (list, tuple)) for a in args)

    def __enter__(self) -> None:
        return None

    def __exit__(self, cls: Any, error: Any, tb: Any) -> None:
        if self.listed and isinstance(error, OpError) and str(error).endswith(" name: "):
            raise type(error)(None, None, str(error)[:-7]) from None
