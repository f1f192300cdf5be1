"""The two-sample tests of `jobmonitor.compute.two_sample`: each formula against an independent
implementation (statsmodels, scipy) to 1e-9, and the level they hold at the unit sizes the site
has (n_eff 10–40 against a rest of 500 or 5,000), proven by null simulation — where the old
unpooled z test, reimplemented here, fails the same check."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as sps
from statsmodels.stats import proportion as sm_proportion
from statsmodels.stats.weightstats import CompareMeans, DescrStatsW

from jobmonitor.compute import two_sample
from jobmonitor.compute.two_sample import (
    cohens_d,
    cohens_h,
    fisher_two_sided,
    mean_p,
    needs_exact,
    pooled_z_p,
    proportion_p,
)

TOL = 1e-9
ALPHA = 0.05
UNIT_N = (10, 15, 20, 30, 40)
SHARES = (0.1, 0.3, 0.5, 0.7, 0.9)
REST_N = (500, 5000)
# Null simulation: draws per configuration. 20,000 makes the Monte Carlo SE of a rate near α
# 0.0015, small beside the excesses the tests must see (old unpooled z: 0.06–0.35; pooled z
# without the exact branch: 0.075; Welch with skewed marks: 0.057–0.061).
REPS = 20000
# Families of configurations whose sizes must all be ≤ α: percentages (50) and means (10).
PROPORTION_CONFIGS = len(REST_N) * len(UNIT_N) * len(SHARES)
MEAN_CONFIGS = len(REST_N) * len(UNIT_N)


def mc_limit(reps: int, configs: int, family_risk: float = 0.005) -> float:
    """Largest observed rejection rate still consistent with a true size ≤ α: α + z·SE(α), with z
    such that a family of `configs` tests all of true size exactly α fails with probability
    `family_risk` (Bonferroni). The one-configuration limit 2.6·SE failed 3 of 30 seeds at 4,000
    draws on the 50 percentage configurations although every true size there is ≤ 0.052."""
    z = sps.norm.isf(family_risk / configs)  # 50 configs: 3.72 → 0.0557; 10 configs: 3.29 → 0.0551
    return ALPHA + z * np.sqrt(ALPHA * (1 - ALPHA) / reps)


def fisher_reference(x1, n1, x2, n2) -> np.ndarray:
    return np.array([sps.fisher_exact([[a, b - a], [c, d - c]]).pvalue for a, b, c, d in zip(x1, n1, x2, n2)])


def random_tables(rng, rows: int, max_n1: int, max_n2: int):
    n1 = rng.integers(1, max_n1 + 1, rows)
    n2 = rng.integers(1, max_n2 + 1, rows)
    return rng.binomial(n1, rng.random(rows)), n1, rng.binomial(n2, rng.random(rows)), n2


# --- percentages: each branch against an independent implementation ---------------------------

@pytest.mark.filterwarnings("ignore:divide by zero:RuntimeWarning")  # statsmodels' odds ratio at 0 %
def test_z_branch_is_statsmodels_score_test_without_correction():
    rng = np.random.default_rng(1)
    x1, n1, x2, n2 = random_tables(rng, 3000, 400, 20000)
    z_rows = ~needs_exact(x1, n1, x2, n2)
    x1, n1, x2, n2 = x1[z_rows][:300], n1[z_rows][:300], x2[z_rows][:300], n2[z_rows][:300]
    assert len(x1) == 300
    expected = [sm_proportion.test_proportions_2indep(a, b, c, d, method="score", correction=False).pvalue
                for a, b, c, d in zip(x1, n1, x2, n2)]
    np.testing.assert_allclose(proportion_p(x1 / n1, n1, x2 / n2, n2), expected, rtol=0, atol=TOL)


def test_exact_branch_is_scipy_fisher_exact_on_small_tables():
    rng = np.random.default_rng(2)
    x1, n1, x2, n2 = random_tables(rng, 3000, 45, 6000)
    exact = needs_exact(x1, n1, x2, n2)
    assert exact.sum() > 1000
    x1, n1, x2, n2 = x1[exact], n1[exact], x2[exact], n2[exact]
    np.testing.assert_allclose(proportion_p(x1 / n1, n1, x2 / n2, n2), fisher_reference(x1, n1, x2, n2),
                               rtol=0, atol=TOL)


def test_fisher_matches_scipy_on_any_table_in_any_chunking(monkeypatch):
    """Wide supports, equal groups (tied mirror tables), empty margins; chunks of a few rows."""
    rng = np.random.default_rng(3)
    x1, n1, x2, n2 = (np.concatenate(parts) for parts in zip(
        random_tables(rng, 400, 300, 300), random_tables(rng, 100, 2000, 2000)))
    n_equal = rng.integers(1, 60, 200)
    x1, n1 = np.r_[x1, rng.binomial(n_equal, 0.5), 0, 7, 5], np.r_[n1, n_equal, 9, 7, 10]
    x2, n2 = np.r_[x2, rng.binomial(n_equal, 0.5), 0, 0, 5], np.r_[n2, n_equal, 30, 12, 10]
    expected = fisher_reference(x1, n1, x2, n2)
    np.testing.assert_allclose(fisher_two_sided(x1, n1, x2, n2), expected, rtol=0, atol=TOL)
    monkeypatch.setattr(two_sample, "FISHER_CHUNK_CELLS", 500)
    np.testing.assert_allclose(fisher_two_sided(x1, n1, x2, n2), expected, rtol=0, atol=TOL)


def test_sixteen_of_sixteen_is_not_p_zero():
    """16 of 16 positive against 73.6 %: the unpooled z said p ≈ 0 (5e-80). 0.736¹⁶ = 0.0074 is the
    probability of 16/16 itself (the one-sided exact p against a known 73.6 %); two-sided, Fisher
    gives 0.0100 against a rest of 100,000 and 0.0170 against a rest of 1,000 (whose own share is
    uncertain too)."""
    p = proportion_p([1.0, 1.0], [16, 16], [0.736, 0.736], [1000, 100000])
    assert 0.736**16 == pytest.approx(0.0074, abs=1e-4)
    np.testing.assert_allclose(p, fisher_reference([16, 16], [16, 16], [736, 73600], [1000, 100000]),
                               rtol=0, atol=TOL)
    np.testing.assert_allclose(p, [0.0170, 0.0100], atol=1e-4)
    assert old_unpooled_p(1.0, 16, 0.736, 1000) < 1e-70


def test_exact_rule_uses_the_smaller_groups_expected_count():
    """min(n_small·p̄, n_small·(1 − p̄)) ≥ 10 → pooled z at n_eff; below → Fisher on rounded counts.
    The smaller group decides, even when it is the rest (a unit that dominates its domain)."""
    x1, n1, x2, n2 = np.array([10, 9, 500, 30]), np.array([20, 20, 1000, 60]), np.array([500, 500, 1, 6]), \
        np.array([1000, 1000, 15, 60])
    assert needs_exact(x1, n1, x2, n2).tolist() == [False, True, True, False]
    p = proportion_p(x1 / n1, n1, x2 / n2, n2)
    assert p[0] == pytest.approx(pooled_z_p(0.5, 20, 0.5, 1000), abs=TOL)
    np.testing.assert_allclose(p[1:3], fisher_reference(x1[1:3], n1[1:3], x2[1:3], n2[1:3]), atol=TOL)


def test_effective_n_is_rounded_for_the_exact_test_and_kept_for_z():
    # n_eff 15.6 at 100 % is 16 of 16; n_eff 0.3 still counts as one respondent.
    assert proportion_p(1.0, 15.6, 0.736, 1000) == pytest.approx(proportion_p(1.0, 16, 0.736, 1000), abs=TOL)
    assert proportion_p(1.0, 0.3, 0.2, 50) == pytest.approx(sps.fisher_exact([[1, 0], [10, 40]]).pvalue, abs=TOL)
    # z branch: n_eff as given (62.4, 0.45 → not the rounded 62, 28/62).
    assert proportion_p(0.45, 62.4, 0.6, 900.5) == pytest.approx(pooled_z_p(0.45, 62.4, 0.6, 900.5), abs=TOL)
    assert proportion_p(0.45, 62.4, 0.6, 900.5) != pytest.approx(pooled_z_p(28 / 62, 62, 0.6, 900.5), abs=1e-6)


def test_edge_cases_of_proportion_p():
    p = proportion_p([0.3, 0.3, np.nan, 0.3, 1.2, 0.0, 1.0, 0.0], [0, 10, 10, 10, 10, 12.5, 30, 7],
                     [0.3, 0.3, 0.3, np.nan, 0.3, 0.0, 1.0, 1.0], [100, 0, 100, 100, 100, 800, 2.4, 7])
    np.testing.assert_array_equal(np.isnan(p), [True, True, True, True, True, False, False, False])
    assert p[5] == 1.0 and p[6] == 1.0  # both groups all-no / all-yes
    assert p[7] == pytest.approx(sps.fisher_exact([[0, 7], [7, 0]]).pvalue, abs=TOL)
    assert proportion_p(0.4, 20, 0.4, 300).shape == ()


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 60), st.integers(1, 3000), st.floats(0, 1), st.floats(0, 1), st.floats(-0.49, 0.49))
def test_proportion_p_is_symmetric_and_a_probability(n1, n2, s1, s2, jitter):
    n1 = max(n1 + jitter, 0.01)
    p = proportion_p(s1, n1, s2, n2)
    assert 0.0 <= p <= 1.0
    assert p == pytest.approx(proportion_p(s2, n2, s1, n1), abs=TOL)


# --- means and effect sizes -------------------------------------------------------------------

def test_welch_matches_scipy_ttest_ind_from_stats():
    rng = np.random.default_rng(4)
    rows = 500
    m1, m2 = rng.uniform(1, 10, rows), rng.uniform(1, 10, rows)
    v1, v2 = rng.uniform(0, 6, rows), rng.uniform(0.01, 6, rows)
    n1, n2 = rng.uniform(2, 60, rows), rng.uniform(2, 1e5, rows)
    v1[:20] = 0.0  # one group without spread: df is the other group's n − 1
    expected = sps.ttest_ind_from_stats(m1, np.sqrt(v1), n1, m2, np.sqrt(v2), n2, equal_var=False).pvalue
    np.testing.assert_allclose(mean_p(m1, v1, n1, m2, v2, n2), expected, rtol=0, atol=TOL)


def test_welch_edge_cases():
    p = mean_p([7, 7, 7, 7, np.nan], [1, 1, 0, 0, 1], [1, 10, 10, 10, 10], [6, 6, 7, 6.5, 6], [1, 1, 0, 0, 1],
               [50, 1.0, 40, 40, 50])
    np.testing.assert_array_equal(p, [np.nan, np.nan, 1.0, 0.0, np.nan])


def test_cohens_h_is_statsmodels_proportion_effectsize():
    rng = np.random.default_rng(5)
    p1, p2 = rng.random(200), rng.random(200)
    np.testing.assert_allclose(cohens_h(np.r_[p1, 0, 1], np.r_[p2, 1, 0]),
                               sm_proportion.proportion_effectsize(np.r_[p1, 0, 1], np.r_[p2, 1, 0]), rtol=0, atol=TOL)
    assert cohens_h(1.0, 0.0) == pytest.approx(np.pi)


def test_cohens_d_uses_the_pooled_sd_of_the_raw_answers():
    rng = np.random.default_rng(6)
    for n1, n2 in ((12, 400), (30, 35), (2, 3)):
        a, b = rng.integers(1, 11, n1).astype(float), rng.integers(1, 11, n2).astype(float)
        m1, v1, m2, v2 = a.mean(), a.var(ddof=1), b.mean(), b.var(ddof=1)
        # Within-group spread of the demeaned answers, ddof 2 (two means estimated).
        pooled = DescrStatsW(np.r_[a - m1, b - m2], ddof=2).std
        hand = (m1 - m2) / np.sqrt(((n1 - 1) * v1 + (n2 - 1) * v2) / (n1 + n2 - 2))
        via_compare_means = CompareMeans(DescrStatsW(a), DescrStatsW(b)).std_meandiff_pooledvar / np.sqrt(1 / n1 + 1 / n2)
        d = cohens_d(m1, v1, n1, m2, v2, n2)
        assert d == pytest.approx(hand, abs=TOL)
        assert d == pytest.approx((m1 - m2) / pooled, abs=TOL)
        assert d == pytest.approx((m1 - m2) / via_compare_means, abs=TOL)
    d = cohens_d([7, 7, 7, 7], [0, 0, 1, 1], [10, 10, 1, 0.5], [7, 6, 6, 6], [0, 0, 1, 1], [40, 40, 1, 40])
    assert np.isnan(d[0]) and d[1] == np.inf and np.isnan(d[2]) and np.isnan(d[3])


# --- null simulation: the level at the site's cell sizes ----------------------------------------

def old_unpooled_p(p1, n1, p2, n2):
    """The test this module replaces: variance from each group's own p̂ (0 at 0 % and 100 %)."""
    p1, n1, p2, n2 = (np.asarray(a, dtype=float) for a in (p1, n1, p2, n2))
    with np.errstate(invalid="ignore", divide="ignore"):
        se = np.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)
        p = 2 * sps.norm.sf(np.abs(p1 - p2) / se)
    return np.where(se == 0, np.where(p1 == p2, 1.0, 0.0), p)


