"""``tf.compat.v1.sets``: the ``tf.sets`` functions TF 1 shares with TF 2.

>>> import featherflow as tf
>>> tf.compat.v1.sets.intersection([[1, 2, 3]], [[2, 3, 4]]).values.numpy().tolist()
[2, 3]
"""

from ...sets import difference as difference
from ...sets import intersection as intersection
from ...sets import size as size
from ...sets import union as union
