"""The ``tf.lookup`` tables: ``StaticHashTable``, ``StaticVocabularyTable``, and ``experimental.MutableHashTable``
/ ``DenseHashTable``. Each holds a ``TableResource`` (its entries) and calls the table kernels of
``ops/lookup``; they are trackable, as TF's resources are, and the mutable ones save their entries in
checkpoints under TF's names (``table-keys``, ``table-values``).

>>> import featherflow as tf
>>> table = tf.lookup.StaticHashTable(tf.lookup.KeyValueTensorInitializer(["a", "b"], [1, 2]), -1)
>>> table.lookup(tf.constant(["a", "c"])).numpy()
array([ 1, -1], dtype=int32)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .dtypes import as_dtype as _as_dtype
from .dtypes import int64 as _int64
from .dtypes import string as _string
from .ops.array.create import cast
from .ops.convert import tensor
from .ops.lookup.dense import DenseBuckets
from .ops.lookup.initializers import KeyValueDtypes
from .ops.lookup.kernels import (
    NodeText,
    TableResource,
    lookup_table_export_op,
    lookup_table_find_op,
    lookup_table_import_op,
    lookup_table_insert_op,
    lookup_table_remove_op,
    lookup_table_size_op,
)
from .ops.math.api import add, not_equal, where
from .ops.ragged import RaggedTensor
from .ops.sparse import SparseTensor
from .ops.strings.core import as_string
from .ops.strings.hashing import to_hash_bucket_fast
from .tensor import Tensor, kernel_error
from .trackable import Trackable

_uid = iter(range(1, 1 << 62))


def _values_of(keys: Any) -> Any:
    return keys.values if isinstance(keys, (SparseTensor, RaggedTensor)) else keys


def _rewrap(keys: Any, values: Tensor) -> Any:
    """``values`` in the structure of ``keys``: a SparseTensor or RaggedTensor of keys gives one of values."""
    if isinstance(keys, SparseTensor):
        return SparseTensor(keys.indices, values, keys.dense_shape)
    if isinstance(keys, RaggedTensor):
        return keys.with_values(values)
    return values


def _check_key_dtype(keys: Any, key_dtype: Any) -> None:
    if keys.dtype.base_dtype != key_dtype:
        raise TypeError(f"Dtype of argument `keys` must be {key_dtype}, received: {keys.dtype}")


class LookupInterface(KeyValueDtypes, Trackable):
    """The base of the lookup tables: key and value dtypes, ``lookup`` (also as ``table[keys]``), ``size``."""

    @property
    def name(self) -> Any:
        """The table's op name: None when executing eagerly, as in TF."""
        return None

    @property
    def resource_handle(self) -> TableResource | None:
        """The table's resource (its entries)."""
        return getattr(self, "_resource", None)

    def size(self, name: str | None = None) -> Tensor:
        """The number of entries, an int64 scalar."""
        raise NotImplementedError

    def lookup(self, keys: Any, name: str | None = None) -> Any:
        """The values of ``keys``."""
        raise NotImplementedError

    def __getitem__(self, keys: Any) -> Any:
        return self.lookup(keys)


class StaticHashTable(LookupInterface):
    """An immutable hash table, filled once by its initializer (``tf.lookup.StaticHashTable``)."""

    def __init__(self, initializer: Any, default_value: Any, name: str | None = None,
                 experimental_is_anonymous: bool = False) -> None:
        super().__init__(initializer.key_dtype, initializer.value_dtype)
        self._initializer = initializer
        self._name = name or "hash_table"
        self._default_value = tensor(default_value, self._value_dtype)
        if self._default_value.shape.rank != 0:
            raise ValueError(f"Shapes {self._default_value.shape} and () are not compatible")
        node = {} if experimental_is_anonymous else {"shared_name": initializer._shared_name}
        self._resource = TableResource("HashTableV2", self._key_dtype, self._value_dtype, (), node, self._name)
        initializer.initialize(self)

    @property
    def default_value(self) -> Tensor:
        """The value of a key the table lacks."""
        return self._default_value

    def size(self, name: str | None = None) -> Tensor:
        """The number of entries, an int64 scalar (``LookupTableSizeV2``)."""
        return lookup_table_size_op(table=self._resource)

    def lookup(self, keys: Any, name: str | None = None) -> Any:
        """The value of each key, ``default_value`` where absent; a SparseTensor or RaggedTensor of keys gives
        one of values (``LookupTableFindV2``)."""
        key_tensor = _values_of(keys)
        _check_key_dtype(keys, self._key_dtype)
        return _rewrap(keys, lookup_table_find_op(key_tensor, self._default_value, table=self._resource))

    def export(self, name: str | None = None) -> tuple[Tensor, Tensor]:
        """All keys and their values, as two tensors (``LookupTableExportV2``)."""
        return lookup_table_export_op(table=self._resource)

    def _trackable_children(self, save_type: str = "checkpoint", **kwargs: Any) -> dict[str, Any]:
        children = super()._trackable_children(save_type, **kwargs)
        if isinstance(self._initializer, Trackable):
            children.setdefault("_initializer", self._initializer)
        return children


