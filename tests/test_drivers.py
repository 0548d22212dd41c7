"""Tests of cxtext.drivers: exact small cases, planted-driver simulations, invariants, CLI."""
from __future__ import annotations

import itertools
import json
import math
import warnings

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from cxtext.drivers import (
    bootstrap_impact,
    driver_indicators,
    driver_table,
    key_driver_weights,
    parse_topics,
    relative_weights,
    shapley_r2,
)
from cxtext.errors import ColumnError, ConfigError, SmallSampleWarning


@pytest.fixture
def small():
    return pd.DataFrame({
        "topics": ["process", "", "process;price", "price", "people", ""],
        "sentiment_process": ["negative", "", "negative", "", "", ""],
        "sentiment_price": ["", "", "positive", "neutral", "", ""],
        "sentiment_people": ["", "", "", "", "positive", ""],
        "nps": [3, 10, 6, 9, 10, 7],
        "csat": [1, 5, 2, 4, 5, 4],
    })


def _quiet_result(*args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SmallSampleWarning)
        return driver_table(*args, **kwargs)


def _quiet(*args, **kwargs):
    return _quiet_result(*args, **kwargs).table


def test_hand_computed_nps_impact(small):
    t = _quiet(small, "nps", "nps", n_boot=50).set_index("driver")
    # NPS(all): promoters 10, 9, 10 (3/6), detractors 3, 6 (2/6) -> +16.67
    # without process (rows 1, 3, 4, 5: 10, 9, 10, 7): 75 -> impact = 16.67 - 75
    assert t.loc["process", "impact"] == pytest.approx(100 / 6 - 75)
    assert t.loc["process", "metric_with"] == pytest.approx(-100)
    assert t.loc["process", "mean_score_with"] == pytest.approx(4.5)
    assert t.loc["process", "mean_score_without"] == pytest.approx(9.0)
    assert t.loc["process", "n"] == 2 and t.loc["process", "share"] == pytest.approx(100 * 2 / 6)
    # price (rows 2, 3: 6, 9) -> without: 3, 10, 10, 7 -> (2 - 1) / 4 = 25
    assert t.loc["price", "impact"] == pytest.approx(100 / 6 - 25)
    assert t.loc["price:positive", "n"] == 1
    assert "small_n" in t.loc["process", "flags"]


def test_hand_computed_csat_impact(small):
    t = _quiet(small, "csat", "csat", n_boot=50).set_index("driver")
    # mean all = 21/6 = 3.5; without people (row 4): 16/5 = 3.2 -> impact +0.3
    assert t.loc["people", "impact"] == pytest.approx(0.3)
    assert t.loc["people:positive", "metric_without"] == pytest.approx(3.2)


def test_output_columns_and_sorting(small):
    t = _quiet(small, "nps", "nps", n_boot=50)
    for col in ["driver", "n", "share", "impact", "ci_low", "ci_high", "weight", "flags"]:
        assert col in t.columns
    assert list(np.abs(t["impact"])) == sorted(np.abs(t["impact"]), reverse=True)
    seg = _quiet(small, "nps", "nps", by="sentiment_people", n_boot=50)
    assert seg.columns[0] == "segment" and seg["segment"].iloc[0] == "all"


def test_topics_read_back_from_csv_forms():
    assert parse_topics("process;price") == ["process", "price"]
    assert parse_topics('["a", "b"]') == ["a", "b"]
    assert parse_topics("['a', 'b']") == ["a", "b"]  # pandas to_csv of a list column
    assert parse_topics("") == [] and parse_topics(None) == []
    ind = driver_indicators(pd.DataFrame({"topics": [["process/delivery"], "price;process/returns", ""]}))
    assert list(ind.drivers["driver"]) == ["price", "process", "process/delivery", "process/returns"]
    assert ind.matrix[:, 1].tolist() == [True, True, False]
    other = driver_indicators(pd.DataFrame({"topics": ["price", ""], "sentiment_notes": ["meh", "ok"]}))
    assert list(other.drivers["driver"]) == ["price"]


