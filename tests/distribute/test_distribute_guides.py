"""TF's guide "Distributed training with TensorFlow" and tutorial "Custom training with tf.distribute.Strategy",
run under featherflow and under real TensorFlow and compared cell by cell.

The cells are the notebooks' code cells (``site/en/guide/distributed_training.ipynb`` at tensorflow/docs
adc6168a2a196467a07e02ef2323b3bf4ff9f2d5, ``site/en/tutorials/distribute/custom_training.ipynb`` at
a9413810508a3c335b75b96c832664682a0c1969), in order, in one namespace per notebook, as a notebook runs them: a
cell whose last statement is an expression shows its value's repr, and an exception is shown as ``Type: message``.
A cell this file adds has an id starting with ``+`` and says why; a changed line says so in a comment.

Both notebooks are written for several GPUs. This machine has one CPU, so each notebook runs with the CPU split
into two logical devices (``tf.config.set_logical_device_configuration``), which gives MirroredStrategy two
replicas under both libraries. The split has to happen before the runtime starts, and Keras on featherflow cannot
share a process with real TensorFlow (both would be ``tensorflow``), so each notebook runs once per library in a
fresh interpreter, in its own empty working directory (the tutorial writes checkpoints there); what each cell
showed comes back as JSON.

The tutorial's Fashion MNIST download is replaced by seeded synthetic arrays of the same shapes and dtypes
(uint8 images 28x28, uint8 labels 0-9), fewer of them. Keras's random initial weights are seeded by a cell added
at the start, which TF honours the same way on every run, so the trained values are compared rather than hidden.

``compare`` says how a cell's output is compared: ``exact``; ``progress`` (Keras's progress bar: its step times
differ between any two runs, TF's included); ``float`` (values after many float32 training steps: the text with
the numbers taken out must be the same, and each number must agree to a relative 1e-5: TF's CPU kernels (Eigen,
oneDNN convolutions) add in another order than NumPy, so the last bits of a float32 loss differ after the first
step and the difference grows a little with every Adam step (about 1e-7 here); a wrong gradient, a wrong reduction
over replicas or a wrong batch split is off by far more); or ``skip: why``.

Where real TF (2.21, with Keras 3) cannot run the notebook as written, the cell that changes it says why: the
tutorial's model and optimizer are built before its tf.function step rather than inside it (``+build``), and its
last cell runs under TF without its ``@tf.function`` (``_EAGER_EPOCH``). The training dataset is not shuffled
(featherflow's shuffle buffer does not draw TF's order, and every training value depends on the batches' order).
"""

from __future__ import annotations

import ast
import json
import math
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

import pytest

pytestmark = pytest.mark.xdist_group("notebook_subprocesses")  # the notebooks run once, on one worker

pytest.importorskip("keras")

_ROOT = Path(__file__).resolve().parents[2]
_MARK = "\n--- cells as JSON ---\n"
_REPLICAS = 2


class Cell(NamedTuple):
    id: str
    source: str
    compare: str = "exact"
    tensorflow: str = ""  # where real TF cannot run ``source``: what TF runs instead (the cell says why)


_PRELUDE = {
    "featherflow": "import featherflow as ff\nff.use_as_tensorflow()\n",
    "tensorflow": "",
}

# The child: imports `tensorflow` (featherflow, after the prelude), splits the CPU into logical devices before
# anything starts the runtime, runs the cells given on stdin with tests/_cells.py's run_cells, and prints what each
# showed as JSON after a mark.
_CHILD = """\
import json, sys
sys.path.insert(0, {root!r})
{prelude}import tensorflow
tensorflow.config.set_logical_device_configuration(
    tensorflow.config.list_physical_devices("CPU")[0],
    [tensorflow.config.LogicalDeviceConfiguration()] * {replicas})
from tests._cells import run_cells
shown = run_cells(tensorflow, json.load(sys.stdin), namespace={{"__name__": "__main__"}})
sys.stdout.write({mark!r} + json.dumps(shown))
"""

_SEED = Cell("+seed", """\
# added: Keras's random initial weights seeded, so that TF shows the same values on every run and featherflow can
# be compared with it
tf.keras.utils.set_random_seed(1234)
""")

