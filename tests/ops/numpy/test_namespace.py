"""The tnp namespace as TF 2.21 ships it, loaded on first access."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

import featherflow as ff


def test_names_are_tfs(tf_oracle):
    import tensorflow.experimental.numpy as tf_tnp

    import featherflow.experimental.numpy as tnp

    def public(module):
        return {n for n in dir(module) if not n.startswith("_")}

    assert public(tnp) == public(tf_tnp)
    assert public(tnp.random) == public(tf_tnp.random)


def test_types_and_constants_are_numpys():
    tnp = ff.experimental.numpy
    assert tnp.float32 is np.float32 and tnp.bool_ is np.bool_ and tnp.int_ is np.int_
    assert tnp.ndarray is ff.Tensor
    assert tnp.newaxis is None and tnp.pi == np.pi and tnp.inf == np.inf
    assert isinstance(tnp.ones(2), tnp.ndarray)


def test_loaded_on_first_access():
    code = "import sys, featherflow as tf; a = 'featherflow.ops.numpy' in sys.modules; tf.experimental.numpy; " \
           "print(a, 'featherflow.ops.numpy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "True"]


def test_unknown_attribute():
    with pytest.raises(AttributeError):
        ff.experimental.no_such_name  # noqa: B018
    assert "numpy" in dir(ff.experimental)


def test_random_shapes_and_dtypes():
    tnp = ff.experimental.numpy
    tnp.random.seed(3)
    assert tnp.random.randn(2, 3).shape == (2, 3) and tnp.random.randn(2).dtype == ff.float64
    assert tnp.random.rand(4).dtype == ff.float64
    u = tnp.random.uniform(2.0, 3.0, size=(100,))
    assert float(tnp.min(u)) >= 2.0 and float(tnp.max(u)) < 3.0
    assert tnp.random.random().shape == ()
    assert tnp.random.standard_normal(3).shape == (3,)
    r = tnp.random.randint(5, size=50)
    assert r.dtype == ff.int64 and 0 <= int(tnp.min(r)) and int(tnp.max(r)) < 5
    assert tnp.random.randint(1, 3, size=(2, 2), dtype=np.int32).dtype == ff.int32
    with pytest.raises(ValueError, match="Only those convertible"):
        tnp.random.randint(3, dtype=np.float32)
    assert tnp.random.poisson(3.0, size=4).dtype == ff.int64
    with pytest.raises(ValueError, match="Only integers are supported"):
        tnp.random.seed(None)
    tnp.random.seed(7)
    a = tnp.random.randn(3)
    tnp.random.seed(7)
    np.testing.assert_array_equal(tnp.random.randn(3).numpy(), a.numpy())
