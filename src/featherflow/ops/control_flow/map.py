"""``tf.map_fn``, ``tf.vectorized_map``, ``tf.scan``, ``tf.foldl`` and ``tf.foldr`` as TF runs them eagerly:
the elements are unstacked into TensorArrays, ``fn`` runs once per element in Python, and the results are
stacked back; every step is a registered op, so gradients flow through ``Unpack``/``Pack``.

>>> import featherflow as tf
>>> tf.map_fn(lambda x: x * 2, tf.constant([1, 2, 3])).numpy().tolist()
[2, 4, 6]
"""

from __future__ import annotations

from typing import Any, Callable

from ... import nest
from ...errors import InvalidArgumentError
from ...tensor import constant, convert_to_tensor
from ...tensor_spec import TensorSpec
from ..array.core import stack, unstack
from ..array.create import zeros
from ..array.join import concat
from ..ragged import RaggedTensor, RaggedTensorSpec
from ..ragged import stack as ragged_stack
from ..sparse.tensor import SparseTensor
from .loops import read_variables, spec_of
from .tensor_array import TensorArray


def _dtype_to_spec(d: Any) -> Any:
    if isinstance(d, (TensorSpec, RaggedTensorSpec)) or _is_extension_spec(d):
        return d
    return TensorSpec(None, d)


def _first_dims(elems_flat: list) -> int:
    """The common static length of the elements' first axis, or TF's ValueError."""
    n = _shape(elems_flat[0]).with_rank_at_least(1)[0]
    for t in elems_flat[1:]:
        m = _shape(t).with_rank_at_least(1)[0]
        if n is not None and m is not None and n != m:
            raise ValueError(f"Dimensions {n} and {m} are not compatible")
    return n


def _is_extension_spec(spec: Any) -> bool:
    """Whether ``spec`` is a BatchableExtensionType's spec (batched by batching each of its tensors)."""
    return hasattr(spec, "_unbatch") and hasattr(spec, "_tf_extension_type_fields")


def _shape(t: Any) -> Any:
    """``t``'s shape; a BatchableExtensionType's is its first tensor's (its tensors are batched alike)."""
    return _shape(t._to_components()[0]) if _is_extension_spec(getattr(t, "_type_spec", None)) else t.shape


def _extension_rows(t: Any) -> Callable[[int], Any]:
    """Reads element ``i`` of a BatchableExtensionType: row ``i`` of each tensor, under its unbatched spec."""
    spec, components = t._type_spec._unbatch(), t._to_components()
    return lambda i: spec._from_components([c[i] for c in components])


class _ExtensionResults:
    """The results for a BatchableExtensionType spec: each of their tensors stacked, under the spec batched."""

    def __init__(self, spec: Any) -> None:
        self.spec = spec
        self.values: list = []

    def write(self, i: int, value: Any) -> None:
        self.values.append(value)

    def stack(self) -> Any:
        columns = zip(*[v._to_components() for v in self.values])
        return self.spec._batch(len(self.values))._from_components([stack(list(c)) for c in columns])


def _unbatched_spec(elem: Any) -> Any:
    """The most general spec of one element of ``elem`` (what fn returns when no signature says otherwise)."""
    if _is_extension_spec(getattr(elem, "_type_spec", None)):
        return elem._type_spec._unbatch()
    if isinstance(elem, RaggedTensor):
        return RaggedTensorSpec(None, elem.dtype, elem.ragged_rank - 1, elem.row_splits_dtype)
    if isinstance(elem, SparseTensor):
        raise NotImplementedError("map_fn over a SparseTensor needs an fn_output_signature: featherflow does not "
                                  "stack SparseTensor results")
    return TensorSpec(None, elem.dtype)


def _sparse_rows(t: SparseTensor) -> Callable[[int], SparseTensor]:
    """Reads row ``i`` of a SparseTensor as a SparseTensor of one rank less (what TF's map_fn passes ``fn``)."""
    from ..sparse.reshaping import reshape, slice  # noqa: A004 - tf.sparse's names

    inner = [int(d) for d in t.dense_shape.numpy()[1:]]
    return lambda i: reshape(slice(t, [i] + [0] * len(inner), [1, *inner]), inner)


