"""The cells of TF's "Random number generation" guide (``site/en/guide/random_numbers.ipynb``) that use
``tf.random.Generator`` with distribution strategies, and a few more around them: a generator made outside a
strategy and drawn in ``strat.run`` (draws serialized), made in ``strat.scope()`` or in a replica function (one
stream per replica: the key hashed with the replica id), split generators handed to replicas (through
``strat.run`` and ``experimental_distribute_values_from_function``), checkpoints restored into strategies with
more replicas, and the errors TF raises. Each cell runs under real TensorFlow, in a fresh process with three
logical CPUs (TF configures them only before its runtime starts), and under featherflow in a fresh runtime; both
must print the same, values bit for bit."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys

import pytest

import featherflow as ff
from featherflow.device_config import _fresh_runtime
from featherflow.ops.random import generator as _ops_generator
from tests._cells import run_cells

SETUP = """
cpu = tf.config.list_physical_devices("CPU")[0]
tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 3)
"""

CELLS = {
    # the guide: "Creating generators outside distribution strategies"
    "created_outside": """
g = tf.random.Generator.from_seed(1)
strat = tf.distribute.MirroredStrategy(devices=["cpu:0", "cpu:1"])
with strat.scope():
  def f():
    print(g.normal([]))
  results = strat.run(f)
print(g.state)
""",
    # the guide: "Creating generators inside distribution strategies"
    "created_in_scope": """
strat = tf.distribute.MirroredStrategy(devices=["cpu:0", "cpu:1"])
with strat.scope():
  g = tf.random.Generator.from_seed(1)
  print(strat.run(lambda: g.normal([])))
  print(strat.run(lambda: g.normal([])))
print(type(g.state).__name__, g.state.values)
print(g.normal([2]))
print(g.state.values)
""",
    "created_in_run": """
strat = tf.distribute.MirroredStrategy(devices=["cpu:0", "cpu:1"])
with strat.scope():
  def f():
    g = tf.random.Generator.from_seed(1)
    a = g.normal([])
    b = g.normal([])
    return tf.stack([a, b])
  print(strat.run(f))
  print(strat.run(f))
""",
    # the guide's earlier editions: these raised ValueError; TF 2.21 allows both
    "created_in_scope_no_error": """
strat = tf.distribute.MirroredStrategy(devices=["cpu:0", "cpu:1"])
with strat.scope():
  try:
    tf.random.Generator.from_seed(1)
  except ValueError as e:
    print("ValueError:", e)
def f():
  tf.random.Generator.from_seed(1)
try:
  strat.run(f)
except ValueError as e:
  print("ValueError:", e)
""",
    # the guide: "Passing generators as arguments to Strategy.run" (a seeded global generator here)
    "split_passed_to_run": """
strat = tf.distribute.MirroredStrategy(devices=["cpu:0", "cpu:1"])
tf.random.set_global_generator(tf.random.Generator.from_seed(7))
gs = tf.random.get_global_generator().split(2)
def to_args(gs):
  with strat.scope():
    def f():
      return [gs[tf.distribute.get_replica_context().replica_id_in_sync_group]]
    return strat.run(f)
args = to_args(gs)
def f(g):
  print(g.normal([]))
results = strat.run(f, args=args)
""",
    "split_distributed_from_function": """
strat = tf.distribute.MirroredStrategy(devices=["cpu:0", "cpu:1"])
g = tf.random.Generator.from_seed(3)
gs = g.split(2)
args = strat.experimental_distribute_values_from_function(lambda ctx: gs[ctx.replica_id_in_sync_group])
print(type(args).__name__)
print(strat.run(lambda g: g.normal([2]), args=(args,)))
""",
    "split_in_scope_distributed_from_function": """
strat = tf.distribute.MirroredStrategy(devices=["cpu:0", "cpu:1"])
with strat.scope():
  g = tf.random.Generator.from_seed(11)
  gs = g.split(2)
