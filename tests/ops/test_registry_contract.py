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
        for marker in ("check_dtype(", "bad_attr(", "cpu_kernels(", "allowed=[{ALLOWED}]"):
            assert marker not in text, (path.name, marker)
