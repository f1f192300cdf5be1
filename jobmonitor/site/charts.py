"""Charts: a dot-and-interval chart per theme on the national, institution and domain pages,
and one overview of the theme scores on each institution × domain page.

A theme chart has one row per published percentage item of the theme: the question, then the own
result (filled circle) on its confidence interval (a band, taller than the dot), the benchmark
(open diamond) on a sub-row just above it and the previous edition (open square) on a sub-row just
below, so the three never hide each other however close they are; at the right the own figure and
the verdict in words ("gunstiger", "ongunstiger"; on the national page "▲ verbeterd", …). Means
(report marks; the theme score) have another scale and stay in the table; the overview chart shows
the theme scores on their 1–5 scale, zoomed in on the data (`zoomed_axis`: whole half points
around every interval, benchmark and previous figure) with the zoom stated under the axis and in
the text alternative. Meaning never rests on colour: shapes, an HTML legend with the same shapes,
and the verdict as text. Every chart sits in a <figure> whose <figcaption> is its text alternative
(what it shows, how many rows are higher/lower/no different) and links to the results table under
it, which is the chart's data table.

Charts are fluid: the SVG has no viewBox; x is a percentage of its width and y and text are CSS
px. The stylesheet (content/stylesheets/charts.css) makes the SVG the column less 176 px, which
holds the figure and the verdict (drawn at x="100%" plus an offset, overflow visible). A scaled
viewBox could not serve both columns: the column is 328 px on a 360 px phone and 938 px at
1280 px, so text that reads at 14 px on the phone would be 40 px on the wide screen. Fluid, the
text keeps the page's size everywhere and the plot takes the rest of the column.

Charts read only the published results view: a suppressed row has no estimate there, so it is
simply absent from the chart's data (and so from the SVG).

Rendering decision (figures from `python bench/charts.py` on the demo edition, 466 charts; CPU
time on this 2-core machine, which moves by ±15 % between runs):

- Chosen: plain SVG written here from the chart rows. Each row is an interval band (<rect>), a
  circle and up to two open shapes (<use> of a shape defined once per chart), placed with the
  arithmetic of a linear scale; the questions sit above their row at positions fixed by `Layout`,
  wrapped to a character budget, so nothing depends on measured text width. 0.08 ms a chart (all
  demo charts in 0.04 s), 2.7 KB a chart (3.2 KB in the earlier fixed 400 px drawing); an
  institution page's 18 charts weigh 44 KB (6.3 KB gzipped; before 49 KB, 6.0 KB). No JavaScript, no font or other
  host, no worker process, same bytes on every machine, text in the page's own font; it prints.
- Baseline, the same chart drawn whole by vl-convert from an altair spec: ~80 ms a chart
  (~25 ms altair, ~55 ms vl-convert, which measures every string through a full text layout),
  ~1,000× the plain SVG; 12.7 KB a chart, the page's charts 241 KB (15.5 KB gzipped), 5.5×
  (2.5× gzipped). Text measurement also makes layout depend on the build machine's fonts.
- Before: vl-convert drew only the marks, a batch of charts per Vega view in a worker process,
  read back with regular expressions: 0.33 ms a chart plus ~0.4 s to start the worker (all demo
  charts 2.3 s wall).
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
from jobmonitor.site.formatting import change_text, format_number, format_value, isna
from jobmonitor.site.wording import fill
from jobmonitor.results import Record

# Figures go into the drawing rounded: 0.01 is far below a pixel, and no coordinate then carries
# more digits than a table (the release audit flags numbers with six or more decimals).
DATA_DECIMALS = 2
SERIES = ("own", "benchmark", "previous")
STROKES = {"own": "#1f3a5f", "benchmark": "#a64200", "previous": "#595959"}  # ≥ 5:1 on white
BAND_FILL = "#bcc6d3"  # the interval band behind the own result (light tint of the own colour)
SHAPE_STROKE = 1.8
DOT_RADIUS = 5  # the own result: a filled circle of 10 px
BAND_HEIGHT = 12  # the interval band: taller than the dot, so its ends show above and below it
# Open shapes centred on (0, 0), defined once per chart and placed with <use x="…%">: a diamond and
# a square of about the dot's size.
_SHAPES = {"benchmark": "M-5.5,0L0,-5.5L5.5,0L0,5.5Z", "previous": "M-4.5,-4.5h9v9h-9Z"}
# Every series on its own sub-row of a row, so shapes at the same value never hide each other:
# the benchmark above the own result, the previous edition below it (pixels from the row's centre).
OFFSETS = {"own": 0, "benchmark": -12, "previous": 12}


@dataclass(frozen=True)
class Layout:
    """Geometry of a chart type. The charts are fluid: x is a percentage of the plot's width (the
    SVG's width, which the stylesheet sets to the column less `right` px), y and text are in CSS px,
    so text keeps the page's size on a phone and on a wide screen alike."""

    domain: tuple[float, float]
    ticks: tuple[float, ...]
    tick_unit: str = ""
    left: int = 10  # room for a shape at the minimum; the plot runs from here to the SVG's width + left
    right: int = 176  # px the stylesheet keeps right of the SVG for the figure and the verdict
    value_gap: int = 24  # axis end → figure
    verdict_gap: int = 76  # axis end → verdict ("▼ verslechterd" fits the 176 px)
    font: int = 14  # label text, in CSS px
    wrap: int = 44  # characters a label line (fits a 326 px phone column at 14 px)
    line: int = 18  # label line height
    dot_row: int = 38  # height of the row holding the shapes (three sub-rows); grid lines span only this
    gap: int = 12  # space between rows
    axis: int = 24  # tick labels under the plot
    note: int = 20  # the line stating a zoomed scale


