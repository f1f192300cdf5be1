"""The summary at the top of a unit page: its report marks beside the benchmark, how many
questions are favourable or unfavourable and improved or worsened, the most notable ones, and a
link to the unit's action card. Built from the unit's published records only.

The notable questions are the ones with the largest relevant, significant differences, both
directions apart; every one of them carries its verdict and interval, so this short list is
never a ranking without significance (DESIGN.md, rule 3).
"""

from __future__ import annotations

from dataclasses import dataclass

from jobmonitor.codebook import Questionnaire
from jobmonitor.results import SUPPRESSED, Record
from jobmonitor.site.formatting import change_text, format_difference, format_interval, format_value, verdict_text
from jobmonitor.site.specs import Link

NOTABLE = 3  # questions per direction


@dataclass(frozen=True)
class Line:
    """One question or mark in the summary, as display strings."""

    label: str
    value: str
    interval: str
    benchmark: str
    difference: str
    verdict: str
    change: str = ""
    indicative: bool = False
    item: str = ""  # item id (`data-item`, for the release scan)


@dataclass(frozen=True)
class UnitSummary:
    marks: tuple[Line, ...]
    favourable: int
    unfavourable: int
    compared: int  # questions with a benchmark test
    improved: int
    worsened: int
    changes_compared: int  # questions compared with the previous edition
    notable_good: tuple[Line, ...]
    notable_bad: tuple[Line, ...]
    card: Link | None
    shown: int  # published questions and marks

    @property
    def all_hidden(self) -> bool:
        return self.shown == 0


def _line(label: str, record: Record, w: dict, item: str = "") -> Line:
    return Line(label, format_value(record.estimate, record.measure, w),
                format_interval(record.ci_low, record.ci_high, record.measure, w),
                format_value(record.benchmark, record.measure, w),
                format_difference(record.difference, record.measure, w), verdict_text(record, w),
                change_text(record, w), record.status == "indicative", item)


def _notable(items: list[tuple[str, Record]], verdict: str, w: dict) -> tuple[Line, ...]:
    """The largest relevant differences with this verdict; ties keep questionnaire order."""
    marked = [(label, r, item) for label, r, item in items if r.verdict == verdict]
    marked.sort(key=lambda triple: -abs(triple[1].difference_rest))
    return tuple(_line(label, r, w, item) for label, r, item in marked[:NOTABLE])


def unit_summary(records: dict[str, Record], questionnaire: Questionnaire, w: dict,
                 card: Link | None = None) -> UnitSummary:
    """The summary of one unit from its records (item and theme id → Record)."""
    items = [(item.text, records[item.id], item.id) for item in questionnaire.items
             if item.id in records and records[item.id].status not in SUPPRESSED]
    marks = tuple(_line(label, r, w, item) for label, r, item in items if r.measure == "mean")
    questions = [(label, r, item) for label, r, item in items if r.measure != "mean"]
    verdicts = [r.verdict for _, r, _ in items]
    changes = [r.change_verdict for _, r, _ in items]
    return UnitSummary(
        marks=marks,
        favourable=verdicts.count("favourable"), unfavourable=verdicts.count("unfavourable"),
        compared=sum(1 for v in verdicts if v), improved=changes.count("improved"),
        worsened=changes.count("worsened"), changes_compared=sum(1 for c in changes if c),
        notable_good=_notable(questions, "favourable", w), notable_bad=_notable(questions, "unfavourable", w),
        card=card, shown=len(items),
    )
