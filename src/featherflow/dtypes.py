"""TensorFlow's dtypes: one frozen, cached ``DType`` object per type.

>>> import featherflow as tf
>>> tf.float32, str(tf.float32), tf.as_dtype("double")
(tf.float32, "<dtype: 'float32'>", tf.float64)
"""

from __future__ import annotations

import builtins
import sys
import threading
from typing import Any

import numpy as np

# TF's numpy stand-ins for its quantized types (what ``as_numpy_dtype`` returns for them).
_np_qint8 = np.dtype([("qint8", np.int8)])
_np_quint8 = np.dtype([("quint8", np.uint8)])
_np_qint16 = np.dtype([("qint16", np.int16)])
_np_quint16 = np.dtype([("quint16", np.uint16)])
_np_qint32 = np.dtype([("qint32", np.int32)])

_REF = 100  # TF1's reference dtypes: enum + 100, name + "_ref"
_NUMPY_INCOMPATIBLE = frozenset({20, 21, 120, 121})  # resource, variant and their refs
_QUANTIZED = frozenset({11, 12, 13, 15, 16})

# The storage of bfloat16, float8, float4, int4 and int2 is an ml_dtypes type. ml_dtypes takes most of a second to
# import, so these DTypes start as _PendingDType and get their NumPy types when one is first needed (see below).
_ML = "ml_dtypes"


class DType:
    """A TensorFlow element type (``tf.dtypes.DType``)."""

    __slots__ = ("_enum", "_name", "_np", "_as_np", "_kind")

    _by_enum: dict[int, DType] = {}

    def __new__(cls, type_enum: Any) -> DType:  # DType(1) is tf.float32, as in TF
        enum = int(type_enum)
        try:
            return cls._by_enum[enum]
        except KeyError:
            raise TypeError(f"{enum} does not correspond to a valid tensorflow::DataType") from None

    @classmethod
    def _make(cls, enum: int, name: str, np_dtype: Any, as_np: Any = None) -> DType:
        base = enum % _REF
        if np_dtype is _ML:  # an ml_dtypes type, loaded on first use
            self = object.__new__(_PendingDType)
            kind = "f" if "float" in name else ("u" if name.startswith("uint") else "i")
        else:
            self = object.__new__(cls)
            storage = np.dtype(np_dtype) if np_dtype is not None else None
            object.__setattr__(self, "_np", storage)  # the dtype of the arrays that hold this type's values
            object.__setattr__(self, "_as_np", as_np if as_np is not None else (storage.type if storage else None))
            if base == 7:
                kind = "S"
            elif base in _QUANTIZED:
                kind = "q"
            else:
                kind = "?" if storage is None else storage.kind
        object.__setattr__(self, "_enum", enum)
        object.__setattr__(self, "_name", name)
        object.__setattr__(self, "_kind", kind)
        cls._by_enum[enum] = self
        return self

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("DType objects are immutable")

    def __reduce__(self) -> Any:
        return (as_dtype, (self._name,))

    @property
    def name(self) -> str:
        return self._name

    @property
    def as_datatype_enum(self) -> int:
        return self._enum

    @property
    def _is_ref_dtype(self) -> bool:
        return self._enum > _REF

    @property
    def _as_ref(self) -> DType:
        return self if self._enum > _REF else DType._by_enum[self._enum + _REF]

    @property
    def as_numpy_dtype(self) -> Any:
        if self._as_np is None:
            raise KeyError(self._enum)  # what TF raises for resource and variant
        return self._as_np

    @property
    def base_dtype(self) -> DType:
        return DType._by_enum[self._enum - _REF] if self._enum > _REF else self

    @property
    def real_dtype(self) -> DType:
        base = self.base_dtype
        if base is complex64:
            return float32
        if base is complex128:
            return float64
        return self

    @property
    def is_bool(self) -> bool:
        return self._kind == "b"

    @property
    def is_numeric(self) -> bool:
        """TF's numeric types: the standard floats, ints, complex and quantized types (not float8, int4, bool)."""
        return self.base_dtype.name in _NUMERIC_NAMES

    @property
    def is_floating(self) -> bool:
        return self._kind == "f"

    @property
    def is_integer(self) -> bool:
        return self._kind in ("i", "u")

    @property
    def is_unsigned(self) -> bool:
        return self._kind == "u"

    @property
    def is_complex(self) -> bool:
        return self._kind == "c"

    @property
    def is_quantized(self) -> bool:
        return self._kind == "q"

    @property
    def is_numpy_compatible(self) -> bool:
        return self._enum not in _NUMPY_INCOMPATIBLE

    @property
    def size(self) -> int:
        if self._np is None or self._kind == "S":
            return 0
        return self._np.itemsize

    def _bound(self, which: str) -> Any:
        word = "minimum" if which == "min" else "maximum"
        base = self.base_dtype
        if self._kind in ("q", "b", "S", "c"):
            kind = "quantized type" if self._kind == "q" else "type"
            raise TypeError(f"Cannot find {word} value of {self} with {kind} {base}.")
        if self._kind in ("f", "i", "u"):
            storage = self._np
            if storage.kind == "V":  # an ml_dtypes type: loaded by reading _np, and described by its finfo/iinfo
                import ml_dtypes

                info = ml_dtypes.finfo if self._kind == "f" else ml_dtypes.iinfo
            else:
                info = np.finfo if self._kind == "f" else np.iinfo
            return getattr(info(storage), which)
        raise TypeError(f"Cannot find {word} value of {self}.")

    @property
    def min(self) -> Any:
        return self._bound("min")

    @property
    def max(self) -> Any:
        return self._bound("max")

    @property
    def limits(self) -> tuple[Any, Any]:
        # TF's image-intensity table (dtypes.dtype_range), with the minimum clipped to 0 (its clip_negative).
        if self._as_np is None:
            raise KeyError(self._enum)
        found = _LIMITS.get(self._as_np)
        if found is None:
            raise ValueError(f"{self} does not have defined limits.")
        return (0, found)

    def is_compatible_with(self, other: Any) -> bool:
        """TF1's check: whether ``other`` (a DType or anything ``as_dtype`` takes) converts to this type."""
        other = as_dtype(other)
        return self._enum in (other._enum, other.base_dtype._enum)

    def is_subtype_of(self, other: Any) -> bool:
        return self == other

    def most_specific_common_supertype(self, types: Any) -> DType | None:
        return self if all(self == t for t in types) else None

    def experimental_as_proto(self) -> int:
        return self._enum

    def __eq__(self, other: Any) -> bool:
        if other is self:
            return True
        if other is None:
            return False
        try:
            return as_dtype(other) is self
        except TypeError:
            return False

    def __ne__(self, other: Any) -> bool:
        return not self.__eq__(other)

    def __hash__(self) -> int:
        return self._enum

    def __repr__(self) -> str:
        return f"tf.{self._name}"

    def __str__(self) -> str:
        return f"<dtype: '{self._name}'>"

    def __int__(self) -> int:
        return self._enum


