"""The downloads an analyst opens directly: the results CSV (every edition) and one XLSX per
edition with the header on row 1, the questionnaire by item_id that joins them, and a data
dictionary; JOB's notice as the last column of every file, preview files marked as such, no
value on a hidden row, the same bytes on every build."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import zipfile

import openpyxl
import pandas as pd
import pytest

from jobmonitor.codebook import Questionnaire
from jobmonitor.results import RESULT_COLUMNS, VALUE_COLUMNS, published_results
from jobmonitor.site.downloads import (CODE_COLUMNS, QUESTIONNAIRE_COLUMNS, dictionary_frame, human_size,
                                      write_downloads)
from jobmonitor.site.scan_tables import scan_downloads
from jobmonitor.site.render import render_page
from jobmonitor.site.specs import Page
from jobmonitor.site.wording import load_wording, notice
from jobmonitor.site.downloads import source_text
from site_fixtures import EDITION, HIDDEN_STRINGS, QUESTIONNAIRE, raw_results, site_config
from download_checks import audit_errors, numbers_stored_as_text, type_problems

W = load_wording()
PREVIOUS = 2023
# The previous edition had P1 (now Q1) and P4 (dropped): "lessen" is comparable only in part, so
# both editions also carry the theme score on the shared item (`lessen__shared`).
PREVIOUS_QUESTIONNAIRE = Questionnaire(
    edition=PREVIOUS,
    themes=[{"id": "lessen", "name": "Lessen en leren", "description": "Hoe studenten de lessen ervoeren."}],
    items=[{"id": "P1", "theme": "lessen", "text": "De lessen begonnen op tijd.", "scale": "scale5"},
           {"id": "P4", "theme": "lessen", "text": "Ik had genoeg lesuren, ook \"online\".", "scale": "scale5"}],
)
QUESTIONNAIRES = {PREVIOUS: PREVIOUS_QUESTIONNAIRE, EDITION: QUESTIONNAIRE}
SUPPRESSED = "suppressed"
EMBARGO = dt.datetime(2025, 5, 27, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=2)))


def two_editions() -> pd.DataFrame:
    """The fixture's results, and the same figures as an earlier edition (items P1 and P4),
    each with its theme score on the shared items; hidden values included (never shown)."""
    current = raw_results()
    before = current.assign(edition=PREVIOUS, item_id=current["item_id"].replace({"Q1": "P1", "Q2": "P4"}),
                            measure=current["measure"].replace({"pct_yes": "pct_positive"}))
    shared = [frame[frame["item_id"] == "lessen"].assign(item_id="lessen__shared") for frame in (before, current)]
    return pd.concat([before, current, *shared], ignore_index=True)


def write(folder, preview: bool):
    return write_downloads(published_results(two_editions()), EDITION, folder, W, questionnaires=QUESTIONNAIRES,
                           preview=preview, created=EMBARGO)


@pytest.fixture(scope="module")
def release(tmp_path_factory):
    folder = tmp_path_factory.mktemp("release")
    return folder, write(folder, preview=False)


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    folder = tmp_path_factory.mktemp("preview")
    return folder, write(folder, preview=True)


def sheet_rows(path, name) -> list[tuple]:
    return list(openpyxl.load_workbook(path)[name].values)


def test_files_one_xlsx_per_edition_this_editions_first(release):
    folder, files = release
    assert [f.name for f in files] == ["resultaten-2025.xlsx", "resultaten.csv", "resultaten-excel.csv", "vragenlijst.csv",
                                       "datadictionary.csv", "resultaten-2023.xlsx"]
    assert sorted(p.name for p in folder.iterdir()) == sorted(f.name for f in files)
    assert all(f.size_bytes == (folder / f.name).stat().st_size and f.size == human_size(f.size_bytes) for f in files)
    assert [f.editions for f in files] == [(2025,), *[(2023, 2025)] * 4, (2023,)]


def test_results_csv_reads_with_no_arguments_header_first_notice_last(release):
    folder, _ = release
    frame = pd.read_csv(folder / "resultaten.csv")
    assert list(frame.columns) == RESULT_COLUMNS + ["bron"]
    assert frame["bron"].unique().tolist() == [source_text(EDITION, W, preview=False)]
    raw = two_editions()
    assert len(frame) == len(raw) and sorted(frame["edition"].unique()) == [PREVIOUS, EDITION]
    assert pd.api.types.is_float_dtype(frame["estimate"]) and pd.api.types.is_numeric_dtype(frame["n"])
    hidden = frame["status"] == SUPPRESSED
    assert hidden.sum() == raw["status"].str.startswith("suppressed").sum()
    assert frame.loc[hidden, VALUE_COLUMNS].isna().all().all()
    keys = ["edition", "level", "institution_id", "domain_id", "item_id"]
    shown = raw[~raw["status"].str.startswith("suppressed")]
    both = frame[~hidden].merge(shown[keys + ["estimate", "n"]], on=keys, validate="one_to_one")
    assert len(both) == len(shown)
    assert both["estimate_x"].tolist() == pytest.approx(both["estimate_y"].tolist(), rel=1e-5)
    assert both["n_x"].tolist() == both["n_y"].tolist()
    text = (folder / "resultaten.csv").read_text(encoding="utf-8")
    assert not [s for s in HIDDEN_STRINGS if "." in s and s in text]  # CSV numbers use a dot


def test_questionnaire_joins_every_results_row_on_edition_and_item_id(release):
    folder, _ = release
    results, questions = pd.read_csv(folder / "resultaten.csv"), pd.read_csv(folder / "vragenlijst.csv")
    assert list(questions.columns) == QUESTIONNAIRE_COLUMNS + ["bron"]
    joined = results.merge(questions, on=["edition", "item_id"], how="left", validate="many_to_one", indicator=True)
    assert (joined["_merge"] == "both").all()
    items = joined[joined["kind_x"] == "item"]
    assert items[["text", "theme", "theme_id", "scale", "direction_y"]].notna().all().all()
    # The columns both files have hold the same values, so a plain merge joins on all of them.
    for column in ("kind", "measure", "direction", "bron"):
        assert (joined[f"{column}_x"] == joined[f"{column}_y"]).all(), column
    assert len(results.merge(questions)) == len(results)
    row = questions.set_index(["edition", "item_id"]).loc[(EDITION, "Q2")]
    assert (row["text"], row["scale"], row["theme"]) == ("Ik krijg <genoeg> feedback | ook op stage", "yesno", "Lessen en leren")


def test_questionnaire_holds_every_item_and_theme_of_every_edition(release):
    folder, _ = release
    questions = pd.read_csv(folder / "vragenlijst.csv")
    for year, questionnaire in QUESTIONNAIRES.items():
        ids = questions.loc[questions["edition"] == year, "item_id"].tolist()
        expected = ["lessen", "lessen__shared"] + [i.id for i in questionnaire.items]
        assert ids == expected, year
    theme = questions.set_index(["edition", "item_id"])
    assert theme.loc[(EDITION, "lessen"), "score_items"] == "Q1"  # Q2 is yes/no: not in the theme score
    assert theme.loc[(PREVIOUS, "lessen"), "score_items"] == "P1 P4"
    assert theme.loc[(EDITION, "lessen__shared"), "score_items"] == "Q1"
    assert theme.loc[(PREVIOUS, "lessen__shared"), "score_items"] == "P1"
    assert theme.loc[(EDITION, "Q1"), "previous_id"] == "P1" and theme.loc[(EDITION, "Q1"), "comparable"]


def test_dictionary_explains_every_column_of_both_files(release):
    folder, _ = release
    frame = pd.read_csv(folder / "datadictionary.csv")
    names = W["dictionary_columns"]
    assert list(frame.columns) == [names["file"], names["column"], names["header"], names["meaning"], "bron"]
    headers = W["excel_headers"]
    assert frame[names["header"]].tolist() == [headers[c] for c in frame[names["column"]]]
    assert frame.groupby(names["file"])[names["header"]].nunique().to_dict() == frame.groupby(names["file"]).size().to_dict()
    by_file = frame.groupby(names["file"], sort=False)[names["column"]].apply(list).to_dict()
    assert by_file == {"resultaten": RESULT_COLUMNS + ["bron"], "vragenlijst": QUESTIONNAIRE_COLUMNS + ["bron"]}
    assert frame[names["meaning"]].str.len().min() > 10
    assert dictionary_frame(W).shape == (len(frame), 4)


def test_one_xlsx_per_edition_reads_back_header_row_1_frozen_numbers_hidden_rows_empty(release):
    """Dutch headers (the dictionary pairs each with its code), the rows in the results
    table's order."""
    folder, _ = release
    published = published_results(two_editions())
    headers = W["excel_headers"]
    for year in (PREVIOUS, EDITION):
        path = folder / f"resultaten-{year}.xlsx"
        book = openpyxl.load_workbook(path)
        assert book.sheetnames == ["resultaten", "vragenlijst", "datadictionary"]
        assert all(sheet.freeze_panes == "A2" for sheet in book.worksheets)
        rows = sheet_rows(path, "resultaten")
        header, body = list(rows[0]), rows[1:]
        assert header == [headers[c] for c in RESULT_COLUMNS + ["bron"]]
        expected = published[published["edition"] == year].reset_index(drop=True)
        assert len(body) == len(expected) and {r[0] for r in body} == {year}
        column = {code: header.index(headers[code]) for code in RESULT_COLUMNS}
        for k, row in enumerate(body):
            if row[column["status"]] == SUPPRESSED:
                assert all(row[column[c]] is None for c in VALUE_COLUMNS), row
                continue
            assert isinstance(row[column["n"]], int) and isinstance(row[column["estimate"]], (int, float))
            assert row[column["estimate"]] == pytest.approx(expected.loc[k, "estimate"])
            assert row[column["item_id"]] == expected.loc[k, "item_id"]
        assert {r[-1] for r in body} == {source_text(EDITION, W, preview=False)}
        questions = sheet_rows(path, "vragenlijst")
        assert list(questions[0]) == [headers[c] for c in QUESTIONNAIRE_COLUMNS + ["bron"]]
        assert {r[0] for r in questions[1:]} == {year}


