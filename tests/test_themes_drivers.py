"""``--drivers themes``: theme and theme x sentiment indicators, impact, and the report's theme tree."""
from __future__ import annotations

import json
import shutil
import subprocess
import tempfile

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from cxtext.cli import main
from cxtext.drivers import driver_table
from cxtext.errors import ColumnError, ConfigError, SmallSampleWarning
from cxtext.themes._drivers import combine_sentiments, theme_indicators


def _evidence(**themes: list[str]) -> str:
    return json.dumps({t.replace("__", "/"): [{"text": "x", "start": 0, "end": 1, "sentiment": s} for s in labels]
                       for t, labels in themes.items()})


@pytest.fixture
def themed() -> pd.DataFrame:
    rows = []
    for i in range(60):
        late = i % 2 == 0
        rows.append({
            "comment": f"comment {i}",
            "nps": 2 if late else 10,
            "themes": "process/late_delivery;people/kind_staff" if late and i % 4 == 0 else
                      ("process/late_delivery" if late else "people/kind_staff"),
            "theme_evidence": _evidence(process__late_delivery=["negative"], people__kind_staff=["positive", "negative"])
                              if late and i % 4 == 0 else
                              (_evidence(process__late_delivery=["negative"]) if late
                               else _evidence(people__kind_staff=["positive"])),
        })
    return pd.DataFrame(rows)


def test_indicators_per_theme_and_sentiment(themed):
    ind = theme_indicators(themed)
    names = list(ind.drivers["driver"])
    assert names[:2] == ["people/kind_staff", "process/late_delivery"]  # CX topic order
    assert "people/kind_staff:mixed" in names and "process/late_delivery:negative" in names
    column = ind.matrix[:, names.index("people/kind_staff:mixed")]
    assert column.sum() == 15 and set(ind.drivers["level"]) == {"theme", "theme_sentiment"}


def test_impact_of_themes(themed):
    with pytest.warns(SmallSampleWarning, match="1 of 5 drivers"):
        table = driver_table(themed, "nps", "nps", n_boot=200, drivers="themes").table
    late = table[table["driver"] == "process/late_delivery"].iloc[0]
    assert late["n"] == 30 and late["impact"] < -50 and late["ci_high"] < 0
    assert late["flags"] == ""  # 30 mentions: not small
    small = table[table["driver"] == "people/kind_staff:mixed"].iloc[0]
    assert "small_n" in small["flags"]


def test_themes_from_a_themes_codebook_use_their_topic_sentiment():
    tagged = pd.DataFrame({
        "topics": ["process;process/late_delivery", "people/kind_staff", "", "process/late_delivery"],
        "sentiment_process": ["negative", "", "", "mixed"],
        "sentiment_people": ["", "positive", "", ""],
        "nps": [1, 10, 8, 3],
    })
    ind = theme_indicators(tagged)
    assert list(ind.drivers["driver"]) == ["people/kind_staff", "process/late_delivery", "people/kind_staff:positive",
                                           "process/late_delivery:negative", "process/late_delivery:mixed"]


def test_a_table_without_themes_says_what_to_run():
    with pytest.raises(ColumnError, match="cxtext themes discover"):
        driver_table(pd.DataFrame({"topics": ["price"], "nps": [3]}), "nps", drivers="themes")
    with pytest.raises(ConfigError, match="drivers='words'"):
        driver_table(pd.DataFrame({"topics": ["price"], "nps": [3]}), "nps", drivers="words")


@pytest.mark.parametrize("labels, expected", [
    (["positive", "negative"], "mixed"), (["neutral", "negative"], "negative"), (["positive", "neutral"], "positive"),
    (["neutral"], "neutral"), ([], ""), (["mixed"], "mixed"),
])
def test_combine_sentiments(labels, expected):
    assert combine_sentiments(labels) == expected


def test_cli_drivers_themes(themed, tmp_path):
    path = tmp_path / "themed.csv"
    themed.to_csv(path, index=False)
    result = CliRunner().invoke(main, ["drivers", str(path), "--score", "nps", "--drivers", "themes",
                                       "--n-boot", "100", "-o", str(tmp_path / "d.csv")])
    assert result.exit_code == 0, result.output
    assert "process/late_delivery" in result.output
    table = pd.read_csv(tmp_path / "d.csv")
    assert {"theme", "theme_sentiment"} == set(table["level"])


def test_report_has_a_theme_tree_and_theme_impacts(themed):
    from cxtext.report import build_report

    tagged = themed.assign(topics=np.where(themed["nps"] < 7, "process", "people"),
                           sentiment_process=np.where(themed["nps"] < 7, "negative", ""),
                           sentiment_people=np.where(themed["nps"] < 7, "", "positive"))
    page = build_report(tagged, "nps", n_boot=100)
    assert 'id="themes"' in page and "cx-themes" in page and "treemap" in page
    assert 'id="theme-drivers"' in page and "late_delivery" in page
    without = build_report(tagged.drop(columns=["themes", "theme_evidence"]), "nps", n_boot=100)
    assert 'id="themes"' not in without


@pytest.mark.skipif(shutil.which("chromium") is None, reason="Chromium is not installed")
def test_theme_tree_is_drawn_in_headless_chromium(themed, tmp_path):
    """The treemap really renders offline: Chromium's DOM after the scripts ran holds its boxes."""
    from cxtext.report import build_report

    tagged = themed.assign(topics=np.where(themed["nps"] < 7, "process", "people"),
                           sentiment_process=np.where(themed["nps"] < 7, "negative", ""),
                           sentiment_people=np.where(themed["nps"] < 7, "", "positive"))
    page = tmp_path / "report.html"
    page.write_text(build_report(tagged, "nps", n_boot=50), encoding="utf-8")
    with tempfile.TemporaryDirectory(prefix="cxtext-chromium-") as profile:
        done = subprocess.run(
            [shutil.which("chromium"), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-background-networking", f"--user-data-dir={profile}", "--virtual-time-budget=8000",
             "--dump-dom", page.as_uri()],
            capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "treemaplayer" in done.stdout
    assert done.stdout.count('class="slice') >= 4  # two topics and two themes
