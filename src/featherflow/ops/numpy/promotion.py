"""TF's auto dtype conversion ("all" and "safe" modes): the JAX-like lattice of ``flexible_dtypes``.

Python numbers are weak (int: int32, float: float32, complex: complex128, all weak); Tensors are not. The
table is TF's ``_BINARY_DTYPE_RES_FULL`` as ``tools/gen_promotion_table.py`` prints it: the row of one input's
type, the column of the other's, the result (``w``: weak); ``*``: only the "all" mode allows it ("safe" raises
TF's TypeError).
"""

from __future__ import annotations

import sys
from typing import Any

import numpy as np

from ...dtypes import DType
from ...indexed_slices import IndexedSlices
from ...nest import flatten, is_composite
from ...shape import TensorShape
from ...tensor import Tensor, convert_to_tensor
from ..array.create import cast
from .weak import WeakTensor

_dtypes = sys.modules[DType.__module__]  # the internal dtypes module (see _dtypes.py)

_TABLE = """
b8: b8 u8 u16 u32 u64 i8 i16 i32 i64 bf16 f16 f32 f64 c64 c128 i32w i64w f32w f64w c128w
u8: u8 u8 u16 u32 u64 i16* i16 i32 i64 bf16 f16 f32 f64 c64 c128 u8 u8 f64w* f64w c128w
u16: u16 u16 u16 u32 u64 i32* i32* i32 i64 bf16* f16* f32 f64 c64 c128 u16 u16 f64w* f64w c128w
u32: u32 u32 u32 u32 u64 i64* i64* i64* i64 bf16* f16* f32* f64 c64* c128 u32 u32 f64w* f64w c128w
u64: u64 u64 u64 u64 u64 f64w* f64w* f64w* f64w* bf16* f16* f32* f64* c64* c128* u64 u64 f64w* f64w* c128w*
i8: i8 i16* i32* i64* f64w* i8 i16 i32 i64 bf16 f16 f32 f64 c64 c128 i8 i8 f64w* f64w c128w
i16: i16 i16 i32* i64* f64w* i16 i16 i32 i64 bf16* f16* f32 f64 c64 c128 i16 i16 f64w* f64w c128w
i32: i32 i32 i32 i64* f64w* i32 i32 i32 i64 bf16* f16* f32* f64 c64* c128 i32 i32 f64w* f64w c128w
i64: i64 i64 i64 i64 f64w* i64 i64 i64 i64 bf16* f16* f32* f64* c64* c128* i64 i64 f64w* f64w* c128w*
bf16: bf16 bf16 bf16* bf16* bf16* bf16 bf16* bf16* bf16* bf16 f32* f32 f64 c64 c128 bf16 bf16 bf16 bf16 c64*
f16: f16 f16 f16* f16* f16* f16 f16* f16* f16* f32* f16 f32 f64 c64 c128 f16 f16 f16 f16 c64*
f32: f32 f32 f32 f32* f32* f32 f32 f32* f32* f32 f32 f32 f64 c64 c128 f32 f32 f32 f32 c64*
f64: f64 f64 f64 f64 f64* f64 f64 f64 f64* f64 f64 f64 f64 c128* c128 f64 f64 f64 f64 c128
c64: c64 c64 c64 c64* c64* c64 c64 c64* c64* c64 c64 c64 c128* c64 c128 c64 c64 c64 c64 c64
c128: c128 c128 c128 c128 c128* c128 c128 c128 c128* c128 c128 c128 c128 c128 c128 c128 c128 c128 c128 c128
i32w: i32w u8 u16 u32 u64 i8 i16 i32 i64 bf16 f16 f32 f64 c64 c128 i32w i64w f32w f64w c128w
i64w: i64w u8 u16 u32 u64 i8 i16 i32 i64 bf16 f16 f32 f64 c64 c128 i64w i64w f32w f64w c128w
f32w: f32w f64w* f64w* f64w* f64w* f64w* f64w* f64w* f64w* bf16 f16 f32 f64 c64 c128 f32w f32w f32w f64w c128w
f64w: f64w f64w f64w f64w f64w* f64w f64w f64w f64w* bf16 f16 f32 f64 c64 c128 f64w f64w f64w f64w c128w
c128w: c128w c128w c128w c128w c128w* c128w c128w c128w c128w* c64* c64* c64* c128 c64 c128 c128w c128w c128w c128w c128w
"""

_NAMES = {"b8": "bool", "u8": "uint8", "u16": "uint16", "u32": "uint32", "u64": "uint64", "i8": "int8",
          "i16": "int16", "i32": "int32", "i64": "int64", "bf16": "bfloat16", "f16": "float16", "f32": "float32",
          "f64": "float64", "c64": "complex64", "c128": "complex128"}