GUIDE = [
    Cell("EVOZFbNgXghB", """\
# Import TensorFlow
import tensorflow as tf
"""),
    _SEED,
    Cell("9Z4FMAY9ADxK", """\
mirrored_strategy = tf.distribute.MirroredStrategy()
"""),
    Cell("+replicas", """\
# added: what the strategy found (two logical CPUs here, where the guide has GPUs)
print(mirrored_strategy.num_replicas_in_sync, mirrored_strategy.extended.worker_devices)
"""),
    Cell("nbGleskCACv_", """\
mirrored_strategy = tf.distribute.MirroredStrategy(devices=["/gpu:0", "/gpu:1"])
"""),
    Cell("6-xIOIpgBItn", """\
mirrored_strategy = tf.distribute.MirroredStrategy(
    cross_device_ops=tf.distribute.HierarchicalCopyAllReduce())
"""),
    # TPUStrategy's cell is markdown (it needs a TPU): out of scope.
    Cell("m3a_6ebbEjre", """\
strategy = tf.distribute.MultiWorkerMirroredStrategy()
"""),
    Cell("QGX_QAEtFQSv", """\
communication_options = tf.distribute.experimental.CommunicationOptions(
    implementation=tf.distribute.experimental.CommunicationImplementation.NCCL)
strategy = tf.distribute.MultiWorkerMirroredStrategy(
    communication_options=communication_options)
"""),
    # ParameterServerStrategy's cell is markdown (it needs a TF_CONFIG cluster of gRPC servers): out of scope.
    Cell("rtjZOyaoMWrP", """\
central_storage_strategy = tf.distribute.experimental.CentralStorageStrategy()
"""),
    Cell("+central", """\
# added: what the strategy above makes of a variable, and how many replicas it has (no GPU here: one)
print(central_storage_strategy.num_replicas_in_sync)
with central_storage_strategy.scope():
  print(tf.Variable(1.))
"""),
    Cell("ibHleFOOmPn9", """\
default_strategy = tf.distribute.get_strategy()
"""),
    Cell("WECeRzUdT6bU", """\
# In optimizer or other library code
# Get currently active strategy
strategy = tf.distribute.get_strategy()
strategy.reduce("SUM", 1., axis=None)  # reduce some values
"""),
    Cell("O4Vmae5jmSE6", """\
if tf.config.list_physical_devices('GPU'):
  strategy = tf.distribute.MirroredStrategy()
else:  # use default strategy
  strategy = tf.distribute.get_strategy()

with strategy.scope():
  # do something interesting
  print(tf.Variable(1.))
"""),
    Cell("+one_device", """\
# added: the guide's OneDeviceStrategy snippet (markdown there), on "/cpu:0" where the guide has "/gpu:0"
strategy = tf.distribute.OneDeviceStrategy(device="/cpu:0")
with strategy.scope():
  print(tf.Variable(2.))
print(strategy.run(lambda: tf.constant(3.)))
"""),
    Cell("gbbcpzRnPZ6V", """\
mirrored_strategy = tf.distribute.MirroredStrategy()

with mirrored_strategy.scope():
  model = tf.keras.Sequential([tf.keras.layers.Dense(1, input_shape=(1,))])

model.compile(loss='mse', optimizer='sgd')
"""),
    Cell("ZMmxEFRTEjH5", """\
dataset = tf.data.Dataset.from_tensors(([1.], [1.])).repeat(100).batch(10)
model.fit(dataset, epochs=2)
model.evaluate(dataset)
""", "progress"),
    Cell("Lqgd9SdxW5OW", """\
import numpy as np
inputs, targets = np.ones((100, 1)), np.ones((100, 1))
model.fit(inputs, targets, epochs=2, batch_size=10)
""", "progress"),
    Cell("quNNTytWdGBf", """\
# Compute global batch size using number of replicas.
BATCH_SIZE_PER_REPLICA = 5
global_batch_size = (BATCH_SIZE_PER_REPLICA *
                     mirrored_strategy.num_replicas_in_sync)
dataset = tf.data.Dataset.from_tensors(([1.], [1.])).repeat(100)
dataset = dataset.batch(global_batch_size)

LEARNING_RATES_BY_BATCH_SIZE = {5: 0.1, 10: 0.15}
learning_rate = LEARNING_RATES_BY_BATCH_SIZE[global_batch_size]
print(global_batch_size, learning_rate)  # added: what the cell computed
"""),
    Cell("W-3Bn-CaiPKD", """\
with mirrored_strategy.scope():
  model = tf.keras.Sequential([tf.keras.layers.Dense(1, input_shape=(1,))])
  optimizer = tf.keras.optimizers.SGD()
"""),
    Cell("94BkvkLInkKd", """\
dataset = tf.data.Dataset.from_tensors(([1.], [1.])).repeat(100).batch(
    global_batch_size)
dist_dataset = mirrored_strategy.experimental_distribute_dataset(dataset)
"""),
    Cell("NJxL5YrVniDe", """\
loss_object = tf.keras.losses.BinaryCrossentropy(
  from_logits=True,
  reduction=tf.keras.losses.Reduction.NONE)

def compute_loss(labels, predictions):
  per_example_loss = loss_object(labels, predictions)
  return tf.nn.compute_average_loss(per_example_loss, global_batch_size=global_batch_size)

def train_step(inputs):
  features, labels = inputs

  with tf.GradientTape() as tape:
    predictions = model(features, training=True)
    loss = compute_loss(labels, predictions)

  gradients = tape.gradient(loss, model.trainable_variables)
  optimizer.apply_gradients(zip(gradients, model.trainable_variables))
  return loss

@tf.function
def distributed_train_step(dist_inputs):
  per_replica_losses = mirrored_strategy.run(train_step, args=(dist_inputs,))
  return mirrored_strategy.reduce(tf.distribute.ReduceOp.SUM, per_replica_losses,
                         axis=None)
"""),
    Cell("Egq9eufToRf6", """\
for dist_inputs in dist_dataset:
  print(distributed_train_step(dist_inputs))
""", "float"),
    Cell("e5BEvR0-LJAc", """\
iterator = iter(dist_dataset)
for _ in range(10):
  print(distributed_train_step(next(iterator)))
""", "float"),
    Cell("+local_results", """\
# added: the guide's note on consuming what run returns: reduce it, or take its local results
per_replica = mirrored_strategy.run(lambda: tf.distribute.get_replica_context().replica_id_in_sync_group)
print(per_replica)
print(mirrored_strategy.experimental_local_results(per_replica))
print(mirrored_strategy.reduce(tf.distribute.ReduceOp.MEAN, mirrored_strategy.run(lambda: tf.ones([2, 3])), axis=0))
print(next(iter(dist_dataset)))
"""),
    Cell("+weights", """\
# added: the model the two loops trained, and that its two copies agree
for v in model.trainable_variables:
  print(v.name, [x.numpy().tolist() for x in v.values])
""", "float"),
    # The TF_CONFIG cells are markdown (a multi-worker cluster of gRPC servers): out of scope; featherflow runs
    # multi-worker over MPI, tested in test_multi_worker.py.
]

