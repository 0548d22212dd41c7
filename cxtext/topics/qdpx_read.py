"""REFI-QDA project import: a coded ``.qdpx`` (from NVivo, ATLAS.ti, MAXQDA, QualCoder or cxtext)
back into a table of segments and their codes, for ``cxtext train topics`` and ``cxtext agree``.

Each text source is cut into paragraphs (its lines); a paragraph takes the codes of every coded
selection that overlaps it. A project exported by ``cxtext export qdpx`` has one paragraph per
turn or comment, so it comes back with its rows in order. Codes are written as paths
(``process/delivery``); a top-level code group that is not codable (the groups cxtext writes,
one per code column) is left out of the path. When several users coded, each user's codes are
also in a ``codes_<user>`` column: two coders' columns go straight into ``cxtext agree``.
Transcript sources (``Speaker: text`` lines) get a ``speaker`` column; the variables of the
cases a paragraph belongs to become columns too. ``unit="selection"`` gives one row per coded
selection instead.
"""
from __future__ import annotations

import io
import os
import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import ConfigError, InputError, InputFileNotFoundError, format_choices
from .qdpx import QDE_NAMESPACE

__all__ = ["IMPORT_UNITS", "read_qdpx"]

IMPORT_UNITS = ("paragraph", "selection")
#: Columns of the output that a case variable may not overwrite (it becomes ``case_<name>``).
_TAKEN = frozenset({"source", "paragraph", "speaker", "text", "codes", "users", "start_char", "end_char", "case"})
_NS = {"q": QDE_NAMESPACE}


@dataclass
class _Selection:
    start: int
    end: int
    codes: list[tuple[str, str]] = field(default_factory=list)  # (code path, user)
    guid: str = ""


@dataclass
class _Source:
    guid: str
    name: str
    text: str
    description: str = ""
    selections: list[_Selection] = field(default_factory=list)


def _q(tag: str) -> str:
    return f"{{{QDE_NAMESPACE}}}{tag}"


def _codes(project: ET.Element) -> dict[str, str]:
    """Code GUID -> path, without top-level groups that are not codable."""
    paths: dict[str, str] = {}

    def walk(element: ET.Element, parents: list[str], top: bool) -> None:
        for code in element.findall("q:Code", _NS):
            name = (code.get("name") or "").strip() or code.get("guid", "")
            codable = (code.get("isCodable") or "true").strip().lower() in ("true", "1")
            here = parents if (top and not codable) else [*parents, name]
            if codable:
                paths[code.get("guid", "").strip("{}").lower()] = "/".join(here)
            walk(code, here, False)

    codes = project.find("q:CodeBook/q:Codes", _NS)
    if codes is not None:
        walk(codes, [], True)
    return paths


def _source_text(archive: zipfile.ZipFile, element: ET.Element, base: Path) -> str:
    content = element.find("q:PlainTextContent", _NS)
    if content is not None and content.text is not None:
        return content.text
    for attribute in ("plainTextPath", "richTextPath"):
        path = element.get(attribute)
        if not path:
            continue
        if path.startswith("internal://"):
            inside = "sources/" + path[len("internal://"):]
            names = {n.casefold(): n for n in archive.namelist()}
            if inside.casefold() not in names:
                raise InputError(f"the project names {path!r} for source {element.get('name')!r} but the .qdpx has no "
                                 f"{inside!r}; export the project again with its sources")
            data = archive.read(names[inside.casefold()])
        else:
            target = Path(re.sub(r"^file://", "", path))
            target = target if target.is_absolute() else base / target
            if not target.is_file():
                raise InputError(f"source {element.get('name')!r} points outside the project to {str(target)!r}, which "
                                 "does not exist; export the project with its sources embedded")
            data = target.read_bytes()
        if attribute == "richTextPath":
            return _docx_text(data, element.get("name") or path)
        return data.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
    return ""


def _docx_text(data: bytes, name: str) -> str:
    try:
        import docx

        return "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
    except Exception as exc:  # noqa: BLE001 - any broken document: one clear message
        raise InputError(f"source {name!r} has only a rich-text (.docx) copy that cannot be read ({exc}); "
                         "export the project with plain-text sources") from None


