"""The Keras cells of four of TF's guides (``site/en/guide/*.ipynb`` in tensorflow/docs), with the cells they
depend on, as the guides have them: one ``Guide`` per notebook, its cells in order (they share one namespace).

Each cell's ``id`` is the notebook's own cell id; a cell this file adds (a seed, a local stand-in for something a
notebook does outside Python) has an id starting with ``+`` and says why in a comment. IPython-only lines
(``%load_ext``, ``!ls``) are replaced by the Python that shows the same thing, and say so. ``compare`` says how
``test_guides.py`` compares what the cell prints under featherflow and under TensorFlow: ``"exact"``, the name of a
normaliser there (for what differs from run to run even in TF: object addresses, step times), or ``"skip: why"``.

None of the four guides' Keras cells downloads data, so no data stand-in is needed; their random data and
unseeded random weights are made deterministic by a seed cell each (``+seed``), which TF honours the same way on
every run, so the seeded values are compared rather than hidden.
"""

from __future__ import annotations

from typing import NamedTuple


class Cell(NamedTuple):
    id: str
    source: str
    compare: str = "exact"


class Guide(NamedTuple):
    url: str
    commit: str  # the tensorflow/docs commit the cells were read at
    cells: list[Cell]


_SEED = Cell("+seed", """\
# added: the guide's random values (tf.random.normal, Keras's default initializers) seeded, so that TF prints the
# same values on every run and featherflow can be compared with it
tf.keras.utils.set_random_seed(1234)
""")


INTRO_TO_MODULES = Guide(
    url="https://github.com/tensorflow/docs/blob/master/site/en/guide/intro_to_modules.ipynb",
    commit="a68c452e3da63207a8648d704b9c2d4e901fd9b0",
    cells=[
        Cell("goZwOXp_xyQj", """\
import tensorflow as tf
from datetime import datetime

# %load_ext tensorboard  (IPython only; TensorBoard is not used by the Keras cells)
"""),
        _SEED,
        # "## Keras models and layers": every cell from here on is a Keras cell; the tf.Module cells before it
        # define nothing these use.
        Cell("88YOGquhnQRd", """\
class MyDense(tf.keras.layers.Layer):
  # Adding **kwargs to support base Keras layer arguments
  def __init__(self, in_features, out_features, **kwargs):
    super().__init__(**kwargs)

    # This will soon move to the build step; see below
    self.w = tf.Variable(
      tf.random.normal([in_features, out_features]), name='w')
    self.b = tf.Variable(tf.zeros([out_features]), name='b')
  def call(self, x):
    y = tf.matmul(x, self.w) + self.b
    return tf.nn.relu(y)

simple_layer = MyDense(name="simple", in_features=3, out_features=3)
"""),
        Cell("nIqE8wOznYKG", """\
simple_layer([[2.0, 2.0, 2.0]])
"""),
        Cell("4YTfrlgdsURp", """\
class FlexibleDense(tf.keras.layers.Layer):
  # Note the added `**kwargs`, as Keras supports many arguments
  def __init__(self, out_features, **kwargs):
    super().__init__(**kwargs)
    self.out_features = out_features

  def build(self, input_shape):  # Create the state of the layer (weights)
    self.w = tf.Variable(
      tf.random.normal([input_shape[-1], self.out_features]), name='w')
    self.b = tf.Variable(tf.zeros([self.out_features]), name='b')

  def call(self, inputs):  # Defines the computation from inputs to outputs
    return tf.matmul(inputs, self.w) + self.b

# Create the instance of the layer
flexible_dense = FlexibleDense(out_features=3)
"""),
        Cell("DgyTyUD32Ln4", """\
flexible_dense.variables
"""),
        Cell("IkLyEx7uAoTK", """\
# Call it, with predictably random results
print("Model results:", flexible_dense(tf.constant([[2.0, 2.0, 2.0], [3.0, 3.0, 3.0]])))
"""),
        Cell("Swofpkrd2YDd", """\
flexible_dense.variables
"""),
        Cell("caYWDrHSAy_j", """\
try:
  print("Model results:", flexible_dense(tf.constant([[2.0, 2.0, 2.0, 2.0]])))
except tf.errors.InvalidArgumentError as e:
  print("Failed:", e)
"""),
        Cell("Hqjo1DiyrHrn", """\
class MySequentialModel(tf.keras.Model):
  def __init__(self, name=None, **kwargs):
    super().__init__(**kwargs)

    self.dense_1 = FlexibleDense(out_features=3)
    self.dense_2 = FlexibleDense(out_features=2)
  def call(self, x):
    x = self.dense_1(x)
    return self.dense_2(x)

# You have made a Keras model!
my_sequential_model = MySequentialModel(name="the_model")

# Call it on a tensor, with random results
print("Model results:", my_sequential_model(tf.constant([[2.0, 2.0, 2.0]])))
"""),
        Cell("hdLQFNdMsOz1", """\
my_sequential_model.variables
"""),
        Cell("JjVAMrAJsQ7G", """\
my_sequential_model.submodules
""", "addresses"),
        Cell("jJiZZiJ0fyqQ", """\
inputs = tf.keras.Input(shape=[3,])

x = FlexibleDense(3)(inputs)
x = FlexibleDense(2)(x)

my_functional_model = tf.keras.Model(inputs=inputs, outputs=x)

my_functional_model.summary()
"""),
        Cell("kg-xAZw5gaG6", """\
my_functional_model(tf.constant([[2.0, 2.0, 2.0]]))
"""),
        Cell("SAz-KVZlzAJu", """\
my_sequential_model.save("exname_of_file")
"""),
        Cell("Wj5DW-LCopry", """\
reconstructed_model = tf.keras.models.load_model("exname_of_file")
"""),
        Cell("P_wGfQo5pe6T", """\
reconstructed_model(tf.constant([[2.0, 2.0, 2.0]]))
"""),
    ],
)


