"""The code cells of TF's guide "TF-NumPy Type Promotion" (site/en/guide/tf_numpy_type_promotion.ipynb), run
under real TF and under featherflow, each in a fresh process (numpy behavior is process-global), printing alike.
A cell's displayed value is printed with ``repr`` (what the notebook shows); the version banner and the pip
cell are left out."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

GUIDE = r'''
tnp.experimental_enable_numpy_behavior(dtype_conversion_mode="all")

# i32 + f32 returns a f32 result in ALL mode.
tnp.experimental_enable_numpy_behavior(dtype_conversion_mode="all")
a = tf.constant(10, dtype = tf.int32)
b = tf.constant(5.0, dtype = tf.float32)
print(repr(a + b))  # <tf.Tensor: shape=(), dtype=float32, numpy=15.0>

# This promotion is not allowed in SAFE mode.
tnp.experimental_enable_numpy_behavior(dtype_conversion_mode="safe")
a = tf.constant(10, dtype = tf.int32)
b = tf.constant(5.0, dtype = tf.float32)
try:
  a + b
except TypeError as e:
   print(f'{type(e)}: {e}')  # TypeError: explicitly specify the dtype or switch to ALL mode.

# i8 + u32 returns an i64 result in ALL mode.
tnp.experimental_enable_numpy_behavior(dtype_conversion_mode="all")
a = tf.constant(10, dtype = tf.int8)
b = tf.constant(5, dtype = tf.uint32)
print(repr(a + b))

# This promotion is not allowed in SAFE mode.
tnp.experimental_enable_numpy_behavior(dtype_conversion_mode="safe")
a = tf.constant(10, dtype = tf.int8)
b = tf.constant(5, dtype = tf.uint32)
try:
  a + b
except TypeError as e:
   print(f'{type(e)}: {e}')  # TypeError: explicitly specify the dtype or switch to ALL mode.

# The first input is promoted to f16 in ALL mode.
tnp.experimental_enable_numpy_behavior(dtype_conversion_mode="all")
print(repr(tf.constant(1, tf.int64) + tf.constant(3.2, tf.float16)))  # <tf.Tensor: shape=(), dtype=float16, numpy=4.2>

print(repr(tf.constant(1.2) + tf.constant(3.1, tf.float16)))  # <tf.Tensor: shape=(), dtype=float16, numpy=4.3>

print(repr(tf.constant(5)))  # <tf.Tensor: shape=(), dtype=int32, numpy=5, weak=True>
print(repr(tf.constant([5.0, 10.0, 3])))  # <tf.Tensor: shape=(3,), dtype=float32, numpy=array([ 5., 10.,  3.], dtype=float32), weak=True>
# A normal Tensor is created when dtype arg is specified.
print(repr(tf.constant(5, tf.int32)))  # <tf.Tensor: shape=(), dtype=int32, numpy=5>
print(repr(tf.math.abs([100.0, 4.0])))  # <tf.Tensor: shape=(2,), dtype=float32, numpy=array([100., 4.], dtype=float32), weak=True>

# Setup
tnp.experimental_enable_numpy_behavior(dtype_conversion_mode="legacy")
a = np.array(1, dtype=np.int8)
b = tf.constant(1)
c = np.array(1, dtype=np.float16)
# (a + b) + c throws an InvalidArgumentError.
try:
  tf.add(tf.add(a, b), c)
except tf.errors.InvalidArgumentError as e:
  print(f'{type(e)}: {e}')  # InvalidArgumentError
# (b + a) + c returns an i32 result.
print(repr(tf.add(tf.add(b, a), c)))  # <tf.Tensor: shape=(), dtype=int32, numpy=3>

tnp.experimental_enable_numpy_behavior(dtype_conversion_mode="all")
a = np.array(1, dtype=np.int8)
b = tf.constant(1)
c = np.array(1, dtype=np.float16)
# (a + b) + c returns a f16 result.
print(repr(tf.add(tf.add(a, b), c)))  # <tf.Tensor: shape=(), dtype=float16, numpy=3.0>
# (b + a) + c also returns a f16 result.
print(repr(tf.add(tf.add(b, a), c)))  # <tf.Tensor: shape=(), dtype=float16, numpy=3.0>

tnp.experimental_enable_numpy_behavior(dtype_conversion_mode="legacy")
print(repr(np.array(3.2, np.float16) + tf.constant(1, tf.int8) + tf.constant(50)))  # <tf.Tensor: shape=(), dtype=float64, numpy=54.19921875>
tnp.experimental_enable_numpy_behavior(dtype_conversion_mode="all")
print(repr(np.array(3.2, np.float16) + tf.constant(1, tf.int8) + tf.constant(50)))  # <tf.Tensor: shape=(), dtype=float16, numpy=54.2>

print(repr(-tf.constant(5)))  # <tf.Tensor: shape=(), dtype=int32, numpy=-5, weak=True>
print(repr(tf.constant(5, tf.int16) - tf.constant(1, tf.float32)))  # <tf.Tensor: shape=(), dtype=float32, numpy=4.0>

tnp.experimental_enable_numpy_behavior(dtype_conversion_mode="all")
a = tf.Variable(10, tf.int32)
print(repr(a.assign_add(tf.constant(5, tf.int16))))  # <tf.Variable shape=() dtype=int32, numpy=15>

tnp.experimental_enable_numpy_behavior(dtype_conversion_mode="all")
a = tf.constant(10, tf.int16)
print(repr(tf.constant(a, tf.float32)))  # <tf.Tensor: shape=(), dtype=float32, numpy=10.0>

print(repr(tnp.array(1)))  # <tf.Tensor: shape=(), dtype=int32, numpy=1, weak=True>
print(repr(tnp.array(1.0)))  # <tf.Tensor: shape=(), dtype=int32, numpy=1, weak=True>
'''

_HEADERS = {
    "tf": "import os\nos.environ['TF_CPP_MIN_LOG_LEVEL'] = '3'\nimport numpy as np\nimport tensorflow as tf\n"
          "import tensorflow.experimental.numpy as tnp\n",
    "ff": "import numpy as np\nimport featherflow as tf\nimport featherflow.experimental.numpy as tnp\n",
}


def _run(which: str) -> list[str]:
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    proc = subprocess.run([sys.executable, "-c", _HEADERS[which] + GUIDE], capture_output=True, text=True, env=env,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    # an exception's class prints with its module, which is each library's own
    return [re.sub(r"<class '[\w.]*?(\w+)'>", r"<class '\1'>", line) for line in proc.stdout.splitlines()]


def test_guide_prints_alike():
    pytest.importorskip("tensorflow")
    want, got = _run("tf"), _run("ff")
    assert len(want) > 20
    assert got == want
