"""Action guides and action cards ("Aan de slag"): which rows a card shows, in which order, that
it never shows a suppressed figure, the guide texts, the links, and one printed A4 page."""

from __future__ import annotations

import copy
import dataclasses
import html
import json
import datetime as dt
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pandas as pd
import pytest
import yaml

from jobmonitor.site import guides
from jobmonitor.codebook import Questionnaire
from jobmonitor.config import Config, load_config
from jobmonitor.errors import InputError
from jobmonitor.results import RESULT_COLUMNS, SiteInputs, Summary, published_results, public_status_counts, site_inputs_from
from jobmonitor.site.context import site_context
from jobmonitor.site.formatting import slugify
from jobmonitor.site.guides import build_guide_specs, load_guide_book
from jobmonitor.site.mkdocs_site import write_docs
from jobmonitor.site.render import write_pages
from jobmonitor.site.specs import Page
from jobmonitor.site.wording import load_card_wording
from site_fixtures import parse_tables, table_with, verdict_columns

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
EDITION = 2026

# A small edition with planted differences. Theme `lessen` and the SOC items have their own
# guide in gidsen.yml; `nieuw_thema` has none, so it gets the default guide. SOC03 ("gepest")
# is listed there as lower-is-better.
QUESTIONNAIRE = Questionnaire(
    edition=EDITION,
    themes=[
        {"id": "lessen", "name": "Lessen", "description": "Hoe studenten de lessen ervaren."},
        {"id": "sociale_veiligheid", "name": "Sociale veiligheid", "description": "Of studenten zich veilig voelen.",
         "kind": "module"},
        {"id": "nieuw_thema", "name": "Nieuw thema", "description": "Een thema zonder eigen gids.", "kind": "module"},
    ],
    items=[
        {"id": "L1", "theme": "lessen", "text": "De uitleg is duidelijk.", "scale": "scale5", "previous_id": "L1"},
        {"id": "L2", "theme": "lessen", "text": "De lessen zijn afwisselend.", "scale": "scale5", "previous_id": "L2"},
        {"id": "L3", "theme": "lessen", "text": "Krijg je feedback?", "scale": "yesno"},
        {"id": "SOC01", "theme": "sociale_veiligheid", "text": "Ik voel me veilig op school.", "scale": "scale5"},
        {"id": "SOC03", "theme": "sociale_veiligheid", "text": "Ben je gepest?", "scale": "yesno",
         "direction": "lower_better"},
        {"id": "N1", "theme": "nieuw_thema", "text": "Nieuwe vraag een.", "scale": "scale5"},
        {"id": "N2", "theme": "nieuw_thema", "text": "Nieuwe vraag twee.", "scale": "scale5"},
    ],
)
DIRECTIONS = {"SOC03": "lower_better"}
MEASURES = {"lessen": ("theme", "mean"), "sociale_veiligheid": ("theme", "mean"), "nieuw_thema": ("theme", "mean"),
            "L3": ("item", "pct_yes"), "SOC03": ("item", "pct_yes")}
INSTITUTIONS = pd.DataFrame({"institution_id": ["I1", "I2"], "name": ["Planted College", "Rustig College"],
                             "place": ["Utrecht", "Zwolle"], "slug": ["planted-college", "rustig-college"]})
DOMAINS = pd.DataFrame({"domain_id": ["D1", "D2"], "name": ["Zorg", "Techniek"], "slug": ["zorg", "techniek"]})

