"""Wire the compute stages: load → score → aggregate → estimate → disclosure → significance →
the one results table (`jobmonitor.results`).

Each stage is a function of the previous stage's output; this module only passes tables along
and records timings for the build summary.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from jobmonitor.compute.aggregate import aggregate
from jobmonitor.compute.audit import audit_linked, audit_statuses
from jobmonitor.compute.disclosure import LinkedProtection, disclose, disclose_units, respondents_grid, response_table
from jobmonitor.compute.linked import theme_members
from jobmonitor.compute.grid import UnitGrid
from jobmonitor.compute.estimate import point_estimates, unit_population
from jobmonitor.compute.load import Edition, load_edition
from jobmonitor.codebook import (SHARED_SUFFIX, TREND_SUFFIX, Questionnaire, partly_comparable, previous_item_map,
                                 trend_items)
from jobmonitor.compute.score import score_edition
from jobmonitor.compute.significance import significance
from jobmonitor.compute.weights import WeightingReport, efficiency_by_group, weighting_efficiency
from jobmonitor.config import Config
from jobmonitor.results import RESULT_COLUMNS, public_status_counts, status_counts

log = logging.getLogger(__name__)


@dataclass
class Timings:
    seconds: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def stage(self, name: str):
        start = time.perf_counter()
        yield
        self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - start


@dataclass(frozen=True)
class EditionResults:
    edition: Edition
    table: pd.DataFrame  # sums + statistics + status, one row per unit × var
    grid: UnitGrid
    weighting: str  # "provided" or "poststratification"
    weighting_cells: tuple[str, ...]  # the post-stratification cells, when used
    weighting_report: WeightingReport
    weighting_efficiency: float
    efficiency_by_institution: dict[str, float]
    linked: LinkedProtection | None = None  # linked protection: units hidden as a whole, witnesses

    @property
    def units_hidden(self) -> np.ndarray | None:
        """(I+1, D+1): units hidden as a whole (linked protection)."""
        return None if self.linked is None else self.linked.units


@dataclass(frozen=True)
class Computed:
    current: EditionResults
    previous: EditionResults | None
    results: pd.DataFrame  # RESULT_COLUMNS, every edition
    response: pd.DataFrame  # response per institution (current edition)
    absent: tuple[str, ...] = ()  # institutions and domains with respondents before and none now
    earlier: tuple[EditionResults, ...] = ()  # editions before the previous one, oldest first

    @property
    def parts(self) -> tuple[EditionResults, ...]:
        """Every edition, oldest first."""
        return self.earlier + ((self.previous,) if self.previous else ()) + (self.current,)


def compute_edition(edition: Edition, config: Config, timings: Timings,
                    extra: dict[str, list[str]] | None = None) -> EditionResults:
    """One edition from respondents to a disclosed table; markers come with `significance`.
    `extra`: theme scores on a subset of items (var id → item ids; `score_edition`)."""
    thresholds = config.thresholds
    with timings.stage("score"):
        scores = score_edition(edition, config.weighting, extra)
    with timings.stage("aggregate"):
        sums = aggregate(scores, edition.answers, [item.scale for item in edition.questionnaire.items])
    with timings.stage("estimate"):
        estimates = point_estimates(sums, thresholds.confidence, unit_population(sums, edition.population))
    with timings.stage("disclosure"):
        grid = UnitGrid.from_sums(sums, scores.institution_ids, scores.domain_ids)
        linked = None
        if thresholds.protect_linked:
            disclosed, linked = disclose_units(estimates, grid, edition.population, thresholds.min_n,
                                              respondents_grid(edition.responses, grid),
                                              theme_members(edition.questionnaire, extra or {}))
        else:
            disclosed = disclose(estimates, grid, edition.population, thresholds.min_n)
    by_institution = efficiency_by_group(scores.weights, scores.institution_code, scores.institution_ids, thresholds.min_n)
    cells = tuple(config.weighting.cells) if scores.weighting == "poststratification" else ()
    return EditionResults(edition, disclosed, grid, scores.weighting, cells, scores.weighting_report,
                          weighting_efficiency(scores.weights), by_institution, linked)


def name_units(table: pd.DataFrame, edition: Edition) -> pd.DataFrame:
    """Names beside the ids, and a mean's spread and shape as published columns."""
    inst_names = edition.institutions.set_index("institution_id")["name"]
    dom_names = edition.domains.set_index("domain_id")["name"]
    is_mean = (table["measure"] == "mean").to_numpy()
    return table.assign(
        sd=np.where(is_mean, np.sqrt(table["var"].to_numpy("float64")), np.nan),
        skew=np.where(is_mean, table["skew"], np.nan),
        kurt=np.where(is_mean, table["kurt"], np.nan),
        institution=table["institution_id"].map(inst_names).astype("string"),
        domain=table["domain_id"].map(dom_names).astype("string"),
    )


