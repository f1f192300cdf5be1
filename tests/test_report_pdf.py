"""The PDF of a confidential institution report (jobmonitor/reports/pdf.py and
templates/rapport/rapport.typ), read back with poppler's pdftotext, pdfinfo and pdffonts: the
embargo line and the concept line on every page, figures extractable as printed, title metadata,
tagging, DisplayDocTitle, byte-identical output, no word hyphenated or running into the next
column in a table, and a full-size report (15 themes × 10 items, 12 groups) that still fits."""

from __future__ import annotations

import datetime
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from jobmonitor.reports.pdf import render_pdf
from jobmonitor.site.wording import fill, load_words
from pdf_support import catalog, colliding_words, fonts_embedded, hyphenated_words, without_running_text

FIXTURE = Path(__file__).parent / "fixtures" / "rapport_document.json"
STAMP = datetime.datetime(2026, 4, 1, 9, 0, tzinfo=datetime.timezone.utc)

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")


def fixture() -> dict:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def expanded(themes: int = 15, items: int = 10, breakdowns: int = 1, groups: int = 12) -> dict:
    """The fixture grown to full size: every theme `items` items (the fixture's first item
    repeated), and `breakdowns` breakdowns of `groups` groups plus the institution total, with
    the theme rows and the first item of each theme."""
    document = fixture()
    theme = document["themes"][0]
    score, item, hidden = theme["rows"]
    document["themes"] = [
        {**theme, "id": f"t{t}", "name": f"{theme['name']} {t + 1}",
         "rows": [score] + [dict(item if i % 4 else hidden, text=f"{item['text']} ({t + 1}.{i + 1})")
                            for i in range(items)]}
        for t in range(themes)]
    template = document["breakdowns"][0]
    shown, total = template["rows"][0]["cells"][0], template["rows"][0]["cells"][-1]
    names = [f"Locatie {g + 1}" for g in range(groups)] + ["Totaal instelling"]
    rows = []
    for t in range(themes):
        rows.append({"text": f"{theme['name']} {t + 1} (themascore)", "kind": "theme",
                     "cells": [shown] * groups + [total]})
        rows.append({"text": item["text"], "kind": "item",
                     "cells": [template["rows"][1]["cells"][0]] * groups + [template["rows"][1]["cells"][-1]]})
    document["breakdowns"] = [{**template, "id": f"label_{b + 1}", "title": f"{template['title']} {b + 1}",
                               "groups": names, "header": ["Vraag", *names], "rows": rows}
                              for b in range(breakdowns)]
    return document


def pages(pdf: bytes, tmp_path: Path) -> list[str]:
    """The text of each page (pdftotext -layout), whitespace collapsed so that a line the
    layout spreads over several columns still reads as one string."""
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True).stdout
    return [" ".join(page.split()) for page in text.decode("utf-8").split("\f") if page.strip()]


def info(pdf: bytes, tmp_path: Path) -> dict[str, str]:
    path = tmp_path / "info.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True).stdout.decode("utf-8")
    return {key.strip(): value.strip() for key, _, value in (line.partition(":") for line in out.splitlines())}


@pytest.fixture(scope="module")
def fixture_pdf() -> bytes:
    return render_pdf(fixture(), timestamp=STAMP)


def test_every_page_carries_the_embargo_and_the_concept_line(fixture_pdf, tmp_path):
    document = fixture()
    texts = pages(fixture_pdf, tmp_path)
    assert len(texts) >= 4
    for number, text in enumerate(texts, start=1):
        assert document["confidential"] in text, number
        assert document["concept"] in text, number
        assert f"pagina {number} van {len(texts)}" in text
        assert document["copyright"] in text


def test_no_concept_line_when_the_report_is_final(tmp_path):
    document = fixture() | {"concept": None}
    texts = pages(render_pdf(document, timestamp=STAMP), tmp_path)
    assert all(document["confidential"] in text for text in texts)
    assert not any("CONCEPT" in text for text in texts)


def test_figures_are_extracted_as_printed(fixture_pdf, tmp_path):
    text = " ".join(pages(fixture_pdf, tmp_path))
    for figure in ("84 %", "3,71", "3,66–3,76", "1.180", "8 %", "n.v.t. 2 %", "gunstiger", "ongunstiger"):
        assert figure in text, figure


def test_verdict_words_carry_a_symbol_and_the_change_column_its_own(tmp_path):
    """The word is always printed; ▲/▼ only helps the eye, taken from the row's codes, and the
    change symbol lands in the change column, not the verdict column."""
    document = fixture()
    row = document["themes"][0]["rows"][1]
    row["cells"][-1], row["change"] = "verslechterd", "worsened"
    text = " ".join(pages(render_pdf(document, timestamp=STAMP), tmp_path))
    assert "▲ gunstiger" in text
    assert "▼ verslechterd" in text
    assert "▼ ongunstiger" in text  # breakdown cell


