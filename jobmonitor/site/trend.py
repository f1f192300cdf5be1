"""Theme scores over every edition present: one small table per unit page, each theme a row
with its score and bandbreedte per edition and a line drawn through them.

A trend line joins only figures measured on the same items: the theme score where the theme
kept exactly its comparable items in every edition, else the score recomputed on the items
comparable all the way back (`<theme>__trend`), labelled with their number
(`codebook.trend_items`). ▲/▼ stay in the results tables (current against previous edition
only); this table makes no comparison of its own. The table is the line's text alternative:
the drawing is aria-hidden and every number is in the cells.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from markupsafe import Markup

from jobmonitor.codebook import TREND_SUFFIX, item_chain
from jobmonitor.results import SUPPRESSED, Record, SiteInputs, UnitKey
from jobmonitor.site.formatting import format_interval, format_number
from jobmonitor.site.wording import fill

# Drawing box of one line, in viewBox units (the SVG scales to its cell).
WIDTH, HEIGHT, PAD_X, PAD_Y = 120.0, 36.0, 8.0, 4.0


@dataclass(frozen=True)
class TrendRow:
    theme: str
    item: str  # the theme score's id in every edition (`data-item`, for the release scan)
    note: str  # "op de 3 vragen die in alle edities gelijk zijn", or ""
    cells: tuple[str, ...]  # per edition: "3,6 (3,5–3,7)", "te weinig respondenten" or "—"
    line: Markup


@dataclass(frozen=True)
class Trend:
    caption: str
    unit: str  # `data-unit`
    editions: tuple[str, ...]
    rows: tuple[TrendRow, ...]
    scale: str  # what the drawn axis spans


def unit_trend(inputs: SiteInputs, key: UnitKey, unit_name: str, w: dict,
               lines: dict[str, tuple[str, dict[int, list[str]]]]) -> Trend | None:
    """The unit's theme scores over the editions, or None with fewer than two editions or
    nothing published in two of them. `lines`: `codebook.trend_items` of the editions."""
    if not lines:
        return None
    tw = w["trend"]
    points: list[tuple[str, str, str, list[Record | None]]] = []
    for theme in inputs.questionnaire.themes:
        if theme.id not in lines:
            continue
        var, per_year = lines[theme.id]
        records = [e.theme_index.get(key, {}).get(var) for e in inputs.editions]
        shown = [r for r in records if _shown(r)]
        if len(shown) < 2:
            continue
        count = len(per_year[inputs.current.year])
        note = fill(tw["on_items" if count > 1 else "on_item"], count=count) if var.endswith(TREND_SUFFIX) else ""
        points.append((theme.name, var, note, records))
    if not points:
        return None
    low, high = _axis([r for *_, records in points for r in records if _shown(r)])
    rows = tuple(TrendRow(name, var, note, tuple(_cell(r, w) for r in records), _line(records, low, high))
                 for name, var, note, records in points)
    return Trend(fill(tw["caption"], unit=unit_name), key.attr, tuple(str(e.year) for e in inputs.editions), rows,
                 fill(tw["scale"], low=format_number(low, 1), high=format_number(high, 1)))


def _shown(record: Record | None) -> bool:
    return record is not None and record.status not in SUPPRESSED and record.estimate == record.estimate


def _cell(record: Record | None, w: dict) -> str:
    if record is None:
        return w["missing"]
    if not _shown(record):
        return w["suppressed"]
    return f"{format_number(record.estimate, 1)} ({format_interval(record.ci_low, record.ci_high, 'mean', w)})"


def _axis(records: list[Record]) -> tuple[float, float]:
    """One axis for every line of the table, zoomed to whole tenths around all intervals, so
    lines can be compared with each other; never less than half a point high."""
    low = math.floor(min(r.ci_low for r in records) * 10) / 10
    high = math.ceil(max(r.ci_high for r in records) * 10) / 10
    if high - low < 0.5:
        middle = (high + low) / 2
        low, high = middle - 0.25, middle + 0.25
    return max(1.0, low), min(5.0, high)


def _line(records: list[Record | None], low: float, high: float) -> Markup:
    """Bands (the bandbreedte), dots and a line joining consecutive shown editions."""
    step = (WIDTH - 2 * PAD_X) / max(len(records) - 1, 1)

    def y(value: float) -> float:
        return HEIGHT - PAD_Y - (value - low) / (high - low) * (HEIGHT - 2 * PAD_Y)

    parts, path, previous = [], [], False
    for k, record in enumerate(records):
        x = PAD_X + k * step
        if not _shown(record):
            previous = False
            continue
        top, bottom = y(min(record.ci_high, high)), y(max(record.ci_low, low))
        parts.append(f'<rect class="job-trend-band" x="{x - 3:.1f}" y="{top:.1f}" width="6" height="{max(bottom - top, 3):.1f}"/>')
        path.append(f'{"L" if previous else "M"}{x:.1f} {y(record.estimate):.1f}')
        parts.append(f'<circle class="job-trend-dot" cx="{x:.1f}" cy="{y(record.estimate):.1f}" r="2.6"/>')
        previous = True
    line = f'<path class="job-trend-line" d="{" ".join(path)}"/>' if len(path) > 1 else ""
    return Markup(f'<svg class="job-trend" viewBox="0 0 {WIDTH:.0f} {HEIGHT:.0f}" aria-hidden="true" '
                  f'focusable="false">{line}{"".join(parts)}</svg>')


def comparability_note(item, questionnaires: list, w: dict) -> str:
    """Per question, where it cannot be followed over every edition present: "nieuw in 2024",
    or "niet vergelijkbaar met 2022: vraag of antwoordopties gewijzigd"."""
    if len(questionnaires) < 2:
        return ""
    chain = item_chain(item, questionnaires)
    if len(chain) == len(questionnaires):
        return ""
    first, broken = questionnaires[-len(chain)].edition, questionnaires[-len(chain) - 1].edition
    oldest = chain[-1]
    cw = w["comparability"]
    if oldest.previous_id is None:
        return fill(cw["new"], edition=first)
    return fill(cw["changed" if not oldest.comparable else "other"], edition=broken)
