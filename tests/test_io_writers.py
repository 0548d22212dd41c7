"""Writers and output paths: one-line errors, formula injection, nested values, stale temporary files."""
from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from cxtext.errors import CxtextNotice, InputError, OutputError
from cxtext.io import escape_formula, io_options, open_table, open_writer, read_table, write_table

# root ignores permission bits; without the capabilities that let it, it obeys them like a user
_UNPRIVILEGED = ["setpriv", "--bounding-set=-dac_override,-dac_read_search",
                 "--inh-caps=-dac_override,-dac_read_search"] if os.geteuid() == 0 else []


def _run_unprivileged(code: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([*_UNPRIVILEGED, sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True,
                          timeout=120)


# -- formula injection ---------------------------------------------------------------------------

@pytest.mark.parametrize("value, expected", [
    ("=HYPERLINK(\"http://x\",\"click\")", "'=HYPERLINK(\"http://x\",\"click\")"),
    ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
    ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("\rx", "'\rx"),
    ("-3", "-3"), ("+4.5", "+4.5"), ("-1,5", "-1,5"), ("ok = fine", "ok = fine"), ("", ""),
])
def test_escape_formula(value, expected):
    assert escape_formula(value) == expected


def test_csv_cells_that_would_run_as_formulas_get_a_quote(tmp_path):
    frame = pd.DataFrame({"comment": ["=1+1", "-3", "- bad service", "fine"], "n": [1, 2, 3, 4]})
    write_table(frame, tmp_path / "out.csv")
    assert read_table(tmp_path / "out.csv")["comment"].tolist() == ["'=1+1", "-3", "'- bad service", "fine"]
    write_table(frame, tmp_path / "raw.csv", formula_escape=False)
    assert read_table(tmp_path / "raw.csv")["comment"].tolist() == frame["comment"].tolist()
    with io_options(formula_escape=False):
        write_table(frame, tmp_path / "raw.tsv")
    assert read_table(tmp_path / "raw.tsv")["comment"].tolist() == frame["comment"].tolist()
    assert frame["comment"].tolist()[0] == "=1+1"  # the caller's frame is not modified


def test_xlsx_stores_formula_text_as_text(tmp_path):
    from openpyxl import load_workbook

    write_table(pd.DataFrame({"comment": ["=1+1", "+34 600", "ok"]}), tmp_path / "out.xlsx")
    cells = [c for (c,) in load_workbook(tmp_path / "out.xlsx").active.iter_rows(min_row=2)]
    assert [c.value for c in cells] == ["=1+1", "+34 600", "ok"] and [c.data_type for c in cells] == ["s"] * 3
    write_table(pd.DataFrame({"comment": ["=1+1"]}), tmp_path / "live.xlsx", formula_escape=False)
    assert load_workbook(tmp_path / "live.xlsx").active["A2"].data_type == "f"


# -- nested values -------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["xlsx", "csv", "tsv"])
def test_nested_struct_columns_become_json_text(tmp_path, fmt):
    (tmp_path / "in.jsonl").write_text('{"meta": {"store": "Madrid", "ids": [1, 2]}, "t": "a"}\n{"t": "b"}\n')
    frame = read_table(tmp_path / "in.jsonl")
    write_table(frame, tmp_path / f"out.{fmt}")
    back = read_table(tmp_path / f"out.{fmt}")
    assert back["meta"].tolist()[0] == '{"store": "Madrid", "ids": [1, 2]}'


def test_parquet_struct_to_xlsx(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"s": [{"a": 1, "b": "x"}, None], "t": ["p", "q"]}), tmp_path / "in.parquet")
    write_table(read_table(tmp_path / "in.parquet"), tmp_path / "out.xlsx")
    assert read_table(tmp_path / "out.xlsx")["s"].tolist()[0] == '{"a": 1, "b": "x"}'


# -- paths ---------------------------------------------------------------------------------------

def test_output_that_is_a_folder_is_refused_before_writing(tmp_path):
    (tmp_path / "out.csv").mkdir()
    for force in (False, True):
        with pytest.raises(OutputError, match="is a folder"):
            with open_writer(tmp_path / "out.csv", force=force):
                pytest.fail("the body must not run")