# (level, institution, domain, item, n, estimate, ci_low, ci_high, benchmark, marker, previous, change, status)
# L1 has the largest difference of all (+12) but no marker, so it must not appear as a strength;
# SOC01's difference (−15) is bigger than L2's (−6), yet L2 comes first (questionnaire order).
# N2 is suppressed: its raw values (83.17, 71.23–91.09, n 9) and raw marker '-' must never show.
RAW = [
    ("national", None, None, "lessen", 900, 3.50, 3.45, 3.55, None, "", None, "", "published"),
    ("institution", "I1", None, "lessen", 300, 3.80, 3.70, 3.90, 3.50, "+", 3.70, "", "published"),
    ("institution", "I1", None, "L1", 300, 72.0, 66.7, 76.8, 60.0, "", 61.0, "▲", "published"),
    ("institution", "I1", None, "L2", 300, 55.0, 49.3, 60.5, 61.0, "-", 66.0, "▼", "published"),
    ("institution", "I1", None, "L3", 40, 70.0, 54.6, 81.9, 50.0, "+", None, "", "indicative"),
    ("institution", "I1", None, "sociale_veiligheid", 280, 3.90, 3.80, 4.00, 3.95, "", 3.90, "", "published"),
    ("institution", "I1", None, "SOC01", 280, 65.0, 59.2, 70.4, 80.0, "-", None, "", "published"),
    ("institution", "I1", None, "SOC03", 280, 20.0, 15.7, 25.1, 12.0, "+", None, "", "published"),
    ("institution", "I1", None, "nieuw_thema", 120, 3.20, 3.05, 3.35, 3.30, "", None, "", "published"),
    ("institution", "I1", None, "N1", 120, 40.0, 31.7, 48.9, 55.0, "-", None, "", "published"),
    ("institution", "I1", None, "N2", 9, 83.17, 71.23, 91.09, 60.0, "-", None, "", "suppressed_secondary"),
    ("institution_domain", "I1", "D1", "lessen", 150, 3.60, 3.45, 3.75, 3.50, "", 3.40, "▲", "published"),
    ("institution_domain", "I1", "D1", "L1", 150, 62.0, 54.0, 69.4, 60.0, "", None, "", "published"),
    ("institution_domain", "I1", "D2", "lessen", 7, 2.7143, 2.1111, 3.3175, 3.50, "", None, "", "suppressed_primary"),
    ("institution_domain", "I1", "D2", "L1", 7, 42.86, 15.82, 74.95, 60.0, "-", None, "", "suppressed_primary"),
    ("institution", "I2", None, "lessen", 200, 3.52, 3.40, 3.64, 3.50, "", 3.50, "", "published"),
    ("institution", "I2", None, "L1", 200, 64.0, 57.1, 70.4, 60.0, "", 62.0, "", "published"),
    ("institution", "I2", None, "SOC01", 200, 79.0, 72.8, 84.1, 80.0, "", None, "", "published"),
    ("institution_domain", "I2", "D1", "lessen", 200, 3.52, 3.40, 3.64, 3.50, "", None, "", "published"),
]
HIDDEN = ["83,2", "71,2", "91,1", "83.17", "71.23", "91.09", "2,7", "2,11", "3,32", "42,9", "15,8", "74,9"]


def raw_results() -> pd.DataFrame:
    names = dict(zip(INSTITUTIONS["institution_id"], INSTITUTIONS["name"]))
    domains = dict(zip(DOMAINS["domain_id"], DOMAINS["name"]))
    rows = []
    for level, inst, dom, item, n, est, low, high, bench, marker, prev, change, status in RAW:
        kind, measure = MEASURES.get(item, ("item", "pct_positive"))
        rows.append({
            "edition": EDITION, "level": level, "institution_id": inst, "institution": names.get(inst),
            "domain_id": dom, "domain": domains.get(dom), "item_id": item, "kind": kind, "measure": measure,
            "n": n, "n_eff": n * 0.9, "estimate": est, "ci_low": low, "ci_high": high, "benchmark": bench,
            "difference": None if bench is None else round(est - bench, 4), "p_value": 0.001, "p_adjusted": 0.002,
            "marker": marker, "previous_estimate": prev, "change": None if prev is None else round(est - prev, 4),
            "change_marker": change, "status": status,
        } | verdict_columns(marker, change, bench, prev, None if bench is None else round(est - bench, 4),
                            DIRECTIONS.get(item, "higher_better")))
    frame = pd.DataFrame(rows, columns=RESULT_COLUMNS)
    frame["n"] = frame["n"].astype("Int64")
    return frame


def planted_inputs(previous_editions=(2024,)) -> SiteInputs:
    config = Config(
        edition=EDITION, previous_editions=list(previous_editions), data_status="definitief",
        embargo=dt.datetime(2026, 5, 27, 14, 0, tzinfo=dt.timezone(dt.timedelta(hours=2))),
        base_url="https://example.org/jobmonitor/", data_hashes={"responses.parquet": "ab" * 32},
    )
    raw = raw_results()
    response = pd.DataFrame({"institution_id": ["I1", "I2"], "population": [3000, 2000], "respondents": [300, 200],
                             "rate": [0.1, 0.1], "netto": [341, 323], "bruto": [375, 355]})
    return site_inputs_from(config, published_results(raw), {EDITION: QUESTIONNAIRE}, INSTITUTIONS, DOMAINS, response,
                            Summary({str(EDITION): public_status_counts(raw)}))


