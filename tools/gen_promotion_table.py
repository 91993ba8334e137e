"""Prints TF's auto dtype conversion table (``flexible_dtypes._BINARY_DTYPE_RES_FULL``) in the compact form
``src/featherflow/ops/numpy/promotion.py`` holds: one row per input type, one entry per other input type,
the result's code, ``*`` when only the "all" mode allows it. Run: ``.venv/bin/python tools/gen_promotion_table.py``."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from tensorflow.python.framework import flexible_dtypes as f  # noqa: E402

CODES = {"bool": "b8", "uint8": "u8", "uint16": "u16", "uint32": "u32", "uint64": "u64", "int8": "i8",
         "int16": "i16", "int32": "i32", "int64": "i64", "bfloat16": "bf16", "float16": "f16", "float32": "f32",
         "float64": "f64", "complex64": "c64", "complex128": "c128"}


def code(key: tuple) -> str:
    return CODES[key[0].name] + ("w" if key[1] else "")


order = list(f._all_dtypes)
print("_TABLE = \"\"\"")
for a in order:
    row = f._BINARY_DTYPE_RES_FULL[a]
    cells = []
    for b in order:
        res, mode = row[b]
        cells.append(code(res) + ("*" if mode.name == "ALL" else ""))
    print(code(a) + ": " + " ".join(cells))
print("\"\"\"")
