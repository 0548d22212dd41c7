"""Rules that find e-mails, URLs with personal paths, phone numbers, IBANs, cards, national ids.

Every rule matches whole tokens only (never inside a word or a longer number; a rule's look-behind
excludes every character its token may start with, so no text makes a rule quadratic), and numbers must
pass their check (:mod:`._checks`) or the numbering plan of a country: a price, a date, an order
or tracking number is left alone. Phone numbers: international (``+34 ...``, ``0039 ...``) for the
countries of :data:`COUNTRY_CODES`, national formats of Spain, Italy, Portugal, Brazil, the UK,
Ireland and North America, and any 7-13 digits right after a phone word ("tel", "móvil",
"cellulare", "telemóvel", "call me on").
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from ._checks import (
    IBAN_LENGTHS,
    cnpj_ok,
    codice_fiscale_ok,
    cpf_ok,
    dni_ok,
    iban_ok,
    luhn_ok,
    nie_ok,
    nif_pt_ok,
    nino_ok,
    ssn_ok,
)
from ._model import Finding

__all__ = ["COUNTRY_CODES", "find_emails", "find_urls", "find_phones", "find_ibans", "find_cards", "find_ids"]

#: Country calling code -> (shortest, longest) national number, for ``+CC`` / ``00CC`` numbers.
COUNTRY_CODES: dict[str, tuple[int, int]] = {
    "34": (9, 9), "39": (6, 11), "351": (9, 9), "55": (10, 11), "44": (9, 10), "1": (10, 10), "353": (7, 9),
    "33": (9, 9), "49": (6, 13), "41": (9, 9), "43": (6, 13), "32": (8, 9), "31": (9, 9), "352": (6, 11),
    "376": (6, 6), "377": (8, 9), "356": (8, 8), "357": (8, 8), "350": (8, 8), "30": (10, 10), "45": (8, 8),
    "46": (7, 10), "47": (8, 8), "48": (9, 9), "40": (9, 9), "36": (8, 9), "420": (9, 9), "421": (9, 9),
    "358": (6, 11), "354": (7, 7), "372": (7, 8), "371": (8, 8), "370": (8, 8), "386": (8, 8), "385": (8, 9),
    "380": (9, 9), "7": (10, 10), "90": (10, 10), "52": (10, 10), "54": (10, 11), "56": (8, 9), "57": (10, 10),
    "58": (10, 10), "51": (8, 9), "593": (8, 9), "598": (7, 8), "595": (9, 9), "591": (8, 8), "506": (8, 8),
    "507": (7, 8), "502": (8, 8), "503": (8, 8), "504": (8, 8), "505": (8, 8), "244": (9, 9), "258": (8, 9),
    "238": (7, 7), "239": (7, 7), "245": (7, 9), "670": (7, 8), "61": (9, 9), "64": (8, 10), "27": (9, 9),
    "91": (10, 10), "86": (11, 11), "81": (9, 10), "82": (9, 10), "212": (9, 9), "20": (9, 10),
    "971": (8, 9), "972": (8, 9), "966": (9, 9),
}
_PHONE_WORDS = re.compile(
    r"(?:\btel\b|\btlf\b|\btfno\b|\btelf\b|tel[eé]fono|telefone|telem[oó]vel|m[oó]vil|cellulare|\bcell\b|celular|"
    r"phone|mobile|\bcall\b|\bring\b|\btext\b|whats\s?app|llam|ll[aá]mame|chiamat|chiamar|\bligar|ligue|liguem|"
    r"\bfax\b|contact|contatt|contacto)[^\d]{0,25}$",
    re.IGNORECASE,
)
_NOT_PHONE_WORDS = re.compile(
    r"(?:pedido|order|ordine|encomenda|factura|fattura|fatura|invoice|\bref\b|referen|riferimento|tracking|"
    r"seguimiento|rastreio|c[oó]digo|codice|\bcode\b|\blote?\b|lotto|\bmodel|serial|\bsku\b|\bean\b|ticket|"
    r"bilhete|biglietto|billete|n[uú]mero de (?:pedido|serie|s[eé]rie)|\bid\b|\bnif\b|contribuinte|cpf|cnpj)"
    r"[^\w\n]{0,6}(?:\w+[^\w\n]{1,3}){0,2}$",
    re.IGNORECASE,
)
_SEP = r"[ \u00a0.\-]"
_PHONE = re.compile(
    rf"(?<![\w+@/.,\-])(?:(?:\+|00)\d{{1,3}}{_SEP}?)?(?:\(\d{{1,4}}\){_SEP}?)?\d{{1,13}}(?:{_SEP}\d{{1,9}})*"
    r"(?![\w@]|[.,\-/]\d)"
)
_DATE = re.compile(r"\d{1,4}[./-]\d{1,2}[./-]\d{1,4}")
_DATE_IN = re.compile(r"(?<!\d)(?:\d{4}[./-]\d{1,2}[./-]\d{1,2}|\d{1,2}[./-]\d{1,2}[./-]\d{4})(?!\d)")
_PLACEHOLDER = re.compile(r"\[[A-Z]+\]")
_NOT_DIGITS = dict.fromkeys(map(ord, " -.()/+\u00a0"))
_US = re.compile(r"\(?[2-9]\d{2}\)?[ .-]\d{3}[ .-]\d{4}")
_BR_LOCAL = re.compile(r"(?:\(\d{2}\)\s?|\d{2}\s)9?\d{4}-?\d{4}")
_EMAIL = re.compile(
    r"(?<![\w.+\-])[A-Za-z0-9][\w.+\-]*@[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}"
    r"(?![\w\-])"
)
_EMAIL_SPELLED = re.compile(
    r"(?<![\w.+\-])[\w.+\-]+\s*[\[(]\s*(?:at|arroba|chiocciola)\s*[\])]\s*[\w\-]+"
    r"(?:\s*(?:\.|[\[(]\s*(?:dot|punto|ponto)\s*[\])])\s*[A-Za-z]{2,})+",
    re.IGNORECASE,
)
_TLD = r"(?:com|net|org|info|io|eu|es|it|pt|br|uk|co|us|ie|fr|de|ch|mx|ar|cl)"
_EMAIL_WORDS = re.compile(
    rf"(?<![\w.\-])[\w.\-]+(?:\s+(?:dot|punto|ponto)\s+[\w\-]+)*\s+(?:at|arroba|chiocciola)\s+[\w\-]+"
    rf"(?:\s+(?:dot|punto|ponto)\s+[\w\-]+)*\s+(?:dot|punto|ponto)\s+{_TLD}(?![\w])",
    re.IGNORECASE,
)
_URL = re.compile(r"(?:\bhttps?://|\bwww\.)[^\s<>\"'\])}]+", re.IGNORECASE)
_SOCIAL = re.compile(
    r"^(?:[\w-]+\.)*(?:facebook\.com|fb\.com|fb\.me|instagram\.com|instagr\.am|twitter\.com|x\.com|linkedin\.com|"
    r"tiktok\.com|flickr\.com|pinterest\.\w+|github\.com|gitlab\.com|t\.me|wa\.me|vk\.com|threads\.net|"
    r"snapchat\.com|reddit\.com|medium\.com|youtube\.com|youtu\.be|tumblr\.com|behance\.net|onlyfans\.com|"
    r"mastodon\.\w+|bsky\.app|drive\.google\.com|docs\.google\.com|dropbox\.com|wetransfer\.com|calendly\.com)$",
    re.IGNORECASE,
)
_PERSONAL_SEGMENTS = frozenset(
    "user users u profile profiles perfil perfiles profilo profili perfis account accounts cuenta cuentas conta contas "
    "member members people person in utente utenti usuario usuarios usuário usuários cliente clientes customer "
    "customers my mi mio minha me".split()
)
_PERSONAL_PARAMS = frozenset(
    "email mail e-mail user username uid userid user_id id token session sid key phone tel name nome nombre "
    "cliente customer account cuenta conta dni nif cpf".split()
)
_TOKEN = re.compile(r"^(?=[\w-]*\d)(?=[\w-]*[A-Za-z])[\w-]{16,}$")
_IBAN = re.compile(r"(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}(?![A-Za-z0-9])")
_CARD = re.compile(r"(?<![\w.,\-])\d(?:[ \-]?\d)*(?![\w]|[.,\-]\d)")
_CARD_PREFIX = re.compile(r"^(?:4|5[1-5]|2[2-7]|3[47]|3[068]|35|6011|64[4-9]|65|62|50|5[6-9]|6[0-9])")
_DNI = re.compile(r"(?<![\w.\-])\d{2}\.?\d{3}\.?\d{3}[ \-]?[A-Za-z](?!\w)")
_NIE = re.compile(r"(?<![\w])[XYZxyz][ \-]?\d{7}[ \-]?[A-Za-z](?!\w)")
_OMO = "[0-9LMNPQRSTUVlmnpqrstuv]"
_CF = re.compile(rf"(?<![\w])[A-Za-z]{{6}}{_OMO}{{2}}[A-Za-z]{_OMO}{{2}}[A-Za-z]{_OMO}{{3}}[A-Za-z](?!\w)")
_CPF = re.compile(r"(?<![\w.,/\-])\d{3}\.?\d{3}\.?\d{3}-?\d{2}(?![\w]|[.,/\-]\d)")
_CNPJ = re.compile(r"(?<![\w.,/\-])\d{2}\.?\d{3}\.?\d{3}/?\d{4}-?\d{2}(?![\w]|[.,/\-]\d)")
_NINE = re.compile(r"(?<![\w.,/\-])\d{9}(?![\w]|[.,/\-]\d)")
_NIF_WORDS = re.compile(r"(?:\bnif\b|contribuinte|fiscal|\bnipc\b)[^\d\n]{0,20}$", re.IGNORECASE)
_NINO = re.compile(r"(?<![\w])[A-Z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-D](?!\w)")
_SSN = re.compile(r"(?<![\w\-])\d{3}[\- ]\d{2}[\- ]\d{4}(?![\w]|-\d)")
_SSN_WORDS = re.compile(r"(?:\bssn\b|social security)[^\d\n]{0,20}$", re.IGNORECASE)


def _before(text: str, start: int, size: int = 40) -> str:
    """The context before a candidate; a placeholder there stands for a number, not for a word."""
    return _PLACEHOLDER.sub("0", text[max(0, start - size):start])


def find_emails(text: str) -> Iterator[Finding]:
    """E-mail addresses, also spelled out (``ana [at] mail [dot] com``, ``ana at mail dot com``)."""
    for pattern in (_EMAIL, _EMAIL_SPELLED, _EMAIL_WORDS):
        for m in pattern.finditer(text):
            yield Finding(m.start(), m.end(), "EMAIL", "email")


def _url_is_personal(url: str) -> bool:
    body = re.sub(r"^(?:https?://)?", "", url, flags=re.IGNORECASE)
    host, _, rest = body.partition("/")
    host = host.split("@")[-1].split(":")[0]
    path, _, query = rest.partition("?")
    if "@" in rest or "%40" in rest.lower():
        return True
    segments = [s for s in re.split(r"[/#]", path) if s]
    if _SOCIAL.match(host) and (segments or query):
        return True
    for i, segment in enumerate(segments):
        lowered = segment.casefold()
        if segment.startswith(("~", "@")) or _TOKEN.match(segment):
            return True
        if lowered in _PERSONAL_SEGMENTS and i + 1 < len(segments):
            return True
    for pair in re.split(r"[&;]", query):
        name, _, value = pair.partition("=")
        if value and name.casefold() in _PERSONAL_PARAMS:
            return True
    return False


def find_urls(text: str) -> Iterator[Finding]:
    """URLs whose path or query points at a person: profiles, user paths, e-mails, ids, tokens."""
    for m in _URL.finditer(text):
        url = m.group().rstrip(".,;:!?")
        if _url_is_personal(url):
            yield Finding(m.start(), m.start() + len(url), "URL", "url")


def _national_phone(raw: str, digits: str) -> bool:
    n = len(digits)
    if _US.fullmatch(raw) and n == 10:
        return True
    if _BR_LOCAL.fullmatch(raw) and n in (10, 11):
        return True
    if n == 9 and digits[0] in "6789":  # Spain; Portugal 9x
        return True
    if n == 9 and digits[0] == "2":  # Portugal landlines
        return True
    if n == 10 and digits[0] == "3":  # Italian mobiles
        return True
    if digits[0] == "0" and 9 <= n <= 11 and digits[1] != "0":  # Italian, UK, Irish landlines and mobiles
        return True
    return False


def _international_phone(digits: str) -> bool:
    for size in (3, 2, 1):
        code, national = digits[:size], digits[size:]
        if code in COUNTRY_CODES:
            low, high = COUNTRY_CODES[code]
            return low <= len(national) <= high
    return False


def _windows(text: str, start: int, end: int, max_digits: int) -> list[list[tuple[int, int, int]]]:
    """Per group of ``text[start:end]`` (split at spaces), the runs ``(start, end, digits)`` of whole
    groups starting there with at most ``max_digits`` digits, longest first: a number glued to its
    neighbours ("125199457 612 345 678", a phone then a card) is still tried alone, in linear time."""
    groups = [(start + g.start(), start + g.end(), sum(c.isdigit() for c in g.group()))
              for g in re.finditer(r"[^ \u00a0]+", text[start:end])]
    runs = []
    for i in range(len(groups)):
        j, digits, ends = i, 0, []
        while j < len(groups) and digits + groups[j][2] <= max_digits:
            digits += groups[j][2]
            ends.append((groups[j][1], digits))
            j += 1
        runs.append([(groups[i][0], b, n) for b, n in reversed(ends)])
    return runs


def _phone_ok(text: str, start: int, end: int, digit_count: int, cue: bool) -> bool:
    """A phone number by a country's plan, or (``cue``) any 7-13 digits after a phone word."""
    international = text[start] == "+" or text.startswith("00", start)
    if cue and not 7 <= digit_count <= 13:
        return False
    if not cue and not (8 <= digit_count <= 15 if international else 9 <= digit_count <= 11):
        return False  # no national plan has another length: skip the costly checks
    raw = text[start:end]
    if _DATE.fullmatch(raw) or _DATE_IN.search(raw):
        return False
    digits = re.sub(r"\D", "", raw)
    if international:
        return not cue and _international_phone(digits[2:] if raw.startswith("00") else digits)
    return cue or _national_phone(raw, digits)


