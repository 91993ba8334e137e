"""A worker that fails mid-run (argv[1]: ``kill``, ``raise``, ``exit`` or ``timeout``); the job must end, not hang."""

import os
import signal
import sys
import time

import featherflow as tf


def main(mode):
    options = tf.distribute.experimental.CommunicationOptions(timeout_seconds=1 if mode == "timeout" else None)
    strategy = tf.distribute.MultiWorkerMirroredStrategy(communication_options=options)
    rank = strategy.cluster_resolver.task_id
    with strategy.scope():
        v = tf.Variable([1.0, 2.0])
    for step in range(1_000_000):
        if rank == 1 and step == 3:
            if mode == "kill":
                print(f"killed at {time.time()}", flush=True)
                os.kill(os.getpid(), signal.SIGKILL)
            if mode == "exit":
                sys.exit(3)
            if mode == "raise":
                raise RuntimeError("this worker failed on purpose")
            if mode == "timeout":
                time.sleep(60)  # the others' next all-reduce times out
        strategy.reduce("SUM", strategy.run(lambda: v * 2.0), axis=None)


if __name__ == "__main__":
    main(sys.argv[1])
