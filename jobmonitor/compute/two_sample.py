"""Two-sample tests and effect sizes for a unit against the rest of its benchmark group, at
Kish's effective n (DESIGN.md, "Statistics"). Pure and vectorised over arrays of rows.

Percentages: pooled (score) z test, or Fisher's exact test where the 2×2 table's smallest
expected cell count is below 10. Never a variance from a group's own p̂: it is 0 at 0 % and
100 %, so a unit with 16 of 16 positive against 736 of 1,000 got p ≈ 0 (5e-80) where Fisher's
two-sided p is 0.017, and that test's size at n_eff 10–40 was 0.06–0.35 instead of 0.05
(tests/test_two_sample.py, bench/null_simulation.py).
Means: Welch t. Effect sizes: Cohen's h and d (pooled SD).
"""

from __future__ import annotations

import numpy as np
from scipy import stats as sps

# Cochran's rule: below this smallest expected cell count the normal approximation is not
# trusted and the test is exact.
EXACT_MIN_EXPECTED = 10.0
# Tables whose null probability is within this relative distance of the observed table's count
# as "as extreme" (R's fisher.test rule; it absorbs rounding in tied probabilities, e.g. the
# mirror image of the observed table when both groups are equally large).
FISHER_RELATIVE_TIE = 1e-7
# Rows × padded support per vectorised Fisher chunk (float64 cells: 2**21 ≈ 16 MB an array).
FISHER_CHUNK_CELLS = 2**21


def _arrays(*args) -> list[np.ndarray]:
    return list(np.broadcast_arrays(*(np.asarray(a, dtype="float64") for a in args)))


