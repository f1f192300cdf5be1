"""The answer distribution of one question as a compact stacked bar with its numbers as text:
drawn once per published row (a national site has ~100,000), as plain markup.

The bar is decoration (aria-hidden); the numbers beside it are the content, each behind a
swatch in the segment's colour and, for screen readers, behind its answer's name. Colours come
from classes (charts.css), so the Content-Security-Policy needs no inline styles.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from jobmonitor.results import SUPPRESSED, Record
from jobmonitor.site.formatting import format_number

# Answer codes in the order a bar shows them: disagree → agree; ja before nee.
BAR_CODES = {"pct_positive": (1, 2, 3, 4, 5), "pct_yes": (1, 0)}
NOT_APPLICABLE = 9


def distribution_markup(record: Record, w: dict) -> Markup:
    """Bar, numbers and (5-point) the n.v.t. share apart; empty for a hidden row or an item
    without a distribution."""
    codes = BAR_CODES.get(record.measure)
    if codes is None or record.status in SUPPRESSED:
        return Markup("")
    shares = [record.answer_share(code) for code in codes]
    if any(share != share for share in shares):
        return Markup("")
    names = w["answers"][record.measure]
    kind = "s5" if record.measure == "pct_positive" else "yn"
    x, rects, numbers = 0.0, [], []
    for k, (code, share) in enumerate(zip(codes, shares)):
        rects.append(f'<rect class="a-{kind}{code}" x="{x:.2f}" width="{share:.2f}" height="1"/>')
        x += share
        text = format_number(share, 0) + ("\u00a0%" if k == len(codes) - 1 else "")
        numbers.append(f'<span class="job-dist-n"><i class="a-{kind}{code}"></i>'
                       f'<span class="job-sr">{escape(names[code])} </span>{text}</span>')
    apart = ""
    nvt = record.answer_share(NOT_APPLICABLE) if record.measure == "pct_positive" else float("nan")
    if nvt == nvt and nvt > 0:
        apart = f' <span class="job-dist-apart">· {escape(names[NOT_APPLICABLE])} {format_number(nvt, 0)}\u00a0%</span>'
    return Markup(
        f'<span class="job-dist"><svg class="job-dist-bar" viewBox="0 0 100 1" preserveAspectRatio="none" '
        f'aria-hidden="true" focusable="false">{"".join(rects)}</svg>'
        f'<span class="job-dist-text"><span class="job-sr">{escape(w["answers"]["label"])}: </span>'
        f'{" ".join(numbers)}{apart}</span></span>'
    )