@pytest.fixture(scope="module")
def null_rates() -> dict[str, dict[tuple, float]]:
    """Rejection rate at α under H0 (both groups share p) for each (n2, n1, p), REPS draws each."""
    rng = np.random.default_rng(20260527)
    tests = {"combined": proportion_p, "pooled_z_only": pooled_z_p, "old_unpooled": old_unpooled_p}
    rates = {name: {} for name in tests}
    for n2 in REST_N:
        for n1 in UNIT_N:
            for share in SHARES:
                p1, p2 = rng.binomial(n1, share, REPS) / n1, rng.binomial(n2, share, REPS) / n2
                for name, test in tests.items():
                    rates[name][n2, n1, share] = float((test(p1, n1, p2, n2) < ALPHA).mean())
    return rates


def over_limit(rates: dict[tuple, float], configs: int = PROPORTION_CONFIGS) -> dict[tuple, float]:
    return {config: rate for config, rate in rates.items() if rate > mc_limit(REPS, configs)}


def test_proportion_p_holds_its_level_at_small_units(null_rates):
    """Done when: type I error ≤ α + Monte Carlo error (`mc_limit`: 0.0557) for every unit n
    10–40, true share 0.1–0.9 and rest 500 or 5,000. (Exact sizes, bench/null_simulation.py:
    at most 0.0520 on this grid — the z branch at n1 = 40, p = 0.3/0.7.)"""
    assert over_limit(null_rates["combined"]) == {}


