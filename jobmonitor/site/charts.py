"""Charts: a dot-and-interval chart per theme on the national, institution and domain pages,
and one overview of the theme scores on each institution × domain page.

A theme chart has one row per published percentage item of the theme: the question, the own
result (filled circle) with its confidence interval (line), the benchmark (open diamond) and the
previous edition (open square) on a 0–100 % axis, and at the right the own figure and the
verdict in words ("hoger (+)", "lager (−)"; on the national page "▲ gestegen", "▼ gedaald").
Means (report marks; the theme score) have another scale and stay in the table; the overview
chart shows the theme scores on their own 1–5 axis. Meaning never rests on colour: shapes, an
HTML legend with the same shapes, and the verdict as text. Every chart sits in a <figure> whose
<figcaption> is its text alternative (what it shows, how many rows are higher/lower/no
different) and links to the results table under it, which is the chart's data table.

Charts read only the published results view: a suppressed row has no estimate there, so it is
simply absent from the chart's data (and so from the SVG).

Rendering decision (figures from `python bench/charts.py` on the demo edition, 466 charts; CPU
time on this 2-core machine, which moves by ±15 % between runs):

- Chosen: plain SVG written here from the chart rows. Each row is an interval (<line>) and up
  to three shapes (<path>), placed with the same arithmetic as a linear scale; the questions sit
  above their row at positions fixed by `Layout`, wrapped to a character budget, so nothing
  depends on measured text width. 0.09 ms a chart (all demo charts in 0.04 s), 3.2 KB a chart;
  an institution page's 18 charts weigh 49 KB (6.0 KB gzipped). No JavaScript, no font or other
  host, no worker process, same bytes on every machine, text in the page's own font; it prints.
- Baseline, the same chart drawn whole by vl-convert from an altair spec: ~80 ms a chart
  (~25 ms altair, ~55 ms vl-convert, which measures every string through a full text layout),
  ~1,000× the plain SVG; 12.7 KB a chart, the page's charts 241 KB (15.5 KB gzipped), 4.9×
  (2.6× gzipped). Text measurement also makes layout depend on the build machine's fonts.
- Before: vl-convert drew only the marks, a batch of charts per Vega view in a worker process,
  read back with regular expressions: 0.33 ms a chart plus ~0.4 s to start the worker (all demo
  charts 2.3 s wall). The plain SVG writes the same bytes: the demo site did not change.
- Vega-Lite in the browser (measured with the earlier benchmark): 877 KB of JavaScript (298 KB
  gzipped), no chart without JavaScript, and Vega compiles expressions with `new Function`,
  which the site's Content-Security-Policy (`script-src 'self'`) forbids. Rejected.
"""

from __future__ import annotations

import html
import math
import textwrap
from dataclasses import dataclass

from jobmonitor.codebook import PCT_MEASURES
from jobmonitor.site.formatting import change_text, format_value, isna
from jobmonitor.site.wording import fill
from jobmonitor.results import Record

# Figures go into the drawing rounded: 0.01 is far below a pixel, and no coordinate then carries
# more digits than a table (the release audit flags numbers with six or more decimals).
DATA_DECIMALS = 2
SERIES = ("own", "benchmark", "previous")  # drawing order: the filled circle first, open shapes over it
STROKES = {"own": "#1f3a5f", "benchmark": "#a64200", "previous": "#595959"}  # ≥ 5:1 on white
# Shapes centred on (0, 0): a filled circle of 64 px², an open diamond of 87 px² and an open square
# of 110 px². These are the outlines vl-convert used to draw (its size scale spread 64–110 px² evenly
# over the three series), kept to the byte so published pages did not change.
_SHAPES = {
    "own": f'd="M4,0A4,4,0,1,1,-4,0A4,4,0,1,1,4,0" fill="{STROKES["own"]}" stroke="{STROKES["own"]}"',
    "benchmark": f'd="M-4.66,0L0,-4.66L4.66,0L0,4.66Z" stroke="{STROKES["benchmark"]}"',
    "previous": f'd="M-5.24,-5.24h10.49v10.49h-10.49Z" stroke="{STROKES["previous"]}"',
}
SHAPE_STROKE = 1.8


