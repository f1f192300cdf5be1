"""Estimates, intervals, benchmark tests, multiple-testing adjustment and markers, on arrays.

Formulas are DESIGN.md's "Statistics": Wilson intervals and z tests for percentages, t
intervals and Welch tests for means, all at Kish's effective n; a unit is tested against the
rest of its benchmark group so the two samples are independent.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats as sps

PCT_MEASURES = ("pct_positive", "pct_yes")
UNIT_KEYS = ["edition", "level", "institution_id", "domain_id"]
# Relative slack when comparing a difference with the minimum relevant difference, so that a
# difference of exactly 5.0 points computed as 4.999999999 still counts as 5.
RELEVANCE_SLACK = 1e-9


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


def mean_interval(mean, var, n_eff, alpha: float) -> tuple[np.ndarray, np.ndarray]:
    with np.errstate(invalid="ignore", divide="ignore"):
        df = np.where(n_eff > 1, n_eff - 1, np.nan)
        half = sps.t.ppf(1 - alpha / 2, df) * np.sqrt(var / n_eff)
    return mean - half, mean + half


def point_estimates(sums: pd.DataFrame, alpha: float) -> pd.DataFrame:
    """Estimate (0–100 for percentages), interval, n_eff and per-observation variance."""
    sw, sw2, swx, swx2 = (sums[c].to_numpy("float64") for c in ("sw", "sw2", "swx", "swx2"))
    n_eff = effective_n(sw, sw2)
    is_pct = sums["measure"].isin(PCT_MEASURES).to_numpy()
    mean, var = weighted_mean_variance(sw, swx, swx2, n_eff)
    pct_var = mean * (1 - mean)
    z = sps.norm.ppf(1 - alpha / 2)
    lo_p, hi_p = wilson_interval(mean, n_eff, z)
    lo_m, hi_m = mean_interval(mean, var, n_eff, alpha)
    scale = np.where(is_pct, 100.0, 1.0)
    return sums.assign(
        n_eff=n_eff,
        estimate=mean * scale,
        ci_low=np.where(is_pct, lo_p, lo_m) * scale,
        ci_high=np.where(is_pct, hi_p, hi_m) * scale,
        var=np.where(is_pct, pct_var, var),
    )


def two_sample_p(est1, var1, n1, est2, var2, n2, is_pct) -> np.ndarray:
    """Two-sided p: unpooled z for percentages, Welch t for means; estimates on 0–1 / raw scale."""
    est1, var1, n1, est2, var2, n2 = (np.asarray(a, dtype="float64") for a in (est1, var1, n1, est2, var2, n2))
    with np.errstate(invalid="ignore", divide="ignore"):
        v1, v2 = var1 / n1, var2 / n2
        se = np.sqrt(v1 + v2)
        diff = est1 - est2
        stat = diff / se
        df = (v1 + v2) ** 2 / (v1 * v1 / (n1 - 1) + v2 * v2 / (n2 - 1))
        p_z = 2 * sps.norm.sf(np.abs(stat))
        p_t = 2 * sps.t.sf(np.abs(stat), df)
        p = np.where(is_pct, p_z, p_t)
        # Zero variance on both sides: identical estimates differ with certainty 0, others with 1.
        degenerate = (se == 0) & np.isfinite(diff)
        p = np.where(degenerate, np.where(diff == 0, 1.0, 0.0), p)
        valid = (n1 > 0) & (n2 > 0) & np.isfinite(var1) & np.isfinite(var2)
        valid &= np.where(is_pct, True, (n1 > 1) & (n2 > 1))
    return np.where(valid, p, np.nan)


def benchmark_groups(table: pd.DataFrame) -> pd.DataFrame:
    """For each row, the key of its benchmark group: national for institutions and domains,
    the domain for an institution × domain cell; national rows have none."""
    level = table["level"]
    return pd.DataFrame(
        {
            "group_level": np.where(level == "institution_domain", "domain", "national"),
            "group_domain": table["domain_id"].where(level == "institution_domain"),
            "has_group": (level != "national").to_numpy(),
        },
        index=table.index,
    )


def compare_with_benchmark(table: pd.DataFrame) -> pd.DataFrame:
    """Add benchmark, difference and the p-value of unit vs the rest of its group."""
    groups = benchmark_groups(table)
    group_rows = table[["edition", "level", "domain_id", "item_id", "n", "sw", "sw2", "swx", "swx2", "estimate"]]
    merged = (
        pd.concat([table[["edition", "item_id"]], groups], axis=1)
        .merge(
            group_rows.rename(columns=lambda c: f"g_{c}"),
            how="left",
            left_on=["edition", "group_level", "group_domain", "item_id"],
            right_on=["g_edition", "g_level", "g_domain_id", "g_item_id"],
        )
    )
    merged.index = table.index
    valid = groups["has_group"].to_numpy()
    rest = {c: (merged[f"g_{c}"].to_numpy("float64") - table[c].to_numpy("float64")) for c in ("sw", "sw2", "swx", "swx2")}
    rest_n_eff = effective_n(rest["sw"], rest["sw2"])
    rest_mean, rest_var = weighted_mean_variance(rest["sw"], rest["swx"], rest["swx2"], rest_n_eff)
    is_pct = table["measure"].isin(PCT_MEASURES).to_numpy()
    scale = np.where(is_pct, 100.0, 1.0)
    rest_var = np.where(is_pct, rest_mean * (1 - rest_mean), rest_var)
    # Rounding can leave a sliver of weight in an empty rest group; treat it as empty.
    rest_empty = (merged["g_n"].to_numpy("float64") - table["n"].to_numpy("float64")) <= 0
    p = two_sample_p(table["estimate"].to_numpy() / scale, table["var"].to_numpy(), table["n_eff"].to_numpy(),
                     rest_mean, rest_var, np.where(rest_empty, 0, rest_n_eff), is_pct)
    benchmark = np.where(valid, merged["g_estimate"].to_numpy("float64"), np.nan)
    return table.assign(
        benchmark=benchmark,
        difference=table["estimate"].to_numpy() - benchmark,
        p_value=np.where(valid & ~rest_empty, p, np.nan),
    )


def adjust_pvalues(p: pd.Series, families: list[pd.Series], method: str) -> pd.Series:
    """Benjamini–Hochberg or Holm within each family; NaN p-values are not tests."""
    if method == "none":
        return p.copy()
    frame = pd.DataFrame({"p": p}).assign(**{f"f{k}": f.fillna("") for k, f in enumerate(families)})
    frame = frame[frame["p"].notna()]
    keys = [f"f{k}" for k in range(len(families))]
    frame = frame.sort_values(keys + ["p"], kind="stable")
    grouped = frame.groupby(keys, sort=False)["p"]
    m = grouped.transform("size").to_numpy("float64")
    rank = grouped.cumcount().to_numpy("float64") + 1
    values = frame["p"].to_numpy("float64")
    if method == "bh":
        scaled = pd.Series(values * m / rank, index=frame.index)
        # Step-up: the adjusted value is the running minimum from the largest p downwards.
        adjusted = scaled[::-1].groupby([frame[k][::-1] for k in keys], sort=False).cummin()[::-1]
    elif method == "holm":
        scaled = pd.Series(values * (m - rank + 1), index=frame.index)
        adjusted = scaled.groupby([frame[k] for k in keys], sort=False).cummax()
    else:
        raise ValueError(f"unknown multiple-testing method {method!r}")
    return adjusted.clip(upper=1.0).reindex(p.index)


def markers(difference: np.ndarray, p_adjusted: np.ndarray, is_pct: np.ndarray, thresholds, signs=("+", "-")) -> np.ndarray:
    """A marker only when significant after adjustment AND at least the relevant difference."""
    relevant = np.where(is_pct, thresholds.min_difference_pct, thresholds.min_difference_mean)
    with np.errstate(invalid="ignore"):
        significant = (p_adjusted < thresholds.alpha) & (np.abs(difference) >= relevant * (1 - RELEVANCE_SLACK))
    return np.where(significant & (difference > 0), signs[0], np.where(significant & (difference < 0), signs[1], ""))
