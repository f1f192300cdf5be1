"""Public downloads an analyst can open directly: the published results table as one CSV (every
edition), the same as a CSV a Dutch Excel opens right (`;`, decimal comma, BOM) and one XLSX
per edition, the questionnaire by item_id, and a data dictionary.

They are written from `published_results()` only, so a hidden cell has no value in any file.
Every file has its header on line 1 and JOB's notice as the constant last column `bron`; in a
preview that text says the figures are not public. The same inputs give the same bytes. The
workbooks are written by the project's own writer (`jobmonitor.workbook`), whose formatted
columns the CSV files share.
"""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from jobmonitor.codebook import SHARED_SUFFIX, TREND_SUFFIX, Questionnaire, partly_comparable, theme_items, trend_items
from jobmonitor.results import RESULT_COLUMNS
from jobmonitor.site.formatting import format_number
from jobmonitor.site.wording import fill, notice
from jobmonitor.workbook import Column, Properties, WorkbookSheet, chunks, write_xlsx

RESULTS_CSV = "resultaten.csv"
EXCEL_CSV = "resultaten-excel.csv"  # the same rows for a Dutch Excel: BOM, ";", decimal comma
QUESTIONNAIRE_CSV = "vragenlijst.csv"
DICTIONARY_CSV = "datadictionary.csv"
SOURCE = "bron"  # the notice column, last in every file
# The questionnaire by item_id; edition, item_id, kind, measure and direction hold the same
# values as in the results, so the two join on (edition, item_id) or on all shared columns.
QUESTIONNAIRE_COLUMNS = ["edition", "item_id", "kind", "theme_id", "theme", "text", "scale", "measure",
                         "direction", "previous_id", "comparable", "score_items"]
# A theme score is a mean on 1–5 with lower_better items reverse-coded: higher is better.
THEME_MEASURE, THEME_DIRECTION = "mean", "higher_better"
SHEETS = ("resultaten", "vragenlijst", "datadictionary")
# Codes kept as text in every file whatever they look like (an id "007" stays "007").
CODE_COLUMNS = ("institution_id", "domain_id", "item_id", "theme_id", "previous_id", "score_items")
# Programs that guess a column's type from the first rows of a CSV (polars reads 100) must see
# a value in every column there; DuckDB and pandas read further.
TYPE_ROWS = 100
CSV_BLOCK = 40_000  # rows of the all-editions CSV files formatted at a time
BOM = "\ufeff"  # first in the file for Excel: Excel then reads it as UTF-8


@dataclass(frozen=True)
class DownloadFile:
    """One written file as the downloads page lists it (picklable, no prose: the page words it)."""

    name: str  # file name inside downloads/
    kind: str  # results_xlsx, results_csv, questionnaire or dictionary
    editions: tuple[int, ...]
    size_bytes: int
    size: str  # human-readable, Dutch: "1,2 MB"


def human_size(size: int) -> str:
    """Decimal units, Dutch digits: 950 B → "1 kB", 1_234_567 → "1,2 MB", 54_000_000 → "54 MB"."""
    if size < 999_500:
        return f"{format_number(max(1, round(size / 1000)), 0)} kB"
    megabytes = size / 1_000_000
    return f"{format_number(megabytes, 1 if megabytes < 9.95 else 0)} MB"


def source_text(edition: int, w: dict, *, preview: bool) -> str:
    """The `bron` column: JOB's notice in short (every row carries it: a national CSV of three
    editions must stay well under GitHub Pages' 100 MB a file), in a preview prefixed with a
    not-public warning. The full notice is in the data dictionary and the XLSX properties."""
    text = fill(w["downloads"]["notice_short"], edition=edition)
    return fill(w["downloads"]["preview"], notice=text) if preview else text


def worded(table: pd.DataFrame, w: dict) -> pd.DataFrame:
    """The verdicts as the site words them ("gunstiger", "verbeterd", …) instead of codes."""
    def words(codes: pd.Series, wording: dict) -> pd.Series:
        shown = codes.map(dict(wording.items()))  # an unknown code shows as an empty cell
        return shown.where(shown.notna() | codes.isna(), "")

    return table.assign(**{column: words(table[column], w[column]) for column in ("verdict", "change_verdict")
                           if column in table.columns})


