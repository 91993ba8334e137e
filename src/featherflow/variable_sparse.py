"""The sparse reads and writes of ``tf.Variable`` (``sparse_read``, ``gather_nd``, ``scatter_*``,
``scatter_nd_*``, ``batch_scatter_update``), as a mixin of ``Variable``, and the conversion of a value
written into a variable.

On the CPU they check indices as TF's CPU kernels do; on another device they run as TF's GPU kernels do, with
no host transfer: bad indices gather zeros and their updates are skipped.

>>> import featherflow as tf
>>> v = tf.Variable([1.0, 2.0, 3.0])
>>> v.scatter_add(tf.IndexedSlices(tf.constant([10.0]), tf.constant([1]))).numpy()
array([ 1., 12.,  3.], dtype=float32)
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from . import _op_table
from . import device as _device
from . import sparse_updates as _sparse
from .device import _Flags
from .indexed_slices import IndexedSlices
from .python_values import simple_list_array, to_array
from .tensor import Tensor, _make_typed, convert_to_tensor


def _log(op_name: str, dev: _device.Device) -> None:
    if _Flags.log_placement:
        _device.log_placement(op_name, dev)


def _value_array(value: Any, dtype: Any, dev: _device.Device, copy: bool) -> Any:
    """``value`` as a backend array of ``dev`` with TF's conversion rules for ``dtype`` (None: infer); with
    ``copy`` False the array may be a Tensor's own buffer or a NumPy input (callers must not keep it)."""
    t = type(value)
    if t is Tensor:
        if dtype is not None and value._dtype is not dtype:
            value.__tf_tensor__(dtype)  # raises TF's error
        array = value._value
        if value._device is not dev:
            return dev.put(array)
        return dev.xp.array(array, copy=True) if copy else array
    if t is np.ndarray or t is float or t is int or t is bool:  # straight to python_values, no Tensor made
        array = to_array(value, dtype, copy=copy)
        if _Flags.log_placement and _device._scope.spec is None:
            _device.log_placement("_EagerConst", dev)
        return array if dev.xp is np else dev.put(array)
    if t is list or t is tuple:
        array = simple_list_array(value, dtype)  # plain numbers: the array TF's conversion gives
        if array is not None:
            if _Flags.log_placement and _device._scope.spec is None:
                _device.log_placement("_EagerConst", dev)
            return array if dev.xp is np else dev.put(array)
    tensor = convert_to_tensor(value, dtype=dtype)
    array = tensor._value
    if tensor._device is not dev:
        return dev.put(array)
    if copy and hasattr(value, "__tf_tensor__"):  # another variable's buffer
        return dev.xp.array(array, copy=True)
    return array


def _host_indices(indices: Tensor) -> np.ndarray:
    """The indices of a sparse read or write on the host, where the CPU's checks read them (a variable on a GPU
    never calls this: its kernels check no index, as TF's GPU kernels)."""
    return np.asarray(indices._numpy())


def _name_suffix(indices: Any) -> bool:
    """Whether TF's error for a sparse write ends in `` name: ``: it does, except when the indices are a
    Python list or tuple or a NumPy scalar (then TF's eager fast path gives way to the slow one, which
    adds no name)."""
    return not isinstance(indices, (list, tuple, np.generic))


