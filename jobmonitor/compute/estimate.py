"""Estimate stage: weighted estimates and confidence intervals from the unit sums.

Formulas are DESIGN.md's "Statistics": Wilson intervals for percentages, t intervals for
means, both at Kish's effective n. Tests and markers come later (`significance`), after
disclosure has decided what is published.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats as sps

from jobmonitor.codebook import PCT_MEASURES
from jobmonitor.results import ANSWER_CODES
from jobmonitor.config import Confidence



def effective_n(sw: np.ndarray, sw2: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(sw2 > 0, sw * sw / np.where(sw2 > 0, sw2, 1), np.nan)


def wilson_interval(p: np.ndarray, n: np.ndarray, z: float) -> tuple[np.ndarray, np.ndarray]:
    with np.errstate(invalid="ignore", divide="ignore"):
        denom = 1 + z * z / n
        centre = (p + z * z / (2 * n)) / denom
        half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return centre - half, centre + half


def weighted_mean_variance(sw, swx, swx2, n_eff) -> tuple[np.ndarray, np.ndarray]:
    """Weighted mean and the variance s² with the n_eff/(n_eff − 1) correction."""
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = swx / sw
        raw = np.maximum(swx2 / sw - mean * mean, 0.0)
        var = np.where(n_eff > 1, raw * n_eff / (n_eff - 1), np.nan)
    return mean, var


def mean_interval(mean, var, n_eff, alpha: float, n_interval=None) -> tuple[np.ndarray, np.ndarray]:
    """x̄ ± t(n_eff − 1) · s / √n; n is n_eff, or the finite-population n_eff when given."""
    n_interval = n_eff if n_interval is None else n_interval
    with np.errstate(invalid="ignore", divide="ignore"):
        df = np.where(n_eff > 1, n_eff - 1, np.nan)
        half = sps.t.ppf(1 - alpha / 2, df) * np.sqrt(var / n_interval)
    return mean - half, mean + half


def finite_population_n(n_eff: np.ndarray, n: np.ndarray, population: np.ndarray | None) -> np.ndarray:
    """The effective n the intervals use: n_eff · (N − 1)/(N − n) where the unit's population N
    is known, the correction JOB's required-response formula assumes (a unit that answered in
    full has no sampling error). Tests do not use it: they ask whether the unit differs, not
    about this year's students only."""
    if population is None:
        return n_eff
    big_n = np.asarray(population, dtype="float64")
    known = np.isfinite(big_n) & (big_n > 1) & (big_n >= n)
    with np.errstate(invalid="ignore", divide="ignore"):
        factor = np.where(big_n > n, (big_n - 1) / (big_n - n), np.inf)
    return np.where(known, n_eff * factor, n_eff)


def unit_population(sums: pd.DataFrame, population: pd.DataFrame) -> np.ndarray:
    """Population N of each row's unit (national, institution, domain, institution × domain)."""
    pop = population.assign(institution_id=population["institution_id"].astype("string"),
                            domain_id=population["domain_id"].astype("string"))
    cell = pop.groupby(["institution_id", "domain_id"])["population"].sum()
    lookups = {
        "institution": (pop.groupby("institution_id")["population"].sum(), ["institution_id"]),
        "domain": (pop.groupby("domain_id")["population"].sum(), ["domain_id"]),
        "institution_domain": (cell, ["institution_id", "domain_id"]),
    }
    out = np.full(len(sums), float(pop["population"].sum()))
    level = sums["level"].to_numpy()
    for name, (series, keys) in lookups.items():
        rows = level == name
        index = pd.MultiIndex.from_frame(sums.loc[rows, keys].astype("string")) if len(keys) > 1 \
            else sums.loc[rows, keys[0]].astype("string")
        out[rows] = series.reindex(index).to_numpy("float64")
    return out


