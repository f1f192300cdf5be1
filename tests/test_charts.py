"""Charts: only published rows, the right counts in the text alternative, the Vega-Lite spec of
each chart type, and SVG that is accessible, deterministic, self-contained and leak-free."""

from __future__ import annotations

import re

import pytest

from jobmonitor.site import charts, pages
from jobmonitor.site.pages import build_page_specs, load_wording
from site_fixtures import HIDDEN_STRINGS, QUESTIONNAIRE, site_inputs

W = load_wording()
Q1, Q2 = "De lessen beginnen op tijd.", "Ik krijg <genoeg> feedback | ook op stage"
LABELS = {"own": "Eigen uitkomst met 95%-interval", "benchmark": "Landelijk", "previous": "Vorige editie (2023)"}
SVG_NAMESPACE = "http://www.w3.org/2000/svg"


@pytest.fixture(scope="module")
def numbers() -> dict:
    return charts.chart_numbers(site_inputs().results)


def figures_of(numbers, level, inst=None, dom=None, compare="benchmark"):
    return charts.theme_figures(numbers.get((level, inst, dom), {}), QUESTIONNAIRE, page="x.md", subject="Eenheid",
                                compare=compare, labels=LABELS, table_id=lambda t: f"tabel-{t}", w=W,
                                previous_edition=2023)


@pytest.fixture(scope="module")
def site_figures() -> list[charts.Figure]:
    return pages.page_figures(build_page_specs(site_inputs()))


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
    assert (row.previous, row.value_text, row.verdict_text) == (58.9, "51,2 %", "lager (−)")
    not_comparable = figures_of(numbers, "institution", "I02")["lessen"].chart.rows[1]
    assert not_comparable.previous is None  # Q2 has no previous_id: no square, as the table says


def test_indicative_value_is_marked(numbers):
    row = figures_of(numbers, "institution_domain", "I01", "D2")["lessen"].chart.rows[0]
    assert row.value_text == "43,2 %*"


@pytest.mark.parametrize("level, inst, compare, summary", [
    ("institution", "I01", "benchmark", "1 vraag hoger dan landelijk, 0 lager, 1 geen verschil."),
    ("institution", "I02", "benchmark", "0 vragen hoger dan landelijk, 1 lager, 1 geen verschil."),
    ("national", None, "previous",
     "1 vraag gestegen ten opzichte van 2023, 0 gedaald, 0 geen verschil, 1 niet te vergelijken met de vorige editie."),
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
    assert figure.summary == "0 thema's hoger dan landelijk, 0 lager, 1 geen verschil."
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


def test_vegalite_template_per_chart_type():
    """Snapshot-ish: named datasets swapped per chart, fixed domain, shapes per series, and no axis
    or text mark: vl-convert measures every string (~1 ms each), so text is written by charts.py."""
    for kind, domain in (("pct", [0, 100]), ("score", [1, 5])):
        spec = charts.vegalite_template(kind)
        layers = spec["layer"]
        assert [layer["data"]["name"] for layer in layers] == ["rows", "points"]
        assert [layer["mark"]["type"] for layer in layers] == ["rule", "point"]
        assert layers[0]["encoding"]["x"]["scale"]["domain"] == domain
        shape = layers[1]["encoding"]["shape"]["scale"]
        assert shape == {"domain": ["own", "benchmark", "previous"], "range": ["circle", "diamond", "square"]}
        assert "axis" not in repr(layers[1]["encoding"]["x"]) and layers[0]["encoding"]["x"]["axis"] is None


def test_stacked_data_holds_only_the_charts_rows(numbers):
    chart = figures_of(numbers, "institution_domain", "I02", "D1")["lessen"].chart
    data = charts.stacked_data([chart, chart], [[30.0], [30.0]])
    assert data["rows"] == [{"y": 30.0, "low": 53.0, "high": 63.6}, {"y": 10_030.0, "low": 53.0, "high": 63.6}]
    assert [(p["series"], p["value"]) for p in data["points"][:3]] == [("own", 58.4), ("benchmark", 61.8),
                                                                      ("previous", 57.1)]


def test_split_marks_puts_each_mark_back_in_its_chart():
    svg = ('<svg><g><path class="background" d="M0,0h1"/><line transform="translate(1.123456789,30)" x2="5" '
           'stroke="#000"/><path transform="translate(2,10030.5)" d="M1,0" fill="#fff"/></g></svg>')
    assert charts.split_marks(svg, 2) == ['<line transform="translate(1.12,30)" x2="5" stroke="#000"/>',
                                          '<path transform="translate(2,30.5)" d="M1,0" fill="#fff"/>']
    with pytest.raises(RuntimeError, match="unexpected form"):
        charts.split_marks('<svg><line x2="5"/></svg>', 1)


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


def test_rendering_is_deterministic_also_with_workers(site_figures, site_svgs, monkeypatch):
    assert charts.render_svgs([f.chart for f in site_figures]) == site_svgs
    monkeypatch.setattr(charts, "POOL_THRESHOLD", 1)  # two workers, as at national scale
    monkeypatch.setattr(charts, "BATCH", 2)
    assert charts.render_svgs([f.chart for f in site_figures]) == site_svgs


def test_long_question_wraps_within_the_chart():
    label = "Als ik extra ondersteuning nodig heb, bijvoorbeeld door dyslexie of een beperking, dan krijg ik die ook."
    row = charts.ChartRow("X", label, 50.0, 45.0, 55.0, None, None, "50,0 %", "")
    lines = charts._row_lines(charts.Chart("grafiek-x", "pct", "x", (row,)), charts.LAYOUTS["pct"])
    assert len(lines[0]) == 3 and all(len(line) <= charts.LAYOUTS["pct"].wrap for line in lines[0])
    assert " ".join(lines[0]) == label
