"""``tf.experimental.ExtensionType``: user-defined composite tensors, declared by type annotations.

A subclass lists its fields as annotations (tensors, shapes, dtypes, Python scalars, tuples, mappings, unions,
other composites); the metaclass gives it a constructor that converts and type-checks each field, a nested
``Spec`` class (its ``tf.TypeSpec``), ``__repr__``, ``__eq__`` and immutability, as TF's
``python/framework/extension_type.py`` does. Values are composites: ``tf.nest`` with ``expand_composites=True``
sees their tensors, and ``tf.function`` takes and returns them.

>>> import featherflow as tf
>>> class MaskedTensor(tf.experimental.ExtensionType):
...     values: tf.Tensor
...     mask: tf.Tensor
>>> MaskedTensor([1, 2], [True, False]).mask
<tf.Tensor: shape=(2,), dtype=bool, numpy=array([ True, False])>
"""

# no ``from __future__ import annotations``: the doctests below define ExtensionTypes, and doctest would compile
# them with this module's future flags, leaving their field annotations as strings
import abc
import collections.abc
import functools
import typing
from typing import Any

from . import dtypes as _dtypes
from . import nest
from .extension_type_field import ExtensionTypeField, ImmutableDict, _Context, _convert_fields, _is_composite
from .ops.array.core import shape as _shape
from .ops.array.core import stack as _stack
from .ops.math.api import equal as _equal
from .ops.math.api import logical_not as _logical_not
from .ops.math.reduce import reduce_all as _reduce_all
from .shape import TensorShape
from .tensor import Tensor
from .tensor_spec import TensorSpec, TypeSpec

__all__ = ["BatchableExtensionType", "ExtensionType", "ExtensionTypeSpec", "as_dict"]

_IN_CONSTRUCTOR = "_tf_extension_type_in_constructor"
_MUTABLE_KERAS_PROPERTIES = ["_keras_mask"]  # Keras passes masks around on this attribute

# ---- the value class ----

def _create_object_from_type_and_dict(cls: type, obj_dict: Any) -> Any:
    """An object of ``cls`` holding ``obj_dict``, made without running its constructor."""
    value = object.__new__(cls)
    value.__dict__.update(obj_dict)
    return value


class ExtensionTypeMetaclass(abc.ABCMeta):
    """Turns each user subclass's annotations into its fields, constructor and ``Spec``."""

    def __init__(cls, name: str, bases: tuple, namespace: dict) -> None:
        # the framework's own base classes say so in their namespace (not inherited)
        if not namespace.get("_tf_extension_type_do_not_transform_this_class", False):
            _check_field_annotations(cls)
            _add_extension_type_constructor(cls)
            _add_type_spec(cls)
        super().__init__(name, bases, namespace)


