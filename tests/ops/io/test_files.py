"""tf.io's file ops and tf.io.gfile against TensorFlow: each case runs the same steps under both in a fresh
directory and compares the results (paths relative to it) or the error's type and message."""

from __future__ import annotations

import os

import pytest

import featherflow as ff


def outcome(fn, mod, root):
    try:
        result = repr(fn(mod, root))
    except Exception as e:  # noqa: BLE001 - the error's type and text are what is compared
        return type(e).__name__, str(e).removesuffix(" name: ").replace(root, "ROOT")
    return "ok", result.replace(root, "ROOT")


def setup(root):
    os.makedirs(os.path.join(root, "a", "b"))
    with open(os.path.join(root, "a", "f.txt"), "wb") as f:
        f.write(b"line1\nline2\nlast")
    with open(os.path.join(root, "a", ".hidden"), "wb") as f:
        f.write(b"h")


def j(*parts):
    return os.path.join(*parts)


def write_then_read(tf, root):
    tf.io.write_file(j(root, "new", "deep", "x.bin"), b"\x00\xffdata")
    return tf.io.read_file(j(root, "new", "deep", "x.bin"))


def gfile_steps(tf, root):
    f = tf.io.gfile.GFile(j(root, "a", "f.txt"))
    a = f.read(3)
    f.seek(2)
    b = f.read(3), f.tell(), f.readline(), f.size(), f.name, f.mode
    f.seek(-2, 2)
    c = f.read()
    f.seek(1, 1)
    return a, b, c, f.tell()


def gfile_write_modes(tf, root):
    path = j(root, "a", "w.txt")
    with tf.io.gfile.GFile(path, "w") as f:
        f.write(b"bytes")
        f.write("str\n")
        f.flush()
        before = f.tell()
    with tf.io.gfile.GFile(path, "a") as f:
        f.write("more")
    return before, tf.io.gfile.GFile(path, "rb").read(), list(tf.io.gfile.GFile(path))


def walk(tf, root, topdown=True):
    return [(d, sorted(dirs), sorted(files)) for d, dirs, files in tf.io.gfile.walk(root, topdown=topdown)]


def copy_rename(tf, root):
    g = tf.io.gfile
    g.copy(j(root, "a", "f.txt"), j(root, "a", "g.txt"))
    g.rename(j(root, "a", "g.txt"), j(root, "a", "h.txt"))
    g.copy(j(root, "a", "f.txt"), j(root, "a", "h.txt"), overwrite=True)
    return sorted(g.listdir(j(root, "a"))), g.GFile(j(root, "a", "h.txt")).read()


def remove_steps(tf, root):
    g = tf.io.gfile
    g.remove(j(root, "a", "f.txt"))
    g.rmtree(j(root, "a"))
    return g.exists(j(root, "a")), g.listdir(root)


