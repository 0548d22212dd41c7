"""Non-speech markup in transcripts: ``{vocalsound}``, ``[laughter]``, ``(inaudible)``, ``*laughs*``.

Markup is taken out of the analysed text and kept, in reading order, for a ``nonspeech``
column, so no word of the file is lost and none of it is tagged as speech:

- anything in braces (``{vocalsound}``, ``{disfmarker}``, ``{gap}``): braces never hold speech;
- square brackets whose content starts with a non-speech word (``[laughter]``, ``[inaudible
  00:12:01]``, ``[risas]``, ``[Music]``) or is written in capitals (``[CROSSTALK]``);
- parentheses, angle brackets and asterisks only around a non-speech word (``(inaudible)``,
  ``(ríe)``, ``<laugh>``, ``*sighs*``): elsewhere they are ordinary punctuation.

Editorial insertions such as ``[the shop]`` or ``(which was expensive)`` stay in the text.
"""
from __future__ import annotations

import re

__all__ = ["NONSPEECH_WORDS", "split_markup"]

#: Words (or the first words) of non-speech annotations, es/it/pt/en, compared case-folded.
NONSPEECH_WORDS = frozenset(
    """laughter laughs laughing laugh chuckles chuckling chuckle giggles giggling crosstalk cross-talk
    inaudible unintelligible unclear indistinct incomprehensible pause pauses paused silence music
    applause noise noises cough coughs coughing sighs sigh sighing sneeze sneezes overlapping overlap
    overtalk interruption interposing vocalsound disfmarker gap beep static groans groan sniffs
    whispers whispering murmurs mumbles mumbling
    risas risa ríe rie ríen rumores rumor pausa pausas silencio ininteligible incomprensible inaudibles ruido ruidos
    tos tose aplausos música musica suspiro suspira suspiros interrupción interrupcion
    risos riso ri riem silêncio inaudível inaudivel ininteligível ininteligivel incompreensível
    incompreensivel ruído tosse
    imperceptível impercetível impercetivel imperceptivel
    risate risata ride ridono silenzio incomprensibile inudibile inaudibile rumore rumori applausi commenti
    sospiro sospira sovrapposizione sovrapposte accavallamento""".split()
)
#: Two-word annotations whose first word alone is ordinary speech (``(long story)`` is speech).
_PAIRS = frozenset({("clears", "throat"), ("se", "ríe"), ("se", "rie"), ("voces", "superpuestas"),
                    ("phone", "rings"), ("door", "closes"), ("background", "noise"), ("long", "pause"),
                    ("short", "pause"), ("brief", "pause"), ("foreign", "language"), ("audio", "cuts"),
                    ("unknown", "speaker"), ("no", "audio"), ("technical", "difficulties")})
#: Capitals in brackets that stand for words (anonymisation placeholders), not for noises.
_PLACEHOLDERS = frozenset(
    "name person email phone id iban card url address location org organisation organization company "
    "date number place city redacted nome nombre pessoa persona".split()
)
_CANDIDATE = re.compile(r"\{[^{}\n]{1,80}\}|\[[^\[\]\n]{1,80}\]|\([^()\n]{1,80}\)|<[^<>\n]{1,40}>|\*[^*\n]{1,40}\*")
_WORDS = re.compile(r"[^\W\d_][\w'’-]*")
_CLOSING = tuple(",.;:!?)…")


def _starts_with_nonspeech(content: str) -> bool:
    words = [w.casefold() for w in _WORDS.findall(content)]
    return bool(words) and (words[0] in NONSPEECH_WORDS or tuple(words[:2]) in _PAIRS)


def _is_markup(token: str) -> bool:
    opening, content = token[0], token[1:-1].strip()
    if not content:
        return False
    if opening == "{":
        return True
    if _starts_with_nonspeech(content):
        return True
    letters = [c for c in content if c.isalpha()]
    return (opening == "[" and len(letters) >= 3 and all(c.isupper() for c in letters)
            and re.sub(r"[\W\d_]+", " ", content).strip().casefold().split(" ")[0] not in _PLACEHOLDERS)


def split_markup(text: str) -> tuple[str, list[tuple[int, str]]]:
    """``text`` without its non-speech markup, and each markup with its position in that text.

    Whitespace left around a removed piece is closed up (``"fine. [laughs] Yes"`` ->
    ``"fine. Yes"``, ``"long (inaudible)."`` -> ``"long."``); line breaks are kept.

    Example:
        >>> split_markup("It was fine. [laughter] The queue {vocalsound} was long (inaudible).")
        ('It was fine. The queue was long.', [(13, '[laughter]'), (23, '{vocalsound}'), (31, '(inaudible)')])
    """
    matches = [m for m in _CANDIDATE.finditer(text) if _is_markup(m.group())]
    if not matches:
        return text, []
    clean = text[:matches[0].start()]
    found: list[tuple[int, str]] = []
    for i, match in enumerate(matches):
        right = text[match.end():matches[i + 1].start() if i + 1 < len(matches) else len(text)]
        tail = right.lstrip(" \t")
        token = match.group()
        if tail[:1] == "." and clean.rstrip()[-1:] in ".!?…":  # "presidenta. (Rumores). Los"
            token, right, tail = token + ".", right[right.index(".") + 1:], tail[1:].lstrip(" \t")
        if not tail or tail.startswith(("\n", *_CLOSING)):
            clean, right = clean.rstrip(" \t"), tail
        elif not clean or clean[-1:] in " \t\n":
            right = tail
        found.append((len(clean), token))
        clean += right
    stripped = clean.strip()
    shift = len(clean) - len(clean.lstrip())
    return stripped, [(min(max(0, p - shift), len(stripped)), token) for p, token in found]