def test_old_unpooled_z_fails_the_same_check(null_rates):
    """The defect: at a unit of 10 with a 10 % share, 35 % of units have 0 % and get p ≈ 0."""
    failed = over_limit(null_rates["old_unpooled"])
    assert (5000, 10, 0.1) in failed and len(failed) > 25
    rate = null_rates["old_unpooled"][5000, 10, 0.1]
    lower = sps.beta.ppf(0.025, rate * REPS, REPS - rate * REPS + 1)  # Clopper–Pearson, 95 % two-sided
    assert lower > 6 * ALPHA  # exact size 0.3525 (bench)


def test_pooled_z_alone_fails_where_expected_counts_are_small(null_rates):
    """Why the exact branch: the pooled z without it exceeds α at a unit of 10 (true size 0.075)."""
    assert (5000, 10, 0.3) in over_limit(null_rates["pooled_z_only"])


# Marks 1–10 with most mass on 6–8. SYMMETRIC has skewness 0; SKEWED (skewness −1.03, excess
# kurtosis 1.9) is about what report marks look like (mean 7, SD 1.6, a long left tail).
SYMMETRIC_MARKS = np.array([0.0, 0.0, 0.0, 0.02, 0.08, 0.22, 0.36, 0.22, 0.08, 0.02])
SKEWED_MARKS = np.array([0.01, 0.01, 0.02, 0.03, 0.06, 0.17, 0.30, 0.27, 0.10, 0.03])


