"""Public downloads an analyst can open directly: the published results table as one CSV (every
edition) and one XLSX per edition, the questionnaire by item_id, and a data dictionary.

They are written from `published_results()` only, so a hidden cell has no value in any file.
Every file has its header on line 1 and JOB's notice as the constant last column `bron`; in a
preview that text says the figures are not public. The same inputs give the same bytes.

Why not xlsxwriter: it spends ~4.5 µs a cell (~10 s for one national edition of 115k rows ×
29 columns), too slow to write the files before the pages that list their sizes. The workbook
here is the few fixed XML parts xlsxwriter writes, with the sheet rows formatted a column at a
time (~1.5 s an edition, most of it deflate).
"""

from __future__ import annotations

import re
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

import numpy as np
import pandas as pd

from jobmonitor.codebook import SHARED_SUFFIX, TREND_SUFFIX, Questionnaire, partly_comparable, theme_items, trend_items
from jobmonitor.results import RESULT_COLUMNS
from jobmonitor.site.formatting import format_number
from jobmonitor.site.wording import fill, notice

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
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # fixed member times: the same bytes on every build
CREATED = "2000-01-01T00:00:00Z"
# Deflate level of the XLSX parts: 5 is within 1 % of 6 in size at two thirds of the time.
DEFLATE_LEVEL = 5
CHUNK = 20_000  # rows formatted at a time: bounds memory at national scale


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
                    questionnaires: dict[int, Questionnaire], preview: bool) -> list[DownloadFile]:
    """Every download into `folder`, listed in the order the page shows them: this edition's
    XLSX, the CSV of every edition, the questionnaire, the dictionary, earlier editions' XLSX.
    `questionnaires` must hold every edition in `published`."""
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
            properties = {"title": fill(w["downloads"]["title"], edition=year), "description": full_notice,
                          "status": w["downloads"]["preview_status"] if preview else None}
            sheets = [(SHEETS[0], rows), (SHEETS[1], questions[questions["edition"] == year]), (SHEETS[2], dictionary)]
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


# --- columns formatted once, written as CSV fields or XLSX cells ----------------------------

@dataclass(frozen=True)
class _Column:
    """One column of a chunk: numbers as text ("%.6g", integers as is; None = empty), booleans,
    or text as codes into `uniques` (-1 = empty)."""

    kind: str  # number, bool, text
    values: list
    uniques: tuple[str, ...] = ()
    finite: bool = True  # numbers: no inf (written as an error cell in XLSX, "inf" in CSV)


def _format_column(series: pd.Series) -> _Column:
    if pd.api.types.is_bool_dtype(series.dtype):
        return _Column("bool", series.astype(object).where(series.notna(), None).tolist())
    if pd.api.types.is_integer_dtype(series.dtype):
        return _Column("number", [None if v is None else str(v) for v in series.to_numpy(dtype=object, na_value=None).tolist()])
    if pd.api.types.is_numeric_dtype(series.dtype):
        values = series.to_numpy(dtype="float64", na_value=np.nan)
        return _Column("number", ["%.6g" % v if v == v else None for v in values.tolist()], finite=not np.isinf(values).any())
    codes, uniques = pd.factorize(series)
    uniques = [str(u) for u in uniques]
    if "" in uniques:  # an empty text is an empty cell, as a missing one
        codes = np.where(codes == uniques.index(""), -1, codes)
    return _Column("text", codes.tolist(), tuple(uniques))


def _chunks(frame: pd.DataFrame):
    for start in range(0, len(frame), CHUNK):
        part = frame.iloc[start:start + CHUNK]
        yield start, [_format_column(part[c]) for c in part.columns]


def _csv_field(text: str) -> str:
    return '"' + text.replace('"', '""') + '"' if any(ch in text for ch in ',"\r\n') else text


def _csv_cells(column: _Column) -> list[str]:
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
    for _, columns in _chunks(frame):
        out.writelines(",".join(row) + "\n" for row in zip(*(_csv_cells(c) for c in columns)))


# --- XLSX: the parts xlsxwriter writes, rows formatted a column at a time ---------------------

_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_OFFICE = "application/vnd.openxmlformats-officedocument"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_STYLES = (f'<styleSheet xmlns="{_MAIN}"><fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
           '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts><fills count="2"><fill>'
           '<patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
           '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1">'
           '<xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" '
           'fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" '
           'applyFont="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
           '</styleSheet>')


