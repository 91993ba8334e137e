"""featherflow's NCCL collectives (distribute/nccl_collectives.py) on this machine's first GPU: one process, an
MPI world of one (singleton MPI: no mpiexec needed), so the NCCL communicator has one rank. Checks what one rank
can show on real hardware: that CuPy's binding takes featherflow's calls (device addresses, counts, NCCL's
datatypes, the current stream, events), and that the results are right and stay on the card. Two ranks need two
GPUs (NCCL refuses two ranks on one); the multi-worker tests run them on simulated GPUs.

Run by tools/gpu_check.sh; here, ``FEATHERFLOW_SIMULATED_GPUS=1 python tools/nccl_check.py`` uses a simulated card.
"""

import sys

import numpy as np

import featherflow as tf
from featherflow.distribute.mpi_world import world
from featherflow.distribute.nccl_collectives import NcclCollectives, nccl_available


def main() -> int:
    gpus = tf.config.list_logical_devices("GPU")
    if not gpus:
        print("no GPU: nothing to check")
        return 1
    x = tf.constant([1.0])
    device = x._device
    if not nccl_available(device):
        print(f"{device.name}: no NCCL binding (cupy.cuda.nccl unavailable)")
        return 1
    nccl = NcclCollectives(world(), device)
    xp = device.xp
    failures = 0
    dtypes = ["float32", "float64", "float16", "int32", "int64", "uint8", "complex64"]
    try:
        import ml_dtypes

        dtypes.append(ml_dtypes.bfloat16)
    except ImportError:
        pass
    for dtype in dtypes:
        with device.activate():
            host = (np.arange(6) - 2).astype(dtype) if np.dtype(dtype).kind != "u" else np.arange(6, dtype=dtype)
            send = xp.asarray(host)
            recv = nccl.empty_like(send)
            out = nccl.allreduce(send, recv, timeout=None)
            same = out is recv and type(out) is type(send) and np.array_equal(xp.asnumpy(out), host)
            in_place = nccl.allreduce(xp.asarray(host), timeout=5.0)
            same = same and np.array_equal(xp.asnumpy(in_place), host)
        print(f"allreduce {np.dtype(dtype).name}: {'ok' if same else 'WRONG'}")
        failures += not same
    with device.activate():
        buffer = xp.asarray(np.arange(5, dtype=np.float32))
        ok = np.array_equal(xp.asnumpy(nccl.bcast(buffer, 0)), np.arange(5))
        rows = nccl.allgather_rows(xp.asarray(np.arange(6, dtype=np.int64).reshape(3, 2)))
        ok = ok and rows.shape == (3, 2) and np.array_equal(xp.asnumpy(rows), np.arange(6).reshape(3, 2))
        flags = nccl.allgather_rows(xp.asarray(np.array([True, False])))
        ok = ok and np.array_equal(xp.asnumpy(flags), [True, False])
    print(f"bcast, allgather_rows: {'ok' if ok else 'WRONG'}")
    failures += not ok
    print("nccl_check:", "passed" if not failures else f"{failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
