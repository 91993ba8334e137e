"""The MPI world a multi-worker strategy runs in: one process per worker, started by an MPI launcher
(``mpiexec -n 4 python train.py``, ``srun --mpi=pmix python train.py``, the MPI Operator's ``MPIJob``).

``launch_info()`` reads the launcher's environment (hydra/MPICH's ``PMI_RANK``/``PMI_SIZE``, Open MPI's
``OMPI_COMM_WORLD_*``, PMIx's ``PMIX_RANK`` with Slurm's ``SLURM_NTASKS``) without importing mpi4py, so a
program that is not launched by MPI never loads it. ``world()`` imports mpi4py on first use and gives the
``MPIWorld``: collectives on contiguous host arrays through mpi4py's buffer-based calls (``Allreduce``,
``Bcast``, ``Allgatherv``; never pickled objects), each with an optional timeout after which it raises
TF's ``tf.errors.DeadlineExceededError``; and the fault handling that keeps a failing worker from leaving the
others waiting forever: on an uncaught exception a ``sys.excepthook`` names the worker and aborts the whole
job (``MPI_Abort``); a worker that exits (``sys.exit``, the end of its program) tells the others on a control
communicator, and one that then waits in a collective this worker will never join aborts the job. (A killed
worker is the launcher's to notice: hydra, ``mpirun`` and ``srun`` end the job.)

A collective with no timeout is one blocking MPI call (no polling loop: small all-reduces cost what MPI's do);
a watchdog thread, started with the first one, reads the exit notices meanwhile and aborts the job when a
worker waits in a collective past the grace period after a peer's exit. A collective with a timeout is
non-blocking, polled until it completes or times out.

>>> import os
>>> saved = {k: os.environ.pop(k) for k in list(os.environ) if k.startswith(("PMI", "OMPI_COMM_WORLD"))}
>>> launch_info() is None
True
>>> os.environ.update(saved)
"""

from __future__ import annotations

import atexit
import os
import sys
import threading
import time
import traceback
from typing import Any

import numpy as np

# (rank variable, size variable) of the launchers featherflow knows, in the order they are looked for
_LAUNCH_VARIABLES = (
    ("OMPI_COMM_WORLD_RANK", "OMPI_COMM_WORLD_SIZE"),  # Open MPI's mpirun (also under srun with Open MPI)
    ("PMI_RANK", "PMI_SIZE"),  # MPICH's hydra mpiexec, Intel MPI, srun --mpi=pmi2
    ("PMIX_RANK", "SLURM_NTASKS"),  # PMIx: srun --mpi=pmix (Slurm gives the size), prterun
)

_TIMEOUT_MESSAGE = "Collective has timed out waiting for other workers."
_EXIT_TAG = 7301  # on the control communicator: "this worker is exiting"
_EXIT_GRACE_S = 2.0  # a collective may still complete after a peer's exit notice (its last one, at a normal end)
_PROBE_EVERY_S = 0.01
# dtypes MPI's SUM handles natively on every implementation; others are reduced in float64/complex128
_NATIVE = frozenset(np.dtype(t) for t in ("float32", "float64", "int32", "int64", "uint8", "int8", "int16",
                                          "uint16", "uint32", "uint64", "complex64", "complex128"))


def launch_info() -> tuple[int, int | None] | None:
    """``(rank, world size)`` when this process was started by an MPI launcher (the size None where the
    launcher's environment does not say it), else None. Reads the environment only."""
    env = os.environ
    for rank_key, size_key in _LAUNCH_VARIABLES:
        if rank_key in env:
            size = env.get(size_key)
            return int(env[rank_key]), int(size) if size else None
    return None


