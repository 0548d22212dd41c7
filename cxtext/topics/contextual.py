"""Codebook matches read in context: a topic model confirms, drops or adds CX topics per clause.

A codebook finds topics by their words, with exact evidence spans, but a word can mean other
things ("fast delivery" is about the process, not the product; "the restaurant was packed";
"a moça do caixa" vs "a caixa veio amassada"), and customers name topics with words no list
holds. When the backend has a topic model (:meth:`cxtext.backends.Backend.topic_rule`; the
``fast`` and ``accurate`` backends do), each clause's topic probabilities decide:

* a codebook match of a CX topic is **kept** when that topic's probability reaches its
  ``keep`` threshold, else dropped (the word was used in another sense); a match of two or more
  words ("numero verde", "roaming charges", "código de descuento") is always kept: a term that
  long is specific by construction, and the model may never have seen it (on the CX dev
  comments this raised topic micro-F1 from 0.7009 to 0.7023, paired bootstrap interval
  [+0.0002, +0.0028]; on the held-out part, run once, 0.665 became 0.663);
* a CX topic the codebook did not find in the clause is **added** when its probability reaches
  its ``add`` threshold; its evidence is the whole clause.

The thresholds were chosen per topic on the CX dev split (``models/recipes/train_fast.py``).
Matches of topics outside the six CX topics (e.g. a custom codebook's ``staff/tone`` counts as
``people``: only the top level is checked) and of extra codebooks (journey, channel) are not
touched.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..schema import CX_TOPICS
from .base import TopicMatch

__all__ = ["in_context"]


def in_context(
    text: str,
    matches: Sequence[TopicMatch],
    proba: Mapping[str, float],
    rule: Mapping[str, tuple[float, float]],
) -> tuple[TopicMatch, ...]:
    """The matches of one clause after the topic model's check (see the module docstring).

    Args:
        text: the clause (offsets of the matches are in it).
        matches: the codebook's matches in the clause.
        proba: topic -> probability for the clause (empty: nothing changes).
        rule: topic -> ``(keep, add)`` thresholds.

    Example:
        >>> m = TopicMatch("product", 0, 4, "fast")
        >>> rule = {"product": (0.2, 0.9), "process": (0.2, 0.6)}
        >>> in_context("fast delivery", [m], {"product": 0.05, "process": 0.8}, rule)
        (TopicMatch(topic='process', start=0, end=13, text='fast delivery'),)
    """
    if not proba or not rule:
        return tuple(matches)
    kept = []
    for match in matches:
        top = match.top_level
        doubted = top in rule and proba.get(top, 0.0) < rule[top][0]
        if doubted and len(match.text.split()) < 2:
            continue
        kept.append(match)
    found = {m.top_level for m in kept}
    added = [
        TopicMatch(topic, 0, len(text), text)
        for topic in CX_TOPICS
        if topic in rule and topic not in found and proba.get(topic, 0.0) >= rule[topic][1]
    ]
    return tuple(kept + added)
