"""``tf.nest``: flatten and rebuild nested structures (lists, tuples, namedtuples, mappings, attrs classes).

Mappings are walked in sorted key order (also OrderedDicts, as TF does); strings, sets, tensors, arrays and
None are leaves.

>>> import featherflow as tf
>>> tf.nest.flatten({"b": [1, 2], "a": 3})
[3, 1, 2]
>>> tf.nest.map_structure(lambda x: x * 10, (1, [2, 3]))
(10, [20, 30])
"""

from __future__ import annotations

import collections
from collections.abc import Mapping, MappingView, MutableMapping, Sequence
from typing import Any, Callable, Iterator

__all__ = ["assert_same_structure", "flatten", "flatten_with_joined_string_paths", "flatten_with_tuple_paths",
           "is_nested", "map_structure", "pack_sequence_as"]


def _is_attrs(x: Any) -> bool:
    return hasattr(type(x), "__attrs_attrs__")


def _is_namedtuple(x: Any) -> bool:
    """A tuple (subclass) whose ``_fields`` is a sequence of strings (TF's IsNamedtuple, non-strict)."""
    if not isinstance(x, tuple):
        return False
    fields = getattr(x, "_fields", None)
    return isinstance(fields, Sequence) and all(isinstance(f, str) for f in fields)


def _nested_type(t: type) -> bool:
    if issubclass(t, (str, bytes)):
        return False
    return issubclass(t, (Sequence, Mapping, MappingView)) or hasattr(t, "__attrs_attrs__")


# Whether a type nests, by type (as TF's C++ caches it): ABC checks are slow and run once per leaf otherwise
_NESTED_BY_TYPE: dict = {list: True, tuple: True, dict: True, str: False, bytes: False, int: False, float: False,
                         bool: False, type(None): False}


def is_nested(seq: Any) -> bool:
    """Whether ``seq`` is a structure nest descends into: a non-string sequence, a mapping, a mapping view or
    an attrs instance (``tf.nest.is_nested``).

    >>> is_nested([1]), is_nested("ab"), is_nested(None)
    (True, False, False)
    """
    t = type(seq)
    nested = _NESTED_BY_TYPE.get(t)
    if nested is None:
        nested = _nested_type(t)
        if len(_NESTED_BY_TYPE) < 1024:
            _NESTED_BY_TYPE[t] = nested
    return nested


def _children(structure: Any) -> list:
    """The direct children of a nested value, in nest's order (what TF's C++ flatten iterates)."""
    if isinstance(structure, Mapping):
        return [structure[k] for k in sorted(structure.keys())]  # unsortable keys: Python's own TypeError
    if _is_attrs(structure):
        return [getattr(structure, a.name) for a in type(structure).__attrs_attrs__]
    return list(structure)


def _sorted_keys(mapping: Mapping) -> list:
    try:
        return sorted(mapping.keys())
    except TypeError:
        raise TypeError("nest only supports dicts with sortable keys.") from None


def _items(structure: Any) -> list:
    """(key, child) pairs: list/tuple indices, sorted mapping keys, attrs and namedtuple field names."""
    if isinstance(structure, list) or type(structure) is tuple:
        return list(enumerate(structure))
    if isinstance(structure, Mapping):
        return [(k, structure[k]) for k in _sorted_keys(structure)]
    if _is_attrs(structure):
        return [(a.name, getattr(structure, a.name)) for a in type(structure).__attrs_attrs__]
    if _is_namedtuple(structure):
        return [(f, getattr(structure, f)) for f in structure._fields]
    return list(enumerate(structure))


def _flatten_into(structure: Any, out: list) -> None:
    if not is_nested(structure):
        out.append(structure)
        return
    for child in _children(structure):
        _flatten_into(child, out)


def flatten(structure: Any, expand_composites: bool = False) -> list:
    """The leaves of ``structure``, depth first; a leaf gives ``[leaf]`` (``tf.nest.flatten``).

    >>> flatten([1, (2, {"y": 3, "x": None})])
    [1, 2, None, 3]
    """
    out: list = []
    if expand_composites:
        _flatten_expanding(structure, out)
    else:
        _flatten_into(structure, out)
    return out


