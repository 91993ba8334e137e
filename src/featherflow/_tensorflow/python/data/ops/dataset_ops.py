"""``tensorflow.python.data.ops.dataset_ops``: ``DatasetV2`` (``tf.data.Dataset``)."""

from .....data.dataset import Dataset as DatasetV2

Dataset = DatasetV2
