"""Size (type I error) and power of the two-sample tests in `jobmonitor.compute.two_sample`
at the unit sizes the site has (n_eff 10–40) against a large rest of the benchmark group.

    python bench/null_simulation.py [--alpha 0.05] [--reps 20000] [--seed 20260527]

Percentages: sizes are EXACT, not simulated — every table (x1, x2) is enumerated and weighted
by its binomial probability under H0 (x2 over its central 1 − 1e-12 of mass), so there is no
Monte Carlo error. Methods: the pooled (score) z test alone, Fisher's exact test alone, the
combined rule of `proportion_p`, the old unpooled z test (variance from each group's own p̂) and
Fisher's mid-p. Then a power table for the same methods, and a Monte Carlo check with survey
weights (p̂ weighted, n = Kish's n_eff, not an integer). Means: Welch t at n1 10–40 with skewed
discrete 1–10 marks, by Monte Carlo (`--reps` per configuration).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
from scipy import stats as sps
from scipy.special import gammaln

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from jobmonitor.compute.two_sample import fisher_two_sided, mean_p, pooled_z_p, proportion_p  # noqa: E402

N1 = (10, 15, 20, 30, 40)
SHARES = (0.1, 0.3, 0.5, 0.7, 0.9)
N2 = (500, 5000)
# Marks 1–10, most mass on 6–8: symmetric, mildly skewed (−0.5), a long left tail (skewness
# −1.0, like report marks) and a sharp peak on 7 (skewness −1.8; 0.2 % of units of 10 all equal).
MARKS = {
    "symmetric": np.array([0.0, 0.0, 0.0, 0.02, 0.08, 0.22, 0.36, 0.22, 0.08, 0.02]),
    "mild": np.array([0.0, 0.01, 0.02, 0.04, 0.10, 0.20, 0.28, 0.22, 0.10, 0.03]),
    "skewed": np.array([0.01, 0.01, 0.02, 0.03, 0.06, 0.17, 0.30, 0.27, 0.10, 0.03]),
    "peaked": np.array([0.005, 0.005, 0.01, 0.01, 0.02, 0.10, 0.55, 0.25, 0.04, 0.01]),
}


def unpooled_z_p(p1, n1, p2, n2):
    """The old test: each group's own p̂(1 − p̂), zero at 0 % and 100 %."""
    with np.errstate(invalid="ignore", divide="ignore"):
        se = np.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)
        p = 2 * sps.norm.sf(np.abs(p1 - p2) / se)
    return np.where(se == 0, np.where(p1 == p2, 1.0, 0.0), p)


def fisher_mid_p(x1, n1, x2, n2):
    """Mid-p: tables strictly less likely than the observed one, plus half of the tied ones
    (log pmf from log-gamma; ties within a relative 1e-7, as in `fisher_two_sided`)."""
    yes, total = x1 + x2, n1 + n2
    low = np.maximum(0, n1 + yes - total)
    width = np.minimum(n1, yes) - low + 1
    support = low[:, None] + np.arange(width.max())[None, :]
    inside = support <= (low + width - 1)[:, None]

    def logpmf(x):
        return (_log_choose(yes[:, None], x) + _log_choose((total - yes)[:, None], n1[:, None] - x)
                - _log_choose(total, n1)[:, None])

    pmf = np.where(inside, np.exp(logpmf(np.where(inside, support, low[:, None]))), 0.0)
    observed = np.exp(logpmf(x1[:, None]))
    tied = np.abs(pmf - observed) <= 1e-7 * observed
    return (pmf * ((pmf < observed) & ~tied)).sum(axis=1) + 0.5 * (pmf * tied).sum(axis=1)


def _log_choose(n, k):
    return gammaln(n + 1) - gammaln(k + 1) - gammaln(n - k + 1)


METHODS = {
    "pooled_z": lambda x1, n1, x2, n2: pooled_z_p(x1 / n1, n1, x2 / n2, n2),
    "exact": fisher_two_sided,
    "combined": lambda x1, n1, x2, n2: proportion_p(x1 / n1, n1, x2 / n2, n2),
    "old_unpooled": lambda x1, n1, x2, n2: unpooled_z_p(x1 / n1, n1, x2 / n2, n2),
    "mid_p": fisher_mid_p,
}


