"""tf.train.ClusterSpec and the ClusterDef / JobDef / ServerDef messages against real TF: the same dicts, errors,
and protobuf bytes in both directions."""

from __future__ import annotations

import pytest

import featherflow as ff

CLUSTER = {"worker": ["w0:2222", "w1:2222"], "ps": {1: "ps1:2222", 3: "ps3"}, "chief": ("c:1",), "empty": []}


def _outcome(fn):
    try:
        return ("ok", fn())
    except Exception as e:
        return (type(e).__name__, str(e))


def _story(tf):
    c = tf.train.ClusterSpec(CLUSTER)
    out = [repr(c), c.as_dict(), c.jobs, c.num_tasks("ps"), c.task_indices("ps"), c.job_tasks("ps"),
           c.task_address("worker", 1), c.as_cluster_def().SerializeToString(deterministic=True)]
    out += [_outcome(lambda: c.num_tasks("x")), _outcome(lambda: c.task_address("ps", 0)),
            _outcome(lambda: c.task_indices("nope")), _outcome(lambda: c.job_tasks("nope"))]
    for bad in ({"a": "x"}, ["x"], {1: ["x"]}, {"a": [None]}, {"a": {"one": "x"}}):
        out.append(_outcome(lambda bad=bad: tf.train.ClusterSpec(bad)))
    again = tf.train.ClusterSpec(c.as_cluster_def())
    out += [again == c, again != c, bool(tf.train.ClusterSpec({})), bool(c), tf.train.ClusterSpec(c).as_dict()]
    out.append(tf.train.ClusterSpec({"w": {"2": b"x"}}).as_cluster_def().SerializeToString())
    server = tf.train.ServerDef(cluster=c.as_cluster_def(), job_name="worker", task_index=1, protocol="grpc",
                                port=5, replica=2)
    out.append(server.SerializeToString(deterministic=True))
    out.append(str(tf.train.JobDef(name="j", tasks={1: "a", 0: "b"})))
    return out


def test_cluster_spec_matches_tf(tf_oracle):
    assert _story(ff) == _story(tf_oracle)


def test_cluster_spec_accepts_tf_cluster_def_and_keeps_its_own(tf_oracle):
    theirs = tf_oracle.train.ClusterSpec(CLUSTER).as_cluster_def()
    assert ff.train.ClusterSpec(theirs).as_dict() == tf_oracle.train.ClusterSpec(theirs).as_dict()
    ours = ff.train.ClusterDef(job=[{"name": "w", "tasks": {0: "a:1"}}])
    assert ff.train.ClusterSpec(ours).as_cluster_def() is ours  # TF keeps the proto it was given
    assert not ff.train.ClusterSpec({"w": ["a"]}) == 3
    with pytest.raises(TypeError):
        hash(ff.train.ClusterSpec({"w": ["a"]}))


def test_server_def_bytes_move_both_ways(tf_oracle):
    from tensorflow.core.protobuf import config_pb2

    config = config_pb2.ConfigProto(intra_op_parallelism_threads=3, allow_soft_placement=True,
                                    device_count={"GPU": 2}, device_filters=["/job:ps"],
                                    operation_timeout_in_ms=-7, isolate_session_state=True)
    config.gpu_options.allow_growth = True  # an option message featherflow does not declare: kept as bytes
    config.cluster_def.CopyFrom(tf_oracle.train.ClusterSpec({"x": ["h:1"]}).as_cluster_def())
    theirs = tf_oracle.train.ServerDef(cluster=tf_oracle.train.ClusterSpec(CLUSTER).as_cluster_def(),
                                       job_name="ps", task_index=3, default_session_config=config, port=2222)
    theirs.cluster_device_filters.jobs.add(name="ps").tasks[3].device_filters.append("/job:worker")
    data = theirs.SerializeToString(deterministic=True)
    ours = ff.train.ServerDef.FromString(data)
    assert ours.default_session_config.device_count["GPU"] == 2
    assert ours.default_session_config.cluster_def.job[0].tasks[0] == "h:1"
    assert list(ours.cluster_device_filters.jobs[0].tasks[3].device_filters) == ["/job:worker"]
    # the undeclared gpu_options come back (written after the known fields, so compared as messages)
    assert tf_oracle.train.ServerDef.FromString(ours.SerializeToString()) == theirs
    ours.default_session_config.log_device_placement = True
    ours.replica = 4
    back = tf_oracle.train.ServerDef.FromString(ours.SerializeToString())
    assert back.default_session_config.log_device_placement and back.replica == 4
    assert back.default_session_config.gpu_options.allow_growth
    assert str(ff.train.ClusterDef.FromString(theirs.cluster.SerializeToString())) == str(theirs.cluster)