# Composite values (RaggedTensor, SparseTensor) take part through a protocol, as TF's CompositeTensor does (this
# module cannot import ops): the value has ``_to_components()`` (its tensors, in TF's order) and a ``_type_spec``
# whose ``_from_components(components)`` rebuilds a value of that type. With ``expand_composites=True`` nest
# treats a composite as a sequence of its components.
def is_composite(value: Any) -> bool:
    """Whether ``value`` is a composite tensor (a RaggedTensor, a SparseTensor)."""
    return hasattr(type(value), "_to_components")


def _flatten_expanding(structure: Any, out: list) -> None:
    if is_nested(structure):
        for child in _children(structure):
            _flatten_expanding(child, out)
    elif is_composite(structure):
        for component in structure._to_components():
            _flatten_expanding(component, out)
    else:
        out.append(structure)


def _pack_expanding(structure: Any, flat: Any, index: int) -> tuple[int, Any]:
    """Rebuilds ``structure`` from ``flat[index:]``, composites from their components: (next index, value)."""
    if is_nested(structure):
        packed = []
        for child in _children_for_pack(structure):
            index, value = _pack_expanding(child, flat, index)
            packed.append(value)
        return index, _sequence_like(structure, packed)
    if is_composite(structure):
        components = []
        for component in structure._to_components():
            index, value = _pack_expanding(component, flat, index)
            components.append(value)
        return index, structure._type_spec._from_components(components)
    if index >= len(flat):
        raise IndexError
    return index + 1, flat[index]


def _specs_compatible(a: Any, b: Any) -> bool:
    """TF's test for two composites' specs (a common supertype exists): same kind, dtype, rank and partitioning."""
    if hasattr(a, "most_specific_common_supertype") and not hasattr(a, "dtype"):  # an ExtensionType's spec
        return a.most_specific_common_supertype([b]) is not None
    if type(a) is not type(b) or a.dtype != b.dtype or a.shape.rank != b.shape.rank:
        return False
    return all(getattr(a, attr, None) == getattr(b, attr, None) for attr in ("ragged_rank", "row_splits_dtype"))


def _sequence_like(instance: Any, args: list) -> Any:
    """A container of ``instance``'s type holding ``args`` (in nest's order), as TF's sequence_like."""
    if isinstance(instance, MutableMapping):
        result = dict(zip(_sorted_keys(instance), args))
        if type(instance) is collections.defaultdict:
            rebuilt: Any = collections.defaultdict(instance.default_factory)
        else:
            rebuilt = type(instance)()
        for key in instance:  # the instance's own key order, values by key
            rebuilt[key] = result[key]
        return rebuilt
    if isinstance(instance, Mapping):
        result = dict(zip(_sorted_keys(instance), args))
        try:
            return type(instance)((key, result[key]) for key in instance)
        except TypeError as err:
            raise TypeError(f"Error creating an object of type {type(instance)} like {instance}. Note that it must "
                            "accept a single positional argument representing an iterable of key-value pairs, in "
                            f"addition to self. Cause: {err}") from None
    if isinstance(instance, MappingView):
        return list(args)
    if _is_namedtuple(instance) or _is_attrs(instance):
        return type(instance)(*args)
    if isinstance(instance, range):
        return list(args)
    return type(instance)(args)


def _pack(structure: Any, flat: Any, index: int) -> tuple[int, list]:
    packed = []
    for child in _children_for_pack(structure):
        if is_nested(child):
            index, sub = _pack(child, flat, index)
            packed.append(_sequence_like(child, sub))
        else:
            packed.append(flat[index])
            index += 1
    return index, packed


def _children_for_pack(structure: Any) -> list:
    return [v for _, v in _items(structure)]


def _truncate(value: Any, length: int = 100) -> str:
    text = str(value)
    return text[:length] + (text[length:] and "...")


