"""Charts: only published rows, the right counts in the text alternative, the marks of a chart
(snapshot), and SVG that is accessible, deterministic, self-contained and leak-free."""

from __future__ import annotations

import re

import pytest

from jobmonitor.site import charts, pages
from jobmonitor.site.context import site_context
from jobmonitor.site.pages import build_page_specs
from jobmonitor.site.wording import load_wording
from site_fixtures import HIDDEN_STRINGS, QUESTIONNAIRE, site_inputs

W = load_wording()
Q1, Q2 = "De lessen beginnen op tijd.", "Ik krijg <genoeg> feedback | ook op stage"
LABELS = {"own": "Eigen uitkomst met bandbreedte (95%)", "benchmark": "Landelijk", "previous": "Vorige editie (2023)"}
SVG_NAMESPACE = "http://www.w3.org/2000/svg"


@pytest.fixture(scope="module")
def numbers() -> dict:
    """Per unit the rows a chart may draw (`SiteContext.points`), for units that have any."""
    ctx = site_context(site_inputs())
    points = {key: ctx.points_of(key) for key in ctx.inputs.index}
    return {key: rows for key, rows in points.items() if rows}


def figures_of(numbers, level, inst=None, dom=None, compare="benchmark"):
    return charts.theme_figures(numbers.get((level, inst, dom), {}), QUESTIONNAIRE, page="x.md", subject="Eenheid",
                                compare=compare, labels=LABELS, table_id=lambda t: f"tabel-{t}", w=W,
                                previous_edition=2023)


@pytest.fixture(scope="module")
def site_figures() -> list[charts.Figure]:
    return pages.page_figures(build_page_specs(site_context(site_inputs())))


@pytest.fixture(scope="module")
def site_svgs(site_figures) -> list[str]:
    return charts.render_svgs([figure.chart for figure in site_figures])


def test_numbers_hold_published_rows_only(numbers):
    # Ábel Vakcollege × Techniek: every row suppressed (n = 7); × Zorg: Q2 suppressed_secondary.
    assert ("institution_domain", "I02", "D2") not in numbers
    assert set(numbers[("institution_domain", "I02", "D1")]) == {"lessen", "Q1"}
    assert numbers[("institution", "I01", None)]["Q2"].estimate == 55.3


def test_chart_rows_are_exactly_the_published_items(numbers):
    full = figures_of(numbers, "institution", "I01")["lessen"].chart
    assert [row.key for row in full.rows] == ["Q1", "Q2"]
    partial = figures_of(numbers, "institution_domain", "I02", "D1")["lessen"].chart
    assert [row.key for row in partial.rows] == ["Q1"]  # Q2 is suppressed here
    assert figures_of(numbers, "institution_domain", "I02", "D2") == {}


def test_chart_row_carries_the_table_figures(numbers):
    row = figures_of(numbers, "institution", "I02")["lessen"].chart.rows[0]
    assert (row.label, row.estimate, row.low, row.high, row.benchmark) == (Q1, 51.2, 46.2, 56.1, 60.0)
    assert (row.previous, row.value_text, row.verdict_text) == (58.9, "51,2 %", "ongunstiger")
    not_comparable = figures_of(numbers, "institution", "I02")["lessen"].chart.rows[1]
    assert not_comparable.previous is None  # Q2 has no previous_id: no square, as the table says


def test_indicative_value_is_marked(numbers):
    row = figures_of(numbers, "institution_domain", "I01", "D2")["lessen"].chart.rows[0]
    assert row.value_text == "43,2 %*"


@pytest.mark.parametrize("level, inst, compare, summary", [
    ("institution", "I01", "benchmark", "1 vraag gunstiger dan landelijk, 0 ongunstiger, 1 geen duidelijk verschil."),
    ("institution", "I02", "benchmark", "0 vragen gunstiger dan landelijk, 1 ongunstiger, 1 geen duidelijk verschil."),
    ("national", None, "previous",
     "1 vraag verbeterd sinds 2023, 0 verslechterd, 0 geen duidelijk verschil, 1 niet te vergelijken met de vorige editie."),
])
def test_text_alternative_counts(numbers, level, inst, compare, summary):
    figure = figures_of(numbers, level, inst, compare=compare)["lessen"]
    assert figure.summary == summary
    assert figure.table_id == "tabel-lessen"


def test_legend_lists_only_drawn_series(numbers):
    national = figures_of(numbers, "national", compare="previous")["lessen"]
    assert [series for series, _ in national.legend] == ["own", "previous"]
    indicative = figures_of(numbers, "institution_domain", "I01", "D2")["lessen"]
    assert [series for series, _ in indicative.legend] == ["own", "benchmark"]