print(type(gs[0].state).__name__)
args = strat.experimental_distribute_values_from_function(lambda ctx: gs[ctx.replica_id_in_sync_group])
print(strat.run(lambda g: g.normal([2]), args=(args,)))
print(strat.run(lambda g: g.uniform([1]), args=(args,)))
print([v.numpy().tolist() for v in gs[0].state.values], [v.numpy().tolist() for v in gs[1].state.values])
with strat.scope():
  print(strat.run(lambda: g.split(1)[0].normal([])))
""",
    "global_generator_in_replicas": """
strat = tf.distribute.MirroredStrategy(devices=["cpu:0", "cpu:1"])
tf.random.set_global_generator(tf.random.Generator.from_seed(2))
with strat.scope():
  # (replicas take turns on a generator made outside the strategy, in their threads' order)
  print(sorted(float(v) for v in strat.run(lambda: tf.random.get_global_generator().normal([])).values))
  g = tf.random.Generator.from_seed(3)
  print(list(tf.train.Checkpoint(g=g)._trackable_children()), list(g._trackable_children()))
""",
    # the guide: "Saving generators" under strategies, restored into one with three replicas
    "checkpoint": """
import os
filename = os.path.join(os.environ["CKPT_DIR"], "checkpoint")
strat = tf.distribute.MirroredStrategy(devices=["cpu:0", "cpu:1"])
with strat.scope():
  g = tf.random.Generator.from_seed(1)
  cp = tf.train.Checkpoint(my_generator=g)
  print(strat.run(lambda: g.normal([])))
with strat.scope():
  cp.write(filename)
  print("RNG stream from saving point:")
  print(strat.run(lambda: g.normal([])))
  print(strat.run(lambda: g.normal([])))
with strat.scope():
  cp.restore(filename)
  print("RNG stream from restoring point:")
  print(strat.run(lambda: g.normal([])))
  print(strat.run(lambda: g.normal([])))
strat2 = tf.distribute.MirroredStrategy(devices=["cpu:0", "cpu:1", "cpu:2"])
with strat2.scope():
  g2 = tf.random.Generator.from_seed(1)
  cp2 = tf.train.Checkpoint(my_generator=g2)
  cp2.restore(filename)
  print("RNG stream from restoring point:")
  print(strat2.run(lambda: g2.normal([])))
  print(strat2.run(lambda: g2.normal([])))
""",
    "cross_replica_draws": """
strat = tf.distribute.MirroredStrategy(devices=["cpu:0", "cpu:1"])
with strat.scope():
  g = tf.random.Generator.from_seed(5)
  print(g.uniform([3]))
  print(g.skip(4))
  print(g.state)
  print(g.split(2)[0].state)
  print(g.make_seeds(2))
""",
    "every_distribution_per_replica": """
strat = tf.distribute.MirroredStrategy(devices=["cpu:0", "cpu:1"])
with strat.scope():
  g = tf.random.Generator.from_seed(9)
print(strat.run(lambda: g.uniform([2], 0, 100, dtype=tf.int32)))
print(strat.run(lambda: g.uniform_full_int([1], dtype=tf.int64)))
print(strat.run(lambda: g.truncated_normal([2])))
print(strat.run(lambda: g.make_seeds(1)))
""",
    "replicas_diverge": """
strat = tf.distribute.MirroredStrategy(devices=["cpu:0", "cpu:1"])
with strat.scope():
  g = tf.random.Generator.from_seed(4)
def f():
  if tf.distribute.get_replica_context().replica_id_in_sync_group == 0:
    return g.normal([3])
  return g.normal([1])
print(strat.run(f))
print(g.state)
print(strat.run(lambda: g.skip(2)))
g.reset_from_seed(4)
print(strat.run(lambda: g.normal([])))
""",
    "mixing_strategies": """
strat = tf.distribute.MirroredStrategy(devices=["cpu:0", "cpu:1"])
other = tf.distribute.MirroredStrategy(devices=["cpu:0", "cpu:2"])
with strat.scope():
  g = tf.random.Generator.from_seed(1)
