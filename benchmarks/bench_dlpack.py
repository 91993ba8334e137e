"""DLPack exchange (zero-copy, so the cost per call is the protocol's): featherflow tensors to NumPy and PyTorch and
back, against the same exchange of NumPy arrays, PyTorch tensors and TensorFlow tensors, in the same run."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np
from common import median_times, optional, table

N = 1 << 20  # a 4 MiB float32 buffer: a copy would show (tens of microseconds), the protocol alone does not


def _cases(torch: Any, tf: Any) -> dict[str, dict[str, Callable[[], Any]]]:
    import featherflow as ff

    host = np.arange(N, dtype=np.float32)
    with ff.device("CPU:0"):  # on a GPU machine too: these rows are the host's
        tensors = {"featherflow": ff.constant(host), "numpy": host}
    if torch is not None:
        tensors["torch"] = torch.from_numpy(host.copy())
    if tf is not None:
        tensors["tensorflow"] = tf.constant(host)
    cases: dict[str, dict[str, Callable[[], Any]]] = {"np.from_dlpack(x)": {}, "torch.from_dlpack(x)": {},
                                                      "from_dlpack(numpy array)": {}, "to_dlpack + from_dlpack": {}}
    for lib, x in tensors.items():
        cases["np.from_dlpack(x)"][lib] = lambda x=x: np.from_dlpack(x)
        if torch is not None:
            cases["torch.from_dlpack(x)"][lib] = lambda x=x: torch.from_dlpack(x)
    # each library taking a NumPy array, and a capsule of its own tensor back
    cases["from_dlpack(numpy array)"]["featherflow"] = lambda: ff.experimental.dlpack.from_dlpack(host)
    cases["from_dlpack(numpy array)"]["numpy"] = lambda: np.from_dlpack(host)
    t = tensors["featherflow"]
    cases["to_dlpack + from_dlpack"]["featherflow"] = (
        lambda: ff.experimental.dlpack.from_dlpack(ff.experimental.dlpack.to_dlpack(t)))
    if torch is not None:
        p = tensors["torch"]
        cases["from_dlpack(numpy array)"]["torch"] = lambda: torch.from_dlpack(host)
        cases["to_dlpack + from_dlpack"]["torch"] = (
            lambda: torch.utils.dlpack.from_dlpack(torch.utils.dlpack.to_dlpack(p)))
    if tf is not None:
        ttf = tensors["tensorflow"]
        cases["from_dlpack(numpy array)"]["tensorflow"] = lambda: tf.experimental.dlpack.from_dlpack(host.__dlpack__())
        cases["to_dlpack + from_dlpack"]["tensorflow"] = (
            lambda: tf.experimental.dlpack.from_dlpack(tf.experimental.dlpack.to_dlpack(ttf)))
    return {name: libs for name, libs in cases.items() if len(libs) > 1}


def _gpu_cases(torch: Any) -> dict[str, dict[str, Callable[[], Any]]]:
    """The same exchange on featherflow's GPU:0 with its array library (CuPy, or the simulated card) and PyTorch
    CUDA; empty where featherflow sees no GPU."""
    import featherflow as ff

    if not ff.config.list_physical_devices("GPU"):
        return {}
    with ff.device("GPU:0"):
        t = ff.constant(np.arange(N, dtype=np.float32))
    xp = t._device.xp
    lib = "cupy" if xp.__name__ == "cupy" else "simulated"
    arrays: dict[str, Any] = {"featherflow": t, lib: xp.arange(N, dtype=xp.float32)}
    cuda = torch is not None and torch.cuda.is_available() and lib == "cupy"
    if cuda:
        arrays["torch"] = torch.arange(N, dtype=torch.float32, device="cuda")
    cases: dict[str, dict[str, Callable[[], Any]]] = {f"GPU {lib}.from_dlpack(x)": {}, "GPU torch.from_dlpack(x)": {},
                                                      f"GPU from_dlpack({lib} array)": {}}
    for name, x in arrays.items():
        cases[f"GPU {lib}.from_dlpack(x)"][name] = lambda x=x: xp.from_dlpack(x)
        if cuda:
            cases["GPU torch.from_dlpack(x)"][name] = lambda x=x: torch.from_dlpack(x)
    source = arrays[lib]
    cases[f"GPU from_dlpack({lib} array)"]["featherflow"] = lambda: ff.experimental.dlpack.from_dlpack(source)
    cases[f"GPU from_dlpack({lib} array)"][lib] = lambda: xp.from_dlpack(source)
    if cuda:
        cases[f"GPU from_dlpack({lib} array)"]["torch"] = lambda: torch.from_dlpack(source)
    return {name: libs for name, libs in cases.items() if len(libs) > 1}


def run() -> str:
    torch = optional("torch")  # before TensorFlow (common.optional says why)
    tf = optional("tensorflow")
    title = "DLPack exchange, zero-copy (median per call; the columns are the producer, or the consumer for from_dlpack)"
    rows = [(name, median_times(libs, min_time=0.3, repeats=15)) for name, libs in _cases(torch, tf).items()]
    text = table(title, rows)
    gpu = [(name, median_times(libs, min_time=0.3, repeats=15)) for name, libs in _gpu_cases(torch).items()]
    return text + ("\n" + table(title.replace("exchange", "exchange on GPU:0"), gpu) if gpu else "")


if __name__ == "__main__":
    print(run())
