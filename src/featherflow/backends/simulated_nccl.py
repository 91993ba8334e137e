"""The simulated GPU's NCCL: CuPy's ``cupy.cuda.nccl`` binding (``get_unique_id``, ``NcclCommunicator`` with
``allReduce``, ``bcast``, ``allGather``, ``abort``; NCCL's datatype and operation numbers) and the CUDA streams
and events a program waits on its collectives with (``cuda.get_current_stream``, ``cuda.Event``), for
processes of an MPI job (each with its simulated cards) instead of GPUs joined by NVLink or InfiniBand.

As NCCL's, a collective takes device addresses (``array.data.ptr``), a count and NCCL's datatype, and is only
enqueued on a stream: it completes later, and a program learns that it did through an event recorded after it
(``event.done``, ``event.synchronize()``) or the stream's ``synchronize()``. Here the enqueued collective is a
non-blocking MPI collective on the card's buffer (the address read back as the simulated card's host memory),
which those calls test and wait on; NCCL's float16 and bfloat16, which MPI cannot sum, are summed in float32.
It is a test bed for featherflow's NCCL path, which runs unchanged on CuPy's binding, not a transport.

A communicator is made by every process of the MPI world together (``ncclCommInitRank`` is collective), the
unique id passed from one to the others (over MPI, as on real NCCL), on the card current at the time.
"""

from __future__ import annotations

import ctypes
import os
from typing import Any

import numpy as np

from .simulated_cuda import _local

available = True

NCCL_UNIQUE_ID_BYTES = 128
# ncclDataType_t and ncclRedOp_t, with NCCL's numbers (CuPy exports the same names)
NCCL_INT8, NCCL_UINT8, NCCL_INT32, NCCL_UINT32, NCCL_INT64, NCCL_UINT64 = 0, 1, 2, 3, 4, 5
NCCL_FLOAT16, NCCL_FLOAT32, NCCL_FLOAT64, NCCL_BFLOAT16 = 6, 7, 8, 9
NCCL_CHAR, NCCL_INT, NCCL_HALF, NCCL_FLOAT, NCCL_DOUBLE = 0, 2, 6, 7, 8
NCCL_SUM, NCCL_PROD, NCCL_MAX, NCCL_MIN, NCCL_AVG = 0, 1, 2, 3, 4

_DTYPES = {NCCL_INT8: "int8", NCCL_UINT8: "uint8", NCCL_INT32: "int32", NCCL_UINT32: "uint32", NCCL_INT64: "int64",
           NCCL_UINT64: "uint64", NCCL_FLOAT16: "float16", NCCL_FLOAT32: "float32", NCCL_FLOAT64: "float64",
           NCCL_BFLOAT16: "bfloat16"}
_WIDENED = (NCCL_FLOAT16, NCCL_BFLOAT16)  # MPI has no sum for these: reduced in float32
_ERRORS = {3: "NCCL_ERROR_INTERNAL_ERROR: internal error", 4: "NCCL_ERROR_INVALID_ARGUMENT: invalid argument",
           5: "NCCL_ERROR_INVALID_USAGE: invalid usage"}


class NcclError(RuntimeError):
    """CuPy's ``cupy.cuda.nccl.NcclError``: NCCL's status and its message."""

    def __init__(self, status: int) -> None:
        self.status = status
        super().__init__(_ERRORS.get(status, f"NCCL error {status}"))


def get_version() -> int:
    return 22700


def get_unique_id() -> tuple:
    """128 bytes that name one communicator (as CuPy's: a tuple of C ``char`` values)."""
    return tuple(int(b) for b in np.frombuffer(os.urandom(NCCL_UNIQUE_ID_BYTES), np.int8))


def _dtype(datatype: int) -> np.dtype:
    name = _DTYPES.get(datatype)
    if name is None:
        raise NcclError(4)
    if name == "bfloat16":
        import ml_dtypes

        return np.dtype(ml_dtypes.bfloat16)
    return np.dtype(name)


def _buffer(ptr: int, count: int, dtype: np.dtype) -> np.ndarray:
    """The ``count`` elements at device address ``ptr`` (the simulated card's memory is host memory)."""
    nbytes = int(count) * dtype.itemsize
    if nbytes == 0:
        return np.empty(0, dtype)
    return np.ctypeslib.as_array((ctypes.c_uint8 * nbytes).from_address(ptr)).view(dtype)


# --- streams and events -------------------------------------------------------------------------------------

_pending: dict[int, list] = {}  # stream address -> collectives enqueued on it and not yet known complete


class _Enqueued:
    """A collective on a stream: its MPI request, and what completes it on the device buffer afterwards."""

    __slots__ = ("request", "finish")

    def __init__(self, request: Any, finish: Any = None) -> None:
        self.request = request
        self.finish = finish

    def test(self) -> bool:
        if self.request is not None and not self.request.Test():
            return False
        self._complete()
        return True

    def wait(self) -> None:
        if self.request is not None:
            self.request.Wait()
        self._complete()

    def _complete(self) -> None:
        self.request = None
        if self.finish is not None:
            finish, self.finish = self.finish, None
            finish()


class Stream:
    """``cupy.cuda.Stream``: ``ptr`` names it (0: the legacy default stream)."""

    def __init__(self, null: bool = False, non_blocking: bool = False, ptds: bool = False) -> None:
        self.ptr = 0 if null else id(self)

    def synchronize(self) -> None:
        for work in _pending.pop(self.ptr, []):
            work.wait()

    @property
    def done(self) -> bool:
        work = _pending.get(self.ptr, [])
        while work and work[0].test():
            work.pop(0)
        return not work


