"""Dutch display strings for figures, names and slugs; shared by pages, charts and guides.

Every function here is a pure value → string helper; `format_cells` gives one published row
(a `jobmonitor.results.Record`) all its display strings at once.
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
from jobmonitor.results import SUPPRESSED, Record

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
    distribution: str = ""  # markup: the answer distribution bar with its numbers


def verdict_text(record: Record, w: dict) -> str:
    """The benchmark verdict in words ("gunstiger"), or nothing where no test was made."""
    return w["verdict"][record.verdict] if record.verdict else w["missing"]


def change_text(record: Record, w: dict) -> str:
    """The change in words with its arrow ("▲ verslechterd" for more students bullied)."""
    if not record.change_verdict:
        return w["missing"]
    return f"{record.change_marker} {w['change_verdict'][record.change_verdict]}".strip()


def format_cells(record: Record, w: dict) -> Cells:
    """One published row's display strings; a hidden row's are all empty. Runs for every row
    of a national table (~200,000), so it reads the wording once per call, not per cell."""
    if record.status in SUPPRESSED:
        return Cells(record.status, "", "", "", "", "", "", "", "")
    measure, difference, previous = record.measure, record.difference, record.previous_estimate
    value = format_value(record.estimate, measure, w)
    if record.status == "indicative":
        value = f"{value} ({w['indicative']}*)"
    return Cells(
        record.status, value, format_interval(record.ci_low, record.ci_high, measure, w), format_count(record.n),
        format_value(record.benchmark, measure, w), format_difference(difference, measure, w),
        verdict_text(record, w) if difference == difference else w["missing"],
        format_value(previous, measure, w), change_text(record, w) if previous == previous else w["missing"],
    )