def rounded_counts(p: np.ndarray, n: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Whole counts for the exact test: n = round(n_eff), at least 1; x = round(n · p̂).
    Rounding x from the rounded n keeps 0 % at 0 and 100 % at n."""
    whole = np.maximum(np.rint(n), 1.0)
    return np.clip(np.rint(whole * p), 0.0, whole), whole


def needs_exact(x1, n1, x2, n2) -> np.ndarray:
    """True where the smallest expected cell count of the 2×2 table of rounded counts,
    n̄·min(p̄, 1 − p̄) with n̄ the smaller group's n and p̄ = (x1 + x2)/(n1 + n2), is below
    EXACT_MIN_EXPECTED. The smaller group (not always the unit) is what makes a cell small: the
    rest of a domain can be smaller than a unit that dominates it, and a change test compares
    two editions of similar size; it also makes the test symmetric in its two groups."""
    pooled = (x1 + x2) / (n1 + n2)
    return np.minimum(n1, n2) * np.minimum(pooled, 1 - pooled) < EXACT_MIN_EXPECTED


def pooled_z_p(p1, n1, p2, n2) -> np.ndarray:
    """Score test: under H0 both groups share p̄, so the variance uses p̄, never a group's own
    p̂ (0 at 0 % and 100 %). No continuity correction: it only makes the test conservative, and
    the small tables it was meant for go to the exact test."""
    with np.errstate(invalid="ignore", divide="ignore"):
        pooled = (n1 * p1 + n2 * p2) / (n1 + n2)
        se = np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
        return 2 * sps.norm.sf(np.abs(p1 - p2) / se)


def proportion_p(p1, n1, p2, n2) -> np.ndarray:
    """Two-sided p for H0 p1 = p2; shares on the 0–1 scale, n the effective n (float).

    Exact (Fisher, rounded counts) where an expected cell count is below 10, pooled z at n_eff
    otherwise; both hold their level at the unit sizes the site has (n_eff 10–40), which the
    unpooled z did not. Fisher, not mid-p: mid-p's size reached 6–7 % at units of 10–30.
    n ≤ 0, a share outside 0–1 or NaN → NaN; both groups all-no or all-yes → 1."""
    p1, n1, p2, n2 = _arrays(p1, n1, p2, n2)
    valid = (n1 > 0) & (n2 > 0) & (p1 >= 0) & (p1 <= 1) & (p2 >= 0) & (p2 <= 1)  # False for NaN
    x1, w1 = rounded_counts(p1, n1)
    x2, w2 = rounded_counts(p2, n2)
    exact = valid & needs_exact(x1, w1, x2, w2)
    z_rows = valid & ~exact
    out = np.full(p1.shape, np.nan)
    out[z_rows] = pooled_z_p(p1[z_rows], n1[z_rows], p2[z_rows], n2[z_rows])
    out[exact] = fisher_two_sided(x1[exact], w1[exact], x2[exact], w2[exact])
    return out


def fisher_two_sided(x1, n1, x2, n2) -> np.ndarray:
    """Fisher's exact two-sided p of the tables [[x1, n1 − x1], [x2, n2 − x2]]: the null
    probability of all tables with the same margins that are no more likely than the observed
    one. Rows are sorted by support size and done in chunks, each padded to its widest row."""
    x1, n1, x2, n2 = _arrays(x1, n1, x2, n2)
    yes, total = x1 + x2, n1 + n2
    low = np.maximum(0.0, n1 + yes - total)
    width = (np.minimum(n1, yes) - low + 1).astype("int64")
    out = np.empty(x1.shape)
    order = np.argsort(width, kind="stable")
    start = 0
    while start < order.size:
        # Sorted widths: the chunk's widest row is its last; take as many rows as fit the budget.
        fits = np.arange(1, order.size - start + 1) * width[order[start:]] <= FISHER_CHUNK_CELLS
        end = start + max(int(fits.sum()), 1)
        rows = order[start:end]
        out[rows] = _fisher_chunk(x1[rows] - low[rows], low[rows], n1[rows], yes[rows], total[rows], width[rows])
        start = end
    return out


def _fisher_chunk(obs, low, n1, yes, total, width) -> np.ndarray:
    """The hypergeometric log pmf over each row's support, up to a constant, from the ratio
    pmf(x + 1)/pmf(x) = (K − x)(n1 − x) / ((x + 1)(N − K − n1 + x + 1)) accumulated along the
    support: only elementary operations, so it is exact to ~1e-13 and needs no log-gamma of
    national-sized counts. Normalising by the sum over the support removes the constant."""
    steps = np.arange(max(int(width.max()) - 1, 0))
    x = low[:, None] + steps[None, :]
    inside = steps[None, :] < (width - 1)[:, None]
    num = (yes[:, None] - x) * (n1[:, None] - x)
    den = (x + 1) * (total[:, None] - yes[:, None] - n1[:, None] + x + 1)
    ratio = np.log(np.where(inside, num, 1.0) / np.where(inside, den, 1.0))
    logpmf = np.concatenate([np.zeros((len(obs), 1)), np.cumsum(ratio, axis=1)], axis=1)
    support = np.concatenate([np.ones((len(obs), 1), bool), inside], axis=1)
    logpmf = np.where(support, logpmf, -np.inf)
    logpmf -= logpmf.max(axis=1, keepdims=True)
    observed = np.take_along_axis(logpmf, obs.astype("int64")[:, None], axis=1)
    pmf = np.exp(logpmf)
    extreme = logpmf <= observed + np.log1p(FISHER_RELATIVE_TIE)
    return np.minimum((pmf * extreme).sum(axis=1) / pmf.sum(axis=1), 1.0)


def mean_p(m1, v1, n1, m2, v2, n2, skew1=None, kurt1=None) -> np.ndarray:
    """Two-sided Welch t p for H0 mean1 = mean2; v the per-observation variance s² (with the
    n_eff/(n_eff − 1) correction), n the effective n. Welch, not Student: the unit and the rest
    of its group have different variances and very different sizes, where the pooled t is off.
    n ≤ 1 or NaN → NaN. Both variances 0 → 1 if the means are equal, else 0; with n ≥ 2 that
    only happens when every answer in both groups is the same (or every answer in each group
    is the same, then the means simply differ)."""
    m1, v1, n1, m2, v2, n2 = _arrays(m1, v1, n1, m2, v2, n2)
    with np.errstate(invalid="ignore", divide="ignore"):
        a, b = v1 / n1, v2 / n2
        se = np.sqrt(a + b)
        df = (a + b) ** 2 / (a * a / (n1 - 1) + b * b / (n2 - 1))
        p = 2 * sps.t.sf(np.abs(m1 - m2) / se, df)
    if skew1 is not None:
        p = p + skewness_correction(np.abs(m1 - m2) / se, a / (a + b), n1, skew1, kurt1)
    p = np.where(se == 0, np.where(m1 == m2, 1.0, 0.0), np.clip(p, 0.0, 1.0))
    valid = (n1 > 1) & (n2 > 1) & (v1 >= 0) & (v2 >= 0) & np.isfinite(m1 + m2 + v1 + v2 + n1 + n2)
    return np.where(valid, p, np.nan)


def skewness_correction(t, share1, n1, skew1, kurt1) -> np.ndarray:
    """The second-order Edgeworth term of a Studentized mean beyond the t distribution (Hall,
    The Bootstrap and Edgeworth Expansion, 1992, §2.6): with a skewed group (report marks lean
    to 6–8) |t| exceeds its t quantile more often than α, by ~(2/n)·φ(t)·t·[γ²(t⁴ + 2t² − 3)/18
    − κ(t² − 3)/12]. Added to the Welch p with the unit's bias-adjusted skewness γ and excess
    kurtosis κ, each weighted by the unit's share of the variance (a large rest contributes
    almost nothing). Measured: size 0.061 → 0.048 at n 10, 0.058 → 0.053 at 20, 0.054 → 0.050
    at 40 on skewed marks (bench/null_simulation.py)."""
    t, share1, n1, skew1, kurt1 = _arrays(t, share1, n1, skew1, kurt1)
    with np.errstate(invalid="ignore", divide="ignore"):
        gamma2 = np.nan_to_num(skew1) ** 2 * share1 ** 3
        kappa = np.nan_to_num(kurt1) * share1 ** 2
        term = gamma2 * (t ** 4 + 2 * t ** 2 - 3) / 18 - kappa * (t ** 2 - 3) / 12
        correction = (2 / n1) * sps.norm.pdf(t) * t * term
    return np.where(np.isfinite(correction) & (n1 > 3), correction, 0.0)


def cohens_h(p1, p2) -> np.ndarray:
    """Cohen's h = 2·asin(√p1) − 2·asin(√p2): a difference of shares on a scale where equal
    steps are about equally detectable whether near 50 % or near 0 %/100 %."""
    p1, p2 = _arrays(p1, p2)
    with np.errstate(invalid="ignore"):
        return 2 * np.arcsin(np.sqrt(p1)) - 2 * np.arcsin(np.sqrt(p2))


def cohens_d(m1, v1, n1, m2, v2, n2) -> np.ndarray:
    """Cohen's d with the pooled SD √(((n1 − 1)v1 + (n2 − 1)v2)/(n1 + n2 − 2)): the SD of one
    student, the same yardstick for a small unit and a large rest. 0/0 (equal means, no spread)
    → NaN; a difference over no spread → ±inf; n < 1 or n1 + n2 ≤ 2 → NaN."""
    m1, v1, n1, m2, v2, n2 = _arrays(m1, v1, n1, m2, v2, n2)
    with np.errstate(invalid="ignore", divide="ignore"):
        sd = np.sqrt(((n1 - 1) * v1 + (n2 - 1) * v2) / (n1 + n2 - 2))
        d = (m1 - m2) / sd
    return np.where((n1 >= 1) & (n2 >= 1) & (n1 + n2 > 2), d, np.nan)
