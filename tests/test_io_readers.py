"""Files people really have: encodings, separators, title rows, broken quotes, Excel oddities."""
from __future__ import annotations

import warnings

import pytest

from cxtext.errors import CxtextNotice, EncodingFallbackWarning, InputError
from cxtext.io import io_options, open_table, read_table


def _read(path, **options):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        frame = read_table(path, **options)
    return frame, [str(w.message) for w in caught]


# -- encodings --------------------------------------------------------------------------------

@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-32", "utf-8-sig"])
def test_byte_order_marks_decide_the_encoding(tmp_path, codec):
    text = "id\tcomment\n1\tMuy bueno, “gracias”\n2\tÓtimo 😀\n"
    data = text.encode(codec)
    if codec == "utf-16-be":
        data = b"\xfe\xff" + data
    (tmp_path / "unicode.csv").write_bytes(data)  # Excel's "Unicode text", renamed
    frame, notes = _read(tmp_path / "unicode.csv")
    assert frame.values.tolist() == [["1", "Muy bueno, “gracias”"], ["2", "Ótimo 😀"]]
    assert any("tab-separated (detected" in n for n in notes)


def test_jsonl_in_cp1252_falls_back_with_a_warning(tmp_path):
    (tmp_path / "win.jsonl").write_bytes('{"comment": "Atención “pésima”"}\n'.encode("cp1252"))
    with pytest.warns(EncodingFallbackWarning, match="cp1252"):
        frame = read_table(tmp_path / "win.jsonl")
    assert frame["comment"].tolist() == ["Atención “pésima”"]
    assert read_table(tmp_path / "win.jsonl", encoding="cp1252")["comment"][0] == "Atención “pésima”"


def test_a_wrong_encoding_names_the_line(tmp_path):
    (tmp_path / "win.csv").write_bytes("id,comment\n1,ok\n2,Atención\n".encode("cp1252"))
    with pytest.raises(InputError, match=r"not valid utf-8: line 3 has byte\(s\) f3.*cp1252"):
        open_table(tmp_path / "win.csv", encoding="utf-8")


def test_one_bad_byte_in_utf8_keeps_the_rest_and_names_the_line(tmp_path):
    data = "id,comment\n1,Atención ótima\n2,café BAD\n3,pão de açúcar\n".encode()
    data = data.replace(b"BAD", b"\xe9")  # a lone cp1252 byte pasted into a UTF-8 file
    (tmp_path / "mixed.csv").write_bytes(data)
    with pytest.warns(EncodingFallbackWarning, match="UTF-8 except line 3"):
        frame = read_table(tmp_path / "mixed.csv")
    assert frame["comment"].tolist() == ["Atención ótima", "café \ufffd", "pão de açúcar"]


# -- separators --------------------------------------------------------------------------------

@pytest.mark.parametrize("sep, name", [(";", "';'"), ("\t", "tab"), ("|", "'|'")])
def test_separator_is_detected_and_said(tmp_path, sep, name):
    rows = ["id", "comment", "nps"], ["1", "Bien, gracias", "8,5"], ["2", "Mal", "3"], ["3", "Ok, ok", "7,0"]
    (tmp_path / "excel.csv").write_text("\n".join(sep.join(r) for r in rows) + "\n", encoding="utf-8")
    frame, notes = _read(tmp_path / "excel.csv")
    assert frame.values.tolist() == [list(r) for r in rows[1:]]
    assert any(f"as {name}-separated (detected" in n for n in notes)
    assert any("decimal commas in 'nps'" in n for n in notes) == (sep != ",")


def test_sep_option_wins_over_detection(tmp_path):
    (tmp_path / "a.csv").write_text("a;b,c\n1;2,3\n", encoding="utf-8")
    assert read_table(tmp_path / "a.csv", sep=",").columns.tolist() == ["a;b", "c"]
    assert read_table(tmp_path / "a.csv", sep=";").columns.tolist() == ["a", "b,c"]
    with io_options(sep="tab"):
        assert read_table(tmp_path / "a.csv").columns.tolist() == ["a;b,c"]


def test_comma_file_is_read_silently(tmp_path):
    (tmp_path / "a.csv").write_text('id,comment\n1,"a; b"\n2,c\n', encoding="utf-8")
    frame, notes = _read(tmp_path / "a.csv")
    assert frame.columns.tolist() == ["id", "comment"] and notes == []


# -- header row --------------------------------------------------------------------------------

def test_title_lines_above_the_header(tmp_path):
    (tmp_path / "export.csv").write_text("Encuesta Q3\n\nid;comment;nps\n1;Bien;9\n2;Mal;3\n3;Ok;7\n")
    with pytest.raises(InputError, match="line 1 has 1 field.*header-row 3|header_row=3"):
        open_table(tmp_path / "export.csv")
    frame, _ = _read(tmp_path / "export.csv", header_row=3)
    assert frame.values.tolist() == [["1", "Bien", "9"], ["2", "Mal", "3"], ["3", "Ok", "7"]]


# -- quotes ------------------------------------------------------------------------------------