class _PendingDType(DType):
    """A DType whose NumPy type is in ml_dtypes, not imported yet. Reading ``_np`` or ``_as_np`` imports it,
    fills every pending DType in and turns it into a plain DType (same slots, so ``__class__`` can change): from
    then on these are slot reads on the one DType class, and the hot path pays nothing for the deferral (a
    ``__getattr__`` on DType would unspecialize every attribute read, about 35 ns each)."""

    __slots__ = ()

    @property
    def _np(self) -> Any:
        _load_ml_dtypes(self)
        return self._np

    @property
    def _as_np(self) -> Any:
        _load_ml_dtypes(self)
        return self._as_np


# (enum, name, storage dtype, as_numpy_dtype when it differs from the storage's type)
_TABLE: list[tuple[int, str, Any, Any]] = [
    (1, "float32", np.float32, None),
    (2, "float64", np.float64, None),
    (3, "int32", np.int32, None),
    (4, "uint8", np.uint8, None),
    (5, "int16", np.int16, None),
    (6, "int8", np.int8, None),
    (7, "string", object, object),
    (8, "complex64", np.complex64, None),
    (9, "int64", np.int64, None),
    (10, "bool", np.bool_, None),
    (11, "qint8", np.int8, _np_qint8),
    (12, "quint8", np.uint8, _np_quint8),
    (13, "qint32", np.int32, _np_qint32),
    (14, "bfloat16", _ML, None),
    (15, "qint16", np.int16, _np_qint16),
    (16, "quint16", np.uint16, _np_quint16),
    (17, "uint16", np.uint16, None),
    (18, "complex128", np.complex128, None),
    (19, "float16", np.float16, None),
    (20, "resource", None, None),
    (21, "variant", None, None),
    (22, "uint32", np.uint32, None),
    (23, "uint64", np.uint64, None),
    (24, "float8_e5m2", _ML, None),
    (25, "float8_e4m3fn", _ML, None),
    (26, "float8_e4m3fnuz", _ML, None),
    (27, "float8_e4m3b11fnuz", _ML, None),
    (28, "float8_e5m2fnuz", _ML, None),
    (29, "int4", _ML, None),
    (30, "uint4", _ML, None),
    (31, "int2", _ML, None),
    (32, "uint2", _ML, None),
    (33, "float4_e2m1fn", _ML, None),
]
for _enum, _name, _storage, _as_np in _TABLE:
    DType._make(_enum, _name, _storage, _as_np)
    DType._make(_enum + _REF, _name + "_ref", _storage, np.object_ if _enum == 7 else _as_np)