class StaticVocabularyTable(LookupInterface):
    """A vocabulary table: known keys map to their int64 ids, others to one of ``num_oov_buckets`` buckets after
    them, by farmhash Fingerprint64 of the key's string (``tf.lookup.StaticVocabularyTable``)."""

    def __init__(self, initializer: Any, num_oov_buckets: int, lookup_key_dtype: Any = None, name: str | None = None,
                 experimental_is_anonymous: bool = False) -> None:
        if num_oov_buckets <= 0:
            raise ValueError("`num_oov_buckets` must be > 0; use StaticHashTable.")
        if initializer:
            lookup_key_dtype = initializer.key_dtype if lookup_key_dtype is None else _as_dtype(lookup_key_dtype)
            supported = (_int64, _string)
            if initializer.key_dtype not in supported:
                raise TypeError(f"Invalid `key_dtype`, expected one of {supported}, but got {initializer.key_dtype}.")
            if initializer.key_dtype.is_integer != lookup_key_dtype.is_integer:
                kind = "integer" if lookup_key_dtype.is_integer else "non-integer"
                raise TypeError(f"Invalid `key_dtype`, expected {kind} but got {initializer.key_dtype}.")
            if initializer.value_dtype != _int64:
                raise TypeError(f"Invalid `value_dtype`, expected {_int64} but got {initializer.value_dtype}.")
            self._initializer = initializer
            self._table: StaticHashTable | None = StaticHashTable(
                initializer, default_value=-1, experimental_is_anonymous=experimental_is_anonymous)
        else:
            lookup_key_dtype = _string
            self._table = None
        if not lookup_key_dtype.is_integer and lookup_key_dtype != _string:
            raise TypeError(f"Invalid `key_dtype`, expected integer or string, got {lookup_key_dtype}")
        self._num_oov_buckets = num_oov_buckets
        super().__init__(lookup_key_dtype, _int64)
        if self._table is not None:
            self._resource = self._table._resource

    def size(self, name: str | None = None) -> Tensor:
        """The number of ids: the vocabulary's size plus ``num_oov_buckets``."""
        size = self._table.size() if self._table is not None else tensor(0, _int64)
        return add(size, tensor(self._num_oov_buckets, _int64))

    def lookup(self, keys: Any, name: str | None = None) -> Any:
        """The id of each key: its vocabulary id, or ``vocabulary size + Fingerprint64(str(key)) % buckets``."""
        _check_key_dtype(keys, self._key_dtype)
        values = _values_of(keys)
        if self._table is not None and self._table.key_dtype.base_dtype == _int64:
            values = cast(values, _int64)
        strings = values if values.dtype == _string else as_string(values)
        buckets = to_hash_bucket_fast(strings, self._num_oov_buckets)
        if self._table is not None:
            ids = self._table.lookup(values)
            buckets = add(buckets, self._table.size())
            ids = where(not_equal(ids, self._table.default_value), ids, buckets)
        else:
            ids = buckets
        return _rewrap(keys, ids)

    def _trackable_children(self, save_type: str = "checkpoint", **kwargs: Any) -> dict[str, Any]:
        children = super()._trackable_children(save_type, **kwargs)
        initializer = getattr(self, "_initializer", None)
        if isinstance(initializer, Trackable):
            children.setdefault("_initializer", initializer)
        return children


class _MutableTable(LookupInterface):
    """What MutableHashTable and DenseHashTable share: insert, remove, export and their checkpointing."""

    _resource: TableResource

    def size(self, name: str | None = None) -> Tensor:
        """The number of entries, an int64 scalar (``LookupTableSizeV2``)."""
        return lookup_table_size_op(table=self._resource)

    def lookup(self, keys: Any, dynamic_default_values: Any = None, name: str | None = None) -> Tensor:
        """The value of each key, the default value (or ``dynamic_default_values``, one per key) where absent."""
        keys = tensor(keys, self._key_dtype)
        default = self._default_value if dynamic_default_values is None else tensor(dynamic_default_values)
        return lookup_table_find_op(keys, default, table=self._resource)

    def insert(self, keys: Any, values: Any, name: str | None = None) -> None:
        """Inserts ``keys`` with ``values``, replacing the values of keys already present."""
        keys = tensor(keys, self._key_dtype)
        values = tensor(values, self._value_dtype)
        lookup_table_insert_op(keys, values, table=self._resource)

    def export(self, name: str | None = None) -> tuple[Tensor, Tensor]:
        """All keys and their values, as two tensors (``LookupTableExportV2``)."""
        return lookup_table_export_op(table=self._resource)

    def _serialize_to_tensors(self) -> dict[str, Any]:
        keys, values = self.export()
        return {"table-keys": keys, "table-values": values}

    def _restore_from_tensors(self, restored_tensors: dict[str, Any]) -> Any:
        return lookup_table_import_op(tensor(restored_tensors["table-keys"]),
                                      tensor(restored_tensors["table-values"]), table=self._resource)