with other.scope():
  try:
    g.normal([])
  except RuntimeError as e:
    print("RuntimeError:", str(e).split(":")[0])
print(g.normal([]))
""",
    "one_device_strategy": """
strat = tf.distribute.OneDeviceStrategy("cpu:1")
with strat.scope():
  g = tf.random.Generator.from_seed(1)
  print(g.normal([2]))
print(strat.run(lambda: g.normal([2])))
print(g.skip(1))
print(g.state)
""",
    "central_storage_strategy": """
strat = tf.distribute.experimental.CentralStorageStrategy(["cpu:0", "cpu:1"])
with strat.scope():
  g = tf.random.Generator.from_seed(1)
  print(g.normal([2]))
print(strat.run(lambda: g.normal([])))
print(g.state)
""",
    "binomial": """
strat = tf.distribute.MirroredStrategy(devices=["cpu:0", "cpu:1"])
with strat.scope():
  g = tf.random.Generator.from_seed(2)
  try:
    print(g.binomial([2], counts=10.0, probs=0.5))
  except ValueError as e:
    print("ValueError:", e)
print(g.state)
""",
}

_ORACLE = """
import os, sys
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
import tensorflow as tf
from tests._cells import run_cells
cells = eval(sys.stdin.read())
print(repr(run_cells(tf, cells[1:], setup=cells[0])))
"""

_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _comparable(name: str, printed: str) -> str:
    # replicas drawing from one generator made outside the strategy take turns in whichever order their threads
    # run: the values are TF's, their order of printing is not fixed
    return "\n".join(sorted(printed.splitlines())) if name == "created_outside" else printed


@pytest.fixture(scope="module")
def tensorflow_printed(tmp_path_factory) -> dict:
    """What TF printed for every cell, from one fresh process with three logical CPUs."""
    if importlib.util.find_spec("tensorflow") is None:
        pytest.skip("tensorflow is not installed")
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", CKPT_DIR=str(tmp_path_factory.mktemp("tf_ckpt")),
               CUDA_VISIBLE_DEVICES="")
    env.pop("TF_CONFIG", None)
    done = subprocess.run([sys.executable, "-c", _ORACLE], input=repr([SETUP, *CELLS.values()]), capture_output=True,
                          text=True, cwd=_ROOT, timeout=300, env=env)
    assert done.returncode == 0, done.stderr
    return dict(zip(CELLS, eval(done.stdout.strip().splitlines()[-1])))  # noqa: S307 - strings we printed


@pytest.mark.parametrize("name", list(CELLS))
def test_guide_cell_prints_as_tensorflow(tensorflow_printed, name, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("CKPT_DIR", str(tmp_path))
    monkeypatch.delenv("TF_CONFIG", raising=False)
    monkeypatch.setattr(_ops_generator, "_global_generator", _ops_generator._global_generator)
    with _fresh_runtime():
        ours = run_cells(ff, [CELLS[name]], setup=SETUP)[0]
    assert _comparable(name, ours) == _comparable(name, tensorflow_printed[name])


def test_a_generator_under_a_strategy_checkpoints_only_its_state() -> None:
    """The strategy and the per-component bookkeeping are no checkpoint dependencies (TF tracks ``_state_var``)."""
    with _fresh_runtime():
        ff.config.set_logical_device_configuration(ff.config.list_physical_devices("CPU")[0],
                                                   [ff.config.LogicalDeviceConfiguration()] * 2)
        strat = ff.distribute.MirroredStrategy(["cpu:0", "cpu:1"])
        with strat.scope():
            g = ff.random.Generator.from_seed(1)
        strat.run(lambda: g.normal([2]))
        assert list(g._trackable_children()) == ["_state_var"]
        assert [v.numpy().tolist() for v in g.state.values] == [[513, 0, 0], [513, 0, 0]]