_SYNTHETIC = Cell("+data", """\
# added in place of the download: synthetic arrays of Fashion MNIST's shapes and dtypes, fewer of them (160 train
# images: ten global batches of 2 x 8, as the iterator cell below takes ten steps from one pass; 64 test images)
rng = np.random.RandomState(0)
train_labels = rng.randint(0, 10, size=160).astype(np.uint8)
test_labels = rng.randint(0, 10, size=64).astype(np.uint8)
# images that depend on their label, so that the model has something to learn
_patterns = rng.randint(0, 256, size=(10, 28, 28))
train_images = np.clip(_patterns[train_labels] + rng.randint(-80, 80, size=(160, 28, 28)), 0, 255).astype(np.uint8)
test_images = np.clip(_patterns[test_labels] + rng.randint(-80, 80, size=(64, 28, 28)), 0, 255).astype(np.uint8)
""")

# The tutorial's last cell iterates over the distributed dataset inside a tf.function. Real TF 2.21 with Keras 3
# deadlocks tracing it (the replica threads wait in MirroredStrategy's merge_call for the optimizer's all-reduce,
# while the group lock of the traced loop is held), so TF runs the same epoch without the @tf.function: the same
# steps, in the same order, on the same replicas; featherflow runs the cell as written.
_EAGER_EPOCH = """\
def distributed_train_epoch(dataset):  # the cell's function, without @tf.function (see _EAGER_EPOCH)
  total_loss = 0.0
  num_batches = 0
  for x in dataset:
    per_replica_losses = strategy.run(train_step, args=(x,))
    total_loss += strategy.reduce(
      tf.distribute.ReduceOp.SUM, per_replica_losses, axis=None)
    num_batches += 1
  return total_loss / tf.cast(num_batches, dtype=tf.float32)

for epoch in range(EPOCHS):
  train_loss = distributed_train_epoch(train_dist_dataset)

  template = ("Epoch {}, Loss: {}, Accuracy: {}")
  print (template.format(epoch+1, train_loss, train_accuracy.result()*100))

  train_accuracy.reset_state()
"""

