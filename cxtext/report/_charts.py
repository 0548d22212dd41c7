"""Plotly figures of the report (plotly is imported lazily).

Every figure fits a phone (420 px) as well as a desktop: titles and explanations are HTML
around the chart (they wrap), axis titles are short, legends sit below the plot, and labels that
could collide (the quadrant's topics) are a legend, not text placed on the plot.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from ..schema import TOPIC_SENTIMENTS

__all__ = ["driver_chart", "quadrant_chart", "heatmap_chart", "segment_chart", "trend_chart", "figure_html",
           "METRIC_LABELS", "LAYOUT", "topic_importance"]

METRIC_LABELS = {"nps": "NPS", "csat": "CSAT (mean)", "ces": "CES (mean ease)"}
_NEG, _POS, _GREY = "#c0392b", "#1e8449", "#95a5a6"
_PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
            "#bcbd22", "#17becf")
#: Plotly layout shared by every chart of the report.
LAYOUT: dict[str, Any] = {
    "template": "plotly_white",
    "font": {"family": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif", "size": 12},
    "margin": {"l": 8, "r": 12, "t": 12, "b": 8},
    "autosize": True,
}
_LEGEND_BELOW = {"orientation": "h", "yanchor": "top", "y": -0.18, "xanchor": "left", "x": 0}


def _go():  # noqa: ANN202
    import plotly.graph_objects as go

    return go


def _fmt(value: float, metric: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    return f"{value:+.1f}" if metric == "nps" else f"{value:.2f}"


def _short(label: str, limit: int = 26) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def driver_chart(drivers: pd.DataFrame, metric: str, min_n: int, top: int = 12) -> Any:
    """Horizontal bars of impact with 95% bootstrap error bars (grey: n below ``min_n``)."""
    go = _go()
    data = drivers.head(top).iloc[::-1]
    colours = [
        _GREY if n < min_n else (_NEG if imp < 0 else _POS)
        for n, imp in zip(data["n"], data["impact"].fillna(0))
    ]
    labels = [f"{_short(str(d))} ({n})" for d, n in zip(data["driver"], data["n"])]
    fig = go.Figure(go.Bar(
        x=data["impact"], y=labels, orientation="h", marker_color=colours,
        error_x={"type": "data", "symmetric": False, "array": (data["ci_high"] - data["impact"]).tolist(),
                 "arrayminus": (data["impact"] - data["ci_low"]).tolist(), "color": "#34495e", "thickness": 1.2},
        customdata=data["driver"], hovertemplate="%{customdata}<br>impact %{x:.2f}<extra></extra>",
    ))
    unit = "points" if metric == "nps" else "on the mean"
    fig.update_layout(**LAYOUT, height=max(260, 30 * len(data) + 80),
                      xaxis_title=f"impact on {METRIC_LABELS[metric]} ({unit})")
    fig.update_xaxes(automargin=True, nticks=6)
    fig.update_yaxes(automargin=True)
    fig.add_vline(x=0, line_color="#555", line_width=1)
    return fig


def topic_importance(drivers: pd.DataFrame) -> pd.Series:
    """Importance per topic in % of the score's variance: the sum of its topic x sentiment weights.

    Shapley weights add up, so the sum is the share of the variance that what customers feel
    about the topic explains. The topic's own mention weight can be near zero when praise and
    complaints cancel out, while its ``topic:negative`` row is a top driver; this cannot happen
    here. Without topic x sentiment rows, the mention weight is used.
    """
    rows = drivers[drivers["level"] == "topic_sentiment"]
    topics = drivers[drivers["level"] == "topic"].set_index("driver")["weight"].fillna(0.0)
    if rows.empty:
        return topics
    summed = rows.groupby("topic")["weight"].apply(lambda w: float(w.fillna(0).sum()))
    return summed.reindex(topics.index).fillna(topics)


def quadrant_chart(drivers: pd.DataFrame, metric: str, overall: float, min_n: int = 1) -> Any:
    """Importance (:func:`topic_importance`) vs performance (metric among mentions), one colour per topic."""
    go = _go()
    topics = drivers[(drivers["level"] == "topic") & (drivers["n"] >= min_n)].dropna(subset=["metric_with"])
    importance = topic_importance(drivers).reindex(topics["driver"]).fillna(0.0).to_numpy(dtype=float)
    size = np.sqrt(topics["n"].clip(lower=1).to_numpy(dtype=float))
    size = 12 + 26 * size / size.max() if len(size) else size
    fig = go.Figure()
    for k, (row, x, s) in enumerate(zip(topics.itertuples(index=False), importance, size)):
        fig.add_trace(go.Scatter(
            x=[x], y=[row.metric_with], mode="markers", name=f"{_short(str(row.driver), 18)} (n={row.n})",
            marker={"size": s, "color": _PALETTE[k % len(_PALETTE)], "opacity": 0.8,
                    "line": {"width": 1, "color": "#1b4f72"}},
            hovertemplate=f"{row.driver}<br>importance %{{x:.1f}}% of variance<br>{METRIC_LABELS[metric]} "
                          f"when mentioned %{{y:.2f}}<br>n={row.n} ({row.share:.0f}% of comments)<extra></extra>",
        ))
    if len(topics):
        fig.add_hline(y=overall, line_dash="dash", line_color="#777")
        fig.add_vline(x=float(importance.mean()), line_dash="dot", line_color="#777")
        high = float(importance.max()) or 1.0
        fig.update_xaxes(range=[-0.08 * high, 1.12 * high])
    fig.update_layout(**LAYOUT, height=440, legend=_LEGEND_BELOW, showlegend=True,
                      xaxis_title="importance (% of variance)", yaxis_title=f"{METRIC_LABELS[metric]} when mentioned")
    fig.update_xaxes(automargin=True, nticks=6)
    fig.update_yaxes(automargin=True)
    return fig


def heatmap_chart(drivers: pd.DataFrame, metric: str, min_n: int = 30, show_small: bool = False) -> Any:
    """Topics x sentiments: the metric among those comments (colour) and n (text).

    Topics mentioned fewer than ``min_n`` times are left out, and cells with fewer than ``min_n``
    comments get no colour and show only their n (with ``show_small``: every topic, and the small
    cells' metric in brackets), so that a +100 from one comment is not a finding."""
    go = _go()
    cells = drivers[drivers["level"] == "topic_sentiment"]
    rows = drivers[(drivers["level"] == "topic") & ((drivers["n"] >= min_n) | show_small)]
    topics = list(dict.fromkeys(rows["driver"]))
    sentiments = [s for s in TOPIC_SENTIMENTS if s in set(cells["sentiment"])]
    z = np.full((len(topics), len(sentiments)), np.nan)
    text = [["" for _ in sentiments] for _ in topics]
    for _, row in cells.iterrows():
        if row["topic"] in topics and row["sentiment"] in sentiments:
            i, j = topics.index(row["topic"]), sentiments.index(row["sentiment"])
            if row["n"] >= min_n:
                z[i, j] = row["metric_with"]
                text[i][j] = f"{_fmt(row['metric_with'], metric)}<br>n={int(row['n'])}"
            elif show_small:
                text[i][j] = f"({_fmt(row['metric_with'], metric)})<br>n={int(row['n'])}"
            else:
                text[i][j] = f"n={int(row['n'])}"
    if metric == "nps":
        zmin, zmax, mid = -100, 100, 0
    else:
        finite = z[np.isfinite(z)]
        zmin, zmax = (float(finite.min()), float(finite.max())) if finite.size else (0, 1)
        mid = (zmin + zmax) / 2
    fig = go.Figure(go.Heatmap(
        z=z, x=sentiments, y=[_short(t, 18) for t in topics], text=text, texttemplate="%{text}",
        colorscale="RdYlGn", zmin=zmin, zmax=zmax, zmid=mid, hoverongaps=False,
        colorbar={"orientation": "h", "y": -0.12, "yanchor": "top", "thickness": 12, "len": 1.0,
                  "title": {"text": METRIC_LABELS[metric], "side": "top"}},
        hovertemplate="%{y}:%{x}<br>%{text}<extra></extra>",
    ))
    fig.update_layout(**LAYOUT, height=max(300, 56 * len(topics) + 150), plot_bgcolor="#eceff1")
    fig.update_xaxes(automargin=True, side="top")
    fig.update_yaxes(autorange="reversed", automargin=True)
    return fig


def segment_chart(table: pd.DataFrame, metric: str, by: str) -> Any:
    """The metric per segment with its 95% interval (horizontal, so long names fit a phone)."""
    go = _go()
    data = table[(table["metric"] == metric) & (table["segment"] != "all")].iloc[::-1]
    fig = go.Figure(go.Bar(
        y=[f"{_short(str(s), 22)} ({n})" for s, n in zip(data["segment"], data["n"])], x=data["value"],
        orientation="h", marker_color="#2e86c1",
        error_x={"type": "data", "symmetric": False, "array": (data["ci_high"] - data["value"]).tolist(),
                 "arrayminus": (data["value"] - data["ci_low"]).tolist(), "color": "#34495e"},
        customdata=data["segment"], hovertemplate="%{customdata}: %{x:.2f}<extra></extra>",
    ))
    overall = table[(table["metric"] == metric) & (table["segment"] == "all")]["value"]
    if len(overall):
        fig.add_vline(x=float(overall.iloc[0]), line_dash="dash", line_color="#777")
    fig.update_layout(**LAYOUT, height=max(240, 30 * len(data) + 90), xaxis_title=f"{METRIC_LABELS[metric]} by {_short(by, 20)}")
    fig.update_xaxes(automargin=True, nticks=6)
    fig.update_yaxes(automargin=True)
    return fig


def trend_chart(table: pd.DataFrame, metric: str) -> Any:
    """The metric per period with its 95% interval."""
    go = _go()
    starts = [pd.Period(str(label).replace("-Q", "Q")).start_time for label in table["segment"]]
    fig = go.Figure(go.Scatter(
        x=starts, y=table["value"], mode="lines+markers", line={"color": "#2e86c1"}, text=table["segment"],
        error_y={"type": "data", "symmetric": False, "array": (table["ci_high"] - table["value"]).tolist(),
                 "arrayminus": (table["value"] - table["ci_low"]).tolist(), "color": "#34495e"},
        customdata=table["n"], hovertemplate="%{text}: %{y:.2f} (n=%{customdata})<extra></extra>",
    ))
    fig.update_layout(**LAYOUT, height=320, yaxis_title=METRIC_LABELS[metric])
    fig.update_xaxes(automargin=True, type="date", nticks=6)
    fig.update_yaxes(automargin=True)
    return fig


def figure_html(fig: Any, div_id: str) -> str:
    """The figure as an HTML fragment without plotly.js (the page includes it once)."""
    return fig.to_html(full_html=False, include_plotlyjs=False, div_id=div_id, default_width="100%",
                       config={"displaylogo": False, "responsive": True, "displayModeBar": False})
