"""cxtext on Dask: tag and score comment tables larger than one machine (``cxtext[dask]``).

Each Dask worker process builds the :class:`~cxtext.pipeline.Analyzer` once (per set of
options) and tags whole partitions with it, so the values are the same as a single-process
run; rows keep their partition and their order.

Example:
    >>> import dask.dataframe as dd, cxtext.dask  # doctest: +SKIP
    >>> ddf = dd.read_parquet("parts/*.parquet")  # doctest: +SKIP
    >>> tagged = cxtext.dask.tag(ddf, text="comment")  # doctest: +SKIP
    >>> tagged.to_parquet("tagged/")  # doctest: +SKIP
    >>> cxtext.dask.warn_stats()  # language fallbacks, failed comments: as cxtext.tag warns  # doctest: +SKIP
    >>> cxtext.dask.scores(dd.read_parquet("tagged/"), nps="nps", by="channel")  # doctest: +SKIP
    >>> cxtext.dask.drivers(dd.read_parquet("tagged/"), score="nps", by="channel")  # doctest: +SKIP
"""
from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .errors import (
    ColumnError,
    InputError,
    MissingDependencyError,
    OutputExistsError,
    WorkerError,
    format_choices,
    option,
)

__all__ = ["tag", "scores", "drivers", "warn_stats", "client", "read_table", "tag_files"]

_ANALYZERS: dict[str, Any] = {}
#: workers report each partition's counts (fallbacks, failed comments) as events of this topic
_STATS_TOPIC = "cxtext-tag-stats"
#: runs started by :func:`tag` in this process not warned about yet: run id -> the Analyzer
_RUNS: dict[str, Any] = {}
#: counts of partitions tagged without a distributed worker (a local scheduler, in this process)
_LOCAL_STATS: dict[str, dict[int, dict[str, Any]]] = {}


def _import_dask() -> Any:
    try:
        import dask.dataframe as dd
    except ImportError:
        raise MissingDependencyError("Dask", "dask", "dask[distributed]") from None
    return dd


def _analyzer(options_key: str) -> Any:
    """This worker's Analyzer for these options (built and warmed once per process)."""
    analyzer = _ANALYZERS.get(options_key)
    if analyzer is None:
        from .pipeline import Analyzer

        analyzer = _ANALYZERS[options_key] = Analyzer(**json.loads(options_key)).warm_up()
    return analyzer


def _tag_partition(part: Any, text: str, options_key: str, dtypes: dict[str, Any], run: str = "",
                   partition_info: dict[str, Any] | None = None) -> Any:
    number = (partition_info or {}).get("number", "?")
    if text not in part.columns:
        raise ColumnError(f"partition {number} has no text column {text!r}; its columns are "
                          f"{format_choices(list(map(str, part.columns)))}; every part needs it")
    from .pipeline import TagStats

    analyzer = _analyzer(options_key)
    analyzer.stats_ = TagStats()
    tagged = analyzer.tag_chunk(part, text)
    if run and len(part):  # dask also calls this on empty meta frames
        _report(run, number, analyzer.stats_)
    return tagged.astype({k: v for k, v in dtypes.items() if k in tagged.columns}, copy=False)


def _report(run: str, number: object, stats: Any) -> None:
    """Send a partition's counts to the client (a scheduler event; kept here without a worker)."""
    counts = dataclasses.asdict(stats)
    try:
        from distributed import get_worker

        worker = get_worker()
    except (ImportError, ValueError):  # no distributed worker: this is the client's process
        _LOCAL_STATS.setdefault(run, {})[number] = counts  # type: ignore[index]
        return
    worker.log_event(_STATS_TOPIC, {"run": run, "part": number, "stats": counts})


def _run_stats(run: str) -> Any:
    """The counts of every partition of ``run`` (once each, however often a task was retried)."""
    from .pipeline import TagStats

    parts = dict(_LOCAL_STATS.pop(run, {}))
    with contextlib.suppress(ImportError, ValueError):
        from distributed import default_client

        for _, event in default_client().get_events(_STATS_TOPIC):
            if isinstance(event, dict) and event.get("run") == run:
                parts[event["part"]] = event["stats"]
    total = TagStats()
    for number in sorted(parts, key=str):
        total.merge(TagStats(**parts[number]))
    return total