LAYOUTS = {
    "pct": Layout(domain=(0, 100), ticks=(0, 25, 50, 75, 100), tick_unit=" %"),
    "score": Layout(domain=(1, 5), ticks=(1, 2, 3, 4, 5), gap=8),
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
    domain: tuple[float, float] | None = None  # the axis shown, when zoomed in from the layout's
    ticks: tuple[float, ...] = ()
    axis_note: str = ""  # states the zoomed scale, e.g. "schaal 1–5, ingezoomd op 3,0–4,0"
    unit: str = ""  # `data-unit` of the unit drawn; every row's shapes and text carry `data-item`


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
                  labels: dict[str, str], table_id, w: dict, previous_edition=None, unit: str = "") -> dict:
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
        chart = Chart(f"grafiek-{theme.id}", "pct", fill(cw["title"], theme=theme.name, unit=subject), rows, unit=unit)
        summary = summarise(rows, compare, labels["benchmark"].lower(), cw["noun_item"], w, previous_edition)
        note = cw["note_means"] if any(i.measure not in PCT_MEASURES for i in items) else cw["note_score"]
        figures[theme.id] = Figure(f"{page}#{chart.id}", chart, summary, _legend(rows, labels),
                                   table_id(theme.id), note)
    return figures


def overview_figure(points: dict[str, Record], questionnaire, *, page: str, subject: str,
                    labels: dict[str, str], table_id: str, w: dict, unit: str = "") -> Figure | None:
    """The theme scores (1–5) of one unit against its benchmark, one row per theme."""
    cw = w["charts"]
    rows = tuple(_chart_row(t.id, t.name, points[t.id], "benchmark", True, w)
                 for t in questionnaire.themes if t.id in points)
    if not rows:
        return None
    domain, ticks = zoomed_axis(rows, LAYOUTS["score"].domain)
    note = fill(cw["zoomed"], low=format_number(domain[0], 1), high=format_number(domain[1], 1))
    chart = Chart("grafiek-themascores", "score", fill(cw["overview_title"], unit=subject), rows, domain, ticks,
                  note if domain != LAYOUTS["score"].domain else "", unit)
    summary = summarise(rows, "benchmark", labels["benchmark"].lower(), cw["noun_theme"], w)
    return Figure(f"{page}#{chart.id}", chart, summary, _legend(rows, labels), table_id, cw["note_overview"])


