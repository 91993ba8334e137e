"""The registry's op contracts (issue 9, point 1): every op declares the dtypes its inputs accept, and the
dispatcher enforces them once, for public wrappers, operators and internal ``OPS[...]`` calls alike, with
TF's error types and texts (the ``Op<...>`` signature included)."""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

import pytest

import featherflow as ff
import featherflow.ops
from featherflow.ops._contract import ANY
from featherflow.ops._op_defs import OP_DEFS
from featherflow.ops.registry import OPS

from ..test_differential_core import cases, check

for _module in pkgutil.walk_packages(featherflow.ops.__path__, "featherflow.ops."):  # the family subpackages too
    importlib.import_module(_module.name)


def _featherflow_ops() -> list:
    return sorted(n for n, op in OPS.items() if op.forward.__module__.startswith("featherflow."))


def test_every_op_declares_its_dtypes() -> None:
    """An op takes TF's kernel registrations (it is in TF's op table), or declares its dtypes, or ANY."""
    undeclared = [n for n in _featherflow_ops() if n not in OP_DEFS and OPS[n].dtypes is None]
    assert not undeclared, f"ops without a dtype declaration: {undeclared}"
    assert len(_featherflow_ops()) > 200


def test_declared_dtypes_are_dtypes() -> None:
    for name in _featherflow_ops():
        declared = OPS[name].dtypes
        if declared is None or declared is ANY:
            continue
        sets = declared.values() if isinstance(declared, dict) else [declared]
        for s in sets:
            assert s is None or (isinstance(s, frozenset) and all(isinstance(d, ff.DType) for d in s)), name


REJECTED = cases(
    # a dtype outside the op's allowed list: InvalidArgumentError with TF's Op<...> signature
    "tf.bitwise.bitwise_and(tf.constant([1.5]), tf.constant([1.5]))",
    "tf.bitwise.invert(tf.constant([1.5]))",
    "tf.math.sqrt(tf.constant([4]))",
    "tf.math.exp(tf.constant([True]))",
    "tf.nn.softplus(tf.constant([1]))",
    "tf.math.log_sigmoid(tf.constant([1], tf.uint8))",
    "-tf.constant([1], tf.uint8)",
    "tf.math.maximum(tf.constant([1j]), tf.constant([1j]))",
    "tf.math.cumsum(tf.constant([True]))",
    "tf.math.reduce_prod(tf.constant([True]))",
    "tf.math.reduce_max(tf.constant([1j]))",
    "tf.argmax(tf.constant([1.0]), output_type=tf.float32)",
    "tf.math.segment_sum(tf.constant([1.0]), tf.constant([0.0]))",
    "tf.math.unsorted_segment_sum(tf.constant([1.0]), tf.constant([0]), tf.constant(1.0))",
    "tf.math.top_k(tf.constant([True, False]), 1)",
    "tf.where(tf.constant(['a']))",
    # an input of a fixed type (Any's input:bool)
    "tf.reduce_any(tf.constant([1.0]))",
    # a dtype the op allows but has no CPU kernel for: NotFoundError with TF's kernel listing
    "tf.math.rint(tf.constant([1.5], tf.float16))",
    "tf.math.lgamma(tf.constant([1.5], tf.bfloat16))",
    "tf.math.floordiv(tf.constant([1j]), tf.constant([1j]))",
    "tf.math.truncatemod(tf.constant([1.5], tf.float16), tf.constant([1.5], tf.float16))",
    # the wrappers' checks, now the dispatcher's: nn, conv and pooling, linalg, index arguments, sort
    "tf.nn.relu(tf.constant([True]))",
    "tf.nn.softmax(tf.constant([1]))",
    "tf.nn.bias_add(tf.constant([[1.0]]), tf.constant([1.0], tf.float64))",
    "tf.nn.sparse_softmax_cross_entropy_with_logits(tf.constant([1], tf.uint8), tf.constant([[1.0]]))",
    "tf.nn.conv2d(tf.zeros([1, 2, 2, 1]), tf.zeros([1, 1, 1, 1], tf.float64), 1, 'SAME')",
    "tf.nn.depthwise_conv2d(tf.zeros([1, 2, 2, 1], tf.int32), tf.zeros([1, 1, 1, 1], tf.int32), [1] * 4, 'SAME')",
    # (a float32 input shows oneDNN's op in these two)
    "tf.nn.conv2d(tf.zeros([1, 2, 2, 1], tf.float64), tf.zeros([1, 1, 1, 1], tf.float64), 1, 'SAME', "
    "data_format='NWHC')",
    "tf.nn.max_pool2d(tf.zeros([1, 2, 2, 1], tf.bool), 1, 1, 'SAME')",
    "tf.nn.avg_pool2d(tf.zeros([1, 2, 2, 1], tf.float64), 1, 1, 'EXPLICIT')",
    "tf.matmul(tf.constant([[True]]), tf.constant([[1.0]]))",
    "tf.matmul(tf.constant([[1]], tf.uint8), tf.constant([[1]], tf.uint8), transpose_b=True)",
    "tf.matmul(tf.constant([[[1.0]]]), tf.constant([[[1.0]]], tf.float64))",
    "tf.matmul(tf.constant([[1]], tf.int8), tf.constant([[1.0]]), output_type=tf.float32)",
    "tf.einsum('i,i->', tf.constant([True]), tf.constant([1.0], tf.float64))",
    "tf.linalg.solve(tf.constant([[1]]), tf.constant([[1.0]]))",
    "tf.linalg.svd(tf.constant([[1.0]], tf.float16), full_matrices=True, compute_uv=False)",
    "tf.linalg.triangular_solve(tf.constant([[1.0]], tf.float16), tf.constant([[1.0]], tf.float16), lower=False)",
    "tf.reshape(tf.zeros([4]), tf.constant([4], tf.int16))",
    "tf.gather(tf.zeros([4]), tf.constant([0], tf.uint8))",
    "tf.tensor_scatter_nd_update(tf.zeros([4]), tf.constant([[0]], tf.int16), [1.0])",
    "tf.tensor_scatter_nd_add(tf.zeros([4]), tf.constant([[0]], tf.int16), [1.0])",
    "tf.range(5, dtype=tf.int16)",
    "tf.ones_like(tf.constant(['a']))",
    "tf.unique(tf.constant([1j]), out_idx=tf.float32)",
    "tf.unique(tf.constant([1j]), out_idx=tf.int64)",
    "tf.searchsorted(tf.constant([1j]), tf.constant([1.0]))",
    "tf.add_n([tf.constant([True]), tf.constant([True, False])])",
)


