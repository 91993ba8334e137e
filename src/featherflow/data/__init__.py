"""``tf.data`` (re-exports)."""

from . import experimental as experimental
from .dataset import AUTOTUNE as AUTOTUNE
from .dataset import INFINITE_CARDINALITY as INFINITE_CARDINALITY
from .dataset import UNKNOWN_CARDINALITY as UNKNOWN_CARDINALITY
from .dataset import Dataset as Dataset
from .dataset import DatasetSpec as DatasetSpec
from .iterator import Iterator as Iterator
from .iterator import IteratorSpec as IteratorSpec
from .iterator import NumpyIterator as NumpyIterator
from .options import Options as Options
from .options import ThreadingOptions as ThreadingOptions
from .readers import FixedLengthRecordDataset as FixedLengthRecordDataset
from .readers import TextLineDataset as TextLineDataset
from .readers import TFRecordDataset as TFRecordDataset
