"""A single self-contained HTML report: score, drivers, quadrant, heatmap, themes, segments, verbatims.

The page embeds plotly.js once (no network is needed to view it), HTML-escapes every text
from the data, and stamps the cxtext version.

Example:
    >>> from cxtext.report import build_report  # doctest: +SKIP
    >>> html = build_report(tagged, score="nps", metric="nps", by="channel")  # doctest: +SKIP
"""
from __future__ import annotations

import html
import math
import os
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from .. import __version__
from ..cells import TEXT_COLUMN_NAMES, find_comment_column
from ..drivers import DriverTable
from ..errors import ColumnError, format_choices, option
from ..schema import TOPIC_EVIDENCE
from ..scores import ScoreSpec
from ._verbatims import evidence_spans, highlight_excerpt, representative_rows

__all__ = ["build_report", "write_report", "report_file", "TEXT_COLUMN_NAMES", "SEGMENT_COLUMN_NAMES",
           "default_segment"]

#: Column names tried, in order (case-insensitive), for the default segment; language comes last.
SEGMENT_COLUMN_NAMES: tuple[str, ...] = (
    "segment", "journey_stage", "journey stage", "stage", "touchpoint", "journey", "channel", "customer_segment",
    "region", "country", "store", "branch", "product_line", "brand",
)
_MAX_SEGMENTS = 25


def default_segment(tagged: pd.DataFrame) -> str | None:
    """The segment column when none is given: a journey/channel/segment column, else ``language``.

    A candidate needs 2 to 25 distinct values; the columns ``cxtext tag --codebook journey``
    adds (lists of topics, with a ``*_evidence`` column) are not segments.

    Example:
        >>> default_segment(pd.DataFrame({"language": ["es", "en"], "Channel": ["web", "app"]}))
        'Channel'
    """
    lower = {str(c).lower(): c for c in tagged.columns}
    for name in SEGMENT_COLUMN_NAMES + ("language",):
        column = lower.get(name)
        if column is None or f"{column}_evidence" in tagged.columns:
            continue
        values = tagged[column].dropna().astype(str).str.strip()
        if 2 <= values[values.ne("")].nunique() <= _MAX_SEGMENTS:
            return str(column)
    return None


def _score_rows(tagged: pd.DataFrame, spec: ScoreSpec, by: str | None = None) -> pd.DataFrame:
    from ..scores import score_table

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the drivers step warns once already
        return score_table(tagged, by=by, spec=spec)


def _card(label: str, value: str, sub: str) -> str:
    return (f'<div class="card"><div class="label">{html.escape(label)}</div>'
            f'<div class="value">{html.escape(value)}</div><div class="sub">{sub}</div></div>')


def _num(value: float, digits: int = 1, sign: bool = False) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    return f"{value:+.{digits}f}" if sign else f"{value:.{digits}f}"


def _headline_html(head: dict, metric: str, n_rows: int) -> str:
    cards = []
    main = head[metric]
    if metric == "nps":
        cards.append(_card("NPS", _num(main["value"], 1, True),
                           f"95% interval {_num(main['ci_low'], 1, True)} to {_num(main['ci_high'], 1, True)}"
                           f" &middot; n={main['n']}"))
        cards.append(_card("Promoters / passives / detractors",
                           f"{_num(main['promoters'], 0)}% / {_num(main['passives'], 0)}% / {_num(main['detractors'], 0)}%",
                           "9-10 / 7-8 / 0-6"))
    else:
        name = "CSAT" if metric == "csat" else "CES (ease)"
        top = head[f"{metric}_top_box"]
        cards.append(_card(f"{name} mean", _num(main["value"], 2),
                           f"{html.escape(str(main.get('scale', '')))} &middot; 95% interval "
                           f"{_num(main['ci_low'], 2)} to {_num(main['ci_high'], 2)} &middot; n={main['n']}"))
        cards.append(_card(f"{name} top box", f"{_num(top['value'], 0)}%",
                           f"{html.escape(str(top.get('scale', '')))} &middot; 95% interval "
                           f"{_num(top['ci_low'], 0)}% to {_num(top['ci_high'], 0)}%"))
    skipped = int(main.get("n_invalid", 0)) + int(main.get("n_missing", 0))
    cards.append(_card("Comments", f"{n_rows}", f"{skipped} without a valid score (left out)"))
    return '<div class="cards">' + "".join(cards) + "</div>"


