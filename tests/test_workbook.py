"""The project's own XLSX writer (jobmonitor/workbook.py): valid against the OOXML standard,
every number stored as a number whatever dtype its column had, codes kept as text, sheet
names Excel accepts, honest document properties, the same bytes for the same inputs."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from decimal import Decimal

import numpy as np
import openpyxl
import pandas as pd
import pytest

from download_checks import audit_errors, numbers_stored_as_text
from jobmonitor.workbook import Properties, WorkbookSheet, application, chunks, write_xlsx

MOMENT = dt.datetime(2026, 5, 27, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=2)))
PROPERTIES = Properties("JOB-monitor 2026: resultaten", "© JOB", MOMENT)


def mixed_frame() -> pd.DataFrame:
    """Numbers in every form a table may hand the writer, beside text, booleans and codes."""
    return pd.DataFrame({
        "Aantal respondenten (n)": pd.Series([12, None, 1_250], dtype=object),  # ints among None: object
        "Respondenten": pd.array([4, pd.NA, 7], dtype="Int64"),
        "Uitkomst": ["62.5", "", "7"],  # numeric strings
        "Decimaal": [Decimal("1.25"), Decimal("2"), None],
        "Groot": [1_234_567.0, 12.5, np.nan],
        "Vraag-id": ["007", "12", "Q3"],  # a code: stays text
        "Groep": ["1", "2", "3"],  # names of groups that look like numbers: text by design
        "Vergelijkbaar": [True, False, None],
        "Tekst": [" spatie voor", "a < b & c", "regel\x01teken"],
        "Oneindig": [float("inf"), 1.5, -2.0],
    })


@pytest.fixture()
def workbook(tmp_path):
    path = tmp_path / "test.xlsx"
    readme = pd.DataFrame({"Over dit bestand": ["Vertrouwelijk.", "", "Tabel: uitleg"]})
    write_xlsx(path, [WorkbookSheet("Lees mij", readme, text=("Over dit bestand",), autofilter=False),
                      WorkbookSheet("Landelijk naar Voltijd-deeltijd", mixed_frame(), text=("Vraag-id", "Groep"))],
               PROPERTIES)
    return path


def test_the_workbook_passes_the_ooxml_validator(workbook):
    assert audit_errors(workbook) == []


def test_numbers_are_numbers_whatever_the_dtype_and_codes_stay_text(workbook):
    assert numbers_stored_as_text(workbook, {"Vraag-id", "Groep"}) == []
    rows = list(openpyxl.load_workbook(workbook)["Landelijk naar Voltijd-deeltijd"].values)
    columns = {name: [row[k] for row in rows[1:]] for k, name in enumerate(rows[0])}
    assert columns["Aantal respondenten (n)"] == [12, None, 1250] and columns["Respondenten"] == [4, None, 7]
    assert columns["Uitkomst"] == [62.5, None, 7] and columns["Decimaal"] == [1.25, 2, None]
    assert columns["Groot"] == [1234567, 12.5, None]  # in full, not 1.23457e+06
    assert columns["Vraag-id"] == ["007", "12", "Q3"] and columns["Groep"] == ["1", "2", "3"]
    assert columns["Vergelijkbaar"] == [True, False, None]
    assert columns["Tekst"] == [" spatie voor", "a < b & c", "regelteken"]
    assert columns["Oneindig"] == ["#NUM!", 1.5, -2]
    with zipfile.ZipFile(workbook) as archive:
        sheet = archive.read("xl/worksheets/sheet2.xml").decode()
    assert re.search(r'<c r="A2"><v>12</v></c>', sheet) and '<c r="C2"><v>62.5</v></c>' in sheet


def test_a_kind_is_decided_over_the_whole_column_not_per_chunk(monkeypatch):
    import jobmonitor.workbook as workbook

    monkeypatch.setattr(workbook, "CHUNK", 2)
    frame = pd.DataFrame({"waarde": pd.Series(["1", "2", "drie", "4"], dtype=object), "getal": ["1", "2", "3", None]})
    kinds = [[column.kind for column in columns] for _, columns in chunks(frame)]
    assert kinds == [["text", "number"], ["text", "number"]]


def test_prose_gets_no_autofilter_tables_do(workbook):
    book = openpyxl.load_workbook(workbook)
    assert book["Lees mij"].auto_filter.ref is None
    assert book["Landelijk naar Voltijd-deeltijd"].auto_filter.ref == "A1:J4"
    with zipfile.ZipFile(workbook) as archive:
        names = archive.read("xl/workbook.xml").decode()
    assert names.count("_xlnm._FilterDatabase") == 1 and 'localSheetId="1"' in names


def test_properties_name_the_project_and_the_inputs_moment(workbook):
    properties = openpyxl.load_workbook(workbook).properties
    assert properties.created == properties.modified == dt.datetime(2026, 5, 27, 8, 0)  # UTC
    with zipfile.ZipFile(workbook) as archive:
        app = archive.read("docProps/app.xml").decode()
    assert f"<Application>{application()}</Application>" in app and "Microsoft" not in app
    assert re.fullmatch(r"JOB-monitor publicatie \S+", application())


def test_the_same_inputs_give_the_same_bytes(workbook, tmp_path):
    again = tmp_path / "again.xlsx"
    readme = pd.DataFrame({"Over dit bestand": ["Vertrouwelijk.", "", "Tabel: uitleg"]})
    write_xlsx(again, [WorkbookSheet("Lees mij", readme, text=("Over dit bestand",), autofilter=False),
                       WorkbookSheet("Landelijk naar Voltijd-deeltijd", mixed_frame(), text=("Vraag-id", "Groep"))],
               PROPERTIES)
    assert again.read_bytes() == workbook.read_bytes()


@pytest.mark.parametrize("names, problem", [
    (["Landelijk naar Voltijd of deeltijd"], "34 characters"),
    (["Naar: team"], "holds one of"),
    (["Respons", "respons"], "twice"),
    ([""], "0 characters"),
])
def test_sheet_names_excel_refuses_are_refused_not_cut(tmp_path, names, problem):
    sheets = [WorkbookSheet(name, pd.DataFrame({"a": [1]})) for name in names]
    with pytest.raises(ValueError, match=problem):
        write_xlsx(tmp_path / "x.xlsx", sheets, PROPERTIES)
