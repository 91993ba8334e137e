"""The ``featherflow`` command: run TensorFlow programs on featherflow, and look inside TensorFlow checkpoints
and export them, without TensorFlow.

``featherflow run script.py [ARGS]`` (or ``featherflow run -m module [ARGS]``) runs a program written for
TensorFlow as it is: its ``import tensorflow``, and ``import keras`` with the TensorFlow backend, load featherflow.

``featherflow inspect CKPT`` prints every tensor's key, dtype and shape as TF's
``inspect_checkpoint`` tool does; ``--tensor KEY`` prints one tensor and
``--all`` every tensor. ``featherflow convert CKPT OUT.safetensors`` (or
``OUT.npz``) exports the tensors for PyTorch, JAX or NumPy users. ``CKPT`` is
a checkpoint prefix (``dir/ckpt-3``) or a directory with a ``checkpoint`` file.

This module imports only the standard library at import time; the checkpoint
reader loads when a command runs.
"""

from __future__ import annotations

import sys
from typing import Any

ATTRIBUTE_SUFFIX = "/.ATTRIBUTES/VARIABLE_VALUE"

# NumPy dtype name -> safetensors dtype. safetensors has no complex, string or 4/2-bit types.
SAFETENSORS_DTYPES = {
    "float64": "F64", "float32": "F32", "float16": "F16", "bfloat16": "BF16", "int64": "I64", "int32": "I32",
    "int16": "I16", "int8": "I8", "uint64": "U64", "uint32": "U32", "uint16": "U16", "uint8": "U8", "bool": "BOOL",
    "float8_e4m3fn": "F8_E4M3", "float8_e5m2": "F8_E5M2",
}  # fmt: skip


def _parser() -> Any:
    import argparse

    parser = argparse.ArgumentParser(prog="featherflow", description="Run TensorFlow programs on featherflow; "
                                     "inspect and convert TensorFlow checkpoints.")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="run a TensorFlow program unmodified: its `import tensorflow` (and `import "
                              "keras`, with the TensorFlow backend) load featherflow")
    run.add_argument("-m", dest="module", action="store_true", help="PROGRAM is a module name, as for `python -m`")
    run.add_argument("program", help="the script (or, with -m, the module) to run")
    run.add_argument("args", nargs=argparse.REMAINDER, help="the program's own arguments")
    inspect = commands.add_parser("inspect", help="list the tensors of a checkpoint (TF's inspect_checkpoint)")
    inspect.add_argument("checkpoint", help="checkpoint prefix, or a directory holding a 'checkpoint' file")
    inspect.add_argument("--tensor", metavar="KEY", help="print this tensor's value")
    inspect.add_argument("--all", action="store_true", help="print every tensor's value")
    convert = commands.add_parser("convert", help="export the tensors to OUT.safetensors or OUT.npz")
    convert.add_argument("checkpoint", help="checkpoint prefix, or a directory holding a 'checkpoint' file")
    convert.add_argument("output", help="the file to write; its extension (.safetensors or .npz) picks the format")
    convert.add_argument("--strip-attributes", action="store_true",
                         help=f"drop '{ATTRIBUTE_SUFFIX}' from keys (model/dense/kernel instead of the full key)")
    return parser


def _open(path: str) -> Any:
    import os

    from .checkpoint.bundle import BundleReader

    if os.path.isdir(path):
        from .checkpoint.manager import latest_checkpoint

        prefix = latest_checkpoint(path)
        if prefix is None:
            raise ValueError(f"Couldn't find 'checkpoint' file or checkpoints in given directory {path}")
        path = prefix
    return BundleReader(path)


def _type_name(reader: Any, key: str) -> str:
    from .checkpoint import _protos

    return _protos.data_type_name(reader.datatype_of(key))


def _value(reader: Any, key: str) -> Any:
    value = reader.read(key)
    if value.ndim == 0:
        return value.item() if value.dtype == object else value[()]
    return value


