"""``tf.compat.v1.lookup``: the ``tf.lookup`` names TF 1 shares with TF 2 (TF 1's ``StaticHashTable`` and
``StaticVocabularyTable`` are not here).

>>> import featherflow as tf
>>> tf.compat.v1.lookup.KeyValueTensorInitializer is tf.lookup.KeyValueTensorInitializer
True
"""

from ...lookup import KeyValueTensorInitializer as KeyValueTensorInitializer
from ...lookup import TextFileIndex as TextFileIndex
from ...lookup import TextFileInitializer as TextFileInitializer
