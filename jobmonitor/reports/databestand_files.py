"""The files of the national data file, one edition's folder: the table as CSV (any analysis
tool), as CSV for a Dutch Excel, as XLSX and as SPSS SAV; its data dictionary, the
questionnaire, the use notice. Written from the published view only: a hidden row keeps its ids
and the status `suppressed`, nothing else. The same inputs give the same bytes (the workbook and
the SAV are dated with the embargo, like the report packs).
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from jobmonitor.codebook import Questionnaire
from jobmonitor.config import Config
from jobmonitor.results import ANSWER_CODES, published_results
from jobmonitor.reports.document import embargo_text
from jobmonitor.reports.programmes import CODE_COLUMNS, FILE_COLUMNS, ProgrammeFile
from jobmonitor.reports.tables import Sheet, write_sav
from jobmonitor.site.downloads import (SOURCE, TYPE_ROWS, dutch_headers, questionnaire_frame, source_text, worded,
                                       write_csv, write_csv_pair)
from jobmonitor.site.wording import fill, load_words, load_wording, notice
from jobmonitor.workbook import Properties, WorkbookSheet, write_xlsx

INTEGER_COLUMNS = ("edition", "n")


@dataclass(frozen=True)
class Wording:
    """The words the files need: the data file's own (databestand.yml), the site's (column
    headers, verdicts, statuses) and the reports' (codes in SPSS)."""

    own: dict
    site: dict
    report: dict

    @classmethod
    def load(cls) -> "Wording":
        return cls(load_words("databestand"), load_wording(), load_words("rapport"))

    def header(self, column: str) -> str:
        return self.own["headers"].get(column) or self.site["excel_headers"][column]

    def meaning(self, column: str) -> str:
        return self.own["dictionary"].get(column) or self.site["dictionary"][column]


def file_names(edition: int, words: Wording) -> dict[str, str]:
    return {key: fill(name, edition=edition) for key, name in words.own["files"].items()}


def published_file(programme_file: ProgrammeFile, words: Wording, source: str) -> pd.DataFrame:
    """The rows as every file shows them: the published view, the group without an opleiding
    named, and JOB's notice as the last column."""
    table = published_results(programme_file.table, FILE_COLUMNS)
    unknown = table["opleiding"].isna()
    table["opleiding_name"] = table["opleiding_name"].mask(unknown, words.own["unknown_opleiding"])
    return table.assign(**{SOURCE: source})


def type_order(table: pd.DataFrame) -> np.ndarray:
    """Row positions with, within the first TYPE_ROWS rows, a row giving every column its
    first value (polars types a column from the first 100 rows); otherwise as given."""
    order = np.arange(len(table))
    reach = max(0, TYPE_ROWS - len(table.columns))
    lead = sorted({int(np.argmax(filled)) for column in table.columns
                   if (filled := table[column].notna().to_numpy()).any() and not filled[:reach].any()})
    return np.concatenate([order[lead], np.delete(order, lead)])


def dictionary_frame(columns: list[str], table: pd.DataFrame, edition: int, words: Wording) -> pd.DataFrame:
    """Per column: its code, its Excel header, what it means and its type (Dutch)."""
    names, types = words.own["dictionary_columns"], words.own["types"]

    def kind(column: str) -> str:
        if column in INTEGER_COLUMNS:
            return types["integer"]
        return types["number"] if pd.api.types.is_float_dtype(table[column].dtype) else types["text"]

    meanings = [fill(words.meaning(c), notice=notice(edition, words.site)).strip() for c in columns]
    return pd.DataFrame({names["column"]: columns, names["header"]: [words.header(c) for c in columns],
                         names["meaning"]: meanings, names["type"]: [kind(c) for c in columns]})


def notice_text(config: Config, edition: int, names: dict[str, str], skipped: list[int], words: Wording) -> str:
    """The use notice in Markdown: what the file is, the rules, the thresholds, the files."""
    own = words.own["notice"]
    thresholds = config.thresholds
    lines = [fill(own["file_line"], name=names[key], what=what) for key, what in own["file_kinds"].items()]
    values = {"edition": edition, "min_n": thresholds.min_n, "alpha": _dutch(thresholds.alpha),
              "min_difference_pct": _dutch(thresholds.min_difference_pct),
              "min_effect_size_mean": _dutch(thresholds.min_effect_size_mean),
              "embargo": embargo_text(config, words.site), "files": "\n".join(lines)}
    parts = [f"# {fill(own['title'], edition=edition)}"]
    if config.data_status != "definitief":
        parts.append(f"**{own['concept']}**")
    parts.append(fill(own["what"], **values))
    if skipped:
        parts.append(fill(own["skipped"], years=", ".join(map(str, skipped))))
    parts.append(fill(own["rules"], **values))
    return "\n\n".join(parts) + "\n"


