"""MultiWorkerMirroredStrategy over MPI: programs in mpi_programs/ run under ``mpiexec -n 2`` and ``-n 4`` (the
mpich wheel's hydra launcher, from the ``distributed`` extra) in subprocesses with timeouts; plus in-process
checks of how the launch and ``TF_CONFIG`` are resolved, which need no MPI."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import time

import numpy as np
import pytest

import featherflow as ff
from featherflow.distribute import collective_all_reduce_strategy as mwms
from featherflow.distribute.input_lib import batch_sizes_for_worker
from featherflow.distribute.mpi_world import launch_info
from featherflow.distribute.multi_worker_ops import pack_ranges

PROGRAMS = os.path.join(os.path.dirname(__file__), "mpi_programs")
MPIEXEC = shutil.which("mpiexec", path=os.path.dirname(sys.executable)) or shutil.which("mpiexec")
needs_mpiexec = pytest.mark.skipif(MPIEXEC is None, reason="mpiexec not found (pip install 'featherflow[distributed]' "
                                                           "installs the mpich wheel's)")
_LAUNCH_KEYS = ("PMI_RANK", "PMI_SIZE", "PMI_FD", "PMI_PORT", "OMPI_COMM_WORLD_RANK", "OMPI_COMM_WORLD_SIZE",
                "PMIX_RANK", "SLURM_NTASKS", "TF_CONFIG")


def _env() -> dict:
    env = {k: v for k, v in os.environ.items() if k not in _LAUNCH_KEYS}
    src = os.path.join(os.path.dirname(__file__), "..", "..", "src")
    env["PYTHONPATH"] = os.pathsep.join([os.path.abspath(src)] + ([env["PYTHONPATH"]] if "PYTHONPATH" in env else []))
    env.update(OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    return env


def mpirun(n: int, program: str, *args: str, timeout: float = 60, env: dict | None = None) -> subprocess.CompletedProcess:
    """``mpiexec -n n python program args`` to completion (killed at ``timeout``: a hang fails the test)."""
    command = [MPIEXEC, "-n", str(n), sys.executable, os.path.join(PROGRAMS, program), *args]
    return subprocess.run(command, env={**_env(), **(env or {})}, capture_output=True, text=True, timeout=timeout)


def _ok(result: subprocess.CompletedProcess) -> None:
    assert result.returncode == 0, result.stdout + result.stderr


# --- under mpiexec ---------------------------------------------------------------------------------------------


_GPUS = {"FEATHERFLOW_SIMULATED_GPUS": "1"}  # a simulated GPU per worker: its collectives go through NCCL


@needs_mpiexec
@pytest.mark.parametrize("workers, bytes_per_pack, env", [(2, 0, None), (4, 64, None), (2, 0, _GPUS)],
                         ids=["2 workers", "4 workers, 4 packs", "2 workers on GPUs"])  # 64 bytes: a pack a gradient
def test_data_parallel_training_reaches_the_weights_of_one_process(workers, bytes_per_pack, env, tmp_path) -> None:
    out = tmp_path / "weights.npz"
    _ok(mpirun(workers, "train.py", str(out), str(bytes_per_pack), env=env))
    result = np.load(out)
    assert (int(result["workers"]), int(result["replicas"])) == (workers, workers)
    for i in range(4):
        np.testing.assert_allclose(result[f"distributed_{i}"], result[f"reference_{i}"], rtol=0, atol=1e-6)
        assert result[f"distributed_{i}"].dtype == np.float64


@needs_mpiexec
def test_each_worker_sees_its_task_and_the_collectives_of_all(tmp_path) -> None:
    _ok(mpirun(4, "info.py", str(tmp_path)))
    workers = [json.loads((tmp_path / f"worker-{rank}.json").read_text()) for rank in range(4)]
    for rank, seen in enumerate(workers):
        assert seen["mpi4py_before_strategy"] is False
        assert (seen["task_type"], seen["task_id"], seen["num_workers"]) == ("worker", rank, 4)
        assert (seen["multi_worker"], seen["replicas"], seen["chief"]) == (True, 4, rank == 0)
        assert seen["v"] == 10.0  # the chief's initial value, broadcast
        assert seen["replica_id"] == rank
        assert seen["sum"] == [10.0, 20.0] and seen["mean"] == 1.5
        assert seen["int_mean"] == ["int64", "/job:localhost/replica:0/task:0/device:CPU:0", [1, 3]]  # 6 // 4, 12 // 4
        assert seen["gather"] == [[r, r] for r in range(4) for _ in range(r + 1)]  # unequal first dimensions
        assert seen["all_gather"] == [0, 0, 1, 1, 2, 2, 3, 3]
        assert seen["all_reduce"] == [6.0, [6.0, 6.0, 6.0], [6]]
        assert seen["data"] == [[2 * rank, 2 * rank + 1], [8 + 2 * rank, 9 + 2 * rank]]  # AutoShardPolicy.DATA
        assert seen["off"] == [[2 * i, 2 * i + 1] for i in range(8)]  # OFF: every worker reads all, in turn


@needs_mpiexec
@pytest.mark.parametrize("implementation", ["AUTO", "NCCL", "RING"])
def test_workers_on_gpus_reduce_card_to_card_through_nccl(implementation, tmp_path) -> None:
    _ok(mpirun(2, "gpus.py", str(tmp_path), implementation, env={"FEATHERFLOW_SIMULATED_GPUS": "2"}))
    for rank in range(2):
        seen = json.loads((tmp_path / f"gpus-{rank}.json").read_text())
        assert seen["nccl"] is (implementation != "RING")
        assert (seen["local"], seen["replicas"]) == (2, 4)
        assert seen["v"] == [10.0] * 3 and seen["counter"] == 5  # the chief's initial values, on both cards
        assert seen["v_devices"] == [f"/job:localhost/replica:0/task:0/device:GPU:{i}" for i in range(2)]
        # replicas 0..3: float32, int64, complex64, float16 (NCCL) and int16 (through the host)
        assert seen["sum"] == [[10.0, 20.0], [6], [6.0], [3.0], [6]] and seen["sum_imag"] == [4.0]
        assert seen["sum_dtypes"] == ["float32", "int64", "complex64", "float16", "int16"]
        assert seen["mean"] == [2.5, 5.0]
        assert seen["replica_sums"] == [[[10.0, 20.0]] * 2, [[6]] * 2]
        assert seen["replica_devices"] == seen["v_devices"]
        assert seen["replica_gathered"] == [[0, 1, 2, 3]] * 2
        if implementation == "RING":  # MPI on host buffers: every value copied out and back
            assert seen["transfers"][0] > 0 and seen["transfers"][1] > 0
        else:  # NCCL, card to card: nothing through the host
            assert seen["transfers"] == [0, 0]
        assert seen["gather"] == [[r, r] for r in range(4) for _ in range(r + 1)]
        assert seen["slices"] == [[2.0], [2.0], [0.0]]  # IndexedSlices: all-gathered, then summed


@needs_mpiexec
def test_workers_with_different_devices_are_refused_not_left_waiting() -> None:
    command = [MPIEXEC, "-n", "1", "-env", "FEATHERFLOW_SIMULATED_GPUS", "1", sys.executable,
               os.path.join(PROGRAMS, "info.py"), "/nonexistent", ":", "-n", "1", sys.executable,
               os.path.join(PROGRAMS, "info.py"), "/nonexistent"]
    result = subprocess.run(command, env=_env(), capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert ("MultiWorkerMirroredStrategy needs the same local devices on every worker (worker 0: 1 GPU, "
            "worker 1: 1 CPU)") in result.stderr


@needs_mpiexec
@pytest.mark.skipif(importlib.util.find_spec("keras") is None, reason="keras is not installed")
def test_keras_fit_on_two_workers_reaches_the_weights_of_one_process(tmp_path) -> None:
    # Keras runs in the workers only (loaded on featherflow by use_as_tensorflow), never in this process
    _ok(mpirun(2, "keras_fit.py", str(tmp_path), timeout=240,
               env={"KERAS_BACKEND": "tensorflow", "TF_CPP_MIN_LOG_LEVEL": "3", "CUDA_VISIBLE_DEVICES": ""}))
    chief, other = (np.load(tmp_path / f"keras-{rank}.npz") for rank in range(2))
    assert (int(chief["workers"]), int(chief["replicas"])) == (2, 2)
    for i in range(4):  # the Dense kernels and biases
        assert chief[f"distributed_{i}"].dtype == np.float64
        np.testing.assert_array_equal(chief[f"distributed_{i}"], other[f"distributed_{i}"])
        np.testing.assert_allclose(chief[f"distributed_{i}"], chief[f"reference_{i}"], rtol=0, atol=1e-6)
    np.testing.assert_allclose(chief["loss"], chief["reference_loss"], rtol=1e-6)  # the mean over the replicas
    np.testing.assert_array_equal(chief["loss"], other["loss"])
    assert chief["loss"][-1] < chief["loss"][0]


@needs_mpiexec
@pytest.mark.skipif(importlib.util.find_spec("keras") is None, reason="keras is not installed")
def test_keras_backup_and_restore_resumes_an_interrupted_job(tmp_path) -> None:
    env = {"KERAS_BACKEND": "tensorflow", "TF_CPP_MIN_LOG_LEVEL": "3", "CUDA_VISIBLE_DEVICES": "", "PYTHONPATH":
           os.pathsep.join([PROGRAMS, _env()["PYTHONPATH"]])}
    interrupted = mpirun(2, "keras_backup.py", str(tmp_path), "interrupt", timeout=240, env=env)
    assert interrupted.returncode != 0
    assert "featherflow: worker 1 of 2 (task worker:1) failed with RuntimeError" in interrupted.stderr
    assert not list(tmp_path.glob("backup-*.npz"))
    _ok(mpirun(2, "keras_backup.py", str(tmp_path), "resume", timeout=240, env=env))
    chief, other = (np.load(tmp_path / f"backup-{rank}.npz") for rank in range(2))
    assert chief["epochs"].tolist() == other["epochs"].tolist() == [2, 3]  # epochs 0 and 1 restored, not rerun
    for i in range(4):
        np.testing.assert_array_equal(chief[f"distributed_{i}"], other[f"distributed_{i}"])
        np.testing.assert_allclose(chief[f"distributed_{i}"], chief[f"reference_{i}"], rtol=0, atol=1e-6)


@needs_mpiexec
def test_each_worker_reads_its_files_under_file_sharding(tmp_path) -> None:
    for f in range(4):
        with ff.io.TFRecordWriter(str(tmp_path / f"{f}.tfrecord")) as writer:
            for r in range(2):
                writer.write(f"f{f}r{r}".encode())
    _ok(mpirun(2, "files.py", str(tmp_path)))
    workers = [json.loads((tmp_path / f"files-{rank}.json").read_text()) for rank in range(2)]
    for rank, seen in enumerate(workers):
        mine = [[f"f{f}r{r}"] for f in (rank, rank + 2) for r in range(2)]  # files[rank::2], a record a step
        assert seen["file"] == mine and seen["auto"] == mine
        assert seen["data"] == [[f"f{f}r{rank}"] for f in range(4)]  # each global batch's part of this worker
        assert seen["off"] == [[f"f{f}r{r}"] for f in range(4) for r in range(2)]
        # list_files (shuffled) + interleave: this worker's two files, in either order, interleaved
        assert sorted(sum(seen["listed"], [])) == sorted(f"{row[0]}!" for row in mine)
        assert seen["slices_auto"] == ([["a"], ["c"]] if rank == 0 else [["b"], ["d"]])  # AUTO: DATA, no files
        assert seen["slices_file"]["error"] == "NotFoundError"
        assert "Found an unshardable source dataset: " in seen["slices_file"]["message"]
    assert workers[0]["one_file"]["error"] == "InvalidArgumentError"
    assert ("Could not apply FILE based sharding: the dataset only has 1 file(s), which is not enough for the "
            "required 2 shards/workers.") in workers[0]["one_file"]["message"]
    assert workers[1]["one_file"] == []  # no file for this worker: an empty shard, as TF's


@needs_mpiexec
def test_a_killed_worker_ends_the_job(tmp_path) -> None:
    result = mpirun(2, "faults.py", "kill", timeout=30)
    ended = time.time()
    assert result.returncode != 0
    killed = float(result.stdout.split("killed at ")[1].split()[0])
    assert ended - killed < 10  # the launcher ends the others (hydra: within a second)


@needs_mpiexec
@pytest.mark.parametrize("mode, message", [
    ("raise", "featherflow: worker 1 of 2 (task worker:1) failed with RuntimeError: this worker failed on purpose"),
    ("exit", "featherflow: worker 1 exited while worker 0 waits for it in a collective; aborting the MPI job"),
    ("timeout", "failed with DeadlineExceededError: Collective has timed out waiting for other workers."),
], ids=["a raising worker", "a worker exiting early", "a collective past its timeout"])
@pytest.mark.parametrize("env", [None, _GPUS], ids=["CPUs", "GPUs"])
def test_a_failing_worker_ends_the_job_saying_why(mode, message, env) -> None:
    result = mpirun(2, "faults.py", mode, timeout=30, env=env)
    assert result.returncode != 0
    assert message in result.stderr


@needs_mpiexec
def test_only_the_chief_checkpoints_and_a_restarted_job_resumes(tmp_path) -> None:
    _ok(mpirun(2, "checkpoint.py", str(tmp_path), "3"))
    first = json.loads((tmp_path / "result.json").read_text())
    assert (first["resumed"], first["step"]) == (0, 3)
    assert sorted(os.listdir(tmp_path)) == ["checkpoint", "ckpt-2.data-00000-of-00001", "ckpt-2.index",
                                            "ckpt-3.data-00000-of-00001", "ckpt-3.index", "result.json"]
    assert ff.train.latest_checkpoint(str(tmp_path)).endswith("ckpt-3")
    _ok(mpirun(2, "checkpoint.py", str(tmp_path), "6"))
    second = json.loads((tmp_path / "result.json").read_text())
    assert (second["resumed"], second["step"]) == (3, 6)
    np.testing.assert_allclose(second["w"], second["reference"], rtol=0, atol=1e-12)
    assert not any(name.startswith("workertemp") for name in os.listdir(tmp_path))


# --- in process: how the launch is resolved ---------------------------------------------------------------------


@pytest.fixture
def no_launch(monkeypatch):
    for key in _LAUNCH_KEYS:
        monkeypatch.delenv(key, raising=False)
    return monkeypatch


def test_launchers_are_read_from_the_environment(no_launch) -> None:
    assert launch_info() is None
    no_launch.setenv("PMI_RANK", "2")
    no_launch.setenv("PMI_SIZE", "4")
    assert launch_info() == (2, 4)
    no_launch.delenv("PMI_RANK")
    no_launch.setenv("PMIX_RANK", "1")
    assert launch_info() == (1, None)
    no_launch.setenv("SLURM_NTASKS", "8")
    assert launch_info() == (1, 8)
    no_launch.setenv("OMPI_COMM_WORLD_RANK", "3")
    no_launch.setenv("OMPI_COMM_WORLD_SIZE", "5")
    assert launch_info() == (3, 5)


def test_import_and_a_one_worker_strategy_never_load_mpi4py() -> None:
    code = ("import sys, featherflow as tf; s = tf.distribute.MultiWorkerMirroredStrategy(); "
            "print('mpi4py' in sys.modules, s.extended._in_multi_worker_mode())")
    env = {k: v for k, v in _env().items()}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert result.stdout.split() == ["False", "False"], result.stderr


def test_tf_config_must_agree_with_the_mpi_launch(no_launch) -> None:
    no_launch.setenv("PMI_RANK", "1")
    no_launch.setenv("PMI_SIZE", "2")
    no_launch.setenv("TF_CONFIG", '{"cluster": {"worker": ["a:1", "b:2"]}, "task": {"type": "worker", "index": 0}}')
    with pytest.raises(ValueError, match=r"TF_CONFIG has 2 workers and this task is worker:0, but the MPI launch has "
                                         r"2 workers and this process is rank 1 \(task worker:1\)"):
        ff.distribute.MultiWorkerMirroredStrategy()
    no_launch.setenv("TF_CONFIG", '{"cluster": {"chief": ["a:1"], "worker": ["b:2", "c:3"]}, '
                                  '"task": {"type": "worker", "index": 0}}')
    with pytest.raises(ValueError, match="TF_CONFIG has 3 workers"):
        ff.distribute.MultiWorkerMirroredStrategy()
    no_launch.setenv("TF_CONFIG", '{"cluster": {"chief": ["a:1"], "worker": ["b:2"]}, '
                                  '"task": {"type": "worker", "index": 0}}')
    resolver, rank, size = mwms.resolve_cluster(None)  # agrees: worker 0 after the chief is rank 1
    assert (resolver.task_type, resolver.task_id, resolver.num_workers, rank, size) == ("worker", 1, 2, 1, 2)
    assert resolver.cluster_spec().as_dict() == {"chief": ["a:1"], "worker": ["b:2"]}


def test_an_mpi_launch_of_one_process_is_one_worker(no_launch) -> None:
    no_launch.setenv("PMI_RANK", "0")
    no_launch.setenv("PMI_SIZE", "1")
    resolver, rank, size = mwms.resolve_cluster(None)
    assert (resolver.task_type, resolver.task_id, rank, size) == ("worker", 0, 0, 1)


def test_a_multi_worker_tf_config_without_mpi_says_to_launch_with_mpiexec(no_launch) -> None:
    no_launch.setenv("TF_CONFIG", '{"cluster": {"worker": ["a:1", "b:2"]}, "task": {"type": "worker", "index": 1}}')
    with pytest.raises(RuntimeError, match=r"Launch the program with `mpiexec -n <workers> python \.\.\.`"):
        ff.distribute.MultiWorkerMirroredStrategy()


def test_rebatching_and_fusion_sizes() -> None:
    assert batch_sizes_for_worker(7, 2, 2, 0) == [2, 2, 2, 1]  # TF's docstring example
    assert batch_sizes_for_worker(7, 2, 2, 1) == [2, 1, 2, 2]
    assert pack_ranges([10, 10, 10, 100, 1], 4, 0) == [(0, 5)]
    assert pack_ranges([10, 10, 10, 100, 1], 4, 80) == [(0, 2), (2, 3), (3, 4), (4, 5)]


def test_file_utils_write_where_tf_says(tmp_path) -> None:
    from featherflow.distribute.distributed_file_utils import remove_temp_dirpath, write_dirpath, write_filepath

    strategy = ff.distribute.MultiWorkerMirroredStrategy()
    assert write_dirpath(str(tmp_path), strategy) == str(tmp_path)
    assert write_filepath(str(tmp_path / "model.h5"), strategy) == str(tmp_path / "model.h5")
    remove_temp_dirpath(str(tmp_path), strategy)
    assert tmp_path.exists()


def test_nccl_without_gpus_warns_as_tf(no_launch, caplog) -> None:
    options = ff.distribute.experimental.CommunicationOptions(implementation="NCCL")
    with caplog.at_level("WARNING", logger="tensorflow"):
        strategy = ff.distribute.MultiWorkerMirroredStrategy(communication_options=options)
    assert "Enabled NCCL communication but no GPUs detected/specified." in caplog.text
    assert strategy.reduce("SUM", ff.constant(2.0), axis=None).numpy() == 2.0  # one worker: nothing to send


@needs_mpiexec
def test_the_gpu_machines_nccl_check_passes_on_a_simulated_card() -> None:
    script = os.path.join(os.path.dirname(__file__), "..", "..", "tools", "nccl_check.py")
    result = subprocess.run([sys.executable, script], env={**_env(), "FEATHERFLOW_SIMULATED_GPUS": "1"},
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "allreduce bfloat16: ok" in result.stdout and "nccl_check: passed" in result.stdout
