"""REFI-QDA project export (``.qdpx``): tagged turns or comments, as NVivo, ATLAS.ti, MAXQDA and
QualCoder exchange them (QDA-XML 1.0, ``urn:QDA-XML:project:1.0``).

The ``.qdpx`` file is a zip holding ``project.qde`` (the project XML) and ``sources/`` (one UTF-8
text per source). What goes in:

- **sources**: one text source per transcript file, one line per turn (``Speaker: text``); or, for
  a table of survey comments, one source for the table with one line per comment (row order
  kept, empty comments as empty lines). Line breaks inside a turn or comment become spaces.
- **codes**: one code group per code column (``topics`` and ``themes`` when present, ``journey``
  and ``channel`` when their ``*_evidence`` column says they come from ``cxtext tag``, and any
  column named with ``codes=``), holding its codes (``process/delivery`` nests
  under ``process``). Built-in codebooks bring their definitions and the same GUIDs as
  ``cxtext codebook export`` (``.qdc``). Groups are not codable; their codes are.
- **codings**: each turn or comment is a selection coded with its codes (``code_unit="turn"``),
  or each evidence span is a selection coded with its topic (``code_unit="evidence"``; codes
  without evidence code the whole turn). ``sentiment_codes=True`` adds a ``sentiment`` group
  (positive, neutral, negative) coding each turn or comment.
- **cases and variables**: transcripts: one case per speaker, with the role columns and the
  speaker's ``sentiment_balance`` and ``mean_sentiment_score`` as variables; tables: one case per
  comment, with the other columns (scores, channel, dates...) and its ``sentiment`` and
  ``sentiment_score`` as variables.

GUIDs are UUID 5 of the content, the zip entries carry a fixed date: the same table gives the same
file byte for byte. Positions are counted in characters (Unicode code points) of the source text.
"""
from __future__ import annotations

import math
import os
import uuid
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd

from ..errors import ColumnError, ConfigError, UnsupportedFormatError, format_choices
from ..schema import SENTIMENT, SENTIMENT_SCORE, TOPIC_EVIDENCE, TOPICS, output_columns
from ..transcripts._cells import is_blank, parse_evidence, split_labels
from .codebook import BUILTIN_CODEBOOKS, Codebook, load_codebook
from .export import TOPIC_COLORS, topic_description, topic_guid

__all__ = ["QDE_NAMESPACE", "CODE_UNITS", "CODE_COLUMNS", "QdpxProject", "build_project", "export_qdpx"]

QDE_NAMESPACE = "urn:QDA-XML:project:1.0"
CODE_UNITS = ("turn", "evidence")
#: Code columns exported when present (their own codebook when built-in), in this order.
CODE_COLUMNS = (TOPICS, "journey", "channel", "themes")
_GUIDS = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/cxtext/cxtext/qdpx")
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
_TRANSCRIPT_COLUMNS = {"file", "turn", "speaker", "text"}
_SENTIMENTS = ("positive", "neutral", "negative")
_CONTEXT = {"file", "turn", "cue", "sentence", "speaker", "speaker_label", "start", "end", "text", "nonspeech",
            "language"}


def _guid(*parts: object) -> str:
    return str(uuid.uuid5(_GUIDS, "\x1f".join(map(str, parts))))


def _q(tag: str) -> str:
    return f"{{{QDE_NAMESPACE}}}{tag}"


@dataclass
class QdpxProject:
    """A built project: the ``project.qde`` XML and the source texts (``sources/<name>``)."""

    xml: bytes
    sources: dict[str, str] = field(default_factory=dict)
    segments: int = 0
    codings: int = 0
    codes: int = 0

    def write(self, path: str | os.PathLike[str], force: bool = False) -> Path:
        """Write the ``.qdpx`` zip atomically (deterministic entry order and dates)."""
        from ..io import atomic_output

        with atomic_output(path, force) as tmp, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(zipfile.ZipInfo("project.qde", _ZIP_DATE), self.xml, zipfile.ZIP_DEFLATED)
            for name, text in self.sources.items():
                archive.writestr(zipfile.ZipInfo(f"sources/{name}", _ZIP_DATE), text.encode("utf-8"),
                                 zipfile.ZIP_DEFLATED)
        return Path(path)


