"""Check digits of the numbers redaction looks for: a candidate that fails its check is left alone.

Each function takes the characters as written (spaces, dots and dashes allowed) and says whether
the number is well formed: Luhn (payment cards), ISO 13616 mod-97 (IBAN, with the length of its
country), the DNI/NIE control letter, the codice fiscale check character, the two CPF and CNPJ
check digits, the Portuguese NIF check digit, and the shape rules of the UK National Insurance
number and the US Social Security number.
"""
from __future__ import annotations

import re

__all__ = [
    "luhn_ok", "iban_ok", "IBAN_LENGTHS", "dni_ok", "nie_ok", "codice_fiscale_ok", "cpf_ok", "cnpj_ok",
    "nif_pt_ok", "nino_ok", "ssn_ok",
]

_NOT_ALNUM = re.compile(r"[^0-9A-Za-z]")

#: IBAN length per country (ISO 13616 registry; the countries cxtext users meet most).
IBAN_LENGTHS: dict[str, int] = {
    "AD": 24, "AT": 20, "BE": 16, "BG": 22, "BR": 29, "CH": 21, "CY": 28, "CZ": 24, "DE": 22, "DK": 18,
    "EE": 20, "ES": 24, "FI": 18, "FR": 27, "GB": 22, "GI": 23, "GR": 27, "HR": 21, "HU": 28, "IE": 22,
    "IS": 26, "IT": 27, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MC": 27, "MT": 31, "NL": 18, "NO": 15,
    "PL": 28, "PT": 25, "RO": 24, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "VA": 22, "AO": 25, "MZ": 25,
    "CV": 25, "ST": 25, "TL": 23, "GW": 25,
}
_DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"
_CF_ODD = dict(zip("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ",
                   [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8,
                    12, 14, 16, 10, 22, 25, 24, 23]))
_NINO_BAD_PREFIXES = {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}


def _clean(value: str) -> str:
    return _NOT_ALNUM.sub("", value).upper()


def luhn_ok(value: str) -> bool:
    """Luhn check of a card number (13 to 19 digits).

    Example:
        >>> luhn_ok("4111 1111 1111 1111"), luhn_ok("4111 1111 1111 1112")
        (True, False)
    """
    digits = _clean(value)
    if not digits.isdigit() or not 13 <= len(digits) <= 19 or len(set(digits)) == 1:
        return False
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def iban_ok(value: str) -> bool:
    """An IBAN of a known country, of that country's length, with mod-97 remainder 1.

    Example:
        >>> iban_ok("GB82 WEST 1234 5698 7654 32"), iban_ok("GB82 WEST 1234 5698 7654 33")
        (True, False)
    """
    text = _clean(value)
    if IBAN_LENGTHS.get(text[:2]) != len(text) or not text[2:4].isdigit():
        return False
    rotated = text[4:] + text[:4]
    return int("".join(str(int(ch, 36)) for ch in rotated)) % 97 == 1


def dni_ok(value: str) -> bool:
    """Spanish DNI: eight digits and the control letter.

    Example:
        >>> dni_ok("12345678-Z"), dni_ok("12345678A")
        (True, False)
    """
    text = _clean(value)
    return len(text) == 9 and text[:8].isdigit() and _DNI_LETTERS[int(text[:8]) % 23] == text[8]


def nie_ok(value: str) -> bool:
    """Spanish NIE: X, Y or Z, seven digits and the control letter.

    Example:
        >>> nie_ok("X1234567L")
        True
    """
    text = _clean(value)
    if len(text) != 9 or text[0] not in "XYZ" or not text[1:8].isdigit():
        return False
    return _DNI_LETTERS[int(str("XYZ".index(text[0])) + text[1:8]) % 23] == text[8]


def codice_fiscale_ok(value: str) -> bool:
    """Italian codice fiscale (16 characters, omocodia letters allowed) with its check character.

    Example:
        >>> codice_fiscale_ok("RSSMRA85T10A562S")
        True
    """
    text = _clean(value)
    if len(text) != 16 or not text.isalnum():
        return False
    total = sum(_CF_ODD[ch] if i % 2 == 0 else (int(ch) if ch.isdigit() else ord(ch) - 65)
                for i, ch in enumerate(text[:15]))
    return chr(65 + total % 26) == text[15]


def cpf_ok(value: str) -> bool:
    """Brazilian CPF: eleven digits, both check digits (all-equal digits are invalid).

    Example:
        >>> cpf_ok("529.982.247-25"), cpf_ok("111.111.111-11")
        (True, False)
    """
    digits = _clean(value)
    if len(digits) != 11 or not digits.isdigit() or len(set(digits)) == 1:
        return False
    numbers = [int(d) for d in digits]
    for length in (9, 10):
        check = sum(n * (length + 1 - i) for i, n in enumerate(numbers[:length])) * 10 % 11 % 10
        if check != numbers[length]:
            return False
    return True


def cnpj_ok(value: str) -> bool:
    """Brazilian CNPJ: fourteen digits, both check digits.

    Example:
        >>> cnpj_ok("11.222.333/0001-81")
        True
    """
    digits = _clean(value)
    if len(digits) != 14 or not digits.isdigit() or len(set(digits)) == 1:
        return False
    numbers = [int(d) for d in digits]
    weights = [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]
    for length in (12, 13):
        rest = sum(n * w for n, w in zip(numbers[:length], weights[13 - length:])) % 11
        if numbers[length] != (0 if rest < 2 else 11 - rest):
            return False
    return True


def nif_pt_ok(value: str) -> bool:
    """Portuguese NIF: nine digits, a valid first digit, the mod-11 check digit.

    Example:
        >>> nif_pt_ok("123456789"), nif_pt_ok("123456780")
        (True, False)
    """
    digits = _clean(value)
    if len(digits) != 9 or not digits.isdigit():
        return False
    if digits[0] not in "1235689" and digits[:2] not in ("45", "70", "71", "72", "74", "75", "77", "79"):
        return False
    rest = sum(int(d) * (9 - i) for i, d in enumerate(digits[:8])) % 11
    return int(digits[8]) == (0 if rest < 2 else 11 - rest)


def nino_ok(value: str) -> bool:
    """UK National Insurance number: two letters (not D F I Q U V; no O second; not BG GB KN NK
    NT TN ZZ), six digits, a suffix A-D.

    Example:
        >>> nino_ok("AB 12 34 56 C"), nino_ok("QQ 12 34 56 C")
        (True, False)
    """
    text = _clean(value)
    if not re.fullmatch(r"[A-Z]{2}\d{6}[A-D]", text):
        return False
    first, second = text[0], text[1]
    return first not in "DFIQUV" and second not in "DFIOQUV" and text[:2] not in _NINO_BAD_PREFIXES


def ssn_ok(value: str) -> bool:
    """US Social Security number shape: area not 000, 666 or 9xx; group not 00; serial not 0000.

    Example:
        >>> ssn_ok("512-64-2233"), ssn_ok("666-12-3456")
        (True, False)
    """
    digits = _clean(value)
    if len(digits) != 9 or not digits.isdigit():
        return False
    area, group, serial = digits[:3], digits[3:5], digits[5:]
    return area not in ("000", "666") and area[0] != "9" and group != "00" and serial != "0000"
