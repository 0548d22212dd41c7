"""Summaries of tagged turns per speaker, participant or file, with representative quotes.

Works on the output of ``cxtext tag`` (turns from transcripts, or any tagged table): the
columns ``text``, ``topics``, ``sentiment``, ``sentiment_score``, ``emotions``,
``topic_evidence`` and ``sentiment_<topic>``; multi-label cells may be lists or
``;``-joined strings (as read back from CSV). Missing analysis columns are skipped.

Quote ranking (per topic, highest score first, then file order):

- +2 when the quote's sentiment about the topic is the topic's most frequent one, so the
  quotes show the prevailing view (topic sentiment from ``sentiment_<topic>``, else the
  turn's ``sentiment``);
- + up to 1 for the number of evidence matches of the topic in the turn (1/3 each);
- +1 for a quotable length (8-60 words), +0.5 for 4-7 or 61-120 words;
- + the absolute ``sentiment_score`` (0-1), favouring clear statements.

Speakers are spread: each speaker's best quote is taken before anyone's second one. A turn
longer than ``max_quote_words`` is quoted as the sentence holding the topic evidence, with its
neighbours when that sentence alone is short (marked with ``…``; see
:func:`cxtext.report._verbatims.quote_window`); quotes are never cut at a fixed width.
"""
from __future__ import annotations

import textwrap
from collections import Counter
from dataclasses import dataclass

import pandas as pd

from .errors import ColumnError, ConfigError, format_choices
from .report._verbatims import QUOTE_MAX_WORDS, evidence_spans, excerpt
from .schema import (
    CX_TOPICS,
    EMOTIONS_COLUMN,
    LANGUAGE,
    LANGUAGES,
    SENTIMENT,
    SENTIMENT_SCORE,
    TOPIC_EVIDENCE,
    TOPICS,
    topic_sentiment_column,
)
from .cells import is_missing as is_blank
from .cells import split_labels
from .transcripts._time import format_seconds

__all__ = ["Summary", "summarize"]

_NONE = "(none)"


@dataclass
class Summary:
    """The result of :func:`summarize`.

    Attributes:
        by: the grouping column.
        table: one row per group: ``turns``, ``rows``, ``words``, ``word_share``, sentiment
            counts, ``sentiment_balance`` ((positive - negative) / rows with a sentiment, in
            [-1, 1]), ``mean_sentiment_score``, ``dominant_emotions``, ``top_topics`` and one
            ``mentions_<topic>`` column per topic.
        topics: one row per group and topic: ``mentions`` and the topic-sentiment counts.
        quotes: the representative quotes: ``topic, rank, file, speaker, turn, start, time,
            topic_sentiment, quote, score`` (context columns only when present).
    """

    by: str
    table: pd.DataFrame
    topics: pd.DataFrame
    quotes: pd.DataFrame

    def to_text(self, width: int = 100) -> str:
        """Readable tables for a terminal; quotes are wrapped at ``width``, never cut."""
        shown = [c for c in self.table.columns if not c.startswith("mentions_")]
        parts = [f"Summary by {self.by}", self.table[shown].to_string(index=False, max_colwidth=40)]
        if len(self.quotes):
            parts.append("\nRepresentative quotes")
            for topic, group in self.quotes.groupby("topic", sort=False):
                parts.append(f"\n[{topic}]")
                for record in group.to_dict("records"):
                    where = ", ".join(
                        str(record[c]) for c in ("file", "speaker") if c in record and not is_blank(record[c])
                    )
                    if record.get("time"):
                        where += f" @ {record['time']}"
                    line = f"{record['rank']}. \"{record['quote']}\" ({where}; {record['topic_sentiment'] or 'no sentiment'})"
                    parts.append(textwrap.fill(line, width=width, initial_indent="  ", subsequent_indent="     "))
        return "\n".join(parts)

    def __str__(self) -> str:
        return self.to_text()


def _topic_order(counts: Counter) -> list[str]:
    known = [t for t in CX_TOPICS if t in counts]
    return known + sorted(t for t in counts if t not in CX_TOPICS)


def _words(text: object) -> int:
    return 0 if is_blank(text) else len(str(text).split())


def _topic_sentiment(record: dict, topic: str, columns: set[str]) -> str:
    column = topic_sentiment_column(topic)
    if column in columns and not is_blank(record.get(column)):
        return str(record[column]).strip()
    value = record.get(SENTIMENT)
    return "" if is_blank(value) else str(value).strip()


