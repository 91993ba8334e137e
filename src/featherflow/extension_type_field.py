"""The fields of ``tf.experimental.ExtensionType`` classes (TF's ``extension_type_field.py``): which annotations a
field may have, and the conversion and type check of each value (and each ``Spec`` value) against its annotation,
with TF's errors.

>>> from featherflow.extension_type_field import ExtensionTypeField
>>> ExtensionTypeField("sizes", tuple[int, ...], (1, 2)).default
(1, 2)
"""

import collections
import collections.abc
import enum
import types
import typing
from typing import Any

from . import dtypes as _dtypes
from .shape import TensorShape, as_shape
from .tensor import Tensor, convert_to_tensor
from .tensor_spec import TypeSpec

# names a field may not take: what the composite and TypeSpec protocols use (TF's list)
RESERVED_FIELD_NAMES = [
    "self", "Spec", "_type_spec", "_shape_invariant_to_type_spec", "_consumers", "value_type", "is_compatible_with",
    "most_specific_compatible_type", "_with_tensor_ranks_only", "_to_components", "_from_components",
    "_component_specs", "_to_tensor_list", "_from_tensor_list", "_from_compatible_tensor_list",
    "_flat_tensor_specs", "_serialize", "_deserialize", "_to_legacy_output_types", "_to_legacy_output_shapes",
    "_to_legacy_output_classes", "_keras_mask"]


class ImmutableDict(collections.abc.Mapping):
    """The read-only mapping a ``Mapping`` field holds (TF's ``immutable_dict.ImmutableDict``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._dict = dict(*args, **kwargs)

    def __getitem__(self, key: Any) -> Any:
        return self._dict[key]

    def __contains__(self, key: Any) -> bool:
        return key in self._dict

    def __iter__(self) -> Any:
        return iter(self._dict)

    def __len__(self) -> int:
        return len(self._dict)

    def __repr__(self) -> str:
        return f"ImmutableDict({self._dict})"


class _Sentinel:
    def __init__(self, name: str) -> None:
        self._name = name

    def __repr__(self) -> str:
        return self._name


_NoneType = type(None)


def _issubclass(cls: Any, classinfo: Any) -> bool:
    try:
        return issubclass(cls, classinfo)
    except TypeError:  # a generic alias such as tuple[int]
        return False


def _is_composite_type(t: Any) -> bool:
    """Whether ``t`` is a composite tensor class (RaggedTensor, SparseTensor, an ExtensionType): TF's
    ``issubclass(t, CompositeTensor)``, here the composite protocol featherflow's nest uses."""
    return isinstance(t, type) and hasattr(t, "_to_components") and hasattr(t, "_type_spec")


def _is_composite(value: Any) -> bool:
    return _is_composite_type(type(value))


def _is_forward_ref(t: Any) -> bool:
    return isinstance(t, typing.ForwardRef)


def _is_generic_tuple(t: Any) -> bool:
    return typing.get_origin(t) in (tuple, typing.Tuple)  # noqa: UP006 - both spellings are annotations


def _is_generic_union(t: Any) -> bool:
    return typing.get_origin(t) in (typing.Union, types.UnionType)


def _is_generic_mapping(t: Any) -> bool:
    return typing.get_origin(t) in (collections.abc.Mapping, typing.Mapping)  # noqa: UP006


class ExtensionTypeField(collections.namedtuple("ExtensionTypeField", ["name", "value_type", "default"])):
    """One field of an ExtensionType: its name, its annotation and its default (or ``NO_DEFAULT``)."""

    NO_DEFAULT = _Sentinel("ExtensionTypeField.NO_DEFAULT")

    def __new__(cls, name: str, value_type: Any, default: Any = NO_DEFAULT) -> "ExtensionTypeField":
        try:
            validate_field_value_type(value_type, allow_forward_references=True)
        except TypeError as e:
            raise TypeError(f"In field {name!r}: {e}") from e
        if default is not cls.NO_DEFAULT:
            default = _convert_value(default, value_type, (f"default value for {name}",), _Context.DEFAULT)
        return super().__new__(cls, name, value_type, default)

    @staticmethod
    def is_reserved_name(name: str) -> bool:
        return name in RESERVED_FIELD_NAMES or name.lower().startswith("_tf_extension_type")


def validate_field_value_type(value_type: Any, in_mapping_key: bool = False,
                              allow_forward_references: bool = False) -> None:
    """TypeError unless ``value_type`` is an annotation an ExtensionType field may have."""
    if isinstance(value_type, str) or _is_forward_ref(value_type):
        if allow_forward_references:
            return
        raise TypeError(f"Unresolved forward reference {value_type!r}")
    if value_type in (int, float, str, bytes, bool, None, _NoneType, _dtypes.DType):
        return
    if value_type in (Tensor, TensorShape) or _is_composite_type(value_type):
        if in_mapping_key:
            raise TypeError(f"Mapping had a key {value_type.__name__!r} with type {type(value_type).__name__!r}")
    elif _is_generic_tuple(value_type) or _is_generic_union(value_type):
        type_args = typing.get_args(value_type)
        if len(type_args) == 2 and type_args[1] is Ellipsis and _is_generic_tuple(value_type):
            validate_field_value_type(type_args[0], in_mapping_key, allow_forward_references)
        else:
            for arg in type_args:
                validate_field_value_type(arg, in_mapping_key, allow_forward_references)
    elif _is_generic_mapping(value_type):
        key_type, item_type = typing.get_args(value_type)
        validate_field_value_type(key_type, True, allow_forward_references)
        validate_field_value_type(item_type, in_mapping_key, allow_forward_references)
    elif isinstance(value_type, type):
        raise TypeError(f"Unsupported type annotation {value_type.__name__!r}")
    else:
        raise TypeError(f"Unsupported type annotation {value_type!r}")


