"""Respondent weights: from the data, or post-stratified to the population.

Post-stratification corrects for cells (e.g. institution × domain × leerweg × gender) that
answered more or less than their share of the population: w = population share ÷ response share.

Weighting groups. A cell is *good* when it has population and at least `min_cell` respondents.
Starting from the first cell variable (the institution), a cell is divided into its sub-cells
(the next variable) only when EVERY sub-cell is good — sub-cells with respondents but no
population, with population but no respondents, or with fewer than `min_cell` respondents all
count. Otherwise the cell is one weighting group, recomputed as a whole: all its respondents get
its own factor. This is "collapse into the coarser cell (drop the last variable, repeatedly)",
decided once, top-down, so a collapsed cell's factor is never mixed with its neighbours' finer
factors (issue 13: mixing over-weighted the coarse cell). The groups partition the respondents
and the population, so for every group Σw = n × its population share.

Edges, decided so that the first variable's (institution's) weight share equals its population
share:
- First-level cells are never merged: their only coarser cell is the whole country, and merging
  would hand one institution's population to another. A small institution keeps its own factor
  (trimming bounds it).
- Population with no respondent at all in its first-level cell (a non-participating
  institution) has nobody to stand for it and is left out: shares are of the population that is
  represented. Deeper down, population without respondents is carried by the collapsed group.
- Respondents of a first-level cell without any population cannot be post-stratified; they keep
  weight 1 (they stand for themselves) and the other groups share the rest, so Σw = n.

Trimming then cuts weights above `trim_factor` × median and rescales all weights so Σw = n:
it trades a little bias (trimmed groups are under-represented) for less variance.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import pandas as pd

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WeightingReport:
    """What the weighting did, for the build log and the methods page (zeros: nothing done)."""

    groups: int = 0  # weighting groups used
    collapsed_cells: int = 0  # finest cells (with respondents or population) weighted at a coarser level
    collapsed_respondents: int = 0  # respondents in those cells
    unmatched_respondents: int = 0  # respondents of first-level cells without population (weight 1)
    unrepresented_population: float = 0.0  # population of first-level cells without respondents
    trimmed_respondents: int = 0
    max_weight_before: float = 0.0  # before trimming
    max_weight_after: float = 0.0


@dataclass(frozen=True)
class WeightingGroups:
    """Every respondent and population row labelled with its weighting group (codes 0..G-1)."""

    respondent: np.ndarray  # group per respondent
    population: np.ndarray  # group per population row
    count: np.ndarray  # population count per population row
    level: np.ndarray  # per group: how many cell variables define it
    finest: np.ndarray  # finest cell per respondent, then per population row
    depth: int  # number of cell variables


def respondent_weights(responses: pd.DataFrame, population: pd.DataFrame, cells: list[str], *,
                       min_cell: int = 5, trim_factor: float = 5.0) -> tuple[np.ndarray, str, WeightingReport]:
    """Weights, where they came from (`provided`: a weight column; `poststratification`) and a
    report of collapsed cells and trimmed weights. Provided weights are used as given."""
    if "weight" in responses.columns:
        return responses["weight"].to_numpy(dtype="float64"), "provided", WeightingReport()
    groups = weighting_groups(responses, population, cells, min_cell=min_cell)
    raw, unmatched, unrepresented = _group_weights(groups, len(responses))
    weights, trimmed = trim_weights(raw, trim_factor)
    collapsed, cells_used = _collapsed(groups)
    report = WeightingReport(
        groups=int(_represented(groups).sum()),
        collapsed_cells=collapsed,
        collapsed_respondents=int((groups.level[groups.respondent] < groups.depth).sum()),
        unmatched_respondents=unmatched,
        unrepresented_population=unrepresented,
        trimmed_respondents=trimmed,
        max_weight_before=float(raw.max(initial=0.0)),
        max_weight_after=float(weights.max(initial=0.0)),
    )
    _log_report(report, cells_used, min_cell, trim_factor)
    return weights, "poststratification", report


def weighting_groups(responses: pd.DataFrame, population: pd.DataFrame, cells: list[str], *,
                     min_cell: int = 5) -> WeightingGroups:
    """The weighting groups (module docstring): cells are formed once, top-down."""
    n = len(responses)
    ids = _cell_ids(responses, population, list(cells))
    count = np.nan_to_num(population["population"].to_numpy(dtype="float64"))
    level = _group_level(ids, n, count, max(int(min_cell), 1))
    stacked = np.stack(ids)
    cell = stacked[level, np.arange(stacked.shape[1])]
    code, _ = pd.factorize(level * (stacked.shape[1] + 1) + cell)
    group_level = np.zeros(code.max(initial=-1) + 1, dtype=np.int64)
    group_level[code] = level
    return WeightingGroups(code[:n], code[n:], count, group_level, ids[-1], len(cells))


def _cell_ids(responses: pd.DataFrame, population: pd.DataFrame, cells: list[str]) -> list[np.ndarray]:
    """Cell codes at every level (0 = all, then the first l variables), over respondents followed
    by population rows. Values are compared as text, so categories and numbers match the CSV."""
    ids = [np.zeros(len(responses) + len(population), dtype=np.int64)]
    for column in cells:
        values = pd.concat([responses[column].astype("string"), population[column].astype("string")],
                           ignore_index=True)
        codes, uniques = pd.factorize(values, use_na_sentinel=False)
        ids.append(pd.factorize(ids[-1] * (len(uniques) + 1) + codes)[0].astype(np.int64))
    return ids


def _group_level(ids: list[np.ndarray], n: int, count: np.ndarray, min_cell: int) -> np.ndarray:
    """Per row, the level of its group: from level 1 down, a cell is divided only while every
    one of its sub-cells is good (population > 0 and ≥ min_cell respondents)."""
    depth = len(ids) - 1
    level = np.full(len(ids[0]), min(depth, 1), dtype=np.int64)
    dividing = np.ones(len(ids[0]), dtype=bool)
    for l in range(1, depth):
        parent, child = ids[l], ids[l + 1]
        size = child.max(initial=-1) + 1
        respondents = np.bincount(child[:n], minlength=size)
        people = np.bincount(child[n:], weights=count, minlength=size)
        bad = (respondents < min_cell) | (people <= 0)
        has_bad = np.zeros(parent.max(initial=-1) + 1, dtype=bool)
        has_bad[parent[bad[child]]] = True
        dividing &= ~has_bad[parent]
        level += dividing
    return level


def _collapsed(groups: WeightingGroups) -> tuple[int, int]:
    """Finest cells (with respondents, or population that is represented) weighted at a coarser
    level, and all such finest cells."""
    group = np.concatenate([groups.respondent, groups.population])
    used = _represented(groups)[group]
    coarse = groups.level[group] < groups.depth
    size = groups.finest.max(initial=-1) + 1
    cells = np.bincount(groups.finest[used], minlength=size) > 0
    collapsed = np.bincount(groups.finest[used & coarse], minlength=size) > 0
    return int(collapsed.sum()), int(cells.sum())


def _represented(groups: WeightingGroups) -> np.ndarray:
    """Per group: does it hold respondents (else its population is left out)."""
    return np.bincount(groups.respondent, minlength=len(groups.level)) > 0


def _group_weights(groups: WeightingGroups, n: int) -> tuple[np.ndarray, int, float]:
    """Population share ÷ response share per group; also the unmatched respondents and the
    unrepresented population (module docstring)."""
    size = len(groups.level)
    respondents = np.bincount(groups.respondent, minlength=size)
    people = np.bincount(groups.population, weights=groups.count, minlength=size)
    matched = (respondents > 0) & (people > 0)
    unmatched = (respondents > 0) & (people <= 0)
    n_unmatched = int(respondents[unmatched].sum())
    factor = np.ones(size)
    if matched.any():
        share = people[matched] / people[matched].sum()
        factor[matched] = share * (n - n_unmatched) / respondents[matched]
    return factor[groups.respondent], n_unmatched, float(people[respondents == 0].sum())


def trim_weights(weights: np.ndarray, trim_factor: float, rounds: int = 20) -> tuple[np.ndarray, int]:
    """Cut weights above trim_factor × median, then rescale all so Σw stays the same; repeat
    (the median moves with the rescaling, so for trim_factor ≥ 2 one round suffices). Returns
    the weights and how many respondents were cut."""
    if trim_factor is None or not np.isfinite(trim_factor) or len(weights) == 0:
        return weights, 0
    if trim_factor < 1:
        raise ValueError(f"trim_factor must be ≥ 1, got {trim_factor}")
    total = weights.sum()
    trimmed = np.zeros(len(weights), dtype=bool)
    for _ in range(rounds):
        cap = trim_factor * np.median(weights)
        over = weights > cap * (1 + 1e-12)
        if not over.any():
            break
        trimmed |= over
        weights = np.minimum(weights, cap)
        weights = weights * (total / weights.sum())
    return weights, int(trimmed.sum())


def _log_report(report: WeightingReport, cells: int, min_cell: int, trim_factor: float) -> None:
    """One warning with the numbers, never a line per respondent."""
    parts = []
    if report.collapsed_cells:
        parts.append(f"{report.collapsed_cells} of {cells} cells ({report.collapsed_respondents} respondents) "
                     f"collapsed into coarser cells (no population, or fewer than {min_cell} respondents)")
    if report.unmatched_respondents:
        parts.append(f"{report.unmatched_respondents} respondents in first-level cells without population keep weight 1")
    if report.unrepresented_population:
        parts.append(f"population {report.unrepresented_population:.0f} in first-level cells without respondents left out")
    if report.trimmed_respondents:
        parts.append(f"{report.trimmed_respondents} weights trimmed to {trim_factor:g} × median "
                     f"(max {report.max_weight_before:.2f} → {report.max_weight_after:.2f})")
    if parts:
        log.warning("weighting: %s; %d groups", "; ".join(parts), report.groups)


def weighting_efficiency(weights: np.ndarray) -> float:
    """Kish efficiency n_eff / n: 1 means weighting costs no precision (design effect 1/eff)."""
    if len(weights) == 0:
        return float("nan")
    return float(weights.sum() ** 2 / (weights**2).sum() / len(weights))


def efficiency_by_group(weights: np.ndarray, codes: np.ndarray, labels: list[str], min_n: int) -> dict[str, float]:
    """Kish efficiency per group (e.g. institution), for groups with at least min_n respondents."""
    size = np.bincount(codes, minlength=len(labels))
    sw = np.bincount(codes, weights, minlength=len(labels))
    sw2 = np.bincount(codes, weights * weights, minlength=len(labels))
    return {
        label: round(float(sw[k] ** 2 / sw2[k] / size[k]), 4)
        for k, label in enumerate(labels)
        if size[k] >= min_n
    }
