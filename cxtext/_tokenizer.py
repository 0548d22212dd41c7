"""spaCy's tokenizer for one whitespace-free chunk, run from its rules in plain Python.

The sentence splitter (:mod:`cxtext.segment`) needs spaCy's tokens of the chunks that hold a
sentence-final character, and nothing else of spaCy. Importing spaCy and building its blank
pipelines costs about 1.5 s at every start, more than tagging the first thousand comments. So
the rules spaCy's tokenizer follows (prefix, suffix and infix patterns, the URL pattern, the
special cases) are exported once from the installed spaCy into ``data/tokenizer.json``, and
:class:`ChunkTokenizer` applies them with the algorithm of spaCy's ``Tokenizer`` (its Cython
``_split_affixes``, ``_attach_tokens`` and special-case pass, restricted to one chunk).

The file is used only when the installed spaCy is the version it was exported from
(:func:`chunk_tokenizer` returns ``None`` otherwise, and the splitter asks spaCy itself). After
a spaCy upgrade, export it again::

    python -m cxtext._tokenizer

``tests/test_tokenizer.py`` checks that the file holds the installed spaCy's rules and that the
tokens agree with spaCy's on real texts and on generated tricky chunks.
"""
from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache
from importlib import metadata, resources

__all__ = ["ChunkTokenizer", "chunk_tokenizer", "export_rules", "is_punct", "spacy_language"]

#: the pipelines whose rules are shipped; any other language uses spaCy's multi-language ``xx``
RULE_LANGUAGES = ("es", "it", "pt", "en", "xx")
_RULES_FILE = "tokenizer.json"


def spacy_language(lang: str) -> str:
    """The spaCy pipeline a cxtext language code splits with (``und`` and others: ``xx``)."""
    return lang if lang in RULE_LANGUAGES else "xx"


def is_punct(text: str) -> bool:
    """spaCy's ``Token.is_punct``: every character is Unicode punctuation (``spacy.lang.lex_attrs``)."""
    return all(unicodedata.category(char).startswith("P") for char in text)


class ChunkTokenizer:
    """Token texts of a chunk (text without whitespace), as ``spacy.blank(lang).tokenizer`` gives them.

    Args:
        rules: one language's entry of the exported rules (:func:`export_rules`).

    Example:
        >>> tokenizer = chunk_tokenizer("en")
        >>> tokenizer is None or tokenizer.tokens("(great!)") == ["(", "great", "!", ")"]
        True
    """

    def __init__(self, rules: dict) -> None:
        self.prefix_search = re.compile(rules["prefix"]).search
        self.suffix_search = re.compile(rules["suffix"]).search
        self.infix_finditer = re.compile(rules["infix"]).finditer
        self.url_match = re.compile(rules["url"]).match
        self.specials: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in rules["specials"].items()}
        self.punct_chars = frozenset(rules["punct_chars"])
        # spaCy re-applies, after splitting, the special cases that contain an affix (its
        # "faster heuristics"): their affix-split tokens -> the special case's text
        self.affixed_specials: dict[tuple[str, ...], str] = {}
        for special in sorted(self.specials):
            if any(c.isspace() for c in special):
                continue  # spans whitespace: texts holding one go through spaCy (see segment)
            if self._find_prefix(special) or self._find_suffix(special) or list(self.infix_finditer(special)):
                self.affixed_specials.setdefault(tuple(self._split(special, specials=False)), special)
        self.longest_affixed = max(map(len, self.affixed_specials), default=0)

    def _find_prefix(self, string: str) -> int:
        match = self.prefix_search(string)
        return match.end() - match.start() if match is not None else 0

    def _find_suffix(self, string: str) -> int:
        match = self.suffix_search(string)
        return match.end() - match.start() if match is not None else 0

    def tokens(self, chunk: str) -> list[str]:
        """The token texts of ``chunk``, in order (they concatenate to ``chunk``)."""
        special = self.specials.get(chunk)
        tokens = list(special) if special is not None else self._split(chunk, specials=True)
        return self._special_cases(tokens)

    def _split(self, string: str, specials: bool) -> list[str]:
        """spaCy's ``_split_affixes`` then ``_attach_tokens`` (no token_match in these languages)."""
        prefixes: list[str] = []
        suffixes: list[str] = []
        last_size = 0
        while string and len(string) != last_size:
            if specials and string in self.specials:
                break
            last_size = len(string)
            pre_len = self._find_prefix(string)
            if pre_len:
                prefix, minus_pre = string[:pre_len], string[pre_len:]
                if minus_pre and specials and minus_pre in self.specials:
                    string = minus_pre
                    prefixes.append(prefix)
                    break
            suf_len = self._find_suffix(string[pre_len:])
            if suf_len:
                suffix, minus_suf = string[-suf_len:], string[:-suf_len]
                if minus_suf and specials and minus_suf in self.specials:
                    string = minus_suf
                    suffixes.append(suffix)
                    break
            if pre_len and suf_len and pre_len + suf_len <= len(string):
                string = string[pre_len:-suf_len]
                prefixes.append(prefix)
                suffixes.append(suffix)
            elif pre_len:
                string = minus_pre
                prefixes.append(prefix)
            elif suf_len:
                string = minus_suf
                suffixes.append(suffix)
        tokens = prefixes
        if string:
            if specials and string in self.specials:
                tokens.extend(self.specials[string])
            elif self.url_match(string):
                tokens.append(string)
            else:
                tokens.extend(self._infixes(string))
        tokens.extend(reversed(suffixes))
        return tokens

    def _infixes(self, string: str) -> list[str]:
        pieces, start = [], 0
        for match in self.infix_finditer(string):
            infix_start, infix_end = match.span()
            if infix_start == 0:
                continue
            if infix_start != start:
                pieces.append(string[start:infix_start])
            if infix_start != infix_end:
                pieces.append(string[infix_start:infix_end])
            start = infix_end
        if string[start:]:
            pieces.append(string[start:])
        return pieces

    def _special_cases(self, tokens: list[str]) -> list[str]:
        """spaCy's ``_apply_special_cases``: affixed special cases found among the tokens, the
        longest (then the earliest) first, without overlaps, are replaced by their own tokens."""
        found = []
        for start in range(len(tokens)):
            for end in range(start + 1, min(len(tokens), start + self.longest_affixed) + 1):
                if tuple(tokens[start:end]) in self.affixed_specials:
                    found.append((start, end))
        if not found:
            return tokens
        found.sort(key=lambda span: (span[1] - span[0], -span[0]))
        seen: set[int] = set()
        kept = []
        for start, end in reversed(found):
            if start not in seen and end - 1 not in seen:
                kept.append((start, end))
            seen.update(range(start, end))
        result, i = [], 0
        for start, end in sorted(kept):
            result.extend(tokens[i:start])
            result.extend(self.specials.get("".join(tokens[start:end]), tokens[start:end]))
            i = end
        result.extend(tokens[i:])
        return result