def all_tables(n1: int, share1: float, n2: int, share2: float):
    """Every (x1, x2) with non-negligible probability, and that probability."""
    lo, hi = sps.binom.isf(1 - 1e-13, n2, share2), sps.binom.isf(1e-13, n2, share2)
    x2 = np.arange(max(lo - 1, 0), min(hi + 1, n2) + 1)
    grid1, grid2 = np.meshgrid(np.arange(n1 + 1), x2, indexing="ij")
    weight = sps.binom.pmf(grid1, n1, share1) * sps.binom.pmf(grid2, n2, share2)
    return grid1.ravel().astype(float), grid2.ravel().astype(float), weight.ravel()


def rejection_rate(method, n1, share1, n2, share2, alpha) -> float:
    x1, x2, weight = all_tables(n1, share1, n2, share2)
    p = METHODS[method](x1, np.full_like(x1, n1), x2, np.full_like(x2, n2))
    return float((weight * (p < alpha)).sum())


def exact_branch_share(n1, share, n2) -> float:
    """Probability under H0 that `proportion_p` takes the exact branch."""
    from jobmonitor.compute.two_sample import needs_exact
    x1, x2, weight = all_tables(n1, share, n2, share)
    return float((weight * needs_exact(x1, np.full_like(x1, n1), x2, np.full_like(x2, n2))).sum())


def size_table(alpha: float) -> None:
    print(f"\n## Percentages: exact size at alpha = {alpha} (H0: both groups share p)\n")
    print("| n2 | n1 | p | " + " | ".join(METHODS) + " | P(exact branch) |")
    print("|---|---|---|" + "---|" * (len(METHODS) + 1))
    worst = {m: 0.0 for m in METHODS}
    for n2 in N2:
        for n1 in N1:
            for share in SHARES:
                sizes = {m: rejection_rate(m, n1, share, n2, share, alpha) for m in METHODS}
                worst = {m: max(worst[m], sizes[m]) for m in METHODS}
                cells = " | ".join(f"{sizes[m]:.4f}" for m in METHODS)
                print(f"| {n2} | {n1} | {share} | {cells} | {exact_branch_share(n1, share, n2):.2f} |")
    print("| | | **max** | " + " | ".join(f"**{worst[m]:.4f}**" for m in METHODS) + " | |")


def fine_grid(alpha: float) -> None:
    """The worst size of each method over a fine grid of shares (0.02 … 0.98)."""
    print(f"\n## Percentages: worst exact size over p = 0.02, 0.04, …, 0.98 (alpha = {alpha})\n")
    print("| n2 | n1 | " + " | ".join(METHODS) + " |")
    print("|---|---|" + "---|" * len(METHODS))
    shares = np.round(np.arange(0.02, 0.99, 0.02), 2)
    for n2 in N2:
        for n1 in N1:
            worst = {m: max((rejection_rate(m, n1, s, n2, s, alpha), s) for s in shares) for m in METHODS}
            print(f"| {n2} | {n1} | " + " | ".join(f"{worst[m][0]:.4f} (p={worst[m][1]})" for m in METHODS) + " |")


def larger_units(alpha: float, n2: int = 5000) -> None:
    """Where the z branch takes over: the worst size over the fine grid for larger units."""
    print(f"\n## Percentages: worst exact size over p = 0.02 … 0.98, larger units, n2 = {n2} (alpha = {alpha})\n")
    print("| n1 | pooled_z | exact | combined |")
    print("|---|---|---|---|")
    shares = np.round(np.arange(0.02, 0.99, 0.02), 2)
    for n1 in (50, 60, 80, 100, 150, 200):
        worst = {m: max((rejection_rate(m, n1, s, n2, s, alpha), s) for s in shares)
                 for m in ("pooled_z", "exact", "combined")}
        print(f"| {n1} | " + " | ".join(f"{w[0]:.4f} (p={w[1]})" for w in worst.values()) + " |")