@pytest.mark.parametrize("code", REJECTED)
def test_rejected_dtypes_raise_what_tf_raises(tf_oracle: Any, code: str) -> None:
    check(tf_oracle, code)


def test_internal_calls_are_checked_as_tf_raw_ops(tf_oracle: Any) -> None:
    """``OPS[...]`` calls (from tensor, variable and gradient code) pass through the same check."""
    with pytest.raises(ff.errors.InvalidArgumentError) as ours:
        OPS["Neg"](ff.constant([1], ff.uint8))
    with pytest.raises(tf_oracle.errors.InvalidArgumentError) as theirs:
        tf_oracle.raw_ops.Neg(x=tf_oracle.constant([1], tf_oracle.uint8))
    assert str(ours.value).removesuffix(" name: ") == str(theirs.value).removesuffix(" name: ")


def test_the_fast_path_never_admits_what_the_contract_rejects() -> None:
    """The dispatcher skips the full check when the dtypes are those it last accepted; a different dtype, or
    inputs of two dtypes, always take the full check."""
    add, neg = OPS["AddV2"], OPS["Neg"]
    f, i = ff.constant([1.0]), ff.constant([1])
    u8 = ff.constant([1], ff.uint8)
    for _ in range(3):
        add(f, f)
        add(i, i)
        neg(f)
        with pytest.raises(ff.errors.InvalidArgumentError, match="expected to be a float tensor"):
            add(f, i)
        with pytest.raises(ff.errors.InvalidArgumentError, match="Value for attr 'T' of uint8"):
            neg(u8)
    assert add.ok2 is ff.int32 and neg.ok1 is ff.float32


def test_ops_of_several_type_attrs_check_each() -> None:
    gather = OPS["GatherV2"]
    params = ff.constant([1.0, 2.0])
    assert gather(params, ff.constant([1]), axis=0, batch_dims=0).numpy().tolist() == [2.0]
    with pytest.raises(ff.errors.InvalidArgumentError, match="Value for attr 'Tindices' of float"):
        gather(params, ff.constant([1.0]), axis=0, batch_dims=0)


def test_a_declaration_of_any_dtype_is_unchecked() -> None:
    identity = OPS["Identity"]
    for value in (ff.constant(["a"]), ff.constant([1j]), ff.constant([True])):
        assert identity(value).dtype is value.dtype


def test_no_gradient_and_not_differentiable_are_two_declarations() -> None:
    """``differentiable=False`` is TF's NotDifferentiable; a differentiable op without a rule has none
    registered (``tape.gradient`` raises LookupError for it)."""
    assert not OPS["Equal"].differentiable
    assert OPS["AddV2"].differentiable and OPS["AddV2"].grad is not None