def _key(code: str) -> tuple[_dtypes.DType, bool]:
    weak = code.endswith("w")
    return _dtypes.as_dtype(_NAMES[code[:-1] if weak else code]), weak


def _parse() -> dict:
    rows = [line.split(": ") for line in _TABLE.strip().splitlines()]
    columns = [_key(code) for code, _ in rows]
    table: dict = {}
    for code, cells in rows:
        row = table[_key(code)] = {}
        for column, cell in zip(columns, cells.split()):
            row[column] = (_key(cell.rstrip("*")), cell.endswith("*"))
    return table


_FULL: dict | None = None  # parsed on first use


def dtype_and_weakness(x: Any) -> tuple[_dtypes.DType, bool]:
    """TF's ``_get_dtype_and_weakness``: a Tensor's or NumPy value's dtype (not weak), a Python number's weak
    type."""
    if isinstance(x, WeakTensor):
        return x.tensor._dtype, True
    if isinstance(x, _dtypes.DType):
        return x, False
    dtype = getattr(x, "dtype", None)
    if isinstance(dtype, _dtypes.DType):
        return dtype, False
    if isinstance(x, (np.ndarray, np.generic)) or isinstance(dtype, np.dtype):
        return _dtypes.as_dtype(dtype), False
    if isinstance(x, (bytes, str)):
        return _dtypes.string, False
    if isinstance(x, bool) or x is bool:
        return _dtypes.bool, False
    if isinstance(x, int):
        if not np.iinfo(np.int32).min <= x <= np.iinfo(np.int32).max:
            raise OverflowError(f"Python int {x} too large to convert to np.int32")
        return _dtypes.int32, True
    if x is int:
        return _dtypes.int32, True
    if isinstance(x, TensorShape):
        return _dtypes.int32, False  # (a shape is always integers)
    if isinstance(x, float) or x is float:
        return _dtypes.float32, True
    if isinstance(x, complex) or x is complex:
        return _dtypes.complex128, True
    try:
        return _dtypes.as_dtype(x), False
    except TypeError:
        raise NotImplementedError(f"Auto dtype conversion semantics does not support {type(x)} type.") from None


def result_type(*arrays_and_dtypes: Any, mode: str = "all") -> tuple[_dtypes.DType, bool]:
    """The promoted (dtype, weak) of the inputs under ``mode`` ("all" or "safe")."""
    global _FULL
    if _FULL is None:
        _FULL = _parse()
    inputs = []
    for x in arrays_and_dtypes:
        if x is None:
            continue
        if is_composite(x) and not isinstance(x, (WeakTensor, IndexedSlices)):  # (the caller falls back)
            raise NotImplementedError(f"Auto dtype conversion semantics does not support {type(x)} type.")
        inputs.append(x)
    # nested Python sequences count element by element (TF's nest.flatten)
    items = [dtype_and_weakness(x) for x in flatten(inputs)] or [(_dtypes.float32, True)]
    res = items[0]
    for arg in items[1:]:
        try:
            res_next, all_only = _FULL[res][arg]
        except KeyError:
            if res == arg:
                continue  # strings with strings
            raise NotImplementedError(f"Implicit Conversion between {res[0]} and {arg[0]} is not allowed. Please "
                                      "convert the input manually if you need to.") from None
        if all_only and mode == "safe":
            raise TypeError(f"In promotion mode PromoMode.SAFE, implicit dtype promotion between ({res[0]}, "
                            f"weak={res[1]}) and ({arg[0]}, weak={arg[1]}) is disallowed. You need to explicitly "
                            "specify the dtype in your op, or relax your dtype promotion rules (such as from SAFE "
                            "mode to ALL mode).")
        res = res_next
    return res


def promote_pair(x: Tensor, y: Any, mode: str) -> tuple[Tensor, Tensor]:
    """Both operands of a binary operator in their promoted dtype under ``mode``."""
    dtype, _ = result_type(x, y, mode=mode)
    return cast_pair(x, y, dtype)


def cast_pair(x: Any, y: Any, dtype: _dtypes.DType) -> tuple[Tensor, Tensor]:
    """Both operands as Tensors of ``dtype`` (tensors, WeakTensors and variables cast, other values converted)."""

    def convert(v: Any) -> Tensor:
        if isinstance(v, Tensor):
            return cast(v, dtype)
        to_tensor = getattr(v, "__tf_tensor__", None)
        if to_tensor is not None:
            return cast(to_tensor(), dtype)
        return convert_to_tensor(v, dtype)

    return convert(x), convert(y)
