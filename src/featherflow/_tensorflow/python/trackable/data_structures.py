"""``tensorflow.python.trackable.data_structures``: the tracking wrappers of lists and dicts assigned to
trackable objects (Keras registers them as tree nodes)."""

from ....trackable import ListWrapper as ListWrapper
from ....trackable import NoDependency as NoDependency
from ....trackable import TrackableDataStructure as TrackableDataStructure
from ....trackable import _DictWrapper as _DictWrapper
from ....trackable import _TupleWrapper as _TupleWrapper
from ....trackable import sticky_attribute_assignment as sticky_attribute_assignment
from ....trackable import wrap_or_unwrap as wrap_or_unwrap
