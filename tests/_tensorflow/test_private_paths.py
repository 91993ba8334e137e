"""The private TensorFlow module paths featherflow provides (for Keras's TensorFlow backend), each against the
same module of real TF. Imported here by their featherflow names: making featherflow this process's `tensorflow`
(what `use_as_tensorflow` does; tested in subprocesses in tests/keras) would take the oracle's place."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

import featherflow as ff
from featherflow._tensorflow.compiler.tf2xla.python import xla
from featherflow._tensorflow.python.eager import context
from featherflow._tensorflow.python.ops.linalg.sparse import sparse_csr_matrix_ops as csr


@pytest.mark.parametrize("start", [[0, 0], [1, 2], [5, -3], [-1, 9]])
def test_dynamic_update_slice_clamps_as_xla(tf_oracle, start) -> None:
    from tensorflow.compiler.tf2xla.python.xla import dynamic_update_slice

    operand = np.arange(20.0, dtype=np.float32).reshape(4, 5)
    update = -np.ones((2, 3), np.float32)
    ours = xla.dynamic_update_slice(operand, update, start).numpy()
    theirs = dynamic_update_slice(operand, update, np.array(start, np.int32)).numpy()
    np.testing.assert_array_equal(ours, theirs)


def test_dynamic_update_slice_is_differentiable_in_both_inputs() -> None:
    operand, update = ff.Variable(np.ones((3, 3))), ff.Variable(np.full((2, 2), 2.0))
    with ff.GradientTape() as tape:
        out = xla.dynamic_update_slice(operand, update, [1, 1])
        loss = ff.reduce_sum(out * ff.reshape(ff.range(9.0, dtype=ff.float64), (3, 3)))
    g_operand, g_update = tape.gradient(loss, [operand, update])
    np.testing.assert_array_equal(g_operand.numpy(), [[0, 1, 2], [3, 0, 0], [6, 0, 0]])
    np.testing.assert_array_equal(g_update.numpy(), [[4, 5], [7, 8]])


def test_dynamic_slice_matches_xla(tf_oracle) -> None:
    from tensorflow.compiler.tf2xla.python.xla import dynamic_slice

    x = np.arange(24, dtype=np.int32).reshape(4, 6)
    for starts in ([1, 2], [3, 5], [-2, 0]):
        np.testing.assert_array_equal(xla.dynamic_slice(x, starts, [2, 3]).numpy(),
                                      dynamic_slice(x, np.array(starts, np.int32), [2, 3]).numpy())


@pytest.mark.parametrize("shapes", [((4, 5), (5, 3)), ((2, 3, 4), (2, 4, 2))])
def test_sparse_matrix_product_matches_tensorflow(tf_oracle, shapes) -> None:
    from tensorflow.python.ops.linalg.sparse import sparse_csr_matrix_ops as tf_csr

    rng = np.random.default_rng(0)
    a_dense, b_dense = ((rng.random(s) < 0.4) * rng.standard_normal(s) for s in shapes)
    results = []
    for lib, module in ((ff, csr), (tf_oracle, tf_csr)):
        a, b = (lib.sparse.from_dense(d.astype(np.float32)) for d in (a_dense, b_dense))
        m_a, m_b = (module.sparse_tensor_to_csr_sparse_matrix(s.indices, s.values, s.dense_shape) for s in (a, b))
        product = module.csr_sparse_matrix_to_sparse_tensor(
            module.sparse_matrix_sparse_mat_mul(m_a, m_b, lib.float32), lib.float32)
        results.append(lib.sparse.to_dense(lib.SparseTensor(product.indices, product.values,
                                                            product.dense_shape)).numpy())
    np.testing.assert_allclose(results[0], results[1], rtol=1e-6, atol=1e-6)


def test_sparse_matrix_product_checks_inner_dimensions() -> None:
    a = ff.sparse.from_dense(np.ones((2, 3), np.float32))
    m = csr.sparse_tensor_to_csr_sparse_matrix(a.indices, a.values, a.dense_shape)
    with pytest.raises(ff.errors.InvalidArgumentError, match=r"\[2,3\] vs. \[2,3\]"):
        csr.sparse_matrix_sparse_mat_mul(m, m, ff.float32)


def test_eager_context_is_always_eager_and_synchronous() -> None:
    ctx = context.context()
    assert ctx is context.context() and ctx.executing_eagerly() and context.executing_eagerly()
    ctx.clear_kernel_cache()
    context.async_wait()
    assert ctx.num_gpus() == len(ff.config.list_logical_devices("GPU"))
    with context.eager_mode():
        assert context.executing_eagerly()
    with pytest.raises(RuntimeError, match="eagerly only"):
        context.graph_mode()


def test_internal_names_keras_uses() -> None:
    from featherflow._tensorflow import _internal

    assert isinstance(ff.constant(1.0), _internal.types.Tensor)
    assert isinstance(ff.Variable(1.0), _internal.types.Tensor)
    assert isinstance(ff.sparse.from_dense([[1.0]]), _internal.CompositeTensor)
    assert isinstance(ff.ragged.constant([[1], [2, 3]]), _internal.CompositeTensor)
    assert not isinstance(ff.constant(1.0), _internal.CompositeTensor)
    assert _internal.EagerTensor is type(ff.constant(1.0))
    assert _internal.smart_cond.smart_cond(ff.constant(True), lambda: 1, lambda: 2) == 1
    assert _internal.smart_cond.smart_cond(False, lambda: 1, lambda: 2) == 2
    with pytest.raises(TypeError, match="`true_fn` must be callable"):
        _internal.smart_cond.smart_cond(True, 1, lambda: 2)
    assert _internal.tf2.enabled()


def test_tensorflow_paths_resolve_to_featherflow() -> None:
    """Every private path Keras imports, and the public ones, in a fresh process (use_as_tensorflow is global)."""
    code = """
