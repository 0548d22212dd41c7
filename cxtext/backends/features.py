"""Shared text features for the ``lexicon`` and ``fast`` backends.

One pass over each text gives two things:

* **lexicon cues** (a small dense vector): polarity sums from the per-language lexicons in
  ``cxtext/data/lexicons``, with negation scope (``no es bueno``), intensifiers (``muy``),
  diminishers (``poco``), contrast (``pero``/``ma``/``mas``/``but``: the clause after the marker
  carries the verdict), emoji and emoticons, elongations (``buenísimooo``), ALL-CAPS and
  exclamation marks, Plutchik-8 emotion cues, and price levels (a level word beside a price word
  in one clause, ``el precio es muy alto``, is the token ``=price_high`` with a negative polarity;
  ``low fees`` is ``=price_low``; the words are ``price_level`` in ``rules.json``);
* **tokens** for the linear model: normalised words (prefixed ``n:`` inside a negation scope),
  emoji and emoticons.

Normalisation: lower case, accents stripped (``não`` -> ``nao``), URLs and user mentions replaced
by placeholders, letters repeated three or more times cut to two, fixed multi-word expressions
joined with ``_`` (``sin embargo`` -> ``sin_embargo``). Lookups are cached per token, so a
batch costs one dictionary look-up per token once the common vocabulary has been seen.

Example:
    >>> feats = TextFeatures()
    >>> cues, tokens = feats.extract(["no es bueno"], ["es"])
    >>> float(cues[0, CUE_NAMES.index("compound")]) < 0
    True
    >>> tokens[0]
    ['no', 'n:es', 'n:bueno']
"""
from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources

import numpy as np

from ..schema import EMOTIONS, LANGUAGES

__all__ = ["CUE_NAMES", "TextFeatures", "TokenHasher", "normalize", "load_lexicon"]

#: Names of the dense lexicon cues, in column order.
CUE_NAMES: tuple[str, ...] = (
    "pos_sum", "neg_sum", "n_pos", "n_neg", "negated_pos", "negated_neg",
    "contrast", "pos_after_contrast", "neg_after_contrast", "emoji_pos", "emoji_neg",
    "exclamations", "questions", "elongations", "all_caps", "compound", "n_tokens",
) + tuple(f"emo_{e}" for e in EMOTIONS)

_EMO_INDEX = {e: i for i, e in enumerate(EMOTIONS)}
_N_SCALAR = -0.74  # polarity multiplier inside a negation scope (VADER's value)
_NEG_SCOPE = 3  # words a negator reaches
_INTENSIFY = 0.5  # added/subtracted fraction for intensifiers/diminishers
_BEFORE_CONTRAST = 0.5
_AFTER_CONTRAST = 1.5

_URL_RE = re.compile(r"https?://\S+|www\.\S+")
_USER_RE = re.compile(r"@\w+")
_ELONG_RE = re.compile(r"(\w)\1\1+")  # a letter three or more times (twice as fast as \1{2,})
_ACCENT_RE = re.compile(r"[\u0300-\u036f]")
_STRIP_RE = re.compile(r"[\ufe0f\u200d\U0001F3FB-\U0001F3FF]")
# an apostrophe between letters; the look-behind after the quote lets the engine skip to quotes
_APOS_RE = re.compile(r"['’](?<=\w['’])(?=\w)")
_EMOJI = (
    "\U0001F300-\U0001F3FA\U0001F400-\U0001FAFF\u2600-\u27BF\u2B50\u2B55\u2190-\u21FF"
    "\u2300-\u23FF\u2B00-\u2BFF"
)
_TOKEN_RE = re.compile(
    r"(?<![\w:;=])(?:>?[:;=][\-']?[\)\]\(\[dpo/\\|@*]+|</?3+)(?![\w])"  # emoticons
    rf"|[{_EMOJI}]"  # one emoji
    r"|#?\w+"  # words and hashtags
    r"|[!?]+"  # exclamation/question runs
    r"|[.,;:]"  # clause punctuation (ends a negation scope)
)


