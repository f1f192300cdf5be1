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
         "verdict": "verdict", "change_verdict": "change_verdict"}
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


def write_sav(path: Path, sheets: list[Sheet], label: str, note: str, words: dict, site_words: dict) -> None:
    """All tables stacked in one file (variable `tabel` says which), variable labels from the
    headers, value labels for every code; aggregates only, never a respondent."""
    import pyreadstat

    keys = list(dict.fromkeys(["table", *(k for s in sheets for k in s.frame.columns)]))
    parts = [s.frame.assign(table=t) for t, s in enumerate(sheets, start=1)]
    stacked = pd.concat(parts, ignore_index=True).reindex(columns=keys)
    out, labels, value_labels = {}, {}, {}
    for key in keys:
        name, text = column_words(key, words)
        labels[name] = text
        column = stacked[key]
        if key == "table":
            out[name] = column.astype("float64")
            value_labels[name] = {float(t): s.title[:120] for t, s in enumerate(sheets, start=1)}
        elif key in CODED:
            codes = list(code_words(key, words, site_words))
            out[name] = column.map({c: float(k) for k, c in enumerate(codes, start=1)}).astype("float64")
            value_labels[name] = {float(k): code_words(key, words, site_words)[c] for k, c in enumerate(codes, start=1)}
        elif pd.api.types.is_numeric_dtype(column.dtype) or key in ("n", "respondents"):
            out[name] = pd.to_numeric(column, errors="coerce").astype("float64")
        else:
            out[name] = column.astype("string").fillna("").astype(object)
    frame = pd.DataFrame(out)
    pyreadstat.write_sav(frame, str(path), file_label=label[:64], column_labels=labels,
                         variable_value_labels=value_labels, note=textwrap.wrap(note, 60),
                         variable_display_width={k: 12 for k in frame.columns})