def warn_stats() -> None:
    """Warn about the comments of the :func:`tag` runs computed since the last call, as
    :func:`cxtext.tag` does: one line per kind (language fallbacks, comments that could not
    be analysed), with counts summed over every partition and worker.

    Call it after computing (e.g. after ``to_parquet``), with the same client as default.
    """
    import warnings

    from .errors import CxtextWarning

    for run in list(_RUNS):
        default_lang, languages = _RUNS.pop(run)
        for message in _run_stats(run).messages(default_lang, languages):
            warnings.warn(message, CxtextWarning, stacklevel=2)


def tag(ddf: Any, text: str = "comment", **analyzer_options: Any) -> Any:
    """Tag a Dask DataFrame lazily: its columns followed by the tag columns (meta declared).

    Args:
        ddf: a ``dask.dataframe.DataFrame`` with the comments.
        text: the text column.
        **analyzer_options: options of :class:`~cxtext.pipeline.Analyzer` (``languages``,
            ``backend``, ``codebooks``...); they must be JSON values (they travel to workers).

    Raises:
        ColumnError: ``text`` is not a column, or an output column already exists.
    """
    _import_dask()
    from .pipeline import Analyzer

    try:
        options_key = json.dumps(analyzer_options, sort_keys=True)
    except TypeError as exc:
        raise InputError(f"Analyzer options for Dask must be JSON values ({exc}); pass names and paths") from None
    local = Analyzer(**analyzer_options).prepare()
    columns = [str(c) for c in ddf.columns]
    if text not in columns:
        raise ColumnError(f"text column {text!r} not found; the columns are {format_choices(columns)}; "
                          f"pass one of them with {option('text=', '--text')}")
    local.check_columns(columns)
    meta = ddf._meta.copy()
    dtypes = {name: "float64" if name == local.prefix + "sentiment_score" else "object"
              for name in local.output_columns}
    for name, dtype in dtypes.items():
        meta[name] = __import__("pandas").Series([], dtype=dtype)
    run = uuid.uuid4().hex
    _RUNS[run] = (local.default_lang_, local.detector_.languages)
    return ddf.map_partitions(_tag_partition, text, options_key, dtypes, run, meta=meta,
                              enforce_metadata=False)


def scores(ddf: Any, nps: str | None = None, csat: str | None = None, ces: str | None = None,
           by: str | None = None, *, spec: Any = None, **options: Any) -> Any:
    """:func:`cxtext.scores.score_table` of a Dask DataFrame, reduced on the cluster.

    The arguments are :func:`~cxtext.scores.score_table`'s: the score columns as
    :class:`~cxtext.scores.ScoreSpec` objects (``spec=``), or by name with the scale options.

    Workers count each distinct combination of answers (and segment); the table is computed
    from those counts here, so the numbers are exactly the pandas function's. Memory here is
    one small entry per distinct combination plus one pointer per row.
    """
    import numpy as np
    import pandas as pd

    from .scores import score_table, specs_of

    specs = specs_of(nps, csat, ces, spec, **options) if spec is not None or nps or csat or ces else []
    columns = list(dict.fromkeys([c for c in [by] + [s.column for s in specs] if c]))
    missing = [c for c in columns if c not in ddf.columns]
    if missing:
        raise ColumnError(f"column(s) {format_choices(missing)} not found; the columns are "
                          f"{format_choices(list(map(str, ddf.columns)))}")
    if not specs:
        raise InputError("give at least one of " + option("nps=, csat=, ces=", "--nps, --csat, --ces"))
    counts = ddf[columns].groupby(columns, dropna=False, observed=True).size().compute()
    combos = counts.index.to_frame(index=False)
    expanded = combos.loc[np.repeat(np.arange(len(combos)), counts.to_numpy())].reset_index(drop=True)
    return score_table(pd.DataFrame(expanded), by=by, spec=specs)