class _Codes:
    """The codebook of the project: one group per code column, codes by path."""

    def __init__(self, root: ET.Element) -> None:
        self.root = root
        self.guids: dict[tuple[str, str], str] = {}
        self.groups: dict[str, ET.Element] = {}
        self.elements: dict[tuple[str, str], ET.Element] = {}

    def group(self, column: str, codebook: Codebook | None) -> None:
        color = TOPIC_COLORS[len(self.groups) % len(TOPIC_COLORS)]
        description = f"codes of the column '{column}'" + (f" (cxtext codebook '{codebook.name}')" if codebook else "")
        element = ET.SubElement(self.root, _q("Code"), {"guid": _guid("group", column), "name": column,
                                                        "isCodable": "false", "color": color})
        ET.SubElement(element, _q("Description")).text = description
        self.groups[column] = element
        if codebook is not None:
            for spec in codebook.specs:
                self.code(column, spec.path, codebook)

    def code(self, column: str, path: str, codebook: Codebook | None = None) -> str:
        if (column, path) in self.guids:
            return self.guids[(column, path)]
        parent_path = path.rsplit("/", 1)[0] if "/" in path else ""
        parent = self.elements.get((column, parent_path)) if parent_path else None
        if parent_path and parent is None:
            self.code(column, parent_path, codebook)
            parent = self.elements[(column, parent_path)]
        parent = self.groups[column] if parent is None else parent
        guid = topic_guid(codebook, path) if codebook is not None and path in codebook.topics else _guid("code", column, path)
        element = ET.SubElement(parent, _q("Code"), {"guid": guid, "name": path.rsplit("/", 1)[-1],
                                                     "isCodable": "true", "color": parent.get("color", TOPIC_COLORS[0])})
        if codebook is not None and path in codebook.topics:
            description = topic_description(codebook, path)
            if description:
                ET.SubElement(element, _q("Description")).text = description
        self.elements[(column, path)] = element
        self.guids[(column, path)] = guid
        return guid

    def finish(self) -> int:
        """Order children as the schema wants (Description before Code) and count the codes."""
        for element in [*self.groups.values(), *self.elements.values()]:
            element[:] = [c for c in element if c.tag == _q("Description")] + [c for c in element if c.tag == _q("Code")]
        return len(self.elements)


@lru_cache(maxsize=None)
def _codebook_for(column: str) -> Codebook | None:
    for name in BUILTIN_CODEBOOKS:
        codebook = load_codebook(name)
        if codebook.column == column:
            return codebook
    return None


def _one_line(value: object) -> str:
    if is_blank(value):
        return ""
    return str(value).replace("\r", " ").replace("\n", " ")  # same length: offsets stay valid


def _number(value: object) -> float | None:
    number = pd.to_numeric(pd.Series([value], dtype=object), errors="coerce").iloc[0]
    return None if pd.isna(number) or math.isinf(float(number)) else float(number)


class _Variables:
    def __init__(self, root: ET.Element) -> None:
        self.root = root
        self.guids: dict[str, str] = {}

    def value(self, case: ET.Element, name: str, value: object, kind: str = "Text") -> None:
        if is_blank(value):
            return
        if kind == "Float":
            number = _number(value)
            if number is None:
                return
            text = f"{number:.6f}".rstrip("0").rstrip(".")
        else:
            text = str(value)
        if name not in self.guids:
            self.guids[name] = _guid("variable", name)
            ET.SubElement(self.root, _q("Variable"), {"guid": self.guids[name], "name": name, "typeOfVariable": kind})
        item = ET.SubElement(case, _q("VariableValue"))
        ET.SubElement(item, _q("VariableRef"), {"targetGUID": self.guids[name]})
        ET.SubElement(item, _q(f"{kind}Value")).text = text