class ExtensionType(metaclass=ExtensionTypeMetaclass):
    """The base class of user-defined composite tensor types (``tf.experimental.ExtensionType``).

    >>> import featherflow as tf
    >>> class Pair(tf.experimental.ExtensionType):
    ...     a: tf.Tensor
    ...     label: str = "pair"
    >>> Pair(1)
    Pair(a=<tf.Tensor: shape=(), dtype=int32, numpy=1>, label='pair')
    """

    _tf_extension_type_do_not_transform_this_class = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if type(self) is ExtensionType:
            raise AssertionError("Cannot create an instance of ExtensionType because ExtensionType is an abstract "
                                 "base class.")

    _tf_extension_type_cached_fields = None

    @classmethod
    def _tf_extension_type_fields(cls) -> tuple:
        """The fields, in order; forward references that do not resolve yet are left unresolved (not cached)."""
        if "_tf_extension_type_cached_fields" in cls.__dict__:  # not inherited
            return cls._tf_extension_type_cached_fields
        try:
            type_hints = typing.get_type_hints(cls)
            ok_to_cache = True
        except (NameError, AttributeError):  # a forward reference to a class not defined yet
            type_hints = {}
            for base in reversed(cls.__mro__):
                type_hints.update(base.__dict__.get("__annotations__", {}))
            ok_to_cache = False
        fields = tuple(ExtensionTypeField(name, value_type, getattr(cls, name, ExtensionTypeField.NO_DEFAULT))
                       for name, value_type in type_hints.items())
        if ok_to_cache:
            cls._tf_extension_type_cached_fields = fields
        return fields

    @classmethod
    def _tf_extension_type_has_field(cls, name: str) -> bool:
        return any(name == field.name for field in cls._tf_extension_type_fields())

    def _tf_extension_type_convert_fields(self) -> None:
        _convert_fields(self._tf_extension_type_fields(), self.__dict__, _Context.VALUE)

    def __repr__(self) -> str:
        fields = ", ".join(f"{field.name}={getattr(self, field.name)!r}" for field in self._tf_extension_type_fields())
        return f"{type(self).__qualname__}({fields})"

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _MUTABLE_KERAS_PROPERTIES or (hasattr(self, _IN_CONSTRUCTOR)
                                                 and self._tf_extension_type_has_field(name)):
            self.__dict__[name] = value
        else:
            raise AttributeError(f"Cannot mutate attribute `{name}` outside the custom constructor of ExtensionType.")

    def __delattr__(self, name: str) -> None:
        if name in _MUTABLE_KERAS_PROPERTIES or (hasattr(self, _IN_CONSTRUCTOR)
                                                 and self._tf_extension_type_has_field(name)):
            del self.__dict__[name]
        else:
            raise AttributeError(f"Cannot mutate attribute `{name}` outside the custom constructor of ExtensionType.")

    def __eq__(self, other: Any) -> Any:
        """False for another type or spec; else a scalar bool tensor: every tensor has the same shape and values."""
        if type(self) is not type(other):
            return False
        if self._type_spec != other._type_spec:
            return False
        self_tensors = nest.flatten(self, expand_composites=True)
        other_tensors = nest.flatten(other, expand_composites=True)
        if len(self_tensors) != len(other_tensors):
            return False
        conditions = []
        for t1, t2 in zip(self_tensors, other_tensors):
            # TF compares with incompatible_shape_error=False: tensors whose shapes differ are simply unequal
            same_rank = t1.shape.rank == t2.shape.rank
            conditions.append(_reduce_all(_equal(_shape(t1), _shape(t2))) if same_rank else _equal(False, True))
            same_shape = same_rank and bool(_reduce_all(_equal(_shape(t1), _shape(t2))))
            conditions.append(_reduce_all(_equal(t1, t2)) if same_shape else _equal(False, True))
        return _reduce_all(_stack(conditions))

    def __ne__(self, other: Any) -> Any:
        eq = self.__eq__(other)
        if isinstance(eq, Tensor):
            return _logical_not(eq)
        return not eq

    __hash__ = None  # defining __eq__ makes instances unhashable, as TF's

    def __validate__(self) -> None:
        """Post-construction validation: subclasses override it to check their fields."""

    _tf_extension_type_cached_type_spec = None

    @property
    def _type_spec(self) -> "ExtensionTypeSpec":
        if self._tf_extension_type_cached_type_spec is None:
            self.__dict__["_tf_extension_type_cached_type_spec"] = self.Spec.from_value(self)
        return self._tf_extension_type_cached_type_spec

    def _to_components(self) -> tuple:
        """The tensors and composites among the fields, in field order (featherflow's composite protocol)."""
        return self._type_spec._to_components(self)


def as_dict(value: ExtensionType) -> dict:
    """The fields of ``value`` and their values (``tf.experimental.extension_type.as_dict``; not recursive)."""
    return {field.name: getattr(value, field.name) for field in value._tf_extension_type_fields()}


# ---- the spec class ----