_null = Stream(null=True)


def get_current_stream(device_id: int | None = None) -> Stream:
    """The current stream (the simulation has only the legacy default one)."""
    return _null


class Event:
    """``cupy.cuda.Event``: ``record`` marks what was enqueued on a stream so far; ``done`` says whether it
    has completed, ``synchronize`` waits for it."""

    def __init__(self, block: bool = False, disable_timing: bool = False, interprocess: bool = False) -> None:
        self._work: list = []

    def record(self, stream: Stream | None = None) -> None:
        self._work = list(_pending.get((stream or _null).ptr, []))

    @property
    def done(self) -> bool:
        while self._work and self._work[0].test():
            self._work.pop(0)
        return not self._work

    def synchronize(self) -> None:
        for work in self._work:
            work.wait()
        self._work = []


def _enqueue(stream: int, request: Any, finish: Any = None) -> None:
    work = _pending.setdefault(int(stream), [])
    work[:] = [w for w in work if w.request is not None or w.finish is not None]
    work.append(_Enqueued(request, finish))


# --- communicators ------------------------------------------------------------------------------------------


class NcclCommunicator:
    """``cupy.cuda.nccl.NcclCommunicator(ndev, commId, rank)``: rank ``rank`` of ``ndev``, on the current card."""

    def __init__(self, ndev: int, commId: tuple, rank: int) -> None:  # noqa: N803 (CuPy's name)
        from mpi4py import MPI

        if len(commId) != NCCL_UNIQUE_ID_BYTES:
            raise AssertionError
        color = int(np.array(commId[:4], np.int64) @ np.array([1, 256, 65536, 1 << 24])) & 0x3FFFFFFF
        self._comm = MPI.COMM_WORLD.Split(color, rank)
        self._mpi = MPI
        if self._comm.Get_size() != ndev or not 0 <= rank < ndev:
            self._comm.Free()
            self._comm = None
            raise NcclError(4)
        self._rank = rank
        self._card = _local.card

    def destroy(self) -> None:
        if self._comm is not None:
            self._comm.Free()
            self._comm = None

    def abort(self) -> None:
        self._comm = None  # its collectives in flight are abandoned with it

    def device_id(self) -> int:
        return self._card

    def rank_id(self) -> int:
        return self._rank

    def size(self) -> int:
        return self._live().Get_size()

    def _live(self) -> Any:
        if self._comm is None:
            raise NcclError(5)
        if _local.card != self._card:  # NCCL runs on the communicator's device: its buffers must live there
            raise NcclError(5)
        return self._comm

    def allReduce(self, sendbuf: int, recvbuf: int, count: int, datatype: int, op: int,  # noqa: N802
                  stream: int) -> None:
        comm = self._live()
        dtype = _dtype(datatype)
        mpi_op = {NCCL_SUM: self._mpi.SUM, NCCL_PROD: self._mpi.PROD, NCCL_MAX: self._mpi.MAX,
                  NCCL_MIN: self._mpi.MIN, NCCL_AVG: self._mpi.SUM}.get(op)
        if mpi_op is None:
            raise NcclError(4)
        send, recv = _buffer(sendbuf, count, dtype), _buffer(recvbuf, count, dtype)
        size = comm.Get_size()
        if datatype in _WIDENED or op == NCCL_AVG:
            wide = send.astype(np.float64 if dtype == np.float64 else np.float32)
            out = np.empty_like(wide)

            def finish(out: np.ndarray = out, wide: np.ndarray = wide) -> None:  # both live until then
                recv[...] = (out / size if op == NCCL_AVG else out).astype(dtype)

            _enqueue(stream, comm.Iallreduce(wide, out, op=mpi_op), finish)
            return
        if sendbuf == recvbuf:
            _enqueue(stream, comm.Iallreduce(self._mpi.IN_PLACE, recv, op=mpi_op))
        else:
            _enqueue(stream, comm.Iallreduce(send, recv, op=mpi_op))

    def bcast(self, buff: int, count: int, datatype: int, root: int, stream: int) -> None:
        comm = self._live()
        buffer = _buffer(buff, count, _dtype(datatype)).view(np.uint8)
        _enqueue(stream, comm.Ibcast(buffer, root=root))

    def broadcast(self, sendbuff: int, recvbuff: int, count: int, datatype: int, root: int, stream: int) -> None:
        dtype = _dtype(datatype)
        if self._rank == root and sendbuff != recvbuff:
            _buffer(recvbuff, count, dtype)[...] = _buffer(sendbuff, count, dtype)
        self.bcast(recvbuff, count, datatype, root, stream)

    def allGather(self, sendbuf: int, recvbuf: int, count: int, datatype: int, stream: int) -> None:  # noqa: N802
        comm = self._live()
        dtype = _dtype(datatype)
        send = _buffer(sendbuf, count, dtype).view(np.uint8)
        recv = _buffer(recvbuf, count * comm.Get_size(), dtype).view(np.uint8)
        _enqueue(stream, comm.Iallgather(send, recv))


def groupStart() -> None:  # noqa: N802
    """Collectives of a group are enqueued as they are called here (one communicator per process)."""


def groupEnd() -> None:  # noqa: N802
    """See ``groupStart``."""
