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

Rendering decision (figures from `python bench/charts.py` on the demo edition, 466 charts;
CPU time on this 2-core machine):

- Vega-Lite with the JavaScript served by the site (`vl_convert.javascript_bundle()`): 877 KB
  of JavaScript (298 KB gzipped) on top of the theme's ~290 KB, 3.6 KB of spec per chart, no
  chart without JavaScript, and Vega compiles expressions with `new Function`, which the site's
  Content-Security-Policy (`script-src 'self'`) forbids: it would need 'unsafe-eval'. Rejected.
- Static SVG drawn entirely by vl-convert, one call per chart: 56 ms a chart, 13 KB. The time
  is text: vl-convert measures every string through a full SVG text layout (~1 ms a string
  plus ~0.07 ms a character), and a view costs ~2.5 ms to set up. The demo's charts would add
  ~26 s to a 7 s build; the national edition's ~2,200 charts two minutes. Text measurement also
  makes layout depend on the fonts of the build machine. Rejected.
- Chosen: static inline SVG. altair builds one Vega-Lite spec per chart type, compiled once;
  vl-convert draws only the marks (intervals and shapes), for a batch of up to `BATCH` charts
  in one view (chart k shifted down by k × `STRIDE`), and `split_marks` puts each mark back in
  its chart. This module writes the grid, questions, figures, verdicts and axis labels at
  positions fixed by `Layout`: questions sit above their row, wrapped to a character budget,
  so nothing depends on measured text width. 0.4 ms a chart plus ~0.4 s to start the worker
  process (all demo charts: ~0.7 s wall), 3.2 KB a chart; an institution page's 18 charts
  weigh 49 KB (6 KB gzipped). No JavaScript, no font or other host, same bytes on every
  machine, text in the page's own font; it prints. Above `POOL_THRESHOLD` charts two worker
  processes draw.
