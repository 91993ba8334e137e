"""``tf.compat.v1``'s core functions whose v1 signature differs from v2's only in argument names and order:
``constant`` (``verify_shape``), ``convert_to_tensor`` (``preferred_dtype``), ``argmax``/``argmin``
(``dimension``), the ``reduce_*`` family (``reduction_indices``, ``keep_dims``), ``expand_dims`` (``dim``),
``squeeze`` (``squeeze_dims``), ``shape``/``size``/``ones_like``/``zeros_like``/``transpose`` (``name``
earlier) and ``softmax``/``log_softmax`` (``dim``).

>>> from featherflow.ops.compat_v1.basic import reduce_sum
>>> reduce_sum([[1, 3], [2, 0]], reduction_indices=1, keep_dims=True).numpy().tolist()
[[4], [2]]
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ... import tensor as _tensor_module
from ...dtypes import int64 as _int64
from ...shape import TensorShape
from ...tensor import Tensor
from ..array import core as _core
from ..array import create as _create
from ..math import reduce as _reduce
from ..nn import core as _nn_core
from . import deprecated_argument_lookup


def constant(value: Any, dtype: Any = None, shape: Any = None, name: str = "Const",
             verify_shape: bool = False) -> Tensor:
    """``tf.compat.v1.constant``: ``tf.constant``; ``verify_shape`` refuses a ``shape`` other than the value's."""
    if verify_shape and shape is not None:
        t = _tensor_module.constant(value, dtype, name=name)
        want = TensorShape(shape)
        if want != t.shape:
            raise TypeError(f"Expected Tensor {t.numpy()} (converted from {value}) with shape {tuple(want)}, but got "
                            f"shape {tuple(t.shape)}.")
        return t
    return _tensor_module.constant(value, dtype, shape, name)


def convert_to_tensor(value: Any, dtype: Any = None, name: str | None = None, preferred_dtype: Any = None,
                      dtype_hint: Any = None) -> Tensor:
    """``tf.compat.v1.convert_to_tensor``: ``tf.convert_to_tensor`` with ``preferred_dtype`` (``dtype_hint``)."""
    preferred_dtype = deprecated_argument_lookup("dtype_hint", dtype_hint, "preferred_dtype", preferred_dtype)
    return _tensor_module.convert_to_tensor(value, dtype, preferred_dtype, name)


def argmax(input: Any, axis: Any = None, name: str | None = None, dimension: Any = None,  # noqa: A002
           output_type: Any = _int64) -> Tensor:
    """``tf.compat.v1.argmax``: ``tf.math.argmax`` with ``dimension``, ``axis``'s old name."""
    axis = deprecated_argument_lookup("axis", axis, "dimension", dimension)
    return _reduce.argmax(input, axis, output_type, name)


def argmin(input: Any, axis: Any = None, name: str | None = None, dimension: Any = None,  # noqa: A002
           output_type: Any = _int64) -> Tensor:
    """``tf.compat.v1.argmin``: ``tf.math.argmin`` with ``dimension``, ``axis``'s old name."""
    axis = deprecated_argument_lookup("axis", axis, "dimension", dimension)
    return _reduce.argmin(input, axis, output_type, name)


def _reduction(v2: Callable) -> Callable:
    """TF 1's form of a ``reduce_*`` function: ``reduction_indices`` and ``keep_dims`` as old names."""

    def reduce_v1(input_tensor: Any, axis: Any = None, keepdims: Any = None, name: str | None = None,
                  reduction_indices: Any = None, keep_dims: Any = None) -> Tensor:
        axis = deprecated_argument_lookup("axis", axis, "reduction_indices", reduction_indices)
        keepdims = deprecated_argument_lookup("keepdims", keepdims, "keep_dims", keep_dims)
        return v2(input_tensor, axis, False if keepdims is None else bool(keepdims), name)

    reduce_v1.__name__ = reduce_v1.__qualname__ = v2.__name__
    reduce_v1.__doc__ = f"``tf.compat.v1.{v2.__name__}``: ``tf.{v2.__name__}`` with ``reduction_indices`` and " \
                        "``keep_dims``, the old names of ``axis`` and ``keepdims``."
    return reduce_v1


reduce_all = _reduction(_reduce.reduce_all)
reduce_any = _reduction(_reduce.reduce_any)
reduce_logsumexp = _reduction(_reduce.reduce_logsumexp)
reduce_max = _reduction(_reduce.reduce_max)
reduce_mean = _reduction(_reduce.reduce_mean)
reduce_min = _reduction(_reduce.reduce_min)
reduce_prod = _reduction(_reduce.reduce_prod)
reduce_sum = _reduction(_reduce.reduce_sum)


def expand_dims(input: Any, axis: Any = None, name: str | None = None, dim: Any = None) -> Tensor:  # noqa: A002
    """``tf.compat.v1.expand_dims``: ``tf.expand_dims`` with ``dim``, ``axis``'s old name."""
    axis = deprecated_argument_lookup("axis", axis, "dim", dim)
    if axis is None:
        raise ValueError("Must specify an axis argument to tf.expand_dims()")
    return _core.expand_dims(input, axis, name)


def squeeze(input: Any, axis: Any = None, name: str | None = None, squeeze_dims: Any = None) -> Tensor:  # noqa: A002
    """``tf.compat.v1.squeeze``: ``tf.squeeze`` with ``squeeze_dims``, ``axis``'s old name."""
    axis = deprecated_argument_lookup("axis", axis, "squeeze_dims", squeeze_dims)
    if np.isscalar(axis):
        axis = [axis]
    return _core.squeeze(input, axis, name)


def shape(input: Any, name: str | None = None, out_type: Any = None) -> Tensor:  # noqa: A002
    """``tf.compat.v1.shape``: ``tf.shape`` with ``name`` second."""
    return _core.shape(input, out_type, name)


def size(input: Any, name: str | None = None, out_type: Any = None) -> Tensor:  # noqa: A002
    """``tf.compat.v1.size``: ``tf.size`` with ``name`` second."""
    return _core.size(input, out_type, name)


def ones_like(tensor: Any, dtype: Any = None, name: str | None = None, optimize: bool = True) -> Tensor:
    """``tf.compat.v1.ones_like`` (``optimize`` changes nothing eagerly)."""
    return _create.ones_like(tensor, dtype, name)


def zeros_like(tensor: Any, dtype: Any = None, name: str | None = None, optimize: bool = True) -> Tensor:
    """``tf.compat.v1.zeros_like`` (``optimize`` changes nothing eagerly)."""
    return _create.zeros_like(tensor, dtype, name)


def transpose(a: Any, perm: Any = None, name: str = "transpose", conjugate: bool = False) -> Tensor:
    """``tf.compat.v1.transpose``: ``tf.transpose`` with ``name`` before ``conjugate``."""
    return _core.transpose(a, perm, conjugate, name)


def softmax(logits: Any, axis: Any = None, name: str | None = None, dim: Any = None) -> Tensor:
    """``tf.compat.v1.nn.softmax`` (``tf.compat.v1.math.softmax``): ``dim``, ``axis``'s old name."""
    axis = deprecated_argument_lookup("axis", axis, "dim", dim)
    return _nn_core.softmax(logits, -1 if axis is None else axis, name)


def log_softmax(logits: Any, axis: Any = None, name: str | None = None, dim: Any = None) -> Tensor:
    """``tf.compat.v1.nn.log_softmax`` (``tf.compat.v1.math.log_softmax``): ``dim``, ``axis``'s old name."""
    axis = deprecated_argument_lookup("axis", axis, "dim", dim)
    return _nn_core.log_softmax(logits, -1 if axis is None else axis, name)

