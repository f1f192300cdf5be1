"""End to end: the shipped demo edition builds into a site whose pages show the right figures,
and no hidden cell's value or n can be found anywhere in it."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest

from jobmonitor.site.scan import scan_site, unit_key
from jobmonitor.config import load_config
from jobmonitor.site.formatting import slugify
from jobmonitor.site.wording import load_wording
from jobmonitor.compute.pipeline import compute
from jobmonitor.publish import build
from jobmonitor.results import SUPPRESSED

ROOT = Path(__file__).resolve().parent.parent


def format_value(value: float, measure: str) -> str:
    """Dutch notation, written independently of the site's own formatter: '62,4 %' / '6,7'."""
    text = f"{value:.1f}".replace(".", ",")
    return text + " %" if measure.startswith("pct") else text


@pytest.fixture(scope="session")
def demo_build(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo") / "site"
    config = load_config(ROOT / "site_config.yml", out_dir=out)
    report = build(config)
    return config, report, compute(config)


class TableRows(HTMLParser):
    """Cells of every `tr[data-item]` of every `table[data-unit]` on a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.rows: dict[tuple[str, str], list[str]] = {}
        self.unit = self.item = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and "data-unit" in attrs:
            self.unit = attrs["data-unit"]
        elif tag == "tr" and self.unit and "data-item" in attrs:
            self.item = attrs["data-item"]
            self.rows[(self.unit, self.item)] = []
        elif tag in ("td", "th") and self.item:
            self.rows[(self.unit, self.item)].append("")

    def handle_endtag(self, tag):
        if tag == "tr":
            self.item = None
        elif tag == "table":
            self.unit = None

    def handle_data(self, data):
        if self.item and self.rows[(self.unit, self.item)]:
            self.rows[(self.unit, self.item)][-1] += data


def page_rows(path: Path) -> dict:
    parser = TableRows()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.rows


def test_every_page_type_exists(demo_build):
    config, report, computed = demo_build
    site = report.out_dir
    for page in ("index.html", "landelijk/index.html", "instellingen/index.html", "domeinen/index.html",
                 "themas/index.html", "verantwoording/index.html", "downloads/index.html", "privacy/index.html",
                 "colofon/index.html", "downloads/resultaten.csv", "downloads/resultaten-2026.xlsx", "downloads/resultaten-2024.xlsx",
                 "downloads/vragenlijst.csv",
                 "downloads/datadictionary.csv", "manifest.json", "search/search_index.json"):
        assert (site / page).is_file(), page
    edition = computed.current.edition
    for name in edition.institutions["name"]:
        assert (site / "instellingen" / slugify(name) / "index.html").is_file()
    for name in edition.domains["name"]:
        assert (site / "domeinen" / slugify(name) / "index.html").is_file()
    assert report.pages > 100


def test_national_page_shows_the_computed_figures(demo_build):
    config, report, computed = demo_build
    rows = page_rows(report.out_dir / "landelijk" / "index.html")
    r = computed.results
    national = r[(r["edition"] == config.edition) & (r["level"] == "national") & (r["kind"] == "item")]
    checked = 0
    for row in national.itertuples():
        cells = rows[(unit_key("national", None, None), row.item_id)]
        assert format_value(row.estimate, row.measure) in cells[1], (row.item_id, cells)
        assert f"{row.n:,}".replace(",", ".") in " ".join(cells)
        checked += 1
    assert checked == len(national) > 50


def test_a_cell_page_shows_own_benchmark_and_previous_on_one_row(demo_build):
    config, report, computed = demo_build
    r = computed.results
    cells = r[(r["edition"] == config.edition) & (r["level"] == "institution_domain") & (r["status"] == "published")
              & r["previous_estimate"].notna() & (r["kind"] == "item")]
    row = cells.iloc[0]
    page = report.out_dir / "instellingen" / slugify(row["institution"]) / slugify(row["domain"]) / "index.html"
    shown = " ".join(page_rows(page)[(unit_key(row["level"], row["institution_id"], row["domain_id"]), row["item_id"])])
    for value in (row["estimate"], row["benchmark"], row["previous_estimate"]):
        assert format_value(value, row["measure"]) in shown, shown


def test_suppressed_cells_say_so_and_reveal_nothing(demo_build):
    config, report, computed = demo_build
    r = computed.results
    current = r[(r["edition"] == config.edition) & (r["level"] == "institution_domain")]
    shown = set(current.loc[~current["status"].isin(SUPPRESSED), "institution_id"] + "|" +
                current.loc[~current["status"].isin(SUPPRESSED), "domain_id"])
    hidden = current[current["status"].isin(SUPPRESSED) & (current["institution_id"] + "|" + current["domain_id"]).isin(shown)]
    assert len(hidden) > 20  # hidden rows in tables; units with every cell hidden get a short page
    checked = 0
    for row in hidden.itertuples():
        page = report.out_dir / "instellingen" / slugify(row.institution) / slugify(row.domain) / "index.html"
        cells = page_rows(page).get((unit_key(row.level, row.institution_id, row.domain_id), row.item_id))
        if cells is None:
            continue  # its theme is hidden whole and collapsed to one line
        text = " ".join(cells[1:])
        assert "te weinig respondenten" in text
        assert not re.search(r"\d", text), text
        checked += 1
    # Linked protection hides most of these as whole units or whole themes (collapsed lines).
    assert checked > 0
    assert scan_site(report.out_dir, computed.results, config.edition) == []


def test_search_index_finds_institutions_but_holds_no_tables(demo_build):
    config, report, computed = demo_build
    index = json.loads((report.out_dir / "search" / "search_index.json").read_text())
    text = " ".join(doc["title"] + " " + doc["text"] for doc in index["docs"])
    for name in computed.current.edition.institutions["name"]:
        assert name in text
    # Every institution × domain page and action card is found by its title, with a short text:
    # no tables and no section per heading, so the index stays small.
    cell_pages = [d for d in index["docs"] if d["location"].count("/") >= 3 and d["location"].startswith("instellingen/")]
    assert len(cell_pages) == len(computed.results.query("edition == @config.edition and level == 'institution_domain'")
                                  [["institution_id", "domain_id"]].drop_duplicates())
    assert all("#" not in d["location"] and len(d["text"]) < 600 for d in cell_pages)
    cards = [d for d in index["docs"] if d["location"].startswith("aan-de-slag/kaarten/")]
    assert cards and all("#" not in d["location"] for d in cards)
    assert any(d["title"] == "Over deze cijfers" for d in index["docs"])
    assert any("bandbreedte" in d["text"].lower() for d in index["docs"])
    # A theme name finds the theme and its guide, not the same section on every unit page.
    themes = {t.name for t in computed.current.edition.questionnaire.themes}
    unit_sections = [d["location"] for d in index["docs"] if d["title"] in themes
                     and d["location"].startswith(("instellingen/", "domeinen/", "landelijk/"))]
    assert unit_sections == []
    assert any(d["title"] in themes for d in index["docs"] if d["location"].startswith("themas/"))
    assert (report.out_dir / "search" / "search_index.json").stat().st_size < 200_000


def test_manifest_traces_inputs_and_counts(demo_build):
    config, report, computed = demo_build
    manifest = json.loads((report.out_dir / "manifest.json").read_text())
    assert manifest["edition"] == 2026 and manifest["build"] == "preview"
    assert set(manifest["input_files_sha256"]) >= {"2026/responses.parquet", "2024/questionnaire.yml"}
    assert manifest["counts_per_status"]["2026"]["suppressed"] > 0
    assert set(manifest["counts_per_status"]["2026"]) == {"published", "indicative", "suppressed"}  # one public status
    assert len(manifest["config_sha256"]) == 64
    # The human version of the manifest: every input hash on the 'over deze cijfers' page.
    page = (report.out_dir / "over-deze-cijfers" / "index.html").read_text()
    for digest in manifest["input_files_sha256"].values():
        assert digest in page
    assert manifest["code_version"] in page


def test_verantwoording_states_the_weighting_of_each_edition(demo_build):
    config, report, computed = demo_build
    text = (report.out_dir / "verantwoording" / "index.html").read_text()
    efficiency = f"{100 * computed.current.weighting_efficiency:.1f}".replace(".", ",")
    assert f"2026: meegeleverd in het databestand; efficiëntie {efficiency} %" in text


def test_preview_is_marked_everywhere(demo_build):
    config, report, computed = demo_build
    for page in ("index.html", "landelijk/index.html"):
        html = (report.out_dir / page).read_text()
        assert "Voorlopige cijfers" in html and 'content="noindex,nofollow"' in html
    assert "Disallow: /" in (report.out_dir / "robots.txt").read_text()


def test_downloads_carry_the_notice_and_no_hidden_values(demo_build):
    config, report, computed = demo_build
    csv = (report.out_dir / "downloads" / "resultaten.csv").read_text()
    assert csv.startswith("edition,level,") and "© JOB" in csv.splitlines()[1]
    import pandas as pd

    frame = pd.read_csv(report.out_dir / "downloads" / "resultaten.csv")
    hidden = frame[frame["status"].isin(SUPPRESSED)]
    assert len(hidden) > 0 and hidden[["n", "estimate", "ci_low", "ci_high", "marker"]].isna().all().all()


def test_no_public_file_tells_primary_from_complementary_suppression(demo_build):
    """Both kinds of hidden cell are one word in public: "primary" (n < min_n) and
    "secondary" (n >= min_n) were bounds from which a linear programme recovered exact counts."""
    import pandas as pd

    config, report, computed = demo_build
    assert {"suppressed_primary", "suppressed_secondary"} <= set(computed.results["status"])
    frame = pd.read_csv(report.out_dir / "downloads" / "resultaten.csv")
    assert set(frame["status"]) == {"published", "indicative", "suppressed"}
    for path in report.out_dir.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".csv", ".xml", ".txt"):
            text = path.read_text(encoding="utf-8", errors="replace")
            assert "suppressed_primary" not in text and "suppressed_secondary" not in text, path
            assert "aanvullend afgeschermd" not in text, path


def test_xlsx_holds_the_published_current_edition_with_fixed_zip_times(demo_build):
    import zipfile

    import openpyxl
    import pandas as pd

    from jobmonitor.results import RESULT_COLUMNS, VALUE_COLUMNS, published_results

    config, report, computed = demo_build
    path = report.out_dir / "downloads" / f"resultaten-{config.edition}.xlsx"
    with zipfile.ZipFile(path) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    sheet = openpyxl.load_workbook(path, read_only=True)["resultaten"]
    rows = list(sheet.values)
    headers = load_wording()["excel_headers"]
    assert list(rows[0]) == [headers[c] for c in RESULT_COLUMNS + ["bron"]] and "© JOB" in rows[1][-1]
    frame = pd.DataFrame([r[:-1] for r in rows[1:]], columns=RESULT_COLUMNS)
    expected = published_results(computed.results)
    expected = expected[expected["edition"] == config.edition].reset_index(drop=True)
    assert len(frame) == len(expected)
    assert (frame["item_id"] == expected["item_id"]).all() and (frame["status"] == expected["status"]).all()
    for column in ("n", "estimate", "ci_low", "ci_high", "benchmark", "previous_estimate"):
        got = pd.to_numeric(frame[column]).to_numpy(dtype="float64")
        want = expected[column].to_numpy(dtype="float64", na_value=np.nan)
        assert np.allclose(got, want, equal_nan=True, rtol=1e-5, atol=0), column  # six significant digits, as the CSV
    hidden = frame[frame["status"].isin(SUPPRESSED)]
    assert len(hidden) > 0 and hidden[[c for c in VALUE_COLUMNS if c in frame]].isna().all().all()


@pytest.mark.parametrize("reader", ["pandas", "polars", "duckdb"])
def test_the_demo_results_csv_is_typed_right_by_each_client_without_arguments(demo_build, reader):
    """Three editions of 26,550 rows: pandas types a column per block of 16,384 rows (and warns
    when the blocks disagree), polars from the first 100 rows, DuckDB from a sample."""
    from download_checks import type_problems

    config, report, computed = demo_build
    assert type_problems(report.out_dir / "downloads" / "resultaten.csv", reader) == []


def test_the_demo_csv_for_excel_reads_as_the_results_csv(demo_build):
    import pandas as pd

    config, report, computed = demo_build
    folder = report.out_dir / "downloads"
    excel = pd.read_csv(folder / "resultaten-excel.csv", sep=";", decimal=",", encoding="utf-8-sig", low_memory=False)
    pd.testing.assert_frame_equal(excel, pd.read_csv(folder / "resultaten.csv", low_memory=False))


def test_long_words_in_row_headers_carry_soft_hyphens(demo_build):
    config, report, computed = demo_build
    headers = []
    for page in ("landelijk/index.html", "aan-de-slag/kaarten/roc-duinzoom/index.html"):
        html = (report.out_dir / page).read_text(encoding="utf-8")
        headers += re.findall(r'<th scope="row">(.*?)</th>', html, re.S)
    text = " ".join(re.sub(r"<[^>]*>", " ", h) for h in headers)
    assert "\u00ad" in text
    assert re.findall(r"\w{13,}", text) == [], "a long word without break points"


def test_home_page_opens_with_the_national_headline_and_the_school_picker(demo_build):
    """Respondents, response and the national report marks first, then the school picker,
    before any other list or text."""
    config, report, computed = demo_build
    html = (report.out_dir / "index.html").read_text(encoding="utf-8")
    respondents = f"{len(computed.current.edition.responses):,}".replace(",", ".")
    headline = html.index(f"vulden {respondents} mbo-studenten")
    picker = html.index("<h2 id=\"kies-je-instelling\"")
    assert headline < html.index("landelijk gemiddelde") < picker < html.index("<h2 id=\"over-de-job-monitor\"")


def test_report_packs_are_refused_inside_a_built_site_whatever_its_folder(demo_build, tmp_path, capsys):
    """The site was built with --out into a folder that is not the config's out_dir: its root
    marker alone makes `rapportages` refuse it and every folder inside it."""
    from jobmonitor.cli import EXIT_REFUSED, main
    from jobmonitor.reports.private import SITE_MARKER

    config, report, _ = demo_build
    site = Path(report.out_dir)
    assert (site / SITE_MARKER).is_file()
    assert site.resolve() != (ROOT / "site").resolve()
    for out in (site, site / "rapportages", site / "instellingen" / "x"):
        assert main(["rapportages", "--out", str(out), "--institution", "I002", "--quiet"]) == EXIT_REFUSED
        assert "holds a built public site" in capsys.readouterr().err
    assert not (site / "rapportages").exists() and not (site / "instellingen" / "x").exists()
