"""Tag chunks of rows in order, in this process or in worker processes (``--jobs``).

Workers are forked from a process whose :class:`~cxtext.pipeline.Analyzer` is already
prepared, so each starts with the models loaded (shared copy-on-write) and nothing is loaded
twice; where fork is not available they are spawned and build the same Analyzer from its
parameters. Chunks are submitted a few at a time and their results come back in input order,
so memory stays flat and the output is the same, row for row, whatever the number of jobs.
"""
from __future__ import annotations

import inspect
import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator
from typing import Any

import pandas as pd

from .errors import ConfigError, WorkerError
from .pipeline import Analyzer, TagStats

__all__ = ["available_cores", "resolve_jobs", "tag_in_order"]

_WORKER: Analyzer | None = None
#: backends that run torch, which spreads one process over every core itself: one process
_OWN_THREADS = frozenset({"transformers"})
#: backends whose native thread pools must not be forked once used: workers are spawned
_SPAWN = frozenset({"accurate"})


def available_cores() -> int:
    """Cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def resolve_jobs(jobs: int | None) -> int:
    """``None`` or 0 = all cores; else a positive number of processes."""
    if jobs is None or jobs == 0:
        return available_cores()
    if not isinstance(jobs, int) or jobs < 0:
        raise ConfigError(f"jobs={jobs!r} must be a positive number of processes (0 or None = all cores)")
    return jobs


def analyzer_params(analyzer: Analyzer) -> dict[str, Any]:
    """The constructor arguments of ``analyzer`` (to rebuild it in a spawned process)."""
    names = [p for p in inspect.signature(Analyzer.__init__).parameters if p != "self"]
    return {name: getattr(analyzer, name) for name in names}


def _exit_with_parent(parent: int) -> None:
    """End this worker when the process that started it is gone (killed with SIGKILL, say)."""
    import threading
    import time

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="cxtext-parent-watch").start()


def _init_spawned(params: dict[str, Any], parent: int, threads: int) -> None:
    global _WORKER
    _exit_with_parent(parent)
    # the encoder's OpenMP pool would start one thread per core in every worker: workers x cores
    # threads spinning on the same cores. Each worker gets its share (unless the user set it).
    os.environ.setdefault("OMP_NUM_THREADS", str(threads))
    _WORKER = Analyzer(**params).prepare()


def _tag(chunk: pd.DataFrame, column: str) -> tuple[pd.DataFrame, TagStats]:
    analyzer = _WORKER
    assert analyzer is not None, "worker started without an analyzer"
    analyzer.stats_ = TagStats()
    return analyzer.tag_chunk(chunk, column), analyzer.stats_


def tag_in_order(analyzer: Analyzer, chunks: Iterable[pd.DataFrame], column: str, jobs: int,
                 stats: TagStats) -> Iterator[pd.DataFrame]:
    """Tagged chunks in input order; counts are added to ``stats``.

    With ``jobs`` > 1, ``jobs`` worker processes tag while this process reads and writes; at
    most ``2 * jobs`` chunks are in flight.
    """
    if jobs <= 1:
        for chunk in chunks:
            analyzer.stats_ = TagStats()
            yield analyzer.tag_chunk(chunk, column)
            stats.merge(analyzer.stats_)
        return
    global _WORKER
    from concurrent.futures import ProcessPoolExecutor

    if analyzer.backend in _OWN_THREADS:  # torch already uses every core, and forking it deadlocks
        yield from tag_in_order(analyzer, chunks, column, 1, stats)
        return
    if "fork" in multiprocessing.get_all_start_methods() and analyzer.backend not in _SPAWN:
        _WORKER = analyzer  # inherited by the forked workers, models loaded
        pool = ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork"),
                                   initializer=_exit_with_parent, initargs=(os.getpid(),))
    else:  # accurate, or no fork (macOS/Windows): workers load the models themselves
        pool = ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_init_spawned,
                                   initargs=(analyzer_params(analyzer), os.getpid(), max(1, available_cores() // jobs)))
    pending: deque[Any] = deque()
    rows, written = 0, False
    try:
        for chunk in chunks:
            pending.append((rows, len(chunk), pool.submit(_tag, chunk, column)))
            rows += len(chunk)
            # the first chunk as soon as it is done (the first rows come out early); then the
            # oldest when 2 * jobs are waiting, so the workers always have chunks queued
            while pending and (len(pending) >= 2 * jobs or (not written and pending[0][2].done())):
                yield _collect(pending.popleft(), stats)
                written = True
        while pending:
            yield _collect(pending.popleft(), stats)
    finally:
        for *_, future in pending:
            future.cancel()
        pool.shutdown(wait=True, cancel_futures=True)
        _WORKER = None


def _collect(item: tuple[int, int, Any], stats: TagStats) -> pd.DataFrame:
    from concurrent.futures.process import BrokenProcessPool

    first, count, future = item
    try:
        frame, counts = future.result()
    except BrokenProcessPool:
        raise WorkerError(
            f"a worker process died while tagging rows {first + 1:,}-{first + count:,} (killed, or out "
            "of memory?); nothing was written; run again, with fewer --jobs or --jobs 1"
        ) from None
    stats.merge(counts)
    return frame
