"""The default strategy and ``OneDeviceStrategy``: contexts, ``run``/``reduce``/``gather``, ``all_reduce``,
``all_gather``, ``merge_call``, ``update``, scopes and their errors, each against real TensorFlow."""

from __future__ import annotations

import featherflow as ff

from ._support import error_type, outcome, same


def _contexts(tf):
    default = tf.distribute.get_strategy()
    one = tf.distribute.OneDeviceStrategy("/cpu:0")
    steps = [outcome(tf.distribute.has_strategy), outcome(tf.distribute.in_cross_replica_context),
             outcome(lambda: tf.distribute.get_replica_context().replica_id_in_sync_group),
             outcome(lambda: tf.distribute.get_replica_context().num_replicas_in_sync),
             outcome(lambda: tf.distribute.get_replica_context().strategy is default),
             outcome(lambda: default.num_replicas_in_sync), outcome(lambda: default.cluster_resolver),
             outcome(lambda: default.extended.worker_devices), outcome(lambda: default.extended.parameter_devices),
             outcome(lambda: default.extended._in_multi_worker_mode()),
             outcome(lambda: default.extended.experimental_require_static_shapes)]
    with default.scope():
        steps += [outcome(tf.distribute.has_strategy), outcome(tf.distribute.in_cross_replica_context),
                  outcome(lambda: tf.distribute.get_replica_context() is not None)]
    with one.scope():
        steps += [outcome(tf.distribute.has_strategy), outcome(tf.distribute.in_cross_replica_context),
                  outcome(tf.distribute.get_replica_context), outcome(lambda: tf.distribute.get_strategy() is one)]
        with one.scope():  # the same strategy again: fine
            steps.append(outcome(tf.distribute.in_cross_replica_context))
    steps += [outcome(lambda: one.extended.worker_devices), outcome(lambda: one.extended.parameter_devices),
              outcome(lambda: one.extended.non_slot_devices([])), outcome(lambda: one.num_replicas_in_sync),
              outcome(lambda: one.extended._in_multi_worker_mode()),
              outcome(lambda: tf.distribute.OneDeviceStrategy("/gpu:0").extended.worker_devices),
              outcome(lambda: tf.distribute.OneDeviceStrategy("foo"))]
    in_run = one.run(lambda: (tf.distribute.has_strategy(), tf.distribute.in_cross_replica_context(),
                              tf.distribute.get_strategy() is one, tf.distribute.get_replica_context().devices,
                              tf.distribute.get_replica_context().replica_id_in_sync_group,
                              tf.constant(1.0).device))
    steps.append(_plain_run(in_run))
    return steps


def _plain_run(values):
    return outcome(lambda: values)


def test_contexts_and_properties_as_tensorflow(tf_oracle) -> None:
    same(_contexts, ff, tf_oracle)


def _run_reduce_gather(tf):
    steps = []
    for strategy in (tf.distribute.get_strategy(), tf.distribute.OneDeviceStrategy("/cpu:0")):
        steps += _run_reduce_gather_steps(tf, strategy, tf.constant([[1.0, 2.0], [3.0, 4.0]]))
    return steps


def _run_reduce_gather_steps(tf, strategy, x):
    return [outcome(lambda: strategy.run(lambda a, b=1.0: a * 2 + b, args=(x,), kwargs={"b": 3.0})),
            outcome(lambda: strategy.run(lambda: (1, "a", None))),
            outcome(lambda: strategy.run(5)),
            outcome(lambda: strategy.run(lambda a: a, args=x)),
            outcome(lambda: strategy.reduce("SUM", x, axis=None)),
            outcome(lambda: strategy.reduce("SUM", x, axis=0)),
            outcome(lambda: strategy.reduce("sum", x, axis=[0, 1])),
            outcome(lambda: strategy.reduce(tf.distribute.ReduceOp.MEAN, x, axis=1)),
            outcome(lambda: strategy.reduce("MEAN", tf.constant([1, 2]), axis=0)),
            error_type(lambda: strategy.reduce("MEAN", x, axis=2)),
            error_type(lambda: strategy.reduce("MEAN", x, axis=-3)),
            error_type(lambda: strategy.reduce("MEAN", x, axis="a")),
            outcome(lambda: strategy.reduce("PROD", x, axis=None)),
            outcome(lambda: strategy.reduce("MEAN", {"a": x}, axis=None)),
            outcome(lambda: strategy.reduce("SUM", 3.0, axis=None)),
            outcome(lambda: strategy.gather(x, axis=1)),
            outcome(lambda: strategy.gather([x, tf.constant(1)], axis=0)),
            outcome(lambda: strategy.experimental_local_results(x)),
            outcome(lambda: strategy.experimental_local_results([x, 1])),
            outcome(lambda: strategy.unwrap(x)), outcome(lambda: strategy.group(x)),
            outcome(lambda: strategy.group([x, x])), outcome(lambda: strategy.experimental_run(lambda: 3)),
            outcome(lambda: strategy.configure()), outcome(lambda: strategy.update_config_proto(None)),
            outcome(lambda: strategy.extended.experimental_should_init),
            outcome(lambda: strategy.extended.experimental_between_graph),
            outcome(lambda: strategy.extended.should_checkpoint),
            outcome(lambda: strategy.experimental_distribute_values_from_function(
                lambda ctx: (ctx.replica_id_in_sync_group, ctx.num_replicas_in_sync)))]


