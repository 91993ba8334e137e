"""The control-flow functions take TF's parameters, in TF's order, with TF's defaults."""

from __future__ import annotations

import inspect

import pytest

import featherflow as ff

NAMES = ["cond", "case", "switch_case", "while_loop", "map_fn", "vectorized_map", "scan", "foldl", "foldr",
         "no_op", "group", "tuple", "control_dependencies", "init_scope", "TensorArray.__init__",
         "TensorArray.read", "TensorArray.write", "TensorArray.stack", "TensorArray.unstack", "TensorArray.gather",
         "TensorArray.scatter", "TensorArray.concat", "TensorArray.split", "TensorArray.size", "TensorArray.close",
         "TensorArraySpec.__init__", "autograph.to_graph", "autograph.to_code", "autograph.set_verbosity",
         "autograph.trace", "autograph.experimental.do_not_convert", "autograph.experimental.set_loop_options"]


def _get(module, name):
    for part in name.split("."):
        module = getattr(module, part)
    return inspect.unwrap(module)


def _params(fn):
    return [(p.name, p.kind, p.default) for p in inspect.signature(fn).parameters.values()]


@pytest.mark.parametrize("name", NAMES)
def test_signature_is_tfs(name, tf_oracle):
    ours, theirs = _params(_get(ff, name)), _params(_get(tf_oracle, name))
    if name == "autograph.experimental.set_loop_options":  # TF's defaults are a private UNSPECIFIED marker
        ours, theirs = [p[:2] for p in ours], [p[:2] for p in theirs]
    assert ours == theirs