def _make_cmp_key(value: Any, spec: Any) -> Any:
    """A hashable, comparable form of a spec's ``_serialize()`` (TF's TypeSpec.__make_cmp_key)."""
    if value is None or isinstance(value, (int, float, bool, str, bytes, _dtypes.DType, TypeSpec, TensorShape)):
        return value
    if isinstance(value, collections.abc.Mapping):
        return tuple((_make_cmp_key(k, spec), _make_cmp_key(value[k], spec)) for k in sorted(value.keys()))
    if isinstance(value, tuple):
        return tuple(_make_cmp_key(v, spec) for v in value)
    if isinstance(value, list):
        return (list, tuple(_make_cmp_key(v, spec) for v in value))
    raise ValueError(f"Cannot generate a hashable key for {spec} because the _serialize() method returned an "
                     f"unsupported value of type {type(value)}")


def _is_compatible(a: Any, b: Any) -> bool:
    """Whether two serialized spec states are compatible (TF's TypeSpec.__is_compatible)."""
    if isinstance(a, (TypeSpec, TensorShape, _dtypes.DType)):
        return isinstance(b, type(a)) and a.is_compatible_with(b)
    if isinstance(a, (list, tuple)):
        return (type(a) is type(b) and len(a) == len(b)
                and all(_is_compatible(x, y) for x, y in zip(a, b)))
    if isinstance(a, collections.abc.Mapping):
        return (isinstance(b, collections.abc.Mapping) and set(a) == set(b)
                and all(_is_compatible(a[k], b[k]) for k in a))
    return type(a) is type(b) and a == b


class _NoSupertype(Exception):
    pass


def _supertype(a: Any, b: Any) -> Any:
    """The most specific common supertype of two serialized spec states (TF's TypeSpec rule): specs and shapes
    relax, other values must be equal; _NoSupertype where none exists."""
    if isinstance(a, TensorSpec):
        if not isinstance(b, TensorSpec) or a.dtype != b.dtype:
            raise _NoSupertype
        return TensorSpec(a.shape.most_specific_compatible_shape(b.shape), a.dtype)
    if isinstance(a, TensorShape):
        if not isinstance(b, TensorShape):
            raise _NoSupertype
        return a.most_specific_compatible_shape(b)
    if isinstance(a, TypeSpec):
        if type(a) is not type(b):
            raise _NoSupertype
        if hasattr(a, "most_specific_common_supertype"):
            found = a.most_specific_common_supertype([b])
        else:
            try:
                found = a.most_specific_compatible_type(b)
            except (ValueError, TypeError, AttributeError):
                found = None
        if found is None:
            raise _NoSupertype
        return found
    if isinstance(a, (list, tuple)):
        if type(a) is not type(b) or len(a) != len(b):
            raise _NoSupertype
        return type(a)(_supertype(x, y) for x, y in zip(a, b))
    if isinstance(a, collections.abc.Mapping):
        if not isinstance(b, collections.abc.Mapping) or set(a) != set(b):
            raise _NoSupertype
        return {k: _supertype(a[k], b[k]) for k in a}
    if type(a) is not type(b) or a != b:
        raise _NoSupertype
    return a


def _replace_tensor_with_spec(value: Any) -> Any:
    if isinstance(value, Tensor):
        return TensorSpec(value.shape, value.dtype)  # without the tensor's name, as TF
    if hasattr(value, "_type_spec"):
        return value._type_spec
    return value


def _change_nested_mappings_to(value: Any, new_type: type) -> Any:
    if isinstance(value, (dict, ImmutableDict)):
        return new_type([(k, _change_nested_mappings_to(v, new_type)) for k, v in value.items()])
    if isinstance(value, tuple):
        return tuple(_change_nested_mappings_to(v, new_type) for v in value)
    return value