def test_errors_of_list_inputs_drop_the_name_tail_as_tf_slow_path(tf_oracle: Any) -> None:
    """TF runs an op given a Python list through its slow eager path, whose errors end without `` name: ``."""
    for code in ("tf.nn.relu([True])", "tf.linalg.inv([[1]])",
                 "tf.slice(tf.zeros([4]), tf.constant([0.0]), [1])"):
        ours, theirs = _error(ff, code), _error(tf_oracle, code)
        assert (type(ours).__name__, str(ours)) == (type(theirs).__name__, str(theirs)), code


def _error(lib: Any, code: str) -> Exception:
    try:
        eval(code, {"tf": lib})
    except Exception as e:  # noqa: BLE001 - the error is the result under comparison
        return e
    raise AssertionError(f"{code} raised nothing")


def test_a_not_found_node_def_shows_the_attrs_the_caller_set() -> None:
    """The NodeDef of a NotFoundError shows the call's attrs (``transpose_b=true``), not the op's defaults."""
    with pytest.raises(ff.errors.NotFoundError) as e:
        ff.matmul(ff.constant([[1]], ff.uint8), ff.constant([[1]], ff.uint8), transpose_b=True)
    assert "MatMul[T=DT_UINT8, grad_a=false, grad_b=false, transpose_a=false, transpose_b=true]" in str(e.value)


def test_string_attrs_are_checked_against_tf_allowed_values() -> None:
    conv = OPS["Conv2D"]
    x = ff.zeros([1, 2, 2, 1])
    conv.check(x, x, padding="SAME", data_format="NHWC")
    with pytest.raises(ff.errors.InvalidArgumentError, match="attr 'padding' of \"FULL\" is not in the list"):
        conv.check(x, x, padding="FULL")
    with pytest.raises(ff.errors.InvalidArgumentError, match="attr 'padding' of \"FULL\""):
        conv.check_attr("padding", "FULL")


def test_no_wrapper_keeps_its_own_dtype_tables() -> None:
    """The scattered checks are gone: no hand-written ``Op<...>`` signatures or kernel listings in ``ops/``."""
    import pathlib

    root = pathlib.Path(featherflow.ops.__file__).parent
    for path in root.rglob("*.py"):
        if path.name in ("_op_defs.py", "_contract.py"):
            continue
        text = path.read_text()
        for marker in ("check_dtype(", "bad_attr(", "cpu_kernels(", "allowed=[{ALLOWED}]", "All kernels registered",
                       "is not in the list of allowed values", "No OpKernel was registered",
                       "dtype_mismatch(op_name", "\ndef check_attr(", "\ndef attr_error("):
            assert marker not in text or path.name in _STILL_BY_HAND.get(marker, ()), (path.name, marker)


# TF's error for a bool index, stacked by its Python slicing (an Op<...> without a signature, as TF prints it)
_STILL_BY_HAND = {"is not in the list of allowed values": ("slicing.py",)}


def test_the_values_layer_keeps_no_kernel_tables() -> None:
    """Variable's scatter and assign ops check through the contracts (``_op_table.check_attrs``)."""
    import pathlib

    root = pathlib.Path(featherflow.ops.__file__).parent.parent
    for path in root.glob("*.py"):
        text = path.read_text()
        for marker in ("No OpKernel was registered", "is not in the list of allowed values", "Registered kernels",
                       "allowed=[DT_"):
            assert marker not in text, (path.name, marker)


RESOURCE_OPS_REJECTED = (
    "tf.Variable([True]).assign_add([True])", "tf.Variable(['a']).assign_sub(['b'])",
    "tf.Variable([1.]).count_up_to(3)",
    "tf.Variable([1., 2.]).sparse_read(tf.constant([0.]))", "tf.Variable([1., 2.]).gather_nd(tf.constant([[0.]]))",
    "tf.Variable([True]).scatter_add(tf.IndexedSlices(tf.constant([True]), tf.constant([0])))",
    "tf.Variable([1j]).scatter_max(tf.IndexedSlices(tf.constant([1j]), tf.constant([0], tf.int64)))",
    "tf.Variable(tf.constant([1j], tf.complex64)).scatter_min(tf.IndexedSlices(tf.constant([1j], tf.complex64), [0]))",
    "tf.Variable([1.]).scatter_update(tf.IndexedSlices(tf.constant([1.]), tf.constant([0.])))",
    "tf.Variable(['a']).scatter_nd_add([[0]], ['b'])", "tf.Variable([1j]).scatter_nd_max(tf.constant([[0]]), [1j])",
    "tf.Variable([1.]).scatter_nd_update(tf.constant([[0.]]), [1.])",
)