@dataclass(frozen=True)
class Layout:
    """Geometry of a chart type in SVG pixels; the text layer and the marks share it."""

    domain: tuple[float, float]
    ticks: tuple[float, ...]
    tick_unit: str = ""
    left: int = 8  # room for a shape at the minimum
    plot: int = 240  # width of the value axis
    value_gap: int = 14  # axis end → figure
    verdict_gap: int = 58  # figure → verdict
    width: int = 400
    font: int = 15  # label text; a phone shows the chart at ~0.8 of its size
    wrap: int = 48  # characters a label line (15 px text over 400 px)
    line: int = 18  # label line height
    dot_row: int = 24  # height of the row holding the shapes; grid lines span only this
    gap: int = 14  # space between rows
    axis: int = 22  # tick labels under the plot


LAYOUTS = {
    "pct": Layout(domain=(0, 100), ticks=(0, 25, 50, 75, 100), tick_unit=" %"),
    "score": Layout(domain=(1, 5), ticks=(1, 2, 3, 4, 5), line=18, dot_row=22, gap=8),
}


@dataclass(frozen=True)
class ChartRow:
    key: str  # item or theme id
    label: str
    estimate: float
    low: float
    high: float
    benchmark: float | None
    previous: float | None
    value_text: str  # the own figure as the table shows it
    verdict_text: str  # "gunstiger", "▼ verslechterd" or "" (no marker)
    verdict: str = ""  # the verdict code counted in the text alternative ("" where not compared)


@dataclass(frozen=True)
class Chart:
    id: str  # HTML id, unique on its page
    kind: str  # a key of LAYOUTS
    title: str
    rows: tuple[ChartRow, ...]


@dataclass(frozen=True)
class Figure:
    key: str  # unique on the site: page path + chart id
    chart: Chart
    summary: str  # the text alternative's counts, in words
    legend: tuple[tuple[str, str], ...]  # (series, label) for the series drawn
    table_id: str  # the results table holding the same rows
    note: str = ""

    @property
    def id(self) -> str:
        return self.chart.id


# --- building: published results → chart specs ------------------------------------------------


def _optional(value: float) -> float | None:
    return None if isna(value) else value


def _chart_row(key: str, label: str, numbers: Record, compare: str, comparable: bool, w: dict) -> ChartRow:
    previous = _optional(numbers.previous_estimate) if comparable else None
    value = format_value(numbers.estimate, numbers.measure, w) + ("*" if numbers.status == "indicative" else "")
    if compare == "previous":
        code = numbers.change_verdict if previous is not None else ""
        verdict = change_text(numbers, w) if previous is not None and numbers.change_marker else ""
    else:
        code = numbers.verdict
        verdict = w["verdict"][numbers.verdict] if numbers.marker else ""
    return ChartRow(key, label, numbers.estimate, numbers.ci_low, numbers.ci_high, _optional(numbers.benchmark),
                    previous, value, verdict, code)


def question_label(item, w: dict) -> str:
    """The question as a chart shows it, with "(lager is beter)" where lower is good news."""
    return f"{item.text} ({w['lower_is_better']})" if item.direction == "lower_better" else item.text


def _count_text(counts: list[tuple[int, str]], noun: tuple[str, str]) -> str:
    """'3 vragen gunstiger dan landelijk, 1 ongunstiger, …': the noun only on the first part."""
    parts = []
    for number, phrase in counts:
        if parts:
            parts.append(f"{number} {phrase}")
        else:
            parts.append(f"{number} {noun[0] if number == 1 else noun[1]} {phrase}")
    return ", ".join(parts) + "." if parts else ""


