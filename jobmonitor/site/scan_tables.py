"""The release scan's tables: downloads and report packs (CSV in either dialect, every XLSX
sheet, SAV), checked row by row by each row's public status, never by value: a hidden row holds
no figure. Also the list of a site's files that may hold figures, shared with `scan`.
"""

from __future__ import annotations

import csv
import itertools
import json
import re
from pathlib import Path

from jobmonitor.results import ID_COLUMNS, SUPPRESSED, TEXT_VALUE_COLUMNS, VALUE_COLUMNS

THEME_ASSETS = ("assets/",)
FIGURE_COLUMNS = tuple(VALUE_COLUMNS) + tuple(TEXT_VALUE_COLUMNS)


def _copied_from_content(site_dir: Path) -> set[str]:
    from jobmonitor.site.wording import CONTENT_DIR  # noqa: PLC0415

    return {p.relative_to(CONTENT_DIR).as_posix() for p in CONTENT_DIR.rglob("*") if p.is_file()
            and p.suffix not in (".md",)}


def data_files(site_dir: Path, suffixes: tuple[str, ...]):
    """The site's files that may hold figures: not the theme's assets, not files copied as is
    from content/ (the site's own scripts, styles and images)."""
    site_dir = Path(site_dir)
    copied = _copied_from_content(site_dir)
    for path in sorted(site_dir.rglob("*")):
        relative = path.relative_to(site_dir).as_posix()
        if (path.suffix in suffixes and path.is_file() and not relative.startswith(THEME_ASSETS)
                and relative not in copied):
            yield path


def _status_column(header: list[str], first_rows: list[list]) -> int | None:
    """The column holding each row's public status: named so, or the one whose values are all
    statuses (in codes)."""
    for k, name in enumerate(header):
        if str(name).strip().casefold() == "status":
            return k
    statuses = {"published", "indicative", "suppressed", *SUPPRESSED}
    for k in range(len(header)):
        values = {str(r[k]).strip() for r in first_rows if k < len(r) and r[k] not in (None, "")}
        if values and values <= statuses:
            return k
    return None


def _is_number(value) -> bool:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value == value
    text = str(value).strip().replace(",", ".")
    try:
        float(text)
        return text != ""
    except ValueError:
        return False


def _table_words() -> tuple[frozenset, frozenset, frozenset]:
    """What a hidden row's status says, the headers of id and label columns, and the headers
    of figure columns: in codes and in the Dutch of the site's and the reports' files."""
    from jobmonitor.site.wording import load_words, load_wording  # noqa: PLC0415

    site, report, data_file = load_wording(), load_words("rapport"), load_words("databestand")
    dutch = site.get("excel_headers", {})
    hidden = {*SUPPRESSED, site["status"]["suppressed"], (report.get("status") or {}).get("suppressed", "")}
    id_codes = {*ID_COLUMNS, "direction", "kind", "measure", "bron", "theme_id", "theme", "text", "scale"}
    report_ids = ("table", "grouping", "group", "domain", "theme", "item_id", "kind", "text", "measure", "direction")
    # The national data file's own columns are its opleiding's code and name: ids too.
    ids = {*id_codes, "editie", "jaar", *(dutch[c] for c in id_codes if c in dutch),
           *(name for key in report_ids for name in report["columns"].get(key, ())),
           *data_file["headers"], *data_file["headers"].values()}
    figures = {*FIGURE_COLUMNS, *(dutch[c] for c in FIGURE_COLUMNS if c in dutch)}
    earlier = [re.escape(name).replace(re.escape("{year}"), r"\d{4}")
               for name in report["columns"].get("estimate_year", ())]
    return frozenset(w for w in hidden if w), _Ids(ids, earlier), frozenset(figures)


class _Ids(frozenset):
    """Headers of id and label columns, and of an earlier edition's figure (a report's
    "Uitkomst 2024"): that figure belongs to the earlier edition's own row, taken from the
    published view, where a hidden row holds no value (`reports.content.institution_results`);
    the current row's status says nothing about it."""

    def __new__(cls, names, earlier_patterns):
        ids = super().__new__(cls, names)
        ids.earlier = re.compile("|".join(earlier_patterns)) if earlier_patterns else None
        return ids

    def __contains__(self, name) -> bool:
        return super().__contains__(name) or (
            self.earlier is not None and isinstance(name, str) and self.earlier.fullmatch(name.strip()) is not None)


