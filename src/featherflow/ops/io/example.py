"""``tf.train.Example`` parsing: ``tf.io.parse_example`` / ``parse_single_example`` with TF's feature specs
(``FixedLenFeature``, ``VarLenFeature``, ``FixedLenSequenceFeature``, ``RaggedFeature`` with its partitions,
``SparseFeature`` of one index key), as TF's ``ParseExampleV2`` kernel, its outputs and errors, on the host.

>>> import featherflow as tf
>>> ex = tf.train.Example(features=tf.train.Features(feature={
...     "a": tf.train.Feature(int64_list=tf.train.Int64List(value=[1, 2]))}))
>>> tf.io.parse_single_example(ex.SerializeToString(), {"a": tf.io.FixedLenFeature([2], tf.int64)})["a"].numpy()
array([1, 2])
"""

from __future__ import annotations

import collections
from typing import Any

import numpy as np

from ...device import _scope
from ...dtypes import as_dtype as _as_dtype
from ...dtypes import float32 as _float32
from ...dtypes import int32 as _int32
from ...dtypes import int64 as _int64
from ...dtypes import string as _string
from ...errors import InvalidArgumentError
from ...python_values import type_string
from ...tensor import Tensor, _make_typed_host, kernel_error
from ..convert import shape_text, tensor
from ..ragged import RaggedTensor
from ..registry import register
from ..sparse import SparseTensor
from ..strings.core import on_host
from ._list_attrs import check_list_attr
from .files import string_tensor


class VarLenFeature(collections.namedtuple("VarLenFeature", ["dtype"])):
    """A feature of any length, parsed into a ``SparseTensor``."""


class FixedLenFeature(collections.namedtuple("FixedLenFeature", ["shape", "dtype", "default_value"])):
    """A feature of exactly ``prod(shape)`` values, parsed into a dense Tensor of ``shape``; ``default_value``
    for examples that lack it (else it is required)."""

    def __new__(cls, shape: Any, dtype: Any, default_value: Any = None) -> FixedLenFeature:
        return super().__new__(cls, shape, dtype, default_value)


class FixedLenSequenceFeature(collections.namedtuple(
        "FixedLenSequenceFeature", ["shape", "dtype", "allow_missing", "default_value"])):
    """A feature of any number of rows of ``shape``, parsed into ``[batch, rows] + shape``, short examples
    padded with ``default_value`` (zeros by default)."""

    def __new__(cls, shape: Any, dtype: Any, allow_missing: bool = False,
                default_value: Any = None) -> FixedLenSequenceFeature:
        return super().__new__(cls, shape, dtype, allow_missing, default_value)


class SparseFeature(collections.namedtuple("SparseFeature",
                                           ["index_key", "value_key", "dtype", "size", "already_sorted"])):
    """A ``SparseTensor`` built from an index feature and a value feature."""

    def __new__(cls, index_key: Any, value_key: str, dtype: Any, size: Any,
                already_sorted: bool = False) -> SparseFeature:
        return super().__new__(cls, index_key, value_key, dtype, size, already_sorted)


class RaggedFeature(collections.namedtuple(
        "RaggedFeature", ["dtype", "value_key", "partitions", "row_splits_dtype", "validate"])):
    """A feature of any length, parsed into a ``RaggedTensor`` (a plain vector for one example), cut by
    ``partitions`` (outermost first) read from other features (``RowSplits("key")``, ...) or uniform."""

    RowSplits = collections.namedtuple("RowSplits", ["key"])
    RowLengths = collections.namedtuple("RowLengths", ["key"])
    RowStarts = collections.namedtuple("RowStarts", ["key"])
    RowLimits = collections.namedtuple("RowLimits", ["key"])
    ValueRowIds = collections.namedtuple("ValueRowIds", ["key"])
    UniformRowLength = collections.namedtuple("UniformRowLength", ["length"])

    def __new__(cls, dtype: Any, value_key: str | None = None, partitions: tuple = (),
                row_splits_dtype: Any = _int32, validate: bool = False) -> RaggedFeature:
        return super().__new__(cls, dtype, value_key, tuple(partitions), row_splits_dtype, validate)


_KINDS = {"float_list": _float32, "int64_list": _int64, "bytes_list": _string}
_NP = {_float32: np.float32, _int64: np.int64, _string: object}
_ATTRS = {"dense": "Tdense", "seq": "Tdense", "sparse": "sparse_types", "sparse_feature": "sparse_types",
          "ragged": "ragged_value_types"}  # the list attr that counts each kind of output


class _Error(Exception):
    """A kernel error, named once the kernel's name (its list attrs' lengths) is known."""