def _verbatims_html(
    tagged: pd.DataFrame, drivers: pd.DataFrame, matrix_of: dict[str, np.ndarray], text_col: str | None,
    raw_scores: np.ndarray, metric: str, top: int, per_driver: int,
) -> str:
    if text_col is None and TOPIC_EVIDENCE not in tagged.columns:
        return "<p>No comment column found; pass <code>--text</code> to show verbatims.</p>"
    candidates = drivers[(drivers["level"] == "topic_sentiment") & (drivers["n"] > 0)]
    if candidates.empty:
        candidates = drivers[drivers["n"] > 0]
    blocks = []
    texts = tagged[text_col].astype(str) if text_col else pd.Series([""] * len(tagged), index=tagged.index)
    evidence = tagged[TOPIC_EVIDENCE] if TOPIC_EVIDENCE in tagged.columns else pd.Series([""] * len(tagged))
    for _, row in candidates.head(top).iterrows():
        mask = matrix_of[row["driver"]]
        rows = representative_rows(texts, raw_scores, mask, per_driver)
        items = []
        for pos in rows:
            text = texts.iloc[pos]
            spans = evidence_spans(text, evidence.iloc[pos], row["topic"])
            score = raw_scores[pos]
            lang = str(tagged["language"].iloc[pos]) if "language" in tagged.columns else "xx"
            items.append(f'<li><span class="score">{html.escape(_num(score, 0))}</span> '
                         f"{highlight_excerpt(text, spans, lang)}</li>")
        impact = f"{_num(row['impact'], 1 if metric == 'nps' else 2, True)}"
        blocks.append(
            f'<div class="verb"><h3>{html.escape(str(row["driver"]))} <small>n={int(row["n"])}, impact '
            f"{html.escape(impact)}</small></h3><ul>{''.join(items)}</ul></div>"
        )
    return "".join(blocks)


def driver_table_html(drivers: pd.DataFrame, metric: str) -> str:
    """The driver table as an HTML table (one row per driver, figures rounded for reading)."""
    cols = ["driver", "n", "share", "metric_with", "metric_without", "impact", "ci_low", "ci_high", "weight", "flags"]
    digits = 1 if metric == "nps" else 2
    head = "".join(f"<th>{c}</th>" for c in cols)
    body = []
    for _, r in drivers[cols].iterrows():
        cells = [
            html.escape(str(r["driver"])), str(int(r["n"])), f"{r['share']:.1f}%",
            _num(r["metric_with"], digits), _num(r["metric_without"], digits),
            _num(r["impact"], digits, True), _num(r["ci_low"], digits, True), _num(r["ci_high"], digits, True),
            _num(r["weight"], 1) + "%" if pd.notna(r["weight"]) else "-", html.escape(str(r["flags"])),
        ]
        body.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    return (f'<div class="scroll"><table class="drivers"><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table></div>')