"""

from __future__ import annotations

import html
import math
import re
import sys
import textwrap
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from jobmonitor.codebook import PCT_MEASURES
from jobmonitor.site.formatting import fill, format_value, id_or_none, isna
from jobmonitor.results import SUPPRESSED

# Figures go into the drawing rounded: 0.01 is far below a pixel, and no coordinate then carries
# more digits than a table (the release audit flags numbers with six or more decimals).
DATA_DECIMALS = 2
# A worker's start (JavaScript runtime, compiling the specs) costs ~0.4 s CPU, drawing a batch of
# 200 charts ~0.1 s: a second worker pays off only for national-scale sites.
POOL_THRESHOLD = 1_000  # more charts than this are drawn by two worker processes
BATCH = 200  # charts drawn in one Vega view
STRIDE = 10_000  # px between the charts of a batch; taller than any chart
WORKERS = 2
SERIES = ("own", "benchmark", "previous")  # drawing order: the filled circle first, open shapes over it
SHAPES = {"own": "circle", "benchmark": "diamond", "previous": "square"}
STROKES = {"own": "#1f3a5f", "benchmark": "#a64200", "previous": "#595959"}  # ≥ 5:1 on white
FILLS = {"own": "#1f3a5f", "benchmark": "transparent", "previous": "transparent"}
SIZES = {"own": 64, "benchmark": 110, "previous": 70}
SHAPE_STROKE = 1.8


@dataclass(frozen=True)
class Layout:
    """Geometry of a chart type in SVG pixels; the text layer and the Vega spec share it."""

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


class Numbers(NamedTuple):
    """The figures of one published row that a chart may draw."""

    measure: str
    status: str
    estimate: float
    low: float
    high: float
    benchmark: float
    previous: float
    marker: str
    change_marker: str


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
    verdict_text: str  # "hoger (+)", "▼ gedaald" or "" (no difference)


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


def chart_numbers(results) -> dict[tuple, dict[str, Numbers]]:
    """(level, institution_id, domain_id) → item_id → figures, for published rows only."""
    shown = results[~results["status"].isin(SUPPRESSED) & results["estimate"].notna()]
    keys = zip(*(shown[c].astype("string").tolist() for c in ("level", "institution_id", "domain_id", "item_id")))
    numbers = [shown[c].astype("float64").tolist() for c in ("estimate", "ci_low", "ci_high", "benchmark",
                                                             "previous_estimate")]
    texts = [shown[c].astype("string").fillna("").str.strip().tolist() for c in ("measure", "status", "marker",
                                                                                  "change_marker")]
    index: dict[tuple, dict[str, Numbers]] = {}
    for (level, inst, dom, item), est, low, high, bench, prev, measure, status, marker, change in zip(
            keys, *numbers, *texts):
        row = Numbers(measure, status, est, low, high, bench, prev, marker, change)
        index.setdefault((level, id_or_none(inst), id_or_none(dom)), {})[item] = row
    return index


def _optional(value: float) -> float | None:
    return None if isna(value) else value


def _chart_row(key: str, label: str, numbers: Numbers, compare: str, comparable: bool, w: dict) -> ChartRow:
    previous = _optional(numbers.previous) if comparable else None
    value = format_value(numbers.estimate, numbers.measure, w) + ("*" if numbers.status == "indicative" else "")
    if compare == "previous":
        verdict = w["change"].get(numbers.change_marker, "") if previous is not None and numbers.change_marker else ""
    else:
        verdict = w["marker"].get(numbers.marker, "") if numbers.marker else ""
    return ChartRow(key, label, numbers.estimate, numbers.low, numbers.high, _optional(numbers.benchmark),
                    previous, value, verdict)


def _count_text(counts: list[tuple[int, str]], noun: tuple[str, str]) -> str:
    """'3 vragen hoger dan landelijk, 1 lager, 8 geen verschil': the noun only on the first part."""
    parts = []
    for number, phrase in counts:
        if parts:
            parts.append(f"{number} {phrase}")
        else:
            parts.append(f"{number} {noun[0] if number == 1 else noun[1]} {phrase}")
    return ", ".join(parts) + "." if parts else ""


def summarise(rows: tuple[ChartRow, ...], compare: str, benchmark_name: str, noun: tuple[str, str], w: dict,
              previous_edition=None) -> str:
    """The text alternative's counts, e.g. '3 vragen hoger dan landelijk, 1 lager, 8 geen verschil.'"""
    c = w["charts"]["counts"]
    if compare == "previous":
        compared = [r for r in rows if r.previous is not None]
        up = sum(r.verdict_text == w["change"]["▲"] for r in compared)
        down = sum(r.verdict_text == w["change"]["▼"] for r in compared)
        counts = [(up, fill(c["up"], edition=previous_edition)), (down, c["down"]), (len(compared) - up - down, c["same"])]
        missing = (len(rows) - len(compared), c["not_comparable"])
    else:
        compared = [r for r in rows if r.benchmark is not None]
        higher = sum(r.verdict_text == w["marker"]["+"] for r in compared)
        lower = sum(r.verdict_text == w["marker"]["-"] for r in compared)
        counts = [(higher, fill(c["higher"], benchmark=benchmark_name)), (lower, c["lower"]),
                  (len(compared) - higher - lower, c["same"])]
        missing = (len(rows) - len(compared), c["no_benchmark"])
    if missing[0]:
        counts.append(missing)
    return _count_text(counts, noun)


def _legend(rows: tuple[ChartRow, ...], labels: dict[str, str]) -> tuple[tuple[str, str], ...]:
    drawn = {"own": True, "benchmark": any(r.benchmark is not None for r in rows),
             "previous": any(r.previous is not None for r in rows)}
    return tuple((series, labels[series]) for series in SERIES if drawn[series])


def theme_figures(points: dict[str, Numbers], questionnaire, *, page: str, subject: str, compare: str,
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
            _chart_row(item.id, item.text, points[item.id], compare, item.comparable and item.previous_id is not None, w)
            for item in items if item.id in points and points[item.id].measure in PCT_MEASURES)
        if not rows:
            continue
        chart = Chart(f"grafiek-{theme.id}", "pct", fill(cw["title"], theme=theme.name, unit=subject), rows)
        summary = summarise(rows, compare, labels["benchmark"].lower(), cw["noun_item"], w, previous_edition)
        note = cw["note_means"] if any(i.measure not in PCT_MEASURES for i in items) else cw["note_score"]
        figures[theme.id] = Figure(f"{page}#{chart.id}", chart, summary, _legend(rows, labels),
                                   table_id(theme.id), note)
    return figures


