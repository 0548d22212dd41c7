"""Deciding whether ``Something:`` at the start of a line is a speaker label.

A label is accepted when it

1. is a known role or code (``Interviewer``, ``Participant 3``, ``Speaker 2``, ``Moderator``,
   ``Q``/``A``, ``I``/``R``, ``P3``, their es/it/pt forms such as ``Entrevistador``,
   ``Intervistato``, ``Participante 2``; case-insensitive),
2. is a speaker name the caller knows (the ``speaker`` column of a roles file),
3. is written in capitals (``JOHN:``, ``MARIA SILVA:``),
4. recurs: it labels at least :data:`MIN_OCCURRENCES` lines of the file, or
5. comes with a strong marker: a time stamp (``Speaker 1  00:01:23``, ``Ana (00:01:23):``)
   or bold type in a DOCX file, and looks like a name (capitalised words), or
6. looks like a name, labels one line only, and that line sits between two labelled lines
   (or is the last line) of a file with at least two other speakers (plain text and DOCX).

Never a label: anything in :data:`NOT_SPEAKERS` (``Note:``, ``PS:``, ``Update:``, ``[laughter]``,
...), text with lower-case words that is not a known role (``we met at 10:30``), more than
five words, anything starting with a digit (``10:30``) and URLs (``https://...``).
Any other mixed-case name that labels only one line (``John: ...`` once, inside a paragraph)
is read as text of the previous speaker unless it is listed in the roles file.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["MIN_OCCURRENCES", "NOT_SPEAKERS", "clean_label", "is_known_role", "looks_like_name", "LabelPolicy"]

MIN_OCCURRENCES = 2

_ROLES = (
    "interviewer|interviewee|moderator|facilitator|participant|respondent|speaker|researcher|host|"
    "guest|customer|client|agent|caller|question|answer|"
    "entrevistador|entrevistadora|entrevistado|entrevistada|moderador|moderadora|participante|"
    "investigador|investigadora|pesquisador|pesquisadora|hablante|locutor|locutora|orador|oradora|"
    "pregunta|respuesta|pergunta|resposta|cliente|agente|usuario|usuaria|usuário|usuária|"
    "intervistatore|intervistatrice|intervistato|intervistata|moderatore|moderatrice|partecipante|"
    "ricercatore|ricercatrice|relatore|relatrice|domanda|risposta|utente"
)
_KNOWN = re.compile(
    rf"^(?:(?:{_ROLES})(?:\s*(?:\d+|[a-z]))?(?:\s*\([^()]*\))?"
    r"|q|a|i|r|p\d+|r\d+|s\d+|iv|int|mod|resp|ent|entr)$",
    re.IGNORECASE,
)
#: Words that end in a colon at the start of a line but are not speakers (compared case-folded).
NOT_SPEAKERS = frozenset(
    """note notes nota notas nb n.b ps p.s pps update edit edited warning important tip tips example
    examples e.g i.e source sources subject re fw fwd date time location place duration title
    topic topics agenda summary transcript transcription recording file link url http https www
    email e-mail tel phone step attention caution disclaimer ok okay yes no well so and but because
    also then however therefore inaudible laughter laughs laughing crosstalk pause silence music
    applause noise unclear indistinct background cough sighs risas risos risate pausa silencio
    silêncio silenzio inaudível inaudible incomprensible incompreensível incomprensibile ruido
    ruído rumore data hora ora fecha lugar luogo local nombre nome name p.d obs ps: nb: todo""".split()
)
_PARTICLES = frozenset("de da do dos das del della dei di van von der den le la du y e el al bin".split())
_WORD = re.compile(r"^[^\W\d_][\w.'’\-]*$")


def clean_label(raw: str) -> str:
    """Label text with surrounding markup and whitespace removed (``**Ana** :`` -> ``Ana``)."""
    label = re.sub(r"\s+", " ", raw.replace("*", "").replace("_", " ")).strip()
    return label.strip(" :-–—").strip()


def is_known_role(label: str) -> bool:
    """``Interviewer``, ``Participant 3``, ``Q``, ``Entrevistada``... (case-insensitive)."""
    return bool(_KNOWN.match(label.strip()))


def _shape_ok(label: str) -> bool:
    if not label or len(label) > 40 or not label[0].isalpha():
        return False
    if label.casefold().rstrip(".") in NOT_SPEAKERS or label.casefold() in NOT_SPEAKERS:
        return False
    body = re.sub(r"\s*\([^()]{1,30}\)$", "", label)  # "Ana (P3)" -> "Ana"
    words = body.split()
    return 1 <= len(words) <= 5


def looks_like_name(label: str) -> bool:
    """Capitalised words (particles such as *da*, *van* allowed), digits, at most five words."""
    if not _shape_ok(label):
        return False
    body = re.sub(r"\s*\([^()]{1,30}\)$", "", label)
    for i, word in enumerate(body.split()):
        if word.isdigit() or (len(word) <= 3 and word.isupper()):
            continue
        if not _WORD.match(word):
            return False
        if word[0].isupper():
            continue
        if i > 0 and word.casefold() in _PARTICLES:
            continue
        return False
    return True


def _all_caps(label: str) -> bool:
    letters = [c for c in label if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


class LabelPolicy:
    """Accepts or rejects label candidates of one file (see the module docstring).

    Args:
        candidates: every candidate label of the file (one entry per line that has one).
        known: speaker names given by the caller (compared case-insensitively).
    """

    def __init__(self, candidates: Iterable[str], known: Iterable[str] = ()) -> None:
        self.counts: dict[str, int] = {}
        for label in candidates:
            key = label.casefold()
            self.counts[key] = self.counts.get(key, 0) + 1
        self.known = {k.strip().casefold() for k in known if str(k).strip()}

    def accepts(self, label: str, strong: bool = False) -> bool:
        """Whether ``label`` is a speaker; ``strong`` marks a time stamp or bold type beside it."""
        if not label or label.casefold() in NOT_SPEAKERS or label.casefold().rstrip(".") in NOT_SPEAKERS:
            return False
        if label.casefold() in self.known or is_known_role(label):
            return True
        if not _shape_ok(label):
            return False
        if _all_caps(label) and len(label.split()) <= 4:
            return True
        if not looks_like_name(label):
            return False
        return strong or self.counts.get(label.casefold(), 0) >= MIN_OCCURRENCES
