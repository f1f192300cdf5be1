"""The downloads: the published results table as CSV and XLSX and the data dictionary, each
with JOB's notice, no value on a hidden row, the same bytes on every build."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest

from jobmonitor.results import RESULT_COLUMNS, VALUE_COLUMNS, published_results
from jobmonitor.site.downloads import dictionary_frame, write_downloads
from jobmonitor.site.wording import load_wording, notice
from site_fixtures import EDITION, HIDDEN_STRINGS, raw_results

W = load_wording()


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("downloads")
    return {path.name: path for path in write_downloads(published_results(raw_results()), EDITION, folder, W)}


def test_every_file_starts_with_the_ownership_notice(files):
    text = notice(EDITION, W)
    assert files["resultaten.csv"].read_text(encoding="utf-8").splitlines()[0] == f"# {text}"
    assert files["datadictionary.csv"].read_text(encoding="utf-8").splitlines()[0] == f"# {text}"
    book = openpyxl.load_workbook(files["resultaten.xlsx"], read_only=True)
    assert [sheet.cell(1, 1).value for sheet in book.worksheets] == [text, text]


def test_csv_holds_every_published_figure_and_no_hidden_one(files):
    frame = pd.read_csv(files["resultaten.csv"], comment="#")
    assert list(frame.columns) == RESULT_COLUMNS
    raw = raw_results()
    assert len(frame) == len(raw)
    hidden = frame["status"].str.startswith("suppressed")
    assert frame.loc[hidden, [c for c in VALUE_COLUMNS if c in frame]].isna().all().all()
    shown = raw[~raw["status"].str.startswith("suppressed")]
    assert frame.loc[~hidden, "estimate"].tolist() == pytest.approx(shown["estimate"].tolist(), rel=1e-5)
    text = files["resultaten.csv"].read_text(encoding="utf-8")
    assert not [s for s in HIDDEN_STRINGS if "." in s and s in text]  # CSV numbers use a dot


def test_dictionary_explains_every_column_in_table_order(files):
    frame = pd.read_csv(files["datadictionary.csv"], comment="#")
    names = W["dictionary_columns"]
    assert frame[names["column"]].tolist() == RESULT_COLUMNS
    assert frame[names["meaning"]].str.len().min() > 10
    assert dictionary_frame(W).shape == (len(RESULT_COLUMNS), 2)


def test_xlsx_reads_back_with_numbers_as_numbers_and_hidden_rows_empty(files):
    book = openpyxl.load_workbook(files["resultaten.xlsx"], read_only=True)
    rows = list(book["resultaten"].iter_rows(min_row=3, values_only=True))
    header, body = list(rows[0]), rows[1:]
    assert header == RESULT_COLUMNS
    estimate, status = header.index("estimate"), header.index("status")
    assert all(isinstance(r[estimate], (int, float)) for r in body if not r[status].startswith("suppressed"))
    assert all(r[estimate] is None for r in body if r[status].startswith("suppressed"))


def test_two_writes_give_the_same_bytes(files, tmp_path):
    again = {p.name: p for p in write_downloads(published_results(raw_results()), EDITION, tmp_path, W)}
    for name, path in files.items():
        assert path.read_bytes() == again[name].read_bytes(), name


