"""Checks the download and report-pack tests share: every workbook valid against the OOXML
standard (openxml-audit, the Open XML SDK's rules in Python) with its numbers stored as numbers
and its sheet names whole; the results CSV typed right by pandas, polars and DuckDB as they read
it without arguments."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pandas as pd
from openxml_audit import OpenXmlValidator
from python_calamine import CalamineWorkbook

from jobmonitor.results import RESULT_COLUMNS

# The text columns of the results table; every other one holds numbers.
TEXT_COLUMNS = {"level", "institution_id", "institution", "domain_id", "domain", "item_id", "kind", "measure", "marker",
                "verdict", "change_marker", "change_verdict", "direction", "status", "bron"}
NUMBER_COLUMNS = [c for c in RESULT_COLUMNS if c not in TEXT_COLUMNS]
NUMBER = re.compile(r"\s*[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?\s*")


def audit_errors(path: Path) -> list[str]:
    """Every error the OOXML validator finds in the workbook (schema and semantic rules)."""
    result = OpenXmlValidator(max_errors=50).validate(str(path))
    return [str(error) for error in result.errors]


def numbers_stored_as_text(path: Path, code_headers: set[str]) -> list[str]:
    """Cells stored as text that hold a number, per sheet and column (first row is the header),
    outside the columns of codes and ids kept as text by design."""
    import openpyxl

    found = []
    book = openpyxl.load_workbook(path, read_only=True)
    for sheet in book.worksheets:
        rows = sheet.iter_rows()
        header = [cell.value for cell in next(rows, ())]
        for row in rows:
            for name, cell in zip(header, row):
                if cell.data_type == "s" and isinstance(cell.value, str) and NUMBER.fullmatch(cell.value) \
                        and name not in code_headers:
                    found.append(f"{sheet.title}!{cell.coordinate} ({name}): {cell.value!r}")
    return found


def sheet_names(path: Path) -> list[str]:
    return CalamineWorkbook.from_path(str(path)).sheet_names


def filled_columns(path: Path) -> set[str]:
    frame = pd.read_csv(path, dtype="string", keep_default_na=False)
    return {c for c in frame.columns if (frame[c] != "").any()}


def pandas_numeric(path: Path) -> dict[str, bool]:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        frame = pd.read_csv(path)
    return {c: pd.api.types.is_numeric_dtype(frame[c]) for c in frame.columns}


def polars_numeric(path: Path) -> dict[str, bool]:
    import polars as pl

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        schema = pl.read_csv(path).schema
    return {c: dtype.is_numeric() for c, dtype in schema.items()}


def duckdb_numeric(path: Path) -> dict[str, bool]:
    import duckdb

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        relation = duckdb.sql(f"SELECT * FROM read_csv('{path}')")
        types = dict(zip(relation.columns, (str(t) for t in relation.types)))
    return {c: t in ("BIGINT", "INTEGER", "SMALLINT", "TINYINT", "HUGEINT", "DOUBLE", "FLOAT") or t.startswith("DECIMAL")
            for c, t in types.items()}


READERS = {"pandas": pandas_numeric, "polars": polars_numeric, "duckdb": duckdb_numeric}


def type_problems(path: Path, reader: str) -> list[str]:
    """Columns the reader, given no arguments, types wrong: a number column that holds values
    read as text, or a text column read as numbers. A column empty throughout has no type."""
    numeric = READERS[reader](path)
    assert list(numeric) == RESULT_COLUMNS + ["bron"], list(numeric)
    filled = filled_columns(path)
    return [f"{c}: {'numbers' if numeric[c] else 'text'}" for c in numeric
            if c in filled and numeric[c] != (c in NUMBER_COLUMNS)]