_CSS = """
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:0;background:#f4f6f8;color:#1c2833}
main{max-width:1180px;margin:0 auto;padding:24px}
h1{margin:0 0 4px 0;font-size:28px} h2{margin:32px 0 8px 0;font-size:20px;border-bottom:2px solid #d5dbdb;padding-bottom:4px}
.meta,.caption{color:#566573;font-size:13px;overflow-wrap:anywhere}
.caption{margin:4px 0 0 0;line-height:1.45}
code{overflow-wrap:anywhere}
.cards{display:flex;gap:16px;flex-wrap:wrap;margin-top:16px}
.card{background:#fff;border-radius:8px;padding:16px 20px;box-shadow:0 1px 3px rgba(0,0,0,.1);flex:1 1 220px;min-width:0}
.card .label{color:#566573;font-size:13px;text-transform:uppercase;letter-spacing:.04em}
.card .value{font-size:34px;font-weight:600;margin:4px 0}
.card .sub{color:#566573;font-size:13px}
.panel{background:#fff;border-radius:8px;padding:8px;box-shadow:0 1px 3px rgba(0,0,0,.1);margin-top:12px;min-width:0}
.panel .js-plotly-plot,.panel .plotly-graph-div{width:100%!important;max-width:100%}
.verb{background:#fff;border-radius:8px;padding:8px 16px;margin-top:12px;box-shadow:0 1px 3px rgba(0,0,0,.1)}
.verb h3{margin:6px 0;font-size:16px;overflow-wrap:anywhere} .verb small{color:#566573;font-weight:normal}
.verb ul{padding-left:20px}
.verb li{margin:6px 0;line-height:1.45;overflow-wrap:anywhere} mark{background:#fde68a;padding:0 2px;border-radius:2px}
.score{display:inline-block;min-width:22px;text-align:center;background:#eaecee;border-radius:4px;font-size:12px;padding:1px 4px;margin-right:4px}
.scroll{overflow-x:auto;max-width:100%}
table.drivers{border-collapse:collapse;width:100%;background:#fff;font-size:13px}
table.drivers th,table.drivers td{border-bottom:1px solid #e5e8e8;padding:4px 8px;text-align:right;white-space:nowrap}
table.drivers th:first-child,table.drivers td:first-child,table.drivers td:last-child{text-align:left}
table.drivers td.wrap{white-space:normal;min-width:160px}
.notes{font-size:13px;color:#444;line-height:1.5}
@media (max-width:600px){
 main{padding:12px} h1{font-size:22px} h2{font-size:18px}
 .card{padding:12px 14px} .card .value{font-size:26px}
 table.drivers{font-size:12px}
}
"""


def _trend_html(trend, metric: str) -> str:  # noqa: ANN001 - _trend.Trend
    digits = 1 if metric == "nps" else 2
    rows = []
    for _, r in trend.metric.iterrows():
        top = trend.drivers[trend.drivers["segment"] == r["segment"]]
        named = "; ".join(f"{html.escape(str(d['driver']))} {_num(d['impact'], digits, True)}"
                          for _, d in top.iterrows()) or "-"
        rows.append(f"<tr><td>{html.escape(str(r['segment']))}</td><td>{int(r['n'])}</td>"
                    f"<td>{_num(r['value'], digits)} ({_num(r['ci_low'], digits)} to {_num(r['ci_high'], digits)})</td>"
                    f'<td class="wrap">{named}</td></tr>')
    head = f"<tr><th>{trend.period}</th><th>n</th><th>{metric.upper()} (95% interval)</th><th>top drivers (impact)</th></tr>"
    return (f'<div class="scroll"><table class="drivers trend"><thead>{head}</thead><tbody>{"".join(rows)}</tbody>'
            "</table></div>")