import featherflow as ff
ff.use_as_tensorflow()
import tensorflow as tf
from tensorflow.python.trackable.data_structures import ListWrapper, _DictWrapper
from tensorflow.compiler.tf2xla.python.xla import dynamic_update_slice
from tensorflow.python.eager import context
from tensorflow.python.framework import tensor_util
from tensorflow.python.framework.config import enable_op_determinism
from tensorflow.python.ops.math_ops import is_nan
from tensorflow.python.ops.linalg.sparse import sparse_csr_matrix_ops
from tensorflow.python.lib.io import tf_record
from tensorflow.experimental import dtensor
from tensorflow import data as tf_data
import tensorflow.data
assert tf is ff._tensorflow and tf.Variable is ff.Variable and tf_data is ff.data and tensorflow.data is ff.data
assert ListWrapper is ff.trackable.ListWrapper and is_nan is ff.math.is_nan
assert tf.__internal__.tracking.Trackable is ff.trackable_base.Trackable
assert ff.data.__spec__.name == "featherflow.data"
# Keras recognises TF's values by class name and a module path inside tensorflow.python
assert "tensorflow.python." in type(tf.constant(1.0)).__module__ and type(tf.constant(1.0)).__name__ == "Tensor"
assert "DatasetV2" in [c.__name__ for c in type(tf.data.Dataset.range(2).batch(1)).__mro__]
import pickle
assert pickle.loads(pickle.dumps(tf.constant([1.0]))).numpy().tolist() == [1.0]
try:
    import tensorflow.no_such_module
except ModuleNotFoundError as e:
    print("missing", e.name)
try:
    dtensor.Mesh
except NotImplementedError as e:
    print("dtensor", "DTensor" in str(e))
print(tf.__version__)
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.split() == ["missing", "tensorflow.no_such_module", "dtensor", "True", "2.21.0"]


def test_use_as_tensorflow_refuses_after_real_tensorflow() -> None:
    code = "import tensorflow\nimport featherflow as ff\ntry:\n    ff.use_as_tensorflow()\nexcept RuntimeError as e:\n" \
           "    print('already imported' in str(e))\n"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.stdout.split() == ["True"], done.stderr[-3000:]


def test_sparse_matrix_product_of_transposes_matches_tensorflow(tf_oracle) -> None:
    from tensorflow.python.ops.linalg.sparse import sparse_csr_matrix_ops as tf_csr

    rng = np.random.default_rng(1)
    a_dense, b_dense = ((rng.random(s) < 0.5) * rng.standard_normal(s) for s in ((5, 4), (3, 5)))
    results = []
    for lib, module in ((ff, csr), (tf_oracle, tf_csr)):
        a, b = (lib.sparse.from_dense(d.astype(np.float32)) for d in (a_dense, b_dense))
        m_a, m_b = (module.sparse_tensor_to_csr_sparse_matrix(s.indices, s.values, s.dense_shape) for s in (a, b))
        product = module.csr_sparse_matrix_to_sparse_tensor(
            module.sparse_matrix_sparse_mat_mul(m_a, m_b, lib.float32, transpose_a=True, transpose_b=True),
            lib.float32)
        results.append(lib.sparse.to_dense(lib.SparseTensor(product.indices, product.values,
                                                            product.dense_shape)).numpy())
    np.testing.assert_allclose(results[0], results[1], rtol=1e-6, atol=1e-6)


def test_reset_context_allows_configuring_devices_again() -> None:
    code = """
import featherflow as ff
from featherflow._tensorflow.python.eager import context
ff.random.set_seed(3)
ff.constant(1.0)  # the runtime starts: device configuration is now refused
cpu = ff.config.list_physical_devices("CPU")[0]
try:
    ff.config.set_logical_device_configuration(cpu, [ff.config.LogicalDeviceConfiguration()] * 2)
except RuntimeError as e:
    print("refused")
context._reset_context()
ff.config.set_logical_device_configuration(cpu, [ff.config.LogicalDeviceConfiguration()] * 2)
print(len(ff.config.list_logical_devices("CPU")), ff.random.uniform([1]).shape)
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.split() == ["refused", "2", "(1,)"]
