"""The compare page (`/vergelijk/`): its page spec and the small static data files its script
reads (`vergelijk/data/`). Each file holds published rows only — a hidden cell is its status
and nothing else — with what the browser's tests need (unrounded estimate, n_eff; sd, skewness
and kurtosis for means). The tests themselves run in the visitor's browser
(`content/javascripts/vergelijk-stats.js`), the same as `compute.pairs`, one family per pair.

Files: `eenheden.json` (units, questionnaire, thresholds, words), `landelijk.json`, one per
institution (`I001.json`), one per domain nationally (`D04.json`) and one per institution ×
domain unit (`I001-D04.json`): a page loads only the units chosen (a national domain holding
every institution in one file would weigh ~200 KB gzipped on a phone).
"""

from __future__ import annotations

import json
import math

from jobmonitor.results import SUPPRESSED, Record, UnitKey
from jobmonitor.site.context import SiteContext
from jobmonitor.site.pages import question_note
from jobmonitor.site.paths import COMPARE_PAGE, domain_path, institution_path
from jobmonitor.site.render import relative_url
from jobmonitor.site.specs import Page

DATA = "vergelijk/data"
# Six significant digits: far finer than the one decimal shown, so the tests see the estimate,
# not the rounded figure; the browser and the Python reference test the same numbers. (Not
# more: a simple fraction such as 66.666667 printed to six decimals is what the release scan
# looks for as a hidden value, and a small published cell can share it with a hidden one.)
DIGITS = 6
ROW_FIELDS = ("estimate", "ci_low", "ci_high", "n_eff", "sd", "skew", "kurt")


def _number(value: float):
    return None if value != value or math.isinf(value) else float(f"{value:.{DIGITS}g}")


def compare_row(record: Record) -> dict:
    """One var of one unit as the page reads it; a hidden cell keeps only its status."""
    if record.status in SUPPRESSED or record.estimate != record.estimate:
        return {"status": "suppressed"}
    row = {"status": record.status}
    row.update({field: _number(getattr(record, field)) for field in ROW_FIELDS if getattr(record, field) == getattr(record, field)})
    if record.verdict:
        row["verdict"] = record.verdict
    return row


def _unit(ctx: SiteContext, key: UnitKey, name: str) -> dict:
    records = ctx.inputs.index.get(key, {})
    return {"name": name, "rows": {var: compare_row(r) for var, r in records.items() if not var.endswith("__trend")}}


def _file(units: dict) -> str:
    return json.dumps({"units": units}, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def compare_pages(ctx: SiteContext) -> list[Page]:
    """The compare page and every data file, as specs for the one render loop."""
    inputs, w = ctx.inputs, ctx.w
    questionnaire = inputs.questionnaire
    national = inputs.index.get(UnitKey("national"), {})
    themes, variables = [], {}
    for theme in questionnaire.themes:
        vars_ = ([theme.id] if theme.id in national else []) + [i.id for i in questionnaire.items_of(theme.id)
                                                                   if i.measure != "mean" and i.id in national]
        if vars_:
            themes.append({"id": theme.id, "name": theme.name, "vars": vars_})
        if theme.id in national:
            variables[theme.id] = {"text": w["theme_score"], "measure": "mean", "direction": "higher_better", "note": ""}
    for item in questionnaire.items:
        variables[item.id] = {"text": item.text, "measure": item.measure, "direction": item.direction,
                              "note": question_note(item, w)}
    marks = [i.id for i in questionnaire.items if i.measure == "mean" and i.id in national]
    here = f"{DATA}/eenheden.json"
    domains_of = {inst.id: [d.id for d in ctx.domains if UnitKey("institution_domain", inst.id, d.id) in inputs.index]
                  for inst in ctx.institutions}
    index = {
        "edition": inputs.config.edition,
        "confidence": ctx.confidence,
        "thresholds": {"alpha": inputs.config.thresholds.alpha, "min_difference_pct": inputs.config.thresholds.min_difference_pct,
                       "min_effect_size_mean": inputs.config.thresholds.min_effect_size_mean,
                       "multiple_testing": inputs.config.thresholds.multiple_testing},
        "institutions": [{"id": u.id, "name": u.name, "place": u.place, "url": relative_url(COMPARE_PAGE, institution_path(u)),
                          "file": f"{u.id}.json", "domains": domains_of[u.id]} for u in ctx.institutions],
        "domains": [{"id": d.id, "name": d.name, "url": relative_url(COMPARE_PAGE, domain_path(d)), "file": f"{d.id}.json"}
                    for d in ctx.domains],
        "national_file": "landelijk.json",
        "marks": marks,
        "themes": themes,
        "vars": variables,
        "words": {**w["verdict"], "suppressed": w["suppressed"], "indicative": w["indicative"]},
    }
    pages = [Page(COMPARE_PAGE, "vergelijk.md.j2", w["nav"]["vergelijk"], data={"index": here}, hide=("toc",)),
             _json_page(here, json.dumps(index, ensure_ascii=False, separators=(",", ":"))),
             _json_page(f"{DATA}/landelijk.json", _file({UnitKey("national").attr: _unit(ctx, UnitKey("national"), w["nav"]["landelijk"])}))]
    for inst in ctx.institutions:
        key = UnitKey("institution", inst.id)
        pages.append(_json_page(f"{DATA}/{inst.id}.json", _file({key.attr: _unit(ctx, key, inst.name)})))
    for dom in ctx.domains:
        key = UnitKey("domain", None, dom.id)
        pages.append(_json_page(f"{DATA}/{dom.id}.json", _file({key.attr: _unit(ctx, key, dom.name)})))
        for inst in ctx.institutions:
            key = UnitKey("institution_domain", inst.id, dom.id)
            if key in inputs.index:
                pages.append(_json_page(f"{DATA}/{inst.id}-{dom.id}.json", _file({key.attr: _unit(ctx, key, inst.name)})))
    return pages


def _json_page(path: str, text: str) -> Page:
    return Page(path, "_data.json.j2", "", data={"text": text})