TUTORIAL = [
    Cell("dzLKpmZICaWN", """\
# Import TensorFlow
import tensorflow as tf

# Helper libraries
import numpy as np
import os


print(tf.__version__)
""", "skip: each library prints its own version"),
    _SEED,
    _SYNTHETIC,
    Cell("7MqDQO0KCaWS", """\
# fashion_mnist = tf.keras.datasets.fashion_mnist  (changed: the +data cell stands in for the download)
# (train_images, train_labels), (test_images, test_labels) = fashion_mnist.load_data()

# Adding a dimension to the array -> new shape == (28, 28, 1)
# We are doing this because the first layer in our model is a convolutional
# layer and it requires a 4D input (batch_size, height, width, channels).
# batch_size dimension will be added later on.
train_images = train_images[..., None]
test_images = test_images[..., None]

# Getting the images in [0, 1] range.
train_images = train_images / np.float32(255)
test_images = test_images / np.float32(255)
"""),
    Cell("F2VeZUWUj5S4", """\
# If the list of devices is not specified in the
# `tf.distribute.MirroredStrategy` constructor, it will be auto-detected.
strategy = tf.distribute.MirroredStrategy()
"""),
    Cell("ZngeM_2o0_JO", """\
print ('Number of devices: {}'.format(strategy.num_replicas_in_sync))
"""),
    Cell("jwJtsCQhHK-E", """\
BUFFER_SIZE = len(train_images)

BATCH_SIZE_PER_REPLICA = 8  # changed from 64: the same loops, in seconds (with the +data cell's sizes)
GLOBAL_BATCH_SIZE = BATCH_SIZE_PER_REPLICA * strategy.num_replicas_in_sync

EPOCHS = 2  # changed from 10: the same loops, in seconds on the synthetic data
"""),
    Cell("WYrMNNDhAvVl", """\
# changed: no .shuffle(BUFFER_SIZE) before .batch: featherflow's shuffle buffer does not draw TF's order (see
# tests/data/test_data_guide.py), and every value the training cells print depends on the order of the batches
train_dataset = tf.data.Dataset.from_tensor_slices((train_images, train_labels)).batch(GLOBAL_BATCH_SIZE)
test_dataset = tf.data.Dataset.from_tensor_slices((test_images, test_labels)).batch(GLOBAL_BATCH_SIZE)

train_dist_dataset = strategy.experimental_distribute_dataset(train_dataset)
test_dist_dataset = strategy.experimental_distribute_dataset(test_dataset)
"""),
    Cell("9ODch-OFCaW4", """\
def create_model():
  model = tf.keras.Sequential([
      tf.keras.layers.Conv2D(32, 3, activation='relu'),
      tf.keras.layers.MaxPooling2D(),
      tf.keras.layers.Conv2D(64, 3, activation='relu'),
      tf.keras.layers.MaxPooling2D(),
      tf.keras.layers.Flatten(),
      tf.keras.layers.Dense(64, activation='relu'),
      tf.keras.layers.Dense(10)
    ])

  return model
"""),
    Cell("9iagoTBfijUz", """\
# Create a checkpoint directory to store the checkpoints.
checkpoint_dir = './training_checkpoints'
checkpoint_prefix = os.path.join(checkpoint_dir, "ckpt")
"""),
    Cell("R144Wci782ix", """\
with strategy.scope():
  # Set reduction to `none` so we can do the reduction afterwards and divide by
  # global batch size.
  loss_object = tf.keras.losses.SparseCategoricalCrossentropy(
      from_logits=True,
      reduction=tf.keras.losses.Reduction.NONE)
  def compute_loss(labels, predictions):
    per_example_loss = loss_object(labels, predictions)
    return tf.nn.compute_average_loss(per_example_loss, global_batch_size=GLOBAL_BATCH_SIZE)
"""),
    Cell("zt3AHb46Tr3w", """\
with strategy.scope():
  test_loss = tf.keras.metrics.Mean(name='test_loss')

  train_accuracy = tf.keras.metrics.SparseCategoricalAccuracy(
      name='train_accuracy')
  test_accuracy = tf.keras.metrics.SparseCategoricalAccuracy(
      name='test_accuracy')
"""),
    Cell("OrMmakq5EqeQ", """\
# model, optimizer, and checkpoint must be created under `strategy.scope`.
with strategy.scope():
  model = create_model()

  optimizer = tf.keras.optimizers.Adam()

  checkpoint = tf.train.Checkpoint(optimizer=optimizer, model=model)
"""),
    Cell("+build", """\
# added: the model and the optimizer built here, in the strategy's scope, rather than on the first call of the
# tf.function training step below: under real TF 2.21 with Keras 3 the notebook as written fails there (Keras 3
# creates the layers' weights and Adam's slots inside the traced step, which MirroredStrategy's variable creation
# cannot lift out of the graph: "InvalidArgumentError: You must feed a value for placeholder tensor
# 'cond/else/_1/cond/Placeholder'"), so that TF would have nothing to compare featherflow's training with
with strategy.scope():
  model.build((None, 28, 28, 1))
  optimizer.build(model.trainable_variables)
"""),
    Cell("3UX43wUu04EL", """\
def train_step(inputs):
  images, labels = inputs

  with tf.GradientTape() as tape:
    predictions = model(images, training=True)
    loss = compute_loss(labels, predictions)

  gradients = tape.gradient(loss, model.trainable_variables)
  optimizer.apply_gradients(zip(gradients, model.trainable_variables))

  train_accuracy.update_state(labels, predictions)
  return loss

def test_step(inputs):
  images, labels = inputs

  predictions = model(images, training=False)
  t_loss = loss_object(labels, predictions)

  test_loss.update_state(t_loss)
  test_accuracy.update_state(labels, predictions)
"""),
    Cell("gX975dMSNw0e", """\
# `run` replicates the provided computation and runs it
# with the distributed input.
@tf.function
def distributed_train_step(dataset_inputs):
  per_replica_losses = strategy.run(train_step, args=(dataset_inputs,))
  return strategy.reduce(tf.distribute.ReduceOp.SUM, per_replica_losses,
                         axis=None)

@tf.function
def distributed_test_step(dataset_inputs):
  return strategy.run(test_step, args=(dataset_inputs,))

for epoch in range(EPOCHS):
  # TRAIN LOOP
  total_loss = 0.0
  num_batches = 0
  for x in train_dist_dataset:
    total_loss += distributed_train_step(x)
    num_batches += 1
  train_loss = total_loss / num_batches

  # TEST LOOP
  for x in test_dist_dataset:
    distributed_test_step(x)

  if epoch % 2 == 0:
    checkpoint.save(checkpoint_prefix)

  template = ("Epoch {}, Loss: {}, Accuracy: {}, Test Loss: {}, "
              "Test Accuracy: {}")
  print (template.format(epoch+1, train_loss,
                         train_accuracy.result()*100, test_loss.result(),
                         test_accuracy.result()*100))

  test_loss.reset_state()  # changed from reset_states(): Keras 3 has reset_state() only
  train_accuracy.reset_state()
  test_accuracy.reset_state()
""", "float"),
    Cell("+checkpoints", """\
# added: the files the loop wrote
print(sorted(os.listdir(checkpoint_dir)))
print(tf.train.latest_checkpoint(checkpoint_dir))
"""),
    Cell("pg3B-Cw_cn3a", """\
eval_accuracy = tf.keras.metrics.SparseCategoricalAccuracy(
      name='eval_accuracy')

new_model = create_model()
new_optimizer = tf.keras.optimizers.Adam()

test_dataset = tf.data.Dataset.from_tensor_slices((test_images, test_labels)).batch(GLOBAL_BATCH_SIZE)
"""),
    Cell("7qYii7KUYiSM", """\
@tf.function
def eval_step(images, labels):
  predictions = new_model(images, training=False)
  eval_accuracy(labels, predictions)
"""),
    Cell("LeZ6eeWRoUNq", """\
checkpoint = tf.train.Checkpoint(optimizer=new_optimizer, model=new_model)
checkpoint.restore(tf.train.latest_checkpoint(checkpoint_dir))

for images, labels in test_dataset:
  eval_step(images, labels)

print ('Accuracy after restoring the saved model without strategy: {}'.format(
    eval_accuracy.result()*100))
""", "float"),
    Cell("7c73wGC00CzN", """\
for _ in range(EPOCHS):
  total_loss = 0.0
  num_batches = 0
  train_iter = iter(train_dist_dataset)

  for _ in range(10):
    total_loss += distributed_train_step(next(train_iter))
    num_batches += 1
  average_train_loss = total_loss / num_batches

  template = ("Epoch {}, Loss: {}, Accuracy: {}")
  print (template.format(epoch+1, average_train_loss, train_accuracy.result()*100))
  train_accuracy.reset_state()  # changed from reset_states(): Keras 3 has reset_state() only
""", "float"),
    Cell("-REzmcXv00qm", """\
@tf.function
def distributed_train_epoch(dataset):
  total_loss = 0.0
  num_batches = 0
  for x in dataset:
    per_replica_losses = strategy.run(train_step, args=(x,))
    total_loss += strategy.reduce(
      tf.distribute.ReduceOp.SUM, per_replica_losses, axis=None)
    num_batches += 1
  return total_loss / tf.cast(num_batches, dtype=tf.float32)

for epoch in range(EPOCHS):
  train_loss = distributed_train_epoch(train_dist_dataset)

  template = ("Epoch {}, Loss: {}, Accuracy: {}")
  print (template.format(epoch+1, train_loss, train_accuracy.result()*100))

  train_accuracy.reset_state()  # changed from reset_states(): Keras 3 has reset_state() only
""", "float", _EAGER_EPOCH),
]

