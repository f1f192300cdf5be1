"""Public downloads: the published results table as CSV and XLSX, and a data dictionary.

They are written from `published_results()` only, so a hidden cell has no value in any file;
every file carries JOB's ownership notice.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pandas as pd

from jobmonitor.results import RESULT_COLUMNS
from jobmonitor.site.wording import notice

FIXED_TIME = dt.datetime(2000, 1, 1)


def dictionary_frame(w: dict) -> pd.DataFrame:
    """What each column of the results table means, in the order of the table."""
    names = w["dictionary_columns"]
    return pd.DataFrame({names["column"]: RESULT_COLUMNS, names["meaning"]: [w["dictionary"][c] for c in RESULT_COLUMNS]})


def _csv_text(frame: pd.DataFrame, notice: str) -> str:
    buffer = io.StringIO()
    buffer.write(f"# {notice}\n")
    frame.to_csv(buffer, index=False, lineterminator="\n", float_format="%.6g")
    return buffer.getvalue()


def worded(table: pd.DataFrame, w: dict) -> pd.DataFrame:
    """The verdicts as the site words them ("gunstiger", "verbeterd", …) instead of codes."""
    return table.assign(**{column: table[column].map(lambda code: w[column].get(code, "") if isinstance(code, str) else code)
                           for column in ("verdict", "change_verdict")})


def write_downloads(published: pd.DataFrame, edition: int, folder: Path, w: dict) -> list[Path]:
    """CSV (every edition), XLSX (this edition: writing XLSX costs ~5 µs a cell, so the
    national file is kept to one edition) and the dictionary; deterministic bytes."""
    folder.mkdir(parents=True, exist_ok=True)
    ownership = notice(edition, w)
    dictionary = dictionary_frame(w)
    table = worded(published[RESULT_COLUMNS], w)
    paths = [folder / "resultaten.csv", folder / "datadictionary.csv", folder / "resultaten.xlsx"]
    paths[0].write_text(_csv_text(table, ownership), encoding="utf-8")
    paths[1].write_text(_csv_text(dictionary, ownership), encoding="utf-8")
    _write_xlsx(table[table["edition"] == edition], dictionary, ownership, paths[2])
    return paths


def _write_xlsx(table: pd.DataFrame, dictionary: pd.DataFrame, notice: str, path: Path) -> None:
    """Rows written straight to xlsxwriter (pandas' styled writer is ~5× slower at scale).
    In memory mode xlsxwriter stamps every zip member 1980-01-01, so the bytes are
    reproducible without repacking the zip."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "nan_inf_to_errors": True})
    book.set_properties({"author": "JOB", "company": "JOB", "created": FIXED_TIME})
    bold = book.add_format({"bold": True})
    for name, frame in (("resultaten", table), ("datadictionary", dictionary)):
        sheet = book.add_worksheet(name)
        sheet.write_string(0, 0, notice)
        sheet.write_row(2, 0, list(frame.columns), bold)
        columns = [_cells(frame[c]) for c in frame.columns]
        for r, values in enumerate(zip(*columns), start=3):
            sheet.write_row(r, 0, values)
    book.close()
    path.write_bytes(buffer.getvalue())


def _cells(column: pd.Series) -> list:
    """Plain Python values with missing values as None (an empty cell, not an error)."""
    values = column.astype(object).where(column.notna(), None)
    return values.tolist()
