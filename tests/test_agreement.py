"""Inter-coder agreement: hand-computed figures, Krippendorff's worked examples, scikit-learn."""
from __future__ import annotations

import math

import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from cxtext.agreement import agreement, cohen_kappa, krippendorff_alpha
from cxtext.cli import main
from cxtext.errors import ColumnError, ConfigError, InputError

N = None


def test_krippendorff_binary_two_coders_worked_example():
    # Krippendorff (2011), "Computing Krippendorff's alpha-reliability", example A: alpha = 0.095
    a = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]
    b = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]
    # by hand: o00 = 10, o11 = 2, o01 = o10 = 4; n0 = 14, n1 = 6; alpha = 1 - 19 * 4 / (14 * 6)
    assert krippendorff_alpha([a, b]) == pytest.approx(1 - 19 * 4 / 84)
    assert round(krippendorff_alpha([a, b]), 3) == 0.095


def test_krippendorff_nominal_four_coders_missing_worked_example():
    # Krippendorff (2011), example C (nominal, 4 observers, 12 units, missing values): alpha = 0.743
    data = [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
        [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],
    ]
    assert round(krippendorff_alpha(data), 3) == 0.743
    with_nan = [[float("nan") if v is None else v for v in row] for row in data]
    assert krippendorff_alpha(with_nan) == pytest.approx(krippendorff_alpha(data))


def test_krippendorff_undefined_and_errors():
    assert math.isnan(krippendorff_alpha([[1, 1, 1], [1, 1, 1]]))  # no expected disagreement
    assert math.isnan(krippendorff_alpha([[1, N], [N, 2]]))  # nothing pairable
    assert krippendorff_alpha([["a", "b"], ["a", "b"]]) == 1.0
    with pytest.raises(InputError):
        krippendorff_alpha([[1, 2], [1]])


def test_cohen_kappa_hand_computed():
    # po = 3/4, pe = (2*1 + 2*3) / 16 = 0.5 -> kappa = 0.5
    assert cohen_kappa([1, 1, 0, 0], [1, 0, 0, 0]) == pytest.approx(0.5)
    assert math.isnan(cohen_kappa([1, 1], [1, 1]))
    with pytest.raises(InputError):
        cohen_kappa([1], [1, 0])


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("abc"), st.sampled_from("abcd")), min_size=2, max_size=40))
def test_cohen_kappa_matches_scikit_learn(pairs):
    sklearn_metrics = pytest.importorskip("sklearn.metrics")
    a, b = [x for x, _ in pairs], [y for _, y in pairs]
    ours = cohen_kappa(a, b)
    if math.isnan(ours):
        assert len(set(a) | set(b)) == 1
        return
    assert ours == pytest.approx(sklearn_metrics.cohen_kappa_score(a, b))


CODED = pd.DataFrame({
    "segment": [1, 2, 3, 4, 5],
    "coder1": ["price", "price;people", "", "process", "People"],
    "model": ["price", "people", "", "", "people;price"],
})


def test_agreement_per_code_hand_computed():
    original = CODED.copy()
    result = agreement(CODED, "coder1", "model")
    table = result.table.set_index("code")
    assert table.index.tolist() == ["price", "people", "process"]  # "People" folded into "people"
    price = table.loc["price"]
    assert (price.both, price.a_only, price.b_only, price.neither) == (1, 1, 1, 2)
    # po = 3/5, pe = .4*.4 + .6*.6 = .52 -> kappa = .08/.48; alpha: o11=2, o00=4, o01=o10=2 -> 1 - 9*2/(6*4)
    assert price.kappa == pytest.approx(0.08 / 0.48)
    assert price.alpha == pytest.approx(0.25)
    assert price.percent_agreement == pytest.approx(0.6)
    people = table.loc["people"]
    assert (people.both, people.a_only, people.b_only, people.neither) == (2, 0, 0, 3)
    assert people.kappa == pytest.approx(1.0)
    process = table.loc["process"]
    assert (process.a_count, process.b_count, process.neither) == (1, 0, 4)
    assert process.kappa == pytest.approx(0.0)
    assert result.segments == 5 and result.skipped == 0
    assert result.single_label_alpha is None  # several codes on one segment
    pd.testing.assert_frame_equal(CODED, original)