def build_report(
    tagged: pd.DataFrame,
    score: str | ScoreSpec,
    metric: str | None = None,
    by: str | None = None,
    *,
    title: str | None = None,
    text: str | None = None,
    scale: object = None,
    direction: str | None = None,
    n_boot: int = 2000,
    seed: int = 0,
    min_n: int = 30,
    show_small: bool = False,
    date: str | None = None,
    period: str = "auto",
    top_drivers: int = 5,
    verbatims: int = 3,
    source: str | None = None,
) -> str:
    """Build the report page as one HTML string.

    Args:
        tagged: output of :func:`cxtext.tag` (or a tagged file read back).
        score: the score: a :class:`~cxtext.scores.ScoreSpec` with its column (from
            :func:`cxtext.scores.score_spec`), or the score column's name with ``metric``,
            ``scale`` and ``direction`` as a shorthand.
        metric: ``"nps"`` (default), ``"csat"`` or ``"ces"``.
        by: segment column for the "metric by segment" chart (default: :func:`default_segment`: a
            journey/channel/segment column, else ``language``).
        title: page title.
        text: comment column for verbatims (default: :func:`cxtext.cells.find_comment_column`: the
            one free-text column, else ``comment``, ``text``, ... if present).
        scale: answer scale (see :mod:`cxtext.scores`).
        direction: CES numeric direction.
        n_boot: bootstrap resamples for the impact intervals.
        seed: random seed.
        min_n: drivers with fewer mentions are left out of the charts and verbatims (listed in the
            table, flagged ``small_n``).
        show_small: chart them anyway (greyed).
        date: a date column: adds the metric and its top drivers per month or quarter.
        period: ``auto``, ``month`` or ``quarter`` (with ``date``).
        top_drivers: drivers that get verbatims.
        verbatims: verbatims per driver.
        source: name of the input file, shown in the header.

    Returns:
        The complete HTML document.
    """
    import plotly.offline

    from ..drivers import driver_indicators, driver_table
    from ..scores import parse_scores, resolve_spec
    from ._charts import driver_chart, figure_html, heatmap_chart, quadrant_chart, segment_chart, trend_chart

    spec = resolve_spec(score, metric, scale=scale, direction=direction)
    score, metric = spec.column, spec.metric  # type: ignore[assignment]
    text_col = find_comment_column(tagged, text, required=False)
    if by is not None and by not in tagged.columns:
        raise ColumnError(f"segment column {by!r} is not in the tagged table; available columns: "
                          f"{format_choices(tagged.columns)}")
    result: DriverTable = driver_table(tagged, spec, n_boot=n_boot, seed=seed, min_n=min_n)
    drivers = result.table
    info = result.segments["all"]
    head = _score_rows(tagged, spec).set_index("metric").to_dict("index")
    segment_col = by or default_segment(tagged)
    shown = drivers if show_small else drivers[drivers["n"] >= min_n]
    hidden = int((drivers["n"] < min_n).sum()) if not show_small else 0
    hidden_note = (f" {hidden} driver(s) mentioned fewer than {min_n} times are not charted "
                   f"({option('show_small=True', '--show-small')} charts them; the table lists them)."
                   if hidden else "")
    digits_unit = "points" if metric == "nps" else "on the mean"

    sections: list[tuple[str, str, str, str]] = []
    level = "topic_sentiment" if (drivers["level"] == "topic_sentiment").any() else "topic"
    ds = shown[shown["level"] == level]
    sections.append(("Drivers", "drivers",
                     f"Impact on {metric.upper()} ({digits_unit}) of each {'topic and sentiment' if level != 'topic' else 'topic'}: "
                     "the metric of all comments minus the metric without the comments that mention it, with its "
                     "95% bootstrap interval; red pulls the score down, green lifts it; (n) = mentions."
                     + hidden_note,
                     figure_html(driver_chart(ds, metric, min_n), "cx-drivers")))
    sections.append(("Importance vs performance", "quadrant",
                     "Each topic: importance = the share of the score's variance that what customers feel about "
                     "it explains (the sum of its topic x sentiment weights); performance = the metric among the "
                     "comments that mention it. Dashed line: overall; dotted line: mean importance. Bottom "
                     "right (important, below average): fix first." + hidden_note,
                     figure_html(quadrant_chart(drivers, metric, info["metric"], 1 if show_small else min_n),
                                 "cx-quadrant")))
    if (drivers["level"] == "topic_sentiment").any():
        sections.append(("Topics and sentiment", "heatmap",
                         f"{metric.upper()} among the comments with each topic and sentiment; grey cells have fewer "
                         f"than {min_n} comments.",
                         figure_html(heatmap_chart(drivers, metric, min_n, show_small), "cx-heatmap")))
    from ._themes import theme_sections  # themes from `cxtext themes discover`, when the table has them

    sections += theme_sections(tagged, spec, n_boot=n_boot, seed=seed, min_n=min_n)
    if segment_col:
        seg_table = _score_rows(tagged, spec, by=segment_col)
        how = "" if by else f" (chosen automatically; pass {option('by=', '--by')} for another column)"
        sections.append((f"By {segment_col}", "segments",
                         f"{metric.upper()} per value of <code>{html.escape(segment_col)}</code>{how}, with its 95% "
                         "interval; dashed line: all comments; (n) = answers.",
                         figure_html(segment_chart(seg_table, metric, segment_col), "cx-segments")))
    if date:
        from ._trend import trend as build_trend

        trend = build_trend(tagged, spec, date, period=period, min_n=min_n, show_small=show_small,
                            n_boot=min(n_boot, 500), seed=seed)
        notes_html = "".join(f" {html.escape(n)}." for n in trend.notes)
        sections.append((f"Over time, by {trend.period}", "trend",
                         f"{metric.upper()} per {trend.period} of <code>{html.escape(date)}</code> with its 95% "
                         f"interval, and the top drivers of each {trend.period} by impact (those with at least {min_n} mentions in it)."
                         + notes_html,
                         figure_html(trend_chart(trend.metric, metric), "cx-trend") + _trend_html(trend, metric)))

    indicators = driver_indicators(tagged)
    matrix_of = {name: indicators.matrix[:, i] for i, name in enumerate(indicators.drivers["driver"])}
    parsed = parse_scores(tagged[score], spec)
    raw = parsed.values.to_numpy(dtype=float)
    verbatim_html = _verbatims_html(tagged, ds[ds["n"] >= 1], matrix_of, text_col, raw, metric, top_drivers, verbatims)

    page_title = title or f"What drives {metric.upper()}"
    meta = (f"{len(tagged)} comments &middot; score column <code>{html.escape(score)}</code>"
            + (f" &middot; source <code>{html.escape(source)}</code>" if source else "")
            + f" &middot; made with cxtext {html.escape(__version__)}")
    charts = "".join(f'<h2 id="{anchor}">{html.escape(name)}</h2><p class="caption">{caption}</p>'
                     f'<div class="panel">{body}</div>'
                     for name, anchor, caption, body in sections)
    r2 = info["r2"].get(level, float("nan"))
    notes = (
        "<p><b>Impact</b> = metric of all comments minus the metric of all comments without the ones that "
        f"mention the driver; 95% percentile bootstrap interval ({n_boot} resamples, seed {seed}). "
        "<b>Share</b> = % of the comments that mention the driver. <b>Weight</b> = the % of the score's "
        "variance the driver explains (OLS on the driver indicators, "
        f"{html.escape(str(info['method'].get(level, '')))}; a level's weights sum to R² = {_num(r2, 3)}). "
        f"<b>Flags</b>: small_n (fewer than {min_n} mentions), ci_crosses_zero (the interval includes 0: "
        "no clear effect), collinear/high_vif (hard to separate from another driver). Associations, not "
        "proof of cause.</p>"
    )
    plotly_js = plotly.offline.get_plotlyjs()
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="cxtext {html.escape(__version__)}">
<title>{html.escape(page_title)}</title>
<style>{_CSS}</style>
<script type="text/javascript">{plotly_js}</script>
</head><body><main>
<h1>{html.escape(page_title)}</h1>
<div class="meta">{meta}</div>
{_headline_html(head, metric, len(tagged))}
{charts}
<h2 id="verbatims">What customers say about the top drivers</h2>
{verbatim_html}
<h2 id="table">All drivers</h2>
<div class="panel">{driver_table_html(drivers, metric)}</div>
<div class="notes">{notes}</div>
<footer class="meta"><p>Generated by cxtext {html.escape(__version__)}.</p></footer>
</main></body></html>
"""


def write_report(
    tagged: pd.DataFrame, path: str | os.PathLike[str], score: str | ScoreSpec, metric: str | None = None, *,
    force: bool = False, **options: object,
) -> str:
    """Build the report (:func:`build_report`, same arguments) and write it atomically to ``path``.

    It refuses to overwrite an existing file without ``force``.

    Returns:
        The path written.
    """
    from ..io import atomic_output

    page = build_report(tagged, score, metric, **options)  # type: ignore[arg-type]
    with atomic_output(path, force) as tmp:
        tmp.write_text(page, encoding="utf-8")
    return str(path)


def report_file(
    tagged: str | os.PathLike[str], path: str | os.PathLike[str], score: str | ScoreSpec,
    metric: str | None = None, *, force: bool = False, encoding: str | None = None, sheet: str | None = None,
    **options: object,
) -> str:
    """Read a tagged file and write its report to ``path``: what ``cxtext report`` does.

    The output path is checked first (nothing is read when it cannot be written); the input's
    file name is shown in the page header. ``options`` are :func:`build_report`'s.

    Example:
        >>> report_file("tagged.csv", "report.html", score_spec("nps", "nps"))  # doctest: +SKIP
        'report.html'
    """
    from ..drivers import read_tagged
    from ..io import check_output_path

    check_output_path(path, force)
    table = read_tagged(str(tagged), encoding=encoding, sheet=sheet)
    options.setdefault("source", Path(tagged).name)
    return write_report(table, path, score, metric, force=force, **options)