class MPIWorld:
    """``MPI.COMM_WORLD`` and the collectives the multi-worker strategy runs on it."""

    def __init__(self, comm: Any, mpi: Any) -> None:
        self.comm = comm
        self._mpi = mpi
        self.rank: int = comm.Get_rank()
        self.size: int = comm.Get_size()
        self._control = comm.Dup()  # exit notices travel apart from the collectives' traffic
        self._hook_installed = False
        self._aborting = False
        self._blocking = False  # in a blocking collective now (read by the watchdog)
        self._sequence = 0  # blocking collectives entered so far
        self._watchdog: _Watchdog | None = None
        self._sum = mpi.SUM
        self._in_place = mpi.IN_PLACE

    # --- collectives ----------------------------------------------------------------------------------------

    def _wait(self, request: Any, timeout: float | None) -> None:
        """Drives a non-blocking collective to completion: raises ``DeadlineExceededError`` past ``timeout``
        seconds, aborts the job when a worker has exited and the collective still has not completed after a
        grace period (it never will)."""
        if request.Test():
            return
        start = last_probe = time.monotonic()
        deadline = start + timeout if timeout else None
        exited_at, exited_rank = None, -1
        status = self._mpi.Status()
        delay = 0.0
        while not request.Test():
            now = time.monotonic()
            if deadline is not None and now > deadline:
                from ..errors import DeadlineExceededError

                raise DeadlineExceededError(None, None, _TIMEOUT_MESSAGE)
            if exited_at is None and now - last_probe > _PROBE_EVERY_S:
                last_probe = now
                if self._control.Iprobe(source=self._mpi.ANY_SOURCE, tag=_EXIT_TAG, status=status):
                    exited_at, exited_rank = now, status.Get_source()
            elif exited_at is not None and now - exited_at > _EXIT_GRACE_S:
                self._abort(f"worker {exited_rank} exited while worker {self.rank} waits for it in a collective")
            if now - start > 1e-3:  # a long wait: leave the core to the others now and then
                delay = min(delay * 2 or 1e-5, 2e-4)
                time.sleep(delay)

    def _blocking_call(self, call: Any, *args: Any) -> None:
        """``call(*args)``, a blocking collective, watched for peers' exits meanwhile."""
        if self._watchdog is None:
            self._watchdog = _Watchdog(self)
        self._sequence += 1
        self._blocking = True
        try:
            call(*args)
        finally:
            self._blocking = False

    def allreduce(self, send: np.ndarray, recv: np.ndarray | None = None, timeout: float | None = None) -> np.ndarray:
        """The element-wise sum over all workers of ``send`` (a contiguous array), written into ``recv``
        (in place into ``send`` when None) and returned."""
        if send.dtype not in _NATIVE:
            wide = np.complex128 if send.dtype.kind == "c" else np.float64
            summed = self.allreduce(send.astype(wide), timeout=timeout).astype(send.dtype)
            if recv is None:
                send[...] = summed
                return send
            recv[...] = summed
            return recv
        source = self._in_place if recv is None else send
        target = send if recv is None else recv
        if timeout is None:  # the fast path: one blocking call (inlined: this is the small all-reduce's cost)
            if self._watchdog is None:
                self._watchdog = _Watchdog(self)
            self._sequence += 1
            self._blocking = True
            try:
                self.comm.Allreduce(source, target, self._sum)
            finally:
                self._blocking = False
            return target
        self._wait(self.comm.Iallreduce(source, target, op=self._sum), timeout)
        return target

    def bcast(self, buffer: np.ndarray, root: int = 0, timeout: float | None = None) -> np.ndarray:
        """``buffer`` (contiguous) overwritten on every worker with the one of ``root``."""
        if buffer.dtype.kind in "OUS":  # strings: not a numeric buffer; setup-time values only
            buffer[...] = self.comm.bcast(buffer if self.rank == root else None, root=root)
            return buffer
        if timeout is None:
            self._blocking_call(self.comm.Bcast, buffer, root)
        else:
            self._wait(self.comm.Ibcast(buffer, root=root), timeout)
        return buffer

    def allgather_rows(self, array: np.ndarray, timeout: float | None = None) -> np.ndarray:
        """Every worker's ``array`` concatenated along the first axis, in rank order; the first dimension may
        differ between workers (``Allgatherv``), the others must agree."""
        array = array if array.flags.c_contiguous else array.copy(order="C")
        counts = np.zeros(self.size, np.int64)
        mine = np.array([array.shape[0] if array.ndim else 1], np.int64)
        if timeout is None:
            self._blocking_call(self.comm.Allgather, mine, counts)
        else:
            self._wait(self.comm.Iallgather(mine, counts), timeout)
        row = int(np.prod(array.shape[1:], dtype=np.int64)) if array.ndim else 1
        out = np.empty((int(counts.sum()),) + array.shape[1:], array.dtype)
        if array.dtype not in _NATIVE and array.dtype.kind not in "b":
            raise TypeError(f"all-gather across workers does not support dtype {array.dtype}")
        sizes = counts * row
        displacements = np.concatenate([[0], np.cumsum(sizes)[:-1]])
        recv = [out.reshape(-1).view(np.uint8) if array.dtype.kind == "b" else out.reshape(-1),
                (sizes.tolist(), displacements.tolist())]
        send = array.reshape(-1).view(np.uint8) if array.dtype.kind == "b" else array.reshape(-1)
        if timeout is None:
            self._blocking_call(self.comm.Allgatherv, send, recv)
        else:
            self._wait(self.comm.Iallgatherv(send, recv), timeout)
        return out

    def barrier(self, timeout: float | None = None) -> None:
        if timeout is None:
            self._blocking_call(self.comm.Barrier)
        else:
            self._wait(self.comm.Ibarrier(), timeout)

    # --- faults ---------------------------------------------------------------------------------------------

    def _abort(self, reason: str) -> None:
        if self._aborting:  # the watchdog and the main thread may both find a reason
            return
        self._aborting = True
        sys.stderr.write(f"featherflow: {reason}; aborting the MPI job\n")
        sys.stderr.flush()
        sys.stdout.flush()
        time.sleep(0.2)  # time for the launcher to forward what this worker printed before the job ends
        self.comm.Abort(1)

    def install_abort_hook(self) -> None:
        """On an uncaught exception in this worker: print which worker failed and the traceback, then abort
        every process of the job (the others would otherwise wait in their next collective forever). At exit:
        tell the other workers, and wait until every worker has exited likewise (or the job is aborted by one
        that waited for this one in a collective)."""
        if self._hook_installed:
            return
        self._hook_installed = True
        previous = sys.excepthook
        world = self

        def abort_on_exception(kind: type, value: BaseException, tb: Any) -> None:
            try:  # one write: the launcher may stop forwarding this worker's output once the abort starts
                sys.stderr.write(f"featherflow: worker {world.rank} of {world.size} (task worker:{world.rank}) "
                                 f"failed with {kind.__name__}: {value}\n"
                                 + "".join(traceback.format_exception(kind, value, tb)))
                sys.stderr.flush()
                if previous is not sys.__excepthook__:
                    previous(kind, value, tb)
            finally:
                world._abort(f"worker {world.rank} failed")

        sys.excepthook = abort_on_exception
        atexit.register(self._exit)

    def _exit(self) -> None:
        if self._aborting:
            return
        if self._watchdog is not None:  # no MPI call of its own may overlap this worker's goodbye
            self._watchdog.stop()
        others = [r for r in range(self.size) if r != self.rank]
        token = np.zeros(1, np.int8)
        notices = [self._control.Isend(token, dest=r, tag=_EXIT_TAG) for r in others]
        barrier = self._control.Ibarrier()
        delay = 0.0
        while not barrier.Test():
            delay = min(delay * 2 or 1e-5, 1e-3)
            time.sleep(delay)
        received = np.zeros(1, np.int8)
        for r in others:  # every worker sent one notice to each other: take them, so nothing is left in flight
            self._control.Recv(received, source=r, tag=_EXIT_TAG)
        self._mpi.Request.Waitall(notices)


