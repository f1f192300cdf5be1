"""What one institution report holds, as tables of numbers: its response per domain, its
results beside the national figure and earlier editions (the public site's own published
figures, so report and site never differ), and its breakdown tables. The PDF, XLSX and SAV are
three renderings of these tables.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from jobmonitor.codebook import Questionnaire, TREND_SUFFIX, item_chain, trend_items
from jobmonitor.compute.disclosure import hidden_institutions, required_bruto, required_netto
from jobmonitor.compute.load import Edition
from jobmonitor.reports.breakdown import Breakdown
from jobmonitor.results import ANSWER_COLUMNS
from jobmonitor.site.summary import UnitSummary


@dataclass(frozen=True)
class InstitutionReport:
    institution_id: str
    name: str
    place: str
    edition: int
    years: tuple[int, ...]  # every edition, oldest first
    respondents: int | None  # None: hidden (too few)
    response: pd.DataFrame  # per domain: domain, population, respondents, rate, netto, bruto
    results: pd.DataFrame  # one row per theme/item (`_row`), estimate_<year> per earlier edition; public statuses
    breakdowns: tuple[Breakdown, ...]
    summary: UnitSummary  # the site's own summary of the institution (marks, verdict counts)


def public_hidden_maps(results: pd.DataFrame, edition: int, institution_id: str | None = None) -> tuple[dict, dict]:
    """From the site's results: (domain_id, var) → hidden, and var → the whole hidden; for one
    institution (its domains, itself) or, without one, nationally (the domains, the nation)."""
    rows = results[results["edition"] == edition]
    levels = ("domain", "national")
    if institution_id is not None:
        rows = rows[rows["institution_id"] == institution_id]
        levels = ("institution_domain", "institution")
    hidden = rows["status"].astype(str).str.startswith("suppressed")
    cells = rows["level"] == levels[0]
    per_domain = dict(zip(zip(rows.loc[cells, "domain_id"].astype(str), rows.loc[cells, "item_id"]), hidden[cells]))
    total = rows["level"] == levels[1]
    return per_domain, dict(zip(rows.loc[total, "item_id"], hidden[total]))


def question_texts(questionnaire: Questionnaire) -> dict[str, str]:
    """What a table calls each var: an item's question, a theme's name."""
    return {i.id: i.text for i in questionnaire.items} | {t.id: t.name for t in questionnaire.themes}


def response_by_domain(edition: Edition, institution_id: str, min_n: int,
                       site_hidden: set[str] = frozenset()) -> tuple[pd.DataFrame, int | None]:
    """Population, respondents, rate and JOB's required response per domain of the
    institution; a domain's count hidden like the site hides an institution's (one-column
    protection against the institution total), and wherever the public site hides any figure
    of that institution × domain (`site_hidden`): a count of respondents bounds the site's
    hidden n, so showing it could narrow what the site protects."""
    population = edition.population[edition.population["institution_id"].astype(str) == institution_id]
    per_population = population.groupby(population["domain_id"].astype(str))["population"].sum()
    responses = edition.responses[edition.responses["institution_id"].astype(str) == institution_id]
    respondents = responses.groupby(responses["domain_id"].astype(str)).size()
    frame = pd.DataFrame({"population": per_population, "respondents": respondents}).fillna(0).astype("int64")
    frame = frame[(frame["population"] > 0) | (frame["respondents"] > 0)]
    names = edition.domains.set_index(edition.domains["domain_id"].astype(str))["name"]
    frame = frame.loc[sorted(frame.index, key=lambda d: str(names.get(d, d)))]
    total = int(frame["respondents"].sum())
    counts = frame["respondents"].to_numpy()
    forced = np.isin(frame.index.to_numpy(), list(site_hidden)) & (counts > 0)
    hidden = hidden_institutions(counts, min_n, forced) | (counts == 0)
    rate = np.where(frame["population"] > 0, 100 * frame["respondents"] / frame["population"].clip(lower=1), np.nan)
    netto = required_netto(frame["population"].to_numpy())
    out = pd.DataFrame({
        "domain_id": frame.index, "domain": [str(names.get(d, d)) for d in frame.index],
        "population": frame["population"].to_numpy(),
        "respondents": pd.array(np.where(hidden, 0, frame["respondents"]), dtype="Int64"),
        "rate": np.where(hidden, np.nan, rate), "netto": netto, "bruto": required_bruto(netto),
    })
    out.loc[hidden, "respondents"] = pd.NA
    return out.reset_index(drop=True), (total if total >= min_n else None)


def institution_results(published: pd.DataFrame, institution_id: str, questionnaires: list[Questionnaire]) -> pd.DataFrame:
    """The institution's published figures (`published_results`) per theme and item, in
    questionnaire order, with the national figure, verdicts, the answer distribution and every
    earlier edition's figure of the same (comparable) question."""
    current = questionnaires[-1]
    own = published[(published["level"] == "institution") & (published["institution_id"] == institution_id)]
    by_year = {int(y): part.set_index("item_id") for y, part in own.groupby("edition")}
    now = by_year.get(current.edition, pd.DataFrame())
    trends = trend_items(questionnaires)
    rows = []
    for theme in current.themes:
        trend_var, _ = trends.get(theme.id, (None, {}))
        rows.append(_row(now, theme.id, theme.id, "theme", theme.name, {q.edition: theme.id for q in questionnaires[:-1]}
                         if trend_var == theme.id else {}, by_year))
        if trend_var and trend_var.endswith(TREND_SUFFIX):
            rows.append(_row(now, theme.id, trend_var, "theme_trend", theme.name,
                             {q.edition: trend_var for q in questionnaires[:-1]}, by_year))
        for item in current.items_of(theme.id):
            chain = item_chain(item, questionnaires)
            earlier = {q.edition: chain[len(questionnaires) - 1 - k].id
                       for k, q in enumerate(questionnaires[:-1]) if len(questionnaires) - 1 - k < len(chain)}
            rows.append(_row(now, theme.id, item.id, "item", item.text, earlier, by_year))
    frame = pd.DataFrame(rows)
    for year in (q.edition for q in questionnaires[:-1]):
        frame[f"estimate_{year}"] = frame[f"estimate_{year}"].astype("float64") if f"estimate_{year}" in frame else np.nan
    return frame


def _row(now: pd.DataFrame, theme_id: str, var: str, kind: str, text: str, earlier: dict[int, str],
         by_year: dict[int, pd.DataFrame]) -> dict:
    record = now.loc[var] if var in now.index else None
    get = (lambda c: record[c] if record is not None else np.nan)
    row = {"theme_id": theme_id, "item_id": var, "kind": kind, "text": text,
           "measure": get("measure"), "direction": get("direction"),
           "status": str(get("status")) if record is not None else "absent",
           "n": get("n"), "estimate": get("estimate"), "ci_low": get("ci_low"), "ci_high": get("ci_high"),
           "national": get("benchmark"), "difference": get("difference"), "p_adjusted": get("p_adjusted"),
           "verdict": get("verdict"), "change": get("change"), "change_verdict": get("change_verdict")}
    for year, old in earlier.items():
        table = by_year.get(year)
        row[f"estimate_{year}"] = table.loc[old, "estimate"] if table is not None and old in table.index else np.nan
    row.update({c: get(c) for c in ANSWER_COLUMNS})
    return row
