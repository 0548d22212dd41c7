"""The report's theme sections: a treemap of topics and themes, and the impact of each theme.

Shown when the tagged table carries themes (``cxtext themes discover`` output, or subtopics
from ``cxtext tag --codebook themes.yaml``). Boxes are sized by the comments that mention the
theme and coloured by its net sentiment (share positive minus share negative).
"""
from __future__ import annotations

import html
import warnings
from typing import Any

import numpy as np
import pandas as pd

from ..errors import ColumnError, SmallSampleWarning
from ..scores import ScoreSpec

__all__ = ["theme_sections", "theme_tree_chart"]


def _label(theme: str) -> str:
    return theme.rsplit("/", 1)[-1].replace("_", " ")


def theme_tree_chart(drivers: pd.DataFrame, metric: str) -> Any:
    """Treemap CX topic -> theme, sized by mentions, coloured by net sentiment (-1 to +1)."""
    import plotly.graph_objects as go

    from ._charts import LAYOUT, METRIC_LABELS

    themes = drivers[drivers["level"] == "theme"]
    moods = drivers[drivers["level"] == "theme_sentiment"]
    ids, labels, parents, values, colours, hover = [], [], [], [], [], []
    topics: dict[str, list[float]] = {}
    for _, row in themes.iterrows():
        theme, n = str(row["driver"]), int(row["n"])
        counts = moods[moods["topic"] == theme].set_index("sentiment")["n"]
        positive, negative = float(counts.get("positive", 0)), float(counts.get("negative", 0))
        net = (positive - negative) / n if n else 0.0
        topic = theme.split("/", 1)[0]
        totals = topics.setdefault(topic, [0.0, 0.0])
        totals[0] += n
        totals[1] += net * n
        ids.append(theme)
        labels.append(_label(theme))
        parents.append(topic)
        values.append(n)
        colours.append(net)
        hover.append(f"{html.escape(theme)}<br>{n} comments ({100 * row['share']:.1f}%)<br>"
                     f"{100 * positive / max(n, 1):.0f}% positive, {100 * negative / max(n, 1):.0f}% negative<br>"
                     f"{METRIC_LABELS[metric]} among them: {row['metric_with']:.1f}<br>"
                     f"impact {row['impact']:+.2f} [{row['ci_low']:+.2f}, {row['ci_high']:+.2f}]")
    for topic, (n, weighted) in topics.items():
        ids.append(topic)
        labels.append(topic)
        parents.append("")
        values.append(n)
        colours.append(weighted / n if n else 0.0)
        hover.append(f"{html.escape(topic)}<br>{int(n)} theme mentions")
    fig = go.Figure(go.Treemap(
        ids=ids, labels=labels, parents=parents, values=values, branchvalues="total",
        marker={"colors": colours, "colorscale": "RdYlGn", "cmin": -1, "cmax": 1, "cmid": 0,
                "colorbar": {"title": "net sentiment"}},
        hovertext=hover, hoverinfo="text", texttemplate="%{label}<br>%{value}",
    ))
    fig.update_layout(**{**LAYOUT, "margin": {"l": 10, "r": 10, "t": 50, "b": 10}}, height=560,
                      title="Themes by CX topic: size = comments, colour = net sentiment (positive minus negative)")
    return fig


def theme_sections(tagged: pd.DataFrame, spec: ScoreSpec, *, n_boot: int, seed: int,
                   min_n: int) -> list[tuple[str, str, str]]:
    """``(title, anchor, html)`` of the theme tree and the theme impacts; ``[]`` without themes."""
    from ..drivers import driver_table
    from . import driver_table_html
    from ._charts import driver_chart, figure_html

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SmallSampleWarning)  # flagged in the table and greyed out
            drivers = driver_table(tagged, spec, n_boot=n_boot, seed=seed, min_n=min_n, drivers="themes").table
    except ColumnError:
        return []
    metric = spec.metric
    themes = drivers[drivers["level"] == "theme"]
    if themes.empty or not (themes["n"] > 0).any():
        return []
    tree = figure_html(theme_tree_chart(drivers, metric), "cx-themes")
    ordered = themes.iloc[np.argsort(-np.abs(themes["impact"].fillna(0).to_numpy()), kind="stable")]
    impact = figure_html(driver_chart(ordered, metric, min_n, top=20), "cx-theme-drivers")
    table = driver_table_html(drivers, metric)
    return [
        ("Themes", "themes", "Topics and the themes discovered below them: size = comments, colour = net "
                             "sentiment (share positive minus share negative).", tree),
        ("Impact of themes", "theme-drivers",
         f"Impact on {metric.upper()} of each theme: the metric of all comments minus the metric without the "
         "comments that mention it, with its 95% bootstrap interval; (n) = mentions.",
         impact + f"<details><summary>All themes and theme x sentiment</summary>{table}</details>"),
    ]