class _RaggedResults:
    """The results for one RaggedTensorSpec: checked against it as fn returns them, stacked into one
    RaggedTensor at the end (TF batches them through the spec's variant encoding; the values are the same)."""

    def __init__(self, spec: RaggedTensorSpec) -> None:
        if spec.shape.rank == 0:
            raise NotImplementedError("map_fn: a RaggedTensorSpec fn_output_signature of rank 0 is not supported")
        self.spec = spec
        self.values: list = []

    def write(self, i: int, value: Any) -> None:
        spec = self.spec
        if spec.ragged_rank == 0 and not isinstance(value, RaggedTensor):
            value = convert_to_tensor(value)
            ok = value.dtype is spec.dtype and spec.shape.is_compatible_with(value.shape)
            got = TensorSpec(value.shape, value.dtype)
        else:
            ok = isinstance(value, RaggedTensor) and spec.is_compatible_with(value)
            got = value._type_spec if isinstance(value, RaggedTensor) else TensorSpec.from_tensor(
                convert_to_tensor(value))
        if not ok:
            raise ValueError(f"Error in map_fn:\n  Expected `fn` to return a:\n    {spec}\n  But it returned a:\n"
                             f"    {got}\n    (value={value})\n  To fix, update the `fn_output_signature` (or "
                             "`dtype`) argument to `map_fn`.")
        self.values.append(value)

    def stack(self) -> RaggedTensor:
        spec = self.spec
        if spec.ragged_rank == 0:
            if self.values:
                flat = concat(self.values, 0)
            else:
                inner = spec.shape.as_list()[1:] if spec.shape.rank is not None else []
                flat = zeros([0] + [d or 0 for d in inner], spec.dtype)
            lengths = [v.shape[0] for v in self.values]
            return RaggedTensor.from_row_lengths(flat, constant(lengths, dtype=spec.row_splits_dtype))
        if not self.values:
            raise NotImplementedError("map_fn: no elements and a RaggedTensorSpec of ragged_rank > 0 is not "
                                      "supported")
        return ragged_stack(self.values)


def map_fn(fn: Callable, elems: Any, dtype: Any = None, parallel_iterations: int | None = None,
           back_prop: bool = True, swap_memory: bool = False, infer_shape: bool = True, name: str | None = None,
           fn_output_signature: Any = None) -> Any:
    """``fn`` applied to each element of ``elems`` unstacked along its first axis, results stacked
    (``tf.map_fn``); ``fn_output_signature`` (or the legacy ``dtype``: DTypes, TensorSpecs, RaggedTensorSpecs)
    describes ``fn``'s output when it differs from the elements'. A RaggedTensor in ``elems`` is split into
    its rows."""
    if fn_output_signature is None:
        fn_output_signature = dtype
    if not callable(fn):
        raise TypeError(f"The provided function {fn.__name__} is not callable.fn must be callable.")
    elems = read_variables(elems)
    elems_flat = nest.flatten(elems)
    if len(elems_flat) == 0:
        raise ValueError(f"elems must be a Tensor or (possibly nested) sequence of Tensors. Got {elems}, which "
                         "does not contain any Tensors.")
    elems_flat = [t if isinstance(t, (RaggedTensor, SparseTensor)) or _is_extension_spec(getattr(t, "_type_spec", None))
                  else convert_to_tensor(t) for t in elems_flat]
    if fn_output_signature is None:
        result_signature = [_unbatched_spec(e) for e in elems_flat]
        result_structure = elems
    else:
        result_signature = [_dtype_to_spec(d) for d in nest.flatten(fn_output_signature)]
        result_structure = fn_output_signature
    if _shape(elems_flat[0]).ndims is not None and _shape(elems_flat[0]).ndims < 1:
        raise ValueError("Elements in elems must be 1+ dimensional Tensors, not scalars")
    n = _first_dims(elems_flat)
    readers = [t.__getitem__ if isinstance(t, RaggedTensor) else _sparse_rows(t) if isinstance(t, SparseTensor) else
               _extension_rows(t) if _is_extension_spec(getattr(t, "_type_spec", None)) else
               TensorArray(dtype=t.dtype, size=n, dynamic_size=False, infer_shape=True).unstack(t).read
               for t in elems_flat]
    results = [_RaggedResults(spec) if isinstance(spec, RaggedTensorSpec) else
               _ExtensionResults(spec) if _is_extension_spec(spec) else
               TensorArray(dtype=spec.dtype, size=n, dynamic_size=False, infer_shape=infer_shape,
                           element_shape=spec.shape) for spec in result_signature]
    for i in range(n):  # TF's loop counter is a host value eagerly too
        value = nest.pack_sequence_as(elems, [read(i) for read in readers])
        result = fn(value)
        nest.assert_same_structure(fn_output_signature or elems, result)
        for out, r in zip(results, nest.flatten(result)):
            out.write(i, r)
    return nest.pack_sequence_as(result_structure, [out.stack() for out in results])


