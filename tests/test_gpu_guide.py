"""TF's GPU guide (``site/en/guide/gpu.ipynb`` in tensorflow/docs), cell by cell, on a machine with two (simulated)
GPUs. The expected outputs are what TF prints on such a machine: the guide's notebook keeps no saved outputs, so
they are written from TF's rules (the runtime starts at the first tensor; configuration after that raises the
RuntimeErrors the cells print) and its placement log format. The ``tf.distribute.MirroredStrategy`` cell, which
builds a Keras model, is not run here: it tests Keras and strategies, not devices."""

from __future__ import annotations

import gc
import re
from typing import Any

import pytest

import featherflow as ff
from featherflow.device import _simulating
from featherflow.device_config import _fresh_runtime
from tests._cells import run_cells

SETUP = "import featherflow as tf\n"

NUM_GPUS = "print(\"Num GPUs Available: \", len(tf.config.list_physical_devices('GPU')))"

LOG_PLACEMENT = """tf.debugging.set_log_device_placement(True)

# Create some tensors
a = tf.constant([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
b = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
c = tf.matmul(a, b)

print(c)"""

MANUAL = """tf.debugging.set_log_device_placement(True)

# Place tensors on the CPU
with tf.device('/CPU:0'):
  a = tf.constant([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
  b = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])

# Run on the GPU
c = tf.matmul(a, b)
print(c)"""

VISIBLE = """gpus = tf.config.list_physical_devices('GPU')
if gpus:
  # Restrict TensorFlow to only use the first GPU
  try:
    tf.config.set_visible_devices(gpus[0], 'GPU')
    logical_gpus = tf.config.list_logical_devices('GPU')
    print(len(gpus), "Physical GPUs,", len(logical_gpus), "Logical GPU")
  except RuntimeError as e:
    # Visible devices must be set before GPUs have been initialized
    print(e)"""

GROWTH = """gpus = tf.config.list_physical_devices('GPU')
if gpus:
  try:
    # Currently, memory growth needs to be the same across GPUs
    for gpu in gpus:
      tf.config.experimental.set_memory_growth(gpu, True)
    logical_gpus = tf.config.list_logical_devices('GPU')
    print(len(gpus), "Physical GPUs,", len(logical_gpus), "Logical GPUs")
  except RuntimeError as e:
    # Memory growth must be set before GPUs have been initialized
    print(e)"""

LIMIT = """gpus = tf.config.list_physical_devices('GPU')
if gpus:
  # Restrict TensorFlow to only allocate 1GB of memory on the first GPU
  try:
    tf.config.set_logical_device_configuration(
        gpus[0],
        [tf.config.LogicalDeviceConfiguration(memory_limit=1024)])
    logical_gpus = tf.config.list_logical_devices('GPU')
    print(len(gpus), "Physical GPUs,", len(logical_gpus), "Logical GPUs")
  except RuntimeError as e:
    # Virtual devices must be set before GPUs have been initialized
    print(e)"""

INVALID = """tf.debugging.set_log_device_placement(True)

try:
  # Specify an invalid GPU device
  with tf.device('/device:GPU:2'):
    a = tf.constant([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    b = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    c = tf.matmul(a, b)
except RuntimeError as e:
  print(e)"""

SOFT = """tf.config.set_soft_device_placement(True)
tf.debugging.set_log_device_placement(True)

# Creates some tensors
a = tf.constant([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
b = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
c = tf.matmul(a, b)

print(c)"""

VIRTUAL = """gpus = tf.config.list_physical_devices('GPU')
if gpus:
  # Create 2 virtual GPUs with 1GB memory each
  try:
    tf.config.set_logical_device_configuration(
        gpus[0],
        [tf.config.LogicalDeviceConfiguration(memory_limit=1024),
         tf.config.LogicalDeviceConfiguration(memory_limit=1024)])
    logical_gpus = tf.config.list_logical_devices('GPU')
    print(len(gpus), "Physical GPU,", len(logical_gpus), "Logical GPUs")
  except RuntimeError as e:
    # Virtual devices must be set before GPUs have been initialized
    print(e)"""

REPLICATE = """tf.debugging.set_log_device_placement(True)

gpus = tf.config.list_logical_devices('GPU')
if gpus:
  # Replicate your computation on multiple GPUs
  c = []
  for gpu in gpus:
    with tf.device(gpu.name):
      a = tf.constant([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
      b = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
      c.append(tf.matmul(a, b))

  with tf.device('/CPU:0'):
    matmul_sum = tf.add_n(c)

  print(matmul_sum)"""

C = "tf.Tensor(\n[[22. 28.]\n [49. 64.]], shape=(2, 2), dtype=float32)\n"

