"""``DenseHashTable``'s storage, as TF's ``MutableDenseHashTable`` keeps it: open addressing over a power-of-two
array of key buckets (the empty key marks a free bucket, the deleted key a removed entry) with quadratic probing,
doubling when an insert would pass the load factor. ``export`` returns these bucket arrays, as TF's does, so
checkpoints carry TF's layout.

>>> import numpy as np
>>> b = DenseBuckets(np.int64, np.int64, (), 0, -1, 4)
>>> b.insert([5], np.array([[50]]))
>>> b.find([5, 6], np.array(-1)).reshape(-1).tolist()
[50, -1]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..strings._hashes import hash64

_MASK = 0xFFFFFFFFFFFFFFFF


def _hash(key: Any) -> int:
    # TF's HashScalar: Hash64 of a string's bytes, an integer's bits as uint64
    return hash64(key) if isinstance(key, bytes) else int(key) & _MASK


class DenseBuckets:
    """The bucket arrays of a dense hash table with scalar keys."""

    def __init__(self, key_type: Any, value_type: Any, value_shape: tuple, empty_key: Any, deleted_key: Any,
                 num_buckets: int, max_load_factor: float = 0.8) -> None:
        self.key_type, self.value_type = key_type, value_type
        self.value_size = int(np.prod(value_shape)) if value_shape else 1
        self.empty, self.deleted = empty_key, deleted_key
        self.max_load_factor = np.float32(max_load_factor)  # TF's float attr
        self._allocate(num_buckets)

    def _allocate(self, num_buckets: int) -> None:
        self.keys = np.empty(num_buckets, self.key_type)
        self.keys[:] = [self.empty] * num_buckets if self.key_type is object else self.empty
        # TF fills values with V(): zeros, False, or empty strings
        self.values = np.zeros((num_buckets, self.value_size), self.value_type)
        if self.value_type is object:
            self.values[:] = b""
        self.num_entries = 0

    def _probe(self, key: Any) -> Any:
        """The bucket indices ``key`` visits, in TF's order."""
        mask = self.keys.size - 1
        index = _hash(key) & mask
        for probes in range(1, self.keys.size + 1):
            yield index
            index = (index + probes) & mask

    def find(self, keys: list, default: np.ndarray) -> np.ndarray:
        """The rows of ``keys``, ``default`` (one row, or one per key) where absent."""
        defaults = default.reshape(-1, self.value_size)
        out = np.empty((len(keys), self.value_size), self.values.dtype)
        for i, key in enumerate(keys):
            row = defaults[i if defaults.shape[0] > 1 else 0]
            for b in self._probe(key):
                if self.keys[b] == key:
                    row = self.values[b]
                    break
                if self.keys[b] == self.empty:
                    break
            out[i] = row
        return out

    def insert(self, keys: list, rows: np.ndarray) -> None:
        """Inserts or replaces ``keys``; grows first if all of them could be new (TF's assumption)."""
        pending = self.num_entries + len(keys)
        if pending > self.keys.size * self.max_load_factor:
            size = self.keys.size
            while pending > size * self.max_load_factor:
                size <<= 1
            old_keys, old_values = self.keys, self.values
            self._allocate(size)
            live = [i for i, k in enumerate(old_keys.tolist()) if k != self.empty and k != self.deleted]
            self._insert([old_keys[i] for i in live], old_values[live])
        self._insert(keys, rows.reshape(len(keys), self.value_size))

    def _insert(self, keys: list, rows: np.ndarray) -> None:
        for key, row in zip(keys, rows):
            for b in self._probe(key):
                if self.keys[b] == key:
                    self.values[b] = row
                    break
                if self.keys[b] == self.empty or self.keys[b] == self.deleted:
                    self.num_entries += 1
                    self.keys[b] = key
                    self.values[b] = row
                    break

    def remove(self, keys: list) -> None:
        """Marks ``keys``' buckets deleted; absent keys are ignored."""
        for key in keys:
            for b in self._probe(key):
                if self.keys[b] == key:
                    self.keys[b] = self.deleted
                    self.num_entries -= 1
                    break
                if self.keys[b] == self.empty:
                    break

    def export(self) -> tuple[np.ndarray, np.ndarray]:
        """The key buckets ``[buckets, 1]`` and value buckets ``[buckets, value size]``."""
        return self.keys.reshape(-1, 1).copy(), self.values.copy()

    def import_buckets(self, keys: np.ndarray, values: np.ndarray) -> None:
        """Replaces the buckets by exported ones (a checkpoint restore)."""
        self.keys = np.array(keys, self.key_type).reshape(-1)
        self.values = np.array(values, self.value_type).reshape(self.keys.size, self.value_size)
        self.num_entries = sum(1 for k in self.keys.tolist() if k != self.empty and k != self.deleted)
