"""tf.data.experimental.CsvDataset against real TensorFlow: parsing (quotes, line breaks, delimiters, NA values,
selected and excluded columns, compression), element specs, and the errors of bad records, which leave the
iterator on the next record."""

from __future__ import annotations

import gzip

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import featherflow as ff

from ._oracle import assert_same


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    root = tmp_path_factory.mktemp("csv")
    contents = {
        "f.csv": b'a,b,c\n1,2.5,x\n3,,"y,z"\n5,6.5,"multi\nline"\n',
        "short.csv": b"1,2\n3\n",
        "blank.csv": b"1,2\n\n3,4\n",
        "semi.csv": b'1;NA;"q""x"\r\n2;3;w',
        "bad_quotes.csv": b'1,a"b\n2,"c"d"\n3,"open\n',
        "numbers.csv": b"1,2.5,1e3\n-4, 5 ,nan\n99999999999,x,0x10\n",
        "empty.csv": b"",
    }
    for name, data in contents.items():
        (root / name).write_bytes(data)
    (root / "f.csv.gz").write_bytes(gzip.compress(contents["f.csv"]))
    return str(root)


def _cases(d):
    return {
        "types": lambda tf: tf.data.experimental.CsvDataset(f"{d}/f.csv", [tf.int32, tf.float32, tf.string],
                                                            header=True),
        "numeric_default_is_a_type_enum": lambda tf: tf.data.experimental.CsvDataset(f"{d}/f.csv", [0, 9.0, "d"],
                                                                                     header=True),
        "select": lambda tf: tf.data.experimental.CsvDataset(f"{d}/f.csv", [0, "d"], header=True,
                                                             select_cols=[0, 2]),
        "exclude": lambda tf: tf.data.experimental.CsvDataset(f"{d}/f.csv", [9.5], header=True,
                                                              exclude_cols=[0, 2]),
        "select_and_exclude": lambda tf: tf.data.experimental.CsvDataset(f"{d}/f.csv", [9.5], header=True,
                                                                         exclude_cols=[0], select_cols=[1]),
        "no_header": lambda tf: tf.data.experimental.CsvDataset(f"{d}/f.csv", ["", "", ""]),
        "short": lambda tf: tf.data.experimental.CsvDataset(f"{d}/short.csv", [0, 0]),
        "blank_line": lambda tf: tf.data.experimental.CsvDataset(f"{d}/blank.csv", [0, 0]),
        "delim_na_crlf": lambda tf: tf.data.experimental.CsvDataset(f"{d}/semi.csv", [0, 0, ""], field_delim=";",
                                                                    na_value="NA"),
        "no_quotes": lambda tf: tf.data.experimental.CsvDataset(f"{d}/semi.csv", [0, 0, ""], field_delim=";",
                                                                na_value="NA", use_quote_delim=False),
        "two_files": lambda tf: tf.data.experimental.CsvDataset([f"{d}/empty.csv", f"{d}/blank.csv"], [0, 7]),
        "select_unsorted": lambda tf: tf.data.experimental.CsvDataset(f"{d}/f.csv", [0, 0], select_cols=[2, 1]),
        "select_size": lambda tf: tf.data.experimental.CsvDataset(f"{d}/f.csv", [0], select_cols=[0, 1]),
        "missing_file": lambda tf: tf.data.experimental.CsvDataset(f"{d}/none.csv", [0]),
        "not_a_number": lambda tf: tf.data.experimental.CsvDataset(f"{d}/f.csv", [0, 0.0, ""]),
        "gzip": lambda tf: tf.data.experimental.CsvDataset(f"{d}/f.csv.gz", [0, 0.0, ""], compression_type="GZIP",
                                                           header=True),
        "gzip_plain_file": lambda tf: tf.data.experimental.CsvDataset(f"{d}/f.csv", [0, 0.0, ""],
                                                                      compression_type="GZIP", header=True),
        "too_many_fields": lambda tf: tf.data.experimental.CsvDataset(f"{d}/f.csv", ["", ""]),
    }


@pytest.mark.parametrize("name", sorted(_cases("")))
def test_matches_tensorflow(tf_oracle, files, name) -> None:
    assert_same(ff, tf_oracle, _cases(files)[name])