def dictionary_frame(w: dict, edition: int | None = None) -> pd.DataFrame:
    """What each column of the results and of the questionnaire means, file by file, with its
    header in the Excel files (Dutch; the CSV files keep the codes); the `bron` column's
    meaning carries JOB's full ownership notice."""
    names, words = w["dictionary_columns"], w["downloads"]
    full = notice(edition, w) if edition is not None else ""
    meaning = {**w["dictionary"], **words["questionnaire"], SOURCE: fill(words["bron"], notice=full).strip()}
    rows = [(file, column) for file, columns in ((SHEETS[0], RESULT_COLUMNS), (SHEETS[1], QUESTIONNAIRE_COLUMNS))
            for column in [*columns, SOURCE]]
    return pd.DataFrame({names["file"]: [f for f, _ in rows], names["column"]: [c for _, c in rows],
                         names["header"]: [w["excel_headers"][c] for _, c in rows],
                         names["meaning"]: [meaning[c] for _, c in rows]})


def dutch_headers(frame: pd.DataFrame, w: dict) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """A results or questionnaire table for an Excel sheet: with Dutch headers (the data
    dictionary names each one's code), and the headers of its codes and ids, kept as text."""
    headers = w["excel_headers"]
    return frame.rename(columns=headers), tuple(headers[c] for c in CODE_COLUMNS if c in frame.columns)


def questionnaire_frame(questionnaires: dict[int, Questionnaire], published: pd.DataFrame, w: dict) -> pd.DataFrame:
    """One row per theme and item of every edition (a theme first, then its items), plus the
    theme scores on shared items (`<theme>__shared`) and trend scores (`<theme>__trend`) the
    results hold, so every results row
    finds its question, theme, scale and direction."""
    years = sorted(questionnaires)
    latest, before = years[-1], (years[-2] if len(years) > 1 else None)
    # As compute does: the latest edition and the one before compare partly comparable themes
    # on a score over their shared items; each scored its own id of each (latest, before) pair.
    partly = partly_comparable(questionnaires[latest], questionnaires[before]) if before else {}
    side = {latest: 0, before: 1}
    trends = trend_items([questionnaires[year] for year in years])
    rows = []
    for year in years:
        questionnaire = questionnaires[year]
        present = set(published.loc[published["edition"] == year, "item_id"])
        for theme in questionnaire.themes:
            base = {"edition": year, "kind": "theme", "theme_id": theme.id, "theme": theme.name, "measure": THEME_MEASURE,
                    "direction": THEME_DIRECTION}
            rows.append(base | {"item_id": theme.id, "text": theme.description,
                                "score_items": " ".join(i.id for i in theme_items(questionnaire, theme.id))})
            shared = [pair[side[year]] for pair in partly.get(theme.id, ())] if year in side else []
            if theme.id + SHARED_SUFFIX in present and shared:
                rows.append(base | {"item_id": theme.id + SHARED_SUFFIX, "score_items": " ".join(shared),
                                    "text": fill(w["theme_score_shared"], count=len(shared))})
            rows += [{"edition": year, "item_id": item.id, "kind": "item", "theme_id": theme.id, "theme": theme.name,
                      "text": item.text, "scale": item.scale, "measure": item.measure, "direction": item.direction,
                      "previous_id": item.previous_id, "comparable": item.comparable}
                     for item in questionnaire.items_of(theme.id)]
        # Trend scores: named after the newest edition's theme, on that edition's chain of items.
        for theme_id, (var, per_year) in trends.items():
            if var.endswith(TREND_SUFFIX) and var in present:
                rows.append({"edition": year, "item_id": var, "kind": "theme", "theme_id": theme_id,
                             "theme": questionnaires[latest].theme(theme_id).name, "measure": THEME_MEASURE,
                             "direction": THEME_DIRECTION, "score_items": " ".join(per_year[year]),
                             "text": fill(w["theme_score_trend"], count=len(per_year[year]))})
    frame = pd.DataFrame(rows, columns=QUESTIONNAIRE_COLUMNS)
    return frame.astype({"edition": "int64", "comparable": "boolean"})


