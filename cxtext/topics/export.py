"""Export codebooks: a long CSV table and the REFI-QDA codebook exchange format (``.qdc``).

The ``.qdc`` file follows the REFI-QDA Codebook standard (``urn:QDA-XML:codebook:1.0``) so the
codebook opens in NVivo, ATLAS.ti, MAXQDA and other QDA software: nested ``<Code>`` elements
with stable GUIDs (UUID 5 of the codebook and topic names), ``isCodable="true"`` and a
``<Description>`` holding the definitions and terms.
"""
from __future__ import annotations

import os
import uuid
import xml.etree.ElementTree as ET
from pathlib import Path

from ..errors import UnsupportedFormatError
from ..io import atomic_output
from ..schema import LANGUAGES
from .codebook import TERM_LANGUAGES, Codebook

__all__ = ["EXPORT_FORMATS", "codebook_rows", "codebook_qdc", "export_codebook", "topic_guid"]

#: File extensions :func:`export_codebook` writes.
EXPORT_FORMATS: tuple[str, ...] = (".csv", ".qdc")
QDC_NAMESPACE = "urn:QDA-XML:codebook:1.0"
_GUID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/cxtext/cxtext/codebooks")
TOPIC_COLORS = ("#1F77B4", "#FF7F0E", "#2CA02C", "#D62728", "#9467BD", "#8C564B", "#E377C2", "#7F7F7F",
           "#BCBD22", "#17BECF")


def topic_guid(codebook: Codebook, topic: str) -> str:
    """Stable GUID of a topic: the same codebook name and topic path give the same GUID.

    Example:
        >>> from cxtext.topics import load_codebook
        >>> cb = load_codebook("default")
        >>> topic_guid(cb, "price") == topic_guid(cb, "price")
        True
    """
    return str(uuid.uuid5(_GUID_NAMESPACE, f"{codebook.name}:{codebook.column}:{topic}"))


def codebook_rows(codebook: Codebook) -> list[dict[str, str]]:
    """One row per topic and language: topic, parent, label, language, definition, terms, regex, exclude.

    Lists are ``;``-joined. Language ``any`` holds language-independent terms.
    """
    rows = []
    for spec in codebook.specs:
        parent = spec.path.rsplit("/", 1)[0] if "/" in spec.path else ""
        for lang in TERM_LANGUAGES:
            definition = spec.definition.get(lang, "") if lang in LANGUAGES else ""
            terms, regex, exclude = (getattr(spec, k).get(lang, ()) for k in ("terms", "regex", "exclude"))
            if not (definition or terms or regex or exclude):
                continue
            rows.append({
                "codebook": codebook.name,
                "column": codebook.column,
                "topic": spec.path,
                "parent": parent,
                "label": spec.label,
                "language": lang,
                "definition": definition,
                "terms": "; ".join(terms),
                "regex": "; ".join(regex),
                "exclude": "; ".join(exclude),
            })
    return rows


def topic_description(codebook: Codebook, topic: str) -> str:
    spec = codebook.spec(topic)
    parts = []
    for lang in sorted(LANGUAGES, key=lambda code: code != "en"):
        if lang in spec.definition:
            parts.append(f"[{lang}] {spec.definition[lang]}")
    for lang in TERM_LANGUAGES:
        terms = spec.terms.get(lang, ())
        if terms:
            parts.append(f"Terms ({lang}): {', '.join(terms)}")
    return "\n".join(parts)


def codebook_qdc(codebook: Codebook) -> bytes:
    """The codebook as REFI-QDA codebook XML (UTF-8 bytes).

    Example:
        >>> from cxtext.topics import load_codebook
        >>> codebook_qdc(load_codebook("channel"))[:38]
        b"<?xml version='1.0' encoding='utf-8'?>"
    """
    from .. import __version__

    ET.register_namespace("", QDC_NAMESPACE)
    q = f"{{{QDC_NAMESPACE}}}"
    root = ET.Element(f"{q}CodeBook", {"origin": f"cxtext {__version__} codebook '{codebook.name}'"})
    codes = ET.SubElement(root, f"{q}Codes")
    elements: dict[str, ET.Element] = {}
    top = 0
    for spec in codebook.specs:
        parent_path = spec.path.rsplit("/", 1)[0] if "/" in spec.path else ""
        while parent_path and parent_path not in elements:
            parent_path = parent_path.rsplit("/", 1)[0] if "/" in parent_path else ""
        parent = elements.get(parent_path, codes)
        if parent is codes:
            color = TOPIC_COLORS[top % len(TOPIC_COLORS)]
            top += 1
        else:
            color = parent.get("color", TOPIC_COLORS[0])
        element = ET.SubElement(parent, f"{q}Code", {
            "guid": topic_guid(codebook, spec.path),
            "name": spec.path.rsplit("/", 1)[-1] if parent is not codes else spec.path,
            "isCodable": "true",
            "color": color,
        })
        description = topic_description(codebook, spec.path)
        if description:
            ET.SubElement(element, f"{q}Description").text = description
        elements[spec.path] = element
    # Description must precede child Codes (xs:sequence): move descriptions first
    for element in elements.values():
        children = list(element)
        ordered = [c for c in children if c.tag.endswith("Description")] + [c for c in children if c.tag.endswith("Code")]
        element[:] = ordered
    ET.indent(root, space="  ")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def export_codebook(codebook: Codebook, path: str | os.PathLike[str], force: bool = False) -> Path:
    """Write ``codebook`` as CSV (``.csv``) or REFI-QDA codebook (``.qdc``), atomically.

    Raises:
        UnsupportedFormatError: another extension.
        OutputExistsError: the file exists and ``force`` is false.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in EXPORT_FORMATS:
        raise UnsupportedFormatError(path, EXPORT_FORMATS, role="codebook export")
    with atomic_output(path, force) as tmp:
        if suffix == ".qdc":
            tmp.write_bytes(codebook_qdc(codebook))
        else:
            import csv

            rows = codebook_rows(codebook)
            with open(tmp, "w", encoding="utf-8", newline="") as handle:
                writer = csv.DictWriter(handle, fieldnames=list(rows[0]) if rows else ["topic"])
                writer.writeheader()
                writer.writerows(rows)
    return path
