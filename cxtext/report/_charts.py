"""Plotly figures of the report (plotly is imported lazily)."""
from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from ..schema import TOPIC_SENTIMENTS

__all__ = ["driver_chart", "quadrant_chart", "heatmap_chart", "segment_chart", "figure_html", "METRIC_LABELS"]

METRIC_LABELS = {"nps": "NPS", "csat": "CSAT (mean)", "ces": "CES (mean ease)"}
_NEG, _POS, _GREY = "#c0392b", "#1e8449", "#95a5a6"
_LAYOUT: dict[str, Any] = {
    "template": "plotly_white",
    "font": {"family": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif", "size": 13},
    "margin": {"l": 10, "r": 20, "t": 50, "b": 40},
}


def _go():  # noqa: ANN202
    import plotly.graph_objects as go

    return go


def _fmt(value: float, metric: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    return f"{value:+.1f}" if metric == "nps" else f"{value:.2f}"


def driver_chart(drivers: pd.DataFrame, metric: str, min_n: int, top: int = 14) -> Any:
    """Horizontal bars of impact with 95% bootstrap error bars (grey: n below ``min_n``)."""
    go = _go()
    data = drivers.head(top).iloc[::-1]
    colours = [
        _GREY if n < min_n else (_NEG if imp < 0 else _POS)
        for n, imp in zip(data["n"], data["impact"].fillna(0))
    ]
    labels = [f"{d} (n={n})" for d, n in zip(data["driver"], data["n"])]
    fig = go.Figure(go.Bar(
        x=data["impact"], y=labels, orientation="h", marker_color=colours,
        error_x={"type": "data", "symmetric": False, "array": (data["ci_high"] - data["impact"]).tolist(),
                 "arrayminus": (data["impact"] - data["ci_low"]).tolist(), "color": "#34495e", "thickness": 1.2},
        hovertemplate="%{y}<br>impact %{x:.2f}<extra></extra>",
    ))
    unit = "points" if metric == "nps" else "on the mean"
    fig.update_layout(
        **_LAYOUT, height=max(320, 34 * len(data) + 120),
        title=f"Impact on {METRIC_LABELS[metric]} (95% bootstrap interval)",
        xaxis_title=f"impact = all minus all-without-the-driver ({unit}); negative = pulls the score down",
    )
    fig.add_vline(x=0, line_color="#555", line_width=1)
    return fig


def quadrant_chart(topics: pd.DataFrame, metric: str, overall: float) -> Any:
    """Importance (key-driver weight) vs performance (metric among mentions), bubbles sized by n."""
    go = _go()
    data = topics.dropna(subset=["metric_with"])
    weight = data["weight"].fillna(0) * 100
    size = np.sqrt(data["n"].clip(lower=1).to_numpy(dtype=float))
    size = 14 + 36 * size / size.max() if len(size) else size
    fig = go.Figure(go.Scatter(
        x=weight, y=data["metric_with"], mode="markers+text", text=data["driver"],
        textposition=_label_positions(weight.to_numpy(dtype=float), data["metric_with"].to_numpy(dtype=float)),
        marker={"size": size, "color": "#2e86c1", "opacity": 0.75,
                                          "line": {"width": 1, "color": "#1b4f72"}},
        customdata=np.column_stack([data["n"], data["share"] * 100]),
        hovertemplate="%{text}<br>weight %{x:.1f}% of variance<br>"
                      + METRIC_LABELS[metric] + " among mentions %{y:.2f}<br>n=%{customdata[0]} "
                      "(%{customdata[1]:.0f}% of comments)<extra></extra>",
    ))
    if len(data):
        fig.add_hline(y=overall, line_dash="dash", line_color="#777",
                      annotation_text=f"overall {_fmt(overall, metric)}", annotation_position="bottom right")
        fig.add_vline(x=float(weight.mean()), line_dash="dash", line_color="#777",
                      annotation_text="mean importance", annotation_position="bottom right")
    if len(data):
        top = float(weight.max()) or 1.0
        fig.update_xaxes(range=[-0.08 * top, 1.15 * top])
    fig.update_layout(
        **_LAYOUT, height=480,
        title="Importance vs performance of topics (bottom right: fix first)",
        xaxis_title="importance: key-driver weight (% of the score's variance explained)",
        yaxis_title=f"performance: {METRIC_LABELS[metric]} when mentioned",
    )
    return fig


def _label_positions(x: np.ndarray, y: np.ndarray) -> list[str]:
    """Spread the labels of nearby bubbles over four positions so they do not overlap."""
    cycle = ["middle right", "top center", "bottom center", "middle left"]
    span_x = float(np.ptp(x)) or 1.0
    span_y = float(np.ptp(y)) or 1.0
    positions: list[str] = []
    for i in range(len(x)):
        near = [j for j in range(i) if abs(x[j] - x[i]) / span_x < 0.12 and abs(y[j] - y[i]) / span_y < 0.12]
        used = {positions[j] for j in near}
        positions.append(next((p for p in cycle if p not in used), cycle[len(near) % len(cycle)]))
    return positions


def heatmap_chart(drivers: pd.DataFrame, metric: str, min_n: int = 30) -> Any:
    """Topics x sentiments: the metric among those comments (colour) and n (text).

    Cells with fewer than ``min_n`` comments show their n and metric but no colour, so that a
    +100 from a single comment does not look like a finding."""
    go = _go()
    cells = drivers[drivers["level"] == "topic_sentiment"]
    topics = list(dict.fromkeys(drivers.loc[drivers["level"] == "topic", "driver"]))
    sentiments = [s for s in TOPIC_SENTIMENTS if s in set(cells["sentiment"])]
    z = np.full((len(topics), len(sentiments)), np.nan)
    text = [["" for _ in sentiments] for _ in topics]
    for _, row in cells.iterrows():
        if row["topic"] in topics and row["sentiment"] in sentiments:
            i, j = topics.index(row["topic"]), sentiments.index(row["sentiment"])
            if row["n"] >= min_n:
                z[i, j] = row["metric_with"]
                text[i][j] = f"{_fmt(row['metric_with'], metric)}<br>n={int(row['n'])}"
            else:
                text[i][j] = f"({_fmt(row['metric_with'], metric)})<br>n={int(row['n'])}"
    if metric == "nps":
        zmin, zmax, mid = -100, 100, 0
    else:
        finite = z[np.isfinite(z)]
        zmin, zmax = (float(finite.min()), float(finite.max())) if finite.size else (0, 1)
        mid = (zmin + zmax) / 2
    fig = go.Figure(go.Heatmap(
        z=z, x=sentiments, y=topics, text=text, texttemplate="%{text}", colorscale="RdYlGn",
        zmin=zmin, zmax=zmax, zmid=mid, hoverongaps=False, colorbar={"title": METRIC_LABELS[metric]},
        hovertemplate="%{y}:%{x}<br>%{text}<extra></extra>",
    ))
    fig.update_layout(plot_bgcolor="#eceff1")
    fig.update_layout(**_LAYOUT, height=max(300, 60 * len(topics) + 120),
                      title=f"{METRIC_LABELS[metric]} by topic and sentiment (grey, in brackets: fewer than {min_n} comments)")
    fig.update_yaxes(autorange="reversed")
    return fig


def segment_chart(table: pd.DataFrame, metric: str, by: str) -> Any:
    """The metric per segment with its 95% interval."""
    go = _go()
    data = table[(table["metric"] == metric) & (table["segment"] != "all")]
    fig = go.Figure(go.Bar(
        x=data["segment"], y=data["value"], marker_color="#2e86c1",
        error_y={"type": "data", "symmetric": False, "array": (data["ci_high"] - data["value"]).tolist(),
                 "arrayminus": (data["value"] - data["ci_low"]).tolist(), "color": "#34495e"},
        text=[f"n={n}" for n in data["n"]], textposition="inside", insidetextanchor="start",
        hovertemplate="%{x}: %{y:.2f}<extra></extra>",
    ))
    overall = table[(table["metric"] == metric) & (table["segment"] == "all")]["value"]
    if len(overall):
        fig.add_hline(y=float(overall.iloc[0]), line_dash="dash", line_color="#777", annotation_text="all")
    fig.update_layout(**_LAYOUT, height=420, title=f"{METRIC_LABELS[metric]} by {by} (95% interval)",
                      yaxis_title=METRIC_LABELS[metric])
    return fig


def figure_html(fig: Any, div_id: str) -> str:
    """The figure as an HTML fragment without plotly.js (the page includes it once)."""
    return fig.to_html(full_html=False, include_plotlyjs=False, div_id=div_id,
                       config={"displaylogo": False, "responsive": True})