def find_phones(text: str) -> Iterator[Finding]:
    """Phone numbers (see the module docstring); dates, prices and order numbers are skipped.

    A run of digit groups is read by the numbering plans first (so "612 345 678" is one number
    even when a card number follows it), then by the phone words before it.
    """
    for m in _PHONE.finditer(text):
        runs = _windows(text, m.start(), m.end(), 15)
        found: list[Finding] = []
        position = 0
        for windows in runs:  # the numbering plans, number by number
            if not windows or windows[0][0] < position:
                continue
            if _NOT_PHONE_WORDS.search(_before(text, windows[0][0])):
                continue
            hit = next(((a, b) for a, b, n in windows if _phone_ok(text, a, b, n, False)), None)
            if hit:
                found.append(Finding(hit[0], hit[1], "PHONE", "phone"))
                position = hit[1]
        if not found and runs and runs[0] and _PHONE_WORDS.search(_before(text, runs[0][0][0])):
            hit = next(((a, b) for a, b, n in runs[0] if _phone_ok(text, a, b, n, True)), None)
            found = [Finding(hit[0], hit[1], "PHONE", "phone")] if hit else []
        yield from found


def _card_ok(text: str, start: int, end: int) -> bool:
    raw = text[start:end]
    digits = raw.translate(_NOT_DIGITS)
    return bool(_CARD_PREFIX.match(digits)) and luhn_ok(digits) and not _DATE_IN.search(raw)


