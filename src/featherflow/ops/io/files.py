"""Whole-file ops: ``tf.io.read_file``, ``write_file`` and ``matching_files``, on local paths, on the host.

>>> import featherflow as tf, os, tempfile
>>> path = os.path.join(tempfile.mkdtemp(), "sub", "a.txt")
>>> tf.io.write_file(path, "hello")
>>> tf.io.read_file(path).numpy()
b'hello'
"""

from __future__ import annotations

import glob
import os
from typing import Any

from ...dtypes import string as _string
from ...tensor import Tensor, convert_to_tensor, kernel_error
from ..convert import shape_text
from ..registry import OPS, register
from ..strings.core import on_host
from ._fs import bytes_vector, error_class, scalar_bytes


def string_tensor(x: Any, op_name: str, index: int = 0) -> Tensor:
    """``x`` as the string input ``index`` of the op ``op_name``: a Python or NumPy value is converted to a
    string (TF's TypeError if it can't be), a Tensor of another dtype gets the op's dtype error."""
    if not isinstance(x, Tensor):
        x = convert_to_tensor(x, dtype=_string)
    OPS[op_name].check_input(index, x)
    return x


def _path(value: bytes) -> str:
    return value.decode("utf-8", "surrogateescape")


def _fs_error(op: str, path: bytes, error: OSError) -> Exception:
    return kernel_error(op, f"{_path(path)}; {error.strerror}", cls=error_class(error))


@register("ReadFile", host_only=True)
def read_file_op(xp: Any, filename: Any) -> Any:
    if filename.ndim:
        raise kernel_error("ReadFile", f"Input filename tensor must be scalar, but had shape: "
                                       f"{shape_text(filename.shape)}")
    path = filename[()]
    try:
        with open(_path(path), "rb") as f:
            return scalar_bytes(f.read())
    except OSError as e:
        raise _fs_error("ReadFile", path, e) from None


@on_host
def read_file(filename: Any, name: str | None = None) -> Tensor:
    """The whole contents of the file ``filename``, as a scalar string (``tf.io.read_file``)."""
    return read_file_op(string_tensor(filename, "ReadFile"))


@register("WriteFile", n_outputs=0, host_only=True)
def write_file_op(xp: Any, filename: Any, contents: Any) -> Any:
    if filename.ndim:
        raise kernel_error("WriteFile", f"Input filename tensor must be scalar, but had shape: "
                                        f"{shape_text(filename.shape)}")
    if contents.ndim:
        raise kernel_error("WriteFile", f"Contents tensor must be scalar, but had shape: {shape_text(contents.shape)}")
    path = filename[()]
    try:
        parent = os.path.dirname(_path(path))
        if parent:
            os.makedirs(parent, exist_ok=True)  # TF creates the missing directories (RecursivelyCreateDir)
        with open(_path(path), "wb") as f:
            f.write(contents[()])
    except OSError as e:
        raise _fs_error("WriteFile", path, e) from None
    return ()


@on_host
def write_file(filename: Any, contents: Any, name: str | None = None) -> None:
    """Writes the scalar string ``contents`` to ``filename``, creating missing directories (``tf.io.write_file``)."""
    write_file_op(string_tensor(filename, "WriteFile"), string_tensor(contents, "WriteFile", 1))


def match(pattern: str) -> list[str]:
    """The paths matching the glob ``pattern`` (``*``, ``?``, ``[...]``; hidden files too, as TF's matcher), in
    the order the directories list them (TF's ``GetMatchingPaths`` does not sort; ``MatchingFiles`` does)."""
    return glob.glob(pattern, include_hidden=True)


@register("MatchingFiles", host_only=True)
def matching_files_op(xp: Any, pattern: Any) -> Any:
    if pattern.ndim > 1:
        raise kernel_error("MatchingFiles", f"Input pattern tensor must be scalar or 1-D, but had shape: "
                                            f"{shape_text(pattern.shape)}")
    found = [p for p in pattern.reshape(-1) for p in match(_path(p))]
    return bytes_vector(sorted(p.encode("utf-8", "surrogateescape") for p in found))


@on_host
def matching_files(pattern: Any, name: str | None = None) -> Tensor:
    """The sorted file names matching the glob ``pattern`` (a string or a vector of them)."""
    return matching_files_op(string_tensor(pattern, "MatchingFiles"))