def _parse(path: Path) -> tuple[list[_Source], dict[str, str], list[dict]]:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputError(f"{str(path)!r} is not a REFI-QDA project (.qdpx is a zip file: {exc}); "
                         "export the project from your QDA software as REFI-QDA (.qdpx)") from None
    with archive:
        qde = sorted((n for n in archive.namelist() if n.lower().endswith(".qde")), key=lambda n: n != "project.qde")
        if not qde:
            raise InputError(f"{str(path)!r} holds no project.qde; it is not a REFI-QDA project export")
        try:
            project = ET.fromstring(archive.read(qde[0]))
        except ET.ParseError as exc:
            raise InputError(f"{qde[0]} in {str(path)!r} is not valid XML ({exc})") from None
        if project.tag != _q("Project"):
            raise InputError(f"{qde[0]} in {str(path)!r} is not a QDA-XML project (root element {project.tag!r}, "
                             f"expected Project in namespace {QDE_NAMESPACE})")
        users = {u.get("guid", "").strip("{}").lower(): (u.get("name") or u.get("id") or u.get("guid", ""))
                 for u in project.iterfind("q:Users/q:User", _NS)}
        codes = _codes(project)
        base = Path(project.get("basePath") or path.parent)
        sources = []
        for element in project.iterfind("q:Sources/q:TextSource", _NS):
            description = element.findtext("q:Description", default="", namespaces=_NS)
            source = _Source(element.get("guid", "").lower(), element.get("name") or element.get("guid", ""),
                             _source_text(archive, element, base), description)
            whole = _Selection(0, len(source.text))
            _add_codings(whole, element, codes, users, "")
            if whole.codes:
                source.selections.append(whole)
            for sel in element.iterfind("q:PlainTextSelection", _NS):
                selection = _Selection(int(sel.get("startPosition", 0)), int(sel.get("endPosition", 0)),
                                       guid=sel.get("guid", "").strip("{}").lower())
                _add_codings(selection, sel, codes, users, sel.get("creatingUser", ""))
                source.selections.append(selection)
            sources.append(source)
        cases = _cases(project)
    return sources, users, cases


def _add_codings(selection: _Selection, element: ET.Element, codes: dict[str, str], users: dict[str, str],
                 default_user: str) -> None:
    for coding in element.iterfind("q:Coding", _NS):
        ref = coding.find("q:CodeRef", _NS)
        target = (ref.get("targetGUID", "") if ref is not None else "").strip("{}").lower()
        if target in codes:
            user = (coding.get("creatingUser") or default_user).strip("{}").lower()
            selection.codes.append((codes[target], users.get(user, user)))


def _cases(project: ET.Element) -> list[dict]:
    names = {v.get("guid", "").strip("{}").lower(): v.get("name", "") for v in project.iterfind("q:Variables/q:Variable", _NS)}
    cases = []
    for case in project.iterfind("q:Cases/q:Case", _NS):
        values = {}
        for item in case.iterfind("q:VariableValue", _NS):
            ref = item.find("q:VariableRef", _NS)
            name = names.get((ref.get("targetGUID", "") if ref is not None else "").strip("{}").lower())
            value = next((child.text for child in item if child.tag != _q("VariableRef")), None)
            if name and value is not None:
                values[name] = value
        cases.append({
            "name": case.get("name") or case.get("guid", ""), "values": values,
            "selections": {r.get("targetGUID", "").strip("{}").lower() for r in case.iterfind("q:SelectionRef", _NS)},
            "sources": {r.get("targetGUID", "").strip("{}").lower() for r in case.iterfind("q:SourceRef", _NS)},
        })
    return cases


def _paragraphs(text: str) -> list[tuple[int, int, str]]:
    spans, position = [], 0
    for line in text.split("\n"):
        spans.append((position, position + len(line), line))
        position += len(line) + 1
    return spans