NOTEBOOKS = {"guide": GUIDE, "tutorial": TUTORIAL}


def displayed(source: str) -> str:
    """``source`` as a notebook runs it: a last statement that is an expression shows its value's repr (not
    None), as IPython's display hook does, unless the cell ends in ``;``."""
    body = ast.parse(source).body
    if not body or not isinstance(body[-1], ast.Expr) or source.rstrip().endswith(";"):
        return source
    last = body[-1]
    lines = source.splitlines()
    head = "\n".join(lines[: last.lineno - 1])
    expression = ast.get_source_segment(source, last.value)
    return f"{head}\n__shown = ({expression})\nif __shown is not None:\n    print(repr(__shown))\n"


def _run(cells: list[Cell], lib: str, workdir: Path) -> list[str]:
    workdir.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "KERAS_BACKEND": "tensorflow", "TF_CPP_MIN_LOG_LEVEL": "3", "CUDA_VISIBLE_DEVICES": "",
           "KERAS_HOME": str(workdir / ".keras")}
    env.pop("TF_CONFIG", None)
    program = _CHILD.format(root=str(_ROOT), prelude=_PRELUDE[lib], mark=_MARK, replicas=_REPLICAS)
    sources = [displayed(c.tensorflow if lib == "tensorflow" and c.tensorflow else c.source) for c in cells]
    done = subprocess.run([sys.executable, "-c", program], input=json.dumps(sources), capture_output=True, text=True,
                          env=env, cwd=workdir, timeout=600)
    assert done.returncode == 0 and _MARK in done.stdout, f"{lib} did not finish:\n{done.stderr[-4000:]}"
    return json.loads(done.stdout.split(_MARK, 1)[1])


