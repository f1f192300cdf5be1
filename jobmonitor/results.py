"""The one results table (one row per edition × unit × item/theme) and its published view.

Renderers (pages, charts, downloads) only ever see `published_results()`: suppressed rows keep
their ids and status, and every value column is emptied before anything can print it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from jobmonitor.codebook import Questionnaire

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
    "p_value",
    "p_adjusted",
    "marker",
    "previous_estimate",
    "change",
    "change_marker",
]
RESULT_COLUMNS = ID_COLUMNS + VALUE_COLUMNS + ["status"]
STATUSES = ("published", "indicative", "suppressed_primary", "suppressed_secondary")
SUPPRESSED = ("suppressed_primary", "suppressed_secondary")
TEXT_VALUE_COLUMNS = ("marker", "change_marker")


def published_results(results: pd.DataFrame) -> pd.DataFrame:
    """The only view renderers may read: suppressed rows keep ids and status, nothing else."""
    published = results[RESULT_COLUMNS].copy()
    hidden = published["status"].isin(SUPPRESSED)
    for column in VALUE_COLUMNS:
        if column in TEXT_VALUE_COLUMNS:
            published[column] = published[column].astype("string").where(~hidden, pd.NA)
        else:
            published[column] = published[column].astype("float64").where(~hidden)
    published["n"] = published["n"].astype("Int64")
    return published


def status_counts(results: pd.DataFrame) -> dict[str, int]:
    counts = results["status"].value_counts()
    return {status: int(counts.get(status, 0)) for status in STATUSES}


@dataclass(frozen=True)
class SiteInputs:
    """Everything the site layer may read; deliberately no respondent-level data."""

    config: object  # jobmonitor.config.Config
    results: pd.DataFrame  # published_results(): current edition rows only
    questionnaire: Questionnaire  # current edition
    previous_questionnaire: Questionnaire | None
    institutions: pd.DataFrame  # institution_id, name, place, slug
    domains: pd.DataFrame  # domain_id, name, slug
    response: pd.DataFrame  # per institution: institution_id, population, respondents, rate, netto, bruto
    summary: dict = field(default_factory=dict)  # counts per status, weighting, timings
