"""The report's tables as sheets (XLSX) and one stacked SPSS file (SAV): the same numbers, as
numbers, with Dutch headers, variable labels and value labels. Codes (verdicts, statuses,
measures) are words in Excel and value labels in SPSS.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from jobmonitor.workbook import MAX_SHEET_NAME, Properties, WorkbookSheet
from jobmonitor.workbook import write_xlsx as write_workbook
from jobmonitor.site.wording import fill

# Coded columns → the wording section holding their words (rapport.yml, else site.yml).
CODED = {"measure": "measures", "kind": "kinds", "direction": "directions", "status": "status",
         "verdict": "verdict", "change_verdict": "change_verdict", "level": "levels"}
# Columns kept as text in Excel whatever they hold: question codes, and group names (an
# institution's own label may call its groups "1", "2", "3": names, not numbers).
TEXT_KEYS = ("item_id", "group")


@dataclass(frozen=True)
class Sheet:
    key: str  # response, results, answers, breakdown, benchmark
    name: str  # sheet name (≤ 31 characters)
    title: str
    frame: pd.DataFrame  # columns are column keys (rapport.yml `columns`), expanded per year/code


def column_words(key: str, words: dict) -> tuple[str, str]:
    """(SPSS name, label) of a column key, including estimate_<year> and pct_answer_<code>."""
    if key.startswith("estimate_") and key[9:].isdigit():
        name, label = words["columns"]["estimate_year"]
        return fill(name, year=key[9:]), fill(label, year=key[9:])
    if key.startswith("pct_answer_"):
        code = int(key.rsplit("_", 1)[1])
        name, label = words["columns"]["pct_answer"]
        return fill(name, code=code), fill(label, label=words["answer_labels"][code])
    return tuple(words["columns"][key])


def code_words(column: str, words: dict, site_words: dict) -> dict[str, str]:
    section = CODED[column]
    return dict((words.get(section) or site_words[section]).items())


def unique_sheet_name(name: str, taken: set[str]) -> str:
    """Excel's rules: ≤ 31 characters, none of []:*?/\\, unique ignoring case. The wording keeps
    its names short enough; a longer one (an institution's own label) is shortened by whole
    words, never cut inside one."""
    clean = " ".join("".join(" " if c in "[]:*?/\\" else c for c in name).split()) or "Tabel"
    candidate, k = _shorten(clean, MAX_SHEET_NAME), 2
    while candidate.casefold() in taken:
        suffix = f" {k}"
        candidate = _shorten(clean, MAX_SHEET_NAME - len(suffix)) + suffix
        k += 1
    taken.add(candidate.casefold())
    return candidate


def _shorten(name: str, limit: int) -> str:
    """The words of `name` that fit in `limit` characters (one word longer than that: cut)."""
    if len(name) <= limit:
        return name
    words = name[:limit + 1].rsplit(" ", 1)[0] if " " in name[:limit + 1] else name[:limit]
    return words.rstrip(" ,.;–-") or name[:limit]


def write_xlsx(path: Path, sheets: list[Sheet], cover: list[str], words: dict, site_words: dict,
               created: dt.datetime) -> None:
    """One sheet per table, header on row 1 and frozen, numbers as numbers, codes as words; a
    first sheet says what the file is, whose it is and that it is confidential (prose: no
    autofilter). Written by the project's own writer (`jobmonitor.workbook`, ~10× xlsxwriter);
    `created` is the moment of the inputs (the embargo), so the same inputs give the same bytes."""
    front = pd.DataFrame({cover[0]: cover[1:] + [""] + [f"{s.name}: {s.title}" for s in sheets]})
    tables = [WorkbookSheet(words["readme_sheet"], front, text=(cover[0],), autofilter=False)]
    for sheet in sheets:
        frame = sheet.frame.copy()
        for key in (k for k in frame.columns if k in CODED):
            frame[key] = frame[key].map(code_words(key, words, site_words)).astype(object)
        labels = {k: column_words(k, words)[1] for k in frame.columns}
        tables.append(WorkbookSheet(sheet.name, frame.rename(columns=labels),
                                    text=tuple(labels[k] for k in TEXT_KEYS if k in labels)))
    write_workbook(Path(path), tables, Properties(cover[0], " ".join(cover[1:]), created, cover[1]))


# SPSS: the format (width.decimals) of every numeric column key; codes get F2.0 (F3.0 beyond 99),
# text is a string. Counts show whole numbers, percentages one decimal, outcomes (a percentage or
# a mean on a 1–5 or 1–10 scale) two, p-values four; the file holds the full values all the same.
SAV_FORMATS = {
    "population": "F8.0", "respondents": "F8.0", "netto": "F8.0", "bruto": "F8.0", "n": "F8.0",
    "rate": "F5.1", "pct_answer": "F5.1",
    "estimate": "F6.2", "ci_low": "F6.2", "ci_high": "F6.2", "national": "F6.2", "estimate_year": "F6.2",
    "difference": "F7.2", "difference_rest": "F7.2", "change": "F7.2",
    "p_adjusted": "F8.4",
    # The national data file's own columns (`reports.databestand`).
    "edition": "F4.0", "n_eff": "F8.1", "benchmark": "F6.2", "effect_size": "F7.3", "p_value": "F8.4",
    "sd": "F6.2", "skew": "F7.3", "kurt": "F7.3",
}
# Codes whose order means something: a status goes from published via indicative to suppressed,
# ever fewer respondents. The other codes (table, kind, measure, direction, verdicts) are nominal:
# a verdict mixes favourable/unfavourable with higher/lower, which is no single order.
SAV_ORDINAL = {"status"}
SAV_MAX_WIDTH = 40  # display width (Data View columns) of the longest value or label, at most this
SAV_RESERVED = {"ALL", "AND", "BY", "EQ", "GE", "GT", "LE", "LT", "NE", "NOT", "OR", "TO", "WITH"}


def sav_format_key(key: str) -> str:
    if key.startswith("estimate_") and key[9:].isdigit():
        return "estimate_year"
    return "pct_answer" if key.startswith("pct_answer_") else key


def spss_name(name: str, taken: set[str]) -> str:
    """A variable name SPSS accepts: ASCII letters, digits and _ . @ # $, starting with a letter,
    not ending in a period, no reserved word, at most 64 bytes. Two columns whose names (from
    rapport.yml) would be the same ignoring case are a wording mistake, refused."""
    clean = "".join(c if c.isascii() and (c.isalnum() or c in "_.@#$") else "_" for c in name).rstrip(".")
    if not clean[:1].isalpha():
        clean = f"v{clean}"
    if clean.upper() in SAV_RESERVED:
        clean = f"{clean}_"
    clean = clean[:64].rstrip(".")
    if clean.casefold() in taken:
        raise ValueError(f"two SPSS variables would be named {clean!r}: rename one in templates/words/rapport.yml")
    taken.add(clean.casefold())
    return clean


def clip_bytes(text: str, size: int) -> str:
    """At most `size` bytes of UTF-8 (SPSS counts labels in bytes), never half a character."""
    return text.encode("utf-8")[:size].decode("utf-8", errors="ignore")


def write_sav(path: Path, sheets: list[Sheet], label: str, note: str, words: dict, site_words: dict,
              stamp: dt.datetime | None = None, table_column: bool = True) -> None:
    """All tables stacked in one file (variable `tabel` says which; a file of one table may go
    without it: `table_column`), variable labels from the headers, value labels for every
    code; aggregates only, never a respondent.

    Every variable has its measure level (scale for figures, ordinal for ordered codes, nominal
    for text and other codes), a format with the decimals it needs (`SAV_FORMATS`) and a display
    width that fits its longest value or label. Stored bytecode-compressed ("row compression",
    what SPSS itself writes by default): every SPSS version and PSPP read it, while the smaller
    zlib-compressed .zsav needs SPSS 21 or later and is refused by older readers."""
    import pyreadstat

    keys = list(dict.fromkeys(["table"] * table_column + [k for s in sheets for k in s.frame.columns]))
    parts = [s.frame.assign(table=t) for t, s in enumerate(sheets, start=1)]
    stacked = pd.concat(parts, ignore_index=True).reindex(columns=keys)
    out, labels, value_labels, measures, formats, widths = {}, {}, {}, {}, {}, {}
    taken: set[str] = set()
    for key in keys:
        spss, text = column_words(key, words)
        name = spss_name(spss, taken)
        labels[name] = text
        column = stacked[key]
        if key == "table" or key in CODED:
            if key == "table":
                coded = column.astype("float64")
                value_labels[name] = {float(t): clip_bytes(s.title, 120) for t, s in enumerate(sheets, start=1)}
            else:
                codes = code_words(key, words, site_words)
                coded = column.map({c: float(k) for k, c in enumerate(codes, start=1)}).astype("float64")
                value_labels[name] = {float(k): clip_bytes(codes[c], 120) for k, c in enumerate(codes, start=1)}
            out[name] = coded
            measures[name] = "ordinal" if key in SAV_ORDINAL else "nominal"
            formats[name] = f"F{max(2, len(str(len(value_labels[name]))))}.0"
            shown = max([len(v) for v in value_labels[name].values()] + [int(formats[name][1:-2])])
        elif pd.api.types.is_numeric_dtype(column.dtype) or key in ("n", "respondents"):
            out[name] = pd.to_numeric(column, errors="coerce").astype("float64")
            measures[name] = "scale"
            formats[name] = SAV_FORMATS[sav_format_key(key)]
            shown = int(formats[name][1:].split(".")[0])
        else:
            out[name] = column.astype("string").fillna("").astype(object)
            measures[name] = "nominal"
            shown = int(out[name].str.len().max()) if len(out[name]) else 1
        widths[name] = min(SAV_MAX_WIDTH, max(len(name), shown, 1))
    frame = pd.DataFrame(out)
    pyreadstat.write_sav(frame, str(path), file_label=clip_bytes(label, 64), column_labels=labels,
                         variable_value_labels=value_labels, note=textwrap.wrap(note, 60), row_compress=True,
                         variable_measure=measures, variable_format=formats, variable_display_width=widths)
    if stamp is not None:
        stamp_sav(Path(path), stamp)


# The file header's creation date ("dd Mon yy") and time ("hh:mm:ss"), fixed places in every
# system file: pyreadstat writes the clock there, so the same inputs would give other bytes.
SAV_DATE, SAV_TIME = slice(92, 101), slice(101, 109)
SAV_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def stamp_sav(path: Path, stamp: dt.datetime) -> None:
    """Set the header's creation moment to `stamp` (the embargo, like the workbooks)."""
    data = bytearray(path.read_bytes())
    if data[:4] not in (b"$FL2", b"$FL3"):
        raise ValueError(f"{path} is not an SPSS system file")
    data[SAV_DATE] = f"{stamp.day:02d} {SAV_MONTHS[stamp.month - 1]} {stamp.year % 100:02d}".encode("ascii")
    data[SAV_TIME] = f"{stamp.hour:02d}:{stamp.minute:02d}:{stamp.second:02d}".encode("ascii")
    path.write_bytes(bytes(data))
