"""tf.keras is real Keras 3 with its TensorFlow backend on featherflow. Keras cannot share a process with real
TensorFlow (both would be `tensorflow`), so each case runs in a fresh interpreter; the same program run under real
TensorFlow is the oracle where the output is deterministic."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

pytest.importorskip("keras")

_PRELUDE = {
    "featherflow": "import featherflow as ff\nff.use_as_tensorflow()\n",
    "tensorflow": "",
}


def _run(code: str, lib: str = "featherflow", timeout: int = 240) -> str:
    env = {**os.environ, "KERAS_BACKEND": "tensorflow", "TF_CPP_MIN_LOG_LEVEL": "3", "CUDA_VISIBLE_DEVICES": ""}
    program = _PRELUDE[lib] + textwrap.dedent(code)
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, env=env, timeout=timeout)
    assert done.returncode == 0, f"{lib} failed:\n{done.stderr[-4000:]}"
    return done.stdout


def test_tf_keras_is_keras_on_featherflow() -> None:
    out = _run("""
        import sys, keras
        import featherflow as tf
        print(tf.keras.layers.Dense is keras.layers.Dense, tf.keras.Sequential is keras.Sequential)
        print(tf.keras.optimizers.Adam is keras.optimizers.Adam, keras.backend.backend())
        import tensorflow
        print(tensorflow.Variable is tf.Variable, tensorflow.__version__)
    """)
    assert out.split() == ["True", "True", "True", "tensorflow", "True", "2.21.0"]


def test_import_featherflow_does_not_import_keras() -> None:
    out = _run("import sys\nimport featherflow\nprint('keras' in sys.modules, 'tensorflow' in sys.modules)",
               lib="tensorflow")
    assert out.split() == ["False", "False"]


def test_tf_keras_refuses_to_mix_with_real_tensorflow() -> None:
    out = _run("""
        import tensorflow
        import featherflow as ff
        try:
            ff.keras.layers
        except RuntimeError as e:
            print(type(e).__name__, "real TensorFlow" in str(e))
    """, lib="tensorflow")
    assert out.split() == ["RuntimeError", "True"]


def test_without_keras_only_the_optimizers_remain() -> None:
    out = _run("""
        import sys
        sys.modules["keras"] = None  # as if not installed
        import featherflow as tf
        print(tf.keras.optimizers is tf.optimizers)
        try:
            tf.keras.layers
        except ModuleNotFoundError as e:
            print("featherflow[keras]" in str(e))
    """, lib="tensorflow")
    assert out.split() == ["True", "True"]


_MLP = """
    import numpy as np
    import keras
    import tensorflow as tf
    keras.utils.set_random_seed(7)
    rng = np.random.default_rng(0)
    x = rng.standard_normal((64, 4)).astype("float32")
    y = (x.sum(axis=1, keepdims=True) > 0).astype("float32")
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(8, activation="relu"),
                              keras.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="binary_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, epochs=3, batch_size=16, verbose=0, validation_split=0.25)
    for key in sorted(history.history):
        print(key, " ".join(f"{v:.4f}" for v in history.history[key]))
    print(np.round(model.predict(x[:3], verbose=0), 4).tolist())
    print([w.shape for w in model.get_weights()])
"""


def test_sequential_fit_matches_tensorflow() -> None:
    """Keras draws its initial weights with TF's stateless random ops, which featherflow reproduces bit for bit, so
    the same seed gives the same training run."""
    assert _run(_MLP) == _run(_MLP, lib="tensorflow")


_FUNCTIONAL = """
    import numpy as np
    import keras
    import tensorflow as tf

    class Scale(keras.layers.Layer):  # no compute_output_shape: Keras infers it by running call symbolically
        def build(self, input_shape):
            self.w = self.add_weight(shape=(input_shape[-1], 3), initializer="ones")

        def call(self, x):
            return tf.nn.relu(tf.matmul(x, self.w)) + tf.reduce_mean(x, axis=-1, keepdims=True)

    inputs = keras.Input((None, 5))
    hidden = Scale()(inputs)
    outputs = keras.layers.GlobalAveragePooling1D()(hidden)
    model = keras.Model(inputs, outputs)
    print(hidden.shape, outputs.shape, model.count_params())
    model.compile("sgd", "mse")
    model.fit(np.ones((8, 4, 5), "float32"), np.ones((8, 3), "float32"), epochs=1, verbose=0)
    print(round(float(model.evaluate(np.ones((8, 7, 5), "float32"), np.ones((8, 3), "float32"), verbose=0)), 4))
