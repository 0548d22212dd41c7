"""One transcript file -> cues: decoding and the choice of parser."""
from __future__ import annotations

import codecs
import warnings
from collections.abc import Iterable
from pathlib import Path

from ..errors import EncodingFallbackWarning, TranscriptError
from ._docx import parse_docx
from ._markup import split_markup
from ._model import Cue
from ._plain import parse_plain_text
from ._subtitles import looks_like_subtitles, parse_subtitles

__all__ = ["TRANSCRIPT_EXTENSIONS", "decode", "read_cues"]

#: File extensions read as transcripts.
TRANSCRIPT_EXTENSIONS: tuple[str, ...] = (".txt", ".vtt", ".srt", ".docx")


def decode(data: bytes, file: str) -> str:
    """Text of a transcript file: BOMs (UTF-8/16) honoured, CRLF/CR -> LF, cp1252 as fallback."""
    if b"\x00" in data[:4000] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise TranscriptError(file, None, "looks like a binary file, not a text transcript; export it as .txt, .vtt, .srt or .docx")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            warnings.warn(
                f"{file} is not UTF-8; read it as Windows-1252 (cp1252). Save it as UTF-8 if accents look wrong.",
                EncodingFallbackWarning,
                stacklevel=3,
            )
            text = data.decode("cp1252", errors="replace")
    return text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")


def read_cues(path: str | Path, known_speakers: Iterable[str] = ()) -> list[Cue]:
    """Cues of one transcript; the format follows the extension (and the content for .txt).

    Non-speech markup (``[laughter]``, ``{vocalsound}``) is moved from each cue's text to its
    ``nonspeech`` list (see :mod:`~._markup`).

    Raises:
        TranscriptError: the file cannot be parsed or holds no text.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    known = list(known_speakers)
    if suffix == ".docx":
        cues = parse_docx(path, known)
    else:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise TranscriptError(path, None, f"cannot open the file ({exc.strerror})") from None
        text = decode(data, str(path))
        kind = "vtt" if suffix == ".vtt" else "srt" if suffix == ".srt" else looks_like_subtitles(text)
        if kind:
            cues = parse_subtitles(text, str(path), known)
            if not cues and text.strip():
                raise TranscriptError(
                    path, 1, "no caption cues found; a cue is a timing line such as "
                    "'00:00:01.000 --> 00:00:04.000' followed by its text",
                )
        else:
            cues = parse_plain_text(text, known)
    if not cues:
        raise TranscriptError(path, None, "the file contains no text")
    for cue in cues:
        cue.text, cue.nonspeech = split_markup(cue.text)
    return cues