class ExtensionTypeSpec(TypeSpec):
    """The base of every ExtensionType's ``Spec``: the value's fields with each tensor replaced by its spec
    (``tf.experimental.ExtensionTypeSpec``)."""

    value_type: type = ExtensionType  # each Spec sets its own

    def _serialize(self) -> tuple:
        return tuple((f.name, _change_nested_mappings_to(self.__dict__[f.name], dict))
                     for f in self._tf_extension_type_fields())

    @classmethod
    def _deserialize(cls, state: Any) -> "ExtensionTypeSpec":
        return _create_object_from_type_and_dict(cls, _change_nested_mappings_to(state, ImmutableDict))

    def __reduce__(self) -> tuple:
        return _deserialize_for_reduce, (self.value_type, self._serialize())

    def _to_components(self, value: Any) -> tuple:
        # the fields in the spec's order (nest would sort a dict's keys), then their tensors and composites
        value_tuple = tuple(value.__dict__[key] for key in self.__dict__)
        return tuple(x for x in nest.flatten(value_tuple) if isinstance(x, Tensor) or _is_composite(x))

    def _from_components(self, components: Any) -> Any:
        spec_tuple = tuple(self.__dict__.values())
        components_iter = iter(components)
        flat = [next(components_iter) if isinstance(x, TypeSpec) else x for x in nest.flatten(spec_tuple)]
        if list(components_iter):
            raise ValueError("Cannot build an ExtensionType instance from components because more components are "
                             "provided than the number expected by the type spec.")
        value_tuple = nest.pack_sequence_as(spec_tuple, flat)
        # the constructor is bypassed: a user's custom constructor may take other arguments
        return _create_object_from_type_and_dict(self.value_type, dict(zip(self.__dict__.keys(), value_tuple)))

    @property
    def _component_specs(self) -> tuple:
        return tuple(x for x in nest.flatten(tuple(self.__dict__.values())) if isinstance(x, TypeSpec))

    @classmethod
    def from_value(cls, value: Any) -> "ExtensionTypeSpec":
        cached = getattr(value, "_tf_extension_type_cached_type_spec", None)
        if cached is not None:
            return cached
        spec_fields = nest.map_structure(_replace_tensor_with_spec, dict(value.__dict__))
        spec_fields.pop("_tf_extension_type_cached_fields", None)
        return _create_object_from_type_and_dict(cls, spec_fields)

    def __setattr__(self, name: str, value: Any) -> None:
        if hasattr(self, _IN_CONSTRUCTOR) and self._tf_extension_type_has_field(name):
            self.__dict__[name] = value
        else:
            raise AttributeError(f"Cannot mutate attribute `{name}` outside the custom constructor of "
                                 "ExtensionTypeSpec.")

    def __delattr__(self, name: str) -> None:
        if hasattr(self, _IN_CONSTRUCTOR) and self._tf_extension_type_has_field(name):
            del self.__dict__[name]
        else:
            raise AttributeError(f"Cannot mutate attribute `{name}` outside the custom constructor of "
                                 "ExtensionTypeSpec.")

    def __validate__(self) -> None:
        """Post-construction validation of the spec's fields."""

    @classmethod
    def _tf_extension_type_fields(cls) -> tuple:
        return cls.value_type._tf_extension_type_fields()

    @classmethod
    def _tf_extension_type_has_field(cls, name: str) -> bool:
        return any(name == field.name for field in cls._tf_extension_type_fields())

    def _tf_extension_type_convert_fields(self) -> None:
        _convert_fields(self._tf_extension_type_fields(), self.__dict__, _Context.SPEC)

    def __repr__(self) -> str:
        fields = ", ".join(f"{k}={v!r}" for k, v in self._serialize())
        return f"{type(self).__qualname__}({fields})"

    def _cmp_key(self) -> tuple:
        return (type(self), _make_cmp_key(self._serialize(), self))

    def __eq__(self, other: Any) -> bool:
        return type(other) is type(self) and self._cmp_key() == other._cmp_key()

    def __ne__(self, other: Any) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return hash(self._cmp_key())

    def is_compatible_with(self, spec_or_value: Any) -> bool:
        """Whether a value or spec of the same type has compatible tensors and equal other fields."""
        if not isinstance(spec_or_value, TypeSpec):
            spec_or_value = getattr(spec_or_value, "_type_spec", None)
        if type(self) is not type(spec_or_value):
            return False
        return _is_compatible(self._serialize(), spec_or_value._serialize())

    def most_specific_common_supertype(self, others: Any) -> "ExtensionTypeSpec | None":
        """The most specific spec all of ``self`` and ``others`` conform to, or None where there is none."""
        state = self._serialize()
        for other in others:
            if type(other) is not type(self):
                return None
            try:
                state = _supertype(state, other._serialize())
            except _NoSupertype:
                return None
        return self._deserialize(state)

    def most_specific_compatible_type(self, other: Any) -> "ExtensionTypeSpec":
        found = self.most_specific_common_supertype([other])
        if found is None:
            raise ValueError(f"No TypeSpec is compatible with both {self} and {other}")
        return found


