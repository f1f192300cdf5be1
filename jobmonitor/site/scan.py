"""Scan a built site for any trace of a hidden cell: its value, interval or exact n.

Three checks, each naming item, unit and file: (1) in every HTML results table, a row of a
hidden cell shows no number at all; (2) the downloads have no value in hidden rows; (3) no
other file (HTML, search index, sitemap, chart specs, SVG) holds a hidden estimate or
interval bound printed with six or more decimals.
"""

from __future__ import annotations

import gzip
import html
import io
import re
from pathlib import Path

import numpy as np
import pandas as pd

from jobmonitor.results import SUPPRESSED, VALUE_COLUMNS, UnitKey

TEXT_SUFFIXES = {".html", ".json", ".xml", ".txt", ".svg", ".js", ".md"}
THEME_ASSETS = ("assets/javascripts/", "assets/stylesheets/")
# Pages print figures to one decimal; a number with six or more decimals is raw data, and
# one that equals a hidden value to six decimals is a leak (fewer decimals collide by chance).
PRECISE_DECIMALS = 6
PRECISE_NUMBER = re.compile(r"(?<![\d.,])\d{1,3}[.,]\d{6,}(?!\d)")
# Cheap first pass: most files have no separator followed by six digits at all (the full
# pattern with its look-behind costs 5× as much on a national site's 80 MB).
PRECISE_HINT = re.compile(r"[.,]\d{6}")


def hidden_rows(results: pd.DataFrame) -> pd.DataFrame:
    return results[results["status"].isin(SUPPRESSED)]


def unit_key(level, institution_id, domain_id) -> str:
    """The value of a results table's `data-unit` attribute (`UnitKey.attr`) for raw row values."""
    def clean(v):
        return None if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)) else str(v)
    return UnitKey(level, clean(institution_id), clean(domain_id)).attr


TABLE = re.compile(r'<table\b[^>]*\bdata-unit="([^"]*)"[^>]*>(.*?)</table>', re.S)
ROW = re.compile(r'<tr\b([^>]*)\bdata-item="([^"]*)"([^>]*)>(.*?)</tr>', re.S)
FIRST_CELL = re.compile(r"^\s*<t[hd]\b.*?</t[hd]>", re.S)
TAG = re.compile(r"<[^>]*>")


def table_rows(page: str):
    """(unit, item, row html) for every `tr[data-item]` in a `table[data-unit]`.
    Regular expressions, not an HTML parser: the pages are our own, and this runs on every
    page of a national site."""
    for unit, body in TABLE.findall(page):
        for before, item, after, cells in ROW.findall(body):
            yield unit, item, (before, after, cells)


def row_values(row: tuple[str, str, str]) -> tuple[str, str]:
    """Text of the value cells (the first cell, the question, skipped) and the attributes."""
    before, after, cells = row
    values = FIRST_CELL.sub("", cells, count=1)
    attributes = " ".join(re.findall(r'\s(\S+="[^"]*")', values)) + before + after
    return html.unescape(TAG.sub(" ", values)), attributes


# A cell that names its own unit and item (the institutions × themes matrix of a domain page).
CELL = re.compile(r'<td\b([^>]*)\bdata-unit="([^"]*)"([^>]*)\bdata-item="([^"]*)"([^>]*)>(.*?)</td>', re.S)


def scan_matrix_cells(page: str, keys: set, relative: str) -> list[str]:
    """A hidden cell of a matrix shows no number, in its text or its other attributes."""
    findings = []
    for before, unit, middle, item, after, text in CELL.findall(page):
        if (unit, item) in keys:
            shown = html.unescape(TAG.sub(" ", text))
            if re.search(r"\d", shown) or re.search(r"\d", before + middle + after):
                findings.append(f"{relative}: hidden cell {unit} item {item} shows a number: {shown.strip()[:80]!r}")
    return findings


def scan_html_rows(site_dir: Path, hidden: pd.DataFrame) -> list[str]:
    keys = {(unit_key(r.level, r.institution_id, r.domain_id), r.item_id) for r in hidden.itertuples()}
    findings = []
    for path in sorted(site_dir.rglob("*.html")):
        page = path.read_text(encoding="utf-8", errors="replace")
        if 'class="job-table job-matrix"' in page:
            findings += scan_matrix_cells(page, keys, str(path.relative_to(site_dir)))
        for unit, item, row in table_rows(page):
            if (unit, item) not in keys:
                continue
            text, attrs = row_values(row)
            if re.search(r"\d", text) or re.search(r"\d", attrs):
                findings.append(f"{path.relative_to(site_dir)}: hidden cell {unit} item {item} shows a number: {text.strip()[:80]!r}")
    return findings