def write_downloads(published: pd.DataFrame, edition: int, folder: Path, w: dict, *,
                    questionnaires: dict[int, Questionnaire], preview: bool, created: dt.datetime) -> list[DownloadFile]:
    """Every download into `folder`, listed in the order the page shows them: this edition's
    XLSX, the CSV of every edition and its form for Excel, the questionnaire, the dictionary,
    earlier editions' XLSX. `questionnaires` must hold every edition in `published`; `created`
    (the edition's embargo) dates the workbooks, so the same inputs give the same bytes."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    source = source_text(edition, w, preview=preview)
    full_notice = fill(w["downloads"]["preview"], notice=notice(edition, w)) if preview else notice(edition, w)
    years = sorted(int(y) for y in published["edition"].unique())
    missing = [y for y in years if y not in questionnaires]
    if missing:
        raise ValueError(f"`questionnaires` has no questionnaire for edition(s) {missing}; it has {sorted(questionnaires)}")
    questions = questionnaire_frame({y: questionnaires[y] for y in years}, published, w).assign(**{SOURCE: source})
    dictionary = dictionary_frame(w, edition).assign(**{SOURCE: source})

    _write_csv(folder / QUESTIONNAIRE_CSV, [questions])
    _write_csv(folder / DICTIONARY_CSV, [dictionary])
    positions = published.groupby("edition", sort=True).indices

    def workbook(year: int) -> None:
        rows = worded(published[RESULT_COLUMNS].iloc[positions[year]], w).assign(**{SOURCE: source})
        properties = Properties(fill(w["downloads"]["title"], edition=year), full_notice, created,
                                w["downloads"]["preview_status"] if preview else None)
        sheets = [WorkbookSheet(SHEETS[0], *dutch_headers(rows, w)),
                  WorkbookSheet(SHEETS[1], *dutch_headers(questions[questions["edition"] == year], w)),
                  WorkbookSheet(SHEETS[2], dictionary)]
        write_xlsx(folder / xlsx_name(year), sheets, properties)

    # The workbooks one edition at a time (bounded memory at national scale) in a thread, while
    # the two all-editions CSV files are written here (deflate, most of an XLSX's time,
    # releases the GIL).
    with ThreadPoolExecutor(max_workers=1) as pool:
        jobs = [pool.submit(workbook, year) for year in years]
        order = csv_order(published)
        with (open(folder / RESULTS_CSV, "w", encoding="utf-8", newline="") as csv,
              open(folder / EXCEL_CSV, "w", encoding="utf-8", newline="") as excel):
            _csv_header(csv, RESULT_COLUMNS + [SOURCE])
            excel.write(BOM)  # written once here: the utf-8-sig codec costs a Python call per write
            _csv_header(excel, RESULT_COLUMNS + [SOURCE], excel=True)
            for start in range(0, len(order), CSV_BLOCK):
                rows = worded(published[RESULT_COLUMNS].iloc[order[start:start + CSV_BLOCK]], w).assign(**{SOURCE: source})
                _csv_rows(csv, rows, excel_out=excel)
        for job in jobs:
            job.result()

    def entry(name: str, kind: str, editions) -> DownloadFile:
        size = (folder / name).stat().st_size
        return DownloadFile(name, kind, tuple(editions), size, human_size(size))

    older = [y for y in reversed(years) if y != edition]
    return ([entry(xlsx_name(edition), "results_xlsx", [edition])] if edition in years else []) + [
        entry(RESULTS_CSV, "results_csv", years), entry(EXCEL_CSV, "results_excel_csv", years),
        entry(QUESTIONNAIRE_CSV, "questionnaire", years), entry(DICTIONARY_CSV, "dictionary", years)] + [
        entry(xlsx_name(y), "results_xlsx", [y]) for y in older]


def csv_order(published: pd.DataFrame) -> np.ndarray:
    """Row positions of the all-editions CSV files: the national figures, the domains, then
    each institution followed by its domains; within a unit the questions in the results
    table's order, each question's editions together, newest first. So every stretch of the
    file holds every kind of value (current figures with their changes, units with and
    without a domain): pandas types a column per block of 16,384 rows and warns when one
    block holds only empty cells. The few rows that give a column its first value are moved
    to the top when that value would come after TYPE_ROWS rows (the national figures, first,
    have no benchmark): polars types a column from the first 100 rows, and reads one that is
    empty there as text."""
    years = np.sort(published["edition"].unique())[::-1]
    newest_first = np.concatenate([np.flatnonzero((published["edition"] == y).to_numpy()) for y in years])
    frame = published.iloc[newest_first]
    level = frame["level"].to_numpy(dtype=object)
    group = np.select([level == "national", level == "domain"], [0, 1], 2)
    institution, domain = pd.factorize(frame["institution_id"])[0], pd.factorize(frame["domain_id"])[0]  # empty: -1, first
    item = pd.factorize(frame["item_id"])[0]
    order = newest_first[np.lexsort((-frame["edition"].to_numpy(), item, domain, institution, group))]
    reach = max(0, TYPE_ROWS - len(RESULT_COLUMNS))  # room left at the top after the moved rows
    lead = set()
    for column in RESULT_COLUMNS:
        filled = published[column].notna().to_numpy()[order]
        if filled.any() and not filled[:reach].any():
            lead.add(int(np.argmax(filled)))
    lead = sorted(lead)
    return np.concatenate([order[lead], np.delete(order, lead)])


def xlsx_name(year: int) -> str:
    return f"resultaten-{year}.xlsx"


# --- CSV: the columns the workbook writer formats, as fields --------------------------------

def _csv_field(text: str, separator: str = ",") -> str:
    return '"' + text.replace('"', '""') + '"' if any(ch in text for ch in f'{separator}"\r\n') else text


def _csv_cells(column: Column) -> list[str]:
    """The fields of a column: texts quoted where they hold a comma, numbers with a point."""
    if column.kind == "text":
        fields = [_csv_field(u) for u in column.uniques] + [""]  # code -1 picks the last: empty
        return [fields[code] for code in column.values]
    if column.kind == "bool":
        return ["" if v is None else str(bool(v)) for v in column.values]
    return ["" if v is None else v for v in column.values]


def _excel_cells(column: Column, cells: list[str]) -> list[str]:
    """The same fields for a Dutch Excel (`cells`: as `_csv_cells` gave them): texts quoted
    where they hold a semicolon, numbers with a decimal comma (replaced in one pass over the
    column: the fields hold no NUL)."""
    if column.kind == "text":
        fields = [_csv_field(u, ";") for u in column.uniques]
        if fields == [_csv_field(u) for u in column.uniques]:
            return cells
        fields.append("")
        return [fields[code] for code in column.values]
    if column.kind == "bool":
        return cells
    return "\0".join(cells).replace(".", ",").split("\0")


def _write_csv(path: Path, frames: list[pd.DataFrame], code_columns: tuple[str, ...] = CODE_COLUMNS) -> None:
    """The frames (same columns) one after the other: UTF-8, comma-separated, header on line 1,
    numbers with a dot, so `pandas.read_csv(path)` reads it as it is."""
    with open(path, "w", encoding="utf-8", newline="") as out:
        _csv_header(out, list(frames[0].columns))
        for frame in frames:
            _csv_rows(out, frame, code_columns=code_columns)


def write_csv(path: Path, frame: pd.DataFrame, code_columns: tuple[str, ...] = CODE_COLUMNS) -> None:
    """One table as a CSV file any analysis tool reads as it is (`_write_csv`); `code_columns`
    are kept as text whatever they hold. Also the national data file's (`reports.databestand`)."""
    _write_csv(path, [frame], code_columns)


