"""Array ops (``tf.reshape``, ``tf.concat``, ``tf.gather``...): shapes (``core``), creation, joining and
splitting, slicing, gathering, scattering, sorting and selection."""
