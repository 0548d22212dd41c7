"""The bad-input matrix: files people really have, run through ``cxtext tag``.

Every case ends either in a correct result (every row, in order, the comments exactly as in the
file) or in a one-line error with exit code 2 and no traceback; nothing is left behind (no
output, no ``.part`` file) and the input is never changed.
"""
from __future__ import annotations

import codecs
import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner

from cxtext.cli import main
from cxtext.io import escape_formula, read_table

TEXTS = ["Muy buena atención, gracias", "El envío llegó tarde; pésimo", "Ótimo produto, recomendo!"]
OUTPUTS = ["csv", "tsv", "xlsx", "parquet", "jsonl"]


@dataclass
class Case:
    name: str
    make: Callable[[Path], Path]  # writes the input into the folder, returns its path
    args: tuple[str, ...] = ("--text", "comment")
    texts: list[str] | None = None  # expected comments (None = an error is expected)
    error: str = ""  # regex the one-line error must match
    outputs: tuple[str, ...] = ("csv",)
    extra: dict = field(default_factory=dict)


def _csv(rows, sep=",", encoding="utf-8", newline="\n", bom=b"") -> Callable[[Path], Path]:
    def make(folder: Path, name: str = "in.csv") -> Path:
        import csv
        import io

        buffer = io.StringIO()
        csv.writer(buffer, delimiter=sep, lineterminator=newline).writerows(rows)
        path = folder / name
        path.write_bytes(bom + buffer.getvalue().encode(encoding))
        return path

    return make


def _raw(data: bytes, name: str = "in.csv") -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        (folder / name).write_bytes(data)
        return folder / name

    return make


def _xlsx(rows, sheets=(), name="in.xlsx") -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        from openpyxl import Workbook

        book = Workbook()
        book.active.title = "Answers"
        for row in rows:
            book.active.append(row)
        for sheet in sheets:
            book.create_sheet(sheet).append(["x"])
        book.save(folder / name)
        return folder / name

    return make


def _encrypted(folder: Path) -> Path:
    ooxml = pytest.importorskip("msoffcrypto.format.ooxml")
    plain = _xlsx([["comment"], ["bien"]], name="plain.xlsx")(folder)
    with plain.open("rb") as handle, (folder / "in.xlsx").open("wb") as out:
        ooxml.OOXMLFile(handle).encrypt("secret", out)
    plain.unlink()
    return folder / "in.xlsx"


def _jsonl(records, encoding="utf-8") -> Callable[[Path], Path]:
    return _raw("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode(encoding), "in.jsonl")


def _parquet(folder: Path) -> Path:
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"comment": TEXTS, "meta": [{"store": "x", "n": 1}, None, {"store": "y", "n": 2}]}),
                   folder / "in.parquet")
    return folder / "in.parquet"


def _loop(folder: Path) -> Path:
    os.symlink(folder / "b.csv", folder / "in.csv")
    os.symlink(folder / "in.csv", folder / "b.csv")
    return folder / "in.csv"


ROWS = [["id", "comment", "nps"]] + [[str(i), t, str(8 - i)] for i, t in enumerate(TEXTS)]
FORMULAS = ["=HYPERLINK(\"http://x\",\"clic\")", "+34 600 123 456", "-muy mal-", "@todos bien", "-3"]