def hidden_row_findings(name: str, header: list[str], rows) -> list[str]:
    """Hidden rows (by status) of one table: no figure column filled and no number outside the
    id and label columns. `rows` may be an iterator: a national CSV is read row by row."""
    rows = iter(rows)
    first = list(itertools.islice(rows, 200))
    rows = itertools.chain(first, rows)
    status = _status_column(header, first)
    if status is None:
        return []
    hidden_words, id_headers, figure_headers = _table_words()
    names = [str(h).strip() for h in header]
    ids = {k for k, h in enumerate(names) if h in id_headers}
    figure = {k for k, h in enumerate(names) if h in figure_headers}
    findings = []
    for row in rows:
        if status >= len(row) or str(row[status]).strip() not in hidden_words:
            continue
        leaked = [names[k] for k, v in enumerate(row) if k != status and v not in (None, "")
                  and (k in figure or (k not in ids and _is_number(v)))]
        if leaked:
            unit = [str(row[k]) for k in sorted(ids) if k < len(row) and row[k] not in (None, "")]
            findings.append(f"{name}: hidden row ({' '.join(unit)}) has {', '.join(leaked[:4])}")
        if len(findings) >= 20:
            break
    return findings


def csv_findings(path: Path, relative: str) -> list[str]:
    """A CSV in any of the site's dialects (comma and point; or BOM, semicolon and decimal
    comma for a Dutch Excel), read as text in blocks with Arrow's reader (a national results
    file holds ~400,000 rows of ~45 columns); only the hidden rows reach the row check."""
    import pyarrow as pa  # noqa: PLC0415
    import pyarrow.compute as pc  # noqa: PLC0415
    from pyarrow import csv as arrow_csv  # noqa: PLC0415

    with open(path, encoding="utf-8-sig", errors="replace", newline="") as handle:
        first = handle.readline()
    delimiter = ";" if first.count(";") > first.count(",") else ","
    header = next(csv.reader([first], delimiter=delimiter), [])
    status = _status_column(header, [])
    if status is None or len(set(header)) != len(header):
        # No status column named so: read it whole, the status is found by its values.
        with open(path, encoding="utf-8-sig", errors="replace", newline="") as handle:
            rows = csv.reader(handle, delimiter=delimiter)
            return hidden_row_findings(relative, next(rows, []), rows)
    hidden_words = pa.array(sorted(_table_words()[0]))
    reader = arrow_csv.open_csv(
        path, read_options=arrow_csv.ReadOptions(block_size=8 << 20),
        parse_options=arrow_csv.ParseOptions(delimiter=delimiter, newlines_in_values=True),
        convert_options=arrow_csv.ConvertOptions(column_types=dict.fromkeys(header, pa.string()),
                                                 strings_can_be_null=False, quoted_strings_can_be_null=False))
    findings = []
    for batch in reader:
        hidden = batch.filter(pc.is_in(pc.utf8_trim_whitespace(batch.column(status)), value_set=hidden_words))
        if hidden.num_rows:
            columns = [hidden.column(k).to_pylist() for k in range(hidden.num_columns)]
            findings += hidden_row_findings(relative, header, zip(*columns))
    return findings[:20]


def _xlsx_tables(path: Path):
    """Each sheet as (name, header, hidden rows), read by fastexcel (calamine's reader into
    Arrow: no Python object per cell, ~2 s for a national workbook's 4.9 million cells)."""
    import fastexcel  # noqa: PLC0415
    import pyarrow as pa  # noqa: PLC0415
    import pyarrow.compute as pc  # noqa: PLC0415

    try:
        book = fastexcel.read_excel(str(path))
        sheets = [(name, book.load_sheet(name, dtypes="string").to_arrow()) for name in book.sheet_names]
    except Exception as exc:  # noqa: BLE001 - fastexcel's own error types; any is "cannot be read"
        raise ValueError(f"not a readable workbook ({type(exc).__name__}: {exc})") from None
    hidden_words = pa.array(sorted(_table_words()[0]))
    for name, table in sheets:
        header = [str(h) for h in table.column_names]
        status = _status_column(header, [])
        if status is None:
            yield name, header, zip(*(table.column(k).to_pylist() for k in range(table.num_columns)))
            continue
        hidden = table.filter(pc.is_in(pc.utf8_trim_whitespace(table.column(status)), value_set=hidden_words))
        yield name, header, zip(*(hidden.column(k).to_pylist() for k in range(hidden.num_columns)))


