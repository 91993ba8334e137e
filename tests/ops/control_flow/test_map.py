"""tf.map_fn over composite elements, against TF."""

from __future__ import annotations

import numpy as np

import featherflow as ff


def test_map_fn_over_a_sparse_tensor_passes_its_rows(tf_oracle) -> None:
    dense = np.arange(12.0, dtype=np.float32).reshape(2, 2, 3) * (np.arange(12).reshape(2, 2, 3) % 3 > 0)
    results = []
    for lib in (ff, tf_oracle):
        a, b = lib.sparse.from_dense(dense), lib.reshape(lib.range(12.0), (2, 3, 2))
        results.append(lib.map_fn(lambda x, lib=lib: lib.sparse.sparse_dense_matmul(x[0], x[1]), elems=(a, b),
                                  fn_output_signature=lib.float32).numpy())
    np.testing.assert_array_equal(results[0], results[1])