def build_project(
    tagged: pd.DataFrame,
    codes: Sequence[str] = (),
    text: str | None = None,
    code_unit: str = "turn",
    sentiment_codes: bool = False,
    name: str = "cxtext project",
) -> QdpxProject:
    """Build the REFI-QDA project of a tagged table (see the module docstring).

    Args:
        tagged: output of ``cxtext tag`` (transcript turns: ``file, turn, speaker, text``; or
            survey comments); not modified.
        codes: code columns to export besides those of :data:`CODE_COLUMNS` present (e.g. a
            human coder's column ``coder1``).
        text: the text column of a table (default: ``text``, else the one free-text column).
        code_unit: ``"turn"`` (each turn or comment coded) or ``"evidence"`` (each evidence span).
        sentiment_codes: also code each turn or comment with its sentiment.
        name: the project name.

    Raises:
        ColumnError: a code or text column is missing.
        ConfigError: an unknown ``code_unit``.
    """
    if code_unit not in CODE_UNITS:
        raise ConfigError(f"code unit {code_unit!r} is not allowed; choose one of {format_choices(CODE_UNITS)}")
    missing = [c for c in codes if c not in tagged.columns]
    if missing:
        raise ColumnError(f"code column(s) {format_choices(missing)} not in the table (columns: "
                          f"{format_choices(tagged.columns)}); pass columns that hold codes with --codes")
    present = [c for c in CODE_COLUMNS if c in tagged.columns and (c in (TOPICS, "themes") or f"{c}_evidence" in tagged.columns)]
    columns = list(dict.fromkeys([*present, *codes]))
    transcripts = _TRANSCRIPT_COLUMNS <= set(tagged.columns)
    if transcripts:
        text = "text"
    else:
        from ..cells import find_comment_column

        text = find_comment_column(tagged, text or ("text" if "text" in tagged.columns else None))

    from .. import __version__

    ET.register_namespace("", QDE_NAMESPACE)
    project = ET.Element(_q("Project"), {"name": name, "origin": f"cxtext {__version__}"})
    user = _guid("user", "cxtext")
    users = ET.SubElement(project, _q("Users"))
    ET.SubElement(users, _q("User"), {"guid": user, "name": "cxtext", "id": "cxtext"})
    codebook = ET.SubElement(ET.SubElement(project, _q("CodeBook")), _q("Codes"))
    variables = ET.SubElement(project, _q("Variables"))
    cases = ET.SubElement(project, _q("Cases"))
    sources = ET.SubElement(project, _q("Sources"))
    book = _Codes(codebook)
    for column in columns:
        book.group(column, _codebook_for(column))
    if sentiment_codes and SENTIMENT in tagged.columns:
        book.group(SENTIMENT, None)
        for label in _SENTIMENTS:
            book.code(SENTIMENT, label)
    if not book.groups:
        book.group(TOPICS, None)  # the schema wants one code at least: an empty group to code into
    vars_ = _Variables(variables)

    records = tagged.to_dict("records")
    if transcripts:
        groups: dict[str, list[int]] = {}
        for i, record in enumerate(records):
            groups.setdefault(str(record["file"]), []).append(i)
        parts = [(Path(file).name, file, rows) for file, rows in groups.items()]
    else:
        parts = [(name, name, list(range(len(records))))]
    texts: dict[str, str] = {}
    selections_of: dict[str, list[str]] = {}
    counts = {"segments": 0, "codings": 0}
    for source_name, source_key, rows in parts:
        source_guid = _guid("source", source_key)
        lines, selections = [], []
        position = 0
        for i in rows:
            record = records[i]
            speaker = _one_line(record.get("speaker")) if transcripts else ""
            prefix = f"{speaker}: " if speaker else ""
            body = _one_line(record.get(text))
            start = position + len(prefix)
            lines.append(prefix + body)
            position += len(prefix) + len(body) + 1
            label = f"turn {record.get('turn')}" if transcripts else f"row {i + 1}"
            selection = _selection(label, source_key, i, start, start + len(body))
            coded = _code_row(selection, record, body, start, columns, book, code_unit, user, counts, sentiment_codes)
            selections.append((selection, coded))
            key = str(record.get("speaker", "")) if transcripts else str(i)
            selections_of.setdefault(key, []).append(selection.get("guid"))
            counts["segments"] += 1
        content = "\n".join(lines)
        file_name = f"{source_guid}.txt"
        texts[file_name] = content
        element = ET.SubElement(sources, _q("TextSource"), {
            "guid": source_guid, "name": source_name, "plainTextPath": f"internal://{file_name}"})
        ET.SubElement(element, _q("Description")).text = (
            f"cxtext {'transcript' if transcripts else 'table'}: one line per {'turn' if transcripts else 'comment'}")
        for selection, coded in selections:
            element.append(selection)
            for extra in coded:
                element.append(extra)
    _cases(cases, vars_, records, transcripts, text, selections_of, tagged.columns)
    for parent, child in ((project, variables), (project, cases)):
        if len(child) == 0:
            parent.remove(child)
    n_codes = book.finish()
    ET.indent(project, space=" ")
    xml = ET.tostring(project, encoding="utf-8", xml_declaration=True)
    return QdpxProject(xml, texts, counts["segments"], counts["codings"], n_codes)


def _selection(label: str, source: str, row: int, start: int, end: int, extra: str = "") -> ET.Element:
    return ET.Element(_q("PlainTextSelection"), {
        "guid": _guid("selection", source, row, extra, start, end), "name": label,
        "startPosition": str(start), "endPosition": str(end)})