def zoomed_axis(rows: tuple[ChartRow, ...], full: tuple[float, float], step: float = 0.5):
    """The axis range and ticks for `rows`: every interval end, benchmark, previous figure and
    estimate, widened to whole steps (0.5 on the 1–5 scale) and never beyond the full scale; at
    least two steps wide, ticks every step (every whole number when that gives more than 5)."""
    values = [v for r in rows for v in (r.low, r.high, r.estimate, r.benchmark, r.previous)
              if v is not None and math.isfinite(v)]
    if not values:
        return full, ()
    low = max(full[0], math.floor(min(values) / step - 1e-9) * step)
    high = min(full[1], math.ceil(max(values) / step + 1e-9) * step)
    while high - low < 2 * step:  # room on both sides of a single value
        low, high = max(full[0], low - step), min(full[1], high + step)
    every = step if (high - low) / step <= 4 else 1.0
    first = math.ceil(low / every - 1e-9) * every
    ticks = tuple(round(first + k * every, 2) for k in range(int(round((high - first) / every)) + 1))
    return (round(low, 2), round(high, 2)), ticks


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


def _domain(chart: Chart) -> tuple[float, float]:
    return chart.domain or LAYOUTS[chart.kind].domain


def _pct(value: float, domain: tuple[float, float]) -> str:
    """A value's x as a percentage of the plot width, the value rounded to DATA_DECIMALS first."""
    low, high = domain
    return _num(100 * (round(value, DATA_DECIMALS) - low) / (high - low)) + "%"


def chart_marks(chart: Chart, ys: list[float]) -> str:
    """Per row the interval band, then the own results (filled circles) over the bands, then the
    benchmark (open diamond, a sub-row above) and the previous edition (open square, a sub-row
    below): shapes of one row never cover each other, whatever their values."""
    domain = _domain(chart)
    bands, dots, others = [], [], []
    for row, y in zip(chart.rows, ys):
        item = _item(row)
        if math.isfinite(row.low) and math.isfinite(row.high):
            low = 100 * (round(row.low, DATA_DECIMALS) - domain[0]) / (domain[1] - domain[0])
            high = 100 * (round(row.high, DATA_DECIMALS) - domain[0]) / (domain[1] - domain[0])
            bands.append(f'<rect{item} x="{_num(low)}%" y="{_num(y - BAND_HEIGHT / 2)}" width="{_num(high - low)}%" '
                         f'height="{BAND_HEIGHT}"/>')
        dots.append(f'<circle{item} cx="{_pct(row.estimate, domain)}" cy="{_num(y)}" r="{DOT_RADIUS}"/>')
        for series, value in (("benchmark", row.benchmark), ("previous", row.previous)):
            if value is not None:
                others.append(f'<use{item} href="#{chart.id}-{series}" x="{_pct(value, domain)}" '
                              f'y="{_num(y + OFFSETS[series])}"/>')
    return (f'<g fill="{BAND_FILL}">{"".join(bands)}</g><g fill="{STROKES["own"]}">{"".join(dots)}</g>'
            + "".join(others))


def _item(row: ChartRow) -> str:
    """The row's item on every shape and text it draws: the release scan ties them to it."""
    return f' data-item="{html.escape(row.key)}"'