CASES = [
    # encodings
    Case("utf8", _csv(ROWS), texts=TEXTS, outputs=tuple(OUTPUTS)),
    Case("utf8-bom", _csv(ROWS, bom=codecs.BOM_UTF8), texts=TEXTS, outputs=tuple(OUTPUTS)),
    Case("utf16-excel-unicode-text", _csv(ROWS, sep="\t", encoding="utf-16"), texts=TEXTS, outputs=tuple(OUTPUTS)),
    Case("utf16-be-bom", _csv(ROWS, encoding="utf-16-be", bom=codecs.BOM_UTF16_BE), texts=TEXTS),
    Case("utf32", _csv(ROWS, encoding="utf-32"), texts=TEXTS),
    Case("cp1252", _csv(ROWS, encoding="cp1252"), texts=TEXTS, outputs=tuple(OUTPUTS)),
    Case("cp1252-named", _csv(ROWS, encoding="cp1252"), ("--text", "comment", "--encoding", "cp1252"), texts=TEXTS),
    Case("latin1", _csv([["comment"], ["ação"], ["niño"]], encoding="latin-1"), texts=["ação", "niño"]),
    Case("utf8-named-on-cp1252", _csv(ROWS, encoding="cp1252"), ("--text", "comment", "--encoding", "utf-8"),
         error=r"not valid utf-8: line 2 .*--encoding cp1252"),
    Case("unknown-encoding", _csv(ROWS), ("--text", "comment", "--encoding", "klingon"), error="unknown encoding"),
    Case("one-bad-byte", _raw("id,comment\n1,Atención\n2,mal BAD\n3,pão\n".encode().replace(b"BAD", b"\xe9")),
         texts=["Atención", "mal \ufffd", "pão"]),
    Case("jsonl-cp1252", _jsonl([{"comment": t} for t in TEXTS], "cp1252"), texts=TEXTS, outputs=tuple(OUTPUTS)),
    # separators
    Case("semicolon", _csv(ROWS, sep=";"), texts=TEXTS, outputs=tuple(OUTPUTS)),
    Case("semicolon-no-text-option", _csv(ROWS, sep=";"), (), texts=TEXTS),
    Case("tab-in-csv", _csv(ROWS, sep="\t"), texts=TEXTS),
    Case("pipe", _csv(ROWS, sep="|"), texts=TEXTS),
    Case("semicolon-decimal-commas", _csv([["comment", "csat"], ["bien", "4,5"], ["mal, muy mal", "1,0"]], sep=";"),
         texts=["bien", "mal, muy mal"]),
    Case("sep-given", _csv(ROWS, sep=";"), ("--text", "comment", "--sep", ";"), texts=TEXTS),
    Case("sep-tab-word", _csv(ROWS, sep="\t"), ("--text", "comment", "--sep", "tab"), texts=TEXTS),
    Case("sep-wrong", _csv(ROWS, sep=";"), ("--text", "comment", "--sep", ","), error="not a well-formed ','-separated file|text column 'comment' not found"),
    Case("sep-invalid", _csv(ROWS), ("--text", "comment", "--sep", ";;"), error="separator"),
    Case("tsv-with-commas", _csv(ROWS, sep=","), texts=TEXTS, extra={"name": "in.tsv"}),
    # line endings and layout
    Case("crlf", _csv(ROWS, newline="\r\n"), texts=TEXTS, outputs=tuple(OUTPUTS)),
    Case("no-final-newline", _raw(b"comment\nuno\ndos"), texts=["uno", "dos"]),
    Case("blank-lines", _raw(b"id,comment\n1,uno\n\n2,dos\n\n"), texts=["uno", "dos"]),
    Case("fewer-fields", _raw(b"id,comment,nps\n1,uno\n2,dos,3\n"), texts=["uno", "dos"]),
    Case("extra-fields", _raw(b"id,comment\n1,uno,x\n2,dos\n"), error="not a well-formed"),
    Case("empty-file", _raw(b""), error="is empty"),
    Case("header-only", _raw(b"id,comment\n"), texts=[]),
    Case("duplicate-columns", _raw(b"comment,comment\na,b\n"), error="appears more than once"),
    Case("quotes-doubled", _raw(b'comment\n"She said ""great"", really"\nok\n'), texts=['She said "great", really', "ok"]),
    Case("multiline-comment", _raw(b'id,comment\n1,"line one, and\nline two"\n2,ok\n'),
         texts=["line one, and\nline two", "ok"], outputs=tuple(OUTPUTS)),
    Case("unbalanced-quote", _raw(b'id,comment,nps\n1,"Great staff,9\n2,Late delivery",3\n3,Fine,8\n'),
         error="line 2: the quote that opens column 'comment' is not closed"),
    Case("quote-never-closed", _raw(b'id,comment\n1,ok\n2,"never closed\n3,more\n'), error="line 3: a quote opens"),
    Case("title-lines", _raw(b"Encuesta Q3\n\nid;comment\n1;uno\n2;dos\n3;tres\n"),
         error="if the column names are on line 3, pass --header-row 3"),
    Case("title-lines-header-row", _raw(b"Encuesta Q3\n\nid;comment\n1;uno\n2;dos\n3;tres\n"),
         ("--text", "comment", "--header-row", "3"), texts=["uno", "dos", "tres"]),
    Case("header-row-too-far", _raw(b"comment\nuno\n"), ("--header-row", "9"), error="no header row at line 9"),
    Case("nul-bytes", _raw(b"comment\nuno\x00dos\ntres\n"), texts=["uno\x00dos", "tres"]),
    Case("cr-only-line-ends", _raw(b"comment\runo\rdos\r"), texts=["uno", "dos"]),
    Case("bom-semicolon-crlf", _csv(ROWS, sep=";", newline="\r\n", bom=codecs.BOM_UTF8), texts=TEXTS,
         outputs=tuple(OUTPUTS)),
    Case("emoji-and-whitespace", _csv([["comment"], ["👍🏽"], ["   "], [""], ["😡 fatal"]]),
         texts=["👍🏽", "   ", "", "😡 fatal"], outputs=tuple(OUTPUTS)),
    Case("long-comment", _csv([["comment"], ["muy mal " * 25000], ["ok"]]), texts=["muy mal " * 25000, "ok"],
         outputs=("csv", "parquet", "jsonl")),
    # the text column
    Case("pick-comment-over-ids", _csv([["id", "phone", "comment"], ["1001", "600 123 456", "bien"],
                                        ["1002", "600 123 457", "mal"], ["1003", "", "ok"]]), (),
         texts=["bien", "mal", "ok"]),
    Case("no-text-column", _csv([["id", "phone"], ["1", "600 123 456"], ["2", "611 222 333"]]), (),
         error="cannot tell which column holds the comments.*--text"),
    Case("missing-text-column", _csv(ROWS), ("--text", "coment"), error="did you mean 'comment'"),
    # spreadsheet formulas in comments
    Case("formula-injection", _csv([["comment"]] + [[f] for f in FORMULAS]), texts=FORMULAS,
         outputs=tuple(OUTPUTS)),
    Case("formula-injection-opt-out", _csv([["comment"]] + [[f] for f in FORMULAS]),
         ("--text", "comment", "--no-formula-escape"), texts=FORMULAS, extra={"raw": True}),
    Case("control-characters-to-xlsx", _csv([["comment"], ["bell\x07"], ["ok"]]), texts=["bell\x07", "ok"],
         outputs=("csv", "parquet", "jsonl")),
    Case("control-characters-xlsx-output", _csv([["comment"], ["bell\x07"], ["ok"]]), error="cannot be stored in an Excel cell",
         extra={"output": "xlsx"}),
    Case("huge-cell-xlsx-output", _csv([["comment"], ["x" * 40000]]), error="over 32,767 characters",
         extra={"output": "xlsx"}),
    # Excel inputs
    Case("xlsx", _xlsx(ROWS[:1] + [[int(r[0]), r[1], int(r[2])] for r in ROWS[1:]]), texts=TEXTS,
         outputs=tuple(OUTPUTS)),
    Case("xlsx-several-sheets", _xlsx([["comment"], ["uno"]], sheets=["Notes"]), texts=["uno"]),
    Case("xlsx-sheet-chosen", _xlsx([["comment"], ["uno"]], sheets=["Notes"]), ("--sheet", "Notes"), texts=["x"] and None,
         error="cannot tell which column|no free-text"),
    Case("xlsx-sheet-missing", _xlsx([["comment"], ["uno"]]), ("--sheet", "Nope"), error="has no sheet 'Nope'"),
    Case("xlsx-title-row", _xlsx([["Export"], [], ["id", "comment"], [1, "uno"], [2, "dos"]]),
         error="--header-row 3"),
    Case("xlsx-title-row-header-row", _xlsx([["Export"], [], ["id", "comment"], [1, "uno"], [2, "dos"]]),
         ("--text", "comment", "--header-row", "3"), texts=["uno", "dos"]),
    Case("xlsx-cells-right-of-header", _xlsx([["id", "comment"], [1, "uno"], [2, "dos", "note"]]),
         error="cell C3 holds 'note'"),
    Case("xlsx-formula-without-value", _xlsx([["comment", "n"], ["uno", "=1+1"]]), error="no saved result"),
    Case("xlsx-password", _encrypted, error="password-protected"),
    Case("xls-renamed", _raw(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1000, "in.xlsx"), error="Excel 97-2003"),
    Case("xlsx-not-a-zip", _raw(b"comment\nuno\n", "in.xlsx"), error="not a readable .xlsx"),
    Case("xlsx-empty-sheet", _xlsx([]), error="empty"),
    # JSONL and Parquet
    Case("jsonl", _jsonl([{"comment": t, "meta": {"k": [1, 2]}} for t in TEXTS]), texts=TEXTS,
         outputs=tuple(OUTPUTS)),
    Case("jsonl-bad-line", _raw(b'{"comment": "a"}\n{oops\n', "in.jsonl"), error="line 2 is not valid JSON"),
    Case("jsonl-array-line", _raw(b'{"comment": "a"}\n[1, 2]\n', "in.jsonl"), error="line 2 is a JSON list"),
    Case("parquet-struct", _parquet, texts=TEXTS, outputs=tuple(OUTPUTS)),
    Case("parquet-corrupt", _raw(b"PAR1 not really", "in.parquet"), error="not a readable Parquet"),
    # paths
    Case("missing-input", lambda folder: folder / "nope.csv", error="does not exist"),
    Case("input-is-a-folder", lambda folder: (folder / "dir.csv").mkdir() or folder / "dir.csv", error="is a folder"),
    Case("symlink-loop", _loop, error="points back to itself"),
    Case("unknown-extension", _raw(b"comment\nuno\n", "in.txt2"), error="unknown file extension"),
    Case("output-is-a-folder", _csv(ROWS), error="is a folder", extra={"output_dir": True}),
    Case("output-exists", _csv(ROWS), error="already exists; pass --force", extra={"output_exists": True}),
    Case("output-exists-force", _csv(ROWS), ("--text", "comment", "--force"), texts=TEXTS,
         extra={"output_exists": True}),
    Case("output-below-a-file", _csv(ROWS), error="is a file", extra={"output": "file/out.csv"}),
    Case("output-in-new-folder", _csv(ROWS), texts=TEXTS, extra={"output": "new/sub/out.csv"}),
    Case("output-is-input", _csv(ROWS), error="the output file is the input file", extra={"output": "in.csv"}),
    Case("unknown-output-extension", _csv(ROWS), error="unknown file extension", extra={"output": "out.xls"}),
]


