"""Scan a built site for any figure of a hidden cell, judging every figure by the unit it
belongs to, never by its value alone.

Why by unit: a national site prints hundreds of thousands of numbers and hides thousands of
cells. Matching every printed number against every hidden value is a birthday problem: some
published figure (or a script's constant) equals some hidden value by chance, and a real release
would be stopped by a coincidence. So a figure is tied to its unit and item first:

1. Pages and their inline SVG: an element that shows a result names its item (`data-item`) and,
   on it or an ancestor, its unit (`data-unit`) and, where it is not the page's edition, the
   edition (`data-edition`). A hidden cell's element shows no number (its label, the question in
   `th[scope=row]`, excepted) in its text or in any attribute but the structural ones; a chart
   row (`svg g[data-item]`) of a hidden cell is a finding in itself.
2. Compare data (JSON): rows under their unit key; a hidden row holds only its status.
3. Search index: every number of an entry must be one its own page shows.
4. Downloads (CSV in any dialect, XLSX): a hidden row, found by its status, holds no figure.
5. Free text: a number printed with six or more decimals (raw data: pages print one) that is
   tied to a unit (the nearest `data-unit`, the unit key a JSON value lies under, or the page's
   own unit, `<meta name="job-unit">`) is a finding when it equals a hidden value of that unit.
   Numbers tied to no unit are not compared with anything.

Files copied from content/ (the site's own scripts, styles and images) and the theme's assets
hold no data and are not scanned for values. With `HiddenCells.from_results` on the published
view (a bundle: statuses, no hidden value) checks 1–4 run in full and check 5 has nothing to
compare with; it runs where the hidden values are, when the bundle is made.
"""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from lxml import etree

from jobmonitor.results import SUPPRESSED, UnitKey
from jobmonitor.site.scan_tables import data_files, scan_downloads

PAGE_UNIT_META = "job-unit"
# Pages print figures to one decimal; six or more decimals is raw data.
PRECISE_DECIMALS = 6
PRECISE_NUMBER = re.compile(r"(?<![\d.,])-?\d{1,3}[.,]\d{6,}(?!\d)")
PRECISE_HINT = re.compile(r"[.,]\d{6}")
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
DIGIT = re.compile(r"\d")
# Attributes that hold structure, never a figure (ids, classes, links, table headers).
STRUCTURAL_ATTRIBUTES = frozenset({
    "class", "id", "href", "data-unit", "data-item", "data-edition", "data-label", "scope", "headers",
    "colspan", "rowspan", "aria-labelledby", "aria-describedby", "aria-hidden", "role", "lang", "tabindex",
    "xmlns", "focusable"})


def unit_key(level, institution_id, domain_id) -> str:
    """The value of a results table's `data-unit` attribute (`UnitKey.attr`) for raw row values."""
    def clean(v):
        return None if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)) else str(v)
    return UnitKey(level, clean(institution_id), clean(domain_id)).attr


def hidden_rows(results: pd.DataFrame) -> pd.DataFrame:
    return results[results["status"].isin(SUPPRESSED)]


def _precise(value) -> str | None:
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    return f"{value:.{PRECISE_DECIMALS}f}" if np.isfinite(value) else None


@dataclass(frozen=True)
class HiddenCells:
    """What the scan looks for: every hidden cell by (edition, unit, item), and per unit its
    hidden values at six decimals (none when built from the published view alone)."""

    edition: int  # the edition the pages show
    keys: frozenset
    values: dict  # unit attr → precise value → "item … column (edition)"
    units_items: frozenset = frozenset()  # (unit, item) hidden in any edition: a cheap first test
    units: frozenset = frozenset()  # units with a hidden cell: pages without one need no parsing

    @classmethod
    def from_results(cls, results: pd.DataFrame, edition: int) -> "HiddenCells":
        hidden = hidden_rows(results)
        units = [unit_key(*t) for t in zip(hidden["level"], hidden["institution_id"], hidden["domain_id"])]
        keys = frozenset(zip(hidden["edition"].astype(int), units, hidden["item_id"].astype(str)))
        values: dict[str, dict[str, str]] = {}
        for column in ("estimate", "ci_low", "ci_high"):
            if column not in hidden:
                continue
            for unit, item, year, value in zip(units, hidden["item_id"], hidden["edition"], hidden[column]):
                key = _precise(value)
                if key is not None:
                    values.setdefault(unit, {}).setdefault(key, f"item {item} {column} ({year})")
        return cls(int(edition), keys, values, frozenset((u, i) for _, u, i in keys), frozenset(u for _, u, _ in keys))

    def hidden(self, edition: int, unit: str, item: str) -> bool:
        return (edition, unit, item) in self.keys

    def tied_value(self, unit: str | None, text: str) -> str | None:
        """The hidden value of `unit` that a precise number in `text` equals, if any."""
        table = self.values.get(unit) if unit else None
        if not table or not PRECISE_HINT.search(text):
            return None
        for token in PRECISE_NUMBER.findall(text):
            label = table.get(_precise(token.replace(",", ".")))
            if label:
                return label
        return None