_get = DType._by_enum.__getitem__
float32, float64, int32, uint8, int16, int8, string, complex64, int64 = map(_get, range(1, 10))
bool = _get(10)  # noqa: A001 - TF's name
qint8, quint8, qint32, bfloat16, qint16, quint16, uint16, complex128, float16 = map(_get, range(11, 20))
resource, variant, uint32, uint64 = map(_get, range(20, 24))
float8_e5m2, float8_e4m3fn, float8_e4m3fnuz, float8_e4m3b11fnuz, float8_e5m2fnuz = map(_get, range(24, 29))
int4, uint4, int2, uint2, float4_e2m1fn = map(_get, range(29, 34))

half = float16
double = float64

QUANTIZED_DTYPES = frozenset(d for d in DType._by_enum.values() if d.is_quantized)

_LIMITS: dict[Any, Any] = {np.bool_: True, np.uint8: 255, np.uint16: 65535, np.int8: 127, np.int16: 32767,
                           np.int64: 2**63 - 1, np.uint64: 2**64 - 1, np.int32: 2**31 - 1, np.uint32: 2**32 - 1,
                           np.float32: 1, np.float64: 1}

_NAMES: dict[str, DType] = {d.name: d for d in DType._by_enum.values()}
_NAMES.update({"half": float16, "half_ref": _get(119), "float": float32, "float_ref": _get(101),
               "double": float64, "double_ref": _get(102)})

# numpy dtype -> DType; the hot path looks dtypes up here.
_FROM_NUMPY: dict[Any, DType] = {}
for _d in list(DType._by_enum.values()):
    if type(_d) is DType and _d._enum < _REF and _d._np is not None and not _d.is_quantized:
        _FROM_NUMPY[_d._np] = _d
_FROM_NUMPY[np.dtype(object)] = string

# numpy scalar type (and TF's quantized struct dtypes) -> DType, as TF's _NP_TO_TF.
_NP_TYPES: dict[Any, DType] = {d._np.type: d for d in _FROM_NUMPY.values()}
_NP_TYPES.update({np.object_: string, np.bytes_: string, np.str_: string})
_NP_TYPES.update({_np_qint8: qint8, _np_quint8: quint8, _np_qint16: qint16, _np_quint16: quint16,
                  _np_qint32: qint32})
for _t in (np.intc, np.uintc, np.int_, np.uint, np.longlong, np.ulonglong):
    _NP_TYPES.setdefault(_t, _FROM_NUMPY[np.dtype(_t)])

_PYTHON_TYPES: dict[Any, DType] = {builtins.float: float32, builtins.bool: bool, builtins.object: string}

# Everything as_dtype looks up by hash, as TF's _ANY_TO_TF (so, as in TF, True finds enum 1).
_ANY: dict[Any, DType] = {**DType._by_enum, **_NAMES, **_PYTHON_TYPES, **_NP_TYPES}


# The NumPy dtypes of the 16-bit floats, for kernels that compute them in float32: float16, and bfloat16 from
# when ml_dtypes is loaded (no array of it can exist before). A list, filled in place, so modules may keep it.
HALF_FLOATS: list[np.dtype] = [np.dtype(np.float16)]


def is_bfloat16(np_dtype: np.dtype) -> bool:
    """Whether a NumPy dtype is bfloat16's, without importing ml_dtypes (registered when it loads)."""
    return np_dtype.kind == "V" and _FROM_NUMPY.get(np_dtype) is bfloat16


