"""``tf.config``'s device configuration (``device_config``, ``runtime_config``): against real TensorFlow for what a
CPU machine shows (one program run from a fresh start under both), and on two simulated GPUs for logical GPUs,
visibility, memory pools, limits and statistics, and device details."""

from __future__ import annotations

import gc
import importlib.util
import os
import subprocess
import sys
from typing import Any

import pytest

import featherflow as ff
from featherflow import errors
from featherflow.backends import simulated
from featherflow.device import _simulating
from featherflow.device_config import _fresh_runtime
from tests._cells import run_cells

# --- against TF, from a fresh start: configuration before the runtime starts, then after ---------------

_TRY = "def attempt(f, *args):\n    try:\n        print(repr(f(*args)))\n    except Exception as e:\n        print(type(e).__name__, e)\n"

CELLS = [
    "cpu = tf.config.list_physical_devices('CPU')[0]\nprint(tf.config.get_logical_device_configuration(cpu))",
    "print(tf.config.LogicalDeviceConfiguration(), tf.config.LogicalDeviceConfiguration(5, 1, 2))\n"
    "c = tf.config.LogicalDeviceConfiguration(memory_limit=7)\n"
    "print(c._fields, c.memory_limit, c == (7, None, None), tf.config.experimental.VirtualDeviceConfiguration(1))",
    # the CPU takes configurations without memory limit, priority or ordinal
    "for c in [tf.config.LogicalDeviceConfiguration(memory_limit=10), tf.config.LogicalDeviceConfiguration("
    "experimental_priority=1), tf.config.LogicalDeviceConfiguration(experimental_device_ordinal=1)]:\n"
    "    attempt(tf.config.set_logical_device_configuration, cpu, [c])",
    "attempt(tf.config.set_logical_device_configuration, cpu, None)\n"
    "attempt(tf.config.set_logical_device_configuration, cpu, [None])",
    # devices that are not physical devices of this machine
    "for d in [tf.config.PhysicalDevice('/physical_device:GPU:0', 'GPU'), 'CPU:0', tf.config.LogicalDevice("
    "'/device:CPU:0', 'CPU'), 5]:\n"
    "    for f in [tf.config.get_logical_device_configuration, tf.config.experimental.get_memory_growth,"
    " tf.config.experimental.get_device_details, tf.config.set_visible_devices]:\n"
    "        attempt(f, d)\n"
    "    attempt(tf.config.set_logical_device_configuration, d, [])\n"
    "    attempt(tf.config.experimental.set_memory_growth, d, True)",
    "attempt(tf.config.experimental.get_memory_growth, cpu)\nattempt(tf.config.experimental.set_memory_growth, cpu, True)\n"
    "attempt(tf.config.experimental.get_device_details, cpu)",
    "attempt(tf.config.set_visible_devices, cpu, 'GPU')\nattempt(tf.config.set_visible_devices, [], 'GPU')\n"
    "print(tf.config.get_visible_devices(), tf.config.get_visible_devices('CPU'), tf.config.get_visible_devices('GPU'))",
    # three logical CPUs
    "tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 3)\n"
    "print(tf.config.get_logical_device_configuration(cpu))\n"
    "print(tf.config.experimental.get_virtual_device_configuration(cpu) == tf.config.get_logical_device_configuration(cpu))\n"
    "attempt(tf.config.experimental.set_memory_growth, cpu, True)\nprint(tf.config.list_physical_devices())",
    "tf.config.experimental.set_virtual_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)\n"
    "print(len(tf.config.get_logical_device_configuration(cpu)))\n"
    "tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 3)",
    # threads and the graph optimizer: kept, and read back as TF reads them back
    "print(tf.config.threading.get_inter_op_parallelism_threads(), tf.config.threading.get_intra_op_parallelism_threads())\n"
    "tf.config.threading.set_inter_op_parallelism_threads(3)\ntf.config.threading.set_intra_op_parallelism_threads(2)\n"
    "print(tf.config.threading.get_inter_op_parallelism_threads(), tf.config.threading.get_intra_op_parallelism_threads())",
    "print(repr(tf.config.optimizer.get_jit()))\nfor v in [True, False, 'autoclustering', 'foo', 1]:\n"
    "    tf.config.optimizer.set_jit(v)\n    print(repr(tf.config.optimizer.get_jit()))",
    "print(tf.config.optimizer.get_experimental_options())\n"
    "tf.config.optimizer.set_experimental_options({'layout_optimizer': False, 'min_graph_nodes': 3, "
    "'disable_model_pruning': True})\nprint(tf.config.optimizer.get_experimental_options())\n"
    "tf.config.optimizer.set_experimental_options({'constant_folding': 'x', 'bogus': 1, 'remapping': None})\n"
    "print(tf.config.optimizer.get_experimental_options())",
    "print(tf.config.functions_run_eagerly(), tf.config.experimental_functions_run_eagerly())\n"
    "tf.config.experimental_run_functions_eagerly(True)\n"
    "print(tf.config.functions_run_eagerly(), tf.config.experimental_functions_run_eagerly())\n"
    "tf.config.run_functions_eagerly(False)",
    # the runtime starts: logical devices are the configured ones, and usable by tf.device
    "print(tf.config.list_logical_devices())\nprint(tf.config.list_logical_devices('CPU')[2].name)\n"
    "with tf.device('CPU:2'):\n    a = tf.constant([1.0])\n    b = a * 2\n"
    "print(a.device, b.device, (a + 1).device)\nwith tf.device(tf.config.list_logical_devices()[1].name):\n"
    "    print(tf.Variable(1.0).device)",
    # a logical device that does not exist: soft placement, or TF's error naming the logical devices
    "tf.config.set_soft_device_placement(False)\ntry:\n    with tf.device('CPU:5'):\n        attempt(tf.constant, 1.0)\n"
    "        attempt(lambda: a * 2)\nfinally:\n    tf.config.set_soft_device_placement(True)\n"
    "with tf.device('CPU:7'):\n    print(tf.constant(1.0).device, (a * 2).device)",
    # after it started: changes raise, setting what is already set does not
    "attempt(tf.config.set_logical_device_configuration, cpu, [tf.config.LogicalDeviceConfiguration()] * 2)\n"
    "attempt(tf.config.set_logical_device_configuration, cpu, [tf.config.LogicalDeviceConfiguration()] * 3)\n"
    "attempt(tf.config.set_visible_devices, [], 'CPU')\nattempt(tf.config.set_visible_devices, cpu)\n"
    "attempt(tf.config.set_visible_devices, [], 'GPU')",
    "attempt(tf.config.threading.set_intra_op_parallelism_threads, 2)\n"
    "attempt(tf.config.threading.set_intra_op_parallelism_threads, 4)\n"
    "attempt(tf.config.threading.set_inter_op_parallelism_threads, 4)\n"
    "attempt(tf.config.threading.get_inter_op_parallelism_threads)",
    # memory statistics: TF's parsing and matching of the device name (CPU statistics differ: see below)
    "for name in ['GPU:0', 'GPU', 'CPU:*', 'CPU:GPU', 'CPU:', 'nonexistent', 'cpu:0', 'CPU:3', 'GPU:0:1', "
    "'device:CPU:0', '/physical_device:CPU:0', '/job:worker/device:CPU:0', '', '/job:localhost']:\n"
    "    for f in [tf.config.experimental.get_memory_info, tf.config.experimental.reset_memory_stats]:\n"
    "        attempt(f, name)",
    "print(tf.config.experimental.get_device_policy(), tf.config.experimental.get_synchronous_execution())\n"
    "for p in ['silent', None, 'bogus']:\n    attempt(tf.config.experimental.set_device_policy, p)\n"
    "for e in [True, None]:\n    attempt(tf.config.experimental.set_synchronous_execution, e)\n"
    "print(tf.config.experimental.get_device_policy(), tf.config.experimental.get_synchronous_execution())",
    # op determinism: random ops then need a seed
    "tf.config.experimental.enable_op_determinism()\nfor f in [tf.random.normal, tf.random.uniform]:\n"
    "    attempt(f, (2,))\nattempt(tf.random.shuffle, [1, 2, 3])\nprint(tf.random.normal((2,), seed=3).shape)",
]

