"""``tf.train.SequenceExample`` parsing: ``tf.io.parse_single_sequence_example`` and ``parse_sequence_example``,
as TF's ``ParseSequenceExampleV2``: context features as in ``parse_example``; feature lists as
``FixedLenSequenceFeature`` (dense steps, padded across a batch, with their lengths), ``VarLenFeature``
(a SparseTensor over steps) or ``RaggedFeature`` (a RaggedTensor of steps), on the host.

>>> import featherflow as tf
>>> seq = tf.train.SequenceExample(feature_lists=tf.train.FeatureLists(feature_list={"x": tf.train.FeatureList(
...     feature=[tf.train.Feature(int64_list=tf.train.Int64List(value=[i])) for i in range(3)])}))
>>> tf.io.parse_single_sequence_example(seq.SerializeToString(), None,
...     {"x": tf.io.FixedLenSequenceFeature([], tf.int64)})[1]["x"].numpy()
array([0, 1, 2])
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...device import _scope
from ...dtypes import string as _string
from ...errors import InvalidArgumentError
from ...python_values import type_string
from ...tensor import Tensor
from ..convert import shape_text, tensor
from ..ragged import RaggedTensor
from ..registry import register
from ..sparse import SparseTensor
from ..strings.core import on_host
from .example import (
    _NP,
    FixedLenFeature,
    FixedLenSequenceFeature,
    RaggedFeature,
    _assemble,
    _dense,
    _Error,
    _flat,
    _host,
    _objects,
    _plan,
    _rows,
    _sparse_feature,
    _values,
)
from .files import string_tensor


def _kernel(context: list, lists: list) -> str:
    def count(plan: list, kinds: tuple) -> int:
        return sum(1 for entry in plan if entry[1][0] in kinds)

    cs, cd, cr = count(context, ("sparse", "sparse_feature")), count(context, ("dense", "seq")), count(context, ("ragged",))
    fs, fd, fr = count(lists, ("sparse",)), count(lists, ("seq",)), count(lists, ("ragged",))
    return (f"ParseSequenceExampleV2_Ncontext_sparse_{cs}_Nfeature_list_dense_{fd}_Nfeature_list_sparse_{fs}_"
            f"Tcontext_dense_{cd}_context_ragged_split_types_{cr}_context_ragged_value_types_{cr}_context_sparse_"
            f"types_{cs}_feature_list_dense_types_{fd}_feature_list_ragged_split_types_{fr}_feature_list_ragged_"
            f"value_types_{fr}_feature_list_sparse_types_{fs}")


def _parse(data: bytes, name: str) -> Any:
    from . import _protos

    seq = _protos.SequenceExample()
    try:
        seq.ParseFromString(data)
    except _protos.PARSE_ERRORS:
        raise _Error(f"Invalid protocol message input, example id: {name}") from None
    return seq


def _steps(key: str, dtype: Any, lists: list, names: list, required: bool, shape: tuple | None = None) -> list:
    """Per example, the values of each step of the feature list ``key``, type-checked (and, for a dense list of
    steps of ``shape``, counted), one example after the other as TF does."""
    size = None if shape is None else int(np.prod(shape, dtype=np.int64))
    found = []
    for i, feature_lists in enumerate(lists):
        feature_list = feature_lists.get(key)
        if feature_list is None:
            if required:
                raise _Error(f"Name: {names[i]}, Feature list '{key}' is required but could not be found.  Did you "
                             "mean to include it in feature_list_dense_missing_assumed_empty or "
                             "feature_list_dense_defaults?")
            found.append([])
            continue
        steps = []
        for t, feature in enumerate(feature_list.feature):
            kind, values = _values(feature)
            if kind is not dtype:
                raise _Error(f"Name: {names[i]}, Feature list: {key}, Index: {t}.  Data types don't match. Expected "
                             f"type: {type_string(dtype)}")
            if size is not None and len(values) != size:
                raise _Error(f"Name: {names[i]}, Key: {key}, Index: {t}.  Number of values != expected.  values size: "
                             f"{len(values)} but output shape: {shape_text(shape)}")
            steps.append(values)
        found.append(steps)
    return found


def _dense_steps(key: str, spec: tuple, lists: list, names: list, required: bool) -> tuple[np.ndarray, np.ndarray]:
    dtype, shape, default = spec[1], spec[2], spec[3]
    size = int(np.prod(shape, dtype=np.int64))
    per_example = _steps(key, dtype, lists, names, required, shape)
    longest = max((len(s) for s in per_example), default=0)
    out = np.empty((len(lists), longest * size), dtype=_NP[dtype])
    out[...] = default.reshape(-1)[0] if default is not None and default.size else (
        b"" if dtype is _string else 0)
    for i, steps in enumerate(per_example):
        flat = [x for s in steps for x in s]
        out[i, :len(flat)] = _objects(flat) if dtype is _string else np.array(flat, dtype=_NP[dtype])
    lengths = np.array([len(s) for s in per_example], dtype=np.int64)
    return out.reshape((len(lists), longest) + tuple(shape)), lengths


@register("ParseSequenceExampleV2", n_outputs=0, host_only=True)
def parse_sequence_example_op(xp: Any, serialized: Any, names: Any, context: tuple, lists: tuple) -> Any:
    try:
        if serialized.ndim > 1:
            raise _Error(f"Expected serialized to be a scalar or vector, got shape: {shape_text(serialized.shape)}")
        name_list = [n.decode("utf-8", "replace") for n in names.reshape(-1)]
        batch = serialized.reshape(-1)
        name_list = name_list or ["<unknown>"] * len(batch)
        parsed = [_parse(s, name_list[i]) for i, s in enumerate(batch)]
        rows = [p.context.feature for p in parsed]
        feature_lists = [p.feature_lists.feature_list for p in parsed]
        out: list = []
        for entry in context:
            key, spec = entry[0], entry[1]
            if spec[0] == "dense":
                for feats in rows:
                    if key not in feats and spec[3] is None:
                        size = int(np.prod(spec[2], dtype=np.int64))
                        raise _Error(f"Inconsistent max number of elements for feature {key}: expected {size}, but "
                                     "found 0")
                out.append(_dense(key, spec, rows, []))
            elif spec[0] == "sparse_feature":
                out.extend(_sparse_feature(key, spec, rows))
            else:
                out.extend(_flat(_rows(key, spec[1], rows), spec[1]))
        for entry in lists:
            key, spec = entry[0], entry[1]
            if spec[0] == "seq":
                out.extend(_dense_steps(key, spec, feature_lists, name_list, required=not spec[4]))
                continue
            per_example = _steps(key, spec[1], feature_lists, name_list, required=False)
            steps = [s for example in per_example for s in example]
            values, inner = _flat(steps, spec[1])
            outer = np.zeros(len(per_example) + 1, dtype=np.int64)
            np.cumsum([len(e) for e in per_example], out=outer[1:])
            out.extend((values, inner, outer))
    except _Error as e:
        raise InvalidArgumentError(None, None, f"{{{{function_node __wrapped__{_kernel(context, lists)}_device_"
                                               f"{_scope.device.name}}}}} {e} [Op:ParseSequenceExampleV2] name: ") from None
    return tuple(out)


def _list_plan(features: dict) -> list:
    """The feature lists' specs, in TF's output order (sparse, dense, ragged; each sorted by key)."""
    checked = {}
    for key, f in features.items():
        if isinstance(f, FixedLenFeature):
            raise ValueError(f"Unsupported FixedLenFeature {f} for key '{key}'")
        if isinstance(f, FixedLenSequenceFeature):
            checked[key] = f._replace(allow_missing=True)  # the plan of parse_example; ``required`` kept below
        else:
            checked[key] = f
    plan = _plan(checked)
    return [(e[0], e[1] + ((bool(features[e[0]].allow_missing),) if e[1][0] == "seq" else ()), *e[2:])
            for e in plan]


def _assemble_lists(plan: list, outputs: list, batch: int | None) -> tuple[dict, dict]:
    result, lengths = {}, {}
    it = iter(outputs)
    for entry in plan:
        key, spec = entry[0], entry[1]
        out_key = entry[2] if len(entry) > 2 else key
        if spec[0] == "seq":
            dense, length = next(it), next(it)
            result[out_key] = _host(dense[0] if batch is None else dense)
            lengths[out_key] = _host(length)
            continue
        values, inner, outer = next(it), next(it), next(it)
        if spec[0] == "ragged":
            split_type = np.dtype(spec[2].as_numpy_dtype)
            steps = RaggedTensor.from_row_splits(_host(values), _host(inner.astype(split_type)), validate=False)
            result[out_key] = steps if batch is None else RaggedTensor.from_row_splits(
                steps, _host(outer.astype(split_type)), validate=False)
            continue
        step_lengths = np.diff(inner)
        step_rows = np.repeat(np.arange(len(step_lengths), dtype=np.int64), step_lengths)
        position = np.arange(len(values), dtype=np.int64) - np.repeat(inner[:-1], step_lengths)
        example_of_step = np.repeat(np.arange(len(outer) - 1, dtype=np.int64), np.diff(outer))
        width = int(step_lengths.max(initial=0))
        steps_per_example = np.diff(outer)
        if batch is None:
            indices = np.stack([step_rows, position], axis=1)
            shape = [len(step_lengths), width]
        else:
            local_step = step_rows - outer[example_of_step[step_rows]]
            indices = np.stack([example_of_step[step_rows], local_step, position], axis=1)
            shape = [len(steps_per_example), int(steps_per_example.max(initial=0)), width]
        result[out_key] = SparseTensor(_host(indices.reshape(-1, 2 if batch is None else 3).astype(np.int64)),
                                       _host(values), _host(np.array(shape, dtype=np.int64)))
    return result, lengths


def _run(serialized: Any, context_features: Any, sequence_features: Any, names: Any, single: bool) -> tuple:
    if not context_features and not sequence_features:
        raise ValueError("Both context_features and sequence_features are None, but at least one should have values.")
    for f in list((context_features or {}).values()) + list((sequence_features or {}).values()):
        if isinstance(f, RaggedFeature) and f.partitions:
            raise NotImplementedError("RaggedFeature partitions in a SequenceExample are not supported by featherflow")
    context = _plan(context_features) if context_features else []
    lists = _list_plan(sequence_features) if sequence_features else []
    s = serialized if isinstance(serialized, Tensor) else tensor(serialized)
    if s.dtype is not _string:
        raise ValueError(f"Tensor conversion requested dtype string for Tensor with dtype {s.dtype.name}: {s!r}")
    if single and s.shape.rank != 0:
        raise ValueError("Input serialized must be a scalar")
    names_t = string_tensor(names if names is not None else np.array([], dtype=object), "ParseSequenceExampleV2", 1)
    outputs = [o.numpy() for o in parse_sequence_example_op(s, names_t, context=tuple(context), lists=tuple(lists))]
    batch = None if s.shape.rank == 0 else int(np.prod(s.shape.as_list()))
    n_context = sum({"dense": 1, "sparse_feature": 3}.get(e[1][0], 2) for e in context)
    context_out = _assemble(context, tuple(outputs[:n_context]), batch) if context else {}
    list_out, lengths = _assemble_lists(lists, outputs[n_context:], batch)
    return context_out, list_out, lengths


@on_host
def parse_single_sequence_example(serialized: Any, context_features: dict | None = None,
                                  sequence_features: dict | None = None, example_name: Any = None,
                                  name: str | None = None) -> tuple[dict, dict]:
    """Parses one serialized ``tf.train.SequenceExample``: ``(context, feature_lists)`` dicts of tensors."""
    names = None if example_name is None else [example_name]
    context, lists, _ = _run(serialized, context_features, sequence_features, names, single=True)
    return context, lists


@on_host
def parse_sequence_example(serialized: Any, context_features: dict | None = None,
                           sequence_features: dict | None = None, example_names: Any = None,
                           name: str | None = None) -> tuple[dict, dict, dict]:
    """Parses a batch of serialized ``tf.train.SequenceExample`` protos: ``(context, feature_lists, lengths)``, the
    dense feature lists padded to the longest and their lengths given."""
    return _run(serialized, context_features, sequence_features, example_names, single=False)

