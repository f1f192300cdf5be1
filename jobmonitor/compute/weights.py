"""Respondent weights: from the data, or post-stratified to the population.

Post-stratification corrects for cells (e.g. institution × domain × leerweg × gender) that
answered more or less than their share of the population: w = population share ÷ response share.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

log = logging.getLogger(__name__)


def respondent_weights(responses: pd.DataFrame, population: pd.DataFrame, cells: list[str]) -> tuple[np.ndarray, str]:
    """Weights and where they came from: `provided` (a weight column) or `poststratification`."""
    if "weight" in responses.columns:
        return responses["weight"].to_numpy(dtype="float64"), "provided"
    weights = np.full(len(responses), np.nan)
    used = list(cells)
    # Collapse cells from the finest to coarser ones (drop the last variable) where a cell has
    # respondents but no population, so every respondent gets a finite weight.
    while used and np.isnan(weights).any():
        todo = np.isnan(weights)
        weights[todo] = _poststratify(responses, population, used)[todo]
        if np.isnan(weights).any():
            log.warning("weighting: %d respondents in cells without population at %s; collapsing",
                        int(np.isnan(weights).sum()), " × ".join(used))
            used = used[:-1]
    weights[np.isnan(weights)] = 1.0
    return weights, "poststratification"


def _poststratify(responses: pd.DataFrame, population: pd.DataFrame, cells: list[str]) -> np.ndarray:
    keys = pd.MultiIndex.from_frame(responses[cells].astype("string"))
    pop = population.assign(**{c: population[c].astype("string") for c in cells}).groupby(cells)["population"].sum()
    pop_share = pop / pop.sum()
    resp = pd.Series(1, index=keys).groupby(level=list(range(len(cells)))).sum()
    resp_share = resp / resp.sum()
    factor = (pop_share.reindex(resp_share.index) / resp_share).where(lambda s: s > 0)
    return factor.reindex(keys).to_numpy(dtype="float64")


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
