"""The lookup tables' resource and kernels: ``LookupTableFindV2``, ``LookupTableImportV2``, ``LookupTableInsertV2``,
``LookupTableRemoveV2``, ``LookupTableExportV2``, ``LookupTableSizeV2``, each run on the host as TF's (CPU-only)
table kernels are.

A ``TableResource`` is what TF's resource handle points at: the key and value dtypes, the value shape and the
entries, a dict from a key (``bytes`` or ``int``) to its value (a NumPy scalar or array). The kernels take it as
the attr ``table``; the table classes (``tf.lookup``) hold one each.

>>> import featherflow as tf
>>> r = TableResource("HashTableV2", tf.string, tf.int64, ())
>>> _ = lookup_table_import_op(tf.constant(["a"]), tf.constant([3], tf.int64), table=r)
>>> lookup_table_find_op(tf.constant(["a", "b"]), tf.constant(-1, tf.int64), table=r).numpy()
array([ 3, -1])
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from ...dtypes import as_dtype as _as_dtype
from ...dtypes import string as _string
from ...errors import FailedPreconditionError, InvalidArgumentError
from ...tensor import kernel_error
from .._contract import _by_name, enum_name
from ..registry import register


def _kernel_pairs(kind: str) -> list:
    """The (key, value) dtype enums with a CPU kernel of the resource op ``kind``, from the generated table of
    TF's kernel registrations."""
    from .._op_defs import OP_DEFS

    return re.findall(r"key_dtype in \[(DT_\w+)\]; value_dtype in \[(DT_\w+)\]", OP_DEFS[kind][5])


class NodeText:
    """An attr value shown as is in a NodeDef (a shape: ``[2,3]``)."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __str__(self) -> str:
        return self.text


class TableResource:
    """A lookup table's state: TF's ``LookupInterface`` behind a resource handle."""

    __slots__ = ("kind", "key_dtype", "value_dtype", "value_shape", "entries", "empty_key", "deleted_key", "dense")

    def __init__(self, kind: str, key_dtype: Any, value_dtype: Any, value_shape: tuple, node_attrs: dict | None = None,
                 name: str = "") -> None:
        if (enum_name(key_dtype), enum_name(value_dtype)) not in _kernel_pairs(kind):
            # TF's NodeDef shows the op's attrs, sorted by name: its defaults, ``node_attrs`` and the two dtypes
            error = _by_name(kind).contract.no_kernel({"key_dtype": key_dtype, "value_dtype": value_dtype},
                                                      attrs=node_attrs)
            raise type(error)(None, None, f"{error}{name}")
        self.kind = kind
        self.key_dtype = key_dtype
        self.value_dtype = value_dtype
        self.value_shape = tuple(value_shape)
        self.entries: dict = {}
        self.empty_key: Any = None  # DenseHashTable's reserved keys
        self.deleted_key: Any = None
        self.dense: Any = None  # DenseHashTable's buckets (``dense.DenseBuckets``), which replace ``entries``

    def check_keys(self, op: str, keys: np.ndarray) -> None:
        """DenseHashTable's refusal of its reserved keys."""
        if self.empty_key is None:
            return
        for reserved, what in ((self.empty_key, "empty_key"), (self.deleted_key, "deleted_key")):
            if np.any(keys == reserved) if keys.dtype != object else any(k == reserved for k in keys.reshape(-1)):
                raise kernel_error(op, f"Using the {what} as a table key is not allowed")

    def keys_array(self) -> np.ndarray:
        keys = list(self.entries)
        if self.key_dtype is _string:
            out = np.empty(len(keys), object)
            out[:] = keys
            return out
        return np.array(keys, dtype=self.key_dtype.as_numpy_dtype).reshape(len(keys))

    def values_array(self) -> np.ndarray:
        dtype = object if self.value_dtype is _string else self.value_dtype.as_numpy_dtype
        out = np.empty((len(self.entries),) + self.value_shape, dtype)
        for i, value in enumerate(self.entries.values()):
            out[i] = value
        return out


def _py_keys(keys: np.ndarray) -> list:
    # dict keys: bytes for strings, Python ints otherwise (NumPy scalars of different widths hash alike anyway)
    flat = keys.reshape(-1)
    return list(flat) if keys.dtype == object else flat.tolist()


def _unnamed(op: str, message: str) -> InvalidArgumentError:
    # an error TF raises while matching the kernel's signature: its message has no trailing " name: "
    return InvalidArgumentError(None, None, str(kernel_error(op, message)).removesuffix(" name: "))


def _signature(op: str, table: TableResource, keys: Any, values: Any) -> None:
    want = (table.key_dtype.name, table.value_dtype.name)
    got = (_as_dtype(keys.dtype).name, _as_dtype(values.dtype).name)
    if got != want:
        raise _unnamed(op, f"Signature mismatch, have: resource, {got[0]}, {got[1]}->{got[1]} expected: resource, "
                           f"{want[0]}, {want[1]}->{want[1]}")