@pytest.mark.parametrize("code", RESOURCE_OPS_REJECTED)
def test_resource_variable_ops_are_checked_against_tf_registrations(tf_oracle: Any, code: str) -> None:
    """Variable's scatter, gather and assign ops (not registered Ops) are checked through the same contracts,
    built from TF's definitions of ResourceScatterAdd and the rest: the same error, to the character (but for
    the NodeDef's attrs, which TF prints in an order that varies from run to run)."""
    import re

    ours, theirs = _error(ff, code), _error(tf_oracle, code)
    assert type(ours).__name__ == type(theirs).__name__
    attrs = re.compile(r"with these attrs: \[(.*?)\]")
    assert attrs.sub("", str(ours)) == attrs.sub("", str(theirs))
    if attrs.search(str(theirs)):
        assert sorted(attrs.search(str(ours)).group(1).split(", ")) == sorted(
            attrs.search(str(theirs)).group(1).split(", "))


CONTRACT_ERRORS = (
    # random ops: their dtype attrs, the seed's (a Python seed's message lacks TF's `` name: `` tail)
    "tf.random.gamma([2], 1., dtype=tf.int32)", "tf.random.poisson([2], tf.constant([1], tf.int8))",
    "tf.random.normal(tf.constant([2.]))", "tf.random.normal([2], dtype=tf.int32)",
    "tf.random.stateless_uniform([2], seed=[1, 2], minval=tf.constant(0, tf.uint32), "
    "maxval=tf.constant(5, tf.uint32), dtype=tf.uint32)",
    "tf.random.stateless_uniform([2], seed=[1., 2.])", "tf.random.stateless_uniform([2], seed=tf.constant([1., 2.]))",
    "tf.random.stateless_normal([2], seed=[1, 2], dtype=tf.int32)",
    "tf.random.categorical(tf.constant([[1, 2]]), 2, seed=3, dtype=tf.int32)",
    "tf.random.categorical(tf.constant([[1j, 2]]), 2)",
    "tf.random.stateless_categorical(tf.constant([[1, 2]]), 2, seed=tf.constant([1, 2]), dtype=tf.int32)",
    "tf.random.stateless_categorical([[1., 2.]], 2, seed=[1., 2.])",
    # fixed-type inputs and string attrs
    "tf.strings.length(tf.constant([1]))", "tf.strings.unicode_decode(tf.constant([1]), 'UTF-8')",
    "tf.strings.unicode_decode(['a'], 'UTF-8', errors='x')", "tf.strings.unicode_encode([[1]], 'UTF-9')",
    "tf.strings.unicode_encode(tf.constant([[1]], tf.int64), 'UTF-8')", "tf.strings.upper(tf.constant([1]))",
    "tf.math.logical_and(tf.constant([True]), tf.constant([1]))", "tf.math.logical_not(tf.constant([1]))",
    "tf.debugging.check_numerics(tf.constant([1]), 'm')", "tf.linalg.diag_part(tf.ones([2, 2]), align=3)",
    "tf.math.in_top_k([0, 1], tf.constant([[0.1, 0.9], [0.5, 0.5]], tf.float64), 1)",
    "tf.broadcast_dynamic_shape(tf.constant([1]), tf.constant([1.]))",
    "tf.math.floordiv(tf.constant([True]), tf.constant([1.]))",
)


@pytest.mark.parametrize("code", CONTRACT_ERRORS)
def test_wrappers_check_through_the_contracts_with_tf_text(tf_oracle: Any, code: str) -> None:
    """Errors the wrappers once raised by hand, now the contracts': TF's, to the character (but the seeds a
    NodeDef shows, which depend on the global seed earlier tests left in each library)."""
    import re

    ours, theirs = _error(ff, code), _error(tf_oracle, code)
    seeds = re.compile(r"seed2?=\d+")
    assert (type(ours).__name__, seeds.sub("", str(ours))) == (type(theirs).__name__, seeds.sub("", str(theirs)))


def test_select_names_tf_op_and_input() -> None:
    """``tf.where``'s mismatch is SelectV2's at input #2 (featherflow runs it with ``Select``)."""
    with pytest.raises(ff.errors.InvalidArgumentError, match=r"cannot compute SelectV2 as input #2"):
        ff.where([True], ff.constant([1.]), ff.constant([1, 2, 3]))
    with pytest.raises(ff.errors.InvalidArgumentError, match="attr 'align' of \"X\""):
        ff.linalg.diag(ff.ones([2]), align="X")
