"""``tf.image``: resizing (``resize``), crops, pads, flips and rotations (``transforms``), colour spaces and
adjustments (``color``), image metrics and filters (``metrics``), and PNG/JPEG codecs (``codecs``)."""
