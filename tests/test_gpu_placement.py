"""TF's placement on a GPU machine: the default device decided when the runtime starts (GPU:0 with a GPU, the CPU
without CuPy at no cost), variables written in place in device memory, the dtypes a GPU array cannot hold kept on
the host, and the seed's example (variables on the CPU, a multiply under ``tf.device('GPU:0')``) logged as TF
logs it. The GPU here is the simulated one (featherflow.backends.simulated), or CuPy's namespace stood in by it."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from typing import Any

import ml_dtypes
import numpy as np
import pytest

import featherflow as ff
from featherflow.backends import DEVICE_DTYPES, simulated, simulated_cuda

_GPU0 = "/job:localhost/replica:0/task:0/device:GPU:0"
_CPU0 = "/job:localhost/replica:0/task:0/device:CPU:0"


def _python(code: str, **env: str) -> list[str]:
    """The lines a fresh interpreter prints running ``code`` (no simulated GPUs unless ``env`` asks)."""
    base = {k: v for k, v in os.environ.items() if k not in ("FEATHERFLOW_SIMULATED_GPUS", "FEATHERFLOW_TEST_GPU")}
    result = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                            env=dict(base, **env), timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


# --- the default device: decided once, when the runtime starts ----------------------------------------------

_NO_CUPY = """
import importlib.util, sys
found = importlib.util.find_spec
importlib.util.find_spec = lambda name, *a: None if name == "cupy" else found(name, *a)  # CuPy not installed

class Refuse:  # an import of CuPy fails the test
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] == "cupy":
            raise AssertionError("cupy imported")

sys.meta_path.insert(0, Refuse())
import featherflow as tf
device = sys.modules["featherflow.device"]
print(device._default)
x, v = tf.constant([1.0]), tf.Variable([2.0])
print(device._default.name, x.device, v.device, type(x._value).__name__)
print("cupy" in sys.modules, "featherflow.backends.cupy_backend" in sys.modules)
"""


def test_without_cupy_the_runtime_starts_on_the_cpu_without_importing_it() -> None:
    lines = _python(_NO_CUPY)
    assert lines == ["None", f"{_CPU0} {_CPU0} {_CPU0} ndarray", "False True"]


def test_import_featherflow_probes_nothing() -> None:
    lines = _python("""
        import sys
        import featherflow
        device = sys.modules["featherflow.device"]
        print(device._default, device._gpus, sorted(m for m in sys.modules if m.split(".")[0] == "cupy"),
              "featherflow.backends.cupy_backend" in sys.modules)
    """)
    assert lines == ["None None [] False"]


# CuPy "installed" and seeing one GPU: CuPy's namespace is stood in by the simulated card's (which follows CuPy's
# API), so the probe runs the real backend's code path (find_spec, import, getDeviceCount) once, at the first tensor.
_ONE_GPU = """
import importlib.machinery, importlib.util, sys, threading
from featherflow.backends import simulated
calls = []
count = simulated._Runtime.getDeviceCount
simulated._Runtime.getDeviceCount = staticmethod(lambda: calls.append(1) or 1)
simulated.configure(1)
sys.modules["cupy"] = simulated.xp
found = importlib.util.find_spec
importlib.util.find_spec = lambda name, *a: importlib.machinery.ModuleSpec("cupy", None) if name == "cupy" else found(name, *a)
early = []
started = threading.Event()
def early_thread():  # a thread made before the runtime started: placed as the process is, once it starts
    started.wait()
    early.append(tf.constant(1.0).device)
t = threading.Thread(target=early_thread)
t.start()
import featherflow as tf
device = sys.modules["featherflow.device"]
print(len(calls), device._default)
x, v = tf.constant([1.0, 2.0]), tf.Variable([3.0, 4.0])
probed = len(calls)
print(probed > 0, device._default.name, x.device, v.device, (x * v).device, type(v._array).__name__)
with tf.device("CPU:0"):
    print(tf.constant(1.0).device, tf.Variable(1.0).device, (x * 2).device)
    with tf.device(None):
        print(tf.constant(1.0).device)