def marks_sample(rng, probs, n: int, reps: int):
    """Mean, s², and the shape moments (what the estimate stage computes from its sums) of
    `reps` samples of n marks from multinomial counts (no per-answer draw)."""
    import pandas as pd

    from jobmonitor.compute.estimate import shape_moments

    counts = rng.multinomial(n, probs, size=reps)
    marks = np.arange(1, 11, dtype=float)
    mean = counts @ marks / n
    sums = pd.DataFrame({"sw": np.full(reps, float(n)), **{f"swx{k}": counts @ marks ** k for k in (2, 3, 4)}})
    skew, kurt = shape_moments(sums, mean, np.full(reps, float(n)))
    return mean, (counts @ (marks * marks) - n * mean * mean) / (n - 1), skew, kurt


def plain_welch(m1, v1, n1, m2, v2, n2, skew1=None, kurt1=None):
    """Welch without the skewness correction: what the site used before."""
    return mean_p(m1, v1, n1, m2, v2, n2)


def welch_rates(rng, probs, reps: int, test=mean_p) -> dict[tuple, float]:
    rates = {}
    for n2 in REST_N:
        for n1 in UNIT_N:
            (m1, v1, g1, k1), (m2, v2, *_) = marks_sample(rng, probs, n1, reps), marks_sample(rng, probs, n2, reps)
            rates[n2, n1] = float((test(m1, v1, n1, m2, v2, n2, g1, k1) < ALPHA).mean())
    return rates


