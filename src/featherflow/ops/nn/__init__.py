"""``tf.nn``: activations and softmax (``core``), losses and layers built on them (``impl``), convolutions
(``conv``) and pooling."""
