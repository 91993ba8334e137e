"""tf.data.Options: defaults, validation, equality, merging and propagation through pipelines, against real TF."""

from __future__ import annotations

import logging

import pytest

import featherflow as tf

TF = pytest.importorskip("tensorflow")

GROUPS = {"": lambda m: m.data.Options(), "threading": lambda m: m.data.ThreadingOptions(),
          "distribute": lambda m: m.data.experimental.DistributeOptions(),
          "optimization": lambda m: m.data.experimental.OptimizationOptions(),
          "autotune": lambda m: m.data.experimental.AutotuneOptions(),
          "service": lambda m: m.data.experimental.ServiceOptions()}


def _public(obj: object) -> list[str]:
    return sorted(a for a in dir(obj) if not a.startswith("_"))


@pytest.mark.parametrize("group", list(GROUPS))
def test_attributes_and_defaults_match_tf(group: str) -> None:
    ours, theirs = GROUPS[group](tf), GROUPS[group](TF)
    assert _public(ours) == _public(theirs)
    for name in _public(theirs):
        if name in ("merge", "experimental_threading"):
            continue
        mine, ref = getattr(ours, name), getattr(theirs, name)
        if isinstance(ref, TF.data.Options.__mro__[1]):  # a nested options group: compare its type's name
            assert type(mine).__name__ == type(ref).__name__
        elif hasattr(ref, "name") and hasattr(ref, "value"):  # an enum default
            assert (mine.name, mine.value) == (ref.name, ref.value)
        else:
            assert mine == ref, name


def test_enums_match_tf() -> None:
    for enum_name in ("AutoShardPolicy", "AutotuneAlgorithm", "ExternalStatePolicy"):
        ours = [(m.name, m.value) for m in getattr(tf.data.experimental, enum_name)]
        theirs = [(m.name, m.value) for m in getattr(TF.data.experimental, enum_name)]
        assert ours == theirs
    assert tf.data.experimental.AutoShardPolicy.DATA == 2  # an IntEnum, as in TF


def _error(fn) -> tuple[type, str]:
    with pytest.raises(Exception) as info:
        fn()
    return type(info.value).__name__, str(info.value)


def _clean(text: str) -> str:
    """Type reprs name each library's module: compare the rest."""
    return text.replace("tensorflow.python.data.ops.options", "M").replace("featherflow.data.options", "M")


@pytest.mark.parametrize("case", [
    lambda m: setattr(m.data.Options(), "deterministic", 1),
    lambda m: setattr(m.data.Options(), "experimental_slack", "yes"),
    lambda m: setattr(m.data.Options(), "foo", 1),
    lambda m: setattr(m.data.Options(), "threading", 3),
    lambda m: setattr(m.data.Options().threading, "private_threadpool_size", "a"),
    lambda m: setattr(m.data.Options().threading, "max_intra_op_parallelism", 1.5),
    lambda m: setattr(m.data.Options().threading, "bogus", 1),
    lambda m: setattr(m.data.Options().experimental_distribute, "auto_shard_policy", 1),
    lambda m: setattr(m.data.Options().experimental_optimization, "map_fusion", None),
    lambda m: setattr(m.data.Options(), "dataset_name", 5),
    lambda m: m.data.Options().merge(m.data.ThreadingOptions()),
    lambda m: m.data.Dataset.range(3).with_options(3),
    lambda m: setattr(m.data.Dataset.range(3).options(), "deterministic", True),
    lambda m: setattr(m.data.Dataset.range(3).options().threading, "private_threadpool_size", 2),
    lambda m: setattr(m.data.Dataset.range(3).options().experimental_distribute, "num_devices", 2),
])
def test_validation_errors_match_tf(case) -> None:
    ours, theirs = _error(lambda: case(tf)), _error(lambda: case(TF))
    assert ours[0] == theirs[0]
    assert _clean(ours[1]) == _clean(theirs[1])


def _configure(m, deterministic=None, pool=None, shard=None, slack=None, name=None):
    o = m.data.Options()
    if deterministic is not None:
        o.deterministic = deterministic
    if pool is not None:
        o.threading.private_threadpool_size = pool
    if shard is not None:
        o.experimental_distribute.auto_shard_policy = getattr(m.data.experimental.AutoShardPolicy, shard)
    if slack is not None:
        o.experimental_slack = slack
    if name is not None:
        o.dataset_name = name
    return o