def normal_quantile_p(m1, v1, n1, m2, v2, n2, skew1=None, kurt1=None):
    """Welch's statistic against normal instead of t quantiles: too liberal at small n."""
    return 2 * sps.norm.sf(np.abs(m1 - m2) / np.sqrt(v1 / n1 + v2 / n2))


def test_welch_holds_its_level_with_symmetric_marks():
    """True sizes 0.049–0.051 (100,000 draws). With skewness −0.5 they are already 0.051–0.053."""
    rng = np.random.default_rng(20260528)
    assert over_limit(welch_rates(rng, SYMMETRIC_MARKS, REPS), MEAN_CONFIGS) == {}
    # The same check catches a test that is too liberal at small n.
    assert (5000, 10) in over_limit(welch_rates(rng, SYMMETRIC_MARKS, REPS, normal_quantile_p), MEAN_CONFIGS)


# Measured with 60,000 draws a configuration: 0.049 (n 10), 0.052 (15), 0.053 (20), 0.050 (30, 40).
CORRECTED_SIZE_BOUND = 0.056


def test_welch_with_the_skewness_correction_comes_close_to_its_level_with_skewed_marks():
    """Report marks lean to 6–8: plain Welch reaches 0.061 at n 10. The second-order Edgeworth
    correction (the unit's skewness and kurtosis from Σwx³, Σwx⁴) brings every size to 0.049–0.053;
    at n 15–20 still about 0.003 above α, so the bound here is 0.056, not α + Monte Carlo error."""
    rates = welch_rates(np.random.default_rng(20260529), SKEWED_MARKS, REPS)
    assert max(rates.values()) <= CORRECTED_SIZE_BOUND, rates
    symmetric = welch_rates(np.random.default_rng(20260530), SYMMETRIC_MARKS, REPS)
    assert over_limit(symmetric, MEAN_CONFIGS) == {}  # the correction does not make symmetric marks liberal


def test_plain_welch_fails_the_same_check_with_skewed_marks():
    """Why the correction: without it the same check fails at small units."""
    failed = over_limit(welch_rates(np.random.default_rng(20260529), SKEWED_MARKS, REPS, plain_welch), MEAN_CONFIGS)
    assert (5000, 10) in failed