started.set(); t.join()
late = []
t = threading.Thread(target=lambda: late.append(tf.ones([2]).device)); t.start(); t.join()
print(early[0], late[0], tf.constant(["s"]).device, len(calls) == probed)
"""


def test_with_a_gpu_new_tensors_and_variables_go_to_gpu_0_unless_a_scope_says_otherwise() -> None:
    lines = _python(_ONE_GPU)
    assert lines[0] == "0 None"  # nothing probed at import
    assert lines[1] == f"True {_GPU0} {_GPU0} {_GPU0} {_GPU0} SimArray"  # probed at the first tensor
    assert lines[2] == f"{_CPU0} {_CPU0} {_CPU0}"
    assert lines[3] == _GPU0  # tf.device(None): the default device again
    assert lines[4] == f"{_GPU0} {_GPU0} {_CPU0} True"  # threads too; strings on the host; never probed again


def test_the_probe_finds_no_gpu_when_cuda_has_none(monkeypatch: Any) -> None:
    from featherflow.backends import cupy_backend

    class FailingRuntime:
        @staticmethod
        def getDeviceCount() -> int:  # noqa: N802 (CuPy's name)
            raise RuntimeError("cudaErrorInsufficientDriver: CUDA driver version is insufficient")

    fake = type(sys)("cupy")
    fake.cuda = type(sys)("cupy.cuda")
    fake.cuda.runtime = FailingRuntime
    monkeypatch.setattr(cupy_backend, "installed", lambda: True)
    monkeypatch.setitem(sys.modules, "cupy", fake)
    assert cupy_backend.load() is None and cupy_backend.device_count() == 0
    fake.cuda.runtime = type("NoDevice", (), {"getDeviceCount": staticmethod(lambda: 0)})
    assert cupy_backend.load() is None
    fake.cuda.runtime = type("OneDevice", (), {"getDeviceCount": staticmethod(lambda: 1)})
    assert cupy_backend.load() is fake and cupy_backend.device_count() == 1
    monkeypatch.setattr(cupy_backend, "installed", lambda: False)
    assert cupy_backend.load() is None


# --- the seed's example, as TF logs it on a GPU machine --------------------------------------------------------

_SEED = """
import featherflow as tf
tf.debugging.set_log_device_placement(True)
with tf.device('CPU:0'):
    a = tf.Variable([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    b = tf.Variable([[1.0, 2.0, 3.0]])
with tf.device('GPU:0'):
    k = a * b
print(k)
print(k.device, a.device)
"""


def test_the_seeds_example_logs_as_tensorflow_on_a_gpu_machine() -> None:
    result = subprocess.run([sys.executable, "-c", _SEED], capture_output=True, text=True, timeout=120,
                            env=dict(os.environ, FEATHERFLOW_SIMULATED_GPUS="1", TF_CPP_MIN_LOG_LEVEL="0"))
    assert result.returncode == 0, result.stderr
    logged = [line.split("] ", 1)[1] for line in result.stderr.splitlines() if "execute.cc" in line]
    # the variables are made and read where they live (TF pins an op with a resource input to the resource's
    # device); the multiply runs where its scope says, its inputs copied there
    assert logged == [f"Executing op {op} in device {_CPU0}" for op in
                      ("VarHandleOp", "AssignVariableOp", "VarHandleOp", "AssignVariableOp", "ReadVariableOp",
                       "ReadVariableOp")] + [f"Executing op Mul in device {_GPU0}"]
    assert result.stdout.splitlines() == ["tf.Tensor(", "[[ 1.  4.  9.]", " [ 4. 10. 18.]], shape=(2, 3), dtype=float32)",
                                          f"{_GPU0} {_CPU0}"]


def test_variable_updates_run_on_the_variables_device_whatever_the_scope(device: str) -> None:
    with ff.device("CPU:0"):
        v = ff.Variable([1.0, 2.0])
    with ff.device("GPU:0"):
        v.assign_add(ff.constant([1.0, 1.0]))  # the delta is copied to the variable, not the variable to GPU:0
        v.assign([5.0, 6.0])
        r = v.read_value()
    assert type(v._array) is np.ndarray and v.device == _CPU0 and r.device == _CPU0
    assert v.numpy().tolist() == [5.0, 6.0]


# --- variables on a GPU: written in place in device memory ------------------------------------------------------

_WRITES = {
    "assign": lambda v: v.assign([5.0, 6.0, 7.0]),
    "assign-tensor": lambda v: v.assign(ff.constant([5.0, 6.0, 7.0])),
    "assign_add": lambda v: v.assign_add([1.0, 1.0, 1.0]),
    "assign_sub": lambda v: v.assign_sub(ff.constant([1.0, 1.0, 1.0]), read_value=False),
    "scatter_update": lambda v: v.scatter_update(ff.IndexedSlices(ff.constant([9.0]), ff.constant([1]))),
    "scatter_nd_add": lambda v: v.scatter_nd_add([[2]], [4.0]),
    "sliced-assign": lambda v: v[0:2].assign([3.0, 3.0]),
}


@pytest.mark.parametrize("write", list(_WRITES), ids=list(_WRITES))
def test_gpu_variable_writes_keep_the_device_pointer(device: str, write: str) -> None:
    v = ff.Variable([1.0, 2.0, 3.0])
    pointer = v._array.data.ptr if device == "GPU" else v._array.__array_interface__["data"][0]
    before = v.numpy()
    _WRITES[write](v)  # (its result, if any, dropped at once)
    after = v._array.data.ptr if device == "GPU" else v._array.__array_interface__["data"][0]
    assert after == pointer and v.device.endswith(device + ":0")
    assert not np.array_equal(v.numpy(), before)


@pytest.mark.parametrize("write", ["assign", "assign_add", "scatter_update", "sliced-assign"])
def test_a_read_alive_keeps_its_value_on_the_gpu(device: str, write: str) -> None:
    v = ff.Variable([1.0, 2.0, 3.0])
    held = v.value()
    pointer = held._value.data.ptr if device == "GPU" else None
    snapshot = held.numpy()
    _WRITES[write](v)
    assert held.numpy().tolist() == snapshot.tolist()  # copy on write: the read keeps its buffer and value
    assert not np.array_equal(v.numpy(), snapshot)
    if device == "GPU":
        assert held._value.data.ptr == pointer and v._array.data.ptr != pointer


# --- dtypes: what a GPU array can hold ---------------------------------------------------------------------------

_HOST_ONLY = [ml_dtypes.float8_e4m3fn, ml_dtypes.float8_e5m2, ml_dtypes.int4, ml_dtypes.uint4, object]


@pytest.mark.parametrize("dtype", _HOST_ONLY, ids=lambda d: np.dtype(d).name)
def test_the_simulated_gpu_refuses_the_dtypes_cupy_refuses(dtype: Any) -> None:
    simulated.configure(max(simulated_cuda._cards, 1))
    host = np.zeros(2, dtype=dtype)
    assert np.dtype(dtype).name not in DEVICE_DTYPES
    with pytest.raises(ValueError, match=f"^Unsupported dtype {np.dtype(dtype).name}$"):
        simulated.xp.asarray(host)
    with pytest.raises(ValueError, match="^Unsupported dtype"):
        simulated.xp.asarray(np.zeros(2, np.float32)).astype(dtype)


@pytest.mark.parametrize("dtype", sorted(DEVICE_DTYPES))
def test_the_simulated_gpu_holds_what_cupy_14_holds(dtype: str) -> None:
    simulated.configure(max(simulated_cuda._cards, 1))
    np_dtype = np.dtype(ml_dtypes.bfloat16) if dtype == "bfloat16" else np.dtype(dtype)
    on_card = simulated.xp.asarray(np.ones(3, np_dtype))
    assert on_card.dtype == np_dtype and on_card.get().tolist() == np.ones(3, np_dtype).tolist()


@pytest.mark.parametrize("device", ["GPU"], indirect=True)
def test_host_only_dtypes_stay_on_the_cpu_under_a_gpu_default(device: str) -> None:
    f8 = ff.constant([1.0, 2.0], ff.as_dtype("float8_e4m3fn"))
    assert f8.device == _CPU0 and ff.Variable(f8).device == _CPU0
    assert ff.reshape(f8, [2, 1]).device == _CPU0  # an op given one runs where its input lives
    assert ff.strings.length(ff.constant(["ab"])).device == _CPU0  # a host-only op
    b16 = ff.constant([1.5, 2.0], ff.bfloat16)  # CuPy 14 holds bfloat16 (through ml_dtypes): it stays on the card
    v = ff.Variable(b16)
    assert (b16.device, v.device, (b16 * v).device) == (_GPU0,) * 3
    assert (b16 * v).numpy().tolist() == [2.25, 4.0]


# --- the real-GPU test mode (tests/_gpu_mode.py), checked with its stand-in card ------------------------------

@pytest.mark.parametrize("device", ["GPU"], indirect=True)
def test_copies_to_the_gpu_are_counted(device: str) -> None:
    with ff.device("CPU:0"):
        host = ff.constant([1.0, 2.0])
    before = simulated.transfers()
    on_gpu = ff.identity(host)
    assert on_gpu.device == _GPU0
    assert tuple(a - b for a, b in zip(simulated.transfers(), before)) == (1, 0)


def test_the_real_gpu_mode_runs_the_fixture_there_and_skips_the_counters() -> None:
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = {k: v for k, v in os.environ.items() if k != "FEATHERFLOW_SIMULATED_GPUS"}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rs", "tests/test_gpu_placement.py", "-k",
         "copies_to_the_gpu_are_counted or (keep_the_device_pointer and GPU-assign_add)"],
        capture_output=True, text=True, cwd=root, timeout=300, env=dict(env, FEATHERFLOW_TEST_GPU="standin"))
    assert "1 passed, 1 skipped" in result.stdout, result.stdout + result.stderr
    assert "counted only on the simulated GPU" in result.stdout
