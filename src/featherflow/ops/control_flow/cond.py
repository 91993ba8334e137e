"""``tf.cond``, ``tf.case`` and ``tf.switch_case`` as TF runs them eagerly: the predicate (or index) is read on
the host and only the chosen branch runs, so a GradientTape records just that branch's ops.

>>> import featherflow as tf
>>> int(tf.cond(tf.constant(2) < 5, lambda: tf.constant(14), lambda: tf.constant(8)))
14
"""

from __future__ import annotations

import collections
import functools
from typing import Any, Callable

import numpy as np

from ... import dtypes as _dtypes
from ...tensor import Tensor, convert_to_tensor
from ..array.core import stack
from ..array.create import cast
from ..debugging.checks import Assert
from ..math.reduce import reduce_sum


def _cond(pred: Any, true_fn: Callable | None = None, false_fn: Callable | None = None, strict: bool = False,
          name: str | None = None) -> Any:
    """TF's v1 ``cond`` (``strict=False`` unpacks a one-element list or tuple result)."""
    if true_fn is None:
        raise TypeError("cond(): 'true_fn' argument required")
    if false_fn is None:
        raise TypeError("cond(): 'false_fn' argument required")
    if not callable(true_fn):
        raise TypeError("'true_fn' must be callable.")
    if not callable(false_fn):
        raise TypeError("'false_fn' must be callable.")
    # TF reads the predicate's value on the host (a copy from a GPU) and runs one branch
    if isinstance(pred, (bool, int, float, np.generic, np.ndarray)):
        value = np.asarray(pred)  # a host value: nothing to copy
    else:
        value = convert_to_tensor(pred).numpy()
    result = true_fn() if value else false_fn()
    if not strict and isinstance(result, (list, tuple)) and len(result) == 1:
        return result[0]
    return result


def cond(pred: Any, true_fn: Callable | None = None, false_fn: Callable | None = None,
         name: str | None = None) -> Any:
    """``true_fn()`` if ``pred`` is true, else ``false_fn()`` (``tf.cond``); only the chosen branch runs.

    >>> import featherflow as tf
    >>> tf.cond(False, lambda: 1, lambda: 2)
    2
    """
    return _cond(pred, true_fn, false_fn, strict=True, name=name)


def _assert_at_most_n_true(predicates: Any, n: int, msg: str) -> None:
    preds_c = stack(list(predicates))
    num_true = reduce_sum(cast(preds_c, _dtypes.int32))
    names = ", ".join(_eager_name(p) for p in predicates)
    Assert(num_true <= n, data=[f"{msg}: more than {n} conditions ({names}) evaluated as True:", preds_c],
           summarize=len(predicates))


def _eager_name(t: Any) -> str:
    try:
        return t.name  # an eager tensor has no name: TF's getattr(p, "name", "?") gives "?"
    except AttributeError:
        return "?"


def _default_action(predicates: tuple, actions: tuple) -> tuple:
    """TF's default when none is given: the last pair, after asserting that its predicate holds."""
    k = len(predicates) - 1
    predicate, action = predicates[k], actions[k]
    others = predicates[:k]

    def default_action() -> Any:
        if others:
            _assert_at_most_n_true(others, 0, f"Implementation error: selected default action #{k} was called, "
                                              "but some of other predicates are True: ")
        Assert(predicate, data=("Input error: None of conditions evaluated as True:", stack(list(predicates))))
        return action()

    return default_action, others, actions[:k]