def guide_specs(inputs: SiteInputs, card_wording: dict | None = None) -> list[Page]:
    site = site_context(inputs)
    return build_guide_specs(dataclasses.replace(site, k=card_wording) if card_wording else site)


def card(specs, path: str):
    return next(page for page in specs if page.path == path).data["card"]


def items(card_list) -> list[str]:
    return [row.item for row in card_list.rows]


@pytest.fixture(scope="module")
def specs():
    return guide_specs(planted_inputs())


@pytest.fixture(scope="module")
def docs(tmp_path_factory) -> Path:
    docs_dir = tmp_path_factory.mktemp("guides-docs")
    write_docs(planted_inputs(), docs_dir, preview=True)
    return docs_dir


def read(docs: Path, path: str) -> str:
    return (docs / path).read_text(encoding="utf-8")


# ---------------------------------------------------------------- what a card shows

def test_card_lists_exactly_the_marked_rows_in_questionnaire_order(specs):
    planted = card(specs, "aan-de-slag/kaarten/planted-college.md")
    assert items(planted.strengths) == ["lessen", "L3"]
    # SOC03 ("gepest") is higher than the benchmark, and there lower is better: a point of attention.
    assert items(planted.weaknesses) == ["L2", "SOC01", "SOC03", "N1"]
    assert items(planted.changes) == ["L1", "L2"]
    assert planted.different.rows == ()
    assert not planted.nothing_significant
    shown = items(planted.strengths) + items(planted.weaknesses)
    assert "L1" not in shown and "sociale_veiligheid" not in shown and "N2" not in shown


def test_card_rows_show_own_figure_interval_benchmark_and_difference(docs):
    tables = parse_tables(read(docs, "aan-de-slag/kaarten/planted-college.md"))
    weaknesses = next(t for t in tables if "minder goed" in t.caption)
    assert [r.get("data-item") for r in weaknesses.row_attrs[1:]] == ["L2", "SOC01", "SOC03", "N1"]
    assert weaknesses.texts()[1] == ["Lessen: De lessen zijn afwisselend.", "55,0 % (49,3–60,5)", "61,0 %",
                                     "−6,0 %-punt", "ongunstiger"]
    assert weaknesses.texts()[3][0] == "Sociale veiligheid: Ben je gepest? (lager is beter)"
    assert weaknesses.texts()[3][-1] == "ongunstiger"  # more students bullied: a weakness, never a strength
    strengths = next(t for t in tables if "duidelijk beter" in t.caption)
    assert strengths.texts()[1][:2] == ["Lessen: Themascore (schaal 1–5)", "3,8 (3,70–3,90)"]
    assert strengths.texts()[2][1] == "70,0 % * (54,6–81,9)"  # indicative, with its footnote
    changes = next(t for t in tables if "veranderd" in t.caption)
    assert changes.texts()[0][1:] == ["2024", "2026", "Verschil", "Ontwikkeling"]
    assert changes.texts()[1][1:] == ["61,0 %", "72,0 %", "+11,0 %-punt", "▲ verbeterd"]


def test_card_never_shows_a_suppressed_figure(docs):
    cards = sorted((docs / "aan-de-slag" / "kaarten").rglob("*.md"))
    assert cards
    for path in cards:
        text = path.read_text(encoding="utf-8")
        assert 'data-item="N2"' not in text
        for hidden in HIDDEN:
            assert not re.search(rf"(?<![\d.,]){re.escape(hidden)}(?!\d)", text), (path.name, hidden)
    text = read(docs, "aan-de-slag/kaarten/planted-college.md")
    assert "Bij Nieuw thema deden bij een deel van de vragen te weinig studenten mee" in " ".join(text.split())


def test_questions_for_each_point_of_attention_come_from_its_guide(specs):
    book = load_guide_book()
    planted = card(specs, "aan-de-slag/kaarten/planted-college.md")
    limit = load_card_wording()["limits"]["questions_per_theme"]
    assert [block.theme for block in planted.questions] == ["Lessen", "Sociale veiligheid", "Nieuw thema"]
    assert planted.questions[0].questions == tuple(book.themes["lessen"].questions[:limit])
    assert planted.questions[0].guide == "aan-de-slag/themas/lessen.md"
    assert planted.questions[2].questions == tuple(book.default.questions[:limit])  # no guide of its own


