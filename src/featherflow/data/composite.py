"""Composite elements in ``tf.data``: slicing, batching and unbatching RaggedTensors and SparseTensors, and their
element specs (``RaggedTensorSpec``, ``SparseTensorSpec``).

Pipelines run on the host (as the dense ones in ``dataset`` do): components are read once as NumPy arrays and
the results are host tensors.

>>> import featherflow as tf
>>> rt = tf.ragged.constant([[1, 2], [3], [4, 5, 6]])
>>> [x.numpy().tolist() for x in tf.data.Dataset.from_tensor_slices(rt)]
[[1, 2], [3], [4, 5, 6]]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import nest
from ..shape import TensorShape
from ..tensor import Tensor, _make_typed_host
from ..tensor_spec import TensorSpec, TypeSpec


class NoneTensorSpec(TypeSpec):
    """The spec of a None component (TF's ``NoneTensorSpec``): tf.data carries None through slicing, batching
    and maps unchanged (Keras passes None for an optional input)."""

    __slots__ = ()

    @property
    def value_type(self) -> type:
        return type(None)

    def is_compatible_with(self, spec_or_value: Any) -> bool:
        return spec_or_value is None or isinstance(spec_or_value, NoneTensorSpec)

    def most_specific_common_supertype(self, others: Any) -> Any:
        return self if all(isinstance(o, NoneTensorSpec) for o in others) else None

    def __eq__(self, other: Any) -> bool:
        return type(other) is NoneTensorSpec

    def __hash__(self) -> int:
        return hash(NoneTensorSpec)

    def __repr__(self) -> str:
        return "NoneTensorSpec()"


def is_composite(value: Any) -> bool:
    """Whether ``value`` is a RaggedTensor or a SparseTensor (anything with TF's components protocol)."""
    return hasattr(type(value), "_to_components")


def _ragged_types() -> tuple:
    from ..ops.ragged.spec import RaggedTensorSpec
    from ..ops.ragged.tensor import RaggedTensor

    return RaggedTensor, RaggedTensorSpec


def _sparse_types() -> tuple:
    from ..ops.sparse.tensor import SparseTensor, SparseTensorSpec

    return SparseTensor, SparseTensorSpec


def spec_of(value: Any) -> Any:
    """The element spec of one value: a TensorSpec, or the composite's (or nested dataset's) own spec."""
    if value is None:
        return NoneTensorSpec()
    if is_composite(value) or getattr(type(value), "_is_dataset", False):
        return value._type_spec
    return TensorSpec(value.shape, value.dtype)


def structure_spec(element: Any) -> Any:
    """The element spec of a nested structure of values."""
    return nest.map_structure(spec_of, element)


def structure_tensors(value: Any) -> Any:
    """tf.data's view of structure: tuples, namedtuples and dicts nest; lists are values (one tensor)."""
    if isinstance(value, dict):
        return type(value)((k, structure_tensors(v)) for k, v in value.items())
    if isinstance(value, tuple):
        items = [structure_tensors(v) for v in value]
        return type(value)(*items) if hasattr(type(value), "_fields") else tuple(items)
    if value is None or is_composite(value) or getattr(type(value), "_is_dataset", False):
        return value  # Ragged/Sparse/Dataset: one value each; None: carried as it is
    from ..ops.convert import tensor

    return tensor(value)


def nrows(value: Any) -> int:
    """The size of ``value``'s first dimension (what slicing it iterates over); None for a None component."""
    if value is None:
        return None
    if isinstance(value, Tensor):
        if value._value.ndim == 0:
            raise ValueError(f"Unbatching a tensor is only supported for rank >= 1 (got {value!r}).")
        return int(value._value.shape[0])
    if _is_batchable_extension_type(value):  # its tensors are batched alike: the first one's rows
        return nrows(value._to_components()[0])
    shape = value.shape
    if shape.rank == 0:
        raise ValueError("Unbatching a tensor is only supported for rank >= 1.")
    if shape[0] is None:
        return int(value.nrows().numpy())
    return int(shape[0])


def sliced_spec(spec: Any) -> Any:
    """The spec of one row of a value of ``spec`` (TF's ``_unbatch``): a ragged spec loses one ragged rank."""
    if isinstance(spec, NoneTensorSpec):
        return spec
    if isinstance(spec, TensorSpec):
        return TensorSpec(spec.shape[1:], spec.dtype)
    if hasattr(spec, "_unbatch") and hasattr(spec, "_tf_extension_type_fields"):  # a BatchableExtensionType's
        return spec._unbatch()
    ragged, ragged_spec = _ragged_types()
    if isinstance(spec, ragged_spec):
        return ragged_spec(spec.shape[1:], spec.dtype, spec.ragged_rank - 1, spec.row_splits_dtype)
    return type(spec)(spec.shape[1:], spec.dtype)


def batched_spec(spec: Any, lead: int | None) -> Any:
    """The spec of a batch of values of ``spec`` (TF's ``_batch``): ragged specs gain one ragged rank."""
    if isinstance(spec, NoneTensorSpec):
        return spec
    shape = TensorShape([lead]).concatenate(spec.shape)
    if isinstance(spec, TensorSpec):
        return TensorSpec(shape, spec.dtype)
    ragged, ragged_spec = _ragged_types()
    if isinstance(spec, ragged_spec):
        return ragged_spec(shape, spec.dtype, spec.ragged_rank + 1, spec.row_splits_dtype)
    return type(spec)(shape, spec.dtype)


def row(value: Any, i: int) -> Any:
    """Row ``i`` of ``value`` as a host value (a ragged row with ragged rank 0 is a Tensor, as in TF)."""
    if value is None:
        return None
    if isinstance(value, Tensor):
        return _make_typed_host(value._numpy()[i, ...])
    sparse, _ = _sparse_types()
    if isinstance(value, sparse):
        indices = value.indices._numpy()
        keep = indices[:, 0] == i
        return sparse(_make_typed_host(indices[keep][:, 1:]), _make_typed_host(value.values._numpy()[keep]),
                      _make_typed_host(value.dense_shape._numpy()[1:]))
    if _is_batchable_extension_type(value):  # row i of each of its tensors, under its unbatched spec
        return value._type_spec._unbatch()._from_components([row(c, i) for c in value._to_components()])
    return value[i]


def _is_batchable_extension_type(value: Any) -> bool:
    spec = getattr(value, "_type_spec", None)
    return hasattr(spec, "_unbatch") and hasattr(spec, "_tf_extension_type_fields")


def _ragged_parts(part: Any) -> tuple[np.ndarray, list]:
    """(flat values, nested row splits) of a Tensor or RaggedTensor, as NumPy arrays."""
    if isinstance(part, Tensor):
        return part._numpy(), []
    return part.flat_values._numpy(), [s._numpy() for s in part.nested_row_splits]


def stack_ragged(parts: list, spec: Any, element_shape: list | None = None) -> Any:
    """A RaggedTensor whose rows are ``parts`` (Tensors or RaggedTensors of one ragged rank): what ``batch``
    makes of ragged elements. A ragged dimension ``element_shape`` (the elements' static shape) knows is uniform
    (TF sets the batched spec's shape on the value)."""
    ragged, _ = _ragged_types()
    split_type = spec.row_splits_dtype._np
    flats, levels = zip(*[_ragged_parts(p) for p in parts])
    outer = np.concatenate([[0], np.cumsum([nrows(p) for p in parts])])
    nested = [outer.astype(split_type)]
    for level in range(len(levels[0])):
        pieces, offset = [], 0
        for splits in (lv[level] for lv in levels):
            pieces.append(splits[:-1] + offset)
            offset += int(splits[-1])
        nested.append(np.concatenate(pieces + [[offset]]).astype(split_type))
    result = _make_typed_host(np.concatenate(flats), spec.dtype)
    lengths = (list(element_shape) + [None] * len(nested))[:len(nested)] if element_shape else [None] * len(nested)
    for splits, length in reversed(list(zip(nested, lengths))):
        result = ragged(result, _make_typed_host(splits), internal=True, uniform_row_length=length)
    return result


def stack_sparse(parts: list) -> Any:
    """A SparseTensor whose rows are ``parts`` (SparseTensors of one rank): indices gain the batch position in
    front, the dense shape is the largest of the parts' (TF's batching of sparse elements)."""
    sparse, _ = _sparse_types()
    indices = [p.indices._numpy() for p in parts]
    batched = np.concatenate([np.concatenate([np.full((len(ix), 1), b, np.int64), ix], axis=1)
                              for b, ix in enumerate(indices)])
    values = np.concatenate([p.values._numpy() for p in parts])
    dense = np.max(np.stack([p.dense_shape._numpy() for p in parts]), axis=0)
    return sparse(_make_typed_host(batched), _make_typed_host(values, parts[0].dtype),
                  _make_typed_host(np.concatenate([[len(parts)], dense]).astype(np.int64)))


def stack(parts: list, spec: Any) -> Any:
    """The batch of ``parts`` (values of ``spec``)."""
    if isinstance(spec, NoneTensorSpec):
        return None
    if isinstance(spec, TensorSpec):
        from ..ops.array.core import stack as dense_stack

        return dense_stack(parts)
    sparse, _ = _sparse_types()
    if isinstance(parts[0], sparse):
        return stack_sparse(parts)
    return stack_ragged(parts, spec, spec.shape.as_list() if spec.shape.rank is not None else None)


def to_numpy(value: Any) -> Any:
    """What ``as_numpy_iterator`` yields for one value (a SparseTensor: its dense array, as TF 2.21 prints)."""
    sparse, _ = _sparse_types()
    if isinstance(value, sparse):
        from ..ops.sparse.api import to_dense

        return to_dense(value).numpy()
    return value.numpy()


def ragged_batch_spec(spec: Any, lead: int | None, row_splits_dtype: Any, known: bool) -> tuple[Any, int]:
    """(batched spec, ragged rank to give each element) for ``ragged_batch``: a Tensor whose shape is not
    fully known (``known`` False: the shape came from one element, as a map's) becomes ragged up to its last
    unknown dimension, as TF's ``dense_to_ragged_batch``; -1: batched as it is."""
    if not isinstance(spec, TensorSpec) or spec.shape.rank == 0:
        return batched_spec(spec, lead), -1
    dims = spec.shape.as_list()
    if not known:  # a map's spec: its first dimension is taken to vary between elements
        dims[0] = None
    if None not in dims:
        return batched_spec(spec, lead), -1
    element_rank = max(i for i, d in enumerate(dims) if d is None)
    _, ragged_spec = _ragged_types()
    batched = ragged_spec([lead] + dims, spec.dtype, element_rank + 1, row_splits_dtype)
    return batched, element_rank


def to_ragged(value: Tensor, ragged_rank: int, row_splits_dtype: Any) -> Any:
    """``value`` as a RaggedTensor of ``ragged_rank`` (0: the Tensor itself)."""
    if ragged_rank == 0:
        return value
    ragged, _ = _ragged_types()
    return ragged.from_tensor(value, ragged_rank=ragged_rank, row_splits_dtype=row_splits_dtype)


_STAND_IN_LIMIT = 1 << 22  # elements


def stand_in(element_spec: Any, size: int = 0, fill: int = 0) -> Any:
    """An element of ``element_spec`` filled with ``fill`` (unknown dimensions ``size``), for running a function
    to learn its output's spec (TF traces the function on the spec instead); None when the spec has composites or
    unknown ranks."""
    specs = nest.flatten(element_spec)
    sparse, sparse_spec = _sparse_types()
    if not specs or any(type(s) is not NoneTensorSpec and (type(s) not in (TensorSpec, sparse_spec)
                                                           or s.shape.rank is None) for s in specs):
        return None
    shapes = [[] if type(s) is NoneTensorSpec else [size if d is None else d for d in s.shape.as_list()]
              for s in specs]
    if sum(int(np.prod(shape)) for shape in shapes) > _STAND_IN_LIMIT:
        return None  # running the function on made-up data that large would cost as much as on real data
    values = []
    for s, shape in zip(specs, shapes):
        if type(s) is NoneTensorSpec:
            values.append(None)
            continue
        if type(s) is sparse_spec:  # no entries: the outputs' sizes come from the first element
            values.append(sparse(_make_typed_host(np.zeros((0, len(shape)), np.int64)),
                                 _make_typed_host(np.zeros((0,), object if s.dtype.name == "string" else s.dtype._np),
                                                  s.dtype),
                                 _make_typed_host(np.array(shape, np.int64))))
            continue
        if s.dtype.name == "string":
            array = np.empty(shape, dtype=object)
            array.fill(str(fill).encode() if fill else b"")
        else:  # one value seen through zero strides: no memory for the shape
            array = np.broadcast_to(np.array(fill).astype(s.dtype._np), shape)
        values.append(_make_typed_host(array, s.dtype))
    return nest.pack_sequence_as(element_spec, values)


def common_spec(a: Any, b: Any) -> Any:
    """The most specific spec both ``a`` and ``b`` fit (None when they do not share dtypes and structure)."""
    if type(a) is not type(b) or getattr(a, "dtype", None) != getattr(b, "dtype", None):
        return None
    if a == b:
        return a
    if not isinstance(a, TensorSpec):
        return None
    if a.shape.rank is None or b.shape.rank is None or a.shape.rank != b.shape.rank:
        return TensorSpec(TensorShape(None), a.dtype)
    dims = [x if x == y else None for x, y in zip(a.shape.as_list(), b.shape.as_list())]
    return TensorSpec(dims, a.dtype)
