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


def mean_interval(mean, var, n_eff, alpha: float) -> tuple[np.ndarray, np.ndarray]:
    with np.errstate(invalid="ignore", divide="ignore"):
        df = np.where(n_eff > 1, n_eff - 1, np.nan)
        half = sps.t.ppf(1 - alpha / 2, df) * np.sqrt(var / n_eff)
    return mean - half, mean + half


def point_estimates(sums: pd.DataFrame, confidence: Confidence) -> pd.DataFrame:
    """Estimate (0–100 for percentages), interval, n_eff and per-observation variance."""
    sw, sw2, swx, swx2 = (sums[c].to_numpy("float64") for c in ("sw", "sw2", "swx", "swx2"))
    n_eff = effective_n(sw, sw2)
    is_pct = sums["measure"].isin(PCT_MEASURES).to_numpy()
    mean, var = weighted_mean_variance(sw, swx, swx2, n_eff)
    pct_var = mean * (1 - mean)
    lo_p, hi_p = wilson_interval(mean, n_eff, confidence.z)
    lo_m, hi_m = mean_interval(mean, var, n_eff, confidence.alpha)
    scale = np.where(is_pct, 100.0, 1.0)
    return sums.assign(
        n_eff=n_eff,
        estimate=mean * scale,
        ci_low=np.where(is_pct, lo_p, lo_m) * scale,
        ci_high=np.where(is_pct, hi_p, hi_m) * scale,
        var=np.where(is_pct, pct_var, var),
    )