def _driver_cells(part: Any, score: str, by: str | None, topics: str | None, sentiments: list[str]) -> Any:
    """A partition reduced to what :func:`cxtext.drivers.driver_table` reads, in hashable cells:
    the topics as a JSON list, topic sentiments and the segment as the strings it compares."""
    import pandas as pd

    from .cells import cell_text, segment_label, split_labels

    out = pd.DataFrame({score: part[score]}, index=part.index)
    if topics:
        out[topics] = [json.dumps(split_labels(v), ensure_ascii=False) for v in part[topics].tolist()]
    for column in sentiments:
        out[column] = [cell_text(v) for v in part[column].tolist()]
    if by:
        out[by] = [segment_label(v) for v in part[by].tolist()]
    return out


def drivers(ddf: Any, score: Any, metric: str | None = None, by: str | None = None, *,
            topics_column: str = "topics", **options: Any) -> Any:
    """:func:`cxtext.drivers.driver_table` of a tagged Dask DataFrame, reduced on the cluster.

    Workers count each distinct combination of answer, topics, topic sentiments (and segment);
    the table is computed here from those counts (frequency weights), so its cost, the
    bootstrap's included, depends on the distinct combinations and not on the rows, and the
    numbers are the pandas function's (the same resamples; weights to rounding).

    Args:
        ddf: a tagged ``dask.dataframe.DataFrame`` (``cxtext tag`` output read back).
        score, metric, by: as :func:`cxtext.drivers.driver_table` (``score``: a
            :class:`~cxtext.scores.ScoreSpec`, or the score column's name).
        **options: the other options of :func:`~cxtext.drivers.driver_table` (``scale``,
            ``model``, ``n_boot``, ``seed``, ``min_n``...).

    Returns:
        The :class:`~cxtext.drivers.DriverTable` of :func:`~cxtext.drivers.driver_table`.
    """
    import pandas as pd

    from .drivers import driver_table
    from .scores import resolve_spec

    spec = resolve_spec(score, metric, scale=options.pop("scale", None), direction=options.pop("direction", None),
                        top_box=options.pop("top_box", None))
    score = spec.column
    columns = [str(c) for c in ddf.columns]
    missing = [c for c in (score, by) if c and c not in columns]
    if missing:
        raise ColumnError(f"column(s) {format_choices(missing)} not in the tagged table; available columns: "
                          f"{format_choices(columns)}")
    topics = topics_column if topics_column in columns else None
    sentiments = [c for c in columns if c.startswith("sentiment_") and c != "sentiment_score" and c != by]
    keys = [score] + ([topics] if topics else []) + sentiments + ([by] if by else [])
    meta = pd.DataFrame({c: pd.Series([], dtype=ddf._meta[score].dtype if c == score else object) for c in keys})
    cells = ddf.map_partitions(_driver_cells, score, by, topics, sentiments, meta=meta)
    counts = cells.groupby(keys, dropna=False, observed=True).size().compute()
    combos = counts.index.to_frame(index=False) if len(keys) > 1 else pd.DataFrame({score: counts.index})
    return driver_table(combos, spec, by=by, topics_column=topics_column, weights=counts.to_numpy(), **options)


def read_table(pattern: str, text: str | None = None) -> Any:
    """A Dask DataFrame of the files matching ``pattern`` (Parquet, CSV or JSONL; one
    partition per file, or per row group/block)."""
    dd = _import_dask()
    paths = _part_paths(pattern)
    if not paths:
        raise InputError(f"no file matches {pattern!r}; give a folder, a file or a glob such as 'parts/*.parquet'")
    suffixes = {Path(p).suffix.lower() for p in paths}
    if len(suffixes) > 1:
        raise InputError(f"{pattern!r} mixes file types {sorted(suffixes)}; give one kind at a time")
    suffix = suffixes.pop()
    if suffix == ".parquet":
        return dd.read_parquet(paths)
    if suffix == ".csv":
        return dd.read_csv(paths, dtype=str, keep_default_na=False, blocksize=None)
    if suffix in (".jsonl", ".json"):
        return dd.read_json(paths, lines=True, blocksize=None)
    raise InputError(f"cannot read {suffix} files with --engine dask; use .parquet, .csv or .jsonl")