def pack_sequence_as(structure: Any, flat_sequence: Any, expand_composites: bool = False) -> Any:
    """Rebuilds ``structure`` with the leaves taken in order from ``flat_sequence`` (``tf.nest.pack_sequence_as``).

    >>> pack_sequence_as({"b": [0, 0], "a": 0}, [1, 2, 3])
    {'b': [2, 3], 'a': 1}
    """
    if not is_nested(flat_sequence):
        raise TypeError(f"Attempted to pack value:\n  {_truncate(flat_sequence)}\ninto a structure, but found "
                        f"incompatible type `{type(flat_sequence)}` instead.")
    if expand_composites and (is_composite(structure) or is_nested(structure)):
        try:
            final_index, packed = _pack_expanding(structure, flat_sequence, 0)
        except IndexError:
            final_index = -1
        if final_index != len(flat_sequence):
            n = len(flatten(structure, expand_composites=True))
            raise ValueError(f"Could not pack sequence. Structure had {n} atoms, but flat_sequence had "
                             f"{len(flat_sequence)} items.  Structure: {structure}, flat_sequence: "
                             f"{flat_sequence}.")
        return packed
    if not is_nested(structure):
        if len(flat_sequence) != 1:
            raise ValueError(f"The target structure is of type `{type(structure)}`\n  {_truncate(structure)}\n"
                             f"However the input is a sequence ({type(flat_sequence)}) of length "
                             f"{len(flat_sequence)}.\n  {_truncate(flat_sequence)}\nnest cannot guarantee that it is "
                             "safe to map one to the other.")
        return flat_sequence[0]
    try:
        final_index, packed = _pack(structure, flat_sequence, 0)
        if final_index < len(flat_sequence):
            raise IndexError
    except IndexError:
        n = len(flatten(structure))
        if n != len(flat_sequence):
            raise ValueError(f"Could not pack sequence. Structure had {n} atoms, but flat_sequence had "
                             f"{len(flat_sequence)} items.  Structure: {structure}, flat_sequence: "
                             f"{flat_sequence}.") from None
    return _sequence_like(structure, packed)


# TF's C++ names classes by their type name; featherflow's tensors and variables under TF's class names
_TF_CLASS_NAMES = {("featherflow.tensor", "Tensor"): "EagerTensor",
                   ("featherflow.variable", "Variable"): "ResourceVariable"}


def _describe(x: Any) -> str:
    t = type(x)
    name = _TF_CLASS_NAMES.get((t.__module__, t.__name__), t.__name__.rpartition(".")[2])  # "MT.Spec": "Spec"
    return f"type={name} str={str(x)}"  # str(): a 0-d tensor formats as its bare value


def _tp_name(t: type) -> str:
    """CPython's ``tp_name``: module-qualified for classes implemented in C outside builtins."""
    if t.__flags__ & (1 << 9) or t.__module__ == "builtins":  # Py_TPFLAGS_HEAPTYPE: a class defined in Python
        return t.__name__
    return f"{t.__module__}.{t.__name__}"


def _same_namedtuples(a: Any, b: Any) -> bool:
    return a._fields == b._fields and type(a).__name__ == type(b).__name__


def _structure_mismatch(a: Any, b: Any, check_types: bool, expand: bool = False) -> tuple[str, bool] | None:
    """The first difference between two structures as (message, is_type_error), or None (TF's C++ helper);
    ``expand``: composites are sequences, equal when their specs are compatible."""
    seq_a, seq_b = is_nested(a), is_nested(b)
    if expand:
        composite_a, composite_b = is_composite(a), is_composite(b)
        if composite_a and composite_b:
            spec_a, spec_b = a._type_spec, b._type_spec
            if _specs_compatible(spec_a, spec_b):
                return None
            return f"Incompatible CompositeTensor TypeSpecs: {_describe(spec_a)} vs. {_describe(spec_b)}", False
        seq_a, seq_b = seq_a or composite_a, seq_b or composite_b
    if seq_a != seq_b:
        seq, non_seq = (a, b) if seq_a else (b, a)
        return f'Substructure "{_describe(seq)}" is a sequence, while substructure "{_describe(non_seq)}" is not', False
    if not seq_a:
        return None
    if check_types:
        type_a, type_b = type(a), type(b)
        if _is_namedtuple(a) and _is_namedtuple(b):
            different = not _same_namedtuples(a, b)
        else:
            different = (type_a is not type_b and not (isinstance(a, list) and isinstance(b, list))
                         and not (isinstance(a, Mapping) and isinstance(b, Mapping)))
        if different:
            return (f"The two namedtuples don't have the same sequence type. First structure {_describe(a)} has type "
                    f"{_tp_name(type_a)}, while second structure {_describe(b)} has type {_tp_name(type_b)}", True)
        if isinstance(a, Mapping) and (len(a) != len(b) or any(k not in b for k in a)):
            return (f"The two dictionaries don't have the same set of keys. First structure has keys "
                    f"{_describe(list(a.keys()))}, while second structure has keys {_describe(list(b.keys()))}", False)
    children_a, children_b = _children(a), _children(b)
    for child_a, child_b in zip(children_a, children_b):
        found = _structure_mismatch(child_a, child_b, check_types, expand)
        if found is not None:
            return found
    if len(children_a) != len(children_b):
        return (f"The two structures don't have the same number of elements. First structure: {_describe(a)}. "
                f"Second structure: {_describe(b)}", False)
    return None