def test_agreement_overall_alpha_pools_code_decisions():
    result = agreement(CODED, "coder1", "model")
    a = [1, 1, 0, 0, 0] + [0, 1, 0, 0, 1] + [0, 0, 0, 1, 0]
    b = [1, 0, 0, 0, 1] + [0, 1, 0, 0, 1] + [0, 0, 0, 0, 0]
    assert result.alpha == pytest.approx(krippendorff_alpha([a, b]))
    assert result.kappa == pytest.approx(cohen_kappa(a, b))


def test_agreement_uncoded_skip():
    result = agreement(CODED, "coder1", "model", uncoded="skip")
    assert (result.segments, result.skipped) == (3, 2)
    price = result.table.set_index("code").loc["price"]
    assert (price.both, price.a_only, price.b_only, price.neither) == (1, 1, 1, 0)
    assert result.table["code"].tolist() == ["price", "people"]  # "process" was only on a skipped segment
    only_process = agreement(CODED, "coder1", "model", uncoded="skip", codes=["process"])
    assert math.isnan(only_process.table["kappa"][0])  # nobody used it on the kept segments


def test_agreement_single_label_alpha_and_lists():
    coded = pd.DataFrame({"a": [["x"], ["y"], [], ["x"]], "b": [["x"], ["x"], [], ["x"]]})
    result = agreement(coded, "a", "b")
    first = ["x", "y", "(uncoded)", "x"]
    second = ["x", "x", "(uncoded)", "x"]
    assert result.single_label_alpha == pytest.approx(krippendorff_alpha([first, second]))


def test_agreement_codes_filter_and_case_sensitive():
    result = agreement(CODED, "coder1", "model", codes=["People"])
    assert result.table["code"].tolist() == ["People"]
    assert result.table["both"].tolist() == [2]
    sensitive = agreement(CODED, "coder1", "model", case_sensitive=True)
    assert {"people", "People"} <= set(sensitive.table["code"])


@pytest.mark.parametrize("kwargs, error, match", [
    ({"a": "coder9", "b": "model"}, ColumnError, "'coder9'"),
    ({"a": "model", "b": "model"}, ConfigError, "two different coders"),
    ({"a": "coder1", "b": "model", "uncoded": "zero"}, ConfigError, "'absent', 'skip'"),
])
def test_agreement_errors(kwargs, error, match):
    with pytest.raises(error, match=match):
        agreement(CODED, **kwargs)


def test_agreement_nothing_to_compare():
    with pytest.raises(InputError, match="no segment left"):
        agreement(pd.DataFrame({"a": ["", "x"], "b": ["y", ""]}), "a", "b", uncoded="skip")


def test_cli_agree(tmp_path):
    path = tmp_path / "coded.csv"
    CODED.to_csv(path, index=False)
    runner = CliRunner()
    out = tmp_path / "agreement.csv"
    result = runner.invoke(main, ["agree", str(path), "--a", "coder1", "--b", "model", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "Krippendorff's alpha" in result.output and "price" in result.output
    written = pd.read_csv(out)
    assert written["code"].tolist() == ["price", "people", "process"]
    assert written.loc[0, "kappa"] == pytest.approx(0.08 / 0.48)
    again = runner.invoke(main, ["agree", str(path), "--a", "coder1", "--b", "model", "-o", str(out)])
    assert again.exit_code == 2 and "--force" in again.output
    bad = runner.invoke(main, ["agree", str(path), "--a", "nope", "--b", "model"])
    assert bad.exit_code == 2 and "'nope'" in bad.output
    assert "Example" in runner.invoke(main, ["agree", "--help"]).output
