"""Page specs and rendered markdown: Dutch figures on the right rows, suppression, order, links."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from jobmonitor.site import formatting, render
from jobmonitor.config import Config, setting_keys
from jobmonitor.site.verantwoording import MACHINE_SETTINGS
from jobmonitor.site.formatting import format_difference, format_number, slugify
from jobmonitor.site.mkdocs_site import write_docs
from jobmonitor.site.wording import load_wording
from site_fixtures import HIDDEN_STRINGS, parse_tables, site_inputs, table_with

ZUID = "instellingen/zuiderlicht-college/index.md"
ABEL = "instellingen/abel-vakcollege/index.md"
ABEL_TECHNIEK = "instellingen/abel-vakcollege/techniek-procesindustrie.md"
ABEL_ZORG = "instellingen/abel-vakcollege/zorg-welzijn-en-sport.md"
ZUID_TECHNIEK = "instellingen/zuiderlicht-college/techniek-procesindustrie.md"
Q1, Q2 = "De lessen beginnen op tijd.", "Ik krijg <genoeg> feedback | ook op stage"
THEME_SCORE = load_wording()["theme_score"]
SUPPRESSED = "te weinig respondenten"


@pytest.fixture(scope="module")
def docs(tmp_path_factory) -> Path:
    docs_dir = tmp_path_factory.mktemp("docs")
    write_docs(site_inputs(), docs_dir, preview=True)
    return docs_dir


def read(docs: Path, path: str) -> str:
    return (docs / path).read_text(encoding="utf-8")


def test_expected_pages_exist(docs):
    expected = [
        "index.md", "landelijk.md", "instellingen/index.md", ZUID, ABEL, ABEL_TECHNIEK, ABEL_ZORG, ZUID_TECHNIEK,
        "instellingen/zuiderlicht-college/zorg-welzijn-en-sport.md", "domeinen/index.md",
        "domeinen/zorg-welzijn-en-sport.md", "domeinen/techniek-procesindustrie.md", "themas/index.md",
        "themas/lessen-en-leren.md", "verantwoording.md", "downloads.md", "privacy.md", "colofon.md",
        "stylesheets/extra.css",
    ]
    missing = [path for path in expected if not (docs / path).is_file()]
    assert not missing


def test_institution_rows_in_dutch_with_benchmark_and_previous_on_one_row(docs):
    table = table_with(parse_tables(read(docs, ZUID)), "Lessen en leren")
    assert table.texts()[0] == [
        "Vraag", "Uitkomst", "Bandbreedte (95%)", "n", "Landelijk", "Verschil", "Oordeel", "Vorige editie (2023)",
        "Ontwikkeling",
    ]
    assert table.row(Q1) == [Q1, "62,4 %", "58,1–66,5", "412", "60,0 %", "+2,4 %-punt", "geen duidelijk verschil", "61,0 %",
                             "geen duidelijk verschil"]
    assert table.row(Q2)[1:] == ["55,3 %", "50,4–60,1", "405", "48,0 %", "+7,3 %-punt", "gunstiger",
                                 "— niet vergelijkbaar", "—"]
    assert table.row(THEME_SCORE)[1:5] == ["3,7", "3,64–3,78", "415", "3,6"]


def test_lower_marker_and_fall(docs):
    table = table_with(parse_tables(read(docs, ABEL)), "Lessen en leren")
    assert table.row(Q1)[1:] == ["51,2 %", "46,2–56,1", "388", "60,0 %", "−8,8 %-punt", "ongunstiger", "58,9 %",
                                 "▼ verslechterd"]


def test_headers_are_scoped_and_tables_have_captions(docs):
    for table in parse_tables(read(docs, ZUID)):
        assert table.caption
        assert all(cell["attrs"].get("scope") == "col" for cell in table.rows[0])
        assert all(row[0]["tag"] == "th" and row[0]["attrs"].get("scope") == "row" for row in table.rows[1:])


def test_a_unit_with_every_cell_hidden_gets_one_short_screen(docs):
    """No 88 rows of "te weinig respondenten": one paragraph saying why, and the way on."""
    text = read(docs, ABEL_TECHNIEK)
    assert parse_tables(text) == [] and "te weinig studenten mee" in text
    assert "(../../domeinen/techniek-procesindustrie.md)" in text and "(index.md)" in text
    assert not re.search(r"\d+,\d", text.split("\n# ", 1)[1])  # no figure on the page


def test_suppressed_rows_carry_only_their_label(docs):
    secondary = table_with(parse_tables(read(docs, ABEL_ZORG)), "Lessen en leren")
    assert secondary.row(Q2) == [Q2, SUPPRESSED] + [""] * 7
    assert secondary.row(Q1)[1] == "58,4 %"


def test_hidden_values_appear_in_no_page(docs):
    for path in docs.rglob("*.md"):
        text = path.read_text(encoding="utf-8")
        for hidden in HIDDEN_STRINGS:
            assert not re.search(rf"(?<![\d.,]){re.escape(hidden)}(?!\d)", text), (path, hidden)


def test_indicative_value_has_note_and_footnote(docs):
    text = read(docs, ZUID_TECHNIEK)
    row = table_with(parse_tables(text), "Lessen en leren").row(Q1)
    assert row[1] == "43,2 % (indicatief*)"
    assert "* Indicatief:" in text
    assert "* Indicatief:" not in read(docs, ZUID)


def test_institution_domain_benchmark_is_national_within_domain(docs):
    text = read(docs, "instellingen/zuiderlicht-college/zorg-welzijn-en-sport.md")
    table = table_with(parse_tables(text), "Lessen en leren")
    assert table.texts()[0][4] == "Landelijk binnen domein"
    assert table.row(Q1)[4] == "61,8 %"
    assert "](index.md)" in text and "](../../domeinen/zorg-welzijn-en-sport.md)" in text


def test_domain_page_has_one_matrix_of_institutions_and_themes_alphabetically(docs):
    """One institutions × themes table high on the page, instead of one table per theme; never
    sorted by score; a hidden cell says so in words, with no number."""
    text = read(docs, "domeinen/zorg-welzijn-en-sport.md")
    matrix = table_with(parse_tables(text), "Themascores (1–5) van de instellingen")
    names = [row[0] for row in matrix.texts()[1:]]
    # Zuiderlicht has the higher score and the lower id; Ábel still comes first.
    assert names == ["Ábel Vakcollege", "Zuiderlicht College"]
    assert matrix.texts()[0] == ["Instelling", "Lessen en leren"]
    assert matrix.row("Zuiderlicht College")[1:] == ["3,7"]
    assert text.index("Themascores (1–5) van de instellingen") < text.index("## Alle studenten in dit domein")
    hidden = table_with(parse_tables(read(docs, "domeinen/techniek-procesindustrie.md")), "Themascores (1–5)")
    assert hidden.row("Ábel Vakcollege")[1:] == ["te weinig"]
    domain = table_with(parse_tables(text), "eigen uitkomst")
    assert domain.row(Q1)[1:5] == ["61,8 %", "58,2–65,3", "695", "60,0 %"]


def test_peer_links_point_to_institution_domain_pages(docs):
    text = read(docs, "domeinen/techniek-procesindustrie.md")
    assert 'href="../../instellingen/abel-vakcollege/techniek-procesindustrie/"' in text


def test_national_page_has_previous_edition(docs):
    table = table_with(parse_tables(read(docs, "landelijk.md")), "Lessen en leren")
    assert table.row(Q1) == [Q1, "60,0 %", "57,2–62,8", "1.200", "57,5 %", "▲ verbeterd"]


def test_item_text_is_escaped_and_cannot_break_tables(docs):
    text = read(docs, ZUID)
    assert "&lt;genoeg&gt; feedback | ook op stage" in text
    assert "<genoeg>" not in text


def test_theme_page_explains_what_it_measures(docs):
    text = read(docs, "themas/lessen-en-leren.md")
    assert "Hoe studenten de lessen en het leren op school ervaren." in text
    table = table_with(parse_tables(text), "Lessen en leren")
    assert table.row(Q1)[1:] == [
        "vijfpuntsschaal (1 = helemaal oneens … 5 = helemaal eens, plus 'n.v.t.'); positief = 4 of 5",
        "1.200", "60,0 %", "57,2–62,8",
    ]
    assert table.row(Q2)[1] == "ja / nee"
    assert table.row(THEME_SCORE)[2:4] == ["1.210", "3,6"]


def test_home_page_picker_and_links(docs):
    text = read(docs, "index.md")
    assert "- [Ábel Vakcollege](instellingen/abel-vakcollege/index.md) – Rotterdam" in text
    assert "[Zorg, welzijn en sport](domeinen/zorg-welzijn-en-sport.md)" in text
    assert "zoekveld" in text


def test_every_markdown_link_resolves(docs):
    for path in docs.rglob("*.md"):
        for target in re.findall(r"\]\(([^)#]+\.md)\)", path.read_text(encoding="utf-8")):
            assert (path.parent / target).resolve().is_file(), (path, target)


def front_matter(text: str) -> dict:
    if not text.startswith("---\n"):
        return {}
    return yaml.safe_load(text[4:text.index("\n---\n", 4)])


def test_search_exclusion_front_matter(docs):
    for path in (ABEL_TECHNIEK, "instellingen/index.md", "domeinen/zorg-welzijn-en-sport.md", "themas/lessen-en-leren.md"):
        assert "search" not in front_matter(read(docs, path)), path
    # An institution's own page ranks above the cards and domain pages that carry its name.
    assert front_matter(read(docs, ZUID))["search"] == {"boost": 2}


def test_unit_pages_hide_the_table_of_contents(docs):
    """Unit pages list their themes already; without the right-hand contents the tables fit."""
    for path in ("landelijk.md", ZUID, ABEL_TECHNIEK, "domeinen/zorg-welzijn-en-sport.md"):
        assert front_matter(read(docs, path))["hide"] == ["toc"], path
    for path in ("index.md", "themas/lessen-en-leren.md", "verantwoording.md"):
        assert "hide" not in front_matter(read(docs, path)), path


def test_verantwoording_documents_every_setting_and_formula(docs):
    text = read(docs, "verantwoording.md")
    settings = table_with(parse_tables(text), "Configuratie")
    documented = {row[0]: row for row in settings.texts()[1:]}
    for key in (k for k in setting_keys(Config) if k not in MACHINE_SETTINGS):
        assert key in documented, key
        assert documented[key][2], f"setting {key} has no Dutch description"
    assert documented["thresholds.min_n"][1] == "10"
    assert documented["thresholds.alpha"][1] == "0,05"
    assert "netto = N × 1,96² × 2500 / (1,96² × 2500 + (N − 1) × 25) + 0,99" in text
    for phrase in ("Wilson-interval", "Benjamini–Hochberg", "Welch", "rest", "5,0 procentpunt", "z = 1,96"):
        assert phrase in text, phrase
    counts = table_with(parse_tables(text), "publicatiestatus")
    assert counts.row("niet gepubliceerd (te weinig respondenten)")[1] == "4"  # 3 primary and 1 complementary, told apart nowhere
    response = table_with(parse_tables(text), "Respons")
    assert response.row("Zuiderlicht College")[1:] == ["5.200", "980", "18,8 %", "358", "394"]


def test_downloads_page_links_files_next_to_it(docs):
    text = read(docs, "downloads.md")
    for name in ("resultaten.csv", "vragenlijst.csv", "datadictionary.csv"):
        assert f'<a href="{name}">' in text


def test_content_may_not_overwrite_generated_pages(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    (content / "landelijk.md").write_text("# x\n", encoding="utf-8")
    with pytest.raises(ValueError, match="landelijk.md"):
        render.copy_content(content, tmp_path / "docs", {"landelijk.md"})


@pytest.mark.parametrize(
    "name, slug",
    [("Zorg, welzijn en sport", "zorg-welzijn-en-sport"), ("Ábel Vakcollege", "abel-vakcollege"),
     ("Techniek & procesindustrie", "techniek-procesindustrie"), ("  ICT / Media  ", "ict-media")],
)
def test_slugify(name, slug):
    assert slugify(name) == slug


def test_dutch_number_format():
    w = load_wording()
    assert format_number(1234.56, 1) == "1.234,6"
    assert format_difference(-1.26, "pct_yes", w) == "−1,3 %-punt"
    assert format_difference(0.004, "mean", w) == "±0,00"
    assert formatting.format_value(6.66, "mean", w) == "6,7"
    assert formatting.format_interval(58.1, 66.5, "pct_positive", w) == "58,1–66,5"


def test_markdown_text_escapes_markup():
    assert str(formatting.markdown_text("A*B_[x]<y>")) == r"A\*B\_\[x\]&lt;y&gt;"


def test_theme_chart_stands_above_its_table_and_links_to_it(docs):
    text = read(docs, ZUID)
    figure = text.index('<figure class="job-figure" id="grafiek-lessen">')
    assert figure < text.index('id="tabel-lessen"')
    caption = re.search(r'<figcaption id="grafiek-lessen-beschrijving">(.*?)</figcaption>', text).group(1)
    assert "1 vraag gunstiger dan landelijk, 0 ongunstiger, 1 geen duidelijk verschil." in caption
    assert '<a href="#tabel-lessen">' in caption
    assert 'aria-describedby="grafiek-lessen-beschrijving"' in text  # the SVG is described by it


def test_cell_pages_have_one_overview_chart_unless_all_is_suppressed(docs):
    cell = read(docs, "instellingen/zuiderlicht-college/zorg-welzijn-en-sport.md")
    assert cell.count("<figure") == 1 and 'id="grafiek-themascores"' in cell
    assert "<figure" not in read(docs, ABEL_TECHNIEK)
    assert "<figure" not in read(docs, "themas/lessen-en-leren.md")


def test_every_table_scrolls_in_a_focusable_named_region(docs):
    for path in (ZUID, "landelijk.md", "domeinen/zorg-welzijn-en-sport.md", "themas/lessen-en-leren.md",
                 "verantwoording.md"):
        text = read(docs, path)
        tables = re.findall(r'(<div[^>]*>)\n<table class="job-table[^"]*" id="([^"]+)"', text)
        assert len(tables) == text.count("<table"), path
        for wrapper, table_id in tables:
            assert wrapper == (f'<div class="job-table-scroll" tabindex="0" role="region" '
                               f'aria-labelledby="{table_id}-bijschrift">'), path
            assert f'<caption id="{table_id}-bijschrift">' in text
        # The wrapper closes on the table's line: a line "</div>" would end a job-block early.
        assert text.count("</table></div>") == text.count("<table"), path


def test_long_dutch_words_get_soft_hyphens_at_syllable_breaks():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from jobmonitor.site.formatting import SOFT_HYPHEN, soft_hyphens

    marked = soft_hyphens("Mijn studieloopbaanbegeleider neemt genoeg tijd voor mij.")
    assert marked.replace(SOFT_HYPHEN, "-") == "Mijn studie-loop-baan-be-ge-leider neemt genoeg tijd voor mij."
    assert soft_hyphens("Ik krijg feedback waar ik echt iets aan heb.") == "Ik krijg feedback waar ik echt iets aan heb."

    @settings(max_examples=200, deadline=None)
    @given(st.text())
    def only_adds_soft_hyphens(text):
        assert soft_hyphens(text).replace(SOFT_HYPHEN, "") == text.replace(SOFT_HYPHEN, "")

    only_adds_soft_hyphens()



def test_unit_page_opens_with_its_summary(docs):
    """First the summary: counts of verdicts against the benchmark and since the previous
    edition, the notable questions with their interval, the action card; the reading guide sits
    behind a disclosure below it."""
    text = read(docs, ZUID)
    summary_at, guide_at = text.index('class="job-summary"'), text.index("<summary>Zo lees je deze pagina</summary>")
    assert summary_at < guide_at < text.index("## Opleidingsdomeinen")
    summary = text[summary_at:guide_at]
    assert "Vergeleken met landelijk: 1 van de 2 vragen gunstiger, 0 ongunstiger" in summary
    assert "Duidelijk gunstiger dan landelijk" in summary
    assert "55,3 % (50,4–60,1)</span>, landelijk <span class=\"job-nowrap\">48,0 %" in summary
    assert "kaarten/zuiderlicht-college/" in summary


def test_a_theme_whose_rows_are_all_hidden_collapses_to_one_line_with_its_benchmark():
    """No table of "te weinig respondenten" rows: one line, still showing the benchmark's
    theme score (the benchmark unit is published; nothing of the hidden unit is shown)."""
    from jobmonitor.site.context import site_context
    from jobmonitor.site.pages import theme_tables

    ctx = site_context(site_inputs())
    hidden = ctx.records("institution_domain", *[u for u in ctx.institutions if u.id == "I02"],
                         *[d for d in ctx.domains if d.id == "D2"])
    domain = ctx.inputs.index[ctx.key("domain", None, next(d for d in ctx.domains if d.id == "D2"))]
    columns = (("value", "Uitkomst"), ("marker", "Oordeel"))
    [section] = theme_tables(hidden, ctx.inputs.questionnaire, columns, "{theme}", ctx.w, "u", None, domain, "landelijk binnen domein")
    assert section.collapsed == ("Bij dit thema deden te weinig studenten mee om een uitkomst te tonen. "
                                 "Themascore landelijk binnen domein: 3,6.")
    shown = ctx.records("institution", next(u for u in ctx.institutions if u.id == "I01"))
    [section] = theme_tables(shown, ctx.inputs.questionnaire, columns, "{theme}", ctx.w, "u", None, domain, "x")
    assert section.collapsed == ""