_load_lock = threading.Lock()


def _complete(ml_dtypes: Any) -> None:
    """Gives the pending DTypes their ml_dtypes types and registers those types in the lookup tables."""
    with _load_lock:
        for d in [d for d in DType._by_enum.values() if type(d) is _PendingDType]:
            found = getattr(ml_dtypes, d.base_dtype.name, None)
            if found is None:  # an ml_dtypes older than the type: it stays pending
                continue
            storage = np.dtype(found)
            # Slots first (through DType's own descriptors: the pending class shadows them), then the class, so
            # another thread never sees a plain DType without its NumPy type.
            DType.__dict__["_np"].__set__(d, storage)
            DType.__dict__["_as_np"].__set__(d, storage.type)
            object.__setattr__(d, "__class__", DType)
            if d._enum < _REF:
                _FROM_NUMPY[storage] = d
                _NP_TYPES[storage.type] = d
                _ANY[storage.type] = d
                if d is bfloat16:
                    HALF_FLOATS.append(storage)


def _load_ml_dtypes(needed: DType) -> None:
    import ml_dtypes  # completes the pending DTypes through _WhenMlDtypesLoads, unless imported before

    _complete(ml_dtypes)
    if type(needed) is _PendingDType:
        raise TypeError(f"{needed} needs a newer ml_dtypes (installed: {ml_dtypes.__version__})")


class _WhenMlDtypesLoads:
    """An import hook (first in ``sys.meta_path``) that completes the pending DTypes as soon as anything
    imports ml_dtypes: the user, Keras, a checkpoint with bfloat16 tensors. Arrays of its types can only exist
    after that, so the hot path's plain dict lookups (``_FROM_NUMPY[array.dtype]``) always find them. It
    removes itself when it has fired."""

    @staticmethod
    def find_spec(name: str, path: Any = None, target: Any = None) -> Any:
        if name != "ml_dtypes":
            return None
        if _WhenMlDtypesLoads in sys.meta_path:
            sys.meta_path.remove(_WhenMlDtypesLoads)
        for finder in sys.meta_path:
            find = getattr(finder, "find_spec", None)
            spec = find(name, path, target) if find is not None else None
            if spec is not None:
                break
        else:
            return None
        run = getattr(spec.loader, "exec_module", None)
        if run is None:  # not a loader this hook knows: ml_dtypes' types are then completed on first use
            return spec

        def exec_module(module: Any) -> None:
            run(module)
            _complete(module)

        spec.loader.exec_module = exec_module
        return spec


if "ml_dtypes" in sys.modules:  # already paid for: complete now
    _complete(sys.modules["ml_dtypes"])
else:
    sys.meta_path.insert(0, _WhenMlDtypesLoads)  # type: ignore[arg-type]


def from_numpy(np_dtype: np.dtype) -> DType:
    """The DType of a NumPy dtype (fast path for arrays)."""
    try:
        return _FROM_NUMPY[np_dtype]
    except KeyError:
        if np_dtype.kind in "SUT":
            return string
        raise TypeError(f"Cannot convert the argument `type_value`: {np_dtype!r} to a TensorFlow DType.") from None


def as_dtype(type_value: Any) -> DType:
    """Converts ``type_value`` (a DType, a name, a NumPy dtype or type, a TF enum) to a ``DType``.

    >>> as_dtype("float32") is float32
    True
    """
    if isinstance(type_value, DType):  # a pending one (bfloat16, ...) too
        return type_value
    if isinstance(type_value, np.dtype):
        found = _NP_TYPES.get(type_value.type) or _NP_TYPES.get(type_value)
        if found is not None:
            return found
        if type_value.kind == "T":  # numpy's StringDType
            return string
    try:
        return _ANY[type_value]
    except (KeyError, TypeError):  # TypeError: unhashable
        pass
    if hasattr(type_value, "dtype"):
        try:
            return _NP_TYPES[np.dtype(type_value.dtype).type]
        except (KeyError, TypeError):
            pass
    raise TypeError(f"Cannot convert the argument `type_value`: {type_value!r} to a TensorFlow DType.")

_NUMERIC_NAMES = frozenset({
    "float16", "float32", "float64", "bfloat16", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32",
    "uint64", "complex64", "complex128", "qint8", "qint16", "qint32", "quint8", "quint16"})
