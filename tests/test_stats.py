"""Statistics against independent implementations (statsmodels), on many random groups."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportion_confint
from statsmodels.stats.weightstats import CompareMeans, DescrStatsW

from jobmonitor.config import Thresholds
from jobmonitor.compute.estimate import point_estimates
from jobmonitor.compute.significance import adjust_pvalues, markers, relevant
from jobmonitor.compute.two_sample import mean_p, proportion_p

RTOL = 1e-9


def sums_frame(groups: list[tuple[np.ndarray, np.ndarray]], measure: str) -> pd.DataFrame:
    rows = []
    for x, w in groups:
        rows.append({"measure": measure, "n": len(x), "sw": w.sum(), "sw2": (w * w).sum(),
                     "swx": (w * x).sum(), "swx2": (w * x * x).sum()})
    return pd.DataFrame(rows)


def random_groups(rng, count, binary, weighted):
    groups = []
    for _ in range(count):
        n = int(rng.integers(2, 400))
        x = rng.integers(0, 2, n).astype(float) if binary else rng.integers(1, 11, n).astype(float)
        w = rng.uniform(0.3, 3.0, n) if weighted else np.ones(n)
        groups.append((x, w))
    return groups


@pytest.mark.parametrize("weighted", [False, True])
def test_wilson_interval_matches_statsmodels(weighted):
    rng = np.random.default_rng(1)
    groups = random_groups(rng, 200, binary=True, weighted=weighted)
    est = point_estimates(sums_frame(groups, "pct_yes"), Thresholds().confidence)
    for (x, w), row in zip(groups, est.itertuples()):
        n_eff = w.sum() ** 2 / (w * w).sum()
        p = (w * x).sum() / w.sum()
        lo, hi = proportion_confint(p * n_eff, n_eff, alpha=0.05, method="wilson")
        assert row.n_eff == pytest.approx(n_eff, rel=RTOL)
        assert row.estimate == pytest.approx(100 * p, rel=RTOL)
        assert row.ci_low == pytest.approx(100 * lo, rel=RTOL, abs=1e-12)
        assert row.ci_high == pytest.approx(100 * hi, rel=RTOL)


@pytest.mark.parametrize("weighted", [False, True])
def test_mean_interval_matches_descrstatsw(weighted):
    rng = np.random.default_rng(2)
    groups = random_groups(rng, 200, binary=False, weighted=weighted)
    est = point_estimates(sums_frame(groups, "mean"), Thresholds().confidence)
    for (x, w), row in zip(groups, est.itertuples()):
        n_eff = w.sum() ** 2 / (w * w).sum()
        # Rescaling weights to sum to n_eff makes statsmodels' nobs equal to Kish's n_eff.
        d = DescrStatsW(x, weights=w * n_eff / w.sum(), ddof=1)
        lo, hi = d.tconfint_mean(alpha=0.05)
        assert row.estimate == pytest.approx(d.mean, rel=RTOL)
        assert row.ci_low == pytest.approx(lo, rel=RTOL)
        assert row.ci_high == pytest.approx(hi, rel=RTOL)


@pytest.mark.parametrize("weighted", [False, True])
def test_welch_test_matches_statsmodels(weighted):
    rng = np.random.default_rng(3)
    groups = random_groups(rng, 200, binary=False, weighted=weighted)
    est = point_estimates(sums_frame(groups, "mean"), Thresholds().confidence)
    for k in range(0, 200, 2):
        (x1, w1), (x2, w2) = groups[k], groups[k + 1]
        a, b = est.iloc[k], est.iloc[k + 1]
        p = mean_p(a.estimate, a["var"], a.n_eff, b.estimate, b["var"], b.n_eff)
        d1 = DescrStatsW(x1, weights=w1 * a.n_eff / w1.sum())
        d2 = DescrStatsW(x2, weights=w2 * b.n_eff / w2.sum())
        _, expected, _ = CompareMeans(d1, d2).ttest_ind(usevar="unequal")
        assert p == pytest.approx(expected, rel=1e-8)


def test_unweighted_welch_equals_scipy():
    from scipy.stats import ttest_ind

    rng = np.random.default_rng(4)
    x1, x2 = rng.integers(1, 11, 50).astype(float), rng.integers(1, 11, 70).astype(float)
    est = point_estimates(sums_frame([(x1, np.ones(50)), (x2, np.ones(70))], "mean"), Thresholds().confidence)
    a, b = est.iloc[0], est.iloc[1]
    p = mean_p(a.estimate, a["var"], a.n_eff, b.estimate, b["var"], b.n_eff)
    assert p == pytest.approx(ttest_ind(x1, x2, equal_var=False).pvalue, rel=1e-9)


def test_pooled_score_test_by_hand():
    """The variance comes from the pooled share under H0, never from a group's own share."""
    p = proportion_p(0.6, 100.0, 0.5, 400.0)
    pooled = (60 + 200) / 500
    z = 0.1 / np.sqrt(pooled * (1 - pooled) * (1 / 100 + 1 / 400))
    from scipy.stats import norm

    assert p == pytest.approx(2 * norm.sf(z), rel=1e-12)