def test_shapley_matches_brute_force_and_sums_to_r2():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(120, 4))
    x[:, 3] = x[:, 0] + 0.3 * rng.normal(size=120)
    y = x @ np.array([1.0, 0.5, 0.0, 0.2]) + rng.normal(size=120)

    def r2(cols):
        if not cols:
            return 0.0
        a = np.column_stack([np.ones(len(y)), x[:, cols]])
        resid = y - a @ np.linalg.lstsq(a, y, rcond=None)[0]
        return 1 - resid @ resid / ((y - y.mean()) @ (y - y.mean()))

    p = 4
    expected = np.zeros(p)
    for j in range(p):
        others = [k for k in range(p) if k != j]
        for size in range(p):
            for s in itertools.combinations(others, size):
                w = math.factorial(size) * math.factorial(p - size - 1) / math.factorial(p)
                expected[j] += w * (r2(list(s) + [j]) - r2(list(s)))
    weights, total = shapley_r2(x, y)
    assert weights == pytest.approx(expected, abs=1e-9)
    assert total == pytest.approx(r2([0, 1, 2, 3])) and weights.sum() == pytest.approx(total)


def test_relative_weights_sum_to_r2_and_logistic():
    rng = np.random.default_rng(1)
    x = (rng.random((400, 20)) < 0.2).astype(float)
    y = 7 - 2 * x[:, 0] + rng.normal(size=400)
    w, r2, method = key_driver_weights(x, y)
    assert method.startswith("Johnson") and np.nansum(w) == pytest.approx(r2) and np.nanargmax(w) == 0
    direct, direct_r2 = relative_weights(x, y)
    assert direct == pytest.approx(w) and direct_r2 == pytest.approx(r2)
    ols = np.column_stack([np.ones(400), x])
    resid = y - ols @ np.linalg.lstsq(ols, y, rcond=None)[0]
    assert r2 == pytest.approx(1 - resid @ resid / ((y - y.mean()) @ (y - y.mean())))
    wl, r2l, method_l = key_driver_weights(x, (y > 6).astype(float), model="logistic")
    assert "logistic" in method_l and np.nansum(wl) == pytest.approx(r2l) and np.nanargmax(wl) == 0


def _simulate(seed: int, n: int = 1500) -> pd.DataFrame:
    """Negative delivery lowers the score by 2 points for 20% of customers; price has no effect."""
    rng = np.random.default_rng(seed)
    delivery = rng.random(n) < 0.2
    price = rng.random(n) < 0.3
    product = rng.random(n) < 0.25
    score = rng.normal(6.0, 1.5, n) - 2 * delivery + 0.5 * product
    topics = [";".join(t for t, f in (("delivery", a), ("price", b), ("product", c)) if f)
              for a, b, c in zip(delivery, price, product)]
    return pd.DataFrame({
        "topics": topics,
        "sentiment_delivery": np.where(delivery, "negative", ""),
        "sentiment_price": np.where(price, rng.choice(["positive", "negative"], n), ""),
        "sentiment_product": np.where(product, "positive", ""),
        "score": np.round(score, 6).astype(str),
    })


def test_planted_drivers_recovered():
    covered = 0
    seeds = range(12)
    for seed in seeds:
        df = _simulate(seed)
        y = df["score"].astype(float).to_numpy()
        m = driver_indicators(df).matrix
        names = list(driver_indicators(df).drivers["driver"])
        impact, low, high = bootstrap_impact(y, m, n_boot=400, seed=seed)
        order = np.argsort(-np.abs(impact))
        assert {names[order[0]], names[order[1]]} == {"delivery", "delivery:negative"}
        price = names.index("price")
        assert low[price] < 0 < high[price]
        d = names.index("delivery:negative")
        share = m[:, d].mean()
        true_impact = -2 * share  # mean(all) - mean(without) with a -2 shift on a share of rows
        covered += low[d] <= true_impact <= high[d]
        w, _, _ = key_driver_weights(m[:, [names.index(n) for n in names if ":" in n]].astype(float), y)
        sentiment_names = [n for n in names if ":" in n]
        assert sentiment_names[int(np.nanargmax(w))] == "delivery:negative"
    assert covered >= 9  # nominal 95% coverage: "in most seeds"


