"""``tf.sparse.SparseTensor``: a tensor stored as (indices, values, dense_shape), and its basic ops.

>>> import featherflow as tf
>>> s = tf.sparse.SparseTensor(indices=[[0, 0], [1, 2]], values=[1, 2], dense_shape=[3, 4])
>>> tf.sparse.to_dense(s).numpy().tolist()
[[1, 0, 0, 0], [0, 0, 2, 0], [0, 0, 0, 0]]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import dtypes as _dtypes
from ..errors import InvalidArgumentError
from ..shape import TensorShape
from ..tensor import Tensor, _make_typed, _make_typed_host, convert_to_tensor
from .array.core import op_error
from .array.gather import gather_nd_op, gather_op
from .convert import tensor
from .math.elementwise import sub_op
from .math.reduce import sum_op
from .registry import register


class SparseTensor:
    """A sparse tensor: ``values[i]`` sits at ``indices[i]`` of a tensor of shape ``dense_shape``."""

    def __init__(self, indices: Any, values: Any, dense_shape: Any) -> None:
        self._indices = _int64("indices", indices)
        self._values = tensor(values)
        self._dense_shape = _int64("dense_shape", dense_shape)
        if self._indices._value.ndim != 2:
            raise ValueError(f"Shape {self._indices.shape} must have rank 2")
        if self._values._value.ndim != 1:
            raise ValueError(f"Shape {self._values.shape} must have rank 1")

    @classmethod
    def from_value(cls, value: Any) -> SparseTensor:
        return value if isinstance(value, SparseTensor) else from_dense(value)

    @property
    def indices(self) -> Tensor:
        return self._indices

    @property
    def values(self) -> Tensor:
        return self._values

    @property
    def dense_shape(self) -> Tensor:
        return self._dense_shape

    @property
    def dtype(self) -> Any:
        return self._values.dtype

    @property
    def shape(self) -> TensorShape:
        return TensorShape([int(d) for d in np.asarray(self._dense_shape._numpy())])

    def get_shape(self) -> TensorShape:
        return self.shape

    def with_values(self, new_values: Any) -> SparseTensor:
        return SparseTensor(self._indices, new_values, self._dense_shape)

    def __repr__(self) -> str:
        return (f"SparseTensor(indices={self._indices!s}, values={self._values!s}, "
                f"dense_shape={self._dense_shape!s})")


def _int64(what: str, value: Any) -> Tensor:
    """``value`` as int64, with TF's error (naming the argument) for a tensor of another dtype."""
    try:
        return convert_to_tensor(value, dtype=_dtypes.int64)
    except ValueError as e:
        raise ValueError(f"{what}: {e}") from None


# TF's SparseToDense takes the dense shape as an input; here it is an attr (the forward allocates with it).
@register("SparseToDense", inputs=("Tindices", "T", "T"))
def sparse_to_dense_op(xp: Any, indices: Any, values: Any, default_value: Any, shape: tuple) -> Any:
    out = xp.empty(shape, dtype=values.dtype)
    out[...] = default_value
    if indices.shape[0]:
        out[tuple(indices[:, d] for d in range(indices.shape[1]))] = values
    return out


@sparse_to_dense_op.gradient
def _(g: Tensor, ans: Tensor, indices: Tensor, values: Tensor, default_value: Tensor, shape: tuple) -> tuple:
    values_grad = gather_nd_op(g, indices)  # TF's _SparseToDenseGrad
    return None, values_grad, sub_op(sum_op(g), sum_op(values_grad))


def to_dense(sp_input: SparseTensor, default_value: Any = None, validate_indices: bool = True,
             name: str | None = None) -> Tensor:
    """The dense tensor a SparseTensor stands for (``default_value``, 0 by default, elsewhere)."""
    values = sp_input.values
    shape = tuple(int(d) for d in np.asarray(sp_input.dense_shape._numpy()))
    if default_value is None:  # TF's zeros([], dtype): 0, False or b""
        zero = np.array(b"", dtype=object) if values._dtype.name == "string" else np.zeros((), values._value.dtype)
        default = _make_typed_host(zero, values._dtype)
    else:
        default = convert_to_tensor(default_value, dtype=values._dtype)
    idx = np.asarray(sp_input.indices._numpy()).reshape(-1, len(shape))  # the checks read the (small) indices
    if len(idx):
        bad = (idx < 0) | (idx >= np.array(shape))
        if bad.any():
            row = int(np.argwhere(bad.any(axis=1))[0][0])
            raise InvalidArgumentError(None, None, f"indices[{row}] = {idx[row].tolist()} is out of bounds: need 0 <= "
                                                   f"index < {list(shape)}")
    return sparse_to_dense_op(sp_input.indices, values, default, shape=shape)


def from_dense(tensor_: Any, name: str | None = None) -> SparseTensor:
    """The nonzero entries of a dense tensor as a SparseTensor (its values gathered with GatherNd, as TF's, so
    gradients flow through them)."""
    dense = tensor(tensor_)
    x = dense._value
    xp = dense._device.xp
    if x.ndim == 0:
        raise op_error("Where", "WhereOp : Unhandled input dimensions: 0")
    nonzero = x != b"" if x.dtype == object else x != 0
    indices = _make_typed(xp.argwhere(nonzero).astype(np.int64), _dtypes.int64, dense._device)
    return SparseTensor(indices, gather_nd_op(dense, indices), _make_typed_host(np.array(x.shape, dtype=np.int64)))


def reorder(sp_input: SparseTensor, name: str | None = None) -> SparseTensor:
    """The same SparseTensor with its indices in row-major order (values gathered, so gradients flow)."""
    idx = np.asarray(sp_input.indices._numpy())
    order = np.lexsort(idx.T[::-1]) if len(idx) else np.arange(0)
    perm = _make_typed_host(order.astype(np.int64))
    return SparseTensor(_make_typed_host(idx[order]), gather_op(sp_input.values, perm, axis=0, batch_dims=0),
                        sp_input.dense_shape)
