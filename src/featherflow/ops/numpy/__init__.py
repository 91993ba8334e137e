"""``tf.experimental.numpy`` (tnp): NumPy's function set as compositions of featherflow's ops, with tnp's dtype
rules (``_dtypes``), the numpy behavior switch (``behavior``) and TF's auto dtype conversion (``promotion``)."""