def test_overview_chart_of_theme_scores(numbers):
    figure = charts.overview_figure(numbers[("institution_domain", "I01", "D1")], QUESTIONNAIRE, page="x.md",
                                    subject="Eenheid", labels=LABELS, table_id="tabel-lessen", w=W)
    assert figure.chart.kind == "score"
    assert [(row.key, row.label, row.value_text) for row in figure.chart.rows] == [("lessen", "Lessen en leren", "3,7")]
    assert figure.summary == "0 thema's gunstiger dan landelijk, 0 ongunstiger, 1 geen duidelijk verschil."
    assert charts.overview_figure({}, QUESTIONNAIRE, page="x.md", subject="x", labels=LABELS, table_id="",
                                  w=W) is None


def test_site_has_a_chart_per_theme_on_unit_pages_and_an_overview_per_cell(site_figures):
    pages_with_charts = sorted({figure.key.split("#")[0] for figure in site_figures})
    assert pages_with_charts == [
        "domeinen/techniek-procesindustrie.md", "domeinen/zorg-welzijn-en-sport.md",
        "instellingen/abel-vakcollege/index.md", "instellingen/abel-vakcollege/zorg-welzijn-en-sport.md",
        "instellingen/zuiderlicht-college/index.md", "instellingen/zuiderlicht-college/techniek-procesindustrie.md",
        "instellingen/zuiderlicht-college/zorg-welzijn-en-sport.md", "landelijk.md",
    ]
    overviews = [figure for figure in site_figures if figure.chart.kind == "score"]
    assert len(overviews) == 3  # one per institution × domain page with a published theme score
    assert len({figure.key for figure in site_figures}) == len(site_figures)


def test_svg_is_accessible_and_self_contained(site_figures, site_svgs):
    for figure, svg in zip(site_figures, site_svgs):
        assert svg.startswith("<svg ") and svg.endswith("</svg>")
        assert 'role="img"' in svg
        assert f'aria-labelledby="{figure.id}-titel"' in svg and f'aria-describedby="{figure.id}-beschrijving"' in svg
        assert f'<title id="{figure.id}-titel">' in svg
        assert set(re.findall(r"https?://[^\"'\s)]+", svg)) == {SVG_NAMESPACE}
        assert "font-family" not in svg and "@import" not in svg and "<image" not in svg
        assert not re.search(r"\d\.\d{3,}", svg), "coordinates are rounded to two decimals"


def test_svg_shows_texts_escaped_and_no_hidden_value(site_figures, site_svgs):
    texts = " ".join(site_svgs)
    assert "Ik krijg &lt;genoeg&gt; feedback | ook op stage" in texts and "<genoeg>" not in texts
    for hidden in HIDDEN_STRINGS:
        assert not re.search(rf"(?<![\d.,]){re.escape(hidden)}(?!\d)", texts), hidden
    cell = site_svgs[[f.key for f in site_figures].index("instellingen/abel-vakcollege/zorg-welzijn-en-sport.md"
                                                         "#grafiek-themascores")]
    assert "3,6" in cell and "Lessen en leren" in cell


def test_svg_draws_one_shape_per_figure_shown(numbers):
    figure = figures_of(numbers, "institution", "I02")["lessen"]
    svg = charts.render_svgs([figure.chart])[0]
    # Q1: own, benchmark, previous; Q2: own and benchmark (not comparable with the previous edition).
    assert svg.count("<circle ") == 2 and svg.count("<use ") == 3 and svg.count("<rect ") == 2
    assert svg.count('href="#grafiek-lessen-benchmark"') == 2 and svg.count('href="#grafiek-lessen-previous"') == 1


def test_rendering_is_deterministic(site_figures, site_svgs):
    assert charts.render_svgs([f.chart for f in site_figures]) == site_svgs
    assert charts.render_svgs([f.chart for f in reversed(site_figures)]) == site_svgs[::-1]


SMALL = (charts.ChartRow("A", "Vraag A", 50.0, 45.0, 55.0, 60.0, 40.0, "50,0 %", "gunstiger"),
         charts.ChartRow("B", "Vraag B", 33.333, 30.0, 36.666, None, None, "33,3 %", ""))


def test_marks_of_a_small_chart():
    """Snapshot of the marks: the interval bands, the own results (filled circles) over them, then
    per row the benchmark (open diamond, 12 px above) and the previous edition (open square, 12 px
    below). Rows sit at y = 37 and 105; x is a percentage of the plot, the value rounded to two
    decimals first (33.333 → 33.33 %)."""
    svg = charts.render_svgs([charts.Chart("grafiek-x", "pct", "x", SMALL)])[0]
    marks = (
        '<g fill="#bcc6d3"><rect data-item="A" x="45%" y="31" width="10%" height="12"/>'
        '<rect data-item="B" x="30%" y="99" width="6.67%" height="12"/></g>'
        '<g fill="#1f3a5f"><circle data-item="A" cx="50%" cy="37" r="5"/><circle data-item="B" cx="33.33%" cy="105" r="5"/></g>'
        '<use data-item="A" href="#grafiek-x-benchmark" x="60%" y="25"/><use data-item="A" href="#grafiek-x-previous" x="40%" y="49"/>'
    )
    assert marks in svg
    # The verdict in words beside the figure; every shape and text names its row's item (release scan).
    assert '<text data-item="A" x="100%" dx="76" y="42">gunstiger</text>' in svg