_PLAIN = (0, 0.0, ())
_CAPS_RE = re.compile(r"(?<!\w)[A-ZÁÉÍÓÚÀÈÌÒÙÂÊÔÃÕÇÑÜ]{3,}(?!\w)")
# whitespace runs other than one plain space (those need no replacing), newlines excepted
_SPACES_RE = re.compile(r"[^\S\n]{2,}|[^\S\n ]")


def _count_per_line(text: str, pattern: re.Pattern, n_lines: int) -> np.ndarray:
    """Matches of ``pattern`` per ``\\n``-separated line of ``text``."""
    starts = [m.start() for m in pattern.finditer(text)]
    if not starts:
        return np.zeros(n_lines, dtype=np.int64)
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    newlines = np.flatnonzero(codes == 10)
    return np.bincount(np.searchsorted(newlines, starts), minlength=n_lines)


def _normalize_lines(text: str, lang: str) -> str:
    """:func:`normalize` applied to every ``\\n``-separated line at once."""
    text = _URL_RE.sub(" url ", text)
    text = _USER_RE.sub("@user", text)
    text = _STRIP_RE.sub("", text)
    text = _strip_accents(text.lower())
    text = _APOS_RE.sub("" if lang == "en" else " ", text)
    text = _ELONG_RE.sub(r"\1\1", text)
    return _SPACES_RE.sub(" ", text)


def _strip_accents(text: str) -> str:
    return unicodedata.normalize("NFC", _ACCENT_RE.sub("", unicodedata.normalize("NFD", text)))


def normalize(text: str, lang: str = "en") -> str:
    """Lower-case, accent-free, placeholder-masked form of ``text`` used for matching.

    Example:
        >>> normalize("¡Buenísimooo! @ana http://x.co", "es")
        '¡buenisimoo! @user url'
    """
    return " ".join(_normalize_lines(text.replace("\n", " "), lang).split())


@dataclass(frozen=True)
class _Entry:
    polarity: float
    emotions: tuple[int, ...]


def _read_tsv(name: str) -> dict[str, _Entry]:
    path = resources.files("cxtext") / "data" / "lexicons" / name
    out: dict[str, _Entry] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        term, pol, emo = (line.split("\t") + ["", ""])[:3]
        emotions = tuple(_EMO_INDEX[e] for e in emo.split(";") if e)
        out[_strip_accents(term.lower()).replace(" ", "_")] = _Entry(float(pol), emotions)
    return out


def load_lexicon(lang: str) -> dict[str, tuple[float, tuple[str, ...]]]:
    """The shipped lexicon of ``lang`` as ``{term: (polarity, emotions)}``; ``*`` marks a prefix.

    Example:
        >>> load_lexicon("it")["ottim*"][0]
        3.0
    """
    return {
        term: (entry.polarity, tuple(EMOTIONS[i] for i in entry.emotions))
        for term, entry in _read_tsv(f"{lang}.tsv").items()
    }


