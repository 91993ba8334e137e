"""The ``tf.train`` pieces that are not checkpoints: moving averages, the thread coordinator, checkpoint polling,
cluster specifications and the object-graph views."""
