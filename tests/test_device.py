"""Devices (CPU): device strings on tensors and variables, ``tf.device`` spec forms and errors, soft placement,
``tf.DeviceSpec``, ``tf.config`` device listing, and placement logging, against real TensorFlow."""

from __future__ import annotations

import os
import pathlib
import re
import subprocess
import sys
import textwrap
from typing import Any

import pytest

import featherflow as ff

from .test_differential_core import cases, check

_DEV = ("def dev(spec):\n    with tf.device(spec):\n        return (tf.constant([1.0]).device, tf.Variable([1.0]).device,"
        " (tf.constant([1.]) + 1).device)\n")
_NESTED = "def nested(a, b):\n    with tf.device(a):\n        with tf.device(b):\n            return tf.constant([1]).device\n"

SPECS = cases(
    "tf.constant(1).device", "tf.Variable(1).device", "tf.constant([1]).cpu().device",
    "with tf.device('CPU:0'):\n    a = tf.constant(1)\n    v = tf.Variable(1)\n(a.device, v.device)",
    *[_DEV + f"dev({spec!r})" for spec in (
        "CPU:0", "/CPU:0", "cpu:0", "/cpu:0", "/device:CPU:0", "/device:cpu:0", "/job:localhost/replica:0/task:0/device:CPU:0",
        "/job:localhost", "/job:localhost/replica:0", "/task:0", "GPU:0", "/GPU:0", "gpu:0", "/device:GPU:0", "GPU:1",
        "/device:GPU:*", "CPU:1", "CPU", "/CPU", "", None, "TPU:0", "XPU:0", "foo", "/foo:0", "CPU:0:1", "CPU:a",
        "/job:worker", "/job:localhost/task:1", "/replica:1", "/job:localhost/replica:0/task:0/device:GPU:0",
        "CPU:0/GPU:0", "/device:CPU:0/device:GPU:0", "/job:localhost/replica:x", 5)],
    _DEV + "dev(tf.DeviceSpec(device_type='CPU', device_index=0))", _DEV + "dev(tf.DeviceSpec(device_type='GPU'))",
    _DEV + "dev(tf.config.list_logical_devices('CPU')[0])", _DEV + "dev(lambda op: 'CPU:0')",
    *[_NESTED + f"nested({a!r}, {b!r})" for a, b in (
        ("/job:localhost", "CPU:0"), ("GPU:0", "CPU:0"), ("CPU:0", None), ("CPU:0", ""), ("/job:worker", "CPU:0"),
        ("/job:localhost/replica:0", "/task:0/device:CPU:0"), ("CPU:0", "/job:worker"))],
    "tf.device('foo')\n'constructed'", "with tf.device('/job:worker'):\n    pass\n'entered'",
    "a = tf.device('CPU:0')\nb = tf.device('CPU:0')\na.__enter__()\nb.__enter__()\na.__exit__(None, None, None)",
    # DeviceSpec
    "tf.DeviceSpec(device_type='CPU', device_index=0)", "tf.DeviceSpec.from_string('/job:localhost/replica:0/task:0/device:CPU:0')",
    "tf.DeviceSpec(job='localhost', replica=0, task=0, device_type='CPU', device_index=0).to_string()",
    "tf.DeviceSpec.from_string('/job:localhost/replica:0/task:0/device:CPU:0').to_string()",
    "tf.DeviceSpec.from_string('CPU:0').to_string()", "tf.DeviceSpec.from_string('gpu:1')",
    "tf.DeviceSpec.from_string('/device:GPU:*').to_string()", "tf.DeviceSpec.from_string('foo')",
    "tf.DeviceSpec.from_string('/CPU:0/GPU:0')", "tf.DeviceSpec.from_string('').to_string()",
    "tf.DeviceSpec.from_string('/job:a/replica:x')", "tf.DeviceSpec.from_string('/job:a/device:custom:0')",
    "tf.DeviceSpec.from_string('/job:a').make_merged_spec(tf.DeviceSpec.from_string('/device:CPU:0')).to_string()",
    "tf.DeviceSpec.from_string('/job:a/device:GPU:0').replace(device_type='CPU').to_string()",
    "tf.DeviceSpec(device_type='cpu').device_type", "tf.DeviceSpec(device_type='Cpu').device_type",
    "tf.DeviceSpec(device_type='CPU') == tf.DeviceSpec(device_type='CPU')",
    "tf.DeviceSpec(device_type='CPU') == '/device:CPU:*'",
    "hash(tf.DeviceSpec(device_type='CPU')) == hash(tf.DeviceSpec(device_type='CPU'))",
    "(tf.DeviceSpec(replica='1').replica, tf.DeviceSpec(device_index='2').device_index, tf.DeviceSpec(job=3).job)",
    "str(tf.DeviceSpec(device_type='CPU'))", "tf.DeviceSpec(job='a').parse_from_string('/task:1').to_string()",
    "s = tf.DeviceSpec(job='a')\ns.job = 'b'",
    # tf.config
    "tf.config.list_physical_devices()", "tf.config.list_physical_devices('CPU')", "tf.config.list_physical_devices('GPU')",
    "tf.config.list_physical_devices('cpu')", "tf.config.list_logical_devices()", "tf.config.list_logical_devices('CPU')",
    "tf.config.list_logical_devices('GPU')", "d = tf.config.list_physical_devices()[0]\n(d.name, d.device_type, d._fields)",
    "tf.config.list_logical_devices()[0].name", "tf.config.get_soft_device_placement()",
    "tf.debugging.get_log_device_placement()", "tf.config.get_visible_devices()", "tf.config.get_visible_devices('CPU')",
    "tf.config.experimental.list_physical_devices()",
    "tf.config.experimental.get_memory_growth(tf.config.list_physical_devices()[0])",
    "tf.config.experimental.set_memory_growth(tf.config.list_physical_devices()[0], True)",
    "tf.config.list_physical_devices()[0] == tf.config.list_physical_devices()[0]",
)


