"""Collectives among the workers of an MPI job on their GPUs, through NCCL (CuPy's ``cupy.cuda.nccl``): what
``MultiWorkerMirroredStrategy`` reduces, gathers and broadcasts device values with when its local devices are
GPUs and its ``CommunicationOptions.implementation`` is ``AUTO`` or ``NCCL`` (``RING`` keeps them on MPI,
through host buffers).

One communicator per worker joins every worker's first local GPU (rank = the worker's MPI rank), made when the
strategy is: rank 0's NCCL unique id travels to the others over MPI, then every worker creates its rank of the
communicator. A collective runs on the card's buffers (``array.data.ptr``), enqueued on the current stream;
the worker then waits for it on an event recorded after it: with no timeout as MPI's blocking collectives do
(the watchdog of ``mpi_world`` ends the job when a peer exits meanwhile), with ``timeout_seconds`` by polling
the event, past the deadline aborting the communicator and raising TF's ``DeadlineExceededError``. Values of a
dtype NCCL cannot sum (bool, int16, uint16) are reduced on the host, as with ``RING``; complex values are sums
of their real and imaginary parts. No value is copied to the host.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from .. import backends
from .mpi_world import _TIMEOUT_MESSAGE

# NumPy dtype name -> (NCCL datatype name, elements per value): complex sums are sums of two reals
_DATATYPES = {"int8": ("NCCL_INT8", 1), "uint8": ("NCCL_UINT8", 1), "int32": ("NCCL_INT32", 1),
              "uint32": ("NCCL_UINT32", 1), "int64": ("NCCL_INT64", 1), "uint64": ("NCCL_UINT64", 1),
              "float16": ("NCCL_FLOAT16", 1), "bfloat16": ("NCCL_BFLOAT16", 1), "float32": ("NCCL_FLOAT32", 1),
              "float64": ("NCCL_FLOAT64", 1), "complex64": ("NCCL_FLOAT32", 2), "complex128": ("NCCL_FLOAT64", 2)}
_ABORTED = ("Collective ops is aborted by: {}\nThe error could be from a previous operation. Restart your program "
            "to reset.")


def nccl_available(device: Any) -> bool:
    """Whether ``device`` (a featherflow ``Device``) is a GPU whose namespace has an NCCL binding."""
    return device.xp is not np and backends.nccl_or_none(device.xp) is not None


class NcclCollectives:
    """All-reduce, broadcast and all-gather of one worker's arrays on ``device`` (a GPU) with every other
    worker's, over one NCCL communicator of the MPI ``world``'s size. Made by every worker at once."""

    def __init__(self, world: Any, device: Any) -> None:
        self._world = world
        self.device = device
        self.rank, self.size = world.rank, world.size
        xp = self._xp = device.xp
        nccl = self._nccl = backends.nccl_or_none(xp)
        self._datatypes = {np.dtype(name) if name != "bfloat16" else name: (getattr(nccl, t), k)
                           for name, (t, k) in _DATATYPES.items() if hasattr(nccl, t)}
        self._aborted: str | None = None
        unique_id = np.zeros(nccl.NCCL_UNIQUE_ID_BYTES if hasattr(nccl, "NCCL_UNIQUE_ID_BYTES") else 128, np.int16)
        if world.rank == 0:
            unique_id[...] = nccl.get_unique_id()
        world.bcast(unique_id, root=0)
        with device.activate():
            self._comm = nccl.NcclCommunicator(world.size, tuple(int(b) for b in unique_id), world.rank)

    def _datatype(self, dtype: np.dtype) -> tuple | None:
        return self._datatypes.get("bfloat16" if dtype.name == "bfloat16" else dtype)

    def supports(self, dtype: np.dtype) -> bool:
        """Whether NCCL can sum values of ``dtype`` (else they go through the host)."""
        return self._datatype(dtype) is not None

    def empty_like(self, array: Any) -> Any:
        with self.device.activate():
            return self._xp.empty_like(array)

    def contiguous(self, array: Any) -> Any:
        """``array`` as a C-contiguous array on this communicator's card (a device copy where it is not)."""
        with self.device.activate():
            if getattr(array, "device", None) is not None and array.device.id != self._xp.cuda.Device().id:
                array = array.copy()
            return self._xp.ascontiguousarray(array)

    # --- collectives ----------------------------------------------------------------------------------------

    def allreduce(self, send: Any, recv: Any = None, timeout: float | None = None) -> Any:
        """The element-wise sum over all workers of ``send`` (contiguous, on the card), into ``recv`` (in
        place into ``send`` when None), returned."""
        datatype, per_value = self._datatype(send.dtype)
        target = send if recv is None else recv
        with self.device.activate():
            stream = self._stream()
            self._call().allReduce(send.data.ptr, target.data.ptr, send.size * per_value, datatype,
                                   self._nccl.NCCL_SUM, stream.ptr)
            self._wait(stream, timeout)
        return target

    def bcast(self, buffer: Any, root: int = 0, timeout: float | None = None) -> Any:
        """``buffer`` (contiguous, on the card) overwritten on every worker with the one of ``root``."""
        with self.device.activate():
            stream = self._stream()
            self._call().bcast(buffer.data.ptr, buffer.nbytes, self._nccl.NCCL_UINT8, root, stream.ptr)
            self._wait(stream, timeout)
        return buffer

    def allgather_rows(self, array: Any, timeout: float | None = None) -> Any:
        """Every worker's ``array`` (on the card) concatenated along the first axis in rank order; the first
        dimension may differ between workers (the counts travel on MPI, the rows on NCCL, padded)."""
        xp = self._xp
        mine = np.array([array.shape[0] if array.ndim else 1], np.int64)
        counts = self._world.allgather_rows(mine, timeout=timeout)
        rows = int(counts.max())
        with self.device.activate():
            array = xp.ascontiguousarray(array.reshape((-1,) + array.shape[1:]) if array.ndim else array.reshape(1))
            padded = array if array.shape[0] == rows else xp.concatenate(
                [array, xp.zeros((rows - array.shape[0],) + array.shape[1:], array.dtype)])
            out = xp.empty((self.size,) + padded.shape, padded.dtype)
            stream = self._stream()
            self._call().allGather(padded.data.ptr, out.data.ptr, padded.nbytes, self._nccl.NCCL_UINT8, stream.ptr)
            self._wait(stream, timeout)
            if (counts == rows).all():
                return out.reshape((self.size * rows,) + array.shape[1:])
            return xp.concatenate([out[i, :int(c)] for i, c in enumerate(counts)])

    # --- completion -----------------------------------------------------------------------------------------

    def _stream(self) -> Any:
        return self._xp.cuda.get_current_stream()

    def _call(self) -> Any:
        if self._aborted is not None:
            from ..errors import DeadlineExceededError

            raise DeadlineExceededError(None, None, _ABORTED.format(self._aborted))
        return self._comm

    def _wait(self, stream: Any, timeout: float | None) -> None:
        """Until the collective just enqueued on ``stream`` has completed (see the module's docstring)."""
        event = self._xp.cuda.Event(disable_timing=True)
        event.record(stream)
        if timeout is None:
            self._world._blocking_call(event.synchronize)
            return
        deadline = time.monotonic() + timeout
        delay = 0.0
        while not event.done:
            if time.monotonic() > deadline:
                from ..errors import DeadlineExceededError

                self._aborted = _TIMEOUT_MESSAGE
                self._comm.abort()  # NCCL's way out of a collective a peer never joins
                raise DeadlineExceededError(None, None, _TIMEOUT_MESSAGE)
            delay = min(delay * 2 or 1e-5, 2e-4)
            time.sleep(delay)