def _values(feature: Any) -> tuple[Any, list]:
    kind = feature.WhichOneof("kind")
    if kind is None:
        return None, []
    return _KINDS[kind], list(getattr(feature, kind).value)


def _parse(data: bytes) -> Any:
    from . import _protos

    example = _protos.Example()
    try:
        example.ParseFromString(data)
    except _protos.PARSE_ERRORS:
        raise _Error(f"Could not parse example input, value: '{data.decode('utf-8', 'replace')}'") from None
    return example.features.feature


def _name(names: list, i: int) -> str:
    return names[i].decode("utf-8", "replace") if names else "<unknown>"


def _dense(key: str, spec: tuple, rows: list, names: list) -> np.ndarray:
    _, dtype, shape, default = spec
    size = int(np.prod(shape, dtype=np.int64))
    out = np.empty((len(rows), size), dtype=_NP[dtype])
    for i, feats in enumerate(rows):
        feature = feats.get(key)
        if feature is None:
            if default is None:
                raise _Error(f"Name: {_name(names, i)}, Feature: {key} (data type: {type_string(dtype)}) is required "
                             "but could not be found.")
            out[i] = default.reshape(-1)
            continue
        kind, values = _values(feature)
        if kind is not None and kind is not dtype:
            raise _Error(f"Name: {_name(names, i)}, Key: {key}, Index: {i}.  Data types don't match. Data type: "
                         f"{type_string(kind)} but expected type: {type_string(dtype)}")
        if len(values) != size:
            raise _Error(f"Name: {_name(names, i)}, Key: {key}, Index: {i}.  Number of {type_string(dtype)} values "
                         f"!= expected.  Values size: {len(values)} but output shape: {shape_text(shape)}")
        out[i] = values
    return out.reshape((len(rows),) + tuple(shape))


def _rows(key: str, dtype: Any, rows: list) -> list:
    """Each example's values of the variable-length feature ``key`` (empty where it lacks it)."""
    found = []
    for feats in rows:
        feature = feats.get(key)
        kind, values = _values(feature) if feature is not None else (None, [])
        if kind is not None and kind is not dtype:
            raise _Error(f"Key: {key}.  Data types don't match. Expected type: {type_string(dtype)}, Actual type: "
                         f"{type_string(kind)}")
        found.append(values)
    return found


