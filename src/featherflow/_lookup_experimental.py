"""``tf.lookup.experimental`` (re-exports): the mutable lookup tables."""

from ._lookup_tables import DenseHashTable as DenseHashTable
from ._lookup_tables import MutableHashTable as MutableHashTable