def _text(value: str) -> str:
    return escape(_NOT_XML.sub("", value))


def _letter(index: int) -> str:
    letters, index = "", index + 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class _SharedStrings:
    def __init__(self):
        self.index: dict[str, int] = {}

    def tails(self, uniques) -> list[str]:
        """Per text, the end of its cell: `" t="s"><v>k</v></c>`."""
        return [f'" t="s"><v>{self.index.setdefault(u, len(self.index))}</v></c>' for u in uniques]

    def xml(self) -> str:
        items = "".join(f'<si><t xml:space="preserve">{_text(s)}</t></si>' if s != s.strip() else f"<si><t>{_text(s)}</t></si>"
                        for s in self.index)
        return f'<sst xmlns="{_MAIN}" uniqueCount="{len(self.index)}">{items}</sst>'


def _cells(column: _Column, letter: str, rows: list[str], strings: _SharedStrings) -> list[str]:
    """Each row's cell of this column as XML; an empty value writes no cell at all."""
    if column.kind == "text":
        tails = strings.tails(column.uniques)
        return [f'<c r="{letter}{r}{tails[k]}' if k >= 0 else "" for r, k in zip(rows, column.values)]
    if column.kind == "bool":
        return ["" if v is None else f'<c r="{letter}{r}" t="b"><v>{int(v)}</v></c>' for r, v in zip(rows, column.values)]
    if column.finite:
        return ["" if v is None else f'<c r="{letter}{r}"><v>{v}</v></c>' for r, v in zip(rows, column.values)]
    return ["" if v is None else f'<c r="{letter}{r}" t="e"><v>#NUM!</v></c>' if "inf" in v
            else f'<c r="{letter}{r}"><v>{v}</v></c>' for r, v in zip(rows, column.values)]


def _write_sheet(archive: zipfile.ZipFile, number: int, frame: pd.DataFrame, strings: _SharedStrings) -> None:
    last = f"{_letter(len(frame.columns) - 1)}{len(frame) + 1}"
    widths = "".join(f'<col min="{k + 1}" max="{k + 1}" width="{_width(frame[c], c)}" customWidth="1"/>'
                     for k, c in enumerate(frame.columns))
    selected = ' tabSelected="1"' if number == 1 else ""
    header = "".join(f'<c r="{_letter(k)}1" s="1{tail}' for k, tail in enumerate(strings.tails(frame.columns)))
    with archive.open(_member(f"xl/worksheets/sheet{number}.xml"), "w") as out:
        out.write((f'{_XML}<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}"><dimension ref="A1:{last}"/><sheetViews>'
                   f'<sheetView{selected} workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" '
                   f'state="frozen"/><selection pane="bottomLeft"/></sheetView></sheetViews><sheetFormatPr '
                   f'defaultRowHeight="15"/><cols>{widths}</cols><sheetData><row r="1">{header}</row>').encode())
        for start, columns in _chunks(frame):
            rows = [str(r) for r in range(start + 2, start + 2 + len(columns[0].values))]
            cells = [_cells(c, _letter(k), rows, strings) for k, c in enumerate(columns)]
            out.write("".join(f'<row r="{r}">{"".join(row)}</row>' for r, *row in zip(rows, *cells)).encode())
        out.write(f'</sheetData><autoFilter ref="A1:{last}"/><pageMargins left="0.7" right="0.7" top="0.75" '
                  'bottom="0.75" header="0.3" footer="0.3"/></worksheet>'.encode())


def _quoted(sheet: str) -> str:
    """A sheet name as a formula reference: quoted when it holds anything but letters, digits
    and underscores (a quote inside doubled)."""
    return sheet if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", sheet) else "'" + sheet.replace("'", "''") + "'"


def _width(column: pd.Series, name: str) -> int:
    """Wide enough for the header and the longest of the first values, at most 60."""
    longest = column.head(200).astype("string").str.len().max()
    return int(min(60, max(len(name) + 3, 8 if pd.isna(longest) else longest + 2)))


