"""``tf.debugging.enable_check_numerics`` / ``disable_check_numerics``: every float output checked for Inf/NaN.

TF installs an op callback that runs ``CheckNumericsV2`` on each float output of each eagerly-executed op.
featherflow has no callback hook in its dispatcher (every branch there costs on every op), so enabling swaps
each registered op's ``forward`` for a checking wrapper and disabling puts the originals back: while no thread
has the mode on, the dispatcher runs the very same forwards as before, with nothing added and no device value
read back. As in TF the mode is per thread: the wrappers check a thread-local flag, so other threads run
unchecked while one thread has it on.
"""

from __future__ import annotations

import threading
from typing import Any, Callable

import numpy as np

from ...backends import to_numpy
from ...device import _scope
from ...tensor import _FROM_NUMPY
from .._kernel_errors import kernel_error
from ..registry import ON_REGISTER, OPS, Op, _wrap

# TF's op_callbacks_common.OP_CALLBACK_SKIP_OPS and check_numerics_callback.SAFE_OPS (ops that only move or
# select values, so cannot create an Inf/NaN), and CheckNumericsV2 itself.
_SKIPPED = frozenset((
    "Enter", "Exit", "Identity", "If", "LoopCond", "Merge", "NextIteration", "StatelessIf",
    "StatefulPartitionedCall", "Switch", "While", "RemoteCall", "TPUReplicatedInput", "TPUReplicateMetadata",
    "TPUCompilationResult", "TPUReplicatedOutput", "ConfigureDistributedTPU", "DestroyResourceOp",
    "Concat", "ConcatV2", "ExpandDims", "Fill", "Gather", "Maximum", "Minimum", "Reshape", "Slice", "Squeeze",
    "Stack", "StridedSlice", "StridedSliceGrad", "TensorListConcatV2", "TensorListGather", "TensorListGetItem",
    "TensorListPopBack", "TensorListStack", "Transpose", "Unpack", "CheckNumericsV2",
))
# TF's IGNORE_OP_OUTPUTS: batch-norm statistics outputs that legitimately hold garbage.
_IGNORED_OUTPUTS = {"FusedBatchNorm": (1, 2, 3, 4), "FusedBatchNormV2": (1, 2, 3, 4),
                    "FusedBatchNormV3": (1, 2, 3, 4, 5)}

_state = threading.local()
_lock = threading.Lock()
_saved: dict[str, Callable] = {}  # op name -> its own forward, while wrapped
_threads = 0  # threads with the mode on


def _finite(xp: Any, array: Any) -> bool:
    """Whether ``array`` holds no Inf/NaN: one flag read back to the host on a device, as TF's kernel does."""
    flag = xp.isfinite(array).all()
    return bool(flag) if xp is np else bool(to_numpy(flag))


def _message(slot: int, n_outputs: int, op_name: str, out: Any, arrays: tuple) -> str:
    """TF's ``get_check_numerics_error_message`` for an eager op, with CheckNumericsV2's tail."""
    dev = _scope.device
    t = _wrap(out, dev)
    host = to_numpy(out)
    n_neg = int(np.sum(np.isneginf(host)))
    n_pos = int(np.sum(np.isposinf(host)))
    n_nan = int(np.sum(np.isnan(host)))
    text = (f"\n\n!!! Detected Infinity or NaN in output {slot} of eagerly-executing op \"{op_name}\" "
            f"(# of outputs: {n_outputs}) !!!\n  dtype: {t.dtype!s}\n  shape: {t.shape!s}\n")
    if n_neg:
        text += f"  # of -Inf elements: {n_neg}\n"
    if n_pos:
        text += f"  # of +Inf elements: {n_pos}\n"
    if n_nan:
        text += f"  # of +NaN elements: {n_nan}\n"
    inputs = [_wrap(a, dev) for a in arrays if hasattr(a, "dtype") and hasattr(a, "shape")]
    if len(inputs) > 1:
        text += f"\n  Input tensors ({len(inputs)}):\n"
        text += "".join(f"         {i}: {x!s}\n" for i, x in enumerate(inputs))
    elif inputs:
        text += f"\n  Input tensor: {inputs[0]!s}\n"
    text += "\n"
    # CheckNumericsV2 tells -Inf from +Inf (CheckNumerics, V1, does not)
    kinds = [k for k, n in (("-Inf", n_neg), ("+Inf", n_pos), ("NaN", n_nan)) if n]
    what = ("-Inf, +Inf, and NaN" if len(kinds) == 3 else " and ".join(kinds))
    return f"{text} : Tensor had {what} values"


def _checking(name: str, forward: Callable, n_outputs: int) -> Callable:
    ignored = _IGNORED_OUTPUTS.get(name, ())

    def checked(xp: Any, *arrays: Any, **attrs: Any) -> Any:
        out = forward(xp, *arrays, **attrs)
        if not getattr(_state, "on", False):
            return out
        outs = (out,) if n_outputs == 1 else out
        for slot, o in enumerate(outs):
            dtype = getattr(o, "dtype", None)
            if (dtype is not None and slot not in ignored and dtype in _FROM_NUMPY
                    and _FROM_NUMPY[dtype].is_floating and not _finite(xp, o)):
                raise kernel_error("CheckNumericsV2", _message(slot, len(outs), name, o, arrays))
        return out

    checked.__name__ = getattr(forward, "__name__", name)
    return checked


def _wrap_op(op: Op) -> None:
    if op.name not in _SKIPPED:
        _saved[op.name] = op.forward
        op.forward = _checking(op.name, op.forward, op.n_outputs)


def enable_check_numerics(stack_height_limit: int = 30, path_length_limit: int = 50) -> None:
    """Makes every op run by this thread raise InvalidArgumentError when a float output holds Inf or NaN."""
    global _threads
    if getattr(_state, "on", False):  # idempotent, as TF's
        return
    with _lock:
        if not _threads:
            for op in OPS.values():
                _wrap_op(op)
            ON_REGISTER.append(_wrap_op)  # ops of modules imported while the mode is on
        _threads += 1
        _state.on = True


def disable_check_numerics() -> None:
    """Turns ``enable_check_numerics`` off for this thread; the ops' own forwards are back once no thread has it."""
    global _threads
    if not getattr(_state, "on", False):
        return
    with _lock:
        _state.on = False
        _threads -= 1
        if not _threads:
            ON_REGISTER.remove(_wrap_op)
            for name, forward in _saved.items():
                OPS[name].forward = forward
            _saved.clear()
