"""``tensorflow.python.distribute.input_lib``: distributed datasets and iterators."""

from ....distribute.input_lib import DistributedDataset as DistributedDataset
from ....distribute.input_lib import DistributedDatasetsFromFunction as DistributedDatasetsFromFunction
from ....distribute.input_lib import DistributedIterator as DistributedIterator