class _Language:
    """Look-up tables of one language, with a per-token cache."""

    def __init__(self, lang: str, rules: dict, emoji: dict[str, _Entry]) -> None:
        lexicon: dict[str, _Entry] = {}
        for extra in rules.get("extra_lexicons", {}).get(lang, []):
            lexicon.update(_read_tsv(extra))
        lexicon.update(_read_tsv(f"{lang}.tsv"))  # the hand-written entries win
        self.exact = {t: e for t, e in lexicon.items() if not t.endswith("*")}
        self.prefix = {t[:-1]: e for t, e in lexicon.items() if t.endswith("*")}
        self.emoji = emoji

        def words(key: str) -> set[str]:
            return {_strip_accents(w.lower()).replace(" ", "_") for w in rules[key][lang]}

        self.negators = words("negators")
        self.intensifiers = words("intensifiers")
        self.diminishers = words("diminishers")
        self.contrast = words("contrast")
        level = rules["price_level"]
        self.price_nouns = set(level["nouns"][lang])
        self.levels = {w: "high" for w in level["high"][lang]} | {w: "low" for w in level["low"][lang]}
        self.level_polarity = {k: float(v) for k, v in level["polarity"].items()}
        self.level_after, self.level_before = int(level["after"]), int(level["before"])
        phrases = sorted(
            {w for w in set(self.exact) | self.negators | self.contrast if "_" in w},
            key=len,
            reverse=True,
        )
        self.phrase_re = (
            re.compile(r"\b(" + "|".join(re.escape(p.replace("_", " ")) for p in phrases) + r")\b")
            if phrases
            else None
        )
        self.cache: dict[str, tuple[int, float, tuple[int, ...]]] = {}

    def lookup(self, token: str) -> tuple[int, float, tuple[int, ...]]:
        """(kind, polarity, emotions); kind 0 plain, 1 negator, 2 intensifier, 3 diminisher,
        4 contrast, 5 punctuation, 6 emoji/emoticon cue, 7 lexicon word, 8 price word, 9 level
        word (``alto``, ``low``: see ``price_level`` in ``rules.json``). Kinds 8 and 9 carry the
        word's lexicon polarity, which applies where no price level is read."""
        hit = self.cache.get(token)
        if hit is not None:
            return hit
        hit = self._lookup(token)
        if len(self.cache) > 200_000:
            self.cache.clear()
        self.cache[token] = hit
        return hit

    def _lookup(self, token: str) -> tuple[int, float, tuple[int, ...]]:
        if token in self.negators:
            return (1, 0.0, ())
        if token in self.contrast:
            return (4, 0.0, ())
        if token in self.intensifiers:
            return (2, 0.0, ())
        if token in self.diminishers:
            return (3, 0.0, ())
        hit = self._lexicon_hit(token)
        if token in self.price_nouns:
            return (8, hit[1], hit[2])
        if token in self.levels:
            return (9, hit[1], hit[2])
        return hit

    def _lexicon_hit(self, token: str) -> tuple[int, float, tuple[int, ...]]:
        entry = self.emoji.get(token)
        if entry is not None:
            return (6, entry.polarity, entry.emotions)
        if token[0] in ".,;:!?":
            return (5, 0.0, ())
        word = token.lstrip("#")
        candidates = [word]
        single = re.sub(r"(\w)\1", r"\1", word)
        if single != word:
            candidates.append(single)
        for cand in candidates:
            entry = self.exact.get(cand)
            if entry is None:
                for end in range(len(cand), 2, -1):
                    entry = self.prefix.get(cand[:end])
                    if entry is not None:
                        break
            if entry is not None:
                boost = 1.5 if re.search(r"(isim|issim)[oaie]s?$", cand) else 1.0
                return (7, entry.polarity * boost, entry.emotions)
        return _PLAIN