def test_run_reduce_gather_as_tensorflow(tf_oracle) -> None:
    same(_run_reduce_gather, ff, tf_oracle)


def _replica_collectives(tf):
    steps = []
    one = tf.distribute.OneDeviceStrategy("/cpu:0")
    rc = tf.distribute.get_replica_context()
    value = [tf.constant(1.0), {"a": tf.constant([2, 3]), "b": (tf.constant([[1.5]]),)}]
    slices = tf.IndexedSlices(tf.constant([[1.0, 2.0]]), tf.constant([1]), tf.constant([3, 2]))

    def in_replica():
        ctx = tf.distribute.get_replica_context()
        reduced = ctx.all_reduce("SUM", slices)
        return (ctx.all_reduce("SUM", value), ctx.all_reduce(tf.distribute.ReduceOp.MEAN, value),
                ctx.all_gather([tf.constant([1.0]), tf.constant([[1, 2]])], axis=0),
                ctx.all_gather(tf.constant([[1, 2]]), axis=1),
                type(reduced).__name__, reduced.values, reduced.indices, reduced.dense_shape)

    steps += [outcome(lambda: rc.all_reduce("SUM", value)), outcome(lambda: rc.all_reduce("MEAN", value)),
              outcome(lambda: rc.all_reduce("SUM", 2.0)), outcome(lambda: rc.all_reduce("MAX", 2.0)),
              outcome(lambda: rc.all_gather(tf.constant([[1, 2]]), axis=1)),
              outcome(lambda: rc.all_gather(slices, axis=0)),
              outcome(lambda: tf.distribute.get_strategy().run(in_replica)), outcome(lambda: one.run(in_replica))]
    return steps


def test_all_reduce_and_all_gather_as_tensorflow(tf_oracle) -> None:
    same(_replica_collectives, ff, tf_oracle)


def test_all_reduce_passes_gradients_through() -> None:
    x = ff.constant([1.0, 2.0])
    with ff.GradientTape() as tape:
        tape.watch(x)
        y = ff.distribute.get_replica_context().all_reduce("SUM", x * x)
    assert tape.gradient(y, x).numpy().tolist() == [2.0, 4.0]


def _merge_call(tf):
    one = tf.distribute.OneDeviceStrategy("/cpu:0")
    default = tf.distribute.get_strategy()
    rc = tf.distribute.get_replica_context()

    def merged(strategy, a, b=0):
        return (strategy is one, strategy is default, a + b, tf.distribute.in_cross_replica_context(),
                tf.distribute.get_replica_context(), tf.distribute.has_strategy())

    def nested_merge_call():
        ctx = tf.distribute.get_replica_context()
        return ctx.merge_call(lambda s: ctx.merge_call(lambda s2: 1))

    def all_reduce_in_merge_call():
        ctx = tf.distribute.get_replica_context()
        return ctx.merge_call(lambda s: ctx.all_reduce("SUM", 1.0))

    return [outcome(lambda: rc.merge_call(merged, args=(1,), kwargs={"b": 2})),
            outcome(lambda: one.run(lambda: tf.distribute.get_replica_context().merge_call(merged, args=(5,)))),
            outcome(lambda: one.run(lambda: tf.distribute.get_replica_context().merge_call(
                lambda s: s.run(lambda: 3)))),
            outcome(lambda: one.run(nested_merge_call)), outcome(lambda: one.run(all_reduce_in_merge_call)),
            outcome(lambda: default.run(lambda: tf.distribute.get_replica_context().merge_call(merged, args=(1,)))),
            outcome(lambda: one.run(lambda: one.run(lambda: 1))),
            outcome(lambda: one.run(lambda: one.reduce("SUM", 1.0, axis=None))),
            outcome(lambda: one.run(lambda: one.gather(tf.constant([1.0]), axis=0))),
            outcome(lambda: one.run(lambda: default.run(lambda: 1)))]