def sav_findings(path: Path, relative: str) -> list[str]:
    """A stacked SPSS file: rows whose status (a code with value labels) is hidden hold nothing
    but ids and labels. Vectorised: a pack's SAV holds every breakdown table."""
    import pyreadstat  # noqa: PLC0415

    frame, meta = pyreadstat.read_sav(str(path))
    status = next((c for c in frame.columns if c.casefold() == "status"), None)
    if status is None:
        return []
    hidden_words, id_headers, _ = _table_words()
    codes = [code for code, label in meta.variable_value_labels.get(status, {}).items() if label in hidden_words]
    hidden = frame[frame[status].isin(codes)]
    labels = dict(zip(meta.column_names, meta.column_labels))
    figures = [c for c in frame.columns if c != status and c not in id_headers and labels.get(c) not in id_headers]
    filled = hidden[figures].notna() & hidden[figures].ne("")
    return [f"{relative}: hidden row {k + 1} has {', '.join(filled.columns[filled.loc[k]][:4])}"
            for k in filled.index[filled.any(axis=1)][:20]]


def workbook_findings(path: Path, relative: str) -> list[str]:
    try:
        return [f for sheet, header, rows in _xlsx_tables(path)
                for f in hidden_row_findings(f"{relative} [{sheet}]", header, rows)]
    except ValueError as exc:
        return [f"{relative}: {exc}: it cannot be checked, so it cannot be published"]


def _workbooks_findings(paths: list[str], relatives: list[str]) -> list[str]:
    return [f for path, relative in zip(paths, relatives) for f in workbook_findings(Path(path), relative)]


# Workbooks above this size are read in a separate interpreter beside the rest: reading a
# national workbook (a 124 MB sheet) takes seconds and hundreds of MB, which a forked worker
# would add on top of the build's whole memory. (A subprocess, not a spawned pool: that would
# import the caller's main module again.)
SEPARATE_WORKBOOKS_BYTES = 8 << 20


def scan_downloads(site_dir: Path) -> list[str]:
    """Every table file under `site_dir` (CSV in any dialect, every XLSX sheet, SAV): a hidden
    row holds no figure. Also the institution report packs (`reports.packs`)."""
    import subprocess  # noqa: PLC0415
    import sys  # noqa: PLC0415

    site_dir = Path(site_dir)
    books = list(data_files(site_dir, (".xlsx",)))
    pairs = [[str(p), p.relative_to(site_dir).as_posix()] for p in books]
    worker = None
    if sum(p.stat().st_size for p in books) > SEPARATE_WORKBOOKS_BYTES:
        worker = subprocess.Popen([sys.executable, "-m", "jobmonitor.site.scan_tables"], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, text=True)
        worker.stdin.write(json.dumps(pairs))
        worker.stdin.close()
    findings = []
    for path in data_files(site_dir, (".csv", ".sav")):
        relative = path.relative_to(site_dir).as_posix()
        findings += (csv_findings if path.suffix == ".csv" else sav_findings)(path, relative)
    if worker is None:
        return findings + _workbooks_findings(*zip(*pairs)) if pairs else findings
    output = worker.stdout.read()
    if worker.wait() != 0:
        return findings + [f"{site_dir}: the workbooks could not be checked (the reader stopped), so they cannot be published"]
    return findings + json.loads(output)


if __name__ == "__main__":
    # `scan_downloads` reads large workbooks here, in a process of their own: [[path, name], …]
    # on standard input, the findings as JSON on standard output.
    import sys

    pairs = json.load(sys.stdin)
    json.dump(_workbooks_findings([p for p, _ in pairs], [r for _, r in pairs]), sys.stdout)
