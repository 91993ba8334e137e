"""``tf.function(jit_compile=True)`` on the CPU: XLA's CPU backend takes the layouts TF's CPU kernels refuse
(NCHW / NCDHW convolutions, pooling, transposed convolutions, depth-to-space), dilated float64 Conv3D and
grouped Conv3D; outside such a function the same calls keep TF's refusals. Each case runs eagerly and compiled,
under real TensorFlow and under featherflow, and the printed values or errors are compared."""

from __future__ import annotations

import threading

import pytest

import featherflow as ff
from featherflow.runtime_config import compiling_with_xla
from tests._cells import run_cells

SETUP = """
import numpy as np
rng = np.random.default_rng(0)
def R(*s, dt=np.float64):
    return tf.constant(rng.standard_normal(s).astype(dt))
x4 = R(2, 4, 6, 6); k2 = R(3, 3, 4, 5); kt = R(3, 3, 5, 4)
x5 = R(2, 4, 5, 5, 5); k3 = R(2, 2, 2, 4, 3); k3t = R(2, 2, 2, 3, 4); kg = R(2, 2, 2, 2, 4)
x3 = R(2, 4, 7); k1 = R(3, 4, 5)
x5l = tf.transpose(x5, [0, 2, 3, 4, 1])
x4h = R(2, 4, 6, 6, dt=np.float16)
x5f = R(2, 4, 5, 5, 5, dt=np.float32); k3f = R(2, 2, 2, 2, 4, dt=np.float32)
def summ(v):
    a = v.numpy()
    return f"{a.shape} {a.dtype} {np.round(a.ravel()[:4].astype(np.float64), 3).tolist()} " \\
           f"{round(float(np.abs(a.astype(np.float64)).sum()), 2)}"
def both(f):
    for mode in ("eager", "xla"):
        try:
            r = f() if mode == "eager" else tf.function(f, jit_compile=True)()
            print(mode, summ(r))
        except Exception as e:
            print(mode, type(e).__name__, str(e).split("\\n")[0].split("[Op:")[0])
"""

CELLS = [
    'both(lambda: tf.nn.conv2d(x4, k2, 1, "SAME", data_format="NCHW"))',
    'both(lambda: tf.nn.conv2d(x4, k2, [1, 1, 2, 2], "VALID", data_format="NCHW", dilations=1))',
    'both(lambda: tf.nn.conv2d(x4, k2, 1, "SAME", data_format="NCHW", dilations=[1, 1, 2, 2]))',
    'both(lambda: tf.nn.convolution(x4, k2, padding="SAME", data_format="NCHW"))',
    'both(lambda: tf.nn.convolution(x4, k2, padding="SAME", data_format="NCHW", dilations=2))',
    'both(lambda: tf.nn.conv3d(x5, k3, [1, 1, 1, 1, 1], "SAME", data_format="NCDHW"))',
    'both(lambda: tf.nn.conv3d(x5l, k3, [1, 1, 1, 1, 1], "SAME", dilations=[1, 2, 2, 2, 1]))',
    'both(lambda: tf.nn.convolution(x5, k3, padding="VALID", data_format="NCDHW"))',
    'both(lambda: tf.nn.conv1d(x3, k1, 1, "SAME", data_format="NCW"))',
    'both(lambda: tf.nn.conv3d(x5l, kg, [1] * 5, "SAME"))',
    'both(lambda: tf.nn.conv3d(tf.transpose(x5f, [0, 2, 3, 4, 1]), k3f, [1] * 5, "SAME"))',
    'both(lambda: tf.nn.max_pool2d(x4, 2, 2, "VALID", data_format="NCHW"))',
    'both(lambda: tf.nn.avg_pool2d(x4, 2, 2, "SAME", data_format="NCHW"))',
    'both(lambda: tf.nn.avg_pool2d(x4h, 2, 2, "VALID", data_format="NCHW"))',
    'both(lambda: tf.nn.max_pool1d(x3, 2, 2, "VALID", data_format="NCW"))',
    'both(lambda: tf.nn.conv3d_transpose(x5, k3t, [2, 3, 5, 5, 5], 1, "SAME", data_format="NCDHW"))',
    """
def g():
    with tf.GradientTape() as t:
        t.watch(x4)
        y = tf.nn.conv2d(x4, k2, 1, "SAME", data_format="NCHW")
    return t.gradient(y, x4)
both(g)""",
    """
def g():
    with tf.GradientTape() as t:
        t.watch(k3)
        y = tf.nn.conv3d(x5, k3, [1] * 5, "SAME", data_format="NCDHW")
    return t.gradient(y, k3)
both(g)""",
    """
def g():
    with tf.GradientTape() as t:
        t.watch(x4)
        y = tf.nn.max_pool2d(x4, 2, 2, "VALID", data_format="NCHW")
    return t.gradient(y, x4)
both(g)""",
]


@pytest.fixture(scope="module")
def outputs(tf_oracle) -> tuple[list[str], list[str]]:
    return run_cells(ff, CELLS, SETUP), run_cells(tf_oracle, CELLS, SETUP)


@pytest.mark.parametrize("index", range(len(CELLS)))
def test_case_prints_what_tensorflow_prints(outputs, index: int) -> None:
    ours, theirs = outputs[0][index], outputs[1][index]
    assert ours == theirs, f"case {index}:\n{CELLS[index]}"


def test_the_scope_is_the_compiled_function_and_its_thread() -> None:
    seen = []

    @ff.function(jit_compile=True)
    def compiled():
        seen.append(compiling_with_xla())
        inner()
        worker = threading.Thread(target=lambda: seen.append(compiling_with_xla()))
        worker.start()
        worker.join()
        return ff.constant(0)

    @ff.function
    def inner():
        seen.append(compiling_with_xla())

    compiled()  # traced: its Python runs (inner's too: traced there), in XLA's scope but for the other thread
    inner()  # replays the trace made inside compiled (TF does not trace it again either)
    compiled.get_concrete_function()()  # replays compiled's trace: no Python runs, as in TF
    assert seen == [True, True, False]
    assert not compiling_with_xla()


def test_run_functions_eagerly_runs_without_xla() -> None:
    seen = []
    compiled = ff.function(lambda: seen.append(compiling_with_xla()), jit_compile=True)
    ff.config.run_functions_eagerly(True)
    try:
        compiled()
    finally:
        ff.config.run_functions_eagerly(False)
    assert seen == [False]


def test_the_scope_ends_when_the_body_raises() -> None:
    @ff.function(jit_compile=True)
    def failing():
        raise ValueError("boom")

    with pytest.raises(ValueError, match="boom"):
        failing()
    assert not compiling_with_xla()