def summarise(rows: tuple[ChartRow, ...], compare: str, benchmark_name: str, noun: tuple[str, str], w: dict,
              previous_edition=None) -> str:
    """The text alternative's counts, e.g. '3 vragen gunstiger dan landelijk, 1 ongunstiger,
    8 geen duidelijk verschil.', counted from the verdicts, never from their words."""
    c = w["charts"]["counts"]
    if compare == "previous":
        compared = [r for r in rows if r.previous is not None]
        good, bad = "improved", "worsened"
        first = [(fill(c["improved"], edition=previous_edition)), c["worsened"]]
        missing = (len(rows) - len(compared), c["not_comparable"])
    else:
        compared = [r for r in rows if r.benchmark is not None]
        good, bad = "favourable", "unfavourable"
        first = [fill(c["favourable"], benchmark=benchmark_name), c["unfavourable"]]
        missing = (len(rows) - len(compared), c["no_benchmark"])
    tally = {code: sum(r.verdict == code for r in compared) for code in (good, bad, "higher", "lower")}
    other = tally["higher"] + tally["lower"]
    counts = [(tally[good], first[0]), (tally[bad], first[1])] + ([(other, c["different"])] if other else [])
    counts.append((len(compared) - tally[good] - tally[bad] - other, c["same"]))
    if missing[0]:
        counts.append(missing)
    return _count_text(counts, noun)


def _legend(rows: tuple[ChartRow, ...], labels: dict[str, str]) -> tuple[tuple[str, str], ...]:
    drawn = {"own": True, "benchmark": any(r.benchmark is not None for r in rows),
             "previous": any(r.previous is not None for r in rows)}
    return tuple((series, labels[series]) for series in SERIES if drawn[series])


def theme_figures(points: dict[str, Record], questionnaire, *, page: str, subject: str, compare: str,
                  labels: dict[str, str], table_id, w: dict, previous_edition=None) -> dict:
    """theme id → Figure of its published percentage items; themes without any get none.

    `compare` is "benchmark" (unit pages) or "previous" (the national page); `labels` names the
    series in the legend (own, benchmark, previous); `table_id(theme_id)` is the id of the
    theme's results table on the page, which the text alternative links to.
    """
    cw = w["charts"]
    figures = {}
    for theme in questionnaire.themes:
        items = questionnaire.items_of(theme.id)
        rows = tuple(
            _chart_row(item.id, question_label(item, w), points[item.id], compare,
                       item.comparable and item.previous_id is not None, w)
            for item in items if item.id in points and points[item.id].measure in PCT_MEASURES)
        if not rows:
            continue
        chart = Chart(f"grafiek-{theme.id}", "pct", fill(cw["title"], theme=theme.name, unit=subject), rows)
        summary = summarise(rows, compare, labels["benchmark"].lower(), cw["noun_item"], w, previous_edition)
        note = cw["note_means"] if any(i.measure not in PCT_MEASURES for i in items) else cw["note_score"]
        figures[theme.id] = Figure(f"{page}#{chart.id}", chart, summary, _legend(rows, labels),
                                   table_id(theme.id), note)
    return figures


def overview_figure(points: dict[str, Record], questionnaire, *, page: str, subject: str,
                    labels: dict[str, str], table_id: str, w: dict) -> Figure | None:
    """The theme scores (1–5) of one unit against its benchmark, one row per theme."""
    cw = w["charts"]
    rows = tuple(_chart_row(t.id, t.name, points[t.id], "benchmark", True, w)
                 for t in questionnaire.themes if t.id in points)
    if not rows:
        return None
    chart = Chart("grafiek-themascores", "score", fill(cw["overview_title"], unit=subject), rows)
    summary = summarise(rows, "benchmark", labels["benchmark"].lower(), cw["noun_theme"], w)
    return Figure(f"{page}#{chart.id}", chart, summary, _legend(rows, labels), table_id, cw["note_overview"])


# --- rendering: chart specs → SVG ------------------------------------------------------------


def _row_lines(chart: Chart, layout: Layout) -> list[list[str]]:
    return [textwrap.wrap(row.label, layout.wrap, break_on_hyphens=False) or [""] for row in chart.rows]


def _dot_positions(lines: list[list[str]], layout: Layout) -> tuple[list[float], float]:
    """y of each row's shapes and the plot height: labels above, shapes under them."""
    ys, top = [], 0.0
    for label_lines in lines:
        ys.append(top + len(label_lines) * layout.line + layout.dot_row / 2)
        top += len(label_lines) * layout.line + layout.dot_row + layout.gap
    return ys, top - layout.gap


def _x(value: float, layout: Layout) -> float:
    """A value's position on the plot, rounded to DATA_DECIMALS first. Computed as Vega's linear
    scale does, t = (v - d0) / (d1 - d0) then plot × t, so the pages keep the bytes Vega drew."""
    low, high = layout.domain
    return layout.plot * ((round(value, DATA_DECIMALS) - low) / (high - low))