class TextFeatures:
    """Tokenises texts and computes lexicon cues per language (see module docstring).

    Args:
        languages: languages to load tables for (others fall back to ``en``).

    Example:
        >>> cues, tokens = TextFeatures().extract(["Great, but the staff was rude 😡"], ["en"])
        >>> float(cues[0, CUE_NAMES.index("compound")]) < 0
        True
    """

    def __init__(self, languages: Sequence[str] = LANGUAGES) -> None:
        base = resources.files("cxtext") / "data" / "lexicons"
        rules = json.loads((base / "rules.json").read_text(encoding="utf-8"))
        emoji = _read_tsv("emoji.tsv")
        self._langs = {lang: _Language(lang, rules, emoji) for lang in languages}

    def _table(self, lang: str) -> _Language:
        table = self._langs.get(lang)
        return table if table is not None else self._langs.get("en") or next(iter(self._langs.values()))

    def extract(
        self, texts: Sequence[str], langs: Sequence[str]
    ) -> tuple[np.ndarray, list[list[str]]]:
        """Lexicon cues (``len(texts)`` x ``len(CUE_NAMES)`` float32) and token lists.

        Texts of one language are normalised together (one regex pass over the joined batch).
        """
        cues = np.zeros((len(texts), len(CUE_NAMES)), dtype=np.float32)
        tokens: list[list[str]] = [[] for _ in texts]
        groups: dict[str, list[int]] = {}
        for i, lang in enumerate(langs):
            groups.setdefault(lang, []).append(i)
        for lang, idx in groups.items():
            table = self._table(lang)
            raws = [(texts[i] if isinstance(texts[i], str) else "").replace("\n", " ") for i in idx]
            joined = "\n".join(raws)
            caps = _count_per_line(joined, _CAPS_RE, len(idx))
            elong = _count_per_line(joined.lower(), _ELONG_RE, len(idx))
            norm = _normalize_lines(joined, lang)
            if table.phrase_re is not None:
                norm = table.phrase_re.sub(lambda m: m.group(0).replace(" ", "_"), norm)
            docs = norm.split("\n")
            if len(docs) != len(idx):  # pragma: no cover - guarded by construction
                raise RuntimeError("normalisation changed the number of lines")
            for j, i in enumerate(idx):
                tokens[i] = self._one(docs[j], table, cues[i], int(caps[j]), int(elong[j]))
        return cues, tokens

    def _one(self, norm: str, table: _Language, row: np.ndarray, caps: int, elongations: int) -> list[str]:
        raw_tokens = _TOKEN_RE.findall(norm)
        out: list[str] = []
        scores: list[float] = []  # weighted polarity per cue, in order
        emo = row[len(CUE_NAMES) - len(EMOTIONS):]
        neg_left = 0
        boost = 0.0
        boost_left = 0
        last_contrast = -1
        pos = neg = npos = nneg = negpos = negneg = epos = eneg = 0.0
        exclam = quest = 0
        price_at = -1  # index in ``out`` of the clause's last price word
        cache = table.cache
        append = out.append
        for i, tok in enumerate(raw_tokens):
            hit = cache.get(tok)
            if hit is None:
                hit = table.lookup(tok)
            if hit is _PLAIN and not neg_left and not boost_left:
                append(tok)
                continue
            kind, pol, emotions = hit
            if kind == 5:
                exclam += tok.count("!")
                quest += tok.count("?")
                neg_left = 0
                boost_left = 0
                price_at = -1
                continue
            if kind == 4:
                last_contrast = len(scores)
                neg_left = 0
                price_at = -1
                out.append(tok)
                continue
            if kind == 8:
                price_at = len(out)
            elif kind == 9 and (
                (price_at >= 0 and len(out) - price_at <= table.level_after) or _price_follows(raw_tokens, i, table)
            ):
                level = table.levels[tok]
                tok, pol, emotions = "=price_" + level, table.level_polarity[level], ()
            if kind == 1:
                neg_left = _NEG_SCOPE
                out.append(tok)
                continue
            if kind in (2, 3):
                boost = _INTENSIFY if kind == 2 else -_INTENSIFY
                boost_left = 2
                out.append(tok)
                continue
            if kind == 6:  # emoji/emoticons are not negated and end the scope
                neg_left = 0
            negated = neg_left > 0
            out.append("n:" + tok if negated else tok)
            if neg_left:
                neg_left -= 1
            if pol or emotions:
                value = pol
                if boost_left and pol:
                    value *= 1.0 + boost
                if negated:
                    value *= _N_SCALAR
                    if pol > 0:
                        negpos += 1
                    elif pol < 0:
                        negneg += 1
                elif emotions:
                    for e in emotions:
                        emo[e] += 1.0
                if kind == 6:
                    if value > 0:
                        epos += value
                    elif value < 0:
                        eneg -= value
                scores.append(value)
            if boost_left:
                boost_left -= 1
        if last_contrast >= 0:
            row[CUE_NAMES.index("contrast")] = 1.0
            for j in range(len(scores)):
                scores[j] *= _BEFORE_CONTRAST if j < last_contrast else _AFTER_CONTRAST
            after = scores[last_contrast:]
            row[7] = sum(s for s in after if s > 0)
            row[8] = -sum(s for s in after if s < 0)
        for s in scores:
            if s > 0:
                pos += s
                npos += 1
            elif s < 0:
                neg -= s
                nneg += 1
        total = pos - neg
        if total and exclam:
            total += math.copysign(0.3 * min(exclam, 4), total)
        row[0], row[1], row[2], row[3], row[4], row[5] = pos, neg, npos, nneg, negpos, negneg
        row[9], row[10] = epos, eneg
        row[11], row[12], row[13], row[14] = min(exclam, 5), min(quest, 5), elongations, caps
        row[15] = total / math.sqrt(total * total + 15.0) if total else 0.0
        row[16] = len(out)
        return out