def _speakers(source: _Source, lines: list[tuple[int, int, str]], known: Iterable[str]) -> list[tuple[str, int]]:
    """(speaker, length of the label prefix) per line, for transcript-like sources: those cxtext wrote
    as transcripts, or where most lines start with a name-like ``Label:`` and two labels differ."""
    from ..transcripts._labels import is_known_role, looks_like_name
    from ..transcripts._plain import colon_label

    known = {k.casefold() for k in known}
    hits = [colon_label(line) for _, _, line in lines]
    labels = [h["name"].strip() if h else "" for h in hits]
    named = [bool(lab) and (looks_like_name(lab) or is_known_role(lab) or lab.casefold() in known) for lab in labels]
    filled = sum(1 for _, _, line in lines if line.strip())
    if source.description.startswith("cxtext table"):
        return [("", 0)] * len(lines)
    transcript = source.description.startswith("cxtext transcript") or (
        filled and sum(named) * 2 >= filled and len({lab for lab, ok in zip(labels, named) if ok}) >= 2)
    if not transcript:
        return [("", 0)] * len(lines)
    return [(label, len(line) - len(hit["text"].lstrip())) if ok and hit is not None else ("", 0)
            for (_, _, line), hit, label, ok in zip(lines, hits, labels, named)]


def _touches(selection: _Selection, start: int, end: int) -> bool:
    """A selection overlaps a line (an empty line: an empty selection exactly there)."""
    if start == end:
        return selection.start == selection.end == start
    return selection.start < end and selection.end > start


def _join(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(i for i in items if i))


def read_qdpx(path: str | os.PathLike[str], unit: str = "paragraph") -> pd.DataFrame:
    """Read a coded REFI-QDA project into a table (see the module docstring).

    Returns:
        ``unit="paragraph"``: ``source, paragraph, [speaker], text, codes, [codes_<user>...],
        [case, <case variables>]``; ``unit="selection"``: ``source, start_char, end_char, text,
        codes, users, [case, ...]``. Code cells are lists (``;``-joined when written to CSV).

    Raises:
        InputFileNotFoundError: no such file.
        InputError: not a REFI-QDA project, or a source text is missing.
        ConfigError: an unknown ``unit``.

    Example:
        >>> coded = read_qdpx("project.qdpx")  # doctest: +SKIP
        >>> coded[["text", "codes"]].head()  # doctest: +SKIP
    """
    if unit not in IMPORT_UNITS:
        raise ConfigError(f"unit {unit!r} is not allowed; choose one of {format_choices(IMPORT_UNITS)}")
    path = Path(path)
    if not path.is_file():
        raise InputFileNotFoundError(path)
    sources, users, cases = _parse(path)
    coders = sorted({user for s in sources for sel in s.selections for _, user in sel.codes if user})
    per_user = len(coders) > 1
    known = [c["name"] for c in cases]
    rows: list[dict] = []
    for source in sources:
        if unit == "selection":
            for sel in source.selections:
                if sel.codes:
                    rows.append({"source": source.name, "start_char": sel.start, "end_char": sel.end,
                                 "text": source.text[sel.start:sel.end], "codes": _join(c for c, _ in sel.codes),
                                 "users": _join(u for _, u in sel.codes), **_case_columns(cases, source, [sel])})
            continue
        lines = _paragraphs(source.text)
        speakers = _speakers(source, lines, known)
        for number, ((start, end, line), (speaker, prefix)) in enumerate(zip(lines, speakers), start=1):
            touching = [s for s in source.selections if _touches(s, start, end)]
            row = {"source": source.name, "paragraph": number}
            if any(sp for sp, _ in speakers):
                row["speaker"] = speaker
            row["text"] = line[prefix:]
            row["codes"] = _join(c for s in touching for c, _ in s.codes)
            if per_user:
                for coder in coders:
                    row[f"codes_{coder}"] = _join(c for s in touching for c, u in s.codes if u == coder)
            row.update(_case_columns(cases, source, touching))
            rows.append(row)
    frame = pd.DataFrame(rows)
    if frame.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in ("source", "paragraph", "text", "codes")})
    return frame


def _case_columns(cases: list[dict], source: _Source, selections: list[_Selection]) -> dict:
    guids = {s.guid for s in selections if s.guid}
    members = [c for c in cases if c["selections"] & guids or source.guid in c["sources"]]
    if not cases:
        return {}
    out: dict = {"case": "; ".join(c["name"] for c in members)}
    for case in members:
        for name, value in case["values"].items():
            out.setdefault(f"case_{name}" if name in _TAKEN else name, value)
    return out
