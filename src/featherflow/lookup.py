"""``tf.lookup`` (re-exports): lookup tables and their initializers."""

from . import _lookup_experimental as experimental
from ._lookup_tables import StaticHashTable as StaticHashTable
from ._lookup_tables import StaticVocabularyTable as StaticVocabularyTable
from .ops.lookup.initializers import KeyValueTensorInitializer as KeyValueTensorInitializer
from .ops.lookup.initializers import TextFileIndex as TextFileIndex
from .ops.lookup.initializers import TextFileInitializer as TextFileInitializer

__all__ = ["KeyValueTensorInitializer", "StaticHashTable", "StaticVocabularyTable", "TextFileIndex",
           "TextFileInitializer", "experimental"]