def vectorized_map(fn: Callable, elems: Any, fallback_to_while_loop: bool = True, warn: bool = True) -> Any:
    """``fn`` over the slices of ``elems`` along the first axis, results stacked (``tf.vectorized_map``); a
    first axis of length 1 broadcasts, as in TF. Eagerly this computes what TF's vectorized program does by
    running ``fn`` per slice, so ``fallback_to_while_loop`` changes nothing."""
    elems = read_variables(elems)
    if any(isinstance(x, RaggedTensor) for x in nest.flatten(elems)):
        raise NotImplementedError("vectorized_map over RaggedTensor elems is not supported yet")
    elems = nest.map_structure(convert_to_tensor, elems)
    flat = nest.flatten(elems)
    batch = max(x.shape.as_list()[0] for x in flat)  # a scalar: TF's IndexError too
    for x in flat:
        if x.shape[0] not in (1, batch):  # TF's vectorized gather fails on the shorter one
            raise InvalidArgumentError(None, None, f"indices[{x.shape[0]}] = {x.shape[0]} is not in "
                                                   f"[0, {x.shape[0]}) [Op:GatherV2]")
    if batch == 0:
        # fn still fixes the results' structure and shapes (TF traces it once): run it on zeros, keep none
        probe = fn(nest.map_structure(lambda x: zeros(x.shape.as_list()[1:], x.dtype), elems))
        return nest.map_structure(lambda r: zeros([0] + convert_to_tensor(r).shape.as_list(),
                                                  convert_to_tensor(r).dtype), probe)
    slices = [unstack(x) for x in flat]
    results = []
    for i in range(batch):
        parts = [s[0] if len(s) == 1 else s[i] for s in slices]
        results.append(fn(nest.pack_sequence_as(elems, parts)))
    first = results[0]
    columns = zip(*[nest.flatten(r) for r in results])
    return nest.pack_sequence_as(first, [stack([convert_to_tensor(v) for v in col]) for col in columns])