def _marks_by_row(svg: str) -> list[dict[str, float]]:
    """Per own circle (in row order) the y of the row's circle, diamond and square."""
    circles = [float(y) for y in re.findall(r'<circle data-item="[^"]*" cx="[\d.]+%" cy="([\d.]+)"', svg)]
    uses = [(s, float(y)) for s, y in re.findall(r'<use data-item="[^"]*" href="#[\w-]+-(\w+)" x="[\d.]+%" y="([\d.]+)"', svg)]
    rows = [{"own": y} for y in circles]
    for series, y in uses:
        nearest = min(rows, key=lambda row: abs(row["own"] - y))
        nearest[series] = y
    return rows


def test_own_benchmark_and_previous_never_cover_each_other():
    """Same value for all three: still three shapes on three sub-rows, at least a shape apart."""
    row = charts.ChartRow("A", "Vraag A", 50.0, 49.0, 51.0, 50.0, 50.0, "50,0 %", "")
    svg = charts.render_svgs([charts.Chart("grafiek-x", "pct", "x", (row,))])[0]
    (ys,) = _marks_by_row(svg)
    assert ys["benchmark"] < ys["own"] < ys["previous"]
    shape = 2 * charts.DOT_RADIUS + charts.SHAPE_STROKE
    assert ys["own"] - ys["benchmark"] >= shape and ys["previous"] - ys["own"] >= shape


def test_interval_band_is_at_least_as_tall_as_the_dot_and_behind_it(site_svgs):
    assert charts.BAND_HEIGHT >= 2 * charts.DOT_RADIUS
    for svg in site_svgs:
        heights = re.findall(r'<rect data-item="[^"]*" x="[\d.]+%" y="[\d.]+" width="[\d.]+%" height="([\d.]+)"', svg)
        assert heights and all(float(h) >= 2 * charts.DOT_RADIUS for h in heights)
        assert svg.index("<rect ") < svg.index("<circle ")  # drawn first: behind the own result


def test_overview_axis_is_zoomed_to_the_data_and_says_so(site_figures, site_svgs):
    overviews = [(f, svg) for f, svg in zip(site_figures, site_svgs) if f.chart.kind == "score"]
    assert overviews
    for figure, svg in overviews:
        low, high = figure.chart.domain
        values = [v for r in figure.chart.rows for v in (r.low, r.high, r.estimate, r.benchmark, r.previous)
                  if v is not None]
        assert low <= min(values) and max(values) <= high and (low, high) != (1, 5)
        assert 1 <= low and high <= 5 and (low * 2).is_integer() and (high * 2).is_integer()
        note = charts.fill(W["charts"]["zoomed"], low=f"{low:.1f}".replace(".", ","),
                           high=f"{high:.1f}".replace(".", ","))
        assert figure.chart.axis_note == note and f">{note}</text>" in svg
        ticks = figure.chart.ticks
        assert ticks[0] >= low and ticks[-1] <= high and len(ticks) >= 2
        for tick in ticks:
            assert f">{tick:.1f}</text>".replace(".", ",") in svg


@pytest.mark.parametrize("values, domain, ticks", [
    ((3.12, 3.05, 3.2, 3.3), (2.5, 4.0), (2.5, 3.0, 3.5, 4.0)),  # one step wide: a step more each side
    ((3.5, 3.4, 3.6, 3.55), (3.0, 4.0), (3.0, 3.5, 4.0)),  # widened: at least two steps
    ((4.6, 4.4, 4.95, 5.0), (4.0, 5.0), (4.0, 4.5, 5.0)),  # never beyond the scale
    ((2.0, 1.2, 4.9, 3.0), (1.0, 5.0), (1.0, 2.0, 3.0, 4.0, 5.0)),  # wide: whole numbers
])
def test_zoomed_axis_contains_every_figure(values, domain, ticks):
    estimate, low, high, benchmark = values
    row = charts.ChartRow("t", "T", estimate, low, high, benchmark, None, "", "")
    assert charts.zoomed_axis((row,), (1, 5)) == (domain, ticks)


def test_percentage_charts_keep_the_full_axis():
    svg = charts.render_svgs([charts.Chart("grafiek-x", "pct", "x", SMALL)])[0]
    assert ">100 %</text>" in svg and ">0</text>" in svg and "ingezoomd" not in svg


def test_long_question_wraps_within_the_chart():
    label = "Als ik extra ondersteuning nodig heb, bijvoorbeeld door dyslexie of een beperking, dan krijg ik die ook."
    row = charts.ChartRow("X", label, 50.0, 45.0, 55.0, None, None, "50,0 %", "")
    lines = charts._row_lines(charts.Chart("grafiek-x", "pct", "x", (row,)), charts.LAYOUTS["pct"])
    assert len(lines[0]) == 3 and all(len(line) <= charts.LAYOUTS["pct"].wrap for line in lines[0])
    assert " ".join(lines[0]) == label