def _describe(reader: Any, key: str) -> str:
    """``tensor: KEY (float32) [2, 3]``, as TF's tool prints it."""
    from .dtypes import DType

    dtype = DType._by_enum.get(reader.datatype_of(key))
    name = dtype.name if dtype is not None else _type_name(reader, key)[3:].lower()
    return f"tensor: {key} ({name}) {list(reader.shape_of(key))}"


def inspect(path: str, tensor: str | None = None, all_tensors: bool = False, out: Any = None) -> int:
    """Prints what TF's ``inspect_checkpoint`` prints for ``path``; returns the exit status."""
    out = out or sys.stdout
    reader = _open(path)
    keys = reader.keys()
    if all_tensors:
        for key in keys:
            print(_describe(reader, key), file=out)
            print(_value(reader, key), file=out)
    elif tensor is None:
        for key in keys:
            dims = ",".join(str(d) for d in reader.shape_of(key))
            print(f"{key} ({_type_name(reader, key)}) [{dims}]", file=out)
        print(file=out)
    else:
        if not reader.has(tensor):
            print(f"Tensor {tensor} not found in checkpoint", file=out)
            return 1
        print(_describe(reader, tensor), file=out)
        print(_value(reader, tensor), file=out)
    total = 0
    for key in keys:
        count = 1
        for d in reader.shape_of(key):
            count *= d
        total += count
    print(f"# Total number of params: {total}", file=out)
    return 0


def _exported(reader: Any, strip: bool, supported: Any, err: Any) -> list[tuple[str, str]]:
    """(output name, key) for every tensor the format can hold; notes on stderr for those it can't."""
    chosen = []
    names: dict[str, str] = {}
    for key in reader.keys():
        if key == "_CHECKPOINTABLE_OBJECT_GRAPH":
            continue  # the object graph describes Python objects: nothing to export
        reason = supported(reader, key)
        if reason:
            print(f"skipped {key}: {reason}", file=err)
            continue
        name = key[: -len(ATTRIBUTE_SUFFIX)] if strip and key.endswith(ATTRIBUTE_SUFFIX) else key
        if name in names:
            raise ValueError(f"keys {names[name]!r} and {key!r} would both be exported as {name!r}")
        names[name] = key
        chosen.append((name, key))
    return chosen


def _safetensors_reason(reader: Any, key: str) -> str | None:
    from .checkpoint.bundle import DT_STRING

    datatype = reader.datatype_of(key)
    if datatype == DT_STRING:
        return "string tensors have no safetensors dtype"
    try:
        name = reader.dtype_of(key).name
    except Exception as e:  # noqa: BLE001 - an unsupported TF dtype: say which
        return str(e)
    if name not in SAFETENSORS_DTYPES:
        return f"{name} has no safetensors dtype"
    return None


def write_safetensors(reader: Any, path: str, strip: bool = False, err: Any = None) -> list[str]:
    """Writes the safetensors format by hand: an 8-byte little-endian header length, a JSON header of
    ``{name: {dtype, shape, data_offsets}}`` (padded with spaces to 8 bytes), then the raw little-endian
    bytes of each tensor in header order. Streams one tensor at a time; returns the names written."""
    import json
    import os

    import numpy as np

    chosen = _exported(reader, strip, _safetensors_reason, err or sys.stderr)
    header: dict[str, Any] = {"__metadata__": {"format": "np", "source": "featherflow convert"}}
    offset = 0
    for name, key in chosen:
        dtype = reader.dtype_of(key)
        count = 1
        for d in reader.shape_of(key):
            count *= d
        size = count * dtype.itemsize
        header[name] = {"dtype": SAFETENSORS_DTYPES[dtype.name], "shape": list(reader.shape_of(key)),
                        "data_offsets": [offset, offset + size]}
        offset += size
    encoded = json.dumps(header, separators=(",", ":")).encode()
    encoded += b" " * (-len(encoded) % 8)
    temp = f"{path}.tmp{os.getpid()}"
    try:
        with open(temp, "wb") as f:
            f.write(len(encoded).to_bytes(8, "little"))
            f.write(encoded)
            for _, key in chosen:
                value = np.ascontiguousarray(reader.read(key))
                if value.dtype.byteorder == ">" or (value.dtype.byteorder == "=" and sys.byteorder == "big"):
                    value = value.byteswap()
                f.write(value.reshape(-1).view(np.uint8).data)
        os.replace(temp, path)
    except BaseException:
        if os.path.exists(temp):
            os.remove(temp)
        raise
    return [name for name, _ in chosen]


