"""``tf.strings``: string ops (``core``), regular expressions (``regex``) and Unicode (``unicode``), all on the host."""