def shape_moments(sums: pd.DataFrame, mean: np.ndarray, n_eff: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Weighted skewness and excess kurtosis, bias-adjusted at n_eff (G1, G2): what the means'
    test needs to hold its level with skewed answers; NaN where there are too few."""
    if "swx3" not in sums:
        nan = np.full(len(sums), np.nan)
        return nan, nan
    sw, swx2, swx3, swx4 = (sums[c].to_numpy("float64") for c in ("sw", "swx2", "swx3", "swx4"))
    with np.errstate(invalid="ignore", divide="ignore"):
        e2, e3, e4 = swx2 / sw, swx3 / sw, swx4 / sw
        m2 = e2 - mean ** 2
        m3 = e3 - 3 * mean * e2 + 2 * mean ** 3
        m4 = e4 - 4 * mean * e3 + 6 * mean ** 2 * e2 - 3 * mean ** 4
        g1, g2 = m3 / m2 ** 1.5, m4 / m2 ** 2 - 3
        n = n_eff
        skew = g1 * np.sqrt(n * (n - 1)) / (n - 2)
        kurt = ((n + 1) * g2 + 6) * (n - 1) / ((n - 2) * (n - 3))
    ok = (n > 3) & (m2 > 1e-12)
    return np.where(ok, skew, np.nan), np.where(ok, kurt, np.nan)


def answer_distribution(sums: pd.DataFrame) -> pd.DataFrame:
    """Weighted % per answer code (`pct_answer_<code>`): a 5-point item's 1–5 add up to 100
    over its valid answers, as its % positive does (4 + 5), and n.v.t. (9) is the share of
    everyone who answered including n.v.t.; a yes/no item's 0 and 1 add up to 100. Empty for
    other items and for units without valid answers."""
    if "sw_answer_1" not in sums:
        return sums
    weight = {code: sums[f"sw_answer_{code}"].to_numpy("float64") for code in ANSWER_CODES}
    scale5 = sums["measure"].eq("pct_positive").to_numpy()
    yesno = sums["measure"].eq("pct_yes").to_numpy()
    valid = np.where(scale5, sum(weight[c] for c in (1, 2, 3, 4, 5)), weight[0] + weight[1])
    asked = valid + np.where(scale5, weight[9], 0)
    columns = {}
    with np.errstate(invalid="ignore", divide="ignore"):
        for code in ANSWER_CODES:
            belongs = scale5 if code in (2, 3, 4, 5, 9) else (scale5 | yesno) if code == 1 else yesno
            share = 100 * weight[code] / (asked if code == 9 else valid)
            columns[f"pct_answer_{code}"] = np.where(belongs & (valid > 0), share, np.nan)
    return sums.assign(**columns)


def point_estimates(sums: pd.DataFrame, confidence: Confidence, population: np.ndarray | None = None) -> pd.DataFrame:
    """Estimate (0–100 for percentages), interval, n_eff and per-observation variance; with the
    units' population the intervals carry the finite population correction."""
    sw, sw2, swx, swx2 = (sums[c].to_numpy("float64") for c in ("sw", "sw2", "swx", "swx2"))
    n_eff = effective_n(sw, sw2)
    n_interval = finite_population_n(n_eff, sums["n"].to_numpy("float64"), population)
    is_pct = sums["measure"].isin(PCT_MEASURES).to_numpy()
    mean, var = weighted_mean_variance(sw, swx, swx2, n_eff)
    pct_var = mean * (1 - mean)
    with np.errstate(invalid="ignore", divide="ignore"):
        lo_p, hi_p = wilson_interval(mean, n_interval, confidence.z)
    lo_m, hi_m = mean_interval(mean, var, n_eff, confidence.alpha, n_interval)
    scale = np.where(is_pct, 100.0, 1.0)
    skew, kurt = shape_moments(sums, mean, n_eff)
    return answer_distribution(sums).assign(
        skew=skew,
        kurt=kurt,
        n_eff=n_eff,
        estimate=mean * scale,
        ci_low=np.where(is_pct, lo_p, lo_m) * scale,
        ci_high=np.where(is_pct, hi_p, hi_m) * scale,
        var=np.where(is_pct, pct_var, var),
    )