@pytest.mark.parametrize("content, line", [
    ('id,comment,nps\n1,ok,9\n2,"Great staff,9\n3,Late delivery",3\n4,Fine,8\n', 3),
    ('id,comment,nps\n1,"Great staff,9\n2,Late delivery,3\n3,"Fine",8\n', 2),
])
def test_unbalanced_quote_swallowing_rows_fails_with_the_line(tmp_path, content, line):
    (tmp_path / "q.csv").write_text(content)
    with pytest.raises(InputError, match=f"line {line}: the quote that opens column 'comment' is not closed"):
        read_table(tmp_path / "q.csv")


def test_quote_never_closed_names_its_line(tmp_path):
    (tmp_path / "q.csv").write_text('id,comment\n1,ok\n2,"never closed\n3,more\n')
    with pytest.raises(InputError, match="line 3: a quote opens a cell and is never closed"):
        read_table(tmp_path / "q.csv")


def test_real_multiline_comments_are_kept(tmp_path):
    content = 'id,comment,nps\n1,"Line one, with a comma\nline two",3\n2,"a\n\nb",4\n3,x,5\n'
    (tmp_path / "ok.csv").write_text(content)
    assert read_table(tmp_path / "ok.csv")["comment"].tolist() == ["Line one, with a comma\nline two", "a\n\nb", "x"]


def test_line_breaks_inside_cells_of_an_excel_csv_are_kept(tmp_path):
    # Excel ends rows with CRLF and breaks lines inside a cell with LF; each line of this
    # answer reads like a row of the two-column file (an id, a comma, text)
    content = 'id,comment\r\n1,"Lindo pero caro...\nMuy romántico, muy cursi."\r\n2,"ok, bien"\r\n'
    (tmp_path / "excel.csv").write_bytes(content.encode("utf-8"))
    assert read_table(tmp_path / "excel.csv")["comment"].tolist() == [
        "Lindo pero caro...\nMuy romántico, muy cursi.", "ok, bien"]
    # the same file with a quote left open still fails: the swallowed rows end in CRLF
    (tmp_path / "open.csv").write_bytes(b'id,comment\r\n1,"Lindo pero caro\r\n2,ok bien"\r\n3,fine\r\n')
    with pytest.raises(InputError, match="line 2: the quote that opens column 'comment' is not closed"):
        read_table(tmp_path / "open.csv")


def test_line_numbers_count_earlier_multiline_cells(tmp_path):
    content = 'id,comment,nps\n1,"a\nb\nc",3\n2,"Great,9\n3,Late",3\n'
    (tmp_path / "q.csv").write_text(content)
    with pytest.raises(InputError, match="line 5:"):
        read_table(tmp_path / "q.csv")


# -- Excel -------------------------------------------------------------------------------------

def _book(path, rows, extra_sheets=()):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Respuestas"
    for row in rows:
        sheet.append(row)
    for name in extra_sheets:
        book.create_sheet(name).append(["other"])
    book.save(path)
    return path


def test_xlsx_header_not_on_row_one(tmp_path):
    path = _book(tmp_path / "t.xlsx", [["Export Q3"], [], ["id", "comment"], [1, "bien"], [2, "mal"]])
    with pytest.raises(InputError, match="row 1 of sheet 'Respuestas' has one cell \\('Export Q3'\\).*row 3"):
        open_table(path)
    assert read_table(path, header_row=3).values.tolist() == [[1, "bien"], [2, "mal"]]


def test_xlsx_cells_right_of_the_header_are_not_dropped_silently(tmp_path):
    path = _book(tmp_path / "r.xlsx", [["id", "comment"], [1, "bien"], [2, "mal", "stray note"]])
    with pytest.raises(InputError, match="cell C3 holds 'stray note'.*no name in the header"):
        read_table(path)


def test_xlsx_formulas_without_saved_results(tmp_path):
    path = _book(tmp_path / "f.xlsx", [["id", "comment", "double"], [1, "bien", "=A2*2"], [2, "mal", "=A3*2"]])
    with pytest.raises(InputError, match=r"2 formula cell\(s\) \(C2, C3\) have no saved result"):
        open_table(path)


def test_xlsx_password_protected(tmp_path):
    ooxml = pytest.importorskip("msoffcrypto.format.ooxml")
    plain = _book(tmp_path / "plain.xlsx", [["comment"], ["bien"]])
    with plain.open("rb") as handle, (tmp_path / "locked.xlsx").open("wb") as out:
        ooxml.OOXMLFile(handle).encrypt("1234", out)
    with pytest.raises(InputError, match="password-protected"):
        open_table(tmp_path / "locked.xlsx")


def test_old_xls_renamed_to_xlsx(tmp_path):
    (tmp_path / "old.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    with pytest.raises(InputError, match="Excel 97-2003"):
        open_table(tmp_path / "old.xlsx")


def test_xlsx_several_sheets_say_which_was_read(tmp_path):
    path = _book(tmp_path / "m.xlsx", [["comment"], ["bien"]], extra_sheets=["Notas"])
    frame, notes = _read(path)
    assert frame["comment"].tolist() == ["bien"]
    assert any("2 sheets ('Respuestas', 'Notas'); read the first" in n for n in notes)
    with warnings.catch_warnings():
        warnings.simplefilter("error", CxtextNotice)
        assert read_table(path, sheet="Notas").columns.tolist() == ["other"]
