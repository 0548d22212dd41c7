"""Non-answers ("n/a", "nada que añadir", "no comments, thanks") are neutral, with no topic and no
emotion; comments that only look short are read as usual."""
from __future__ import annotations

import pandas as pd
import pytest
from click.testing import CliRunner

import cxtext
from cxtext.cli import main
from cxtext.nonanswers import is_non_answer

NON_ANSWERS = [
    "n/a", "N/A.", "Nada que añadir, gracias.", "sin comentarios", "Eso es todo por ahora, muchas gracias",
    "Niente da segnalare!", "nulla da aggiungere, grazie mille", "Non ho altro da aggiungere.",
    "Nada a declarar.", "Não tenho nada a acrescentar, obrigado!", "sem comentários",
    "No comments at this time :)", "Nothing else to add, thanks!", "That's all, thanks", "None.",
    "NOTHING TO REPORT", "nada que anadir", "No , nothing .", "No, nada más, gracias",  # shouted, and without accents
]
ANSWERS = [
    "No.", "nope", "ok", "x", "Thanks!", "Nothing special.", "Niente di che.", "Nada de especial.",
    "Nothing works in this app", "nothing to add, great service", "No comment on the rude staff.",
    "Todo perfecto, repetiré.", "Nada funciona desde ayer", "Não é isso.", "No, eso no es todo", "", "   ", "🙂", "Nada que añadir. " * 20,
]


@pytest.mark.parametrize("text", NON_ANSWERS)
def test_non_answers_are_recognised(text: str) -> None:
    assert is_non_answer(text)


@pytest.mark.parametrize("text", ANSWERS)
def test_answers_and_verdicts_are_not_non_answers(text: str) -> None:
    assert not is_non_answer(text)


def test_non_text_is_not_a_non_answer() -> None:
    assert not is_non_answer(None) and not is_non_answer(float("nan")) and not is_non_answer(3)


@pytest.fixture(scope="module")
def both() -> tuple[cxtext.Analyzer, cxtext.Analyzer]:
    return cxtext.Analyzer().prepare(), cxtext.Analyzer(non_answers=False).prepare()


def test_the_analyzer_tags_non_answers_neutral_without_topic_or_emotion(both) -> None:
    on, off = both
    changed = 0
    for text in NON_ANSWERS:
        result, plain = on(text), off(text)
        assert (result.sentiment, result.score, result.emotions, result.topics) == ("neutral", 0.0, (), ())
        assert result.evidence == {} and result.topic_sentiment == {}
        changed += (plain.sentiment, plain.emotions, plain.topics) != ("neutral", (), ())
    assert changed  # the models alone read some of them as a verdict or an emotion


def test_the_rule_leaves_other_comments_alone(both) -> None:
    on, off = both
    frame = pd.DataFrame({"comment": ANSWERS[:12] + ["La entrega llegó tarde pero el vendedor fue amable"]})
    pd.testing.assert_frame_equal(on.tag(frame, text="comment"), off.tag(frame, text="comment"))


def test_the_cli_can_switch_the_rule_off(tmp_path) -> None:
    source = tmp_path / "in.csv"
    pd.DataFrame({"comment": ["No comments at this time :)", "Nothing else to add, thanks!"]}).to_csv(source, index=False)
    for flag, name in (("--non-answers", "on.csv"), ("--no-non-answers", "off.csv")):
        done = CliRunner().invoke(main, ["tag", str(source), "--text", "comment", "-q", flag,
                                         "-o", str(tmp_path / name)])
        assert done.exit_code == 0, done.output
    on = pd.read_csv(tmp_path / "on.csv", keep_default_na=False)
    assert on["sentiment"].tolist() == ["neutral", "neutral"]
    assert on["emotions"].tolist() == ["", ""]  # an empty list is an empty cell in CSV
    off = pd.read_csv(tmp_path / "off.csv", keep_default_na=False)
    assert not off[["sentiment", "emotions"]].equals(on[["sentiment", "emotions"]])
    assert "non_answers" in cxtext.Analyzer(non_answers=False).describe()
