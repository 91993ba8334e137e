"""``LookupTableFindV2``'s default value fills absent keys with the value itself: for a string table each
element of the result is ``bytes`` (as TF's), not a 0-d array (Keras's ``IndexLookup(invert=True)`` decodes
them)."""

from __future__ import annotations

import featherflow as ff


def _found(tf, keys, default):
    init = tf.lookup.KeyValueTensorInitializer(tf.constant([1, 2], tf.int64), tf.constant(["one", "two"]))
    table = tf.lookup.StaticHashTable(init, default_value=default)
    return [(type(x).__name__, x) for x in table.lookup(tf.constant(keys, tf.int64)).numpy().reshape(-1).tolist()]


def test_string_default_fills_with_bytes(tf_oracle) -> None:
    for keys in ([2, 3, 1], [[3, 1], [0, 2]], []):
        assert _found(ff, keys, "[OOV]") == _found(tf_oracle, keys, "[OOV]")


def test_mutable_table_string_default(tf_oracle) -> None:
    def found(tf):
        table = tf.lookup.experimental.MutableHashTable(tf.int64, tf.string, default_value="?")
        table.insert(tf.constant([5], tf.int64), tf.constant(["five"]))
        return [(type(x).__name__, x) for x in table.lookup(tf.constant([5, 6], tf.int64)).numpy().tolist()]

    assert found(ff) == found(tf_oracle)
