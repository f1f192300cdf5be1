"""The PDF report's document: the institution's tables as Dutch strings, formatted exactly as
the public site formats them (`site.formatting`), for the Typst template to lay out."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from jobmonitor.config import Config
from jobmonitor.reports.content import InstitutionReport
from jobmonitor.reports.groupings import OTHER
from jobmonitor.site.formatting import format_count, format_interval, format_number, format_value, isna
from jobmonitor.site.verantwoording import config_settings
from jobmonitor.site.wording import fill

SCALE_OF = {"pct_positive": "scale5", "pct_yes": "yesno"}
DISTRIBUTION_CODES = {"pct_positive": (1, 2, 3, 4, 5), "pct_yes": (1, 0)}


def embargo_text(config: Config, site_words: dict) -> str:
    moment = config.embargo
    return fill(site_words["embargo_moment"], day=moment.day, month=site_words["months"][moment.month - 1],
                year=moment.year, time=moment.strftime("%H:%M"))


def report_document(report: InstitutionReport, config: Config, words: dict, w: dict, made: dt.date,
                    theme_texts: dict[str, tuple[str, str]]) -> dict:
    """The JSON the template reads (tests/fixtures/rapport_document.json shows its shape)."""
    p = words["pdf"]
    embargo = embargo_text(config, w)
    results = report.results  # statuses already public: built from published_results
    earlier = [y for y in report.years if y != report.edition][::-1]
    return {
        "title": fill(p["title"], edition=report.edition, name=report.name),
        "institution": {"id": report.institution_id, "name": report.name, "place": report.place},
        "edition": report.edition,
        "editions": list(report.years),
        "confidential": fill(p["confidential"], embargo=embargo),
        "concept": p["concept"] if config.data_status != "definitief" else None,
        "made": fill(p["made"], date=f"{made.day} {w['months'][made.month - 1]} {made.year}"),
        "copyright": fill(w["copyright"], edition=report.edition),
        "summary": _summary(report, earlier, p, w),
        "response": _response(report, p, w),
        "themes": [_theme(theme_id, part, earlier, theme_texts[theme_id], p, w)
                   for theme_id, part in results.groupby("theme_id", sort=False)],
        "breakdowns": [_breakdown(b, results, config.thresholds.min_n, words, w) for b in report.breakdowns],
        "methods": {
            "paragraphs": [fill(text, edition=report.edition, embargo=embargo, min_n=config.thresholds.min_n,
                                min_difference_pct=config.thresholds.min_difference_pct,
                                min_effect_size_mean=str(config.thresholds.min_effect_size_mean).replace(".", ","))
                           for text in p["methods"]],
            "settings": [list(row) for row in config_settings(config, w)],
        },
    }


def _summary(report: InstitutionReport, earlier: list[int], p: dict, w: dict) -> list[dict]:
    """The key figures, counted as the site's own summary counts them (`site.summary`)."""
    summary = report.summary
    out = [{"label": p["respondents"], "value": format_count(report.respondents) if report.respondents else w["suppressed"]}]
    out += [{"label": line.label, "value": line.value, "note": fill(p["mark_note"], value=line.benchmark)}
            for line in summary.marks]

    def count(n: int) -> str:
        return p["one_question"] if n == 1 else fill(p["questions"], count=n)

    out += [{"label": p["favourable"], "value": count(summary.favourable)},
            {"label": p["unfavourable"], "value": count(summary.unfavourable)}]
    if earlier:
        out += [{"label": fill(p["improved"], year=earlier[0]), "value": count(summary.improved)},
                {"label": fill(p["worsened"], year=earlier[0]), "value": count(summary.worsened)}]
    return out


def _response(report: InstitutionReport, p: dict, w: dict) -> dict:
    frame = report.response
    rows = [[r.domain, format_count(r.population), w["suppressed"] if isna(r.respondents) else format_count(r.respondents),
             format_value(r.rate, "pct_yes", w), format_count(r.netto)] for r in frame.itertuples()]
    population = int(frame["population"].sum())
    total = report.respondents
    rate = 100 * total / population if total and population else np.nan
    return {"caption": p["response_caption"],
            "header": [p["header_domain"], p["header_population"], p["header_respondents"], p["header_rate"], p["header_netto"]],
            "numeric": [False, True, True, True, True], "rows": rows,
            "total": [p["total"], format_count(population), format_count(total) if total else w["suppressed"],
                      format_value(rate, "pct_yes", w), format_count(int(frame["netto"].sum()))]}


def _theme(theme_id: str, part: pd.DataFrame, earlier: list[int], texts: tuple[str, str], p: dict, w: dict) -> dict:
    name, description = texts
    header = [p["header_question"], p["header_own"], p["header_interval"], p["header_n"], p["header_national"],
              p["header_verdict"], *map(str, earlier), p["header_change"]]
    return {"id": theme_id, "name": name, "description": description, "scale": "",
            "header": header, "rows": [_result_row(r, earlier, p, w) for r in part.to_dict("records") if r["status"] != "absent"]}