def _length_fit(words: int) -> float:
    if 8 <= words <= 60:
        return 1.0
    if 4 <= words <= 120:
        return 0.5
    return 0.0


def _score(value: object) -> float:
    number = pd.to_numeric(pd.Series([value]), errors="coerce").iloc[0]
    return 0.0 if pd.isna(number) else float(number)


def summarize(
    tagged: pd.DataFrame,
    by: str = "speaker",
    quotes_per_topic: int = 3,
    text: str = "text",
    max_quote_words: int = QUOTE_MAX_WORDS,
) -> Summary:
    """Turns, words, topic mentions, sentiment balance and emotions per group, plus quotes.

    Args:
        tagged: tagged turns (output of ``cxtext tag``); not modified.
        by: the grouping column: ``speaker``, ``file``, or a role column such as
            ``participant_id``. Blank values form the group ``(none)``.
        quotes_per_topic: how many quotes to keep per topic (0 for none).
        text: the text column.
        max_quote_words: longer turns are quoted as the sentence(s) around the topic evidence.

    Returns:
        A :class:`Summary` (groups in order of first appearance; topics in the order of
        :data:`cxtext.schema.CX_TOPICS`, then alphabetical).

    Raises:
        ColumnError: ``by`` or ``text`` is not a column.

    Example:
        >>> tagged = pd.DataFrame({"speaker": ["Ana", "Ana", "Bo"],
        ...     "text": ["Too pricey.", "Staff were lovely.", "Fine."],
        ...     "topics": ["price", "people", ""], "sentiment": ["negative", "positive", "neutral"]})
        >>> summarize(tagged).table[["speaker", "turns", "sentiment_balance"]].to_dict("records")
        [{'speaker': 'Ana', 'turns': 2, 'sentiment_balance': 0.0}, {'speaker': 'Bo', 'turns': 1, 'sentiment_balance': 0.0}]
    """
    for column, option in ((by, "by"), (text, "text")):
        if column not in tagged.columns:
            raise ColumnError(
                f"column {column!r} (--{option}) is not in the table; columns: {format_choices(tagged.columns)}"
            )
    if int(quotes_per_topic) < 0:
        raise ConfigError(f"quotes_per_topic={quotes_per_topic!r} must be 0 or more")
    columns = set(tagged.columns)
    records = tagged.to_dict("records")
    for number, record in enumerate(records):
        record["_row"] = number
        record["_group"] = _NONE if is_blank(record[by]) else str(record[by]).strip()
        record["_topics"] = split_labels(record.get(TOPICS)) if TOPICS in columns else []
        record["_emotions"] = split_labels(record.get(EMOTIONS_COLUMN)) if EMOTIONS_COLUMN in columns else []
        record["_words"] = _words(record[text])
    topic_counts = Counter(t for r in records for t in r["_topics"])
    topics = _topic_order(topic_counts)
    table = _group_table(records, by, topics, columns)
    topic_table = _topic_table(records, by, topics, columns)
    quotes = _quotes(records, topics, topic_counts, columns, by, text, int(quotes_per_topic), max_quote_words)
    return Summary(by, table, topic_table, quotes)


def _group_table(records: list[dict], by: str, topics: list[str], columns: set[str]) -> pd.DataFrame:
    groups: dict[str, list[dict]] = {}
    for record in records:
        groups.setdefault(record["_group"], []).append(record)
    total_words = sum(r["_words"] for r in records) or 1
    has_turns = {"file", "turn"} <= columns
    rows = []
    for name, members in groups.items():
        sentiments = Counter(
            str(r.get(SENTIMENT)).strip() for r in members if SENTIMENT in columns and not is_blank(r.get(SENTIMENT))
        )
        rated = sum(sentiments.values())
        scores = pd.to_numeric(pd.Series([r.get(SENTIMENT_SCORE) for r in members], dtype=object), errors="coerce")
        emotions = Counter(e for r in members for e in r["_emotions"])
        mentions = Counter(t for r in members for t in r["_topics"])
        turns = len({(str(r["file"]), str(r["turn"])) for r in members}) if has_turns else len(members)
        words = sum(r["_words"] for r in members)
        row = {
            by: name,
            "turns": turns,
            "rows": len(members),
            "words": words,
            "word_share": round(words / total_words, 4),
            "positive": sentiments.get("positive", 0),
            "neutral": sentiments.get("neutral", 0),
            "negative": sentiments.get("negative", 0),
            "sentiment_balance": round((sentiments.get("positive", 0) - sentiments.get("negative", 0)) / rated, 4)
            if rated else float("nan"),
            "mean_sentiment_score": round(float(scores.mean()), 4) if scores.notna().any() else float("nan"),
            "dominant_emotions": "; ".join(f"{e} ({n})" for e, n in emotions.most_common(3)),
            "top_topics": "; ".join(f"{t} ({n})" for t, n in sorted(mentions.items(), key=lambda x: (-x[1], topics.index(x[0])))[:3]),
        }
        for topic in topics:
            row[f"mentions_{topic}"] = mentions.get(topic, 0)
        rows.append(row)
    return pd.DataFrame(rows)


