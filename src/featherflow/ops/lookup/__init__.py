"""The ops behind ``tf.lookup``: the tables' resource and kernels (``kernels``) and the table initializers
(``initializers``). The table classes, which checkpoints track, are in the state layer (``_lookup_tables``)."""
