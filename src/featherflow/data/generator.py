"""``Dataset.from_generator`` and ``Dataset.list_files``: datasets fed from Python and from the file system.

``from_generator`` calls the generator afresh at each pass and checks every yielded value against the output
signature as TF does (structure, then dtype, then shape), raising TF's ``InvalidArgumentError`` at iteration;
an exception the generator raises surfaces as the error TF's py_func makes of it (a ValueError as
``InvalidArgumentError``, ...). The generator survives both, so
``ignore_errors`` skips just the bad element.

>>> import featherflow as tf
>>> ds = tf.data.Dataset.from_generator(lambda: iter([[1], [2, 3]]),
...                                     output_signature=tf.TensorSpec([None], tf.int32))
>>> [x.numpy().tolist() for x in ds]
[[1], [2, 3]]
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from .. import nest
from ..dtypes import as_dtype as _as_dtype
from ..dtypes import string as _string
from ..errors import InvalidArgumentError, UnknownError
from ..shape import TensorShape
from ..tensor import _make_typed_host
from ..tensor_spec import TensorSpec, TypeSpec
from . import composite as _composite
from ._resumable import StepIterator
from .dataset import UNKNOWN_CARDINALITY, Dataset
from .transforms import attach, derived, next_error


def _up_to(shallow: Any, value: Any, leaf: Callable[[Any, Any], Any]) -> Any:
    """``leaf(s, v)`` over ``shallow``'s structure; ``value`` must have that structure down to its leaves."""
    if isinstance(shallow, dict):
        if not isinstance(value, dict) or set(value) != set(shallow):
            raise TypeError
        return type(shallow)((k, _up_to(shallow[k], value[k], leaf)) for k in shallow)
    if isinstance(shallow, (tuple, list)):
        if not isinstance(value, (tuple, list)) or len(value) != len(shallow):
            raise TypeError
        items = [_up_to(s, v, leaf) for s, v in zip(shallow, value)]
        return type(shallow)(*items) if hasattr(type(shallow), "_fields") else tuple(items)
    return leaf(shallow, value)


def _signature(output_types: Any, output_shapes: Any) -> Any:
    """The TensorSpecs of the deprecated ``output_types`` / ``output_shapes`` arguments."""
    if output_shapes is None:
        return nest.map_structure(lambda t: TensorSpec(TensorShape(None), _as_dtype(t)), output_types)
    return _up_to(output_types, output_shapes, lambda t, s: TensorSpec(TensorShape(s), _as_dtype(t)))


def _py_func_error(spec: Any, text: str) -> InvalidArgumentError:
    return next_error(InvalidArgumentError, spec, f"TypeError: {text}\n\n\t [[{{{{node PyFunc}}}}]]")


def _generator_error(spec: Any, error: Exception) -> Exception:
    """TF's error for an exception the generator raised: its py_func's kernel error (ValueError and TypeError:
    InvalidArgumentError, NotImplementedError: UnimplementedError, MemoryError: ResourceExhaustedError, any other:
    UnknownError), its message the exception and its traceback, as TF's ``PyFunc`` node reports them."""
    import traceback  # on first use: an error path

    from ..ops.script_ops import _ERRORS

    cls = next((c for kinds, c in _ERRORS if isinstance(error, kinds)), UnknownError)
    trace = "\n".join(traceback.format_exception(type(error), error, error.__traceback__))
    return next_error(cls, spec, f"{type(error).__name__}: {error}\n{trace}\n\n\t [[{{{{node PyFunc}}}}]]")


def _convert(spec: Any, value: Any, signature: Any) -> Any:
    """One yielded component as a value of ``spec`` (TF's checks and messages, raised by the caller)."""
    if not isinstance(spec, TensorSpec):
        if _composite.is_composite(value) or isinstance(value, getattr(spec, "value_type", ())):
            return value  # a composite value (a SparseTensor, a tf.experimental.Optional) of the spec's type
        from ..ops.ragged.functions import constant as ragged_constant

        return ragged_constant(value, spec.dtype)
    dtype = spec.dtype
    try:
        if dtype == _string:
            from ..ops.convert import tensor

            out = tensor(value, dtype)
            array = np.asarray(out.numpy())
        else:
            array = np.asarray(value, dtype=dtype._np)
            out = None
    except (TypeError, ValueError, OverflowError):
        raise _py_func_error(signature, "`generator` yielded an element that could not be converted to the "
                                        f"expected type. The expected type was {dtype.name}, but the yielded "
                                        f"element was {value}.") from None
    if not spec.shape.is_compatible_with(array.shape):
        raise _py_func_error(signature, f"`generator` yielded an element of shape {TensorShape(array.shape)} "
                                        f"where an element of shape {spec.shape} was expected.")
    return out if out is not None else _make_typed_host(array, dtype)


