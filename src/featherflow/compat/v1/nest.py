"""``tf.compat.v1.nest``: ``tf.nest``.

>>> import featherflow as tf
>>> tf.compat.v1.nest.flatten({'a': 1, 'b': [2, 3]})
[1, 2, 3]
"""

from ...nest import assert_same_structure as assert_same_structure
from ...nest import flatten as flatten
from ...nest import is_nested as is_nested
from ...nest import map_structure as map_structure
from ...nest import pack_sequence_as as pack_sequence_as
