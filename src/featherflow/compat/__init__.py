"""``tf.compat``: the helpers TF keeps for code written for both TF 1 and TF 2 (text and bytes, ``Dimension``
values, the forward-compatibility window), ``tf.compat.v1`` (TF 1's API as eager TF 2 runs it) and
``tf.compat.v2`` (featherflow itself).

>>> import featherflow as tf
>>> tf.compat.as_text(b"caf\\xc3\\xa9"), tf.compat.as_bytes("café")
('café', b'caf\\xc3\\xa9')
>>> tf.compat.v2.constant(1.0).dtype
tf.float32
"""

from .._compat_util import as_bytes as as_bytes
from .._compat_util import as_str as as_str
from .._compat_util import as_str_any as as_str_any
from .._compat_util import as_text as as_text
from .._compat_util import bytes_or_text_types as bytes_or_text_types
from .._compat_util import complex_types as complex_types
from .._compat_util import dimension_at_index as dimension_at_index
from .._compat_util import dimension_value as dimension_value
from .._compat_util import forward_compatibility_horizon as forward_compatibility_horizon
from .._compat_util import forward_compatible as forward_compatible
from .._compat_util import integral_types as integral_types
from .._compat_util import path_to_str as path_to_str
from .._compat_util import real_types as real_types
from .._lazy import lazy as _lazy

# v1 loads on first access (it re-exports several hundred names); v2 is the featherflow package.
__getattr__, __dir__ = _lazy(__name__, globals(), {"v1": (".v1", None), "v2": ("..", None)})
