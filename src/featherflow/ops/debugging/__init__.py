"""``tf.debugging``: assertions and ``check_numerics`` (``checks``); ``tf.print`` and ``tf.strings.format``
(``print_ops``)."""