def _price_follows(raw_tokens: list[str], i: int, table: _Language) -> bool:
    """Whether a price word follows the level word ``raw_tokens[i]`` closely in its clause
    (``altos precios``, ``high fees``)."""
    for tok in raw_tokens[i + 1 : i + 1 + table.level_before]:
        kind = table.lookup(tok)[0]
        if kind == 8:
            return True
        if kind in (4, 5):
            return False
    return False


def _murmurhash():  # noqa: ANN202 - murmurhash3_32(key, seed, positive) of scikit-learn
    """scikit-learn's ``murmurhash3_32`` (MurmurHash3 x86 32-bit of the UTF-8 key), from ``mmh3``
    when installed: the same numbers without importing scikit-learn (about 0.5 s at start-up)."""
    global _MURMUR
    if _MURMUR is None:
        try:
            import mmh3
        except ImportError:  # pragma: no cover - mmh3 is a dependency
            from sklearn.utils import murmurhash3_32 as _MURMUR
        else:
            hash_bytes = mmh3.hash

            def _MURMUR(key: str, seed: int = 0, positive: bool = True) -> int:  # noqa: N802
                # encoded here: a lone surrogate raises UnicodeEncodeError, as in scikit-learn
                return hash_bytes(key.encode("utf-8"), seed, not positive)

            _MURMUR.bytes_hash = hash_bytes  # for TokenHasher's loop: the same numbers, one call less
    return _MURMUR


_MURMUR = None


def _positive_hashes(keys: list[str]) -> list[int]:
    """``murmurhash3_32(key, seed=0, positive=True)`` of each key; with mmh3, called on the UTF-8
    bytes directly (the same numbers, one Python call less per key: TokenHasher's hot loop)."""
    murmur = _murmurhash()
    raw = getattr(murmur, "bytes_hash", None)
    if raw is not None:
        return [raw(key.encode("utf-8"), 0, False) for key in keys]
    return [int(murmur(key, seed=0, positive=True)) for key in keys]