# The guide top to bottom in one fresh process: the runtime starts at the second cell (its first tensor), so
# the configuration cells after it print TF's errors, as they do when the notebook is run in order on a GPU.
IN_ORDER = [
    (NUM_GPUS, "Num GPUs Available:  2\n"),
    (LOG_PLACEMENT, C),
    (MANUAL, C),
    (VISIBLE, "Visible devices cannot be modified after being initialized\n"),
    (GROWTH, "Physical devices cannot be modified after being initialized\n"),
    (LIMIT, "Virtual devices cannot be modified after being initialized\n"),
    (INVALID, ""),  # soft placement (TF 2's default): no error
    (SOFT, C),
    (VIRTUAL, "Virtual devices cannot be modified after being initialized\n"),
    (REPLICATE, "tf.Tensor(\n[[ 44.  56.]\n [ 98. 128.]], shape=(2, 2), dtype=float32)\n"),
]

_LOG = re.compile(r"I0000 00:00:\d+\.\d{6} +\d+ execute\.cc:\d+\] Executing op (\w+) in device (\S+)$")
_DEV = "/job:localhost/replica:0/task:0/device:"


def _logged(err: str) -> list[tuple[str, str]]:
    return [(m.group(1), m.group(2).removeprefix(_DEV)) for line in err.splitlines() if (m := _LOG.search(line))]


@pytest.fixture
def gpu_machine(monkeypatch: Any):
    """A fresh process on a machine with two GPUs, with TF's INFO log (placement logging) shown."""
    monkeypatch.setenv("TF_CPP_MIN_LOG_LEVEL", "0")
    with _simulating(2), _fresh_runtime():
        yield


def test_the_guide_in_order(gpu_machine: None, capsys: Any) -> None:
    printed = []
    logs = []
    for cell, _ in IN_ORDER:
        printed += run_cells(ff, [cell], SETUP)
        logs.append(_logged(capsys.readouterr().err))
    assert printed == [expected for _, expected in IN_ORDER]
    # what the placement log shows: the guide's "MatMul was executed on GPU:0", with the inputs copied from the
    # CPU in the manual-placement cell, one MatMul per logical GPU, and the sum on the CPU
    assert ("MatMul", "GPU:0") in logs[1]
    assert logs[2][-1] == ("MatMul", "GPU:0")
    assert [op for op in logs[9] if op[0] in ("MatMul", "AddN")] == [("MatMul", "GPU:0"), ("MatMul", "GPU:1"),
                                                                    ("AddN", "CPU:0")]


@pytest.mark.parametrize("cell, expected, logical", [
    (VISIBLE, "2 Physical GPUs, 1 Logical GPU\n", 1),
    (GROWTH, "2 Physical GPUs, 2 Logical GPUs\n", 2),
    (LIMIT, "2 Physical GPUs, 2 Logical GPUs\n", 2),
    (VIRTUAL, "2 Physical GPU, 3 Logical GPUs\n", 3),
])
def test_each_configuration_cell_first_in_a_fresh_process(gpu_machine: None, cell: str, expected: str,
                                                          logical: int) -> None:
    # as the guide means them: before any tensor is made; then the replication cell uses every logical GPU
    printed = run_cells(ff, [cell, REPLICATE], SETUP)
    total = [[22.0 * logical, 28.0 * logical], [49.0 * logical, 64.0 * logical]]
    assert printed[0] == expected
    assert printed[1] == f"{ff.constant(total)!s}\n"


def test_the_limit_of_the_guides_logical_gpu_is_enforced(gpu_machine: None) -> None:
    from featherflow.backends import simulated

    run_cells(ff, [LIMIT], SETUP)
    gc.collect()
    other = ff.config.experimental.get_memory_info("GPU:1")["current"]
    with ff.device("GPU:0"):
        kept = ff.zeros((1000,))
        # an allocation as CuPy makes one for an array (``cupy.cuda.alloc``): counted, not backed by RAM here
        block = simulated.xp.cuda.alloc((1 << 30) - 4000)  # the rest of the 1 GB (1024 MB)
        with pytest.raises(ff.errors.ResourceExhaustedError, match=f"OOM when allocating tensor of 4000 bytes on "
                           f"{_DEV}GPU:0 by allocator GPU_0_bfc"):
            ff.zeros((1000,))
    assert ff.config.experimental.get_memory_info("GPU:0") == {"current": 1 << 30, "peak": 1 << 30}
    del block, kept
    assert ff.config.experimental.get_memory_info("GPU:0") == {"current": 0, "peak": 1 << 30}
    assert ff.config.experimental.get_memory_info("GPU:1")["current"] == other  # the other card: its own pool
