"""``tf.data`` (re-exports)."""

from . import batching as _batching  # noqa: F401  (attaches Dataset.rebatch, sparse_batch)
from . import experimental as experimental
from . import generator as _generator  # noqa: F401  (attaches Dataset.from_generator, list_files)
from . import grouping as _grouping  # noqa: F401  (attaches Dataset.group_by_window, bucket_by_sequence_length)
from . import resample as _resample  # noqa: F401  (attaches Dataset.rejection_resample)
from . import sampling as _sampling  # noqa: F401  (attaches Dataset.random, sample_from_datasets, ...)
from . import transforms as _transforms  # noqa: F401  (attaches Dataset.flat_map, interleave, window, ...)
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