@pytest.mark.parametrize("code", SPECS)
def test_device_specs_and_config(tf_oracle: Any, code: str) -> None:
    check(tf_oracle, code)


SOFT_PLACEMENT_OFF = cases(*[f"tf.config.set_soft_device_placement(False)\ntry:\n{textwrap.indent(body, '    ')}\n"
                             f"finally:\n    tf.config.set_soft_device_placement(True)\nresult" for body in (
    "with tf.device('GPU:0'):\n    result = tf.constant([1.0, 2.0])",
    "with tf.device('GPU:0'):\n    result = tf.Variable([3.0, 4.0])",
    "x = tf.constant([5.0, 6.0])\nwith tf.device('CPU:1'):\n    result = x * 2",
    "with tf.device('CPU:0'):\n    result = tf.constant([7.0]) + 1",
    "result = tf.config.get_soft_device_placement()",
)])


@pytest.mark.parametrize("code", SOFT_PLACEMENT_OFF)
def test_soft_placement_off(tf_oracle: Any, code: str) -> None:
    check(tf_oracle, code)


def test_a_failed_scope_entry_leaves_the_scope_unchanged() -> None:
    with pytest.raises(ValueError):
        with ff.device("CPU:0/GPU:0"):
            pass
    assert ff.constant(1).device == "/job:localhost/replica:0/task:0/device:CPU:0"
    with ff.device("/job:worker"):
        with pytest.raises(ff.errors.InvalidArgumentError, match="unknown device"):
            ff.constant([1.0])
    assert ff.constant([1.0]).device.endswith("device:CPU:0")


# --- placement logging: compared line by line with what TF logs for the same program ---------------

# The program's own results go to a file (argv[2]), not stdout: TF's placer writes its view of each new kernel to
# stdout from C++, and how that interleaves with Python's buffered prints depends on flush timing (load, -n 2).
_PROGRAM = """
import importlib, sys
import numpy as np
tf = importlib.import_module(sys.argv[1])
results = open(sys.argv[2], "w")
tf.debugging.set_log_device_placement(True)
with tf.device('CPU:0'):
    a = tf.Variable([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    b = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    c = tf.matmul(a, b)
print(c, file=results)
x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
z = x * 2.0 + tf.matmul(x, x)
n = tf.convert_to_tensor(np.array([1.0, 2.0]))
v = tf.Variable([1.0, 2.0], name="v")
w = tf.Variable(v)
r = v.read_value()
v.assign(np.array([5.0, 6.0]))
v.assign_sub([1.0, 1.0])
v.assign_add(tf.constant([1.0, 1.0]))
s = v + w
v.scatter_update(tf.IndexedSlices(tf.constant([9.0]), tf.constant([0])))
g = v.sparse_read([1])
with tf.device('CPU:0'):
    d = tf.constant([1, 2]) + 1
tf.debugging.set_log_device_placement(False)
e = x * 3.0
print(s.numpy(), tf.debugging.get_log_device_placement(), file=results)
"""