# --- pages ---------------------------------------------------------------------------------------

def _ancestor_attr(element, name: str):
    for node in (element, *element.iterancestors()):
        value = node.get(name)
        if value is not None:
            return value
    return None


def _is_label(element) -> bool:
    return element.tag == "th" and element.get("scope") == "row"


def _figure_text(element) -> str:
    """The element's text and attribute values that could carry a figure (labels excepted)."""
    parts = [element.text or ""]
    for name, value in element.attrib.items():
        if name not in STRUCTURAL_ATTRIBUTES:
            parts.append(value)
    for child in element:
        if not isinstance(child.tag, str):
            parts.append(child.tail or "")
            continue
        if not _is_label(child):
            parts.append(_figure_text(child))
        parts.append(child.tail or "")
    return " ".join(parts)


def _edition_of(element, default: int) -> int:
    value = _ancestor_attr(element, "data-edition")
    return int(value) if value and value.isdigit() else default


def scan_page_tree(root, hidden: HiddenCells, relative: str, precise: bool = True) -> list[str]:
    """Findings of one parsed page (or SVG file); `precise=False` when its text holds no number
    with six decimals at all (most pages), so the free-text walk is skipped."""
    findings = []
    for container in root.xpath("//*[@data-unit]"):
        unit = container.get("data-unit")
        for element in container.xpath("descendant-or-self::*[@data-item]"):
            item = element.get("data-item")
            if (unit, item) not in hidden.units_items or _ancestor_attr(element, "data-unit") != unit:
                continue  # not hidden in any edition, or judged under a nearer unit
            if not hidden.hidden(_edition_of(element, hidden.edition), unit, item):
                continue
            in_chart = element.tag.endswith("g") or any(str(a.tag).endswith("svg") for a in element.iterancestors())
            shown = " ".join(_figure_text(element).split())
            if in_chart:
                findings.append(f"{relative}: a chart draws hidden cell {unit} item {item}")
            elif DIGIT.search(shown):
                findings.append(f"{relative}: hidden cell {unit} item {item} shows a number: {shown[:80]!r}")
    return findings + (_tied_numbers(root, hidden, relative) if precise else [])


def _page_unit(root) -> str | None:
    for meta in root.iter("meta"):
        if meta.get("name") == PAGE_UNIT_META:
            return meta.get("content")
    return None


def _tied_numbers(root, hidden: HiddenCells, relative: str) -> list[str]:
    """Free text: precise numbers tied to a unit (nearest data-unit, else the page's unit)."""
    if not hidden.values:
        return []
    page_unit = _page_unit(root)
    findings = []
    for element in root.iter():
        texts = [element.text or "", element.tail or "", *element.attrib.values()]
        text = " ".join(t for t in texts if t)
        if not PRECISE_HINT.search(text):
            continue
        # A tail belongs to the parent's context; the parent is as close as the element here.
        unit = _ancestor_attr(element, "data-unit") or page_unit
        label = hidden.tied_value(unit, text)
        if label:
            findings.append(f"{relative}: contains hidden {unit} {label}")
    return findings


# Plain lxml elements (not lxml.html's, whose class lookup per element costs a third of the scan).
_PARSER = etree.HTMLParser(remove_comments=True)


def _parse(text: str):
    return etree.fromstring(text, _PARSER) if text.strip() else None


UNIT_ATTRIBUTE = re.compile(r'data-unit="([^"]*)"')


def _scan_page_files(site_dir: Path, paths: list[Path], hidden: HiddenCells) -> list[str]:
    """Pages are parsed only when they name a unit with a hidden cell or print a precise
    number (a national site: ~100 of 1,230 pages, 21 of 180 MB)."""
    findings = []
    for path in paths:
        relative = path.relative_to(site_dir).as_posix()
        text = path.read_text(encoding="utf-8", errors="replace")
        precise = bool(hidden.values) and bool(PRECISE_HINT.search(text))
        if precise or not hidden.units.isdisjoint(UNIT_ATTRIBUTE.findall(text)):
            root = _parse(text)
            if root is not None:
                findings += scan_page_tree(root, hidden, relative, precise=precise)
    return findings


def scan_pages(site_dir: Path, hidden: HiddenCells) -> list[str]:
    """Findings of every page and SVG file."""
    return _scan_page_files(site_dir, list(data_files(site_dir, (".html", ".svg"))), hidden)


# --- search index, compare data and other JSON ------------------------------------------------------

def _page_of(location: str) -> str:
    page = location.split("#", 1)[0]
    return (page.rstrip("/") + "/index.html").lstrip("/") if not page.endswith(".html") else page


def _search_docs(site_dir: Path):
    for path in data_files(site_dir, (".json",)):
        if path.name == "search_index.json":
            yield path, json.loads(path.read_text(encoding="utf-8")).get("docs", [])


