"""Wire the compute stages: load → score → aggregate → stats → disclosure → results table.

Each stage is a function of the previous stage's output; this module only passes tables along
and records timings for the build summary.
"""

from __future__ import annotations

import dataclasses
import time
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from jobmonitor.compute.aggregate import aggregate
from jobmonitor.config import Config
from jobmonitor.compute.disclosure import (
    UnitGrid,
    assign_status,
    audit_statuses,
    protect_table,
    required_bruto,
    required_netto,
)
from jobmonitor.compute.load import Edition, load_edition
from jobmonitor.compute.previous import add_changes, previous_item_map
from jobmonitor.results import RESULT_COLUMNS, SUPPRESSED, status_counts
from jobmonitor.compute.score import score_edition
from jobmonitor.compute.stats import PCT_MEASURES, adjust_pvalues, compare_with_benchmark, markers, point_estimates
from jobmonitor.compute.weights import efficiency_by_group, weighting_efficiency


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
    weighting: str
    weighting_efficiency: float
    efficiency_by_institution: dict[str, float]


@dataclass(frozen=True)
class Computed:
    current: EditionResults
    previous: EditionResults | None
    results: pd.DataFrame  # RESULT_COLUMNS, both editions
    response: pd.DataFrame  # response per institution (current edition)


def population_grid(population: pd.DataFrame, grid: UnitGrid) -> np.ndarray:
    """Population per unit position, with institution, domain and national totals."""
    per_cell = population.groupby(["institution_id", "domain_id"], observed=True)["population"].sum().reset_index()
    out = np.zeros(grid.present.shape, dtype="int64")
    rows, cols = grid.positions(per_cell)
    np.add.at(out, (rows, cols), per_cell["population"].to_numpy())
    out[-1, :-1] = out[:-1, :-1].sum(axis=0)
    out[:-1, -1] = out[:-1, :-1].sum(axis=1)
    out[-1, -1] = out[:-1, :-1].sum()
    return out


def benchmark_suppressed(table: pd.DataFrame) -> np.ndarray:
    """True where the row's benchmark unit is hidden: its figure must not leak as a benchmark.
    Cells compare with their domain, every other level with the national figure."""
    level = table["level"].to_numpy()
    hidden = table["status"].isin(SUPPRESSED).to_numpy()
    item = table["item_id"].astype("category").cat.codes.to_numpy().astype("int64")
    domain = table["domain_id"].astype("category").cat.codes.to_numpy().astype("int64")  # −1: none
    domain_item = (domain + 1) * (item.max(initial=0) + 1) + item
    national_hidden = np.unique(item[hidden & (level == "national")])
    domain_hidden = np.unique(domain_item[hidden & (level == "domain")])
    return np.where(level == "institution_domain", np.isin(domain_item, domain_hidden), np.isin(item, national_hidden))


def compute_edition(edition: Edition, config: Config, timings: Timings) -> EditionResults:
    thresholds = config.thresholds
    with timings.stage("score"):
        scores = score_edition(edition, config.weighting.cells)
    with timings.stage("aggregate"):
        sums = aggregate(scores)
    with timings.stage("stats"):
        table = compare_with_benchmark(point_estimates(sums, thresholds.alpha))
    with timings.stage("disclosure"):
        grid = UnitGrid.from_sums(sums, scores.institution_ids, scores.domain_ids)
        table["status"] = assign_status(table, grid, population_grid(edition.population, grid), thresholds.min_n)
    with timings.stage("stats"):
        table = _apply_markers(table, thresholds)
    by_institution = efficiency_by_group(scores.weights, scores.institution_code, scores.institution_ids, thresholds.min_n)
    return EditionResults(edition, table, grid, scores.weighting, weighting_efficiency(scores.weights), by_institution)


