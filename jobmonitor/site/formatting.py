"""Dutch display strings for figures, names and slugs; shared by pages, charts and guides.

Every function here is a pure value → string helper. The one bulk function, `format_results`,
turns every row of the published results table into its display strings in a single pass.
"""

from __future__ import annotations

import math
import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

import pandas as pd
from markupsafe import Markup, escape

from jobmonitor.codebook import PCT_MEASURES
from jobmonitor.results import SUPPRESSED

_NL_DIGITS = str.maketrans(",.", ".,")
_FIXED = {0: ".0f", 1: ".1f", 2: ".2f"}
# Characters python-markdown treats as markup in running text; escaped so names stay names.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!])")


# Words this long break mid-word in a narrow table cell on a 360 px phone; browsers have no
# Dutch hyphenation dictionary offline, so the build marks the places where they may break.
LONG_WORD = re.compile(r"\w{13,}")
SOFT_HYPHEN = "\u00ad"


@lru_cache(maxsize=1)
def _dutch_hyphenator():
    import pyphen  # noqa: PLC0415

    return pyphen.Pyphen(lang="nl_NL", left=4, right=4)


@lru_cache(maxsize=4096)
def soft_hyphens(text: str) -> str:
    """Soft hyphens at Dutch syllable breaks in long words ("studieloop­baan­begeleider"):
    invisible unless the word is broken at the end of a line, then shown as a hyphen."""
    hyphenator = _dutch_hyphenator()
    return LONG_WORD.sub(lambda match: hyphenator.inserted(match.group(0), hyphen=SOFT_HYPHEN), str(text))


def slugify(text: str) -> str:
    """Lowercase ASCII words joined by '-', so URLs survive accents, commas and spaces."""
    ascii_text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "x"


def sort_key(name: str) -> str:
    """Dutch alphabetical order ignores accents and case."""
    return unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode().casefold()


def isna(value) -> bool:
    if type(value) is float:  # the common case, checked first: this runs ~10⁶ times a build
        return value != value
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def text_or_empty(value) -> str:
    return "" if isna(value) else str(value).strip()


def id_or_none(value) -> str | None:
    return None if isna(value) else str(value)


def fill(text: str, **values) -> str:
    """Fill {placeholders} without str.format, so braces in a name cannot break a caption."""
    for key, value in values.items():
        text = text.replace("{" + key + "}", str(value))
    return text


def format_number(value: float, decimals: int) -> str:
    """Dutch notation: comma for decimals, dot for thousands."""
    if -999 < value < 999:  # fast path without thousands separators
        return format(value, _FIXED[decimals]).replace(".", ",")
    return f"{value:,.{decimals}f}".translate(_NL_DIGITS)


def format_value(value, measure: str, w: dict) -> str:
    if isna(value):
        return w["missing"]
    if measure in PCT_MEASURES:
        return format_number(value, 1) + w["percent_unit"]
    return format_number(value, 1)


def _fine_decimals(measure: str) -> int:
    """Intervals and differences of means get two decimals: 0.2 points is already relevant."""
    return 1 if measure in PCT_MEASURES else 2


def format_interval(low, high, measure: str, w: dict) -> str:
    if isna(low) or isna(high):
        return w["missing"]
    decimals = _fine_decimals(measure)
    return f"{format_number(low, decimals)}–{format_number(high, decimals)}"


def format_difference(value, measure: str, w: dict) -> str:
    if isna(value):
        return w["missing"]
    decimals = _fine_decimals(measure)
    sign = "−" if round(value, decimals) < 0 else "+" if round(value, decimals) > 0 else "±"
    unit = w["difference_unit_pct"] if measure in PCT_MEASURES else ""
    return sign + format_number(abs(value), decimals) + unit


def format_count(value) -> str:
    return "" if isna(value) else format_number(int(value), 0)


def markdown_text(value) -> Markup:
    """HTML-escape, then backslash-escape markdown markup, for names in running markdown."""
    return Markup(_MD_SPECIAL.sub(r"\\\1", str(escape(value))))


class Cells(NamedTuple):
    """Display strings of one results row, formatted once for every page that shows it."""

    status: str
    value: str
    interval: str
    n: str
    benchmark: str
    difference: str
    marker: str
    previous: str
    change: str


def _number_list(results: pd.DataFrame, column: str) -> list[float]:
    return pd.to_numeric(results[column], errors="coerce").astype("float64").tolist()


def _text_list(results: pd.DataFrame, column: str) -> list[str]:
    return results[column].astype("string").fillna("").str.strip().tolist()


def format_results(results: pd.DataFrame, w: dict) -> list[Cells]:
    """Every row's display strings in one tight pass (the table can hold ~200,000 rows)."""
    missing, marker_text, change_text = w["missing"], w["marker"], w["change"]
    numbers = [_number_list(results, c) for c in ("n", "estimate", "ci_low", "ci_high", "benchmark",
                                                    "difference", "previous_estimate")]
    texts = [_text_list(results, c) for c in ("measure", "status", "marker", "change_marker")]
    formatted = []
    for n, est, low, high, bench, diff, prev, measure, status, marker, change in zip(*numbers, *texts):
        if status in SUPPRESSED:
            formatted.append(Cells(status, *[""] * 8))
            continue
        value = format_value(est, measure, w)
        if status == "indicative":
            value = f"{value} ({w['indicative']}*)"
        formatted.append(Cells(
            status, value, format_interval(low, high, measure, w), format_count(n),
            format_value(bench, measure, w), format_difference(diff, measure, w),
            marker_text[marker] if diff == diff else missing,
            format_value(prev, measure, w), change_text[change] if prev == prev else missing,
        ))
    return formatted