@lru_cache(maxsize=1)
def _shipped_rules() -> dict:
    path = resources.files("cxtext") / "data" / _RULES_FILE
    return json.loads(path.read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def chunk_tokenizer(lang: str) -> ChunkTokenizer | None:
    """The shipped rules of ``lang``'s pipeline, or ``None`` when they are not the installed
    spaCy's (another version: ask spaCy)."""
    rules = _shipped_rules()
    try:
        installed = metadata.version("spacy")
    except metadata.PackageNotFoundError:
        return None
    if rules["spacy"] != installed:
        return None
    return ChunkTokenizer({**rules["languages"][spacy_language(lang)], "url": rules["url"],
                           "punct_chars": rules["punct_chars"]})


def export_rules() -> dict:
    """The installed spaCy's tokenizer rules of :data:`RULE_LANGUAGES`, as ``data/tokenizer.json`` holds them."""
    import spacy
    from spacy.pipeline.sentencizer import Sentencizer
    from spacy.symbols import ORTH

    languages, urls = {}, set()
    for lang in RULE_LANGUAGES:
        tokenizer = spacy.blank(lang).tokenizer
        if tokenizer.token_match is not None:
            raise ValueError(f"spaCy's {lang!r} tokenizer has a token_match, which ChunkTokenizer does not run")
        urls.add(tokenizer.url_match.__self__.pattern)
        languages[lang] = {
            "prefix": tokenizer.prefix_search.__self__.pattern,
            "suffix": tokenizer.suffix_search.__self__.pattern,
            "infix": tokenizer.infix_finditer.__self__.pattern,
            "specials": {k: [t[ORTH] for t in v] for k, v in sorted(tokenizer.rules.items())},
        }
    if len(urls) != 1:
        raise ValueError("spaCy's languages have different URL patterns; ChunkTokenizer expects one")
    return {"spacy": spacy.__version__, "punct_chars": list(Sentencizer.default_punct_chars),
            "url": urls.pop(), "languages": languages}


if __name__ == "__main__":  # python -m cxtext._tokenizer: export the installed spaCy's rules
    target = resources.files("cxtext") / "data" / _RULES_FILE
    with resources.as_file(target) as path:
        path.write_text(json.dumps(export_rules(), ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
        print(f"wrote {path}")
