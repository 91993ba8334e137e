"""``tf.dtypes``: the public namespace (TF's ``tensorflow._api.v2.dtypes``), re-exports only.

The DType objects live in ``featherflow.dtypes``, at the bottom of the layers; ``cast`` and ``complex`` are ops.
``featherflow.dtypes`` as an attribute of the package is this namespace, as in TF.

>>> import featherflow as tf
>>> tf.dtypes.as_dtype("half"), tf.dtypes.cast(tf.constant(1.5), tf.dtypes.int32).numpy()
(tf.float16, np.int32(1))
"""

from ...dtypes import QUANTIZED_DTYPES as QUANTIZED_DTYPES
from ...dtypes import DType as DType
from ...dtypes import as_dtype as as_dtype
from ...dtypes import bfloat16 as bfloat16
from ...dtypes import bool as bool  # noqa: A004 - TF's name
from ...dtypes import complex64 as complex64
from ...dtypes import complex128 as complex128
from ...dtypes import double as double
from ...dtypes import float16 as float16
from ...dtypes import float32 as float32
from ...dtypes import float64 as float64
from ...dtypes import half as half
from ...dtypes import int8 as int8
from ...dtypes import int16 as int16
from ...dtypes import int32 as int32
from ...dtypes import int64 as int64
from ...dtypes import qint8 as qint8
from ...dtypes import qint16 as qint16
from ...dtypes import qint32 as qint32
from ...dtypes import quint8 as quint8
from ...dtypes import quint16 as quint16
from ...dtypes import resource as resource
from ...dtypes import string as string
from ...dtypes import uint8 as uint8
from ...dtypes import uint16 as uint16
from ...dtypes import uint32 as uint32
from ...dtypes import uint64 as uint64
from ...dtypes import variant as variant
from ...ops.array.create import cast as cast
from ...ops.array.utility import saturate_cast as saturate_cast
from ...ops.math.api import complex as complex  # noqa: A004 - TF's name
from . import experimental as experimental

__all__ = [
    "DType", "QUANTIZED_DTYPES", "as_dtype", "bfloat16", "bool", "cast", "complex", "complex64", "complex128", "double",
    "experimental", "float16", "float32", "float64", "half", "int8", "int16", "int32", "int64", "qint8", "qint16",
    "qint32", "quint8", "quint16", "resource", "saturate_cast", "string", "uint8", "uint16", "uint32", "uint64", "variant",
]
