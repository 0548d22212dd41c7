"""Which text encoding a CSV/TSV/JSONL file is in: BOMs, UTF-8, a few bad bytes, or cp1252/latin-1.

* a byte-order mark decides (UTF-8, UTF-16 as Excel's "Unicode text", UTF-32);
* a file that decodes as UTF-8 is UTF-8;
* a file that is UTF-8 but for a few bytes (more lines with valid UTF-8 accents than lines with
  bad bytes) is read as UTF-8, the bad bytes become U+FFFD, and a warning names their lines;
* anything else is read as cp1252 (then latin-1), with a warning;
* an encoding the user names is checked: a file it cannot decode fails with the line.
"""
from __future__ import annotations

import codecs
import warnings
from dataclasses import dataclass
from pathlib import Path

from ..errors import EncodingFallbackWarning, InputError, option

__all__ = ["TextEncoding", "sniff_encoding", "detect_encoding"]

_FALLBACKS = ("cp1252", "latin-1")
_BOMS = (  # longest first: the UTF-32 LE BOM starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
_BLOCK = 1 << 20


@dataclass(frozen=True)
class TextEncoding:
    """How to decode a file: ``open(path, encoding=name, errors=errors)``."""

    name: str
    errors: str = "strict"


def _lines_listed(numbers: list[int], total: int) -> str:
    shown = ", ".join(str(n) for n in numbers[:5])
    more = f" and {total - 5} more" if total > 5 else ""
    return f"line{'s' if total > 1 else ''} {shown}{more}"


def _first_error(path: Path, encoding: str) -> tuple[int, UnicodeDecodeError] | None:
    """Byte offset and error of the first undecodable byte, or None when the file decodes."""
    decoder = codecs.getincrementaldecoder(encoding)()
    offset = 0
    with path.open("rb") as handle:
        while True:
            block = handle.read(_BLOCK)
            try:
                decoder.decode(block, final=not block)
            except UnicodeDecodeError as exc:
                # the decoder may hold up to 3 bytes of the previous block
                return max(offset + exc.start - 3, 0), exc
            if not block:
                return None
            offset += len(block)


def _line_of(path: Path, offset: int) -> int:
    with path.open("rb") as handle:
        return handle.read(offset + 4).count(b"\n") + 1


def _scan_utf8_lines(path: Path) -> tuple[list[int], int, int]:
    """(first bad line numbers, number of bad lines, lines with valid non-ASCII UTF-8)."""
    bad: list[int] = []
    n_bad = good = 0
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            if line.isascii():
                continue
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                n_bad += 1
                if len(bad) < 5:
                    bad.append(number)
            else:
                good += 1
    return bad, n_bad, good


def sniff_encoding(path: Path, requested: str | None = None) -> TextEncoding:
    """The encoding to read ``path`` with (see the module docstring); warns on fallbacks.

    Raises:
        InputError: ``requested`` is not a codec, or cannot decode the file (the line is named).
    """
    if requested:
        try:
            name = codecs.lookup(requested).name
        except LookupError:
            raise InputError(
                f"unknown encoding {requested!r}; use a Python codec name such as 'utf-8', "
                "'cp1252' or 'latin-1'"
            ) from None
        if name == "utf-8" and _starts_with(path, codecs.BOM_UTF8):
            requested = "utf-8-sig"
        failure = _first_error(path, requested)
        if failure is not None:
            offset, exc = failure
            where = f"line {_line_of(path, offset)}" if "\n".encode(requested) == b"\n" else f"byte {offset}"
            example = option("encoding='cp1252'", "--encoding cp1252")
            raise InputError(
                f"{path.name} is not valid {requested}: {where} has byte(s) "
                f"{exc.object[exc.start:exc.end].hex(' ')} that {requested} cannot decode; pass the "
                f"file's real encoding (e.g. {example}) or leave it out "
                "to detect it"
            )
        return TextEncoding(requested)
    with path.open("rb") as handle:
        head = handle.read(4)
    for bom, name in _BOMS:
        if head.startswith(bom):
            if _first_error(path, name) is not None:
                raise InputError(
                    f"{path.name} starts with a {name.upper()} byte-order mark but is not valid {name}; "
                    f"re-save it as UTF-8, or pass its encoding with {option('encoding=', '--encoding')}"
                )
            return TextEncoding(name)
    if _first_error(path, "utf-8") is None:
        return TextEncoding("utf-8")
    bad, n_bad, good = _scan_utf8_lines(path)
    if good >= n_bad:
        warnings.warn(
            f"{path.name} is UTF-8 except {_lines_listed(bad, n_bad)}, with bytes that are not UTF-8; "
            "those bytes were read as '\ufffd'. Fix them in the file, or pass the file's encoding with "
            f"{option('encoding=', '--encoding')} if it is not UTF-8",
            EncodingFallbackWarning,
            stacklevel=4,
        )
        return TextEncoding("utf-8", "replace")
    for name in _FALLBACKS:
        if _first_error(path, name) is None:
            warnings.warn(
                f"{path.name} is not valid UTF-8; read it as {name}. If characters look wrong, pass the "
                f"right encoding with {option('encoding=', '--encoding')}",
                EncodingFallbackWarning,
                stacklevel=4,
            )
            return TextEncoding(name)
    raise InputError(f"cannot decode {path.name}; pass its encoding with {option('encoding=', '--encoding')}")  # latin-1 decodes anything


def _starts_with(path: Path, prefix: bytes) -> bool:
    with path.open("rb") as handle:
        return handle.read(len(prefix)) == prefix


def detect_encoding(path: Path, requested: str | None = None) -> str:
    """Name of the encoding of a text file (see :func:`sniff_encoding`)."""
    return sniff_encoding(Path(path), requested).name