def overview_figure(points: dict[str, Numbers], questionnaire, *, page: str, subject: str,
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


@lru_cache(maxsize=None)
def vegalite_template(kind: str) -> dict:
    """The Vega-Lite spec of a chart type, built once with altair; data and height go in later."""
    import altair as alt  # noqa: PLC0415 (heavy import, only when charts are built)

    layout = LAYOUTS[kind]
    x_scale = alt.Scale(domain=list(layout.domain), nice=False, zero=False)
    y = alt.Y("y:Q", scale=None, axis=None)  # pixel positions from the text layout
    # No axis: its grid lines and tick labels are drawn with the text (an axis doubles the cost).
    interval = alt.Chart(alt.Data(name="rows")).mark_rule(color=STROKES["own"], strokeWidth=2).encode(
        x=alt.X("low:Q", scale=x_scale, axis=None), x2="high:Q", y=y)

    def series_scale(values: dict):
        return alt.Scale(domain=list(SERIES), range=[values[s] for s in SERIES])

    shapes = alt.Chart(alt.Data(name="points")).mark_point(opacity=1, strokeWidth=SHAPE_STROKE).encode(
        x=alt.X("value:Q", scale=x_scale), y=y,
        shape=alt.Shape("series:N", scale=series_scale(SHAPES), legend=None),
        stroke=alt.Stroke("series:N", scale=series_scale(STROKES), legend=None),
        fill=alt.Fill("series:N", scale=series_scale(FILLS), legend=None),
        size=alt.Size("series:N", scale=series_scale(SIZES), legend=None))
    chart = alt.layer(interval, shapes).properties(width=layout.plot, height=100)
    spec = chart.configure_view(stroke=None, fill=None).configure(aria=False).to_dict()
    spec.update(autosize="none", padding=0, background=None)
    return spec


def stacked_data(charts: list[Chart], ys_per_chart: list[list[float]]) -> dict[str, list[dict]]:
    """The two named datasets of a batch: intervals ("rows") and shapes ("points"), chart k
    shifted down by k × STRIDE pixels so one Vega view draws the whole batch."""
    rows, points = [], []
    for k, (chart, ys) in enumerate(zip(charts, ys_per_chart)):
        if ys and ys[-1] >= STRIDE:
            raise ValueError(f"chart `{chart.title}` is taller than STRIDE ({STRIDE} px); raise it")
        for row, y in zip(chart.rows, ys):
            y += k * STRIDE
            rows.append({"y": y, "low": round(row.low, DATA_DECIMALS), "high": round(row.high, DATA_DECIMALS)})
            values = {"own": row.estimate, "benchmark": row.benchmark, "previous": row.previous}
            points += [{"y": y, "series": s, "value": round(values[s], DATA_DECIMALS)} for s in SERIES
                       if values[s] is not None]
    return {"rows": rows, "points": points}


def with_data(vega: dict, data: dict[str, list[dict]], height: float) -> dict:
    """A compiled Vega spec with this batch's data and height swapped in; nothing recompiled."""
    spec = dict(vega, height=height)
    spec["data"] = [dict(d, values=data[d["name"]]) if d["name"] in data else d for d in vega["data"]]
    return spec


# A drawn mark as vl-convert writes it: a rule as <line>, a shape as <path>, each placed by a
# translate; nothing else in the batch's SVG carries a drawing.
_MARK = re.compile(r'<(line|path) transform="translate\(([-\d.e]+),([-\d.e]+)\)"([^>]*)/>')
_ELEMENT = re.compile(r"<(?:line|path)\b[^>]*>")  # group frames (class background/foreground) have no translate
# Attributes that change nothing in a static inline SVG (the shapes' stroke width is set once
# on their group), dropped to keep pages light.
_NOISE = re.compile(r'\s(?:class|role|aria-[a-z]+|pointer-events)="[^"]*"|\s(?:opacity="1"|stroke-width="1\.8")')


def split_marks(svg: str, count: int) -> list[str]:
    """The marks of a batch's SVG, back in their own charts (by y) with rounded coordinates."""
    parts: list[list[str]] = [[] for _ in range(count)]
    marks = _MARK.findall(svg)
    elements = _ELEMENT.findall(svg)
    frames = [e for e in elements if 'class="background"' in e or 'class="foreground"' in e]
    if len(marks) != len(elements) - len(frames):
        raise RuntimeError("vl-convert wrote marks in an unexpected form; charts.split_marks needs updating")
    for tag, x, y, attrs in marks:
        k, local_y = divmod(float(y), STRIDE)
        attrs = _LONG_DECIMAL.sub(lambda m: _num(float(m.group(0))), _NOISE.sub("", attrs))
        parts[int(k)].append(f'<{tag} transform="translate({_num(float(x))},{_num(local_y)})"{attrs}/>')
    return ["".join(part) for part in parts]


_COMPILED: dict[str, dict] = {}  # per worker process: chart type → compiled Vega spec


def _draw_batches(templates: dict[str, dict], batches: list[tuple[str, dict, int]]) -> list[list[str]]:
    """Worker: per batch (chart type, stacked data, chart count) the marks of each chart."""
    import vl_convert  # noqa: PLC0415

    drawn = []
    for kind, data, count in batches:
        if kind not in _COMPILED:
            _COMPILED[kind] = vl_convert.vegalite_to_vega(templates[kind])
        svg = vl_convert.vega_to_svg(with_data(_COMPILED[kind], data, count * STRIDE))
        drawn.append(split_marks(svg, count))
    return drawn


def _worker_context():
    """Fork workers (cheap; they inherit the loaded modules) unless vl-convert was loaded here:
    it runs a JavaScript runtime on threads of its own, and a process forked after it started
    may hang. Then spawn them (the caller's main script must then be import-safe, as usual)."""
    import multiprocessing  # noqa: PLC0415

    return multiprocessing.get_context("spawn" if "vl_convert" in sys.modules else "fork")


def draw_marks(charts: list[Chart], ys_per_chart: list[list[float]]) -> list[str]:
    """Every chart's marks (intervals and shapes) as SVG elements, in order.

    Charts of one type are drawn in batches of `BATCH` in one Vega view each: a view costs
    ~2.5 ms to set up, a chart's marks ~0.1 ms. vl-convert never runs in this process (see
    `_worker_context`): one worker process draws, two when there are more than `POOL_THRESHOLD`.
    """
    if not charts:
        return []
    order = sorted(range(len(charts)), key=lambda i: charts[i].kind)  # stable: page order within a type
    batches, members = [], []
    for kind in sorted({c.kind for c in charts}):
        same = [i for i in order if charts[i].kind == kind]
        for start in range(0, len(same), BATCH):
            chunk = same[start:start + BATCH]
            data = stacked_data([charts[i] for i in chunk], [ys_per_chart[i] for i in chunk])
            batches.append((kind, data, len(chunk)))
            members.append(chunk)
    templates = {kind: vegalite_template(kind) for kind in sorted({c.kind for c in charts})}
    workers = min(WORKERS if len(charts) > POOL_THRESHOLD else 1, len(batches))
    per_worker = [batches[w::workers] for w in range(workers)]
    with ProcessPoolExecutor(workers, mp_context=_worker_context()) as pool:
        results = list(pool.map(_draw_batches, [templates] * workers, per_worker))
    marks: list[str] = [""] * len(charts)
    for w, drawn in enumerate(results):
        for batch_marks, chunk in zip(drawn, members[w::workers]):
            for i, chart_marks in zip(chunk, batch_marks):
                marks[i] = chart_marks
    return marks


_LONG_DECIMAL = re.compile(r"\d+\.\d{3,}")


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
    """The finished SVG: grid, the marks drawn by vl-convert, the text, a <title> and role="img"."""
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
    marks = draw_marks(charts, [ys for ys, _ in positions])
    return [chart_svg(chart, chart_marks, chart_lines, ys, height)
            for chart, chart_marks, chart_lines, (ys, height) in zip(charts, marks, lines, positions)]