def test_every_workbook_passes_the_ooxml_validator(release, preview):
    for folder, files in (release, preview):
        workbooks = [f.name for f in files if f.name.endswith(".xlsx")]
        assert len(workbooks) == 2
        for name in workbooks:
            assert audit_errors(folder / name) == [], name


@pytest.mark.parametrize("reader", ["pandas", "polars", "duckdb"])
def test_results_csv_is_typed_right_by_each_client_without_arguments(release, reader):
    """Warnings are errors (pandas' DtypeWarning); every column with values comes out as
    numbers or as text as it should."""
    folder, _ = release
    assert type_problems(folder / "resultaten.csv", reader) == []


def test_the_csv_for_excel_holds_the_same_table_for_a_dutch_excel(release):
    """UTF-8 with a BOM (Excel then reads é and ▲ right), `;` between fields, a decimal comma:
    a Dutch Excel opens it with numbers as numbers. Same rows, same columns, `bron` last."""
    folder, _ = release
    data = (folder / "resultaten-excel.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbfedition;level;") and b"\r\n" in data
    excel = pd.read_csv(folder / "resultaten-excel.csv", sep=";", decimal=",", encoding="utf-8-sig")
    plain = pd.read_csv(folder / "resultaten.csv")
    pd.testing.assert_frame_equal(excel, plain)
    assert list(excel.columns)[-1] == "bron"
    assert re.search(r";\d+,\d+;", data.decode("utf-8-sig")) and not re.search(r";\d+\.\d+;", data.decode("utf-8-sig"))


