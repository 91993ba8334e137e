"""Local file system errors as TF reports them: the ``tf.errors`` class of the OS error number (TF's
``ErrnoToCode``) and the text ``"<path>; <strerror>"`` of TF's ``IOError``."""

from __future__ import annotations

import errno
import os
from typing import Any

import numpy as np

from ... import errors

_CLASSES = {
    errno.ENOENT: errors.NotFoundError,
    errno.EISDIR: errors.FailedPreconditionError,
    errno.ENOTDIR: errors.FailedPreconditionError,
    errno.ENOTEMPTY: errors.FailedPreconditionError,
    errno.EEXIST: errors.AlreadyExistsError,
    errno.EACCES: errors.PermissionDeniedError,
    errno.EPERM: errors.PermissionDeniedError,
    errno.ENOSPC: errors.ResourceExhaustedError,
    errno.EINVAL: errors.InvalidArgumentError,
}


def error_class(error: OSError) -> type:
    """The ``tf.errors`` class TF maps ``error``'s errno to (UnknownError for the rest)."""
    return _CLASSES.get(error.errno or 0, errors.UnknownError)


def os_error(path: Any, error: OSError) -> Exception:
    """TF's error for an OS call on ``path`` that failed with ``error``."""
    return error_class(error)(None, None, f"{text(path)}; {error.strerror or os.strerror(error.errno or 0)}")


def text(path: Any) -> str:
    """A path given as str, bytes, ``os.PathLike`` or a string Tensor, as str."""
    if hasattr(path, "numpy"):
        path = path.numpy()
    path = os.fspath(path)
    return path.decode("utf-8", "surrogateescape") if isinstance(path, bytes) else path


def scalar_bytes(value: bytes) -> np.ndarray:
    """A 0-d string array holding ``value`` (NumPy must not see the bytes as a sequence)."""
    out = np.empty((), dtype=object)
    out[()] = value
    return out


def bytes_vector(values: list) -> np.ndarray:
    """A 1-D string array of ``values``."""
    out = np.empty(len(values), dtype=object)
    for i, v in enumerate(values):
        out[i] = v
    return out