class _Context(enum.Enum):
    VALUE = 1  # an ExtensionType's field
    SPEC = 2  # an ExtensionType.Spec's field: TypeSpecs where the value has tensors
    DEFAULT = 3  # a default value for the constructor


def _convert_fields(fields: tuple, field_values: dict, context: _Context) -> None:
    """Type-checks and converts ``field_values`` (in place); ValueError for missing or extra fields."""
    if len(fields) != len(field_values):
        _report_field_mismatches(fields, field_values)
    converted = {}
    for field in fields:
        if field.name not in field_values:
            _report_field_mismatches(fields, field_values)
        converted[field.name] = _convert_value(field_values[field.name], field.value_type, (field.name,), context)
    field_values.update(converted)


def _convert_value(value: Any, expected_type: Any, path: tuple, context: _Context = _Context.VALUE) -> Any:
    """``value`` converted to ``expected_type``; TypeError (naming the field's path) where it can not be."""
    if expected_type is None:
        expected_type = _NoneType
    where = "".join(path)
    if expected_type is Tensor:
        return _convert_tensor(value, path, context)
    if _is_composite_type(expected_type):
        if context == _Context.SPEC:
            if not (isinstance(value, TypeSpec) and _issubclass(value.value_type, expected_type)):
                raise TypeError(f"{where}: expected a TypeSpec for {expected_type.__name__!r}, got "
                                f"{type(value).__name__!r}")
            return value
        if not isinstance(value, expected_type):
            raise TypeError(f"{where}: expected {expected_type.__name__!r}, got {type(value).__name__!r}")
        return value
    if expected_type is TensorShape:
        try:
            return as_shape(value)
        except TypeError as e:
            raise TypeError(f"{where}: expected 'tf.TensorShape', got {type(value).__name__!r}") from e
    if expected_type is _dtypes.DType:
        try:
            return _dtypes.as_dtype(value)
        except TypeError as e:
            raise TypeError(f"{where}: expected 'tf.DType', got {type(value).__name__!r}") from e
    if expected_type in (int, float, bool, str, bytes, _NoneType):
        if not isinstance(value, expected_type):
            raise TypeError(f"{where}: expected {expected_type.__name__!r}, got {type(value).__name__!r}")
        return value
    if _is_generic_tuple(expected_type):
        return _convert_tuple(value, expected_type, path, context)
    if _is_generic_mapping(expected_type):
        if not isinstance(value, collections.abc.Mapping):
            raise TypeError(f"{where}: expected mapping, got {type(value).__name__!r}")
        key_type, item_type = typing.get_args(expected_type)
        return ImmutableDict([(_convert_value(k, key_type, (*path, "[<key>]"), context),
                               _convert_value(v, item_type, (*path, f"[{k!r}]"), context))
                              for k, v in value.items()])
    if _is_generic_union(expected_type):
        for option in typing.get_args(expected_type):
            try:
                return _convert_value(value, option, path, context)
            except TypeError:
                pass
        raise TypeError(f"{where}: expected {expected_type!r}, got {type(value).__name__!r}")
    raise TypeError(f"{where}: Unsupported type annotation {expected_type!r}")


def _convert_tensor(value: Any, path: tuple, context: _Context) -> Any:
    if context == _Context.SPEC:
        if not (isinstance(value, TypeSpec) and value.value_type is Tensor):
            raise TypeError(f"{''.join(path)}: expected a TensorSpec, got {type(value).__name__!r}")
        return value
    if isinstance(value, Tensor):
        return value
    if context == _Context.DEFAULT:  # converted when the constructor runs (as TF, which keeps it as given)
        return value
    try:
        return convert_to_tensor(value)
    except (ValueError, TypeError) as e:
        raise TypeError(f"{''.join(path)}: expected a Tensor, got {type(value).__name__!r}") from e


def _convert_tuple(value: Any, expected_type: Any, path: tuple, context: _Context) -> tuple:
    if not isinstance(value, typing.Sequence):
        raise TypeError(f"{''.join(path)}: expected tuple, got {type(value).__name__!r}")
    element_types = typing.get_args(expected_type)
    if len(element_types) == 2 and element_types[1] is Ellipsis:
        return tuple(_convert_value(v, element_types[0], (*path, f"[{i}]"), context) for i, v in enumerate(value))
    if len(value) != len(element_types):
        raise TypeError(f"{''.join(path)}: expected tuple with length {len(element_types)}, got "
                        f"{type(value).__name__!r})")
    return tuple(_convert_value(v, t, (*path, f"[{i}]"), context)
                 for i, (v, t) in enumerate(zip(value, element_types)))


def _report_field_mismatches(fields: tuple, field_values: dict) -> None:
    expected = {f.name for f in fields}
    actual = set(field_values)
    extra = actual - expected
    if extra:
        raise ValueError(f"Got unexpected fields: {extra}")
    missing = expected - actual
    if missing:
        raise ValueError(f"Missing required fields: {missing}")
