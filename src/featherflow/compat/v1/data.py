"""``tf.compat.v1.data``: the ``tf.data`` names TF 1 shares with TF 2 (TF 1's ``Dataset``, ``Iterator`` and
file datasets, with their v1 methods, are not here).

>>> import featherflow as tf
>>> tf.compat.v1.data.AUTOTUNE
-1
"""

from ...data import AUTOTUNE as AUTOTUNE
from ...data import INFINITE_CARDINALITY as INFINITE_CARDINALITY
from ...data import UNKNOWN_CARDINALITY as UNKNOWN_CARDINALITY
from ...data import DatasetSpec as DatasetSpec
from ...data import NumpyIterator as NumpyIterator
from ...data import Options as Options
from ...data import ThreadingOptions as ThreadingOptions