@pytest.fixture(scope="module")
def shown(tmp_path_factory):
    """What each notebook's cells showed, per library: each notebook runs once per library, on first use."""
    runs: dict[tuple[str, str], list[str]] = {}

    def get(name: str, lib: str) -> list[str]:
        if (name, lib) not in runs:
            runs[name, lib] = _run(NOTEBOOKS[name], lib, tmp_path_factory.mktemp(f"{name}-{lib}"))
        return runs[name, lib]

    return get


_OBJECT = re.compile(r"<(?:[\w.]+\.)?(\w+) object at 0x[0-9a-fA-F]+>")
# Keras's progress line for a step: "10/10 ━━━━━━━━━━━━━━━━━━━━ 0s 5ms/step - loss: 0.1234"; only the times vary
_STEP_TIME = re.compile(r"\b\d+(?:\.\d+)?(?:s|ms|us|µs)(?:/step)?\b")
_NUMBER = re.compile(r"-?\d+(?:\.\d*)?(?:e[-+]?\d+)?")


def _numbers(text: str) -> tuple[str, list[float]]:
    return _NUMBER.sub("#", text), [float(n) for n in _NUMBER.findall(text)]


def _same_floats(ours: str, theirs: str) -> bool:
    """The same text around the numbers, and numbers within a relative 1e-5 (an accuracy over the 160 or 64
    examples here moves by at least 0.6%, so one example classified differently fails)."""
    (text_a, a), (text_b, b) = _numbers(ours), _numbers(theirs)
    return text_a == text_b and len(a) == len(b) and all(
        math.isclose(x, y, rel_tol=1e-5, abs_tol=1e-7) for x, y in zip(a, b))


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _progress(text: str) -> str:
    """Keras's progress bar as it ends: it redraws the bar only when enough time has passed since the last
    redraw, so which intermediate steps a line shows, and the step times, differ between any two runs (TF's
    included); each line's last step, its loss and the History the cell shows are compared."""
    lines = []
    for line in _ANSI.sub("", _OBJECT.sub(r"<\1 object>", text)).split("\n"):
        drawn = [segment.strip() for segment in line.split("\r") if segment.strip()]  # "\r" starts a redraw
        lines.append(_STEP_TIME.sub("<time>", drawn[-1]) if drawn else "")
    return "\n".join(lines)