def _sequence(key: str, spec: tuple, rows: list) -> np.ndarray:
    _, dtype, shape, default = spec
    size = int(np.prod(shape, dtype=np.int64))
    values = _rows(key, dtype, rows)
    for v in values:
        if size and len(v) % size:
            raise _Error(f"Error while parsing feature with key {key}: number of elements should be divisible by "
                         f"{size}, found {len(v)} instead")
    longest = max((len(v) // size if size else 0 for v in values), default=0)
    out = np.empty((len(rows), longest * size), dtype=_NP[dtype])
    out[...] = default.reshape(-1)[0] if default is not None and default.size else (b"" if dtype is
                                                                                    _string else 0)
    for i, v in enumerate(values):
        out[i, :len(v)] = np.array(v, dtype=_NP[dtype]) if dtype is not _string else _objects(v)
    return out.reshape((len(rows), longest) + tuple(shape))


def _objects(values: list) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    for i, v in enumerate(values):
        out[i] = v
    return out


def _flat(values: list, dtype: Any) -> tuple[np.ndarray, np.ndarray]:
    """All examples' values as one array, and the row splits."""
    flat = [x for v in values for x in v]
    splits = np.zeros(len(values) + 1, dtype=np.int64)
    np.cumsum([len(v) for v in values], out=splits[1:])
    return (_objects(flat) if dtype is _string else np.array(flat, dtype=_NP[dtype])), splits


@register("ParseExampleV2", n_outputs=0, host_only=True)
def parse_example_op(xp: Any, serialized: Any, names: Any, plan: tuple) -> Any:
    counts = {k: sum(1 for p in plan if _ATTRS[p[1][0]] == k) for k in ("Tdense", "sparse_types", "ragged_value_types")}
    kernel = (f"ParseExampleV2_Tdense_{counts['Tdense']}_num_sparse_{counts['sparse_types']}_ragged_split_types_"
              f"{counts['ragged_value_types']}_ragged_value_types_{counts['ragged_value_types']}_sparse_types_"
              f"{counts['sparse_types']}")
    try:
        if serialized.ndim > 1:
            raise _Error(f"Expected serialized to be a scalar or vector, got shape: {shape_text(serialized.shape)}")
        rows = [_parse(s) for s in serialized.reshape(-1)]
        name_list = list(names.reshape(-1))
        out = []
        for entry in plan:
            key, spec = entry[0], entry[1]
            kind = spec[0]
            if kind == "dense":
                out.append(_dense(key, spec, rows, name_list))
            elif kind == "seq":
                out.append(_sequence(key, spec, rows))
            elif kind == "sparse_feature":
                out.extend(_sparse_feature(key, spec, rows))
            else:  # "sparse", "ragged": flat values and row splits (and a ragged feature's partition features')
                out.extend(_flat(_rows(key, spec[1], rows), spec[1]))
                for partition in spec[3] if kind == "ragged" else ():
                    if hasattr(partition, "key"):
                        out.extend(_flat(_rows(partition.key, _int64, rows), _int64))
    except _Error as e:
        raise InvalidArgumentError(None, None, f"{{{{function_node __wrapped__{kernel}_device_{_scope.device.name}}}}} "
                                               f"{e} [Op:ParseExampleV2] name: ") from None
    return tuple(out)


def _sparse_feature(key: str, spec: tuple, rows: list) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    _, dtype, (index_key, size, already_sorted) = spec
    values = _rows(key, dtype, rows)
    indices = _rows(index_key, _int64, rows)
    n_index, n_values = sum(map(len, indices)), sum(map(len, values))
    if n_index != n_values or any(len(v) != len(ix) for v, ix in zip(values, indices)):
        # TF merges the index and value features as two SparseTensors: their flat lengths must agree
        raise ValueError(f"Dimensions {n_index} and {n_values} are not compatible")
    for i, (v, ix) in enumerate(zip(values, indices)):
        if not already_sorted:
            order = np.argsort(np.array(ix, dtype=np.int64), kind="stable")
            values[i], indices[i] = [v[j] for j in order], [ix[j] for j in order]
    flat_values, splits = _flat(values, dtype)
    flat_index, _ = _flat(indices, _int64)
    return flat_values, splits, flat_index


def _default(key: str, dtype: Any, shape: tuple, value: Any) -> np.ndarray | None:
    if value is None:
        return None
    array = np.asarray(tensor(value, dtype=dtype).numpy(), dtype=_NP[dtype])
    size = int(np.prod(shape, dtype=np.int64))
    if array.size != size and array.size != 1:
        raise kernel_error("Reshape", f"Input to reshape is a tensor with {array.size} values, but the requested "
                                      f"shape has {size}")
    return np.broadcast_to(array.reshape(-1), (size,)).copy() if array.size == 1 else array


def _plan(features: dict) -> list:
    """(key, spec) in TF's output order: sparse features, then dense, then ragged, each sorted by key."""
    if not features:
        raise ValueError("Invalid argument: features cannot be empty.")
    sparse, dense, ragged = [], [], []
    for key in sorted(features):
        f = features[key]
        if isinstance(f, VarLenFeature):
            dtype = _as_dtype(f.dtype)
            check_list_attr(parse_example_op, "sparse_types", dtype)
            sparse.append((key, ("sparse", dtype)))
        elif isinstance(f, SparseFeature):
            dtype = _as_dtype(f.dtype)
            check_list_attr(parse_example_op, "sparse_types", dtype)
            if not isinstance(f.index_key, str):
                raise NotImplementedError("SparseFeature with several index keys is not supported by featherflow")
            size = int(f.size[0] if isinstance(f.size, (list, tuple)) else f.size)
            sparse.append((f.value_key, ("sparse_feature", dtype, (f.index_key, size, bool(f.already_sorted))),
                           key))
        elif isinstance(f, (FixedLenFeature, FixedLenSequenceFeature)):
            if f.shape is None:
                raise ValueError(f"Missing shape for feature {key}. Received feature={f}.")
            shape = tuple(int(d) for d in f.shape)
            for d in shape:
                if d < 0:
                    raise ValueError(f"Dimension {d} must be >= 0")
            dtype = _as_dtype(f.dtype)
            kind = "dense" if isinstance(f, FixedLenFeature) else "seq"
            if kind == "seq" and not f.allow_missing:
                raise ValueError("Unsupported: FixedLenSequenceFeature requires allow_missing to be True.")
            check_list_attr(parse_example_op, "Tdense", dtype)
            dense.append((key, (kind, dtype, shape, _default(key, dtype, shape, f.default_value))))
        elif isinstance(f, RaggedFeature):
            dtype = _as_dtype(f.dtype)
            check_list_attr(parse_example_op, "ragged_value_types", dtype)
            ragged.append((f.value_key or key, ("ragged", dtype, _as_dtype(f.row_splits_dtype),
                                                tuple(f.partitions)), key))
        else:
            raise ValueError(f"Unsupported feature type: {type(f).__name__}")
    return sparse + dense + ragged


def _host(array: np.ndarray) -> Tensor:
    return _make_typed_host(array)


def _assemble(plan: list, outputs: tuple, batch: int | None) -> dict:
    """The op's flat outputs as TF's result: dense Tensors, SparseTensors, RaggedTensors (or vectors)."""
    result: dict = {}
    it = iter(outputs)
    for entry in plan:
        key, spec = entry[0], entry[1]
        out_key = entry[2] if len(entry) > 2 else key
        kind = spec[0]
        if kind in ("dense", "seq"):
            dense = next(it)
            result[out_key] = _host(dense[0] if batch is None else dense)
            continue
        values, splits = next(it), next(it)
        index = next(it) if kind == "sparse_feature" else None
        lengths = np.diff(splits)
        if kind == "ragged":
            split_type = np.dtype(spec[2].as_numpy_dtype)
            partitions = [(p, *((next(it), next(it)) if hasattr(p, "key") else (None, None))) for p in spec[3]]
            if partitions:
                result[out_key] = _partitioned(values, splits, partitions, split_type, batch)
            elif batch is None:
                result[out_key] = _host(values)
            else:
                result[out_key] = RaggedTensor.from_row_splits(_host(values), _host(splits.astype(split_type)),
                                                               validate=False)
            continue
        rows = np.repeat(np.arange(len(lengths), dtype=np.int64), lengths)
        inner = index if index is not None else (np.arange(len(values), dtype=np.int64) - np.repeat(splits[:-1],
                                                                                                    lengths))
        width = spec[2][1] if kind == "sparse_feature" else int(lengths.max(initial=0))
        if batch is None:
            indices, shape = inner.reshape(-1, 1), np.array([width], dtype=np.int64)
        else:
            indices, shape = np.stack([rows, inner], axis=1), np.array([len(lengths), width], dtype=np.int64)
        result[out_key] = SparseTensor(_host(indices.astype(np.int64)), _host(values), _host(shape))
    return result


_FACTORIES = {"RowSplits": "from_row_splits", "RowLengths": "from_row_lengths", "RowStarts": "from_row_starts",
              "RowLimits": "from_row_limits", "ValueRowIds": "from_value_rowids"}


def _partitioned(values: np.ndarray, splits: np.ndarray, partitions: list, split_type: np.dtype,
                 batch: int | None) -> Any:
    """A ragged feature's values cut by its partitions (outermost first), per example; a batch stacks them."""
    examples = []
    for i in range(len(splits) - 1):
        rt: Any = _host(values[splits[i]:splits[i + 1]])
        for partition, part_values, part_splits in reversed(partitions):
            kind = type(partition).__name__
            if kind == "UniformRowLength":
                rt = RaggedTensor.from_uniform_row_length(rt, _host(np.array(partition.length, dtype=split_type)),
                                                          validate=False)
                continue
            row = _host(part_values[part_splits[i]:part_splits[i + 1]].astype(split_type))
            rt = getattr(RaggedTensor, _FACTORIES[kind])(rt, row, validate=False)
        examples.append(rt)
    if batch is None:
        return examples[0]
    from ..ragged import stack

    return stack(examples)


def _run(serialized: Any, features: dict, example_names: Any, single: bool) -> dict:
    plan = _plan(features)
    s = serialized if isinstance(serialized, Tensor) else tensor(serialized)
    if s.dtype is not _string:  # TF's Python converts the input first, then asks for strings
        raise ValueError(f"Tensor conversion requested dtype string for Tensor with dtype {s.dtype.name}: {s!r}")
    if single and s.shape.rank != 0:
        raise ValueError("Input serialized must be a scalar")
    names = string_tensor(example_names if example_names is not None else np.array([], dtype=object),
                          "ParseExampleV2", 1)
    outputs = parse_example_op(s, names, plan=tuple(plan))
    rank = s.shape.rank
    return _assemble(plan, tuple(o.numpy() for o in outputs), None if rank == 0 else len(s.numpy().reshape(-1)))


@on_host
def parse_example(serialized: Any, features: dict, example_names: Any = None, name: str | None = None) -> dict:
    """Parses a batch of serialized ``tf.train.Example`` protos into a dict of tensors, one per feature spec
    (``tf.io.parse_example``)."""
    return _run(serialized, features, example_names, single=False)


@on_host
def parse_single_example(serialized: Any, features: dict, example_names: Any = None,
                         name: str | None = None) -> dict:
    """Parses one serialized ``tf.train.Example`` (a scalar string) (``tf.io.parse_single_example``)."""
    return _run(serialized, features, example_names, single=True)