CHECKPOINT = Guide(
    url="https://github.com/tensorflow/docs/blob/master/site/en/guide/checkpoint.ipynb",
    commit="ba06a912707af5cf55a125644692ceaf2a5a7fbc",
    cells=[  # every code cell: all of them use the Keras model `net` or what it wrote
        Cell("VEvpMYAKsC4z", """\
import tensorflow as tf
"""),
        _SEED,
        Cell("OEQCseyeC4Ev", '''\
class Net(tf.keras.Model):
  """A simple linear model."""

  def __init__(self):
    super(Net, self).__init__()
    self.l1 = tf.keras.layers.Dense(5)

  def call(self, x):
    return self.l1(x)
'''),
        Cell("utqeoDADC5ZR", """\
net = Net()
"""),
        Cell("SuhmrYPEl4D_", """\
net.save_weights('easy_checkpoint')
"""),
        Cell("tSNyP4IJ9nkU", """\
def toy_dataset():
  inputs = tf.range(10.)[:, None]
  labels = inputs * 5. + tf.range(5.)[None, :]
  return tf.data.Dataset.from_tensor_slices(
    dict(x=inputs, y=labels)).repeat().batch(2)
"""),
        Cell("ICm1cufh_JH8", '''\
def train_step(net, example, optimizer):
  """Trains `net` on `example` using `optimizer`."""
  with tf.GradientTape() as tape:
    output = net(example['x'])
    loss = tf.reduce_mean(tf.abs(output - example['y']))
  variables = net.trainable_variables
  gradients = tape.gradient(loss, variables)
  optimizer.apply_gradients(zip(gradients, variables))
  return loss
'''),
        Cell("ou5qarOQOWYl", """\
opt = tf.keras.optimizers.Adam(0.1)
dataset = toy_dataset()
iterator = iter(dataset)
ckpt = tf.train.Checkpoint(step=tf.Variable(1), optimizer=opt, net=net, iterator=iterator)
manager = tf.train.CheckpointManager(ckpt, './tf_ckpts', max_to_keep=3)
"""),
        Cell("BbCS5A6K1VSH", """\
def train_and_checkpoint(net, manager):
  ckpt.restore(manager.latest_checkpoint)
  if manager.latest_checkpoint:
    print("Restored from {}".format(manager.latest_checkpoint))
  else:
    print("Initializing from scratch.")

  for _ in range(50):
    example = next(iterator)
    loss = train_step(net, example, opt)
    ckpt.step.assign_add(1)
    if int(ckpt.step) % 10 == 0:
      save_path = manager.save()
      print("Saved checkpoint for step {}: {}".format(int(ckpt.step), save_path))
      print("loss {:1.2f}".format(loss.numpy()))
"""),
        Cell("Ik3IBMTdPW41", """\
train_and_checkpoint(net, manager)
"""),
        Cell("UjilkTOV2PBK", """\
opt = tf.keras.optimizers.Adam(0.1)
net = Net()
dataset = toy_dataset()
iterator = iter(dataset)
ckpt = tf.train.Checkpoint(step=tf.Variable(1), optimizer=opt, net=net, iterator=iterator)
manager = tf.train.CheckpointManager(ckpt, './tf_ckpts', max_to_keep=3)

train_and_checkpoint(net, manager)
"""),
        Cell("3zmM0a-F5XqC", """\
print(manager.checkpoints)  # List the three remaining checkpoints
"""),
        Cell("t1feej9JntV_", """\
# !ls ./tf_ckpts  (IPython's shell escape; the same listing, one name a line as ls prints to a pipe)
import os
print("\\n".join(sorted(os.listdir("./tf_ckpts"))))
"""),
        Cell("wmX2AuyH7TVt", """\
to_restore = tf.Variable(tf.zeros([5]))
print(to_restore.numpy())  # All zeros
fake_layer = tf.train.Checkpoint(bias=to_restore)
fake_net = tf.train.Checkpoint(l1=fake_layer)
new_root = tf.train.Checkpoint(net=fake_net)
status = new_root.restore(tf.train.latest_checkpoint('./tf_ckpts/'))
print(to_restore.numpy())  # This gets the restored value.
""", "float32"),
        Cell("P9TQXl81Dq5r", """\
status.assert_existing_objects_matched()
""", "addresses"),
        Cell("TXYUCO3v-I72", """\
delayed_restore = tf.Variable(tf.zeros([1, 5]))
print(delayed_restore.numpy())  # Not restored; still zeros
fake_layer.kernel = delayed_restore
print(delayed_restore.numpy())  # Restored
"""),
        Cell("RlRsADTezoBD", """\
reader = tf.train.load_checkpoint('./tf_ckpts/')
shape_from_key = reader.get_variable_to_shape_map()
dtype_from_key = reader.get_variable_to_dtype_map()

sorted(shape_from_key.keys())
"""),
        Cell("lYhX_XWCgl92", """\
key = 'net/l1/kernel/.ATTRIBUTES/VARIABLE_VALUE'

print("Shape:", shape_from_key[key])
print("Dtype:", dtype_from_key[key].name)
"""),
        Cell("cDJO3cgmecvi", """\
reader.get_tensor(key)
"""),
        Cell("rfaIbDtDHAr_", """\
save = tf.train.Checkpoint()
save.listed = [tf.Variable(1.)]
save.listed.append(tf.Variable(2.))
save.mapped = {'one': save.listed[0]}
save.mapped['two'] = save.listed[1]
save_path = save.save('./tf_list_example')

restore = tf.train.Checkpoint()
v2 = tf.Variable(0.)
assert 0. == v2.numpy()  # Not restored yet
restore.mapped = {'two': v2}
restore.restore(save_path)
assert 2. == v2.numpy()
"""),
        Cell("s0Uq1Hv5JCmm", """\
restore.listed = []
print(restore.listed)  # ListWrapper([])
v1 = tf.Variable(0.)
restore.listed.append(v1)  # Restores v1, from restore() in the previous cell
assert 1. == v1.numpy()
"""),
    ],
)


