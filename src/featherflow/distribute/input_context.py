"""What a strategy tells the functions that build its inputs: ``tf.distribute.InputContext`` (per input
pipeline), ``ValueContext`` (per replica), and the option tuples ``InputOptions``, ``RunOptions``.

>>> InputContext(num_input_pipelines=2, input_pipeline_id=1, num_replicas_in_sync=4).get_per_replica_batch_size(8)
2
"""

from __future__ import annotations

import collections
import enum


class InputReplicationMode(enum.Enum):
    """How a dataset function is replicated (``tf.distribute.InputReplicationMode``): once per worker,
    or once per replica."""

    PER_WORKER = "PER_WORKER"
    PER_REPLICA = "PER_REPLICA"


class InputContext:
    """Where an input pipeline stands among all of them (``tf.distribute.InputContext``): passed to the
    function of ``Strategy.distribute_datasets_from_function``."""

    __slots__ = ("_num_input_pipelines", "_input_pipeline_id", "_num_replicas_in_sync")

    def __init__(self, num_input_pipelines: int = 1, input_pipeline_id: int = 0,
                 num_replicas_in_sync: int = 1) -> None:
        self._num_input_pipelines = num_input_pipelines
        self._input_pipeline_id = input_pipeline_id
        self._num_replicas_in_sync = num_replicas_in_sync

    @property
    def num_replicas_in_sync(self) -> int:
        return self._num_replicas_in_sync

    @property
    def input_pipeline_id(self) -> int:
        return self._input_pipeline_id

    @property
    def num_input_pipelines(self) -> int:
        return self._num_input_pipelines

    def get_per_replica_batch_size(self, global_batch_size: int) -> int:
        """The batch size of each replica for a global batch of ``global_batch_size``."""
        if global_batch_size % self._num_replicas_in_sync != 0:
            raise ValueError(f"The `global_batch_size` {global_batch_size!r} is not divisible by "
                             f"`num_replicas_in_sync` {self._num_replicas_in_sync!r} ")
        return global_batch_size // self._num_replicas_in_sync

    def __str__(self) -> str:
        return f"tf.distribute.InputContext(input pipeline id {self.input_pipeline_id}, total: {self.num_input_pipelines})"


class ValueContext:
    """The replica a value is made for (``tf.distribute.experimental.ValueContext``): passed to the function of
    ``Strategy.experimental_distribute_values_from_function``."""

    __slots__ = ("_replica_id_in_sync_group", "_num_replicas_in_sync")

    def __init__(self, replica_id_in_sync_group: int = 0, num_replicas_in_sync: int = 1) -> None:
        self._replica_id_in_sync_group = replica_id_in_sync_group
        self._num_replicas_in_sync = num_replicas_in_sync

    @property
    def num_replicas_in_sync(self) -> int:
        return self._num_replicas_in_sync

    @property
    def replica_id_in_sync_group(self) -> int:
        return self._replica_id_in_sync_group

    def __str__(self) -> str:
        return (f"tf.distribute.ValueContext(replica id {self.replica_id_in_sync_group},  "
                f"total replicas in sync: {self.num_replicas_in_sync})")


class RunOptions(collections.namedtuple("RunOptions", ["experimental_enable_dynamic_batch_size",
                                                       "experimental_bucketizing_dynamic_shape",
                                                       "experimental_xla_options"])):
    """Options for ``Strategy.run`` (``tf.distribute.RunOptions``); they concern TPU compilation only."""

    def __new__(cls, experimental_enable_dynamic_batch_size: bool = True,
                experimental_bucketizing_dynamic_shape: bool = False,
                experimental_xla_options: object = None) -> RunOptions:
        return super().__new__(cls, experimental_enable_dynamic_batch_size, experimental_bucketizing_dynamic_shape,
                               experimental_xla_options)


class InputOptions(collections.namedtuple("InputOptions", ["experimental_fetch_to_device",
                                                           "experimental_replication_mode",
                                                           "experimental_place_dataset_on_device",
                                                           "experimental_per_replica_buffer_size"])):
    """Options for distributed datasets (``tf.distribute.InputOptions``)."""

    def __new__(cls, experimental_fetch_to_device: bool | None = None,
                experimental_replication_mode: InputReplicationMode = InputReplicationMode.PER_WORKER,
                experimental_place_dataset_on_device: bool = False,
                experimental_per_replica_buffer_size: int = 1) -> InputOptions:
        if experimental_fetch_to_device is None:
            experimental_fetch_to_device = True
        return super().__new__(cls, experimental_fetch_to_device, experimental_replication_mode,
                               experimental_place_dataset_on_device, experimental_per_replica_buffer_size)
