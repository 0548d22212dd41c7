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

import numpy as np
import pandas as pd

from .. import __version__
from ..errors import ColumnError, ConfigError, format_choices
from ..schema import TOPIC_EVIDENCE
from ._verbatims import evidence_spans, highlight, representative_rows

__all__ = ["build_report", "write_report", "TEXT_COLUMN_NAMES"]

#: Column names tried, in order, when the comment column is not given.
TEXT_COLUMN_NAMES: tuple[str, ...] = ("comment", "comments", "text", "verbatim", "feedback", "review", "message")


def _text_column(tagged: pd.DataFrame, text: str | None) -> str | None:
    if text is not None:
        if text not in tagged.columns:
            raise ColumnError(
                f"text column {text!r} is not in the tagged table; available columns: "
                f"{format_choices(tagged.columns)}; pass the comment column with --text (text=)"
            )
        return text
    lower = {str(c).lower(): str(c) for c in tagged.columns}
    for name in TEXT_COLUMN_NAMES:
        if name in lower:
            return lower[name]
    return None


def _metric_headline(tagged: pd.DataFrame, score: str, metric: str, scale: object, direction: str | None) -> dict:
    from .. import scores

    options = {"nps": {"nps_scale": scale or "0-10"}, "csat": {"csat_scale": scale or 5},
               "ces": {"ces_scale": scale, "ces_direction": direction}}[metric]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the drivers step warns once already
        table = scores.score_table(tagged, **{metric: score}, **options)
    return table.set_index("metric").to_dict("index")


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
                           f"95% interval {_num(main['ci_low'], 2)} to {_num(main['ci_high'], 2)} &middot; n={main['n']}"))
        cards.append(_card(f"{name} top box", f"{_num(top['value'], 0)}%",
                           f"95% interval {_num(top['ci_low'], 0)}% to {_num(top['ci_high'], 0)}%"))
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
            items.append(f'<li><span class="score">{html.escape(_num(score, 0))}</span> '
                         f"{highlight(text, spans)}</li>")
        impact = f"{_num(row['impact'], 1 if metric == 'nps' else 2, True)}"
        blocks.append(
            f'<div class="verb"><h3>{html.escape(str(row["driver"]))} <small>n={int(row["n"])}, impact '
            f"{html.escape(impact)}</small></h3><ul>{''.join(items)}</ul></div>"
        )
    return "".join(blocks)


def _driver_table_html(drivers: pd.DataFrame, metric: str) -> str:
    cols = ["driver", "n", "share", "metric_with", "metric_without", "impact", "ci_low", "ci_high", "weight", "flags"]
    digits = 1 if metric == "nps" else 2
    head = "".join(f"<th>{c}</th>" for c in cols)
    body = []
    for _, r in drivers[cols].iterrows():
        cells = [
            html.escape(str(r["driver"])), str(int(r["n"])), f"{100 * r['share']:.1f}%",
            _num(r["metric_with"], digits), _num(r["metric_without"], digits),
            _num(r["impact"], digits, True), _num(r["ci_low"], digits, True), _num(r["ci_high"], digits, True),
            _num(100 * r["weight"], 1) + "%" if pd.notna(r["weight"]) else "-", html.escape(str(r["flags"])),
        ]
        body.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    return f'<table class="drivers"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


_CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:0;background:#f4f6f8;color:#1c2833}
main{max-width:1180px;margin:0 auto;padding:24px}
h1{margin:0 0 4px 0;font-size:28px} h2{margin:32px 0 8px 0;font-size:20px;border-bottom:2px solid #d5dbdb;padding-bottom:4px}
.meta{color:#566573;font-size:13px}
.cards{display:flex;gap:16px;flex-wrap:wrap;margin-top:16px}
.card{background:#fff;border-radius:8px;padding:16px 20px;box-shadow:0 1px 3px rgba(0,0,0,.1);min-width:220px}
.card .label{color:#566573;font-size:13px;text-transform:uppercase;letter-spacing:.04em}
.card .value{font-size:34px;font-weight:600;margin:4px 0}
.card .sub{color:#566573;font-size:13px}
.panel{background:#fff;border-radius:8px;padding:8px;box-shadow:0 1px 3px rgba(0,0,0,.1);margin-top:12px}
.verb{background:#fff;border-radius:8px;padding:8px 16px;margin-top:12px;box-shadow:0 1px 3px rgba(0,0,0,.1)}
.verb h3{margin:6px 0;font-size:16px} .verb small{color:#566573;font-weight:normal}
.verb li{margin:6px 0;line-height:1.45} mark{background:#fde68a;padding:0 2px;border-radius:2px}
.score{display:inline-block;min-width:22px;text-align:center;background:#eaecee;border-radius:4px;font-size:12px;padding:1px 4px;margin-right:4px}
table.drivers{border-collapse:collapse;width:100%;background:#fff;font-size:13px}
table.drivers th,table.drivers td{border-bottom:1px solid #e5e8e8;padding:4px 8px;text-align:right}
table.drivers th:first-child,table.drivers td:first-child,table.drivers td:last-child{text-align:left}
.notes{font-size:13px;color:#444;line-height:1.5}
"""


def build_report(
    tagged: pd.DataFrame,
    score: str,
    metric: str = "nps",
    by: str | None = None,
    *,
    title: str | None = None,
    text: str | None = None,
    scale: object = None,
    direction: str | None = None,
    n_boot: int = 2000,
    seed: int = 0,
    min_n: int = 30,
    top_drivers: int = 5,
    verbatims: int = 3,
    source: str | None = None,
) -> str:
    """Build the report page as one HTML string.

    Args:
        tagged: output of :func:`cxtext.tag` (or a tagged file read back).
        score: the score column.
        metric: ``"nps"``, ``"csat"`` or ``"ces"``.
        by: segment column for the "metric by segment" chart (default: ``language`` if present).
        title: page title.
        text: comment column for verbatims (default: ``comment``, ``text``, ... if present).
        scale: answer scale (see :mod:`cxtext.scores`).
        direction: CES numeric direction.
        n_boot: bootstrap resamples for the impact intervals.
        seed: random seed.
        min_n: drivers with fewer mentions are greyed and flagged.
        top_drivers: drivers that get verbatims.
        verbatims: verbatims per driver.
        source: name of the input file, shown in the header.

    Returns:
        The complete HTML document.
    """
    import plotly.offline

    from ..drivers import driver_indicators, driver_table
    from ._charts import driver_chart, figure_html, heatmap_chart, quadrant_chart, segment_chart

    if metric not in ("nps", "csat", "ces"):
        raise ConfigError(f"metric {metric!r} is not allowed; use one of 'nps', 'csat', 'ces'")
    text_col = _text_column(tagged, text)
    drivers = driver_table(tagged, score, metric, scale=scale, direction=direction, n_boot=n_boot, seed=seed,
                           min_n=min_n)
    info = drivers.attrs["segments"]["all"]
    head = _metric_headline(tagged, score, metric, scale, direction)
    segment_col = by or ("language" if "language" in tagged.columns and tagged["language"].nunique() > 1 else None)

    sections: list[tuple[str, str, str]] = []
    level = "topic_sentiment" if (drivers["level"] == "topic_sentiment").any() else "topic"
    ds = drivers[drivers["level"] == level]
    sections.append(("Drivers", "drivers", figure_html(driver_chart(ds, metric, min_n), "cx-drivers")))
    topics = drivers[drivers["level"] == "topic"]
    sections.append(("Importance vs performance", "quadrant",
                     figure_html(quadrant_chart(topics, metric, info["metric"]), "cx-quadrant")))
    if (drivers["level"] == "topic_sentiment").any():
        sections.append(("Topics and sentiment", "heatmap", figure_html(heatmap_chart(drivers, metric, min_n), "cx-heatmap")))
    from ._themes import theme_sections  # themes from `cxtext themes discover`, when the table has them

    sections += theme_sections(tagged, score, metric, scale=scale, direction=direction, n_boot=n_boot, seed=seed,
                               min_n=min_n)
    if segment_col:
        from .. import scores

        if segment_col not in tagged.columns:
            raise ColumnError(f"segment column {segment_col!r} is not in the tagged table; available columns: "
                              f"{format_choices(tagged.columns)}")
        options = {"nps": {"nps_scale": scale or "0-10"}, "csat": {"csat_scale": scale or 5},
                   "ces": {"ces_scale": scale, "ces_direction": direction}}[metric]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            seg_table = scores.score_table(tagged, **{metric: score}, by=segment_col, **options)
        sections.append((f"By {segment_col}", "segments",
                         figure_html(segment_chart(seg_table, metric, segment_col), "cx-segments")))

    indicators = driver_indicators(tagged)
    matrix_of = {name: indicators.matrix[:, i] for i, name in enumerate(indicators.drivers["driver"])}
    from ..scores import parse_scores
    from ..drivers import _spec

    parsed = parse_scores(tagged[score], _spec(metric, scale, direction))
    raw = parsed.values.to_numpy(dtype=float)
    verbatim_html = _verbatims_html(tagged, ds[ds["n"] >= 1], matrix_of, text_col, raw, metric, top_drivers, verbatims)

    page_title = title or f"What drives {metric.upper()}"
    meta = (f"{len(tagged)} comments &middot; score column <code>{html.escape(score)}</code>"
            + (f" &middot; source <code>{html.escape(source)}</code>" if source else "")
            + f" &middot; made with cxtext {html.escape(__version__)}")
    charts = "".join(f'<h2 id="{anchor}">{html.escape(name)}</h2><div class="panel">{body}</div>'
                     for name, anchor, body in sections)
    r2 = info["r2"].get(level, float("nan"))
    notes = (
        "<p><b>Impact</b> = metric of all comments minus the metric of all comments without the ones that "
        f"mention the driver; 95% percentile bootstrap interval ({n_boot} resamples, seed {seed}). "
        "<b>Weight</b> = the driver's share of the explained variance of the score (OLS on the driver "
        f"indicators, {html.escape(str(info['method'].get(level, '')))}; weights sum to R² = {_num(r2, 3)}). "
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
<div class="panel">{_driver_table_html(drivers, metric)}</div>
<div class="notes">{notes}</div>
<footer class="meta"><p>Generated by cxtext {html.escape(__version__)}.</p></footer>
</main></body></html>
"""


def write_report(
    tagged: pd.DataFrame, path: str | os.PathLike[str], score: str, metric: str = "nps", *,
    force: bool = False, **options: object,
) -> str:
    """Build the report and write it atomically to ``path`` (refuses to overwrite without ``force``).

    Returns:
        The path written.
    """
    from ..io import atomic_output

    page = build_report(tagged, score, metric, **options)  # type: ignore[arg-type]
    with atomic_output(path, force) as tmp:
        tmp.write_text(page, encoding="utf-8")
    return str(path)