class _Dot:
    """A leaf that prints as ``.``: TF's error messages draw structures with it."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "."


_DOT = _Dot()


def assert_same_structure(nest1: Any, nest2: Any, check_types: bool = True, expand_composites: bool = False) -> None:
    """Raises ValueError (TypeError when container types differ) unless both structures nest the same way
    (``tf.nest.assert_same_structure``).

    >>> assert_same_structure([1, (2, 3)], ["a", ("b", "c")])
    """
    found = _structure_mismatch(nest1, nest2, bool(check_types), bool(expand_composites))
    if found is None:
        return
    message, is_type_error = found
    drawing1 = str(map_structure(lambda _: _DOT, nest1))
    drawing2 = str(map_structure(lambda _: _DOT, nest2))
    cls = TypeError if is_type_error else ValueError
    raise cls(f"The two structures don't have the same nested structure.\n\nFirst structure: {_describe(nest1)}\n\n"
              f"Second structure: {_describe(nest2)}\n\nMore specifically: {message}\nEntire first structure:\n"
              f"{drawing1}\nEntire second structure:\n{drawing2}")


def map_structure(func: Callable, *structure: Any, **kwargs: Any) -> Any:
    """Applies ``func`` to corresponding leaves; the result has the first structure's shape
    (``tf.nest.map_structure``; keyword arguments ``check_types`` and ``expand_composites``).

    >>> map_structure(lambda x, y: x + y, [1, (2,)], [10, (20,)])
    [11, (22,)]
    """
    if not callable(func):
        raise TypeError(f"func must be callable, got: {func}")
    if not structure:
        raise ValueError("Must provide at least one structure")
    check_types = kwargs.pop("check_types", True)
    expand = bool(kwargs.pop("expand_composites", False))
    if kwargs:
        raise ValueError("Only valid keyword arguments are `check_types` and `expand_composites`, not: `"
                         + "`, `".join(kwargs.keys()) + "`")
    for other in structure[1:]:
        assert_same_structure(structure[0], other, check_types=check_types, expand_composites=expand)
    flats = [flatten(s, expand) for s in structure]
    return pack_sequence_as(structure[0], [func(*leaves) for leaves in zip(*flats)], expand_composites=expand)


def _paths(structure: Any, prefix: tuple, expand: bool = False) -> Iterator[tuple]:
    if expand and is_composite(structure):  # TF's path to a component: the composite's type name, its index
        for i, component in enumerate(structure._to_components()):
            yield from _paths(component, prefix + (type(structure).__name__, i), expand)
        return
    if not is_nested(structure):
        yield prefix, structure
        return
    for key, child in _items(structure):
        yield from _paths(child, prefix + (key,), expand)


def flatten_with_tuple_paths(structure: Any, expand_composites: bool = False) -> list:
    """``(path, leaf)`` pairs, a path being the tuple of keys/indices/field names leading to the leaf.

    >>> flatten_with_tuple_paths({"a": [5, 6]})
    [(('a', 0), 5), (('a', 1), 6)]
    """
    return list(_paths(structure, (), bool(expand_composites)))


def flatten_with_joined_string_paths(structure: Any, separator: str = "/", expand_composites: bool = False) -> list:
    """``(path, leaf)`` pairs with each path joined into a string by ``separator``.

    >>> flatten_with_joined_string_paths({"a": [5, 6]})
    [('a/0', 5), ('a/1', 6)]
    """
    return [(separator.join(str(p) for p in path), leaf)
            for path, leaf in _paths(structure, (), bool(expand_composites))]