def find_ibans(text: str) -> Iterator[Finding]:
    """IBANs of known countries (with or without spaces), mod-97 checked."""
    position = 0
    while (m := _IBAN.search(text, position)) is not None:
        raw = m.group()
        length = IBAN_LENGTHS.get(raw[:2])
        count, end = 0, 0
        for end, ch in enumerate(raw, start=1):  # an IBAN followed by capitals: cut at its length
            count += ch != " "
            if count == length:
                break
        if length is not None and count == length and iban_ok(raw[:end]):
            yield Finding(m.start(), m.start() + end, "IBAN", "iban")
            position = m.start() + end  # the next IBAN may start right after this one
        else:
            position = m.start() + 1


def find_cards(text: str) -> Iterator[Finding]:
    """Payment card numbers: 13-19 digits of a card issuer's range that pass the Luhn check."""
    for m in _CARD.finditer(text):
        position = 0
        for windows in _windows(text, m.start(), m.end(), 19):
            hit = next(((a, b) for a, b, n in windows if n >= 13 and a >= position and _card_ok(text, a, b)), None)
            if hit:
                yield Finding(hit[0], hit[1], "CARD", "luhn")
                position = hit[1]


def find_ids(text: str) -> Iterator[Finding]:
    """National ids: DNI/NIE, codice fiscale, CPF/CNPJ, Portuguese NIF, UK NI number, US SSN."""
    checks = ((_DNI, dni_ok, "dni"), (_NIE, nie_ok, "nie"), (_CF, codice_fiscale_ok, "codice fiscale"),
              (_CPF, cpf_ok, "cpf"), (_CNPJ, cnpj_ok, "cnpj"), (_NINO, nino_ok, "ni number"))
    for pattern, check, rule in checks:
        for m in pattern.finditer(text):
            if check(m.group()):
                yield Finding(m.start(), m.end(), "ID", rule)
    for m in _NINE.finditer(text):
        before = _before(text, m.start())
        if nif_pt_ok(m.group()) and (_NIF_WORDS.search(before) or (
                not _NOT_PHONE_WORDS.search(before) and not _national_phone(m.group(), m.group()))):
            yield Finding(m.start(), m.end(), "ID", "nif")
        elif _SSN_WORDS.search(before) and ssn_ok(m.group()):
            yield Finding(m.start(), m.end(), "ID", "ssn")
    for m in _SSN.finditer(text):
        if ssn_ok(m.group()) and not _NOT_PHONE_WORDS.search(_before(text, m.start())):
            yield Finding(m.start(), m.end(), "ID", "ssn")