def test_title_metadata_and_tagging(fixture_pdf, tmp_path):
    meta = info(fixture_pdf, tmp_path)
    assert meta["Title"] == fixture()["title"]
    assert meta["Author"] == "JOB"
    assert meta["Tagged"] == "yes"
    assert meta["Page size"].startswith("595.") and "(A4)" in meta["Page size"]


def test_same_input_and_timestamp_give_identical_bytes(fixture_pdf):
    assert render_pdf(fixture(), timestamp=STAMP) == fixture_pdf
    naive = STAMP.replace(tzinfo=None)
    assert render_pdf(fixture(), timestamp=naive) == fixture_pdf


def test_empty_lists_and_missing_values_compile(tmp_path):
    document = fixture() | {"summary": [], "breakdowns": []}
    document["themes"].append({**document["themes"][0], "id": "leeg", "name": "Leeg thema", "rows": []})
    for row in document["themes"][0]["rows"]:
        row.update(verdict=None, change=None, distribution=None)
    document["response"] = {**document["response"], "rows": []}
    texts = pages(render_pdf(document, timestamp=STAMP), tmp_path)
    assert all(document["confidential"] in text for text in texts)
    assert "Leeg thema" in " ".join(texts)


def test_full_size_report_keeps_every_group_and_the_embargo_line(tmp_path):
    document = expanded(themes=15, items=10, breakdowns=1, groups=12)
    texts = pages(render_pdf(document, timestamp=STAMP), tmp_path)
    assert len(texts) > 8
    for text in texts:
        assert document["confidential"] in text
        assert document["concept"] in text
    whole = " ".join(texts)
    for group in document["breakdowns"][0]["groups"]:
        assert group in whole, group
    assert "(15.10)" in whole



def test_a_viewer_shows_the_title_and_the_pdf_stays_tagged_dutch_with_embedded_fonts(fixture_pdf):
    root = catalog(fixture_pdf)
    assert re.search(rb"/ViewerPreferences\s*<<[^>]*/DisplayDocTitle\s+true", root), root
    assert b"/Lang(nl-NL)" in root and b"/StructTreeRoot" in root and b"/Marked true" in root
    embedded = fonts_embedded(fixture_pdf)
    assert embedded and all(embedded.values()), embedded


def long_words(document: dict) -> dict:
    """The full-size report with what makes columns narrow: long Dutch group names, a long
    header word, the change verdict with its symbol in every row, and real method paragraphs."""
    names = ["Ambacht, laboratorium en gezondheidstechniek", "Handel en ondernemerschap", "Bedrijfsadministratie",
             "Vrijetijdsbesteding", "Uiterlijke verzorging", "Techniek en procesindustrie", "Zorg en welzijn",
             "Mobiliteit en voertuigen", "ICT en creatieve industrie", "Veiligheid en sport", "Toerisme en recreatie",
             "Horeca en bakkerij", "Totaal instelling"]
    breakdown = document["breakdowns"][0]
    document["breakdowns"] = [breakdown | {"groups": names, "header": ["Vraag", *names]}]
    for theme in document["themes"]:
        for row in theme["rows"]:
            if row["kind"] == "item" and row["verdict"] is not None:
                row["cells"][-1], row["change"] = "verslechterd", "worsened"
    methods = load_words("rapport")["pdf"]["methods"]
    document["methods"]["paragraphs"] = [fill(m, edition=2026, embargo="27 mei 2026 om 14:00 uur", min_n=10,
                                              min_difference_pct=5, min_effect_size_mean="0,2") for m in methods]
    return document


def test_no_word_in_a_table_is_hyphenated_or_runs_into_the_next_column(tmp_path):
    """Tables break lines between words only: with the running paragraphs emptied, nothing in the
    PDF is hyphenated (tables, headings, summary, cover, header and footer); with them, Dutch
    hyphenation still works there. Columns fit their longest word: no two words on a line
    overlap and none passes the right margin."""
    document = long_words(expanded(themes=15, items=10, breakdowns=1, groups=12))
    full = render_pdf(document, timestamp=STAMP)
    assert hyphenated_words(full), "running text should still be hyphenated (and the count should see it)"
    assert hyphenated_words(render_pdf(without_running_text(document), timestamp=STAMP)) == []
    assert colliding_words(full) == []
    text = " ".join(pages(full, tmp_path))
    words = set(text.split())
    for name in document["breakdowns"][0]["groups"]:  # wrapped in their header cells, each word whole
        assert all(word in words for word in name.split()), name
    assert "▼ verslechterd" in text and "geen duidelijk" in text
