"""A tiny hand-made SiteInputs for the site layer: 2 institutions, 2 domains, 1 theme, 2 items.

Every figure is written out below (RAW), so tests know exactly what must appear where. The
institution × domain cell Ábel Vakcollege × Techniek & procesindustrie has n = 7 (primary
suppression) and Ábel Vakcollege × Zorg, welzijn en sport item Q2 is suppressed_secondary; their
values are distinctive decimals that must appear nowhere in the built site.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pandas as pd

from jobmonitor.codebook import Questionnaire
from jobmonitor.compute.significance import CHANGE_VERDICTS, NO_DIFFERENCE, VERDICTS
from jobmonitor.config import Config
from jobmonitor.site.downloads import DownloadFile
from jobmonitor.results import RESULT_COLUMNS, SiteInputs, Summary, published_results, public_status_counts, site_inputs_from

EDITION = 2025
INSTITUTIONS = pd.DataFrame(
    {
        "institution_id": ["I01", "I02"],
        "name": ["Zuiderlicht College", "Ábel Vakcollege"],
        "place": ["Maastricht", "Rotterdam"],
        "slug": ["zuiderlicht-college", "abel-vakcollege"],
    }
)
DOMAINS = pd.DataFrame(
    {
        "domain_id": ["D1", "D2"],
        "name": ["Zorg, welzijn en sport", "Techniek & procesindustrie"],
        "slug": ["zorg-welzijn-en-sport", "techniek-procesindustrie"],
    }
)
QUESTIONNAIRE = Questionnaire(
    edition=EDITION,
    themes=[{"id": "lessen", "name": "Lessen en leren", "description": "Hoe studenten de lessen en het leren op school ervaren."}],
    items=[
        {"id": "Q1", "theme": "lessen", "text": "De lessen beginnen op tijd.", "scale": "scale5", "previous_id": "P1"},
        {"id": "Q2", "theme": "lessen", "text": "Ik krijg <genoeg> feedback | ook op stage", "scale": "yesno"},
    ],
)
MEASURES = {"lessen": ("theme", "mean"), "Q1": ("item", "pct_positive"), "Q2": ("item", "pct_yes")}

# (level, institution, domain, item, n, estimate, ci_low, ci_high, benchmark, marker, previous, change, status)
RAW = [
    ("national", None, None, "lessen", 1210, 3.62, 3.58, 3.66, None, None, 3.55, "", "published"),
    ("national", None, None, "Q1", 1200, 60.0, 57.2, 62.8, None, None, 57.5, "▲", "published"),
    ("national", None, None, "Q2", 1180, 48.0, 45.2, 50.8, None, None, None, None, "published"),
    ("institution", "I01", None, "lessen", 415, 3.71, 3.64, 3.78, 3.62, "", 3.66, "", "published"),
    ("institution", "I01", None, "Q1", 412, 62.4, 58.1, 66.5, 60.0, "", 61.0, "", "published"),
    ("institution", "I01", None, "Q2", 405, 55.3, 50.4, 60.1, 48.0, "+", None, None, "published"),
    ("institution", "I02", None, "lessen", 390, 3.48, 3.40, 3.56, 3.62, "", 3.52, "", "published"),
    ("institution", "I02", None, "Q1", 388, 51.2, 46.2, 56.1, 60.0, "-", 58.9, "▼", "published"),
    ("institution", "I02", None, "Q2", 380, 44.1, 39.2, 49.1, 48.0, "", None, None, "published"),
    ("domain", None, "D1", "lessen", 700, 3.66, 3.61, 3.71, 3.62, "", 3.58, "", "published"),
    ("domain", None, "D1", "Q1", 695, 61.8, 58.2, 65.3, 60.0, "", 59.4, "", "published"),
    ("domain", None, "D1", "Q2", 690, 50.6, 46.9, 54.3, 48.0, "", None, None, "published"),
    ("domain", None, "D2", "lessen", 510, 3.56, 3.50, 3.62, 3.62, "", 3.51, "", "published"),
    ("domain", None, "D2", "Q1", 505, 57.6, 53.3, 61.8, 60.0, "", 55.2, "", "published"),
    ("domain", None, "D2", "Q2", 490, 44.5, 40.2, 48.9, 48.0, "", None, None, "published"),
    ("institution_domain", "I01", "D1", "lessen", 370, 3.73, 3.65, 3.81, 3.66, "", 3.69, "", "published"),
    ("institution_domain", "I01", "D1", "Q1", 368, 64.7, 59.7, 69.4, 61.8, "", 62.2, "", "published"),
    ("institution_domain", "I01", "D1", "Q2", 362, 56.9, 51.8, 61.9, 50.6, "+", None, None, "published"),
    ("institution_domain", "I01", "D2", "lessen", 45, 3.54, 3.33, 3.75, 3.56, "", None, None, "indicative"),
    ("institution_domain", "I01", "D2", "Q1", 44, 43.2, 29.7, 56.9, 57.6, "", None, None, "indicative"),
    ("institution_domain", "I01", "D2", "Q2", 43, 41.9, 28.4, 56.7, 44.5, "", None, None, "indicative"),
    ("institution_domain", "I02", "D1", "lessen", 330, 3.59, 3.50, 3.68, 3.66, "", 3.55, "", "published"),
    ("institution_domain", "I02", "D1", "Q1", 327, 58.4, 53.0, 63.6, 61.8, "", 57.1, "", "published"),
    ("institution_domain", "I02", "D1", "Q2", 23, 36.52, 19.33, 57.81, 50.6, "", None, None, "suppressed_secondary"),
    ("institution_domain", "I02", "D2", "lessen", 7, 3.1429, 2.5117, 3.7741, 3.56, "", None, None, "suppressed_primary"),
    ("institution_domain", "I02", "D2", "Q1", 7, 42.86, 15.82, 74.95, 57.6, "", None, None, "suppressed_primary"),
    ("institution_domain", "I02", "D2", "Q2", 7, 28.57, 8.22, 64.11, 44.5, "", None, None, "suppressed_primary"),
]
# Formatted forms of the hidden values; none may appear anywhere in the built site.
HIDDEN_STRINGS = [
    "36,5", "19,3", "57,8", "36.52", "19.33", "57.81",
    "3,1", "2,51", "3,77", "3.1429", "2.5117", "3.7741",
    "42,9", "15,8", "74,9", "42.86", "15.82", "74.95",
    "28,6", "8,2", "64,1", "28.57", "8.22", "64.11",
]


def verdict_columns(marker, change, bench, prev, difference, direction: str) -> dict:
    """The columns the significance stage derives from a marker, for hand-written rows."""
    tested = bench is not None
    return {
        "direction": direction,
        "difference_rest": None if difference is None else difference * 1.1,
        "effect_size": None if difference is None else difference / 20,
        "verdict": VERDICTS[direction].get(marker or "", NO_DIFFERENCE) if tested else "",
        "change_verdict": CHANGE_VERDICTS[direction].get(change or "", NO_DIFFERENCE) if prev is not None else "",
    }


def raw_results() -> pd.DataFrame:
    """The full results table, hidden values included (what the site must never show)."""
    institution_names = dict(zip(INSTITUTIONS["institution_id"], INSTITUTIONS["name"]))
    domain_names = dict(zip(DOMAINS["domain_id"], DOMAINS["name"]))
    rows = []
    for level, inst, dom, item, n, est, low, high, bench, marker, prev, change, status in RAW:
        kind, measure = MEASURES[item]
        diff = None if bench is None else round(est - bench, 4)
        rows.append({
            "edition": EDITION, "level": level, "institution_id": inst, "institution": institution_names.get(inst),
            "domain_id": dom, "domain": domain_names.get(dom), "item_id": item, "kind": kind, "measure": measure,
            "n": n, "n_eff": n * 0.9, "estimate": est, "ci_low": low, "ci_high": high, "benchmark": bench,
            "difference": diff, "p_value": None if bench is None else 0.01, "p_adjusted": None if bench is None else 0.02,
            "marker": marker, "previous_estimate": prev, "change": None if prev is None else round(est - prev, 4),
            "change_marker": change, "status": status,
        } | verdict_columns(marker, change, bench, prev, diff, "higher_better"))
    frame = pd.DataFrame(rows, columns=RESULT_COLUMNS)
    frame["n"] = frame["n"].astype("Int64")
    return frame


def site_config() -> Config:
    return Config(
        edition=EDITION,
        previous_editions=[2023],
        embargo=dt.datetime(2025, 3, 4, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=1))),
        data_status="definitief",
        base_url="https://example.org/jobmonitor/",
        data_hashes={"responses.parquet": "ab" * 32},
    )


def site_inputs() -> SiteInputs:
    raw = raw_results()
    response = pd.DataFrame(
        {
            "institution_id": ["I01", "I02"],
            "population": [5200, 4100],
            "respondents": [980, 760],
            "rate": [980 / 5200, 760 / 4100],
            "netto": [358, 352],
            "bruto": [394, 388],
        }
    )
    return site_inputs_from(site_config(), published_results(raw), {EDITION: QUESTIONNAIRE}, INSTITUTIONS, DOMAINS,
                            response, Summary({str(EDITION): public_status_counts(raw)}, downloads=DOWNLOADS))


# What the downloads writer reports having written; the downloads page lists these.
DOWNLOADS = (
    DownloadFile(f"resultaten-{EDITION}.xlsx", "results_xlsx", (EDITION,), 120_000, "120 kB"),
    DownloadFile("resultaten.csv", "results_csv", (EDITION,), 1_234_567, "1,2 MB"),
    DownloadFile("resultaten-excel.csv", "results_excel_csv", (EDITION,), 1_245_678, "1,2 MB"),
    DownloadFile("vragenlijst.csv", "questionnaire", (EDITION,), 3_000, "3 kB"),
    DownloadFile("datadictionary.csv", "dictionary", (EDITION,), 2_000, "2 kB"),
)


@dataclass
class ParsedTable:
    caption: str = ""
    attrs: dict = field(default_factory=dict)
    rows: list[list[dict]] = field(default_factory=list)  # each cell: tag, attrs, text
    row_attrs: list[dict] = field(default_factory=list)  # attributes of each <tr>

    def texts(self) -> list[list[str]]:
        return [[cell["text"] for cell in row] for row in self.rows]

    def row(self, label: str) -> list[str]:
        """The body row whose first cell is `label` (texts), with or without its note in
        brackets ("(% ja · lager is beter)")."""
        matches = [r for r in self.texts()[1:] if r[0] == label or r[0].startswith(label + " (")]
        assert len(matches) == 1, f"expected one row {label!r}, got {matches} in {self.caption!r}"
        return [label] + matches[0][1:]

    def note(self, label: str) -> str:
        """The note in brackets after a question, e.g. "% ja · lager is beter"."""
        first = next(r[0] for r in self.texts()[1:] if r[0].startswith(label))
        return first[len(label):].strip().removeprefix("(").removesuffix(")")


class _TableParser(HTMLParser):
    """Just enough HTML parsing to read tables (no bs4 in this environment)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables: list[ParsedTable] = []
        self.row: list[dict] | None = None
        self.cell: dict | None = None
        self.in_caption = False

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append(ParsedTable(attrs=dict(attrs)))
        elif tag == "caption":
            self.in_caption = True
        elif tag == "tr":
            self.row = []
            self.tables[-1].row_attrs.append(dict(attrs))
        elif tag in ("th", "td"):
            self.cell = {"tag": tag, "attrs": dict(attrs), "text": ""}

    def handle_data(self, data):
        if self.cell is not None:
            self.cell["text"] += data
        elif self.in_caption:
            self.tables[-1].caption += data

    def handle_endtag(self, tag):
        if tag == "caption":
            self.in_caption = False
        elif tag in ("th", "td") and self.cell is not None:
            self.cell["text"] = " ".join(self.cell["text"].split())
            self.row.append(self.cell)
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.tables[-1].rows.append(self.row)
            self.row = None


def parse_tables(html: str) -> list[ParsedTable]:
    parser = _TableParser()
    parser.feed(html)
    return parser.tables


def table_with(tables: list[ParsedTable], caption_part: str) -> ParsedTable:
    matches = [t for t in tables if caption_part in t.caption]
    assert len(matches) == 1, f"expected one table with {caption_part!r}: {[t.caption for t in tables]}"
    return matches[0]