class MutableHashTable(_MutableTable):
    """A mutable hash table (``tf.lookup.experimental.MutableHashTable``); values may be tensors of the
    default value's shape."""

    def __init__(self, key_dtype: Any, value_dtype: Any, default_value: Any, name: str = "MutableHashTable",
                 checkpoint: bool = True, experimental_is_anonymous: bool = False) -> None:
        super().__init__(key_dtype, value_dtype)
        self._default_value = tensor(default_value, self._value_dtype)
        self._name = name
        self._checkpoint = checkpoint
        shape = tuple(self._default_value.shape.as_list())
        kind = "MutableHashTableV2" if not shape else "MutableHashTableOfTensorsV2"
        node: dict = {} if experimental_is_anonymous else {"shared_name": f"table_{next(_uid)}"}
        if shape:
            node["value_shape"] = NodeText("[" + ",".join(map(str, shape)) + "]")
        self._resource = TableResource(kind, self._key_dtype, self._value_dtype, shape, node, name)

    def remove(self, keys: Any, name: str | None = None) -> None:
        """Removes ``keys`` (a tensor of the key dtype); absent keys are ignored."""
        if keys.dtype != self._key_dtype:
            raise TypeError(f"Dtype of argument `keys` must be {self._key_dtype}, received: {keys.dtype}")
        lookup_table_remove_op(keys, table=self._resource)

    def _serialize_to_tensors(self) -> dict[str, Any]:
        if not self._checkpoint:
            return {}
        return super()._serialize_to_tensors()


class DenseHashTable(_MutableTable):
    """A mutable hash table with reserved ``empty_key`` and ``deleted_key``
    (``tf.lookup.experimental.DenseHashTable``); ``export`` gives its bucket arrays, as TF's."""

    def __init__(self, key_dtype: Any, value_dtype: Any, default_value: Any, empty_key: Any, deleted_key: Any,
                 initial_num_buckets: int | None = None, name: str = "MutableDenseHashTable", checkpoint: bool = True,
                 experimental_is_anonymous: bool = False) -> None:
        super().__init__(key_dtype, value_dtype)
        self._default_value = tensor(default_value, self._value_dtype)
        self._name = name
        self._checkpoint = checkpoint
        shape = tuple(self._default_value.shape.as_list())
        buckets = 131072 if initial_num_buckets is None else int(initial_num_buckets)
        node = {"initial_num_buckets": buckets, "value_shape": NodeText("[" + ",".join(map(str, shape)) + "]")}
        if not experimental_is_anonymous:
            node["shared_name"] = f"table_{next(_uid)}"
        self._resource = TableResource("MutableDenseHashTableV2", self._key_dtype, self._value_dtype, shape, node, name)
        empty = np.asarray(tensor(empty_key, self._key_dtype)._numpy())
        deleted = np.asarray(tensor(deleted_key, self._key_dtype)._numpy())
        op = "MutableDenseHashTableV2"
        if empty.shape != deleted.shape or (empty == deleted).all():
            raise kernel_error(op, "Empty and deleted keys cannot be equal", name=name)
        if buckets < 4 or buckets & (buckets - 1):
            raise kernel_error(op, f"Number of buckets must be at least 4 and a power of 2, got: {buckets}", name=name)
        if empty.ndim:
            raise NotImplementedError("DenseHashTable with vector keys (a non-scalar empty_key) is not supported")
        string_keys = self._key_dtype == _string
        empty_key, deleted_key = (bytes(empty[()]), bytes(deleted[()])) if string_keys else (empty[()], deleted[()])
        self._resource.empty_key, self._resource.deleted_key = empty_key, deleted_key
        value_type = object if self._value_dtype == _string else self._value_dtype.as_numpy_dtype
        self._resource.dense = DenseBuckets(object if string_keys else self._key_dtype.as_numpy_dtype, value_type,
                                            shape, empty_key, deleted_key, buckets)

    def insert_or_assign(self, keys: Any, values: Any, name: str | None = None) -> None:
        """Inserts ``keys`` with ``values``, replacing the values of keys already present."""
        self.insert(keys, values)

    def erase(self, keys: Any, name: str | None = None) -> None:
        """Removes ``keys`` (a tensor of the key dtype); absent keys are ignored."""
        if keys.dtype != self._key_dtype:
            raise TypeError(f"Signature mismatch. Keys must be dtype {self._key_dtype}, got {keys.dtype}.")
        lookup_table_remove_op(keys, table=self._resource)

    def remove(self, keys: Any, name: str | None = None) -> None:
        """``erase``."""
        self.erase(keys)

    def _serialize_to_tensors(self) -> dict[str, Any]:
        if not self._checkpoint:
            return {}
        return super()._serialize_to_tensors()