def test_a_value_in_a_hidden_row_of_the_csv_for_excel_is_found(release, tmp_path):
    folder, _ = release
    for path in folder.iterdir():
        shutil.copy(path, tmp_path / path.name)
    assert scan_downloads(tmp_path) == []
    frame = pd.read_csv(tmp_path / "resultaten-excel.csv", sep=";", encoding="utf-8-sig", dtype="string",
                        keep_default_na=False)
    hidden = frame.index[frame["status"] == SUPPRESSED][0]
    frame.loc[hidden, "estimate"] = "12,5"
    frame.to_csv(tmp_path / "resultaten-excel.csv", sep=";", encoding="utf-8-sig", index=False)
    findings = scan_downloads(tmp_path)
    assert len(findings) == 1 and findings[0].startswith("resultaten-excel.csv: hidden row") and "has estimate" in findings[0]


def test_every_workbook_stores_numbers_as_numbers(release):
    """Except the codes and ids, kept as text by design (an id "007" stays "007")."""
    folder, files = release
    codes = {W["excel_headers"][c] for c in CODE_COLUMNS}
    for name in (f.name for f in files if f.name.endswith(".xlsx")):
        assert numbers_stored_as_text(folder / name, codes) == [], name


def test_xlsx_properties_carry_the_notice_and_fixed_zip_times(release):
    folder, _ = release
    path = folder / "resultaten-2025.xlsx"
    properties = openpyxl.load_workbook(path).properties
    assert properties.description == notice(EDITION, W) and "2025" in properties.title
    assert properties.contentStatus is None
    assert properties.created == properties.modified == dt.datetime(2025, 5, 27, 8, 0)  # the embargo, in UTC
    with zipfile.ZipFile(path) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert archive.namelist()[0] == "[Content_Types].xml"