def _apply_markers(table: pd.DataFrame, thresholds) -> pd.DataFrame:
    """Adjust p-values within each unit's published items, then mark relevant differences."""
    blank = benchmark_suppressed(table) | table["status"].isin(SUPPRESSED).to_numpy()
    table = table.assign(
        benchmark=np.where(blank, np.nan, table["benchmark"]),
        difference=np.where(blank, np.nan, table["difference"]),
        p_value=np.where(blank, np.nan, table["p_value"]),
    )
    families = [table[k].astype("string") for k in ("level", "institution_id", "domain_id", "kind")]
    adjusted = adjust_pvalues(table["p_value"], families, thresholds.multiple_testing)
    is_pct = table["measure"].isin(PCT_MEASURES).to_numpy()
    return table.assign(
        p_adjusted=adjusted.to_numpy(),
        marker=markers(table["difference"].to_numpy(), adjusted.to_numpy(), is_pct, thresholds),
    )


def response_table(edition: Edition, min_n: int) -> pd.DataFrame:
    """Per institution: population, respondents, response rate, required netto and bruto;
    an institution below min_n respondents shows neither its count nor its rate."""
    population = edition.population.groupby("institution_id", observed=True)["population"].sum()
    respondents = edition.responses.groupby("institution_id", observed=True).size()
    frame = pd.DataFrame({"population": population, "respondents": respondents}).fillna(0).astype("int64")
    frame = frame.reindex(edition.institutions["institution_id"]).fillna(0).astype("int64")
    frame["rate"] = np.where(frame["population"] > 0, 100 * frame["respondents"] / frame["population"].clip(lower=1), np.nan)
    frame["netto"] = required_netto(frame["population"].to_numpy())
    frame["bruto"] = required_bruto(frame["netto"].to_numpy())
    frame = frame.rename_axis("institution_id").reset_index()
    too_few = hidden_institutions(frame["respondents"].to_numpy(), min_n)
    frame["respondents"] = frame["respondents"].astype("Int64").mask(too_few)
    frame["rate"] = frame["rate"].mask(too_few)
    return frame


def hidden_institutions(respondents: np.ndarray, min_n: int) -> np.ndarray:
    """Institutions whose respondent count stays hidden: below min_n, plus complementary ones
    so that no hidden count follows from the national total (a one-column table)."""
    n = np.zeros((len(respondents) + 1, 2), dtype="int64")
    n[:-1, 0] = n[:-1, 1] = respondents
    n[-1, :] = respondents.sum()
    return protect_table(n, n > 0, min_n)[:-1, 0]


def name_units(table: pd.DataFrame, edition: Edition) -> pd.DataFrame:
    inst_names = edition.institutions.set_index("institution_id")["name"]
    dom_names = edition.domains.set_index("domain_id")["name"]
    return table.assign(
        institution=table["institution_id"].map(inst_names).astype("string"),
        domain=table["domain_id"].map(dom_names).astype("string"),
    )


def compute(config: Config, timings: Timings | None = None) -> Computed:
    """The whole compute side: both editions, changes, and the one results table."""
    timings = timings or Timings()
    with timings.stage("load"):
        edition = load_edition(config.edition_dir(config.edition), config.edition)
        previous_edition = None
        if config.previous_edition is not None:
            previous_edition = load_edition(config.edition_dir(config.previous_edition), config.previous_edition)
    current = compute_edition(edition, config, timings)
    previous = compute_edition(previous_edition, config, timings) if previous_edition else None
    with timings.stage("stats"):
        mapping = previous_item_map(edition.questionnaire, previous_edition.questionnaire) if previous else {}
        current_table = add_changes(current.table, previous.table if previous else None, mapping, config.thresholds)
        previous_table = previous.table.assign(previous_estimate=np.nan, change=np.nan, change_marker="") if previous else None
    tables = [name_units(current_table, edition)]
    if previous:
        tables.append(name_units(previous_table, previous_edition))
    results = pd.concat(tables, ignore_index=True)[RESULT_COLUMNS]
    current = dataclasses.replace(current, table=current_table)
    return Computed(current, previous, results, response_table(edition, config.thresholds.min_n))


def audit_computed(computed: Computed, min_n: int) -> list[str]:
    """The algebraic audit over every edition in the results table."""
    findings = []
    for part in (computed.current, computed.previous):
        if part is not None:
            findings += audit_statuses(part.table, part.table["status"], part.grid, min_n)
    return findings


def summary_counts(computed: Computed) -> dict[str, dict[str, int]]:
    return {str(year): status_counts(part) for year, part in computed.results.groupby("edition")}
