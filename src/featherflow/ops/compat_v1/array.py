"""``tf.compat.v1``'s array functions whose signature or behaviour differs from v2's: ``pad``, ``gather``,
``gather_nd`` and ``boolean_mask`` (``name`` earlier in the argument list), ``where`` (TF's ``Select``: no
broadcasting, a vector condition picks rows) and ``sparse_concat`` (``concat_dim``, ``expand_nonconcat_dim``).

>>> from featherflow.ops.compat_v1.array import where
>>> where([True, False], [[1, 2], [3, 4]], [[0, 0], [0, 0]]).numpy().tolist()
[[1, 2], [0, 0]]
"""

from __future__ import annotations

from typing import Any

from ...dtypes import bool as _bool
from ...tensor import Tensor
from .._contract import check_inputs
from .._kernel_errors import kernel_error, slow_path
from ..array import gather as _gather
from ..array import join as _join
from ..array.core import reshape_op
from ..convert import binary, shape_text
from ..convert import tensor as _tensor
from ..math import api as _math_api
from ..math import elementwise as _elementwise
from . import deprecated_argument_lookup


def pad(tensor: Any, paddings: Any, mode: str = "CONSTANT", name: str | None = None,
        constant_values: Any = 0) -> Tensor:
    """``tf.compat.v1.pad``: ``tf.pad`` with ``name`` before ``constant_values``."""
    return _join.pad(tensor, paddings, mode=mode, constant_values=constant_values, name=name)


def gather(params: Any, indices: Any, validate_indices: Any = None, name: str | None = None, axis: Any = None,
           batch_dims: int = 0) -> Tensor:
    """``tf.compat.v1.gather``: ``tf.gather`` with ``name`` before ``axis`` (``validate_indices`` is ignored)."""
    return _gather.gather(params, indices, validate_indices=validate_indices, axis=axis, batch_dims=batch_dims,
                          name=name)


def gather_nd(params: Any, indices: Any, name: str | None = None, batch_dims: int = 0,
              bad_indices_policy: str = "") -> Tensor:
    """``tf.compat.v1.gather_nd``: ``tf.gather_nd`` with ``name`` third."""
    return _gather.gather_nd(params, indices, batch_dims=batch_dims, name=name, bad_indices_policy=bad_indices_policy)


def boolean_mask(tensor: Any, mask: Any, name: str = "boolean_mask", axis: Any = None) -> Tensor:
    """``tf.compat.v1.boolean_mask``: ``tf.boolean_mask`` with ``name`` before ``axis``."""
    return _gather.boolean_mask(tensor, mask, name=name, axis=axis)


def where(condition: Any, x: Any = None, y: Any = None, name: str | None = None) -> Tensor:
    """``tf.compat.v1.where``: with ``x`` and ``y`` of one shape, ``x`` where ``condition`` holds, else ``y``;
    ``condition`` is of their shape, a scalar, or a vector that picks whole rows (TF's ``Select``, which does
    not broadcast). Without ``x`` and ``y``: the indices of the true elements, as ``tf.where``."""
    if x is None and y is None:
        return _math_api.where(condition, name=name)
    if x is None or y is None:
        raise ValueError("x and y must both be non-None or both be None.")
    with slow_path(condition, x, y):  # Python lists: TF's slow path, whose errors have no `` name: ``
        return _select(condition, x, y)


def _select(condition: Any, x: Any, y: Any) -> Tensor:
    cond = _tensor(condition, _bool)
    a, b = binary(x, y, "Select")
    check_inputs("Select", (cond, a, b))
    c_shape, x_shape, y_shape = cond._value.shape, a._value.shape, b._value.shape
    if x_shape != y_shape:
        raise kernel_error("Select", f"'then' and 'else' must have the same size.  but received: "
                                     f"{shape_text(x_shape)} vs. {shape_text(y_shape)}")
    if len(c_shape) == 1 and len(x_shape) > 1:
        if c_shape[0] != x_shape[0]:
            raise kernel_error("Select", f"Number of batches of 'then' must match size of 'cond', but saw: "
                                         f"{x_shape[0]} vs. {c_shape[0]}")
        cond = reshape_op(cond, shape=c_shape + (1,) * (len(x_shape) - 1))  # each row's flag over the row
    elif c_shape and c_shape != x_shape:
        raise kernel_error("Select", f"Inputs to operation Select of type Select must have the same size and "
                                     f"shape.  Input 0: {shape_text(c_shape)} != input 1: {shape_text(x_shape)}")
    return _elementwise.select_op(cond, a, b)


def sparse_concat(axis: Any, sp_inputs: list, name: str | None = None, expand_nonconcat_dim: bool = False,
                  concat_dim: Any = None, expand_nonconcat_dims: Any = None) -> Any:
    """``tf.compat.v1.sparse_concat`` (``tf.compat.v1.sparse.concat``): ``tf.sparse.concat`` with the
    deprecated ``concat_dim`` and ``expand_nonconcat_dim`` names."""
    from ..sparse.reshaping import concat

    expand_nonconcat_dim = deprecated_argument_lookup("expand_nonconcat_dims", expand_nonconcat_dims,
                                                      "expand_nonconcat_dim", expand_nonconcat_dim)
    if expand_nonconcat_dims is not None:
        expand_nonconcat_dim = expand_nonconcat_dims
    axis = deprecated_argument_lookup("axis", axis, "concat_dim", concat_dim)
    return concat(axis, sp_inputs, expand_nonconcat_dim, name)