def chart_marks(chart: Chart, ys: list[float]) -> str:
    """The intervals (one line a row), then the shapes (per row own, benchmark, previous): open
    shapes are drawn over the filled circle and over every interval."""
    layout = LAYOUTS[chart.kind]
    lines, shapes = [], []
    for row, y in zip(chart.rows, ys):
        if math.isfinite(row.low) and math.isfinite(row.high):
            low, high = _x(row.low, layout), _x(row.high, layout)
            lines.append(f'<line transform="translate({_num(low)},{_num(y)})" x2="{_num(high - low)}" y2="0" '
                         f'stroke="{STROKES["own"]}" stroke-width="2"/>')
        values = {"own": row.estimate, "benchmark": row.benchmark, "previous": row.previous}
        shapes += [f'<path transform="translate({_num(_x(values[s], layout))},{_num(y)})" {_SHAPES[s]}/>'
                   for s in SERIES if values[s] is not None]
    return "".join(lines + shapes)


def _num(value: float) -> str:
    """A coordinate with at most two decimals, never in exponent notation."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _text(x: float, y: float, text: str, attrs: str = "") -> str:
    return f'<text x="{_num(x)}" y="{_num(y)}"{attrs}>{html.escape(text, quote=False)}</text>'


def _tick_text(value: float, layout: Layout) -> str:
    text = format(value, "g")
    return text + layout.tick_unit if value == layout.ticks[-1] else text


def chart_svg(chart: Chart, marks: str, lines: list[list[str]], ys: list[float], height: float) -> str:
    """The finished SVG: grid, the marks, the text, a <title> and role="img"."""
    layout = LAYOUTS[chart.kind]
    value_x = layout.left + layout.plot + layout.value_gap
    parts = []
    for row, label_lines, y in zip(chart.rows, lines, ys):
        first = y - layout.dot_row / 2 - (len(label_lines) - 1) * layout.line - 5
        parts += [_text(layout.left - 6, first + k * layout.line, line) for k, line in enumerate(label_lines)]
        parts.append(_text(value_x, y + 5, row.value_text, ' font-weight="700"'))
        if row.verdict_text:
            parts.append(_text(value_x + layout.verdict_gap, y + 5, row.verdict_text))
    scale = layout.plot / (layout.domain[1] - layout.domain[0])
    xs = [layout.left + (t - layout.domain[0]) * scale for t in layout.ticks]
    # Grid lines only behind the shapes, so they never run through a question.
    spans = [(y - layout.dot_row / 2, y + layout.dot_row / 2) for y in ys]
    grid = "".join(f"M{_num(x)},{_num(top)}V{_num(bottom)}" for top, bottom in spans for x in xs)
    ticks = [_text(x, height + 16, _tick_text(t, layout)) for x, t in zip(xs, layout.ticks)]
    total = math.ceil(height + layout.axis)
    title = f'<title id="{chart.id}-titel">{html.escape(chart.title, quote=False)}</title>'
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="job-chart" role="img" width="{layout.width}" '
        f'height="{total}" viewBox="0 0 {layout.width} {total}" aria-labelledby="{chart.id}-titel" '
        f'aria-describedby="{chart.id}-beschrijving">{title}'
        f'<path d="{grid}" stroke="#c8c8c8" stroke-width="1"/>'
        f'<g fill="none" stroke-width="{SHAPE_STROKE}" transform="translate({layout.left},0)">{marks}</g>'
        f'<g font-size="{layout.font}" fill="#1a1a1a">{"".join(parts)}</g>'
        f'<g font-size="12" fill="#4d4d4d" text-anchor="middle">{"".join(ticks)}</g></svg>'
    )


def render_svgs(charts: list[Chart]) -> list[str]:
    """Every chart as a finished inline SVG, in order."""
    lines = [_row_lines(chart, LAYOUTS[chart.kind]) for chart in charts]
    positions = [_dot_positions(chart_lines, LAYOUTS[chart.kind]) for chart, chart_lines in zip(charts, lines)]
    return [chart_svg(chart, chart_marks(chart, ys), chart_lines, ys, height)
            for chart, chart_lines, (ys, height) in zip(charts, lines, positions)]
