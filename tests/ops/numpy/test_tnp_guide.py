"""The cells of TF's guide "NumPy API on TensorFlow" (site/en/guide/tf_numpy.ipynb) that print deterministic
output, run under real TF and under featherflow (each in a fresh process: numpy behavior is process-global),
printing alike. Random values are printed by shape only; classes, timings and plots are left out."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

GUIDE = r'''
tnp.experimental_enable_numpy_behavior()

ones = tnp.ones([5, 3], dtype=tnp.float32)
print("Created ND array with shape = %s, rank = %s, "
      "dtype = %s on device = %s\n" % (ones.shape, ones.ndim, ones.dtype, ones.data.device))
print("The ND array wraps a tf.Tensor: %s\n" % ones.data)
print("ndarray.T has shape %s" % str(ones.T.shape))
print("narray.reshape(-1) has shape %s" % ones.reshape(-1).shape)

print("Type promotion for operations")
values = [tnp.asarray(1, dtype=d) for d in (tnp.int32, tnp.int64, tnp.float32, tnp.float64)]
for i, v1 in enumerate(values):
  for v2 in values[i+1:]:
    print("%s + %s => %s" % (v1.dtype, v2.dtype, (v1 + v2).dtype))
print("Type inference during array creation")
print("tnp.asarray(1).dtype == tnp.%s" % tnp.asarray(1).dtype)
print("tnp.asarray(1.).dtype == tnp.%s\n" % tnp.asarray(1.).dtype)

x = tnp.ones([2, 3])
y = tnp.ones([3])
z = tnp.ones([1, 2, 1])
print("Broadcasting shapes %s, %s and %s gives shape %s" % (x.shape, y.shape, z.shape, (x + y + z).shape))

x = tnp.arange(24).reshape(2, 3, 4)
print("Basic indexing")
print(x[1, tnp.newaxis, 1:3, ...], "\n")
print("Boolean indexing")
print(x[:, (True, False, True)], "\n")
print("Advanced indexing")
print(x[1, (0, 0, 1), tnp.asarray([0, 1, 1])])

try:
  tnp.arange(6)[1] = -1
except TypeError:
  print("Currently, TensorFlow NumPy does not support mutation.")

class Model(object):
  def __init__(self):
    self.weights = None

  def predict(self, inputs):
    if self.weights is None:
      size = inputs.shape[1]
      stddev = tnp.sqrt(size).astype(tnp.float32)
      w1 = tnp.random.randn(size, 64).astype(tnp.float32) / stddev
      bias = tnp.random.randn(64).astype(tnp.float32)
      w2 = tnp.random.randn(64, 2).astype(tnp.float32) / 8
      self.weights = (w1, bias, w2)
    else:
      w1, bias, w2 = self.weights
    y = tnp.matmul(inputs, w1) + bias
    y = tnp.maximum(y, 0)
    return tnp.matmul(y, w2)

model = Model()
p = model.predict(tnp.ones([2, 32], dtype=tnp.float32))
print(p.shape, p.dtype)

np_sum = np.sum(tnp.ones([2, 3]))
print("sum = %s." % float(np_sum), type(np_sum).__name__)
tnp_sum = tnp.sum(np.ones([2, 3]))
print("sum = %s." % float(tnp_sum), isinstance(tnp_sum, tnp.ndarray))

x = tnp.ones([2]) + np.ones([2])
print("x = %s" % x)

x = tf.constant([1, 2])
tnp_x = tnp.asarray(x)
print(tnp_x)
print(tnp_x.data)
print(tf.convert_to_tensor(tnp_x))
print(x.numpy(), x.numpy().__class__)

tf_sum = tf.reduce_sum(tnp.ones([2, 3], tnp.float32))
print("Output = %s" % tf_sum)
tnp_sum = tnp.sum(tf.ones([2, 3]))
print("Output = %s" % tnp_sum)

x = tnp.ones([2, 2]) + tf.ones([2, 1])
print("x = %s" % x)

def create_batch(batch_size=32):
  return (tnp.random.randn(batch_size, 32).astype(tnp.float32),
          tnp.random.randn(batch_size, 2).astype(tnp.float32))

def compute_gradients(model, inputs, labels):
  with tf.GradientTape() as tape:
    assert model.weights is not None
    tape.watch(model.weights)
    prediction = model.predict(inputs)
    loss = tnp.sum(tnp.square(prediction - labels))
  return tape.gradient(loss, model.weights)

inputs, labels = create_batch()
gradients = compute_gradients(model, inputs, labels)
print("Parameter shapes:", [w.shape for w in model.weights])
print("Gradient shapes:", [g.shape for g in gradients])
assert isinstance(gradients[0], tnp.ndarray)

with tf.device("/device:CPU:0"):
  prediction = model.predict(create_batch(5)[0])
print("prediction is placed on %s" % prediction.data.device)
with tf.device("/device:CPU:0"):
  prediction_cpu = tnp.copy(prediction)
print(prediction.data.device)
print(prediction_cpu.data.device)
'''

_HEADERS = {
    "tf": "import os\nos.environ['TF_CPP_MIN_LOG_LEVEL'] = '3'\nimport numpy as np\nimport tensorflow as tf\n"
          "import tensorflow.experimental.numpy as tnp\n",
    "ff": "import numpy as np\nimport featherflow as tf\nimport featherflow.experimental.numpy as tnp\n",
}


def _run(which: str) -> str:
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    proc = subprocess.run([sys.executable, "-c", _HEADERS[which] + GUIDE], capture_output=True, text=True, env=env,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc.stdout


def test_guide_prints_alike():
    pytest.importorskip("tensorflow")
    want, got = _run("tf"), _run("ff")
    assert got.splitlines() == want.splitlines()