def scan_downloads(site_dir: Path) -> list[str]:
    """Every CSV file's hidden rows have no value. Each file is read as written: UTF-8 with or
    without a BOM, separated by commas or (the form for a Dutch Excel) by semicolons; only the
    columns the check needs, as text, in blocks (a national results file holds ~400,000 rows
    of ~45 columns; Arrow's reader takes a third of the time pandas takes)."""
    import pyarrow as pa
    import pyarrow.compute as pc
    from pyarrow import csv

    findings = []
    ids = ("level", "institution_id", "domain_id", "item_id")
    for path in sorted(site_dir.rglob("*.csv")):
        with open(path, encoding="utf-8-sig") as file:
            header = file.readline()
        separator = ";" if header.count(";") > header.count(",") else ","
        names = list(pd.read_csv(io.StringIO(header), sep=separator, nrows=0).columns)
        if "status" not in names:
            continue
        needed = [c for c in names if c in {"status", *ids, *VALUE_COLUMNS}]
        reader = csv.open_csv(path, read_options=csv.ReadOptions(block_size=8 << 20),
                              parse_options=csv.ParseOptions(delimiter=separator, newlines_in_values=True),
                              convert_options=csv.ConvertOptions(include_columns=needed, column_types=dict.fromkeys(needed, pa.string()),
                                                                 strings_can_be_null=False, quoted_strings_can_be_null=False))
        for batch in reader:
            hidden = batch.filter(pc.is_in(batch.column("status"), value_set=pa.array(sorted(SUPPRESSED))))
            for column in [c for c in VALUE_COLUMNS if c in needed]:
                filled = hidden.filter(pc.not_equal(pc.utf8_trim_whitespace(hidden.column(column)), "")).slice(0, 5)
                for row in filled.to_pylist():
                    findings.append(f"{path.relative_to(site_dir)}: hidden row {row.get('level', '')} {row.get('institution_id', '')} "
                                    f"{row.get('domain_id', '')} item {row.get('item_id', '')} has {column}")
    return findings


def _file_texts(site_dir: Path):
    """Text of every data-bearing file; the theme's own scripts and styles hold no figures,
    and downloads are checked row by row in `scan_downloads`."""
    for path in sorted(site_dir.rglob("*")):
        relative = path.relative_to(site_dir).as_posix()
        if not path.is_file() or relative.startswith(THEME_ASSETS) or path.suffix in (".csv", ".xlsx"):
            continue
        if path.suffix in TEXT_SUFFIXES:
            yield path, path.read_text(encoding="utf-8", errors="replace")
        elif path.suffix == ".gz":
            yield path, gzip.decompress(path.read_bytes()).decode("utf-8", errors="replace")


def _precise(value: float) -> str | None:
    return None if value is None or not np.isfinite(value) else f"{float(value):.{PRECISE_DECIMALS}f}"


def scan_values(site_dir: Path, hidden: pd.DataFrame) -> list[str]:
    """Numbers printed with 6+ decimals (chart specs, JSON, SVG) that match a hidden value."""
    labels = {}
    for row in hidden.itertuples():
        for column in ("estimate", "ci_low", "ci_high"):
            key = _precise(getattr(row, column))
            if key is not None:
                labels.setdefault(key, f"{unit_key(row.level, row.institution_id, row.domain_id)} item {row.item_id} {column} ({row.edition})")
    findings = []
    for path, text in _file_texts(site_dir):
        text = html.unescape(text)
        if not PRECISE_HINT.search(text):
            continue
        for token in set(PRECISE_NUMBER.findall(text)):
            key = _precise(float(token.replace(",", ".")))
            if key in labels:
                findings.append(f"{path.relative_to(site_dir)}: contains hidden {labels[key]}")
    return findings


def scan_site(site_dir: Path, results: pd.DataFrame, edition: int, *, downloads: bool = True) -> list[str]:
    """Every finding in a built site; `results` is the full (unpublished) results table and
    `edition` the one the pages show (all editions are checked in downloads and data files).
    `downloads=False` when the CSV files were scanned where they were written (`publish`)."""
    hidden = hidden_rows(results)
    return (scan_html_rows(site_dir, hidden[hidden["edition"] == edition])
            + (scan_downloads(site_dir) if downloads else []) + scan_values(site_dir, hidden))
