"""Readers and writers: every format round-trips, bad input gets a clear error."""
from __future__ import annotations

import json
import warnings

import pandas as pd
import pytest

from cxtext.errors import (
    ColumnError,
    EncodingFallbackWarning,
    InputError,
    InputFileNotFoundError,
    OutputExistsError,
    UnsupportedFormatError,
)
from cxtext.io import open_table, open_writer, read_table, write_table

FORMATS = ["csv", "tsv", "xlsx", "parquet", "jsonl"]


@pytest.fixture
def frame():
    return pd.DataFrame({
        "id": ["007", "2", "3"],
        "comment": ["Muy bueno, gracias", "Ótimo; “aspas” e vírgulas, ok", "line\nbreak"],
        "empty": ["", "", ""],
    })


@pytest.mark.parametrize("fmt", FORMATS)
def test_round_trip_keeps_values_columns_and_order(tmp_path, frame, fmt):
    path = tmp_path / f"t.{fmt}"
    write_table(frame, path)
    back = read_table(path)
    assert list(back.columns) == list(frame.columns)
    got = back.astype(object).where(back.notna(), "").astype(str)
    assert got.values.tolist() == frame.values.tolist()


@pytest.mark.parametrize("fmt", FORMATS)
def test_chunks_preserve_order(tmp_path, fmt):
    frame = pd.DataFrame({"n": [str(i) for i in range(23)], "t": [f"text {i}" for i in range(23)]})
    path = tmp_path / f"t.{fmt}"
    write_table(frame, path)
    chunks = list(open_table(path).chunks(5))
    assert [len(c) for c in chunks] == [5, 5, 5, 5, 3]
    assert [str(v) for c in chunks for v in c["n"]] == frame["n"].tolist()


def test_list_columns_are_joined_in_csv_and_kept_in_parquet(tmp_path):
    frame = pd.DataFrame({"topics": [["price", "place"], []]})
    write_table(frame, tmp_path / "a.csv", list_columns=["topics"])
    assert (tmp_path / "a.csv").read_text().splitlines() == ["topics", "price;place", '""']
    write_table(frame, tmp_path / "a.parquet", list_columns=["topics"])
    assert [list(v) for v in pd.read_parquet(tmp_path / "a.parquet")["topics"]] == [["price", "place"], []]
    write_table(frame, tmp_path / "a.jsonl", list_columns=["topics"])
    lines = (tmp_path / "a.jsonl").read_text().splitlines()
    assert json.loads(lines[0]) == {"topics": ["price", "place"]}


def test_missing_and_unknown_files(tmp_path):
    with pytest.raises(InputFileNotFoundError, match="does not exist"):
        open_table(tmp_path / "nope.csv")
    (tmp_path / "x.txt2").write_text("a")
    with pytest.raises(UnsupportedFormatError, match="'.csv', '.tsv'"):
        open_table(tmp_path / "x.txt2")


def test_empty_file_and_no_header(tmp_path):
    (tmp_path / "e.csv").write_bytes(b"")
    with pytest.raises(InputError, match="empty"):
        open_table(tmp_path / "e.csv")
    (tmp_path / "h.csv").write_text("\n\n")
    with pytest.raises(InputError, match="no header"):
        open_table(tmp_path / "h.csv")


def test_duplicate_column_names(tmp_path):
    (tmp_path / "d.csv").write_text("a,b,a\n1,2,3\n")
    with pytest.raises(ColumnError, match="'a' appears more than once"):
        open_table(tmp_path / "d.csv")


def test_utf8_bom_and_cp1252_fallback(tmp_path):
    (tmp_path / "bom.csv").write_bytes("comment\nCaffè ottimo\n".encode("utf-8-sig"))
    assert read_table(tmp_path / "bom.csv").columns.tolist() == ["comment"]
    (tmp_path / "win.csv").write_bytes("comment\nAtención “pésima”\n".encode("cp1252"))
    with pytest.warns(EncodingFallbackWarning, match="cp1252"):
        frame = read_table(tmp_path / "win.csv")
    assert frame["comment"][0] == "Atención “pésima”"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert read_table(tmp_path / "win.csv", encoding="cp1252")["comment"][0] == "Atención “pésima”"
    with pytest.raises(InputError, match="unknown encoding"):
        open_table(tmp_path / "win.csv", encoding="klingon")


@pytest.mark.parametrize("content", ["a,b\n1,2\n3,4,5,6\n", "a\nx, y\nz\n"])
def test_rows_with_extra_fields_fail_instead_of_shifting(tmp_path, content):
    (tmp_path / "m.csv").write_text(content)
    with pytest.raises(InputError, match="well-formed.*double quotes"):
        read_table(tmp_path / "m.csv")


def test_malformed_jsonl(tmp_path):
    (tmp_path / "m.jsonl").write_text('{"a": 1}\n[1, 2]\n')
    with pytest.raises(InputError, match="line 2"):
        read_table(tmp_path / "m.jsonl")


def test_mixed_types_survive_every_output(tmp_path):
    (tmp_path / "m.jsonl").write_text('{"v": 1, "t": "a"}\n{"v": "two", "t": "b"}\n{"t": "c"}\n')
    frame = read_table(tmp_path / "m.jsonl")
    assert frame["v"].tolist()[:2] == [1, "two"]
    with pytest.warns(UserWarning, match="mixes value types"):
        write_table(frame, tmp_path / "m.parquet")
    back = pd.read_parquet(tmp_path / "m.parquet")["v"]
    assert back.tolist()[:2] == ["1", "two"] and pd.isna(back[2])


def test_writer_is_atomic_and_refuses_overwrite(tmp_path, frame):
    target = tmp_path / "out.csv"
    with pytest.raises(RuntimeError):
        with open_writer(target) as writer:
            writer.write(frame)
            raise RuntimeError("boom")
    assert list(tmp_path.iterdir()) == []
    write_table(frame, target)
    with pytest.raises(OutputExistsError, match="force=True"):
        write_table(frame, target)
    write_table(frame.head(1), target, force=True)
    assert len(read_table(target)) == 1


def test_xlsx_sheet_selection_and_long_cells(tmp_path, frame):
    write_table(frame, tmp_path / "a.xlsx")
    with pytest.raises(InputError, match="no sheet 'x'.*'tagged'"):
        read_table(tmp_path / "a.xlsx", sheet="x")
    with pytest.raises(InputError, match="Excel cell"):
        write_table(pd.DataFrame({"t": ["x" * 40_000]}), tmp_path / "b.xlsx")
    assert not (tmp_path / "b.xlsx").exists()