def _coding(selection: ET.Element, code_guid: str, user: str, counts: dict[str, int]) -> None:
    coding = ET.SubElement(selection, _q("Coding"), {"guid": _guid("coding", selection.get("guid"), code_guid),
                                                     "creatingUser": user})
    ET.SubElement(coding, _q("CodeRef"), {"targetGUID": code_guid})
    counts["codings"] += 1


def _code_row(selection: ET.Element, record: dict, body: str, start: int, columns: list[str], book: _Codes,
              code_unit: str, user: str, counts: dict[str, int], sentiment_codes: bool) -> list[ET.Element]:
    """Code one turn or comment; returns the extra evidence selections."""
    extra: list[ET.Element] = []
    for column in columns:
        evidence_column = TOPIC_EVIDENCE if column == TOPICS else f"{column}_evidence"
        evidence = parse_evidence(record.get(evidence_column)) if code_unit == "evidence" else {}
        for code in split_labels(record.get(column)):
            guid = book.code(column, code, _codebook_for(column))
            spans = [s for s in evidence.get(code, []) if isinstance(s.get("start"), int) and isinstance(s.get("end"), int)
                     and 0 <= s["start"] < s["end"] <= len(body)]
            if not spans:
                _coding(selection, guid, user, counts)
            for span in spans:
                piece = _selection(f"{selection.get('name')}: {code}", selection.get("guid"), 0, start + span["start"],
                                   start + span["end"], code)
                _coding(piece, guid, user, counts)
                extra.append(piece)
    if sentiment_codes and str(record.get(SENTIMENT, "")).strip() in _SENTIMENTS:
        _coding(selection, book.code(SENTIMENT, str(record[SENTIMENT]).strip()), user, counts)
    return extra


def _cases(cases: ET.Element, variables: _Variables, records: list[dict], transcripts: bool, text: str,
           selections_of: dict[str, list[str]], columns: Sequence[str]) -> None:
    tags = set(output_columns()) | {c for c in columns if c.endswith("_evidence") or c.startswith("sentiment_")}
    if transcripts:
        start = list(columns).index("speaker") + 1
        end = list(columns).index("start") if "start" in columns else start
        roles = [c for c in list(columns)[start:end] if c not in _CONTEXT]
        by_speaker: dict[str, list[dict]] = {}
        for record in records:
            if not is_blank(record.get("speaker")):
                by_speaker.setdefault(str(record["speaker"]), []).append(record)
        for speaker, rows in by_speaker.items():
            case = ET.SubElement(cases, _q("Case"), {"guid": _guid("case", speaker), "name": speaker})
            for role in roles:
                variables.value(case, role, rows[0].get(role))
            labels = [str(r.get(SENTIMENT, "")).strip() for r in rows]
            rated = sum(label in _SENTIMENTS for label in labels)
            if rated:
                balance = (labels.count("positive") - labels.count("negative")) / rated
                variables.value(case, "sentiment_balance", round(balance, 4), "Float")
            scores = [n for n in (_number(r.get(SENTIMENT_SCORE)) for r in rows) if n is not None]
            if scores:
                variables.value(case, "mean_sentiment_score", round(sum(scores) / len(scores), 4), "Float")
            for guid in selections_of.get(speaker, []):
                ET.SubElement(case, _q("SelectionRef"), {"targetGUID": guid})
        return
    others = [c for c in columns if c != text and c not in tags]
    for i, record in enumerate(records):
        label = str(record[others[0]]) if others and not is_blank(record.get(others[0])) else f"row {i + 1}"
        case = ET.SubElement(cases, _q("Case"), {"guid": _guid("case", i), "name": label})
        for column in others:
            variables.value(case, str(column), record.get(column))
        variables.value(case, SENTIMENT, record.get(SENTIMENT))
        variables.value(case, SENTIMENT_SCORE, record.get(SENTIMENT_SCORE), "Float")
        for guid in selections_of.get(str(i), []):
            ET.SubElement(case, _q("SelectionRef"), {"targetGUID": guid})


def export_qdpx(
    tagged: pd.DataFrame,
    path: str | os.PathLike[str],
    force: bool = False,
    **options: object,
) -> QdpxProject:
    """Build the project of ``tagged`` (see :func:`build_project` for the options) and write it.

    Example:
        >>> project = export_qdpx(tagged_turns, "project.qdpx")  # doctest: +SKIP
        >>> project.segments, project.codings  # doctest: +SKIP
    """
    if Path(path).suffix.lower() != ".qdpx":
        raise UnsupportedFormatError(path, (".qdpx",), role="REFI-QDA project output")
    project = build_project(tagged, **options)  # type: ignore[arg-type]
    project.write(path, force=force)
    return project
