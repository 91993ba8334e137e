"""``tf.compat.v1.dtypes``: the ``tf.dtypes`` names TF 1 shares with TF 2.

>>> import featherflow as tf
>>> tf.compat.v1.dtypes.float32 is tf.float32
True
"""

from ..._api.dtypes import QUANTIZED_DTYPES as QUANTIZED_DTYPES
from ..._api.dtypes import DType as DType
from ..._api.dtypes import as_dtype as as_dtype
from ..._api.dtypes import bfloat16 as bfloat16
from ..._api.dtypes import bool as bool  # noqa: A004 - TF's name
from ..._api.dtypes import cast as cast
from ..._api.dtypes import complex as complex  # noqa: A004 - TF's name
from ..._api.dtypes import complex64 as complex64
from ..._api.dtypes import complex128 as complex128
from ..._api.dtypes import double as double
from ..._api.dtypes import float16 as float16
from ..._api.dtypes import float32 as float32
from ..._api.dtypes import float64 as float64
from ..._api.dtypes import half as half
from ..._api.dtypes import int8 as int8
from ..._api.dtypes import int16 as int16
from ..._api.dtypes import int32 as int32
from ..._api.dtypes import int64 as int64
from ..._api.dtypes import qint8 as qint8
from ..._api.dtypes import qint16 as qint16
from ..._api.dtypes import qint32 as qint32
from ..._api.dtypes import quint8 as quint8
from ..._api.dtypes import quint16 as quint16
from ..._api.dtypes import resource as resource
from ..._api.dtypes import saturate_cast as saturate_cast
from ..._api.dtypes import string as string
from ..._api.dtypes import uint8 as uint8
from ..._api.dtypes import uint16 as uint16
from ..._api.dtypes import uint32 as uint32
from ..._api.dtypes import uint64 as uint64
from ..._api.dtypes import variant as variant