# one log record: searched for, not anchored at the line start, so a stray unterminated write before it on stderr
# cannot hide it; the prefix (severity, time, thread, source line) is TF's format, which featherflow copies
_LINE = re.compile(r"I0000 00:00:\d+\.\d{6} +\d+ execute\.cc:\d+\] (Executing op \w+ in device \S+)$")


def _run(module: str, env: dict, tmp_path: pathlib.Path) -> tuple[str, str, list[str]]:
    """(stdout, the program's printed results, the ops logged on stderr, in order) of one run."""
    results = tmp_path / f"{module}.txt"
    result = subprocess.run([sys.executable, "-c", _PROGRAM, module, str(results)], capture_output=True, text=True,
                            env=env, timeout=300)
    assert result.returncode == 0, result.stderr
    logged = [m.group(1) for line in result.stderr.splitlines() if (m := _LINE.search(line))]
    return result.stdout, results.read_text(), logged


def test_log_device_placement_logs_what_tensorflow_logs(tf_oracle: Any, tmp_path: pathlib.Path) -> None:
    # TF's INFO log (on stderr, shown when TF_CPP_MIN_LOG_LEVEL is 0); oneDNN off, else TF logs _MklMatMul
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="0", TF_ENABLE_ONEDNN_OPTS="0")
    theirs_out, theirs_results, theirs = _run("tensorflow", env, tmp_path)
    ours_out, ours_results, ours = _run("featherflow", env, tmp_path)
    assert "Executing op MatMul in device /job:localhost/replica:0/task:0/device:CPU:0" in ours
    assert ours == theirs
    # the program prints the same results under both (the matmul, then the sum and the switched-off flag)
    assert ours_results == theirs_results
    assert ours_results.splitlines()[-1] == "[6. 8.] False"
    # TF also prints its placer's view of each new kernel on stdout (``MatMul: (MatMul): /job:.../CPU:0``);
    # featherflow does not
    assert "MatMul: (MatMul): /job:localhost/replica:0/task:0/device:CPU:0" in theirs_out
    assert ours_out == ""


def test_log_device_placement_respects_tf_cpp_min_log_level(tmp_path: pathlib.Path) -> None:
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="1")
    _, _, logged = _run("featherflow", env, tmp_path)
    assert logged == []


# --- placement with (simulated) GPUs: TF's rules on a GPU machine -------------------------------------

_GPU = "/job:localhost/replica:0/task:0/device:GPU:"
_CPU = "/job:localhost/replica:0/task:0/device:CPU:0"


@pytest.fixture
def two_gpus():
    from featherflow.backends import simulated
    from featherflow.device import _simulating

    with _simulating(2):
        simulated.reset_transfers()
        yield simulated


def test_simulated_gpus_are_listed_as_tensorflow_lists_gpus(two_gpus: Any) -> None:
    assert ff.config.list_physical_devices("GPU") == [ff.config.PhysicalDevice(f"/physical_device:GPU:{i}", "GPU")
                                                     for i in range(2)]
    assert [d.name for d in ff.config.list_logical_devices()] == ["/device:CPU:0", "/device:GPU:0", "/device:GPU:1"]
    assert ff.config.experimental.get_memory_growth(ff.config.list_physical_devices("GPU")[1]) is None  # as TF


def test_new_tensors_and_variables_land_on_gpu_0_unless_a_scope_says_otherwise(two_gpus: Any) -> None:
    x, v = ff.constant([1.0, 2.0]), ff.Variable([3.0, 4.0])
    assert (x.device, v.device, (x + v).device, x.backing_device) == (_GPU + "0",) * 4
    with ff.device("CPU:0"):
        assert (ff.constant(1.0).device, ff.Variable(1.0).device, (x * 2).device) == (_CPU,) * 3
        with ff.device(None):  # clears the scope: the default device again
            assert ff.constant(1.0).device == _GPU + "0"
    with ff.device("GPU:1"):
        assert (ff.constant(1.0).device, ff.Variable(1.0).device, (x * 2).device) == (_GPU + "1",) * 3
    with ff.device("GPU:5"):  # soft placement: a GPU that does not exist falls back to one that does
        assert ff.constant(1.0).device == _GPU + "0"
    assert type(x._value).__name__ == "SimArray"