def power_table(alpha: float, n2: int = 5000) -> None:
    print(f"\n## Percentages: exact power, rest n2 = {n2}, rest share 0.5 (alpha = {alpha})\n")
    print("| n1 | unit share | " + " | ".join(m for m in METHODS if m != "old_unpooled") + " |")
    print("|---|---|" + "---|" * (len(METHODS) - 1))
    for n1 in N1:
        for share1 in (0.2, 0.3, 0.7, 0.8):
            cells = " | ".join(f"{rejection_rate(m, n1, share1, n2, 0.5, alpha):.3f}" for m in METHODS
                               if m != "old_unpooled")
            print(f"| {n1} | {share1} | {cells} |")


def weighted_sample(rng, n: int, share: float, reps: int, chunk: int = 1000):
    """Weighted share and Kish n_eff of `reps` samples of n with lognormal weights (deff ≈ 1.3),
    drawn `chunk` samples at a time to bound memory."""
    shares, n_effs = [], []
    for size in np.diff(np.r_[np.arange(0, reps, chunk), reps]):
        weight = rng.lognormal(0.0, 0.5, size=(size, n))
        yes = rng.random((size, n)) < share
        sw = weight.sum(axis=1)
        shares.append((weight * yes).sum(axis=1) / sw)
        n_effs.append(sw * sw / (weight * weight).sum(axis=1))
    return np.concatenate(shares), np.concatenate(n_effs)


def weighted_check(alpha: float, reps: int, rng, n2: int = 2000) -> None:
    print(f"\n## Percentages with survey weights (Monte Carlo, {reps} reps, rest n = {n2}, alpha = {alpha})\n")
    print("| n1 (respondents) | mean n_eff | p | combined | old_unpooled |")
    print("|---|---|---|---|---|")
    for n1 in (13, 20, 40, 50):
        for share in (0.1, 0.3, 0.5):
            p1, e1 = weighted_sample(rng, n1, share, reps)
            p2, e2 = weighted_sample(rng, n2, share, reps)
            combined = (proportion_p(p1, e1, p2, e2) < alpha).mean()
            old = (unpooled_z_p(p1, e1, p2, e2) < alpha).mean()
            print(f"| {n1} | {e1.mean():.1f} | {share} | {combined:.4f} | {old:.4f} |")


def marks_sample(rng, n: int, probs: np.ndarray, reps: int):
    """Mean and s² of `reps` samples of n marks 1–10, from multinomial counts."""
    counts = rng.multinomial(n, probs, size=reps)
    marks = np.arange(1, 11)
    mean = counts @ marks / n
    return mean, (counts @ (marks * marks) - n * mean * mean) / (n - 1)


def means_table(alpha: float, reps: int, rng) -> None:
    print(f"\n## Means: Welch t size by Monte Carlo ({reps} reps, alpha = {alpha}; "
          f"MC limit alpha + 2.6·SE = {alpha + 2.6 * np.sqrt(alpha * (1 - alpha) / reps):.4f})\n")
    print("| marks | n2 | " + " | ".join(f"n1={n}" for n in N1) + " |")
    print("|---|---|" + "---|" * len(N1))
    for name, probs in MARKS.items():
        for n2 in N2:
            cells = []
            for n1 in N1:
                m1, v1 = marks_sample(rng, n1, probs, reps)
                m2, v2 = marks_sample(rng, n2, probs, reps)
                cells.append(f"{(mean_p(m1, v1, n1, m2, v2, n2) < alpha).mean():.4f}")
            print(f"| {name} | {n2} | " + " | ".join(cells) + " |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--alpha", type=float, default=0.05)
    parser.add_argument("--reps", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=20260527)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    started = time.perf_counter()
    size_table(args.alpha)
    fine_grid(args.alpha)
    larger_units(args.alpha)
    power_table(args.alpha)
    weighted_check(args.alpha, args.reps, rng)
    means_table(args.alpha, args.reps, rng)
    print(f"\nseconds={time.perf_counter() - started:.1f}")


if __name__ == "__main__":
    main()
