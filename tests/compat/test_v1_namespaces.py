"""``tf.compat.v1``'s namespaces against TensorFlow's: every featherflow name is one TF's v1 namespace has, the
objects TF's v1 shares with v2 are featherflow's v2 objects too, and the names Keras calls are all there."""

from __future__ import annotations

import types

import pytest

import featherflow as ff

NAMESPACES = ["", "math", "random", "linalg", "nn", "data", "io", "train", "bitwise", "debugging", "dtypes", "errors",
              "image", "lookup", "nest", "ragged", "sets", "signal", "sparse", "strings"]

# tf.compat.v1 names Keras 3 (keras/src) uses
KERAS_USES = [
    "pad", "nn.convolution", "nn.max_pool", "nn.avg_pool", "nn.conv2d_transpose", "nn.ctc_loss",
    "nn.ctc_beam_search_decoder", "math.in_top_k", "map_fn", "gather", "gather_nd", "foldl", "foldr", "cond",
    "where", "while_loop", "boolean_mask", "scan", "sparse_concat", "random_uniform_initializer",
    "random_normal_initializer", "assign", "assign_add", "assign_sub", "Dimension", "placeholder",
    "sparse_placeholder", "reset_default_graph", "gradients",
]


def _get(root, path):
    for part in [p for p in path.split(".") if p]:
        root = getattr(root, part)
    return root


def _public(module):
    return {n for n in dir(module) if not n.startswith("_")}


@pytest.mark.parametrize("ns", NAMESPACES)
def test_names_are_tfs(tf_oracle, ns):
    ours = _get(ff.compat.v1, ns)
    assert isinstance(ours, types.ModuleType)
    extra = _public(ours) - _public(_get(tf_oracle.compat.v1, ns))
    assert not extra, f"not in TF's tf.compat.v1{'.' + ns if ns else ''}: {sorted(extra)}"


@pytest.mark.parametrize("ns", NAMESPACES)
def test_shared_objects_are_v2s(tf_oracle, ns):
    """Where TF's v1 function is its v2 function, featherflow's is too."""
    tf_v1, tf_v2 = _get(tf_oracle.compat.v1, ns), _get(tf_oracle, ns)
    ff_v1, ff_v2 = _get(ff.compat.v1, ns), _get(ff, ns)
    shared = [n for n in _public(tf_v1) if getattr(tf_v1, n) is getattr(tf_v2, n, None)
              and not isinstance(getattr(tf_v1, n), types.ModuleType) and hasattr(ff_v2, n) and hasattr(ff_v1, n)]
    assert shared
    assert [n for n in shared if getattr(ff_v1, n) is not getattr(ff_v2, n)] == []


def test_one_function_per_op():
    # TF's tf.compat.v1.math.add is not tf.math.add only because TF patches its v2 namespace for WeakTensors;
    # featherflow patches only while numpy behaviour is on, so TF 1 and TF 2 share the one function.
    v1 = ff.compat.v1
    assert v1.math.add is ff.math.add and v1.add is ff.add and v1.nn.relu is ff.nn.relu
    assert v1.log is ff.math.log and v1.random_normal is ff.random.normal  # TF 1's aliases
    assert v1.sparse_concat is not ff.sparse.concat  # v1's own signature
    assert v1.nn.avg_pool2d is v1.nn.avg_pool


def test_compat_identities(tf_oracle):
    assert ff.compat.v1.compat is ff.compat and ff.compat.v2 is ff
    assert (tf_oracle.compat.v1.math.in_top_k is tf_oracle.compat.v1.nn.in_top_k) == (
        ff.compat.v1.math.in_top_k is ff.compat.v1.nn.in_top_k)


@pytest.mark.parametrize("path", KERAS_USES)
def test_what_keras_uses_is_there(path):
    assert callable(_get(ff.compat.v1, path))


def test_summary_metadata_is_tfs_message(tf_oracle):
    # Keras imports tensorflow.compat.v1.SummaryMetadata: the protobuf message of tf.summary's event files
    ours, theirs = ff.compat.v1.SummaryMetadata, tf_oracle.compat.v1.SummaryMetadata
    assert ours.DESCRIPTOR.full_name == theirs.DESCRIPTOR.full_name == "tensorflow.SummaryMetadata"
    assert sorted(f.name for f in ours.DESCRIPTOR.fields) == sorted(f.name for f in theirs.DESCRIPTOR.fields)
