"""Street addresses where they can be told from text: a street word, a capitalised name, a number.

- es: ``Calle Mayor 12, 3º B``, ``C/ Alcalá, 45``, ``Avda. de la Constitución 8``, ``Plaza de España 3``
- it: ``Via Roma 15``, ``Viale Monza 120``, ``Corso Vittorio Emanuele II 42``, ``Piazza Garibaldi 7/B``
- pt: ``Rua das Flores, 123``, ``Avenida da Liberdade 245``, ``Rua Augusta nº 27``, ``Travessa do Carmo 4``
- en: ``14 Elm Road``, ``221B Baker Street``, ``10 Maple Ave``; UK postcodes (``EH8 9YL``)

A street word without a house number ("la calle estaba cortada", "andare via") is no address;
the street name after the street word must be capitalised (``calle Mayor 3``, ``via dei Mille 23``). A
postal code right after an address (``, 28013 Madrid``, ``1250-096 Lisboa``) joins it.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from ._model import Finding

__all__ = ["find_addresses"]

_UP = "A-ZÁÉÍÓÚÀÈÌÒÙÂÊÎÔÛÃÕÄËÏÖÜÇÑ"
_NAME = rf"[{_UP}][\w'’.\-]*"
_NUMBER = r"(?:,\s*|\s+)(?:n\.?\s?º\s*|nº\s*|n\.\s*|núm\.?\s*|número\s*|numero\s*|no\.?\s*)?\d{1,5}[A-Za-z]?(?:/[A-Za-z0-9]{1,3})?"
_FLOOR = r"(?:,?\s*\d{1,2}\s*[ºª°]\s*(?:[A-Za-z](?![\w]))?)?"
_POSTAL = rf"(?:,?\s*(?:\d{{5}}|\d{{4}}-\d{{3}}|\d{{5}}-\d{{3}})(?![\d\-])(?:\s+{_NAME})?)?"
_LINKS_ES_PT = r"(?:de|del|de la|de las|de los|la|el|los|las|da|do|das|dos|e|y)"
_LINKS_IT = r"(?:del|della|dei|degli|delle|di|de|d'|dell'|e)"
_ROMAN = r"(?:I|II|III|IV|V|VI|VII|VIII|IX|X|XX|XXIV)"

_STREET_ES_PT = (
    r"(?:[Cc]alle|C/|[Aa]vda\.?|[Aa]v\.|[Aa]venida|[Pp]aseo|[Pp]laza|[Pp]za\.?|[Cc]amino|"
    r"[Cc]arretera|[Rr]onda|[Tt]ravesía|[Gg]lorieta|[Rr]ambla|[Rr]ua|R\.|[Tt]ravessa|[Tt]v\.|[Pp]raça|"
    r"[Ee]strada|[Aa]lameda|[Rr]odovia|[Bb]eco|[Cc]alçada|[Ll]argo)"
)
_STREET_IT = r"(?:[Vv]ia|V\.le|[Vv]iale|[Pp]iazza|P\.za|[Pp]iazzale|[Cc]orso|C\.so|[Ll]argo|[Vv]icolo|[Ss]trada|Contrada|Lungomare|Lungotevere)"
_STREET_EN = (
    r"(?:Street|St\.?|Road|Rd\.?|Avenue|Ave\.?|Lane|Ln\.?|Drive|Dr\.?|Close|Way|Boulevard|Blvd\.?|Court|Ct\.?|"
    r"Place|Pl\.?|Terrace|Crescent|Gardens|Square|Row|Hill|Parade|Grove|Mews|Walk)"
)
_ADDRESS_ES_PT = re.compile(
    rf"(?<![\w]){_STREET_ES_PT}\s*(?:{_LINKS_ES_PT}\s+)*{_NAME}(?:\s+(?:{_LINKS_ES_PT}\s+)*(?:{_NAME}|{_ROMAN}))"
    rf"{{0,4}}{_NUMBER}(?![\d,.\-/]\d){_FLOOR}{_POSTAL}"
)
_ADDRESS_IT = re.compile(
    rf"(?<![\w]){_STREET_IT}\s+(?:{_LINKS_IT}\s*)?{_NAME}(?:\s+(?:{_LINKS_IT}\s*)?(?:{_NAME}|{_ROMAN}))"
    rf"{{0,4}}{_NUMBER}(?![\d,.\-/]\d){_POSTAL}"
)
_FLAT = r"(?:(?:Flat|Apartment|Apt\.?|Unit|Suite)\s+\d{1,4}[A-Za-z]?,?\s+)?"
_ADDRESS_EN = re.compile(rf"(?<![\w.,]){_FLAT}\d{{1,5}}[A-Za-z]?\s+(?:{_NAME}\s+){{1,3}}{_STREET_EN}(?![\w])")
_UK_POSTCODE = re.compile(r"(?<![\w])(?:[A-Z]{1,2}\d[A-Z\d]?|GIR) \d[ABD-HJLNP-UW-Z]{2}(?![\w])")


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while end > start and text[end - 1] in " ,.;:":
        end -= 1
    return start, end


def find_addresses(text: str) -> Iterator[Finding]:
    """Street addresses and UK postcodes (see the module docstring)."""
    for pattern, rule in ((_ADDRESS_ES_PT, "street es/pt"), (_ADDRESS_IT, "street it"), (_ADDRESS_EN, "street en"),
                          (_UK_POSTCODE, "uk postcode")):
        for m in pattern.finditer(text):
            start, end = _trimmed(text, m.start(), m.end())
            yield Finding(start, end, "ADDRESS", rule)
