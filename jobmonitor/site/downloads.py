"""Public downloads an analyst can open directly: the published results table as one CSV (every
edition) and one XLSX per edition, the questionnaire by item_id, and a data dictionary.

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

import pandas as pd

from jobmonitor.codebook import SHARED_SUFFIX, TREND_SUFFIX, Questionnaire, partly_comparable, theme_items, trend_items
from jobmonitor.results import RESULT_COLUMNS
from jobmonitor.site.formatting import format_number
from jobmonitor.site.wording import fill, notice
from jobmonitor.workbook import Column, Properties, WorkbookSheet, chunks, write_xlsx

RESULTS_CSV = "resultaten.csv"
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
    return table.assign(**{column: table[column].map(lambda code: w[column].get(code, "") if isinstance(code, str) else code)
                           for column in ("verdict", "change_verdict")})


def dictionary_frame(w: dict, edition: int | None = None) -> pd.DataFrame:
    """What each column of the results and of the questionnaire means, file by file; the
    `bron` column's meaning carries JOB's full ownership notice."""
    names, words = w["dictionary_columns"], w["downloads"]
    full = notice(edition, w) if edition is not None else ""
    meaning = {**w["dictionary"], **words["questionnaire"], SOURCE: fill(words["bron"], notice=full).strip()}
    rows = [(file, column) for file, columns in ((SHEETS[0], RESULT_COLUMNS), (SHEETS[1], QUESTIONNAIRE_COLUMNS))
            for column in [*columns, SOURCE]]
    return pd.DataFrame({names["file"]: [f for f, _ in rows], names["column"]: [c for _, c in rows],
                         names["meaning"]: [meaning[c] for _, c in rows]})


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
    XLSX, the CSV of every edition, the questionnaire, the dictionary, earlier editions' XLSX.
    `questionnaires` must hold every edition in `published`; `created` (the edition's embargo)
    dates the workbooks, so the same inputs give the same bytes."""
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
    # One edition at a time (bounded memory at national scale): its rows are appended to the
    # CSV while its XLSX is written beside them (deflate, most of an XLSX's time, releases
    # the GIL).
    positions = published.groupby("edition", sort=True).indices
    with ThreadPoolExecutor(max_workers=1) as pool, open(folder / RESULTS_CSV, "w", encoding="utf-8", newline="") as csv:
        _csv_header(csv, RESULT_COLUMNS + [SOURCE])
        for year in years:
            rows = worded(published[RESULT_COLUMNS].iloc[positions[year]], w).assign(**{SOURCE: source})
            properties = Properties(fill(w["downloads"]["title"], edition=year), full_notice, created,
                                    w["downloads"]["preview_status"] if preview else None)
            sheets = [WorkbookSheet(SHEETS[0], rows, CODE_COLUMNS),
                      WorkbookSheet(SHEETS[1], questions[questions["edition"] == year], CODE_COLUMNS),
                      WorkbookSheet(SHEETS[2], dictionary)]
            job = pool.submit(write_xlsx, folder / xlsx_name(year), sheets, properties)
            _csv_rows(csv, rows)
            job.result()
            del rows

    def entry(name: str, kind: str, editions) -> DownloadFile:
        size = (folder / name).stat().st_size
        return DownloadFile(name, kind, tuple(editions), size, human_size(size))

    older = [y for y in reversed(years) if y != edition]
    return ([entry(xlsx_name(edition), "results_xlsx", [edition])] if edition in years else []) + [
        entry(RESULTS_CSV, "results_csv", years), entry(QUESTIONNAIRE_CSV, "questionnaire", years),
        entry(DICTIONARY_CSV, "dictionary", years)] + [entry(xlsx_name(y), "results_xlsx", [y]) for y in older]


def xlsx_name(year: int) -> str:
    return f"resultaten-{year}.xlsx"


# --- CSV: the columns the workbook writer formats, as fields --------------------------------

def _csv_field(text: str) -> str:
    return '"' + text.replace('"', '""') + '"' if any(ch in text for ch in ',"\r\n') else text


def _csv_cells(column: Column) -> list[str]:
    if column.kind == "text":
        fields = [_csv_field(u) for u in column.uniques] + [""]  # code -1 picks the last: empty
        return [fields[code] for code in column.values]
    if column.kind == "bool":
        return ["" if v is None else str(bool(v)) for v in column.values]
    return ["" if v is None else v for v in column.values]


def _write_csv(path: Path, frames: list[pd.DataFrame]) -> None:
    """The frames (same columns) one after the other: UTF-8, comma-separated, header on line 1,
    numbers with a dot, so `pandas.read_csv(path)` reads it as it is."""
    with open(path, "w", encoding="utf-8", newline="") as out:
        _csv_header(out, list(frames[0].columns))
        for frame in frames:
            _csv_rows(out, frame)


def _csv_header(out, columns: list[str]) -> None:
    out.write(",".join(_csv_field(c) for c in columns) + "\n")


def _csv_rows(out, frame: pd.DataFrame) -> None:
    for _, columns in chunks(frame, CODE_COLUMNS):
        out.writelines(",".join(row) + "\n" for row in zip(*(_csv_cells(c) for c in columns)))
