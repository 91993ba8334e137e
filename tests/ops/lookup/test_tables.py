"""tf.lookup against TensorFlow: each case runs the same code under both and compares values, dtypes and shapes
(exports sorted: a hash table's order is its own) or the error's type and message."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import featherflow as ff


def _shown(value):
    if isinstance(value, tuple):
        return tuple(_shown(v) for v in value)
    if hasattr(value, "to_list"):
        return "ragged", value.to_list()
    if hasattr(value, "indices") and hasattr(value, "dense_shape"):
        return "sparse", value.indices.numpy().tolist(), _shown(value.values), value.dense_shape.numpy().tolist()
    if hasattr(value, "numpy"):
        return value.dtype.name, tuple(value.shape), value.numpy().tolist()
    return value


def _outcome(code, mod, files):
    env = {"tf": mod, "KV": mod.lookup.KeyValueTensorInitializer, "TI": mod.lookup.TextFileInitializer,
           "S": mod.lookup.StaticHashTable, "V": mod.lookup.StaticVocabularyTable,
           "M": mod.lookup.experimental.MutableHashTable, "D": mod.lookup.experimental.DenseHashTable,
           "np": np, **files}
    try:
        return "ok", _shown(eval(code, env))
    except Exception as e:  # noqa: BLE001 - the error's type and text are compared
        text = str(e).removesuffix(" name: ")
        # TF's resource names are process-wide counters
        return type(e).__name__, "".join(part for part in text.split('shared_name="')[::2])


def _sorted_export(table):
    keys, values = table.export()
    order = np.argsort(keys.numpy(), kind="stable")
    return keys.numpy()[order].tolist(), values.numpy()[order].tolist(), keys.dtype.name, values.dtype.name


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("vocab")
    contents = {"vocab": "emerson 10\nlake 20\npalmer 30\n", "tabs": "a\tx\t1\nb\ty\t2\n", "bad": "a\tx\t1\nb\ty\t2\n\nc\n",
                "cols": "a b\nc\n", "nonl": "1 x\n2 y", "floats": "a 1.5\nb 2\n", "crlf": "p\r\nq\r\n"}
    paths = {}
    for name, text in contents.items():
        path = d / f"{name}.txt"
        path.write_bytes(text.encode())
        paths[name] = str(path)
    return paths


CASES = [
    # StaticHashTable: lookups of every key shape and structure, default values, dtypes
    "S(KV(['a', 'b'], [1, 2]), -1).lookup(tf.constant(['a', 'c']))",
    "S(KV(['a', 'b'], [1, 2]), -1)[tf.constant([['a'], ['b'], ['z']])]",
    "S(KV(['a', 'b'], [1, 2]), -1).lookup(tf.constant('a'))",
    "S(KV(['a', 'b'], [1, 2]), -1)[tf.ragged.constant([['a'], ['b', 'q'], []])]",
    "S(KV(['a', 'b'], [1, 2]), -1)[tf.sparse.from_dense(tf.constant([['a', ''], ['', 'b']]))]",
    "S(KV(tf.constant([1, 2], tf.int64), ['x', 'y']), 'none').lookup(tf.constant([2, 5], tf.int64))",
    "S(KV([1, 2], [1.5, 2.5]), -1.0).lookup(tf.constant([1, 5]))",
    "S(KV(['a', 'b'], [True, False]), False).lookup(tf.constant(['a', 'b', 'c']))",
    "S(KV(['a', 'b'], [1, 2], value_dtype=tf.int64), -1).lookup(tf.constant(['b']))",
    "S(KV(['a', 'b'], [1, 2]), -1).size()",
    "S(KV(['a', 'a'], [1, 1]), -1).size()",
    "S(KV(['a', 'b'], [1, 2]), -1).default_value",
    "(S(KV(['a', 'b'], [1, 2]), -1).key_dtype, S(KV(['a', 'b'], [1, 2]), -1).value_dtype)",
    "S(KV(['a', 'b'], [1, 2]), -1).name",
    "_sorted_export(S(KV(['a', 'b', 'c'], [1, 2, 3]), -1))",
    "S(KV([[1, 2]], [[3, 4]]), -1).lookup(tf.constant([[2], [9]]))",
    "S(KV(['a', 'b'], [1, 2]), [-1, 2])",
    "S(KV([1.0, 2.0], [1, 2]), -1)",
    "S(KV([1, 2], [True, False]), False)",
    "S(KV(['a', 'b'], [1, 2]), -1).lookup(['a'])",
    "S(KV(['a', 'b'], [1, 2]), -1).lookup(tf.constant([1]))",
    "S(KV(['a', 'b'], [1, 2, 3]), -1)",
    "S(KV(['a', 'a'], [1, 2]), -1)",
    "S(KV(['a', 'b'], [1, 2]), -1.5)",
    "S(KV(['a'], [1]), tf.constant(-1, tf.int64))",
    # StaticVocabularyTable: Fingerprint64 buckets after the vocabulary
    "V(KV(['a', 'b'], tf.constant([0, 1], tf.int64)), 3).lookup(tf.constant(['a', 'zz', 'yy', 'b', '']))",
    "V(KV(tf.constant([7, 8], tf.int64), tf.constant([0, 1], tf.int64)), 5, lookup_key_dtype=tf.int32)"
    ".lookup(tf.constant([7, 9, 10, -3]))",
    "V(KV(tf.constant([7, 8], tf.int64), tf.constant([0, 1], tf.int64)), 5).lookup(tf.constant([[8, 1000]], tf.int64))",
    "V(KV(['a', 'b'], tf.constant([0, 1], tf.int64)), 3)[tf.ragged.constant([['a', 'q'], []])]",
    "V(None, 4).lookup(tf.constant(['a', 'b', 'hello']))",
    "V(KV(['a', 'b'], tf.constant([0, 1], tf.int64)), 3).size()",
    "V(None, 4).size()",
    "V(KV(['a', 'b'], [0, 1]), 3)",
    "V(KV(['a', 'b'], tf.constant([0, 1], tf.int64)), 0)",
    "V(KV(tf.constant([1, 2]), tf.constant([0, 1], tf.int64)), 3)",
    "V(KV(['a'], tf.constant([0], tf.int64)), 3, lookup_key_dtype=tf.int64)",
    "V(KV(['a'], tf.constant([0], tf.int64)), 3).lookup(tf.constant([1]))",
    # TextFileInitializer
    "_sorted_export(S(TI(vocab, tf.string, 0, tf.int64, 1, delimiter=' '), -1))",
    "_sorted_export(S(TI(vocab, tf.string, tf.lookup.TextFileIndex.WHOLE_LINE, tf.int64, "
    "tf.lookup.TextFileIndex.LINE_NUMBER), -1))",
    "_sorted_export(S(TI(vocab, tf.string, 0, tf.int64, -1, delimiter=' ', vocab_size=2), -1))",
    "_sorted_export(S(TI(vocab, tf.int64, 1, tf.int64, -1, delimiter=' ', value_index_offset=5), -1))",
    "_sorted_export(S(TI(tabs, tf.string, 1, tf.string, 0), '?'))",
    "_sorted_export(S(TI(nonl, tf.int64, 0, tf.string, 1, delimiter=' '), '?'))",
    "_sorted_export(S(TI(floats, tf.string, 0, tf.float32, 1, delimiter=' '), -1.0))",
    "_sorted_export(S(TI(crlf, tf.string, -2, tf.int64, -1), -1))",
    "_sorted_export(S(TI(tf.constant(vocab), tf.string, 0, tf.int64, -1, delimiter=' '), -1))",
    "V(TI(vocab, tf.string, 0, tf.int64, -1, delimiter=' '), 2).lookup(tf.constant(['lake', 'emerson', 'x']))",
    "S(TI(vocab, tf.string, 0, tf.int64, -1, delimiter=' ', vocab_size=5), -1)",
    "S(TI(bad, tf.string, 0, tf.int64, 2), -1)",
    "S(TI(cols, tf.string, 0, tf.string, 1, delimiter=' '), '?')",
    "S(TI(vocab + '.missing', tf.string, 0, tf.string, 1), '?')",
    "S(TI(vocab, tf.string, 0, tf.int32, 0, delimiter=' '), -1)",
    "S(TI(nonl, tf.int64, -2, tf.int64, -1, delimiter=' '), -1)",
    "S(TI(vocab, tf.string, 0, tf.int64, -1, delimiter=''), -1)",
    "S(TI(vocab, tf.string, 0, tf.int64, 1), -1.0)",
    "TI(vocab, tf.float32, -1, tf.int64, 1)",
    "TI('', tf.string, 0, tf.int64, 1)",
    "TI(vocab, tf.string, 0, tf.int64, 1, vocab_size=0)",
    "TI(vocab, tf.string, -3, tf.int64, 1)",
    "TI(vocab, tf.float32, -2, tf.int64, 1)",
    "TI(vocab, tf.string, 0, tf.int32, -1)",
    "TI(vocab, tf.string, 0, tf.float32, -2)",
]


@pytest.mark.parametrize("code", CASES)
def test_matches_tensorflow(tf_oracle, files, code):
    globals()["_sorted_export"] = _sorted_export
    assert _outcome(code, ff, files) == _outcome(code, tf_oracle, files)


def _mutable(mod):
    m = mod.lookup.experimental.MutableHashTable(mod.string, mod.int64, -1)
    m.insert(["a", "b", "c"], [1, 2, 3])
    m.insert(["a"], [5])
    m.remove(mod.constant(["b", "q"]))
    return (m.lookup(["a", "b", "z"]), m.size(), _sorted_export(m),
            m.lookup([["a"], ["b"]], dynamic_default_values=mod.constant([[7], [8]], mod.int64)))


def _mutable_tensors(mod):
    m = mod.lookup.experimental.MutableHashTable(mod.int64, mod.float32, [0.0, -1.0])
    m.insert([3, 4], [[1, 2], [3, 4]])
    return m.lookup([[4, 9]]), _sorted_export(m)


def _dense(mod):
    d = mod.lookup.experimental.DenseHashTable(mod.int64, mod.int64, -1, empty_key=0, deleted_key=-1)
    d.insert([1, 2, 3], [10, 20, 30])
    d.insert_or_assign([3], [33])
    d.erase(mod.constant([2], mod.int64))
    return d.lookup([1, 2, 3, 4]), d.size()


def _dense_buckets(mod, key_dtype, value_dtype, default, empty, deleted, keys, values, erased, more):
    """TF's bucket layout: quadratic probing, deleted-key reuse, and growth past the load factor."""
    d = mod.lookup.experimental.DenseHashTable(key_dtype, value_dtype, default, empty_key=empty, deleted_key=deleted,
                                               initial_num_buckets=8)
    d.insert(mod.constant(keys, key_dtype), mod.constant(values, value_dtype))
    d.erase(mod.constant(erased, key_dtype))
    d.insert(mod.constant(more[0], key_dtype), mod.constant(more[1], value_dtype))
    return d.export(), d.size(), d.lookup(mod.constant(keys + more[0], key_dtype))