def _case_args(pred_fn_pairs: Any, exclusive: bool) -> tuple:
    if not isinstance(pred_fn_pairs, (list, tuple, dict)):
        raise TypeError(f"'pred_fn_pairs' must be a list, tuple, or dict. Received: {type(pred_fn_pairs)}")
    if isinstance(pred_fn_pairs, collections.OrderedDict):
        pred_fn_pairs = pred_fn_pairs.items()
    elif isinstance(pred_fn_pairs, dict):
        if not exclusive:
            raise ValueError("Unordered dictionaries are not supported for the 'pred_fn_pairs' argument when "
                             "`exclusive=False` and eager mode is enabled.")
        pred_fn_pairs = list(pred_fn_pairs.items())
    for pair in pred_fn_pairs:
        if not isinstance(pair, tuple) or len(pair) != 2:
            raise TypeError(f"Each entry in 'pred_fn_pairs' must be a 2-tuple. Received {pair}.")
        pred, fn = pair
        if isinstance(pred, Tensor):
            if pred.dtype is not _dtypes.bool:
                raise TypeError(f"pred must be Tensor of type bool: {pred.name}")
        else:
            raise TypeError(f"pred must be a Tensor, got: {pred}")
        if not callable(fn):
            raise TypeError(f"fn for pred {pred.name} must be callable.")
    predicates, actions = zip(*pred_fn_pairs)  # an empty list: Python's "not enough values to unpack", as TF
    return predicates, actions


def case(pred_fn_pairs: Any, default: Callable | None = None, exclusive: bool = False, strict: bool = False,
         name: str = "case") -> Any:
    """The result of the first callable whose predicate is true, else of ``default`` (``tf.case``).

    >>> import featherflow as tf
    >>> x = tf.constant(3)
    >>> tf.case([(x < 2, lambda: 1), (x < 5, lambda: 2)], default=lambda: 3)
    2
    """
    predicates, actions = _case_args(pred_fn_pairs, exclusive)
    if default is None:
        default, predicates, actions = _default_action(predicates, actions)
    fn = default
    for predicate, action in reversed(list(zip(predicates, actions))):
        fn = functools.partial(_cond, predicate, true_fn=action, false_fn=fn, strict=strict)
    if exclusive:
        _assert_at_most_n_true(predicates, 1, "Input error: exclusive=True")
    return fn()


def _branches(branch_fns: Any, default: Callable | None, branch_index: Any) -> list:
    if not isinstance(branch_index, Tensor):
        raise TypeError(f"'branch_index' must be a Tensor, got {type(branch_index)}")
    if not branch_index.dtype.is_integer:
        raise TypeError(f"'branch_index' must be an integer Tensor, got {branch_index.dtype}")
    if not branch_fns:
        raise ValueError("Must provide at least one item in 'branch_fns'")
    if not isinstance(branch_fns, (list, tuple, dict)):
        raise TypeError("'branch_fns' must be a list, tuple, or dict")
    if isinstance(branch_fns, dict):
        branch_fns = branch_fns.items()
    if all(callable(fn) for fn in branch_fns):
        branch_fns = list(enumerate(branch_fns))
    for pair in branch_fns:
        if not isinstance(pair, tuple) or len(pair) != 2:
            raise TypeError(f"Each entry in 'branch_fns' must be a 2-tuple. Received {pair}.")
        key, fn = pair
        if not isinstance(key, int):
            raise TypeError(f"key must be a Python `int`, got {type(key)}")
        if not callable(fn):
            raise TypeError(f"fn for key {key} must be callable.")
    keys = [p[0] for p in branch_fns]
    if min(keys) < 0 or max(keys) >= len(keys) or len(set(keys)) != len(keys):
        raise ValueError("branch indices (keys) must form contiguous range of [0 to {}) but found {{{}}}".format(
            len(keys), ",".join(map(str, sorted(keys)))))
    actions = [fn for _, fn in sorted(branch_fns, key=lambda p: p[0])]
    if default is not None:
        actions.append(default)
    return actions


def switch_case(branch_index: Any, branch_fns: Any, default: Callable | None = None,
                name: str = "switch_case") -> Any:
    """``branch_fns[branch_index]()``; an index out of range runs ``default``, or the last branch without one
    (``tf.switch_case``).

    >>> import featherflow as tf
    >>> tf.switch_case(tf.constant(7), [lambda: 1, lambda: 2], default=lambda: 9)
    9
    """
    actions = _branches(branch_fns, default, branch_index)
    index = int(branch_index.numpy())  # TF reads the index on the host too
    if index < 0 or index >= len(actions):
        index = len(actions) - 1
    return actions[index]()