def from_generator(generator: Callable, output_types: Any = None, output_shapes: Any = None, args: Any = None,
                   output_signature: Any = None, name: str | None = None) -> Dataset:
    """The values ``generator()`` yields, converted to ``output_signature`` (called anew at each pass).

    >>> [int(x) for x in Dataset.from_generator(lambda: iter(range(3)), output_types=tf.int64)]
    [0, 1, 2]
    """
    if not callable(generator):
        raise TypeError("`generator` must be a Python callable.")
    if output_signature is not None:
        if output_types is not None:
            raise TypeError("The `output_types` argument can not be used together with the `output_signature` "
                            "argument.")
        if output_shapes is not None:
            raise TypeError("The `output_shapes` argument can not be used together with the `output_signature` "
                            "argument.")
        for spec in nest.flatten(output_signature):
            if not isinstance(spec, TypeSpec):
                raise TypeError("All the elements of `output_signature` must be `tf.TypeSpec` objects.")
        signature = output_signature
    else:
        if output_types is None:
            raise TypeError("To specify the output signature you need to provide either the `output_signature` "
                            "argument or the `output_types` argument.")
        signature = _signature(output_types, output_shapes)
    call_args: tuple = ()
    if args is not None:
        from ..ops.convert import tensor

        call_args = tuple(tensor(a).numpy() for a in args)

    def make() -> Iterator[Any]:
        source: list = []

        def step() -> Any:
            if not source:
                source.append(iter(generator(*call_args)))
            try:
                values = next(source[0])
            except StopIteration:
                raise
            except Exception as error:
                raise _generator_error(signature, error) from error
            try:
                return _up_to(signature, values, lambda s, v: _convert(s, v, signature))
            except TypeError as error:
                if str(error):
                    raise
                types = nest.map_structure(lambda s: s.dtype, signature)
                raise _py_func_error(signature, "`generator` yielded an element that did not match the expected "
                                                f"structure. The expected structure was {types}, but the yielded "
                                                f"element was {values}.") from None

        return StepIterator(step)

    return derived(make, lambda: signature, UNKNOWN_CARDINALITY, "_FlatMapDataset")


def list_files(file_pattern: Any, shuffle: Any = None, seed: Any = None, name: str | None = None) -> Dataset:
    """The files matching ``file_pattern`` (a pattern or a list of them), shuffled unless ``shuffle`` is False.

    >>> import tempfile
    >>> d = tempfile.mkdtemp(); _ = [open(f"{d}/{n}", "w").close() for n in "ba"]
    >>> [x.numpy().decode()[-1] for x in Dataset.list_files(f"{d}/*", shuffle=False)]
    ['a', 'b']
    """
    from ..ops.convert import tensor
    from ..ops.io.files import matching_files

    patterns = tensor(file_pattern, _string)
    matching = matching_files(patterns)
    count = int(matching.shape[0])
    if count == 0:
        names = ", ".join(p.decode("utf-8", "surrogateescape") for p in np.asarray(patterns.numpy(),
                                                                                  dtype=object).reshape(-1))
        raise InvalidArgumentError(None, None, "Expected 'tf.Tensor(False, shape=(), dtype=bool)' to be true. "
                                               f"Summarized data: b'No files matched pattern: {names}'")
    dataset = Dataset.from_tensor_slices(matching)
    if shuffle is None or shuffle:
        dataset = dataset.shuffle(max(count, 1), seed=seed)
    return dataset


attach({"from_generator": from_generator, "list_files": list_files}, static=("from_generator", "list_files"))