MUTABLE_CASES = [
    "_mutable(tf)",
    "_mutable_tensors(tf)",
    "_dense(tf)",
    "_dense_buckets(tf, tf.int64, tf.int64, -1, 0, -1, [1, 2, 3, 9, 17], [10, 20, 30, 90, 170], [2, 9], "
    "([25, 2] + list(range(100, 110)), [250, 22] + list(range(10))))",
    "_dense_buckets(tf, tf.int32, tf.float64, -1.0, -5, -6, [-1, 7, 3], [1.0, 2.0, 3.0], [7], ([8], [4.0]))",
    "_dense_buckets(tf, tf.string, tf.float32, [0.0, 0.0], '', '$', ['a', 'bb', 'ccc', 'dddd'], "
    "[[1, 2], [3, 4], [5, 6], [7, 8]], ['bb'], (['e', 'bb'], [[9, 9], [0, 1]]))",
    "_dense_buckets(tf, tf.string, tf.int64, -1, '', '$', ['x%d' % i for i in range(9)], list(range(9)), ['x1'], "
    "([], []))",
    "D(tf.int64, tf.int64, -1, empty_key=0, deleted_key=-1).export()[0].shape",
    "M(tf.string, tf.int64, -1).insert([1], [2])",
    "M(tf.string, tf.int64, -1).insert(['a', 'b'], [2])",
    "M(tf.string, tf.int64, -1).remove(tf.constant([1]))",
    "M(tf.float32, tf.int64, -1)",
    "M(tf.string, tf.int64, -1).lookup([1])",
    "M(tf.string, tf.int64, -1).lookup('a')",
    "M(tf.string, tf.float32, [0.0, 0.0]).insert(['a'], [[1, 2, 3]])",
    "M(tf.string, tf.int64, -1).insert([['a', 'b']], [1, 2])",
    "M(tf.string, tf.int64, -1).lookup(['a'], dynamic_default_values=[1, 2])",
    "M(tf.string, tf.int64, -1).name",
    "M(tf.string, tf.bool, [True, False]).size()",
    "M(tf.int32, tf.string, '?')",
    "D(tf.int64, tf.int64, -1, empty_key=0, deleted_key=-1).insert([0], [1])",
    "D(tf.int64, tf.int64, -1, empty_key=0, deleted_key=-1).lookup([-1])",
    "D(tf.int64, tf.int64, -1, empty_key=0, deleted_key=0)",
    "D(tf.string, tf.int64, -1, empty_key='', deleted_key='$').lookup(['a', ''])",
    "D(tf.int64, tf.int64, -1, empty_key=0, deleted_key=-1).erase(tf.constant([0], tf.int64))",
    "D(tf.int64, tf.int64, -1, empty_key=0, deleted_key=-1).erase(tf.constant([1]))",
    "D(tf.int64, tf.int64, -1, empty_key=0, deleted_key=-1, initial_num_buckets=3)",
    "D(tf.float32, tf.int64, -1, empty_key=0, deleted_key=-1)",
]