def _text_numbers(text: str) -> set[str]:
    """The numbers of a page's text as the search index joins it (cells run together)."""
    root = _parse(text)
    return set() if root is None else set(NUMBER.findall("".join(root.itertext())))


def _in_markup(number: str, text: str) -> bool:
    return number in text and re.search(rf"(?<![\d.,]){re.escape(number)}(?!\d)", text) is not None


def scan_search_index(site_dir: Path) -> list[str]:
    """An entry's numbers must all be numbers its own page shows (pages are scanned by unit):
    each found in the page's markup, or else in its text joined as the index joins it. One
    page in memory at a time (a national site's pages are 180 MB)."""
    findings = []
    for path, docs in _search_docs(site_dir):
        by_page: dict[str, list[dict]] = {}
        for doc in docs:
            if DIGIT.search(f"{doc.get('title', '')} {doc.get('text', '')}"):
                by_page.setdefault(_page_of(doc.get("location", "")), []).append(doc)
        for page, page_docs in by_page.items():
            file = Path(site_dir) / page
            text = file.read_text(encoding="utf-8", errors="replace") if file.is_file() else ""
            joined = None
            for doc in page_docs:
                extra = {n for n in NUMBER.findall(f"{doc.get('title', '')} {doc.get('text', '')}")
                         if not _in_markup(n, text)}
                if extra:
                    joined = _text_numbers(text) if joined is None else joined
                    extra -= joined
                if extra:
                    findings.append(f"{path.relative_to(site_dir).as_posix()}: entry {doc.get('location')!r} holds "
                                    f"numbers its page does not show: {', '.join(sorted(extra)[:5])}")
    return findings


def _is_unit_key(key: str) -> bool:
    parts = key.split("|")
    return len(parts) == 3 and parts[0] in ("national", "institution", "domain", "institution_domain")


def _json_findings(value, hidden: HiddenCells, relative: str, unit: str | None = None, item: str | None = None) -> list[str]:
    """Walk a JSON value: rows under a unit key are checked by their item, every other number
    tied to a unit by the key it lies under."""
    findings = []
    if isinstance(value, dict):
        if unit is not None and item is not None and hidden.hidden(hidden.edition, unit, item):
            figures = {k: v for k, v in value.items() if k != "status" and v not in (None, "")}
            if figures:
                findings.append(f"{relative}: hidden cell {unit} item {item} carries {', '.join(sorted(figures))}")
            return findings
        for key, child in value.items():
            if _is_unit_key(str(key)):
                findings += _json_findings(child, hidden, relative, str(key), None)
            elif key == "rows" and isinstance(child, dict) and unit is not None:
                for row_item, row in child.items():
                    findings += _json_findings(row, hidden, relative, unit, str(row_item))
            else:
                findings += _json_findings(child, hidden, relative, unit, item)
    elif isinstance(value, list):
        for child in value:
            findings += _json_findings(child, hidden, relative, unit, item)
    elif isinstance(value, (int, float, str)) and not isinstance(value, bool):
        label = hidden.tied_value(unit, repr(value) if isinstance(value, float) else str(value))
        if label:
            findings.append(f"{relative}: contains hidden {unit} {label}")
    return findings


def scan_json(site_dir: Path, hidden: HiddenCells) -> list[str]:
    findings = []
    for path in data_files(site_dir, (".json", ".gz")):
        data = path.read_bytes()
        if path.suffix == ".gz":
            data = gzip.decompress(data)
            if not path.name.endswith(".json.gz"):
                continue
        try:
            value = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            findings.append(f"{path.relative_to(site_dir).as_posix()}: not readable JSON, cannot be checked")
            continue
        findings += _json_findings(value, hidden, path.relative_to(site_dir).as_posix())
    return findings


# --- the whole site -------------------------------------------------------------------------------

def scan_pages_and_data(site_dir: Path, hidden: HiddenCells) -> list[str]:
    """Pages, SVG files, JSON (compare data, search index): everything but the downloads, on
    both cores (half the pages and the JSON in a forked worker)."""
    from jobmonitor.background import in_background  # noqa: PLC0415

    paths = list(data_files(site_dir, (".html", ".svg")))
    other = in_background(lambda: _scan_page_files(site_dir, paths[1::2], hidden) + scan_json(site_dir, hidden))
    findings = _scan_page_files(site_dir, paths[::2], hidden) + scan_search_index(site_dir)
    return findings + other.result()


def scan_site(site_dir: Path, results: pd.DataFrame, edition: int, *, downloads: bool = True) -> list[str]:
    """Every finding in a built site. `results` is the full results table (or the published view,
    which gives statuses only: then check 5 is left to where the values are) and `edition` the
    one the pages show. `downloads=False` when the downloads were scanned where they were
    written (`publish`)."""
    hidden = HiddenCells.from_results(results, edition)
    site_dir = Path(site_dir)
    return scan_pages_and_data(site_dir, hidden) + (scan_downloads(site_dir) if downloads else [])