def write_csv_pair(path: Path, excel_path: Path, frame: pd.DataFrame,
                   code_columns: tuple[str, ...] = CODE_COLUMNS) -> None:
    """One table as the two CSV files the downloads offer, each column formatted once: any
    analysis tool reads `path` as it is (`_write_csv`), a Dutch Excel `excel_path` (as
    `resultaten-excel.csv`: BOM, `;`, decimal comma). `code_columns` are kept as text whatever
    they hold. Also the national data file's (`reports.databestand`)."""
    with (open(path, "w", encoding="utf-8", newline="") as csv,
          open(excel_path, "w", encoding="utf-8", newline="") as excel):
        _csv_header(csv, list(frame.columns))
        excel.write(BOM)
        _csv_header(excel, list(frame.columns), excel=True)
        _csv_rows(csv, frame, excel_out=excel, code_columns=code_columns)


def _csv_header(out, columns: list[str], excel: bool = False) -> None:
    separator, end = (";", "\r\n") if excel else (",", "\n")
    out.write(separator.join(_csv_field(c, separator) for c in columns) + end)


def _csv_rows(out, frame: pd.DataFrame, excel_out=None, code_columns: tuple[str, ...] = CODE_COLUMNS) -> None:
    """The rows to `out` and, when given, the same rows for a Dutch Excel to `excel_out`: each
    column formatted once (codes and ids kept as text)."""
    for _, columns in chunks(frame, code_columns):
        cells = [_csv_cells(c) for c in columns]
        out.writelines(",".join(row) + "\n" for row in zip(*cells))
        if excel_out is not None:
            excel_out.writelines(";".join(row) + "\r\n" for row in zip(*map(_excel_cells, columns, cells)))