def test_merge_call_as_tensorflow(tf_oracle) -> None:
    same(_merge_call, ff, tf_oracle)


def _scopes_and_errors(tf):
    one = tf.distribute.OneDeviceStrategy("/cpu:0")
    other = tf.distribute.OneDeviceStrategy("/cpu:0")
    default = tf.distribute.get_strategy()
    steps = []

    def enter(scope):
        with scope:
            return "entered"

    with one.scope():
        steps += [outcome(lambda: enter(other.scope())), outcome(lambda: enter(default.scope())),
                  outcome(lambda: default.run(lambda: 1)), outcome(lambda: default.reduce("SUM", 1.0, axis=None)),
                  outcome(lambda: tf.distribute.experimental_set_strategy(other))]
    with default.scope():
        steps += [outcome(lambda: enter(default.scope())), outcome(lambda: enter(one.scope()))]
    steps += [outcome(lambda: tf.distribute.experimental_set_strategy(one)),
              outcome(lambda: (tf.distribute.get_strategy() is one, tf.distribute.has_strategy(),
                               tf.distribute.in_cross_replica_context())),
              outcome(lambda: tf.distribute.experimental_set_strategy(other)),
              outcome(lambda: tf.distribute.get_strategy() is other),
              outcome(lambda: tf.distribute.experimental_set_strategy(None)),
              outcome(tf.distribute.has_strategy)]
    return steps


def test_scopes_nesting_and_set_strategy_as_tensorflow(tf_oracle) -> None:
    same(_scopes_and_errors, ff, tf_oracle)


def _variables_and_updates(tf):
    one = tf.distribute.OneDeviceStrategy("/cpu:0")
    default = tf.distribute.get_strategy()
    outside = tf.Variable(1.0)
    steps = [outcome(lambda: default.extended.variable_created_in_scope(outside)),
             outcome(lambda: one.extended.variable_created_in_scope(outside))]
    with one.scope():
        v = tf.Variable(1.0)
        with one.extended.colocate_vars_with(v):
            slot = tf.Variable(0.0)
        steps += [outcome(lambda: (v.device, slot.device)),
                  outcome(lambda: one.extended.variable_created_in_scope(v)),
                  outcome(lambda: one.extended.variable_created_in_scope(slot)),
                  outcome(lambda: default.extended.variable_created_in_scope(v)),
                  outcome(lambda: one.extended.colocate_vars_with(outside)),
                  outcome(lambda: one.extended.update(v, lambda a, b: a.assign_add(b), args=(2.0,))),
                  outcome(lambda: one.extended.update(v, lambda a, b: a.assign_add(b), args=(2.0,), group=False)),
                  outcome(lambda: one.extended.update(v, lambda a, b: a + b, args=(2.0,))),
                  outcome(lambda: one.extended.update(v, lambda a, b=0: a + b, kwargs={"b": 1.0}, group=False)),
                  outcome(lambda: one.extended.read_var(v)),
                  outcome(lambda: one.extended.value_container(v) is v),
                  outcome(lambda: one.extended.broadcast_to(tf.constant(2.0), destinations=v)),
                  outcome(lambda: one.extended.reduce_to("SUM", tf.constant(2.0), destinations=v)),
                  outcome(lambda: one.extended.batch_reduce_to("MEAN", [(tf.constant(2.0), v)])),
                  outcome(lambda: one.extended.call_for_each_replica(lambda x: x + 1, args=(tf.constant(1.0),)))]
    steps.append(outcome(lambda: one.run(lambda: one.extended.update(v, lambda a: a.assign_sub(1.0)))))
    steps.append(outcome(lambda: v.read_value()))
    w = tf.Variable(3.0)
    steps += [outcome(lambda: default.extended.update(w, lambda a, b: a.assign(b), args=(5.0,))),
              outcome(lambda: default.extended.update(w, lambda a: a * 2, group=False)),
              outcome(lambda: default.run(lambda: default.extended.update(w, lambda a: a.assign_add(1.0)))),
              outcome(lambda: default.extended.call_for_each_replica(lambda: 1)),
              outcome(lambda: default.extended.reduce_to("SUM", 1.0, destinations=None)),
              outcome(lambda: default.extended.batch_reduce_to("SUM", [(1.0, None)])),
              outcome(lambda: default.extended.broadcast_to(1.0, destinations="/cpu:0")),
              outcome(lambda: default.extended.read_var(w)),
              outcome(lambda: default.extended.non_slot_devices([])),
              outcome(lambda: default.extended.value_container(w) is w)]
    with default.extended.colocate_vars_with(w):
        u = tf.Variable(1.0)
    steps.append(outcome(lambda: u.device))
    return steps


