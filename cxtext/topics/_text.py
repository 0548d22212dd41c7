"""Word tokens with offsets, accent/case folding and plural forms for codebook matching.

Codebook terms and comment text are compared after the same folding (lower case, accents
removed), so "atencion" matches the term "atención". Terms are written in their dictionary
form; :func:`inflections` adds the regular plural forms of each language.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["WORD", "fold", "words", "tokens", "inflections", "FUNCTION_WORDS"]

#: A word: letters/digits; apostrophes and hyphens split words ("l'hotel" -> "l", "hotel").
WORD = re.compile(r"\w+")

#: Words left uninflected inside multi-word terms ("café da manhã" -> "cafés da manhã").
FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset("of the a an to for and in on at with by from".split()),
    "es": frozenset("de del la el los las a al en con por para y e un una".split()),
    "it": frozenset(
        "di del della dello dei degli delle da dal dalla al alla a in con per e il lo la i gli le "
        "un una uno".split()
    ),
    "pt": frozenset("de do da dos das a o os as ao em no na com por para e um uma".split()),
}


@lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """Lower-case ``word`` and strip its accents (``"Atención"`` -> ``"atencion"``).

    Example:
        >>> fold("Atención")
        'atencion'
    """
    decomposed = unicodedata.normalize("NFD", word.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words(text: str) -> list[str]:
    """Folded words of ``text`` (the words of :func:`tokens`, without their offsets).

    An ASCII text is lower-cased once instead of word by word (folding ASCII is lower-casing).

    Example:
        >>> words("Buen Servicio!")
        ['buen', 'servicio']
    """
    if text.isascii():
        return WORD.findall(text.lower())
    return [fold(word) for word in WORD.findall(text)]


def tokens(text: str) -> tuple[list[str], list[int], list[int]]:
    """Folded words of ``text`` with their start and end offsets in ``text``.

    Example:
        >>> tokens("Buen Servicio!")
        (['buen', 'servicio'], [0, 5], [4, 13])
    """
    words: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for match in WORD.finditer(text):
        words.append(fold(match.group()))
        starts.append(match.start())
        ends.append(match.end())
    return words, starts, ends


def _plural_en(w: str) -> set[str]:
    out = {w + "s"}
    if w.endswith(("s", "x", "z", "ch", "sh")):
        out.add(w + "es")
    if len(w) > 2 and w.endswith("y") and w[-2] not in "aeiou":
        out.add(w[:-1] + "ies")
    if w.endswith("fe"):
        out.add(w[:-2] + "ves")
    elif w.endswith("f"):
        out.add(w[:-1] + "ves")
    return out


def _plural_es(w: str) -> set[str]:
    if w.endswith("z"):
        return {w[:-1] + "ces"}
    if w[-1] in "aeiou":
        return {w + "s"}
    if w.endswith("s"):
        return {w + "es"}
    return {w + "es", w + "s"}  # "club" -> "clubs"


def _plural_it(w: str) -> set[str]:
    if len(w) < 3 or w[-1] not in "aeo":  # bar, sport, città (accent folded: citta)
        return {w}
    stem = w[:-1]
    if w.endswith("io"):
        return {w[:-1], w[:-2] + "ii"}
    if w.endswith(("co", "go")):
        return {stem + "hi", stem + "i"}
    if w.endswith(("ca", "ga")):
        return {stem + "he"}
    if w.endswith("cia") or w.endswith("gia"):
        return {w[:-1] + "e", w[:-2] + "e"}
    if w.endswith("a"):
        return {stem + "e", stem + "i"}  # camera -> camere, problema -> problemi
    return {stem + "i"}  # letto -> letti, cameriere -> camerieri


def _plural_pt(w: str) -> set[str]:
    if w.endswith("ao"):
        return {w[:-2] + "oes", w[:-2] + "aes", w + "s"}
    if w.endswith(("al", "el", "ol", "ul")):
        return {w[:-1] + "is", w + "es"}
    if w.endswith("il"):
        return {w[:-2] + "is", w[:-1] + "eis"}
    if w.endswith("m"):
        return {w[:-1] + "ns"}
    if w.endswith(("r", "z", "s")):
        return {w + "es"}
    return {w + "s"}


_PLURAL = {"en": _plural_en, "es": _plural_es, "it": _plural_it, "pt": _plural_pt}


def word_forms(word: str, lang: str) -> set[str]:
    """The folded word and its regular plural forms in ``lang``.

    Example:
        >>> sorted(word_forms("camera", "it"))
        ['camera', 'camere', 'cameri']
    """
    word = fold(word)
    plural = _PLURAL.get(lang)
    if plural is None or not word.isalpha() or len(word) < 2:
        return {word}
    return {word} | plural(word)


def inflections(term: str, lang: str) -> set[tuple[str, ...]]:
    """Word tuples a term stands for: as written, and with its content words in the plural.

    A multi-word term gives two forms (all singular, all plural) so that adjectives agree
    ("servicio técnico" -> "servicios técnicos"); function words are never inflected.

    Example:
        >>> sorted(inflections("room service", "en"))
        [('room', 'service'), ('room', 'services'), ('rooms', 'services')]
    """
    words = [fold(w) for w in WORD.findall(term)]
    if not words:
        return set()
    if lang not in _PLURAL:
        return {tuple(words)}
    function = FUNCTION_WORDS.get(lang, frozenset())
    out = {tuple(words)}
    content = [i for i, w in enumerate(words) if w not in function]
    if len(words) == 1:
        out |= {(form,) for form in word_forms(words[0], lang)}
        return out
    # plural of every content word, one variant per alternative plural of the head
    plural_sets = [sorted(word_forms(w, lang) - {w}) if i in content else [w] for i, w in enumerate(words)]
    width = max(len(p) for p in plural_sets) if plural_sets else 0
    for k in range(width):
        out.add(tuple(p[min(k, len(p) - 1)] if p else words[i] for i, p in enumerate(plural_sets)))
    # head noun alone in the plural: first content word (es/it/pt) or last (en)
    head = content[-1] if lang == "en" else (content[0] if content else 0)
    for form in word_forms(words[head], lang):
        out.add(tuple(form if i == head else w for i, w in enumerate(words)))
    return out