class SparseAccess:
    """The sparse methods of ``Variable``, which mixes this class in."""

    __slots__ = ()

    def sparse_read(self, indices: Any, name: str | None = None) -> Tensor:
        """The rows ``indices`` of the variable (TF's ResourceGather)."""
        from ._op_table import OPS  # filled by ops.registry (ops sit above this layer)

        idx = convert_to_tensor(indices)
        suffix = _name_suffix(indices)
        _op_table.check_attrs("ResourceGather", {"Tindices": idx._dtype}, suffix)
        # TF's CPU kernel checks every index; its GPU kernel reads none back and gathers zeros for a bad one
        on_host = self._device.xp is np
        _sparse.gather_rows(self._array.shape, _host_indices(idx) if on_host else idx._value, self._device.name,
                            suffix, check_values=on_host)
        _log("ResourceGather", self._device)
        with _device.quiet():  # TF runs (and logs) one op, ResourceGather
            return OPS["GatherV2"](self.value(), idx, axis=0, batch_dims=0)

    def gather_nd(self, indices: Any, name: str | None = None) -> Tensor:
        """The slices of the variable at the index tuples in the last dimension of ``indices``."""
        from ._op_table import OPS  # filled by ops.registry (ops sit above this layer)

        idx = convert_to_tensor(indices)
        suffix = _name_suffix(indices)
        _op_table.check_attrs("ResourceGatherNd", {"Tindices": idx._dtype}, suffix)
        on_host = self._device.xp is np  # as in sparse_read: a GPU gathers zeros for a bad index tuple
        _sparse.gather_nd_check(self._array.shape, _host_indices(idx) if on_host else idx._value, self._device.name,
                                suffix, check_values=on_host)
        _log("ResourceGatherNd", self._device)
        with _device.quiet():
            return OPS["GatherNd"](self.value(), idx, batch_dims=0)

    # --- sparse writes ----------------------------------------------------------------------------

    def _scatter(self, op: str, sparse_delta: Any) -> Any:
        if not isinstance(sparse_delta, IndexedSlices):
            raise TypeError(f"Argument `sparse_delta` must be a `tf.IndexedSlices`. Received arg: {sparse_delta}")
        updates = _value_array(sparse_delta.values, self._dtype, self._device, copy=False)
        indices = convert_to_tensor(sparse_delta.indices)
        suffix = _name_suffix(sparse_delta.indices)
        _op_table.check_attrs(op, {"Tindices": indices._dtype, "dtype": self._dtype}, suffix)
        xp, device, on_device = self._device.xp, self._device.name, self._on_device(indices)
        if xp is np:  # TF's CPU kernel: checked on the host, in order, failing at the first bad index
            index_array = _host_indices(indices)
            self._write(lambda buffer: _sparse.scatter(xp, buffer, op, index_array, updates, device, suffix,
                                                       on_device))
        else:  # TF's GPU kernel: bad indices skipped on the device, nothing read back
            self._write(lambda buffer: _sparse.scatter_on_device(xp, buffer, op, on_device, updates, device, suffix))
        _log(op, self._device)
        return self._result(True)

    def _scatter_nd(self, op: str, indices: Any, updates: Any) -> Any:
        update_array = _value_array(updates, self._dtype, self._device, copy=False)
        index_tensor = convert_to_tensor(indices)
        suffix = _name_suffix(indices)
        _op_table.check_attrs(op, {"Tindices": index_tensor._dtype, "T": self._dtype}, suffix)
        xp, device, on_device = self._device.xp, self._device.name, self._on_device(index_tensor)
        if xp is np:  # as in _scatter: the CPU checks on the host, a GPU skips bad index tuples on the device
            index_array = _host_indices(index_tensor)
            self._write(lambda buffer: _sparse.scatter_nd(xp, buffer, op, index_array, update_array, device, suffix,
                                                          on_device))
        else:
            self._write(lambda buffer: _sparse.scatter_nd_on_device(xp, buffer, op, on_device, update_array, device,
                                                                    suffix))
        _log(op, self._device)
        return self._result(True)

    def batch_scatter_update(self, sparse_delta: IndexedSlices, use_locking: bool = True,
                             name: str | None = None) -> Any:
        """``scatter_update`` along the last axis of ``indices``, with leading batch dimensions (TF's
        batch_scatter_update: the batch coordinates are prepended and ``scatter_nd_update`` does the rest)."""
        if not isinstance(sparse_delta, IndexedSlices):
            raise TypeError(f"Argument `sparse_delta` must be a `tf.IndexedSlices`. Received arg: {sparse_delta}")
        indices = convert_to_tensor(sparse_delta.indices)
        xp = self._device.xp
        at = self._on_device(indices)  # built where the variable is: on a GPU, no index is read back
        n = at.ndim
        grids = [xp.broadcast_to(xp.arange(at.shape[d], dtype=at.dtype).reshape(
            tuple(-1 if i == d else 1 for i in range(n))), at.shape)[..., None] for d in range(n - 1)]
        nd = _make_typed(xp.concatenate(grids + [at[..., None]], axis=-1), indices._dtype, self._device)
        return self._scatter_nd("ResourceScatterNdUpdate", nd, sparse_delta.values)  # TF builds nd as a Tensor


def _scatter_method(method: str, op: str, doc: str) -> Callable:
    """A ``Variable.scatter_*`` method (one factory for the twelve: they differ only in TF's op)."""
    if method.startswith("scatter_nd"):
        def scatter(self: Any, indices: Any, updates: Any, name: str | None = None) -> Any:
            return self._scatter_nd(op, indices, updates)
    else:
        def scatter(self: Any, sparse_delta: IndexedSlices, use_locking: bool = False,
                    name: str | None = None) -> Any:
            return self._scatter(op, sparse_delta)
    scatter.__name__ = method
    scatter.__qualname__ = f"Variable.{method}"
    scatter.__doc__ = doc
    return scatter


for _method, _op, _doc in (
        ("scatter_update", "ResourceScatterUpdate", "Writes ``sparse_delta.values`` into the rows ``sparse_delta.indices``."),
        ("scatter_add", "ResourceScatterAdd", "Adds ``sparse_delta.values`` to the rows ``sparse_delta.indices`` (repeated rows add up)."),
        ("scatter_sub", "ResourceScatterSub", "Subtracts ``sparse_delta.values`` from the rows ``sparse_delta.indices``."),
        ("scatter_mul", "ResourceScatterMul", "Multiplies the rows ``sparse_delta.indices`` by ``sparse_delta.values``."),
        ("scatter_div", "ResourceScatterDiv", "Divides the rows ``sparse_delta.indices`` by ``sparse_delta.values``."),
        ("scatter_min", "ResourceScatterMin", "The minimum of the rows ``sparse_delta.indices`` and ``sparse_delta.values``."),
        ("scatter_max", "ResourceScatterMax", "The maximum of the rows ``sparse_delta.indices`` and ``sparse_delta.values``."),
        ("scatter_nd_update", "ResourceScatterNdUpdate", "Writes ``updates`` at the index tuples in the last dimension of ``indices``."),
        ("scatter_nd_add", "ResourceScatterNdAdd", "Adds ``updates`` at the index tuples in the last dimension of ``indices``."),
        ("scatter_nd_sub", "ResourceScatterNdSub", "Subtracts ``updates`` at the index tuples in the last dimension of ``indices``."),
        ("scatter_nd_max", "ResourceScatterNdMax", "The maximum of ``updates`` and the variable at the index tuples of ``indices``."),
        ("scatter_nd_min", "ResourceScatterNdMin", "The minimum of ``updates`` and the variable at the index tuples of ``indices``.")):
    setattr(SparseAccess, _method, _scatter_method(_method, _op, _doc))