def _snapshot(folder: Path) -> dict[str, str]:
    out = {}
    for path in sorted(folder.rglob("*")):
        if path.is_symlink() or not path.is_file():
            out[str(path.relative_to(folder))] = "link/dir"
        else:
            out[str(path.relative_to(folder))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def _expected(texts: list[str], fmt: str, raw: bool) -> list[str]:
    return [t if raw or fmt not in ("csv", "tsv") else escape_formula(t) for t in texts]


PARAMS = [pytest.param(case, fmt, id=f"{case.name}->{fmt}")
          for case in CASES for fmt in (case.outputs if case.texts is not None else (case.extra.get("output", "csv"),))]


@pytest.mark.parametrize("case, fmt", PARAMS)
def test_bad_input_matrix(tmp_path, fake_models, case, fmt):
    folder = tmp_path / "work"
    folder.mkdir()
    make = case.make
    source = make(folder) if "name" not in case.extra else make(folder, case.extra["name"])  # type: ignore[call-arg]
    target = case.extra.get("output", f"out.{fmt}")
    output = folder / (target if "/" in target or "." in target else f"out.{fmt}")
    if case.extra.get("output_dir"):
        output.mkdir()
    if case.extra.get("output_exists"):
        output.write_text("old output\n")
    if case.extra.get("output") == "file/out.csv":
        (folder / "file").write_text("a file, not a folder")
    before = _snapshot(folder)
    result = CliRunner().invoke(main, ["tag", str(source), *case.args, "--backend", "keywords", "-q", "-o",
                                       str(output)])
    assert "Traceback" not in result.output
    leftovers = [p.name for p in folder.rglob("*.part")]
    assert not leftovers, f"temporary files left: {leftovers}"
    inputs_after = _snapshot(folder)
    for name, digest in before.items():
        if folder / name != output:
            assert inputs_after.get(name) == digest, f"{name} was changed"
    if case.texts is None:
        assert result.exit_code == 2, result.output
        errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
        assert len(errors) == 1, result.output
        assert len(errors[0]) < 600
        import re

        assert re.search(case.error, errors[0]), errors[0]
        assert inputs_after == before, "a failed run must leave the folder as it was"
        return
    assert result.exit_code == 0, result.output
    tagged = read_table(output)
    column = "comment"
    assert len(tagged) == len(case.texts)
    got = ["" if v is None or v != v else str(v) for v in tagged[column].tolist()]
    assert got == _expected(case.texts, fmt, case.extra.get("raw", False))
    assert {"sentiment", "topics", "language"} <= set(tagged.columns)
    others = [c for c in tagged.columns if c in ("meta",)]
    for name in others:  # nested values come out as JSON text (xlsx/csv) or as data (parquet/jsonl)
        assert tagged[name].notna().any()


def test_matrix_is_large():
    assert len(PARAMS) >= 120