class _Watchdog(threading.Thread):
    """Reads the other workers' exit notices while this one is in blocking collectives, and aborts the job when
    one that began before a notice, or after it, is still not complete ``_EXIT_GRACE_S`` seconds on (the
    exited worker will never join it)."""

    def __init__(self, world: MPIWorld) -> None:
        super().__init__(name="featherflow-mpi-watchdog", daemon=True)
        self._world = world
        self._stopped = threading.Event()
        self.start()
        atexit.register(self.stop)  # before MPI is finalized (mpi4py's own exit handler was registered earlier)

    def stop(self) -> None:
        self._stopped.set()
        if self is not threading.current_thread():
            self.join()

    def run(self) -> None:
        world = self._world
        status = world._mpi.Status()
        exited_rank = -1
        watched, watched_since = -1, 0.0  # the blocking collective being timed, and since when
        while not self._stopped.wait(_PROBE_EVERY_S):
            now = time.monotonic()
            if exited_rank < 0:
                if world._control.Iprobe(source=world._mpi.ANY_SOURCE, tag=_EXIT_TAG, status=status):
                    exited_rank = status.Get_source()
                continue
            sequence = world._sequence
            if not world._blocking:
                watched = -1
                continue
            if sequence != watched:
                watched, watched_since = sequence, now
            elif now - watched_since > _EXIT_GRACE_S and world._blocking and world._sequence == watched:
                world._abort(f"worker {exited_rank} exited while worker {world.rank} waits for it in a collective")
                return


_world: list = []


def world() -> MPIWorld:
    """The MPI world of this process (mpi4py imported, and MPI initialized, on the first call)."""
    if not _world:
        try:
            from mpi4py import MPI
        except ImportError as e:
            raise ImportError("Multi-worker training needs mpi4py and an MPI library: pip install "
                              "'featherflow[distributed]' (mpi4py and the mpich wheel), or mpi4py built against "
                              "your site's MPI") from e
        _world.append(MPIWorld(MPI.COMM_WORLD, MPI))
    return _world[0]