def test_output_below_a_file_is_refused(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(OutputError, match="'.*file' is a file"):
        write_table(pd.DataFrame({"a": [1]}), tmp_path / "file" / "out.csv")


def test_read_only_output_folder(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    (tmp_path / "in.csv").write_text("comment\nbien\n")
    folder.chmod(0o555)
    code = ("from cxtext.io import read_table, write_table\n"
            "from cxtext.errors import OutputError\n"
            "try:\n    write_table(read_table('in.csv'), 'ro/out.csv')\n"
            "except OutputError as e:\n    print('ERR', e)\n")
    done = _run_unprivileged(code, tmp_path)
    assert "ERR cannot write 'ro/out.csv': permission denied in folder 'ro'" in done.stdout, done.stderr
    assert list(folder.iterdir()) == []


def test_unreadable_input(tmp_path):
    (tmp_path / "secret.csv").write_text("comment\nbien\n")
    (tmp_path / "secret.csv").chmod(0o000)
    code = ("from cxtext.io import read_table\nfrom cxtext.errors import InputError\n"
            "try:\n    read_table('secret.csv')\nexcept InputError as e:\n    print('ERR', e)\n")
    done = _run_unprivileged(code, tmp_path)
    assert "ERR cannot read input 'secret.csv': permission denied" in done.stdout, done.stderr


def test_symlink_loop_as_input(tmp_path):
    os.symlink(tmp_path / "b.csv", tmp_path / "a.csv")
    os.symlink(tmp_path / "a.csv", tmp_path / "b.csv")
    with pytest.raises(InputError, match="symbolic link that points back to itself"):
        open_table(tmp_path / "a.csv")


def test_disk_full_is_one_line_and_leaves_nothing(tmp_path, monkeypatch):
    """ENOSPC from the file system (simulated: the real one would need a full disk)."""
    frame = pd.DataFrame({"comment": ["x" * 100] * 10})
    real_open = Path.open

    class FullDisk:
        def __init__(self, handle):
            self.handle = handle

        def write(self, text):
            raise OSError(errno.ENOSPC, "No space left on device")

        def close(self):
            self.handle.close()

    def fake_open(self, mode="r", *args, **kwargs):
        handle = real_open(self, mode, *args, **kwargs)
        return FullDisk(handle) if self.suffix == ".part" and "w" in mode else handle

    monkeypatch.setattr(Path, "open", fake_open)
    with pytest.raises(OutputError, match="the disk is full: no space left in .* for 'out.csv'"):
        write_table(frame, tmp_path / "out.csv")
    assert list(tmp_path.iterdir()) == []


def test_file_size_limit_is_one_line(tmp_path):
    """A real write failure from the kernel (RLIMIT_FSIZE -> EFBIG), in a child process."""
    code = ("import resource, signal\nsignal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
            "resource.setrlimit(resource.RLIMIT_FSIZE, (20000, 20000))\n"
            "import pandas as pd\nfrom cxtext.io import write_table\nfrom cxtext.errors import OutputError\n"
            "try:\n    write_table(pd.DataFrame({'t': ['x' * 1000] * 100}), 'big.csv')\n"
            "except OutputError as e:\n    print('ERR', e)\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert "ERR 'big.csv' is larger than the file system" in done.stdout, done.stderr
    assert list(tmp_path.iterdir()) == []


# -- interrupted runs ----------------------------------------------------------------------------

_SLOW_WRITER = """
import sys, time
import pandas as pd
from cxtext.io import open_writer
with open_writer(sys.argv[1]) as writer:
    writer.write(pd.DataFrame({"t": ["x" * 100] * 1000}))
    print("writing", flush=True)
    time.sleep(60)
"""


def _start_writer(tmp_path):
    proc = subprocess.Popen([sys.executable, "-c", _SLOW_WRITER, str(tmp_path / "out.csv")],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "writing"
    return proc


def test_stale_part_files_of_killed_runs_are_removed_by_the_next_run(tmp_path):
    proc = _start_writer(tmp_path)
    proc.kill()  # SIGKILL: nothing can clean up
    proc.wait()
    stale = list(tmp_path.glob(".out.csv.*.part"))
    assert len(stale) == 1 and stale[0].stat().st_size > 50_000
    with pytest.warns(CxtextNotice, match="removed 1 temporary file.*interrupted earlier run writing out.csv"):
        write_table(pd.DataFrame({"t": ["y"]}), tmp_path / "out.csv")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


def test_part_file_of_a_running_writer_is_kept(tmp_path):
    proc = _start_writer(tmp_path)
    try:
        with open_writer(tmp_path / "out.csv", force=True) as writer:
            writer.write(pd.DataFrame({"t": ["mine"]}))
        assert len(list(tmp_path.glob(".out.csv.*.part"))) == 1  # still the running one's
    finally:
        proc.kill()
        proc.wait()


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_cli_signals_leave_no_part_file(tmp_path, signum):
    big = tmp_path / "big.csv"
    pd.DataFrame({"comment": ["La entrega llegó tarde pero el vendedor fue amable"] * 40000}).to_csv(big, index=False)
    proc = subprocess.Popen([sys.executable, "-m", "cxtext", "tag", str(big), "--text", "comment", "--lang", "es",
                             "-o", str(tmp_path / "out.csv"), "--chunk-size", "500", "-q"],
                            stderr=subprocess.PIPE, text=True, cwd=tmp_path)  # not the source tree: the installed cxtext
    deadline = time.time() + 120
    while not list(tmp_path.glob(".out.csv.*.part")) and time.time() < deadline:
        time.sleep(0.2)
    time.sleep(0.5)
    proc.send_signal(signum)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 128 + signum, err
    assert "no output was written" in err and "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.csv"]
