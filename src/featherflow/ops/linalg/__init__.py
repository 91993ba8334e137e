"""``tf.linalg``: products and norms (``core``), ``einsum``, diagonals and bands (``diag``), decompositions and solvers
(``decomp``) and what is built on them (``composite``)."""
