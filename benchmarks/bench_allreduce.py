"""Multi-worker collectives over MPI: featherflow's all-reduce (``MultiWorkerMirroredStrategy``'s
``reduce_to``, as ``strategy.reduce`` and gradient aggregation use it) against raw mpi4py ``Allreduce`` on the
same float32 buffers, 1 KB to 256 MB, under ``mpiexec -n 2`` (and a few sizes under ``-n 4``); then one
training step of a 64-256-256-10 MLP with Adam on a global batch of 256, on 1, 2 and 4 processes, against
PyTorch DDP (gloo) doing the same step. The script launches itself under the venv's ``mpiexec``; each table
cell is the median over repeats, the time of the slowest rank.

Run: ``python benchmarks/run.py allreduce`` (or this file directly).
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import time

import numpy as np

SIZES = [1 << 10, 16 << 10, 256 << 10, 4 << 20, 64 << 20, 256 << 20]
SIZES_4 = [1 << 10, 1 << 20, 64 << 20]
MLP = [64, 256, 256, 10]
GLOBAL_BATCH = 256


def _mpiexec() -> str | None:
    return shutil.which("mpiexec", path=os.path.dirname(sys.executable)) or shutil.which("mpiexec")


def _timed(comm, fn, nbytes: int) -> float:
    """Median seconds per call on the slowest rank: every rank runs the same batches, started together."""
    from mpi4py import MPI

    iterations = int(min(200, max(1, 2e8 // max(nbytes, 1)))) if nbytes else 20
    repeats = 9 if nbytes < (16 << 20) else 3
    fn()
    samples = []
    for _ in range(repeats):
        comm.Barrier()
        start = time.perf_counter()
        for _ in range(iterations):
            fn()
        elapsed = np.array((time.perf_counter() - start) / iterations)
        slowest = np.empty_like(elapsed)
        comm.Allreduce(elapsed, slowest, op=MPI.MAX)
        samples.append(float(slowest))
    return statistics.median(samples)


def _worker_allreduce(sizes: list[int]) -> dict:
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    from mpi4py import MPI

    import featherflow as tf

    comm = MPI.COMM_WORLD
    strategy = tf.distribute.MultiWorkerMirroredStrategy()
    extended = strategy.extended
    results = {}
    for nbytes in sizes:
        array = np.full(nbytes // 4, comm.rank + 1.0, np.float32)
        tensor = tf.constant(array)
        device = tensor.device
        recv = np.empty_like(array)

        def raw(array=array, recv=recv):
            comm.Allreduce(array, recv, op=MPI.SUM)

        def ours(tensor=tensor, device=device):
            return extended.reduce_to("SUM", tensor, destinations=device)

        assert float(ours().numpy()[0]) == comm.size * (comm.size + 1) / 2
        results[nbytes] = {"featherflow": _timed(comm, ours, nbytes), "mpi4py": _timed(comm, raw, nbytes)}
    return results


def _mlp_weights():
    rng = np.random.default_rng(0)
    return [((rng.standard_normal((a, b)) * np.sqrt(2 / a)).astype(np.float32), np.zeros(b, np.float32))
            for a, b in zip(MLP[:-1], MLP[1:])]


def _worker_data(rank: int, size: int):
    rng = np.random.default_rng(1)
    x = rng.standard_normal((GLOBAL_BATCH, MLP[0])).astype(np.float32)
    y = rng.integers(0, MLP[-1], GLOBAL_BATCH).astype(np.int64)
    part = GLOBAL_BATCH // size
    return x[rank * part:(rank + 1) * part], y[rank * part:(rank + 1) * part]


def _worker_step_featherflow() -> float:
    from common import mlp_logits
    from mpi4py import MPI

    import featherflow as tf

    comm = MPI.COMM_WORLD
    strategy = tf.distribute.MultiWorkerMirroredStrategy()
    x, y = _worker_data(comm.rank, comm.size)
    xt, yt = tf.constant(x), tf.constant(y)
    with strategy.scope():
        params = [tf.Variable(a) for pair in _mlp_weights() for a in pair]
        optimizer = tf.optimizers.Adam(1e-3)

    def replica_step():
        with tf.GradientTape() as tape:
            h = mlp_logits(tf, params, xt)
            per_example = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=yt, logits=h)
            loss = tf.nn.compute_average_loss(per_example, global_batch_size=GLOBAL_BATCH)
        optimizer.apply_gradients(zip(tape.gradient(loss, params), params))
        return loss

    return _timed(comm, lambda: strategy.run(replica_step), 0)


def _worker_step_torch() -> float:
    import torch
    import torch.distributed as dist
    from mpi4py import MPI

    comm = MPI.COMM_WORLD
    torch.set_num_threads(1)
    port = comm.bcast(os.environ.get("FF_BENCH_PORT", "29511"), root=0)
    dist.init_process_group("gloo", init_method=f"tcp://127.0.0.1:{port}", rank=comm.rank, world_size=comm.size)
    x, y = _worker_data(comm.rank, comm.size)
    layers = []
    for w, b in _mlp_weights():
        linear = torch.nn.Linear(w.shape[0], w.shape[1])
        with torch.no_grad():
            linear.weight.copy_(torch.tensor(w.T))
            linear.bias.copy_(torch.tensor(b))
        layers += [linear, torch.nn.ReLU()]
    model = torch.nn.parallel.DistributedDataParallel(torch.nn.Sequential(*layers[:-1]))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    xt, yt = torch.tensor(x), torch.tensor(y)

    def step():
        optimizer.zero_grad()
        loss = torch.nn.functional.cross_entropy(model(xt), yt)  # DDP averages gradients over ranks
        loss.backward()
        optimizer.step()

    result = _timed(comm, step, 0)
    dist.destroy_process_group()
    return result


def _worker(mode: str) -> None:
    from mpi4py import MPI

    if mode == "allreduce":
        result = _worker_allreduce(SIZES)
    elif mode == "allreduce4":
        result = _worker_allreduce(SIZES_4)
    elif mode == "step-featherflow":
        result = _worker_step_featherflow()
    else:
        result = _worker_step_torch()
    if MPI.COMM_WORLD.rank == 0:
        print("RESULT " + json.dumps(result), flush=True)


def _launch(n: int, mode: str, timeout: float = 300) -> object | None:
    mpiexec = _mpiexec()
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1",
               FF_BENCH_PORT=str(29500 + n * 7 + len(mode)))
    out = subprocess.run([mpiexec, "-n", str(n), sys.executable, os.path.abspath(__file__), "--worker", mode],
                         env=env, capture_output=True, text=True, timeout=timeout)
    for line in out.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[len("RESULT "):])
    sys.stderr.write(out.stdout[-2000:] + out.stderr[-2000:])
    return None


def _size(nbytes: int) -> str:
    return f"{nbytes >> 20} MB" if nbytes >= 1 << 20 else f"{nbytes >> 10} KB"


def run() -> str:
    from common import table

    if _mpiexec() is None:
        return "### all-reduce over MPI\n\nskipped: no mpiexec (pip install 'featherflow[distributed]')\n"
    lines = []
    two = _launch(2, "allreduce") or {}
    rows = [(f"{_size(int(n))}, 2 workers", times) for n, times in two.items()]
    four = _launch(4, "allreduce4") or {}
    rows += [(f"{_size(int(n))}, 4 workers", times) for n, times in four.items()]
    lines.append(table("all-reduce (float32 SUM) across MPI workers: featherflow vs raw mpi4py Allreduce", rows))
    try:
        import torch  # noqa: F401

        has_torch = True
    except ImportError:
        has_torch = False
    step_rows = []
    for n in (1, 2, 4):
        times = {"featherflow": _launch(n, "step-featherflow")}
        if has_torch:
            times["pytorch-ddp-gloo"] = _launch(n, "step-torch")
        step_rows.append((f"{n} process{'es' if n > 1 else ''}", times))
    lines.append(table(f"MLP {'-'.join(map(str, MLP))} Adam step, global batch {GLOBAL_BATCH} split over the "
                       "processes: featherflow MultiWorkerMirroredStrategy vs PyTorch DDP (gloo)", step_rows))
    return "\n".join(lines)


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--worker":
        _worker(sys.argv[2])
    else:
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        print(run())
