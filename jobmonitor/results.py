"""The one results table (one row per edition × unit × item/theme) and its published view.

Renderers (pages, charts, downloads) only ever see `published_results()`: suppressed rows keep
their ids and status, and every value column is emptied before anything can print it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

import pandas as pd

from jobmonitor.codebook import Questionnaire
from jobmonitor.config import Config

LEVELS = ("national", "institution", "domain", "institution_domain")
ID_COLUMNS = [
    "edition",
    "level",
    "institution_id",
    "institution",
    "domain_id",
    "domain",
    "item_id",
    "kind",
    "measure",
]
VALUE_COLUMNS = [
    "n",
    "n_eff",
    "estimate",
    "ci_low",
    "ci_high",
    "benchmark",
    "difference",
    "difference_rest",
    "effect_size",
    "p_value",
    "p_adjusted",
    "marker",
    "verdict",
    "previous_estimate",
    "change",
    "change_marker",
    "change_verdict",
    # The spread and shape of a mean (report marks, theme scores; empty for percentages): what a
    # test between two units needs besides the estimate and n_eff (the compare page).
    "sd",
    "skew",
    "kurt",
]
# The answer distribution: weighted % per answer code (see compute.estimate.answer_distribution).
ANSWER_CODES = (0, 1, 2, 3, 4, 5, 9)
ANSWER_COLUMNS = [f"pct_answer_{code}" for code in ANSWER_CODES]
VALUE_COLUMNS += ANSWER_COLUMNS
RESULT_COLUMNS = ID_COLUMNS + VALUE_COLUMNS + ["direction", "status"]
# Internal statuses: why a cell is hidden (primary: too few respondents; secondary: hidden so
# that no primary cell can be derived) is known to the build and its audit log only.
STATUSES = ("published", "indicative", "suppressed_primary", "suppressed_secondary")
# What every public artifact says: one word for every hidden cell. Telling primary from
# complementary cells would publish bounds (n < min_n or n ≥ min_n) that let a linear
# programme recover hidden counts.
PUBLIC_STATUSES = ("published", "indicative", "suppressed")
SUPPRESSED = ("suppressed", "suppressed_primary", "suppressed_secondary")
TEXT_VALUE_COLUMNS = ("marker", "verdict", "change_marker", "change_verdict")


def published_results(results: pd.DataFrame, columns: list[str] = RESULT_COLUMNS) -> pd.DataFrame:
    """The only view renderers may read: hidden rows keep their ids and the one public status
    `suppressed`, nothing else. `columns`: the table's own columns, when they are not the
    results table's (the national data file adds the opleiding and leaves out the changes)."""
    published = results[columns].copy()
    hidden = published["status"].isin(SUPPRESSED)
    published["status"] = published["status"].where(~hidden, "suppressed")
    for column in (c for c in VALUE_COLUMNS if c in published.columns):
        if column in TEXT_VALUE_COLUMNS:
            published[column] = published[column].astype("string").where(~hidden, pd.NA)
        else:
            published[column] = published[column].astype("float64").where(~hidden)
    published["n"] = published["n"].astype("Int64")
    return published


def check_results(results: pd.DataFrame, *, published: bool = False) -> None:
    """The finished table's own invariants, checked before anything is rendered: a failure is a
    bug in the compute stages, so it stops the build and prints the offending rows."""
    from jobmonitor.codebook import PCT_MEASURES  # noqa: PLC0415

    hidden = results["status"].isin(SUPPRESSED)
    shown = results[~hidden & results["estimate"].notna()]
    tolerance = 1e-9
    rules = {
        "ci_low <= estimate <= ci_high": ~((shown["ci_low"] <= shown["estimate"] + tolerance)
                                           & (shown["estimate"] <= shown["ci_high"] + tolerance)),
        "0 <= percentage <= 100": shown["measure"].isin(PCT_MEASURES)
        & ~shown[["estimate", "ci_low", "ci_high"]].apply(lambda c: c.between(-tolerance, 100 + tolerance)).all(axis=1),
        "status is known": ~shown["status"].isin(STATUSES + PUBLIC_STATUSES),
    }
    broken = {rule: shown.index[mask.to_numpy()] for rule, mask in rules.items() if mask.any()}
    values = [c for c in VALUE_COLUMNS if c not in TEXT_VALUE_COLUMNS]
    leaking = results.index[hidden & results[values].notna().any(axis=1)]
    if published and len(leaking):
        broken["no value on a hidden row"] = leaking
    if broken:
        lines = [f"{rule}: {len(rows)} row(s), e.g.\n{results.loc[rows[:5], ID_COLUMNS[1:] + ['estimate', 'ci_low', 'ci_high', 'status']].to_string()}"
                 for rule, rows in broken.items()]
        raise ValueError("the results table breaks its invariants:\n" + "\n".join(lines))


def status_counts(results: pd.DataFrame) -> dict[str, int]:
    """Cells per internal status (build summary and audit log; never published)."""
    counts = results["status"].value_counts()
    return {status: int(counts.get(status, 0)) for status in STATUSES}


def public_status_counts(results: pd.DataFrame) -> dict[str, int]:
    """Cells per public status: what the site, the manifest and the downloads may say."""
    hidden = int(results["status"].isin(SUPPRESSED).sum())
    counts = results["status"].value_counts()
    return {"published": int(counts.get("published", 0)), "indicative": int(counts.get("indicative", 0)),
            "suppressed": hidden}


