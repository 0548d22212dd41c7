"""Word (.docx) transcripts via python-docx.

Paragraphs (and table rows, in document order) become lines for the plain-text parser.
A speaker label in bold type at the start of a paragraph (``**Ana:** text``, ``**Ana** text``)
counts as strong evidence; labels written in the paragraph text follow the plain-text rules.
Table rows with two or three cells are read as ``speaker | text`` or ``time | speaker | text``
(``speaker | time | text``). Line numbers in errors are paragraph numbers.
"""
from __future__ import annotations

import zipfile
from collections.abc import Iterable
from pathlib import Path

from ..errors import MissingDependencyError, TranscriptError
from ._model import Cue
from ._plain import Line, parse_lines
from ._time import parse_timestamp

__all__ = ["parse_docx"]


def _bold_prefix(paragraph) -> tuple[str | None, str]:  # noqa: ANN001 - docx Paragraph
    """Bold text at the start of a paragraph (a label) and the text after it."""
    runs = list(paragraph.runs)
    prefix = []
    i = 0
    while i < len(runs) and (runs[i].bold or not runs[i].text.strip()):
        if runs[i].bold or prefix:
            prefix.append(runs[i].text)
        i += 1
    label = "".join(prefix).strip()
    rest = "".join(r.text for r in runs[i:]).strip()
    if not label:
        return None, paragraph.text
    if label.endswith(":") or rest.startswith(":"):
        return label.rstrip(":").strip(), rest.lstrip(":").strip()
    if not rest:  # a whole bold paragraph: a header line, judged like plain text
        return None, paragraph.text
    if len(label.split()) <= 5 and not label[-1:] in ".!?,":
        return label, rest
    return None, paragraph.text


_HEADER_CELLS = frozenset(
    "text transcript transcription utterance content texto testo transcripción trascrizione "
    "transcrição contenido conteúdo contenuto".split()
)


def _row_line(cells: list[str], number: int) -> Line | None:
    cells = [c.strip() for c in cells]
    if cells and cells[-1].casefold() in _HEADER_CELLS:  # a header row "Speaker | Text"
        return None
    if len(cells) == 2 and cells[0] and cells[1]:
        return Line(f"{cells[0]}: {cells[1]}", number, bold_label=cells[0], rest=cells[1])
    if len(cells) == 3 and cells[2]:
        for time, speaker in ((cells[0], cells[1]), (cells[1], cells[0])):
            seconds = parse_timestamp(time)
            if seconds is not None and speaker:
                return Line(f"{speaker}: {cells[2]}", number, bold_label=speaker, rest=cells[2], start=seconds)
    text = " ".join(c for c in cells if c)
    return Line(text, number) if text else None


def parse_docx(path: str | Path, known_speakers: Iterable[str] = ()) -> list[Cue]:
    """Cues of a .docx transcript.

    Example:
        >>> cues = parse_docx("interview.docx")  # doctest: +SKIP
    """
    try:
        import docx
        from docx.opc.exceptions import PackageNotFoundError
        from docx.table import Table
        from docx.text.paragraph import Paragraph
    except ImportError:  # pragma: no cover - python-docx is a core dependency
        raise MissingDependencyError("reading .docx transcripts", "docx", "python-docx") from None
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise TranscriptError(
            path, None, f"not a valid Word .docx file ({type(exc).__name__}: {exc}); "
            "save it again as .docx (not .doc or .rtf) or export it as .txt",
        ) from None
    lines: list[Line] = []
    number = 0
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            number += 1
            paragraph = Paragraph(child, document)
            label, rest = _bold_prefix(paragraph)
            lines.append(Line(paragraph.text, number, bold_label=label, rest=rest if label else ""))
        elif tag == "tbl":
            for row in Table(child, document).rows:
                number += 1
                cells = []
                for cell in row.cells:  # merged cells repeat: keep each once
                    if not cells or cell.text != cells[-1]:
                        cells.append(cell.text)
                line = _row_line(cells, number)
                if line:
                    lines.append(line)
                lines.append(Line("", number))
    return parse_lines(lines, known_speakers)