def _value_rows(op: str, table: TableResource, keys: np.ndarray, values: np.ndarray) -> np.ndarray:
    """``values`` as one row per key, or TF's error when its shape is not ``keys.shape + value_shape``."""
    expected = keys.shape + table.value_shape
    if values.shape != expected:
        raise kernel_error(op, f"Expected shape [{','.join(map(str, expected))}] for value, got "
                               f"[{','.join(map(str, values.shape))}]")
    return values.reshape((-1,) + table.value_shape)


@register("LookupTableFindV2", differentiable=False, host_only=True, inputs=("Tin", "Tout"))
def lookup_table_find_op(xp: Any, keys: Any, default: Any, table: TableResource) -> Any:
    _signature("LookupTableFindV2", table, keys, default)
    table.check_keys("LookupTableFindV2", keys)
    shape = table.value_shape
    if table.dense is not None:
        return table.dense.find(_py_keys(keys), default).reshape(keys.shape + shape)
    out = np.empty(keys.shape + shape, default.dtype)
    flat = out.reshape((-1,) + shape)
    entries = table.entries
    if default.shape == shape:  # one default for every key
        fill = default if shape else default[()]  # (a 0-d object array would be stored as an element itself)
        for i, key in enumerate(_py_keys(keys)):
            flat[i] = entries.get(key, fill)
    else:  # MutableHashTable's dynamic defaults: one per key
        if default.shape != keys.shape + shape:
            raise kernel_error("LookupTableFindV2", f"Expected shape [{','.join(map(str, keys.shape + shape))}] or "
                                                    f"[{','.join(map(str, shape))}] for default value, got "
                                                    f"[{','.join(map(str, default.shape))}]")
        defaults = default.reshape((-1,) + shape)
        for i, key in enumerate(_py_keys(keys)):
            value = entries.get(key)
            flat[i] = defaults[i] if value is None else value
    return out


def _insert(op: str, keys: Any, values: Any, table: TableResource, overwrite: bool) -> tuple:
    _signature(op, table, keys, values)
    table.check_keys(op, keys)
    rows = _value_rows(op, table, keys, values)
    if table.dense is not None:
        table.dense.insert(_py_keys(keys), rows)
        return ()
    entries = table.entries
    for i, key in enumerate(_py_keys(keys)):
        value = rows[i].copy() if table.value_shape else rows[i]  # a row, or a NumPy scalar or bytes
        if not overwrite and key in entries:
            old = entries[key]
            if not np.array_equal(old, value):
                shown = key.decode("utf-8", "replace") if isinstance(key, bytes) else key
                raise kernel_error(op, f"HashTable has different value for same key. Key {shown} has {_shown(old)} "
                                       f"and trying to add value {_shown(value)}", FailedPreconditionError)
            continue
        entries[key] = value
    return ()


def _shown(value: Any) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


@register("LookupTableImportV2", n_outputs=0, host_only=True, inputs=("Tin", "Tout"))  # TF registers no gradient
def lookup_table_import_op(xp: Any, keys: Any, values: Any, table: TableResource) -> Any:
    if table.kind == "HashTableV2":  # a static table keeps the first value, and refuses a different one
        return _insert("LookupTableImportV2", keys, values, table, overwrite=False)
    if table.dense is not None:  # the exported bucket arrays
        _signature("LookupTableImportV2", table, keys, values)
        table.dense.import_buckets(keys, values)
        return ()
    table.entries.clear()  # a mutable table's import replaces its contents (a checkpoint restore)
    return _insert("LookupTableImportV2", keys, values, table, overwrite=True)


@register("LookupTableInsertV2", n_outputs=0, differentiable=False, host_only=True, inputs=("Tin", "Tout"))
def lookup_table_insert_op(xp: Any, keys: Any, values: Any, table: TableResource) -> Any:
    return _insert("LookupTableInsertV2", keys, values, table, overwrite=True)


@register("LookupTableRemoveV2", n_outputs=0, host_only=True, inputs=("Tin",))  # TF registers no gradient
def lookup_table_remove_op(xp: Any, keys: Any, table: TableResource) -> Any:
    if _as_dtype(keys.dtype) is not table.key_dtype:
        raise _unnamed("LookupTableRemoveV2", f"Signature mismatch, have: resource, "
                                              f"{_as_dtype(keys.dtype).name} expected: resource, "
                                              f"{table.key_dtype.name}")
    table.check_keys("LookupTableRemoveV2", keys)
    if table.dense is not None:
        table.dense.remove(_py_keys(keys))
        return ()
    for key in _py_keys(keys):
        table.entries.pop(key, None)
    return ()


@register("LookupTableExportV2", n_outputs=2, host_only=True, inputs=())  # TF registers no gradient
def lookup_table_export_op(xp: Any, table: TableResource) -> Any:
    if table.dense is not None:
        return table.dense.export()
    return table.keys_array(), table.values_array()


@register("LookupTableSizeV2", differentiable=False, host_only=True, inputs=())
def lookup_table_size_op(xp: Any, table: TableResource) -> Any:
    return np.array(len(table.entries) if table.dense is None else table.dense.num_entries, np.int64)