_COMPARE = {
    "exact": lambda a, b: a == b,
    "progress": lambda a, b: _progress(a) == _progress(b),
    "float": _same_floats,
}


def _cases() -> list:
    cases = []
    for name, cells in NOTEBOOKS.items():
        for index, cell in enumerate(cells):
            marks = [pytest.mark.skip(reason=cell.compare[5:].strip())] if cell.compare.startswith("skip:") else []
            cases.append(pytest.param(name, index, cell, id=f"{name}-{index:02d}-{cell.id}", marks=marks))
    return cases


@pytest.mark.parametrize(("name", "index", "cell"), _cases())
def test_cell_shows_what_tensorflow_shows(shown, name: str, index: int, cell: Cell) -> None:
    ours, theirs = shown(name, "featherflow")[index], shown(name, "tensorflow")[index]
    assert _COMPARE[cell.compare](ours, theirs), f"{name} cell {cell.id}:\n--- featherflow\n{ours}\n--- tensorflow\n{theirs}"


def test_the_training_cells_trained(shown) -> None:
    """The float comparisons compare something: the loops ran on two replicas, printed their losses, and wrote
    the checkpoints the restore cell read."""
    guide = dict(zip([c.id for c in GUIDE], shown("guide", "featherflow")))
    assert guide["+replicas"].startswith("2 (")
    assert len(guide["Egq9eufToRf6"].splitlines()) == 10 and len(guide["e5BEvR0-LJAc"].splitlines()) == 10
    tutorial = dict(zip([c.id for c in TUTORIAL], shown("tutorial", "featherflow")))
    assert "Number of devices: 2" in tutorial["ZngeM_2o0_JO"]
    assert tutorial["gX975dMSNw0e"].count("Epoch ") == 2 and "ckpt-1.index" in tutorial["+checkpoints"]
    assert "Accuracy after restoring" in tutorial["LeZ6eeWRoUNq"]
    assert tutorial["-REzmcXv00qm"].count("Epoch ") == 2


def test_float_comparison_tells_a_wrong_value() -> None:
    assert _same_floats("Loss: 0.1234567, Accuracy: 50.0", "Loss: 0.1234568, Accuracy: 50.0")
    assert not _same_floats("Loss: 0.1235, Accuracy: 50.0", "Loss: 0.1245, Accuracy: 50.0")
    assert not _same_floats("Loss: 0.1235, Accuracy: 50.0", "Loss: 0.1235, Accuracy: 50.3")
    assert not _same_floats("Loss: 0.1235", "Test loss: 0.1235")
