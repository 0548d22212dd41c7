"""Inter-coder agreement: Cohen's kappa per code and Krippendorff's alpha, multi-label aware.

Each segment (row) may carry several codes per coder (a list or a ``;``-joined cell). Every
code is treated as its own yes/no decision per segment: for code *c*, coder A says "yes" on
a segment when *c* is among A's codes there. Per code we report the confusion counts
(``both``, ``a_only``, ``b_only``, ``neither``), percent agreement, Cohen's kappa and
Krippendorff's alpha (nominal, two coders). Overall we report Krippendorff's alpha (nominal)
over all segment x code decisions pooled, and the same pooled decisions' Cohen's kappa.
When both coders gave at most one code per segment, ``single_label_alpha`` also treats each
segment as one nominal decision (the code, or "uncoded").

Uncoded segments (an empty cell) are handled by ``uncoded``:

- ``"absent"`` (default): the coder looked at the segment and applied no code, so every code
  counts as "no" there. Segments both coders left empty add agreement on every code.
- ``"skip"``: an empty cell means "not coded" (e.g. the coder did a subset); segments where
  either coder's cell is empty are left out of every figure.

Kappa and alpha are undefined (NaN) when the expected disagreement is zero, e.g. a code that
neither coder used, or that both used on every segment.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import pandas as pd

from .errors import ColumnError, ConfigError, InputError, format_choices
from .cells import is_missing as is_blank
from .cells import split_labels

__all__ = ["Agreement", "agreement", "cohen_kappa", "krippendorff_alpha", "UNCODED_POLICIES"]

UNCODED_POLICIES = ("absent", "skip")
_UNCODED = "(uncoded)"


def cohen_kappa(a: Sequence[Hashable], b: Sequence[Hashable]) -> float:
    """Cohen's kappa of two coders' labels on the same units (any number of categories).

    ``(p_o - p_e) / (1 - p_e)`` with ``p_e`` from each coder's own label frequencies;
    NaN when ``p_e == 1`` (both coders used one and the same label throughout).

    Example:
        >>> round(cohen_kappa([1, 1, 0, 0], [1, 0, 0, 0]), 3)
        0.5
    """
    if len(a) != len(b):
        raise InputError(f"the two coders have {len(a)} and {len(b)} labels; they must code the same units")
    n = len(a)
    if n == 0:
        return float("nan")
    observed = sum(x == y for x, y in zip(a, b)) / n
    count_a, count_b = Counter(a), Counter(b)
    expected = sum(count_a[k] * count_b.get(k, 0) for k in count_a) / (n * n)
    if expected >= 1.0:
        return float("nan")
    return (observed - expected) / (1.0 - expected)


def krippendorff_alpha(data: Sequence[Sequence[Hashable | None]]) -> float:
    """Krippendorff's alpha for nominal data.

    Args:
        data: one row per coder, one column per unit; ``None`` (or NaN) marks a missing value.
            Units with fewer than two values are not pairable and are ignored.

    Returns:
        ``1 - D_o / D_e`` from the coincidence matrix; NaN when nothing is pairable or only
        one value occurs (no expected disagreement).

    Example (Krippendorff's binary example, two coders, ten units):
        >>> a = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]
        >>> b = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]
        >>> round(krippendorff_alpha([a, b]), 3)
        0.095
    """
    rows = [list(r) for r in data]
    if not rows:
        return float("nan")
    width = len(rows[0])
    if any(len(r) != width for r in rows):
        raise InputError("every coder needs one value per unit (use None for a missing value)")
    coincidence: Counter = Counter()
    for u in range(width):
        values = [r[u] for r in rows if not is_blank(r[u])]
        m = len(values)
        if m < 2:
            continue
        for i, c in enumerate(values):
            for j, k in enumerate(values):
                if i != j:
                    coincidence[(c, k)] += 1.0 / (m - 1)
    totals: Counter = Counter()
    for (c, _), value in coincidence.items():
        totals[c] += value
    n = sum(totals.values())
    if n <= 1:
        return float("nan")
    observed = sum(v for (c, k), v in coincidence.items() if c != k)
    expected = sum(totals[c] * totals[k] for c in totals for k in totals if c != k)
    if expected == 0:
        return float("nan")
    return 1.0 - (n - 1) * observed / expected


@dataclass
class Agreement:
    """The result of :func:`agreement`.

    Attributes:
        a, b: the two coders' column names.
        table: one row per code: ``code, segments, a_count, b_count, both, a_only, b_only,
            neither, percent_agreement, kappa, alpha``.
        alpha: Krippendorff's alpha over all segment x code decisions (nominal).
        kappa: Cohen's kappa over the same pooled decisions.
        single_label_alpha: alpha with one nominal value per segment, or None when a coder
            gave several codes to some segment.
        segments: segments compared; skipped: segments left out (``uncoded="skip"``).
        uncoded: the policy used.
    """

    a: str
    b: str
    table: pd.DataFrame
    alpha: float
    kappa: float
    single_label_alpha: float | None
    segments: int
    skipped: int
    uncoded: str

    def to_text(self) -> str:
        """Readable report for a terminal."""
        lines = [
            f"Agreement between {self.a!r} and {self.b!r}: {self.segments} segments"
            + (f" ({self.skipped} skipped: a coder left them uncoded)" if self.skipped else "")
            + f"; uncoded segments treated as {self.uncoded!r}",
            f"Krippendorff's alpha (nominal, all codes): {self.alpha:.3f}",
            f"Cohen's kappa (pooled code decisions):     {self.kappa:.3f}",
        ]
        if self.single_label_alpha is not None:
            lines.append(f"Krippendorff's alpha (one code per segment): {self.single_label_alpha:.3f}")
        lines += ["", self.table.to_string(index=False, float_format=lambda x: f"{x:.3f}")]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.to_text()


def _normalise(labels: list[str], case_sensitive: bool, spelling: dict[str, str]) -> set[str]:
    result = set()
    for label in labels:
        key = label if case_sensitive else label.casefold()
        spelling.setdefault(key, label)
        result.add(key)
    return result


def agreement(
    coded: pd.DataFrame,
    a: str,
    b: str,
    uncoded: str = "absent",
    codes: Sequence[str] | None = None,
    case_sensitive: bool = False,
) -> Agreement:
    """Agreement between two coders' (multi-label) codes on the same segments.

    Args:
        coded: one row per segment; not modified.
        a, b: the columns of the two coders (e.g. a human coder and ``topics`` from the model).
        uncoded: ``"absent"`` or ``"skip"``: how empty cells count (see the module docstring).
        codes: only these codes, spelled as given (default: every code either coder used on
            the compared segments, in order of first use).
        case_sensitive: whether ``Price`` and ``price`` are different codes (default no).

    Example:
        >>> coded = pd.DataFrame({"coder1": ["price", "price;people", ""], "model": ["price", "people", ""]})
        >>> result = agreement(coded, "coder1", "model")
        >>> result.table[["code", "both", "a_only", "b_only", "neither"]].to_dict("records")
        [{'code': 'price', 'both': 1, 'a_only': 1, 'b_only': 0, 'neither': 1}, {'code': 'people', 'both': 1, 'a_only': 0, 'b_only': 0, 'neither': 2}]
    """
    for column, option in ((a, "a"), (b, "b")):
        if column not in coded.columns:
            raise ColumnError(
                f"coder column {column!r} (--{option}) is not in the table; columns: {format_choices(coded.columns)}"
            )
    if a == b:
        raise ConfigError(f"--a and --b are both {a!r}; give the columns of two different coders")
    if uncoded not in UNCODED_POLICIES:
        raise ConfigError(f"uncoded={uncoded!r} is not allowed; choose one of {format_choices(UNCODED_POLICIES)}")
    spelling: dict[str, str] = {}
    pairs: list[tuple[set[str], set[str]]] = []
    skipped = 0
    for cell_a, cell_b in zip(coded[a], coded[b]):
        if uncoded == "skip" and (is_blank(cell_a) or is_blank(cell_b)):
            skipped += 1
            continue
        pairs.append((_normalise(split_labels(cell_a), case_sensitive, spelling),
                      _normalise(split_labels(cell_b), case_sensitive, spelling)))
    if codes is not None:
        wanted = [c if case_sensitive else str(c).strip().casefold() for c in codes]
        for code, original in zip(wanted, codes):
            spelling[code] = str(original).strip()
        keys = list(dict.fromkeys(wanted))
        pairs = [(x & set(keys), y & set(keys)) for x, y in pairs]
    else:
        keys = list(spelling)
    if not pairs:
        raise InputError(f"no segment left to compare between {a!r} and {b!r}; check the columns and --uncoded")

    rows = []
    pooled_a: list[int] = []
    pooled_b: list[int] = []
    for key in keys:
        xa = [int(key in x) for x, _ in pairs]
        xb = [int(key in y) for _, y in pairs]
        pooled_a += xa
        pooled_b += xb
        both = sum(p and q for p, q in zip(xa, xb))
        a_only = sum(p and not q for p, q in zip(xa, xb))
        b_only = sum(q and not p for p, q in zip(xa, xb))
        rows.append({
            "code": spelling[key], "segments": len(pairs), "a_count": sum(xa), "b_count": sum(xb),
            "both": both, "a_only": a_only, "b_only": b_only, "neither": len(pairs) - both - a_only - b_only,
            "percent_agreement": (len(pairs) - a_only - b_only) / len(pairs),
            "kappa": cohen_kappa(xa, xb), "alpha": krippendorff_alpha([xa, xb]),
        })
    columns = ["code", "segments", "a_count", "b_count", "both", "a_only", "b_only", "neither",
               "percent_agreement", "kappa", "alpha"]
    single = None
    if all(len(x) <= 1 and len(y) <= 1 for x, y in pairs):
        first = [next(iter(x)) if x else _UNCODED for x, _ in pairs]
        second = [next(iter(y)) if y else _UNCODED for _, y in pairs]
        single = krippendorff_alpha([first, second])
    return Agreement(
        a=a, b=b, table=pd.DataFrame(rows, columns=columns),
        alpha=krippendorff_alpha([pooled_a, pooled_b]) if pooled_a else float("nan"),
        kappa=cohen_kappa(pooled_a, pooled_b) if pooled_a else float("nan"),
        single_label_alpha=single, segments=len(pairs), skipped=skipped, uncoded=uncoded,
    )