BASIC_TRAINING_LOOPS = Guide(
    url="https://github.com/tensorflow/docs/blob/master/site/en/guide/basic_training_loops.ipynb",
    commit="a68c452e3da63207a8648d704b9c2d4e901fd9b0",
    cells=[  # the Keras cells (the last three) and the cells that define what they use; the plots are left out
        Cell("NiolgWMPgpwI", """\
import tensorflow as tf
"""),
        _SEED,
        Cell("NzivK2ATByOz", """\
# The actual line
TRUE_W = 3.0
TRUE_B = 2.0

NUM_EXAMPLES = 1000

# A vector of random x values
x = tf.random.normal(shape=[NUM_EXAMPLES])

# Generate some noise
noise = tf.random.normal(shape=[NUM_EXAMPLES])

# Calculate y
y = x * TRUE_W + TRUE_B + noise
"""),
        Cell("_WRu7Pze7wk8", """\
class MyModel(tf.Module):
  def __init__(self, **kwargs):
    super().__init__(**kwargs)
    # Initialize the weights to `5.0` and the bias to `0.0`
    # In practice, these should be randomly initialized
    self.w = tf.Variable(5.0)
    self.b = tf.Variable(0.0)

  def __call__(self, x):
    return self.w * x + self.b

model = MyModel()

# List the variables tf.modules's built-in variable aggregation.
print("Variables:", model.variables)

# Verify the model works
assert model(3.0).numpy() == 15.0
"""),
        Cell("Y0ysUFGY924U", """\
# This computes a single loss value for an entire batch
def loss(target_y, predicted_y):
  return tf.reduce_mean(tf.square(target_y - predicted_y))
"""),
        Cell("MBIACgdnA55X", """\
# Given a callable model, inputs, outputs, and a learning rate...
def train(model, x, y, learning_rate):

  with tf.GradientTape() as t:
    # Trainable variables are automatically tracked by GradientTape
    current_loss = loss(y, model(x))

  # Use GradientTape to calculate the gradients with respect to W and b
  dw, db = t.gradient(current_loss, [model.w, model.b])

  # Subtract the gradient scaled by the learning rate
  model.w.assign_sub(learning_rate * dw)
  model.b.assign_sub(learning_rate * db)
"""),
        Cell("XdfkR223D9dW", """\
model = MyModel()

# Collect the history of W-values and b-values to plot later
Ws, bs = [], []
epochs = range(10)

# Define a training loop
def training_loop(model, x, y):

  for epoch in epochs:
    # Update the model with the single giant batch
    train(model, x, y, learning_rate=0.1)

    # Track this before I update
    Ws.append(model.w.numpy())
    bs.append(model.b.numpy())
    current_loss = loss(y, model(x))

    print("Epoch %2d: W=%1.2f b=%1.2f, loss=%2.5f" %
          (epoch, Ws[-1], bs[-1], current_loss))
"""),
        Cell("Z86hCI0x1YX3", """\
class MyModelKeras(tf.keras.Model):
  def __init__(self, **kwargs):
    super().__init__(**kwargs)
    # Initialize the weights to `5.0` and the bias to `0.0`
    # In practice, these should be randomly initialized
    self.w = tf.Variable(5.0)
    self.b = tf.Variable(0.0)

  def __call__(self, x, **kwargs):
    return self.w * x + self.b

keras_model = MyModelKeras()

# Reuse the training loop with a Keras model
training_loop(keras_model, x, y)

# You can also save a checkpoint using Keras's built-in support
keras_model.save_weights("my_checkpoint")
"""),
        Cell("-nbLLfPE2pEl", """\
keras_model = MyModelKeras()

# compile sets the training paramaeters
keras_model.compile(
    # By default, fit() uses tf.function().  You can
    # turn that off for debugging, but it is on now.
    run_eagerly=False,

    # Using a built-in optimizer, configuring as an object
    optimizer=tf.keras.optimizers.SGD(learning_rate=0.1),

    # Keras comes with built-in MSE error
    # However, you could use the loss function
    # defined above
    loss=tf.keras.losses.mean_squared_error,
)
"""),
        Cell("zfAYqtu136PO", """\
print(x.shape[0])
keras_model.fit(x, y, epochs=10, batch_size=1000)
""", "progress"),
    ],
)