@pytest.mark.parametrize("code", MUTABLE_CASES)
def test_mutable_tables_match_tensorflow(tf_oracle, files, code):
    g = globals()
    g.update(_sorted_export=_sorted_export, _mutable=_mutable, _mutable_tensors=_mutable_tensors, _dense=_dense,
             _dense_buckets=_dense_buckets)
    assert _outcome(code, ff, files) == _outcome(code, tf_oracle, files)


@settings(max_examples=20, deadline=None)
@given(st.lists(st.text(max_size=12), min_size=1, max_size=6, unique=True),
       st.lists(st.text(max_size=12), min_size=1, max_size=8), st.integers(1, 50))
def test_vocabulary_buckets_match_tf_on_random_keys(tf_oracle, vocab, queries, buckets):
    def ids(mod):
        init = mod.lookup.KeyValueTensorInitializer(vocab, mod.constant(np.arange(len(vocab)), mod.int64))
        return mod.lookup.StaticVocabularyTable(init, buckets).lookup(mod.constant(queries)).numpy().tolist()

    assert ids(ff) == ids(tf_oracle)


def test_mutable_hash_table_checkpoints_its_entries(tmp_path, tf_oracle):
    """A tf.Module holding tables saves and restores (the mutable table's entries under TF's names), and TF reads
    featherflow's checkpoint."""
    module = ff.Module()
    module.table = ff.lookup.experimental.MutableHashTable(ff.string, ff.int64, -1)
    module.static = ff.lookup.StaticHashTable(ff.lookup.KeyValueTensorInitializer(["k"], [7]), 0)
    module.v = ff.Variable(1.0)
    module.table.insert(["a", "b"], ff.constant([1, 2], ff.int64))
    path = ff.train.Checkpoint(m=module).write(str(tmp_path / "ckpt"))
    module.table.insert(["c"], ff.constant([3], ff.int64))
    module.table.remove(ff.constant(["a"]))
    ff.train.Checkpoint(m=module).read(path)
    assert _sorted_export(module.table)[:2] == ([b"a", b"b"], [1, 2])
    names = dict(ff.train.list_variables(path))
    assert "m/table/.ATTRIBUTES/table-keys" in names and "m/table/.ATTRIBUTES/table-values" in names

    theirs = tf_oracle.Module()
    theirs.table = tf_oracle.lookup.experimental.MutableHashTable(tf_oracle.string, tf_oracle.int64, -1)
    theirs.v = tf_oracle.Variable(0.0)
    tf_oracle.train.Checkpoint(m=theirs).read(path).expect_partial()
    assert _sorted_export(theirs.table)[:2] == ([b"a", b"b"], [1, 2])


