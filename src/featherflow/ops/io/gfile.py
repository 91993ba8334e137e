"""``tf.io.gfile`` on local paths: ``GFile`` (TF's lazily opened, buffered file) and the file system calls,
raising TF's ``tf.errors`` with TF's messages.

>>> import featherflow as tf, os, tempfile
>>> path = os.path.join(tempfile.mkdtemp(), "a.txt")
>>> with tf.io.gfile.GFile(path, "w") as f:
...     f.write("one\\ntwo\\n")
>>> tf.io.gfile.GFile(path).readlines()
['one\\n', 'two\\n']
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

from ... import errors
from ._fs import os_error, text
from .files import match

_MODES = ("r", "w", "a", "r+", "w+", "a+")


class GFile:
    """A file on a local path, opened on first read or write as TF's ``FileIO`` (``tf.io.gfile.GFile``):
    ``mode`` ``"r"``, ``"w"``, ``"a"`` and their ``+`` forms, ``b`` for bytes (else str) from reads."""

    def __init__(self, name: Any, mode: str = "r") -> None:
        self.__name = text(name)
        self.__mode = mode
        self._binary = "b" in mode
        plain = mode.replace("b", "")
        if plain not in _MODES:
            raise errors.InvalidArgumentError(None, None, "mode is not 'r' or 'w' or 'a' or 'r+' or 'w+' or 'a+'")
        self._readable = plain.startswith("r") or "+" in plain
        self._writable = not plain.startswith("r") or "+" in plain
        self._plain = plain
        self._file: Any = None

    @property
    def name(self) -> str:
        """The path the file was opened with."""
        return self.__name

    @property
    def mode(self) -> str:
        """The mode the file was opened with."""
        return self.__mode

    def _open(self) -> Any:
        if self._file is None:
            py_mode = {"r": "rb", "w": "wb", "a": "ab", "r+": "r+b", "w+": "w+b", "a+": "a+b"}[self._plain]
            try:
                self._file = open(self.__name, py_mode)  # noqa: SIM115 - held open until close()
            except OSError as e:
                raise os_error(self.__name, e) from None
        return self._file

    def _reader(self) -> Any:
        if not self._readable:
            raise errors.PermissionDeniedError(None, None, "File isn't open for reading")
        return self._open()

    def _writer(self) -> Any:
        if not self._writable:
            raise errors.PermissionDeniedError(None, None, "File isn't open for writing")
        return self._open()

    def _value(self, data: bytes) -> Any:
        return data if self._binary else data.decode("utf-8")

    def size(self) -> int:
        """The file's length in bytes."""
        return stat(self.__name).length

    def write(self, file_content: Any) -> None:
        """Appends ``file_content`` (str, encoded UTF-8, or bytes) to the file."""
        data = file_content.encode("utf-8") if isinstance(file_content, str) else bytes(file_content)
        self._writer().write(data)

    def read(self, n: int = -1) -> Any:
        """``n`` bytes (all that is left for -1) from the current position."""
        f = self._reader()
        return self._value(f.read() if n == -1 else f.read(n))

    def seek(self, offset: int | None = None, whence: int = 0, position: int | None = None) -> None:
        """Moves to ``offset`` from the start (``whence=0``), the current position (1) or the end (2)."""
        f = self._reader()
        if position is not None:
            offset = position
        offset = offset or 0
        if whence == 1:
            offset += f.tell()
        elif whence == 2:
            offset += self.size()
        elif whence != 0:
            raise errors.InvalidArgumentError(None, None,
                                              f"Invalid whence argument: {whence}. Valid values are 0, 1, or 2.")
        if offset < 0:
            raise errors.InvalidArgumentError(None, None, f"Seeking to a negative position: {offset}")
        if offset > self.size():  # TF's buffered reader refuses positions past the end
            raise errors.OutOfRangeError(None, None, "reached end of file")
        f.seek(offset)

    def readline(self) -> Any:
        """The next line, with its ``\\n``; empty at the end of the file."""
        return self._value(self._reader().readline())

    def readlines(self) -> list:
        """All the lines left."""
        return [self._value(line) for line in self._reader().readlines()]

    def tell(self) -> int:
        """The current position."""
        return (self._reader() if self._readable else self._writer()).tell()

    def __enter__(self) -> GFile:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __iter__(self) -> Iterator[Any]:
        return self

    def __next__(self) -> Any:
        line = self.readline()
        if not line:
            raise StopIteration
        return line

    def next(self) -> Any:
        return self.__next__()

    def flush(self) -> None:
        """Writes what is buffered to the file."""
        if self._file is not None and self._writable:
            self._file.flush()

    def close(self) -> None:
        """Flushes and closes the file."""
        if self._file is not None:
            self._file.close()
            self._file = None

    def seekable(self) -> bool:
        return True


Open = GFile