def _topic_table(records: list[dict], by: str, topics: list[str], columns: set[str]) -> pd.DataFrame:
    counts: dict[tuple[str, str], Counter] = {}
    for record in records:
        for topic in record["_topics"]:
            counter = counts.setdefault((record["_group"], topic), Counter())
            counter["mentions"] += 1
            label = _topic_sentiment(record, topic, columns)
            if label:
                counter[label] += 1
    order = {name: i for i, name in enumerate(dict.fromkeys(r["_group"] for r in records))}
    rows = [
        {by: group, "topic": topic, "mentions": c["mentions"], "positive": c["positive"], "neutral": c["neutral"],
         "negative": c["negative"], "mixed": c["mixed"]}
        for (group, topic), c in sorted(counts.items(), key=lambda x: (order[x[0][0]], topics.index(x[0][1])))
    ]
    return pd.DataFrame(rows, columns=[by, "topic", "mentions", "positive", "neutral", "negative", "mixed"])


def _quotes(
    records: list[dict], topics: list[str], topic_counts: Counter, columns: set[str], by: str, text: str,
    per_topic: int, max_words: int,
) -> pd.DataFrame:
    context = [c for c in ("file", "speaker", "turn", "start", "end") if c in columns]
    if by not in context:
        context.insert(0, by)
    out_columns = ["topic", "rank", *context, "time", "topic_sentiment", "quote", "score"]
    rows = []
    if per_topic == 0:
        return pd.DataFrame(rows, columns=out_columns)
    for topic in sorted(topics, key=lambda t: (-topic_counts[t], topics.index(t))):
        candidates = [r for r in records if topic in r["_topics"] and not is_blank(r[text])]
        labels = Counter(_topic_sentiment(r, topic, columns) for r in candidates)
        labels.pop("", None)
        majority = max(labels.items(), key=lambda x: (x[1], x[0] == "negative"))[0] if labels else None
        scored = []
        for r in candidates:
            spans = evidence_spans(str(r[text]), r.get(TOPIC_EVIDENCE), topic)
            sentiment = _topic_sentiment(r, topic, columns)
            score = (2.0 if majority and sentiment == majority else 0.0) + min(len(spans), 3) / 3
            score += _length_fit(r["_words"]) + min(abs(_score(r.get(SENTIMENT_SCORE))), 1.0)
            scored.append((score, r, spans, sentiment))
        scored.sort(key=lambda x: (-x[0], x[1]["_row"]))
        first, rest, seen = [], [], set()
        for item in scored:  # each speaker's best quote first
            who = str(item[1].get("speaker", item[1]["_group"]))
            (rest if who in seen else first).append(item)
            seen.add(who)
        chosen = sorted((first + rest)[:per_topic], key=lambda x: (-x[0], x[1]["_row"]))
        for rank, (score, r, spans, sentiment) in enumerate(chosen, start=1):
            row = {"topic": topic, "rank": rank}
            for c in context:
                row[c] = r["_group"] if c == by and c not in ("file", "speaker", "turn", "start", "end") else r.get(c)
            start = pd.to_numeric(pd.Series([r.get("start")], dtype=object), errors="coerce").iloc[0]
            row["time"] = format_seconds(None if pd.isna(start) else float(start))
            row["topic_sentiment"] = sentiment
            lang = str(r.get(LANGUAGE, "")) if str(r.get(LANGUAGE, "")) in LANGUAGES else "xx"
            row["quote"] = excerpt(str(r[text]), spans, lang, max_words)
            row["score"] = round(score, 3)
            rows.append(row)
    return pd.DataFrame(rows, columns=out_columns)