def test_planted_driver_through_driver_table():
    df = _simulate(0, n=800)
    df["score"] = np.clip(np.round(df["score"].astype(float)), 0, 10).astype(int)
    result = driver_table(df, "score", "nps", n_boot=300)
    t = result.table
    top = t[t.level == "topic_sentiment"].iloc[0]
    assert top["driver"] == "delivery:negative" and top["ci_high"] < 0 and top["flags"] == ""
    price = t.set_index("driver").loc["price"]
    assert "ci_crosses_zero" in price["flags"]
    assert result.segments["all"]["method"]["topic"] == "Shapley (exact)"
    for level, r2 in result.segments["all"]["r2"].items():
        assert t.loc[t.level == level, "weight"].sum() == pytest.approx(100 * r2)  # % of the variance


def test_collinear_flag():
    n = 200
    a = np.arange(n) % 4 == 0
    df = pd.DataFrame({"topics": [";".join(t for t, f in (("x", v), ("y", v), ("z", i % 3 == 0)) if f)
                                  for i, v in enumerate(a)], "nps": np.arange(n) % 11})
    t = driver_table(df, "nps", "nps", n_boot=50).table.set_index("driver")
    assert "collinear(y)" in t.loc["x", "flags"] and "collinear" not in t.loc["z", "flags"]


def test_high_vif_flag_for_exact_linear_dependence():
    from cxtext.drivers import collinearity_flags

    i = np.arange(300)
    a, b, c = i % 5 == 0, i % 5 == 1, i % 7 == 0
    flags = collinearity_flags(np.column_stack([a, b, a | b, c]), ["a", "b", "ab", "c"], 0.9)
    assert flags[:3] == [["high_vif"]] * 3 and flags[3] == []


def test_errors(small):
    with pytest.raises(ColumnError, match="'nope'"):
        driver_table(small, "nope")
    with pytest.raises(ConfigError, match="metric"):
        driver_table(small, "nps", "xyz")
    with pytest.raises(ConfigError, match="model"):
        driver_table(small, "nps", model="probit")
    with pytest.raises(ColumnError, match="topics"):
        driver_table(small[["nps"]], "nps")


def test_does_not_mutate(small):
    before = small.copy()
    _quiet(small, "nps", "nps", n_boot=20)
    pd.testing.assert_frame_equal(small, before)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.floats(0, 10), st.booleans(), st.booleans()), min_size=2, max_size=40))
def test_unmentioned_driver_has_zero_impact(rows):
    y = np.array([r[0] for r in rows])
    m = np.array([[r[1], r[2], False] for r in rows])
    impact, low, high = bootstrap_impact(y, m, n_boot=30, seed=1)
    assert impact[2] == 0.0 and low[2] == 0.0 and high[2] == 0.0


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 10), st.sampled_from(["", "a", "b", "a;b"]),
                          st.sampled_from(["", "negative", "positive"])), min_size=3, max_size=30),
       st.randoms(use_true_random=False))
def test_results_do_not_depend_on_row_order(rows, rnd):
    df = pd.DataFrame(rows, columns=["nps", "topics", "sentiment_a"])
    df["sentiment_a"] = [s if "a" in t.split(";") else "" for t, s in zip(df.topics, df.sentiment_a)]
    shuffled = df.sample(frac=1, random_state=rnd.randint(0, 10_000)).reset_index(drop=True)
    a = _quiet(df, "nps", "nps", n_boot=40).set_index("driver").sort_index()
    b = _quiet(shuffled, "nps", "nps", n_boot=40).set_index("driver").sort_index()
    for col in ["n", "impact", "ci_low", "ci_high", "weight", "metric_with"]:
        np.testing.assert_allclose(a[col].astype(float), b[col].astype(float), atol=1e-9)
    assert list(a["flags"]) == list(b["flags"])
    assert ((a["metric_with"].dropna() >= -100) & (a["metric_with"].dropna() <= 100)).all()