def test_nothing_significant_says_so_plainly(specs, docs):
    quiet = card(specs, "aan-de-slag/kaarten/rustig-college.md")
    assert quiet.nothing_significant
    markdown = " ".join(read(docs, "aan-de-slag/kaarten/rustig-college.md").split())
    text = html.unescape(re.sub(r"\\(.)", r"\1", markdown))  # as a reader sees it
    wording = load_card_wording()["nothing"]
    assert f"## {wording['heading']}" in text
    assert "Bij Rustig College is dit keer geen enkele uitkomst duidelijk anders dan landelijk" in text
    assert "<table" not in text
    for tip in wording["tips"]:
        assert tip in text


def test_domain_cards_only_where_something_is_significant(docs):
    kaarten = docs / "aan-de-slag" / "kaarten"
    assert (kaarten / "planted-college" / "zorg.md").is_file()  # one change marker
    assert not (kaarten / "planted-college" / "techniek.md").exists()  # suppressed: no markers left
    assert not (kaarten / "rustig-college" / "zorg.md").exists()  # nothing significant
    institution_card = read(docs, "aan-de-slag/kaarten/planted-college.md")
    assert '<a href="zorg/">Zorg</a>' in institution_card
    domain_card = read(docs, "aan-de-slag/kaarten/planted-college/zorg.md")
    assert "landelijk binnen het opleidingsdomein" in domain_card
    assert '<a href="../../../../instellingen/planted-college/zorg/">' in domain_card


def test_long_lists_are_capped_with_a_pointer_to_the_results_page():
    wording = copy.deepcopy(load_card_wording())
    wording["limits"].update(rows=2, question_themes=1)
    planted = card(guide_specs(planted_inputs(), wording), "aan-de-slag/kaarten/planted-college.md")
    assert items(planted.weaknesses) == ["L2", "SOC01"] and planted.weaknesses.more == 2
    assert [block.theme for block in planted.questions] == ["Lessen"]
    assert [link.label for link in planted.other_question_themes] == ["Sociale veiligheid", "Nieuw thema"]


def test_row_budget_caps_each_list_and_the_total_fairly():
    assert guides.row_budget([6, 6, 2, 6], per_list=6, total=15) == [5, 4, 2, 4]
    assert guides.row_budget([9, 0, 0, 1], per_list=6, total=15) == [6, 0, 0, 1]
    assert guides.row_budget([1, 2, 0, 3], per_list=6, total=15) == [1, 2, 0, 3]


def test_card_without_previous_edition_has_no_change_section(tmp_path):
    write_docs(planted_inputs(previous_editions=()), tmp_path, preview=True)
    text = read(tmp_path, "aan-de-slag/kaarten/planted-college.md")
    assert "Veranderd sinds" not in text and "sinds None" not in text


def test_card_is_found_by_its_title_only_and_carries_the_notice(docs):
    text = read(docs, "aan-de-slag/kaarten/planted-college.md")
    assert "search:" not in text.split("# ", 1)[0]  # in the search index ...
    assert all(line.endswith("{ data-search-exclude }") for line in text.splitlines() if line.startswith("## "))  # ... by title
    assert "© JOB – Jongeren Organisatie Beroepsonderwijs" in text


# ---------------------------------------------------------------- guides and links

def test_guide_text_validation_names_the_bad_key(tmp_path):
    bad = yaml.safe_load(guides.GUIDES_FILE.read_text(encoding="utf-8"))
    bad["themes"]["lessen"]["questions"] = ["Eén vraag?"]
    bad["themes"]["lessen"]["tips"] = "onbekende sleutel"
    path = tmp_path / "gidsen.yml"
    path.write_text(yaml.safe_dump(bad, allow_unicode=True), encoding="utf-8")
    with pytest.raises(InputError) as error:
        load_guide_book(path)
    assert "themes.lessen.questions" in str(error.value) and "themes.lessen.tips" in str(error.value)


def test_default_guide_fills_in_the_new_theme(docs):
    text = " ".join(read(docs, "aan-de-slag/themas/nieuw-thema.md").split())
    assert "# Aan de slag met Nieuw thema" in text
    assert "Een thema zonder eigen gids. In de JOB-monitor beantwoorden studenten" in text
    assert "{description}" not in text and "{theme}" not in text


