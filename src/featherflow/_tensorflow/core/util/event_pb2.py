"""``tensorflow.core.util.event_pb2``: the event-file messages (``Event``, ``LogMessage``, ``SessionLog``...), from
featherflow's run-time built ``training.summary_protos``.

>>> from featherflow._tensorflow.core.util import event_pb2
>>> event_pb2.Event.FromString(event_pb2.Event(step=2).SerializeToString()).step
2
"""

from featherflow.training.summary_protos import Event as Event
from featherflow.training.summary_protos import LogMessage as LogMessage
from featherflow.training.summary_protos import RequestedExitCode as RequestedExitCode
from featherflow.training.summary_protos import SessionLog as SessionLog
from featherflow.training.summary_protos import SourceMetadata as SourceMetadata
from featherflow.training.summary_protos import TaggedRunMetadata as TaggedRunMetadata
from featherflow.training.summary_protos import WatchdogConfig as WatchdogConfig
from featherflow.training.summary_protos import WorkerHealth as WorkerHealth
from featherflow.training.summary_protos import WorkerHeartbeatRequest as WorkerHeartbeatRequest
from featherflow.training.summary_protos import WorkerHeartbeatResponse as WorkerHeartbeatResponse
from featherflow.training.summary_protos import WorkerShutdownMode as WorkerShutdownMode

OK, RECEIVED_SHUTDOWN_SIGNAL, INTERNAL_ERROR, SHUTTING_DOWN = 0, 1, 2, 3
DEFAULT, NOT_CONFIGURED, WAIT_FOR_COORDINATOR, SHUTDOWN_AFTER_TIMEOUT = 0, 1, 2, 3