def _all_text(folder) -> dict[str, str]:
    texts = {}
    for path in sorted(folder.iterdir()):
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as archive:
                texts[path.name] = "".join(archive.read(name).decode("utf-8") for name in archive.namelist())
        else:
            texts[path.name] = path.read_text(encoding="utf-8")
    return texts


def test_preview_files_say_so_in_every_file_and_release_files_nowhere(preview, release):
    folder, files = preview
    marked = source_text(EDITION, W, preview=True)
    assert marked.startswith("VOORLOPIG – niet openbaar. ")
    for name in ("resultaten.csv", "vragenlijst.csv", "datadictionary.csv"):
        assert pd.read_csv(folder / name)["bron"].unique().tolist() == [marked], name
    for year in (PREVIOUS, EDITION):
        path = folder / f"resultaten-{year}.xlsx"
        book = openpyxl.load_workbook(path)
        assert book.properties.contentStatus == W["downloads"]["preview_status"]
        assert book.properties.description == f"VOORLOPIG – niet openbaar. {notice(EDITION, W)}"  # in full
        for sheet in book.worksheets:
            values = list(sheet.values)
            assert values[0][-1] == "bron" and {r[-1] for r in values[1:]} == {marked}, sheet.title
    assert [f.name for f in files] == [f.name for f in release[1]]  # the same file names
    assert all("VOORLOPIG" in text for text in _all_text(folder).values())
    assert not [name for name, text in _all_text(release[0]).items() if "VOORLOPIG" in text or "Voorlopig" in text]


def test_two_writes_give_the_same_bytes(release, tmp_path):
    folder, files = release
    write(tmp_path, preview=False)
    for file in files:
        assert (folder / file.name).read_bytes() == (tmp_path / file.name).read_bytes(), file.name


def test_every_edition_needs_its_questionnaire(tmp_path):
    with pytest.raises(ValueError, match="questionnaires.*2023"):
        write_downloads(published_results(two_editions()), EDITION, tmp_path, W, questionnaires={EDITION: QUESTIONNAIRE},
                        preview=False, created=EMBARGO)


def test_an_infinite_value_is_an_error_cell_not_a_broken_file(tmp_path):
    raw = raw_results()
    raw.loc[0, "effect_size"] = float("inf")
    write_downloads(published_results(raw), EDITION, tmp_path, W, questionnaires={EDITION: QUESTIONNAIRE}, preview=False,
                    created=EMBARGO)
    assert pd.read_csv(tmp_path / "resultaten.csv")["effect_size"].iloc[0] == float("inf")
    header, first = sheet_rows(tmp_path / "resultaten-2025.xlsx", "resultaten")[:2]
    assert first[header.index(W["excel_headers"]["effect_size"])] == "#NUM!"


@pytest.mark.parametrize("size, text", [(1, "1 kB"), (950, "1 kB"), (123_456, "123 kB"), (999_499, "999 kB"),
                                        (999_500, "1,0 MB"), (1_234_567, "1,2 MB"), (9_949_999, "9,9 MB"),
                                        (9_950_000, "10 MB"), (93_467_671, "93 MB"), (1_234_000_000, "1.234 MB")])
def test_sizes_are_human_readable_in_dutch(size, text):
    assert human_size(size) == text


def test_downloads_page_lists_each_file_with_what_it_holds_and_its_size(release):
    _, files = release
    page = Page("downloads.md", "downloads.md.j2", "Downloads", data={"files": files})
    text = render_page(page, {"w": W, "config": site_config(), "has_manifest_page": False})
    lines = [line for line in text.splitlines() if line.startswith("- <a href=")]
    assert len(lines) == len(files)
    for line, file in zip(lines, files):
        assert line.startswith(f'- <a href="{file.name}">{file.name}</a> ({file.size}) – '), line
    assert "Excel" in lines[0] and "2025" in lines[0] and "2023 en 2025" in lines[1] and "2023" in lines[-1]
    # Before the list, which file to take: a Dutch Excel, or R, Python, SPSS.
    advice = next(line for line in text.splitlines() if line.startswith("Werk je met Excel?"))
    assert "`resultaten-2025.xlsx`" in advice and "`resultaten-excel.csv`" in advice and "`resultaten.csv`" in advice
    assert "R, Python, SPSS" in advice and text.index("Werk je met Excel?") < text.index("- <a href=")