def test_pages_link_to_their_card_and_guide(docs):
    assert ">Actiekaart voor de studentenraad" in read(docs, "instellingen/planted-college/index.md")  # in the summary
    assert 'href="../../aan-de-slag/kaarten/planted-college/"' in read(docs, "instellingen/planted-college/index.md")
    assert "(../aan-de-slag/themas/lessen.md)" in read(docs, "themas/lessen.md")
    for path in docs.rglob("*.md"):
        text = path.read_text(encoding="utf-8")
        for target in re.findall(r"\]\(([^)#]+\.md)\)", text):
            assert (path.parent / target).resolve().is_file(), (path, target)
    assert not (docs / "aan-de-slag" / "gidsen.yml").exists()  # source data, not a page


def test_two_specs_for_one_page_fail_loudly(tmp_path):
    """One render loop: a guide can no longer rewrite a page made elsewhere, it can only clash."""
    specs = guide_specs(planted_inputs())
    with pytest.raises(ValueError, match="aan-de-slag/index.md"):
        write_pages([specs[0], specs[0]], {}, tmp_path)


def test_every_demo_theme_has_its_own_guide_and_known_item_ids():
    questionnaire = Questionnaire.model_validate(yaml.safe_load((ROOT / "data/2026/questionnaire.yml").read_text()))
    book = load_guide_book()
    assert [t.id for t in questionnaire.themes if t.id not in book.themes] == []
    directions = {item.id: item.direction for item in questionnaire.items}
    assert directions["SOC03"] == "lower_better" and directions["HUI01"] == "neutral"


# ---------------------------------------------------------------- the demo site

@pytest.fixture(scope="module")
def demo_site(tmp_path_factory) -> Path:
    from jobmonitor.publish import build  # noqa: PLC0415

    out = tmp_path_factory.mktemp("demo-guides") / "site"
    build(load_config(ROOT / "site_config.yml", out_dir=out))
    return out


def demo_questionnaire() -> Questionnaire:
    return Questionnaire.model_validate(yaml.safe_load((ROOT / "data/2026/questionnaire.yml").read_text()))


@pytest.mark.slow
def test_demo_site_has_a_guide_for_every_theme_linked_from_its_theme_page(demo_site):
    book = load_guide_book()
    for theme in demo_questionnaire().themes:
        slug = slugify(theme.name)
        guide = (demo_site / "aan-de-slag" / "themas" / slug / "index.html").read_text(encoding="utf-8")
        assert book.themes[theme.id].questions[0].replace("'", "&#39;") in guide, theme.id
        theme_page = (demo_site / "themas" / slug / "index.html").read_text(encoding="utf-8")
        assert f'href="../../aan-de-slag/themas/{slug}/"' in theme_page, theme.id


@pytest.mark.slow
def test_demo_site_has_a_card_for_every_institution_linked_from_its_page(demo_site):
    start = (demo_site / "aan-de-slag" / "index.html").read_text(encoding="utf-8")
    institutions = pd.read_csv(ROOT / "data/2026/institutions.csv")
    for name in institutions["name"]:
        slug = slugify(name)
        assert (demo_site / "aan-de-slag" / "kaarten" / slug / "index.html").is_file()
        page = (demo_site / "instellingen" / slug / "index.html").read_text(encoding="utf-8")
        assert f'href="../../aan-de-slag/kaarten/{slug}/"' in page
        assert f'href="kaarten/{slug}/"' in start
    assert "Aan de slag" in (demo_site / "index.html").read_text(encoding="utf-8")  # in the nav
    assert not (demo_site / "aan-de-slag" / "gidsen.yml").exists()