CASES = {
    "read_write": write_then_read,
    "read_missing": lambda tf, root: tf.io.read_file(j(root, "nope")),
    "read_directory": lambda tf, root: tf.io.read_file(j(root, "a")),
    "read_vector": lambda tf, root: tf.io.read_file(["a", "b"]),
    "read_int": lambda tf, root: tf.io.read_file(1),
    "write_vector": lambda tf, root: tf.io.write_file(j(root, "x"), ["a"]),
    "write_result": lambda tf, root: tf.io.write_file(j(root, "x"), "a"),
    "matching": lambda tf, root: tf.io.matching_files(j(root, "a", "*")),
    "matching_several": lambda tf, root: tf.io.matching_files([j(root, "a", "*.txt"), j(root, "*")]),
    "matching_class": lambda tf, root: tf.io.matching_files(j(root, "a", "f.tx[tz]")),
    "matching_nothing": lambda tf, root: tf.io.matching_files(j(root, "zz", "*")),
    "gfile_read": lambda tf, root: (tf.io.gfile.GFile(j(root, "a", "f.txt")).read(),
                                    tf.io.gfile.GFile(j(root, "a", "f.txt"), "rb").read()),
    "gfile_lines": lambda tf, root: (tf.io.gfile.GFile(j(root, "a", "f.txt")).readlines(),
                                     list(tf.io.gfile.GFile(j(root, "a", "f.txt")))),
    "gfile_seek_tell": gfile_steps,
    "gfile_seek_past_end": lambda tf, root: tf.io.gfile.GFile(j(root, "a", "f.txt")).seek(100),
    "gfile_seek_negative": lambda tf, root: tf.io.gfile.GFile(j(root, "a", "f.txt")).seek(-3, 2 - 2),
    "gfile_write_modes": gfile_write_modes,
    "gfile_missing_is_lazy": lambda tf, root: type(tf.io.gfile.GFile(j(root, "nope"))).__name__,
    "gfile_missing_read": lambda tf, root: tf.io.gfile.GFile(j(root, "nope")).read(),
    "gfile_bad_mode": lambda tf, root: tf.io.gfile.GFile(j(root, "a", "f.txt"), "x"),
    "gfile_not_writable": lambda tf, root: tf.io.gfile.GFile(j(root, "a", "f.txt")).write("x"),
    "gfile_not_readable": lambda tf, root: tf.io.gfile.GFile(j(root, "a", "w2.txt"), "w").read(),
    "gfile_write_missing_dir": lambda tf, root: tf.io.gfile.GFile(j(root, "zz", "y.txt"), "w").write("x"),
    "exists_isdir": lambda tf, root: (tf.io.gfile.exists(j(root, "a")), tf.io.gfile.exists(j(root, "zz")),
                                      tf.io.gfile.isdir(j(root, "a")), tf.io.gfile.isdir(j(root, "a", "f.txt"))),
    "listdir": lambda tf, root: sorted(tf.io.gfile.listdir(j(root, "a"))),
    "listdir_missing": lambda tf, root: tf.io.gfile.listdir(j(root, "zz")),
    "listdir_file": lambda tf, root: tf.io.gfile.listdir(j(root, "a", "f.txt")),
    "glob": lambda tf, root: tf.io.gfile.glob(j(root, "a", "*")),
    "glob_list": lambda tf, root: tf.io.gfile.glob([j(root, "a", "*.txt"), j(root, "*")]),
    "stat": lambda tf, root: (tf.io.gfile.stat(j(root, "a", "f.txt")).length,
                              tf.io.gfile.stat(j(root, "a", "f.txt")).is_directory,
                              tf.io.gfile.stat(j(root, "a")).is_directory),
    "stat_mtime": lambda tf, root: tf.io.gfile.stat(j(root, "a", "f.txt")).mtime_nsec
                                   == int(os.stat(j(root, "a", "f.txt")).st_mtime) * 10**9,
    "stat_missing": lambda tf, root: tf.io.gfile.stat(j(root, "zz")),
    "mkdir": lambda tf, root: (tf.io.gfile.mkdir(j(root, "m")), tf.io.gfile.mkdir(j(root, "m")),
                               tf.io.gfile.isdir(j(root, "m"))),
    "mkdir_missing_parent": lambda tf, root: tf.io.gfile.mkdir(j(root, "q", "r")),
    "makedirs": lambda tf, root: (tf.io.gfile.makedirs(j(root, "p", "q")), tf.io.gfile.makedirs(j(root, "p", "q")),
                                  tf.io.gfile.isdir(j(root, "p", "q"))),
    "copy_rename": copy_rename,
    "copy_exists": lambda tf, root: tf.io.gfile.copy(j(root, "a", "f.txt"), j(root, "a", ".hidden")),
    "copy_missing": lambda tf, root: tf.io.gfile.copy(j(root, "zz"), j(root, "a", "n.txt")),
    "rename_exists": lambda tf, root: tf.io.gfile.rename(j(root, "a", ".hidden"), j(root, "a", "f.txt")),
    "rename_missing": lambda tf, root: tf.io.gfile.rename(j(root, "zz"), j(root, "a", "n.txt")),
    "remove_rmtree": remove_steps,
    "remove_missing": lambda tf, root: tf.io.gfile.remove(j(root, "zz")),
    "remove_directory": lambda tf, root: tf.io.gfile.remove(j(root, "a", "b")),
    "rmtree_missing": lambda tf, root: tf.io.gfile.rmtree(j(root, "zz")),
    "walk": walk,
    "walk_bottom_up": lambda tf, root: walk(tf, root, topdown=False),
    "walk_missing": lambda tf, root: list(tf.io.gfile.walk(j(root, "zz"))),
    "join": lambda tf, root: (tf.io.gfile.join("a", "b", "/c"), tf.io.gfile.join("a/", "b"),
                              tf.io.gfile.join("a", "")),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_like_tensorflow(case, tf_oracle, tmp_path):
    results = []
    for name, mod in (("ff", ff), ("tf", tf_oracle)):
        root = str(tmp_path / name)
        setup(root)
        results.append(outcome(CASES[case], mod, root))
    assert results[0] == results[1]


def test_read_file_on_the_simulated_gpu_stays_on_the_host(device, tmp_path):
    path = str(tmp_path / "x")
    with ff.device("/GPU:0" if device == "GPU" else "/CPU:0"):
        ff.io.write_file(path, "data")
        out = ff.io.read_file(path)
    assert out.device.endswith("CPU:0") and out.numpy() == b"data"