def compute(config: Config, timings: Timings | None = None) -> Computed:
    """The whole compute side, stage by stage: every edition, the current one's markers and
    changes since the previous one, and the one results table."""
    timings = timings or Timings()
    with timings.stage("load"):
        editions = [load_edition(config.edition_dir(year), year) for year in sorted(config.previous_editions)]
        editions.append(load_edition(config.edition_dir(config.edition), config.edition))
    edition, previous_edition = editions[-1], (editions[-2] if len(editions) > 1 else None)
    extra = extra_scores([e.questionnaire for e in editions])
    parts = [compute_edition(e, config, timings, extra[e.year]) for e in editions]
    # Earlier editions' answers are summed now; only the current edition's stay (~140 MB each
    # at national scale; the institution reports break the current edition down further).
    # (A new empty array: a slice would keep the whole matrix alive.)
    parts = [dataclasses.replace(p, edition=dataclasses.replace(p.edition, answers=np.empty((0, p.edition.answers.shape[1]), "float32")))
             for p in parts[:-1]] + parts[-1:]
    current, previous = parts[-1], (parts[-2] if len(parts) > 1 else None)
    with timings.stage("significance"):
        mapping = previous_item_map(edition.questionnaire, previous_edition.questionnaire) if previous else {}
        current = dataclasses.replace(current, table=significance(
            current.table, previous.table if previous else None, mapping, config.thresholds))
        before = [dataclasses.replace(p, table=significance(p.table, None, {}, config.thresholds)) for p in parts[:-1]]
    parts = before + [current]
    tables = [name_units(part.table, part.edition) for part in reversed(parts)]
    results = pd.concat(tables, ignore_index=True)[RESULT_COLUMNS]
    forced = None if current.units_hidden is None else current.units_hidden[:-1, -1]
    response = response_table(edition.responses, edition.population, edition.institutions, config.thresholds.min_n, forced)
    return Computed(current, parts[-2] if len(parts) > 1 else None, results, response,
                    absent_units(edition, previous_edition), tuple(parts[:-2]))


def extra_scores(questionnaires: list[Questionnaire]) -> dict[int, dict[str, list[str]]]:
    """Per edition (oldest first in `questionnaires`), the theme scores on a subset of items it
    needs: `<theme>__shared` in the current and previous edition for a theme comparable only in
    part, `<theme>__trend` in every edition for a trend line over the chain-comparable items."""
    extra: dict[int, dict[str, list[str]]] = {q.edition: {} for q in questionnaires}
    if len(questionnaires) > 1:
        current, previous = questionnaires[-1], questionnaires[-2]
        for theme, pairs in partly_comparable(current, previous).items():
            extra[current.edition][theme + SHARED_SUFFIX] = [c for c, _ in pairs]
            extra[previous.edition][theme + SHARED_SUFFIX] = [p for _, p in pairs]
    for var, per_year in trend_items(questionnaires).values():
        if var.endswith(TREND_SUFFIX):
            for year, ids in per_year.items():
                extra[year][var] = ids
    return extra


def absent_units(edition: Edition, previous: Edition | None) -> tuple[str, ...]:
    """Institution and domain ids that had respondents in the previous edition and have none
    in this one: a sign of a missing delivery rather than of a real change."""
    if previous is None:
        return ()
    absent = []
    for column in ("institution_id", "domain_id"):
        before = set(previous.responses[column].dropna().astype(str))
        now = set(edition.responses[column].dropna().astype(str))
        absent += sorted(before - now)
    if absent:
        log.warning("no respondents this edition for %s, which had respondents in %d", ", ".join(absent), previous.year)
    return tuple(absent)


def audit_computed(computed: Computed, min_n: int) -> list[str]:
    """The audit over every edition in the results table: per var, and with linked protection
    against the linked attacker too."""
    findings = []
    extra = extra_scores([part.edition.questionnaire for part in computed.parts])
    for part in computed.parts:
        findings += audit_statuses(part.table, part.table["status"], part.grid, min_n)
        if part.linked is not None:
            findings += audit_linked(part.table, part.grid, part.edition.responses, part.edition.questionnaire,
                                     extra[part.edition.year], part.linked, min_n)
    return findings


def summary_counts(computed: Computed, public: bool = False) -> dict[str, dict[str, int]]:
    """Cells per status and edition: internal (build summary) or public (site, manifest)."""
    count = public_status_counts if public else status_counts
    return {str(year): count(part) for year, part in computed.results.groupby("edition")}