@pytest.mark.slow
def test_demo_site_links_from_the_guides_all_resolve(demo_site):
    for page in (demo_site / "aan-de-slag").rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        for href in re.findall(r'<a [^>]*href="([^"#?]+)', html):
            if href.startswith(("http:", "https:", "mailto:")):
                continue
            target = (page.parent / href).resolve()
            assert target.is_file() or (target / "index.html").is_file(), (page.relative_to(demo_site), href)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def crowded_site(demo_site) -> Path:
    """The demo edition with nearly every row of one institution marked: the fullest card there
    can be, to check that the caps keep it on one page."""
    from jobmonitor.compute.pipeline import compute, summary_counts  # noqa: PLC0415
    from jobmonitor.publish import site_inputs, weighting_summary  # noqa: PLC0415
    from jobmonitor.site.mkdocs_site import build_site  # noqa: PLC0415

    config = load_config(ROOT / "site_config.yml")
    computed = compute(config)
    inputs = site_inputs(config, computed, Summary(summary_counts(computed), weighting_summary(computed)))
    results = inputs.results.copy()
    rows = results.index[(results["level"] == "institution") & (results["institution_id"] == "I005")
                         & results["status"].isin(["published", "indicative"])]
    results.loc[rows, "marker"] = ["+" if i % 2 else "-" for i in range(len(rows))]
    results.loc[rows, "verdict"] = ["favourable" if i % 2 else "unfavourable" for i in range(len(rows))]
    results.loc[rows[:10], ["previous_estimate", "change", "change_marker", "change_verdict"]] = [
        [50.0, 1.0, "▲", "improved"]] * 10
    results.loc[rows[40:60], "status"] = "indicative"
    crowded = dataclasses.replace(inputs.current, results=results)
    info = build_site(dataclasses.replace(inputs, editions=(*inputs.editions[:-1], crowded)),
                      demo_site.parent / "crowded-work", preview=True)
    out = demo_site.parent / "crowded"
    info["site"].rename(out)
    return out


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def served(demo_site, crowded_site):
    """Both sites over HTTP from `python -m http.server` (their common parent folder)."""
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
                               "--directory", str(demo_site.parent)], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base, timeout=1).close()
                break
            except OSError:
                time.sleep(0.05)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


# Printing runs in its own process: a Playwright sync session may already be running in this
# pytest worker (other browser tests), and two cannot share one process.
PRINT_SCRIPT = """
import json, sys
from pathlib import Path
from playwright.sync_api import sync_playwright
base, out, paths = sys.argv[1], Path(sys.argv[2]), sys.argv[3:]
args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync"]
hidden = {}
with sync_playwright() as p:
    browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=args)
    page = browser.new_page()
    page.emulate_media(media="print")
    for i, path in enumerate(paths):
        page.goto(base + path)
        page.pdf(format="A4", print_background=True, path=str(out / f"{i}.pdf"))
        for selector in (".md-header", ".md-sidebar", ".md-search", ".md-footer", ".md-banner"):
            visible = any(element.is_visible() for element in page.locator(selector).all())
            hidden[selector] = hidden.get(selector, True) and not visible
    browser.close()
print(json.dumps(hidden))
"""


@pytest.mark.browser
@pytest.mark.slow
def test_action_cards_print_on_one_a4_page(served, demo_site, crowded_site, tmp_path):
    pytest.importorskip("playwright.sync_api")
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium (apt-get install -y chromium)")
    # Every card of the demo and the crowded card; the demo's fullest card is kept to look at.
    cards = sorted(p.parent.relative_to(demo_site.parent).as_posix() + "/"
                   for p in (demo_site / "aan-de-slag" / "kaarten").rglob("index.html"))
    cards.append(f"{crowded_site.name}/aan-de-slag/kaarten/roc-duinzoom/")
    fullest = cards.index(f"{demo_site.name}/aan-de-slag/kaarten/roc-duinzoom/")
    done = subprocess.run([sys.executable, "-c", PRINT_SCRIPT, served, str(tmp_path), *cards],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert all(json.loads(done.stdout.strip().splitlines()[-1]).values()), done.stdout  # nothing but the card
    counts = {path: pdf_pages((tmp_path / f"{i}.pdf").read_bytes()) for i, path in enumerate(cards)}
    assert counts and all(n == 1 for n in counts.values()), {k: n for k, n in counts.items() if n != 1}
    ARTIFACTS.mkdir(exist_ok=True)
    pdf = ARTIFACTS / "actiekaart-roc-duinzoom.pdf"
    pdf.write_bytes((tmp_path / f"{fullest}.pdf").read_bytes())
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Pages:\s+1$", info, re.M), info
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Voorlopige cijfers – niet openbaar" in text, "a printed preview says it is not public"
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-singlefile", str(pdf), str(pdf.with_suffix(""))], check=True)
    assert pdf.with_suffix(".png").stat().st_size > 10_000


def test_bad_news_is_never_worded_as_good_on_the_results_page(docs):
    """More students bullied than nationally: the page says "ongunstiger" and names the
    question's measure and direction beside it, the chart caption counts it as unfavourable."""
    text = read(docs, "instellingen/planted-college/index.md")
    table = table_with(parse_tables(text), "Sociale veiligheid")
    assert table.note("Ben je gepest?") == "% ja · lager is beter"
    assert table.row("Ben je gepest?")[6] == "ongunstiger"
    assert "Ben je gepest? (lager is beter)" in text  # the chart's question label
