"""``tf.random``: the global-seed ops (``core``), ``stateless_*`` (``stateless``), ``tf.random.Generator``
(``generator``), and the Philox kernels they share (``_philox``, ``_kernels``)."""