def _deserialize_for_reduce(value_type: type, serialization: tuple) -> ExtensionTypeSpec:
    return value_type.Spec._deserialize(serialization)


class BatchableExtensionTypeSpec(ExtensionTypeSpec):
    """The spec of a BatchableExtensionType: batching adds an outer dimension to each nested spec and shape."""

    def _batch(self, batch_size: int | None) -> "BatchableExtensionTypeSpec":
        def batch_field(f: Any) -> Any:
            if hasattr(f, "_batch"):
                return f._batch(batch_size)
            if isinstance(f, TensorSpec):
                return TensorSpec(TensorShape([batch_size]).concatenate(f.shape), f.dtype)
            if isinstance(f, TensorShape):
                return TensorShape([batch_size]).concatenate(f)
            if isinstance(f, TypeSpec):  # a RaggedTensor's or SparseTensor's: tf.data's rule for its spec
                from .data import composite

                return composite.batched_spec(f, batch_size)
            return f
        return _create_object_from_type_and_dict(type(self), nest.map_structure(batch_field, dict(self.__dict__)))

    def _unbatch(self) -> "BatchableExtensionTypeSpec":
        def unbatch_field(f: Any) -> Any:
            if hasattr(f, "_unbatch"):
                return f._unbatch()
            if isinstance(f, TensorSpec):
                return TensorSpec(f.shape[1:], f.dtype)
            if isinstance(f, TensorShape):
                return f[1:]
            if isinstance(f, TypeSpec):
                from .data import composite

                return composite.sliced_spec(f)
            return f
        return _create_object_from_type_and_dict(type(self), nest.map_structure(unbatch_field, dict(self.__dict__)))


class BatchableExtensionType(ExtensionType):
    """An ExtensionType whose values batch by stacking each nested tensor
    (``tf.experimental.BatchableExtensionType``)."""

    _tf_extension_type_do_not_transform_this_class = True


# ---- what the metaclass adds to a user class ----

def _check_field_annotations(cls: type) -> None:
    annotations = cls.__dict__.get("__annotations__", {})
    for name, value in cls.__dict__.items():
        if name == "Spec":
            if not isinstance(value, type):
                raise ValueError(f"{cls.__qualname__}.Spec must be a nested class; got {value}.")
            if value.__bases__ != (TypeSpec,) and value.__bases__ != (object,):
                raise ValueError(f"{cls.__qualname__}.Spec must be directly subclassed from tf.TypeSpec.")
        elif ExtensionTypeField.is_reserved_name(name):
            raise ValueError(f"The field annotations for {cls.__name__} are invalid. Field '{name}' is reserved.")
    for name in annotations:
        if ExtensionTypeField.is_reserved_name(name):
            raise ValueError(f"The field annotations for {cls.__name__} are invalid. Field '{name}' is reserved.")
    for key, value in cls.__dict__.items():
        if not (key in annotations or callable(value) or key.startswith("_abc_")
                or key == "_tf_extension_type_fields" or key.startswith("__") and key.endswith("__")
                or isinstance(value, (property, classmethod, staticmethod))):
            raise ValueError(f"The field annotations for {cls.__name__} are invalid. Field {key} is missing a type "
                             "annotation.")


