"""``tf.linalg``: products and norms (``core``), diagonals and bands (``diag``), decompositions and solvers
(``decomp``) and what is built on them (``composite``)."""