def test_inputs_from_another_device_are_copied_and_counted(two_gpus: Any) -> None:
    simulated = two_gpus
    with ff.device("CPU:0"):
        host = ff.constant([1.0, 2.0])
    gpu = ff.constant([3.0, 4.0])
    simulated.reset_transfers()
    y = gpu * host  # the CPU input is copied to GPU:0
    assert y.device == _GPU + "0" and simulated.transfers() == (1, 0)
    with ff.device("CPU:0"):
        z = host + y  # and the GPU input to the CPU
    assert z.device == _CPU and simulated.transfers() == (1, 1)
    assert z.numpy().tolist() == [4.0, 10.0]
    assert simulated.transfers() == (1, 1)  # a CPU tensor's value is already on the host
    assert y.numpy().tolist() == [3.0, 8.0] and simulated.transfers() == (1, 2)
    assert str(y) == "tf.Tensor([3. 8.], shape=(2,), dtype=float32)"
    assert (y.cpu().device, host.gpu().device, host.gpu(1).device) == (_CPU, _GPU + "0", _GPU + "1")
    with pytest.raises(RuntimeError, match="GPU:2 unknown device"):
        host.gpu(2)


def test_ops_on_gpu_1_run_with_card_1_current(two_gpus: Any) -> None:
    simulated = two_gpus
    x = ff.constant([1.0, 2.0])  # on GPU:0
    simulated.reset_transfers()
    with ff.device("GPU:1"):
        assert simulated.current_card() == 1
        y = ff.reduce_sum(x * x)  # x is copied card to card, then both ops run on card 1
        w = ff.Variable([0.0, 0.0])
        w.assign_add(x)
    assert simulated.current_card() == 0
    assert y._value.device.id == 1 and w._array.device.id == 1
    assert simulated.launches().get(1, 0) >= 2 and simulated.peer_copies() >= 1
    assert simulated.transfers()[1] == 0  # no trip through the host
    assert float(y) == 5.0 and w.numpy().tolist() == [1.0, 2.0]


def test_placement_logging_shows_the_op_on_the_device_it_ran_on(two_gpus: Any, monkeypatch: Any,
                                                                 capsys: Any) -> None:
    from featherflow.device import _Flags

    with ff.device("CPU:0"):
        host = ff.constant([1.0])
    gpu = ff.constant([2.0])
    monkeypatch.setenv("TF_CPP_MIN_LOG_LEVEL", "0")
    monkeypatch.setattr(_Flags, "log_placement", True)
    gpu * host
    with ff.device("GPU:1"):
        gpu + host
    logged = [line.split("] ", 1)[1] for line in capsys.readouterr().err.splitlines() if "execute.cc" in line]
    assert logged == [f"Executing op Mul in device {_GPU}0", f"Executing op AddV2 in device {_GPU}1"]


def test_the_environment_variable_makes_simulated_gpus_and_nothing_else_does() -> None:
    code = ("import featherflow as tf\nprint(len(tf.config.list_physical_devices('GPU')), tf.constant(1.).device, "
            "type(tf.Variable(1.)._array).__name__)")
    env = {k: v for k, v in os.environ.items() if k != "FEATHERFLOW_SIMULATED_GPUS"}
    plain = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert plain.stdout.split()[0] != "0" or plain.stdout.split()[1:] == [_CPU, "ndarray"], plain.stderr
    sim = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                         env=dict(env, FEATHERFLOW_SIMULATED_GPUS="3"))
    assert sim.stdout.split() == ["3", _GPU + "0", "SimArray"], sim.stderr


def test_strings_are_made_on_the_host_under_a_gpu_default(two_gpus: Any) -> None:
    # TF has no device kernel for strings: a string fill lands on the CPU however it is made
    for make in (lambda: ff.zeros([2], ff.string), lambda: ff.zeros_like(ff.constant(["a", "b"])),
                 lambda: ff.fill([2], ff.constant("x")), lambda: ff.constant(["a"])):
        t = make()
        assert t.device.endswith("CPU:0"), t.device
    assert ff.zeros([2]).device.endswith("GPU:0")
