"""People's names: the transcript's own speakers, and names that cue phrases introduce.

No name list and no model: a name is found either because it is a speaker's name (the whole
name, case-insensitive, or one of its parts, capitalised, anywhere in the text), or because a
phrase that introduces a person comes right before capitalised words: "me atendió Laura",
"hablé con Pablo Ibáñez", "ho parlato con Marco", "l'operatrice Giulia", "fui atendida pela
Ana", "falei com a Joana", "the agent, Tom,", "I spoke to Sarah", "my name is ...", titles
("Sr. Gómez", "Dott.ssa Neri", "Mr Patel"). Capitalised words that follow such phrases but name
no one ("spoke to Customer Service", "me atendió el Lunes") are in :data:`NOT_NAMES`.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping

from ..transcripts._names import caseless
from ._model import Finding

__all__ = ["CUES", "NOT_NAMES", "find_cued_names", "SpeakerNames"]

#: Phrases that introduce a person's name, per language (matched case-insensitively).
CUES: dict[str, tuple[str, ...]] = {
    "es": ("me atendió", "me atendio", "me atendieron", "me atiende", "atendido por", "atendida por", "me llamo",
           "mi nombre es", "se llama", "se llamaba", "llamado", "llamada", "hablé con", "hable con",
           "he hablado con", "pregunté por", "preguntad por", "pregunten por", "gracias a", "agradecer a",
           "felicitar a", "el señor", "la señora", "la señorita", "el sr.", "la sra.", "el vendedor", "la vendedora",
           "el dependiente", "la dependienta", "el agente", "la agente", "el asesor", "la asesora", "el operador",
           "la operadora", "el técnico", "la técnica", "el repartidor", "la repartidora", "el comercial",
           "la comercial", "el encargado", "la encargada", "el gerente", "la gerente", "el cajero", "la cajera",
           "la chica", "el chico", "el camarero", "la camarera", "don", "doña", "un tal", "una tal"),
    "it": ("ho parlato con", "ho parlato col", "mi ha risposto", "mi ha servito", "mi ha assistito", "mi ha aiutato",
           "mi ha seguito", "mi chiamo", "il mio nome è", "si chiama", "grazie a", "ringrazio", "l'operatore",
           "l'operatrice", "l’operatore", "l’operatrice", "l'addetto", "l'addetta", "il commesso", "la commessa",
           "il signor", "la signora", "il sig.", "la sig.ra", "il dottor", "la dottoressa", "il tecnico",
           "il corriere", "la cassiera", "il cassiere", "il responsabile", "la responsabile", "il cameriere",
           "la cameriera", "un certo", "una certa", "un tale", "una tale"),
    "pt": ("fui atendida pela", "fui atendido pela", "fui atendida pelo", "fui atendido pelo", "fui atendida por",
           "fui atendido por", "me atendeu", "atendeu-me", "falei com", "o meu nome é", "meu nome é", "chamo-me",
           "me chamo", "se chama", "obrigado ao", "obrigada ao", "obrigado à", "obrigada à", "graças ao", "graças à",
           "agradeço ao", "agradeço à", "o senhor", "a senhora", "o sr.", "a sr.ª", "a sra.", "dona",
           "o atendente", "a atendente", "o funcionário", "a funcionária", "o vendedor", "a vendedora",
           "o consultor", "a consultora", "o técnico", "a técnica", "o estafeta", "o entregador", "a entregadora",
           "o gerente", "a gerente", "o empregado", "a empregada", "um tal", "uma tal", "um certo", "uma certa"),
    "en": ("the agent", "agent", "the rep", "representative", "spoke to", "spoke with", "talked to", "talked with",
           "speaking to", "served by", "helped by", "assisted by", "my name is", "my name's", "named", "thanks to",
           "thank you to", "shout out to", "the manager", "the cashier", "the technician", "the driver",
           "the courier", "the advisor", "the adviser", "the assistant", "the waiter", "the waitress", "ask for",
           "asked for", "a certain"),
}
#: Titles before a name, matched as written (English ones only capitalised: "Miss" is a verb too).
_TITLES = r"(?:Mr|Mrs|Ms|Miss|Dr|Prof|Sr|Sra|Srta|Dña|Sig|Sig\.ra|Dott|Dott\.ssa|Avv|Ing|Sr\.ª|Dra)\.?"
#: Capitalised words that follow a cue phrase but are not names (compared case-folded).
NOT_NAMES = frozenset(
    """customer customers service services support team help desk centre center care sales returns billing store shop
    manager management office department reception staff everyone everybody nobody someone somebody anyone
    god lord jesus dios deus dio cliente clientes servicio servicios atención soporte técnico técnica tienda
    oficina departamento recepción todos nadie alguien usted ustedes apoio serviço serviços suporte loja
    assistência escritório ninguém alguém você vocês servizio clienti assistenza supporto negozio ufficio
    amministrazione reception nessuno qualcuno lei loro tutti
    the a an el la los las un una uno il lo gli le i o os as um uma he she they we you it this that
    ele ela eles elas eu ella ellos yo él lui noi voi
    monday tuesday wednesday thursday friday saturday sunday lunes martes miércoles jueves viernes sábado
    domingo lunedì martedì mercoledì giovedì venerdì sabato domenica segunda terça quarta quinta sexta
    january february march april may june july august september october november december enero febrero
    marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre gennaio febbraio aprile
    maggio giugno luglio settembre ottobre novembre dicembre janeiro fevereiro março maio junho julho
    setembro outubro novembro dezembro whatsapp facebook instagram google amazon apple
    calle avenida avda plaza paseo camino carretera via viale piazza corso largo vicolo rua travessa praça
    estrada alameda street road avenue lane""".split()
)
_PARTICLES = r"(?:de|da|do|dos|das|del|della|di|van|von|der|den|le|la|du|y|e)"
_ARTICLES = r"(?:el|la|lo|il|o|a|the|l'|l’|un|una|um|uma|a\s+senhora|o\s+senhor)"
_WORD = r"[^\W\d_][\w'’\-]*"
_NAME_RUN = rf"(?P<name>{_WORD}(?:\s+(?:{_PARTICLES}\s+)?{_WORD}){{0,2}})"


def _cue_pattern() -> re.Pattern[str]:
    cues = sorted({c for items in CUES.values() for c in items}, key=len, reverse=True)
    alternatives = "|".join(re.escape(c).replace(r"\ ", r"\s+") for c in cues)
    return re.compile(
        rf"(?<![\w])(?:(?i:{alternatives})(?:\s*,)?\s+(?:(?i:{_ARTICLES})\s+)?|(?<![\w.]){_TITLES}\s+){_NAME_RUN}"
    )


_CUE_RE = _cue_pattern()


def _capitalised(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return bool(letters) and letters[0].isupper() and any(c.islower() for c in letters[1:]) and \
        not any(c.isupper() for c in letters[1:3])


_AND = re.compile(r"\s+(?:&|and|y|e|ed)\s+")


def _name_at(text: str, start: int) -> tuple[int, int] | None:
    """The capitalised name words starting at ``start`` (particles inside allowed), or None."""
    kept: list[tuple[int, int, str]] = []
    for w in re.finditer(r"\S+", text[start:start + 80]):
        if kept and text[kept[-1][1]:start + w.start()].strip():
            break
        if kept and "\n" in text[kept[-1][1]:start + w.start()]:
            break
        word = w.group()
        bare = word.rstrip(".,;:!?)’'\"")
        a = start + w.start()
        if kept and re.fullmatch(_PARTICLES, bare):
            kept.append((a, a + len(bare), bare))
            continue
        if not bare[:1].isalpha() or not _capitalised(bare) or bare.casefold() in NOT_NAMES or len(kept) >= 4:
            break
        kept.append((a, a + len(bare), bare))
        if bare != word:  # punctuation ends the name
            break
    while kept and re.fullmatch(_PARTICLES, kept[-1][2]):
        kept.pop()
    return (kept[0][0], kept[-1][1]) if kept else None


def find_cued_names(text: str) -> Iterator[Finding]:
    """Names right after a cue phrase or a title (see the module docstring); "Josh and Mei" are two."""
    position = 0
    while True:
        m = _CUE_RE.search(text, position)
        if m is None:
            return
        span = _name_at(text, m.start("name"))
        if span is None:  # "ringrazio il sig. Esposito": try the cue that starts later
            position = m.start() + 1
            continue
        yield Finding(span[0], span[1], "PERSON", "cue")
        while True:  # "thanks to Josh and Mei"
            joint = _AND.match(text, span[1])
            following = _name_at(text, joint.end()) if joint and joint.end() > span[1] else None
            if following is None:
                break
            span = following
            yield Finding(span[0], span[1], "PERSON", "cue")
        position = span[1]


class SpeakerNames:
    """The speakers' names, found anywhere in a text; each can carry its pseudonym.

    Args:
        names: person names (titles, roles and parentheses already removed: see
            :func:`person_names`).
        pseudonyms: name -> pseudonym; a part shared by two names (two Anas) gets none.

    Example:
        >>> names = SpeakerNames(["Ana Lopez", "Bo Reed"], {"Ana Lopez": "P1"})
        >>> [(f.start, f.end, f.replacement) for f in names.find("As ana lopez and Ana said, Bo agrees.")]
        [(3, 12, 'P1'), (17, 20, 'P1')]
    """

    def __init__(self, names: Iterable[str], pseudonyms: Mapping[str, str] | None = None) -> None:
        pseudonyms = dict(pseudonyms or {})
        self.full: dict[str, str] = {}
        parts: dict[str, set[str]] = {}
        for name in names:
            name = re.sub(r"\s+", " ", str(name)).strip()
            if not name:
                continue
            self.full[name.casefold()] = pseudonyms.get(name, "")
            words = [w for w in name.split(" ") if not re.fullmatch(_PARTICLES, w, re.IGNORECASE)]
            if len(words) > 1:
                for word in words:
                    if len(word) >= 3 and word.casefold() not in NOT_NAMES:
                        parts.setdefault(word.casefold(), set()).add(pseudonyms.get(name, ""))
        self.parts = {p: (values.pop() if len(values) == 1 else "") for p, values in parts.items()
                      if p not in self.full}
        keys = sorted([*self.full, *self.parts], key=len, reverse=True)
        self._pattern = re.compile(
            r"(?<![\w])(?:" + "|".join(re.escape(k).replace(r"\ ", r"\s+") for k in keys) + r")(?![\w])",
            re.IGNORECASE,
        ) if keys else None

    def find(self, text: str) -> Iterator[Finding]:
        if self._pattern is None:
            return
        for m in self._pattern.finditer(text):
            word = m.group()
            key = re.sub(r"\s+", " ", word).casefold()
            written_as_name = _capitalised(word) or (word.isupper() and len(word) > 1) or caseless(word)
            if " " not in key and not written_as_name:
                continue  # "rosa" the colour, not Rosa: a one-word name must be written as a name
            replacement = self.full.get(key, self.parts.get(key, ""))
            yield Finding(m.start(), m.end(), "PERSON", "speaker", replacement)


def person_names(speakers: Iterable[str]) -> list[str]:
    """People's names among speaker labels: roles dropped (``Interviewer``, ``Participant 3``,
    ``The Chair``), titles and parentheses removed (``Hon. Ruth Calloway (Lakeshore)`` -> ``Ruth Calloway``).

    Example:
        >>> person_names(["Interviewer", "Hon. Ruth Calloway (Lakeshore, Ind.)", "P3", "Ana Lopez"])
        ['Ruth Calloway', 'Ana Lopez']
    """
    from ..transcripts._labels import is_known_role
    from ..transcripts._names import is_role_label, split_parenthetical, strip_titles

    names: dict[str, None] = {}
    for speaker in speakers:
        label = str(speaker).strip()
        if not label or is_known_role(label) or is_role_label(label):
            continue
        base = split_parenthetical(label)[0]
        words = strip_titles(base.split())
        if words:
            names[" ".join(words)] = None
    return list(names)