BASICS = Guide(
    url="https://github.com/tensorflow/docs/blob/master/site/en/guide/basics.ipynb",
    commit="a08cac3899626fe742fd42c7cffd1cf05af7d31e",
    cells=[  # the Keras cells (the last four) and the cells that define what they use
        Cell("6ZqX5RnbBS1f", """\
import tensorflow as tf

x = tf.constant([[1., 2., 3.],
                 [4., 5., 6.]])

print(x)
print(x.shape)
print(x.dtype)
"""),
        _SEED,
        Cell("VcuFr7KPRPzn", """\
import matplotlib
from matplotlib import pyplot as plt

matplotlib.rcParams['figure.figsize'] = [9, 6]
"""),
        Cell("sXN9E_xf-GiP", """\
x = tf.linspace(-2, 2, 201)
x = tf.cast(x, tf.float32)

def f(x):
  y = x**2 + 2*x - 5
  return y

y = f(x) + tf.random.normal(shape=[201])

plt.plot(x.numpy(), y.numpy(), '.', label='Data')
plt.plot(x, f(x), label='Ground truth')
plt.legend();
"""),
        Cell("ReWhH40wTY5F", """\
def plot_preds(x, y, f, model, title):
  plt.figure()
  plt.plot(x, y, '.', label='Data')
  plt.plot(x, f(x), label='Ground truth')
  plt.plot(x, model(x), label='Predictions')
  plt.title(title)
  plt.legend()
"""),
        Cell("5rt8HP2TZhEM", """\
new_model = tf.keras.Sequential([
    tf.keras.layers.Lambda(lambda x: tf.stack([x, x**2], axis=1)),
    tf.keras.layers.Dense(units=1, kernel_initializer=tf.random.normal)])
"""),
        Cell("73kCo1BtP3rQ", """\
new_model.compile(
    loss=tf.keras.losses.MSE,
    optimizer=tf.keras.optimizers.SGD(learning_rate=0.01))

history = new_model.fit(x, y,
                        epochs=100,
                        batch_size=32,
                        verbose=0)

new_model.save('./my_new_model')
"""),
        Cell("+history", """\
# added: what the plot below draws (the cell above fits silently): the seeded run's losses and weights
print([round(v, 3) for v in history.history['loss'][::10]])
print([[round(float(v), 3) for v in w.ravel()] for w in new_model.get_weights()])
"""),
        Cell("Mo7zRV7XZjv7", """\
plt.plot(history.history['loss'])
plt.xlabel('Epoch')
plt.ylim([0, max(plt.ylim())])
plt.ylabel('Loss [Mean Squared Error]')
plt.title('Keras training progress');
"""),
        Cell("bB44a9YsvnfK", """\
plot_preds(x, y, f, new_model, 'After Training: Keras')
"""),
    ],
)


GUIDES = {
    "intro_to_modules": INTRO_TO_MODULES,
    "checkpoint": CHECKPOINT,
    "basic_training_loops": BASIC_TRAINING_LOOPS,
    "basics": BASICS,
}