class TokenHasher:
    """Hashed bag of words, word bigrams and character n-grams, as a sparse matrix.

    Each token is hashed once (MurmurHash3, cached): its word feature (``n:``-marked inside a
    negation scope) and the character n-grams of ``<word>`` (in separate columns when negated); bigram columns are combined
    from the two word hashes with integer arithmetic on whole batches. Rows are binary and
    L2-normalised. The output depends only on the parameters, so a model stores just them.

    Args:
        n_features: number of hash columns (a power of two).
        char_ngrams: ``(min_n, max_n)`` of character n-grams, or ``None`` for none.
        bigrams: add word bigrams.

    Example:
        >>> X = TokenHasher(n_features=2**10).transform([["muy", "bueno"], []])
        >>> X.shape, X[1].nnz
        ((2, 1024), 0)
    """

    def __init__(
        self,
        n_features: int = 2**18,
        char_ngrams: tuple[int, int] | None = (3, 5),
        bigrams: bool = True,
    ) -> None:
        self.n_features = int(n_features)
        self.char_ngrams = tuple(char_ngrams) if char_ngrams else None
        self.bigrams = bool(bigrams)
        self._cache: dict[str, tuple[int, np.ndarray]] = {}

    def params(self) -> dict:
        """The parameters that define the columns (stored with a model)."""
        return {
            "n_features": self.n_features,
            "char_ngrams": list(self.char_ngrams) if self.char_ngrams else None,
            "bigrams": self.bigrams,
            "hash": "murmurhash3_32 seed 0",
        }

    def _token(self, token: str) -> tuple[int, np.ndarray]:
        keys = ["w:" + token]
        negated = token.startswith("n:")
        base = token[2:] if negated else token
        prefix = "nc:" if negated else "c:"  # negated words get their own n-gram columns
        if self.char_ngrams and len(base) > 1 and base[0].isalnum():
            padded = f"<{base}>"
            lo, hi = self.char_ngrams
            grams = {
                padded[i : i + k]
                for k in range(lo, hi + 1)
                for i in range(0, max(len(padded) - k + 1, 0))
            }
            keys.extend(prefix + g for g in grams)
        hashes = _positive_hashes(keys)
        word_hash, n = hashes[0], self.n_features
        cols = [h % n for h in hashes]
        # an int32 array: a quarter of the memory of a tuple of Python ints, and one copy per batch
        hit = (word_hash, np.array(cols, dtype=np.int32))
        if len(self._cache) > 300_000:
            self._cache.clear()
        self._cache[token] = hit
        return hit

    def transform(self, tokens: Sequence[Sequence[str]]):
        """CSR matrix (``len(tokens)`` x ``n_features``) of float32.

        Vectorised: the batch's distinct tokens get a (tokens x columns) matrix from the cache,
        and a sparse product with the (texts x tokens) matrix gives the word and character
        n-gram columns; bigram columns are computed from the word hashes with numpy.
        """
        from scipy import sparse

        n_docs, n = len(tokens), self.n_features
        index: dict[str, int] = {}
        setdefault = index.setdefault
        ids = [setdefault(t, len(index)) for toks in tokens for t in toks]
        lens = np.fromiter((len(toks) for toks in tokens), dtype=np.int64, count=n_docs)
        cache = self._cache
        hits = [cache.get(t) or self._token(t) for t in index]
        word_hash = np.fromiter((h[0] for h in hits), dtype=np.uint64, count=len(hits))
        col_lens = np.fromiter((len(h[1]) for h in hits), dtype=np.int64, count=len(hits))
        cols = np.concatenate([h[1] for h in hits]) if hits else np.zeros(0, dtype=np.int32)
        token_cols = sparse.csr_matrix(
            (np.ones(len(cols), dtype=np.float32), cols, np.concatenate([[0], np.cumsum(col_lens)])),
            shape=(len(hits), n),
        )
        id_arr = np.asarray(ids, dtype=np.int64)
        doc = np.repeat(np.arange(n_docs, dtype=np.int64), lens)
        doc_tokens = sparse.csr_matrix(
            (np.ones(len(id_arr), dtype=np.float32), (doc, id_arr)), shape=(n_docs, len(hits))
        )
        X = (doc_tokens @ token_cols).tocsr()
        if self.bigrams and len(id_arr) > 1:
            w = word_hash[id_arr]
            same = doc[:-1] == doc[1:]
            big = ((w[:-1] * np.uint64(1_000_003) + w[1:] + np.uint64(7)) % np.uint64(n)).astype(np.int64)
            B = sparse.csr_matrix(
                (np.ones(int(same.sum()), dtype=np.float32), (doc[:-1][same], big[same])),
                shape=(n_docs, n),
            )
            X = (X + B).tocsr()
        X.sum_duplicates()
        X.data[:] = 1.0
        row_nnz = np.diff(X.indptr)
        norms = np.sqrt(row_nnz.astype(np.float32))
        norms[norms == 0] = 1.0
        X.data /= np.repeat(norms, row_nnz)
        return X