def _summary(o) -> tuple:
    return (o.deterministic, o.experimental_deterministic, o.threading.private_threadpool_size,
            o.threading.max_intra_op_parallelism, o.experimental_distribute.auto_shard_policy.name,
            o.experimental_slack, o.dataset_name, o.experimental_optimization.map_fusion)


CONFIGS = [{}, {"deterministic": False}, {"pool": 4}, {"shard": "DATA", "slack": True},
           {"deterministic": True, "pool": 2, "name": "x"}]


@pytest.mark.parametrize("a", CONFIGS)
@pytest.mark.parametrize("b", CONFIGS[1:])
def test_equality_and_merge_match_tf(a: dict, b: dict) -> None:
    ours = (_configure(tf, **a), _configure(tf, **b))
    theirs = (_configure(TF, **a), _configure(TF, **b))
    assert (ours[0] == ours[1], ours[0] != ours[1]) == (theirs[0] == theirs[1], theirs[0] != theirs[1])
    assert ours[0] == _configure(tf, **a)
    assert _summary(ours[0].merge(ours[1])) == _summary(theirs[0].merge(theirs[1]))
    assert _summary(ours[1].merge(ours[0])) == _summary(theirs[1].merge(theirs[0]))
    # through datasets: with_options twice, then a transformation
    ds = tf.data.Dataset.range(4).with_options(ours[0]).with_options(ours[1]).map(lambda x: x + 1).batch(2)
    ref = TF.data.Dataset.range(4).with_options(theirs[0]).with_options(theirs[1]).map(lambda x: x + 1).batch(2)
    assert _summary(ds.options()) == _summary(ref.options())
    assert [v.tolist() for v in ds.as_numpy_iterator()] == [v.tolist() for v in ref.as_numpy_iterator()]


def test_conflicting_merge_warns_and_later_wins(caplog: pytest.LogCaptureFixture) -> None:
    first, second = _configure(tf, deterministic=False), _configure(tf, deterministic=True)
    with caplog.at_level(logging.WARNING, logger="featherflow"):
        merged = first.merge(second)
    assert merged.deterministic is True
    assert "Changing the value of option deterministic from False to True." in caplog.text


def test_options_returns_frozen_copy_and_keeps_user_object_mutable() -> None:
    o = _configure(tf, pool=3)
    ds = tf.data.Dataset.range(3).with_options(o)
    got = ds.options()
    assert got == o and got is not o and ds.options() is not got
    o.deterministic = False  # the caller's object stays mutable (as in TF) and does not change the dataset
    assert ds.options().deterministic is None
    assert tf.data.Dataset.range(3).options() == tf.data.Options()
    got.experimental_service.pinned = True  # TF leaves this group mutable on the frozen copy
    assert ds.options().experimental_service.pinned is None


def test_deprecated_aliases_read_and_write_replacements() -> None:
    o = tf.data.Options()
    o.experimental_deterministic = False
    assert o.deterministic is False
    t = tf.data.ThreadingOptions()
    t.private_threadpool_size = 7
    o.experimental_threading = t
    assert o.threading.private_threadpool_size == 7 and o.experimental_threading is t


def test_zip_and_concatenate_merge_input_options_like_tf() -> None:
    def run(m):
        a = m.data.Dataset.range(2).with_options(_configure(m, deterministic=False))
        b = m.data.Dataset.range(2).with_options(_configure(m, slack=True, pool=5))
        return (_summary(m.data.Dataset.zip((a, b)).options()), _summary(a.concatenate(b).options()),
                _summary(a.enumerate().skip(1).take(1).repeat(2).options()),
                _summary(b.apply(lambda d: d.filter(lambda x: x > 0)).options()))

    assert run(tf) == run(TF)


def test_framework_type_lists_concatenate_on_merge() -> None:
    def run(m):
        a, b = m.data.Options(), m.data.Options()
        a.framework_type = ["keras"]
        b.framework_type = ["jax"]
        return a.merge(b).framework_type

    assert run(tf) == run(TF)