def _dutch(value: float) -> str:
    """A setting as Dutch writes it: 0,05; 5; 0,2."""
    return f"{value:g}".replace(".", ",")


def plain(markdown: str) -> str:
    """The notice as plain text: headings without their marks, bold without its stars."""
    out = []
    for line in markdown.splitlines():
        if line.startswith("#"):
            title = line.lstrip("#").strip()
            out += [title, "=" * len(title) if line.startswith("# ") else "-" * len(title)]
        else:
            out.append(line.replace("**", ""))
    return "\n".join(out) + "\n"


def sav_words(columns: list[str], words: Wording) -> dict:
    """What `reports.tables.write_sav` reads: per column its SPSS name (the code, as in the
    CSV) and label (the Excel header); the codes' value labels."""
    report = words.report
    return {"columns": {c: [c, words.header(c)] for c in columns} | {"pct_answer": ["pct_answer_{code}", "{label}"]},
            "answer_labels": {code: words.header(f"pct_answer_{code}") for code in ANSWER_CODES},
            "measures": report["measures"], "kinds": report["kinds"], "directions": report["directions"],
            "levels": words.own["levels"]}


def write_edition_files(config: Config, programme_file: ProgrammeFile, questionnaire: Questionnaire, folder: Path,
                        skipped: list[int], words: Wording) -> list[Path]:
    """Every file of one edition into `folder` (made here). The workbook is written in a
    thread beside the CSV and SAV files (deflate, most of its time, releases the GIL)."""
    edition = programme_file.year
    names = file_names(edition, words)
    preview = config.data_status != "definitief"
    source = source_text(edition, words.site, preview=preview)
    table = published_file(programme_file, words, source)
    table = table.iloc[type_order(table)].reset_index(drop=True)
    shown = worded(table, words.site)
    questions = questionnaire_frame({edition: questionnaire}, table, words.site).assign(**{SOURCE: source})
    dictionary = dictionary_frame(list(table.columns), table, edition, words)
    text = notice_text(config, edition, names, skipped, words)
    title = fill(words.own["title"], edition=edition)
    folder.mkdir(parents=True)
    sav = (folder / names["sav"], [Sheet("data", words.own["sheets"]["data"], title, table)],
           fill(words.own["sav_label"], edition=edition), f"{title}. {notice(edition, words.site)}",
           sav_words(list(table.columns), words), words.site)
    global _SAV
    _SAV = sav
    try:
        # The SAV in a forked process (pyreadstat holds the GIL for most of its time), forked
        # before the workbook's thread starts; the workbook in a thread beside the CSV files.
        with (ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as process,
              ThreadPoolExecutor(max_workers=1) as thread):
            spss = process.submit(_write_sav_job, config.embargo)
            workbook = thread.submit(_workbook, folder / names["xlsx"], config, shown, questions, dictionary, text,
                                     title, preview, words)
            write_csv_pair(folder / names["csv"], folder / names["excel_csv"], shown, CODE_COLUMNS)
            write_csv(folder / names["dictionary"], dictionary, ())
            write_csv(folder / names["questionnaire"], questions)
            (folder / names["notice_md"]).write_text(text, encoding="utf-8")
            (folder / names["notice_txt"]).write_text(plain(text), encoding="utf-8")
            workbook.result()
            spss.result()
    finally:
        _SAV = None
    return sorted(p for p in folder.iterdir() if p.is_file())


_SAV: tuple | None = None  # the SAV's arguments, read by the forked writer (no copy through a pipe)


def _write_sav_job(stamp) -> None:
    path, sheets, label, note, words, site_words = _SAV
    write_sav(path, sheets, label, note, words, site_words, stamp=stamp, table_column=False)


def _workbook(path: Path, config: Config, shown: pd.DataFrame, questions: pd.DataFrame, dictionary: pd.DataFrame,
              text: str, title: str, preview: bool, words: Wording) -> None:
    """A "Lees mij" sheet with the use notice, the data with Dutch headers, the questionnaire
    and the dictionary; dated with the embargo."""
    sheets = words.own["sheets"]
    readme = pd.DataFrame({title: plain(text).splitlines()[2:]})
    tables = [WorkbookSheet(sheets["readme"], readme, text=(title,), autofilter=False),
              WorkbookSheet(sheets["data"], shown.rename(columns=words.header),
                            text=tuple(words.header(c) for c in CODE_COLUMNS)),
              WorkbookSheet(sheets["questionnaire"], *dutch_headers(questions, words.site)),
              WorkbookSheet(sheets["dictionary"], dictionary)]
    status = words.site["downloads"]["preview_status"] if preview else None
    write_xlsx(path, tables, Properties(title, notice(config.edition, words.site), config.embargo, status))