_NUMPY_NATIVE = {"float16", "float32", "float64", "complex64", "complex128", "int8", "int16", "int32", "int64",
                 "uint8", "uint16", "uint32", "uint64", "bool"}


def _npz_reason(reader: Any, key: str) -> str | None:
    from .checkpoint.bundle import DT_STRING

    if reader.datatype_of(key) == DT_STRING:
        return None  # exported as fixed-width bytes (dtype S), which loads without pickle
    try:
        name = reader.dtype_of(key).name
    except Exception as e:  # noqa: BLE001 - an unsupported TF dtype: say which
        return str(e)
    if name not in _NUMPY_NATIVE:
        return f"{name} is not a NumPy dtype (loading it would need ml_dtypes)"
    return None


def write_npz(reader: Any, path: str, strip: bool = False, err: Any = None) -> list[str]:
    """Writes an ``.npz`` that ``np.load(path, allow_pickle=False)`` reads: strings become fixed-width
    ``bytes`` arrays (dtype ``S``); bfloat16 and float8 tensors are skipped, since NumPy alone can't load them."""
    import os
    import zipfile

    import numpy as np

    chosen = _exported(reader, strip, _npz_reason, err or sys.stderr)
    temp = f"{path}.tmp{os.getpid()}"
    try:
        # np.savez keeps every array in memory until it returns; writing members one by one streams.
        with zipfile.ZipFile(temp, "w", zipfile.ZIP_STORED, allowZip64=True) as archive:
            for name, key in chosen:
                value = reader.read(key)
                if value.dtype == object:
                    if any(s.endswith(b"\0") for s in value.reshape(-1).tolist()):
                        print(f"note: {key}: NumPy's fixed-width bytes drop trailing NUL bytes", file=err or sys.stderr)
                    value = np.array(value.tolist(), dtype=bytes) if value.size else np.zeros(value.shape, "S1")
                with archive.open(name + ".npy", "w", force_zip64=True) as member:
                    np.lib.format.write_array(member, value, allow_pickle=False)
        os.replace(temp, path)
    except BaseException:
        if os.path.exists(temp):
            os.remove(temp)
        raise
    return [name for name, _ in chosen]


def convert(path: str, output: str, strip: bool = False, err: Any = None) -> int:
    reader = _open(path)
    if output.endswith(".safetensors"):
        names = write_safetensors(reader, output, strip, err)
    elif output.endswith(".npz"):
        names = write_npz(reader, output, strip, err)
    else:
        print("featherflow convert: OUT must end in .safetensors or .npz", file=err or sys.stderr)
        return 2
    print(f"wrote {len(names)} tensors to {output}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """The console entry point; returns the exit status (1 on a checkpoint error, with TF's message)."""
    args = _parser().parse_args(argv)
    if args.command == "run":  # the program's own errors and exit status are its own, as under `python`
        from ._tensorflow import run_program

        run_program(args.program, args.args, module=args.module)
        return 0
    from .errors import OpError

    try:
        if args.command == "inspect":
            return inspect(args.checkpoint, args.tensor, args.all)
        return convert(args.checkpoint, args.output, args.strip_attributes)
    except (OpError, ValueError, OSError) as e:
        print(f"featherflow {args.command}: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