@pytest.mark.parametrize("method,sm", [("bh", "fdr_bh"), ("holm", "holm")])
def test_adjustment_matches_multipletests(method, sm):
    rng = np.random.default_rng(5)
    p = pd.Series(rng.uniform(0, 0.2, 300) ** 2)
    family = pd.Series(np.repeat(["a", "b", "c"], 100))
    p[[5, 150]] = np.nan
    adjusted = adjust_pvalues(p, [family], method)
    for name in "abc":
        mask = (family == name) & p.notna()
        expected = multipletests(p[mask], method=sm)[1]
        np.testing.assert_allclose(adjusted[mask], expected, rtol=1e-12)
    assert adjusted[[5, 150]].isna().all()


def test_edge_cases_are_defined():
    # n = 0, single respondent, all equal, p = 0 and p = 1: no crash, NaN only where undefined.
    frame = pd.DataFrame({
        "measure": ["pct_yes", "pct_yes", "pct_yes", "mean", "mean", "mean"],
        "n": [0, 1, 20, 1, 20, 0],
        "sw": [0.0, 1.0, 20.0, 1.0, 20.0, 0.0],
        "sw2": [0.0, 1.0, 20.0, 1.0, 20.0, 0.0],
        "swx": [0.0, 1.0, 0.0, 7.0, 140.0, 0.0],
        "swx2": [0.0, 1.0, 0.0, 49.0, 980.0, 0.0],
    })
    est = point_estimates(frame, Thresholds().confidence)
    assert np.isnan(est.loc[0, "estimate"])
    assert est.loc[1, "estimate"] == 100 and 0 < est.loc[1, "ci_low"] < 100
    assert est.loc[2, "estimate"] == 0 and est.loc[2, "ci_low"] == pytest.approx(0, abs=1e-12) and est.loc[2, "ci_high"] > 0
    assert est.loc[3, "estimate"] == 7 and np.isnan(est.loc[3, "ci_low"])  # one respondent: no interval
    assert est.loc[4, "ci_low"] == est.loc[4, "ci_high"] == 7  # no spread
    # Zero variance on both sides: equal → p = 1, different → p = 0; empty group → no test.
    assert mean_p(7.0, 0.0, 20.0, 7.0, 0.0, 30.0) == 1.0
    assert proportion_p(1.0, 20.0, 0.0, 30.0) < 1e-6  # 20 of 20 against 0 of 30: exact, tiny
    assert np.isnan(proportion_p(0.5, 20.0, np.nan, 0.0))


@settings(max_examples=200, deadline=None)
@given(
    difference=st.floats(-100, 100, allow_nan=False),
    p_adjusted=st.one_of(st.floats(0, 1), st.just(np.nan)),
    is_pct=st.booleans(),
)
def test_no_marker_without_significance_and_relevance(difference, p_adjusted, is_pct):
    """For percentages the tested and the shown difference must both reach 5 points; for
    means |d| ≥ 0.2 (here the effect is difference / 10)."""
    thresholds = Thresholds()
    effect = difference / 10
    keep = relevant(np.array([difference]), np.array([difference]), np.array([effect]), np.array([is_pct]), thresholds)
    marker = markers(np.array([difference]), np.array([p_adjusted]), keep, thresholds.alpha)[0]
    big_enough = abs(difference) >= thresholds.min_difference_pct if is_pct else abs(effect) >= thresholds.min_effect_size_mean
    if marker:
        assert p_adjusted < thresholds.alpha and big_enough
        assert marker == ("+" if difference > 0 else "-")
    else:
        assert not (p_adjusted < thresholds.alpha and big_enough and difference != 0)


def test_intervals_use_the_finite_population_correction_where_the_population_is_known():
    """JOB's required response assumes a finite population; the intervals now do too:
    n_eff · (N − 1)/(N − n), so a unit that answered in full has no sampling error, and a mean's
    interval shrinks by √((N − n)/(N − 1)). Unknown N keeps the plain interval."""
    rng = np.random.default_rng(9)
    x = rng.integers(1, 11, 40).astype(float)
    frame = sums_frame([(x, np.ones(40))] * 3, "mean")
    plain = point_estimates(frame, Thresholds().confidence)
    fpc = point_estimates(frame, Thresholds().confidence, population=np.array([100.0, 40.0, np.nan]))
    half_plain = plain.loc[0, "ci_high"] - plain.loc[0, "estimate"]
    half_fpc = fpc.loc[0, "ci_high"] - fpc.loc[0, "estimate"]
    assert half_fpc == pytest.approx(half_plain * np.sqrt(60 / 99), rel=1e-12)
    assert fpc.loc[1, "ci_low"] == pytest.approx(fpc.loc[1, "estimate"]) == pytest.approx(fpc.loc[1, "ci_high"])
    assert fpc.loc[2, "ci_low"] == plain.loc[2, "ci_low"]
    pct = point_estimates(sums_frame([(np.r_[np.ones(30), np.zeros(10)], np.ones(40))], "pct_yes"),
                          Thresholds().confidence, population=np.array([40.0]))
    assert pct.loc[0, "ci_low"] == pytest.approx(75.0) == pytest.approx(pct.loc[0, "ci_high"])
