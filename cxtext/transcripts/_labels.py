"""Deciding whether ``Something:`` at the start of a line is a speaker label.

A label is accepted when it

1. is a known role or code (``Interviewer``, ``Participant 3``, ``Speaker 2``, ``Moderator``,
   ``Q``/``A``, ``I``/``R``, ``P3``, their es/it/pt forms such as ``Entrevistador``,
   ``Intervistato``, ``Participante 2``; case-insensitive),
2. is a speaker name the caller knows (the ``speaker`` column of a roles file),
3. is written in capitals (``JOHN:``, ``MARIA SILVA:``),
4. recurs: it labels at least :data:`MIN_OCCURRENCES` lines of the file, counting the variants
   of one name together (``Hon. Tom Vale (Minister ...)`` and ``Hon. Tom Vale``), or
5. comes with a strong marker: a time stamp (``Speaker 1  00:01:23``, ``Ana (00:01:23):``),
   bold type in a DOCX file, an honorific (``Hon.``, ``Dr.``, ``Sra.``, ``Dott.ssa``) or a role
   in parentheses (``Jane Roe (Director General, Policy Branch)``), and looks like a name, or
6. looks like a name, labels one line only, and that line sits between two labelled lines
   (or is the last line) of a file with at least two other speakers (plain text and DOCX).

A name is capitalised words (particles such as *da*, *van* allowed), after titles, with one
trailing group in parentheses that may nest (``The Chair (Hon. Ann Poe (Riverside, Lib.))``);
words of scripts without letter case (Chinese, Japanese, Korean, Arabic, Hebrew, ...) count as
capitalised, so ``王小明：`` and ``أحمد:`` are names (and role words such as ``主持人``, ``사회자``,
``المحاور`` are known roles).

Never a label: anything in :data:`NOT_SPEAKERS` (``Note:``, ``PS:``, ``Update:``, ``[laughter]``,
...), text with lower-case words that is not a known role (``we met at 10:30``), more than
five words, anything starting with a digit (``10:30``) and URLs (``https://...``).
Any other mixed-case name that labels only one line (``John: ...`` once, inside a paragraph)
is read as text of the previous speaker unless it is listed in the roles file.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from ._names import HONORIFICS, caseless, has_honorific, name_key, split_parenthetical, strip_titles

__all__ = ["MIN_OCCURRENCES", "NOT_SPEAKERS", "clean_label", "is_known_role", "looks_like_name", "LabelPolicy"]

MIN_OCCURRENCES = 2

_ROLES = (
    "interviewer|interviewee|moderator|facilitator|participant|respondent|speaker|researcher|host|"
    "guest|customer|client|agent|caller|question|answer|"
    "entrevistador|entrevistadora|entrevistado|entrevistada|moderador|moderadora|participante|"
    "investigador|investigadora|pesquisador|pesquisadora|hablante|locutor|locutora|orador|oradora|"
    "pregunta|respuesta|pergunta|resposta|cliente|agente|usuario|usuaria|usuário|usuária|"
    "intervistatore|intervistatrice|intervistato|intervistata|moderatore|moderatrice|partecipante|"
    "ricercatore|ricercatrice|relatore|relatrice|domanda|risposta|utente|"
    "主持人|采访者|採訪者|受访者|受訪者|访谈者|參與者|参与者|发言人|記者|记者|司会|司会者|インタビュアー|"
    "参加者|回答者|사회자|진행자|참가자|응답자|면접관|المحاور|المحاورة|المشارك|المشاركة|المقدم|المقدمة|"
    "المذيع|الضيف"
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
#: Longest name (without its parentheses) and longest label with them.
MAX_NAME = 60
MAX_LABEL = 240
_BIDI = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"))


def clean_label(raw: str) -> str:
    """Label text with surrounding markup and whitespace removed (``**Ana** :`` -> ``Ana``)."""
    label = re.sub(r"\s+", " ", raw.translate(_BIDI).replace("*", "").replace("_", " ")).strip()
    return label.strip(" :：-–—").strip()


def _is_word(word: str) -> bool:
    """Letters first, then letters, digits, combining marks, ``.'’-``."""
    return word[:1].isalpha() and all(
        ch.isalnum() or ch in ".'’-\u200c\u200d" or unicodedata.category(ch).startswith("M") for ch in word
    )



def is_known_role(label: str) -> bool:
    """``Interviewer``, ``Participant 3``, ``Q``, ``Entrevistada``... (case-insensitive)."""
    return bool(_KNOWN.match(label.strip()))


def _body(label: str) -> str:
    """The name part of a label: ``Ana (P3)`` -> ``Ana``, ``Hon. Poe (Lib.)`` -> ``Hon. Poe``."""
    return split_parenthetical(label)[0]


def _shape_ok(label: str) -> bool:
    if not label or len(label) > MAX_LABEL or not label[0].isalpha():
        return False
    if label.casefold().rstrip(".") in NOT_SPEAKERS or label.casefold() in NOT_SPEAKERS:
        return False
    body = _body(label)
    if len(body) > MAX_NAME or body.casefold().rstrip(".") in NOT_SPEAKERS:
        return False
    words = body.split()
    if len(words) == 1 and caseless(body) and len(body) > 12:  # a CJK phrase, not a name
        return False
    named = [w for w in strip_titles(words) if w.casefold() not in _PARTICLES]
    return 1 <= len(named) <= 5 and len(words) <= 9


def looks_like_name(label: str) -> bool:
    """Capitalised words (particles such as *da*, *van* allowed), digits, at most five words
    after titles; words of scripts without capitals count as capitalised."""
    if not _shape_ok(label):
        return False
    for i, word in enumerate(_body(label).split()):
        if word.isdigit() or (len(word) <= 3 and word.isupper()):
            continue
        if not _is_word(word):
            return False
        if word[0].isupper() or caseless(word) or word.replace(".", "").casefold() in HONORIFICS:
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
            key = self.key(label)
            self.counts[key] = self.counts.get(key, 0) + 1
        known = [str(k).strip() for k in known if str(k).strip()]
        self.known = {k.casefold() for k in known} | {name_key(k) for k in known}

    @staticmethod
    def key(label: str) -> str:
        """What the variants of one label share (see :func:`~._names.name_key`)."""
        return name_key(_body(label)) or label.casefold()

    def count(self, label: str) -> int:
        """Lines of the file labelled with ``label`` or a variant of it."""
        return self.counts.get(self.key(label), 0)

    def accepts(self, label: str, strong: bool = False) -> bool:
        """Whether ``label`` is a speaker; ``strong`` marks a time stamp or bold type beside it."""
        if not label or label.casefold() in NOT_SPEAKERS or label.casefold().rstrip(".") in NOT_SPEAKERS:
            return False
        if label.casefold() in self.known or self.key(label) in self.known or is_known_role(label):
            return True
        if not _shape_ok(label):
            return False
        if _all_caps(_body(label)) and len(_body(label).split()) <= 4:
            return True
        if not looks_like_name(label):
            return False
        return strong or _formal(label) or self.count(label) >= MIN_OCCURRENCES


def _formal(label: str) -> bool:
    """An honorific before the name, or a role in parentheses after it (``Jane Roe (Director, ...)``)."""
    body, role = split_parenthetical(label)
    return has_honorific(body) or ("," in role or len(role.split()) >= 3)