def scan(fn: Callable, elems: Any, initializer: Any = None, parallel_iterations: int = 10, back_prop: bool = True,
         swap_memory: bool = False, infer_shape: bool = True, reverse: bool = False, name: str | None = None) -> Any:
    """The running results of ``a = fn(a, x)`` over the elements of ``elems`` along the first axis, stacked
    (``tf.scan``); without ``initializer`` the first element (the last with ``reverse``) starts ``a``.

    >>> import featherflow as tf
    >>> tf.scan(lambda a, x: a + x, tf.constant([1, 2, 3])).numpy().tolist()
    [1, 3, 6]
    """
    if not callable(fn):
        raise TypeError(f"{fn.__name__} is not callable. Please provide a callable function.")
    input_is_sequence = nest.is_nested(elems)

    def input_flatten(x: Any) -> list:
        return nest.flatten(x) if input_is_sequence else [x]

    def input_pack(x: list) -> Any:
        return nest.pack_sequence_as(elems, x) if input_is_sequence else x[0]

    if initializer is None:
        output_is_sequence, output_flatten, output_pack = input_is_sequence, input_flatten, input_pack
    else:
        output_is_sequence = nest.is_nested(initializer)

        def output_flatten(x: Any) -> list:
            return nest.flatten(x) if output_is_sequence else [x]

        def output_pack(x: list) -> Any:
            return nest.pack_sequence_as(initializer, x) if output_is_sequence else x[0]

    elems_flat = [convert_to_tensor(e) for e in input_flatten(elems)]
    n = elems_flat[0].shape[0]
    elems_ta = [TensorArray(dtype=e.dtype, size=n, dynamic_size=False, element_shape=e.shape[1:],
                            infer_shape=True).unstack(e) for e in elems_flat]
    if initializer is None:
        a_flat = [ta.read(n - 1 if reverse else 0) for ta in elems_ta]
        i = 1
    else:
        a_flat = [convert_to_tensor(init) for init in output_flatten(initializer)]
        i = 0
    accs_ta = [TensorArray(dtype=a.dtype, size=n, element_shape=a.shape if infer_shape else None,
                           dynamic_size=False, infer_shape=infer_shape) for a in a_flat]
    if initializer is None:
        for ta, a in zip(accs_ta, a_flat):
            ta.write(n - 1 if reverse else 0, a)
    steps = range(n - 1 - i, -1, -1) if reverse else range(i, n)
    for j in steps:
        a_out = fn(output_pack(a_flat), input_pack([ta.read(j) for ta in elems_ta]))
        nest.assert_same_structure(elems if initializer is None else initializer, a_out)
        a_flat = output_flatten(a_out)
        for ta, value in zip(accs_ta, a_flat):
            ta.write(j, value)
    results = [ta.stack() for ta in accs_ta]
    _first_dims(elems_flat)  # TF checks the other elements' lengths after the loop
    return output_pack(results)


def _fold(fn: Callable, elems: Any, initializer: Any, right: bool) -> Any:
    if not callable(fn):
        raise TypeError(f"{fn.__name__} is not callable. Please provide a callable function.")
    elems_flat = [convert_to_tensor(e) for e in nest.flatten(elems)]
    n = elems_flat[0].shape[0]
    # as TF, the TensorArrays are built from ``elems`` as given (a Python number there has no dtype)
    elems_ta = nest.map_structure(
        lambda e: TensorArray(dtype=e.dtype, size=n, dynamic_size=False, infer_shape=True).unstack(e), elems)
    if initializer is None:
        i = n - 1 if right else 1
        a = nest.map_structure(lambda ta: ta.read(n - 1 if right else 0), elems_ta)
    else:
        i = n if right else 0
        a = initializer
    structure = nest.map_structure(spec_of, [0, a])
    while (i > 0) if right else (i < n):
        if right:
            i -= 1
        a = fn(a, nest.map_structure(lambda ta, at=i: ta.read(at), elems_ta))
        if not right:
            i += 1
        nest.assert_same_structure(structure, [i, a])
    return nest.map_structure(lambda x: x if isinstance(x, TensorArray) else convert_to_tensor(x), a)


def foldl(fn: Callable, elems: Any, initializer: Any = None, parallel_iterations: int = 10, back_prop: bool = True,
          swap_memory: bool = False, name: str | None = None) -> Any:
    """``fn(...fn(fn(initializer, x0), x1)..., xn)`` over the elements along the first axis (``tf.foldl``);
    without ``initializer`` the first element starts.

    >>> import featherflow as tf
    >>> int(tf.foldl(lambda a, x: a - x, tf.constant([1, 2, 3]), initializer=10))
    4
    """
    return _fold(fn, elems, initializer, right=False)


def foldr(fn: Callable, elems: Any, initializer: Any = None, parallel_iterations: int = 10, back_prop: bool = True,
          swap_memory: bool = False, name: str | None = None) -> Any:
    """``fn(...fn(fn(initializer, xn), xn-1)..., x0)`` from the last element to the first (``tf.foldr``);
    without ``initializer`` the last element starts."""
    return _fold(fn, elems, initializer, right=True)