def test_dense_hash_table_checkpoints_tf_bucket_arrays(tmp_path, tf_oracle):
    def make(mod):
        m = mod.Module()
        m.t = mod.lookup.experimental.DenseHashTable(mod.string, mod.int64, -1, empty_key="", deleted_key="$",
                                                     initial_num_buckets=16)
        return m

    ours = make(ff)
    ours.t.insert(["a", "b", "c"], ff.constant([1, 2, 3], ff.int64))
    ours.t.erase(ff.constant(["b"]))
    path = ff.train.Checkpoint(m=ours).write(str(tmp_path / "ckpt"))
    theirs = make(tf_oracle)
    tf_oracle.train.Checkpoint(m=theirs).read(path)
    assert theirs.t.lookup(["a", "b", "c"]).numpy().tolist() == [1, -1, 3]
    np.testing.assert_array_equal(theirs.t.export()[0].numpy(), ours.t.export()[0].numpy())
    again = make(ff)
    ff.train.Checkpoint(m=again).read(path)
    assert again.t.lookup(["a", "b", "c"]).numpy().tolist() == [1, -1, 3] and int(again.t.size()) == 2


def test_tables_are_trackable_and_ops_run_on_the_host_under_a_gpu():
    from featherflow.device import _simulating
    from featherflow.trackable import Trackable

    with _simulating(2), ff.device("/GPU:0"):
        table = ff.lookup.StaticHashTable(ff.lookup.KeyValueTensorInitializer([1, 2], [3.0, 4.0]), 0.0)
        out = table.lookup(ff.constant([2, 5]))
    assert isinstance(table, Trackable)
    assert out.device.endswith("CPU:0")  # TF's table kernels are CPU kernels
    np.testing.assert_array_equal(out.numpy(), [4.0, 0.0])


def test_lookup_ops_are_declared_as_tf_registers_their_gradients():
    from featherflow.ops.registry import OPS

    for name in ("LookupTableFindV2", "LookupTableInsertV2", "LookupTableSizeV2", "InitializeTableFromTextFileV2"):
        assert not OPS[name].differentiable, name  # TF's NotDifferentiable
    for name in ("LookupTableImportV2", "LookupTableExportV2", "LookupTableRemoveV2"):
        assert OPS[name].differentiable and OPS[name].grad is None, name  # no gradient registered