def test_cli_drivers(tmp_path, small):
    from cxtext.cli import main

    src = tmp_path / "tagged.csv"
    small.to_csv(src, index=False)
    for name in ["d.csv", "d.json", "d.tsv", "d.xlsx", "d.parquet", "d.jsonl"]:  # every format of write_table
        out = tmp_path / name
        result = CliRunner().invoke(main, ["drivers", str(src), "--score", "nps", "--metric", "nps",
                                           "--n-boot", "50", "-o", str(out)])
        assert result.exit_code == 0, result.output
    table = pd.read_csv(tmp_path / "d.csv")
    for other in (pd.read_parquet(tmp_path / "d.parquet"), pd.read_excel(tmp_path / "d.xlsx"),
                  pd.read_json(tmp_path / "d.jsonl", lines=True), pd.read_csv(tmp_path / "d.tsv", sep="\t")):
        assert other["driver"].tolist() == table["driver"].tolist()
    assert table.loc[table.driver == "process", "impact"].item() == pytest.approx(100 / 6 - 75)
    records = json.loads((tmp_path / "d.json").read_text())
    assert {"driver", "n", "share", "impact", "ci_low", "ci_high", "weight", "flags"} <= set(records[0])
    seg = CliRunner().invoke(main, ["drivers", str(src), "--score", "nps", "--by", "sentiment_people",
                                    "--n-boot", "20", "-o", str(tmp_path / "s.csv")])
    assert seg.exit_code == 0 and "segment" in pd.read_csv(tmp_path / "s.csv").columns
    bad = CliRunner().invoke(main, ["drivers", str(src), "--score", "nps", "-o", str(tmp_path / "x.pdf")])
    assert bad.exit_code == 2


def test_cli_share_and_weight_are_percentages_like_the_report(tmp_path, small):
    from cxtext.cli import main

    src = tmp_path / "tagged.csv"
    small.to_csv(src, index=False)
    result = CliRunner().invoke(main, ["drivers", str(src), "--score", "nps", "--n-boot", "20", "--min-n", "1",
                                       "-o", str(tmp_path / "d.csv")])
    assert result.exit_code == 0, result.output
    line = next(row for row in result.output.splitlines() if row.strip().startswith("process "))
    assert "33.3%" in line  # 2 of 6 comments
    table = pd.read_csv(tmp_path / "d.csv").set_index("driver")
    assert table.loc["process", "share"] == pytest.approx(100 * 2 / 6)
    from cxtext.report import build_report

    assert "<td>process</td><td>2</td><td>33.3%</td>" in build_report(small, "nps", "nps", n_boot=20, min_n=1)


def test_cli_hides_small_drivers_unless_asked(tmp_path, small):
    from cxtext.cli import main

    src = tmp_path / "tagged.csv"
    small.to_csv(src, index=False)
    hidden = CliRunner().invoke(main, ["drivers", str(src), "--score", "nps", "--n-boot", "20"])
    assert hidden.exit_code == 0 and "process" not in hidden.output and "--show-small" in hidden.output
    shown = CliRunner().invoke(main, ["drivers", str(src), "--score", "nps", "--n-boot", "20", "--show-small"])
    assert "process" in shown.output and "min_n" not in shown.output and "30 times (--min-n)" in shown.output


def test_by_segment_lists_only_drivers_the_segment_mentions(small):
    table = _quiet(small, "nps", "nps", by="sentiment_people", n_boot=20)
    segments = table[table["segment"] != "all"]
    assert (segments["n"] > 0).all()
    assert sorted(segments.loc[segments.segment == "positive", "driver"]) == ["people", "people:positive"]