def test_variables_and_updates_as_tensorflow(tf_oracle) -> None:
    same(_variables_and_updates, ff, tf_oracle)


def _merge_call_helpers(tf, maybe_merge_call, supports_no_merge_call):
    one = tf.distribute.OneDeviceStrategy("/cpu:0")
    default = tf.distribute.get_strategy()

    def fn(strategy, x, y=1):
        return strategy is one, strategy is default, tf.distribute.in_cross_replica_context(), x + y

    return [outcome(supports_no_merge_call), outcome(lambda: maybe_merge_call(fn, default, 1, y=2)),
            outcome(lambda: one.run(supports_no_merge_call)),
            outcome(lambda: one.run(lambda: maybe_merge_call(fn, one, 3)))]


def test_maybe_merge_call_as_tensorflow(tf_oracle) -> None:
    from featherflow.distribute.merge_call import maybe_merge_call, strategy_supports_no_merge_call

    ours = _merge_call_helpers(ff, maybe_merge_call, strategy_supports_no_merge_call)
    internal = tf_oracle.__internal__.distribute
    theirs = _merge_call_helpers(tf_oracle, internal.interim.maybe_merge_call, internal.strategy_supports_no_merge_call)
    assert ours == theirs


def test_the_default_strategy_is_one_object_and_not_copied() -> None:
    import copy

    default = ff.distribute.get_strategy()
    assert ff.distribute.get_replica_context().strategy is default
    for make in (lambda: type(default)(), lambda: copy.deepcopy(default)):
        try:
            make()
        except RuntimeError as e:
            assert str(e) == "Should only create a single instance of _DefaultDistributionStrategy"
        else:
            raise AssertionError("a second default strategy was made")


def test_tpu_strategy_fails_as_on_a_machine_without_tpus(tf_oracle) -> None:
    for tf in (ff, tf_oracle):
        assert outcome(tf.distribute.TPUStrategy) == ("raised", "ValueError", "Please provide a TPU Name to connect to.")
        assert outcome(tf.distribute.experimental.TPUStrategy) == outcome(tf.distribute.TPUStrategy)
        assert not isinstance(tf.distribute.get_strategy(), tf.distribute.TPUStrategy)


def test_a_strategy_deep_copies_as_tensorflows(tf_oracle) -> None:
    import copy

    for tf in (ff, tf_oracle):
        strategy = tf.distribute.OneDeviceStrategy("/cpu:0")
        twin = copy.deepcopy(strategy)
        assert twin is not strategy and twin.extended._container_strategy() is twin
        assert twin.extended.worker_devices == strategy.extended.worker_devices
        with twin.scope():
            assert tf.distribute.get_strategy() is twin
            v = tf.Variable(1.0)
        assert twin.extended.variable_created_in_scope(v) and not strategy.extended.variable_created_in_scope(v)
        assert outcome(lambda s=strategy: copy.copy(s)) == ("raised", "RuntimeError",
                                                            "Must only deepcopy DistributionStrategy.")


def _thread_sees(tf):
    import threading

    strategy = tf.distribute.OneDeviceStrategy("/cpu:0")
    seen = []

    def look():
        seen.append((tf.distribute.has_strategy(), tf.distribute.in_cross_replica_context()))

    def in_thread():
        thread = threading.Thread(target=look)
        thread.start()
        thread.join()

    with strategy.scope():
        look()
        in_thread()
    tf.distribute.experimental_set_strategy(strategy)
    try:
        look()
        in_thread()
    finally:
        tf.distribute.experimental_set_strategy(None)
    return seen


def test_each_thread_has_its_own_strategy_stack_as_in_tensorflow(tf_oracle) -> None:
    assert _thread_sees(ff) == _thread_sees(tf_oracle) == [(True, True), (False, False)] * 2