def _result_row(r: dict, earlier: list[int], p: dict, w: dict) -> dict:
    measure = r["measure"]
    shown = r["status"] in ("published", "indicative")
    text = {"theme": p["theme_score"], "theme_trend": p["theme_trend"]}.get(r["kind"], r["text"])
    note = w["measure_note"].get(measure, "") if r["kind"] == "item" else ""
    if r["kind"] == "item" and r["direction"] == "lower_better":
        note = f"{note} · {w['lower_is_better']}".strip(" ·")
    value = format_value(r["estimate"], measure, w) if shown else w["suppressed"]
    if r["status"] == "indicative":
        value = f"{value} ({w['indicative']})"
    cells = [value, format_interval(r["ci_low"], r["ci_high"], measure, w) if shown else "",
             format_count(r["n"]) if shown else "", format_value(r["national"], measure, w),
             w["verdict"][r["verdict"]] if shown and isinstance(r["verdict"], str) and r["verdict"] else "",
             *[format_value(r.get(f"estimate_{y}"), measure, w) for y in earlier],
             w["change_verdict"][r["change_verdict"]] if shown and isinstance(r["change_verdict"], str) and r["change_verdict"] else ""]
    return {"kind": "theme" if r["kind"] != "item" else "item", "text": text, "note": note, "cells": cells,
            "verdict": r["verdict"] if shown and isinstance(r["verdict"], str) and r["verdict"] else None,
            "change": r["change_verdict"] if shown and isinstance(r["change_verdict"], str) and r["change_verdict"] else None,
            "distribution": _distribution(r, w) if shown and r["kind"] == "item" else None}


def _distribution(r: dict, w: dict) -> dict | None:
    codes = DISTRIBUTION_CODES.get(r["measure"])
    if codes is None or any(isna(r.get(f"pct_answer_{c}")) for c in codes):
        return None
    labels = w["answers"][r["measure"]]
    parts = [{"code": c, "label": labels[c], "pct": float(r[f"pct_answer_{c}"]),
              "text": format_number(r[f"pct_answer_{c}"], 1)} for c in codes]
    apart = None
    if r["measure"] == "pct_positive" and not isna(r.get("pct_answer_9")) and r["pct_answer_9"] > 0:
        apart = {"label": labels[9], "pct": float(r["pct_answer_9"]), "text": format_number(r["pct_answer_9"], 1)}
    return {"order": fill(w["answers"]["order"], first=labels[codes[0]], last=labels[codes[-1]]), "parts": parts, "apart": apart}


def _breakdown(breakdown, results: pd.DataFrame, min_n: int, words: dict, w: dict) -> dict:
    """Groups as columns, one row per question (theme scores marked); the table is var-major
    with every group then the total, so it reshapes to vars × groups."""
    grouping, table = breakdown.grouping, breakdown.table
    p = words["pdf"]
    names = [grouping.names[g] for g in grouping.order] + [words["total_group"]]
    texts = dict(zip(results["item_id"], results["text"]))
    kinds = dict(zip(results["item_id"], results["kind"]))
    size = len(names)
    shape = (len(table) // size, size)
    var_ids = table["item_id"].to_numpy().reshape(shape)[:, 0]
    shown = (table["status"].to_numpy() == "published").reshape(shape)
    measure = table["measure"].to_numpy().reshape(shape)
    estimate, n = table["estimate"].to_numpy().reshape(shape), table["n"].to_numpy().reshape(shape)
    verdict = table["verdict"].to_numpy().reshape(shape)
    rows = []
    for v, var in enumerate(var_ids):
        if var not in texts or kinds.get(var) == "theme_trend":
            continue
        # The PDF shows what a reader acts on: theme scores, report marks and the questions where
        # a group differs clearly; every question per group is in the XLSX and SAV.
        notable = any(isinstance(c, str) and c and c != "no_difference" for c in verdict[v, :-1])
        if not (kinds[var] == "theme" or measure[v, 0] == "mean" or notable):
            continue
        cells = []
        for g in range(size):
            code = verdict[v, g] if shown[v, g] and isinstance(verdict[v, g], str) and verdict[v, g] else None
            cells.append({"value": format_value(estimate[v, g], measure[v, g], w) if shown[v, g] else w["suppressed"],
                          "n": format_count(n[v, g]) if shown[v, g] else "",
                          "verdict": w["verdict"][code] if code else "", "code": code})
        is_theme = kinds[var] == "theme"
        rows.append({"text": fill(p["theme_label"], name=texts[var]) if is_theme else texts[var],
                     "kind": "theme" if is_theme else "item", "cells": cells,
                     "order": 0 if is_theme else 1 if measure[v, 0] == "mean" else 2})
    # Theme scores first, then the report marks, then the questions (stable: questionnaire order).
    rows = [{k: r[k] for k in ("text", "kind", "cells")} for r in sorted(rows, key=lambda r: r["order"])]
    intro = fill(p["breakdown_intro"], min_n=min_n) + " " + fill(p["breakdown_selection"], name=grouping.name)
    if grouping.merged:
        intro += " " + fill(p["merged"], other=grouping.names[OTHER], min_n=min_n, values=", ".join(grouping.merged))
    return {"id": grouping.id, "title": fill(words["titles"]["breakdown"], name=grouping.name), "intro": intro,
            "groups": names, "header": [p["header_question"], *names], "rows": rows}
