"""``tf.math``: elementwise ops (``elementwise``) and their public wrappers (``api``), reductions, special
functions, clipping, cumulative scans and segment reductions."""
