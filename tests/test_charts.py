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
LABELS = {"own": "Eigen uitkomst met 95%-interval", "benchmark": "Landelijk", "previous": "Vorige editie (2023)"}
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
    assert svg.count("<path transform=") == 5 and svg.count("<line transform=") == 2
    assert svg.count('fill="#1f3a5f"') == 2  # the filled circles; the other shapes are open


def test_rendering_is_deterministic(site_figures, site_svgs):
    assert charts.render_svgs([f.chart for f in site_figures]) == site_svgs
    assert charts.render_svgs([f.chart for f in reversed(site_figures)]) == site_svgs[::-1]


def test_marks_of_a_small_chart():
    """Snapshot of the marks: the intervals first, then per row the own result (filled circle), the
    benchmark (open diamond) and the previous edition (open square). Rows sit at y = 30 and 86;
    x = 240 px × value / 100, the value rounded to two decimals first (33.333 → 33.33 → 79.99)."""
    rows = (charts.ChartRow("A", "Vraag A", 50.0, 45.0, 55.0, 60.0, 40.0, "50,0 %", "gunstiger"),
            charts.ChartRow("B", "Vraag B", 33.333, 30.0, 36.666, None, None, "33,3 %", ""))
    svg = charts.render_svgs([charts.Chart("grafiek-x", "pct", "x", rows)])[0]
    circle, diamond, square = ("M4,0A4,4,0,1,1,-4,0A4,4,0,1,1,4,0", "M-4.66,0L0,-4.66L4.66,0L0,4.66Z",
                               "M-5.24,-5.24h10.49v10.49h-10.49Z")
    marks = [
        '<line transform="translate(108,30)" x2="24" y2="0" stroke="#1f3a5f" stroke-width="2"/>',
        '<line transform="translate(72,86)" x2="16.01" y2="0" stroke="#1f3a5f" stroke-width="2"/>',
        f'<path transform="translate(120,30)" d="{circle}" fill="#1f3a5f" stroke="#1f3a5f"/>',
        f'<path transform="translate(144,30)" d="{diamond}" stroke="#a64200"/>',
        f'<path transform="translate(96,30)" d="{square}" stroke="#595959"/>',
        f'<path transform="translate(79.99,86)" d="{circle}" fill="#1f3a5f" stroke="#1f3a5f"/>',
    ]
    assert f'<g fill="none" stroke-width="1.8" transform="translate(8,0)">{"".join(marks)}</g>' in svg
    assert charts._x(3.5, charts.LAYOUTS["score"]) == 150  # the score axis runs 1–5 over the same 240 px


def test_long_question_wraps_within_the_chart():
    label = "Als ik extra ondersteuning nodig heb, bijvoorbeeld door dyslexie of een beperking, dan krijg ik die ook."
    row = charts.ChartRow("X", label, 50.0, 45.0, 55.0, None, None, "50,0 %", "")
    lines = charts._row_lines(charts.Chart("grafiek-x", "pct", "x", (row,)), charts.LAYOUTS["pct"])
    assert len(lines[0]) == 3 and all(len(line) <= charts.LAYOUTS["pct"].wrap for line in lines[0])
    assert " ".join(lines[0]) == label