def tag_files(pattern: str, output: str | os.PathLike[str], text: str, scheduler: str | None = None,
              force: bool = False, **analyzer_options: Any) -> int:
    """Tag the files of ``pattern`` on Dask into a folder of Parquet parts (one per input
    partition); the folder appears only when every part was written. Returns the rows."""
    target = Path(output)
    if target.exists() and not force:
        raise OutputExistsError(target)
    ddf = read_table(pattern)
    _check_parts(pattern, text)
    tagged = tag(ddf, text=text, **analyzer_options)
    schema = _output_schema(ddf, analyzer_options)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent))
    try:
        with client(scheduler):
            rows = _run(tagged, tmp, schema)
            warn_stats()
        if target.exists():
            shutil.rmtree(target) if target.is_dir() else target.unlink()
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return rows


def _part_paths(pattern: str) -> list[str]:
    import glob

    if Path(pattern).is_dir():
        return sorted(str(p) for p in Path(pattern).iterdir() if p.suffix.lower() in (".parquet", ".csv", ".jsonl"))
    return sorted(glob.glob(pattern)) if any(ch in pattern for ch in "*?[") else [pattern]


def _check_parts(pattern: str, text: str) -> None:
    """Every Parquet/CSV part has the text column (read from footers/headers only)."""
    import csv

    for path in _part_paths(pattern):
        suffix = Path(path).suffix.lower()
        if suffix == ".parquet":
            import pyarrow.parquet as pq

            names = pq.read_schema(path).names
        elif suffix == ".csv":
            with open(path, encoding="utf-8", errors="replace", newline="") as handle:
                names = next(csv.reader(handle), [])
        else:
            continue
        if text not in names:
            raise ColumnError(f"part {path} has no text column {text!r} (its columns: {format_choices(names)}); "
                              "every part needs it; fix or remove that file")


def _output_schema(ddf: Any, analyzer_options: dict[str, Any]) -> Any:
    """Arrow schema of the output: the input's columns, then text, a float score, lists of text."""
    import pyarrow as pa

    from .pipeline import Analyzer

    analyzer = Analyzer(**analyzer_options)
    lists = set(analyzer.list_columns)
    fields = [pa.field(f.name, pa.string()) if pa.types.is_null(f.type) else f
              for f in pa.Schema.from_pandas(ddf._meta, preserve_index=False)]
    fields += [pa.field(name, pa.list_(pa.string()) if name in lists else
                        pa.float64() if name == analyzer.prefix + "sentiment_score" else pa.string())
               for name in analyzer.output_columns]
    return pa.schema(fields)


def _run(tagged: Any, folder: Path, schema: dict[str, Any]) -> int:
    try:
        from distributed import KilledWorker
    except ImportError:  # pragma: no cover
        KilledWorker = ()  # noqa: N806
    try:
        tagged.to_parquet(str(folder), write_index=False, write_metadata_file=False, schema=schema)
    except KilledWorker as exc:
        raise WorkerError(f"a Dask worker died on every try of a task ({exc}); no output was written; "
                          "give the workers more memory or check their logs") from None
    import pyarrow.parquet as pq

    return sum(pq.ParquetFile(p).metadata.num_rows for p in folder.glob("*.parquet"))


@contextlib.contextmanager
def client(scheduler: str | None = None) -> Iterator[Any]:
    """A ``distributed.Client``: to ``scheduler`` (``tcp://HOST:PORT``) or, without one, to a
    local cluster of one single-threaded worker process per core.

    Raises:
        WorkerError: the scheduler cannot be reached.
        MissingDependencyError: ``dask[distributed]`` is not installed.
    """
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise MissingDependencyError("Dask", "dask", "dask[distributed]") from None
    if scheduler:
        try:
            connection = Client(scheduler, timeout=10)
        except (OSError, TimeoutError) as exc:
            raise WorkerError(f"cannot reach the Dask scheduler at {scheduler} ({type(exc).__name__}: {exc}); "
                              "start one with `dask scheduler` and `dask worker ADDRESS`, or leave out "
                              "--scheduler for a local cluster") from None
        with connection:
            yield connection
        return
    from ._workers import available_cores

    with LocalCluster(n_workers=available_cores(), threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as connection:
        yield connection