def _same_tables(result_a, result_b) -> None:
    a, b = result_a.table, result_b.table
    assert list(a.columns) == list(b.columns) and len(a) == len(b)
    for col in a.columns:
        if a[col].dtype.kind == "f":
            np.testing.assert_allclose(a[col].to_numpy(), b[col].to_numpy(), rtol=1e-9, atol=1e-9, err_msg=col)
        else:
            assert a[col].tolist() == b[col].tolist(), col
    for name, info in result_a.segments.items():
        other = result_b.segments[name]
        assert info["n"] == other["n"] and info["metric"] == pytest.approx(other["metric"], abs=1e-9)
        assert info["r2"] == pytest.approx(other["r2"], abs=1e-9) and info["method"] == other["method"]


def _counted(frame: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """The distinct rows of ``frame`` and how often each occurs (what cxtext.dask.drivers brings back)."""
    counts = frame.groupby(list(frame.columns), dropna=False).size()
    return counts.index.to_frame(index=False), counts.to_numpy()


@pytest.fixture(scope="module")
def many():
    rng = np.random.default_rng(3)
    rows = []
    for i in range(6000):
        mentioned = [t for t in ("process", "price", "people", "product") if rng.random() < 0.3]
        boost = 2 * ("process" in mentioned) - 2 * ("price" in mentioned)
        nps = int(np.clip(rng.integers(0, 11) + boost, 0, 10))
        row = {"topics": ";".join(mentioned), "nps": nps, "csat": min(5, 1 + nps // 2),
               "channel": ["web", "app", "store"][i % 3]}
        for t in ("process", "price", "people", "product"):
            row[f"sentiment_{t}"] = str(rng.choice(["positive", "negative"])) if t in mentioned else ""
        rows.append(row)
    return pd.DataFrame(rows)


@pytest.mark.parametrize("options", [{"score": "nps", "metric": "nps", "by": "channel"},
                                     {"score": "csat", "metric": "csat"},
                                     {"score": "nps", "metric": "nps", "model": "logistic"},
                                     {"score": "csat", "metric": "csat", "model": "logistic", "by": "channel"}])
def test_frequency_weights_give_the_table_of_the_repeated_rows(many, options):
    combos, weights = _counted(many)
    assert len(combos) < len(many) / 2  # the pattern bootstrap, as for large tables
    _same_tables(_quiet_result(many, n_boot=200, **options),
                 _quiet_result(combos, n_boot=200, weights=weights, **options))


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 10), st.sampled_from(["", "a", "b", "a;b"]),
                          st.sampled_from(["", "negative", "positive"]), st.integers(1, 4)), min_size=3, max_size=30))
def test_frequency_weights_equal_repeated_rows_small(rows):
    df = pd.DataFrame([r[:3] for r in rows], columns=["nps", "topics", "sentiment_a"])
    df["sentiment_a"] = [s if "a" in t.split(";") else "" for t, s in zip(df.topics, df.sentiment_a)]
    weights = np.array([r[3] for r in rows])
    repeated = df.loc[np.repeat(df.index.to_numpy(), weights)].reset_index(drop=True)
    _same_tables(_quiet_result(repeated, "nps", "nps", n_boot=40),
                 _quiet_result(df, "nps", "nps", n_boot=40, weights=weights))


def test_weighted_score_issues_are_counted_in_rows():
    frame = pd.DataFrame({"topics": ["price", "", "price"], "nps": [3, 11, "x"]})
    with pytest.warns(Warning, match="2 of 7 values"):
        _quiet(frame, "nps", "nps", n_boot=10, weights=[5, 1, 1])


def test_a_misspelt_weight_model_is_a_config_error():
    from cxtext.drivers import key_driver_weights
    from cxtext.errors import ConfigError

    x = np.array([[1, 0], [0, 1], [1, 1], [0, 0]] * 5, dtype=float)
    with pytest.raises(ConfigError, match="model 'olsx' is not allowed; use one of 'ols', 'logistic'"):
        key_driver_weights(x, x[:, 0], model="olsx")