def _num(value: float) -> str:
    """A coordinate with at most two decimals, never in exponent notation."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _text(x: float, y: float, text: str, attrs: str = "") -> str:
    return f'<text x="{_num(x)}" y="{_num(y)}"{attrs}>{html.escape(text, quote=False)}</text>'


def _tick_text(value: float, chart: Chart) -> str:
    if chart.domain:
        return format_number(value, 1)
    layout = LAYOUTS[chart.kind]
    text = format(value, "g")
    return text + layout.tick_unit if value == layout.ticks[-1] else text


def chart_svg(chart: Chart, marks: str, lines: list[list[str]], ys: list[float], height: float) -> str:
    """The finished SVG: grid, the marks, the text, a <title> and role="img". x is in % of the
    plot (the SVG's width); the figure and the verdict sit right of it, in the room the stylesheet
    keeps there (`overflow: visible`)."""
    layout = LAYOUTS[chart.kind]
    domain = _domain(chart)
    ticks = chart.ticks or layout.ticks
    parts = []
    for row, label_lines, y in zip(chart.rows, lines, ys):
        first = y - layout.dot_row / 2 - (len(label_lines) - 1) * layout.line - 5
        item = _item(row)
        parts += [_text(0, first + k * layout.line, line, item) for k, line in enumerate(label_lines)]
        parts.append(f'<text{item} x="100%" dx="{layout.value_gap}" y="{_num(y + 5)}" font-weight="700">'
                     f'{html.escape(row.value_text, quote=False)}</text>')
        if row.verdict_text:
            parts.append(f'<text{item} x="100%" dx="{layout.verdict_gap}" y="{_num(y + 5)}">'
                         f'{html.escape(row.verdict_text, quote=False)}</text>')
    # Grid lines only behind the shapes, so they never run through a question: one line a tick,
    # dashed to the rows' spans.
    spans, at = [], 0.0
    for y in ys:
        top = y - layout.dot_row / 2
        spans += [_num(top - at), str(layout.dot_row)]
        at = top + layout.dot_row
    dashes = ",".join(["0"] + spans)
    grid = "".join(f'<line x1="{_pct(t, domain)}" x2="{_pct(t, domain)}" y2="{_num(height)}"/>' for t in ticks)
    tick_texts = "".join(f'<text x="{_pct(t, domain)}" y="{_num(height + 16)}">{_tick_text(t, chart)}</text>'
                         for t in ticks)
    total = math.ceil(height + layout.axis + (layout.note if chart.axis_note else 0))
    note = (_text(0, height + layout.axis + 14, chart.axis_note, ' font-size="13" fill="#4d4d4d"')
            if chart.axis_note else "")
    defs = "".join(f'<path id="{chart.id}-{s}" d="{_SHAPES[s]}" fill="#fff" stroke="{STROKES[s]}" '
                   f'stroke-width="{SHAPE_STROKE}"/>' for s in ("benchmark", "previous"))
    title = f'<title id="{chart.id}-titel">{html.escape(chart.title, quote=False)}</title>'
    unit = f' data-unit="{html.escape(chart.unit)}"' if chart.unit else ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="job-chart" role="img"{unit} width="100%" height="{total}" '
        f'style="height:{total}px" aria-labelledby="{chart.id}-titel" aria-describedby="{chart.id}-beschrijving">'
        f'{title}<defs>{defs}</defs>'
        f'<g transform="translate({layout.left},0)"><g stroke="#c8c8c8" stroke-dasharray="{dashes}">{grid}</g>'
        f'{marks}<g font-size="12" fill="#4d4d4d" text-anchor="middle">{tick_texts}</g></g>'
        f'<g font-size="{layout.font}" fill="#1a1a1a">{"".join(parts)}{note}</g></svg>'
    )


def render_svgs(charts: list[Chart]) -> list[str]:
    """Every chart as a finished inline SVG, in order."""
    lines = [_row_lines(chart, LAYOUTS[chart.kind]) for chart in charts]
    positions = [_dot_positions(chart_lines, LAYOUTS[chart.kind]) for chart, chart_lines in zip(charts, lines)]
    return [chart_svg(chart, chart_marks(chart, ys), chart_lines, ys, height)
            for chart, chart_lines, (ys, height) in zip(charts, lines, positions)]