_ORACLE = """
import os, sys
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
import tensorflow as tf
from tests._cells import run_cells
cells = eval(sys.stdin.read())
print(repr(run_cells(tf, cells, setup=cells.pop(0))))
"""


def test_configuration_from_a_fresh_start_as_tensorflow() -> None:
    if importlib.util.find_spec("tensorflow") is None:  # TF runs in its own process: not imported here
        pytest.skip("tensorflow is not installed")
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    theirs = subprocess.run([sys.executable, "-c", _ORACLE], input=repr([_TRY, *CELLS]), capture_output=True,
                            text=True, cwd=root, timeout=300, env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3"))
    assert theirs.returncode == 0, theirs.stderr
    expected = eval(theirs.stdout.strip().splitlines()[-1])  # noqa: S307 - a list of strings we printed
    from featherflow import runtime_config
    from featherflow.ops.random import core as random_core

    legacy = random_core._legacy  # a fresh process has no global seed (a test before may have set one)
    saved = (dict(runtime_config._threads), list(runtime_config._jit), dict(runtime_config._options),
             list(runtime_config._deterministic))
    seed_state = (legacy._global_seed, legacy._rng, dict(legacy._kernels))
    legacy._global_seed, legacy._rng = None, None
    try:
        with _fresh_runtime():
            ours = run_cells(ff, CELLS, setup=_TRY)
    finally:
        legacy._global_seed, legacy._rng = seed_state[:2]
        legacy._kernels.clear()
        legacy._kernels.update(seed_state[2])
        runtime_config._threads.update(saved[0])
        runtime_config._jit[:], runtime_config._deterministic[:] = saved[1], saved[3]
        runtime_config._options.clear()
        runtime_config._options.update(saved[2])
    for cell, mine, tf_out in zip(CELLS, ours, expected):
        assert mine == tf_out, f"cell:\n{cell}\nfeatherflow:\n{mine}\nTensorFlow:\n{tf_out}"
    assert "LogicalDevice(name='/device:CPU:2', device_type='CPU')" in ours[13]


def test_the_cpu_has_no_allocator_statistics() -> None:
    # NumPy's host memory has no allocator to ask: TF's ValueError for a device without statistics (TF 2.21 with
    # oneDNN reports its own CPU allocator's; TF without it raises this)
    with pytest.raises(ValueError, match="Allocator stats not available for device 'CPU:0'"):
        ff.config.experimental.get_memory_info("CPU:0")
    with pytest.raises(ValueError, match="Cannot reset memory stats for device '/device:CPU:0'"):
        ff.config.experimental.reset_memory_stats("/device:CPU:0")
    with pytest.raises(TypeError):
        ff.config.experimental.get_memory_info(ff.config.list_physical_devices()[0])


def test_deprecated_names_log_tensorflows_notice_once(caplog: Any) -> None:
    from featherflow import _config_deprecated

    _config_deprecated._warned.discard("experimental_functions_run_eagerly")
    with caplog.at_level("WARNING", logger="tensorflow"):
        assert ff.config.experimental_functions_run_eagerly() is False
        assert ff.config.experimental_functions_run_eagerly() is False
    notices = [r.getMessage() for r in caplog.records if "is deprecated" in r.getMessage()]
    assert len(notices) == 1
    assert ("experimental_functions_run_eagerly (from tensorflow.python.eager.polymorphic_function."
            "eager_function_run) is deprecated and will be removed in a future version.\nInstructions for updating:\n"
            "Use tf.config.functions_run_eagerly instead of the experimental version.") in notices[0]
    assert notices[0].startswith(f"From {__file__}:")


# --- two simulated GPUs --------------------------------------------------------------------------------

_GPU = "/job:localhost/replica:0/task:0/device:GPU:"


@pytest.fixture
def fresh_gpus():
    """Two simulated GPUs, before the runtime starts."""
    with _simulating(2), _fresh_runtime():
        simulated.reset_transfers()
        yield ff.config.list_physical_devices("GPU")


def _mib(n: int) -> list:
    return [ff.config.LogicalDeviceConfiguration(memory_limit=n)]


def test_two_logical_gpus_on_one_card_each_with_its_own_pool_and_limit(fresh_gpus: list) -> None:
    ff.config.set_logical_device_configuration(fresh_gpus[0], _mib(1) * 2)
    assert ff.config.get_logical_device_configuration(fresh_gpus[0]) == _mib(1) * 2
    assert [d.name for d in ff.config.list_logical_devices("GPU")] == ["/device:GPU:0", "/device:GPU:1", "/device:GPU:2"]
    info = ff.config.experimental.get_memory_info
    with ff.device("GPU:1"):
        a = ff.ones((100, 100))  # 40,000 bytes, on card 0 in GPU:1's pool
    assert a.device == _GPU + "1" and a._value._card == 0
    assert info("GPU:1") == {"current": 40000, "peak": 40000}
    assert info("GPU:0") == {"current": 0, "peak": 0}
    # card 1: no limit, and the card's default pool (arrays other tests left there count too: compare changes)
    gc.collect()
    ff.config.experimental.reset_memory_stats("GPU:2")
    before = info("GPU:2")["current"]
    with ff.device("GPU:2"):
        b = ff.ones((1000, 1000))
    assert b._value._card == 1 and info("GPU:2") == {"current": before + 4000000, "peak": before + 4000000}
    del b
    gc.collect()
    assert info("GPU:2") == {"current": before, "peak": before + 4000000}
    ff.config.experimental.reset_memory_stats("GPU:2")
    assert info("GPU:2") == {"current": before, "peak": before}
    # over GPU:1's 1 MB: TF's error; GPU:0, on the same card, still has its own megabyte
    with pytest.raises(errors.ResourceExhaustedError, match="OOM when allocating tensor of 4000000 bytes on "
                       f"{_GPU}1 by allocator GPU_1_bfc"):
        with ff.device("GPU:1"):
            ff.ones((1000, 1000))
    assert info("GPU:1")["current"] == 40000
    with ff.device("GPU:0"):
        c = ff.ones((500, 500))  # 1,000,000 bytes: under 1 MB (1,048,576)
    assert info("GPU:0") == {"current": 1000000, "peak": 1000000}
    # an op on GPU:1 with an input from GPU:0 copies it over (same card, other device), as between any devices
    with ff.device("GPU:0"):
        e = c[:10]
    with ff.device("GPU:1"):
        d = ff.reduce_sum(e * 2.0)
    assert d.device == _GPU + "1" and float(d) == 10000.0
    before = info("GPU:1")["current"]
    moved = ff.constant([1.0, 2.0, 3.0, 4.0]).cpu().gpu(1)  # a copy made outside any scope: GPU:1's memory
    assert moved._value._card == 0 and info("GPU:1")["current"] == before + 16
    assert simulated.peer_copies() == 0


def test_device_ordinal_orders_the_logical_gpus_and_priority_is_refused(fresh_gpus: list) -> None:
    config = ff.config.LogicalDeviceConfiguration
    with pytest.raises(ValueError, match="device_ordinals must be specified for all virtual devices"):
        ff.config.set_logical_device_configuration(fresh_gpus[0], [config(1, None, 0), config(1)])
    with pytest.raises(NotImplementedError, match="experimental_priority"):
        ff.config.set_logical_device_configuration(fresh_gpus[0], [config(1, experimental_priority=1)])
    with pytest.raises(ValueError, match="Setting memory limit is required for GPU virtual devices"):
        ff.config.set_logical_device_configuration(fresh_gpus[0], [config()])
    ff.config.set_logical_device_configuration(fresh_gpus[0], [config(1, experimental_device_ordinal=1)])
    ff.config.set_logical_device_configuration(fresh_gpus[1], [config(1, experimental_device_ordinal=0)])
    with ff.device("GPU:0"):
        assert ff.constant([1.0])._value._card == 1  # physical GPU 1 has the lower ordinal


def test_hidden_gpus_are_gone_and_the_rest_renumbered(fresh_gpus: list) -> None:
    ff.config.set_visible_devices(fresh_gpus[1], "GPU")
    assert ff.config.get_visible_devices("GPU") == [fresh_gpus[1]]
    assert ff.config.list_physical_devices("GPU") == fresh_gpus  # still listed as physical devices
    assert [d.name for d in ff.config.list_logical_devices()] == ["/device:CPU:0", "/device:GPU:0"]
    x = ff.constant([1.0, 2.0])  # TF's default placement: the first visible GPU, now GPU:0
    assert x.device == _GPU + "0" and x._value._card == 1
    with ff.device("GPU:0"):
        y = x * 2.0
    assert y._value._card == 1 and simulated.launches().get(1)
    assert ff.constant([1.0]).cpu().gpu(0)._value._card == 1  # Tensor.gpu(i): the logical GPU:i
    with ff.device("GPU:1"):  # no such device any more: soft placement puts it on GPU:0
        assert ff.constant(1.0).device == _GPU + "0"
    assert ff.config.experimental.get_memory_info("GPU:0")["current"] >= 16
    with pytest.raises(ValueError, match="No matching devices found for 'GPU:1'"):
        ff.config.experimental.get_memory_info("GPU:1")


def test_configuration_is_final_once_the_runtime_starts(fresh_gpus: list) -> None:
    ff.config.experimental.set_memory_growth(fresh_gpus[0], True)
    assert ff.config.experimental.get_memory_growth(fresh_gpus[0]) is True
    ff.constant(1.0)
    for call, message in [
            (lambda: ff.config.set_visible_devices(fresh_gpus[0], "GPU"), "Visible devices cannot be modified after"),
            (lambda: ff.config.set_logical_device_configuration(fresh_gpus[1], _mib(10)),
             "Virtual devices cannot be modified after being initialized"),
            (lambda: ff.config.experimental.set_memory_growth(fresh_gpus[1], True),
             "Physical devices cannot be modified after being initialized")]:
        with pytest.raises(RuntimeError, match=message):
            call()
    ff.config.experimental.set_memory_growth(fresh_gpus[0], True)  # unchanged: no error, as TF
    ff.config.set_visible_devices(ff.config.get_visible_devices())
    assert len(ff.config.list_logical_devices("GPU")) == 2


def test_memory_growth_rules(fresh_gpus: list) -> None:
    growth = ff.config.experimental.set_memory_growth
    assert ff.config.experimental.get_memory_growth(fresh_gpus[1]) is None  # never set: None, as TF
    ff.config.set_logical_device_configuration(fresh_gpus[1], _mib(10))
    with pytest.raises(ValueError, match="Cannot set memory growth on device when virtual devices configured"):
        growth(fresh_gpus[1], True)
    with pytest.raises(ValueError, match="Cannot set memory growth on non-GPU and non-Pluggable devices"):
        growth(ff.config.list_physical_devices("CPU")[0], True)


def test_without_memory_growth_a_card_is_reserved_up_front(fresh_gpus: list) -> None:
    from featherflow.backends import simulated_memory

    ff.config.experimental.set_memory_growth(fresh_gpus[0], False)
    assert ff.config.experimental.get_memory_growth(fresh_gpus[0]) is False
    assert ff.config.experimental.get_memory_growth(fresh_gpus[1]) is None
    pool = simulated.xp.get_default_memory_pool()
    try:
        with simulated.xp.cuda.Device(1):
            before_1 = pool.total_bytes()
        with simulated.xp.cuda.Device(0):
            before = pool.total_bytes()
        ff.constant(0.0)  # the runtime starts: card 0's pool takes 95% of the card's free memory
        with simulated.xp.cuda.Device(0):
            free, total = simulated.xp.cuda.runtime.memGetInfo()
            held, used = pool.total_bytes(), pool.used_bytes()
            assert held - before >= 0.94 * (total - before) and free < 0.06 * total
        x = ff.ones((256, 256))
        with simulated.xp.cuda.Device(0):  # the array is cut from the reserved block: nothing more is taken
            assert pool.used_bytes() - used == x._value.nbytes and pool.total_bytes() == held
        with simulated.xp.cuda.Device(1):
            assert pool.total_bytes() == before_1  # growth never set: taken as arrays need it
        assert ff.config.experimental.get_memory_info("GPU:0")["current"] >= x._value.nbytes
        with pytest.raises(RuntimeError, match="Physical devices cannot be modified after being initialized"):
            ff.config.experimental.set_memory_growth(fresh_gpus[0], True)
    finally:
        with simulated.xp.cuda.Device(0):
            pool.free_all_blocks()  # the reservation goes back to the card for the tests after
            assert simulated_memory.mem_get_info()[0] >= simulated_memory.CAPACITY - pool.used_bytes() - 10**8


def test_the_cpu_cannot_be_hidden(fresh_gpus: list) -> None:
    # TF takes both and then fails to start with this error; featherflow refuses them when they are set
    with pytest.raises(errors.NotFoundError, match="No CPU devices are available in this process"):
        ff.config.set_visible_devices(fresh_gpus)
    with pytest.raises(errors.NotFoundError, match="No CPU devices are available in this process"):
        ff.config.set_logical_device_configuration(ff.config.list_physical_devices("CPU")[0], [])
    assert len(ff.config.get_visible_devices()) == 3
    ff.config.set_logical_device_configuration(fresh_gpus[1], [])  # an empty list: one device with all the card
    assert len(ff.config.list_logical_devices("GPU")) == 2


def test_device_details(fresh_gpus: list) -> None:
    assert ff.config.experimental.get_device_details(fresh_gpus[1]) == {
        "device_name": "NVIDIA H100 80GB HBM3", "compute_capability": (9, 0)}
    assert ff.config.experimental.get_device_details(ff.config.list_physical_devices("CPU")[0]) == {}
    with pytest.raises(ValueError, match="device must be a tf.config.PhysicalDevice, but got: LogicalDevice"):
        ff.config.experimental.get_device_details(ff.config.list_logical_devices("GPU")[0])


def test_memory_info_counts_the_live_bytes_of_a_gpus_arrays(fresh_gpus: list, caplog: Any) -> None:
    info = ff.config.experimental.get_memory_info
    gc.collect()  # arrays other tests left on the card count too: only changes are compared
    start = info("GPU:0")["current"]
    ff.config.experimental.reset_memory_stats("GPU:0")
    x = ff.ones((1000, 1000), dtype=ff.float64)
    del x
    gc.collect()
    peak1 = info("GPU:0")["peak"]
    ff.config.experimental.reset_memory_stats("GPU:0")
    x = ff.ones((1000, 1000), dtype=ff.float32)
    del x
    gc.collect()
    peak2 = info("GPU:0")["peak"]
    assert peak1 - start == 8000000 and peak2 - start == 4000000  # TF's reset_memory_stats example
    v = ff.Variable(ff.zeros((256,)))
    assert info("GPU:0")["current"] - start == 1024
    v.assign_add(ff.ones((256,)))  # in place: no new buffer stays alive
    gc.collect()
    assert info("GPU:0")["current"] - start == 1024
    with caplog.at_level("WARNING", logger="tensorflow"):
        assert ff.config.experimental.get_memory_usage("GPU:0") == info("GPU:0")["current"]


def test_the_simulated_pool_is_cupys_api() -> None:
    from featherflow.backends import simulated_memory as memory

    pool = memory.MemoryPool()
    with _simulating(2):
        with simulated.xp.cuda.Device(1):
            pool.set_limit(size=100)
            kept = pool.malloc(60)
            assert (pool.used_bytes(), pool.get_limit(), pool.total_bytes()) == (60, 100, 60)
            with pytest.raises(memory.OutOfMemoryError, match="limit set to: 100 bytes"):
                pool.malloc(41)
        assert (pool.used_bytes(), pool.get_limit()) == (0, 0)  # card 0: its own count and no limit
        del kept
        with simulated.xp.cuda.Device(1):
            assert pool.used_bytes() == 0
        assert simulated.xp.cuda.runtime.getDeviceProperties(1)["major"] == 9


def test_device_policies_and_asynchronous_execution_featherflow_does_not_have_are_refused() -> None:
    for policy in ("warn", "explicit", "silent_for_int32"):
        with pytest.raises(NotImplementedError, match=f"set_device_policy\\('{policy}'\\)"):
            ff.config.experimental.set_device_policy(policy)
    with pytest.raises(NotImplementedError, match="asynchronous"):
        ff.config.experimental.set_synchronous_execution(False)
    assert ff.config.experimental.get_device_policy() == "silent"