def _add_extension_type_constructor(cls: type) -> None:
    if "__init__" in cls.__dict__:
        _wrap_user_constructor(cls)
    else:
        _build_constructor(cls, for_spec=False)


def _wrap_user_constructor(cls: type) -> None:
    """A user's own ``__init__`` may set fields; afterwards they are converted and validated."""
    user_constructor = cls.__init__

    @functools.wraps(user_constructor)
    def wrapped_init(self: Any, *args: Any, **kwargs: Any) -> None:
        self.__dict__[_IN_CONSTRUCTOR] = True
        user_constructor(self, *args, **kwargs)
        del self.__dict__[_IN_CONSTRUCTOR]
        self._tf_extension_type_convert_fields()
        self.__validate__()

    cls.__init__ = wrapped_init


def _build_constructor(cls: type, for_spec: bool) -> None:
    """An ``__init__`` taking the fields in order (for a value: with their defaults, and keyword-only after a
    field without a default that follows one with a default)."""
    import inspect  # on first use (a class definition): it is slow to import

    fields = cls._tf_extension_type_fields()
    keyword_only_start = len(fields)
    got_default = False
    for i, field in enumerate(fields):
        if got_default and field.default is ExtensionTypeField.NO_DEFAULT:
            keyword_only_start = i
            break
        if field.default is not ExtensionTypeField.NO_DEFAULT:
            got_default = True
    params = []
    for i, field in enumerate(fields):
        if for_spec:
            params.append(inspect.Parameter(field.name, inspect.Parameter.POSITIONAL_OR_KEYWORD))
            continue
        kind = inspect.Parameter.POSITIONAL_OR_KEYWORD if i < keyword_only_start else inspect.Parameter.KEYWORD_ONLY
        default = inspect.Parameter.empty if field.default is ExtensionTypeField.NO_DEFAULT else field.default
        params.append(inspect.Parameter(field.name, kind, default=default, annotation=field.value_type))
    signature = inspect.Signature(params, return_annotation=cls.__name__)

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:  # noqa: N807 - the class's constructor
        bound_args = signature.bind(*args, **kwargs)
        bound_args.apply_defaults()
        self.__dict__.update(bound_args.arguments)
        self._tf_extension_type_convert_fields()
        self.__validate__()

    __init__.__signature__ = inspect.Signature(
        [inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD), *params], return_annotation=cls)
    cls.__init__ = __init__


def _add_type_spec(cls: type) -> None:
    """Makes ``cls.Spec``, a subclass of ExtensionTypeSpec carrying what the user's own ``Spec`` defines."""
    spec_name = cls.__name__ + ".Spec"
    spec_qualname = cls.__qualname__ + ".Spec"
    spec_dict: dict = {"value_type": cls, "__module__": cls.__module__}
    user_spec = cls.__dict__.get("Spec", None)
    if user_spec is not None:
        for name, value in user_spec.__dict__.items():
            if ExtensionTypeField.is_reserved_name(name):
                raise ValueError(f"TypeSpec {spec_qualname} uses reserved name '{name}'.")
            if cls._tf_extension_type_has_field(name):
                raise ValueError(f"TypeSpec {spec_qualname} defines a variable '{name}' which shadows a field in "
                                 f"{cls.__qualname__}")
            if name in ("__module__", "__dict__", "__weakref__"):
                continue
            spec_dict[name] = value
    if issubclass(cls, BatchableExtensionType):
        spec_base: type = BatchableExtensionTypeSpec
    else:
        spec_base = ExtensionTypeSpec
        if hasattr(cls, "__batch_encoder__") or "__batch_encoder__" in spec_dict:
            raise ValueError("__batch_encoder__ should only be defined for BatchableExtensionType classes.")
    spec = type(spec_name, (spec_base,), spec_dict)
    spec.__qualname__ = spec_qualname
    type.__setattr__(cls, "Spec", spec)
    if "__init__" in spec.__dict__:
        _wrap_user_constructor(spec)
    else:
        _build_constructor(spec, for_spec=True)