class UnitKey(NamedTuple):
    """A unit of the results table; `attr` is its `data-unit` attribute on the site, which the
    release scan uses to find the rows of hidden cells."""

    level: str
    institution_id: str | None = None
    domain_id: str | None = None

    @property
    def attr(self) -> str:
        return f"{self.level}|{self.institution_id or ''}|{self.domain_id or ''}"


class Record(NamedTuple):
    """One published row's values as plain Python: floats (NaN when empty) and marker texts
    ('' when empty). A hidden row has its status and nothing else."""

    status: str
    kind: str
    measure: str
    direction: str
    n: float
    n_eff: float
    estimate: float
    ci_low: float
    ci_high: float
    benchmark: float
    difference: float
    difference_rest: float
    effect_size: float
    marker: str
    verdict: str
    previous_estimate: float
    change: float
    change_marker: str
    change_verdict: str
    sd: float = float("nan")
    skew: float = float("nan")
    kurt: float = float("nan")
    # The answer distribution (weighted % per answer code; NaN where the item has none).
    pct_answer_0: float = float("nan")
    pct_answer_1: float = float("nan")
    pct_answer_2: float = float("nan")
    pct_answer_3: float = float("nan")
    pct_answer_4: float = float("nan")
    pct_answer_5: float = float("nan")
    pct_answer_9: float = float("nan")

    def answer_share(self, code: int) -> float:
        return getattr(self, f"pct_answer_{code}")


NUMBER_FIELDS = ("n", "n_eff", "estimate", "ci_low", "ci_high", "benchmark", "difference", "difference_rest", "effect_size",
                 "previous_estimate", "change", "sd", "skew", "kurt", *ANSWER_COLUMNS)


def _ids(frame: pd.DataFrame, column: str) -> list[str | None]:
    return [None if value is pd.NA else value for value in frame[column].astype("string").tolist()]


def _texts(frame: pd.DataFrame, column: str) -> list[str]:
    return frame[column].astype("string").fillna("").str.strip().tolist()


def index_published(published: pd.DataFrame) -> dict[UnitKey, dict[str, Record]]:
    """UnitKey → item id → Record, in one pass over the published view (~200,000 rows)."""
    keys = zip(*(_ids(published, c) for c in ("level", "institution_id", "domain_id", "item_id")))
    nan = [float("nan")] * len(published)
    columns = {c: pd.to_numeric(published[c], errors="coerce").astype("float64").tolist() if c in published else nan
               for c in NUMBER_FIELDS}
    columns.update({c: _texts(published, c) for c in ("status", "kind", "measure", "direction", "marker", "verdict",
                                                      "change_marker", "change_verdict")})
    index: dict[UnitKey, dict[str, Record]] = {}
    for (level, inst, dom, item), values in zip(keys, zip(*(columns[f] for f in Record._fields))):
        index.setdefault(UnitKey(level, inst, dom), {})[item] = Record(*values)
    return index


@dataclass(frozen=True)
class Summary:
    """What the build counted, for the verantwoording, manifest and 'over deze cijfers'."""

    status_counts: dict[str, dict[str, int]]  # edition year → public status → cells
    weighting: dict[str, dict] = field(default_factory=dict)  # edition year → method, efficiency, …
    manifest: dict | None = None  # the build manifest, when the build writes one
    downloads: tuple = ()  # site.downloads.DownloadFile of every file written, in page order
    respondents: int = 0  # national, current edition (far above min_n: public)
    population: int = 0  # national population of the current edition


@dataclass(frozen=True)
class PublishedEdition:
    """One edition as the site may see it: its questionnaire and its published rows."""

    year: int
    questionnaire: Questionnaire
    results: pd.DataFrame  # published_results() rows of this edition

    @cached_property
    def index(self) -> dict[UnitKey, dict[str, Record]]:
        return index_published(self.results)

    @cached_property
    def theme_index(self) -> dict[UnitKey, dict[str, Record]]:
        """The theme rows only: what trend lines read of earlier editions (a third of the rows)."""
        return index_published(self.results[self.results["kind"] == "theme"])


@dataclass(frozen=True)
class SiteInputs:
    """The render contract: everything pages, charts, guides, downloads and reports may read,
    for every edition present (oldest first); deliberately no respondent-level data."""

    config: Config
    editions: tuple[PublishedEdition, ...]
    institutions: pd.DataFrame  # institution_id, name, place
    domains: pd.DataFrame  # domain_id, name
    response: pd.DataFrame  # per institution: institution_id, population, respondents, rate, netto, bruto
    summary: Summary

    @property
    def current(self) -> PublishedEdition:
        return self.editions[-1]

    @property
    def results(self) -> pd.DataFrame:
        return self.current.results

    @property
    def questionnaire(self) -> Questionnaire:
        return self.current.questionnaire

    @property
    def index(self) -> dict[UnitKey, dict[str, Record]]:
        return self.current.index

    def edition(self, year: int) -> PublishedEdition | None:
        return next((e for e in self.editions if e.year == year), None)


def site_inputs_from(config: Config, published: pd.DataFrame, questionnaires: dict[int, Questionnaire],
                institutions: pd.DataFrame, domains: pd.DataFrame, response: pd.DataFrame,
                summary: Summary) -> SiteInputs:
    """The contract from the published view: one PublishedEdition per questionnaire given."""
    editions = tuple(
        PublishedEdition(year, questionnaires[year], published[published["edition"] == year].reset_index(drop=True))
        for year in sorted(questionnaires)
    )
    return SiteInputs(config, editions, institutions, domains, response, summary)
