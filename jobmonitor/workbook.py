"""The project's own XLSX writer: a kit, not a stage. The public downloads
(`site.downloads`) and the institution reports' tables (`reports.tables`) write their workbooks
with it, and the downloads' CSV files share its columns formatted once (`chunks`).

Why not xlsxwriter: it spends ~4.5 µs a cell (~10 s for one national edition of 115k rows ×
29 columns), too slow to write the files before the pages that list their sizes. The workbook
here is the few fixed XML parts xlsxwriter writes, with the sheet rows formatted a column at a
time (~1.5 s an edition, most of it deflate). `bench/workbook.py` measures the two.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from xml.sax.saxutils import escape

import numpy as np
import pandas as pd

ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # fixed member times: the same bytes on every build
MAX_SHEET_NAME = 31  # Excel's limit
# Deflate level of the XLSX parts: 5 is within 1 % of 6 in size at two thirds of the time.
DEFLATE_LEVEL = 5
CHUNK = 20_000  # rows formatted at a time: bounds memory at national scale


# --- columns formatted once, written as CSV fields or XLSX cells ----------------------------

@dataclass(frozen=True)
class Column:
    """One column of a chunk: numbers as text ("%.6g", whole numbers in full; None = empty),
    booleans, or text as codes into `uniques` (-1 = empty)."""

    kind: str  # number, bool, text
    values: list
    uniques: tuple[str, ...] = ()
    finite: bool = True  # numbers: no inf (written as an error cell in XLSX, "inf" in CSV)


# A text that is a number: written as one (Excel would otherwise keep it as text and warn).
_NUMBER = re.compile(r"\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*")
_WHOLE = re.compile(r"\s*[+-]?\d+\s*")


def _as_number(value) -> float | None:
    """The number a value of an object column holds, or None (text, a boolean)."""
    if isinstance(value, (bool, np.bool_)):
        return None
    if isinstance(value, (int, float, np.integer, np.floating, Decimal)):
        return float(value)
    return float(value) if isinstance(value, str) and _NUMBER.fullmatch(value) else None


@dataclass(frozen=True)
class _Whole:
    """A whole column, its kind decided once from what it holds (not from its dtype): numbers
    (a numeric Series), booleans, or text (codes into `uniques`)."""

    kind: str
    series: pd.Series | None = None
    codes: np.ndarray | None = None
    uniques: tuple[str, ...] = ()

    def part(self, start: int, stop: int) -> Column:
        if self.kind == "text":
            return Column("text", self.codes[start:stop].tolist(), self.uniques)
        part = self.series.iloc[start:stop]
        if self.kind == "bool":
            return Column("bool", part.astype(object).where(part.notna(), None).tolist())
        if pd.api.types.is_integer_dtype(part.dtype):
            return Column("number", [None if v is None else str(v) for v in part.to_numpy(dtype=object, na_value=None).tolist()])
        values = part.to_numpy(dtype="float64", na_value=np.nan)
        texts = ["%.6g" % v if v == v else None for v in values.tolist()]
        with np.errstate(invalid="ignore"):  # whole numbers of a million and more in full, not 1.23457e+06
            for k in np.flatnonzero((np.abs(values) >= 1e6) & (np.abs(values) < 1e15) & (values == np.round(values))):
                texts[k] = "%d" % values[k]
        return Column("number", texts, finite=not np.isinf(values).any())


def _whole(series: pd.Series, text: bool) -> _Whole:
    """Numbers and booleans by dtype; any other column is numbers when every value it holds is
    one (numeric strings, Decimals, ints among None), else text. `text`: kept as text whatever
    it holds (codes and ids, where "007" must stay "007")."""
    if pd.api.types.is_bool_dtype(series.dtype):
        return _Whole("bool", series)
    if pd.api.types.is_numeric_dtype(series.dtype) and not text:
        return _Whole("number", series)
    codes, uniques = pd.factorize(series)
    if not text and len(uniques):
        values = [v for v in uniques if not (isinstance(v, str) and v == "")]  # an empty text is empty
        numbers = [None if isinstance(v, str) and v == "" else _as_number(v) for v in uniques]
        if values and all(n is not None for v, n in zip(uniques, numbers) if not (isinstance(v, str) and v == "")):
            whole = all(isinstance(v, (int, np.integer)) or (isinstance(v, str) and _WHOLE.fullmatch(v)) for v in values)
            parsed = np.append(np.array([np.nan if n is None else n for n in numbers], dtype="float64"), np.nan)[codes]
            return _Whole("number", pd.Series(parsed).astype("Int64") if whole else pd.Series(parsed))  # code -1: NaN
        if values and all(isinstance(v, (bool, np.bool_)) for v in values):
            return _Whole("bool", series.astype("boolean"))
    uniques = [str(u) for u in uniques]
    if "" in uniques:  # an empty text is an empty cell, as a missing one
        codes = np.where(codes == uniques.index(""), -1, codes)
    return _Whole("text", codes=codes, uniques=tuple(uniques))


def chunks(frame: pd.DataFrame, text: tuple[str, ...] | set[str] = ()):
    """(first row, formatted columns) per CHUNK rows; each column's kind decided once over the
    whole frame. `text`: columns kept as text whatever they hold (codes, ids)."""
    columns = [_whole(frame.iloc[:, k], name in text) for k, name in enumerate(frame.columns)]
    for start in range(0, len(frame), CHUNK):
        stop = min(start + CHUNK, len(frame))
        yield start, [column.part(start, stop) for column in columns]


# --- the XLSX parts: what xlsxwriter writes, rows formatted a column at a time --------------

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


# The workbook's theme: Excel's 2007 Office theme in its smallest valid form (colours, the
# Cambria/Calibri fonts the styles name, three plain fill, line and effect styles). Office and
# the OOXML validator expect a workbook to have one.
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_COLOURS = (("dk1", '<a:sysClr val="windowText" lastClr="000000"/>'), ("lt1", '<a:sysClr val="window" lastClr="FFFFFF"/>'),
            *((name, f'<a:srgbClr val="{rgb}"/>') for name, rgb in (
                ("dk2", "1F497D"), ("lt2", "EEECE1"), ("accent1", "4F81BD"), ("accent2", "C0504D"), ("accent3", "9BBB59"),
                ("accent4", "8064A2"), ("accent5", "4BACC6"), ("accent6", "F79646"), ("hlink", "0000FF"), ("folHlink", "800080"))))
_FILL = '<a:solidFill><a:schemeClr val="phClr"/></a:solidFill>'
_THEME = (f'<a:theme xmlns:a="{_A}" name="Office Theme"><a:themeElements><a:clrScheme name="Office">'
          + "".join(f"<a:{name}>{colour}</a:{name}>" for name, colour in _COLOURS)
          + '</a:clrScheme><a:fontScheme name="Office">'
          + "".join(f'<a:{kind}><a:latin typeface="{face}"/><a:ea typeface=""/><a:cs typeface=""/></a:{kind}>'
                    for kind, face in (("majorFont", "Cambria"), ("minorFont", "Calibri")))
          + f'</a:fontScheme><a:fmtScheme name="Office"><a:fillStyleLst>{_FILL * 3}</a:fillStyleLst><a:lnStyleLst>'
          + "".join(f'<a:ln w="{w}" cap="flat" cmpd="sng" algn="ctr">{_FILL}<a:prstDash val="solid"/></a:ln>'
                    for w in (9525, 25400, 38100))
          + '</a:lnStyleLst><a:effectStyleLst>' + '<a:effectStyle><a:effectLst/></a:effectStyle>' * 3
          + f'</a:effectStyleLst><a:bgFillStyleLst>{_FILL * 3}</a:bgFillStyleLst></a:fmtScheme></a:themeElements>'
          '<a:objectDefaults/><a:extraClrSchemeLst/></a:theme>')


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


def _cells(column: Column, letter: str, rows: list[str], strings: _SharedStrings) -> list[str]:
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


@dataclass(frozen=True)
class WorkbookSheet:
    """One sheet: its name (≤ 31 characters, none of []:*?/\\; shorten it by wording, the
    writer refuses to cut), the table with its header on row 1, the columns kept as text
    whatever they hold (codes, ids), and whether it gets an autofilter (not on prose)."""

    name: str
    frame: pd.DataFrame
    text: tuple[str, ...] = ()
    autofilter: bool = True


@dataclass(frozen=True)
class Properties:
    """The document properties: the title, JOB's notice in full (Excel shows it as comments),
    the moment of the inputs the file was made from (the edition's embargo, never the clock:
    the same inputs give the same bytes) and, in a preview, a status saying so."""

    title: str
    description: str
    created: dt.datetime
    status: str | None = None


def application() -> str:
    """What made the file, in the document properties: this project, not Excel."""
    try:
        release = version("jobmonitor")
    except PackageNotFoundError:  # run from a source tree that was never installed
        release = "(ontwikkelversie)"
    return f"JOB-monitor publicatie {release}"


def check_sheet_names(names: list[str]) -> None:
    """Excel's rules for sheet names, refused rather than cut: 1–31 characters, none of
    []:*?/\\, not starting or ending with a quote, unique ignoring case."""
    problems = [f"{name!r}: {len(name)} characters (at most {MAX_SHEET_NAME})" for name in names
                if not 0 < len(name) <= MAX_SHEET_NAME]
    problems += [f"{name!r}: holds one of []:*?/\\ or starts or ends with a quote" for name in names
                 if set(name) & set("[]:*?/\\") or name.startswith("'") or name.endswith("'")]
    folded = [name.casefold() for name in names]
    problems += [f"{name!r}: twice (ignoring case)" for k, name in enumerate(names) if folded.index(folded[k]) != k]
    if problems:
        raise ValueError("sheet names Excel cannot open: " + "; ".join(problems))


def _write_sheet(archive: zipfile.ZipFile, number: int, sheet: WorkbookSheet, strings: _SharedStrings) -> None:
    frame = sheet.frame
    last = f"{_letter(len(frame.columns) - 1)}{len(frame) + 1}"
    widths = "".join(f'<col min="{k + 1}" max="{k + 1}" width="{_width(frame.iloc[:, k], str(c))}" customWidth="1"/>'
                     for k, c in enumerate(frame.columns))
    selected = ' tabSelected="1"' if number == 1 else ""
    header = "".join(f'<c r="{_letter(k)}1" s="1{tail}' for k, tail in enumerate(strings.tails(map(str, frame.columns))))
    with archive.open(_member(f"xl/worksheets/sheet{number}.xml"), "w") as out:
        out.write((f'{_XML}<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}"><dimension ref="A1:{last}"/><sheetViews>'
                   f'<sheetView{selected} workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" '
                   f'state="frozen"/><selection pane="bottomLeft"/></sheetView></sheetViews><sheetFormatPr '
                   f'defaultRowHeight="15"/><cols>{widths}</cols><sheetData><row r="1">{header}</row>').encode())
        for start, columns in chunks(frame, sheet.text):
            rows = [str(r) for r in range(start + 2, start + 2 + len(columns[0].values))]
            cells = [_cells(c, _letter(k), rows, strings) for k, c in enumerate(columns)]
            out.write("".join(f'<row r="{r}">{"".join(row)}</row>' for r, *row in zip(rows, *cells)).encode())
        autofilter = f'<autoFilter ref="A1:{last}"/>' if sheet.autofilter else ""
        out.write(f'</sheetData>{autofilter}<pageMargins left="0.7" right="0.7" top="0.75" '
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


def _moment(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def write_xlsx(path: Path, sheets: list[WorkbookSheet], properties: Properties) -> None:
    """A workbook with each sheet's header bold and frozen on row 1 (and an autofilter where
    asked), every value that is a number stored as one, and honest document properties (this
    project as the application, the inputs' moment as created and modified)."""
    check_sheet_names([sheet.name for sheet in sheets])
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
             f'PartName="/xl/sharedStrings.xml" ContentType="{_OFFICE}.spreadsheetml.sharedStrings+xml"/><Override '
             f'PartName="/xl/theme/theme1.xml" ContentType="{_OFFICE}.theme+xml"/></Types>')
        part("_rels/.rels", f'<Relationships xmlns="{_PKG_REL}"><Relationship Id="rId1" Type="{_REL}/officeDocument" '
             f'Target="xl/workbook.xml"/><Relationship Id="rId2" Type="{_PKG_REL}/metadata/core-properties" '
             f'Target="docProps/core.xml"/><Relationship Id="rId3" Type="{_REL}/extended-properties" Target="docProps/app.xml"/>'
             '</Relationships>')
        part("docProps/app.xml", '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
             f'<Application>{_text(application())}</Application><Company>JOB</Company></Properties>')
        status = f"<cp:contentStatus>{_text(properties.status)}</cp:contentStatus>" if properties.status else ""
        moment = _moment(properties.created)
        part("docProps/core.xml", '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-'
             'properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi='
             f'"http://www.w3.org/2001/XMLSchema-instance"><dc:title>{_text(properties.title)}</dc:title><dc:creator>JOB'
             f'</dc:creator><dc:description>{_text(properties.description)}</dc:description><cp:lastModifiedBy>JOB'
             f'</cp:lastModifiedBy><dcterms:created xsi:type="dcterms:W3CDTF">{moment}</dcterms:created><dcterms:modified '
             f'xsi:type="dcterms:W3CDTF">{moment}</dcterms:modified>{status}</cp:coreProperties>')
        relations = "".join(f'<Relationship Id="rId{k}" Type="{_REL}/worksheet" Target="worksheets/sheet{k}.xml"/>'
                            for k in range(1, count + 1))
        part("xl/_rels/workbook.xml.rels", f'<Relationships xmlns="{_PKG_REL}">{relations}<Relationship Id="rId{count + 1}" '
             f'Type="{_REL}/styles" Target="styles.xml"/><Relationship Id="rId{count + 2}" Type="{_REL}/sharedStrings" '
             f'Target="sharedStrings.xml"/><Relationship Id="rId{count + 3}" Type="{_REL}/theme" Target="theme/theme1.xml"/>'
             '</Relationships>')
        names = "".join(f'<sheet name="{_text(s.name)}" sheetId="{k}" r:id="rId{k}"/>' for k, s in enumerate(sheets, start=1))
        filters = "".join(f'<definedName name="_xlnm._FilterDatabase" localSheetId="{k}" hidden="1">{_text(_quoted(s.name))}!$A$1:$'
                          f'{_letter(len(s.frame.columns) - 1)}${len(s.frame) + 1}</definedName>'
                          for k, s in enumerate(sheets) if s.autofilter)
        defined = f"<definedNames>{filters}</definedNames>" if filters else ""
        part("xl/workbook.xml", f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><bookViews><workbookView/></bookViews>'
             f'<sheets>{names}</sheets>{defined}<calcPr calcId="124519" fullCalcOnLoad="1"/></workbook>')
        part("xl/styles.xml", _STYLES)
        part("xl/theme/theme1.xml", _THEME)
        for k, sheet in enumerate(sheets, start=1):
            _write_sheet(archive, k, sheet, strings)
        part("xl/sharedStrings.xml", strings.xml())
