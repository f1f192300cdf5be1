"""False benchmark markers at realistic scale: what a visitor is promised is that a unit whose
students answer like the rest of its benchmark group rarely gets ANY + or − on its page.

Every simulation round is one table through the real route (`aggregate` → `point_estimates` →
`compare_with_benchmark` → `benchmark_markers`, every row "published"): N_DOMAINS domains, each
a benchmark group of SMALL_UNITS institution × domain cells of 10–40 respondents plus
LARGE_UNITS cells of 150–400 (so the rest of a unit's domain holds ~650–1,300 students); each unit
answers TESTS_PER_UNIT questions: percentages, report marks 1–10 and theme scores (mean of four
1–5 items). A respondent's answers are correlated (a Gaussian copula with a common factor, so
the ~25 tests of a unit are not independent), about 3 % of answers are empty, and true shares
are 0.1–0.9 per domain and item. Under the null every unit of a domain is drawn from the
domain's distribution, so no institution × domain cell truly differs from the rest of its
domain; with planted differences a known 10 % of (small unit, question) pairs do.

Numbers (seeds fixed): the promise is judged on NULL_ROUNDS × 2 (unweighted and lognormal
weights) × UNITS_PER_ROUND = 8,800 null units by a one-sided 95 % Clopper–Pearson upper bound,
which passes only if at most 406 of them (4.61 %, `MAX_PASSING_SHARE`) are marked; a true share
of 1.2α would pass with probability < 1e-8, so the check can fail. Observed: 345 units (3.92 %,
bound 4.28 %; unweighted small units alone 4.85 %, weighted 3.20 %); the relevance rule removes
none of them at these sizes; Holm 333. Without adjustment and relevance: 5,329 (60.6 %). Per
test: 0.25 % / 0.16 % of tests carry a marker; unadjusted p < α for 3.7–4.0 % of percentages,
4.9–5.8 % of marks, 5.0–5.5 % of theme scores. Planted (8 rounds): per-unit FDR 0.042, false
markers ÷ all markers 0.122 (xfail, see there); found at 30–40 respondents: marks and themes
(d = 0.8) 90 %, percentages ±20 points 25 %.
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

from jobmonitor.compute.aggregate import aggregate
from jobmonitor.compute.estimate import point_estimates
from jobmonitor.compute.score import Scores
from jobmonitor.compute.significance import benchmark_markers, compare_with_benchmark
from jobmonitor.config import Thresholds

ALPHA = Thresholds().alpha
N_DOMAINS = 20
SMALL_UNITS, LARGE_UNITS = 20, 2  # institution × domain cells per domain (benchmark group)
SMALL_N, LARGE_N = (10, 40), (150, 400)  # respondents per cell, inclusive
UNITS_PER_ROUND = N_DOMAINS * (SMALL_UNITS + LARGE_UNITS)
N_PCT, N_MARKS, N_THEMES, THEME_ITEMS = 20, 3, 2, 4
TESTS_PER_UNIT = N_PCT + N_MARKS + N_THEMES  # 25
RHO = 0.3  # correlation of two answers of one respondent on the latent scale
EMPTY = 0.03  # share of empty answers
LOG_WEIGHT_SD = 0.5  # lognormal weights: n_eff ≈ n / e^0.25 ≈ 0.78 n
NULL_ROUNDS = 10  # per weighting: 2 × 10 × 440 = 8,800 units, 220,000 tests
PLANTED_ROUNDS = 8
PLANTED_SHARE = 0.10
PLANTED_POINTS = 20.0  # percentages: ±20 points
PLANTED_D = 0.8  # marks and themes: Cohen's d ±0.8
CONFIDENCE = 0.95
# Marks 1–10 like report marks (mean ≈ 7, SD ≈ 1.6, long left tail); 5-point answers 1–5.
MARK_PROBS = np.array([0.01, 0.01, 0.02, 0.03, 0.06, 0.17, 0.30, 0.27, 0.10, 0.03])
FIVE_PROBS = np.array([0.05, 0.10, 0.25, 0.40, 0.20])


def cp_upper(marked: int, total: int, confidence: float = CONFIDENCE) -> float:
    """One-sided Clopper–Pearson upper bound of a binomial share."""
    return 1.0 if marked >= total else float(sps.beta.ppf(confidence, marked + 1, total - marked))


def cp_lower(marked: int, total: int, confidence: float = CONFIDENCE) -> float:
    return 0.0 if marked <= 0 else float(sps.beta.ppf(1 - confidence, marked, total - marked + 1))


NULL_UNITS = 2 * NULL_ROUNDS * UNITS_PER_ROUND
# The largest share of marked units whose upper bound is still ≤ α: the check fails above it.
MAX_PASSING_SHARE = max(k for k in range(NULL_UNITS) if cp_upper(k, NULL_UNITS) <= ALPHA) / NULL_UNITS


def _cuts(probs: np.ndarray) -> np.ndarray:
    """Latent N(0, 1) thresholds giving categories 1..len(probs) with these probabilities."""
    return sps.norm.ppf(np.cumsum(probs)[:-1])


def _categories(latent: np.ndarray, cuts: np.ndarray) -> np.ndarray:
    return (np.searchsorted(cuts, latent) + 1).astype("float32")


def _theme_score(latent: np.ndarray, rng) -> np.ndarray:
    """Theme score from the theme's latent (respondents,): mean of THEME_ITEMS 1–5 answers that
    share half their latent variance, NaN unless at least half were answered."""
    items = np.sqrt(0.5) * latent[:, None] + np.sqrt(0.5) * rng.standard_normal((len(latent), THEME_ITEMS))
    answers = _categories(items, _cuts(FIVE_PROBS))
    answers[rng.random(answers.shape) < EMPTY] = np.nan
    answered = (~np.isnan(answers)).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        score = np.nansum(answers, axis=1) / answered
    return np.where(answered * 2 >= THEME_ITEMS, score, np.nan).astype("float32")


@functools.cache
def latent_shift(kind: str, d: float = PLANTED_D) -> float:
    """Shift of the latent scale that moves a mark or theme score by Cohen's d: exact for marks
    (categories of one normal), by a large fixed-seed sample for themes; bisection."""
    if kind == "mark":
        values = np.arange(1, 11)
        cuts = np.r_[-np.inf, _cuts(MARK_PROBS), np.inf]
        sd = np.sqrt(MARK_PROBS @ values**2 - (MARK_PROBS @ values) ** 2)

        def effect(shift):
            probs = np.diff(sps.norm.cdf(cuts - shift))
            return (probs @ values - MARK_PROBS @ values) / sd
    else:
        base = np.random.default_rng(7).standard_normal(50_000)

        def effect(shift):
            a = _theme_score(base, np.random.default_rng(8))
            b = _theme_score(base + shift, np.random.default_rng(8))
            return (np.nanmean(b) - np.nanmean(a)) / np.nanstd(a)
    low, high = 0.0, 3.0
    for _ in range(30):
        mid = (low + high) / 2
        low, high = (mid, high) if effect(mid) < d else (low, mid)
    return (low + high) / 2


def simulate(rng, *, weighted: bool, planted_share: float = 0.0,
             layout: tuple[int, int, int] = (N_PCT, N_MARKS, N_THEMES)) -> tuple[Scores, pd.DataFrame]:
    """One round: the scores of every respondent and a frame of (unit, var) pairs with the
    unit's size and whether a difference was planted there (only in small units, random sign,
    so the rest of a domain hardly moves). `layout`: percentages, marks and themes per unit."""
    n_pct, n_marks, n_themes = layout
    per_domain = SMALL_UNITS + LARGE_UNITS
    sizes = np.concatenate([np.r_[rng.integers(SMALL_N[0], SMALL_N[1] + 1, SMALL_UNITS),
                                  rng.integers(LARGE_N[0], LARGE_N[1] + 1, LARGE_UNITS)] for _ in range(N_DOMAINS)])
    # Institutions: which institution holds the large cells differs per domain.
    inst_of_unit = np.concatenate([rng.permutation(per_domain) for _ in range(N_DOMAINS)]).astype("int32")
    dom_of_unit = np.repeat(np.arange(N_DOMAINS), per_domain).astype("int32")
    small = np.tile(np.r_[np.ones(SMALL_UNITS, bool), np.zeros(LARGE_UNITS, bool)], N_DOMAINS)
    n_vars = n_pct + n_marks + n_themes
    planted = (rng.random((len(sizes), n_vars)) < planted_share) & small[:, None]
    sign = np.where(rng.random((len(sizes), n_vars)) < 0.5, -1.0, 1.0)
    # True shares per domain and percentage item. A planted difference is ±PLANTED_POINTS with a
    # random sign, shortened near the edges to stay inside 2–98 % — the same length both ways, so
    # planted units do not move the rest of their domain in one direction (flipping the sign
    # there would: every planted unit at a 90 % share would go down, and the large units of the
    # domain would then truly differ from their rest by a few points).
    shares = rng.uniform(0.1, 0.9, (N_DOMAINS, n_pct))
    unit_share = shares[dom_of_unit]
    length = np.minimum(PLANTED_POINTS / 100, np.minimum(unit_share - 0.02, 0.98 - unit_share))
    unit_share = np.where(planted[:, :n_pct], unit_share + sign[:, :n_pct] * length, unit_share)
    # Marks and themes: a domain offset on the latent scale, plus the planted shift.
    offsets = rng.normal(0.0, 0.3, (N_DOMAINS, n_marks + n_themes))[dom_of_unit]
    shift = np.r_[[latent_shift("mark")] * n_marks, [latent_shift("theme")] * n_themes]
    offsets = offsets + np.where(planted[:, n_pct:], sign[:, n_pct:] * shift, 0.0)

    unit = np.repeat(np.arange(len(sizes)), sizes)
    n = len(unit)
    common = rng.standard_normal(n)[:, None]
    latent = np.sqrt(RHO) * common + np.sqrt(1 - RHO) * rng.standard_normal((n, n_vars))
    values = np.empty((n, n_vars), dtype="float32", order="F")
    values[:, :n_pct] = latent[:, :n_pct] < sps.norm.ppf(unit_share[unit])
    marks = latent[:, n_pct:n_pct + n_marks] + offsets[unit, :n_marks]
    values[:, n_pct:n_pct + n_marks] = _categories(marks, _cuts(MARK_PROBS))
    values[:, :n_pct + n_marks][rng.random((n, n_pct + n_marks)) < EMPTY] = np.nan
    for k in range(n_themes):
        values[:, n_pct + n_marks + k] = _theme_score(latent[:, n_pct + n_marks + k] + offsets[unit, n_marks + k], rng)
    weights = rng.lognormal(0.0, LOG_WEIGHT_SD, n) if weighted else np.ones(n)

    var_ids = [f"P{j:02d}" for j in range(n_pct)] + [f"M{j}" for j in range(n_marks)] + [f"T{j}" for j in range(n_themes)]
    scores = Scores(
        year=2026, var_ids=var_ids,
        kinds=["item"] * (n_pct + n_marks) + ["theme"] * n_themes,
        measures=[("pct_positive", "pct_yes")[j % 2] for j in range(n_pct)] + ["mean"] * (n_marks + n_themes),
        directions=["higher_better"] * n_vars, values=values, weights=weights,
        institution_code=inst_of_unit[unit], domain_code=dom_of_unit[unit],
        institution_ids=[f"I{k:02d}" for k in range(per_domain)], domain_ids=[f"D{k:02d}" for k in range(N_DOMAINS)],
        weighting="test",
    )
    truth = pd.DataFrame({
        "institution_id": np.repeat([f"I{k:02d}" for k in inst_of_unit], n_vars),
        "domain_id": np.repeat([f"D{k:02d}" for k in dom_of_unit], n_vars),
        "item_id": np.tile(var_ids, len(sizes)),
        "size": np.repeat(sizes, n_vars),
        "small": np.repeat(small, n_vars),
        "planted": planted.reshape(-1),
        # The planted difference, signed: points for percentages (shorter near 0 % and 100 %),
        # d for marks and themes.
        "planted_difference": np.where(planted, sign * np.c_[length * 100, np.full((len(sizes), n_marks + n_themes),
                                                                                    PLANTED_D)], 0.0).reshape(-1),
    })
    return scores, truth


def compared(scores: Scores, truth: pd.DataFrame) -> pd.DataFrame:
    """The institution × domain rows after the tests, before markers, with the truth joined."""
    table = compare_with_benchmark(point_estimates(aggregate(scores), Thresholds().confidence))
    table["status"] = "published"
    table = table.merge(truth.astype({"institution_id": "string", "domain_id": "string"}),
                        how="left", on=["institution_id", "domain_id", "item_id"])
    # Rows of the other levels have no truth: not planted, not a small cell.
    return table.fillna({"size": 0, "small": False, "planted": False, "planted_difference": 0.0}).astype(
        {"size": "int64", "small": bool, "planted": bool})


def marked(table: pd.DataFrame, thresholds: Thresholds) -> pd.DataFrame:
    """Markers on every level (families are per unit, so other levels do not change a cell's
    markers), then only the institution × domain cells."""
    out = benchmark_markers(table, thresholds)
    return out[out["level"] == "institution_domain"]


@functools.cache
def null_tables(weighted: bool) -> tuple[pd.DataFrame, ...]:
    rng = np.random.default_rng(20260601 + weighted)
    return tuple(compared(*simulate(rng, weighted=weighted)) for _ in range(NULL_ROUNDS))


@functools.cache
def planted_tables() -> tuple[pd.DataFrame, ...]:
    rng = np.random.default_rng(20260611)
    return tuple(compared(*simulate(rng, weighted=weighted, planted_share=PLANTED_SHARE))
                 for weighted in (False, True) for _ in range(PLANTED_ROUNDS // 2))


def units_with_a_marker(cells: pd.DataFrame) -> pd.Series:
    """Per round and unit: does it have any marker? (Rounds are told apart by their index.)"""
    return (cells["marker"] != "").groupby([cells["round"], cells["institution_id"], cells["domain_id"]]).any()


def null_units(thresholds: Thresholds) -> pd.Series:
    frames = []
    for r, table in enumerate(t for weighted in (False, True) for t in null_tables(weighted)):
        frames.append(marked(table, thresholds).assign(round=r))
    return units_with_a_marker(pd.concat(frames, ignore_index=True))


# --- the tests ---------------------------------------------------------------------------------

def test_null_per_test_marker_share_at_most_alpha():
    """Rule: a marker needs significance (adjusted p < α) and relevance, so under the null the
    share of tests with a marker is ≤ α — and so is the share of raw p < α for percentages
    (pooled z / Fisher hold their level). Units of 10–40 respondents, unweighted and weighted."""
    for weighted in (False, True):
        cells = pd.concat([marked(t, Thresholds()) for t in null_tables(weighted)], ignore_index=True)
        cells = cells[cells["small"]]
        tested = cells["p_value"].notna()
        assert tested.mean() > 0.99
        cells = cells[tested]
        total = len(cells)
        marker_share = (cells["marker"] != "").mean()
        assert marker_share <= ALPHA
        assert cp_upper(int((cells["marker"] != "").sum()), total) <= ALPHA
        pct = cells["measure"] != "mean"
        raw_pct = (cells.loc[pct, "p_value"] < ALPHA).mean()
        # A unit's tests share its respondents: a Monte Carlo margin as if only units were independent.
        units = NULL_ROUNDS * N_DOMAINS * SMALL_UNITS
        assert raw_pct <= ALPHA + 3 * np.sqrt(ALPHA * (1 - ALPHA) / units)


def test_null_per_unit_any_marker_share_at_most_alpha():
    """Rule (the promise to visitors): one BH family per unit over all its TESTS_PER_UNIT tests,
    plus the relevance rule, keep the share of null units with ANY benchmark marker ≤ α — judged
    by the one-sided 95 % Clopper–Pearson upper bound over NULL_UNITS units, which fails above
    MAX_PASSING_SHARE marked."""
    units = null_units(Thresholds())
    assert len(units) == NULL_UNITS
    # The check has teeth: a true share of 1.2α would pass it with probability < 0.001.
    assert sps.binom.cdf(round(MAX_PASSING_SHARE * NULL_UNITS), NULL_UNITS, 1.2 * ALPHA) < 0.001
    assert cp_upper(int(units.sum()), len(units)) <= ALPHA, f"{units.mean():.4f} of {len(units)} units marked"


def test_null_per_unit_bh_alone_keeps_the_promise():
    """Rule: BH per unit holds the family's chance of any false marker at ≤ α by itself (under
    the global null FDR = FWER); the relevance rule is a margin on top, not what keeps it."""
    units = null_units(Thresholds(min_difference_pct=0.0, min_effect_size_mean=0.0))
    assert cp_upper(int(units.sum()), len(units)) <= ALPHA, f"{units.mean():.4f} of {len(units)} units marked"


def test_without_adjustment_and_relevance_many_null_units_get_a_marker():
    """The check above can fail: with no adjustment and no relevance rule, ~25 tests at level α
    mark far more than α of null units (the lower 95 % bound is above 4α)."""
    units = null_units(Thresholds(multiple_testing="none", min_difference_pct=0.0, min_effect_size_mean=0.0))
    assert cp_lower(int(units.sum()), len(units)) > 4 * ALPHA


MEANS_ONLY = (0, 3, 2)  # a family of report marks and theme scores alone


@pytest.mark.xfail(strict=True, reason=(
    "Welch t, even with its skewness correction (sizes 0.049–0.053 on skewed report marks, see "
    "tests/test_two_sample.py), leaves a family of marks and theme scores alone at 0.057 of null units "
    "(228 of 4,000; plain Welch 0.065; unweighted). Mixed families keep the promise because the "
    "exact / pooled percentage tests are conservative at these sizes (0.037–0.040): the margin is borrowed."))
def test_null_per_unit_promise_holds_for_a_family_of_means_alone():
    """Rule: the promise does not depend on the mix of questions: a unit whose tests are only
    marks and theme scores (unweighted, NULL_ROUNDS × 400 small units) is marked ≤ α."""
    rng = np.random.default_rng(20260621)
    frames = [marked(compared(*simulate(rng, weighted=False, layout=MEANS_ONLY)), Thresholds()).assign(round=r)
              for r in range(NULL_ROUNDS)]
    cells = pd.concat(frames, ignore_index=True)
    units = units_with_a_marker(cells[cells["small"]])
    assert cp_upper(int(units.sum()), len(units)) <= ALPHA, f"{units.mean():.4f} of {len(units)} units marked"


def planted_cells() -> list[pd.DataFrame]:
    return [marked(table, Thresholds()).assign(has=lambda c: c["marker"] != "") for table in planted_tables()]


def test_planted_differences_per_unit_false_discovery_rate_at_most_alpha():
    """Rule: BH within each unit's family bounds that unit's false discovery rate, E[V/R] (V
    false markers, R markers, 0/0 = 0), at α·m0/m: averaged over all units and rounds it is ≤ α
    + Monte Carlo margin (2 SE over rounds). Strict: a marker on a large unit counts as false
    although its rest then holds planted units and so truly differs from it a little (its markers
    rise from ~0.05 to ~0.10 of large units: they have the power to see ~0.04 SD)."""
    fdr = []
    for cells in planted_cells():
        per_unit = cells.assign(false=cells["has"] & ~cells["planted"]).groupby(["institution_id", "domain_id"])
        fdr.append((per_unit["false"].sum() / per_unit["has"].sum().clip(lower=1)).mean())
    fdr = np.array(fdr)
    assert fdr.mean() <= ALPHA + 2 * fdr.std(ddof=1) / np.sqrt(len(fdr))


@pytest.mark.xfail(strict=True, reason=(
    "One BH family per unit bounds each unit's FDR (0.042 here), not the share of false markers among "
    "all markers of the site: 0.122 (8 rounds, SE 0.003), because a unit of 10–40 with ~2.5 modest true "
    "differences usually has 0–1 markers, so its rare false markers weigh heavily in the pooled ratio "
    "(ΣV/ΣR is not the mean of V/R). One family for all units' tests together gave 0.044–0.051 at a "
    "lower recall (0.16 vs 0.25 of planted pairs). A design decision, reported to the lead."))
def test_planted_differences_share_of_false_markers_at_most_alpha():
    """Rule (as asked): false markers ÷ all markers of a round, averaged over rounds, ≤ α + Monte
    Carlo margin (2 SE over rounds)."""
    fdp = np.array([(c["has"] & ~c["planted"]).sum() / max(c["has"].sum(), 1) for c in planted_cells()])
    assert fdp.mean() <= ALPHA + 2 * fdp.std(ddof=1) / np.sqrt(len(fdp))


def test_planted_differences_are_found_at_n30():
    """Rule: markers find real differences where a unit has 30–40 respondents: marks and themes
    with d = 0.8 mostly (~90 %); percentages ±20 points only in about 3 of 10 (one test among
    ~25 after BH needs p ≈ 0.002–0.006; unadjusted p < 0.05 would find ~64 %). Floors, so a
    change that loses power fails."""
    cells = pd.concat(planted_cells(), ignore_index=True)
    planted = cells[cells["planted"] & (cells["size"] >= 30)]
    means = planted["measure"] == "mean"
    assert planted.loc[means, "has"].mean() > 0.8
    full = ~means & (planted["planted_difference"].abs() >= PLANTED_POINTS - 1e-9)
    assert planted.loc[full, "has"].mean() > 0.2
    # A marker on a planted pair points the planted way.
    found = planted[planted["has"]]
    assert (np.sign(found["difference_rest"]) == np.sign(found["planted_difference"])).mean() > 0.99