def _all_records(tf, build) -> list:
    """Every record as values, or as the error it raised (iteration goes on after an error, as in TF)."""
    it = iter(build(tf))
    out = []
    for _ in range(60):
        try:
            out.append([repr(np.asarray(v.numpy()).tolist()) for v in next(it)])  # repr: nan == nan
        except StopIteration:
            break
        except tf.errors.OpError as error:
            out.append((type(error).__name__, error.message.split("\n")[0]))
    return out


def test_records_after_an_error_match_tensorflow(tf_oracle, files) -> None:
    for name in ("bad_quotes.csv", "numbers.csv", "short.csv"):
        for defaults in (["", ""], [0, 0.0, ""], [tf_oracle.int64, "", 0.0]):
            def build(tf, name=name, defaults=defaults):
                return tf.data.experimental.CsvDataset(f"{files}/{name}", [tf.int64 if d is tf_oracle.int64 else d
                                                                           for d in defaults])
            assert _all_records(ff, build) == _all_records(tf_oracle, build), (name, defaults)


@settings(max_examples=40)
@given(text=st.text(alphabet='ab1,"\n\r ', max_size=30), columns=st.integers(1, 3), quotes=st.booleans())
def test_any_text_parses_as_tensorflow(tf_oracle, tmp_path_factory, text, columns, quotes) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "f.csv"
    path.write_bytes(text.encode())

    def build(tf):
        return tf.data.experimental.CsvDataset(str(path), ["-"] * columns, use_quote_delim=quotes)

    assert _all_records(ff, build) == _all_records(tf_oracle, build)


@pytest.fixture(scope="module")
def tables(tmp_path_factory):
    root = tmp_path_factory.mktemp("tables")
    (root / "a.csv").write_bytes(b'id,score,name,label\n1,0.5,ab,0\n2,,cd,1\n3,1.5,"e,f",0\n4,2,gh,1\n5,2.5,ij,0\n')
    (root / "b.csv").write_bytes(b"id,score,name,label\n6,3.5,kl,1\n7,NA,mn,0\n")
    return str(root)


def _make(tables, **kwargs):
    return lambda tf: tf.data.experimental.make_csv_dataset(f"{tables}/*.csv", 2, shuffle=False, **kwargs)


MAKE_CASES = {
    "one_epoch": {"num_epochs": 1},
    "label": {"num_epochs": 1, "label_name": "label"},
    "select_names": {"num_epochs": 1, "select_columns": ["name", "id"]},
    "select_indices": {"num_epochs": 1, "select_columns": [3, 1], "label_name": "label"},
    "two_epochs": {"num_epochs": 2},
    "na_value": {"num_epochs": 1, "na_value": "NA"},
    "defaults": {"num_epochs": 1, "column_defaults": [0, 0.0, "", 0], "na_value": "NA"},
    "names": {"num_epochs": 1, "column_names": ["a", "b", "c", "d"], "na_value": "NA"},
    "bad_label": {"num_epochs": 1, "label_name": "zz"},
    "bad_select_name": {"num_epochs": 1, "select_columns": ["zz"]},
    "bad_select_index": {"num_epochs": 1, "select_columns": [9]},
    "duplicate_select": {"num_epochs": 1, "select_columns": [1, 1]},
    "no_header_no_names": {"num_epochs": 1, "header": False},
    "parallel_reads": {"num_epochs": 1, "num_parallel_reads": 2},
    "inference_rows": {"num_epochs": 1, "num_rows_for_inference": 1},
    "ignore_errors": {"num_epochs": 1, "column_defaults": ["int32", "float32", "", 0], "ignore_errors": True},
}


@pytest.mark.parametrize("name", sorted(MAKE_CASES))
def test_make_csv_dataset_matches_tensorflow(tf_oracle, tables, name) -> None:
    kwargs = dict(MAKE_CASES[name])
    if name == "ignore_errors":
        def build(tf):
            kwargs["column_defaults"] = [tf.int32, tf.float32, "", 0]
            return _make(tables, **kwargs)(tf)
    else:
        build = _make(tables, **kwargs)
    assert_same(ff, tf_oracle, build)


def test_make_csv_dataset_repeats_with_full_batches(tf_oracle, tables) -> None:
    assert_same(ff, tf_oracle, lambda tf: _make(tables, num_epochs=None)(tf).take(5))


def test_make_csv_dataset_without_files(tf_oracle, tables) -> None:
    assert_same(ff, tf_oracle, lambda tf: tf.data.experimental.make_csv_dataset(f"{tables}/*.zz", 2))
