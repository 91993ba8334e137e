"""Optimizer state in tf.train.Checkpoint uses Keras 3's layout (spec §5): same keys, shapes and dtypes as
TensorFlow, and training resumes across the two libraries in both directions."""

from __future__ import annotations

import numpy as np
import pytest

import featherflow as ff

# Each test runs on the CPU and on a simulated GPU (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("device")

CASES = [
    ("Adam", {"amsgrad": True}),
    ("SGD", {}),
    ("SGD", {"momentum": 0.9}),
    ("RMSprop", {"momentum": 0.5, "centered": True}),
    ("Adagrad", {}),
    ("Adamax", {}),
    ("Nadam", {}),
    ("AdamW", {"weight_decay": 0.01}),
]


def _optimizers(lib):
    """featherflow's own optimizers (its tf.keras.optimizers without Keras), or TF's tf.keras.optimizers: real
    Keras on featherflow cannot share a process with real TensorFlow."""
    return lib.optimizers if lib is ff else lib.keras.optimizers


def _train(lib, name, kwargs, steps, model=None, opt=None, start=0):
    rng = np.random.default_rng(0)
    if model is None:
        model = lib.Module()
        model.w = lib.Variable(rng.standard_normal((5, 4)))
        model.b = lib.Variable(rng.standard_normal(4))
    if opt is None:
        opt = getattr(_optimizers(lib), name)(**kwargs)
    grng = np.random.default_rng(3)
    grads = [(grng.standard_normal((5, 4)), grng.standard_normal(4)) for _ in range(start + steps)]
    for gw, gb in grads[start:]:
        opt.apply_gradients([(lib.constant(gw), model.w), (lib.constant(gb), model.b)])
    return model, opt


@pytest.mark.parametrize("name,kwargs", CASES, ids=[f"{n}-{k}" for n, k in CASES])
def test_keys_and_resume_both_ways(tf_oracle, tmp_path, name, kwargs) -> None:
    tf = tf_oracle
    ours_model, ours_opt = _train(ff, name, kwargs, 3)
    theirs_model, theirs_opt = _train(tf, name, kwargs, 3)
    ours_path = ff.train.Checkpoint(model=ours_model, optimizer=ours_opt).write(str(tmp_path / "ours"))
    theirs_path = tf.train.Checkpoint(model=theirs_model, optimizer=theirs_opt).write(str(tmp_path / "theirs"))
    ours_keys = [(k, tuple(s)) for k, s in tf.train.list_variables(ours_path)]
    theirs_keys = [(k, tuple(s)) for k, s in tf.train.list_variables(theirs_path)]
    assert ours_keys == theirs_keys

    # TF resumes from our checkpoint, and we resume from TF's; both continue identically.
    rng = np.random.default_rng(9)
    for lib, path in ((tf, ours_path), (ff, theirs_path)):
        model = lib.Module()
        model.w = lib.Variable(rng.standard_normal((5, 4)))
        model.b = lib.Variable(rng.standard_normal(4))
        opt = getattr(_optimizers(lib), name)(**kwargs)
        status = lib.train.Checkpoint(model=model, optimizer=opt).read(path)
        opt.build([model.w, model.b])
        status.assert_consumed()
        _train(lib, name, kwargs, 2, model, opt, start=3)
        reference, _ = _train(ff, name, kwargs, 5)
        np.testing.assert_allclose(np.asarray(model.w.numpy()), reference.w.numpy(), rtol=1e-12)
        np.testing.assert_allclose(np.asarray(model.b.numpy()), reference.b.numpy(), rtol=1e-12)
