"""cxtext on Dask: a real LocalCluster (2 worker processes) on loopback, values as single-process."""
from __future__ import annotations

import pandas as pd
import pytest
from click.testing import CliRunner

pytest.importorskip("distributed")
import dask.dataframe as dd  # noqa: E402
from distributed import Client, LocalCluster  # noqa: E402

import cxtext  # noqa: E402
import cxtext.dask  # noqa: E402
from cxtext.cli import main  # noqa: E402
from cxtext.errors import CxtextWarning  # noqa: E402

pytestmark = pytest.mark.slow

_TEXTS = ["El producto es excelente pero la entrega llegó tarde.", "ENTREGA ATRASADA!!!!!!", "ok", "",
          "The staff were lovely but the price is too high.", "Ottimo servizio, grazie!", "😡😡"]


@pytest.fixture(scope="module")
def cluster():
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as local, Client(local) as client:
        yield local, client


@pytest.fixture(scope="module")
def frame():
    rows = 140
    return pd.DataFrame({"id": list(range(rows)), "comment": [_TEXTS[i % len(_TEXTS)] + f" #{i}" for i in range(rows)],
                         "nps": [str(i % 11) for i in range(rows)], "channel": ["web", "app"] * (rows // 2)})


@pytest.fixture(scope="module")
def parts(tmp_path_factory, frame):
    folder = tmp_path_factory.mktemp("parts")
    for k in range(4):
        frame.iloc[k * 35:(k + 1) * 35].to_parquet(folder / f"part{k}.parquet", index=False)
    return folder


def _same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    a, b = a.reset_index(drop=True), b.reset_index(drop=True)
    assert list(a.columns) == list(b.columns)
    for column in a.columns:
        assert a[column].map(_plain).tolist() == b[column].map(_plain).tolist(), column


def _plain(value):
    if hasattr(value, "tolist"):
        value = value.tolist()
    if isinstance(value, float) and value != value:
        return "nan"
    return value if isinstance(value, list) else str(value)


def test_tag_is_lazy_with_meta_and_gives_the_single_process_values(cluster, frame):
    ddf = dd.from_pandas(frame, npartitions=3)
    tagged = cxtext.dask.tag(ddf, text="comment")
    assert list(tagged.columns) == list(frame.columns) + cxtext.Analyzer().output_columns
    assert tagged.npartitions == 3
    _same(tagged.compute(), cxtext.tag(frame, text="comment"))


def test_cli_writes_one_part_per_partition_in_input_order(cluster, parts, frame, tmp_path):
    local, _ = cluster
    out = tmp_path / "tagged"
    result = CliRunner().invoke(main, ["tag", str(parts / "*.parquet"), "--text", "comment", "--engine", "dask",
                                       "--scheduler", local.scheduler_address, "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    assert len(list(out.glob("*.parquet"))) == 4
    back = dd.read_parquet(str(out)).compute()
    assert back["id"].tolist() == frame["id"].tolist()
    _same(back, cxtext.tag(frame, text="comment"))


def test_scores_reduce_on_the_cluster_to_the_pandas_numbers(cluster, parts, frame, tmp_path):
    local, _ = cluster
    ddf = dd.read_parquet(str(parts))
    pd.testing.assert_frame_equal(cxtext.dask.scores(ddf, nps="nps", by="channel"),
                                  cxtext.score_table(frame, nps="nps", by="channel"))
    out = tmp_path / "s.csv"
    result = CliRunner().invoke(main, ["scores", str(parts), "--nps", "nps", "--engine", "dask",
                                       "--scheduler", local.scheduler_address, "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    assert pd.read_csv(out)["value"].round(6).tolist() == \
        cxtext.score_table(frame, nps="nps")["value"].round(6).tolist()


def test_unreachable_scheduler_is_one_line(parts, tmp_path):
    out = tmp_path / "tagged"
    result = CliRunner().invoke(main, ["tag", str(parts / "*.parquet"), "--text", "comment", "--engine", "dask",
                                       "--scheduler", "tcp://127.0.0.1:9", "-o", str(out)])
    assert result.exit_code == 2
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in result.output
    assert "Traceback" not in result.output and not out.exists() and not list(tmp_path.glob(".tagged*"))


def test_a_partition_without_the_text_column_fails_cleanly(cluster, parts, tmp_path):
    local, _ = cluster
    bad = tmp_path / "bad"
    bad.mkdir()
    for k, path in enumerate(sorted(parts.glob("*.parquet"))):
        frame = pd.read_parquet(path)
        (frame.rename(columns={"comment": "text"}) if k == 2 else frame).to_parquet(bad / path.name, index=False)
    out = tmp_path / "tagged"
    result = CliRunner().invoke(main, ["tag", str(bad), "--text", "comment", "--engine", "dask",
                                       "--scheduler", local.scheduler_address, "-o", str(out)])
    assert result.exit_code != 0
    assert "part2.parquet has no text column 'comment'" in result.output and "Traceback" not in result.output
    assert not out.exists() and not list(tmp_path.glob(".tagged*"))


@pytest.fixture(scope="module")
def tagged_parts(tmp_path_factory, frame):
    folder = tmp_path_factory.mktemp("tagged")
    tagged = cxtext.tag(frame, text="comment")
    for k in range(4):
        tagged.iloc[k * 35:(k + 1) * 35].to_parquet(folder / f"part{k}.parquet", index=False)
    return folder, tagged


def _same_drivers(a: pd.DataFrame, b: pd.DataFrame) -> None:
    assert list(a.columns) == list(b.columns) and len(a) == len(b)
    for column in a.columns:
        if a[column].dtype.kind == "f":
            assert a[column].to_numpy() == pytest.approx(b[column].to_numpy(), abs=1e-9, nan_ok=True), column
        else:
            assert a[column].tolist() == b[column].tolist(), column


def test_drivers_reduce_on_the_cluster_to_the_pandas_numbers(cluster, tagged_parts, tmp_path):
    local, _ = cluster
    folder, tagged = tagged_parts
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for options in ({"by": "channel"}, {"model": "logistic"}):
            _same_drivers(cxtext.dask.drivers(dd.read_parquet(str(folder)), score="nps", n_boot=300, **options).table,
                          cxtext.driver_table(tagged, score="nps", n_boot=300, **options).table)
    out = tmp_path / "d.csv"
    result = CliRunner().invoke(main, ["drivers", str(folder), "--score", "nps", "--engine", "dask", "--n-boot", "300",
                                       "--scheduler", local.scheduler_address, "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = cxtext.driver_table(tagged, score="nps", n_boot=300).table
    assert pd.read_csv(out)["ci_low"].round(6).tolist() == expected["ci_low"].round(6).tolist()


def test_worker_warnings_reach_the_client(cluster, parts, frame, tmp_path):
    from cxtext.errors import cli_spelling

    local, _ = cluster
    with pytest.warns(CxtextWarning) as expected, cli_spelling():  # worded as the command line words it
        cxtext.tag(frame, text="comment")
    out = tmp_path / "tagged"
    result = CliRunner().invoke(main, ["tag", str(parts / "*.parquet"), "--text", "comment", "--engine", "dask",
                                       "--scheduler", local.scheduler_address, "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    lines = [str(w.message) for w in expected]
    assert any("were too short or ambiguous" in line for line in lines)
    for line in lines:  # the same counts, summed over the partitions of both workers
        assert f"Warning: {line}" in result.output, result.output
