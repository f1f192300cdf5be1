"""An institution report's tables as sheets: the one list both the XLSX and the SAV are
written from (and the PDF reads the same frames), so the three files hold the same numbers."""

from __future__ import annotations

from jobmonitor.reports.breakdown import TOTAL, Breakdown
from jobmonitor.reports.content import InstitutionReport
from jobmonitor.reports.groupings import Grouping
from jobmonitor.reports.tables import Sheet, unique_sheet_name
from jobmonitor.results import ANSWER_COLUMNS
from jobmonitor.site.wording import fill

RESULT_KEYS = ["theme", "item_id", "kind", "text", "measure", "direction", "status", "n", "estimate", "ci_low",
               "ci_high", "national", "difference", "p_adjusted", "verdict"]
BREAKDOWN_KEYS = ["group", "item_id", "kind", "text", "measure", "direction", "status", "n", "estimate", "ci_low",
                  "ci_high", "difference_rest", "p_adjusted", "verdict"]


def report_sheets(report: InstitutionReport, texts: dict[str, str], theme_names: dict[str, str], words: dict) -> list[Sheet]:
    """Response, results, answers, then one sheet per breakdown. `texts`: var → question text."""
    taken: set[str] = set()
    name = report.name
    response = report.response.drop(columns=["domain_id"])
    results = report.results.assign(theme=report.results["theme_id"].map(theme_names))
    years = [c for c in results.columns if c.startswith("estimate_")]
    sheets = [
        Sheet("response", unique_sheet_name(words["sheets"]["response"], taken), words["titles"]["response"], response),
        Sheet("results", unique_sheet_name(words["sheets"]["results"], taken), fill(words["titles"]["results"], name=name),
              results[RESULT_KEYS + years + ["change", "change_verdict"]].reset_index(drop=True)),
    ]
    shown = results[(results["kind"] == "item") & (results["status"] != "suppressed") & (results["status"] != "absent")]
    answers = shown[["item_id", "text", *ANSWER_COLUMNS]]
    answers = answers.loc[:, [c for c in answers.columns if not c.startswith("pct_answer") or answers[c].notna().any()]]
    sheets.append(Sheet("answers", unique_sheet_name(words["sheets"]["answers"], taken),
                        fill(words["titles"]["answers"], name=name), answers.reset_index(drop=True)))
    for breakdown in report.breakdowns:
        sheets.append(breakdown_sheet(breakdown, texts, words, taken, "breakdown"))
    return sheets


def breakdown_sheet(breakdown: Breakdown, texts: dict[str, str], words: dict, taken: set[str], key: str,
                    total_name: str | None = None) -> Sheet:
    grouping = breakdown.grouping
    table = breakdown.table
    names = grouping.names | {TOTAL: total_name or words["total_group"]}
    frame = table.assign(group=table["group"].map(names), text=table["item_id"].map(texts))
    return Sheet(key, unique_sheet_name(grouping_sheet_name(key, grouping, words), taken),
                 fill(words["titles"][key], name=grouping.name), frame[BREAKDOWN_KEYS].reset_index(drop=True))


def grouping_sheet_name(key: str, grouping: Grouping, words: dict) -> str:
    """"Naar Leerweg", "Landelijk naar Voltijd-deeltijd": a grouping's short name where the
    wording has one (`sheet_groupings`), so the sheet name fits Excel's 31 characters."""
    name = (words.get("sheet_groupings") or {}).get(grouping.id, grouping.name)
    return fill(words["sheets"][key], name=name)
