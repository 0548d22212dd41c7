"""Speaker names as written in meeting transcripts: honorifics, roles, parentheses, variants.

A label such as ``Hon. Tom Vale (Minister of Invented Affairs and Emergency Planning)`` names
the person ``Hon. Tom Vale``; ``The Chair (Hon. Ann Poe (Riverside North, Lib.))``
names ``Hon. Ann Poe`` acting as the Chair, and a later bare ``The Chair`` in the same file
is that person too. :func:`person` reads one label; :func:`name_key` is what two variants of one
name share (honorifics and case dropped: ``Mr. Tom Vale`` ~ ``Hon. Tom Vale`` ~ ``TOM VALE``);
:func:`merge_speakers` gives every (file, label) of a batch its speaker and lists the merges.

Rules of :func:`merge_speakers`, in order:

1. a label listed in the roles table (``speaker`` or ``aliases`` column) is that speaker;
2. a label whose person has the key of a roles-table speaker takes the table's spelling;
3. labels with the same key are one speaker, spelled as its most frequent variant;
4. a one-word name (``Mr. Vale``, ``Ana``) joins the one longer name of the same file that ends
   (after an honorific) or starts (without one) with it, when exactly one does;
5. a bare role (``The Chair``, ``El Presidente``) is the person last named in that role in the
   file (or the first one named later, for a role that speaks before it is introduced).
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

__all__ = ["HONORIFICS", "ROLE_WORDS", "SpeakerMerge", "split_parenthetical", "strip_titles", "has_honorific",
           "is_role_label", "caseless", "person", "name_key", "merge_speakers"]

#: Titles and honorifics before a name (compared without dots, case-folded), es/it/pt/en.
HONORIFICS = frozenset(
    """mr mrs ms miss mx dr prof professor sir dame lord lady hon honourable honorable rt right rev
    fr sen senator rep representative mp gov judge justice capt col gen lt sgt
    sr sra srta señor señora señorita don doña dña dª d lic licda ing dra excmo excma ilmo ilma
    diputado diputada senador senadora ministro ministra alcalde alcaldesa consejero consejera
    sig sigra signor signore signora signorina dott dottssa dottor dottore dottoressa profssa avv on
    onorevole arch geom
    senhor senhora dona doutor doutora eng deputado deputada vereador vereadora exmo exma srª sraª""".split()
)
#: First words of a role that a person speaks in (``The Chair``, ``La señora PRESIDENTA``).
ROLE_WORDS = frozenset(
    """chair chairman chairwoman chairperson speaker president vice deputy acting clerk secretary minister
    director moderator witness interpreter rapporteur
    presidente presidenta vicepresidente vicepresidenta secretario secretaria ministro ministra directora
    director moderador moderadora ponente portavoz testigo intérprete letrado letrada
    vicepresidentessa segretario segretaria direttore direttrice moderatore moderatrice relatore relatrice
    testimone interprete sottosegretario sottosegretaria
    secretário secretária diretor diretora relator relatora testemunha""".split()
)
_ARTICLES = frozenset("the el la il lo o a le".split())
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class SpeakerMerge:
    """Labels read as one speaker: ``speaker`` and the ``variants`` as written (with their files)."""

    speaker: str
    variants: tuple[str, ...]
    files: tuple[str, ...] = field(default=())

    def __str__(self) -> str:
        return f"{self.speaker!r} <- {', '.join(map(repr, self.variants))}"


def split_parenthetical(label: str) -> tuple[str, str]:
    """``("Name", "Role (Org)")`` for ``"Name (Role (Org))"``; ``(label, "")`` without a closing group.

    Only a group that closes at the very end counts, nested groups included.

    Example:
        >>> split_parenthetical("The Chair (Hon. Ann Poe (Riverside North, Lib.))")
        ('The Chair', 'Hon. Ann Poe (Riverside North, Lib.)')
    """
    text = label.rstrip()
    if not text.endswith(")"):
        return label.strip(), ""
    depth = 0
    for i in range(len(text) - 1, -1, -1):
        if text[i] == ")":
            depth += 1
        elif text[i] == "(":
            depth -= 1
            if depth == 0:
                base = text[:i].strip()
                return (base, text[i + 1:-1].strip()) if base else (label.strip(), "")
    return label.strip(), ""


def _plain(word: str) -> str:
    return word.replace(".", "").casefold()


def strip_titles(words: list[str]) -> list[str]:
    """Words of a name without leading titles (``The Hon.``, ``Sr.``, ``Dott.ssa``)."""
    i = 0
    while i < len(words) - 1 and (_plain(words[i]) in HONORIFICS or
                                  (_plain(words[i]) in _ARTICLES and _plain(words[i + 1]) in HONORIFICS)):
        i += 1
    return words[i:]


def has_honorific(name: str) -> bool:
    words = name.split()
    return len(words) > 1 and len(strip_titles(words)) < len(words)


def is_role_label(base: str) -> bool:
    """``The Chair``, ``La señora PRESIDENTA``, ``Moderator``, ``Participant 3``: a role, not a name."""
    from ._labels import is_known_role

    if is_known_role(base):
        return True
    words = base.split()
    if words and _plain(words[0]) in _ARTICLES:
        words = words[1:]
    rest = strip_titles(words) if len(words) > 1 else words
    return bool(rest) and _plain(rest[0]) in ROLE_WORDS


def person(label: str) -> tuple[str, str | None]:
    """The person a label names and the role it speaks in (``None`` when none).

    Example:
        >>> person("Hon. Tom Vale (Minister of Public Safety)")
        ('Hon. Tom Vale', None)
        >>> person("The Chair (Hon. Ann Poe (Riverside North, Lib.))")
        ('Hon. Ann Poe', 'The Chair')
    """
    from ._labels import is_known_role, looks_like_name

    base, inner = split_parenthetical(label)
    if not inner:
        return label, (label if is_role_label(label) and not is_known_role(label) else None)
    if is_role_label(base):
        name = split_parenthetical(inner)[0]
        abbreviation = name.isupper() and len(name) <= 4  # "(PS)", "(MJ)": a party or initials
        if (len(name) >= 3 or caseless(name)) and not abbreviation and looks_like_name(name) and not is_known_role(name):
            return name, base
        return label, None  # "Participant 3 (P03)", "The Clerk (ad)": no name inside
    if looks_like_name(base):
        return base, None
    return label, None


def caseless(text: str) -> bool:
    """Text of a script without capitals (CJK, Arabic, Hebrew, Thai, Devanagari, ...)."""
    return not any(ch.lower() != ch.upper() for ch in text)


def name_key(name: str) -> str:
    """What variants of one name share: no honorifics, no dots, case-folded, single spaces.

    Example:
        >>> name_key("Hon. Tom  Vale") == name_key("MR. TOM VALE") == "tom vale"
        True
    """
    words = _SPACES.sub(" ", name.replace("\u200e", "").replace("\u200f", "")).strip().split(" ")
    return " ".join(_plain(w) for w in strip_titles(words) if _plain(w))


def _most_frequent(counts: Counter, order: dict[str, int]) -> str:
    return max(counts, key=lambda name: (counts[name], -order[name]))


def merge_speakers(
    labels: Sequence[tuple[str, Sequence[str]]],
    known: Iterable[str] = (),
    aliases: Mapping[str, str] | None = None,
) -> tuple[dict[tuple[str, str], str], list[SpeakerMerge]]:
    """The speaker of every (file, label) of a batch, and the merges made (see the module rules).

    Args:
        labels: per file, its accepted labels in reading order (one entry per labelled cue).
        known: speaker names from the roles table (kept as spelled there).
        aliases: label -> speaker from the roles table's ``aliases`` column (case-insensitive).

    Example:
        >>> mapping, merges = merge_speakers([("a.txt", ["Hon. Tom Vale (Minister)", "Ms. Roe", "Hon. Tom Vale"])])
        >>> mapping[("a.txt", "Hon. Tom Vale (Minister)")], [str(m) for m in merges]
        ('Hon. Tom Vale', ["'Hon. Tom Vale' <- 'Hon. Tom Vale (Minister)', 'Hon. Tom Vale'"])
    """
    known = [k.strip() for k in known if str(k).strip()]
    exact = {k.casefold(): k for k in known}
    exact.update({str(a).strip().casefold(): str(s).strip() for a, s in (aliases or {}).items() if str(a).strip()})
    by_key = {name_key(k): k for k in known}
    counts: dict[str, Counter] = {}
    order: dict[str, int] = {}
    readings: dict[tuple[str, str], tuple[str, str | None]] = {}
    for file, names in labels:
        for label in names:
            if (file, label) in readings:
                reading = readings[(file, label)]
            else:
                reading = (exact[label.casefold()], None) if label.casefold() in exact else person(label)
                readings[(file, label)] = reading
            name = reading[0]
            counts.setdefault(name_key(name), Counter())[name] += 1
            order.setdefault(name, len(order))
    spelling = {key: by_key.get(key) or _most_frequent(c, order) for key, c in counts.items()}

    mapping: dict[tuple[str, str], str] = {}
    for file, names in labels:
        keys = [name_key(readings[(file, label)][0]) for label in names]
        joined = _one_word_joins(file, names, keys, readings, by_key)
        holders = _role_holders(file, names, readings)
        for position, (label, key) in enumerate(zip(names, keys)):
            if (file, label) in mapping:
                continue
            name, _role = readings[(file, label)]
            if label.casefold() in exact:
                mapping[(file, label)] = exact[label.casefold()]
                continue
            holder = holders.get(position)
            key = name_key(holder) if holder else joined.get(key, key)
            mapping[(file, label)] = spelling.get(key, name)
    return mapping, _merges(labels, mapping)


def _one_word_joins(file: str, names: Sequence[str], keys: list[str], readings: dict, by_key: dict) -> dict[str, str]:
    """One-word keys of a file that join a unique longer key of the same file (rule 4)."""
    longer = {k for k in keys if " " in k}
    joins: dict[str, str] = {}
    for label, key in zip(names, keys):
        if " " in key or not key or key in by_key or key in joins:
            continue
        titled = has_honorific(readings[(file, label)][0])
        matches = [k for k in longer if (k.split(" ")[-1] if titled else k.split(" ")[0]) == key]
        if len(matches) == 1:
            joins[key] = matches[0]
    return joins


def _role_holders(file: str, names: Sequence[str], readings: dict) -> dict[int, str]:
    """Positions of bare role labels -> the person holding that role in the file (rule 5)."""
    first: dict[str, str] = {}
    for label in names:
        name, role = readings[(file, label)]
        if role is not None and name != label:
            first.setdefault(name_key(role), name)
    result: dict[int, str] = {}
    last: dict[str, str] = {}
    for position, label in enumerate(names):
        name, role = readings[(file, label)]
        if role is None:
            continue
        key = name_key(role)
        if name != label:  # "The Chair (Hon. Ann Poe)": Ann Poe holds the chair from here on
            last[key] = name
        elif key in first:  # a bare "The Chair"
            result[position] = last.get(key, first[key])
    return result


def _merges(labels: Sequence[tuple[str, Sequence[str]]], mapping: dict[tuple[str, str], str]) -> list[SpeakerMerge]:
    variants: dict[str, dict[str, None]] = {}
    files: dict[str, dict[str, None]] = {}
    for file, names in labels:
        for label in names:
            speaker = mapping[(file, label)]
            variants.setdefault(speaker, {})[label] = None
            files.setdefault(speaker, {})[file] = None
    return [SpeakerMerge(s, tuple(v), tuple(files[s])) for s, v in variants.items() if len(v) > 1]
