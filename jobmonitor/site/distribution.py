"""The answer distribution of one question as a compact stacked bar with its numbers as text:
drawn once per published row (a national site has ~100,000), as plain markup.

The bar is decoration (aria-hidden); the numbers beside it are the content, each behind a
swatch in the segment's colour, in the bar's order, which screen readers hear named once.
Colours come from classes (charts.css), widths from inline styles.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from jobmonitor.results import SUPPRESSED, Record
from jobmonitor.site.wording import fill

# Answer codes in the order a bar shows them: disagree → agree; ja before nee.
BAR_CODES = {"pct_positive": (1, 2, 3, 4, 5), "pct_yes": (1, 0)}
NOT_APPLICABLE = 9


def distribution_markup(record: Record, w: dict) -> Markup:
    """Bar, numbers and (5-point) the n.v.t. share apart; empty for a hidden row or an item
    without a distribution. Runs once per published row (~100,000 on a national site), so the
    markup is terse: ~350 bytes, the fixed parts built once (`_pieces`)."""
    codes = BAR_CODES.get(record.measure)
    if codes is None or record.status in SUPPRESSED:
        return Markup("")
    shares = [record.answer_share(code) for code in codes]
    if any(share != share for share in shares):
        return Markup("")
    cached = _PIECES.get(record.measure)
    if cached is None or cached[0] is not w:
        cached = _PIECES[record.measure] = (w, _pieces(record.measure, w))
    segment, number, head, middle, apart_format = cached[1]
    # Whole percentages, half to even, as format_number rounds.
    bar = "".join(segment[k] % share for k, share in enumerate(shares))
    text = " ".join(number[k] % f"{share:.0f}" for k, share in enumerate(shares))
    apart = ""
    if apart_format:
        nvt = record.answer_share(NOT_APPLICABLE)
        if nvt == nvt and nvt > 0:
            apart = apart_format % f"{nvt:.0f}"
    return Markup(f"{head}{bar}{middle}{text}\u00a0%{apart}</span></span>")


_PIECES: dict[str, tuple[dict, tuple]] = {}  # measure → (the wording it was built from, pieces)


def _pieces(measure: str, w: dict) -> tuple:
    """The fixed parts of one measure's markup, escaped once per build. The bar's segments are
    sized by inline style (the CSP allows inline styles, not scripts); the numbers follow in
    the order of the bar, named once for screen readers ("van helemaal oneens tot helemaal
    eens"); the legend above the tables names each colour."""
    codes = BAR_CODES[measure]
    names = w["answers"][measure]
    kind = "s" if measure == "pct_positive" else "y"
    segment = [f'<i class="{kind}{code}" style="width:%.1f%%"></i>' for code in codes]
    number = [f'<span class="dn"><i class="{kind}{code}"></i>%s</span>' for code in codes]
    order = fill(w["answers"]["order"], first=names[codes[0]], last=names[codes[-1]])
    head = '<span class="jd"><span class="jb" aria-hidden="true">'
    middle = f'</span><span class="jt"><span class="sr">{escape(order)}: </span>'
    apart = (f' <span class="dx">· {escape(names[NOT_APPLICABLE])} %s\u00a0%%</span>'
             if measure == "pct_positive" else "")
    return segment, number, head, middle, apart