class FileStatistics:
    """``tf.io.gfile.stat``'s result: ``length``, ``is_directory`` and ``mtime_nsec`` (whole seconds, as TF)."""

    def __init__(self, length: int, is_directory: bool, mtime_nsec: int) -> None:
        self.length = length
        self.is_directory = is_directory
        self.mtime_nsec = mtime_nsec

    def __repr__(self) -> str:
        return (f"FileStatistics(length={self.length}, is_directory={self.is_directory}, "
                f"mtime_nsec={self.mtime_nsec})")


def exists(path: Any) -> bool:
    """Whether ``path`` exists (a file or a directory)."""
    return os.path.exists(text(path))


def isdir(path: Any) -> bool:
    """Whether ``path`` is a directory."""
    return os.path.isdir(text(path))


def stat(path: Any) -> FileStatistics:
    """The length, kind and modification time of ``path``."""
    path = text(path)
    try:
        st = os.stat(path)
    except OSError as e:
        raise os_error(path, e) from None
    return FileStatistics(st.st_size, os.path.isdir(path),
                          int(st.st_mtime) * 1_000_000_000)


def listdir(path: Any) -> list[str]:
    """The names of the entries of the directory ``path``."""
    path = text(path)
    if not os.path.isdir(path):
        raise errors.NotFoundError(None, None, f"Could not find directory {path}")
    try:
        return os.listdir(path)
    except OSError as e:
        raise os_error(path, e) from None


def glob(pattern: Any) -> list[str]:
    """The paths matching ``pattern`` (or a list of patterns, each one's matches in turn)."""
    if isinstance(pattern, (str, bytes, os.PathLike)):
        return match(text(pattern))
    return [p for each in pattern for p in match(text(each))]


def mkdir(path: Any) -> None:
    """Creates the directory ``path`` (its parent must exist; an existing one is fine, as TF)."""
    path = text(path)
    try:
        os.mkdir(path)
    except FileExistsError:
        pass
    except OSError as e:
        raise os_error(path, e) from None


def makedirs(path: Any) -> None:
    """Creates the directory ``path`` and any missing parents."""
    path = text(path)
    try:
        os.makedirs(path, exist_ok=True)
    except OSError as e:
        raise os_error(path, e) from None


def remove(path: Any) -> None:
    """Deletes the file ``path``."""
    path = text(path)
    try:
        os.remove(path)
    except OSError as e:
        raise os_error(path, e) from None


def rmtree(path: Any) -> None:
    """Deletes ``path`` and everything under it (a file alone too, as TF)."""
    path = text(path)
    if not os.path.lexists(path):
        raise errors.NotFoundError(None, None, f"{path} not found")
    try:
        if os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path)
        else:
            os.remove(path)
    except OSError as e:
        raise os_error(path, e) from None


def _check_target(newpath: str, overwrite: bool) -> None:
    if not overwrite and os.path.exists(newpath):
        raise errors.AlreadyExistsError(None, None, "file already exists")


def copy(src: Any, dst: Any, overwrite: bool = False) -> None:
    """Copies the file ``src`` to ``dst``; AlreadyExistsError if ``dst`` exists and not ``overwrite``."""
    src, dst = text(src), text(dst)
    if not os.path.exists(src):
        raise os_error(src, FileNotFoundError(2, os.strerror(2)))
    _check_target(dst, overwrite)
    try:
        shutil.copyfile(src, dst)
    except OSError as e:
        raise os_error(src, e) from None


def rename(src: Any, dst: Any, overwrite: bool = False) -> None:
    """Renames ``src`` to ``dst``; AlreadyExistsError if ``dst`` exists and not ``overwrite``."""
    src, dst = text(src), text(dst)
    if not os.path.exists(src):
        raise os_error(src, FileNotFoundError(2, os.strerror(2)))
    _check_target(dst, overwrite)
    try:
        os.replace(src, dst)
    except OSError as e:
        raise os_error(src, e) from None


def walk(top: Any, topdown: bool = True, onerror: Any = None) -> Iterator[tuple[str, list, list]]:
    """``(dirname, subdirs, files)`` for ``top`` and each directory under it, as ``os.walk``."""
    top = text(top)
    try:
        names = listdir(top)
    except errors.NotFoundError as e:
        if onerror is not None:
            onerror(e)
        return
    dirs = [n for n in names if os.path.isdir(os.path.join(top, n))]
    files = [n for n in names if n not in dirs]
    if topdown:
        yield top, dirs, files
    for d in dirs:
        yield from walk(os.path.join(top, d), topdown, onerror)
    if not topdown:
        yield top, dirs, files


def join(path: Any, *paths: Any) -> str:
    """Joins path parts with ``/`` (an absolute part starts over, as ``os.path.join``)."""
    return os.path.join(text(path), *[text(p) for p in paths])


def get_registered_schemes() -> list[str]:
    """The URI schemes with a file system: only local paths here."""
    return ["", "file"]
