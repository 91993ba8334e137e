"""``import featherflow`` loads no heavy optional module: ml_dtypes, protobuf, google_crc32c, SciPy, CuPy,
TensorFlow, Keras and mpi4py are imported on first use. Each check runs in a fresh interpreter (this test
process has TensorFlow loaded). Timing and memory are measured by ``benchmarks/bench_import.py``, not asserted.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

HEAVY = ("ml_dtypes", "google.protobuf", "google_crc32c", "scipy", "cupy", "tensorflow", "keras", "mpi4py")


def _run(code: str) -> dict:
    """Runs ``code`` in a fresh interpreter; it prints one JSON value, returned here."""
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def _loaded_after(code: str) -> list:
    return _run(f"""
        import json, sys
        {code}
        print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))
    """)


def test_import_loads_no_heavy_module():
    assert _loaded_after("import featherflow") == []


def test_everyday_use_loads_no_heavy_module():
    code = """
        import featherflow as tf
        v = tf.Variable([[1.0, 2.0]])
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(tf.matmul(v, tf.transpose(v)))
        tape.gradient(loss, v)
        tf.float32.max, tf.int8.min, tf.float16.size, tf.bfloat16.name, tf.bfloat16.is_floating
        tf.as_dtype("bfloat16"), tf.dtypes.experimental.int4.is_integer, repr(tf.bfloat16)
        tf.reduce_mean(tf.constant([1.0, 2.0], tf.float16)), tf.nn.relu(tf.constant([-1.0]))
    """
    assert _loaded_after(code) == []


def test_bfloat16_works_after_import():
    result = _run("""
        import json, sys
        import featherflow as tf
        before = "ml_dtypes" in sys.modules
        x = tf.constant([1.5, 2.0], dtype=tf.bfloat16)
        y = tf.cast(x * 2, tf.float32)
        print(json.dumps([before, "ml_dtypes" in sys.modules, str(x.dtype), y.numpy().tolist(),
                          type(tf.bfloat16).__name__, str(tf.bfloat16.as_numpy_dtype.__name__), tf.bfloat16.size,
                          float(tf.bfloat16.max), tf.as_dtype("int4").min]))
    """)
    assert result == [False, True, "<dtype: 'bfloat16'>", [3.0, 4.0], "DType", "bfloat16", 2, 3.3895313892515355e38,
                      -8]


def test_ml_dtypes_arrays_convert_whenever_ml_dtypes_was_imported():
    # imported by the user after featherflow (the import hook registers its types), and before it
    result = _run("""
        import json
        import featherflow as tf
        import ml_dtypes
        import numpy as np
        a = tf.constant(np.array([1, 2], ml_dtypes.bfloat16))
        b = tf.convert_to_tensor(np.array([0.5], ml_dtypes.float8_e5m2))
        print(json.dumps([str(a.dtype), str(b.dtype), tf.as_dtype(ml_dtypes.int4).name, (a + a).numpy().tolist()]))
    """)
    assert result == ["<dtype: 'bfloat16'>", "<dtype: 'float8_e5m2'>", "int4", [2.0, 4.0]]
    result = _run("""
        import json
        import ml_dtypes
        import numpy as np
        import featherflow as tf
        print(json.dumps([str(tf.constant(np.array([1], ml_dtypes.bfloat16)).dtype), type(tf.bfloat16).__name__]))
    """)
    assert result == ["<dtype: 'bfloat16'>", "DType"]


def test_checkpoint_loads_protobuf_and_crc_on_first_use(tmp_path):
    result = _run(f"""
        import json, sys
        import featherflow as tf
        before = [m in sys.modules for m in ("google.protobuf", "google_crc32c")]
        tf.train.Checkpoint(v=tf.Variable(1.0)).save({str(tmp_path / "ckpt")!r})
        print(json.dumps([before, [m in sys.modules for m in ("google.protobuf", "google_crc32c")]]))
    """)
    assert result == [[False, False], [True, True]]


def test_occasional_namespaces_load_on_first_access():
    """tf.io, tf.image, tf.signal, tf.lookup, tf.sets and tf.autograph cost nothing until a program touches them;
    then they are ordinary attributes (listed by dir, importable by their module path)."""
    result = _run("""
        import json, sys
        import featherflow as tf
        lazy = ["io", "image", "signal", "lookup", "sets", "autograph"]
        before = [f"featherflow.{name}" in sys.modules for name in lazy]
        listed = all(name in dir(tf) for name in lazy + ["make_tensor_proto", "rfftnd"])
        shape = tf.image.resize(tf.zeros([4, 4, 1]), [2, 2]).shape.as_list()
        after = [getattr(tf, name).__name__ for name in lazy]
        import featherflow.signal
        print(json.dumps([before, listed, shape, after, tf.signal is featherflow.signal,
                          tf.rfftnd.__name__, hasattr(tf, "no_such_name")]))
    """)
    assert result == [[False] * 6, True, [2, 2, 1],
                      ["featherflow.io", "featherflow.image", "featherflow.signal", "featherflow.lookup",
                       "featherflow.sets", "featherflow.autograph"], True, "rfftnd", False]
