"""Redaction of personal data, offline, in es/it/pt/en: rules, check digits and the speakers' names.

Replaced by typed placeholders: e-mails ``[EMAIL]``, phone numbers ``[PHONE]`` (international and
national formats of the es/it/pt/en countries), national ids ``[ID]`` (DNI/NIE, codice fiscale,
CPF/CNPJ, Portuguese NIF, UK NI number, US SSN), ``[IBAN]`` (mod-97), card numbers ``[CARD]``
(Luhn), URLs with personal paths ``[URL]`` (profiles, user paths, e-mails or ids in the query),
street addresses ``[ADDRESS]`` and people's names ``[PERSON]``: a transcript's own speakers
wherever they are named, and names introduced by phrases such as "me atendió", "ho parlato con",
"fui atendida pela", "the agent,". With speaker pseudonyms, speakers become ``P1``, ``P2``, ...
in the speaker column and in the text. No model is downloaded; nothing is sent anywhere.

Rules never put a placeholder inside a word or a longer number, and numbers must pass their
check digits or a country's numbering plan, so prices, dates and order numbers stay. Names that
no rule can tell from ordinary words (a customer's first name with no cue phrase) are missed:
measure on your own data (``benchmarks/redaction.py`` shows how) before sharing.

Example:
    >>> from cxtext.redact import Redactor
    >>> Redactor().redact("Llamadme al +34 612 345 678, DNI 12345678Z").text
    'Llamadme al [PHONE], DNI [ID]'
"""
from __future__ import annotations

from ._frame import Redaction, SpeakerKey, redact_file
from ._model import ENTITY_TYPES, PLACEHOLDERS, Finding
from ._people import person_names
from ._redactor import Redacted, Redactor, check_entities

__all__ = [
    "ENTITY_TYPES",
    "PLACEHOLDERS",
    "Finding",
    "Redacted",
    "Redaction",
    "Redactor",
    "SpeakerKey",
    "check_entities",
    "person_names",
    "redact_file",
]