def _member(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info._compresslevel = DEFLATE_LEVEL  # the 3.11 name; 3.13 keeps it as an alias of compress_level
    return info


def write_xlsx(path: Path, sheets: list[tuple[str, pd.DataFrame]], properties: dict) -> None:
    """A workbook with each sheet's header bold and frozen on row 1 and an autofilter; the
    title, JOB's notice (comments) and in a preview a status in the document properties. Also
    the institution reports' workbooks (sheet names may hold spaces: quoted where referenced)."""
    strings = _SharedStrings()
    count = len(sheets)
    with zipfile.ZipFile(path, "w") as archive:
        def part(name: str, xml: str) -> None:
            archive.writestr(_member(name), _XML + xml)

        overrides = "".join(f'<Override PartName="/xl/worksheets/sheet{k}.xml" ContentType="{_OFFICE}.spreadsheetml.worksheet+xml"/>'
                            for k in range(1, count + 1))
        part("[Content_Types].xml", f'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default '
             f'Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
             f'ContentType="application/xml"/><Override PartName="/docProps/app.xml" ContentType="{_OFFICE}.extended-properties+xml"/>'
             '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
             f'<Override PartName="/xl/styles.xml" ContentType="{_OFFICE}.spreadsheetml.styles+xml"/><Override '
             f'PartName="/xl/workbook.xml" ContentType="{_OFFICE}.spreadsheetml.sheet.main+xml"/>{overrides}<Override '
             f'PartName="/xl/sharedStrings.xml" ContentType="{_OFFICE}.spreadsheetml.sharedStrings+xml"/></Types>')
        part("_rels/.rels", f'<Relationships xmlns="{_PKG_REL}"><Relationship Id="rId1" Type="{_REL}/officeDocument" '
             f'Target="xl/workbook.xml"/><Relationship Id="rId2" Type="{_PKG_REL}/metadata/core-properties" '
             f'Target="docProps/core.xml"/><Relationship Id="rId3" Type="{_REL}/extended-properties" Target="docProps/app.xml"/>'
             '</Relationships>')
        part("docProps/app.xml", '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
             '<Application>Microsoft Excel</Application><Company>JOB</Company></Properties>')
        status = f"<cp:contentStatus>{_text(properties['status'])}</cp:contentStatus>" if properties["status"] else ""
        part("docProps/core.xml", '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-'
             'properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi='
             f'"http://www.w3.org/2001/XMLSchema-instance"><dc:title>{_text(properties["title"])}</dc:title><dc:creator>JOB'
             f'</dc:creator><dc:description>{_text(properties["description"])}</dc:description><cp:lastModifiedBy>JOB'
             f'</cp:lastModifiedBy><dcterms:created xsi:type="dcterms:W3CDTF">{CREATED}</dcterms:created><dcterms:modified '
             f'xsi:type="dcterms:W3CDTF">{CREATED}</dcterms:modified>{status}</cp:coreProperties>')
        relations = "".join(f'<Relationship Id="rId{k}" Type="{_REL}/worksheet" Target="worksheets/sheet{k}.xml"/>'
                            for k in range(1, count + 1))
        part("xl/_rels/workbook.xml.rels", f'<Relationships xmlns="{_PKG_REL}">{relations}<Relationship Id="rId{count + 1}" '
             f'Type="{_REL}/styles" Target="styles.xml"/><Relationship Id="rId{count + 2}" Type="{_REL}/sharedStrings" '
             'Target="sharedStrings.xml"/></Relationships>')
        names = "".join(f'<sheet name="{_text(name)}" sheetId="{k}" r:id="rId{k}"/>' for k, (name, _) in enumerate(sheets, start=1))
        filters = "".join(f'<definedName name="_xlnm._FilterDatabase" localSheetId="{k}" hidden="1">{_text(_quoted(name))}!$A$1:$'
                          f'{_letter(len(frame.columns) - 1)}${len(frame) + 1}</definedName>' for k, (name, frame) in enumerate(sheets))
        part("xl/workbook.xml", f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><bookViews><workbookView/></bookViews>'
             f'<sheets>{names}</sheets><definedNames>{filters}</definedNames><calcPr calcId="124519" fullCalcOnLoad="1"/>'
             '</workbook>')
        part("xl/styles.xml", _STYLES)
        for k, (_, frame) in enumerate(sheets, start=1):
            _write_sheet(archive, k, frame, strings)
        part("xl/sharedStrings.xml", strings.xml())
