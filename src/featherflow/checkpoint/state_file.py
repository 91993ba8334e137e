"""The ``checkpoint`` state file beside TF's checkpoints: ``DIRNAME/checkpoint``, a text-format ``CheckpointState``
naming the latest checkpoint and the ones kept (``tf.train.get_checkpoint_state``, ``CheckpointManager``).

The checkpoints themselves, the tensor bundles, are ``bundle``'s.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any

from .._logs import LazyLogger
from .bundle import _random64

# the name these warnings have always been logged under (this code was part of ``bundle``), kept for log filters
_logger = LazyLogger("featherflow.checkpoint.bundle")


def write_checkpoint_state(
    dirname: str | os.PathLike,
    model_checkpoint_path: str,
    all_model_checkpoint_paths: Iterable[str],
    all_model_checkpoint_timestamps: Iterable[float] | None = None,
    last_preserved_timestamp: float | None = None,
) -> None:
    """Atomically writes ``DIRNAME/checkpoint`` as TF's ``update_checkpoint_state_internal``
    does with ``save_relative_paths=True`` (what ``Checkpoint.save`` and ``CheckpointManager`` use).

    Absolute paths are written relative to ``dirname``; ``model_checkpoint_path``
    is appended to the list when it isn't already last.

    >>> import tempfile
    >>> d = tempfile.mkdtemp()
    >>> write_checkpoint_state(d, os.path.join(d, "ckpt-2"), [os.path.join(d, "ckpt-1"), os.path.join(d, "ckpt-2")])
    >>> print(open(os.path.join(d, "checkpoint")).read(), end="")
    model_checkpoint_path: "ckpt-2"
    all_model_checkpoint_paths: "ckpt-1"
    all_model_checkpoint_paths: "ckpt-2"
    """
    from google.protobuf import text_format

    from . import _protos

    save_dir = os.fspath(dirname)

    def relative(path: str) -> str:
        return os.path.relpath(path, save_dir) if os.path.isabs(path) else path

    model_path = relative(os.fspath(model_checkpoint_path))
    paths = [relative(os.fspath(p)) for p in all_model_checkpoint_paths]
    if not paths or paths[-1] != model_path:
        paths.append(model_path)
    timestamps = list(all_model_checkpoint_timestamps or [])
    if timestamps and len(timestamps) != len(paths):
        raise ValueError(
            f"Checkpoint timestamps, if provided, must match checkpoint paths (got paths {paths} and "
            f"timestamps {timestamps})"
        )
    if not os.path.isabs(save_dir):  # TF re-relativizes paths when the directory itself is relative
        model_path = model_path if os.path.isabs(model_path) else os.path.relpath(model_path, save_dir)
        paths = [p if os.path.isabs(p) else os.path.relpath(p, save_dir) for p in paths]
    state = _protos.CheckpointState(
        model_checkpoint_path=model_path,
        all_model_checkpoint_paths=paths,
        all_model_checkpoint_timestamps=timestamps,
    )
    if last_preserved_timestamp is not None:
        state.last_preserved_timestamp = last_preserved_timestamp
    filename = os.path.join(save_dir, "checkpoint")
    if filename == state.model_checkpoint_path:
        raise RuntimeError(
            f"Save path '{model_checkpoint_path}' conflicts with path used for checkpoint state.  Please use a "
            "different save path."
        )
    os.makedirs(save_dir or ".", exist_ok=True)
    temp = f"{filename}.tmp{_random64():x}"
    try:
        with open(temp, "w", encoding="utf-8") as f:
            f.write(text_format.MessageToString(state))
        os.replace(temp, filename)
    except BaseException:
        try:
            os.remove(temp)
        except OSError:
            pass
        raise


def read_checkpoint_state(dirname: str | os.PathLike, latest_filename: str = "checkpoint") -> Any:
    """``DIRNAME/checkpoint`` as a ``CheckpointState`` message with relative paths joined onto
    ``dirname``, or ``None`` when the file is missing, unreadable or doesn't parse
    (``tf.train.get_checkpoint_state``). A state without ``model_checkpoint_path`` is a ValueError.

    >>> import tempfile
    >>> d = tempfile.mkdtemp()
    >>> write_checkpoint_state(d, "ckpt-1", [])
    >>> read_checkpoint_state(d).model_checkpoint_path == os.path.join(d, "ckpt-1")
    True
    """
    from google.protobuf import text_format

    from . import _protos

    checkpoint_dir = os.fspath(dirname)
    filename = os.path.join(checkpoint_dir, latest_filename)
    try:
        with open(filename, encoding="utf-8") as f:
            content = f.read()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as e:
        _logger.warning("%s: %s: Checkpoint ignored", filename, e)
        return None
    state = _protos.CheckpointState()
    try:
        text_format.Merge(content, state)
    except text_format.ParseError as e:
        _logger.warning("%s: ParseError: %s: Checkpoint ignored", filename, e)
        return None
    if not state.model_checkpoint_path:
        raise ValueError("Invalid checkpoint state loaded from " + checkpoint_dir)
    if not os.path.isabs(state.model_checkpoint_path):
        state.model_checkpoint_path = os.path.join(checkpoint_dir, state.model_checkpoint_path)
    for i, path in enumerate(state.all_model_checkpoint_paths):
        if not os.path.isabs(path):
            state.all_model_checkpoint_paths[i] = os.path.join(checkpoint_dir, path)
    return state