"""


def test_functional_model_with_a_custom_layer_matches_tensorflow() -> None:
    assert _run(_FUNCTIONAL) == _run(_FUNCTIONAL, lib="tensorflow")


def test_featherflow_run_runs_a_tensorflow_program(tmp_path) -> None:
    script = tmp_path / "program.py"
    script.write_text(textwrap.dedent("""
        import sys
        import tensorflow as tf
        import keras
        print(type(tf.constant(1.0)).__module__, keras.backend.backend(), sys.argv[1:])
        sys.exit(3)
    """))
    done = subprocess.run([sys.executable, "-m", "featherflow.cli", "run", str(script), "a", "--flag"],
                          capture_output=True, text=True, timeout=240,
                          env={**os.environ, "KERAS_BACKEND": "tensorflow"})
    assert done.returncode == 3, done.stderr[-3000:]
    assert done.stdout.split() == ["featherflow._tensorflow.python.framework.ops", "tensorflow", "['a',", "'--flag']"]


_SAVE = """
    import json, sys
    import numpy as np
    import keras
    import tensorflow as tf
    keras.utils.set_random_seed(3)
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation="relu"), keras.layers.Dense(1)])
    optimizer = keras.optimizers.Adam(0.01)
    model.compile(optimizer=optimizer, loss="mse")
    rng = np.random.default_rng(0)
    model.fit(rng.standard_normal((8, 4)).astype("float32"), np.ones((8, 1), "float32"), epochs=2, verbose=0)
    path = tf.train.Checkpoint(model=model, optimizer=optimizer).save(sys.argv[1] + "/ckpt")
    print(json.dumps({"path": path, "weights": [w.tolist() for w in model.get_weights()],
                      "iterations": int(optimizer.iterations.numpy())}))
"""

_RESTORE = """
    import json, sys
    import numpy as np
    import keras
    import tensorflow as tf
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation="relu"), keras.layers.Dense(1)])
    optimizer = keras.optimizers.Adam(0.01)
    model.compile(optimizer=optimizer, loss="mse")
    optimizer.build(model.trainable_variables)
    tf.train.Checkpoint(model=model, optimizer=optimizer).restore(sys.argv[1]).assert_consumed()
    print(json.dumps({"weights": [w.tolist() for w in model.get_weights()],
                      "iterations": int(optimizer.iterations.numpy())}))
"""


def _run_with_argument(code: str, lib: str, argument: str) -> dict:
    import json

    env = {**os.environ, "KERAS_BACKEND": "tensorflow", "TF_CPP_MIN_LOG_LEVEL": "3", "CUDA_VISIBLE_DEVICES": ""}
    program = _PRELUDE[lib] + textwrap.dedent(code)
    done = subprocess.run([sys.executable, "-c", program, argument], capture_output=True, text=True, env=env,
                          timeout=240)
    assert done.returncode == 0, f"{lib} failed:\n{done.stderr[-4000:]}"
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("writer,reader", [("featherflow", "tensorflow"), ("tensorflow", "featherflow")])
def test_a_keras_models_checkpoint_restores_in_the_other_library(tmp_path, writer, reader) -> None:
    """tf.train.Checkpoint of a Keras model and its optimizer, in TF's format: each library restores the other's."""
    saved = _run_with_argument(_SAVE, writer, str(tmp_path))
    restored = _run_with_argument(_RESTORE, reader, saved["path"])
    assert restored["iterations"] == saved["iterations"] == 2
    for a, b in zip(restored["weights"], saved["weights"]):
        np.testing.assert_array_equal(np.array(a), np.array(b))


_MIXED = """
    import json
    import numpy as np
    import keras
    out = {}
    for policy in ("mixed_float16", "mixed_bfloat16"):
        keras.mixed_precision.set_global_policy(policy)
        keras.utils.set_random_seed(1)
        model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(8, activation="relu"),
                                  keras.layers.Dense(1, dtype="float32")])
        model.compile("adam", "mse")
        x = np.random.default_rng(0).standard_normal((32, 4)).astype("float32")
        history = model.fit(x, x.sum(1, keepdims=True), epochs=2, verbose=0, shuffle=False)
        out[policy] = [str(model.layers[0].compute_dtype), str(model.layers[0].kernel.dtype),
                       type(model.optimizer).__name__, history.history["loss"]]
    print(json.dumps(out))
"""


def test_mixed_precision_policies_train_as_in_tensorflow() -> None:
    import json

    ours, theirs = (json.loads(_run(_MIXED, lib).strip().splitlines()[-1]) for lib in ("featherflow", "tensorflow"))
    for policy in ours:
        assert ours[policy][:3] == theirs[policy][:3]
        np.testing.assert_allclose(ours[policy][3], theirs[policy][3], rtol=2e-3)  # bfloat16 rounds differently
